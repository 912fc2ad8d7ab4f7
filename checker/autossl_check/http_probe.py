"""The HTTP validation probe: the request the CA's validator sends, to every address of a name.

For each name and each of its AAAA and A addresses, `probe_names` connects to that address and
sends `GET http://NAME/.well-known/acme-challenge/<random>` (Let's Encrypt) or
`GET http://NAME/.well-known/pki-validation/<RANDOM>.txt` (Sectigo) with `Host: NAME`, follows
redirects as the provider does (Let's Encrypt: at most 10, http and https only, ports 80 and 443;
Sectigo: none), and records every answer: status, `Server` header, `Location`, a SHA-256 of the
first bytes of the body and the time taken. The same request, with the same Host header and the
same random path, also goes straight to each `--server` address, without following redirects:
if the name's address answers with another status, another `Server` header or another body (the
404 page, whose text usually names the path), it is treated as another web server.

The result is data and graded findings (stable codes, severity, string params), never words:
`texts` words them, `http_probe_report` renders them. Only GET is sent; a redirect to any
scheme but http or https is never followed; connections are never reused (each request is a new
connection, as a validator makes); at most `per_address` requests are open to one address at a
time. The HTTP transport and the resolver used for redirect targets can be injected.

With a document root (`docroot`), a real file with random content is written under
`DOCROOT/.well-known/...` first, every address must answer 200 with exactly that content, and the
file (and the directories the probe created) is deleted afterwards, also when the run is
cancelled or interrupted.

Command line only: a web page cannot choose the address it connects to, nor set `Host`.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import hashlib
import ipaddress
import os
import secrets
import socket
import ssl
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import SplitResult, urljoin, urlsplit

import httpx

from . import __version__
from .known_proxies import MAX_REDIRECTS
from .model import Severity

USER_AGENT = f"autossl-check/{__version__} (HTTP validation probe)"
DEFAULT_TIMEOUT = 10.0  # seconds per name and address, redirects included
DEFAULT_PER_ADDRESS = 2
DEFAULT_MAX_IN_FLIGHT = 16
MAX_BODY = 64 * 1024  # bytes of each answer read and hashed
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ALLOWED_REDIRECT_PORTS = frozenset({80, 443})
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class GradedFinding:
    """A probe's stable code, its severity (the model's, as for DNS findings) and the strings a
    sentence is built from (never words: `texts` words them)."""

    code: str
    severity: Severity
    params: Mapping[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "severity": str(self.severity), "params": dict(self.params)}


class ProbeCode(enum.StrEnum):
    HTTP_NO_CONNECTION = "HTTP_NO_CONNECTION"
    HTTP_NO_ANSWER = "HTTP_NO_ANSWER"
    HTTP_BAD_REDIRECT = "HTTP_BAD_REDIRECT"
    HTTP_FORBIDDEN = "HTTP_FORBIDDEN"
    HTTP_SERVER_ERROR = "HTTP_SERVER_ERROR"
    HTTP_FILE_MISMATCH = "HTTP_FILE_MISMATCH"
    HTTP_UNEXPECTED_STATUS = "HTTP_UNEXPECTED_STATUS"
    HTTP_OTHER_SERVER = "HTTP_OTHER_SERVER"
    HTTP_PROXY_SEEN = "HTTP_PROXY_SEEN"
    HTTP_NOT_COMPARED = "HTTP_NOT_COMPARED"


SEVERITIES: Mapping[ProbeCode, Severity] = {
    ProbeCode.HTTP_NO_CONNECTION: Severity.PROBLEM,
    ProbeCode.HTTP_NO_ANSWER: Severity.PROBLEM,
    ProbeCode.HTTP_BAD_REDIRECT: Severity.PROBLEM,
    ProbeCode.HTTP_FORBIDDEN: Severity.PROBLEM,
    ProbeCode.HTTP_SERVER_ERROR: Severity.PROBLEM,
    ProbeCode.HTTP_FILE_MISMATCH: Severity.PROBLEM,
    ProbeCode.HTTP_UNEXPECTED_STATUS: Severity.CHECK,
    ProbeCode.HTTP_OTHER_SERVER: Severity.CHECK,
    ProbeCode.HTTP_PROXY_SEEN: Severity.CHECK,
    ProbeCode.HTTP_NOT_COMPARED: Severity.INFO,
}


class Failure(enum.StrEnum):
    """Why an exchange ended without a complete answer."""

    REFUSED = "refused"  # nothing listens on the port (TCP RST)
    CONNECT_TIMEOUT = "connect_timeout"  # no TCP handshake in time: filtered or the host is down
    CONNECT_ERROR = "connect_error"  # any other failure to connect (no route, ...)
    NO_ANSWER = "no_answer"  # connected, but no complete answer in time
    CLOSED = "closed"  # the server closed the connection without an answer
    RESET = "reset"  # the connection broke while reading or writing
    PROTOCOL = "protocol"  # the answer was not HTTP
    OTHER = "other"


CONNECT_FAILURES = frozenset({Failure.REFUSED, Failure.CONNECT_TIMEOUT, Failure.CONNECT_ERROR})


class RedirectRefusal(enum.StrEnum):
    PROVIDER_FORBIDS = "provider_forbids"  # Sectigo follows no redirect at all
    SCHEME = "scheme"  # not http or https
    PORT = "port"  # not 80 or 443
    LOOP = "loop"  # back to a URL already fetched
    TOO_MANY = "too_many"  # more than the provider follows
    MALFORMED = "malformed"  # a Location that is not a usable URL
    UNRESOLVABLE = "unresolvable"  # the target's host name has no address


@dataclass(frozen=True, slots=True)
class Hop:
    """One answer: the URL as the validator sees it (with the name), and where it came from."""

    url: str
    address: str
    status: int
    server: str  # the Server header, "" without one
    location: str  # the Location header, "" without one
    body_sha256: str  # of the first MAX_BODY bytes
    proxy_evidence: str  # "server: cloudflare", "cf-ray" or ""
    elapsed: float  # seconds


@dataclass(frozen=True, slots=True)
class Exchange:
    """Everything one address said to the validator's request, redirects included."""

    address: str
    hops: tuple[Hop, ...]
    failure: Failure | None = None
    failure_url: str = ""  # the URL being fetched when it failed
    failure_detail: str = ""
    refusal: RedirectRefusal | None = None
    refused_location: str = ""
    body_matches: bool | None = None  # with a document root: the last answer was the file
    elapsed: float = 0.0

    @property
    def last(self) -> Hop | None:
        return self.hops[-1] if self.hops else None

    @property
    def completed(self) -> bool:
        return bool(self.hops) and self.failure is None and self.refusal is None


@dataclass(frozen=True, slots=True)
class ProbeTarget:
    name: str
    a: tuple[str, ...] = ()
    aaaa: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NameProbe:
    name: str
    url: str
    exchanges: tuple[Exchange, ...]  # one per address, AAAA first
    reference: tuple[Exchange, ...]  # the same request straight to each server address
    validator_order: tuple[str, ...]  # the addresses the validator would use, in order
    findings: tuple[GradedFinding, ...]


@dataclass(frozen=True, slots=True)
class ProbeRun:
    provider: str
    path: str
    docroot: str  # "" without --docroot
    user_agent: str
    servers: tuple[str, ...]
    names: tuple[NameProbe, ...]


@dataclass(frozen=True, slots=True)
class ProbeSettings:
    provider: str = "letsencrypt"
    timeout: float = DEFAULT_TIMEOUT
    connect_timeout: float | None = None  # None: the same as `timeout`
    per_address: int = DEFAULT_PER_ADDRESS
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT
    # Where to connect for a URL's port: tests map 80 and 443 to their loopback servers' ports.
    # Redirect rules always judge the URL's own port.
    port_map: Mapping[int, int] = field(default_factory=dict)
    user_agent: str = USER_AGENT


Resolve = Callable[[str], Awaitable[Sequence[str]]]


def new_token(provider: str) -> str:
    """A random file name shaped like the provider's: base64url (ACME), upper-case hex (Sectigo)."""
    return secrets.token_hex(16).upper() if provider == "sectigo" else secrets.token_urlsafe(32)


def challenge_dir(provider: str) -> str:
    return "pki-validation" if provider == "sectigo" else "acme-challenge"


def challenge_path(provider: str, token: str) -> str:
    suffix = ".txt" if provider == "sectigo" else ""
    return f"/.well-known/{challenge_dir(provider)}/{token}{suffix}"


@contextlib.contextmanager
def challenge_file(docroot: Path, provider: str, token: str) -> Iterator[bytes]:
    """Write the validation file under `docroot` with random content; remove it (and only the
    directories made for it) on the way out, whatever ends the run."""
    directory = docroot / ".well-known" / challenge_dir(provider)
    if not docroot.is_dir():
        raise FileNotFoundError(f"document root {docroot} is not a directory")
    made: list[Path] = []
    for part in (docroot / ".well-known", directory):
        if not part.exists():
            part.mkdir(mode=0o755)
            made.append(part)
    path = docroot / challenge_path(provider, token).lstrip("/")
    content = f"{token}.{secrets.token_urlsafe(32)}\n".encode()
    try:
        # O_EXCL: never overwrite (nor, below, delete) a file that was there before
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except OSError:
        _remove_made(made)
        raise
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        yield content
    finally:
        path.unlink(missing_ok=True)
        _remove_made(made)


def _remove_made(made: list[Path]) -> None:
    for part in reversed(made):
        with contextlib.suppress(OSError):  # not empty: someone else uses it now
            part.rmdir()


async def system_resolve(host: str) -> list[str]:
    """The addresses the system resolver gives for a redirect target, IPv6 first."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    found: list[str] = []
    for family, _type, _proto, _name, sockaddr in infos:
        address = str(sockaddr[0])
        if address not in found and family in (socket.AF_INET, socket.AF_INET6):
            found.append(address)
    return sorted(found, key=lambda address: ":" not in address)


def _no_verification_context() -> ssl.SSLContext:
    # A validator does not check the certificate of an https redirect target (Let's Encrypt
    # accepts any), so neither does the probe: an expired certificate must not look like a fault.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def default_transport() -> httpx.AsyncBaseTransport:
    return httpx.AsyncHTTPTransport(
        verify=_no_verification_context(),
        http1=True,
        http2=False,
        retries=0,
        limits=httpx.Limits(max_keepalive_connections=0),
    )


async def probe_names(
    targets: Sequence[ProbeTarget],
    servers: Sequence[str] = (),
    settings: ProbeSettings | None = None,
    *,
    docroot: Path | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    resolve: Resolve | None = None,
) -> ProbeRun:
    """Probe every address of every target; see the module's docstring."""
    chosen = settings or ProbeSettings()
    token = new_token(chosen.provider)
    path = challenge_path(chosen.provider, token)
    with contextlib.ExitStack() as stack:
        expected = (
            stack.enter_context(challenge_file(docroot, chosen.provider, token))
            if docroot is not None
            else None
        )
        own_transport = transport is None
        sender = transport or default_transport()
        try:
            prober = _Prober(sender, chosen, resolve or system_resolve, expected)
            async with asyncio.TaskGroup() as group:
                tasks = [
                    group.create_task(prober.probe_name(target, path, servers))
                    for target in targets
                ]
        finally:
            if own_transport:
                await sender.aclose()
        names = tuple(task.result() for task in tasks)
    return ProbeRun(
        provider=chosen.provider,
        path=path,
        docroot=str(docroot) if docroot is not None else "",
        user_agent=chosen.user_agent,
        servers=tuple(servers),
        names=names,
    )


def _bracketed(address: str) -> str:
    return f"[{address}]" if ":" in address else address


def _host_header(parts: SplitResult) -> str:
    host = (parts.hostname or "").lower()
    port = parts.port
    if port is None or port == DEFAULT_PORTS.get(parts.scheme):
        return host
    return f"{_bracketed(host)}:{port}"


def _proxy_evidence(headers: httpx.Headers) -> str:
    if "cloudflare" in headers.get("server", "").lower():
        return "server: cloudflare"
    if "cf-ray" in headers:
        return "cf-ray"
    return ""


def _failure_of(error: BaseException) -> Failure:
    if isinstance(error, httpx.ConnectTimeout):
        return Failure.CONNECT_TIMEOUT
    if isinstance(error, httpx.ConnectError):
        cause: BaseException | None = error
        while cause is not None:
            if isinstance(cause, ConnectionRefusedError):
                return Failure.REFUSED
            cause = cause.__cause__ or cause.__context__
        return Failure.REFUSED if "refused" in str(error).lower() else Failure.CONNECT_ERROR
    if isinstance(error, httpx.TimeoutException | TimeoutError):
        return Failure.NO_ANSWER
    if isinstance(error, httpx.RemoteProtocolError):
        text = str(error).lower()
        return Failure.CLOSED if "disconnected" in text or "closed" in text else Failure.PROTOCOL
    if isinstance(error, httpx.ReadError | httpx.WriteError):
        return Failure.RESET
    if isinstance(error, httpx.ProtocolError):
        return Failure.PROTOCOL
    return Failure.OTHER


class _Prober:
    def __init__(
        self,
        transport: httpx.AsyncBaseTransport,
        settings: ProbeSettings,
        resolve: Resolve,
        expected: bytes | None,
    ) -> None:
        self.transport = transport
        self.settings = settings
        self.resolve = resolve
        self.expected = expected
        self.in_flight = asyncio.Semaphore(settings.max_in_flight)
        self.per_address: dict[str, asyncio.Semaphore] = {}

    async def probe_name(self, target: ProbeTarget, path: str, servers: Sequence[str]) -> NameProbe:
        url = f"http://{target.name}{path}"
        addresses = [*target.aaaa, *target.a]
        # A name all of whose addresses are the server's has nothing to compare with.
        compare = any(address not in servers for address in addresses)
        async with asyncio.TaskGroup() as group:
            exchanges = [
                group.create_task(self.exchange(url, address, follow=True)) for address in addresses
            ]
            reference = [
                group.create_task(self.exchange(url, server, follow=False))
                for server in (servers if compare else ())
            ]
        done = tuple(task.result() for task in exchanges)
        references = tuple(task.result() for task in reference)
        return NameProbe(
            name=target.name,
            url=url,
            exchanges=done,
            reference=references,
            validator_order=validator_order(done, self.settings.provider),
            findings=grade(
                target.name, done, references, self.settings.provider, self.expected is not None
            ),
        )

    def _limit(self, address: str) -> asyncio.Semaphore:
        if address not in self.per_address:
            self.per_address[address] = asyncio.Semaphore(self.settings.per_address)
        return self.per_address[address]

    async def exchange(self, url: str, address: str, *, follow: bool) -> Exchange:
        # The address's own bound first: waiting for it must not hold one of the run's slots.
        async with self._limit(address), self.in_flight:
            started = time.monotonic()
            recorder = _Recorder(address)
            try:
                # The per-operation timeouts below name what timed out; this one is the backstop
                # for a server that keeps a connection alive by trickling bytes.
                async with asyncio.timeout(self.settings.timeout + 1):
                    await self._follow(url, address, follow, recorder, started)
            except (httpx.HTTPError, httpx.InvalidURL, OSError, TimeoutError) as error:
                recorder.failure = _failure_of(error)
                recorder.failure_detail = f"{type(error).__name__}: {error}"[:300]
            return recorder.finish(time.monotonic() - started, self.expected)

    async def _follow(
        self, url: str, address: str, follow: bool, recorder: _Recorder, started: float
    ) -> None:
        settings = self.settings
        seen: set[str] = set()
        current_host = (urlsplit(url).hostname or "").lower()
        while True:
            parts = urlsplit(url)
            seen.add(url)
            recorder.failure_url = url
            port = parts.port or DEFAULT_PORTS[parts.scheme]
            connect_port = settings.port_map.get(port, port)
            query = f"?{parts.query}" if parts.query else ""
            target = (
                f"{parts.scheme}://{_bracketed(address)}:{connect_port}{parts.path or '/'}{query}"
            )
            left = max(settings.timeout - (time.monotonic() - started), 0.001)
            connect = min(settings.connect_timeout or settings.timeout, left)
            extensions: dict[str, object] = (
                {"sni_hostname": current_host} if parts.scheme == "https" else {}
            )
            hop_started = time.monotonic()
            # The transport, not a client: a client would parse every Location header itself
            # (and fail on one that is not a URL), add headers a validator does not send, and
            # keep cookies.
            request = httpx.Request(
                "GET",
                target,
                headers={
                    "Host": _host_header(parts),
                    "User-Agent": settings.user_agent,
                    "Accept": "*/*",
                    "Connection": "close",
                },
                extensions={
                    "timeout": {"connect": connect, "read": left, "write": left, "pool": left},
                    **extensions,
                },
            )
            response = await self.transport.handle_async_request(request)
            try:
                body = await _read_prefix(response)
            finally:
                await response.aclose()
            recorder.body = body
            recorder.hops.append(
                Hop(
                    url=url,
                    address=address,
                    status=response.status_code,
                    server=response.headers.get("server", ""),
                    location=response.headers.get("location", ""),
                    body_sha256=hashlib.sha256(body).hexdigest(),
                    proxy_evidence=_proxy_evidence(response.headers),
                    elapsed=round(time.monotonic() - hop_started, 3),
                )
            )
            location = recorder.hops[-1].location
            if not follow or recorder.hops[-1].status not in REDIRECT_STATUSES or not location:
                return
            next_url = urljoin(url, location)
            refusal = self._refusal(next_url, seen, len(recorder.hops))
            if refusal is None:
                next_host = (urlsplit(next_url).hostname or "").lower()
                if next_host != current_host:
                    found = await self._address_of(next_host)
                    if found is None:
                        refusal = RedirectRefusal.UNRESOLVABLE
                    else:
                        address, current_host = found, next_host
            if refusal is not None:
                recorder.refusal = refusal
                recorder.refused_location = location
                return
            url = next_url

    def _refusal(self, next_url: str, seen: set[str], answers: int) -> RedirectRefusal | None:
        allowed = MAX_REDIRECTS.get(self.settings.provider, 0)
        if allowed == 0:
            return RedirectRefusal.PROVIDER_FORBIDS
        parts = urlsplit(next_url)
        if parts.scheme not in DEFAULT_PORTS:
            return RedirectRefusal.SCHEME
        try:
            port = parts.port or DEFAULT_PORTS[parts.scheme]
        except ValueError:
            return RedirectRefusal.MALFORMED
        if not parts.hostname:
            return RedirectRefusal.MALFORMED
        if port not in ALLOWED_REDIRECT_PORTS:
            return RedirectRefusal.PORT
        if next_url in seen:
            return RedirectRefusal.LOOP
        if answers > allowed:
            return RedirectRefusal.TOO_MANY
        return None

    async def _address_of(self, host: str) -> str | None:
        try:
            return str(ipaddress.ip_address(host))
        except ValueError:
            pass
        try:
            found = await self.resolve(host)
        except OSError:
            return None
        return found[0] if found else None


class _Recorder:
    def __init__(self, address: str) -> None:
        self.address = address
        self.hops: list[Hop] = []
        self.body = b""
        self.failure: Failure | None = None
        self.failure_url = ""
        self.failure_detail = ""
        self.refusal: RedirectRefusal | None = None
        self.refused_location = ""

    def finish(self, elapsed: float, expected: bytes | None) -> Exchange:
        matches = None
        if expected is not None and self.hops and self.failure is None and self.refusal is None:
            matches = self.hops[-1].status == 200 and self.body.strip() == expected.strip()
        return Exchange(
            address=self.address,
            hops=tuple(self.hops),
            failure=self.failure,
            failure_url=self.failure_url if self.failure else "",
            failure_detail=self.failure_detail,
            refusal=self.refusal,
            refused_location=self.refused_location,
            body_matches=matches,
            elapsed=round(elapsed, 3),
        )


async def _read_prefix(response: httpx.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        chunks.append(chunk[: MAX_BODY - size])
        size += len(chunks[-1])
        if size >= MAX_BODY:
            break
    return b"".join(chunks)


def validator_order(exchanges: Sequence[Exchange], provider: str) -> tuple[str, ...]:
    """The first AAAA address if there is one; then the first A address, but only when IPv6 did
    not connect in time (Let's Encrypt's one fallback, on the first request only)."""
    ipv6 = [e for e in exchanges if ":" in e.address]
    ipv4 = [e for e in exchanges if ":" not in e.address]
    if not ipv6:
        return (ipv4[0].address,) if ipv4 else ()
    first = ipv6[0]
    timed_out = first.failure is Failure.CONNECT_TIMEOUT and not first.hops
    if timed_out and ipv4 and provider == "letsencrypt":
        return (first.address, ipv4[0].address)
    return (first.address,)


def grade(
    name: str,
    exchanges: Sequence[Exchange],
    reference: Sequence[Exchange],
    provider: str,
    with_file: bool,
) -> tuple[GradedFinding, ...]:
    """The findings for one name from what its addresses (and the server) answered."""
    found: list[GradedFinding] = []

    def add(code: ProbeCode, **params: str) -> None:
        found.append(GradedFinding(str(code), SEVERITIES[code], {"name": name, **params}))

    has_ipv4 = any(":" not in e.address for e in exchanges)
    for exchange in exchanges:
        address = exchange.address
        if exchange.failure in CONNECT_FAILURES:
            fallback = (
                ":" in address
                and exchange.failure is Failure.CONNECT_TIMEOUT
                and not exchange.hops
                and has_ipv4
                and provider == "letsencrypt"
            )
            add(
                ProbeCode.HTTP_NO_CONNECTION,
                address=address,
                reason=str(exchange.failure),
                url=exchange.failure_url,
                ipv4_fallback="yes" if fallback else "no",
            )
        elif exchange.failure is not None:
            add(
                ProbeCode.HTTP_NO_ANSWER,
                address=address,
                reason=str(exchange.failure),
                url=exchange.failure_url,
            )
        if exchange.refusal is not None and exchange.last is not None:
            add(
                ProbeCode.HTTP_BAD_REDIRECT,
                address=address,
                reason=str(exchange.refusal),
                url=exchange.last.url,
                location=exchange.refused_location,
                redirects=str(len(exchange.hops) - 1),
                provider=provider,
            )
        last = exchange.last
        if exchange.completed and last is not None:
            _grade_status(add, address, last, exchange.body_matches, with_file)
        for hop in exchange.hops:
            if hop.proxy_evidence:
                add(
                    ProbeCode.HTTP_PROXY_SEEN,
                    address=address,
                    proxy="cloudflare",
                    evidence=hop.proxy_evidence,
                    url=hop.url,
                )
                break
        _compare(add, exchange, reference)
    return tuple(found)


def _grade_status(
    add: Callable[..., None], address: str, last: Hop, matches: bool | None, with_file: bool
) -> None:
    status = last.status
    if status in (401, 403):
        add(ProbeCode.HTTP_FORBIDDEN, address=address, status=str(status), url=last.url)
    elif 500 <= status <= 599:
        add(ProbeCode.HTTP_SERVER_ERROR, address=address, status=str(status), url=last.url)
    elif with_file:
        if not matches:
            reason = "not_found" if status == 404 else "different" if status == 200 else "status"
            add(
                ProbeCode.HTTP_FILE_MISMATCH,
                address=address,
                status=str(status),
                url=last.url,
                reason=reason,
            )
    elif status != 404:
        add(ProbeCode.HTTP_UNEXPECTED_STATUS, address=address, status=str(status), url=last.url)


def _compare(add: Callable[..., None], exchange: Exchange, reference: Sequence[Exchange]) -> None:
    """Same web server as --server? Compares the first answers: status, Server header, body."""
    if not reference or exchange.address in {r.address for r in reference} or not exchange.hops:
        return
    answered = [r for r in reference if r.hops]
    if not answered:
        add(ProbeCode.HTTP_NOT_COMPARED, address=exchange.address, reason="server_no_answer")
        return
    same_family = [r for r in answered if (":" in r.address) == (":" in exchange.address)]
    ours, theirs = exchange.hops[0], (same_family or answered)[0].hops[0]
    differs = [
        what
        for what, differ in (
            ("status", ours.status != theirs.status),
            ("server", ours.server != theirs.server),
            ("body", ours.body_sha256 != theirs.body_sha256),
        )
        if differ
    ]
    if differs:
        add(
            ProbeCode.HTTP_OTHER_SERVER,
            address=exchange.address,
            server_address=theirs.address,
            differs=", ".join(differs),
            status=str(ours.status),
            server_status=str(theirs.status),
            server_header=ours.server,
            server_server_header=theirs.server,
        )
