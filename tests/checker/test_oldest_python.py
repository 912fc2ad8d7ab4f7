"""The package installs and checks under the oldest Python it claims (requires-python)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def oldest_python() -> str:
    claim = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "requires-python"
    ]
    assert claim.startswith(">="), claim
    return claim.removeprefix(">=").strip()


def copy_dependencies(target: Path, python_version: str) -> None:
    """Every distribution the package needs on Linux under `python_version` (all pure Python),
    copied with its metadata from this venv: the test stays on this machine, no index is asked."""
    from importlib import metadata

    from packaging.requirements import Requirement

    environment = {"python_version": python_version, "sys_platform": "linux", "extra": ""}
    wanted, seen = ["autossl-check"], set()
    while wanted:
        name = wanted.pop()
        distribution = metadata.distribution(name)
        for requirement in map(Requirement, distribution.requires or ()):
            marker = requirement.marker
            if marker is None or marker.evaluate(environment):
                key = requirement.name.lower().replace("_", "-")
                if key not in seen:
                    seen.add(key)
                    wanted.append(requirement.name)
    for name in seen:
        distribution = metadata.distribution(name)
        for file in distribution.files or ():
            source = Path(str(distribution.locate_file(file)))
            if file.parts[0] == ".." or not source.is_file():
                continue  # scripts outside site-packages: not needed to import
            destination = target / file
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)


def test_install_and_check_with_the_oldest_claimed_python(
    tmp_path: Path, doh_resolver: Any
) -> None:
    version = oldest_python()
    interpreter = shutil.which(f"python{version}")
    if interpreter is None:
        pytest.skip(f"python{version} is not on PATH")
    wheels = tmp_path / "wheels"
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    subprocess.run(
        [*build, "--no-index", "--quiet", "-w", str(wheels), str(ROOT)],
        check=True,
        timeout=300,
    )
    venv = tmp_path / "venv"
    subprocess.run([interpreter, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    copy_dependencies(Path(site), version)
    wheel = next(wheels.glob("autossl_check-*.whl"))
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", str(wheel)],
        check=True,
        timeout=300,
    )
    command = venv / "bin" / "autossl-check"

    shown = subprocess.run([str(command), "--version"], capture_output=True, text=True, check=True)
    check = [str(command), "ok.example", "--server", "203.0.113.10"]
    checked = subprocess.run(
        [*check, "--resolver", doh_resolver.url, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    runs_on = subprocess.run(
        [str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    assert runs_on == version
    assert shown.stdout.startswith("autossl-check ")
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["verdict"] == "ok"
