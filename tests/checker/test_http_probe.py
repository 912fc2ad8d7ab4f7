"""The HTTP validation probe against loopback web servers, one per behaviour.

Every server listens on 127.0.0.x or ::1. The probe's port 80 and 443 are mapped to the servers'
ports; the names are never looked up (their addresses are given, and redirect targets go through
an injected resolver). Timeouts are short and injected; nothing asserts on elapsed time.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from autossl_check import __version__
from autossl_check.http_probe import (
    Failure,
    NameProbe,
    ProbeRun,
    ProbeSettings,
    ProbeTarget,
    RedirectRefusal,
    probe_names,
)

from tests.support.h2_front import make_certificate
from tests.support.signals import interruptible

NAME = "www.probe.example"
SHORT = 1.0  # seconds: every timeout in these tests


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    local: str  # the address the client connected to


@dataclass
class Reply:
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    trickle: bool = False  # send the body one byte a while, forever


Handler = Callable[[Request], Awaitable[Reply | None]]  # None: never answer


@dataclass
class Loopback:
    port: int
    tls_port: int = 0
    requests: list[Request] = field(default_factory=list)
    sni: list[str] = field(default_factory=list)
    reached: asyncio.Event = field(default_factory=asyncio.Event)


def reply(status: int, body: bytes = b"", server: str = "Apache", **headers: str) -> Reply:
    merged = {"Server": server, **{k.replace("_", "-"): v for k, v in headers.items()}}
    return Reply(status, merged, body)


def not_found(server: str = "Apache") -> Handler:
    async def handle(request: Request) -> Reply:
        return reply(404, f"<h1>Not Found</h1><p>{request.path}</p>".encode(), server=server)

    return handle


async def _serve_one(
    handler: Handler, seen: Loopback, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _version = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()
        local = writer.get_extra_info("sockname")[0]
        request = Request(method, path, headers, local)
        seen.requests.append(request)
        seen.reached.set()
        answer = await handler(request)
        if answer is None:
            await asyncio.sleep(3600)
            return
        header_lines = "".join(f"{k}: {v}\r\n" for k, v in answer.headers.items())
        length = "" if answer.trickle else f"Content-Length: {len(answer.body)}\r\n"
        status_line = f"HTTP/1.1 {answer.status} X\r\n"
        writer.write(f"{status_line}{header_lines}{length}Connection: close\r\n\r\n".encode())
        if answer.trickle:
            while True:
                writer.write(b"x")
                await writer.drain()
                await asyncio.sleep(SHORT / 4)
        writer.write(answer.body)
        await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


@contextlib.asynccontextmanager
async def serving(
    handlers: Mapping[str, Handler],
    tls_handlers: Mapping[str, Handler] | None = None,
    tls: ssl.SSLContext | None = None,
    blackholes: tuple[str, ...] = (),
) -> AsyncIterator[Loopback]:
    """Start one server per address, all on one port (and TLS ones on a second port), plus
    listening sockets that never accept and whose queue is full: connecting to them times out."""
    for _attempt in range(20):
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        seen = Loopback(port)
        servers: list[asyncio.Server] = []
        holes: list[socket.socket] = []
        try:
            for address, handler in handlers.items():
                servers.append(await _start(address, port, handler, seen))
            for address in blackholes:
                holes += _blackhole(address, port)
            if tls_handlers:
                assert tls is not None
                first = None
                for address, handler in tls_handlers.items():
                    server = await _start(address, first or 0, handler, seen, tls)
                    first = first or server.sockets[0].getsockname()[1]
                    servers.append(server)
                seen.tls_port = first or 0
        except OSError:
            for server in servers:
                server.close()
            for hole in holes:
                hole.close()
            continue
        try:
            yield seen
        finally:
            for server in servers:
                server.close()
            for hole in holes:
                hole.close()
        return
    raise RuntimeError("no free port on loopback")


async def _start(
    address: str, port: int, handler: Handler, seen: Loopback, tls: ssl.SSLContext | None = None
) -> asyncio.Server:
    async def connected(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _serve_one(handler, seen, reader, writer)

    return await asyncio.start_server(connected, address, port, ssl=tls)


def _blackhole(address: str, port: int) -> list[socket.socket]:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    listener = socket.socket(family)
    listener.bind((address, port))
    listener.listen(0)
    fillers = []
    for _ in range(4):
        filler = socket.socket(family)
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect((address, port))
        fillers.append(filler)
    return [listener, *fillers]


def settings(seen: Loopback, provider: str = "letsencrypt", **more: object) -> ProbeSettings:
    ports = {80: seen.port, 443: seen.tls_port or seen.port}
    chosen: dict[str, object] = {"timeout": SHORT, **more}
    return ProbeSettings(provider=provider, port_map=ports, **chosen)  # type: ignore[arg-type]


def run(coroutine: Awaitable[ProbeRun]) -> ProbeRun:
    async def main() -> ProbeRun:
        return await coroutine

    return asyncio.run(main())


def codes(probe: NameProbe) -> list[str]:
    return [finding.code for finding in probe.findings]


def params_of(probe: NameProbe, code: str) -> dict[str, str]:
    (finding,) = [f for f in probe.findings if f.code == code]
    return dict(finding.params)


def scenario(body: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(body())


async def probe_one(
    handler: Handler, provider: str = "letsencrypt", **options: object
) -> tuple[NameProbe, Loopback, ProbeRun]:
    """Probe NAME, whose one address 127.0.0.2 is served by `handler`; no --server."""
    async with serving({"127.0.0.2": handler}) as seen:
        result = await probe_names(
            [ProbeTarget(NAME, a=("127.0.0.2",))],
            [],
            settings(seen, provider),
            **options,  # type: ignore[arg-type]
        )
    return result.names[0], seen, result


def redirect(location: str, status: int = 301) -> Handler:
    async def handle(_request: Request) -> Reply:
        return reply(status, Location=location)

    return handle


# --- the good case and what the request looks like ----------------------------------------


def test_404_from_the_same_server_is_the_good_case() -> None:
    async def body() -> None:
        async with serving({"127.0.0.2": not_found(), "127.0.0.3": not_found()}) as seen:
            result = await probe_names(
                [ProbeTarget(NAME, a=("127.0.0.2",))], ["127.0.0.3"], settings(seen)
            )
        (probe,) = result.names
        assert codes(probe) == []
        assert [e.last.status for e in probe.exchanges if e.last] == [404]
        assert [r.address for r in probe.reference] == ["127.0.0.3"]
        assert {r.local for r in seen.requests} == {"127.0.0.2", "127.0.0.3"}
        for request in seen.requests:
            assert request.method == "GET"
            assert request.headers["host"] == NAME
            assert request.path == result.path
            assert (
                request.headers["user-agent"]
                == f"autossl-check/{__version__} (HTTP validation probe)"
            )
            assert request.headers["connection"] == "close"  # a new connection for each request
        assert result.path.startswith("/.well-known/acme-challenge/")
        assert probe.url == f"http://{NAME}{result.path}"

    scenario(body)


def test_sectigo_asks_for_a_txt_file_under_pki_validation() -> None:
    async def body() -> None:
        async with serving({"127.0.0.2": not_found()}) as seen:
            result = await probe_names(
                [ProbeTarget(NAME, a=("127.0.0.2",))], [], settings(seen, "sectigo")
            )
        assert result.path.startswith("/.well-known/pki-validation/")
        assert result.path.endswith(".txt")
        assert codes(result.names[0]) == []

    scenario(body)


def test_an_ipv6_server_is_probed_over_ipv6_first() -> None:
    async def body() -> None:
        async with serving({"::1": not_found(), "127.0.0.1": not_found()}) as seen:
            result = await probe_names(
                [ProbeTarget(NAME, a=("127.0.0.1",), aaaa=("::1",))], [], settings(seen)
            )
        (probe,) = result.names
        assert [e.address for e in probe.exchanges] == ["::1", "127.0.0.1"]
        assert probe.validator_order == ("::1",)
        assert codes(probe) == []
        assert {r.local for r in seen.requests} == {"::1", "127.0.0.1"}

    scenario(body)


def test_the_defaults_are_the_validators() -> None:
    defaults = ProbeSettings()
    assert (defaults.provider, defaults.timeout, defaults.per_address) == ("letsencrypt", 10.0, 2)
    assert defaults.connect_timeout is None  # the whole 10 s
    assert dict(defaults.port_map) == {}


# --- redirects ------------------------------------------------------------------------------


def test_sectigo_refuses_any_redirect_and_does_not_follow_it() -> None:
    async def body() -> None:
        async with serving({"127.0.0.2": redirect("/elsewhere")}) as seen:
            result = await probe_names(
                [ProbeTarget(NAME, a=("127.0.0.2",))], [], settings(seen, "sectigo")
            )
        (probe,) = result.names
        assert codes(probe) == ["HTTP_BAD_REDIRECT"]
        params = params_of(probe, "HTTP_BAD_REDIRECT")
        assert params["reason"] == RedirectRefusal.PROVIDER_FORBIDS
        assert params["location"] == "/elsewhere"
        assert len(seen.requests) == 1

    scenario(body)


def test_lets_encrypt_follows_a_redirect_on_the_same_name() -> None:
    async def body() -> None:
        async def handle(request: Request) -> Reply:
            if request.path.startswith("/.well-known/"):
                return reply(302, Location="/moved" + request.path)
            return reply(404)

        probe, _seen, result = await probe_one(handle)
        assert codes(probe) == []
        assert [hop.status for hop in probe.exchanges[0].hops] == [302, 404]
        assert probe.exchanges[0].hops[1].url == f"http://{NAME}/moved{result.path}"

    scenario(body)


def test_a_redirect_to_https_is_followed_with_the_name_as_sni(tls_context: ssl.SSLContext) -> None:
    async def body() -> None:
        async with serving(
            {"127.0.0.2": redirect(f"https://{NAME}/secure")},
            tls_handlers={"127.0.0.2": not_found("nginx")},
            tls=tls_context,
        ) as seen:
            tls_context.sni_callback = lambda _s, name, _c: seen.sni.append(str(name)) or None
            result = await probe_names([ProbeTarget(NAME, a=("127.0.0.2",))], [], settings(seen))
        (probe,) = result.names
        assert codes(probe) == []
        assert [hop.url for hop in probe.exchanges[0].hops] == [
            f"http://{NAME}{result.path}",
            f"https://{NAME}/secure",
        ]
        assert seen.sni == [NAME]
        assert seen.requests[-1].headers["host"] == NAME

    scenario(body)


def test_a_redirect_to_another_name_goes_where_the_resolver_says() -> None:
    async def body() -> None:
        asked: list[str] = []

        async def resolve(host: str) -> list[str]:
            asked.append(host)
            return ["127.0.0.3"]

        async with serving(
            {"127.0.0.2": redirect("http://other.example/x"), "127.0.0.3": not_found()}
        ) as seen:
            result = await probe_names(
                [ProbeTarget(NAME, a=("127.0.0.2",))], [], settings(seen), resolve=resolve
            )
        (probe,) = result.names
        assert asked == ["other.example"]
        assert [(hop.address, hop.status) for hop in probe.exchanges[0].hops] == [
            ("127.0.0.2", 301),
            ("127.0.0.3", 404),
        ]
        assert seen.requests[-1].headers["host"] == "other.example"
        assert codes(probe) == []

    scenario(body)


def test_a_redirect_to_a_name_without_address_fails() -> None:
    async def body() -> None:
        async def resolve(_host: str) -> list[str]:
            return []

        async with serving({"127.0.0.2": redirect("http://gone.example/")}) as seen:
            result = await probe_names(
                [ProbeTarget(NAME, a=("127.0.0.2",))], [], settings(seen), resolve=resolve
            )
        params = params_of(result.names[0], "HTTP_BAD_REDIRECT")
        assert params["reason"] == RedirectRefusal.UNRESOLVABLE

    scenario(body)


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        (f"http://{NAME}:8080/x", RedirectRefusal.PORT),
        (f"https://{NAME}:8443/x", RedirectRefusal.PORT),
        ("ftp://ftp.example/x", RedirectRefusal.SCHEME),
        ("javascript:alert(1)", RedirectRefusal.SCHEME),
        ("file:///etc/passwd", RedirectRefusal.SCHEME),
        (f"http://{NAME}:99999/x", RedirectRefusal.MALFORMED),
    ],
)
def test_lets_encrypt_refuses_a_redirect_it_would_not_follow(location: str, reason: str) -> None:
    async def body() -> None:
        probe, seen, _result = await probe_one(redirect(location))
        assert codes(probe) == ["HTTP_BAD_REDIRECT"]
        params = params_of(probe, "HTTP_BAD_REDIRECT")
        assert params["reason"] == reason
        assert params["location"] == location
        assert len(seen.requests) == 1  # never followed

    scenario(body)


def test_a_redirect_loop_is_named_a_loop() -> None:
    async def body() -> None:
        async def handle(request: Request) -> Reply:
            return reply(302, Location="/b" if request.path != "/b" else "/a")

        probe, seen, _result = await probe_one(handle)
        params = params_of(probe, "HTTP_BAD_REDIRECT")
        assert params["reason"] == RedirectRefusal.LOOP
        assert [r.path for r in seen.requests][1:] == ["/b", "/a"]

    scenario(body)


def redirects_then_404(count: int) -> Handler:
    async def handle(request: Request) -> Reply:
        step = int(request.path.rsplit("/", 1)[1]) if request.path.startswith("/r/") else 0
        if step < count:
            return reply(301, Location=f"/r/{step + 1}")
        return reply(404)

    return handle


def test_ten_redirects_are_followed() -> None:
    async def body() -> None:
        probe, seen, _result = await probe_one(redirects_then_404(10))
        assert codes(probe) == []
        assert len(seen.requests) == 11
        assert {request.method for request in seen.requests} == {"GET"}

    scenario(body)


def test_an_eleventh_redirect_is_too_many() -> None:
    async def body() -> None:
        probe, seen, _result = await probe_one(redirects_then_404(11))
        params = params_of(probe, "HTTP_BAD_REDIRECT")
        assert params["reason"] == RedirectRefusal.TOO_MANY
        assert params["redirects"] == "10"
        assert len(seen.requests) == 11

    scenario(body)


# --- statuses ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (401, "HTTP_FORBIDDEN"),
        (403, "HTTP_FORBIDDEN"),
        (500, "HTTP_SERVER_ERROR"),
        (503, "HTTP_SERVER_ERROR"),
        (200, "HTTP_UNEXPECTED_STATUS"),
        (410, "HTTP_UNEXPECTED_STATUS"),
    ],
)
def test_a_status_other_than_404_is_a_finding(status: int, code: str) -> None:
    async def body() -> None:
        async def handle(_request: Request) -> Reply:
            return reply(status, b"no")

        probe, _seen, _result = await probe_one(handle)
        assert codes(probe) == [code]
        assert params_of(probe, code)["status"] == str(status)

    scenario(body)


def test_a_403_after_a_redirect_names_the_url_that_gave_it() -> None:
    async def body() -> None:
        async def handle(request: Request) -> Reply:
            return reply(403) if request.path == "/denied" else reply(301, Location="/denied")

        probe, _seen, _result = await probe_one(handle)
        params = params_of(probe, "HTTP_FORBIDDEN")
        assert params["url"] == f"http://{NAME}/denied"

    scenario(body)


# --- servers that do not answer -------------------------------------------------------------


def test_a_closed_port_is_no_connection() -> None:
    async def body() -> None:
        async with serving({"127.0.0.2": not_found()}) as seen:
            result = await probe_names([ProbeTarget(NAME, a=("127.0.0.9",))], [], settings(seen))
        params = params_of(result.names[0], "HTTP_NO_CONNECTION")
        assert params["reason"] == Failure.REFUSED
        assert params["address"] == "127.0.0.9"

    scenario(body)


def test_a_silent_server_is_no_answer() -> None:
    async def body() -> None:
        async def silent(_request: Request) -> None:
            return None

        probe, seen, _result = await probe_one(silent)
        assert codes(probe) == ["HTTP_NO_ANSWER"]
        assert params_of(probe, "HTTP_NO_ANSWER")["reason"] == Failure.NO_ANSWER
        assert len(seen.requests) == 1

    scenario(body)


def test_a_server_that_trickles_forever_is_no_answer() -> None:
    async def body() -> None:
        async def slow(_request: Request) -> Reply:
            return Reply(404, {"Server": "Apache"}, trickle=True)

        probe, _seen, _result = await probe_one(slow)
        assert params_of(probe, "HTTP_NO_ANSWER")["reason"] == Failure.NO_ANSWER

    scenario(body)


def test_a_server_that_closes_without_answering_is_no_answer() -> None:
    async def body() -> None:
        async def hang_up(_request: Request) -> Reply:
            raise ConnectionResetError

        probe, _seen, _result = await probe_one(hang_up)
        reason = params_of(probe, "HTTP_NO_ANSWER")["reason"]
        assert reason in {Failure.CLOSED, Failure.RESET}

    scenario(body)


def test_ipv6_timing_out_falls_back_to_a_working_ipv4() -> None:
    async def body() -> None:
        async with serving({"127.0.0.1": not_found()}, blackholes=("::1",)) as seen:
            result = await probe_names(
                [ProbeTarget(NAME, a=("127.0.0.1",), aaaa=("::1",))], [], settings(seen)
            )
        (probe,) = result.names
        assert codes(probe) == ["HTTP_NO_CONNECTION"]
        params = params_of(probe, "HTTP_NO_CONNECTION")
        assert params["address"] == "::1"
        assert params["reason"] == Failure.CONNECT_TIMEOUT
        assert params["ipv4_fallback"] == "yes"
        assert probe.validator_order == ("::1", "127.0.0.1")
        assert [r.local for r in seen.requests] == ["127.0.0.1"]
        from autossl_check.http_probe_report import to_text

        assert "::1 → 127.0.0.1" in to_text(result)

    scenario(body)


def test_ipv6_refusing_does_not_fall_back() -> None:
    async def body() -> None:
        async with serving({"127.0.0.1": not_found()}) as seen:
            result = await probe_names(
                [ProbeTarget(NAME, a=("127.0.0.1",), aaaa=("::1",))], [], settings(seen)
            )
        (probe,) = result.names
        params = params_of(probe, "HTTP_NO_CONNECTION")
        assert (params["reason"], params["ipv4_fallback"]) == (Failure.REFUSED, "no")
        assert probe.validator_order == ("::1",)

    scenario(body)


# --- the same web server or another one -----------------------------------------------------


def test_a_different_web_server_than_the_server_is_named() -> None:
    async def body() -> None:
        async with serving(
            {"127.0.0.2": not_found("nginx"), "127.0.0.3": not_found("Apache")}
        ) as seen:
            result = await probe_names(
                [ProbeTarget(NAME, a=("127.0.0.2",))], ["127.0.0.3"], settings(seen)
            )
        (probe,) = result.names
        assert codes(probe) == ["HTTP_OTHER_SERVER"]
        params = params_of(probe, "HTTP_OTHER_SERVER")
        assert params["differs"] == "server"
        assert (params["server_header"], params["server_server_header"]) == ("nginx", "Apache")
        assert params["server_address"] == "127.0.0.3"

    scenario(body)


def test_another_404_page_is_another_web_server() -> None:
    async def body() -> None:
        async def plain(_request: Request) -> Reply:
            return reply(404, b"gone")

        async with serving({"127.0.0.2": plain, "127.0.0.3": not_found()}) as seen:
            result = await probe_names(
                [ProbeTarget(NAME, a=("127.0.0.2",))], ["127.0.0.3"], settings(seen)
            )
        assert params_of(result.names[0], "HTTP_OTHER_SERVER")["differs"] == "body"

    scenario(body)


def test_a_server_that_does_not_answer_leaves_nothing_to_compare() -> None:
    async def body() -> None:
        async with serving({"127.0.0.2": not_found()}) as seen:
            result = await probe_names(
                [ProbeTarget(NAME, a=("127.0.0.2",))], ["127.0.0.9"], settings(seen)
            )
        (probe,) = result.names
        assert codes(probe) == ["HTTP_NOT_COMPARED"]
        assert probe.reference[0].failure == Failure.REFUSED

    scenario(body)


def test_a_cloudflare_server_header_is_seen() -> None:
    async def body() -> None:
        async def proxied(_request: Request) -> Reply:
            return reply(404, b"x", server="cloudflare", CF_RAY="8f00000000000000-NRT")

        probe, _seen, _result = await probe_one(proxied)
        params = params_of(probe, "HTTP_PROXY_SEEN")
        assert (params["proxy"], params["evidence"]) == ("cloudflare", "server: cloudflare")

    scenario(body)


def test_a_cf_ray_header_alone_is_seen() -> None:
    async def body() -> None:
        async def proxied(_request: Request) -> Reply:
            return reply(404, b"x", server="nginx", CF_RAY="8f00000000000000-NRT")

        probe, _seen, _result = await probe_one(proxied)
        assert params_of(probe, "HTTP_PROXY_SEEN")["evidence"] == "cf-ray"

    scenario(body)


def test_requests_to_one_address_are_bounded() -> None:
    async def body() -> None:
        open_now = 0
        most = 0

        async def counting(request: Request) -> Reply:
            nonlocal open_now, most
            open_now += 1
            most = max(most, open_now)
            await asyncio.sleep(0.05)
            open_now -= 1
            return reply(404, request.path.encode())

        targets = [ProbeTarget(f"n{i}.probe.example", a=("127.0.0.2",)) for i in range(8)]
        async with serving({"127.0.0.2": counting}) as seen:
            result = await probe_names(targets, [], settings(seen))  # the default bound
        assert len(seen.requests) == 8
        assert all(codes(probe) == [] for probe in result.names)
        assert most == 2

    scenario(body)


# --- with a document root ---------------------------------------------------------------------


def static_files(root: Path) -> Handler:
    async def handle(request: Request) -> Reply:
        path = root / request.path.lstrip("/")
        if path.is_file():
            return reply(200, path.read_bytes())
        return reply(404)

    return handle


@pytest.mark.parametrize("provider", ["letsencrypt", "sectigo"])
def test_docroot_file_is_served_compared_and_removed(tmp_path: Path, provider: str) -> None:
    async def body() -> None:
        async with serving({"127.0.0.2": static_files(tmp_path)}) as seen:
            result = await probe_names(
                [ProbeTarget(NAME, a=("127.0.0.2",))],
                [],
                settings(seen, provider),
                docroot=tmp_path,
            )
        (probe,) = result.names
        assert codes(probe) == []
        assert probe.exchanges[0].body_matches is True
        assert probe.exchanges[0].last is not None
        assert probe.exchanges[0].last.status == 200
        assert list(tmp_path.iterdir()) == []  # the file and the directories made for it

    scenario(body)


def test_docroot_file_not_reached_is_a_mismatch(tmp_path: Path) -> None:
    other_root = tmp_path / "other"
    other_root.mkdir()
    docroot = tmp_path / "site"
    (docroot / ".well-known").mkdir(parents=True)

    async def body() -> None:
        async with serving({"127.0.0.2": static_files(other_root)}) as seen:
            result = await probe_names(
                [ProbeTarget(NAME, a=("127.0.0.2",))], [], settings(seen), docroot=docroot
            )
        params = params_of(result.names[0], "HTTP_FILE_MISMATCH")
        assert (params["reason"], params["status"]) == ("not_found", "404")
        # the existing .well-known stays, the directory made for the file goes
        assert [p.name for p in docroot.rglob("*")] == [".well-known"]

    scenario(body)


def test_docroot_other_content_is_a_mismatch(tmp_path: Path) -> None:
    async def body() -> None:
        async def wrong(_request: Request) -> Reply:
            return reply(200, b"something else")

        async with serving({"127.0.0.2": wrong}) as seen:
            result = await probe_names(
                [ProbeTarget(NAME, a=("127.0.0.2",))], [], settings(seen), docroot=tmp_path
            )
        assert params_of(result.names[0], "HTTP_FILE_MISMATCH")["reason"] == "different"

    scenario(body)


def test_docroot_file_is_removed_when_the_probe_is_cancelled(tmp_path: Path) -> None:
    written: list[Path] = []

    async def body() -> None:
        async def hold(_request: Request) -> None:
            written.extend(p for p in tmp_path.rglob("*") if p.is_file())
            return None

        async with serving({"127.0.0.2": hold}) as seen:
            task = asyncio.create_task(
                probe_names(
                    [ProbeTarget(NAME, a=("127.0.0.2",))],
                    [],
                    settings(seen, timeout=600.0),
                    docroot=tmp_path,
                )
            )
            await seen.reached.wait()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    scenario(body)
    assert len(written) == 1  # the file existed while the request was out
    assert not written[0].exists()
    assert list(tmp_path.iterdir()) == []


CTRL_C_SCRIPT = """
import asyncio, signal, sys
from pathlib import Path
from autossl_check.http_probe import ProbeSettings, ProbeTarget, probe_names

docroot = Path(sys.argv[1])

async def hold(reader, writer):
    await reader.readuntil(b"\\r\\n\\r\\n")
    print("written:", *[str(p) for p in docroot.rglob("*") if p.is_file()], flush=True)
    signal.raise_signal(signal.SIGINT)  # what Ctrl-C sends
    await asyncio.sleep(3600)

async def main():
    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    settings = ProbeSettings(timeout=600.0, port_map={80: port})
    await probe_names([ProbeTarget("www.probe.example", a=("127.0.0.1",))], [], settings,
                      docroot=docroot)

try:
    asyncio.run(main())
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""


def test_docroot_file_is_removed_on_ctrl_c(tmp_path: Path) -> None:
    import sys

    done = subprocess.run(
        [sys.executable, "-c", CTRL_C_SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=interruptible,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert lines[-1] == "interrupted"
    (written,) = lines[0].removeprefix("written: ").split()
    assert "/.well-known/acme-challenge/" in written
    assert not Path(written).exists()
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_of_the_same_name_is_never_overwritten(tmp_path: Path) -> None:
    from autossl_check.http_probe import challenge_file

    target = tmp_path / ".well-known" / "acme-challenge" / "fixed"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"keep")
    with pytest.raises(FileExistsError), challenge_file(tmp_path, "letsencrypt", "fixed"):
        pass
    assert target.read_bytes() == b"keep"


def test_a_missing_docroot_is_refused_before_any_request(tmp_path: Path) -> None:
    async def body() -> None:
        async with serving({"127.0.0.2": not_found()}) as seen:
            with pytest.raises(FileNotFoundError):
                await probe_names(
                    [ProbeTarget(NAME, a=("127.0.0.2",))],
                    [],
                    settings(seen),
                    docroot=tmp_path / "missing",
                )
        assert seen.requests == []

    scenario(body)


# --- TLS for the https redirect -------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    # Made for 127.0.0.1, not the probed name: validators do not check it, nor does the probe.
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def tls_context(tls_files: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*tls_files)
    return context


# --- words and renderers ----------------------------------------------------------------------

HOSTILE = "<script>alert(1)</script> [click](http://evil.example) \x1b[31m|"


@pytest.fixture(scope="module")
def mixed_run() -> ProbeRun:
    """One run with a refused name, a looping name, a hostile Server header and a good name."""

    async def handle(request: Request) -> Reply | None:
        host = request.headers["host"]
        if host.startswith("loop."):
            return reply(302, Location="/b" if request.path != "/b" else "/a")
        if host.startswith("hostile."):
            return reply(403, server=HOSTILE)
        return reply(404, b"nothing")

    async def body() -> ProbeRun:
        async with serving({"127.0.0.2": handle, "127.0.0.3": handle}) as seen:
            return await probe_names(
                [
                    ProbeTarget("loop.probe.example", a=("127.0.0.2",)),
                    ProbeTarget("hostile.probe.example", a=("127.0.0.2",)),
                    ProbeTarget("closed.probe.example", a=("127.0.0.9",), aaaa=()),
                    ProbeTarget("good.probe.example", a=("127.0.0.2",)),
                    ProbeTarget("none.probe.example"),
                ],
                ["127.0.0.3"],
                settings(seen),
            )

    return asyncio.run(body())


# The documented JSON keys, written out here rather than taken from the code under test.
RUN_KEYS = {"provider", "path", "docroot", "user_agent", "servers", "verdict", "names"}
NAME_KEYS = {"name", "url", "ok", "validator_order", "findings", "exchanges", "reference"}
EXCHANGE_KEYS = {
    "address",
    "hops",
    "failure",
    "failure_url",
    "failure_detail",
    "refusal",
    "refused_location",
    "body_matches",
    "elapsed",
}
HOP_KEYS = {
    "url",
    "address",
    "status",
    "server",
    "location",
    "body_sha256",
    "proxy_evidence",
    "elapsed",
}


def test_json_has_the_documented_shape(mixed_run: ProbeRun) -> None:
    import json

    from autossl_check.http_probe_report import to_json

    document = json.loads(json.dumps(to_json(mixed_run)))
    assert set(document) == RUN_KEYS
    assert document["verdict"] == "action_needed"
    assert document["docroot"] is None
    by_name = {entry["name"]: entry for entry in document["names"]}
    for entry in document["names"]:
        assert set(entry) == NAME_KEYS
        for exchange in entry["exchanges"] + entry["reference"]:
            assert set(exchange) == EXCHANGE_KEYS
            for hop in exchange["hops"]:
                assert set(hop) == HOP_KEYS
    assert by_name["good.probe.example"]["ok"] is True
    assert by_name["good.probe.example"]["findings"] == []
    assert by_name["none.probe.example"]["exchanges"] == []
    loop = by_name["loop.probe.example"]
    assert loop["ok"] is False
    assert loop["exchanges"][0]["refusal"] == "loop"
    assert loop["findings"][0]["code"] == "HTTP_BAD_REDIRECT"
    assert loop["findings"][0]["severity"] == "problem"
    closed = by_name["closed.probe.example"]
    assert closed["exchanges"][0]["failure"] == "refused"
    # the server (127.0.0.3) answers the same 403 for that Host: the same web server
    assert [f["code"] for f in by_name["hostile.probe.example"]["findings"]] == ["HTTP_FORBIDDEN"]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_text_shows_each_name_and_escapes_control_characters(
    mixed_run: ProbeRun, lang: str
) -> None:
    from autossl_check import texts
    from autossl_check.http_probe_report import to_text

    text = to_text(mixed_run, lang)
    assert "\x1b" not in text
    assert "\\x1b[31m" in text
    for name in ("loop.", "hostile.", "closed.", "good.", "none."):
        assert f"{name}probe.example" in text
    for code in ("HTTP_BAD_REDIRECT", "HTTP_FORBIDDEN", "HTTP_NO_CONNECTION"):
        assert code in text
        assert texts.probe_text("advice", code, lang) in text
    assert texts.probe_text("label", "single_vantage", lang) in text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_markdown_never_turns_server_text_into_markup(mixed_run: ProbeRun, lang: str) -> None:
    from autossl_check.http_probe_report import to_markdown

    markdown = to_markdown(mixed_run, lang, docs_base="https://docs.example/autossl")
    assert "<script>" not in markdown
    assert "](http://evil" not in markdown
    assert "\\<script\\>" in markdown
    base = "https://docs.example/autossl/" + ("" if lang == "ja" else "en/")
    assert f"[HTTP_FORBIDDEN]({base}beyond-dns/#HTTP_FORBIDDEN)" in markdown
    # every table row has the header's four cells, a hostile "|" included
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert all(line.count(" | ") == 3 for line in rows)


CODES_WITH_WORDS = [
    str(code) for code in __import__("autossl_check.http_probe").http_probe.ProbeCode
]


@pytest.mark.parametrize("code", CODES_WITH_WORDS)
def test_every_code_has_words_in_both_languages(code: str) -> None:
    from autossl_check import texts

    for lang, script in (("en", str.isascii), ("ja", lambda t: not t.isascii())):
        for words in (
            texts.probe_text("title", code, lang),
            texts.probe_text("explanation", code, lang),
            texts.probe_text("advice", code, lang),
        ):
            assert words != code
            assert script(words.replace("“", "").replace("”", "")), (lang, words)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_reason_has_its_own_sentence(lang: str) -> None:
    from autossl_check import texts
    from autossl_check.http_probe import CONNECT_FAILURES, GradedFinding
    from autossl_check.model import Severity

    params = {
        "address": "192.0.2.1",
        "url": "http://n.example/x",
        "location": "/y",
        "redirects": "11",
    }
    seen: set[str] = set()
    cases = [("HTTP_BAD_REDIRECT", str(r)) for r in RedirectRefusal] + [
        ("HTTP_NO_CONNECTION" if f in CONNECT_FAILURES else "HTTP_NO_ANSWER", str(f))
        for f in Failure
    ]
    for code, reason in cases:
        finding = GradedFinding(code, Severity.PROBLEM, {**params, "reason": reason})
        sentence = texts.probe_finding_text(finding, lang)
        assert "192.0.2.1" in sentence
        assert "{" not in sentence
        seen.add(sentence)
        assert texts.probe_text("outcome", reason, lang) != reason
    assert len(seen) == len(cases)


@pytest.mark.parametrize("verdict", ["ok", "action_needed", "check_needed"])
def test_every_probe_verdict_has_words(verdict: str) -> None:
    from autossl_check import texts

    english, japanese = (texts.probe_text("verdict", verdict, lang) for lang in ("en", "ja"))
    assert verdict not in (english, japanese)
    assert english.isascii()
    assert not japanese.isascii()


def test_a_check_finding_alone_makes_the_run_check_needed() -> None:
    async def body() -> None:
        from autossl_check.http_probe_report import probe_verdict, to_text

        async def proxied(_request: Request) -> Reply:
            return reply(404, b"x", server="cloudflare")

        _probe, _seen, result = await probe_one(proxied)
        assert probe_verdict(result) == "check_needed"
        assert "Check needed" in to_text(result)

    scenario(body)
