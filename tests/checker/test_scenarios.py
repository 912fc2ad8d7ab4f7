"""The shared scenarios (tests/data/zones.json) against the loopback DoH resolver."""

from __future__ import annotations

from typing import Any

import pytest
from autossl_check.model import Code

from .helpers import by_name, check

DEFAULT_LABELS = [
    "",
    "www.",
    "mail.",
    "cpanel.",
    "webmail.",
    "webdisk.",
    "cpcalendars.",
    "cpcontacts.",
    "autodiscover.",
]


def names(zone: str) -> list[str]:
    return [label + zone for label in DEFAULT_LABELS]


def test_ok_zone(doh_resolver: Any) -> None:
    result = check("ok.example", [doh_resolver.url])
    assert result.verdict == "ok"
    assert result.exclude == ()
    assert [row.name for row in result.rows] == names("ok.example")
    www = next(row for row in result.rows if row.name == "www.ok.example")
    assert www.cname == ("ok.example",)
    assert www.a == ("203.0.113.10",)


def test_ok_zone_with_options(doh_resolver: Any) -> None:
    result = check(
        "ok.example",
        [doh_resolver.url],
        provider="sectigo",
        reseller=True,
        subdomains=("shop.ok.example",),
    )
    assert result.verdict == "ok"
    assert {"whm.ok.example", "shop.ok.example", "www.shop.ok.example"} <= set(by_name(result))


def test_addon(doh_resolver: Any) -> None:
    result = check("ok.example", [doh_resolver.url], addons=("addon.example.net",))
    assert result.verdict == "ok"
    assert "autodiscover.addon.example.net" in by_name(result)


def test_mixed_zone_every_dns_code(doh_resolver: Any) -> None:
    result = check("mixed.example", [doh_resolver.url])
    assert by_name(result) == {
        "mixed.example": [],
        "www.mixed.example": [],
        "mail.mixed.example": [Code.ELSEWHERE],
        "cpanel.mixed.example": [Code.NXDOMAIN],
        "webmail.mixed.example": [Code.PARTIAL],
        "webdisk.mixed.example": [Code.NO_ADDRESS],
        "cpcalendars.mixed.example": [Code.SERVFAIL],
        "cpcontacts.mixed.example": [],
        "autodiscover.mixed.example": [Code.AAAA_ELSEWHERE],
    }
    assert result.verdict == "action_needed"
    assert list(result.exclude) == [
        "autodiscover.mixed.example",
        "cpanel.mixed.example",
        "cpcalendars.mixed.example",
        "mail.mixed.example",
        "webdisk.mixed.example",
        "webmail.mixed.example",
    ]
    from autossl_check.report import finding_lines

    servfail = next(row for row in result.rows if row.name == "cpcalendars.mixed.example")
    assert ": EDE 6 (DNSSEC Bogus): DNSSEC Bogus." in " ".join(finding_lines(servfail, "en"))
    assert "（EDE 6「DNSSEC 検証失敗」: DNSSEC Bogus）" in " ".join(finding_lines(servfail, "ja"))


def test_caa_zone(doh_resolver: Any) -> None:
    le = check("caa.example", [doh_resolver.url])
    assert all(codes == [Code.CAA_FORBIDS] for codes in by_name(le).values())
    sectigo = check("caa.example", [doh_resolver.url], provider="sectigo")
    assert {name: codes for name, codes in by_name(sectigo).items() if codes} == {
        "webdisk.caa.example": [Code.CAA_FORBIDS]
    }


@pytest.mark.parametrize(
    ("name", "provider", "codes"),
    [
        ("le.caa.example", "letsencrypt", []),
        ("le.caa.example", "sectigo", [Code.CAA_FORBIDS]),
        ("deep.sub.caa.example", "sectigo", []),
        ("deep.sub.caa.example", "letsencrypt", [Code.CAA_FORBIDS]),
        ("wildonly.caa.example", "letsencrypt", []),
        ("critical.caa.example", "letsencrypt", [Code.CAA_FORBIDS]),
        ("critical.caa.example", "sectigo", [Code.CAA_FORBIDS]),
    ],
)
def test_caa_cases(doh_resolver: Any, name: str, provider: str, codes: list[str]) -> None:
    result = check(name, [doh_resolver.url], provider=provider, service_subdomains=False)
    assert by_name(result)[name] == codes


def test_caa_through_cname(doh_resolver: Any) -> None:
    le = check("cnamecaa.example", [doh_resolver.url])
    assert {n: c for n, c in by_name(le).items() if c} == {
        "www.cnamecaa.example": [Code.CAA_FORBIDS]
    }
    assert check("cnamecaa.example", [doh_resolver.url], provider="sectigo").verdict == "ok"


def test_wildcards(doh_resolver: Any) -> None:
    assert check("wild.example", [doh_resolver.url]).verdict == "ok"


def test_hostile_data_stays_text(doh_resolver: Any) -> None:
    result = check("hostile.example", [doh_resolver.url])
    codes = by_name(result)
    assert codes["webdisk.hostile.example"] == [Code.SERVFAIL]
    assert all(Code.CAA_FORBIDS in c for n, c in codes.items() if n != "webdisk.hostile.example")
    www = next(row for row in result.rows if row.name == "www.hostile.example")
    assert www.cname
    assert all(ch.isprintable() for ch in www.cname[0])
    from autossl_check.report import to_markdown, to_text

    for output in (to_text(result), to_markdown(result)):
        assert "\x00" not in output
        assert "\x1b" not in output
    # In the ticket the hostile CAA values are code: a Markdown renderer shows them as text.
    from markdown_it import MarkdownIt

    ticket = MarkdownIt("commonmark").enable("table").render(to_markdown(result))
    assert "<script" not in ticket
    assert "&lt;script&gt;" in ticket


def test_ipv6(doh_resolver: Any) -> None:
    both = check("v6.example", [doh_resolver.url], servers=("203.0.113.10", "2001:db8::10"))
    assert both.verdict == "ok"
    v4 = check("v6.example", [doh_resolver.url])
    assert all(codes == [Code.AAAA_ELSEWHERE] for codes in by_name(v4).values())


def test_idn(doh_resolver: Any) -> None:
    result = check("BÜCHER.example.", [doh_resolver.url])
    assert result.domain == "xn--bcher-kva.example"
    assert result.verdict == "ok"


@pytest.mark.parametrize("zone", ["bogus.example", "unreachable.example", "noede.example"])
def test_whole_name_servfail(doh_resolver: Any, zone: str) -> None:
    result = check(zone, [doh_resolver.url], service_subdomains=False)
    assert Code.SERVFAIL in by_name(result)[zone]


def test_nxdomain_apex_without_server(doh_resolver: Any) -> None:
    result = check("nxdomain.example", [doh_resolver.url], servers=())
    assert result.server_source == "apex"
    assert result.servers == ()
    assert by_name(result)["nxdomain.example"] == [Code.NXDOMAIN]


def test_disagreeing_resolvers(doh_resolver_factory: Any) -> None:
    first = doh_resolver_factory()
    second = doh_resolver_factory(zones="tests/data/zones-propagating.json")
    result = check("ok.example", [first.url, second.url])
    codes = by_name(result)
    assert Code.RESOLVERS_DISAGREE in codes["mail.ok.example"]
    assert {n for n, c in codes.items() if c} == {"mail.ok.example"}
    assert result.verdict == "action_needed"


def test_queries_once_per_node_per_resolver(doh_resolver_factory: Any) -> None:
    first = doh_resolver_factory()
    second = doh_resolver_factory()
    result = check(
        "ok.example", [first.url, second.url], reseller=True, subdomains=("shop.ok.example",)
    )
    assert result.verdict == "ok"
    for resolver in (first, second):
        assert resolver.count("ok.example", "CAA") == 1
        assert resolver.count("example", "CAA") <= 1
        assert resolver.count("www.ok.example", "A") == 1
        assert resolver.count("shop.ok.example", "CAA") == 1
        keys = [(q.qname, q.qtype) for q in resolver.queries]
        assert len(keys) == len(set(keys))
    assert result.queries == len(first.queries) + len(second.queries)


@pytest.mark.parametrize("attempt", range(5))
def test_addresses_come_out_sorted_whatever_order_the_resolver_used(
    doh_resolver: Any, attempt: int
) -> None:
    # The resolver may shuffle webmail's two A records; the row and the JSON must not.
    result = check("mixed.example", [doh_resolver.url])
    webmail = next(row for row in result.rows if row.name == "webmail.mixed.example")
    assert webmail.a == ("198.51.100.8", "203.0.113.10")
