"""The checker inside real Pyodide under Node agrees with the native CLI.

Runs tests/node/checker.test.mjs with `node --test` (its own assertions: Python started by the
worker's own start-up module from the site's files, a tampered wheel refused by its sha256 check,
a healthy domain, the field report's domain, a hostile domain value, an unknown resolver, a
resolver failing with HTTP 500) plus the cases below, and compares each case's final
schema-1 result with `autossl-check --json` for the same query against the same loopback
resolvers: verdict, names, codes, addresses, CNAME chains and the exclude list.
Everything runs twice: with Python started from the wheels (the worker's fallback) and restored
from the build's memory snapshot (how the worker normally starts).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.site.conftest import REPO, build_site_or_fail
from tests.support.doh_resolver import SHARED_ZONES

pytestmark = pytest.mark.node

PROPAGATING_ZONES = REPO / "tests" / "data" / "zones-propagating.json"
SERVER = "203.0.113.10"
NODE_TIMEOUT_S = 600
# Fields that legitimately differ between two runs of the same check.
RUN_SPECIFIC = ("checked_at", "queries")

# id -> (URL parameters of the permalink, page language); the CLI gets the same request.
CASES: dict[str, tuple[list[tuple[str, str]], str]] = {
    "healthy": ([("domain", "ok.example"), ("server", SERVER)], "en"),
    "field_report": ([("domain", "mixed.example"), ("server", SERVER)], "ja"),
    "caa_sectigo": ([("domain", "caa.example"), ("server", SERVER), ("provider", "sectigo")], "en"),
    "caa_letsencrypt": ([("domain", "cnamecaa.example"), ("server", SERVER)], "en"),
    "hostile_data": ([("domain", "hostile.example"), ("server", SERVER)], "en"),
    "faulty_names": ([("domain", "faulty.example"), ("server", SERVER)], "en"),
    "ipv6": ([("domain", "v6.example"), ("server", SERVER), ("server", "2001:db8::10")], "en"),
    "ipv4_only_server": ([("domain", "v6.example"), ("server", SERVER)], "en"),
    "server_from_apex": ([("domain", "wild.example")], "en"),
    "unicode_idn": ([("domain", "https://BÜCHER.example/page?x=1"), ("server", SERVER)], "ja"),
    "options": (
        [
            ("domain", "ok.example"),
            ("server", SERVER),
            ("addon", "addon.example.net"),
            ("subdomain", "shop.ok.example"),
            ("reseller", "1"),
            ("autodiscover", "0"),
        ],
        "en",
    ),
    "no_service_subdomains": (
        [("domain", "mixed.example"), ("server", SERVER), ("service", "0")],
        "en",
    ),
}
TWO_RESOLVER_CASE = "resolvers_disagree"


def cli_args(params: list[tuple[str, str]]) -> list[str]:
    args = []
    flags = {
        "server": "--server",
        "provider": "--provider",
        "addon": "--addon",
        "subdomain": "--subdomain",
        "resolver": "--resolver",
    }
    for key, value in params:
        if key == "domain":
            args.insert(0, value)
        elif key in flags:
            args += [flags[key], value]
        elif (key, value) == ("reseller", "1"):
            args.append("--reseller")
        elif (key, value) == ("service", "0"):
            args.append("--no-service-subdomains")
        elif (key, value) == ("autodiscover", "0"):
            args.append("--no-autodiscover")
        else:
            raise AssertionError(f"no CLI option for {key}={value}")
    return args


def run_cli(params: list[tuple[str, str]]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "autossl_check", *cli_args(params), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def comparable(result: dict) -> dict:
    """The result without run-specific fields, addresses sorted: resolvers (the test resolver
    too, through dnspython) may shuffle the records of an answer from one query to the next."""
    kept = {key: value for key, value in result.items() if key not in RUN_SPECIFIC}
    kept["names"] = [
        {**name, "a": sorted(name["a"]), "aaaa": sorted(name["aaaa"])} for name in kept["names"]
    ]
    return kept


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("SITE_DIR")
    if given and (Path(given) / "pyodide" / "pyodide-lock.json").is_file():
        return Path(given)
    return build_site_or_fail(tmp_path_factory.mktemp("node-site") / "site")


@pytest.fixture(scope="module", params=["wheels", "snapshot"])
def node_run(
    site_dir: Path, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
):
    """Start the resolvers, run node once for every case, return (results, CLI runs)."""
    from tests.support.doh_resolver import DohResolver

    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH (the Pyodide tests need Node 20 or newer)")
    work = tmp_path_factory.mktemp("node")
    with DohResolver(SHARED_ZONES) as main, DohResolver(PROPAGATING_ZONES) as second:
        cases = {
            case_id: ([*params, ("resolver", main.url)], lang)
            for case_id, (params, lang) in CASES.items()
        }
        cases[TWO_RESOLVER_CASE] = (
            [
                ("domain", "ok.example"),
                ("server", SERVER),
                ("resolver", main.url),
                ("resolver", second.url),
            ],
            "en",
        )
        cases_file, results_file = work / "cases.json", work / "results.json"
        cases_file.write_text(
            json.dumps(
                [
                    {"id": case_id, "query": urlencode(params), "lang": lang}
                    for case_id, (params, lang) in cases.items()
                ]
            )
        )
        env = {
            **os.environ,
            "SITE_DIR": str(site_dir),
            "DOH_URL": main.url,
            "CASES_FILE": str(cases_file),
            "RESULTS_FILE": str(results_file),
            "PYTHON": sys.executable,
            "BOOT": request.param,
        }
        done = subprocess.run(
            [node, "--test", "tests/node/"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=NODE_TIMEOUT_S,
            check=False,
        )
        cli = {case_id: run_cli(params) for case_id, (params, _) in cases.items()}
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    return json.loads(results_file.read_text()), cli


def test_node_suite_passes_and_writes_every_case(node_run) -> None:
    results, _ = node_run
    assert set(CASES) | {TWO_RESOLVER_CASE} <= set(results)


@pytest.mark.parametrize("case_id", [*CASES, TWO_RESOLVER_CASE])
def test_pyodide_result_equals_the_cli_json(node_run, case_id: str) -> None:
    results, cli = node_run
    events = results[case_id]
    assert events[0]["event"] == "plan", events[:1]
    done = events[-1]
    assert done["event"] == "done", events[-1]
    native = cli[case_id]
    assert native.returncode in (0, 1, 3), native.stderr
    native_result = json.loads(native.stdout)
    expected_status = {"ok": 0, "action_needed": 1, "inconclusive": 3}[native_result["verdict"]]
    assert native.returncode == expected_status
    page_result, cli_result = comparable(done["result"]), comparable(native_result)
    page_names, cli_names = page_result.pop("names"), cli_result.pop("names")
    assert page_result == cli_result
    assert [n["name"] for n in page_names] == [n["name"] for n in cli_names]
    for page_name, cli_name in zip(page_names, cli_names, strict=True):
        assert page_name == cli_name
    # The rows the page fills in as answers arrive say the same as the final result.
    rows = {e["row"]["name"]: e["row"] for e in events if e["event"] == "name"}
    assert {name: row["codes"] for name, row in rows.items()} == {
        n["name"]: n["codes"] for n in native_result["names"]
    }


def test_disagreeing_resolvers_are_reported(node_run) -> None:
    results, _ = node_run
    names = {n["name"]: n["codes"] for n in results[TWO_RESOLVER_CASE][-1]["result"]["names"]}
    assert "RESOLVERS_DISAGREE" in names["mail.ok.example"]


def test_hostile_domain_values_are_refused_by_the_cli_too() -> None:
    """The CLI refuses with exit status 2 what the page refuses with an error event (the node
    suite asserts the page side)."""
    for params in ([("domain", "<img src=x onerror=alert(1)>")], [("domain", "x" * 10_000)]):
        done = run_cli(params)
        assert done.returncode == 2, (params[0][1][:40], done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
