"""Issue 6: every fault the loopback resolver can play, per name and for a whole resolver."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from autossl_check.engine import run_check
from autossl_check.model import CheckResult, Code, PlannedName, Rule, Why
from autossl_check.native_transport import NativeTransport
from autossl_check.report import finding_lines, note_lines
from autossl_check.transport import DNS_MESSAGE, HttpReply, TransportError
from autossl_check.wire import build_query, query_url

from tests.support.doh_resolver import FAULT_KINDS

from .helpers import by_name, check, request

# fault kind -> the words a person reads in the reason
REASONS = {
    "http500": "answered HTTP 500 (also after one retry)",
    "http503": "answered HTTP 503 (also after one retry)",
    "http429": "HTTP 429 (too many requests)",
    "http404": "answered HTTP 404",
    "hang": "no answer from",
    "close": "closed the connection",
    "html": "web page instead of a DNS message (a captive portal or proxy?)",
    "content-type": "answered with text/plain instead of a DNS message",
    "garbage": "not a DNS message",
    "wrong-id": "carried message ID 1 instead of 0",
    "wrong-question": "for a different question (unrelated-question.example A)",
    "truncated": "truncated",
    "empty": "empty answer",
}


def run_planned(resolvers: list[str], names: list[str], **options: Any) -> CheckResult:
    planned = [PlannedName(name, Why(Rule.SUBDOMAIN)) for name in names]

    async def go() -> CheckResult:
        transport = NativeTransport()
        try:
            return await run_check(
                request(names[0], resolvers, **options), transport, planned=planned
            )
        finally:
            await transport.aclose()

    return asyncio.run(go())


def test_each_fault_on_one_name_leaves_the_others_alone(doh_resolver: Any) -> None:
    faulty = [f"{kind}.faulty.example" for kind in REASONS]
    result = run_planned(
        [doh_resolver.url], ["faulty.example", *faulty, "webdisk.faulty.example"], query_timeout=1.0
    )
    rows = {row.name: row for row in result.rows}
    assert rows["faulty.example"].ok
    assert rows["webdisk.faulty.example"].ok
    for kind, words in REASONS.items():
        row = rows[f"{kind}.faulty.example"]
        assert row.codes == [Code.LOOKUP_FAILED], kind
        text = " ".join(finding_lines(row, "en"))
        assert words in text, (kind, text)
        assert "\n" not in text
        assert " ".join(finding_lines(row, "ja"))
    assert result.verdict == "inconclusive"
    assert result.exclude == ()


def test_at_most_one_retry(doh_resolver: Any) -> None:
    result = run_planned(
        [doh_resolver.url],
        [
            "faulty.example",
            "once.faulty.example",
            "twice.faulty.example",
            "once429.faulty.example",
            "http404.faulty.example",
        ],
    )
    codes = by_name(result)
    assert codes["once.faulty.example"] == []
    assert codes["once429.faulty.example"] == []
    assert codes["twice.faulty.example"] == [Code.LOOKUP_FAILED]
    assert doh_resolver.count("once.faulty.example", "A") == 2
    assert doh_resolver.count("twice.faulty.example", "A") == 2
    assert doh_resolver.count("once429.faulty.example", "A") == 2
    assert doh_resolver.count("http404.faulty.example", "A") == 1


def test_shared_faulty_zone(doh_resolver: Any) -> None:
    result = check("faulty.example", [doh_resolver.url])
    codes = by_name(result)
    assert codes["www.faulty.example"] == []  # one 503, then answered on the retry
    assert codes["webdisk.faulty.example"] == []
    assert codes["autodiscover.faulty.example"] == []
    for name in ("mail", "cpanel", "webmail", "cpcalendars", "cpcontacts"):
        assert codes[f"{name}.faulty.example"] == [Code.LOOKUP_FAILED]
    assert result.verdict == "inconclusive"


def test_slow_name_times_out_with_a_plain_reason(doh_resolver: Any) -> None:
    result = run_planned(
        [doh_resolver.url], ["faulty.example", "slow.faulty.example"], query_timeout=0.5
    )
    row = next(row for row in result.rows if row.name == "slow.faulty.example")
    assert row.codes == [Code.LOOKUP_FAILED]
    assert "within 0.5 s" in " ".join(finding_lines(row, "en"))


@pytest.mark.parametrize(
    "kind",
    FAULT_KINDS,
)
def test_one_broken_resolver_of_two_still_completes(doh_resolver: Any, kind: str) -> None:
    broken = doh_resolver.fault_url(kind)
    result = check("ok.example", [broken, doh_resolver.url], query_timeout=3.0)
    assert result.verdict == "ok", by_name(result)
    for row in result.rows:
        notes = note_lines(row, "en")
        assert notes, row.name
        assert any(f"/fault/{kind}/dns-query" in line for line in notes)
        assert all("used the answer from" in line for line in notes)


@pytest.mark.parametrize("kind", ["http503", "garbage", "html", "empty"])
def test_whole_resolver_broken_is_inconclusive(doh_resolver: Any, kind: str) -> None:
    result = check("ok.example", [doh_resolver.fault_url(kind)])
    assert result.verdict == "inconclusive"
    assert all(row.codes == [Code.LOOKUP_FAILED] for row in result.rows)


def test_deadline_bounds_a_hanging_resolver(doh_resolver: Any) -> None:
    delivered: list[Any] = []
    result = check(
        "ok.example",
        [doh_resolver.fault_url("hang")],
        rows=delivered,
        timeout=1.0,
        query_timeout=4.0,
    )
    assert result.deadline_hit
    assert result.verdict == "inconclusive"
    for row in result.rows:
        assert row.codes == [Code.LOOKUP_FAILED]
        assert "time limit" in " ".join(finding_lines(row, "en"))
    assert len(delivered) == len(result.rows)


def test_unreachable_resolver(doh_resolver: Any) -> None:
    result = check("ok.example", ["http://127.0.0.1:9/dns-query", doh_resolver.url])
    assert result.verdict == "ok"
    assert any("127.0.0.1:9" in line for row in result.rows for line in note_lines(row, "en"))


def test_on_waiting_runs_once_when_every_request_is_out_before_any_answer(
    doh_resolver: Any,
) -> None:
    # The CLI imports what reading answers needs at that moment, so it must come while the
    # requests wait (here they never get an answer), even when one has failed, and only once.
    urls = [
        query_url(doh_resolver.fault_url("hang"), build_query(f"n{index}.ok.example", "A"))
        for index in range(3)
    ]
    refused = query_url("http://127.0.0.1:9/dns-query", build_query("ok.example", "A"))

    async def go() -> list[int]:
        answered: list[HttpReply | TransportError] = []
        calls: list[int] = []
        waiting = asyncio.Event()

        def on_waiting() -> None:
            calls.append(sum(isinstance(outcome, HttpReply) for outcome in answered))
            waiting.set()

        async def one(url: str) -> None:
            try:
                answered.append(await transport(url, DNS_MESSAGE))
            except TransportError as error:
                answered.append(error)

        transport = NativeTransport(on_waiting=on_waiting)
        tasks = [asyncio.ensure_future(one(url)) for url in [*urls, refused]]
        try:
            await asyncio.wait_for(waiting.wait(), timeout=30)
            await one(refused)  # a later request does not call it again
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await transport.aclose()
        return calls

    # Once: with the hanging requests sent and the refused one failed, before any reply.
    assert asyncio.run(go()) == [0]
