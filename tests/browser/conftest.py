"""Fixtures for the headless-Chromium tests of the built site and its in-page checker.

- `site_dir`: the built site. $SITE_DIR is used when it is a test build (its CSP lets pages reach
  the loopback resolver, AUTOSSL_CHECK_TEST_BUILD=1); otherwise the site is built once per session
  into a scratch folder with that setting.
- `site_url`: tools/serve.py's SiteServer on 127.0.0.1, serving `site_dir` like a static host.
- `resolver`: the loopback DoH resolver on tests/data/zones.json, one per session.
- `browser`: Debian's Chromium through Playwright (never `playwright install`).
- `checker`: a fresh browser context and page wrapped in `CheckerPage`, which records every
  request and fails the test if any leaves 127.0.0.1, if a dialog opens, or if the page reports a
  Content-Security-Policy violation.

Under the site's strict CSP Playwright's `wait_for_function` cannot run (it evaluates a string),
so waiting is done by polling `page.evaluate`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from tests.support.chromium import launched_chromium
from tests.support.doh_resolver import SHARED_ZONES, DohResolver

REPO = Path(__file__).resolve().parents[2]
LOOPBACK_HOSTS = {"127.0.0.1", "::1", "[::1]"}
# Schemes that never reach the network.
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-error", "chrome"}
# A generous bound for Pyodide's start plus one check on a busy two-core machine.
CHECK_TIMEOUT_S = 90.0

# Records CSP violations before any page script runs. Init scripts are injected by Playwright
# through the DevTools protocol, so the page's own CSP does not apply to them.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push({
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    sample: event.sample,
  });
});
"""

# Console errors that come from the theme and the i18n plugin rather than from this project's
# pages: Material fetches a sitemap.xml beside each language link and versions.json for mike's
# selector, both absent from a plain (non-mike) build.
KNOWN_THEME_404S = ("/sitemap.xml", "/versions.json")


def _is_test_build(site: Path) -> bool:
    headers = site / "_headers"
    return (
        (site / "checker" / "index.html").is_file()
        and (site / "pyodide" / "pyodide-lock.json").is_file()
        and headers.is_file()
        and "http://127.0.0.1:*" in headers.read_text(encoding="utf-8")
    )


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("SITE_DIR")
    if given and _is_test_build(Path(given)):
        return Path(given)
    target = tmp_path_factory.mktemp("browser-site") / "site"
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent)) or "mkdocs"
    env = {
        **os.environ,
        "AUTOSSL_CHECK_TEST_BUILD": "1",
        "NO_MKDOCS_2_WARNING": "1",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    done = subprocess.run(
        [mkdocs, "build", "--strict", "--site-dir", str(target)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return target


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    sys.path.insert(0, str(REPO))
    from tools.serve import SiteServer

    with SiteServer(site_dir) as server:
        yield server.url


@pytest.fixture(scope="session")
def resolver() -> Iterator[DohResolver]:
    with DohResolver(SHARED_ZONES) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with launched_chromium() as launched:
        yield launched


def is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname in LOOPBACK_HOSTS


@dataclass
class CheckerPage:
    """One browser context and page, with the guards every test relies on."""

    context: Any
    page: Any
    site_url: str
    requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    started_at: float = 0.0

    # --- navigation -------------------------------------------------------------------------

    def url(self, path: str, params: list[tuple[str, str]] | None = None) -> str:
        query = f"?{urlencode(params)}" if params else ""
        return f"{self.site_url}{path.lstrip('/')}{query}"

    def open(self, path: str, params: list[tuple[str, str]] | None = None) -> None:
        self.started_at = time.monotonic()
        self.page.goto(self.url(path, params), wait_until="domcontentloaded")

    # --- reading the checker ----------------------------------------------------------------

    def evaluate(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def poll(
        self, probe: Callable[[], Any], *, timeout: float = CHECK_TIMEOUT_S, what: str = ""
    ) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = probe()
            if value:
                return value
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout:.0f} s waiting for {what or probe}")
            time.sleep(0.1)

    def state(self) -> dict[str, Any]:
        return self.evaluate(
            """() => {
              const root = document.querySelector("[data-autossl-checker]");
              if (!root) return null;
              const part = (name) => root.querySelector(`[data-checker="${name}"]`);
              const verdict = part("verdict");
              const alert = part("alert");
              return {
                mounted: root.dataset.mounted === "true",
                stage: root.dataset.stage || "",
                state: root.dataset.state || "",
                failure: root.dataset.failure || "",
                verdict: verdict.getAttribute("data-verdict"),
                alert: alert.hidden ? "" : part("alert-text").textContent,
                retryVisible: !part("retry").hidden,
                progress: part("progress-text").textContent,
              };
            }"""
        )

    def wait_mounted(self, timeout: float = 30.0) -> dict[str, Any]:
        return self.poll(
            lambda: (s := self.state()) and s["mounted"] and s, timeout=timeout, what="mount"
        )

    def wait_ready(self, timeout: float = CHECK_TIMEOUT_S) -> dict[str, Any]:
        state = self.poll(
            lambda: (s := self.state()) and s["stage"] in ("ready", "failed") and s,
            timeout=timeout,
            what="the checker to load",
        )
        assert state["stage"] == "ready", f"the checker failed to load: {state}"
        return state

    def wait_verdict(self, timeout: float = CHECK_TIMEOUT_S) -> str:
        state = self.poll(
            lambda: (s := self.state()) and (s["verdict"] or s["alert"]) and s,
            timeout=timeout,
            what="a verdict",
        )
        assert state["verdict"], f"no verdict, the page says: {state['alert']!r}"
        return str(state["verdict"])

    def wait_verdict_ignoring_alerts(self, timeout: float = CHECK_TIMEOUT_S) -> str:
        state = self.poll(
            lambda: (s := self.state()) and s["verdict"] and s, timeout=timeout, what="a verdict"
        )
        return str(state["verdict"])

    def wait_alert(self, timeout: float = CHECK_TIMEOUT_S) -> dict[str, Any]:
        return self.poll(
            lambda: (s := self.state()) and s["alert"] and s, timeout=timeout, what="a message"
        )

    def rows(self) -> list[dict[str, Any]]:
        return self.evaluate(
            """() => [...document.querySelectorAll("[data-autossl-checker] tr[data-name]")].map(
                (row) => {
                  // A name's findings and notes sit in the row right after it.
                  const next = row.nextElementSibling;
                  const details = next && next.matches("[data-details-for]") ? next : null;
                  const parts = details ? [row, details] : [row];
                  return {
                    name: row.getAttribute("data-name"),
                    ok: row.getAttribute("data-ok"),
                    codes: row.getAttribute("data-codes"),
                    text: parts.map((part) => part.textContent).join(" "),
                    links: parts.flatMap((part) =>
                      [...part.querySelectorAll("a[href]")].map((a) => a.href)),
                  };
                })"""
        )

    def timing_ms(self, mark: str) -> float | None:
        """Milliseconds from navigation start to a performance mark set by checker.js."""
        return self.evaluate(
            """(name) => {
              const marks = performance.getEntriesByName(name, "mark");
              return marks.length ? marks[marks.length - 1].startTime : null;
            }""",
            f"autossl-checker:{mark}",
        )

    def csp_violations(self) -> list[dict[str, Any]]:
        return self.evaluate("() => window.__cspViolations || []")

    def checker_workers(self) -> list[str]:
        return [w.url for w in self.page.workers if "/assets/checker/worker.js" in w.url]


def _guard_route(recorder: CheckerPage) -> Callable[[Any], None]:
    def handle(route: Any) -> None:
        url = route.request.url
        if is_loopback(url):
            route.fallback()
        else:
            recorder.foreign_requests.append(url)
            route.abort("blockedbyclient")

    return handle


@pytest.fixture
def open_checker(browser: Any, site_url: str) -> Iterator[Callable[..., CheckerPage]]:
    """Make guarded pages. `load_timeout_ms` and `run_watchdog_ms` shorten the checker's own
    deadlines through its test hook (None keeps the page's defaults), `watch_time_scale` the
    watch's waits; `clipboard` and `notifications` grant those permissions;
    `ignore_https_errors` accepts the HTTP/2 front's self-signed certificate
    (tests/support/h2_front.py)."""
    made: list[CheckerPage] = []

    def make(
        *,
        load_timeout_ms: int | None = None,
        run_watchdog_ms: int | None = None,
        clipboard: bool = False,
        ignore_https_errors: bool = False,
        watch_time_scale: float | None = None,
        notifications: bool = False,
    ) -> CheckerPage:
        options: dict[str, Any] = {"ignore_https_errors": ignore_https_errors}
        permissions = ["clipboard-read", "clipboard-write"] if clipboard else []
        permissions += ["notifications"] if notifications else []
        if permissions:
            options["permissions"] = permissions
        context = browser.new_context(**options)
        page = context.new_page()
        checker = CheckerPage(context=context, page=page, site_url=site_url)
        context.add_init_script(CSP_RECORDER)
        hooks = {
            "loadTimeoutMs": load_timeout_ms,
            "runWatchdogMs": run_watchdog_ms,
            "watchTimeScale": watch_time_scale,
        }
        context.add_init_script(f"window.__autosslCheckerTest = {json.dumps(hooks)};")
        context.route("**/*", _guard_route(checker))
        context.on("request", lambda request: checker.requests.append(request.url))
        page.on("dialog", lambda dialog: (checker.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("console", lambda message: _record_console(checker, message))
        page.on("pageerror", lambda error: checker.console_errors.append(f"pageerror: {error}"))
        made.append(checker)
        return checker

    yield make
    for checker in made:
        try:
            assert not checker.foreign_requests, (
                f"requests left 127.0.0.1: {checker.foreign_requests}"
            )
            assert not checker.dialogs, f"a dialog opened: {checker.dialogs}"
        finally:
            checker.context.close()


@pytest.fixture
def checker(open_checker: Callable[..., CheckerPage]) -> CheckerPage:
    return open_checker()


def _record_console(checker: CheckerPage, message: Any) -> None:
    if message.type != "error":
        return
    location = (message.location or {}).get("url", "")
    if "status of 404" in message.text and urlsplit(location).path.endswith(KNOWN_THEME_404S):
        return
    checker.console_errors.append(f"{message.text} ({location})")


def cli_json(domain: str, resolver_url: str, *args: str) -> dict[str, Any]:
    """The native CLI's schema-1 result for the same data."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "autossl_check",
            domain,
            "--json",
            "--resolver",
            resolver_url,
            *args,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO / "checker")},
    )
    assert done.returncode in (0, 1, 3, 4), done.stderr
    return json.loads(done.stdout)
