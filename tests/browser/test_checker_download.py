"""The runtime's download, as a first-time reader gets it.

Each test gets a fresh Chromium profile with its own disk cache, like a reader's first visit: a
Playwright context made with new_context() keeps its cache in memory and drops entries as large as
the snapshot, and request routing (the guard of conftest.py) turns the HTTP cache off, so neither
shows what a reader's browser does when the page starts the worker. Nothing can leave the machine
all the same: the profile's host resolver answers every name but 127.0.0.1 with "not found", and
every request is recorded and checked to be loopback.

What is shown:
- over a slow line (Chromium's network emulation: 10 Mbit/s, 80 ms) the bar moves through many
  values before the checker is ready, and the words name the runtime's size (from the manifest's
  sizes) and say that later visits come from the cache; the bytes so far stay out of the live
  region but are on the bar (aria-valuetext);
- each runtime file is sent once, and the largest are not even asked for a second time: the worker,
  started from the page's head, is the only one to fetch them (a preload hint in the page would be
  a second reader of each, which a worker cannot use);
- a guide page asks for no runtime file at all.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import CHECK_TIMEOUT_S, is_loopback
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.support.doh_resolver import DohResolver
from tools.serve import SiteServer

pytestmark = pytest.mark.browser

SLOW_LINE = {
    "offline": False,
    "latency": 80,
    "downloadThroughput": 10_000_000 / 8,
    "uploadThroughput": 10_000_000 / 8,
}
ONLY_LOOPBACK_RESOLVES = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
# The largest files the worker loads on its normal start (from the snapshot), below /pyodide/.
LARGEST = ("pyodide.asm.wasm", "snapshot_stdlib.zip", "checker.snapshot.gz")
# Only a start without the snapshot reads the whole standard library.
LONG_WAY_ONLY = "python_stdlib.zip"

STATE = """() => {
  const root = document.querySelector("[data-autossl-checker]");
  if (!root || !root.querySelector('[data-checker="progress-detail"]')) return null;
  const part = (name) => root.querySelector(`[data-checker="${name}"]`);
  const bar = part("progress-bar");
  return {
    stage: root.dataset.stage || "",
    verdict: part("verdict").getAttribute("data-verdict"),
    value: bar.value,
    max: bar.max,
    valueText: bar.getAttribute("aria-valuetext") || "",
    label: bar.getAttribute("aria-labelledby"),
    text: part("progress-text").textContent,
    textLive: part("progress-text").getAttribute("aria-live"),
    detail: part("progress-detail").textContent,
    detailInLiveRegion: Boolean(part("progress-detail").closest("[aria-live]")),
  };
}"""


class Served:
    """The built site behind tools/serve.py, with the server's own log of what it sent."""

    def __init__(self, site: Path) -> None:
        self.log: list[tuple[str, int, str, int]] = []
        self._server = SiteServer(site, request_log=self.log)
        self.url = self._server.url

    def runtime_responses(self) -> list[tuple[str, int]]:
        prefix = "/pyodide/"
        return [
            (path[len(prefix) :], status)
            for path, status, _, _ in self.log
            if path.startswith(prefix)
        ]


@pytest.fixture
def served(site_dir: Path) -> Iterator[Served]:
    site = Served(site_dir)
    with site._server:
        yield site


@pytest.fixture
def fresh_profile(browser: Any, tmp_path: Path) -> Iterator[tuple[Any, list[str]]]:
    """A new persistent Chromium profile (a disk cache of its own) and every URL it requested."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, ONLY_LOOPBACK_RESOLVES],
    )
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    try:
        yield context, requested
        foreign = [url for url in requested if not is_loopback(url)]
        assert foreign == [], f"requests left 127.0.0.1: {foreign}"
    finally:
        context.close()


def manifest_of(site: Path) -> dict[str, Any]:
    page = (site / "en" / "checker" / "index.html").read_text(encoding="utf-8")
    found = re.search(r" data-runtime-manifest='([^']*)'", page)
    assert found, "the checker page carries no runtime manifest"
    return dict(json.loads(html.unescape(found.group(1))))


def poll(page: Any, until: Any, seen: list[dict[str, Any]]) -> dict[str, Any]:
    deadline = CHECK_TIMEOUT_S * 1000
    waited = 0
    while waited < deadline:
        state = page.evaluate(STATE)
        if state is not None and (not seen or state != seen[-1]):
            seen.append(state)
        if state is not None and until(state):
            return dict(state)
        page.wait_for_timeout(50)
        waited += 50
    pytest.fail(f"timed out; last state {seen[-1] if seen else None}")


def test_a_first_visit_over_a_slow_line_shows_the_download_and_fetches_each_file_once(
    fresh_profile: tuple[Any, list[str]], served: Served, site_dir: Path, resolver: DohResolver
) -> None:
    context, _ = fresh_profile
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_LINE)
    page.goto(
        f"{served.url}en/checker/?domain=mixed.example&server=203.0.113.10&resolver={resolver.url}",
        wait_until="commit",
    )
    seen: list[dict[str, Any]] = []
    poll(page, lambda s: s["verdict"] or s["stage"] == "failed", seen)
    assert seen[-1]["verdict"] == "action_needed", seen[-1]

    # The whole runtime the worker fetches on its normal start, as the build recorded it.
    manifest = manifest_of(site_dir)
    fetched = [name for name in manifest["files"] if name != LONG_WAY_ONLY]
    total_mb = f"{sum(manifest['sizes'][name] for name in fetched) / 1e6:.0f} MB"
    downloading = [s for s in seen if s["detail"]]
    values = sorted({s["value"] for s in downloading})
    assert len(values) >= 5, f"the bar hardly moved: {values}"
    assert all(0 <= v < s["max"] for s in downloading for v in [s["value"]])
    words = downloading[-1]
    assert f"({total_mb})" in words["text"]
    assert "Later visits load it from this browser's cache." in words["text"]
    # The reader's check waits for the download, and the page says so beside the size.
    assert "The check starts as soon as the checker has loaded" in words["text"]
    assert re.fullmatch(rf"\d+\.\d MB of {total_mb}(, about \d+ s left)?", words["detail"])
    assert any("s left" in s["detail"] for s in downloading), "no time left was ever shown"
    # Named by the sentence; the bytes are on the bar, outside the live region.
    assert words["label"] == "autossl-checker-progress-text"
    assert words["textLive"] == "polite"
    assert not words["detailInLiveRegion"]
    assert words["valueText"] == words["detail"]
    # Once loaded, the download's words are gone.
    assert seen[-1]["detail"] == ""

    # Every runtime file arrived once: each body was sent a single time, and the largest files
    # were not even asked for again.
    responses = served.runtime_responses()
    bodies = Counter(name for name, status in responses if status == 200)
    assert bodies == Counter(dict.fromkeys(fetched, 1)), responses
    for name in LARGEST:
        assert [status for file, status in responses if file == name] == [200], responses


def test_a_guide_page_requests_no_runtime_file(
    fresh_profile: tuple[Any, list[str]], served: Served
) -> None:
    context, requested = fresh_profile
    page = context.new_page()
    page.goto(f"{served.url}en/cause/?domain=example.com", wait_until="load")
    page.wait_for_timeout(1000)
    assert page.evaluate("() => document.querySelectorAll('link[rel=preload]').length") == 0
    assert page.evaluate("() => document.querySelectorAll('link[rel=preconnect]').length") == 0
    assert served.runtime_responses() == []
    assert not [url for url in requested if "/pyodide/" in url or "/assets/checker/" in url]
