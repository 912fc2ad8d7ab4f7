"""The shared zone data stays valid, reserved-only and in step with its propagating twin."""

from __future__ import annotations

import ipaddress
import json
import re
from pathlib import Path

import dns.name
import pytest
from autossl_check.known_proxies import cloudflare_ranges

from tests.support.doh_resolver import (
    DATA_DIR,
    PROPAGATING_ZONES,
    SHARED_ZONES,
    ZoneData,
    ZoneDataError,
)

RESERVED_SUFFIXES = ("example.", "test.", "example.com.", "example.net.", "example.org.")
DOCUMENTATION_NETWORKS = [
    ipaddress.ip_network(network)
    for network in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
]
DEFAULT_LABELS = (
    "www",
    "mail",
    "cpanel",
    "webmail",
    "webdisk",
    "cpcalendars",
    "cpcontacts",
    "autodiscover",
)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def every_zone_file() -> list[Path]:
    return sorted(DATA_DIR.glob("*.json"))


@pytest.mark.parametrize("path", every_zone_file(), ids=lambda path: path.name)
def test_zone_file_loads(path: Path):
    ZoneData.load(path)


@pytest.mark.parametrize("path", every_zone_file(), ids=lambda path: path.name)
def test_only_reserved_names_and_documentation_addresses(path: Path):
    document = load(path)
    names = [*document.get("records", {}), *document.get("servfail", {})]
    names += document.get("names_that_exist", [])
    for entry in document.get("records", {}).values():
        if "CNAME" in entry:
            names.append(entry["CNAME"])
        for address in [*entry.get("A", []), *entry.get("AAAA", [])]:
            parsed = ipaddress.ip_address(address)
            # A proxied name can only be told by a real proxy address; no test connects to it.
            proxied = path.name == "zones-proxied.json" and cloudflare_ranges().contains(address)
            assert proxied or any(parsed in net for net in DOCUMENTATION_NETWORKS), address
    for name in names:
        text = dns.name.from_text(name).to_text().lower()
        assert text.endswith(RESERVED_SUFFIXES), name


def test_propagating_twin_differs_only_in_mail_ok_example():
    shared, propagating = load(SHARED_ZONES), load(PROPAGATING_ZONES)
    assert shared.keys() == propagating.keys()
    assert shared["servfail"] == propagating["servfail"]
    assert shared["ttl"] == propagating["ttl"]
    differing = {
        name
        for name in shared["records"].keys() | propagating["records"].keys()
        if shared["records"].get(name) != propagating["records"].get(name)
    }
    assert differing == {"mail.ok.example."}
    assert (
        propagating["records"]["mail.ok.example."]["A"]
        != (shared["records"]["mail.ok.example."]["A"])
    )


def test_every_scenario_zone_has_the_default_names():
    zones = ZoneData.load(SHARED_ZONES)
    for apex in ("ok.example", "caa.example", "cnamecaa.example", "v6.example", "faulty.example"):
        for label in ("", *DEFAULT_LABELS):
            name = dns.name.from_text(f"{label}.{apex}" if label else apex)
            assert zones.lookup(name) is not None, name


def test_readme_describes_every_zone():
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    apexes = set()
    for name in [*load(SHARED_ZONES)["records"], *load(SHARED_ZONES)["servfail"]]:
        labels = dns.name.from_text(name).to_text().rstrip(".").split(".")
        suffix = (
            3 if labels[-2:] in (["example", "com"], ["example", "net"], ["example", "org"]) else 2
        )
        apexes.add(".".join(labels[-suffix:]))
    for apex in sorted(apexes):
        if apex in ("cdn.example.org",):
            continue  # the CNAME target of cnamecaa.example, described with it
        assert re.search(rf"`{re.escape(apex)}`", readme), apex


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"record": {}}, "unknown top-level key"),
        ({"records": {"a.test": {"MX": ["10 a.test."]}}}, "unknown key"),
        ({"records": {"a.test": {"A": "192.0.2.1"}}}, "non-empty list"),
        ({"records": {"a.test": {"A": ["192.0.2.999"]}}}, "not valid presentation form"),
        ({"records": {"a.test": {"CAA": ["issue letsencrypt.org"]}}}, "presentation form"),
        ({"records": {"a.test": {"CNAME": ["b.test."]}}}, "one name string"),
        ({"records": {"a.test": {"CNAME": "b.test.", "A": ["192.0.2.1"]}}}, "cannot share"),
        ({"records": {"a.test": {"A": ["192.0.2.1"], "fault": "teapot"}}}, "not one of"),
        ({"records": {"a.test": {"A": ["192.0.2.1"], "fault_times": 1}}}, "needs a fault"),
        (
            {"records": {"a.test": {"A": ["192.0.2.1"], "fault": "http500", "fault_times": 0}}},
            "fault_times",
        ),
        ({"records": {"a.test": {"A": ["192.0.2.1"], "latency_ms": -1}}}, "latency_ms"),
        ({"records": {"a.test": {"A": ["192.0.2.1"], "ttl": "300"}}}, "ttl"),
        ({"records": {"a.test": {}, "A.TEST.": {}}}, "listed twice"),
        ({"servfail": {"a.test": {"code": "six"}}}, "code"),
        ({"servfail": {"a.test": {"code": 6, "reason": "x"}}}, "unknown key"),
        ({"soa": "yes"}, "soa"),
        ([], "JSON object"),
    ],
)
def test_bad_zone_data_is_refused_with_a_clear_message(document, message: str):
    with pytest.raises(ZoneDataError, match=message):
        ZoneData.load(document) if isinstance(document, dict) else ZoneData(document)


def test_bad_json_file_names_the_file(tmp_path: Path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    with pytest.raises(ZoneDataError, match=r"broken\.json"):
        ZoneData.load(path)
