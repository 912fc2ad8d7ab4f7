"""The command line, run as `python -m autossl_check` in a subprocess."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from typing import Any

import pytest
from autossl_check import cli as cli_module
from autossl_check import native_transport
from autossl_check.defaults import MAX_IN_FLIGHT as DEFAULT_MAX_IN_FLIGHT
from autossl_check.names import MAX_CHECK_NAMES
from autossl_check.transport import HttpReply

from .helpers import (
    ADDITIVE_KEYS,
    DEFAULT_NAMES,
    SCHEMA_NAME_KEYS,
    SERVER,
    TOP_KEYS,
    FakeTransport,
    zone_handler,
)


def cli(
    *args: str, env: dict[str, str] | None = None, start: tuple[str, ...] = ("-m", "autossl_check")
) -> subprocess.CompletedProcess[str]:
    """The command in a child Python: `start` is how (the module, or `-c CODE ...` in tests)."""
    environment = {**os.environ, "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    environment.pop("LC_ALL", None)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, *start, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=environment,
        check=False,
    )


def assert_one_line_refusal(run: subprocess.CompletedProcess[str]) -> None:
    assert run.returncode == 2, run.stderr
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert lines[0].startswith("autossl-check: ")


@pytest.mark.parametrize(
    "args",
    [
        ["not a domain"],
        ["<img src=x onerror=alert(1)>"],
        ["203.0.113.10"],
        ["localhost"],
        ["x" * 10_000],
        ["example.com", "--server", "999.1.1.1"],
        ["example.com", "--server", "example.net"],
        ["example.com", "--resolver", "http://doh.example/dns-query"],
        ["example.com", "--resolver", "quad9"],
        ["example.com", "--provider", "digicert"],
        ["example.com", "--timeout", "-1"],
        ["example.com", "--timeout", "soon"],
        ["example.com", "--bogus-flag"],
        ["example.com", "--json", "--markdown"],
        ["example.com", "--addon", "bad addon"],
        [],
        ["example.com", "--lang", "fr"],
    ],
)
def test_bad_input_is_one_line_exit_2(args: list[str]) -> None:
    assert_one_line_refusal(cli(*args))


def test_only_a_runaway_addon_list_is_refused() -> None:
    args = ["example.com"]
    for index in range(MAX_CHECK_NAMES // 9 + 2):
        args += ["--addon", f"addon{index}.example"]
    assert_one_line_refusal(cli(*args))


def test_sixty_addons_are_sixty_websites_and_all_are_checked(doh_resolver: Any) -> None:
    args = ["ok.example", "--resolver", doh_resolver.url, "--json", "--server", "203.0.113.10"]
    for index in range(60):
        args += ["--addon", f"addon{index}.example"]
    run = cli(*args)
    assert run.returncode == 1, run.stderr  # the addons do not exist in the test zones
    names = json_of(run)["names"]
    assert len(names) == 9 * 61
    assert not any("MAX_DOMAINS" in entry["codes"] for entry in names)  # 61 websites of nine


def test_help_and_version() -> None:
    helped = cli("--help")
    assert helped.returncode == 0
    assert "--no-service-subdomains" in helped.stdout
    assert "LANG" in helped.stdout
    assert "Exit status" in helped.stdout
    version = cli("--version")
    assert version.returncode == 0
    assert version.stdout.startswith("autossl-check ")


def json_of(run: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    document = json.loads(run.stdout)
    assert set(document) == TOP_KEYS | ADDITIVE_KEYS
    assert document["schema"] == 1
    for entry in document["names"]:
        assert set(entry) == SCHEMA_NAME_KEYS
    return document


def test_ok_exit_0_json(doh_resolver: Any) -> None:
    run = cli(
        "HTTPS://Ok.Example./page?x=1",
        "--server",
        "203.0.113.10",
        "--resolver",
        doh_resolver.url,
        "--json",
    )
    assert run.returncode == 0, run.stderr
    document = json_of(run)
    assert document["domain"] == "ok.example"
    assert document["verdict"] == "ok"
    assert document["exclude"] == []
    assert document["server"] == ["203.0.113.10"]
    assert document["server_source"] == "given"
    assert document["resolvers"] == [doh_resolver.url]
    assert document["queries"] > 0
    assert document["checked_at"].endswith("Z")


def test_action_needed_exit_1_json_and_apex_servers(doh_resolver: Any) -> None:
    run = cli("mixed.example", "--resolver", doh_resolver.url, "--json")
    assert run.returncode == 1, run.stderr
    document = json_of(run)
    assert document["verdict"] == "action_needed"
    assert document["server_source"] == "apex"
    assert document["server"] == ["203.0.113.10"]
    codes = {entry["name"]: entry["codes"] for entry in document["names"]}
    assert codes["mail.mixed.example"] == ["ELSEWHERE"]
    assert codes["cpanel.mixed.example"] == ["NXDOMAIN"]
    assert "mail.mixed.example" in document["exclude"]


def test_inconclusive_exit_3_json(doh_resolver: Any) -> None:
    run = cli(
        "faulty.example", "--server", "203.0.113.10", "--resolver", doh_resolver.url, "--json"
    )
    assert run.returncode == 3, run.stderr
    document = json_of(run)
    codes = {entry["name"]: entry["codes"] for entry in document["names"]}
    assert document["verdict"] == "inconclusive"
    failed = {name for name, c in codes.items() if c}
    assert failed == {
        "mail.faulty.example",
        "cpanel.faulty.example",
        "webmail.faulty.example",
        "cpcalendars.faulty.example",
        "cpcontacts.faulty.example",
    }
    assert all(codes[name] == ["LOOKUP_FAILED"] for name in failed)
    assert document["exclude"] == []


def test_text_output_says_where_the_server_came_from(doh_resolver: Any) -> None:
    run = cli("mixed.example", "--resolver", doh_resolver.url)
    assert run.returncode == 1
    assert "taken from mixed.example's own A/AAAA records" in run.stdout
    assert (
        "uapi --user=USER SSL add_autossl_excluded_domains domains=autodiscover.mixed.example,"
        in run.stdout
    )
    assert "whmapi1 add_autossl_user_excluded_domains username=USER domain=" in run.stdout
    assert "ELSEWHERE" in run.stdout
    assert "Action needed" in run.stdout


def test_markdown_in_both_languages(doh_resolver: Any) -> None:
    en = cli(
        "mixed.example",
        "--server",
        "203.0.113.10",
        "--resolver",
        doh_resolver.url,
        "--markdown",
        "--docs-url",
        "https://guide.example/",
    )
    assert en.returncode == 1
    assert en.stdout.startswith("### AutoSSL DNS check: `mixed.example`")
    assert "| `mail.mixed.example` | ELSEWHERE |" in en.stdout
    assert "(https://guide.example/en/findings/#ELSEWHERE)" in en.stdout
    assert "```sh\nuapi --user=USER" in en.stdout
    ja = cli(
        "mixed.example",
        "--server",
        "203.0.113.10",
        "--resolver",
        doh_resolver.url,
        "--markdown",
        "--lang",
        "ja",
    )
    assert ja.returncode == 1
    assert "対応が必要" in ja.stdout


def test_japanese_locale_defaults_to_japanese(doh_resolver: Any) -> None:
    run = cli(
        "ok.example",
        "--server",
        "203.0.113.10",
        "--resolver",
        doh_resolver.url,
        env={"LANG": "ja_JP.UTF-8"},
    )
    assert run.returncode == 0
    assert "問題なし" in run.stdout
    english = cli(
        "ok.example",
        "--server",
        "203.0.113.10",
        "--resolver",
        doh_resolver.url,
        "--lang",
        "en",
        env={"LANG": "ja_JP.UTF-8"},
    )
    assert "OK: every name" in english.stdout


def test_japanese_errors_are_one_line_too() -> None:
    run = cli("not a domain", env={"LANG": "ja_JP.UTF-8"})
    assert_one_line_refusal(run)


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--lang", "ja", "bad domain!"], {}),
        (["bad domain!"], {"LANG": "ja_JP.UTF-8"}),
        (["bad domain!", "--lang=ja"], {"LANG": "C.UTF-8"}),
    ],
)
def test_refusals_come_in_the_chosen_language(args: list[str], env: dict[str, str]) -> None:
    run = cli(*args, env=env)
    assert_one_line_refusal(run)
    assert run.stderr.strip() == "autossl-check: 「bad domain!」は有効なドメイン名ではありません。"


@pytest.mark.parametrize(
    ("args", "japanese", "english"),
    [
        (["example.com", "--timeout", "-1"], "制限時間は 0 秒より長く 600 秒以下", "time limit"),
        (["example.com", "--max-in-flight", "0"], "同時問い合わせ数は 1 から 256", "in flight"),
        (["example.com", "--resolver", "quad9"], "不明なリゾルバー「quad9」", "Unknown resolver"),
        (["example.com", "--server", "999.1.1.1"], "IPv4 / IPv6 アドレスではありません", "not an"),
    ],
)
def test_refusals_of_values_in_both_languages(args: list[str], japanese: str, english: str) -> None:
    in_japanese = cli(*args, "--lang", "ja")
    assert_one_line_refusal(in_japanese)
    assert japanese in in_japanese.stderr
    assert english not in in_japanese.stderr
    in_english = cli(*args)
    assert_one_line_refusal(in_english)
    assert english in in_english.stderr


def test_usage_errors_point_to_help_in_the_chosen_language() -> None:
    run = cli("example.com", "--bogus-flag", "--lang", "ja")
    assert_one_line_refusal(run)
    assert run.stderr.rstrip().endswith("（--help を参照）")
    assert cli("example.com", "--bogus-flag").stderr.rstrip().endswith("(see --help)")


def test_one_resolver_failing_completes_from_the_other(doh_resolver: Any) -> None:
    run = cli(
        "ok.example",
        "--server",
        "203.0.113.10",
        "--resolver",
        doh_resolver.url,
        "--resolver",
        doh_resolver.fault_url("http503"),
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "answered HTTP 503" in run.stdout
    assert "used the answer from" in run.stdout


def test_dead_resolver_is_inconclusive_not_a_traceback() -> None:
    run = cli(
        "ok.example",
        "--server",
        "203.0.113.10",
        "--resolver",
        "http://127.0.0.1:9/dns-query",
        "--json",
    )
    assert run.returncode == 3, run.stderr
    assert "Traceback" not in run.stderr
    assert json.loads(run.stdout)["verdict"] == "inconclusive"


class _SlowTransport(FakeTransport):
    async def aclose(self) -> None:
        pass


def test_a_default_check_goes_out_in_one_wave(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The CLI once capped queries at 16 while --help and the guide said 32, so a default check
    # (28 queries) took two round trips.
    zone = {name: {"A": [SERVER]} for name in DEFAULT_NAMES}
    plain = zone_handler(zone)

    async def slow(base: str, query: Any) -> HttpReply:
        await asyncio.sleep(0.05)  # keeps every query in flight until all have started
        reply = plain(base, query)
        assert isinstance(reply, HttpReply)
        return reply

    transport = _SlowTransport(slow)
    monkeypatch.setattr(native_transport, "NativeTransport", lambda **_options: transport)
    argv = ["ok.example", "--server", SERVER, "--resolver", "http://127.0.0.1:9/dns-query"]
    assert cli_module.main([*argv, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "ok"
    assert len(transport.calls) == 28
    assert transport.peak == len(transport.calls) <= DEFAULT_MAX_IN_FLIGHT
    helped = " ".join(cli("--help").stdout.split())
    assert f"per resolver (default {DEFAULT_MAX_IN_FLIGHT})" in helped


def test_records_to_enter_in_text_markdown_and_json(doh_resolver: Any) -> None:
    base = ("mixed.example", "--server", "203.0.113.10", "--resolver", doh_resolver.url)
    text = cli(*base)
    assert text.returncode == 1, text.stderr
    records = text.stdout.split("Records to enter at the DNS host", 1)[1]
    assert "cpanel.mixed.example (zone mixed.example): add" in records
    assert "Add: cpanel.mixed.example. 300 IN A 203.0.113.10" in records
    assert "Delete: mail.mixed.example. 300 IN A 198.51.100.7" in records
    japanese = cli(*base, "--lang", "ja")
    assert "DNS ホストで設定するレコード" in japanese.stdout
    markdown = cli(*base, "--markdown")
    assert "**`cpanel.mixed.example`（" not in markdown.stdout  # English title in English output
    assert "Type `A`, Name `cpanel`, Value `203.0.113.10`, TTL `300`" in markdown.stdout
    assert "+ cpanel.mixed.example. 300 IN A 203.0.113.10" in markdown.stdout
    document = json_of(cli(*base, "--json"))
    failing = [entry["name"] for entry in document["names"] if not entry["ok"]]
    assert [entry["name"] for entry in document["records"]] == failing
    ok_run = json_of(
        cli("ok.example", "--server", "203.0.113.10", "--resolver", doh_resolver.url, "--json")
    )
    assert ok_run["records"] == []
