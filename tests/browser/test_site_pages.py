"""The built site's pages in headless Chromium: the Content-Security-Policy holds on every page
kind without a violation, guide pages load no Pyodide bytes, and search finds the guide pages in
both languages."""

from __future__ import annotations

import pytest

from tests.browser.conftest import CheckerPage

pytestmark = pytest.mark.browser

PAGE_KINDS = {
    "home": "",
    "guide": "fix/",
    "findings": "findings/",
    "support": "support/",
    "checker": "checker/",
}
LANG_PREFIX = {"ja": "", "en": "en/"}

# query -> the guide page that must be among the results (slug under the language root).
SEARCHES = {
    "ja": {
        "証明書": "symptoms/",
        # The page with AutoSSL in its title; the word itself is on every page.
        "AutoSSL": "autossl-log/",
        "DCV": "cause/",
        "CAA": "findings/",
        "IPv6": "cause/",
        "Defective": "symptoms/",
        "ペンディング": "symptoms/",
        "除外": "fix/",
    },
    "en": {
        "certificate": "fix/",
        "AutoSSL": "autossl-log/",
        "pending": "symptoms/",
        "DCV": "cause/",
        "CAA": "findings/",
        "IPv6": "cause/",
        "Defective": "symptoms/",
        "exclude": "fix/",
    },
}


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_page_loads_without_csp_violations_or_console_errors(
    checker: CheckerPage, kind: str, lang: str
) -> None:
    path = LANG_PREFIX[lang] + PAGE_KINDS[kind]
    checker.open(path)
    checker.page.wait_for_load_state("load")
    policy = checker.evaluate(
        """() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')
                  ?.getAttribute("content") || "" """
    )
    assert "script-src 'self' 'wasm-unsafe-eval'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    if kind == "checker":
        # The worker, Pyodide and the wheels all load under the same policy.
        checker.wait_ready()
    else:
        checker.page.wait_for_timeout(500)
        pyodide = [url for url in checker.requests if "/pyodide/" in url or url.endswith(".whl")]
        assert pyodide == [], "a page without the checker fetched Pyodide"
    assert checker.csp_violations() == []
    assert checker.console_errors == []


def search_result_links(checker: CheckerPage, query: str) -> list[str]:
    """The result links Material's search box shows for `query`, without their ?h= part."""
    page = checker.page
    box = "input.md-search__input"
    read = """() => [...document.querySelectorAll(".md-search-result__list a")]
                      .map((a) => a.href.split("?")[0])"""
    # On a desktop-sized window the search box sits in the header. Material searches on key
    # events, which Playwright's fill (and its typing of Japanese text) does not send: End does.
    page.click(box)
    page.fill(box, "")
    page.press(box, "End")
    checker.poll(lambda: not checker.evaluate(read), timeout=20, what="the results to clear")
    page.fill(box, query)
    page.press(box, "End")

    previous: list[str] = []

    def settled() -> list[str] | None:
        nonlocal previous
        links = checker.evaluate(read)
        done = links and links == previous
        previous = links
        return links if done else None

    return checker.poll(settled, timeout=60, what=f"search results for {query!r}")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_search_finds_the_guide_pages(checker: CheckerPage, lang: str) -> None:
    root = checker.url(LANG_PREFIX[lang])
    checker.open(LANG_PREFIX[lang])
    checker.page.wait_for_load_state("load")
    missing = {}
    for query, slug in SEARCHES[lang].items():
        links = search_result_links(checker, query)
        pages = set(links)
        if f"{root}{slug}" not in pages:
            missing[query] = sorted(pages)
    assert missing == {}, f"expected pages not among the results: {missing}"
    assert checker.csp_violations() == []
