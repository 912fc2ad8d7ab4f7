"""DNS messages on the wire: RFC 8484 GET queries out, `Answer` or `LookupFailure` back.

Nothing here touches the network. `read_reply` accepts any bytes at all and always returns one of
the two result types: a hostile or broken resolver can make a lookup fail, never the checker.
"""

from __future__ import annotations

import base64
import functools
import ipaddress
from typing import TYPE_CHECKING

from .model import Answer, CaaRecord, Ede, FailureKind, LookupFailure, Outcome, ResolverId
from .transport import DNS_MESSAGE, HttpReply

if TYPE_CHECKING:
    import dns.message
    import dns.name
    import dns.rrset

MAX_CNAME_CHAIN = 16
EDNS_PAYLOAD = 1232
MAX_MESSAGE = 65_535  # the largest DNS message there can be
HEADER_BYTES = 12

RdType = str  # "A", "AAAA" or "CAA"


_dnspython_loaded = False


def load_dnspython() -> None:
    """Import what `read_reply` parses with (dnspython), unless done already.

    Nothing needs it before the first answer arrives, so the CLI loads it while its first queries
    are on the way.
    """
    global _dnspython_loaded, dns
    if _dnspython_loaded:
        return
    # Before any dns module: it answers dnspython's idna probe without a metadata search.
    from . import _dnspython  # noqa: F401

    # isort: split
    import dns.edns
    import dns.flags
    import dns.message
    import dns.name
    import dns.rcode
    import dns.rdata
    import dns.rdataclass
    import dns.rdatatype

    _dnspython_loaded = True


# dnspython imports the class of each record type the first time it meets one in an answer; these
# are the types read_reply looks into (SOA for the negative TTL).
ANSWER_TYPES = ("A", "AAAA", "CNAME", "CAA", "SOA")


def load_answer_types() -> None:
    """Import dnspython and those record classes now, so that the first answers pay no import."""
    load_dnspython()
    for rdtype in ANSWER_TYPES:
        rdclass, wanted = dns.rdataclass.IN, dns.rdatatype.from_text(rdtype)
        dns.rdata.get_rdata_class(rdclass, wanted)  # type: ignore[no-untyped-call]  # untyped in dnspython


# The same bytes serve every resolver and every later check of the name: build them once.
@functools.lru_cache(maxsize=1024)
def build_query(name: str, rdtype: RdType) -> bytes:
    """A recursive query with ID 0 (so HTTP caches can share answers) and EDNS0, carrying an
    EDNS Client Subnet option with source prefix 0: RFC 7871's way of asking resolvers that
    forward the client's subnet to authoritative servers (Google does) not to send the reader's.

    Only the name differs between two queries of one type, so the rest comes from one message
    dnspython made (`_query_template`); in WebAssembly that is about a fifth of the cost of
    making a whole message per query. The bytes are the same as `_whole_query` builds.
    """
    before, after = _query_template(rdtype)
    qname = dns.name.from_text(name).to_wire()
    assert qname is not None  # without a file to write to, to_wire returns the bytes
    return before + qname + after


@functools.cache
def _query_template(rdtype: RdType) -> tuple[bytes, bytes]:
    """The bytes of a query for the root, before and after its name (the root is one byte)."""
    root_query = _whole_query(".", rdtype)
    return root_query[:HEADER_BYTES], root_query[HEADER_BYTES + 1 :]


def _whole_query(name: str, rdtype: RdType) -> bytes:
    load_dnspython()
    no_subnet = dns.edns.ECSOption("0.0.0.0", 0)  # noqa: S104 - an address family, not a socket
    query = dns.message.make_query(
        name,
        rdtype,
        use_edns=0,
        payload=EDNS_PAYLOAD,
        options=[no_subnet],
        id=0,
        flags=dns.flags.RD,
    )
    return query.to_wire()


def query_url(resolver_url: str, wire: bytes) -> str:
    encoded = base64.urlsafe_b64encode(wire).rstrip(b"=").decode("ascii")
    joiner = "&" if "?" in resolver_url else "?"
    return f"{resolver_url}{joiner}dns={encoded}"


def _looks_like_html(reply: HttpReply) -> bool:
    if reply.content_type.lower().startswith(("text/html", "application/xhtml")):
        return True
    head = reply.body[:512].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<?xml"))


def _retry_after(reply: HttpReply) -> float | None:
    value = reply.header("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def _printable_name(name: dns.name.Name) -> str:
    text = name.to_text(omit_final_dot=True)
    return text.lower() if text.isascii() else ascii(text)[1:-1]


def read_reply(reply: HttpReply, name: str, rdtype: RdType, resolver: ResolverId) -> Outcome:
    """Judge one HTTP reply to the query `(name, rdtype)`."""
    load_dnspython()
    try:
        return _read_reply(reply, name, rdtype, resolver)
    except Exception:  # a parser bug must cost one lookup, never the whole check
        return LookupFailure(FailureKind.NOT_DNS, resolver)


def _read_reply(reply: HttpReply, name: str, rdtype: RdType, resolver: ResolverId) -> Outcome:
    def failed(kind: FailureKind, **params: int | str) -> LookupFailure:
        return LookupFailure(kind, resolver, tuple(params.items()))

    if reply.status != 200:
        status = (("status", reply.status),)
        retry_after = _retry_after(reply)
        return LookupFailure(FailureKind.HTTP_STATUS, resolver, status, retry_after=retry_after)
    if not reply.body:
        return failed(FailureKind.EMPTY)
    if _looks_like_html(reply):
        return failed(FailureKind.HTML)
    content_type = reply.content_type.split(";", 1)[0].strip().lower()
    if not content_type:
        return failed(FailureKind.NO_CONTENT_TYPE)
    if content_type != DNS_MESSAGE:
        shown = content_type[:60] if content_type.isprintable() else ascii(content_type[:60])
        return failed(FailureKind.CONTENT_TYPE, content_type=shown)
    if len(reply.body) > MAX_MESSAGE:
        return failed(FailureKind.TOO_LARGE)
    try:
        message = dns.message.from_wire(reply.body, ignore_trailing=True)
    except Exception:
        return failed(FailureKind.NOT_DNS)
    if not message.flags & dns.flags.QR:
        return failed(FailureKind.NOT_RESPONSE)
    if message.id != 0:
        return failed(FailureKind.WRONG_ID, id=message.id)
    expected, wanted_type = _question(name, rdtype)
    if len(message.question) != 1:
        return failed(FailureKind.QUESTION_COUNT, count=len(message.question))
    question = message.question[0]
    if (
        question.name != expected
        or question.rdtype != wanted_type
        or question.rdclass != dns.rdataclass.IN
    ):
        asked = f"{_printable_name(question.name)} {dns.rdatatype.to_text(question.rdtype)}"
        return failed(FailureKind.WRONG_QUESTION, question=asked)
    if message.flags & dns.flags.TC:
        return failed(FailureKind.TRUNCATED)

    rcode = message.rcode()
    ede = _extended_errors(message)
    if rcode == dns.rcode.SERVFAIL:
        return Answer("SERVFAIL", ede=ede)
    if rcode not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
        return failed(FailureKind.RCODE, rcode=dns.rcode.to_text(rcode))

    chain, owner = _follow_cnames(message, expected)
    if chain is None:
        return failed(FailureKind.CNAME_LOOP)
    if len(chain) > MAX_CNAME_CHAIN:
        return failed(FailureKind.CNAME_CHAIN_TOO_LONG, limit=MAX_CNAME_CHAIN)
    addresses: list[str] = []
    caa: list[CaaRecord] = []
    ttl: int | None = None
    for rrset in message.answer:
        if rrset.name != owner or rrset.rdtype != wanted_type or rrset.rdclass != dns.rdataclass.IN:
            continue
        ttl = rrset.ttl if ttl is None else min(ttl, rrset.ttl)
        for rdata in rrset:
            if wanted_type == dns.rdatatype.CAA:
                caa.append(_caa_record(rdata))
            else:
                address = ipaddress.ip_address(rdata.address).compressed
                if address not in addresses:
                    addresses.append(address)
    zone = ""
    soa = _soa(message)
    if soa is not None:
        zone = _printable_name(soa.name)
        if ttl is None:
            ttl = int(min(soa.ttl, getattr(next(iter(soa)), "minimum", soa.ttl)))
    return Answer(
        "NXDOMAIN" if rcode == dns.rcode.NXDOMAIN else "NOERROR",
        cname=tuple(chain),
        addresses=tuple(addresses),
        caa=tuple(caa),
        ttl=ttl,
        ede=ede,
        zone=zone,
    )


@functools.lru_cache(maxsize=1024)
def _question(name: str, rdtype: RdType) -> tuple[dns.name.Name, int]:
    """The question a reply must repeat, parsed once per name (names repeat across resolvers)."""
    return dns.name.from_text(name), dns.rdatatype.from_text(rdtype)


def _follow_cnames(
    message: dns.message.Message, start: dns.name.Name
) -> tuple[list[str] | None, dns.name.Name]:
    """The CNAME targets from `start`, in order, as the resolver returned them."""
    targets: dict[dns.name.Name, dns.name.Name] = {}
    for rrset in message.answer:
        if rrset.rdtype == dns.rdatatype.CNAME and len(rrset) > 0:
            targets.setdefault(rrset.name, next(iter(rrset)).target)
    chain: list[str] = []
    seen = {start}
    owner = start
    while owner in targets:
        owner = targets[owner]
        if owner in seen:
            return None, owner
        seen.add(owner)
        chain.append(_printable_name(owner))
        if len(chain) > MAX_CNAME_CHAIN:
            break  # too long to follow further; the caller refuses it
    return chain, owner


def _caa_record(rdata: object) -> CaaRecord:
    flags = int(getattr(rdata, "flags", 0))
    tag = bytes(getattr(rdata, "tag", b"")).decode("ascii", "backslashreplace")
    value = bytes(getattr(rdata, "value", b"")).decode("utf-8", "backslashreplace")
    return CaaRecord(flags, tag, value)


def _soa(message: dns.message.Message) -> dns.rrset.RRset | None:
    """The SOA record set of the authority section (RFC 2308 negative answers carry one)."""
    for rrset in message.authority:
        if rrset.rdtype == dns.rdatatype.SOA and rrset.rdclass == dns.rdataclass.IN and rrset:
            return rrset
    return None


def _extended_errors(message: dns.message.Message) -> tuple[Ede, ...]:
    """Each EDE option: its code, and the resolver's text made printable (texts has meanings)."""
    found = []
    for option in message.options:
        if isinstance(option, dns.edns.EDEOption):
            text = option.text or ""
            shown = text if text.isprintable() else ascii(text)[1:-1]
            found.append(Ede(int(option.code), shown[:200]))
    return tuple(found)
