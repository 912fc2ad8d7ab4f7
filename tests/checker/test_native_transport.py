"""The CLI's HTTP client (httpx): proxies from the environment or --proxy, plain reasons when
they fail, a deadline that holds while the system resolver is slow, and a start that stays light.

The interop suite (tests/interop) runs the same client against real DoH servers and tinyproxy.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from autossl_check.native_transport import NativeTransport
from autossl_check.transport import DNS_MESSAGE, TransportError
from autossl_check.wire import build_query, query_url

from .helpers import SERVER

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def child_env(**extra: str) -> dict[str, str]:
    """The environment without any proxy or certificate settings of the machine running tests."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.lower().endswith("_proxy") and key not in ("SSL_CERT_FILE", "SSL_CERT_DIR")
    }
    env["PYTHONPATH"] = os.pathsep.join(
        [*extra.pop("PYTHONPATH", "").split(os.pathsep), str(REPO / "checker")]
    ).strip(os.pathsep)
    return {**env, **extra}


def cli(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "autossl_check", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def fetch(url: str, **options: Any) -> Any:
    async def go() -> Any:
        transport = NativeTransport(**options)
        try:
            return await transport(url, DNS_MESSAGE)
        except TransportError as error:
            return error
        finally:
            await transport.aclose()

    return asyncio.run(go())


def test_help_and_version_do_not_import_the_http_client() -> None:
    code = """
        import contextlib, io, json, sys
        from autossl_check.cli import main

        with contextlib.redirect_stdout(io.StringIO()):
            main(["--version"])
            try:
                main(["--help"])
            except SystemExit:
                pass
        heavy = ("httpx", "httpcore", "h2", "anyio", "ssl", "autossl_check.native_transport")
        print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
    """
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=60,
        check=True,
    )
    assert json.loads(done.stdout) == []


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"])
def test_an_environment_proxy_is_used_and_a_dead_one_named(
    doh_resolver: Any, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    for name in list(os.environ):
        if name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)
    dead = f"http://user:secret@127.0.0.1:{free_port()}"
    monkeypatch.setenv(variable, dead)
    outcome = fetch(query_url(doh_resolver.url, build_query("ok.example", "A")))
    assert isinstance(outcome, TransportError)
    assert outcome.kind == "proxy"
    assert outcome.detail.startswith("http://127.0.0.1:")  # no user name or password shown
    assert "secret" not in outcome.detail
    assert "connection refused" in outcome.detail
    assert doh_resolver.queries == []


def test_no_proxy_and_an_explicit_proxy(doh_resolver: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)
    dead = f"http://127.0.0.1:{free_port()}"
    url = query_url(doh_resolver.url, build_query("ok.example", "A"))
    monkeypatch.setenv("HTTP_PROXY", dead)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert fetch(url).status == 200  # NO_PROXY lists the resolver: straight there
    # --proxy applies to every resolver, NO_PROXY or not.
    outcome = fetch(url, proxy=dead)
    assert isinstance(outcome, TransportError)
    assert outcome.kind == "proxy"
    outcome = fetch(url, proxy="socks5://127.0.0.1:1080")
    assert isinstance(outcome, TransportError)
    assert (outcome.kind, outcome.detail) == (
        "proxy",
        "socks5://127.0.0.1:1080: only http:// and https:// proxies",
    )


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_cli_names_a_failing_proxy(doh_resolver: Any, lang: str) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    args = ["ok.example", "--server", SERVER, "--resolver", doh_resolver.url, "--lang", lang]
    done = cli(*args, "--proxy", dead, env=child_env())
    assert done.returncode == 3, done.stderr
    words = {"en": "through the proxy", "ja": "プロキシ経由で"}[lang]
    assert f"{words}" in done.stdout
    assert f"{dead}: connection refused" in done.stdout
    assert doh_resolver.queries == []


SLOW_SYSTEM_RESOLVER = """
import socket
import time

_real_getaddrinfo = socket.getaddrinfo


def _slow_getaddrinfo(host, *args, **kwargs):
    if host == "slow-resolver.example":
        time.sleep(10)  # as with RES_OPTIONS="timeout:10" and a dead DNS server
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    return _real_getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _slow_getaddrinfo
"""


def test_the_time_limit_holds_while_the_system_resolver_is_slow(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(SLOW_SYSTEM_RESOLVER)
    env = child_env(PYTHONPATH=str(tmp_path))
    resolver = "https://slow-resolver.example/dns-query"
    started = time.monotonic()
    done = cli("ok.example", "--resolver", resolver, "--timeout", "2", "--json", env=env)
    elapsed = time.monotonic() - started
    assert done.returncode == 3, done.stderr
    report = json.loads(done.stdout)
    assert {code for row in report["names"] for code in row["codes"]} == {"LOOKUP_FAILED"}
    # getaddrinfo sleeps 10 s; the check must end at its 2 s limit (start-up aside).
    assert elapsed < 6, f"took {elapsed:.1f} s"
