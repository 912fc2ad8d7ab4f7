"""The checker shown in another site's frame: a ticket link is not run until the reader clicks.

GitHub Pages sends no frame-ancestors header, so any site can frame the checker. The pages here
are served without the site's Content-Security-Policy header (the <meta> policy, which cannot
carry frame-ancestors, stays), as GitHub Pages serves them.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.browser.conftest import CHECK_TIMEOUT_S, CheckerPage
from tests.support.doh_resolver import DohResolver

pytestmark = pytest.mark.browser

SERVER = "203.0.113.10"
FRAMED_TEXT = "This page is shown inside another site"

FRAME_STATE = """() => {
  const root = document.querySelector("[data-autossl-checker]");
  if (!root) return null;
  const part = (name) => root.querySelector(`[data-checker="${name}"]`);
  return {
    mounted: root.dataset.mounted === "true",
    stage: root.dataset.stage || "",
    verdict: part("verdict").getAttribute("data-verdict"),
    alert: part("alert").hidden ? "" : part("alert-text").textContent,
    domain: root.querySelector("[name=domain]").value,
  };
}"""


class _FramingPage(BaseHTTPRequestHandler):
    """Answers every GET with a page that frames `target`."""

    target = ""

    def do_GET(self) -> None:
        body = (
            "<!doctype html><title>another site</title>"
            f'<iframe src="{html.escape(self.target)}" width="900" height="700"></iframe>'
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def other_origin() -> Iterator[Any]:
    """A second loopback origin (another port): `serve(url)` returns a page framing `url`."""
    handler = type("FramingPage", (_FramingPage,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def serve(target: str) -> str:
        handler.target = target
        return f"http://127.0.0.1:{server.server_address[1]}/framing.html"

    yield serve
    server.shutdown()
    server.server_close()


def without_header_policy(route: Any) -> None:
    """The page as GitHub Pages serves it: no Content-Security-Policy header."""
    response = route.fetch()
    dropped = {"content-security-policy", "content-encoding", "content-length"}
    headers = {k: v for k, v in response.headers.items() if k.lower() not in dropped}
    route.fulfill(status=response.status, headers=headers, body=response.body())


def checker_frame(checker: CheckerPage) -> Any:
    def found() -> Any:
        iframe = checker.page.query_selector("iframe")
        frame = iframe.content_frame() if iframe else None
        if frame and "/en/checker/" in frame.url:
            state = frame.evaluate(FRAME_STATE)
            if state and state["mounted"]:
                return frame
        return None

    return checker.poll(found, timeout=30, what="the framed checker")


def frame_state(frame: Any) -> dict[str, Any]:
    return dict(frame.evaluate(FRAME_STATE))


def test_framed_by_another_origin_a_link_waits_for_a_click(
    checker: CheckerPage, resolver: DohResolver, other_origin: Any
) -> None:
    checker.context.route("**/en/checker/*", without_header_policy)
    link = checker.url(
        "en/checker/", [("domain", "ok.example"), ("server", SERVER), ("resolver", resolver.url)]
    )
    resolver.clear_log()
    checker.page.goto(other_origin(link), wait_until="domcontentloaded")
    frame = checker_frame(checker)
    # Loaded and idle: had the link been run, the check would have started as the runtime did.
    checker.poll(
        lambda: frame_state(frame)["stage"] in ("ready", "failed"), what="the framed checker"
    )
    state = frame_state(frame)
    assert state["stage"] == "ready"
    assert state["domain"] == "ok.example"
    assert state["verdict"] is None
    assert FRAMED_TEXT in state["alert"]
    assert resolver.count() == 0

    frame.click('[data-checker="submit"]')
    checker.poll(lambda: frame_state(frame)["verdict"], timeout=CHECK_TIMEOUT_S, what="a verdict")
    assert frame_state(frame)["verdict"] == "ok"
    assert frame_state(frame)["alert"] == ""
    assert resolver.count() > 0


def test_framed_by_the_same_origin_a_link_runs_by_itself(
    checker: CheckerPage, resolver: DohResolver
) -> None:
    link = checker.url(
        "en/checker/", [("domain", "ok.example"), ("server", SERVER), ("resolver", resolver.url)]
    )
    framing = checker.url("framing-test.html")
    checker.context.route(
        framing,
        lambda route: route.fulfill(
            content_type="text/html",
            body=f'<!doctype html><iframe src="{html.escape(link)}"></iframe>',
        ),
    )
    checker.context.route("**/en/checker/*", without_header_policy)
    checker.page.goto(framing, wait_until="domcontentloaded")
    frame = checker_frame(checker)
    checker.poll(lambda: frame_state(frame)["verdict"], timeout=CHECK_TIMEOUT_S, what="a verdict")
    assert frame_state(frame)["verdict"] == "ok"
    assert FRAMED_TEXT not in frame_state(frame)["alert"]
