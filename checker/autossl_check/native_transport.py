"""The CLI's HTTP client: httpx, speaking HTTP/2 (h2) when the server offers it, else HTTP/1.1.

- One httpx client, so one connection pool, per resolver origin: a check's queries share a few
  connections (one, over HTTP/2) instead of paying a handshake each.
- HTTPS offers both versions by ALPN and is verified against the system's certificate store
  (`ssl.create_default_context()`, which OpenSSL points elsewhere when SSL_CERT_FILE or
  SSL_CERT_DIR is set). Plain http is refused except to a loopback IP literal (test resolvers)
  and is HTTP/1.1 only: no h2c, which no public DoH resolver needs and no browser speaks.
- A proxy is the one given to the constructor (the CLI's --proxy), else the one the environment
  names, read as Python's urllib reads it: https_proxy / HTTPS_PROXY (http_proxy for http
  resolvers), else all_proxy / ALL_PROXY, none for hosts NO_PROXY lists. It is chosen here, not
  by httpx, so that a failure can be put on the proxy when the proxy is what failed.
- Nothing here has a time limit of its own: the check's per-query timeout and deadline cancel
  requests. Name lookups (getaddrinfo) cannot be cancelled, so they run in daemon threads that
  the end of the run does not wait for (see `_DaemonThreads`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import ssl
import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from .inputs import is_loopback_host
from .transport import HttpReply, TransportError

MAX_BODY = 65_535 + 1  # a DNS message is at most 65535 bytes
USER_AGENT = "autossl-check"
PROXY_SCHEMES = ("http", "https")

Origin = tuple[str, str, int]


class NativeTransport:
    """Call it like a function: `await transport(url, accept)`. Close it with `aclose()`."""

    def __init__(
        self,
        *,
        proxy: str | None = None,
        max_idle_per_origin: int = 32,
        on_waiting: Callable[[], object] | None = None,
    ) -> None:
        """`proxy` (an http:// or https:// URL) replaces whatever the environment names.

        `on_waiting` is called once, the first time every request begun has been sent and
        nothing is left to do but wait for answers: a moment to do work that would otherwise
        delay the first requests (the CLI imports what reading the answers needs)."""
        self._proxy = proxy
        self._max_idle = max_idle_per_origin
        self._clients: dict[Origin, tuple[httpx.AsyncClient, str | None]] = {}
        self._ssl: ssl.SSLContext | None = None
        self._unsent: set[object] = set()
        self._on_waiting = on_waiting
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tunnels: dict[Origin, asyncio.Event] = {}

    async def __call__(self, url: str, accept: str) -> HttpReply:
        origin = _origin(url)
        self._own_lookups()
        request = object()
        self._unsent.add(request)
        try:
            client, proxy = self._client(origin)

            sending_get = False

            async def trace(event: str, info: dict[str, Any]) -> None:
                nonlocal sending_get
                if event.endswith("send_request_headers.started"):
                    sending_get = info["request"].method == b"GET"  # not a proxy's CONNECT
                elif event.endswith("send_request_headers.complete") and sending_get:
                    self._sent(request)

            # httpcore opens one proxy tunnel per request until a tunnel exists: the first
            # request to an origin opens it alone, and the others share it (HTTP/2) after.
            tunnel = self._tunnels.get(origin)
            opens_tunnel = proxy is not None and tunnel is None
            if opens_tunnel:
                tunnel = self._tunnels[origin] = asyncio.Event()
            elif tunnel is not None:
                await tunnel.wait()
            try:
                async with client.stream(
                    "GET", url, headers={"Accept": accept}, extensions={"trace": trace}
                ) as response:
                    body = await _read_body(response)
            except httpx.HTTPError as error:
                raise _classify(error, proxy) from None
            except OSError as error:  # raised past httpx by the socket layer
                raise _classify(error, proxy) from None
            finally:
                if opens_tunnel and tunnel is not None:
                    tunnel.set()
        finally:
            self._sent(request)
        headers = dict(response.headers.items())
        return HttpReply(response.status_code, headers.get("content-type", ""), body, headers)

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
        clients, self._clients = self._clients, {}
        for client, _proxy in clients.values():
            with contextlib.suppress(Exception):
                await client.aclose()

    def _own_lookups(self) -> None:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            loop.set_default_executor(_DaemonThreads())
            self._loop = loop

    def _client(self, origin: Origin) -> tuple[httpx.AsyncClient, str | None]:
        made = self._clients.get(origin)
        if made is not None:
            return made
        scheme, host, _port = origin
        proxy = self._proxy or _environment_proxy(scheme, host)
        if proxy is not None and urlsplit(proxy).scheme.lower() not in PROXY_SCHEMES:
            raise TransportError("proxy", f"{_shown(proxy)}: only http:// and https:// proxies")
        # Loading the system's certificates costs tens of milliseconds: only TLS needs them.
        tls = scheme == "https" or (proxy or "").lower().startswith("https:")
        context = self._ssl_context() if tls else None
        made = (
            httpx.AsyncClient(
                http1=True,
                http2=True,  # offered by ALPN over TLS; plain http stays HTTP/1.1
                verify=context or False,  # False only where no TLS is ever spoken
                proxy=_proxy_settings(proxy, context),
                trust_env=False,  # the proxy is chosen above; certificates by `context`
                timeout=None,  # noqa: S113 - the check cancels requests at its own time limits
                follow_redirects=False,
                limits=httpx.Limits(max_connections=None, max_keepalive_connections=self._max_idle),
                headers={"User-Agent": USER_AGENT},
            ),
            proxy,
        )
        self._clients[origin] = made
        return made

    def _ssl_context(self) -> ssl.SSLContext:
        if self._ssl is None:
            self._ssl = ssl.create_default_context()
        return self._ssl


class _DaemonThreads(concurrent.futures.ThreadPoolExecutor):
    """The event loop's default executor, which runs getaddrinfo: one daemon thread per job.

    A slow system resolver (RES_OPTIONS timeouts, a dead DNS server) can keep getaddrinfo busy
    for longer than the check's deadline, and it cannot be interrupted. asyncio.run() and the
    interpreter's exit wait for a ThreadPoolExecutor's threads; nothing waits for these, so
    --timeout stays a deadline. The lookup's late result is dropped."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = fn(*args, **kwargs)
            except BaseException as error:
                future.set_exception(error)
            else:
                future.set_result(result)

        threading.Thread(target=run, name="autossl-check lookup", daemon=True).start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        return None


def _origin(url: str) -> Origin:
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
    if any(ch in url for ch in "\r\n \t"):
        raise TransportError("blocked", "bad characters in URL")
    return scheme, host, port or (443 if scheme == "https" else 80)


def _environment_proxy(scheme: str, host: str) -> str | None:
    import urllib.request

    proxies = urllib.request.getproxies_environment()
    if proxies.get("no") and urllib.request.proxy_bypass(host):
        return None
    return proxies.get(scheme) or proxies.get("all") or None


def _proxy_settings(proxy: str | None, context: ssl.SSLContext | None) -> httpx.Proxy | None:
    if proxy is None:
        return None
    if urlsplit(proxy).scheme.lower() == "https":  # the proxy's own certificate: same store
        return httpx.Proxy(proxy, ssl_context=context)
    return httpx.Proxy(proxy)


def _shown(proxy: str | None) -> str:
    """The proxy's URL without any user name or password in it."""
    if not proxy:
        return "proxy"
    try:
        parts = urlsplit(proxy)
        netloc = parts.netloc.rpartition("@")[2]
        return urlunsplit((parts.scheme, netloc, "", "", ""))
    except ValueError:
        return "proxy"


async def _read_body(response: httpx.Response) -> bytes:
    declared = response.headers.get("content-length", "").split(",")[0].strip()
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise TransportError("too_large")
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > MAX_BODY:
            raise TransportError("too_large")
    return bytes(body)


def _causes(error: BaseException) -> Iterator[BaseException]:
    """`error`, what caused it, and the members of any exception group on the way."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            pending += current.exceptions
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                pending.append(linked)


def _classify(error: Exception, proxy: str | None) -> TransportError:
    """Say in a transport kind what went wrong, with a short technical hint."""
    causes = list(_causes(error))
    if isinstance(error, httpx.ProxyError):
        return TransportError("proxy", f"{_shown(proxy)} answered {error}")
    for cause in causes:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return TransportError("tls", cause.verify_message or "")
        if isinstance(cause, ssl.SSLError):
            return TransportError("tls", cause.reason or "")
    if isinstance(error, httpx.TimeoutException):
        return TransportError("timeout")
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return TransportError("blocked", "not an http(s) URL")
    os_error = next((c for c in causes if isinstance(c, OSError) and c.strerror), None)
    connecting = isinstance(error, httpx.ConnectError | OSError)
    refused = any(isinstance(cause, ConnectionRefusedError) for cause in causes)
    if connecting and proxy is not None:
        # Through a proxy the only connection made is to the proxy: it is the proxy that failed.
        reason = "connection refused" if refused else _os_reason(os_error, error)
        return TransportError("proxy", f"{_shown(proxy)}: {reason}")
    if connecting:
        if refused:
            return TransportError("refused")
        return TransportError("network", _os_reason(os_error, error))
    if isinstance(error, httpx.ReadError | httpx.WriteError | httpx.CloseError):
        return TransportError("closed")
    if isinstance(error, httpx.RemoteProtocolError):
        if "disconnect" in str(error).lower() or "terminated" in str(error).lower():
            return TransportError("closed")
        return TransportError("network", "broken HTTP reply")
    return TransportError("network", type(error).__name__)


def _os_reason(os_error: OSError | None, error: Exception) -> str:
    text = (os_error.strerror if os_error else None) or str(error) or type(error).__name__
    return text[:120]
