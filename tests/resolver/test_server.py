"""The server itself: loopback-only binding, latency, the query log and the control paths."""

from __future__ import annotations

import json
import time

import pytest

from tests.resolver.client import get, make_query, request
from tests.support.doh_resolver import SHARED_ZONES, DohResolver


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.1", "localhost", "example.com", ""])
def test_binding_refuses_anything_but_loopback(host: str):
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        DohResolver(SHARED_ZONES, host=host)


def test_ipv6_loopback_works():
    try:
        resolver = DohResolver(SHARED_ZONES, host="::1").start()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    try:
        assert resolver.url.startswith("http://[::1]:")
        assert get(resolver.url, make_query("ok.example")).status == 200
    finally:
        resolver.stop()


def test_url_shape(doh_resolver: DohResolver):
    assert doh_resolver.url == f"http://127.0.0.1:{doh_resolver.port}/dns-query"
    assert doh_resolver.fault_url("http503") == (
        f"http://127.0.0.1:{doh_resolver.port}/fault/http503/dns-query"
    )


def test_resolver_latency_is_applied(doh_resolver_factory):
    resolver = doh_resolver_factory(latency_ms=150)
    started = time.monotonic()
    assert get(resolver.url, make_query("ok.example")).status == 200
    assert time.monotonic() - started >= 0.150


def test_latency_applies_to_faults_too(doh_resolver_factory):
    resolver = doh_resolver_factory(latency_ms=100)
    started = time.monotonic()
    assert get(resolver.fault_url("http500"), make_query("ok.example")).status == 500
    assert time.monotonic() - started >= 0.100


def test_latency_can_change_while_running(doh_resolver: DohResolver):
    doh_resolver.latency_ms = 120
    started = time.monotonic()
    get(doh_resolver.url, make_query("ok.example"))
    assert time.monotonic() - started >= 0.120


def test_per_name_latency_replaces_the_resolver_latency(doh_resolver_factory):
    resolver = doh_resolver_factory(
        {
            "records": {
                "slow.test": {"A": ["192.0.2.1"], "latency_ms": 200},
                "fast.test": {"A": ["192.0.2.2"]},
            }
        },
        latency_ms=0,
    )
    started = time.monotonic()
    assert get(resolver.url, make_query("slow.test")).status == 200
    assert time.monotonic() - started >= 0.200


def test_concurrent_requests_wait_in_parallel(doh_resolver_factory):
    import concurrent.futures

    resolver = doh_resolver_factory(latency_ms=200)
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        replies = list(
            pool.map(lambda name: get(resolver.url, make_query(name)), ["ok.example"] * 6)
        )
    assert all(reply.status == 200 for reply in replies)
    assert len(resolver.queries) == 6


def test_query_log_records_name_type_path_and_time(doh_resolver: DohResolver):
    before = time.monotonic()
    get(doh_resolver.url, make_query("WWW.ok.example", "AAAA"))
    get(doh_resolver.fault_url("http503"), make_query("ok.example", "CAA"))
    request(doh_resolver.url, path_suffix="?dns=")
    first, second, third = doh_resolver.queries
    assert (first.qname, first.qtype, first.path) == ("www.ok.example.", "AAAA", "/dns-query")
    assert (second.qname, second.qtype, second.path) == (
        "ok.example.",
        "CAA",
        "/fault/http503/dns-query",
    )
    assert (third.qname, third.qtype) == ("", "")
    assert before <= first.time <= second.time <= third.time <= time.monotonic()
    assert doh_resolver.count("www.ok.example", "aaaa") == 1
    assert doh_resolver.count(qtype="CAA") == 1
    assert doh_resolver.count() == 3
    doh_resolver.clear_log()
    assert doh_resolver.queries == []


def test_log_file_is_json_lines(doh_resolver_factory, tmp_path):
    log = tmp_path / "log.jsonl"
    resolver = doh_resolver_factory(log_path=log)
    get(resolver.url, make_query("ok.example"))
    resolver.stop()
    [line] = log.read_text().splitlines()
    record = json.loads(line)
    assert {key: record[key] for key in ("qname", "qtype", "path", "method")} == {
        "qname": "ok.example.",
        "qtype": "A",
        "path": "/dns-query",
        "method": "GET",
    }
    assert isinstance(record["time"], float)


def test_control_log_and_reset(doh_resolver: DohResolver):
    assert get(doh_resolver.url, make_query("once.faulty.example")).status == 503
    log = request(doh_resolver.base_url + "/_control/log")
    assert log.status == 200
    assert [entry["qname"] for entry in json.loads(log.body)] == ["once.faulty.example."]
    assert request(doh_resolver.base_url + "/_control/reset", "POST", body=b"").status == 200
    assert doh_resolver.queries == []
    assert get(doh_resolver.url, make_query("once.faulty.example")).status == 503


def test_start_twice_is_an_error_and_stop_twice_is_harmless():
    resolver = DohResolver(SHARED_ZONES).start()
    try:
        with pytest.raises(RuntimeError):
            resolver.start()
    finally:
        resolver.stop()
    resolver.stop()
