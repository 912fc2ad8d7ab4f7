"""The records to enter and the Watch button in headless Chromium: the loopback resolver's zone is
fixed while the page watches, and the page turns green. The watch's waits are shortened through
the page's test hook (a time scale), not slept through.

The desktop notification: the page may ask for the permission only on the reader's click on Watch,
and notifies (with Python's words) only when it was granted. The permission is set per test through
the DevTools protocol (granted, denied, or left to ask), and an init script wraps the real
Notification to record what the page asks and creates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from autossl_check.texts import after_fix_text
from autossl_check.watch_report import page_status, page_title

from tests.support.doh_resolver import DohResolver
from tests.support.watch_zone import SERVER, watch_zone

pytestmark = pytest.mark.browser


# Wraps the real Notification: records each one created (title, body) and each permission request
# (with whether a click's user activation was live then); both still reach the browser.
NOTIFICATION_SPY = """
window.__notified = [];
window.__asked = [];
if (typeof window.Notification === "function") {
  const Real = window.Notification;
  const realRequest = Real.requestPermission.bind(Real);
  class Recorded extends Real {
    constructor(title, options) {
      super(title, options);
      window.__notified.push({ title: String(title), body: String((options || {}).body || "") });
    }
  }
  Object.defineProperty(Recorded, "permission", { get: () => Real.permission });
  Recorded.requestPermission = (...args) => {
    const activation = navigator.userActivation;
    const active = activation ? activation.isActive : null;
    window.__asked.push({ permission: Real.permission, active });
    return realRequest(...args);
  };
  window.Notification = Recorded;
}
"""

WATCHED = "mail.watch.example"


def text_of(checker: Any, part: str) -> str:
    return str(checker.page.locator(f'[data-checker="{part}"]').inner_text())


@pytest.fixture
def watch_resolver() -> Iterator[DohResolver]:
    """The loopback resolver with mail.watch.example still missing; max-age 0: the browser's
    HTTP cache may keep nothing past the shortened TTLs."""
    resolver = DohResolver(watch_zone(fixed=False), cache_max_age=0).start()
    try:
        yield resolver
    finally:
        resolver.stop()


def set_notifications(checker: Any, setting: str) -> None:
    """The site's notification permission in this page's browser context, as a reader leaves it:
    "granted", "denied" or "prompt" (not answered yet), through the DevTools protocol."""
    session = checker.context.new_cdp_session(checker.page)
    context_id = session.send("Target.getTargetInfo")["targetInfo"]["browserContextId"]
    parts = urlsplit(checker.site_url)
    where = {"origin": f"{parts.scheme}://{parts.netloc}", "browserContextId": context_id}
    # setPermission changes this one permission (grantPermissions would reset the clipboard's).
    permission = {"permission": {"name": "notifications"}, "setting": setting}
    session.send("Browser.setPermission", {**permission, **where})
    # Left attached: Chromium drops a session's permission overrides (the context's clipboard
    # grant too) when it detaches. The context's close ends it.


def open_failing_check(
    open_checker: Callable[..., Any], resolver: DohResolver, lang: str, *, notifications: str
) -> Any:
    checker = open_checker(clipboard=True, watch_time_scale=0.05)
    checker.context.add_init_script(NOTIFICATION_SPY)
    set_notifications(checker, notifications)
    params = [
        ("domain", "watch.example"),
        ("server", SERVER),
        ("service", "0"),
        ("resolver", resolver.url),
    ]
    checker.open("en/checker/" if lang == "en" else "checker/", params)
    assert checker.wait_verdict() == "action_needed"
    seen = checker.evaluate("() => Notification.permission")
    assert seen == {"prompt": "default"}.get(notifications, notifications)
    return checker


def start_watch(checker: Any, lang: str) -> str:
    """Click Watch; the first countdown line once it shows."""
    assert text_of(checker, "watch") == after_fix_text("watch_button", lang)
    checker.page.click('[data-checker="watch"]')
    line = checker.poll(
        lambda: checker.evaluate(
            """() => document.querySelector('[data-checker="watch-list"] li')?.textContent"""
        ),
        timeout=20,
        what="a countdown",
    )
    assert checker.evaluate("() => document.title") == page_title(1, lang)
    return str(line)


def fix_and_wait_green(checker: Any, resolver: DohResolver) -> None:
    resolver.zones = watch_zone(fixed=True)  # the reader fixed the zone at the DNS host
    checker.poll(
        lambda: checker.evaluate(
            """() => document.querySelector("[data-autossl-checker]").dataset.watch === "done" """
        ),
        timeout=30,
        what="the watch to end green",
    )


def python_done(lang: str) -> dict[str, Any]:
    """What Python's watch_report says once every name is fine."""
    return page_status("done", None, 0.0, 0, lang)


def test_records_to_enter_and_a_watch_that_turns_green(
    open_checker: Callable[..., Any], watch_resolver: DohResolver
) -> None:
    resolver = watch_resolver
    checker = open_failing_check(open_checker, resolver, "en", notifications="granted")

    # The records block: Python's words and zone lines, shown as text, copied as shown.
    assert text_of(checker, "records-title") == after_fix_text("records_title", "en")
    records = text_of(checker, "records-text")
    assert f"Add: {WATCHED}. 300 IN A {SERVER}" in records
    checker.page.click('[data-checker="copy-records"]')
    copied = checker.poll(
        lambda: checker.evaluate("() => navigator.clipboard.readText()"),
        timeout=10,
        what="the records on the clipboard",
    )
    assert copied.strip() == records.strip()

    line = start_watch(checker, "en")
    assert line.startswith(f"{WATCHED}: re-check in ")
    fix_and_wait_green(checker, resolver)
    done = python_done("en")
    assert checker.evaluate("() => document.title") == done["title"]
    assert checker.state()["verdict"] == "ok"
    mail = next(row for row in checker.rows() if row["name"] == WATCHED)
    assert mail["ok"] == "true"
    assert text_of(checker, "watch-status") == done["notify"]
    # Re-checks asked only the failing name (its addresses and the CAA nodes above it).
    asked = {(q.qname, q.qtype) for q in resolver.queries}
    assert (f"{WATCHED}.", "A") in asked
    assert checker.console_errors == []


def test_granted_notification_says_pythons_words_once(
    open_checker: Callable[..., Any], watch_resolver: DohResolver
) -> None:
    checker = open_failing_check(open_checker, watch_resolver, "ja", notifications="granted")
    start_watch(checker, "ja")
    assert checker.evaluate("() => window.__notified") == []  # nothing while a name fails
    fix_and_wait_green(checker, watch_resolver)
    done = python_done("ja")
    notified = checker.poll(
        lambda: checker.evaluate("() => window.__notified"), timeout=5, what="a notification"
    )
    assert notified == [{"title": done["notify"], "body": done["title"]}]
    assert done["notify"] == after_fix_text("watch_all_fine", "ja")
    assert checker.evaluate("() => document.title") == page_title(0, "ja")
    # Already granted: nothing to ask.
    assert checker.evaluate("() => window.__asked") == []
    assert checker.console_errors == []


def test_permission_is_asked_on_the_watch_click_only(
    open_checker: Callable[..., Any], watch_resolver: DohResolver
) -> None:
    checker = open_failing_check(open_checker, watch_resolver, "en", notifications="prompt")
    # Loaded, checked, the records shown: nobody asked.
    assert checker.evaluate("() => window.__asked") == []
    start_watch(checker, "en")
    asked = checker.evaluate("() => window.__asked")
    assert asked == [{"permission": "default", "active": True}]  # in the click's activation
    fix_and_wait_green(checker, watch_resolver)
    # Headless Chromium dismisses the prompt (the permission stays "default"): unanswered, so no
    # notification; the tab title says the state all the same.
    assert checker.evaluate("() => Notification.permission") != "granted"
    assert checker.evaluate("() => window.__notified") == []
    assert checker.evaluate("() => document.title") == python_done("en")["title"]
    assert len(checker.evaluate("() => window.__asked")) == 1


def test_denied_means_no_notification_and_the_watch_still_ends_green(
    open_checker: Callable[..., Any], watch_resolver: DohResolver
) -> None:
    checker = open_failing_check(open_checker, watch_resolver, "en", notifications="denied")
    start_watch(checker, "en")
    fix_and_wait_green(checker, watch_resolver)
    done = python_done("en")
    assert checker.evaluate("() => document.title") == done["title"]
    assert text_of(checker, "watch-status") == done["notify"]
    assert checker.state()["verdict"] == "ok"
    assert checker.evaluate("() => window.__notified") == []
    assert checker.evaluate("() => window.__asked") == []  # a refusal is never asked again
    assert checker.console_errors == []
