"""Fixtures for the built-site tests.

- `built_site`: the site under test: $SITE_DIR when it is set and holds a built site (as
  `make pytest` does after `make site`), otherwise one strict test build per session in a scratch
  folder (`strict_build`), made with AUTOSSL_CHECK_TEST_BUILD=1.
- `build_site(target, repo=...)`: runs that build and returns the finished process, so a test can
  also watch a build fail. `test_build=False` makes a release build instead (as published: the
  checker takes only the resolvers it lists, tests/browser/test_release_site.py).
- `site_pages`: every HTML page of `built_site`, parsed with html.parser (independently of the
  regular expressions the build hooks use), keyed by URL path ("/", "/en/fix/", "/404.html").
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT_S = 600


def run_mkdocs_build(
    target: Path, repo: Path = REPO, *, test_build: bool = True
) -> subprocess.CompletedProcess[str]:
    venv_bin = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}",
        "NO_MKDOCS_2_WARNING": "1",
        "AUTOSSL_CHECK_TEST_BUILD": "1",
    }
    if not test_build:
        del env["AUTOSSL_CHECK_TEST_BUILD"]
    env.pop("SITE_URL", None)
    return subprocess.run(
        [str(venv_bin / "mkdocs"), "build", "--strict", "--site-dir", str(target)],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )


@pytest.fixture(scope="session")
def build_site() -> Callable[..., subprocess.CompletedProcess[str]]:
    return run_mkdocs_build


def build_site_or_fail(target: Path, *, test_build: bool = True) -> Path:
    """Build this working tree into target; fail the test that asked if the build fails."""
    done = run_mkdocs_build(target, test_build=test_build)
    if done.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    return target


@pytest.fixture(scope="session")
def strict_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh strict build of this working tree."""
    return build_site_or_fail(tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="session")
def built_site(request: pytest.FixtureRequest) -> Path:
    given = os.environ.get("SITE_DIR")
    if given and (Path(given) / "index.html").is_file():
        return Path(given)
    site: Path = request.getfixturevalue("strict_build")
    return site


# Attributes that make a browser fetch or navigate, per tag.
URL_ATTRIBUTES = {
    "a": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src",),
    "source": ("src",),
    "iframe": ("src",),
    "form": ("action",),
}


@dataclass
class Reference:
    tag: str
    attribute: str
    value: str
    rel: str


@dataclass
class InlineScript:
    type: str
    text: str


@dataclass
class SitePage:
    file: Path
    url_path: str
    lang: str = ""
    ids: set[str] = field(default_factory=set)
    references: list[Reference] = field(default_factory=list)
    inline_scripts: list[InlineScript] = field(default_factory=list)
    # Content-Security-Policy <meta> contents, and how many <script> elements came before each.
    csp_metas: list[tuple[str, int]] = field(default_factory=list)
    referrer_metas: list[str] = field(default_factory=list)
    script_count: int = 0


class _PageParser(HTMLParser):
    def __init__(self, page: SitePage) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self._script: InlineScript | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.page.lang = values.get("lang", "")
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.page.ids.add(values[name])
        for attribute in URL_ATTRIBUTES.get(tag, ()):
            if attribute in values:
                rel = values.get("rel", "")
                self.page.references.append(Reference(tag, attribute, values[attribute], rel))
        if tag == "meta" and values.get("http-equiv", "").lower() == "content-security-policy":
            self.page.csp_metas.append((values.get("content", ""), self.page.script_count))
        if tag == "meta" and values.get("name", "").lower() == "referrer":
            self.page.referrer_metas.append(values.get("content", ""))
        if tag == "script":
            self.page.script_count += 1
            if "src" not in values:
                self._script = InlineScript(values.get("type", ""), "")

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.page.inline_scripts.append(self._script)
            self._script = None


def parse_page(site: Path, file: Path) -> SitePage:
    relative = file.relative_to(site).as_posix()
    url_path = "/" + (
        relative.removesuffix("index.html") if relative.endswith("index.html") else relative
    )
    page = SitePage(file=file, url_path=url_path)
    _PageParser(page).feed(file.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="session")
def site_pages(built_site: Path) -> dict[str, SitePage]:
    pages = (parse_page(built_site, file) for file in sorted(built_site.rglob("*.html")))
    return {page.url_path: page for page in pages}
