"""The seam between the pure checker and the network.

A transport performs one HTTP GET and hands back what came over the wire. Everything about DNS
happens elsewhere, so the same checker runs over the stdlib client (CLI) and over the browser's
fetch (Pyodide).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

DNS_MESSAGE = "application/dns-message"


@dataclass(frozen=True, slots=True)
class HttpReply:
    status: int
    content_type: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None


class TransportError(Exception):
    """The request produced no HTTP reply at all.

    `kind` is one of: "timeout", "closed", "refused", "tls", "network", "too_large", "blocked".
    `detail` is a short technical hint (may be empty).
    """

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail


class Transport(Protocol):
    async def __call__(self, url: str, accept: str) -> HttpReply: ...
