"""A name behind Cloudflare in the page: the BEHIND_PROXY finding with its words and link, the
advice and the `check_needed` verdict sentence, all from Python, as the command line gives them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from autossl_check import texts

from tests.browser.conftest import CheckerPage, cli_json
from tests.support.doh_resolver import PROXIED_ZONES, DohResolver

pytestmark = pytest.mark.browser

SERVER = "203.0.113.10"
CHECKER_PATHS = {"ja": "checker/", "en": "en/checker/"}


@pytest.fixture(scope="module")
def proxied_resolver() -> Iterator[DohResolver]:
    with DohResolver(PROXIED_ZONES) as running:
        yield running


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_proxied_name_is_behind_proxy_and_the_verdict_is_check_needed(
    checker: CheckerPage, proxied_resolver: DohResolver, lang: str
) -> None:
    expected = cli_json("proxied.example", proxied_resolver.url, "--server", SERVER)
    assert expected["verdict"] == "check_needed"
    link = [("domain", "proxied.example"), ("server", SERVER), ("resolver", proxied_resolver.url)]
    checker.open(CHECKER_PATHS[lang], link)

    assert checker.wait_verdict() == "check_needed"
    rows = {row["name"]: row for row in checker.rows()}
    assert [(name, row["codes"]) for name, row in rows.items()] == [
        (entry["name"], " ".join(entry["codes"])) for entry in expected["names"]
    ]
    www = rows["www.proxied.example"]
    assert www["codes"] == "BEHIND_PROXY"
    assert www["ok"] == "false"
    assert texts.title("BEHIND_PROXY", lang) in www["text"]
    assert texts.explanation("BEHIND_PROXY", lang) in www["text"]
    findings_page = "findings/" if lang == "ja" else "en/findings/"
    assert f"{checker.site_url}{findings_page}#BEHIND_PROXY" in www["links"]

    page_text = checker.evaluate(
        """() => document.querySelector("[data-autossl-checker]").textContent"""
    )
    assert texts.label("verdict.check_needed", lang) in page_text
    assert texts.advice_text("check_proxy", lang) in page_text
    assert checker.console_errors == []
