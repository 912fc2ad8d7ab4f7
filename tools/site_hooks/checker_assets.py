"""Put the in-page checker's runtime into the built site, under site/pyodide/.

What lands there (nothing of it is committed; every build makes it):
- the Pyodide core from the pinned npm package (node_modules/pyodide), except python_stdlib.zip:
  compile_stdlib.mjs boots this very runtime under Node, imports the page facade and runs its
  prepare(), then keeps only the standard-library modules the checker, dnspython, idna and
  Pyodide's own packages can import (trim_stdlib.py says which) and precompiles the ones
  imported so far with Pyodide's own Python (sourceless, unchecked-hash .pyc: Pyodide ships
  sources only, so the browser compiled them on every start),
- three wheels: autossl-check built from this repository, dnspython and idna as pinned (with
  hashes) in requirements/dev.txt and downloaded from PyPI. The checker wheel also carries the
  module autossl_check/_site_build.py, written here: the resolvers a link may name on this
  build's page (autossl_check/page_policy.py; loopback only when AUTOSSL_CHECK_TEST_BUILD=1),
- pyodide-lock.json: Pyodide's own lock file plus those three wheels with their real sha256,
  written by pyodide-build's `pyodide lockfile add-wheels`. Pyodide checks each wheel against it.
- checker.snapshot.gz: Pyodide's memory snapshot of that runtime with the checker imported and
  prepare() run, taken by make_snapshot.mjs under Node (after the stdlib is compiled: the snapshot
  is only valid beside the very python_stdlib.zip it was taken with). The worker restores it
  instead of starting Python and importing; without it (or if it fails) it starts the long way.

The checker's worker restores the snapshot with loadPyodide({indexURL: "<root>/pyodide/",
_loadSnapshot: ...}) and writes the three wheels (checked against the lock's sha256) back to the
paths on the restored sys.path. Without a usable snapshot it starts the long way with
    loadPyodide({indexURL: "<root>/pyodide/", packages: ["autossl-check", "dnspython", "idna"]})
the names add-wheels records (the distribution names), read from the same lock file.

The runtime manifest, the sha256 of every file of that tree (and of the snapshot's inflated
content, for hosts that serve the .gz with Content-Encoding: gzip), is given to the templates as
`checker_runtime_manifest`: overrides/checker.html writes it into the checker page, and the worker
refuses any runtime file whose bytes differ. In the page rather than in a file of its own, it
cannot be stale or half-deployed apart from the page that uses it.

The wheels live under wheels/<first 16 hex digits of their sha256>/ so that each URL names exactly
one content and can be cached as immutable even while the package version stays 0.1.0.

The work is done once per `mkdocs build` (mkdocs-static-i18n runs a nested build per language, and
every nested build runs these hooks too) and cached under build/site-assets/, keyed by a hash of
everything that goes into it, so `mkdocs serve` rebuilds only copy files.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from autossl_check import page_policy
from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

log = get_plugin_logger("checker_assets")

REPO = Path(__file__).resolve().parents[2]
PYODIDE_NPM = REPO / "node_modules" / "pyodide"
COMPILE_STDLIB = Path(__file__).with_name("compile_stdlib.mjs")
TRIM_STDLIB = Path(__file__).with_name("trim_stdlib.py")
MAKE_SNAPSHOT = Path(__file__).with_name("make_snapshot.mjs")
SNAPSHOT_PACK = Path(__file__).with_name("snapshot_pack.mjs")
# The worker's start-up code: snapshot_pack.mjs reads the wasm's data segments with it.
BOOT_JS = REPO / "docs" / "assets" / "checker" / "boot.js"
# What loadPyodide fetches for a module worker; the .map files, pyodide.js and consoles stay out.
PYODIDE_CORE = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
PYPI_PINS = ("dnspython", "idna")
REQUIREMENTS = REPO / "requirements" / "dev.txt"
CACHE = REPO / "build" / "site-assets"
PYPI_WHEELS = REPO / "build" / "pypi-wheels"
SITE_SUBDIR = "pyodide"
SNAPSHOT = "checker.snapshot.gz"

_build_depth = 0
_prepared: Path | None = None
_manifest: dict[str, dict[str, str | int]] | None = None


def on_pre_build(config: MkDocsConfig) -> None:
    global _build_depth, _prepared
    _build_depth += 1
    if _build_depth == 1:
        _prepared = _prepare()


def on_env(env: Environment, config: MkDocsConfig, files: object) -> Environment:
    global _manifest
    if _prepared is not None:
        if _manifest is None or _build_depth == 1:
            _manifest = runtime_manifest(_prepared)
        env.globals["checker_runtime_manifest"] = _manifest
    return env


def runtime_manifest(runtime: Path) -> dict[str, dict[str, str | int]]:
    """{"files": {path below site/pyodide/: sha256}, "inflated": {snapshot: sha256 of content},
    "sizes": {path: bytes}}: the sizes let the page show how much of the runtime has arrived
    (a compressed response carries no length of the file itself)."""
    paths = [path for path in sorted(runtime.rglob("*")) if path.is_file()]
    names = [path.relative_to(runtime).as_posix() for path in paths]
    inflated = hashlib.sha256(gzip.decompress((runtime / SNAPSHOT).read_bytes())).hexdigest()
    return {
        "files": {name: _sha256(path) for name, path in zip(names, paths, strict=True)},
        "inflated": {SNAPSHOT: inflated},
        "sizes": {name: path.stat().st_size for name, path in zip(names, paths, strict=True)},
    }


def on_build_error(error: Exception) -> None:
    global _build_depth
    _build_depth = 0


# After mkdocs-static-i18n (-100), whose on_post_build runs the other languages' builds.
@event_priority(-110)
def on_post_build(config: MkDocsConfig) -> None:
    global _build_depth
    _build_depth -= 1
    if _build_depth > 0 or _prepared is None:
        return
    target = Path(config.site_dir) / SITE_SUBDIR
    shutil.copytree(_prepared, target, dirs_exist_ok=True)
    log.info(f"Checker runtime copied to {target}")


def _prepare() -> Path:
    """Return a directory holding the finished site/pyodide/ tree, building it if needed."""
    if not (PYODIDE_NPM / "pyodide-lock.json").is_file():
        raise PluginError(f"{PYODIDE_NPM} is missing: run `npm ci` (or `make node`) first.")
    node = shutil.which("node")
    if not node:
        raise PluginError("Node.js (`node`) is missing; the build compiles Python with it.")
    pins = _pinned_requirements()
    policy = page_policy.module_text(page_policy.for_this_build())
    key = _content_key(pins, policy)
    done = CACHE / key
    if (done / "pyodide-lock.json").is_file():
        return done
    log.info("Building the checker runtime (wheels, Pyodide core, lock file, .pyc, snapshot)")
    with tempfile.TemporaryDirectory(dir=_mkdir(CACHE)) as scratch:
        staging = Path(scratch) / "pyodide"
        staging.mkdir()
        for name in PYODIDE_CORE:
            shutil.copy2(PYODIDE_NPM / name, staging / name)
        wheels = [_build_checker_wheel(Path(scratch), policy), *_pypi_wheels(pins)]
        placed = []
        for wheel in wheels:
            folder = _mkdir(staging / "wheels" / _sha256(wheel)[:16])
            placed.append(shutil.copy2(wheel, folder / wheel.name))
        _run(
            _pyodide_cli(),
            "lockfile",
            "add-wheels",
            "--input",
            PYODIDE_NPM / "pyodide-lock.json",
            "--output",
            staging / "pyodide-lock.json",
            "--base-path",
            staging,
            *placed,
        )
        log.info(f"python_stdlib.zip: {_run(node, COMPILE_STDLIB, staging).strip()}")
        raw, packed = _run(node, MAKE_SNAPSHOT, staging).split()
        log.info(f"checker.snapshot.gz: {int(raw) >> 20} MiB memory, {int(packed) >> 20} MiB gzip")
        # One runtime kept per policy: tests build a release site beside the test build.
        same_policy = f"{key[:5]}[0-9a-f]{{15}}"
        for old in CACHE.iterdir():
            if re.fullmatch(same_policy, old.name) and old.name != key:
                shutil.rmtree(old, ignore_errors=True)
        if not done.exists():  # a build running beside this one may have got there first
            staging.rename(done)
    return done


def _pinned_requirements() -> list[str]:
    """The `name==version --hash=...` lines for PYPI_PINS, exactly as locked."""
    logical_lines = REQUIREMENTS.read_text().replace("\\\n", " ").splitlines()
    pins = []
    for name in PYPI_PINS:
        pattern = re.compile(rf"^{re.escape(name)}==\S+(\s+--hash=sha256:[0-9a-f]{{64}})+")
        found = [m.group(0) for line in logical_lines if (m := pattern.match(line))]
        if len(found) != 1:
            raise PluginError(f"{REQUIREMENTS} must pin {name} once, with hashes.")
        pins.append(" ".join(found[0].split()))
    return pins


def _content_key(pins: list[str], policy: str) -> str:
    """The policy's own digest, then one of everything else that goes into the runtime."""
    digest = hashlib.sha256()
    inputs = [Path(__file__), COMPILE_STDLIB, TRIM_STDLIB, MAKE_SNAPSHOT, SNAPSHOT_PACK]
    inputs += [BOOT_JS]
    inputs += [REPO / "pyproject.toml"]
    inputs += [PYODIDE_NPM / "pyodide-lock.json", PYODIDE_NPM / "package.json"]
    inputs += sorted(
        p for p in (REPO / "checker").rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )
    for path in inputs:
        digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update("\n".join(pins).encode())
    return hashlib.sha256(policy.encode()).hexdigest()[:5] + digest.hexdigest()[:15]


def _build_checker_wheel(scratch: Path, policy: str) -> Path:
    """Built from a copy of the package with the build's resolver policy written into it."""
    source = scratch / "checker-source"
    for name in ("pyproject.toml", "README.md"):
        _mkdir(source)
        shutil.copy2(REPO / name, source / name)
    package = Path("checker") / "autossl_check"
    ignore = shutil.ignore_patterns("__pycache__", f"{page_policy.BUILT_MODULE}.py")
    shutil.copytree(REPO / package, source / package, ignore=ignore)
    (source / package / f"{page_policy.BUILT_MODULE}.py").write_text(policy, encoding="utf-8")
    out = scratch / "checker-wheel"
    _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", source, "-w", out
    )
    (wheel,) = out.glob("autossl_check-*.whl")
    return wheel


def _pypi_wheels(pins: list[str]) -> list[Path]:
    """The pinned wheels from build/pypi-wheels/, downloading (hash-checked) what is missing."""
    missing = [pin for pin in pins if _cached_wheel(pin) is None]
    if missing:
        requirements = _mkdir(PYPI_WHEELS) / "pins.txt"
        requirements.write_text("\n".join(missing) + "\n")
        _run(
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--require-hashes",
            "-r",
            requirements,
            "-d",
            PYPI_WHEELS,
        )
    wheels = [_cached_wheel(pin) for pin in pins]
    if None in wheels:
        raise PluginError(f"pip download left no wheel matching {pins} in {PYPI_WHEELS}.")
    return [wheel for wheel in wheels if wheel is not None]


def _cached_wheel(pin: str) -> Path | None:
    name, version = pin.split()[0].split("==")
    hashes = set(re.findall(r"sha256:([0-9a-f]{64})", pin))
    pattern = f"{name.replace('-', '_')}-{version}-*.whl"
    return next((w for w in PYPI_WHEELS.glob(pattern) if _sha256(w) in hashes), None)


def _pyodide_cli() -> str:
    beside_python = Path(sys.executable).with_name("pyodide")
    found = str(beside_python) if beside_python.exists() else shutil.which("pyodide")
    if not found:
        raise PluginError("The `pyodide` command (pyodide-build) is missing: run `make venv`.")
    return found


def _run(*command: str | Path) -> str:
    args = [str(part) for part in command]
    # The commands are fixed tool invocations built here; no part comes from outside the repo.
    done = subprocess.run(args, cwd=REPO, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip().splitlines()[-15:]
        raise PluginError(f"`{' '.join(args)}` failed:\n" + "\n".join(output))
    return done.stdout


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
