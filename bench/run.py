"""The autossl-check speed benchmark: `make bench`, or `.venv/bin/python bench/run.py --site site`.

It serves the built site and a throw-away floor page on 127.0.0.1, starts the loopback DoH resolver
with an injected latency, drives headless Debian Chromium and the CLI, prints a table of medians
and min–max, and writes every measurement to bench/results/<timestamp>.json. bench/README.md
explains each case and how to read the table.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness import (
    BENCH_DIR,
    COMPILED_STDLIB,
    HTTP2,
    HTTP11,
    REPO,
    BenchError,
    Budget,
    DohRoutes,
    floor_directory,
    h2_front,
    resolver_class,
    serve_directory,
    site_server_class,
    widen_listen_backlogs,
)

BROWSER_CASES = ("floor", "ticket", "click", "blocking", "bytes", "queries")
DEFAULT_CASES = (*BROWSER_CASES, "cli")
ANALYSIS_CASES = ("variants", "imports", "site-variants")
NATIVE_CASES = ("logparse", "wholeserver")  # need no site and no browser
CHECKER_CASES = {"ticket", "blocking", "bytes", "queries"}
GUIDE_PAGES = ("/cause/", "/en/names/")
# Variants of the floor that split the checker's start-up into its steps (``--cases variants``).
VARIANTS = {
    "floor, compiled stdlib": "floor.html?stdlib=pyc",
    "worker": "worker.html",
    "worker+packages+imports": "worker.html?packages=1&import=1",
    "worker+packages+imports, compiled stdlib": "worker.html?packages=1&import=1&stdlib=pyc",
    "preload hints+worker+packages+imports": "worker-preload.html?packages=1&import=1",
}
# How the page reaches the resolver: the HTTP/2 front, with HTTP/1.1 rows beside it ("both").
DNS_OVER = ("both", "h2", "h1")
# --compression: the content codings the site's server offers, best first.
CODINGS = {"gzip": ("gzip",), "br": ("br", "gzip")}
BUDGET_S = 570  # the whole run stays under ten minutes at the defaults
MAX_FAILURES = 2  # consecutive failed visits before a case gives up


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark the checker page against a bare Pyodide boot, and the CLI "
        "(127.0.0.1 only)."
    )
    parser.add_argument("--site", type=Path, default=REPO / "site", help="built site (make site)")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per case and mode")
    parser.add_argument("--latency-ms", type=float, default=50, help="resolver delay per request")
    parser.add_argument(
        "--cases",
        default=",".join(DEFAULT_CASES),
        help=f"comma list of {', '.join(DEFAULT_CASES + ANALYSIS_CASES + NATIVE_CASES)}, "
        "or 'all' "
        f"(default: {','.join(DEFAULT_CASES)})",
    )
    parser.add_argument("--out", type=Path, help="JSON file (default bench/results/<time>.json)")
    parser.add_argument("--visit-timeout", type=float, default=60, help="seconds per page visit")
    parser.add_argument("--budget", type=float, default=BUDGET_S, help="seconds for the whole run")
    parser.add_argument(
        "--keep-backlog",
        action="store_true",
        help="leave the servers' listen backlog at its default (5), which stalls bursts of "
        "connections for a second",
    )
    parser.add_argument(
        "--dns-over",
        choices=DNS_OVER,
        default="both",
        help="how the page reaches the resolver: 'h2' through the HTTP/2 (TLS) front, as public "
        "resolvers are reached; 'h1' over the resolver's own HTTP/1.1; 'both' (default): h2, "
        "plus HTTP/1.1 rows for the ticket link and the click",
    )
    parser.add_argument(
        "--compression",
        choices=tuple(CODINGS),
        default="gzip",
        help="what the site's server compresses with: 'gzip' (default), as a static host such as "
        "GitHub Pages does; 'br' also sends the build's brotli copies, as `make serve` does",
    )
    parser.add_argument(
        "--dns-cache",
        action="store_true",
        help="let the resolver send Cache-Control max-age=TTL (default: max-age=0, so every "
        "check asks the resolver and warm runs measure real lookups)",
    )
    parser.add_argument(
        "--log-mb", type=float, default=50, help="size of the generated log (logparse case)"
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=200,
        help="queries per second per resolver of the wholeserver case (the CLI's --rate)",
    )
    options = parser.parse_args(argv)
    every = DEFAULT_CASES + ANALYSIS_CASES + NATIVE_CASES
    wanted = every if options.cases == "all" else options.cases.split(",")
    options.cases = [case.strip() for case in wanted if case.strip()]
    unknown = set(options.cases) - set(every)
    if unknown:
        parser.error(f"unknown case(s): {', '.join(sorted(unknown))}")
    if options.runs < 1:
        parser.error("--runs must be at least 1")
    if options.log_mb <= 0:
        parser.error("--log-mb must be positive")
    return options


class CaseLog:
    """Collects visits per case and mode, counts failures and tells a case when to stop."""

    def __init__(self) -> None:
        self.results: dict[str, Any] = {
            "floor": {},
            "ticket": {},
            "click": {},
            "ticket_h1": {},  # the HTTP/1.1 comparison rows (--dns-over both)
            "click_h1": {},
            "guide": {},
            "variants": {},
        }
        self.errors: list[str] = []
        self._failures: dict[str, int] = {}

    def gave_up(self, key: str) -> bool:
        return self._failures.get(key, 0) >= MAX_FAILURES

    async def record(
        self, key: str, into: list[dict[str, Any]], measure: Callable[[], Any], budget: Budget
    ) -> None:
        if self.gave_up(key):
            return
        if budget.exhausted(reserve=20):
            self.errors.append(f"{key}: skipped, the time budget is spent")
            self._failures[key] = MAX_FAILURES
            return
        try:
            visit = await measure()
        except Exception as error:  # a Playwright error or a BenchError: this visit is lost
            if not isinstance(error, BenchError):
                first_line = (str(error).strip().splitlines() or [""])[0]
                error = BenchError(f"{type(error).__name__}: {first_line[:300]}")
            self._failures[key] = self._failures.get(key, 0) + 1
            self.errors.append(f"{key}: {error}")
            print(f"  {key}: FAILED {error}", file=sys.stderr)
            return
        self._failures[key] = 0
        into.append(visit.as_dict())
        elapsed = visit.elapsed_ms
        shown = f"{elapsed:,.0f} ms" if elapsed is not None else "done"
        print(f"  {key}: {shown}", file=sys.stderr)


async def run_browser(
    options: argparse.Namespace,
    site_url: str,
    floor_url: str,
    resolver: Any,
    routes: DohRoutes,
    budget: Budget,
    log: CaseLog,
    site: Path,
    compiled_stdlib: Path | None,
) -> dict[str, Any]:
    import browser_cases as bc
    from playwright.async_api import async_playwright

    cases = set(options.cases)
    timeout = options.visit_timeout
    results = log.results
    async with async_playwright() as playwright:
        browser = bc.Browser(
            playwright,
            resolver,
            resolver.zones,
            options.latency_ms,
            dns_urls=routes.urls,
            front=routes.front,
        )

        async def measure(
            mode: str, key: str, url: str, kind: str, done: Any, elapsed: Any, **extra: Any
        ) -> Any:
            async def visit(context: Any, visit_mode: str) -> Any:
                return await browser.visit(
                    context,
                    url,
                    kind=kind,
                    mode=visit_mode,
                    timeout_s=timeout,
                    done=done,
                    elapsed=elapsed,
                    **extra,
                )

            if mode == "cold":
                async with browser.cold() as context:
                    return await visit(context, mode)
            context, fresh = await browser.warm(key)
            if fresh:  # the first visit fills the cache and is not measured
                await visit(context, "prime")
            return await visit(context, mode)

        ticket = bc.ticket_url(site_url, routes.main)

        async def click_visit(key: str, base_url: str, doh_url: str = routes.main) -> Any:
            driver = bc.ClickDriver(doh_url)
            context, fresh = await browser.warm(key)
            if fresh:
                await browser.visit(
                    context,
                    bc.ticket_url(base_url, doh_url),
                    kind="ticket",
                    mode="prime",
                    timeout_s=timeout,
                    done=bc.verdict_done,
                    elapsed=bc.verdict_elapsed,
                )
            visit = await browser.visit(
                context,
                bc.click_page_url(base_url, doh_url),
                kind="click",
                mode="warm",
                timeout_s=timeout,
                done=bc.verdict_done,
                elapsed=bc.click_elapsed,
                action=driver,
                follow_up=driver.second_click,
            )
            visit.marks["ready_ms"] = driver.ready_ms
            visit.marks["ready_how"] = driver.ready_how
            return visit

        try:
            # Floor and checker alternate run by run, so background load hits both alike.
            for run in range(options.runs):
                print(f"browser run {run + 1}/{options.runs}", file=sys.stderr)
                for mode in ("cold", "warm"):
                    if "floor" in cases:
                        await log.record(
                            f"floor {mode}",
                            results["floor"].setdefault(mode, []),
                            lambda mode=mode: measure(
                                mode,
                                "floor",
                                f"{floor_url}/floor.html",
                                "floor",
                                bc.floor_done,
                                bc.floor_elapsed,
                            ),
                            budget,
                        )
                    if cases & CHECKER_CASES:
                        await log.record(
                            f"ticket {mode}",
                            results["ticket"].setdefault(mode, []),
                            lambda mode=mode: measure(
                                mode,
                                "checker",
                                ticket,
                                "ticket",
                                bc.verdict_done,
                                bc.verdict_elapsed,
                            ),
                            budget,
                        )
                    if routes.http11 and cases & {"ticket", "queries"}:
                        await log.record(
                            f"ticket {mode} (HTTP/1.1)",
                            results["ticket_h1"].setdefault(mode, []),
                            lambda mode=mode, url=routes.http11: measure(
                                mode,
                                "checker",
                                bc.ticket_url(site_url, url),
                                "ticket",
                                bc.verdict_done,
                                bc.verdict_elapsed,
                            ),
                            budget,
                        )

            if "click" in cases:
                print("click → verdict", file=sys.stderr)
                for _ in range(options.runs):
                    await log.record(
                        "click",
                        results["click"].setdefault("ready", []),
                        lambda: click_visit("checker", site_url),
                        budget,
                    )
                    if routes.http11:
                        await log.record(
                            "click (HTTP/1.1)",
                            results["click_h1"].setdefault("ready", []),
                            lambda url=routes.http11: click_visit("checker", site_url, url),
                            budget,
                        )

            if "bytes" in cases:
                print("guide pages", file=sys.stderr)
                for _ in range(options.runs):
                    for mode in ("cold", "warm"):
                        for path in GUIDE_PAGES:
                            await log.record(
                                f"guide {path} {mode}",
                                results["guide"].setdefault(mode, []),
                                lambda mode=mode, path=path: measure(
                                    mode,
                                    "guide",
                                    f"{site_url}{path}",
                                    "guide",
                                    lambda state: True,
                                    lambda state: None,
                                    action=bc.wait_for_load,
                                    settle_s=0.5,
                                ),
                                budget,
                            )

            if "variants" in cases:
                print("floor variants", file=sys.stderr)
                for _ in range(options.runs):
                    for mode in ("cold", "warm"):
                        for name, page in VARIANTS.items():
                            await log.record(
                                f"variant {name} {mode}",
                                results["variants"].setdefault(name, {}).setdefault(mode, []),
                                lambda mode=mode, name=name, page=page: measure(
                                    mode,
                                    f"variant-{name}",
                                    f"{floor_url}/{page}",
                                    "floor",
                                    bc.floor_done,
                                    bc.floor_elapsed,
                                ),
                                budget,
                            )
            if "site-variants" in cases:
                await run_site_variants(
                    options, site, compiled_stdlib, measure, click_visit, routes, budget, log
                )
        finally:
            await browser.close()
        results["chromium"] = browser.version
    return results


async def run_site_variants(
    options: argparse.Namespace,
    site: Path,
    compiled_stdlib: Path | None,
    measure: Any,
    click_visit: Any,
    routes: DohRoutes,
    budget: Budget,
    log: CaseLog,
) -> None:
    """Ticket link and click on patched copies of the site, interleaved run by run."""
    import browser_cases as bc
    from site_variants import VARIANTS as SITE_VARIANTS
    from site_variants import patched_site

    print("site variants", file=sys.stderr)
    results = log.results.setdefault("site_variants", {})
    with contextlib.ExitStack() as stack:
        served = {}
        for name in SITE_VARIANTS:
            try:
                root = stack.enter_context(patched_site(site, name, compiled_stdlib))
            except BenchError as error:
                log.errors.append(f"site variant {name}: {error}")
                continue
            served[name] = stack.enter_context(serve_directory(root, CODINGS[options.compression]))
        for _ in range(options.runs):
            for name, base_url in served.items():
                by_mode = results.setdefault(name, {})
                for mode in ("cold", "warm"):
                    await log.record(
                        f"site variant {name} {mode}",
                        by_mode.setdefault(mode, []),
                        lambda mode=mode, name=name, base_url=base_url: measure(
                            mode,
                            f"site-{name}",
                            bc.ticket_url(base_url, routes.main),
                            "ticket",
                            bc.verdict_done,
                            bc.verdict_elapsed,
                        ),
                        budget,
                    )
                await log.record(
                    f"site variant {name} click",
                    by_mode.setdefault("click", []),
                    lambda name=name, base_url=base_url: click_visit(f"site-{name}", base_url),
                    budget,
                )


def loopback_blocked(site: Path, schemes: tuple[str, ...] = ("http",)) -> str | None:
    """Why the checker in ``site`` cannot reach a loopback resolver, or None when it can."""
    page = (site / "checker" / "index.html").read_text(encoding="utf-8", errors="replace")
    for line in page.split("connect-src")[1:]:
        allowed = line.split(";", 1)[0]
        missing = [s for s in schemes if f"{s}://127.0.0.1" not in allowed]
        if missing:
            return (
                f"the Content-Security-Policy (connect-src) of {site} blocks "
                f"{' and '.join(f'{s}://127.0.0.1' for s in missing)}: it was built for release "
                "or before test builds allowed https://127.0.0.1 (the HTTP/2 front). Build it "
                "with AUTOSSL_CHECK_TEST_BUILD=1 make site, or measure with --dns-over h1."
            )
    return None


def run_node_imports(site: Path, compiled_stdlib: Path | None, doh_url: str) -> dict[str, Any]:
    import subprocess

    script = BENCH_DIR / "pyodide_imports.mjs"
    extra = ["--doh", doh_url]
    if compiled_stdlib:
        extra += ["--write", str(compiled_stdlib)]
    done = subprocess.run(
        ["node", str(script), str(site / "pyodide"), *extra],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"pyodide_imports.mjs failed: {(done.stderr or done.stdout)[-400:]}")
    return json.loads(done.stdout)


def run_native_only(options: argparse.Namespace) -> int:
    """Cases that need neither the site nor a browser (`--cases logparse`)."""
    import table
    from log_cases import run_logparse_cases

    started_at = datetime.datetime.now(datetime.UTC)
    load_at_start = os.getloadavg()
    errors: list[str] = []
    from wholeserver_cases import run_wholeserver_case

    logparse: dict[str, Any] | None = None
    wholeserver: dict[str, Any] | None = None
    if "logparse" in options.cases:
        try:
            print(f"AutoSSL log parse, {options.log_mb:g} MB", file=sys.stderr)
            logparse = run_logparse_cases(options.runs, options.log_mb)
        except BenchError as error:
            errors.append(f"logparse: {error}")
    if "wholeserver" in options.cases:
        try:
            print(f"whole server, --rate {options.rate:g}", file=sys.stderr)
            wholeserver = run_wholeserver_case(options.rate, options.latency_ms)
        except BenchError as error:
            errors.append(f"wholeserver: {error}")
    rows = table.logparse_rows(logparse) if logparse else []
    rows += table.wholeserver_rows(wholeserver) if wholeserver else []
    load_at_end = os.getloadavg()
    print(
        f"\nautossl-check benchmark — {options.runs} runs, {os.cpu_count()} CPUs, "
        f"1-minute load average {load_at_start[0]:.1f} at the start, "
        f"{load_at_end[0]:.1f} at the end"
    )
    print(table.render(rows))
    for error in errors:
        print(f"  {error}")
    document = {
        "schema": "autossl-bench/1",
        "started_at": started_at.isoformat(),
        "command": [Path(sys.executable).name, *sys.argv],
        "options": {"runs": options.runs, "cases": options.cases, "log_mb": options.log_mb},
        "environment": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_start": load_at_start,
            "load_average_end": load_at_end,
        },
        "rows": [row.as_dict() for row in rows],
        "errors": errors,
        "raw": {"logparse": logparse, "wholeserver": wholeserver},
    }
    write_document(options, started_at, document)
    return 1 if errors else 0


def write_document(
    options: argparse.Namespace, started_at: datetime.datetime, document: dict[str, Any]
) -> None:
    out = options.out or BENCH_DIR / "results" / f"{started_at:%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    print(f"\nwrote {out}")


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    budget = Budget(options.budget)
    site = options.site.resolve()
    native_only = set(options.cases) <= set(NATIVE_CASES)
    if native_only:
        return run_native_only(options)
    if not (site / "checker" / "index.html").is_file():
        print(f"error: {site} is not a built site with /checker/ (run make site)", file=sys.stderr)
        return 2
    blocked = loopback_blocked(site, ("http",) if options.dns_over == "h1" else ("http", "https"))
    if blocked:
        print(f"error: {blocked}", file=sys.stderr)
        return 2
    import table

    started_at = datetime.datetime.now(datetime.UTC)
    load_at_start = os.getloadavg()
    log = CaseLog()
    cli: dict[str, Any] | None = None
    node_imports: dict[str, Any] | None = None
    resolver_cache = None if options.dns_cache else 0
    notes: list[str] = []
    try:
        resolver_type = resolver_class()
        site_server_class()
        if not options.keep_backlog:
            notes += widen_listen_backlogs()
        with contextlib.ExitStack() as stack:
            resolver = stack.enter_context(
                resolver_type(latency_ms=options.latency_ms, cache_max_age=resolver_cache)
            )
            wants_browser = bool(set(options.cases) & {*BROWSER_CASES, "variants", "site-variants"})
            floor_root = stack.enter_context(floor_directory(site)) if wants_browser else None
            if {"imports", "variants", "site-variants"} & set(options.cases):
                # Also writes the precompiled standard library the "variants" pages boot from.
                print("Pyodide under Node (imports, precompiled stdlib)", file=sys.stderr)
                target = floor_root / "pyodide" / COMPILED_STDLIB if floor_root else None
                try:
                    node_imports = run_node_imports(site, target, resolver.url)
                except BenchError as error:
                    log.errors.append(f"imports: {error}")
            if wants_browser and floor_root is not None:
                codings = CODINGS[options.compression]
                site_url = stack.enter_context(serve_directory(site, codings))
                floor_url = stack.enter_context(serve_directory(floor_root, codings))
                if options.dns_over == "h1":
                    routes = DohRoutes(resolver.url, HTTP11)
                else:
                    front = stack.enter_context(h2_front(resolver.url))
                    http11 = resolver.url if options.dns_over == "both" else None
                    routes = DohRoutes(front.url, HTTP2, http11, front)
                print(
                    f"site {site_url}  floor {floor_url}  resolver {resolver.url}"
                    + (f"  HTTP/2 front {routes.main}" if routes.front else ""),
                    file=sys.stderr,
                )
                compiled = floor_root / "pyodide" / COMPILED_STDLIB
                asyncio.run(
                    run_browser(
                        options, site_url, floor_url, resolver, routes, budget, log, site, compiled
                    )
                )
            if "cli" in options.cases:
                print("CLI", file=sys.stderr)
                from cli_cases import run_cli_cases

                try:
                    cli = run_cli_cases(resolver, resolver.zones, options.runs, options.latency_ms)
                except BenchError as error:
                    log.errors.append(f"cli: {error}")
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    results = log.results
    protocol = HTTP11 if options.dns_over == "h1" else HTTP2
    rows = table.browser_rows(results, options.latency_ms, protocol) if results else []
    if cli:
        rows += table.cli_rows(cli)
    rows += table.variant_rows(results)
    rows += table.site_variant_rows(results)
    elapsed_s = time.monotonic() - budget.started
    print()
    print(
        f"autossl-check benchmark — {options.runs} runs, resolver latency "
        f"{options.latency_ms:g} ms, {os.cpu_count()} CPUs, Chromium {results.get('chromium')}, "
        f"site compressed with {options.compression}, {elapsed_s:.0f} s"
    )
    load_at_end = os.getloadavg()
    busiest = max(load_at_start[0], load_at_end[0])
    if busiest > (os.cpu_count() or 1):
        print(
            f"warning: the machine was busy (1-minute load average {load_at_start[0]:.1f} at the "
            f"start, {load_at_end[0]:.1f} at the end, {os.cpu_count()} CPUs): times are inflated"
        )
    print(table.render(rows))
    timeline = table.timeline_rows(results)
    if timeline:
        print("\nWhere the ticket-link time goes (median ms since navigation):")
        for mode, label, value in timeline:
            print(f"  {mode:5} {label:36} {value:>10}")
    targets = table.target_lines(rows, results)
    if targets:
        print("\nIssue 16 targets (medians of this run):")
        for line in targets:
            print(f"  {line}")
    if cli and cli.get("import_profile"):
        print("\nHeaviest imports during one CLI check (python -X importtime, cumulative):")
        for entry in cli["import_profile"]:
            print(f"  {entry['cumulative_us'] / 1000:8.1f} ms  {entry['module']}")
    if node_imports:
        print("\nPyodide under Node (ms):")
        for key, value in node_imports.get("summary", {}).items():
            print(f"  {key:48} {value:>8}")
    if notes:
        print("\nNotes:")
        for note in notes:
            print(f"  {note}")
    if log.errors:
        print("\nProblems:")
        for error in log.errors:
            print(f"  {error}")

    document = {
        "schema": "autossl-bench/1",
        "started_at": started_at.isoformat(),
        "seconds": round(elapsed_s, 1),
        "command": [Path(sys.executable).name, *sys.argv],
        "options": {
            "runs": options.runs,
            "latency_ms": options.latency_ms,
            "site": str(site),
            "cases": options.cases,
            "dns_cache": options.dns_cache,
            "dns_over": options.dns_over,
            "compression": options.compression,
            "keep_backlog": options.keep_backlog,
        },
        "notes": notes,
        "environment": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "chromium": results.get("chromium"),
            "load_average_start": load_at_start,
            "load_average_end": load_at_end,
        },
        "rows": [row.as_dict() for row in rows],
        "errors": log.errors,
        "raw": {"browser": results, "cli": cli, "node_imports": node_imports},
    }
    write_document(options, started_at, document)
    return 1 if log.errors else 0


if __name__ == "__main__":
    sys.exit(main())
