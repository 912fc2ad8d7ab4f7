"""Cloudflare's ranges as shipped, the classification of a name's addresses, BEHIND_PROXY, and the
refresh tool."""

from __future__ import annotations

import importlib.util
import ipaddress
import json
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest
from autossl_check import texts
from autossl_check.findings import evaluate_name
from autossl_check.known_proxies import (
    Coverage,
    ProxyRanges,
    RangesError,
    classify,
    cloudflare_ranges,
    parse_ranges,
)
from autossl_check.model import (
    Answer,
    Code,
    KnownProxy,
    NameRow,
    Outcome,
    PlannedName,
    Provider,
    ResolverId,
    RowStatus,
    Rule,
    Severity,
    Verdict,
    Why,
    exclude_of,
    status_of,
    verdict_of_statuses,
)

ROOT = Path(__file__).resolve().parents[2]

# Cloudflare's published list as recorded in the project's facts (and shipped with cPanel 120),
# written out here rather than read from the data under test. A refresh updates both.
FACTS_IPV4 = [
    "173.245.48.0/20",
    "103.21.244.0/22",
    "103.22.200.0/22",
    "103.31.4.0/22",
    "141.101.64.0/18",
    "108.162.192.0/18",
    "190.93.240.0/20",
    "188.114.96.0/20",
    "197.234.240.0/22",
    "198.41.128.0/17",
    "162.158.0.0/15",
    "104.16.0.0/13",
    "104.24.0.0/14",
    "172.64.0.0/13",
    "131.0.72.0/22",
]
FACTS_IPV6 = [
    "2400:cb00::/32",
    "2606:4700::/32",
    "2803:f800::/32",
    "2405:b500::/32",
    "2405:8100::/32",
    "2a06:98c0::/29",
    "2c0f:f248::/32",
]
# 104.16.0.0/13 ends where 104.24.0.0/14 begins: one step past either edge is still Cloudflare's.
ADJACENT = {"104.24.0.0", "104.23.255.255"}


def edges(prefix: str) -> tuple[list[str], list[str]]:
    """(first and last address, the addresses one step outside) of a prefix."""
    network = ipaddress.ip_network(prefix)
    first, last = network.network_address, network.broadcast_address
    return [str(first), str(last)], [str(first - 1), str(last + 1)]


def test_the_shipped_ranges_are_cloudflares_published_list() -> None:
    ranges = cloudflare_ranges()
    assert ranges.proxy == "cloudflare"
    assert [str(n) for n in ranges.ipv4] == FACTS_IPV4
    assert [str(n) for n in ranges.ipv6] == FACTS_IPV6
    assert "https://www.cloudflare.com/ips-v4" in ranges.sources
    assert ranges.as_of == "2026-12-03"


@pytest.mark.parametrize("prefix", FACTS_IPV4 + FACTS_IPV6)
def test_both_ends_of_every_range_are_inside_and_one_step_out_is_not(prefix: str) -> None:
    ranges = cloudflare_ranges()
    inside, outside = edges(prefix)
    for address in inside:
        assert ranges.contains(address), address
    for address in outside:
        assert ranges.contains(address) is (address in ADJACENT), address


@pytest.mark.parametrize(
    ("address", "inside"),
    [
        ("::ffff:104.16.0.1", True),  # an IPv4-mapped IPv6 address is its IPv4 address
        ("::ffff:203.0.113.10", False),
        ("104.16.0.0/13", False),  # a prefix is not an address
        ("not an address", False),
        ("", False),
        ("199.27.128.1", False),  # in an old list, no longer Cloudflare's
        ("104.28.0.1", False),  # 104.16.0.0/12 is an old list's, wider than today's
    ],
)
def test_contains_odd_inputs(address: str, inside: bool) -> None:
    assert cloudflare_ranges().contains(address) is inside


CF4, CF4B, CF6 = "104.16.132.229", "172.67.1.1", "2606:4700::6810:84e5"
OWN4, OWN6 = "203.0.113.10", "2001:db8::10"


@pytest.mark.parametrize(
    ("a", "aaaa", "coverage", "fallback"),
    [
        ((CF4, CF4B), (CF6,), Coverage.ALL, True),
        ((CF4,), (), Coverage.ALL, False),
        ((), (CF6,), Coverage.ALL, False),
        ((CF4,), (OWN6,), Coverage.MIXED, False),
        ((OWN4,), (CF6,), Coverage.MIXED, False),
        ((CF4, OWN4), (), Coverage.MIXED, False),
        ((OWN4,), (OWN6,), Coverage.NONE, False),
        ((), (), Coverage.NONE, False),
    ],
)
def test_classify(
    a: tuple[str, ...], aaaa: tuple[str, ...], coverage: Coverage, fallback: bool
) -> None:
    classified = classify(a, aaaa)
    assert classified.coverage is coverage
    assert classified.ipv4_fallback is fallback
    assert classified.proxied == tuple(x for x in (*a, *aaaa) if x not in (OWN4, OWN6))


# --- BEHIND_PROXY in the model: findings, row status, verdict -----------------------------------

R = ResolverId.from_url("https://192.0.2.53/dns-query")
WWW = PlannedName("www.example.com", Why(Rule.WWW))


def evaluate(
    a: Sequence[str], aaaa: Sequence[str], servers: Sequence[str], provider: Provider
) -> NameRow:
    """One name through findings.evaluate_name, with these A and AAAA answers and no CAA."""
    answers = {
        "A": Answer("NOERROR", addresses=tuple(a)),
        "AAAA": Answer("NOERROR", addresses=tuple(aaaa)),
    }

    def lookup(resolver: ResolverId, name: str, rdtype: str) -> Outcome:
        return answers.get(rdtype, Answer("NOERROR"))

    return evaluate_name(WWW, [R], lookup, servers, provider)


def keys(row: NameRow) -> list[str]:
    return [fact.key for finding in row.findings for fact in finding.facts]


def test_a_fully_proxied_name_is_behind_proxy_instead_of_elsewhere() -> None:
    row = evaluate([CF4], [CF6], [OWN4, OWN6], Provider.LETSENCRYPT)
    assert row.codes == ["BEHIND_PROXY"]
    assert keys(row) == ["behind_proxy", "behind_proxy.redirects", "behind_proxy.ipv4_fallback"]
    first = row.findings[0].facts[0]
    assert first.params == {"addresses": (CF4, CF6), "proxy": KnownProxy("cloudflare")}
    assert texts.fact_text(first, "en") == f"Every address ({CF4}, {CF6}) is Cloudflare's."
    assert row.status is RowStatus.CHECK
    assert row.ok is False
    assert Code.BEHIND_PROXY.severity is Severity.CHECK


def test_sectigo_allows_no_redirect_through_the_proxy() -> None:
    row = evaluate([CF4], [], [OWN4], Provider.SECTIGO)
    assert keys(row) == ["behind_proxy", "behind_proxy.no_redirect"]


def test_a_server_address_that_is_the_proxys_is_said() -> None:
    # Without --server the apex's addresses stand in for the server: behind Cloudflare, those
    # are Cloudflare's too, and "points at the server" would mean nothing.
    row = evaluate([CF4], [], [CF4B], Provider.LETSENCRYPT)
    assert keys(row)[-1] == "behind_proxy.server_is_proxy"


@pytest.mark.parametrize(
    ("a", "aaaa", "codes"),
    [
        ((CF4,), (OWN6,), ["ELSEWHERE"]),
        ((OWN4,), (), []),
        ((CF4, OWN4), (CF6,), ["PARTIAL", "AAAA_ELSEWHERE"]),
    ],
)
def test_a_partly_proxied_or_unproxied_name_keeps_the_dns_findings(
    a: tuple[str, ...], aaaa: tuple[str, ...], codes: list[str]
) -> None:
    assert evaluate(a, aaaa, [OWN4, OWN6], Provider.LETSENCRYPT).codes == codes


def test_other_ranges_can_be_given() -> None:
    ranges = parse_ranges(
        {
            "proxy": "example-cdn",
            "sources": [],
            "as_of": "2026-01-01",
            "ipv4": ["192.0.2.0/24"],
            "ipv6": ["2001:db8:cd::/48"],
        }
    )
    assert classify(["192.0.2.7"], [], ranges).coverage is Coverage.ALL
    assert classify(["192.0.2.7"], [], ranges).proxy == "example-cdn"
    assert classify([CF4], [], ranges).coverage is Coverage.NONE


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ipv4": []}, "non-empty"),
        ({"ipv6": "2400:cb00::/32"}, "non-empty"),
        ({"ipv4": ["104.16.0.1/13"]}, "host bits"),
        ({"ipv4": ["2400:cb00::/32"]}, "IPv4Network"),
        ({"ipv6": [32]}, "not a prefix"),
        ({"sources": "x"}, "sources"),
        ({"as_of": None}, "strings"),
    ],
)
def test_a_bad_ranges_document_is_refused(change: dict[str, object], message: str) -> None:
    document: dict[str, object] = {
        "proxy": "cloudflare",
        "sources": [],
        "as_of": "2026-12-03",
        "ipv4": FACTS_IPV4,
        "ipv6": FACTS_IPV6,
        **change,
    }
    with pytest.raises(RangesError, match=message):
        parse_ranges(document)


def test_a_missing_key_is_refused() -> None:
    with pytest.raises(RangesError, match="missing key"):
        parse_ranges({"proxy": "cloudflare"})


@pytest.mark.parametrize(
    ("statuses", "verdict"),
    [
        ([], Verdict.OK),
        ([RowStatus.OK, RowStatus.CHECK], Verdict.CHECK_NEEDED),
        ([RowStatus.CHECK, RowStatus.PROBLEM], Verdict.ACTION_NEEDED),
        ([RowStatus.CHECK, RowStatus.FAILED], Verdict.INCONCLUSIVE),
    ],
)
def test_a_certain_failure_and_a_failed_lookup_outrank_a_check(
    statuses: list[RowStatus], verdict: Verdict
) -> None:
    assert verdict_of_statuses(statuses) is verdict


@pytest.mark.parametrize(
    ("severities", "status"),
    [
        ([Severity.CHECK], RowStatus.CHECK),
        ([Severity.INFO, Severity.CHECK], RowStatus.CHECK),
        ([Severity.CHECK, Severity.PROBLEM], RowStatus.PROBLEM),
        ([Severity.INFO], RowStatus.OK),
    ],
)
def test_only_a_certain_failure_puts_a_name_in_the_exclude_list(
    severities: list[Severity], status: RowStatus
) -> None:
    assert status_of(severities) is status
    row = evaluate([CF4], [], [OWN4], Provider.LETSENCRYPT)
    assert exclude_of([row]) == ()


# --- tools/refresh_proxy_ranges.py ------------------------------------------------------------


@pytest.fixture(scope="module")
def refresh() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "refresh_proxy_ranges", ROOT / "tools" / "refresh_proxy_ranges.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_ranges_load_from_a_zip_file_as_the_page_imports_them(tmp_path: Path) -> None:
    # The page keeps the wheel a zip file on sys.path (ADR-7): package data must load from it.
    package = ROOT / "checker" / "autossl_check"
    archive = tmp_path / "checker.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in package.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                zipped.write(path, path.relative_to(package.parent).as_posix())
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from autossl_check import known_proxies as k;"
        "print(k.__file__, k.cloudflare_ranges().contains('104.16.0.1'))"
    )
    done = subprocess.run(
        [sys.executable, "-S", "-c", script, str(archive)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == [str(archive / "autossl_check" / "known_proxies.py"), "True"]


def read_back(path: Path) -> ProxyRanges:
    return parse_ranges(json.loads(path.read_text(encoding="utf-8")))


def test_refresh_from_the_two_text_files(refresh: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "ips-v4").write_text("\n".join(FACTS_IPV4[:3]) + "\n")
    (tmp_path / "ips-v6").write_text("# saved by hand\n2400:cb00::/32\n\n2606:4700::/32")
    out = tmp_path / "ranges.json"
    texts = [str(tmp_path / "ips-v4"), str(tmp_path / "ips-v6")]
    status = refresh.main([*texts, "--as-of", "2027-01-02", "--output", str(out)])
    assert status == 0
    ranges = read_back(out)
    assert [str(n) for n in ranges.ipv4] == FACTS_IPV4[:3]
    assert [str(n) for n in ranges.ipv6] == ["2400:cb00::/32", "2606:4700::/32"]
    assert ranges.as_of == "2027-01-02"
    assert ranges.sources == (
        "https://www.cloudflare.com/ips-v4",
        "https://www.cloudflare.com/ips-v6",
    )


def test_refresh_from_the_api_answer(refresh: ModuleType, tmp_path: Path) -> None:
    answer = {
        "result": {"ipv4_cidrs": FACTS_IPV4, "ipv6_cidrs": FACTS_IPV6, "etag": "x"},
        "success": True,
        "errors": [],
        "messages": [],
    }
    (tmp_path / "ips.json").write_text(json.dumps(answer))
    out = tmp_path / "ranges.json"
    assert refresh.main([str(tmp_path / "ips.json"), "--output", str(out)]) == 0
    ranges = read_back(out)
    assert len(ranges.ipv4) == len(FACTS_IPV4)
    assert len(ranges.ipv6) == len(FACTS_IPV6)
    assert ranges.sources == ("https://api.cloudflare.com/client/v4/ips",)


def test_the_shipped_file_is_what_the_tool_writes(refresh: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "ips-v4").write_text("\n".join(FACTS_IPV4))
    (tmp_path / "ips-v6").write_text("\n".join(FACTS_IPV6))
    answer = {"result": {"ipv4_cidrs": [], "ipv6_cidrs": []}}
    (tmp_path / "ips.json").write_text(json.dumps(answer))
    out = tmp_path / "ranges.json"
    files = [str(tmp_path / n) for n in ("ips-v4", "ips-v6", "ips.json")]
    assert refresh.main([*files, "--as-of", "2026-12-03", "--output", str(out)]) == 0
    shipped = ROOT / "checker" / "autossl_check" / "data" / "cloudflare_ranges.json"
    assert out.read_text() == shipped.read_text()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"ips-v4": "\n".join(FACTS_IPV4)}, "both IPv4 and IPv6"),
        ({"ips-v4": "<html><body>Attention Required!</body></html>"}, "not a prefix"),
        ({"ips-v4": "104.16.0.1/13", "ips-v6": "2400:cb00::/32"}, "host bits"),
        ({"ips.json": '{"success": false, "errors": [1]}'}, "not Cloudflare's API answer"),
    ],
)
def test_refresh_refuses_what_is_not_a_clean_list(
    refresh: ModuleType,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    message: str,
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    out = tmp_path / "ranges.json"
    assert refresh.main([*(str(tmp_path / n) for n in files), "--output", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
