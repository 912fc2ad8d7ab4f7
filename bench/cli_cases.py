"""The command-line cases: the CLI's wall time against a sequential replay, and its start-up."""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from harness import DOMAIN, EXPECTED_NAMES, EXPECTED_VERDICT, SERVER, BenchError, analyse_queries

CLI_TIMEOUT_S = 60

# Environment for the child interpreters; run_cli_cases points it at a bytecode cache.
CHILD_ENV: dict[str, str] = dict(os.environ)


@contextlib.contextmanager
def bytecode_cache() -> Iterator[None]:
    """Let the children cache bytecode in a throw-away directory, as an installed CLI would.

    This checkout's package is an editable install, and these machines set
    PYTHONDONTWRITEBYTECODE=1, so without this every run would compile autossl_check from source,
    which a user of `pip install .` (bytecode written at install time) never pays.
    PYTHONPYCACHEPREFIX keeps every .pyc out of the repository and the venv.
    """
    global CHILD_ENV
    saved = CHILD_ENV
    with tempfile.TemporaryDirectory(prefix="autossl-bench-pycache-") as prefix:
        CHILD_ENV = {**os.environ, "PYTHONPYCACHEPREFIX": prefix}
        CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        try:
            yield
        finally:
            CHILD_ENV = saved


def cli_executable() -> str:
    beside = Path(sys.executable).with_name("autossl-check")
    found = str(beside) if beside.exists() else shutil.which("autossl-check")
    if not found:
        raise BenchError("the autossl-check command is missing: run `make venv`")
    return found


def check_argv(resolver_url: str) -> list[str]:
    return [DOMAIN, "--server", SERVER, "--resolver", resolver_url, "--json"]


def timed(argv: Sequence[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(
        list(argv),
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
        check=False,
        env=CHILD_ENV,
    )
    return (time.perf_counter() - started) * 1000, done


def parse_report(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError as error:
        tail = (done.stderr or done.stdout).strip()[-300:]
        raise BenchError(
            f"autossl-check printed no JSON (exit {done.returncode}): {tail}"
        ) from error
    if report.get("verdict") != EXPECTED_VERDICT or len(report.get("names", [])) != EXPECTED_NAMES:
        raise BenchError(
            f"autossl-check answered {report.get('verdict')} for {len(report.get('names', []))} "
            f"names; the benchmark expects {EXPECTED_VERDICT} for {EXPECTED_NAMES}"
        )
    return report


def dns_get_path(qname: str, qtype: str) -> str:
    import dns.message

    query = dns.message.make_query(qname, qtype, use_edns=0)
    query.id = 0
    encoded = base64.urlsafe_b64encode(query.to_wire()).rstrip(b"=").decode()
    return f"/dns-query?dns={encoded}"


def replay_sequentially(resolver_url: str, questions: Sequence[tuple[str, str]]) -> float:
    """Ask ``questions`` one after another over one keep-alive connection; return ms."""
    parts = urlsplit(resolver_url)
    paths = [dns_get_path(qname, qtype) for qname, qtype in questions]
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        started = time.perf_counter()
        for path in paths:
            connection.request("GET", path, headers={"Accept": "application/dns-message"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise BenchError(f"sequential replay: HTTP {response.status} for {path}")
        return (time.perf_counter() - started) * 1000
    finally:
        connection.close()


# Runs in a child process, away from the resolver's threads in this one (they would share a GIL).
IN_PROCESS = """
import contextlib, io, json, sys, time
from autossl_check.cli import main
argv, runs = json.loads(sys.argv[1]), int(sys.argv[2])
times = []
for index in range(runs + 1):
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        status = main(argv)
    if status != 0:
        sys.exit(f"autossl_check.cli.main returned {status}")
    if index:  # the first call pays for the imports
        times.append((time.perf_counter() - started) * 1000)
print(json.dumps(times))
"""


# The engine alone (no CLI, no report), at two concurrency limits, alternating.
IN_FLIGHT = """
import asyncio, json, sys, time
from autossl_check.engine import build_request, run_check
from autossl_check.native_transport import NativeTransport
url, runs, limits = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
async def once(limit):
    transport = NativeTransport()
    try:
        request = build_request("ok.example", resolvers=(url,), max_in_flight=limit,
                                servers=("203.0.113.10",))
        started = time.perf_counter()
        await run_check(request, transport)
        return (time.perf_counter() - started) * 1000
    finally:
        await transport.aclose()
asyncio.run(once(limits[0]))
times = {str(limit): [] for limit in limits}
for _ in range(runs):
    for limit in limits:
        times[str(limit)].append(asyncio.run(once(limit)))
print(json.dumps(times))
"""
IN_FLIGHT_LIMITS = (16, 32)


def in_flight_checks(python: str, resolver_url: str, runs: int) -> dict[str, list[float]]:
    """``run_check`` with ``max_in_flight`` 16 and 32 (the default), to see what a wave costs."""
    done = subprocess.run(
        [python, "-c", IN_FLIGHT, resolver_url, str(runs), json.dumps(IN_FLIGHT_LIMITS)],
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S * 2,
        check=False,
        env=CHILD_ENV,
    )
    if done.returncode != 0:
        return {}  # the engine's API moved on; the other CLI numbers still stand
    return {key: [float(ms) for ms in values] for key, values in json.loads(done.stdout).items()}


def in_process_checks(python: str, resolver_url: str, runs: int) -> list[float]:
    """The same check through ``autossl_check.cli.main`` repeated in one interpreter."""
    done = subprocess.run(
        [python, "-c", IN_PROCESS, json.dumps(check_argv(resolver_url)), str(runs)],
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S * 2,
        check=False,
        env=CHILD_ENV,
    )
    if done.returncode != 0:
        raise BenchError(f"in-process check failed: {(done.stderr or done.stdout).strip()[-300:]}")
    return [float(ms) for ms in json.loads(done.stdout)]


def import_profile(python: str, args: Sequence[str], top: int = 10) -> list[dict[str, Any]]:
    """The heaviest top-level imports under ``python -X importtime ARGS`` (cumulative µs)."""
    done = subprocess.run(
        [python, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
        check=False,
        env=CHILD_ENV,
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self_us, cumulative_us, raw_name = line[len("import time:") :].split("|")
        # One space separates the column; two more per level of nesting.
        depth = (len(raw_name) - len(raw_name.lstrip()) - 1) // 2
        name = raw_name.strip()
        rows.append({"module": name, "depth": depth, "cumulative_us": int(cumulative_us)})
    total = sum(row["cumulative_us"] for row in rows if row["depth"] == 0)
    top_level = [row for row in rows if row["depth"] <= 1]
    heaviest = sorted(top_level, key=lambda row: -row["cumulative_us"])[:top]
    return [{"module": "(all imports)", "depth": -1, "cumulative_us": total}, *heaviest]


def run_cli_cases(resolver: Any, zones: Any, runs: int, latency_ms: float) -> dict[str, Any]:
    executable = cli_executable()
    argv = [executable, *check_argv(resolver.url)]
    # As this checkout runs it: sources compiled on every start (see bytecode_cache).
    without_cache = []
    for _ in range(runs):
        elapsed, done = timed(argv)
        parse_report(done)
        without_cache.append(elapsed)
    with bytecode_cache():
        result = _measure(resolver, zones, runs, latency_ms, executable, argv)
    result["wall_without_bytecode_ms"] = without_cache
    return result


def _measure(
    resolver: Any, zones: Any, runs: int, latency_ms: float, executable: str, argv: list[str]
) -> dict[str, Any]:
    python = sys.executable
    timed(argv)  # unmeasured: writes the bytecode cache and fills the OS page cache
    timed([python, "-X", "importtime", "-c", "pass"])
    walls, query_logs = [], []
    for _ in range(runs):
        mark = len(resolver.queries)
        elapsed, done = timed(argv)
        report = parse_report(done)
        walls.append(elapsed)
        records = resolver.queries[mark:]
        names = [row["name"] for row in report["names"]]
        query_logs.append(analyse_queries(records, zones, names, latency_ms))
        questions = [(record.qname, record.qtype) for record in records]

    sequential = [replay_sequentially(resolver.url, questions) for _ in range(runs)]
    in_process = in_process_checks(python, resolver.url, runs)
    in_flight = in_flight_checks(python, resolver.url, runs)

    version = [timed([executable, "--version"])[0] for _ in range(runs)]
    import_cli = [timed([python, "-c", "import autossl_check.cli"])[0] for _ in range(runs)]
    bare_python = [timed([python, "-c", "pass"])[0] for _ in range(runs)]
    return {
        "argv": ["autossl-check", *check_argv("<loopback>")],
        "wall_ms": walls,
        "in_process_ms": in_process,
        "engine_by_max_in_flight_ms": in_flight,
        "sequential_ms": sequential,
        "sequential_questions": len(questions),
        "queries": query_logs,
        "version_ms": version,
        "import_cli_ms": import_cli,
        "bare_python_ms": bare_python,
        "import_profile": import_profile(
            python, ["-m", "autossl_check", *check_argv(resolver.url)]
        ),
    }
