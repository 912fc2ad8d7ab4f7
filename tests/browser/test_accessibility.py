"""Accessibility of every built page in both languages, checked with axe-core in Chromium, and the
checker's results table on a 360 px wide screen.

axe-core comes from node_modules (npm devDependency, pinned in package-lock.json) and is evaluated
in the page through the DevTools protocol, so the site's Content-Security-Policy stays as built
and nothing is fetched from elsewhere. Serious and critical violations fail the test.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import REPO, CheckerPage
from tests.support.doh_resolver import DohResolver

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = {"serious", "critical"}
SERVER = "203.0.113.10"
CHECKER_PATHS = {"ja": "checker/", "en": "en/checker/"}
PHONE = {"width": 360, "height": 740}


def article_pages(site: Path) -> list[str]:
    """URL paths of the guide's pages in both languages (redirect stubs and assets left out)."""
    paths = []
    for page in sorted(site.rglob("index.html")):
        relative = page.relative_to(site).as_posix()
        if relative.startswith(("assets/", "pyodide/")):
            continue
        if "<article" in page.read_text(encoding="utf-8"):
            paths.append(relative.removesuffix("index.html"))
    return paths


def axe_violations(checker: CheckerPage) -> list[dict[str, Any]]:
    if not checker.evaluate("() => typeof window.axe === 'object'"):
        checker.evaluate(AXE.read_text(encoding="utf-8"))
    result = checker.page.evaluate(
        """async () => {
          const outcome = await axe.run(document, { resultTypes: ["violations"] });
          return outcome.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            targets: v.nodes.slice(0, 5).map((node) => node.target.join(" ")),
          }));
        }"""
    )
    return [violation for violation in result if violation["impact"] in FAILING_IMPACTS]


def describe(violations: list[dict[str, Any]]) -> str:
    return json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.fixture(scope="module")
def pages(site_dir: Path) -> list[str]:
    found = article_pages(site_dir)
    assert len([p for p in found if p.startswith("en/")]) >= 12, found
    assert len([p for p in found if not p.startswith("en/")]) >= 12, found
    return found


def test_axe_is_installed_and_pinned() -> None:
    assert AXE.is_file(), "run `make node` (npm ci) first"
    package = json.loads((REPO / "package.json").read_text(encoding="utf-8"))
    version = package["devDependencies"]["axe-core"]
    assert version[0].isdigit(), f"axe-core must be pinned exactly, not {version!r}"
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/axe-core"]["version"] == version


def test_axe_reports_a_serious_violation(checker: CheckerPage) -> None:
    """The check can fail: an image without alternative text is a critical violation."""
    checker.open("")
    checker.page.wait_for_load_state("load")
    checker.evaluate(
        """() => {
          const img = document.createElement("img");
          img.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
          document.querySelector("article").append(img);
        }"""
    )
    assert "image-alt" in {violation["id"] for violation in axe_violations(checker)}


def test_every_page_has_no_serious_or_critical_violation(
    open_checker: Callable[..., CheckerPage], pages: list[str]
) -> None:
    checker = open_checker()
    failures = {}
    for path in pages:
        checker.open(path)
        checker.page.wait_for_load_state("load")
        violations = axe_violations(checker)
        if violations:
            failures[path or "/"] = violations
    by_rule: dict[str, list[str]] = {}
    for page, violations in failures.items():
        for violation in violations:
            by_rule.setdefault(f"{violation['id']} ({violation['impact']})", []).append(page)
    assert not failures, describe(by_rule) + "\n" + describe(failures)


# Pages with code, links in text and the checker's form: the dark scheme's colours are separate.
DARK_SAMPLE = ["", "cli/", "fix/", "checker/", "en/", "en/cli/", "en/fix/", "en/checker/"]


def test_dark_scheme_has_no_serious_or_critical_violation(
    open_checker: Callable[..., CheckerPage],
) -> None:
    checker = open_checker()
    checker.page.emulate_media(color_scheme="dark")
    failures = {}
    for path in DARK_SAMPLE:
        checker.open(path)
        checker.page.wait_for_load_state("load")
        scheme = checker.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
        assert scheme == "slate", f"{path}: the dark scheme did not apply ({scheme})"
        violations = axe_violations(checker)
        if violations:
            failures[path or "/"] = violations
    assert not failures, describe(failures)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_checker_results_have_no_serious_or_critical_violation(
    checker: CheckerPage, resolver: DohResolver, lang: str
) -> None:
    checker.open(
        CHECKER_PATHS[lang],
        [("domain", "mixed.example"), ("server", SERVER), ("resolver", resolver.url)],
    )
    assert checker.wait_verdict() == "action_needed"
    violations = axe_violations(checker)
    assert not violations, describe(violations)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_results_fit_a_360px_screen_with_the_status_first(
    open_checker: Callable[..., CheckerPage], resolver: DohResolver, lang: str
) -> None:
    checker = open_checker()
    checker.page.set_viewport_size(PHONE)
    checker.open(
        CHECKER_PATHS[lang],
        [("domain", "mixed.example"), ("server", SERVER), ("resolver", resolver.url)],
    )
    assert checker.wait_verdict() == "action_needed"
    layout = checker.evaluate(
        """() => {
          const wrap = document.querySelector(".autossl-checker__table-wrap");
          const rows = [...document.querySelectorAll("[data-autossl-checker] tr[data-name]")];
          return {
            page: document.documentElement.scrollWidth,
            viewport: window.innerWidth,
            wrapScroll: wrap.scrollWidth,
            wrapClient: wrap.clientWidth,
            rows: rows.map((row) => {
              const box = (cell) => cell.getBoundingClientRect();
              const cells = [...row.cells].filter((cell) => box(cell).width > 0);
              const status = row.querySelector(".autossl-checker__status");
              const s = box(status);
              const first = cells
                .slice()
                .sort((a, b) => box(a).top - box(b).top || box(a).left - box(b).left)[0];
              return {
                name: row.getAttribute("data-name"),
                statusText: status.textContent.trim(),
                statusVisible: s.width > 0 && s.height > 0 && s.left >= 0
                  && s.right <= window.innerWidth,
                statusFirst: first === status,
                right: Math.max(...cells.map((cell) => box(cell).right)),
              };
            }),
          };
        }"""
    )
    assert layout["viewport"] == PHONE["width"]
    assert layout["page"] <= PHONE["width"], f"the page scrolls sideways: {layout['page']} px"
    assert layout["wrapScroll"] <= layout["wrapClient"], (
        f"the table scrolls sideways: {layout['wrapScroll']} > {layout['wrapClient']} px"
    )
    assert layout["rows"], "no result rows"
    for row in layout["rows"]:
        assert row["statusText"], row
        assert row["statusVisible"], f"status of {row['name']} is off screen: {row}"
        assert row["statusFirst"], f"status of {row['name']} is not the first thing shown: {row}"
        assert row["right"] <= PHONE["width"], f"{row['name']} runs past the screen: {row}"
