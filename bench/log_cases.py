"""The log-parsing case (`--cases logparse`): read a generated AutoSSL log natively, as
`autossl-check --from-log FILE` will, timing the parse and recording the peak RSS.

The log is cPanel 120's run of three accounts repeated with renamed accounts and domains until
it reaches the size asked for, written once to a temporary file, in each form cPanel keeps on
disk: `txt` (tests/data/autossl/autossl.txt: `[time]`, tabs, text) and `json` (autossl.json: one
object per line, read with json.loads line by line). Each run is a fresh interpreter that
imports the reader first (not timed) and then streams the file through `LogStream` in 64 KiB
chunks.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from harness import BenchError

TARGET_S = 5.0
RUN_TIMEOUT_S = 600

# Runs in the child: the import is outside the timed part, the parse inside.
CHILD = """
import json, resource, sys, time
from autossl_check.autossl_log import LogStream, file_chunks
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start, cpu_start = time.perf_counter(), time.process_time()
with open(sys.argv[1], "rb") as handle:
    stream = LogStream(file_chunks(handle))
    accounts = sum(1 for _ in stream)
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "cpu_seconds": cpu, "accounts": accounts,
                  "lines": stream.lines, "not_recognised": stream.not_recognised,
                  "rss_before_kib": before, "rss_peak_kib": peak}))
"""


def write_log(path: Path, size_bytes: int, form: str = "txt") -> int:
    from tests.support.autossl_logs import (
        RUN_OF_THREE_ACCOUNTS,
        RUN_OF_THREE_ACCOUNTS_JSON,
        generated_log,
    )

    run = RUN_OF_THREE_ACCOUNTS_JSON if form == "json" else RUN_OF_THREE_ACCOUNTS
    written = 0
    with path.open("wb") as out:
        for block in generated_log(size_bytes, run):
            out.write(block)
            written += len(block)
    return written


def run_logparse_cases(runs: int, size_mb: float) -> dict[str, Any]:
    """The txt form's result, with the json form's under "json" (table.logparse_rows)."""
    txt = run_form("txt", runs, size_mb)
    return {**txt, "json": run_form("json", runs, size_mb)}


def run_form(form: str, runs: int, size_mb: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="autossl-bench-log-") as folder:
        path = Path(folder) / form
        size = write_log(path, int(size_mb * 1024 * 1024), form)
        results: list[dict[str, Any]] = []
        for _ in range(runs):
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(path)],
                capture_output=True,
                text=True,
                timeout=RUN_TIMEOUT_S,
                check=False,
            )
            if done.returncode != 0:
                raise BenchError(f"log parse failed: {(done.stderr or done.stdout)[-400:]}")
            results.append(json.loads(done.stdout))
            run = results[-1]
            print(
                f"  logparse {form}: {run['seconds']:.2f} s ({run['cpu_seconds']:.2f} s CPU)",
                file=sys.stderr,
            )
    return {"form": form, "size_bytes": size, "runs": results}
