"""How many round trips one check waits on, counted at the transport seam (not timed).

A round trip (a wave) is every query the engine sends before any answer comes back. The transport
below holds each request until the test answers the whole wave at once, so the count is exact:
it does not depend on how fast the machine is. The engine asks every name's A, AAAA and all its
CAA nodes up to the top-level domain at once; the resolver follows CNAMEs for each of them
(RFC 8659 §3 climbs the name's own tree only, not the CNAME target's), so nothing waits for an
answer before being asked, with or without CNAMEs: one wave.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import dns.message
import dns.rcode
import dns.rdatatype
import pytest
from autossl_check.engine import run_check
from autossl_check.model import CheckResult, Verdict
from autossl_check.transport import HttpReply

from .helpers import FakeTransport, ok_reply, reply_for, request, zone_handler
from .test_engine import GOOD, R1, R2, ZONE

# Loop turns with no new request before a wave counts as sent: sending one query takes a few.
QUIET_TURNS = 50


class WaveTransport:
    """Holds every request until `answer_wave` answers all the ones waiting; counts the waves."""

    def __init__(self, inner: FakeTransport) -> None:
        self.inner = inner
        self.waiting: list[asyncio.Future[None]] = []
        self.waves: list[list[tuple[str, str, str]]] = []

    async def __call__(self, url: str, accept: str) -> HttpReply:
        gate = asyncio.get_running_loop().create_future()
        self.waiting.append(gate)
        await gate
        return await self.inner(url, accept)

    async def answer_wave(self) -> None:
        gates, self.waiting = self.waiting, []
        for gate in gates:
            gate.set_result(None)
        for _ in range(QUIET_TURNS):
            await asyncio.sleep(0)  # the answers are read, and whatever they lead to is sent

    async def settle(self) -> None:
        """Wait until the engine has sent everything it can without another answer."""
        seen, quiet = -1, 0
        while quiet < QUIET_TURNS:
            await asyncio.sleep(0)
            quiet = quiet + 1 if len(self.waiting) == seen else 0
            seen = len(self.waiting)


def count_waves(domain: str, handler: Any, **options: Any) -> tuple[CheckResult, WaveTransport]:
    inner = FakeTransport(handler)
    transport = WaveTransport(inner)
    resolvers = options.pop("resolvers", (R1,))

    async def go() -> CheckResult:
        check = asyncio.ensure_future(run_check(request(domain, resolvers, **options), transport))
        while not check.done():
            await transport.settle()
            if transport.waiting:
                first = len(inner.calls)
                await transport.answer_wave()
                transport.waves.append(inner.calls[first:])
        return check.result()

    return asyncio.run(go()), transport


def with_cnames(zone_names: dict[str, str]) -> Any:
    """The zone above, where each key is a CNAME to its value (the resolver follows it)."""
    plain = zone_handler(ZONE)

    def handle(base: str, query: dns.message.Message) -> HttpReply:
        name = query.question[0].name.to_text(omit_final_dot=True)
        target = zone_names.get(name)
        if target is None:
            return plain(base, query)  # type: ignore[return-value]
        rdtype = dns.rdatatype.to_text(query.question[0].rdtype)
        records = {rdtype: ZONE[target].get(rdtype, [])}
        return ok_reply(reply_for(query, records, cname=[(f"{name}.", f"{target}.")]))

    return handle


def test_a_check_without_cnames_is_one_wave_with_every_caa_node_in_it() -> None:
    result, transport = count_waves("example.com", zone_handler(ZONE))
    assert result.verdict == Verdict.OK
    assert len(transport.waves) == 1
    (wave,) = transport.waves
    asked = {(name, rdtype) for _base, name, rdtype in wave}
    for name in ZONE:
        assert {(name, "A"), (name, "AAAA"), (name, "CAA")} <= asked
    assert ("com", "CAA") in asked
    assert len(wave) == len(set(wave)) == result.queries  # example.com's CAA asked once for all


def test_a_cname_hop_adds_no_wave() -> None:
    cnames = {"www.example.com": "example.com", "webmail.example.com": "example.com"}
    result, transport = count_waves("example.com", with_cnames(cnames))
    rows = {row.name: row for row in result.rows}
    assert rows["www.example.com"].cname == ("example.com",)
    assert rows["www.example.com"].a == tuple(GOOD)
    assert result.verdict == Verdict.OK
    assert len(transport.waves) == 1


def test_server_from_the_apex_and_two_resolvers_still_one_wave() -> None:
    result, transport = count_waves(
        "example.com", zone_handler(ZONE), resolvers=(R1, R2), servers=()
    )
    assert result.servers == tuple(GOOD)
    assert result.verdict == Verdict.OK
    assert len(transport.waves) == 1
    assert {base for base, _name, _rdtype in transport.waves[0]} == {R1, R2}


def test_the_in_flight_cap_spreads_a_check_over_more_waves() -> None:
    # The counter can count: 28 queries through 10 slots need three waves.
    result, transport = count_waves("example.com", zone_handler(ZONE), max_in_flight=10)
    assert result.verdict == Verdict.OK
    assert [len(wave) for wave in transport.waves] == [10, 10, 8]


def test_a_retry_is_a_wave_of_its_own() -> None:
    failed: set[str] = set()
    plain = zone_handler(ZONE)

    def handler(base: str, query: dns.message.Message) -> HttpReply:
        name = query.question[0].name.to_text(omit_final_dot=True)
        if name == "mail.example.com" and name not in failed:
            failed.add(name)
            return HttpReply(503, "text/plain", b"busy")
        return plain(base, query)  # type: ignore[return-value]

    result, transport = count_waves("example.com", handler)
    assert result.verdict == Verdict.OK
    assert len(transport.waves) == 2
    assert [name for _base, name, _rdtype in transport.waves[1]] == ["mail.example.com"]


def test_a_domain_that_does_not_exist_is_one_wave() -> None:
    def handler(base: str, query: dns.message.Message) -> HttpReply:
        return ok_reply(reply_for(query, rcode=dns.rcode.NXDOMAIN))

    result, transport = count_waves("example.com", handler)
    assert len(transport.waves) == 1
    assert result.verdict != Verdict.OK


@pytest.mark.skipif(sys.version_info < (3, 12), reason="eager tasks came with Python 3.12")
def test_every_query_is_handed_to_the_transport_before_the_engine_first_yields() -> None:
    # In the page each turn of the event loop is a browser task of its own; queries started one
    # turn at a time left over 100 ms and more while early answers were read between them.
    transport = FakeTransport(zone_handler(ZONE))

    async def go() -> tuple[int, CheckResult]:
        coro = run_check(request("example.com", (R1, R2)), transport)
        check = asyncio.eager_task_factory(asyncio.get_running_loop(), coro)
        sent_at_once = len(transport.calls)
        return sent_at_once, await check

    sent_at_once, result = asyncio.run(go())
    assert result.verdict == Verdict.OK
    assert sent_at_once == result.queries == 56
