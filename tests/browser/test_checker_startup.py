"""How the worker starts. Python comes from the build's memory snapshot
(site/pyodide/checker.snapshot.gz); when the snapshot is missing it starts the long way, and the
reader gets the same check. A snapshot whose bytes differ from the page's runtime manifest is
refused like any other changed runtime file (test_checker_integrity.py), never restored.
Without a ticket link's check waiting, one check against made-up answers runs before the page
says it is ready, and it asks no resolver anything.
"""

from __future__ import annotations

import gzip
from typing import Any

import pytest

from tests.browser.conftest import CheckerPage, cli_json
from tests.browser.test_checker_page import assert_rows_match_cli
from tests.support.doh_resolver import DohResolver

pytestmark = pytest.mark.browser

SERVER = "203.0.113.10"
SNAPSHOT_ROUTE = "**/pyodide/checker.snapshot.gz"
LOAD_TIMEOUT_MS = 90000


def snapshot_state(checker: CheckerPage) -> str:
    return str(
        checker.evaluate(
            "() => document.querySelector('[data-autossl-checker]').dataset.snapshot || ''"
        )
    )


def open_ticket_link(checker: CheckerPage, resolver: DohResolver) -> None:
    checker.open(
        "en/checker/",
        [("domain", "mixed.example"), ("server", SERVER), ("resolver", resolver.url)],
    )


def rows_match_the_cli(checker: CheckerPage, resolver: DohResolver) -> None:
    assert_rows_match_cli(
        checker.rows(), cli_json("mixed.example", resolver.url, "--server", SERVER)
    )


def test_the_checker_starts_from_the_snapshot_and_fetches_the_wheels_too(
    open_checker: Any, resolver: DohResolver
) -> None:
    checker = open_checker(load_timeout_ms=LOAD_TIMEOUT_MS)
    open_ticket_link(checker, resolver)
    assert checker.wait_verdict() == "action_needed"
    assert snapshot_state(checker) == "used"
    assert any(url.endswith("/pyodide/checker.snapshot.gz") for url in checker.requests)
    # With the snapshot's own standard library, never the whole one.
    assert any(url.endswith("/pyodide/snapshot_stdlib.zip") for url in checker.requests)
    assert not any(url.endswith("/pyodide/python_stdlib.zip") for url in checker.requests)
    # The modules come from the snapshot, but the files stay installed for later imports.
    assert sum("/pyodide/wheels/" in url for url in checker.requests) == 3
    rows_match_the_cli(checker, resolver)
    assert checker.console_errors == []


def _garbage_gzip() -> bytes:
    # A well-formed gzip of the wrong memory: what a snapshot from another Pyodide build is like.
    return gzip.compress(bytes(range(256)) * 4096)


@pytest.mark.parametrize(
    ("fault", "outcome"),
    [
        ("404", "fallback"),
        ("corrupt-gzip", "refused"),
        ("wrong-memory", "refused"),
        ("html-error-page", "refused"),
    ],
)
def test_a_missing_snapshot_costs_time_and_a_changed_one_is_refused(
    open_checker: Any, resolver: DohResolver, fault: str, outcome: str
) -> None:
    checker = open_checker(load_timeout_ms=LOAD_TIMEOUT_MS)

    def misbehave(route: Any) -> None:
        if fault == "404":
            route.fulfill(status=404, body="not here")
        elif fault == "corrupt-gzip":
            body = bytearray(route.fetch().body())
            body[len(body) // 2] ^= 0xFF
            route.fulfill(status=200, body=bytes(body), content_type="application/gzip")
        elif fault == "wrong-memory":
            route.fulfill(status=200, body=_garbage_gzip(), content_type="application/gzip")
        else:
            route.fulfill(status=200, body="<!doctype html><p>Oops", content_type="text/html")

    checker.page.route(SNAPSHOT_ROUTE, misbehave)
    open_ticket_link(checker, resolver)
    if outcome == "refused":
        state = checker.wait_alert()
        assert (state["failure"], state["verdict"]) == ("packages", None)
        assert state["retryVisible"]
        return
    assert checker.wait_verdict() == "action_needed"
    assert snapshot_state(checker) == "fallback"
    assert checker.state()["alert"] == ""
    # The long way needs the whole standard library, fetched once the snapshot has failed.
    assert any(url.endswith("/pyodide/python_stdlib.zip") for url in checker.requests)
    rows_match_the_cli(checker, resolver)


def test_a_reader_saving_data_is_not_sent_the_snapshot(
    open_checker: Any, resolver: DohResolver
) -> None:
    checker = open_checker(load_timeout_ms=LOAD_TIMEOUT_MS)
    # DevTools' "data saver" emulation: navigator.connection.saveData is true on the page.
    cdp = checker.context.new_cdp_session(checker.page)
    cdp.send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
    open_ticket_link(checker, resolver)
    assert checker.wait_verdict() == "action_needed"
    assert checker.evaluate("() => navigator.connection.saveData") is True
    assert snapshot_state(checker) == "fallback"
    assert not any("checker.snapshot" in url for url in checker.requests)
    rows_match_the_cli(checker, resolver)


def test_without_a_waiting_check_the_worker_warms_up_offline_before_ready(
    checker: CheckerPage, resolver: DohResolver
) -> None:
    resolver.clear_log()  # the resolver is shared by the whole session
    checker.open("en/checker/", [("resolver", resolver.url)])
    checker.wait_ready()
    warmed = checker.timing_ms("warmed-up")
    ready = checker.timing_ms("ready")
    assert warmed is not None
    assert ready is not None
    assert warmed <= ready
    assert (
        checker.evaluate(
            "() => performance.getEntriesByName('autossl-checker:warmed-up')[0].detail.workerMs"
        )
        > 0
    )  # -1 would mean the warm-up check failed
    assert resolver.queries == []  # made-up answers: nothing was asked of any resolver
    assert not any("dns-query?" in url for url in checker.requests)
    # The reader's own check afterwards is an ordinary one.
    checker.page.fill("#autossl-checker-domain", "mixed.example")
    checker.page.fill("#autossl-checker-server", SERVER)
    checker.page.click('[data-checker="submit"]')
    assert checker.wait_verdict() == "action_needed"
    rows_match_the_cli(checker, resolver)


def test_a_ticket_links_check_does_not_wait_for_a_warm_up(
    checker: CheckerPage, resolver: DohResolver
) -> None:
    open_ticket_link(checker, resolver)
    assert checker.wait_verdict() == "action_needed"
    assert checker.timing_ms("warmed-up") is None
