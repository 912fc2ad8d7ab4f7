"""The browser cases: headless Debian Chromium driven by Playwright against 127.0.0.1 only."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from harness import DOMAIN, SERVER, BenchError

from tests.support.chromium import CHROMIUM
from tests.support.chromium import CHROMIUM_ARGS as BASE_CHROMIUM_ARGS

CHROMIUM_ARGS = [
    *BASE_CHROMIUM_ARGS,
    # Belt and braces for "only 127.0.0.1": every other host fails to resolve, so even a stray
    # request for a public name never leaves the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
LOOPBACK_HOSTS = {"127.0.0.1", "::1"}

# Installed in every page before its own scripts (CDP injection, so a strict CSP does not block
# it). It keeps its own clock readings, so the benchmark's polling interval never adds to a time.
INSTRUMENT = r"""
(() => {
  if (window.__bench) return;
  const bench = {
    longTasks: [], longTaskError: null, history: [], verdict: null, verdictAt: null,
    clickAt: null, firstRowAt: null, rows: [], readyAt: null, readyHow: null,
  };
  Object.defineProperty(window, "__bench", { value: bench });
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        bench.longTasks.push([entry.startTime, entry.duration]);
      }
    }).observe({ type: "longtask", buffered: true });
  } catch (error) {
    bench.longTaskError = String(error);
  }
  // Long animation frames name the scripts that ran in them, which long tasks do not.
  bench.frames = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        bench.frames.push({
          start: entry.startTime, duration: entry.duration, blocking: entry.blockingDuration,
          scripts: (entry.scripts || []).map((script) => ({
            source: script.sourceURL, invoker: script.invoker, duration: script.duration,
          })),
        });
      }
    }).observe({ type: "long-animation-frame", buffered: true });
  } catch (error) {
    bench.framesError = String(error);
  }
  const PENDING = new Set(["", "pending", "running", "checking", "loading", "busy"]);
  let lastValue = null;
  const look = () => {
    const now = performance.now();
    if (bench.firstRowAt === null && document.querySelector("[data-name][data-ok]")) {
      bench.firstRowAt = now;
    }
    const element = document.querySelector("[data-verdict]");
    const value = element ? element.getAttribute("data-verdict") : null;
    if (value === lastValue) return;
    lastValue = value;
    bench.history.push([value, now]);
    if (value !== null && !PENDING.has(value) && bench.verdictAt === null) {
      bench.verdict = value;
      bench.verdictAt = now;
      bench.rows = Array.from(document.querySelectorAll("[data-name]"), (row) => ({
        name: row.getAttribute("data-name"),
        ok: row.getAttribute("data-ok"),
        codes: row.getAttribute("data-codes"),
      }));
    }
  };
  new MutationObserver(look).observe(document, {
    subtree: true, childList: true, attributes: true,
    attributeFilter: ["data-verdict", "data-name", "data-ok"],
  });
  // The reader's press on Check: the capture phase sees it before the page's own handlers run.
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target || !target.closest('[data-checker="submit"], button[type="submit"]')) return;
    bench.clickAt = performance.now();
    bench.verdict = null;
    bench.verdictAt = null;
    lastValue = undefined;
  }, true);
})();
"""

STATE = """() => {
  const b = window.__bench || null;
  const section = document.querySelector("[data-autossl-checker]");
  const alert = document.querySelector('[data-checker="alert"]');
  const marks = {};
  for (const name of ["ready", "run", "verdict"]) {
    const entries = performance.getEntriesByName(`autossl-checker:${name}`, "mark");
    if (entries.length) marks[`mark:${name}`] = entries[entries.length - 1].startTime;
  }
  return { floor: window.__floor || null, marks,
    checker: section && { state: section.dataset.state || "", stage: section.dataset.stage || "",
      failure: section.dataset.failure || "",
      alert: alert && !alert.hidden ? alert.textContent.trim().slice(0, 300) : "" },
    bench: b && {
    verdict: b.verdict, verdictAt: b.verdictAt, clickAt: b.clickAt, firstRowAt: b.firstRowAt,
    rows: b.rows, history: b.history, longTasks: b.longTasks, longTaskError: b.longTaskError,
    frames: b.frames } };
}"""

# How the checker page says it is ready for a click. The front end (docs/assets/checker/) marks
# the checker section; the enabled Check button is the fallback when it does not.
READY = """() => {
  const section = document.querySelector("[data-autossl-checker]");
  const stage = section && section.dataset.stage;
  if (stage) return { how: "data-stage", value: stage };
  const button = document.querySelector('[data-checker="submit"]');
  return { how: "button", value: button && !button.disabled ? "enabled" : "disabled" };
}"""
READY_VALUES = {"ready"}


class VisitTimeout(BenchError):
    pass


@dataclass
class Visit:
    """One measured page load (or click): times in ms since navigation start, bytes on the wire."""

    kind: str
    mode: str
    url: str
    elapsed_ms: float | None = None
    verdict: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    marks: dict[str, Any] = field(default_factory=dict)
    long_tasks: list[list[float]] = field(default_factory=list)
    frames: list[dict[str, Any]] = field(default_factory=list)
    bytes_by_kind: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    from_network: int = 0  # page requests that reached the server (not from the HTTP cache)
    network_paths: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    queries: dict[str, Any] | None = None

    def blocking_ms(self, until: float | None = None) -> float:
        end = until if until is not None else self.elapsed_ms
        return sum(d for start, d in self.long_tasks if end is None or start < end)

    def total_blocking_ms(self, until: float | None = None) -> float:
        end = until if until is not None else self.elapsed_ms
        return sum(max(0.0, d - 50) for start, d in self.long_tasks if end is None or start < end)

    def blocking_by_script(self) -> dict[str, float]:
        """Script time inside long animation frames before the verdict, per script URL."""
        end = self.elapsed_ms
        totals: dict[str, float] = {}
        for frame in self.frames:
            if end is not None and frame["start"] >= end:
                continue
            for script in frame["scripts"]:
                source = urlsplit(script.get("source") or "").path
                invoker = str(script.get("invoker") or "?")
                if invoker.startswith(("http:", "https:")):
                    invoker = "evaluate"
                label = f"{Path(source).name or 'page'} {invoker}" if source else invoker
                totals[label] = totals.get(label, 0.0) + float(script.get("duration") or 0)
        return dict(sorted(totals.items(), key=lambda item: -item[1]))

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "mode": self.mode,
            "url": self.url,
            "elapsed_ms": self.elapsed_ms,
            "verdict": self.verdict,
            "rows": self.rows,
            "marks": self.marks,
            "long_tasks": self.long_tasks,
            "blocking_ms": self.blocking_ms(),
            "blocking_by_script": self.blocking_by_script(),
            "bytes": self.bytes_by_kind,
            "requests": self.requests,
            "from_network": self.from_network,
            "network_paths": self.network_paths,
            "foreign_requests": self.foreign,
            "failed_requests": self.failed,
            "errors": self.errors,
            "queries": self.queries,
        }


def classify(url: str, dns_hosts: set[str]) -> str:
    parts = urlsplit(url)
    if parts.netloc in dns_hosts:
        return "dns"
    if parts.path.endswith(".whl"):
        return "wheels"
    if "/pyodide/" in parts.path:
        return "pyodide"
    return "site"


class Browser:
    """Launches Chromium profiles: a fresh one per cold visit, one kept per warm page kind."""

    def __init__(
        self,
        playwright: Any,
        resolver: Any,
        zones: Any,
        latency_ms: float,
        dns_urls: tuple[str, ...] = (),
        front: Any = None,
    ) -> None:
        self.playwright = playwright
        self.resolver = resolver
        self.zones = zones
        self.latency_ms = latency_ms
        self.dns_hosts = {urlsplit(url).netloc for url in (resolver.url, *dns_urls)}
        self.front = front  # the HTTP/2 front, if any: its log says which protocol was used
        # Trust the front's self-signed key outright rather than ignore certificate errors:
        # Chromium keeps nothing from a connection with a certificate error in its HTTP cache,
        # which would make --dns-cache (and any cached answer) behave unlike a real resolver.
        self.args = [*CHROMIUM_ARGS, front.chromium_flag] if front is not None else CHROMIUM_ARGS
        self._scratch = Path(tempfile.mkdtemp(prefix="autossl-bench-profiles-"))
        self._warm: dict[str, Any] = {}
        self.version: str | None = None

    async def _launch(self, profile: Path) -> Any:
        context = await self.playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=self.args,
            headless=True,
        )
        await context.add_init_script(INSTRUMENT)
        if self.version is None and context.browser is not None:
            self.version = context.browser.version
        return context

    @contextlib.asynccontextmanager
    async def cold(self) -> AsyncIterator[Any]:
        profile = Path(tempfile.mkdtemp(prefix="cold-", dir=self._scratch))
        context = await self._launch(profile)
        try:
            yield context
        finally:
            await context.close()
            shutil.rmtree(profile, ignore_errors=True)

    async def warm(self, key: str) -> tuple[Any, bool]:
        """The kept profile for ``key`` and whether it was just created (so needs priming)."""
        if key in self._warm:
            return self._warm[key], False
        context = await self._launch(self._scratch / f"warm-{key}")
        self._warm[key] = context
        return context, True

    async def close(self) -> None:
        for context in self._warm.values():
            with contextlib.suppress(Exception):
                await context.close()
        self._warm.clear()
        shutil.rmtree(self._scratch, ignore_errors=True)

    # --- one visit -------------------------------------------------------------------------

    async def visit(
        self,
        context: Any,
        url: str,
        *,
        kind: str,
        mode: str,
        timeout_s: float,
        done: Callable[[dict[str, Any]], bool],
        elapsed: Callable[[dict[str, Any]], float | None],
        action: Callable[[Any, float], Any] | None = None,
        follow_up: Callable[[Any, float], Any] | None = None,
        settle_s: float = 0.3,
    ) -> Visit:
        """Open ``url`` in a new page of ``context`` and wait until ``done(state)``."""
        result = Visit(kind=kind, mode=mode, url=url)
        page = await context.new_page()
        seen: list[Any] = []
        finished: set[Any] = set()
        page.on("request", lambda request: seen.append(request))
        page.on("requestfinished", lambda request: finished.add(request))
        page.on("requestfailed", lambda request: finished.add(request))
        page.on("pageerror", lambda error: result.errors.append(str(error)[:300]))
        query_mark = len(self.resolver.queries)
        front_mark = len(self.front.requests) if self.front is not None else 0
        try:
            deadline = time.monotonic() + timeout_s
            await page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
            if action is not None:
                await action(page, deadline)
            state = await self._poll(page, done, deadline)
            result.elapsed_ms = elapsed(state)
            self._read_state(result, state)
            records = self.resolver.queries[query_mark:]
            front_records = self.front.requests[front_mark:] if self.front is not None else []
            if follow_up is not None:
                result.marks.update(await follow_up(page, deadline))
            # Let late requests (and their size bookkeeping) finish before counting bytes.
            await self._settle(seen, finished, settle_s, deadline + 5)
            origin = await page.evaluate("performance.timeOrigin")
            await self._count_requests(result, seen, finished, origin)
            if kind in ("ticket", "click"):
                from harness import analyse_queries

                names = [row["name"] for row in result.rows if row.get("name")]
                result.queries = analyse_queries(records, self.zones, names, self.latency_ms)
                if front_records:
                    result.queries["front"] = front_summary(front_records)
        finally:
            with contextlib.suppress(Exception):
                await page.close()
        return result

    async def _poll(
        self, page: Any, done: Callable[[dict[str, Any]], bool], deadline: float
    ) -> dict[str, Any]:
        while True:
            state = await page.evaluate(STATE)
            floor = state.get("floor") or {}
            if floor.get("error"):
                raise BenchError(f"the page failed: {floor['error']}")
            checker = state.get("checker") or {}
            if checker.get("state") in ("failed", "error") or checker.get("stage") == "failed":
                raise BenchError(f"the checker failed: {checker}")
            if done(state):
                return state
            if time.monotonic() > deadline:
                raise VisitTimeout(f"timed out; last state {short(state)}")
            await asyncio.sleep(0.05)

    @staticmethod
    def _read_state(result: Visit, state: dict[str, Any]) -> None:
        floor = state.get("floor") or {}
        result.marks.update({k: v for k, v in floor.items() if isinstance(v, int | float)})
        bench = state.get("bench") or {}
        result.verdict = bench.get("verdict")
        result.rows = bench.get("rows") or []
        result.long_tasks = bench.get("longTasks") or []
        result.frames = bench.get("frames") or []
        result.marks.update(state.get("marks") or {})
        for key in ("verdictAt", "clickAt", "firstRowAt"):
            if bench.get(key) is not None:
                result.marks[key] = bench[key]
        if bench.get("longTaskError"):
            result.errors.append("longtask observer: " + bench["longTaskError"])

    @staticmethod
    async def _settle(seen: list[Any], finished: set[Any], quiet_s: float, deadline: float) -> None:
        quiet_since = time.monotonic()
        count = len(seen)
        while time.monotonic() < deadline:
            if len(seen) != count:
                count, quiet_since = len(seen), time.monotonic()
            if all(request in finished for request in seen) and (
                time.monotonic() - quiet_since >= quiet_s
            ):
                return
            await asyncio.sleep(0.05)

    async def _count_requests(
        self, result: Visit, seen: list[Any], finished: set[Any], origin: float
    ) -> None:
        totals: dict[str, int] = {}
        timeline: dict[str, list[float]] = {}
        for request in seen:
            parts = urlsplit(request.url)
            if parts.scheme not in ("http", "https", "ws", "wss"):
                continue
            result.requests += 1
            if parts.hostname not in LOOPBACK_HOSTS:
                result.foreign.append(request.url)
            if request.failure:
                result.failed.append(f"{request.url} ({request.failure})")
                continue
            if request not in finished:
                continue
            sizes = await request.sizes()
            # A response from the HTTP cache reports its headers' size back as a negative body;
            # a revalidated one (304) costs its headers only.
            wire = max(0, sizes["responseBodySize"] + sizes["responseHeadersSize"])
            kind = classify(request.url, self.dns_hosts)
            if wire > 0 and kind != "dns":
                result.from_network += 1
                result.network_paths.append(parts.path)
            totals[kind] = totals.get(kind, 0) + wire
            timing = request.timing
            if timing and timing.get("startTime", -1) > 0:
                start = timing["startTime"] - origin
                end = start + timing["responseEnd"] if timing.get("responseEnd", -1) >= 0 else start
                name = kind if kind in ("dns", "wheels") else Path(parts.path).name or parts.path
                span = timeline.setdefault(name, [start, end])
                span[0], span[1] = min(span[0], start), max(span[1], end)
        result.bytes_by_kind = totals
        for name, (start, end) in timeline.items():
            result.marks[f"req:{name}:start"] = start
            result.marks[f"req:{name}:end"] = end


def front_summary(records: list[Any]) -> dict[str, Any]:
    """What the HTTP/2 front saw of one check: requests per protocol and client connections."""
    protocols: dict[str, int] = {}
    for record in records:
        protocols[record.http] = protocols.get(record.http, 0) + 1
    return {"protocols": protocols, "connections": len({r.connection for r in records})}


def short(state: dict[str, Any]) -> str:
    bench = state.get("bench") or {}
    return str({"floor": state.get("floor"), "history": bench.get("history")})[:300]


# --- the cases -------------------------------------------------------------------------------


def floor_done(state: dict[str, Any]) -> bool:
    return bool((state.get("floor") or {}).get("ready_ms"))


def floor_elapsed(state: dict[str, Any]) -> float | None:
    return (state.get("floor") or {}).get("ready_ms")


def verdict_done(state: dict[str, Any]) -> bool:
    return (state.get("bench") or {}).get("verdictAt") is not None


def verdict_elapsed(state: dict[str, Any]) -> float | None:
    return (state.get("bench") or {}).get("verdictAt")


def click_elapsed(state: dict[str, Any]) -> float | None:
    bench = state.get("bench") or {}
    if bench.get("verdictAt") is None or bench.get("clickAt") is None:
        return None
    return float(bench["verdictAt"]) - float(bench["clickAt"])


def ticket_url(site_url: str, resolver_url: str) -> str:
    return (
        f"{site_url}/checker/?domain={DOMAIN}&server={SERVER}"
        f"&resolver={quote(resolver_url, safe='')}"
    )


class ClickDriver:
    """Fills the checker form the way a reader does, once the page says it is ready."""

    def __init__(self, resolver_url: str) -> None:
        self.resolver_url = resolver_url
        self.ready_how: str | None = None
        self.ready_ms: float | None = None

    async def __call__(self, page: Any, deadline: float) -> None:
        while True:
            ready = await page.evaluate(READY)
            if ready["value"] == "failed":
                raise BenchError("the checker failed to load before the click")
            if ready["value"] in READY_VALUES or (
                ready["how"] == "button"
                and ready["value"] == "enabled"
                and await self._booted(page)
            ):
                self.ready_how = ready["how"]
                self.ready_ms = await page.evaluate("performance.now()")
                break
            if time.monotonic() > deadline:
                raise VisitTimeout(f"the checker never became ready ({ready})")
            await asyncio.sleep(0.05)
        await page.fill("#autossl-checker-domain", DOMAIN)
        await page.fill("#autossl-checker-server", SERVER)
        await self._choose_resolver(page)
        await page.click('[data-checker="submit"]')

    async def second_click(self, page: Any, deadline: float) -> dict[str, Any]:
        """Press Check again on the same page: Python is warm, so this is DNS plus rendering."""
        await page.click('[data-checker="submit"]')
        while time.monotonic() < deadline:
            state = await page.evaluate(STATE)
            ms = click_elapsed(state)
            if ms is not None:
                return {"second_click_ms": ms}
            await asyncio.sleep(0.05)
        return {}

    @staticmethod
    async def _booted(page: Any) -> bool:
        # With only the button to go by, also wait for the progress bar to reach its end.
        return bool(
            await page.evaluate(
                """() => { const bar = document.querySelector('[data-checker="progress-bar"]');
                           return !bar || bar.value >= bar.max; }"""
            )
        )

    async def _choose_resolver(self, page: Any) -> None:
        """Point the form at the loopback resolver.

        The page opened with ``?resolver=<loopback>`` keeps that choice in the form; if the select
        lost it, the option is added back so the click never reaches a public resolver.
        """
        await page.evaluate(
            """(url) => {
              const select = document.querySelector("#autossl-checker-resolver");
              if (!select || select.value === url) return;
              let option = Array.from(select.options).find((o) => o.value === url);
              if (!option) { option = new Option(url, url); select.add(option); }
              select.value = url;
              select.dispatchEvent(new Event("change", { bubbles: true }));
            }""",
            self.resolver_url,
        )


def click_page_url(site_url: str, resolver_url: str) -> str:
    """The checker page with no check to run: only the loopback resolver is chosen."""
    return f"{site_url}/checker/?resolver={quote(resolver_url, safe='')}"


async def wait_for_load(page: Any, deadline: float) -> None:
    await page.wait_for_load_state("load", timeout=max(1.0, deadline - time.monotonic()) * 1000)
