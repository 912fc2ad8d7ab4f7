"""The check engine over a scripted transport: sharing, retries, cap, deadline, evaluation."""

from __future__ import annotations

import asyncio
from typing import Any

import dns.message
import dns.rcode
import dns.rdatatype
from autossl_check import report, texts
from autossl_check.engine import run_check
from autossl_check.findings import past_max_domains
from autossl_check.model import (
    Code,
    Fact,
    Finding,
    NameRow,
    PlannedName,
    RowStatus,
    Rule,
    Verdict,
    Why,
)
from autossl_check.texts import fact_text
from autossl_check.transport import HttpReply, TransportError

from .helpers import FakeTransport, ok_reply, reply_for, request, zone_handler

R1 = "https://one.example/dns-query"
R2 = "https://two.example/dns-query"
GOOD = ["203.0.113.10"]

ZONE: dict[str, dict[str, list[str]]] = {
    name: {"A": GOOD}
    for name in (
        "example.com",
        "www.example.com",
        "mail.example.com",
        "cpanel.example.com",
        "webmail.example.com",
        "webdisk.example.com",
        "cpcalendars.example.com",
        "cpcontacts.example.com",
        "autodiscover.example.com",
    )
}


def run(transport: FakeTransport, rows: list[NameRow] | None = None, **options: Any):
    resolvers = options.pop("resolvers", (R1,))
    domain = options.pop("domain", "example.com")
    return asyncio.run(
        run_check(
            request(domain, resolvers, **options),
            transport,
            on_row=None if rows is None else rows.append,
        )
    )


def reason_of(fact: Fact) -> Fact:
    """The lookup failure behind a `failed` or `resolver_failed` fact (after a retry or not)."""
    reason = fact.params["reason"]
    assert isinstance(reason, Fact)
    inner = reason.params.get("reason", reason)
    assert isinstance(inner, Fact)
    return inner


def test_all_good_is_ok_and_rows_arrive_as_they_are_evaluated() -> None:
    rows: list[NameRow] = []
    transport = FakeTransport(zone_handler(ZONE))
    result = run(transport, rows)
    assert result.verdict == Verdict.OK
    assert sorted(row.name for row in rows) == sorted(row.name for row in result.rows)
    assert len(rows) == 9


def test_each_query_and_caa_node_is_asked_once_per_resolver() -> None:
    transport = FakeTransport(zone_handler(ZONE))
    result = run(transport, resolvers=(R1, R2), addons=("example.com",), subdomains=("www",))
    for resolver in (R1, R2):
        assert transport.count("example.com", "CAA", resolver) == 1
        assert transport.count("com", "CAA", resolver) == 1
        assert transport.count("www.example.com", "A", resolver) == 1
        assert transport.count("www.example.com", "CAA", resolver) == 1
    seen = [call for call in transport.calls]
    assert len(seen) == len(set(seen))
    assert result.queries == len(transport.calls)


def test_in_flight_cap_is_respected() -> None:
    transport = FakeTransport(zone_handler(ZONE))
    run(transport, resolvers=(R1,), max_in_flight=3)
    assert 1 <= transport.peak <= 3


def test_a_hanging_resolver_neither_starves_the_other_nor_holds_the_check() -> None:
    async def handler(base: str, query: dns.message.Message) -> HttpReply:
        if base == R2:
            await asyncio.sleep(3600)
        return zone_handler(ZONE)(base, query)  # type: ignore[return-value]

    transport = FakeTransport(handler)
    result = run(transport, resolvers=(R1, R2), max_in_flight=4, query_timeout=0.3, timeout=60)
    assert result.verdict == Verdict.OK
    assert not result.deadline_hit
    asked_r2 = sum(1 for call in transport.calls if call[0] == R2)
    asked_r1 = sum(1 for call in transport.calls if call[0] == R1)
    assert asked_r2 < asked_r1  # once it proved unresponsive, the rest were not sent
    reasons = {reason_of(note).key for row in result.rows for note in row.notes}
    assert reasons <= {"fail.timeout", "fail.unresponsive"}
    assert "fail.unresponsive" in reasons


def test_one_retry_for_5xx_then_success() -> None:
    failures: dict[tuple[str, str], int] = {}

    def handler(base: str, query: dns.message.Message) -> HttpReply:
        key = (query.question[0].name.to_text(), dns.rdatatype.to_text(query.question[0].rdtype))
        if key[0] == "mail.example.com." and failures.get(key, 0) == 0:
            failures[key] = 1
            return HttpReply(503, "text/plain", b"busy")
        return zone_handler(ZONE)(base, query)  # type: ignore[return-value]

    transport = FakeTransport(handler)
    result = run(transport)
    assert result.verdict == Verdict.OK
    assert transport.count("mail.example.com", "A") == 2


def test_at_most_one_retry_and_none_for_404() -> None:
    def handler(base: str, query: dns.message.Message) -> HttpReply:
        name = query.question[0].name.to_text()
        if name == "mail.example.com.":
            return HttpReply(500, "text/plain", b"")
        if name == "cpanel.example.com.":
            return HttpReply(404, "text/plain", b"")
        return zone_handler(ZONE)(base, query)  # type: ignore[return-value]

    transport = FakeTransport(handler)
    result = run(transport)
    assert transport.count("mail.example.com", "A") == 2
    assert transport.count("cpanel.example.com", "A") == 1
    rows = {row.name: row for row in result.rows}
    assert rows["mail.example.com"].codes == [Code.LOOKUP_FAILED]
    assert rows["cpanel.example.com"].codes == [Code.LOOKUP_FAILED]
    assert rows["www.example.com"].ok
    assert result.verdict == Verdict.INCONCLUSIVE


def test_long_retry_after_means_no_retry() -> None:
    def handler(base: str, query: dns.message.Message) -> HttpReply:
        if query.question[0].name.to_text() == "mail.example.com.":
            return HttpReply(429, "text/plain", b"", {"Retry-After": "3600"})
        return zone_handler(ZONE)(base, query)  # type: ignore[return-value]

    transport = FakeTransport(handler)
    run(transport)
    assert transport.count("mail.example.com", "A") == 1


def test_transport_errors_become_lookup_failures() -> None:
    def handler(base: str, query: dns.message.Message) -> HttpReply:
        if query.question[0].name.to_text() == "webmail.example.com.":
            raise TransportError("closed")
        if query.question[0].name.to_text() == "webdisk.example.com.":
            raise RuntimeError("transport bug")
        return zone_handler(ZONE)(base, query)  # type: ignore[return-value]

    result = run(FakeTransport(handler))
    rows = {row.name: row for row in result.rows}
    assert rows["webmail.example.com"].codes == [Code.LOOKUP_FAILED]
    assert rows["webdisk.example.com"].codes == [Code.LOOKUP_FAILED]
    assert sum(row.ok for row in result.rows) == 7


def test_deadline_ends_the_check_and_keeps_other_results() -> None:
    async def handler(base: str, query: dns.message.Message) -> HttpReply:
        if query.question[0].name.to_text() == "mail.example.com.":
            await asyncio.sleep(3600)
        return zone_handler(ZONE)(base, query)  # type: ignore[return-value]

    delivered: list[NameRow] = []
    result = run(FakeTransport(handler), delivered, timeout=0.5, query_timeout=30)
    rows = {row.name: row for row in result.rows}
    assert rows["mail.example.com"].codes == [Code.LOOKUP_FAILED]
    assert reason_of(rows["mail.example.com"].findings[0].facts[0]).key == "fail.deadline"
    assert all(row.ok for name, row in rows.items() if name != "mail.example.com")
    assert result.deadline_hit
    assert len(delivered) == 9


def test_query_timeout_gives_a_plain_reason() -> None:
    async def handler(base: str, query: dns.message.Message) -> HttpReply:
        if query.question[0].name.to_text() == "mail.example.com.":
            await asyncio.sleep(3600)
        return zone_handler(ZONE)(base, query)  # type: ignore[return-value]

    result = run(FakeTransport(handler), timeout=10, query_timeout=0.2)
    row = next(row for row in result.rows if row.name == "mail.example.com")
    fact = row.findings[0].facts[0]
    assert reason_of(fact).key == "fail.timeout"
    assert fact.params["reason"].key == "after_retry"  # type: ignore[union-attr]
    assert "within 0.2 s" in fact_text(fact, "en")
    assert "0.2 秒以内" in fact_text(fact, "ja")


def test_one_failing_resolver_is_noted_not_fatal() -> None:
    def handler(base: str, query: dns.message.Message) -> HttpReply:
        if base == R2:
            return HttpReply(503, "text/plain", b"")
        return zone_handler(ZONE)(base, query)  # type: ignore[return-value]

    result = run(FakeTransport(handler), resolvers=(R1, R2))
    assert result.verdict == Verdict.OK
    notes = [note for row in result.rows for note in row.notes]
    assert notes
    assert all("two.example answered HTTP 503" in fact_text(note, "en") for note in notes)


def test_resolvers_disagree_shows_ttl() -> None:
    def handler(base: str, query: dns.message.Message) -> HttpReply:
        name = query.question[0].name.to_text()
        if (
            name == "mail.example.com."
            and query.question[0].rdtype == dns.rdatatype.A
            and base == R2
        ):
            return ok_reply(reply_for(query, {"A": ["198.51.100.20"]}, ttl=120))
        return zone_handler(ZONE)(base, query)  # type: ignore[return-value]

    result = run(FakeTransport(handler), resolvers=(R1, R2))
    row = next(row for row in result.rows if row.name == "mail.example.com")
    assert Code.RESOLVERS_DISAGREE in row.codes
    assert Code.PARTIAL in row.codes
    from autossl_check.report import finding_lines

    text = " ".join(finding_lines(row, "en"))
    assert "TTL 120 s" in text
    assert "TTL 300 s" in text


def test_server_from_apex_when_not_given() -> None:
    zone = dict(ZONE)
    zone["mail.example.com"] = {"A": ["198.51.100.7"]}
    result = run(FakeTransport(zone_handler(zone)), servers=())
    assert result.server_source == "apex"
    assert list(result.servers) == GOOD
    assert {row.name: row.codes for row in result.rows}["mail.example.com"] == [Code.ELSEWHERE]


def test_apex_without_address_leaves_names_uncompared() -> None:
    zone = dict(ZONE)
    del zone["example.com"]
    result = run(FakeTransport(zone_handler(zone)), servers=())
    codes = {row.name: row.codes for row in result.rows}
    assert codes["example.com"] == [Code.NXDOMAIN]
    assert codes["www.example.com"] == []
    assert any(note.key == "no_server" for row in result.rows for note in row.notes)
    assert result.verdict == Verdict.ACTION_NEEDED


def test_nxdomain_through_a_dangling_cname() -> None:
    def handler(base: str, query: dns.message.Message) -> HttpReply:
        if query.question[0].name.to_text() == "mail.example.com.":
            body = reply_for(
                query, rcode=dns.rcode.NXDOMAIN, cname=[("mail.example.com.", "gone.example.net.")]
            )
            return ok_reply(body)
        return zone_handler(ZONE)(base, query)  # type: ignore[return-value]

    result = run(FakeTransport(handler))
    row = next(row for row in result.rows if row.name == "mail.example.com")
    assert row.codes == [Code.NXDOMAIN]
    assert row.cname == ("gone.example.net",)


def test_caa_servfail_and_caa_found_through_walk() -> None:
    zone = {k: dict(v) for k, v in ZONE.items()}
    zone["example.com"]["CAA"] = ['0 issue "sectigo.com"']
    zone["www.example.com"]["CAA"] = ['0 issue "letsencrypt.org"']

    def handler(base: str, query: dns.message.Message) -> HttpReply:
        question = query.question[0]
        if (
            question.name.to_text() == "webdisk.example.com."
            and question.rdtype == dns.rdatatype.CAA
        ):
            return ok_reply(
                reply_for(query, rcode=dns.rcode.SERVFAIL, ede=(22, "No Reachable Authority"))
            )
        return zone_handler(zone)(base, query)  # type: ignore[return-value]

    result = run(FakeTransport(handler))
    codes = {row.name: row.codes for row in result.rows}
    assert codes["www.example.com"] == []
    assert codes["mail.example.com"] == [Code.CAA_FORBIDS]
    # The walk stops where the lookup failed: SERVFAIL, and no guess about the parent's set.
    assert codes["webdisk.example.com"] == [Code.SERVFAIL]


def test_names_past_a_websites_hundred_are_flagged_max_domains_as_autossl_would() -> None:
    names = [f"n{index}.example.com" for index in range(103)]
    zone = {name: {"A": GOOD} for name in ["example.com", *names]}
    planned = [PlannedName("example.com", Why(Rule.DOMAIN))]
    planned += [PlannedName(name, Why(Rule.SERVERALIAS)) for name in names]
    result = asyncio.run(
        run_check(
            request("example.com", (R1,)),
            FakeTransport(zone_handler(zone)),
            planned=planned,
            websites=[("example.com", [item.name for item in planned])],
        )
    )

    flagged = [row for row in result.rows if row.codes]
    assert [row.name for row in flagged] == names[99:]
    assert all(row.codes == [Code.MAX_DOMAINS] for row in flagged)
    fact = flagged[0].findings[0].facts[0]
    assert fact.key == "max_domains"
    assert "104" in fact_text(fact, "en")
    assert "100" in fact_text(fact, "ja")
    # Every name resolves, but one certificate cannot hold them: the names past the limit are
    # the ones to exclude (or others), as AutoSSL's CERTIFICATE_HAS_MAX_DOMAINS says.
    assert result.verdict is Verdict.ACTION_NEEDED
    assert result.exclude == tuple(sorted(names[99:]))
    for lang, words in (("en", "CERTIFICATE_HAS_MAX_DOMAINS"), ("ja", "104 個")):
        (shown,) = report.page_row(flagged[0], lang)["findings"]
        assert shown["code"] == "MAX_DOMAINS"
        assert shown["anchor"] == "findings/#MAX_DOMAINS"
        assert shown["title"] == texts.title(Code.MAX_DOMAINS, lang)
        assert words in shown["text"]
        assert report.to_json(result)["names"][100]["codes"] == ["MAX_DOMAINS"]
        assert "fit_max_domains" in dict(report.advice_items(result, lang))


def test_a_max_domains_finding_keeps_the_code_order_of_the_others() -> None:
    row = NameRow(
        "n.example.com",
        Why(Rule.SERVERALIAS),
        findings=(Finding(Code.LOOKUP_FAILED), Finding(Code.NXDOMAIN)),
    )
    flagged = past_max_domains(row, "example.com", 120, 100)
    assert flagged.codes == [Code.NXDOMAIN, Code.LOOKUP_FAILED, Code.MAX_DOMAINS]
    assert flagged.status is RowStatus.PROBLEM
