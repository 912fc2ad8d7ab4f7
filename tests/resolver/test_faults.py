"""Faults on demand: by URL path (the whole resolver) and by name (only that name)."""

from __future__ import annotations

import http.client
import socket
import time

import dns.exception
import dns.flags
import dns.message
import dns.rcode
import pytest

from tests.resolver.client import Reply, answer_texts, get, make_query, post, request
from tests.support.doh_resolver import FAULT_KINDS, DohResolver

SERVER = "203.0.113.10"
# Fault kinds that answer over HTTP; `hang` and `close` are tested on their own.
ANSWERING_KINDS = [kind for kind in FAULT_KINDS if kind not in ("hang", "close")]


def check_fault(kind: str, reply: Reply, wire: bytes) -> None:
    """Assert that `reply` is exactly what the fault `kind` promises."""
    query = dns.message.from_wire(wire)
    assert reply.header("Access-Control-Allow-Origin") == "*"
    if kind.startswith("http"):
        assert reply.status == int(kind[4:])
        assert reply.header("Content-Type") != "application/dns-message"
        if kind == "http429":
            assert reply.header("Retry-After") == "1"
        return
    assert reply.status == 200
    assert reply.header("Cache-Control") == "no-store"
    if kind == "html":
        assert reply.header("Content-Type").startswith("text/html")
        assert b"<html>" in reply.body
    elif kind == "content_type":
        assert reply.header("Content-Type") == "text/plain"
        message = reply.message()
        assert (message.id, message.question) == (query.id, query.question)
        assert message.rcode() == dns.rcode.NOERROR
    elif kind == "garbage":
        assert reply.header("Content-Type") == "application/dns-message"
        assert reply.body
        with pytest.raises(dns.exception.DNSException):
            dns.message.from_wire(reply.body)
    elif kind == "empty":
        assert reply.header("Content-Type") == "application/dns-message"
        assert reply.body == b""
        assert reply.header("Content-Length") == "0"
    elif kind == "wrong_id":
        message = reply.message()
        assert message.id != query.id
        assert message.question == query.question
    elif kind == "wrong_question":
        message = reply.message()
        assert message.id == query.id
        assert message.question != query.question
        assert message.question[0].name.to_text() == "unrelated-question.example."
    elif kind == "truncated":
        message = reply.message()
        assert message.id == query.id
        assert message.flags & dns.flags.TC
        assert message.answer == []
        assert message.rcode() == dns.rcode.NOERROR
    else:
        raise AssertionError(f"no check for {kind}")


@pytest.mark.parametrize("kind", ANSWERING_KINDS)
def test_path_fault(doh_resolver: DohResolver, kind: str):
    wire = make_query("ok.example", "A", query_id=321)
    reply = get(doh_resolver.fault_url(kind), wire)
    check_fault(kind, reply, wire)
    assert doh_resolver.queries[-1].path == f"/fault/{kind}/dns-query"
    # The plain path is unaffected.
    assert get(doh_resolver.url, wire).status == 200


@pytest.mark.parametrize("kind", ANSWERING_KINDS)
def test_path_fault_by_post(doh_resolver: DohResolver, kind: str):
    wire = make_query("ok.example", "AAAA", query_id=99)
    check_fault(kind, post(doh_resolver.fault_url(kind), wire), wire)


@pytest.mark.parametrize("kind", ANSWERING_KINDS)
def test_name_fault_hits_only_that_name(doh_resolver: DohResolver, kind: str):
    name = kind.replace("_", "-") + ".faulty.example"
    for rdtype in ("A", "AAAA", "CAA"):
        wire = make_query(name, rdtype, query_id=5)
        check_fault(kind, get(doh_resolver.url, wire), wire)
    neighbour = get(doh_resolver.url, make_query("webdisk.faulty.example"))
    assert neighbour.status == 200
    assert answer_texts(neighbour.message()) == [("webdisk.faulty.example.", "A", SERVER)]


def test_unknown_fault_kind_is_404(doh_resolver: DohResolver):
    reply = get(doh_resolver.base_url + "/fault/teapot/dns-query", make_query("ok.example"))
    assert reply.status == 404
    with pytest.raises(ValueError, match="unknown fault kind"):
        doh_resolver.fault_url("teapot")


def expect_closed_without_response(url: str, wire: bytes) -> None:
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        get(url, wire, timeout=5)


def test_close_fault_by_path(doh_resolver: DohResolver):
    expect_closed_without_response(doh_resolver.fault_url("close"), make_query("ok.example"))
    assert get(doh_resolver.url, make_query("ok.example")).status == 200


def test_close_fault_by_name(doh_resolver: DohResolver):
    expect_closed_without_response(doh_resolver.url, make_query("close.faulty.example"))


def test_hang_outlasts_the_client_timeout(doh_resolver: DohResolver):
    started = time.monotonic()
    with pytest.raises((TimeoutError, socket.timeout)):
        get(doh_resolver.fault_url("hang"), make_query("ok.example"), timeout=0.5)
    assert time.monotonic() - started >= 0.5
    with pytest.raises((TimeoutError, socket.timeout)):
        get(doh_resolver.url, make_query("hang.faulty.example"), timeout=0.3)
    # Other names keep answering while those requests hang.
    assert get(doh_resolver.url, make_query("ok.example")).status == 200


def test_stop_is_prompt_while_a_request_hangs(doh_resolver_factory):
    resolver = doh_resolver_factory()
    with pytest.raises((TimeoutError, socket.timeout)):
        get(resolver.fault_url("hang"), make_query("ok.example"), timeout=0.2)
    started = time.monotonic()
    resolver.stop()
    assert time.monotonic() - started < 5


def test_fault_times_fails_only_the_first_requests(doh_resolver: DohResolver):
    wire = make_query("once.faulty.example")
    assert get(doh_resolver.url, wire).status == 503
    assert get(doh_resolver.url, wire).status == 200
    assert get(doh_resolver.url, wire).status == 200
    # Counted per (name, type): the first AAAA query fails too.
    assert get(doh_resolver.url, make_query("once.faulty.example", "AAAA")).status == 503
    twice = make_query("twice.faulty.example")
    assert [get(doh_resolver.url, twice).status for _ in range(3)] == [503, 503, 200]
    doh_resolver.reset_faults()
    assert get(doh_resolver.url, wire).status == 503


def test_fault_times_with_429(doh_resolver: DohResolver):
    first = get(doh_resolver.url, make_query("once429.faulty.example"))
    assert (first.status, first.header("Retry-After")) == (429, "1")
    assert get(doh_resolver.url, make_query("once429.faulty.example")).status == 200


def test_faulty_example_default_names(doh_resolver: DohResolver):
    expected = {
        "faulty.example": 200,
        "www.faulty.example": 503,
        "mail.faulty.example": 500,
        "webdisk.faulty.example": 200,
        "autodiscover.faulty.example": 200,
    }
    for name, status in expected.items():
        assert get(doh_resolver.url, make_query(name)).status == status, name
    assert get(doh_resolver.url, make_query("www.faulty.example")).status == 200


def test_wildcard_fault_covers_every_name(doh_resolver_factory):
    resolver = doh_resolver_factory(
        {"records": {"*.down.test": {"A": ["192.0.2.1"], "fault": "http500"}}}
    )
    for name in ("a.down.test", "b.c.down.test"):
        assert get(resolver.url, make_query(name)).status == 500


def test_faults_are_logged(doh_resolver: DohResolver):
    get(doh_resolver.fault_url("garbage"), make_query("ok.example", "CAA"))
    get(doh_resolver.url, make_query("mail.faulty.example"))
    logged = [(r.qname, r.qtype, r.path) for r in doh_resolver.queries]
    assert logged == [
        ("ok.example.", "CAA", "/fault/garbage/dns-query"),
        ("mail.faulty.example.", "A", "/dns-query"),
    ]


def test_bad_request_on_a_fault_path_is_still_400(doh_resolver: DohResolver):
    assert request(doh_resolver.fault_url("http503")).status == 400
