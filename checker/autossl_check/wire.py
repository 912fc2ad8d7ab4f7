"""DNS messages on the wire: RFC 8484 GET queries out, `Answer` or `LookupFailure` back.

Nothing here touches the network. `read_reply` accepts any bytes at all and always returns one of
the two result types: a hostile or broken resolver can make a lookup fail, never the checker.
"""

from __future__ import annotations

import base64
import functools
import ipaddress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .transport import DNS_MESSAGE, HttpReply

if TYPE_CHECKING:
    import dns.message
    import dns.name

MAX_CNAME_CHAIN = 16
EDNS_PAYLOAD = 1232

RdType = str  # "A", "AAAA" or "CAA"


@dataclass(frozen=True, slots=True)
class CaaRecord:
    flags: int
    tag: str
    value: str

    def as_text(self) -> str:
        return f'{self.flags} {self.tag} "{self.value}"'


@dataclass(frozen=True, slots=True)
class Answer:
    """A usable DNS response for one (name, type) from one resolver."""

    rcode: str  # "NOERROR", "NXDOMAIN" or "SERVFAIL"
    cname: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    caa: tuple[CaaRecord, ...] = ()
    ttl: int | None = None
    ede: str = ""  # Extended DNS Error text (RFC 8914), when the resolver sent one


@dataclass(frozen=True, slots=True)
class LookupFailure:
    """No usable answer. `kind` is a stable key; texts.py turns it into words.

    Kinds: http_status, html, content_type, empty, not_dns, not_response, wrong_id,
    wrong_question, truncated, rcode, timeout, unresponsive, closed, refused, tls, network,
    too_large, blocked, deadline, internal.
    """

    kind: str
    resolver: str
    detail: str = ""
    retry_after: float | None = field(default=None, compare=False)
    retried: bool = field(default=False, compare=False)

    @property
    def retryable(self) -> bool:
        if self.kind in ("timeout", "closed", "refused", "network"):
            return True
        if self.kind == "http_status":
            return self.detail == "429" or self.detail.startswith("5")
        return False

    @property
    def reason(self) -> str:
        from .texts import failure_text

        return failure_text(self, "en")


Outcome = Answer | LookupFailure


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


# The query types the checker asks, with their numbers, for build_query's own encoder.
QUERY_TYPES = {"A": 1, "AAAA": 28, "CAA": 257}
_FLAGS_RD = 0x0100
_OPT = 41
_LDH = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


# The same bytes serve every resolver and every later check of the name: build them once.
@functools.lru_cache(maxsize=1024)
def build_query(name: str, rdtype: RdType) -> bytes:
    """A recursive query with ID 0 (so HTTP caches can share answers) and EDNS0, carrying an
    EDNS Client Subnet option with source prefix 0: RFC 7871's way of asking resolvers that
    forward the client's subnet to authoritative servers (Google does) not to send the reader's.
    """
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


def _dnspython_query(name: str, rdtype: RdType) -> bytes:
    load_dnspython()
    query = dns.message.make_query(
        name, rdtype, use_edns=0, payload=EDNS_PAYLOAD, id=0, flags=dns.flags.RD
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


def read_reply(reply: HttpReply, name: str, rdtype: RdType, resolver: str) -> Outcome:
    """Judge one HTTP reply to the query `(name, rdtype)`."""
    load_dnspython()
    try:
        return _read_reply(reply, name, rdtype, resolver)
    except Exception:  # a parser bug must cost one lookup, never the whole check
        return LookupFailure("not_dns", resolver)


def _read_reply(reply: HttpReply, name: str, rdtype: RdType, resolver: str) -> Outcome:
    if reply.status != 200:
        return LookupFailure("http_status", resolver, str(reply.status), _retry_after(reply))
    if not reply.body:
        return LookupFailure("empty", resolver)
    if _looks_like_html(reply):
        return LookupFailure("html", resolver)
    content_type = reply.content_type.split(";", 1)[0].strip().lower()
    if content_type != DNS_MESSAGE:
        shown = content_type[:60] if content_type.isprintable() else ascii(content_type[:60])
        return LookupFailure("content_type", resolver, shown or "no content type")
    try:
        message = dns.message.from_wire(reply.body, ignore_trailing=True)
    except Exception:
        return LookupFailure("not_dns", resolver)
    if not message.flags & dns.flags.QR:
        return LookupFailure("not_response", resolver)
    if message.id != 0:
        return LookupFailure("wrong_id", resolver, str(message.id))
    expected = dns.name.from_text(name)
    wanted_type = dns.rdatatype.from_text(rdtype)
    if len(message.question) != 1:
        return LookupFailure("wrong_question", resolver)
    question = message.question[0]
    if (
        question.name != expected
        or question.rdtype != wanted_type
        or question.rdclass != dns.rdataclass.IN
    ):
        return LookupFailure("wrong_question", resolver, _printable_name(question.name))
    if message.flags & dns.flags.TC:
        return LookupFailure("truncated", resolver)

    rcode = message.rcode()
    ede = _extended_error(message)
    if rcode == dns.rcode.SERVFAIL:
        return Answer("SERVFAIL", ede=ede)
    if rcode not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
        return LookupFailure("rcode", resolver, dns.rcode.to_text(rcode))

    chain, owner = _follow_cnames(message, expected)
    if chain is None:
        return LookupFailure("not_dns", resolver, "CNAME loop")
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
    if ttl is None:
        ttl = _negative_ttl(message)
    return Answer(
        "NXDOMAIN" if rcode == dns.rcode.NXDOMAIN else "NOERROR",
        cname=tuple(chain),
        addresses=tuple(addresses),
        caa=tuple(caa),
        ttl=ttl,
        ede=ede,
    )


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
        if owner in seen or len(chain) >= MAX_CNAME_CHAIN:
            return None, owner
        seen.add(owner)
        chain.append(_printable_name(owner))
    return chain, owner


def _caa_record(rdata: object) -> CaaRecord:
    flags = int(getattr(rdata, "flags", 0))
    tag = bytes(getattr(rdata, "tag", b"")).decode("ascii", "backslashreplace")
    value = bytes(getattr(rdata, "value", b"")).decode("utf-8", "backslashreplace")
    return CaaRecord(flags, tag, value)


def _negative_ttl(message: dns.message.Message) -> int | None:
    for rrset in message.authority:
        if rrset.rdtype == dns.rdatatype.SOA and len(rrset) > 0:
            soa = next(iter(rrset))
            return int(min(rrset.ttl, getattr(soa, "minimum", rrset.ttl)))
    return None


def _extended_error(message: dns.message.Message) -> str:
    parts = []
    for option in message.options:
        if isinstance(option, dns.edns.EDEOption):
            code = int(option.code)
            text = option.text or ""
            words = text
            if not words:
                try:
                    words = _ede_words(dns.edns.EDECode(code).name)
                except ValueError:
                    words = ""
            shown = words if words.isprintable() else ascii(words)[1:-1]
            parts.append(f"EDE {code} {shown[:200]}" if shown else f"EDE {code}")
    return "; ".join(parts)


_EDE_ACRONYMS = {"DNSSEC", "DNSKEY", "DS", "NSEC", "RRSIGS", "TTL", "NXDOMAIN"}


def _ede_words(enum_name: str) -> str:
    words = [w if w in _EDE_ACRONYMS else w.lower() for w in enum_name.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]
