"""A minimal RFC 8484 client for the resolver's own tests (stdlib http.client + dnspython)."""

from __future__ import annotations

import base64
import http.client
from dataclasses import dataclass
from urllib.parse import urlsplit

import dns.edns
import dns.message
import dns.rdatatype


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    def message(self) -> dns.message.Message:
        return dns.message.from_wire(self.body)


def make_query(name: str, rdtype: str = "A", *, query_id: int = 0, edns: bool = True) -> bytes:
    query = dns.message.make_query(name, rdtype, use_edns=0 if edns else False)
    query.id = query_id
    return query.to_wire()


def encode(wire: bytes, *, padding: bool = False) -> str:
    text = base64.urlsafe_b64encode(wire).decode()
    return text if padding else text.rstrip("=")


def request(
    url: str,
    method: str = "GET",
    *,
    path_suffix: str = "",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
) -> Reply:
    parts = urlsplit(url)
    assert parts.hostname is not None
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, parts.path + path_suffix, body=body, headers=headers or {})
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


def get(url: str, wire: bytes, *, padding: bool = False, timeout: float = 10.0) -> Reply:
    return request(
        url,
        path_suffix="?dns=" + encode(wire, padding=padding),
        headers={"Accept": "application/dns-message"},
        timeout=timeout,
    )


def post(url: str, wire: bytes, *, timeout: float = 10.0) -> Reply:
    return request(
        url,
        "POST",
        body=wire,
        headers={"Content-Type": "application/dns-message", "Accept": "application/dns-message"},
        timeout=timeout,
    )


def ask(url: str, name: str, rdtype: str = "A", **options: bool) -> dns.message.Message:
    reply = get(url, make_query(name, rdtype, **options))
    assert reply.status == 200, reply
    assert reply.header("Content-Type") == "application/dns-message"
    return reply.message()


def answer_texts(message: dns.message.Message) -> list[tuple[str, str, str]]:
    """(owner, type, data) for every record in the answer section, in order."""
    return [
        (rrset.name.to_text(), dns.rdatatype.to_text(rrset.rdtype), rdata.to_text())
        for rrset in message.answer
        for rdata in rrset
    ]


def extended_errors(message: dns.message.Message) -> list[tuple[int, str | None]]:
    return [
        (int(option.code), option.text)
        for option in message.options
        if isinstance(option, dns.edns.EDEOption)
    ]
