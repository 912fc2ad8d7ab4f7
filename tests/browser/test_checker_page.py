"""The checker page in headless Chromium: ticket links, both languages, arrival by instant
navigation, the result against the native CLI, the copy buttons and the permalink."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import CheckerPage, cli_json
from tests.support.doh_resolver import DohResolver

pytestmark = pytest.mark.browser

SERVER = "203.0.113.10"
CHECKER_PATHS = {"ja": "checker/", "en": "en/checker/"}
SUBMIT_LABEL = {"ja": "確認する", "en": "Check"}
# The page's entry in the left-hand navigation (not the language menu, which also links pages).
NAV_LINK = '.md-sidebar--primary a.md-nav__link[href$="{page}/"]'


def ticket(domain: str, resolver: DohResolver) -> list[tuple[str, str]]:
    return [("domain", domain), ("server", SERVER), ("resolver", resolver.url)]


def click_link(checker: CheckerPage, href: str) -> None:
    """Put a link in the current page's article and click it, as a reader would."""
    checker.evaluate(
        """(href) => {
          const a = document.createElement("a");
          a.href = href;
          a.id = "test-link";
          a.textContent = "link";
          document.getElementById("test-link")?.remove();
          document.querySelector("article").append(a);
        }""",
        href,
    )
    checker.page.click("#test-link")


def wait_for_guide_page(checker: CheckerPage, slug: str) -> None:
    """Instant navigation changes the URL first and the content a moment later."""
    checker.poll(
        lambda: checker.evaluate(
            """(slug) => location.pathname.endsWith(`/${slug}/`)
                && !document.querySelector("[data-autossl-checker]")
                && document.readyState === "complete" """,
            slug,
        ),
        timeout=20,
        what=f"the {slug} page",
    )


def assert_rows_match_cli(rows: list[dict[str, Any]], expected: dict[str, Any]) -> None:
    seen = [(row["name"], row["ok"], row["codes"]) for row in rows]
    wanted = [
        (name["name"], "true" if name["ok"] else "false", " ".join(name["codes"]))
        for name in expected["names"]
    ]
    assert seen == wanted


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_ticket_link_gives_the_clis_verdict_codes_and_exclude_list(
    checker: CheckerPage, resolver: DohResolver, site_dir: Path, lang: str
) -> None:
    expected = cli_json("mixed.example", resolver.url, "--server", SERVER)
    checker.open(CHECKER_PATHS[lang], ticket("mixed.example", resolver))

    verdict = checker.wait_verdict()
    took = time.monotonic() - checker.started_at
    print(
        f"\n[{lang}] ticket link -> verdict {took:.2f} s "
        f"(checker ready at {checker.timing_ms('ready'):.0f} ms, "
        f"verdict at {checker.timing_ms('verdict'):.0f} ms after navigation start)"
    )

    assert verdict == expected["verdict"] == "action_needed"
    rows = checker.rows()
    assert_rows_match_cli(rows, expected)

    # Every finding links to its section of the findings page in the page's own language.
    findings_page = "findings/" if lang == "ja" else "en/findings/"
    findings_html = (site_dir / findings_page / "index.html").read_text(encoding="utf-8")
    for row in rows:
        for code in row["codes"].split():
            link = f"{checker.site_url}{findings_page}#{code}"
            assert link in row["links"], (row["name"], row["links"])
            assert f'id="{code}"' in findings_html

    assert checker.page.locator('[data-checker="submit"]').inner_text() == SUBMIT_LABEL[lang]
    assert checker.evaluate("() => document.documentElement.lang").startswith(lang)
    assert checker.console_errors == []


def test_copy_buttons_put_ticket_markdown_json_and_the_permalink_on_the_clipboard(
    open_checker: Any, resolver: DohResolver
) -> None:
    checker = open_checker(clipboard=True)
    expected = cli_json("mixed.example", resolver.url, "--server", SERVER)
    checker.open("en/checker/", ticket("mixed.example", resolver))
    checker.wait_verdict()

    def copied(button: str) -> str:
        checker.evaluate("() => navigator.clipboard.writeText('')")
        checker.page.click(f'[data-checker="{button}"]')
        return checker.poll(
            lambda: checker.evaluate("() => navigator.clipboard.readText()"),
            timeout=10,
            what=f"{button} to fill the clipboard",
        )

    result = json.loads(copied("copy-json"))
    assert result["schema"] == 1
    for key in ("domain", "server", "server_source", "provider", "resolvers", "verdict", "exclude"):
        assert result[key] == expected[key], key
    assert [(n["name"], n["ok"], n["codes"]) for n in result["names"]] == [
        (n["name"], n["ok"], n["codes"]) for n in expected["names"]
    ]

    markdown = copied("copy-ticket")
    assert "mixed.example" in markdown
    for name in expected["exclude"]:
        assert name in markdown
    # The ticket's links point at this site's English findings page.
    assert f"{checker.site_url}en/findings/#NXDOMAIN" in markdown

    link = copied("copy-link")
    assert link == checker.evaluate("() => location.href")
    query = parse_qs(urlsplit(link).query)
    assert query["domain"] == ["mixed.example"]
    assert query["server"] == [SERVER]
    assert query["resolver"] == [resolver.url]
    assert checker.page.locator('[data-checker="copy-status"]').inner_text() == "Copied."


def test_the_address_bar_follows_the_form(checker: CheckerPage) -> None:
    checker.open("en/checker/")
    checker.wait_mounted()
    page = checker.page

    def query() -> dict[str, list[str]]:
        return parse_qs(checker.evaluate("() => location.search").lstrip("?"))

    assert query() == {}
    page.fill("#autossl-checker-domain", "example.com")
    assert query() == {"domain": ["example.com"]}
    page.fill("#autossl-checker-server", "203.0.113.10\n2001:db8::10")
    assert query()["server"] == ["203.0.113.10", "2001:db8::10"]
    page.select_option("#autossl-checker-provider", "sectigo")
    assert query()["provider"] == ["sectigo"]
    page.click("summary")
    page.uncheck("#autossl-checker-service")
    page.check("#autossl-checker-reseller")
    page.fill("#autossl-checker-addon", "addon.example.net")
    page.select_option("#autossl-checker-resolver", "google")
    assert query() == {
        "domain": ["example.com"],
        "server": ["203.0.113.10", "2001:db8::10"],
        "provider": ["sectigo"],
        "service": ["0"],
        "reseller": ["1"],
        "addon": ["addon.example.net"],
        "resolver": ["google"],
    }
    # Back to the defaults: they drop out of the link again.
    page.select_option("#autossl-checker-provider", "letsencrypt")
    page.check("#autossl-checker-service")
    page.uncheck("#autossl-checker-reseller")
    page.fill("#autossl-checker-addon", "")
    page.select_option("#autossl-checker-resolver", "both")
    assert query() == {"domain": ["example.com"], "server": ["203.0.113.10", "2001:db8::10"]}

    # The language switcher offers the same check on the other language's checker page.
    switch = checker.evaluate(
        """() => [...document.querySelectorAll(".md-select__link[hreflang]")]
                  .map((a) => [a.hreflang, a.href])"""
    )
    assert [href for lang, href in switch if lang == "ja"] == [
        checker.url("checker/") + checker.evaluate("() => location.search")
    ]

    # Reloading the permalink fills the form the same way.
    page.fill("#autossl-checker-subdomain", "shop")
    permalink = checker.evaluate("() => location.href")
    page.goto(permalink)
    checker.wait_mounted()
    assert page.input_value("#autossl-checker-domain") == "example.com"
    assert page.input_value("#autossl-checker-server") == "203.0.113.10\n2001:db8::10"
    assert page.input_value("#autossl-checker-subdomain") == "shop"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_arrival_by_clicking_through_the_site_starts_the_checker_once(
    checker: CheckerPage, resolver: DohResolver, lang: str
) -> None:
    home = "" if lang == "ja" else "en/"
    checker.open(home)
    page = checker.page
    page.wait_for_load_state("load")
    # A marker that survives only if the page is never reloaded: instant navigation.
    checker.evaluate("() => { window.__sameDocument = true; }")

    page.click(NAV_LINK.format(page="checker"))
    checker.wait_ready()
    assert checker.evaluate("() => window.__sameDocument === true"), "the page was reloaded"
    assert page.url == f"{checker.site_url}{home}checker/"
    assert page.locator('[data-checker="submit"]').inner_text() == SUBMIT_LABEL[lang]

    # Away to a guide page and back: the same worker serves the new arrival.
    page.click(NAV_LINK.format(page="fix"))
    wait_for_guide_page(checker, "fix")
    page.click(NAV_LINK.format(page="checker"))
    checker.wait_ready()
    assert len(checker.checker_workers()) == 1

    # A checker link on another page of the site (the support page has such links) runs at once.
    page.click(NAV_LINK.format(page="fix"))
    wait_for_guide_page(checker, "fix")
    click_link(checker, checker.url(f"{home}checker/", ticket("mixed.example", resolver)))
    assert checker.wait_verdict() == "action_needed"
    assert checker.evaluate("() => window.__sameDocument === true"), "the page was reloaded"
    assert len(checker.rows()) == 9

    # So does one clicked on the checker page itself, where only the query changes.
    click_link(checker, checker.url(f"{home}checker/", ticket("ok.example", resolver)))
    checker.poll(lambda: checker.state()["verdict"] == "ok", what="the second verdict")
    assert checker.rows()[0]["name"] == "ok.example"
    assert checker.page.input_value("#autossl-checker-domain") == "ok.example"
    # Back: the previous check's link is shown and run again.
    page.go_back()
    checker.poll(lambda: checker.state()["verdict"] == "action_needed", what="the check again")
    assert checker.page.input_value("#autossl-checker-domain") == "mixed.example"
    assert checker.evaluate("() => window.__sameDocument === true"), "the page was reloaded"
    assert len(checker.checker_workers()) == 1
    # One mounted checker, never two sets of listeners rendering twice.
    assert checker.evaluate("() => document.querySelectorAll('[data-autossl-checker]').length") == 1
    assert checker.console_errors == []


def test_the_check_button_runs_what_the_form_says(
    checker: CheckerPage, resolver: DohResolver
) -> None:
    expected = cli_json("ok.example", resolver.url, "--server", SERVER, "--provider", "sectigo")
    # A link that only chooses the resolver: nothing runs until the reader presses Check.
    checker.open("en/checker/", [("resolver", resolver.url)])
    checker.wait_ready()
    assert checker.state()["verdict"] is None
    page = checker.page
    page.fill("#autossl-checker-domain", "ok.example")
    page.fill("#autossl-checker-server", SERVER)
    page.select_option("#autossl-checker-provider", "sectigo")
    clicked = time.monotonic()
    page.click('[data-checker="submit"]')
    assert checker.wait_verdict() == expected["verdict"] == "ok"
    print(f"\nclick -> verdict {1000 * (time.monotonic() - clicked):.0f} ms (ready checker)")
    assert_rows_match_cli(checker.rows(), expected)
    # A second check replaces the first one's rows.
    page.fill("#autossl-checker-domain", "mixed.example")
    page.select_option("#autossl-checker-provider", "letsencrypt")
    page.click('[data-checker="submit"]')
    checker.poll(lambda: checker.state()["verdict"] == "action_needed", what="the second verdict")
    assert checker.rows()[0]["name"] == "mixed.example"
    assert len(checker.rows()) == 9
