"""A pasted AutoSSL log on the checker page: its exact names checked, each line explained, and a
link that checks the same names without the log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.test_accessibility import axe_violations, describe
from tests.checker.test_autossl_log import FIELD_REPORT_NAMES
from tests.support.autossl_logs import pasted_days
from tests.support.doh_resolver import DohResolver

from .conftest import CheckerPage

DATA = Path(__file__).resolve().parents[1] / "data" / "autossl"
SERVER = "203.0.113.10"
# The field report's zone: only the domain itself has an address; the other six are NXDOMAIN.
FIELD_ZONES = {"ttl": 300, "records": {"sakakitest.dev.": {"A": [SERVER]}}}
# Words of the log that are not names: none of them may leave the page in any request.
LOG_ONLY_WORDS = ("Analyzing", "DCV", "Defect")


@pytest.fixture(scope="module")
def field_resolver() -> Iterator[DohResolver]:
    with DohResolver(FIELD_ZONES) as running:
        yield running


def log_lines(checker: CheckerPage) -> list[dict[str, Any]]:
    return checker.evaluate(
        """() => [...document.querySelectorAll('[data-checker="log-lines"] li')].map((item) => ({
              kind: item.dataset.kind,
              recognised: item.dataset.recognised,
              text: item.querySelector("code").textContent,
              explanation: item.querySelector("span").textContent,
              links: [...item.querySelectorAll("a")].map((a) => a.href),
              markup: item.querySelector("code").children.length,
            }))"""
    )


def paste(checker: CheckerPage, text: str) -> None:
    """A real paste (Ctrl+V) into the log field, as a support agent does it."""
    checker.evaluate("(text) => navigator.clipboard.writeText(text)", text)
    checker.page.click('[data-checker="paste"] summary')
    checker.page.focus('[data-checker="log-input"]')
    checker.page.keyboard.press("Control+V")


def cpanel_beside(checker: CheckerPage) -> dict[str, tuple[str, str]]:
    """Each row's status cell: the public status, and cPanel's own word under it ("" if none)."""
    cells = checker.evaluate(
        """() => [...document.querySelectorAll("[data-autossl-checker] tr[data-name]")].map(
              (row) => {
                const status = row.cells[2];
                const cpanel = status.querySelector(".autossl-checker__cpanel");
                const own = status.firstChild ? status.firstChild.textContent : "";
                return [row.dataset.name, own, cpanel ? cpanel.textContent : ""];
              })"""
    )
    return {name: (status, cpanel) for name, status, cpanel in cells}


def copied_link(checker: CheckerPage) -> str:
    checker.evaluate("() => navigator.clipboard.writeText('')")
    checker.page.click('[data-checker="copy-link"]')
    return checker.poll(
        lambda: checker.evaluate("() => navigator.clipboard.readText()"),
        timeout=10,
        what="Copy link to fill the clipboard",
    )


def test_the_field_reports_log_pasted_checks_its_seven_names_and_the_link_needs_no_log(
    open_checker: Any, field_resolver: DohResolver
) -> None:
    log = (DATA / "field-report-v76.txt").read_text("utf-8")
    checker = open_checker(clipboard=True)
    checker.open("en/checker/", [("resolver", field_resolver.url), ("server", SERVER)])
    checker.wait_mounted()
    checker.wait_ready()
    paste(checker, log)
    verdict = checker.wait_verdict()

    rows = checker.rows()
    assert sorted(row["name"] for row in rows) == sorted(FIELD_REPORT_NAMES)
    assert verdict == "action_needed"
    assert {row["name"] for row in rows if row["ok"] == "true"} == {"sakakitest.dev"}
    assert all("NXDOMAIN" in row["codes"] for row in rows if row["name"] != "sakakitest.dev")
    # cPanel's own check beside the public status: "OK (via …)" on names public DNS lacks.
    beside = cpanel_beside(checker)
    assert beside["www.sakakitest.dev"] == ("needs action", "cPanel said: OK (via sakakitest.dev)")
    assert beside["mail.sakakitest.dev"] == ("needs action", "cPanel said: OK (via sakakitest.dev)")
    assert beside["sakakitest.dev"] == ("ok", "cPanel said: OK")
    # The explained log and cPanel's words under the status keep the page accessible.
    assert not (violations := axe_violations(checker)), describe(violations)

    lines = log_lines(checker)
    via = [line for line in lines if line["kind"] == "local_http_dcv_ok_via"]
    assert via, "the (via …) lines are not shown"
    first = via[0]
    assert first["text"] == "Local HTTP DCV OK: www.sakakitest.dev (via sakakitest.dev)"
    assert "predates the fix" in first["explanation"]
    assert "94.0.19" in first["explanation"]
    anchor = f"{checker.site_url}en/autossl-log/#local-http-dcv-ok-via"
    assert first["links"] == [anchor]
    assert any(line["recognised"] == "false" for line in lines)
    assert all(line["links"] == [] for line in lines if line["recognised"] == "false")
    # The log's text is never markup: the pasted line is text only in its <code>.
    assert all(line["markup"] == 0 for line in lines)

    link = copied_link(checker)
    query = parse_qs(urlsplit(link).query)
    assert query["name"] == FIELD_REPORT_NAMES
    for request in checker.requests:
        assert not any(word in request for word in LOG_ONLY_WORDS), request

    assert checker.csp_violations() == []
    # The anchor the explanation links to is a real section of the guide page.
    checker.page.goto(anchor)
    assert checker.page.locator("#local-http-dcv-ok-via").count() == 1

    fresh = open_checker()
    fresh.page.goto(link, wait_until="domcontentloaded")
    assert fresh.wait_verdict() == "action_needed"
    assert sorted(row["name"] for row in fresh.rows()) == sorted(FIELD_REPORT_NAMES)
    assert fresh.evaluate("""() => document.querySelector('[data-checker="log"]').hidden""")
    assert set(cpanel_beside(fresh).values()) <= {("ok", ""), ("needs action", "")}
    assert (
        fresh.evaluate("""() => document.querySelector('[data-checker="log-input"]').value""") == ""
    )
    assert fresh.console_errors == []


def test_a_paste_with_nothing_recognisable_says_so_in_one_japanese_sentence(
    open_checker: Any, field_resolver: DohResolver
) -> None:
    checker = open_checker(clipboard=True)
    checker.open("checker/", [("resolver", field_resolver.url), ("server", SERVER)])
    checker.wait_mounted()
    checker.wait_ready()

    paste(checker, "<b>hello</b> this is not a log")
    summary = checker.poll(
        lambda: checker.evaluate(
            """() => document.querySelector('[data-checker="log-summary"]').textContent"""
        ),
        what="the one sentence about a paste with nothing in it",
    )
    assert "AutoSSL" in summary
    assert "\n" not in summary
    assert checker.state()["state"] == ""  # nothing was checked
    markup = "() => document.querySelectorAll('[data-checker=\"log-lines\"] b').length"
    assert checker.evaluate(markup) == 0
    assert checker.console_errors == []


def test_two_megabytes_pasted_fill_the_exact_names_and_show_the_log_a_page_at_a_time(
    open_checker: Any,
) -> None:
    text, names = pasted_days(2 * 1024 * 1024)
    zones = {"ttl": 300, "records": {f"{name}.": {"A": [SERVER]} for name in names}}
    with DohResolver(zones) as resolver:
        checker = open_checker()
        checker.open("en/checker/", [("resolver", resolver.url), ("server", SERVER)])
        checker.wait_mounted()
        checker.wait_ready()
        checker.page.click('[data-checker="paste"] summary')
        checker.evaluate(
            """(text) => { document.querySelector('[data-checker="log-input"]').value = text; }""",
            text,
        )
        checker.page.click('[data-checker="read-log"]')
        filled = checker.poll(
            lambda: checker.evaluate("() => document.querySelector('#autossl-checker-name').value"),
            what="the log's names in the name field",
        )
        assert filled.split("\n") == names
        assert checker.wait_verdict() == "ok"
        assert [row["name"] for row in checker.rows()] == names

        shown = log_state(checker)
        assert shown["lines"] == 200
        assert shown["summary"].startswith(f"{shown['total']} lines read: ")
        assert f"Names to check: {len(names)}." in shown["summary"]
        assert shown["more"].startswith("Show the next 200 lines (")
        assert shown["numbers"] == sorted(set(shown["numbers"]))

        checker.page.click('[data-checker="log-more"]')
        checker.poll(lambda: log_state(checker)["lines"] == 400, what="the next 200 lines")
        both = log_state(checker)["numbers"]
        assert both[:200] == shown["numbers"]
        assert both == sorted(set(both))

        checker.page.select_option('[data-checker="log-show"]', "not_recognised")
        checker.poll(
            lambda: (state := log_state(checker))["recognised"] == ["false"] and state,
            what="the lines not recognised on their own",
        )
        lines = log_lines(checker)
        assert all(line["links"] == [] and line["explanation"] for line in lines)
        assert not (violations := axe_violations(checker)), describe(violations)
        assert all(line["markup"] == 0 for line in lines)
        assert checker.console_errors == []
        assert checker.csp_violations() == []


def log_state(checker: CheckerPage) -> dict[str, Any]:
    return checker.evaluate(
        """() => {
          const part = (name) => document.querySelector(`[data-checker="${name}"]`);
          const items = [...part("log-lines").children];
          const summary = part("log-summary").textContent;
          return {
            lines: items.length,
            numbers: items.map((item) => item.value),
            recognised: [...new Set(items.map((item) => item.dataset.recognised))],
            summary,
            total: summary.split(" ")[0],
            more: part("log-more").hidden ? "" : part("log-more").textContent,
          };
        }"""
    )
