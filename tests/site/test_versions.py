"""Versioned publishing with mike, end to end, without touching any real remote.

One module-scoped fixture copies the working tree into a scratch git repository and publishes two
release tags (v1.0.0, then v2.0.1) to a scratch bare repository by running the `run:` scripts of
.github/workflows/docs.yml themselves, as the two jobs do: in a fresh clone, the build job's
steps (fetch gh-pages, `mike deploy --update-aliases X.Y latest` and `mike set-default latest`
without pushing, bundle the new commits); then, in an empty folder holding only that bundle, the
publish job's step (git alone).

Each test then reads the gh-pages branch of the scratch remote: what GitHub Pages would serve.
Each deploy is a full `mkdocs build` (strict, both languages, the checker runtime), so a site
that does not build fails here too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
BRANCH = "gh-pages"
OLD, NEW = "1.0", "2.0"
VERSIONS = (OLD, NEW)
RELEASE_TAGS = {OLD: "v1.0.0", NEW: "v2.0.1"}
DOCS_WORKFLOW = REPO_ROOT / ".github" / "workflows" / "docs.yml"
OWNER, REPOSITORY = "docs-owner", "docs-owner/autossl-check"
# The workflow derives it from the repository: a project site below a path, as on GitHub Pages.
SITE_URL = "https://docs-owner.github.io/autossl-check/"
# The pages support tickets link to most (start, findings anchors, checker permalinks), in both
# languages; their URLs are part of the contract and must hold in every version.
PAGES = ("", "findings/", "checker/", "en/", "en/findings/", "en/checker/")
SITEMAP_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
REDIRECT_TARGET = re.compile(r'window\.location\.replace\(\s*"([^"]+)"')


@dataclass(frozen=True)
class Published:
    """The gh-pages branch of the scratch remote, unpacked, plus its git tree listing."""

    root: Path
    tree_modes: dict[str, str]
    versions_json: list[dict[str, object]]

    def text(self, path: str) -> str:
        return (self.root / path).read_text(encoding="utf-8")


def _git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"git {' '.join(args)}:\n{done.stdout}{done.stderr}"
    return done.stdout


def _hermetic_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        # mike runs `mkdocs` by name.
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
        NO_MKDOCS_2_WARNING="1",
        SITE_URL=SITE_URL,
        # No user or system git configuration (signing, hooks, URL rewrites) leaks in.
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="versions test",
        GIT_AUTHOR_EMAIL="versions-test@example.invalid",
        GIT_COMMITTER_NAME="versions test",
        GIT_COMMITTER_EMAIL="versions-test@example.invalid",
    )
    env.pop("MIKE_DOCS_VERSION", None)
    return env


def _copy_working_tree(destination: Path, env: dict[str, str]) -> None:
    """Copy what `make site` would build from: tracked and not-ignored files, as they are now."""
    listing = _git(
        "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=REPO_ROOT, env=env
    )
    for name in filter(None, listing.split("\0")):
        source = REPO_ROOT / name
        if not source.is_file():  # deleted in the working tree but still in the index
            continue
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
    # The build hook reads the Pyodide npm package: share it rather than install it again.
    (destination / "node_modules").symlink_to(REPO_ROOT / "node_modules", target_is_directory=True)
    # Its hash-checked PyPI wheels are copied, not shared: the hook prunes its cache folder, and
    # a `make site` running beside this test must not lose files under it.
    downloaded_wheels = REPO_ROOT / "build" / "pypi-wheels"
    if downloaded_wheels.is_dir():
        shutil.copytree(downloaded_wheels, destination / "build" / "pypi-wheels")


def _workflow_script(job: str, step_id: str) -> str:
    steps = yaml.safe_load(DOCS_WORKFLOW.read_text(encoding="utf-8"))["jobs"][job]["steps"]
    (step,) = [step for step in steps if step.get("id") == step_id]
    return str(step["run"])


def _run_workflow_step(
    job: str, step_id: str, *, cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """A `run:` script of docs.yml, started as GitHub's runner starts it."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _workflow_script(job, step_id)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def _assert_ran(done: subprocess.CompletedProcess[str], what: str) -> None:
    tail = "\n".join((done.stdout + done.stderr).splitlines()[-40:])
    assert done.returncode == 0, f"{what} failed:\n{tail}"


def _workflow_env(env: dict[str, str], server_url: str, tag: str) -> dict[str, str]:
    return {
        **env,
        "GITHUB_SERVER_URL": server_url,
        "GITHUB_REPOSITORY": REPOSITORY,
        "GITHUB_REPOSITORY_OWNER": OWNER,
        "GITHUB_REF_TYPE": "tag",
        "GITHUB_REF_NAME": tag,
        # A file:// remote needs no credentials; the scripts still hand this one to git.
        "GITHUB_TOKEN": "not-a-real-token",
        "NO_MKDOCS_2_WARNING": "1",
    }


def _publish_release(source: Path, scratch: Path, tag: str, env: dict[str, str]) -> None:
    """One run of docs.yml for a release tag: the build job, then the publish job."""
    server_url = f"file://{scratch}"
    checkout = scratch / f"build-{tag}"
    _git("clone", "--quiet", str(source), str(checkout), cwd=scratch, env=env)
    _git("remote", "set-url", "origin", f"{server_url}/{REPOSITORY}.git", cwd=checkout, env=env)
    # What `make venv node` and earlier builds leave beside the checkout (see _copy_working_tree).
    if not (checkout / "node_modules").exists():
        (checkout / "node_modules").symlink_to(source / "node_modules", target_is_directory=True)
    if (source / "build").is_dir():
        shutil.copytree(source / "build", checkout / "build")
    run_env = _workflow_env(env, server_url, tag)
    for step_id in ("fetch-pages", "build"):
        _assert_ran(_run_workflow_step("build", step_id, cwd=checkout, env=run_env), step_id)
    # The publish job starts on an empty runner with nothing but the downloaded artifact.
    runner = scratch / f"publish-{tag}"
    (runner / "gh-pages-bundle").mkdir(parents=True)
    shutil.copy2(checkout / "gh-pages-bundle" / "gh-pages.bundle", runner / "gh-pages-bundle")
    _assert_ran(_run_workflow_step("publish", "publish", cwd=runner, env=run_env), "publish")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    if not (REPO_ROOT / "node_modules" / "pyodide").is_dir():
        pytest.fail("node_modules/pyodide is missing (make node)")
    scratch = tmp_path_factory.mktemp("versions")
    env = _hermetic_env()
    remote = scratch / f"{REPOSITORY}.git"
    source = scratch / "source"
    _git("init", "--quiet", "--bare", str(remote), cwd=scratch, env=env)
    source.mkdir()
    _copy_working_tree(source, env)
    _git("init", "--quiet", "--initial-branch=main", cwd=source, env=env)
    _git("add", "--all", cwd=source, env=env)
    _git("commit", "--quiet", "--no-verify", "-m", "scratch copy", cwd=source, env=env)

    for version in VERSIONS:
        _publish_release(source, scratch, RELEASE_TAGS[version], env)

    archive = subprocess.run(
        ["git", "archive", "--format=tar", BRANCH],
        cwd=remote,
        env=env,
        capture_output=True,
        check=True,
    ).stdout
    unpacked = scratch / "published"
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(unpacked, filter="data")
    tree_modes = {}
    for line in _git("ls-tree", "-r", "--full-tree", BRANCH, cwd=remote, env=env).splitlines():
        meta, path = line.split("\t", 1)
        tree_modes[path] = meta.split()[0]
    versions_json = json.loads(_git("show", f"{BRANCH}:versions.json", cwd=remote, env=env))
    return Published(unpacked, tree_modes, versions_json)


def _redirect_target(published: Published, path: str) -> str:
    """Where a mike redirect page sends the reader, as a path from the top of the branch."""
    found = REDIRECT_TARGET.search(published.text(path))
    assert found, f"{path} is not a redirect page"
    base = f"https://pages.invalid/{path}"
    return urlsplit(urljoin(base, found.group(1))).path.lstrip("/")


def test_versions_json_lists_both_versions_with_latest_on_the_newest(
    published: Published,
) -> None:
    by_version = {entry["version"]: entry for entry in published.versions_json}
    assert set(by_version) == set(VERSIONS)
    assert by_version[NEW]["aliases"] == ["latest"]
    assert by_version[OLD]["aliases"] == []
    assert published.versions_json[0]["version"] == NEW, "newest first, as the selector lists them"


def test_latest_redirects_to_the_newest_version_and_keeps_the_anchor(
    published: Published,
) -> None:
    for page in PAGES:
        redirect = f"latest/{page}index.html"
        assert _redirect_target(published, redirect) == f"{NEW}/{page}"
        # Ticket links such as latest/findings/#ELSEWHERE or latest/checker/?domain=... must
        # arrive with their anchor and query.
        assert "window.location.hash" in published.text(redirect)
        assert "window.location.search" in published.text(redirect)


def test_site_root_redirects_to_latest_and_so_to_the_newest_version(
    published: Published,
) -> None:
    assert _redirect_target(published, "index.html") == "latest/"
    assert _redirect_target(published, "latest/index.html") == f"{NEW}/"


@pytest.mark.parametrize("version", VERSIONS)
def test_every_version_keeps_both_languages_at_stable_paths(
    published: Published, version: str
) -> None:
    for page in PAGES:
        assert (published.root / version / page / "index.html").is_file(), f"{version}/{page}"
    for findings in ("findings/", "en/findings/"):
        assert 'id="ELSEWHERE"' in published.text(f"{version}/{findings}index.html")


@pytest.mark.parametrize("version", VERSIONS)
def test_every_version_carries_its_own_checker_runtime(published: Published, version: str) -> None:
    lock = json.loads(published.text(f"{version}/pyodide/pyodide-lock.json"))
    assert "autossl-check" in lock["packages"]


def test_published_branch_holds_no_symlinks(published: Published) -> None:
    symlinks = [path for path, mode in published.tree_modes.items() if mode == "120000"]
    assert symlinks == [], "GitHub Pages refuses symlinks: use alias_type: redirect"
    assert ".nojekyll" in published.tree_modes


@pytest.mark.parametrize("version", VERSIONS)
def test_sitemap_urls_are_well_formed(published: Published, version: str) -> None:
    # mike's site_url has no trailing slash and mkdocs-static-i18n joins it again per language:
    # without tools/site_hooks/mike_site_url.py the alternates read `.../latesten/...`.
    canonical_root = f"{SITE_URL}latest/"
    sitemap = ElementTree.fromstring(published.text(f"{version}/sitemap.xml"))
    locations = [loc.text or "" for loc in sitemap.iterfind("sm:url/sm:loc", SITEMAP_NS)]
    alternates = [
        link.get("href", "") for link in sitemap.iterfind("sm:url/xhtml:link", SITEMAP_NS)
    ]
    assert f"{canonical_root}findings/" in locations
    assert f"{canonical_root}en/findings/" in alternates
    for url in locations + alternates:
        assert url.startswith(canonical_root), url
        assert url.endswith("/"), url
        assert "//" not in urlsplit(url).path, url
        assert not re.search(r"/(latest|\d+\.\d+)(ja|en)\b", url), url


@pytest.mark.parametrize("version", VERSIONS)
def test_language_links_stay_in_the_version_being_read(published: Published, version: str) -> None:
    for page in PAGES:
        html = published.text(f"{version}/{page}index.html")
        links = re.findall(r'<a href="([^"]*)" hreflang="(ja|en)"', html)
        assert {lang for _, lang in links} == {"ja", "en"}, f"{version}/{page}"
        version_root = f"{urlsplit(SITE_URL).path}{version}/"
        for href, lang in links:
            target = urlsplit(urljoin(f"{SITE_URL}{version}/{page}", href)).path
            in_english = target.startswith(f"{version_root}en/")
            assert target.startswith(version_root), f"{version}/{page}: {lang} link {href}"
            assert in_english == (lang == "en"), f"{version}/{page}: {lang} link {href}"


@pytest.mark.parametrize("version", VERSIONS)
def test_pages_offer_materials_version_selector(published: Published, version: str) -> None:
    html = published.text(f"{version}/index.html")
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', html)
    assert config, "Material's page configuration is missing"
    assert json.loads(config.group(1)).get("version") == {"provider": "mike"}
    # The selector fetches versions.json one level above the version folder.
    assert (published.root / "versions.json").is_file()


@pytest.mark.parametrize(
    "case", ["fast-forward", "another-branch", "not-a-fast-forward", "another-version"]
)
def test_publish_job_pushes_only_a_fast_forward_of_gh_pages(tmp_path: Path, case: str) -> None:
    """The publish job trusts nothing in the bundle the build job (third-party code) made: for
    the release tag v2.0.1 it takes new commits on gh-pages that change 2.0/ and the aliases."""
    env = _hermetic_env()
    remote = tmp_path / f"{REPOSITORY}.git"
    work = tmp_path / "work"
    _git("init", "--quiet", "--bare", str(remote), cwd=tmp_path, env=env)
    _git("init", "--quiet", "--initial-branch=gh-pages", str(work), cwd=tmp_path, env=env)
    (work / "1.0").mkdir()
    (work / "1.0" / "index.html").write_text("published")
    _git("add", "--all", cwd=work, env=env)
    _git("commit", "--quiet", "-m", "1.0", cwd=work, env=env)
    _git("push", "--quiet", str(remote), "gh-pages", cwd=work, env=env)
    published = _git("rev-parse", "gh-pages", cwd=work, env=env).strip()
    if case == "another-branch":
        _git("checkout", "--quiet", "-b", "main", cwd=work, env=env)
    elif case == "not-a-fast-forward":
        _git("checkout", "--quiet", "--orphan", "rewritten", cwd=work, env=env)
    changed = "1.0/index.html" if case == "another-version" else "2.0/index.html"
    for name in (changed, "latest/index.html", "versions.json", "index.html"):
        (work / name).parent.mkdir(exist_ok=True)
        (work / name).write_text(f"new {name}")
    _git("add", "--all", cwd=work, env=env)
    _git("commit", "--quiet", "-m", "2.0", cwd=work, env=env)
    branch = _git("branch", "--show-current", cwd=work, env=env).strip()
    if case == "not-a-fast-forward":
        _git("branch", "--quiet", "--force", "gh-pages", "rewritten", cwd=work, env=env)
        branch = "gh-pages"
    new = _git("rev-parse", branch, cwd=work, env=env).strip()
    runner = tmp_path / "runner"
    (runner / "gh-pages-bundle").mkdir(parents=True)
    bundle = str(runner / "gh-pages-bundle" / "gh-pages.bundle")
    base = [] if case == "not-a-fast-forward" else [f"^{published}"]
    _git("bundle", "create", "--quiet", bundle, f"refs/heads/{branch}", *base, cwd=work, env=env)

    run_env = _workflow_env(env, f"file://{tmp_path}", RELEASE_TAGS[NEW])
    done = _run_workflow_step("publish", "publish", cwd=runner, env=run_env)

    heads = _git("for-each-ref", "--format=%(refname) %(objectname)", cwd=remote, env=env)
    if case == "fast-forward":
        _assert_ran(done, "publish")
        assert heads.split() == ["refs/heads/gh-pages", new]
    else:
        assert done.returncode != 0
        assert heads.split() == ["refs/heads/gh-pages", published]
