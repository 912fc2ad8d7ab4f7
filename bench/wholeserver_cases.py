"""The `wholeserver` case: `autossl-check --from-domain-info` over a generated whole-server list.

A get_domain_info answer of 1,112 accounts (one main domain each: 9 names, 10,008 in all) is checked
against the loopback DoH resolver with `--latency-ms` added to every answer. Two figures: the pace
held (queries the resolver received per second over the run, against `--rate`) and the command's
peak RSS. The whole process is timed, start-up included, so the pace is a little understated.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import BenchError

ACCOUNTS = 1112
PACE_TARGET = 0.95
RSS_TARGET_BYTES = 150 * 1024 * 1024
RUN_TIMEOUT_S = 1800


def write_domain_info(path: Path, accounts: int = ACCOUNTS) -> None:
    rows = [
        {"domain": f"u{n}.example", "user": f"u{n}", "domain_type": "main", "ipv4": "203.0.113.10"}
        for n in range(accounts)
    ]
    document = {"data": {"domains": rows}, "metadata": {"result": 1, "reason": "OK"}}
    path.write_text(json.dumps(document), encoding="utf-8")


def run_wholeserver_case(rate: float, latency_ms: float) -> dict[str, Any]:
    from tests.support.doh_resolver import DohResolver

    with tempfile.TemporaryDirectory(prefix="autossl-bench-server-") as folder:
        listing = Path(folder) / "domains.json"
        write_domain_info(listing)
        with DohResolver(latency_ms=latency_ms) as resolver:
            command = [sys.executable, "-m", "autossl_check", "--from-domain-info", str(listing)]
            command += ["--resolver", resolver.url, "--json", "--rate", f"{rate:g}"]
            started = time.monotonic()
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False
            )
            seconds = time.monotonic() - started
    if done.returncode not in (0, 1, 3):
        raise BenchError(f"wholeserver failed ({done.returncode}): {done.stderr[-400:]}")
    documents = [json.loads(line) for line in done.stdout.splitlines()]
    queries = sum(document["queries"] for document in documents)
    names = sum(len(document["names"]) for document in documents)
    result = {
        "rate": rate,
        "latency_ms": latency_ms,
        "accounts": len(documents),
        "names": names,
        "queries": queries,
        "seconds": seconds,
        "pace": queries / seconds / rate,
        "rss_peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }
    print(
        f"  wholeserver: {names:,} names, {queries:,} queries in {seconds:.1f} s: "
        f"{queries / seconds:.1f}/s of {rate:g}/s; peak RSS {result['rss_peak_kib'] / 1024:.1f} MB",
        file=sys.stderr,
    )
    return result
