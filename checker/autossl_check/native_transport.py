"""The CLI's HTTP client: HTTP/1.1 GET over asyncio streams, stdlib only.

Connections are kept alive and reused per (scheme, host, port), so a check costs one TLS handshake
per concurrent lane rather than one per query. Everything is cancellable, so the check's deadline
really ends the work. HTTPS is verified with the default SSL context; plain http is refused except
to a loopback IP literal (the test resolver).
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Callable
from urllib.parse import urlsplit

from .inputs import is_loopback_host
from .transport import HttpReply, TransportError

MAX_BODY = 65_535 + 1  # a DNS message is at most 65535 bytes
MAX_HEADER_LINE = 8192
MAX_HEADERS = 100
USER_AGENT = "autossl-check"

Origin = tuple[str, str, int]
Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class NativeTransport:
    """Call it like a function: `await transport(url, accept)`. Close it with `aclose()`."""

    def __init__(
        self, *, max_idle_per_origin: int = 16, on_waiting: Callable[[], object] | None = None
    ) -> None:
        """`on_waiting` is called once, the first time every request begun has been sent and
        nothing is left to do but wait for answers: a moment to do work that would otherwise
        delay the first requests (the CLI imports what reading the answers needs)."""
        self._idle: dict[Origin, list[Connection]] = {}
        self._max_idle = max_idle_per_origin
        self._ssl: ssl.SSLContext | None = None
        self._unsent: set[object] = set()
        self._on_waiting = on_waiting

    async def __call__(self, url: str, accept: str) -> HttpReply:
        origin, target, host_header = _split(url)
        request = object()
        self._unsent.add(request)
        try:
            reused = self._take_idle(origin)
            if reused is not None:
                try:
                    return await self._exchange(
                        origin, reused, request, target, host_header, accept
                    )
                except _StaleConnection:
                    pass  # the server dropped an idle connection; try once on a fresh one
            connection = await self._connect(origin)
            try:
                return await self._exchange(
                    origin, connection, request, target, host_header, accept
                )
            except _StaleConnection:
                raise TransportError("closed") from None
        finally:
            self._sent(request)

    def _sent(self, request: object) -> None:
        """`request` was sent, or failed before it could be."""
        if request not in self._unsent:
            return
        self._unsent.discard(request)
        if self._unsent or self._on_waiting is None:
            return
        on_waiting, self._on_waiting = self._on_waiting, None
        with contextlib.suppress(Exception):  # only ever a head start: what fails here, fails again
            on_waiting()  # where the work is really due, and is reported there

    async def aclose(self) -> None:
        idle, self._idle = self._idle, {}
        for connections in idle.values():
            for _reader, writer in connections:
                writer.close()

    def _take_idle(self, origin: Origin) -> Connection | None:
        connections = self._idle.get(origin)
        while connections:
            reader, writer = connections.pop()
            if not writer.is_closing() and not reader.at_eof():
                return reader, writer
            writer.close()
        return None

    def _give_back(self, origin: Origin, connection: Connection) -> None:
        connections = self._idle.setdefault(origin, [])
        if len(connections) < self._max_idle:
            connections.append(connection)
        else:
            connection[1].close()

    async def _connect(self, origin: Origin) -> Connection:
        scheme, host, port = origin
        context = None
        if scheme == "https":
            if self._ssl is None:
                self._ssl = ssl.create_default_context()
            context = self._ssl
        try:
            return await asyncio.open_connection(
                host,
                port,
                ssl=context,
                server_hostname=host if context else None,
                limit=MAX_HEADER_LINE,
            )
        except ssl.SSLCertVerificationError as error:
            raise TransportError("tls", error.verify_message or "") from None
        except ConnectionRefusedError:
            raise TransportError("refused") from None
        except OSError as error:
            raise TransportError("network", _os_reason(error)) from None

    async def _exchange(
        self,
        origin: Origin,
        connection: Connection,
        request_id: object,
        target: str,
        host: str,
        accept: str,
    ) -> HttpReply:
        reader, writer = connection
        request = (
            f"GET {target} HTTP/1.1\r\nHost: {host}\r\nAccept: {accept}\r\n"
            f"User-Agent: {USER_AGENT}\r\nConnection: keep-alive\r\n\r\n"
        )
        finished = False
        try:
            writer.write(request.encode("ascii"))
            await writer.drain()
            self._sent(request_id)
            reply, keep_alive = await _read_response(reader)
            finished = True
        except (ConnectionError, asyncio.IncompleteReadError) as error:
            if isinstance(error, asyncio.IncompleteReadError) and error.partial:
                raise TransportError("closed") from None
            raise _StaleConnection from None
        except ssl.SSLError as error:
            raise TransportError("tls", error.reason or "") from None
        except OSError as error:
            raise TransportError("network", _os_reason(error)) from None
        finally:
            if not finished:
                writer.close()
        if keep_alive:
            self._give_back(origin, connection)
        else:
            writer.close()
        return reply


class _StaleConnection(Exception):
    """The connection closed before any byte of a response arrived."""


def _split(url: str) -> tuple[Origin, str, str]:
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port
    except ValueError:
        raise TransportError("blocked", "not a URL") from None
    scheme = parts.scheme.lower()
    if not host or scheme not in ("http", "https"):
        raise TransportError("blocked", "not an http(s) URL")
    if scheme == "http" and not is_loopback_host(host):
        raise TransportError("blocked", "plain http outside loopback")
    port = port or (443 if scheme == "https" else 80)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    host_header = parts.netloc.rpartition("@")[2]
    if any(ch in target + host_header for ch in "\r\n \t"):
        raise TransportError("blocked", "bad characters in URL")
    return (scheme, host, port), target, host_header


async def _read_line(reader: asyncio.StreamReader) -> bytes:
    try:
        line = await reader.readuntil(b"\n")
    except asyncio.LimitOverrunError:
        raise TransportError("too_large", "header line") from None
    return line.rstrip(b"\r\n")


async def _read_response(reader: asyncio.StreamReader) -> tuple[HttpReply, bool]:
    status_line = await _read_line(reader)
    parts = status_line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
        raise TransportError("network", "not an HTTP response")
    version, status = parts[0], int(parts[1])
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADERS + 1):
        line = await _read_line(reader)
        if not line:
            break
        name, sep, value = line.decode("latin-1").partition(":")
        if not sep:
            raise TransportError("network", "malformed HTTP header")
        key = name.strip().lower()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    else:
        raise TransportError("too_large", "too many headers")

    if status in (204, 304) or 100 <= status < 200:
        body = b""
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        body = await _read_chunked(reader)
    elif "content-length" in headers:
        try:
            length = int(headers["content-length"].split(",")[0])
        except ValueError:
            raise TransportError("network", "bad Content-Length") from None
        if length < 0 or length > MAX_BODY:
            raise TransportError("too_large")
        body = await reader.readexactly(length)
    else:
        body = await reader.read(MAX_BODY + 1)
        if len(body) > MAX_BODY:
            raise TransportError("too_large")
        return _reply(status, headers, body), False

    connection = headers.get("connection", "").lower()
    keep_alive = (
        version == b"HTTP/1.1" and "close" not in connection
    ) or "keep-alive" in connection
    return _reply(status, headers, body), keep_alive


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    while True:
        size_line = await _read_line(reader)
        try:
            size = int(size_line.split(b";")[0].strip(), 16)
        except ValueError:
            raise TransportError("network", "bad chunk") from None
        if size == 0:
            while await _read_line(reader):
                pass  # trailers
            return bytes(body)
        if len(body) + size > MAX_BODY:
            raise TransportError("too_large")
        body += await reader.readexactly(size)
        await _read_line(reader)


def _reply(status: int, headers: dict[str, str], body: bytes) -> HttpReply:
    return HttpReply(status, headers.get("content-type", ""), body, headers)


def _os_reason(error: OSError) -> str:
    text = error.strerror or type(error).__name__
    return text[:120]
