"""Schema 1 stays the same for the same DNS answers: fixed scenarios against golden files.

The files under tests/data/golden/ were written by the code as it was before the checker's
modules were restructured (issue 10); any change to them is a change of schema 1's content.
`AUTOSSL_GOLDEN_WRITE=1` rewrites them (only ever on purpose, and reviewed in the diff).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import dns.rcode
import pytest
from autossl_check.report import to_json

from tests.support.doh_resolver import PROPAGATING_ZONES

from .helpers import FakeTransport, ok_reply, reply_for, run_with

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"
WRITE = os.environ.get("AUTOSSL_GOLDEN_WRITE") == "1"

# (file name, domain, options) checked against one loopback resolver on tests/data/zones.json.
ZONE_SCENARIOS: list[tuple[str, str, dict[str, Any]]] = [
    ("ok", "ok.example", {}),
    (
        "ok-options",
        "ok.example",
        {"provider": "sectigo", "reseller": True, "subdomains": ("shop", "shop.ok.example")},
    ),
    ("ok-addon", "ok.example", {"addons": ("addon.example.net",), "autodiscover": False}),
    (
        "ok-addon-reseller",
        "ok.example",
        {"addons": ("addon.example.net",), "reseller": True, "subdomains": ("cpanel",)},
    ),
    ("ok-apex-server", "ok.example", {"servers": ()}),
    ("mixed", "mixed.example", {}),
    ("mixed-apex-server", "mixed.example", {"servers": ()}),
    ("caa-letsencrypt", "caa.example", {}),
    ("caa-sectigo", "caa.example", {"provider": "sectigo"}),
    ("caa-critical", "critical.caa.example", {"service_subdomains": False}),
    ("caa-deep", "deep.sub.caa.example", {"service_subdomains": False}),
    ("cnamecaa", "cnamecaa.example", {}),
    ("wild", "wild.example", {"subdomains": ("a.b", "explicit", "x.ent")}),
    ("hostile", "hostile.example", {}),
    ("v6-both", "v6.example", {"servers": ("203.0.113.10", "2001:db8::10")}),
    ("v6-v4-only", "v6.example", {}),
    ("idn", "BÜCHER.example.", {}),
    ("bogus", "bogus.example", {"service_subdomains": False}),
    ("unreachable", "unreachable.example", {"service_subdomains": False}),
    ("noede", "noede.example", {"service_subdomains": False}),
    ("nxdomain-no-server", "nxdomain.example", {"servers": ()}),
    ("faulty", "faulty.example", {}),
]


def stable(schema: dict[str, Any], resolver_names: dict[str, str]) -> dict[str, Any]:
    """Schema 1 without what changes from run to run: the time and the resolvers' ports."""
    stable = {key: value for key, value in schema.items() if key != "checked_at"}
    stable["resolvers"] = [resolver_names.get(url, url) for url in schema["resolvers"]]
    return stable


def compare(name: str, schema: dict[str, Any], resolver_names: dict[str, str]) -> None:
    got = json.dumps(stable(schema, resolver_names), ensure_ascii=False, indent=2) + "\n"
    path = GOLDEN / f"{name}.json"
    if WRITE:
        path.write_text(got, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == got, f"schema 1 changed for scenario {name}"


@pytest.mark.parametrize(("name", "domain", "options"), ZONE_SCENARIOS, ids=lambda v: str(v))
def test_zone_scenario_matches_golden_file(
    doh_resolver: Any, name: str, domain: str, options: dict[str, Any]
) -> None:
    result = run_with(domain, [doh_resolver.url], **options)
    compare(name, to_json(result), {doh_resolver.url: "RESOLVER"})


def test_disagreeing_resolvers_match_golden_file(doh_resolver_factory: Any) -> None:
    first = doh_resolver_factory()
    second = doh_resolver_factory(zones=PROPAGATING_ZONES)
    result = run_with("ok.example", [first.url, second.url])
    compare("disagree", to_json(result), {first.url: "RESOLVER_1", second.url: "RESOLVER_2"})


def test_one_resolver_failing_matches_golden_file(doh_resolver: Any) -> None:
    broken = doh_resolver.fault_url("http500")
    result = run_with("mixed.example", [broken, doh_resolver.url])
    compare("one-resolver-failing", to_json(result), {broken: "BROKEN", doh_resolver.url: "OK"})


def test_in_memory_failures_match_golden_file() -> None:
    """A transport that raises for some names and answers SERVFAIL with EDE for others."""

    def handle(base: str, query: Any) -> Any:
        name = query.question[0].name.to_text(omit_final_dot=True)
        if name.startswith("mail."):
            raise RuntimeError("transport bug")
        if name.startswith("webmail."):
            return ok_reply(reply_for(query, rcode=dns.rcode.SERVFAIL, ede=(6, "I74V")))
        return ok_reply(reply_for(query, {"A": ["203.0.113.10"]}))

    resolvers = ["https://one.test/dns-query", "https://two.test/dns-query"]
    result = run_with("memory.example", resolvers, transport=FakeTransport(handle))
    compare("in-memory-failures", to_json(result), {})
