"""A loopback DNS-over-HTTPS resolver that answers from JSON zone data, for tests.

It speaks RFC 8484 (GET ``?dns=`` and POST) on ``/dns-query`` the way a public recursive
resolver does (CNAME chains, wildcards, NXDOMAIN, NODATA, SERVFAIL with an Extended DNS Error),
and misbehaves on demand so clients can be tested against broken resolvers. The zone format is
documented in tests/data/README.md.

Python use::

    with DohResolver("tests/data/zones.json", latency_ms=0) as resolver:
        fetch(resolver.url)  # http://127.0.0.1:PORT/dns-query

Command use (prints one ``READY <url>`` line once listening, stops on SIGTERM or SIGINT)::

    python tests/support/doh_resolver.py --zones tests/data/zones.json --port 0 --latency-ms 50
    python -m tests.support.doh_resolver --zones tests/data/zones.json
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import ipaddress
import json
import os
import signal
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

import dns.edns
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SHARED_ZONES = DATA_DIR / "zones.json"
PROPAGATING_ZONES = DATA_DIR / "zones-propagating.json"
PROXIED_ZONES = DATA_DIR / "zones-proxied.json"

DNS_MESSAGE = "application/dns-message"
DNS_PATH = "/dns-query"
FAULT_PREFIX = "/fault/"
CONTROL_PREFIX = "/_control/"

FAULT_KINDS = (
    "http500",
    "http503",
    "http429",
    "http404",
    "hang",
    "close",
    "html",
    "content_type",
    "garbage",
    "wrong_id",
    "wrong_question",
    "truncated",
    "empty",
)

RECORD_TYPES = ("A", "AAAA", "CNAME", "CAA", "TXT")
NAME_OPTIONS = ("ttl", "latency_ms", "fault", "fault_times")
TOP_LEVEL_KEYS = ("records", "servfail", "ttl", "names_that_exist", "soa", "comment")

# Longer than any client timeout in the project (the checker's hard deadline is 15 s).
HANG_SECONDS = 60.0
MAX_CNAME_HOPS = 16
MAX_POST_BYTES = 65535
EDNS_PAYLOAD = 1232  # the DNS Flag Day 2020 size public resolvers advertise
WRONG_QUESTION_NAME = dns.name.from_text("unrelated-question.example.")

CAPTIVE_PORTAL_PAGE = b"""<!doctype html>
<html><head><title>Sign in to the network</title></head>
<body><h1>Welcome to Hotel Wi-Fi</h1><p>Please accept the terms to continue.</p>
<form method="post" action="/accept"><button>Accept</button></form></body></html>
"""


class ZoneDataError(ValueError):
    """The zone data does not follow tests/data/README.md."""


class QueryRecord(NamedTuple):
    """One DNS request the resolver received; read the fields by name."""

    qname: str  # lower case with a trailing dot; "" when the request held no usable query
    qtype: str  # "A", "AAAA", "CAA"...; "" when the request held no usable query
    path: str  # the URL path, e.g. "/dns-query" or "/fault/http500/dns-query"
    time: float  # time.monotonic() when the request arrived
    referer: str | None = None  # the request's Referer header; None when it carried none


@dataclass(frozen=True)
class NameData:
    """Everything the zone data says about one owner name."""

    rdatas: Mapping[int, tuple[dns.rdata.Rdata, ...]]
    cname: dns.name.Name | None
    ttl: int
    latency_ms: float | None = None
    fault: str | None = None
    fault_times: int | None = None


EMPTY_NON_TERMINAL = NameData(rdatas={}, cname=None, ttl=0)


@dataclass(frozen=True)
class Servfail:
    code: int | None  # None: SERVFAIL without an Extended DNS Error
    text: str | None


@dataclass
class Resolution:
    rcode: dns.rcode.Rcode
    answer: list[dns.rrset.RRset]
    authority: list[dns.rrset.RRset]
    servfail: Servfail | None = None


def _name(text: str, where: str) -> dns.name.Name:
    if not isinstance(text, str) or not text:
        raise ZoneDataError(f"{where}: a name must be a non-empty string, got {text!r}")
    try:
        return dns.name.from_text(text)
    except dns.exception.DNSException as error:
        raise ZoneDataError(f"{where}: {text!r} is not a valid DNS name ({error})") from None


def _ttl(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2**31 - 1:
        raise ZoneDataError(f"{where}: ttl must be an integer from 0 to 2147483647, got {value!r}")
    return value


class ZoneData:
    """Parsed, validated zone data (see tests/data/README.md for the JSON format)."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        if not isinstance(document, Mapping):
            raise ZoneDataError("zone data must be a JSON object")
        unknown = sorted(set(document) - set(TOP_LEVEL_KEYS))
        if unknown:
            raise ZoneDataError(f"unknown top-level key(s) {unknown}; allowed: {TOP_LEVEL_KEYS}")
        self.ttl = _ttl(document.get("ttl", 300), "ttl")
        self.soa = document.get("soa", True)
        if not isinstance(self.soa, bool):
            raise ZoneDataError("soa must be true or false")
        self.names: dict[dns.name.Name, NameData] = {}
        records = document.get("records", {})
        if not isinstance(records, Mapping):
            raise ZoneDataError("records must be an object keyed by owner name")
        for owner_text, entry in records.items():
            owner = _name(owner_text, "records")
            if owner in self.names:
                raise ZoneDataError(f"records: {owner_text!r} is listed twice")
            self.names[owner] = self._parse_entry(owner, owner_text, entry)
        for owner_text in document.get("names_that_exist", []):
            owner = _name(owner_text, "names_that_exist")
            self.names.setdefault(owner, NameData(rdatas={}, cname=None, ttl=self.ttl))
        self.servfail: dict[dns.name.Name, Servfail] = {}
        servfail = document.get("servfail", {})
        if not isinstance(servfail, Mapping):
            raise ZoneDataError("servfail must be an object keyed by name")
        for owner_text, value in servfail.items():
            owner = _name(owner_text, "servfail")
            self.servfail[owner] = self._parse_servfail(owner_text, value)
        # A name exists when it owns data or has a descendant that does (an empty non-terminal).
        self.existing: set[dns.name.Name] = set()
        for owner in self.names:
            node = owner
            while node not in self.existing:
                self.existing.add(node)
                if node == dns.name.root:
                    break
                node = node.parent()

    def _parse_entry(self, owner: dns.name.Name, owner_text: str, entry: Any) -> NameData:
        if not isinstance(entry, Mapping):
            raise ZoneDataError(f"records[{owner_text!r}] must be an object")
        unknown = sorted(set(entry) - set(RECORD_TYPES) - set(NAME_OPTIONS))
        if unknown:
            raise ZoneDataError(
                f"records[{owner_text!r}]: unknown key(s) {unknown}; "
                f"record types are {RECORD_TYPES}, options are {NAME_OPTIONS}"
            )
        ttl = _ttl(entry.get("ttl", self.ttl), f"records[{owner_text!r}]")
        rdatas: dict[int, tuple[dns.rdata.Rdata, ...]] = {}
        cname: dns.name.Name | None = None
        for type_text in RECORD_TYPES:
            if type_text not in entry:
                continue
            values = entry[type_text]
            if type_text == "CNAME":
                if not isinstance(values, str):
                    raise ZoneDataError(f"records[{owner_text!r}].CNAME must be one name string")
                values = [values]
            if isinstance(values, str) or not isinstance(values, list) or not values:
                raise ZoneDataError(
                    f"records[{owner_text!r}].{type_text} must be a non-empty list of strings"
                )
            parsed = []
            for value in values:
                if not isinstance(value, str):
                    raise ZoneDataError(f"records[{owner_text!r}].{type_text}: {value!r}")
                try:
                    parsed.append(
                        dns.rdata.from_text(
                            dns.rdataclass.IN,
                            dns.rdatatype.from_text(type_text),
                            value,
                            origin=None,
                        )
                    )
                except (dns.exception.DNSException, ValueError) as error:
                    raise ZoneDataError(
                        f"records[{owner_text!r}].{type_text}: {value!r} is not valid "
                        f"presentation form ({error})"
                    ) from None
            rdtype = dns.rdatatype.from_text(type_text)
            rdatas[rdtype] = tuple(parsed)
            if type_text == "CNAME":
                cname = parsed[0].target  # type: ignore[attr-defined]
        if cname is not None and len(rdatas) > 1:
            raise ZoneDataError(f"records[{owner_text!r}]: a CNAME cannot share a name with data")
        latency = entry.get("latency_ms")
        if latency is not None and (
            isinstance(latency, bool) or not isinstance(latency, int | float) or latency < 0
        ):
            raise ZoneDataError(f"records[{owner_text!r}].latency_ms must be a number >= 0")
        fault = entry.get("fault")
        if fault is not None and fault not in FAULT_KINDS:
            raise ZoneDataError(
                f"records[{owner_text!r}].fault {fault!r} is not one of {FAULT_KINDS}"
            )
        fault_times = entry.get("fault_times")
        if fault_times is not None:
            if fault is None:
                raise ZoneDataError(f"records[{owner_text!r}]: fault_times needs a fault")
            if isinstance(fault_times, bool) or not isinstance(fault_times, int) or fault_times < 1:
                raise ZoneDataError(f"records[{owner_text!r}].fault_times must be an integer >= 1")
        return NameData(
            rdatas=rdatas,
            cname=cname,
            ttl=ttl,
            latency_ms=latency,
            fault=fault,
            fault_times=fault_times,
        )

    @staticmethod
    def _parse_servfail(owner_text: str, value: Any) -> Servfail:
        if value is None:
            return Servfail(code=None, text=None)
        if isinstance(value, Mapping):
            unknown = sorted(set(value) - {"code", "text"})
            if unknown:
                raise ZoneDataError(f"servfail[{owner_text!r}]: unknown key(s) {unknown}")
            code, text = value.get("code"), value.get("text")
        else:
            code, text = value, None
        if isinstance(code, bool) or not isinstance(code, int) or not 0 <= code <= 65535:
            raise ZoneDataError(f"servfail[{owner_text!r}]: code must be an integer 0-65535")
        if text is not None and not isinstance(text, str):
            raise ZoneDataError(f"servfail[{owner_text!r}]: text must be a string")
        return Servfail(code=code, text=text)

    @classmethod
    def load(cls, zones: str | os.PathLike[str] | Mapping[str, Any] | ZoneData) -> ZoneData:
        if isinstance(zones, ZoneData):
            return zones
        if isinstance(zones, Mapping):
            return cls(zones)
        path = Path(zones).resolve()
        stat = path.stat()
        key = (path, stat.st_mtime_ns, stat.st_size)
        cached = _LOADED_FILES.get(key)
        if cached is not None:
            return cached
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise ZoneDataError(f"{path}: not valid JSON ({error})") from None
        try:
            loaded = cls(document)
        except ZoneDataError as error:
            raise ZoneDataError(f"{path}: {error}") from None
        # Parsing the shared file costs tens of milliseconds; fixtures load it for every test.
        _LOADED_FILES[key] = loaded
        return loaded

    def lookup(self, name: dns.name.Name) -> NameData | None:
        """The data for a name (exact, empty non-terminal, or wildcard), or None: NXDOMAIN."""
        exact = self.names.get(name)
        if exact is not None:
            return exact
        if name in self.existing:
            return EMPTY_NON_TERMINAL
        # RFC 4592: only the wildcard child of the closest encloser can synthesise an answer.
        encloser = name
        while encloser != dns.name.root:
            encloser = encloser.parent()
            if encloser in self.existing:
                break
        return self.names.get(dns.name.Name((b"*", *encloser.labels)))

    def soa_for(self, name: dns.name.Name) -> dns.rrset.RRset:
        # The test data only uses names under two-label zones such as ok.example or example.com.
        apex = name.split(3)[1] if len(name) > 3 else name
        primary = dns.name.Name((b"ns1", *apex.labels))
        mailbox = dns.name.Name((b"hostmaster", *apex.labels))
        text = f"{primary} {mailbox} 1 7200 3600 1209600 {self.ttl}"
        soa = dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.SOA, text)
        return dns.rrset.from_rdata_list(apex, self.ttl, [soa])

    def resolve(self, qname: dns.name.Name, qtype: int) -> Resolution:
        """Answer like a recursive resolver: follow CNAMEs inside the data."""
        answer: list[dns.rrset.RRset] = []
        current = qname
        visited: set[dns.name.Name] = set()
        while True:
            servfail = self.servfail.get(current)
            if servfail is not None:
                return Resolution(dns.rcode.SERVFAIL, [], [], servfail)
            if current in visited or len(visited) > MAX_CNAME_HOPS:
                return Resolution(dns.rcode.SERVFAIL, [], [])
            visited.add(current)
            data = self.lookup(current)
            negative = [self.soa_for(current)] if self.soa else []
            if data is None:
                return Resolution(dns.rcode.NXDOMAIN, answer, negative)
            if data.cname is not None and qtype != dns.rdatatype.CNAME:
                answer.append(
                    dns.rrset.from_rdata_list(
                        current, data.ttl, list(data.rdatas[dns.rdatatype.CNAME])
                    )
                )
                current = data.cname
                continue
            rdatas = data.rdatas.get(qtype)
            if not rdatas:
                return Resolution(dns.rcode.NOERROR, answer, negative)
            answer.append(dns.rrset.from_rdata_list(current, data.ttl, list(rdatas)))
            return Resolution(dns.rcode.NOERROR, answer, [])


_LOADED_FILES: dict[tuple[Path, int, int], ZoneData] = {}


def _parse_query(wire: bytes) -> dns.message.Message | None:
    try:
        query = dns.message.from_wire(wire)
    except Exception:
        return None
    if query.flags & dns.flags.QR or len(query.question) != 1:
        return None
    return query


def _decode_base64url(text: str) -> bytes | None:
    stripped = text.rstrip("=")
    try:
        return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
    except (binascii.Error, ValueError):
        return None


def _garbage() -> bytes:
    while True:
        candidate = os.urandom(64)
        try:
            dns.message.from_wire(candidate)
        except Exception:
            return candidate


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Clients open many connections at once; the default backlog of 5 drops SYNs (~1 s stalls).
    request_queue_size = 128
    allow_reuse_address = False

    def __init__(self, address: tuple[str, int], owner: DohResolver, family: int) -> None:
        self.address_family = family
        self.owner = owner
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gives up mid-answer (timeouts, the close fault) is routine in these tests.
        if isinstance(sys.exc_info()[1], ConnectionError) and not self.owner.verbose:
            return
        super().handle_error(request, client_address)

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks DNS for the host's name (getfqdn), which can stall.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    # An idle keep-alive connection is dropped after this long, so no thread lingers forever.
    timeout = 120
    server: _Server
    server_version = "doh-test-resolver/1"

    def setup(self) -> None:
        super().setup()
        self.server.owner._track_connection(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.owner._track_connection(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.owner.verbose:
            super().log_message(format, *args)

    # --- responses -------------------------------------------------------------------------

    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "Retry-After, Cache-Control")

    def _reply(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.send_response(status)
        self._cors()
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers:
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _text(self, status: int, text: str, headers: Iterable[tuple[str, str]] = ()) -> None:
        self._reply(
            status,
            (text + "\n").encode(),
            "text/plain; charset=utf-8",
            [("Cache-Control", "no-store"), *headers],
        )

    # --- methods ---------------------------------------------------------------------------

    def do_OPTIONS(self) -> None:
        self.server.owner._count_preflight()
        self.send_response(204)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "content-type, accept")
        self.send_header("Access-Control-Max-Age", "86400")
        if self.headers.get("Access-Control-Request-Private-Network") == "true":
            # Chromium's Private Network Access preflight, should a page on a less private
            # address ever call this loopback resolver.
            self.send_header("Access-Control-Allow-Private-Network", "true")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        path, fault = self._route()
        if path is None:
            return
        query_string = urlsplit(self.path).query
        values = parse_qs(query_string, keep_blank_values=True).get("dns")
        if not values:
            self._dns_request(path, fault, None)
            return
        self._dns_request(path, fault, _decode_base64url(values[0]))

    def do_POST(self) -> None:
        path, fault = self._route()
        if path is None:
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self.close_connection = True
            self._text(411, "a POST needs a Content-Length")
            return
        if not 0 <= length <= MAX_POST_BYTES:
            self.close_connection = True
            self._text(413, "the body is too large for a DNS message")
            return
        body = self.rfile.read(length)
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != DNS_MESSAGE:
            self._text(415, f"a POST body must be {DNS_MESSAGE}")
            return
        self._dns_request(path, fault, body)

    # --- routing ---------------------------------------------------------------------------

    def _route(self) -> tuple[str | None, str | None]:
        """The DNS path and the path's fault kind, or (None, None) after answering otherwise."""
        path = urlsplit(self.path).path
        if path == DNS_PATH:
            return path, None
        if path.startswith(FAULT_PREFIX) and path.endswith(DNS_PATH):
            kind = path[len(FAULT_PREFIX) : -len(DNS_PATH)]
            if kind in FAULT_KINDS:
                return path, kind
            self._text(404, f"unknown fault kind {kind!r}; known: {', '.join(FAULT_KINDS)}")
            return None, None
        if path.startswith(CONTROL_PREFIX):
            self._control(path[len(CONTROL_PREFIX) :])
            return None, None
        self._text(404, f"not found; DNS queries go to {DNS_PATH}")
        return None, None

    def _control(self, action: str) -> None:
        owner = self.server.owner
        if action == "log" and self.command == "GET":
            body = json.dumps([record._asdict() for record in owner.queries]).encode()
            self._reply(200, body, "application/json", [("Cache-Control", "no-store")])
        elif action == "reset" and self.command == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(min(length, MAX_POST_BYTES))
            owner.clear_log()
            owner.reset_faults()
            self._text(200, "reset")
        else:
            self._text(404, "control actions: GET /_control/log, POST /_control/reset")

    # --- DNS -------------------------------------------------------------------------------

    def _dns_request(self, path: str, path_fault: str | None, wire: bytes | None) -> None:
        owner = self.server.owner
        arrived = time.monotonic()
        query = _parse_query(wire) if wire is not None else None
        if query is None:
            owner._record(QueryRecord("", "", path, arrived, self._referer()), self.command)
            owner._pause(owner.latency_ms / 1000)
            self._text(400, "the request holds no DNS query (RFC 8484: ?dns= or a POST body)")
            return
        question = query.question[0]
        qname, qtype = question.name, question.rdtype
        owner._record(
            QueryRecord(
                qname.to_text().lower(),
                dns.rdatatype.to_text(qtype),
                path,
                arrived,
                self._referer(),
            ),
            self.command,
        )
        data = owner.zones.lookup(qname)
        latency_ms = owner.latency_ms
        if data is not None and data.latency_ms is not None:
            latency_ms = data.latency_ms
        fault = path_fault or owner._name_fault(qname, qtype, data)
        if fault == "hang":
            owner._pause(HANG_SECONDS)
            self.close_connection = True
            return
        owner._pause(latency_ms / 1000)
        if fault is not None:
            self._fault(fault, query)
            return
        response, max_age = owner._answer(query)
        self._reply(
            200,
            response.to_wire(),
            DNS_MESSAGE,
            [("Cache-Control", f"max-age={max_age}")],
        )

    def _referer(self) -> str | None:
        return self.headers.get("Referer")

    def _fault(self, kind: str, query: dns.message.Message) -> None:
        no_store = [("Cache-Control", "no-store")]
        if kind == "http500":
            self._text(500, "internal server error (injected fault)")
        elif kind == "http503":
            self._text(503, "service unavailable (injected fault)")
        elif kind == "http429":
            self._text(429, "too many requests (injected fault)", [("Retry-After", "1")])
        elif kind == "http404":
            self._text(404, "not found (injected fault)")
        elif kind == "close":
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
        elif kind == "html":
            self._reply(200, CAPTIVE_PORTAL_PAGE, "text/html; charset=utf-8", no_store)
        elif kind == "content_type":
            response, _ = self.server.owner._answer(query)
            self._reply(200, response.to_wire(), "text/plain", no_store)
        elif kind == "garbage":
            self._reply(200, _garbage(), DNS_MESSAGE, no_store)
        elif kind == "empty":
            self._reply(200, b"", DNS_MESSAGE, no_store)
        elif kind == "wrong_id":
            response, _ = self.server.owner._answer(query)
            response.id = (query.id + 1) % 65536
            self._reply(200, response.to_wire(), DNS_MESSAGE, no_store)
        elif kind == "wrong_question":
            qtype = query.question[0].rdtype
            other = dns.message.make_query(WRONG_QUESTION_NAME, qtype, id=query.id)
            response = dns.message.make_response(
                other, recursion_available=True, our_payload=EDNS_PAYLOAD
            )
            if qtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
                address = "192.0.2.1" if qtype == dns.rdatatype.A else "2001:db8::1"
                response.answer.append(
                    dns.rrset.from_text(WRONG_QUESTION_NAME, 300, "IN", qtype, address)
                )
            self._reply(200, response.to_wire(), DNS_MESSAGE, no_store)
        elif kind == "truncated":
            response = dns.message.make_response(
                query, recursion_available=True, our_payload=EDNS_PAYLOAD
            )
            response.flags |= dns.flags.TC
            self._reply(200, response.to_wire(), DNS_MESSAGE, no_store)
        else:  # pragma: no cover - FAULT_KINDS and this chain are kept in step by the tests
            raise AssertionError(kind)


class DohResolver:
    """A loopback DoH resolver serving zone data from a background thread.

    ``zones`` is a path to a JSON file, a dict of the same shape, or a ``ZoneData``.
    ``latency_ms`` delays every answer (a name's own ``latency_ms`` replaces it for that name).
    ``cache_max_age`` fixes the ``Cache-Control: max-age`` of good answers (default: lowest TTL).
    """

    def __init__(
        self,
        zones: str | os.PathLike[str] | Mapping[str, Any] | ZoneData = SHARED_ZONES,
        *,
        latency_ms: float = 0,
        host: str = "127.0.0.1",
        port: int = 0,
        log_path: str | os.PathLike[str] | None = None,
        cache_max_age: int | None = None,
        verbose: bool = False,
    ) -> None:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            raise ValueError(
                f"the test resolver binds 127.0.0.1 (or ::1) only, not {host!r}"
            ) from None
        if not address.is_loopback or str(address) not in ("127.0.0.1", "::1"):
            raise ValueError(f"the test resolver binds 127.0.0.1 (or ::1) only, not {host!r}")
        self.host = str(address)
        self.zones = ZoneData.load(zones)
        self.latency_ms = float(latency_ms)
        self.cache_max_age = cache_max_age
        self.verbose = verbose
        self.preflights = 0
        self._requested_port = port
        self._log_path = Path(log_path) if log_path is not None else None
        self._log_file: Any = None
        self._queries: list[QueryRecord] = []
        self._fault_counts: dict[tuple[dns.name.Name, int], int] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- life cycle ------------------------------------------------------------------------

    def start(self) -> DohResolver:
        if self._server is not None:
            raise RuntimeError("the resolver is already running")
        self._stopping.clear()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        self._server = _Server((self.host, self._requested_port), self, family)
        if self._log_path is not None:
            self._log_file = self._log_path.open("a", encoding="utf-8")
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name=f"doh-resolver-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            log_file, self._log_file = self._log_file, None
        if log_file is not None:
            log_file.close()

    def __enter__(self) -> DohResolver:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # --- addresses -------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the resolver is not running")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        return self.base_url + DNS_PATH

    def fault_url(self, kind: str) -> str:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {FAULT_KINDS}")
        return f"{self.base_url}{FAULT_PREFIX}{kind}{DNS_PATH}"

    # --- the query log ---------------------------------------------------------------------

    @property
    def queries(self) -> list[QueryRecord]:
        with self._lock:
            return list(self._queries)

    def clear_log(self) -> None:
        with self._lock:
            self._queries.clear()
            self.preflights = 0

    def count(self, qname: str | None = None, qtype: str | None = None) -> int:
        """How many queries arrived, optionally only for one name and/or type."""
        wanted_name = None if qname is None else dns.name.from_text(qname).to_text().lower()
        return sum(
            1
            for record in self.queries
            if (wanted_name is None or record.qname == wanted_name)
            and (qtype is None or record.qtype == qtype.upper())
        )

    def reset_faults(self) -> None:
        """Re-arm every ``fault_times`` fault."""
        with self._lock:
            self._fault_counts.clear()

    # --- used by the handler ---------------------------------------------------------------

    def _track_connection(self, connection: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def _count_preflight(self) -> None:
        with self._lock:
            self.preflights += 1

    def _record(self, record: QueryRecord, method: str) -> None:
        with self._lock:
            self._queries.append(record)
            if self._log_file is not None:
                line = {**record._asdict(), "method": method, "wall": time.time()}
                self._log_file.write(json.dumps(line) + "\n")
                self._log_file.flush()

    def _pause(self, seconds: float) -> None:
        """Sleep in the handler thread, but wake at once when the resolver stops."""
        deadline = time.monotonic() + seconds
        while not self._stopping.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self._stopping.wait(remaining)

    def _name_fault(self, qname: dns.name.Name, qtype: int, data: NameData | None) -> str | None:
        if data is None or data.fault is None:
            return None
        if data.fault_times is None:
            return data.fault
        with self._lock:
            seen = self._fault_counts.get((qname, qtype), 0)
            self._fault_counts[(qname, qtype)] = seen + 1
        return data.fault if seen < data.fault_times else None

    def _answer(self, query: dns.message.Message) -> tuple[dns.message.Message, int]:
        question = query.question[0]
        resolution = self.zones.resolve(question.name, question.rdtype)
        response = dns.message.make_response(
            query, recursion_available=True, our_payload=EDNS_PAYLOAD
        )
        response.set_rcode(resolution.rcode)
        response.answer.extend(resolution.answer)
        response.authority.extend(resolution.authority)
        servfail = resolution.servfail
        if servfail is not None and servfail.code is not None and query.edns >= 0:
            # RFC 6891 forbids an OPT record in a reply to a query that had none.
            option = dns.edns.EDEOption(dns.edns.EDECode(servfail.code), servfail.text)
            response.use_edns(0, 0, EDNS_PAYLOAD, query.payload, options=[option])
        ttls = [rrset.ttl for rrset in (*resolution.answer, *resolution.authority)]
        max_age = min(ttls) if ttls else 0
        if resolution.rcode == dns.rcode.SERVFAIL:
            max_age = 0
        if self.cache_max_age is not None:
            max_age = self.cache_max_age
        return response, max_age


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--zones", default=str(SHARED_ZONES), help="zone data JSON file")
    parser.add_argument("--host", default="127.0.0.1", help="127.0.0.1 (default) or ::1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--latency-ms", type=float, default=0, help="delay before each answer")
    parser.add_argument("--log", help="append one JSON line per query to this file")
    parser.add_argument("--max-age", type=int, help="fixed Cache-Control max-age for answers")
    parser.add_argument("--verbose", action="store_true", help="log each HTTP request to stderr")
    options = parser.parse_args(argv)
    try:
        resolver = DohResolver(
            options.zones,
            latency_ms=options.latency_ms,
            host=options.host,
            port=options.port,
            log_path=options.log,
            cache_max_age=options.max_age,
            verbose=options.verbose,
        )
    except (ValueError, OSError) as error:
        print(f"doh_resolver: {error}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def request_stop(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        resolver.start()
    except OSError as error:
        print(f"doh_resolver: cannot listen: {error}", file=sys.stderr)
        return 2
    try:
        print(f"READY {resolver.url}", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        resolver.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
