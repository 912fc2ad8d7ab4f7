"""Shared helpers for the checker tests: DNS replies built by hand and a scriptable transport."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import dns.edns
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
from autossl_check.engine import build_request, run_check
from autossl_check.model import CheckRequest, CheckResult, NameRow
from autossl_check.native_transport import NativeTransport
from autossl_check.transport import DNS_MESSAGE, HttpReply

# Schema 1 as issue 2 states it: written out here, not imported from the code under test.
TOP_KEYS = {
    "schema",
    "domain",
    "server",
    "server_source",
    "provider",
    "resolvers",
    "verdict",
    "names",
    "exclude",
    "queries",
    "checked_at",
}
SCHEMA_NAME_KEYS = {"name", "why", "ok", "codes", "a", "aaaa", "cname"}
# Keys documented as additive (docs/*/cli.md): the CLI's --json and the page's result carry them.
ADDITIVE_KEYS = {"records"}


SERVER = "203.0.113.10"
# The names a default check of ok.example asks about.
DEFAULT_NAMES = (
    "ok.example",
    "www.ok.example",
    "mail.ok.example",
    "cpanel.ok.example",
    "webmail.ok.example",
    "webdisk.ok.example",
    "cpcalendars.ok.example",
    "cpcontacts.ok.example",
    "autodiscover.ok.example",
)


def decode_query(url: str) -> dns.message.Message:
    encoded = parse_qs(urlsplit(url).query)["dns"][0]
    padded = encoded + "=" * (-len(encoded) % 4)
    return dns.message.from_wire(base64.urlsafe_b64decode(padded))


def reply_for(
    query: dns.message.Message,
    records: dict[str, Iterable[str]] | None = None,
    *,
    rcode: int = dns.rcode.NOERROR,
    cname: list[tuple[str, str]] | None = None,
    ede: tuple[int, str] | None = None,
    ttl: int = 300,
) -> bytes:
    """A response to `query`: `records` maps a type to presentation-form rdata at the final name."""
    response = dns.message.make_response(query)
    response.set_rcode(rcode)
    owner = query.question[0].name
    for source, target in cname or []:
        response.answer.append(dns.rrset.from_text(source, ttl, "IN", "CNAME", target))
        owner = dns.name.from_text(target)
    for rdtype, values in (records or {}).items():
        values = list(values)
        if values:
            response.answer.append(dns.rrset.from_text_list(owner, ttl, "IN", rdtype, values))
    if ede is not None:
        response.use_edns(0, options=[dns.edns.EDEOption(ede[0], ede[1])])
    # dnspython shuffles the records of an RRset on the wire by default; tests that read several
    # records back expect them in the order they were written.
    return response.to_wire(want_shuffle=False)


def ok_reply(body: bytes) -> HttpReply:
    return HttpReply(200, DNS_MESSAGE, body, {"content-type": DNS_MESSAGE})


Handler = Callable[[str, dns.message.Message], HttpReply | Awaitable[HttpReply]]


class FakeTransport:
    """Answers from a Python function; records every URL and the peak concurrency."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.calls: list[tuple[str, str, str]] = []  # (resolver base, qname, qtype)
        self.in_flight = 0
        self.peak = 0

    async def __call__(self, url: str, accept: str) -> HttpReply:
        assert accept == DNS_MESSAGE
        query = decode_query(url)
        question = query.question[0]
        base = url.split("?", 1)[0]
        self.calls.append(
            (
                base,
                question.name.to_text(omit_final_dot=True),
                dns.rdatatype.to_text(question.rdtype),
            )
        )
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            await asyncio.sleep(0)
            result = self.handler(base, query)
            if asyncio.iscoroutine(result) or isinstance(result, asyncio.Future):
                result = await result
            assert isinstance(result, HttpReply)
            return result
        finally:
            self.in_flight -= 1

    def count(self, name: str, rdtype: str, resolver: str | None = None) -> int:
        return sum(
            1
            for base, qname, qtype in self.calls
            if qname == name and qtype == rdtype and (resolver is None or base == resolver)
        )


def zone_handler(zone: dict[str, dict[str, list[str]]]) -> Handler:
    """A tiny resolver over {name: {type: [rdata]}}; absent names are NXDOMAIN."""

    def handle(base: str, query: dns.message.Message) -> HttpReply:
        question = query.question[0]
        name = question.name.to_text(omit_final_dot=True)
        rdtype = dns.rdatatype.to_text(question.rdtype)
        if name not in zone:
            return ok_reply(reply_for(query, rcode=dns.rcode.NXDOMAIN))
        return ok_reply(reply_for(query, {rdtype: zone[name].get(rdtype, [])}))

    return handle


def request(domain: str, resolvers: Iterable[str], **options: Any) -> CheckRequest:
    """Built as the CLI builds its own (any https resolver allowed)."""
    servers = options.pop("servers", (SERVER,))
    return build_request(
        domain, servers=servers, resolvers=resolvers, any_https_resolver=True, **options
    )


def check(
    domain: str,
    resolvers: Iterable[str],
    *,
    rows: list[NameRow] | None = None,
    **options: Any,
) -> CheckResult:
    """Run a real check over the native transport (against loopback resolvers)."""

    async def go() -> CheckResult:
        transport = NativeTransport()
        try:
            return await run_check(
                request(domain, resolvers, **options),
                transport,
                on_row=None if rows is None else rows.append,
            )
        finally:
            await transport.aclose()

    return asyncio.run(go())


def run_with(
    domain: str, resolvers: Iterable[str], *, transport: Any = None, **options: Any
) -> CheckResult:
    """One check over `transport`, or over the native transport when none is given."""
    if transport is None:
        return check(domain, resolvers, **options)
    return asyncio.run(run_check(request(domain, resolvers, **options), transport))


def by_name(result: CheckResult) -> dict[str, list[str]]:
    return {row.name: row.codes for row in result.rows}
