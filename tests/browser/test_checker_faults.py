"""The checker page when things go wrong: hostile links and DNS data, refused parameters, broken
resolvers, Pyodide or a wheel failing to load, the worker failing, the browser offline."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.browser.conftest import CheckerPage, cli_json
from tests.support.doh_resolver import DohResolver

pytestmark = pytest.mark.browser

SERVER = "203.0.113.10"
HOSTILE_DOMAIN = "<img src=x onerror=alert(1)>"
# Short enough to keep the tests quick, long enough for a normal start on a busy machine
# (a failing start is always caught by the deadline, whatever its length).
SHORT_LOAD_TIMEOUT_MS = 6000
NORMAL_LOAD_TIMEOUT_MS = 90000

# Counts elements added to the page after it has loaded (which is when the checker renders), by
# tag name.
INJECTION_WATCH = """
window.__added = {};
document.addEventListener("DOMContentLoaded", () => {
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1) continue;
        for (const element of [node, ...node.querySelectorAll("*")]) {
          const tag = element.tagName.toLowerCase();
          window.__added[tag] = (window.__added[tag] || 0) + 1;
        }
      }
    }
  }).observe(document, { childList: true, subtree: true });
});
"""


def no_markup_was_injected(checker: CheckerPage) -> None:
    dangerous = checker.evaluate(
        """() => [...document.querySelectorAll(
              "[data-autossl-checker] img, [data-autossl-checker] script,"
              + " [data-autossl-checker] iframe, [data-autossl-checker] b,"
              + " [data-autossl-checker] [onerror], [data-autossl-checker] [onmouseover],"
              + " img[src='x']"
            )].map((element) => element.outerHTML)"""
    )
    assert dangerous == []
    added = checker.evaluate("() => window.__added || {}")
    assert not {"img", "script", "iframe", "b"} & set(added), added
    assert checker.dialogs == []


def set_load_timeout(checker: CheckerPage, milliseconds: int) -> None:
    checker.evaluate("(ms) => { window.__autosslCheckerTest.loadTimeoutMs = ms; }", milliseconds)


def retry_and_expect_a_verdict(checker: CheckerPage, route: str) -> None:
    checker.page.unroute(route)
    set_load_timeout(checker, NORMAL_LOAD_TIMEOUT_MS)
    checker.page.click('[data-checker="retry"]')
    assert checker.wait_verdict() == "action_needed"
    assert checker.state()["alert"] == ""


def test_a_hostile_domain_in_a_link_is_shown_as_text_and_refused(checker: CheckerPage) -> None:
    checker.context.add_init_script(INJECTION_WATCH)
    checker.open("en/checker/", [("domain", HOSTILE_DOMAIN), ("server", SERVER)])
    state = checker.wait_alert()
    assert state["verdict"] is None
    assert checker.page.input_value("#autossl-checker-domain") == HOSTILE_DOMAIN
    assert checker.rows() == []
    no_markup_was_injected(checker)


def test_hostile_dns_data_is_shown_as_text(checker: CheckerPage, resolver: DohResolver) -> None:
    expected = cli_json("hostile.example", resolver.url, "--server", SERVER)
    checker.context.add_init_script(INJECTION_WATCH)
    checker.open(
        "checker/",
        [("domain", "hostile.example"), ("server", SERVER), ("resolver", resolver.url)],
    )
    assert checker.wait_verdict() == expected["verdict"] == "action_needed"
    rows = {row["name"]: row for row in checker.rows()}
    assert [(name, row["ok"], row["codes"]) for name, row in rows.items()] == [
        (n["name"], "true" if n["ok"] else "false", " ".join(n["codes"])) for n in expected["names"]
    ]
    assert "SERVFAIL" in rows["webdisk.hostile.example"]["codes"].split()
    # The CNAME target with markup in its label is visible as those very characters.
    www_cname = next(n for n in expected["names"] if n["name"] == "www.hostile.example")["cname"]
    assert www_cname
    assert "<img" in www_cname[0]
    assert www_cname[0] in rows["www.hostile.example"]["text"]
    mail_cname = next(n for n in expected["names"] if n["name"] == "mail.hostile.example")["cname"]
    assert mail_cname[0] in rows["mail.hostile.example"]["text"]
    no_markup_was_injected(checker)


@pytest.mark.parametrize(
    ("params", "why"),
    [
        ([("domain", "ok.example"), ("resolver", "https://evil.example/dns-query")], "resolver"),
        ([("domain", "a" * 10_000)], "domain"),
        ([("domain", "ok.example"), ("server", "1" * 10_000)], "server"),
        ([("domain", "ok.example"), ("provider", "evil-ca")], "provider"),
    ],
    ids=["unknown-resolver", "long-domain", "long-server", "unknown-provider"],
)
def test_a_refused_link_says_why_and_asks_no_resolver(
    checker: CheckerPage, resolver: DohResolver, params: list[tuple[str, str]], why: str
) -> None:
    before = len(resolver.queries)
    checker.open("en/checker/", params)
    state = checker.wait_alert()
    assert state["verdict"] is None
    assert checker.page.locator('[role="alert"]').is_visible()
    assert len(state["alert"]) < 400  # one clear line, not the refused value echoed back
    assert checker.rows() == []
    assert len(resolver.queries) == before
    if why == "resolver":
        # The link's value is kept visible in the form, and nothing was sent to it.
        assert checker.page.input_value("#autossl-checker-resolver") == params[1][1]


def test_a_failing_resolver_gives_reasons_per_name_and_an_inconclusive_verdict(
    checker: CheckerPage, resolver: DohResolver
) -> None:
    failing = resolver.fault_url("http500")
    checker.open(
        "en/checker/", [("domain", "ok.example"), ("server", SERVER), ("resolver", failing)]
    )
    assert checker.wait_verdict() == "inconclusive"
    rows = checker.rows()
    assert len(rows) == 9
    for row in rows:
        assert row["ok"] == "false"
        assert row["codes"] == "LOOKUP_FAILED"
        # A reason a person can read, beyond the bare code.
        assert "500" in row["text"] or "HTTP" in row["text"], row["text"]
    assert any(link.endswith("findings/#LOOKUP_FAILED") for link in rows[0]["links"])


def test_per_name_failures_keep_the_other_rows(checker: CheckerPage, resolver: DohResolver) -> None:
    expected = cli_json("faulty.example", resolver.url, "--server", SERVER)
    checker.open(
        "en/checker/",
        [("domain", "faulty.example"), ("server", SERVER), ("resolver", resolver.url)],
    )
    assert checker.wait_verdict() == expected["verdict"] == "inconclusive"
    rows = {row["name"]: row for row in checker.rows()}
    assert rows["faulty.example"]["ok"] == "true"
    assert rows["mail.faulty.example"]["codes"] == "LOOKUP_FAILED"
    assert [(n, r["ok"], r["codes"]) for n, r in rows.items()] == [
        (n["name"], "true" if n["ok"] else "false", " ".join(n["codes"])) for n in expected["names"]
    ]


def test_offline_browser_gets_a_clear_message_and_lookup_failed_rows(
    checker: CheckerPage, resolver: DohResolver
) -> None:
    checker.open("en/checker/", [("resolver", resolver.url)])
    checker.wait_ready()
    checker.context.set_offline(True)
    checker.page.fill("#autossl-checker-domain", "ok.example")
    checker.page.click('[data-checker="submit"]')
    # The notice about being offline shows at once; the verdict follows when the lookups fail.
    assert checker.wait_verdict_ignoring_alerts() == "inconclusive"
    assert "offline" in checker.state()["alert"]
    assert {row["codes"] for row in checker.rows()} == {"LOOKUP_FAILED"}
    checker.context.set_offline(False)


@pytest.mark.parametrize(
    ("route", "fault", "failure"),
    [
        # The worker fetches and checks the wasm before Pyodide starts: a missing one is refused
        # at once (served with a wrong MIME type it still runs: test_checker_integrity.py).
        ("**/pyodide/pyodide.asm.wasm", "404", "packages"),
        # Checked against the manifest before it is imported: missing, it is refused.
        ("**/pyodide/pyodide.mjs", "404", "packages"),
        ("**/pyodide/wheels/*/autossl_check-*.whl", "tampered", "packages"),
        ("**/pyodide/wheels/*/dnspython-*.whl", "404", "packages"),
        ("**/assets/checker/worker.js", "404", "runtime"),
        # A worker takes its CSP from its own script's headers: one without 'wasm-unsafe-eval'
        # forbids compiling the runtime, and Pyodide then waits forever.
        ("**/assets/checker/worker.js", "csp", "timeout"),
    ],
    ids=[
        "wasm-404",
        "pyodide-import-404",
        "tampered-wheel",
        "wheel-404",
        "worker-404",
        "worker-csp-without-wasm",
    ],
)
def test_a_loading_failure_ends_in_a_message_and_retry_recovers(
    open_checker: Any, resolver: DohResolver, route: str, fault: str, failure: str
) -> None:
    # A wheel is judged once the runtime has booted, which must not be cut short.
    timeout_ms = SHORT_LOAD_TIMEOUT_MS if failure == "timeout" else NORMAL_LOAD_TIMEOUT_MS
    checker = open_checker(load_timeout_ms=timeout_ms)

    def misbehave(request_route: Any) -> None:
        if fault == "404":
            request_route.fulfill(status=404, body="not here")
        elif fault == "csp":
            response = request_route.fetch()
            policy = "default-src 'self'; script-src 'self'"
            request_route.fulfill(
                response=response,
                headers={**response.headers, "content-security-policy": policy},
            )
        else:
            body = bytearray(request_route.fetch().body())
            body[len(body) // 2] ^= 0xFF
            request_route.fulfill(status=200, body=bytes(body), content_type="application/zip")

    checker.page.route(route, misbehave)
    started = time.monotonic()
    checker.open(
        "en/checker/",
        [("domain", "mixed.example"), ("server", SERVER), ("resolver", resolver.url)],
    )
    state = checker.wait_alert(timeout=timeout_ms / 1000 + 30)
    waited = time.monotonic() - started
    print(f"\n{route} {fault}: message after {waited:.1f} s: {state['alert'][:120]!r}")
    assert state["failure"] == failure
    if failure == "timeout":
        # Still loading in the background (a slow connection may get there): not given up.
        assert state["stage"] not in ("ready", "failed")
    else:
        assert state["stage"] == "failed"
    assert state["retryVisible"]
    assert state["verdict"] is None
    assert checker.page.locator('[role="alert"]').is_visible()
    retry_and_expect_a_verdict(checker, route)


@pytest.mark.parametrize(
    ("breakage", "failure"),
    [
        # An exception nobody catches inside the worker: the page hears of it at once.
        ("setTimeout(() => { throw new Error('worker broke on purpose'); }, 0);", "crash"),
        # The worker silently gone: only the page's watchdog on the check can notice.
        ("self.close();", "run-timeout"),
    ],
    ids=["uncaught-error", "worker-gone"],
)
def test_the_worker_failing_gives_a_message_and_retry_recovers(
    open_checker: Any, resolver: DohResolver, breakage: str, failure: str
) -> None:
    checker = open_checker(load_timeout_ms=NORMAL_LOAD_TIMEOUT_MS, run_watchdog_ms=5000)
    checker.open("en/checker/", [("resolver", resolver.url)])
    checker.wait_ready()
    worker = next(w for w in checker.page.workers if "/assets/checker/worker.js" in w.url)
    worker.evaluate(f"() => {{ {breakage} }}")
    checker.page.fill("#autossl-checker-domain", "mixed.example")
    checker.page.fill("#autossl-checker-server", SERVER)
    checker.page.click('[data-checker="submit"]')
    state = checker.wait_alert(timeout=40)
    print(f"\nworker {failure}: {state['alert'][:120]!r}")
    assert state["retryVisible"]
    assert state["verdict"] is None
    checker.page.click('[data-checker="retry"]')
    assert checker.wait_verdict() == "action_needed"
    assert len(checker.checker_workers()) == 1


def test_a_slow_start_is_reported_and_then_carries_on_by_itself(
    open_checker: Any, resolver: DohResolver
) -> None:
    # A deadline far shorter than Pyodide's start, and a runtime that arrives late, stand for a
    # slow connection: the reader is told at the deadline, and the check still arrives without
    # pressing Retry. (The worker starts from the page's head: without the late file, Python
    # could be ready before the alert was ever looked at.)
    checker = open_checker(load_timeout_ms=300)

    def late(route: Any) -> None:
        time.sleep(2.0)
        route.fallback()

    checker.page.route("**/pyodide/pyodide.asm.wasm", late)
    checker.open(
        "en/checker/",
        [("domain", "mixed.example"), ("server", SERVER), ("resolver", resolver.url)],
    )
    state = checker.wait_alert(timeout=30)
    assert state["failure"] == "timeout"
    assert state["retryVisible"]
    assert checker.wait_verdict_ignoring_alerts() == "action_needed"
    final = checker.state()
    assert final["alert"] == ""
    assert final["failure"] == ""
    assert len(checker.checker_workers()) == 1
