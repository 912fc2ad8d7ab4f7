"""The resolver as a command: READY line, clean stop, refusal of non-loopback hosts, JSON log."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.resolver.client import get, make_query
from tests.support.doh_resolver import SHARED_ZONES

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tests" / "support" / "doh_resolver.py"


def read_ready_line(process: subprocess.Popen[str], timeout: float = 30) -> str:
    """The first stdout line, or "" if none came in time (a test must never hang here)."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    return process.stdout.readline() if ready else ""


def start(*arguments: str, module: bool = False) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable]
    command += ["-m", "tests.support.doh_resolver"] if module else [str(SCRIPT)]
    process = subprocess.Popen(
        [*command, *arguments],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = read_ready_line(process)
    if not line.startswith("READY "):
        process.kill()
        raise AssertionError(f"no READY line: {line!r} {process.communicate()}")
    return process, line.removeprefix("READY ").strip()


def stop(process: subprocess.Popen[str], signum: int = signal.SIGTERM) -> tuple[int, str, str]:
    process.send_signal(signum)
    try:
        stdout, stderr = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    return process.returncode, stdout, stderr


@pytest.mark.parametrize("module", [False, True], ids=["script", "module"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_command_prints_ready_serves_and_stops(module: bool, signum: int):
    process, url = start("--zones", str(SHARED_ZONES), "--port", "0", module=module)
    try:
        assert url.startswith("http://127.0.0.1:")
        assert url.endswith("/dns-query")
        reply = get(url, make_query("www.ok.example"))
        assert reply.status == 200
    finally:
        returncode, stdout, stderr = stop(process, signum)
    assert returncode == 0, stderr
    assert stdout == ""  # READY was the only line
    assert "Traceback" not in stderr


def test_command_stops_promptly_while_a_request_hangs():
    process, url = start()
    try:
        with pytest.raises(TimeoutError):
            get(
                url.replace("/dns-query", "/fault/hang/dns-query"),
                make_query("ok.example"),
                timeout=0.3,
            )
    finally:
        returncode, _, stderr = stop(process)
    assert returncode == 0, stderr


def test_command_latency_and_log(tmp_path: Path):
    log = tmp_path / "queries.jsonl"
    process, url = start("--latency-ms", "20", "--log", str(log))
    try:
        get(url, make_query("ok.example", "CAA"))
        get(url, make_query("mail.ok.example", "A"))
    finally:
        returncode, _, stderr = stop(process)
    assert returncode == 0, stderr
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(line["qname"], line["qtype"], line["path"], line["method"]) for line in lines] == [
        ("ok.example.", "CAA", "/dns-query", "GET"),
        ("mail.ok.example.", "A", "/dns-query", "GET"),
    ]
    assert lines[0]["time"] <= lines[1]["time"]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.1", "localhost", "::"])
def test_command_refuses_non_loopback_hosts(host: str):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--host", host],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "127.0.0.1" in result.stderr
    assert "Traceback" not in result.stderr


def test_command_reports_bad_zone_data(tmp_path: Path):
    zones = tmp_path / "zones.json"
    zones.write_text(json.dumps({"records": {"a.test": {"A": ["not an address"]}}}))
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--zones", str(zones)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "a.test" in result.stderr
    assert "Traceback" not in result.stderr


def test_command_runs_from_any_directory(tmp_path: Path):
    env = {**os.environ, "PYTHONPATH": ""}
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    line = read_ready_line(process)
    returncode, _, stderr = stop(process)
    assert line.startswith("READY http://127.0.0.1:"), stderr
    assert returncode == 0
