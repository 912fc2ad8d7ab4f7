"""--from-log and --from-domain-info: exactly cPanel's names, one account or a whole server."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.signals import interruptible

from .test_autossl_log import FIELD_REPORT_NAMES
from .test_cli import assert_one_line_refusal, cli

DATA = Path(__file__).resolve().parents[1] / "data" / "autossl"
FIELD_REPORT = DATA / "field-report-v76.txt"
SEVEN = set(FIELD_REPORT_NAMES)
SERVER = "203.0.113.10"
# The field report's case: only the domain itself is in public DNS.
FIELD_ZONES = {"ttl": 300, "records": {"sakakitest.dev.": {"A": [SERVER]}}}


def test_the_field_reports_log_checks_exactly_its_seven_names(doh_resolver_factory: Any) -> None:
    resolver = doh_resolver_factory(zones=FIELD_ZONES)
    run = cli("--from-log", str(FIELD_REPORT), "--resolver", resolver.url, "--json")

    assert run.returncode == 1, run.stderr
    document = json.loads(run.stdout)
    assert document["schema"] == 1
    names = {entry["name"]: entry for entry in document["names"]}
    assert set(names) == SEVEN
    www = names["www.sakakitest.dev"]
    assert www["codes"] == ["NXDOMAIN"]
    assert www["cpanel"] == {"http": "ok", "http_via": "sakakitest.dev"}
    assert names["sakakitest.dev"]["ok"] is True
    assert sorted(document["exclude"]) == sorted(SEVEN - {"sakakitest.dev"})


@pytest.mark.parametrize(
    ("lang", "via", "public"),
    [
        ("en", "cPanel said OK (via sakakitest.dev)", "does not exist in public DNS"),
        ("ja", "cPanel の判定は OK（via sakakitest.dev）", "公開 DNS に存在しません"),
    ],
)
def test_the_via_line_reads_beside_the_public_answer(
    doh_resolver_factory: Any, lang: str, via: str, public: str
) -> None:
    resolver = doh_resolver_factory(zones=FIELD_ZONES)
    run = cli("--from-log", str(FIELD_REPORT), "--resolver", resolver.url, "--lang", lang)

    assert run.returncode == 1, run.stderr
    after = run.stdout.split("\n  www.sakakitest.dev\n", 1)[1]
    block = re.split(r"\n  \S", after, maxsplit=1)[0]  # up to the next name's details
    assert public in block
    assert via in block
    assert ("without the fix" if lang == "en" else "修正前") in block


def domain_info(users: int, per_user: int = 1) -> str:
    rows = []
    for user in range(users):
        rows.append({"domain": f"u{user}.example", "user": f"u{user}", "domain_type": "main"})
        rows += [
            {
                "domain": f"p{n}.u{user}.example",
                "user": f"u{user}",
                "domain_type": "parked",
            }
            for n in range(per_user - 1)
        ]
    return json.dumps({"data": {"domains": rows}, "metadata": {"result": 1, "reason": "OK"}})


def test_many_accounts_stream_one_json_line_each(doh_resolver: Any, tmp_path: Path) -> None:
    listing = tmp_path / "domains.json"
    listing.write_text(domain_info(3), encoding="utf-8")
    run = cli("--from-domain-info", str(listing), "--resolver", doh_resolver.url, "--json")

    assert run.returncode == 1, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 3
    documents = [json.loads(line) for line in lines]
    assert sorted(d["user"] for d in documents) == ["u0", "u1", "u2"]
    for document in documents:
        assert document["schema"] == 1
        assert len(document["names"]) == 9  # every name, fine or not
        assert {"name", "why", "ok", "codes", "a", "aaaa", "cname"} <= set(document["names"][0])
        assert document["websites"][0]["name"] == f"{document['user']}.example"


def test_user_picks_one_account_and_the_commands_name_it(doh_resolver: Any, tmp_path: Path) -> None:
    listing = tmp_path / "domains.json"
    listing.write_text(domain_info(3), encoding="utf-8")
    run = cli("--from-domain-info", str(listing), "--user", "u1", "--resolver", doh_resolver.url)

    assert run.returncode == 1, run.stderr
    assert "u1.example" in run.stdout
    assert "u0.example" not in run.stdout
    assert "username=u1 " in run.stdout
    assert "USER" not in run.stdout


def test_many_accounts_in_text_end_with_a_summary_and_commands_per_user(
    doh_resolver: Any, tmp_path: Path
) -> None:
    listing = tmp_path / "domains.json"
    listing.write_text(domain_info(2), encoding="utf-8")
    run = cli("--from-domain-info", str(listing), "--resolver", doh_resolver.url)

    assert run.returncode == 1, run.stderr
    summary = run.stdout.split("Accounts (user, names, verdict):", 1)[1]
    assert "u0 " in summary
    assert "u1 " in summary
    assert "whmapi1 add_autossl_user_excluded_domains username=u0 " in summary
    assert "whmapi1 add_autossl_user_excluded_domains username=u1 " in summary


@pytest.mark.parametrize(
    ("option", "content"),
    [
        ("--from-log", bytes(range(256)) * 50),
        ("--from-log", (DATA / "other-program.log").read_bytes()),
        ("--from-log", (DATA / "get_autossl_log.json").read_bytes()[:300]),
        ("--from-domain-info", b'{"data": {"domains": [{"domain": "a.example", "user"'),
        ("--from-domain-info", (DATA / "listaccts.json").read_bytes()),
        ("--from-domain-info", bytes(range(256)) * 50),
        ("--from-domain-info", (DATA / "autossl.txt").read_bytes()),
    ],
)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_bad_input_is_one_clear_line(
    tmp_path: Path, doh_resolver: Any, option: str, content: bytes, lang: str
) -> None:
    source = tmp_path / "input"
    source.write_bytes(content)
    run = cli(option, str(source), "--resolver", doh_resolver.url, "--lang", lang)
    assert_one_line_refusal(run)
    if lang == "ja":
        assert any("\u3040" <= char <= "\u30ff" for char in run.stderr)


def test_a_missing_file_is_one_line() -> None:
    assert_one_line_refusal(cli("--from-log", "/nonexistent/autossl.log"))


def test_a_domain_and_a_list_together_are_refused() -> None:
    assert_one_line_refusal(cli("example.com", "--from-log", str(FIELD_REPORT)))


@pytest.mark.parametrize("option", [["--user", "bob"], ["--rate", "10"]])
def test_batch_options_without_a_list_are_refused(option: list[str]) -> None:
    assert_one_line_refusal(cli("example.com", *option))


@pytest.mark.parametrize(
    ("option", "lang", "words"),
    [
        (["--http"], "en", "do not go with --from-log"),
        (["--docroot", "/tmp"], "en", "do not go with --from-log"),
        (["--watch"], "ja", "一緒に使えません"),
        (["--watch-for", "30m"], "ja", "一緒に使えません"),
    ],
)
def test_single_domain_options_with_a_list_are_refused_not_ignored(
    option: list[str], lang: str, words: str
) -> None:
    run = cli("--from-log", str(FIELD_REPORT), "--lang", lang, *option)
    assert_one_line_refusal(run)
    assert words in run.stderr


@pytest.mark.parametrize("rate", ["0", "-1", "1501"])
def test_a_rate_out_of_range_is_refused(rate: str) -> None:
    assert_one_line_refusal(cli("--from-log", str(FIELD_REPORT), "--rate", rate))


def test_ctrl_c_exits_130_keeping_every_complete_line(
    doh_resolver_factory: Any, tmp_path: Path
) -> None:
    resolver = doh_resolver_factory(latency_ms=20)
    listing = tmp_path / "domains.json"
    listing.write_text(domain_info(200), encoding="utf-8")
    environment = {**os.environ, "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    args = ["--from-domain-info", str(listing), "--resolver", resolver.url, "--json"]
    with subprocess.Popen(
        [sys.executable, "-m", "autossl_check", *args, "--rate", "200"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
        preexec_fn=interruptible,
    ) as process:
        assert process.stdout is not None
        first = process.stdout.readline()  # an account finished: the run is under way
        time.sleep(0.3)
        process.send_signal(signal.SIGINT)
        rest, errors = process.communicate(timeout=60)
    assert process.returncode == 130, errors
    lines = (first + rest).decode().splitlines()
    assert 1 <= len(lines) < 200
    for line in lines:
        assert len(json.loads(line)["names"]) == 9
    assert b"Traceback" not in errors


# The command line, reporting at exit the peak resident memory of its own address space.
REPORTS_ITS_PEAK = """
import atexit, sys

def report_peak():
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                sys.stderr.write("PEAK_KIB " + line.split()[1] + "\\n")

atexit.register(report_peak)
sys.argv[0] = "autossl-check"
from autossl_check.cli import main
sys.exit(main())
"""


def test_a_whole_server_of_ten_thousand_names_completes_in_bounded_memory(
    doh_resolver: Any, tmp_path: Path
) -> None:
    listing = tmp_path / "domains.json"
    listing.write_text(domain_info(1112), encoding="utf-8")  # 1112 accounts of 9 names
    command = [sys.executable, "-c", REPORTS_ITS_PEAK, "--from-domain-info", str(listing)]
    output, errors = tmp_path / "out.jsonl", tmp_path / "err.txt"
    with output.open("wb") as out, errors.open("wb") as err:
        process = subprocess.Popen(
            [*command, "--resolver", doh_resolver.url, "--json", "--rate", "1500"],
            stdout=out,
            stderr=err,
        )
        deadline = threading.Timer(600, process.kill)  # a hang fails the test, never the run
        deadline.start()
        try:
            process.wait()
        finally:
            deadline.cancel()
    stderr = errors.read_text(encoding="utf-8")
    # VmHWM is the peak of the command's own memory; getrusage would also count the memory of
    # the process it was forked from (this test session) at the moment of the fork.
    peak_kib = int(re.findall(r"^PEAK_KIB (\d+)$", stderr, flags=re.MULTILINE)[-1])

    assert process.returncode == 1, stderr[-500:]
    lines = output.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1112
    assert sum(len(json.loads(line)["names"]) for line in lines) == 10_008
    assert peak_kib < 150 * 1024  # accounts are read, checked and written a few at a time
