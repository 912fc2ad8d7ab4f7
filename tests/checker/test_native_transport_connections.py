"""The CLI's transport keeps its connections: one client per resolver origin, reused by every
later query. Over HTTP/1.1 (the loopback resolver) a connection carries one request at a time, so
a check's concurrent queries open one each, and none after that."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from autossl_check.engine import build_request, run_check
from autossl_check.model import Verdict
from autossl_check.native_transport import NativeTransport

from .helpers import SERVER


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every TCP connection this process's event loops open (httpx opens them through anyio)."""
    opened: list[object] = []
    create_connection = asyncio.BaseEventLoop.create_connection

    async def counted(self: asyncio.BaseEventLoop, *args: Any, **kwargs: Any) -> Any:
        opened.append(args[1:3])
        return await create_connection(self, *args, **kwargs)

    monkeypatch.setattr(asyncio.BaseEventLoop, "create_connection", counted)
    return opened


def test_later_checks_reuse_the_first_checks_connections(
    doh_resolver: Any, connections: list[object]
) -> None:
    request = build_request("ok.example", servers=(SERVER,), resolvers=(doh_resolver.url,))

    async def three_checks() -> list[int]:
        transport = NativeTransport()
        opened = []
        try:
            for _ in range(3):
                before = len(connections)
                result = await run_check(request, transport)
                assert result.verdict is Verdict.OK
                opened.append(len(connections) - before)
        finally:
            await transport.aclose()
        return opened

    first, second, third = asyncio.run(three_checks())
    assert 1 <= first <= request.max_in_flight
    assert (second, third) == (0, 0)


def test_queries_one_at_a_time_share_one_connection(
    doh_resolver: Any, connections: list[object]
) -> None:
    request = build_request(
        "ok.example", servers=(SERVER,), resolvers=(doh_resolver.url,), max_in_flight=1
    )

    async def one_check() -> int:
        transport = NativeTransport()
        try:
            result = await run_check(request, transport)
        finally:
            await transport.aclose()
        return result.queries

    queries = asyncio.run(one_check())
    assert queries > 20
    assert len(connections) == 1
