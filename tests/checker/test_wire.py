"""DoH wire format: building queries and judging whatever comes back."""

from __future__ import annotations

import base64

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import pytest
from autossl_check.model import Answer, Ede, LookupFailure, ResolverId
from autossl_check.texts import failure_text
from autossl_check.transport import DNS_MESSAGE, HttpReply
from autossl_check.wire import build_query, query_url, read_reply
from hypothesis import given, settings
from hypothesis import strategies as st

from .helpers import ok_reply, reply_for

R = ResolverId.from_url("https://r.example/dns-query")


def make_query(name: str = "www.example.com", rdtype: str = "A") -> dns.message.Message:
    return dns.message.from_wire(build_query(name, rdtype))


def test_query_has_id_zero_rd_and_edns() -> None:
    query = make_query()
    assert query.id == 0
    assert query.flags & dns.flags.RD
    assert query.edns == 0
    assert query.payload == 1232


def opt_options(wire: bytes) -> list[tuple[int, bytes]]:
    """The EDNS options of a one-question query with one OPT record, read from the bytes."""
    assert wire[4:12] == b"\0\1\0\0\0\0\0\1"  # QD 1, AN 0, NS 0, AR 1
    at = 12
    while wire[at]:
        at += 1 + wire[at]
    at += 1 + 4  # root label of the name ends it; type and class
    assert wire[at] == 0  # the OPT record's owner: the root
    assert int.from_bytes(wire[at + 1 : at + 3]) == 41  # type OPT
    length = int.from_bytes(wire[at + 9 : at + 11])
    rdata = wire[at + 11 : at + 11 + length]
    assert at + 11 + length == len(wire)
    options = []
    while rdata:
        code, size = int.from_bytes(rdata[:2]), int.from_bytes(rdata[2:4])
        options.append((code, rdata[4 : 4 + size]))
        rdata = rdata[4 + size :]
    return options


@pytest.mark.parametrize("rdtype", ["A", "AAAA", "CAA"])
def test_every_query_asks_resolvers_not_to_forward_the_readers_subnet(rdtype: str) -> None:
    # RFC 7871 section 7.1.2: ECS with source prefix 0 (family 1, no address bytes) opts out.
    options = opt_options(build_query("www.example.com", rdtype))
    assert options == [(8, b"\0\1\0\0")]  # code 8: family 1, source 0, scope 0


LONGEST_NAME = ".".join(["a" * 63] * 3 + ["b" * 61])  # 253 characters, 255 octets on the wire


@pytest.mark.parametrize(
    "name",
    [
        "ok.example",
        "Mixed-Case.Example.COM",
        "trailing-dot.example.",
        "xn--bcher-kva.example",
        LONGEST_NAME,
        "bücher.example",
        "under_score.example",
        "esc\\.aped.example",
    ],
)
@pytest.mark.parametrize("rdtype", ["A", "AAAA", "CAA"])
def test_the_query_asks_the_question(name: str, rdtype: str) -> None:
    query = make_query(name, rdtype)
    (question,) = query.question
    assert question.name == dns.name.from_text(name)
    assert dns.rdatatype.to_text(question.rdtype) == rdtype


@pytest.mark.parametrize("name", ["a" * 64 + ".example", LONGEST_NAME + "x"])
def test_names_dns_cannot_carry_are_refused(name: str) -> None:
    with pytest.raises(dns.name.NameTooLong if len(name) > 253 else dns.name.LabelTooLong):
        build_query(name, "A")


def test_get_url_is_base64url_without_padding() -> None:
    wire = build_query("example.com", "A")
    url = query_url("https://dns.google/dns-query", wire)
    encoded = url.split("?dns=", 1)[1]
    assert "=" not in encoded
    assert "+" not in encoded
    assert "/" not in encoded
    assert base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)) == wire
    assert query_url("http://127.0.0.1:1/q?x=1", wire).startswith("http://127.0.0.1:1/q?x=1&dns=")


def test_answer_follows_the_cname_chain() -> None:
    query = make_query()
    body = reply_for(
        query,
        {"A": ["203.0.113.10"]},
        cname=[("www.example.com.", "edge.cdn.example."), ("edge.cdn.example.", "x.cdn.example.")],
    )
    answer = read_reply(ok_reply(body), "www.example.com", "A", R)
    assert answer == Answer(
        "NOERROR", ("edge.cdn.example", "x.cdn.example"), ("203.0.113.10",), ttl=300
    )


def test_nxdomain_and_servfail_with_ede() -> None:
    query = make_query()
    nx = read_reply(ok_reply(reply_for(query, rcode=dns.rcode.NXDOMAIN)), "www.example.com", "A", R)
    assert isinstance(nx, Answer)
    assert nx.rcode == "NXDOMAIN"
    body = reply_for(query, rcode=dns.rcode.SERVFAIL, ede=(6, "DNSSEC Bogus"))
    sf = read_reply(ok_reply(body), "www.example.com", "A", R)
    assert isinstance(sf, Answer)
    assert sf.rcode == "SERVFAIL"
    assert sf.ede == (Ede(6, "DNSSEC Bogus"),)


def test_caa_records_are_read() -> None:
    query = make_query("example.com", "CAA")
    body = reply_for(query, {"CAA": ['0 issue "letsencrypt.org"', '128 tbs "x"']})
    answer = read_reply(ok_reply(body), "example.com", "CAA", R)
    assert isinstance(answer, Answer)
    assert [(r.flags, r.tag, r.value) for r in answer.caa] == [
        (0, "issue", "letsencrypt.org"),
        (128, "tbs", "x"),
    ]


def kind_of(reply: HttpReply, name: str = "www.example.com", rdtype: str = "A") -> str:
    outcome = read_reply(reply, name, rdtype, R)
    assert isinstance(outcome, LookupFailure)
    reason = failure_text(outcome, "en")
    assert reason
    assert "\n" not in reason
    return outcome.kind


def test_failures_have_plain_reasons() -> None:
    query = make_query()
    good = reply_for(query, {"A": ["203.0.113.10"]})
    assert kind_of(HttpReply(503, "text/plain", b"busy")) == "http_status"
    assert kind_of(HttpReply(200, "text/html", b"<html>login</html>")) == "html"
    assert kind_of(HttpReply(200, "", b"<!DOCTYPE html><p>")) == "html"
    assert kind_of(HttpReply(200, "text/plain", good)) == "content_type"
    assert kind_of(HttpReply(200, DNS_MESSAGE, b"")) == "empty"
    assert kind_of(HttpReply(200, DNS_MESSAGE, b"\x00\x01garbage")) == "not_dns"
    assert kind_of(ok_reply(build_query("www.example.com", "A"))) == "not_response"
    wrong = dns.message.from_wire(good)
    wrong.id = 1
    assert kind_of(ok_reply(wrong.to_wire())) == "wrong_id"
    assert kind_of(ok_reply(good), name="other.example.com") == "wrong_question"
    assert kind_of(HttpReply(200, "", good)) == "no_content_type"
    assert kind_of(ok_reply(good + bytes(70_000))) == "too_large"
    assert kind_of(ok_reply(good), rdtype="AAAA") == "wrong_question"
    truncated = dns.message.from_wire(good)
    truncated.flags |= dns.flags.TC
    assert kind_of(ok_reply(truncated.to_wire())) == "truncated"
    assert kind_of(ok_reply(reply_for(query, rcode=dns.rcode.REFUSED))) == "rcode"


def test_reasons_read_like_sentences() -> None:
    cloudflare = ResolverId.from_url("https://cloudflare-dns.com/dns-query")
    failure = read_reply(HttpReply(503, "text/plain", b""), "a.example", "A", cloudflare)
    assert isinstance(failure, LookupFailure)
    assert failure_text(failure, "en") == "cloudflare-dns.com answered HTTP 503"
    assert failure_text(failure, "ja") == "cloudflare-dns.com が HTTP 503 を返しました"
    google = ResolverId.from_url("https://dns.google/dns-query")
    html = read_reply(HttpReply(200, "text/html", b"<html>"), "a.example", "A", google)
    assert isinstance(html, LookupFailure)
    assert "captive portal" in failure_text(html, "en")


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_retryable_statuses(status: int) -> None:
    failure = read_reply(HttpReply(status, "text/plain", b""), "a.example", "A", R)
    assert isinstance(failure, LookupFailure)
    assert failure.retryable


def test_retry_after_is_read() -> None:
    reply = HttpReply(429, "text/plain", b"", {"Retry-After": "1"})
    failure = read_reply(reply, "a.example", "A", R)
    assert isinstance(failure, LookupFailure)
    assert failure.retry_after == 1.0


@pytest.mark.parametrize("status", [400, 404, 403])
def test_client_errors_are_not_retried(status: int) -> None:
    failure = read_reply(HttpReply(status, "text/plain", b""), "a.example", "A", R)
    assert isinstance(failure, LookupFailure)
    assert not failure.retryable


@settings(max_examples=500, deadline=None)
@given(body=st.binary(max_size=600), content_type=st.sampled_from([DNS_MESSAGE, "text/html", ""]))
def test_arbitrary_bytes_never_raise(body: bytes, content_type: str) -> None:
    outcome = read_reply(HttpReply(200, content_type, body), "www.example.com", "A", R)
    assert isinstance(outcome, Answer | LookupFailure)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutated_real_answers_never_raise(data: st.DataObject) -> None:
    query = make_query("www.example.com", "CAA")
    good = bytearray(
        reply_for(
            query,
            {"CAA": ['0 issue "letsencrypt.org"']},
            cname=[("www.example.com.", "x.example.")],
        )
    )
    for _ in range(data.draw(st.integers(1, 8))):
        index = data.draw(st.integers(0, len(good) - 1))
        good[index] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(good)))
    outcome = read_reply(ok_reply(bytes(good[:cut])), "www.example.com", "CAA", R)
    assert isinstance(outcome, Answer | LookupFailure)
