"""Pieces every benchmark case shares: statistics, the time budget, the servers, query analysis."""

from __future__ import annotations

import contextlib
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
PAGES_DIR = BENCH_DIR / "pages"
COMPILED_STDLIB = "python_stdlib_pyc.zip"  # written into the floor's copy by pyodide_imports.mjs

# tests/ is a package and tools/ a namespace package; both import from the repository root.
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# The scenario every case uses: tests/data/zones.json puts all nine default names of ok.example
# on this address, and its CAA allows Let's Encrypt, so each check ends with verdict "ok".
DOMAIN = "ok.example"
SERVER = "203.0.113.10"
EXPECTED_VERDICT = "ok"
EXPECTED_NAMES = 9


class BenchError(RuntimeError):
    """Something the benchmark cannot measure around: a missing piece or a wrong answer."""


@dataclass(frozen=True)
class Spread:
    median: float
    low: float
    high: float
    count: int

    def as_dict(self) -> dict[str, float]:
        return {"median": self.median, "min": self.low, "max": self.high, "n": self.count}


def spread(values: Iterable[float]) -> Spread | None:
    numbers = [float(value) for value in values]
    if not numbers:
        return None
    return Spread(statistics.median(numbers), min(numbers), max(numbers), len(numbers))


class Budget:
    """A wall-clock allowance for the whole run; cases stop early instead of running over."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = time.monotonic()

    def left(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

    def exhausted(self, reserve: float = 0.0) -> bool:
        return self.left() <= reserve


# --- servers ---------------------------------------------------------------------------------


def site_server_class() -> Any:
    try:
        from tools.serve import SiteServer
    except ImportError as error:
        raise BenchError(f"tools/serve.py with SiteServer is needed ({error})") from error
    return SiteServer


def resolver_class() -> Any:
    try:
        from tests.support.doh_resolver import DohResolver
    except ImportError as error:
        raise BenchError(f"tests/support/doh_resolver.py is needed ({error})") from error
    return DohResolver


@contextlib.contextmanager
def h2_front(resolver_url: str) -> Iterator[Any]:
    """The resolver behind tests/support/h2_front.py: HTTP/2 over TLS, as public resolvers are."""
    try:
        from tests.support.h2_front import H2Front, H2FrontError
    except ImportError as error:
        raise BenchError(f"tests/support/h2_front.py is needed ({error})") from error
    try:
        front = H2Front(resolver_url).start()
    except H2FrontError as error:
        raise BenchError(f"the HTTP/2 front did not start: {error}") from error
    try:
        yield front
    finally:
        front.stop()


HTTP2, HTTP11 = "HTTP/2", "HTTP/1.1"


@dataclass(frozen=True)
class DohRoutes:
    """Where the page sends its DNS queries.

    ``main`` feeds the main rows (the HTTP/2 front unless ``--dns-over h1``); ``http11``, when
    set, is the resolver's own HTTP/1.1 address for the comparison rows beside them.
    """

    main: str
    protocol: str  # HTTP2 or HTTP11: how ``main`` is reached
    http11: str | None = None
    front: Any = None  # the running H2Front, whose request log shows the protocol Chromium used

    @property
    def urls(self) -> tuple[str, ...]:
        return (self.main, self.http11) if self.http11 else (self.main,)


LISTEN_BACKLOG = 128
SERVER_CLASSES = (("tools.serve", "_Server"), ("tests.support.doh_resolver", "_Server"))


def widen_listen_backlogs() -> list[str]:
    """Give both loopback servers a listen backlog real servers have; say what was changed.

    socketserver's default backlog is 5. When a client opens more connections at once (the CLI
    opens up to 16, Chromium 6 per host), the kernel drops the extra SYNs and the client only
    retries one second later: about one CLI run in three stalled for ~0.9 s that way here.
    That is the test servers' limit, not the checker's, so the benchmark lifts it.
    """
    import importlib

    notes = []
    for module_name, class_name in SERVER_CLASSES:
        server_class = getattr(importlib.import_module(module_name), class_name, None)
        current = getattr(server_class, "request_queue_size", LISTEN_BACKLOG)
        if server_class is not None and current < LISTEN_BACKLOG:
            server_class.request_queue_size = LISTEN_BACKLOG
            notes.append(
                f"{module_name}.{class_name}: listen backlog raised from {current} to "
                f"{LISTEN_BACKLOG} for this run (--keep-backlog measures it as it is)"
            )
    return notes


@contextlib.contextmanager
def serve_directory(root: Path, codings: tuple[str, ...] = ("gzip",)) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 with the project's static server; yield its base URL.

    ``codings``: the content codings the server offers, best first. The default, gzip alone, is
    what the benchmark assumes of a static host (GitHub Pages compresses with gzip); ("br",
    "gzip") also sends the build's brotli copies, as tools/serve.py does for `make serve`."""
    server = site_server_class()(root, port=0, codings=codings)
    with server as running:
        active = running if running is not None else server
        yield str(active.url).rstrip("/")


@contextlib.contextmanager
def floor_directory(site: Path) -> Iterator[Path]:
    """A throw-away web root: the floor pages beside a copy of the site's Pyodide runtime.

    A copy rather than a symlink, so a static server that refuses to follow links still works;
    the floor stays out of site/ and out of the repository.
    """
    pyodide = site / "pyodide"
    if not (pyodide / "pyodide.asm.wasm").is_file():
        raise BenchError(f"{pyodide} has no Pyodide runtime: build the site first (make site)")
    with tempfile.TemporaryDirectory(prefix="autossl-bench-floor-") as scratch:
        root = Path(scratch)
        shutil.copytree(PAGES_DIR, root, dirs_exist_ok=True)
        shutil.copytree(pyodide, root / "pyodide")
        write_floor_headers(site / "_headers", root / "_headers")
        yield root


def write_floor_headers(site_headers: Path, floor_headers: Path) -> None:
    """Give the floor the site's caching rules (so warm runs compare alike) but not its CSP."""
    if not site_headers.is_file():
        return
    kept = [
        line
        for line in site_headers.read_text(encoding="utf-8").splitlines()
        if not line[:1].isspace() or line.strip().lower().startswith("cache-control:")
    ]
    # The precompiled standard library of the "variants" case is cached like the original.
    kept += [f"/pyodide/{COMPILED_STDLIB}", "  Cache-Control: public, max-age=31536000, immutable"]
    floor_headers.write_text("\n".join(kept) + "\n", encoding="utf-8")


# --- queries -----------------------------------------------------------------------------------


def caa_nodes_needed(zones: Any, names: Iterable[str]) -> set[str]:
    """The CAA nodes RFC 8659's walk visits for ``names``, given the resolver's zone data.

    The walk climbs from each name towards the top-level domain and stops at the first node whose
    CAA query returns records (following CNAMEs as a recursive resolver does).
    """
    import dns.name
    import dns.rdatatype

    needed: set[str] = set()
    for text in names:
        node = dns.name.from_text(text)
        while len(node.labels) > 1:  # the root is never asked
            needed.add(node.to_text().lower())
            answer = zones.resolve(node, dns.rdatatype.CAA).answer
            if any(rrset.rdtype == dns.rdatatype.CAA and len(rrset) for rrset in answer):
                break
            node = node.parent()
    return needed


def round_trips(arrivals: Sequence[float], latency_ms: float) -> int:
    """Count waves of queries: a wave starts when a query arrives well after the previous wave.

    Queries sent together arrive within a few milliseconds; the next wave cannot start before
    the first answers come back, one injected latency later.
    """
    if not arrivals:
        return 0
    gap = max(latency_ms * 0.6, 5.0) / 1000
    ordered = sorted(arrivals)
    waves, wave_start = 1, ordered[0]
    for moment in ordered[1:]:
        if moment - wave_start > gap:
            waves += 1
            wave_start = moment
    return waves


def answer_chain(arrivals: Sequence[float], latency_ms: float) -> int:
    """The longest chain of queries each sent after the previous one's answer left the resolver.

    That is the most round trips the check can have waited on. Unlike the waves above it does
    not grow when the page is merely slow to send queries that need no answer first (Python in
    WebAssembly on a busy machine spreads one batch over tens of milliseconds).
    """
    latency = latency_ms / 1000
    depths: list[tuple[float, int]] = []
    for moment in sorted(arrivals):
        answered = [depth for sent, depth in depths if sent + latency <= moment]
        depths.append((moment, 1 + max(answered, default=0)))
    return max((depth for _, depth in depths), default=0)


def analyse_queries(
    records: Sequence[Any], zones: Any, names: Iterable[str], latency_ms: float
) -> dict[str, Any]:
    """Compare one check's query log with the minimum set of questions it needs."""
    asked = Counter((record.qname, record.qtype) for record in records)
    planned = sorted({name.rstrip(".").lower() + "." for name in names})
    if not planned:  # fall back to the names the check asked addresses for
        planned = sorted({qname for qname, qtype in asked if qtype in ("A", "AAAA")})
    needed = {(name, qtype) for name in planned for qtype in ("A", "AAAA")}
    needed |= {(node, "CAA") for node in caa_nodes_needed(zones, planned)}
    duplicates = {f"{name} {qtype}": count for (name, qtype), count in asked.items() if count > 1}
    return {
        "total": sum(asked.values()),
        "distinct": len(asked),
        "minimum": len(needed),
        "duplicates": duplicates,
        "extra": sorted(f"{name} {qtype}" for name, qtype in set(asked) - needed),
        "missing": sorted(f"{name} {qtype}" for name, qtype in needed - set(asked)),
        "round_trips": round_trips([record.time for record in records], latency_ms),
        "answer_chain": answer_chain([record.time for record in records], latency_ms),
        # First query's arrival to the last answer's departure, as the resolver saw them.
        "dns_span_ms": (
            (max(r.time for r in records) - min(r.time for r in records)) * 1000 + latency_ms
            if records
            else 0.0
        ),
    }
