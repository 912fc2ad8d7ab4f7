"""The records to enter and the Watch button in headless Chromium: the loopback resolver's zone is
fixed while the page watches, and the page turns green. The watch's waits are shortened through
the page's test hook (a time scale), not slept through."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.doh_resolver import DohResolver
from tests.support.watch_zone import SERVER, watch_zone

pytestmark = pytest.mark.browser


# Records every Notification the page creates (the permission is granted to the context).
NOTIFICATION_RECORDER = """
window.__notified = [];
if (typeof window.Notification === "function") {
  const Original = window.Notification;
  window.Notification = class extends Original {
    constructor(title, options) {
      super(title, options);
      window.__notified.push(String(title));
    }
  };
}
"""


def text_of(checker: Any, part: str) -> str:
    return str(checker.page.locator(f'[data-checker="{part}"]').inner_text())


def test_records_to_enter_and_a_watch_that_turns_green(open_checker: Any) -> None:
    # max-age 0: the browser's HTTP cache may keep nothing past the shortened TTLs.
    resolver = DohResolver(watch_zone(fixed=False), cache_max_age=0).start()
    try:
        checker = open_checker(clipboard=True, notifications=True, watch_time_scale=0.05)
        checker.context.add_init_script(NOTIFICATION_RECORDER)
        params = [
            ("domain", "watch.example"),
            ("server", SERVER),
            ("service", "0"),
            ("resolver", resolver.url),
        ]
        checker.open("en/checker/", params)
        assert checker.wait_verdict() == "action_needed"

        # The records block: Python's words and zone lines, shown as text, copied as shown.
        assert text_of(checker, "records-title") == "Records to enter at the DNS host"
        records = text_of(checker, "records-text")
        assert "Add: mail.watch.example. 300 IN A 203.0.113.10" in records
        checker.page.click('[data-checker="copy-records"]')
        copied = checker.poll(
            lambda: checker.evaluate("() => navigator.clipboard.readText()"),
            timeout=10,
            what="the records on the clipboard",
        )
        assert copied.strip() == records.strip()

        assert text_of(checker, "watch") == "Watch until fixed"
        checker.page.click('[data-checker="watch"]')
        line = checker.poll(
            lambda: checker.evaluate(
                """() => document.querySelector('[data-checker="watch-list"] li')?.textContent"""
            ),
            timeout=20,
            what="a countdown",
        )
        assert line.startswith("mail.watch.example: re-check in ")
        assert checker.evaluate("() => document.title") == "Watching: 1 failing"

        resolver.zones = watch_zone(fixed=True)  # the reader fixed the zone at the DNS host
        checker.poll(
            lambda: checker.evaluate(
                """() => document.querySelector("[data-autossl-checker]")
                    .dataset.watch === "done" """
            ),
            timeout=30,
            what="the watch to end green",
        )
        assert checker.evaluate("() => document.title") == "All fine"
        assert checker.state()["verdict"] == "ok"
        mail = next(row for row in checker.rows() if row["name"] == "mail.watch.example")
        assert mail["ok"] == "true"
        assert text_of(checker, "watch-status") == "Every name is fine."
        assert checker.evaluate("() => window.__notified") == ["Every name is fine."]
        # Re-checks asked only the failing name (its addresses and the CAA nodes above it).
        asked = {(q.qname, q.qtype) for q in resolver.queries}
        assert ("mail.watch.example.", "A") in asked
        assert checker.console_errors == []
    finally:
        resolver.stop()
