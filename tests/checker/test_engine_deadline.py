"""A query's own time limit and the check's deadline can end at the same moment (a query time
limit as long as the whole check is cut to it). Which of the two timers the event loop runs first
must not change the result: the deadline is what ended the query, and the check says so."""

from __future__ import annotations

import asyncio

import dns.message
import pytest
from autossl_check.model import Code
from autossl_check.transport import HttpReply

from .helpers import FakeTransport, zone_handler
from .test_engine import ZONE, reason_of, run


@pytest.mark.parametrize("attempt", range(3))
def test_a_query_limit_as_long_as_the_check_ends_in_the_deadline(attempt: int) -> None:
    async def handler(base: str, query: dns.message.Message) -> HttpReply:
        if query.question[0].name.to_text() == "mail.example.com.":
            await asyncio.sleep(3600)
        return zone_handler(ZONE)(base, query)  # type: ignore[return-value]

    result = run(FakeTransport(handler), timeout=0.3, query_timeout=0.3)
    rows = {row.name: row for row in result.rows}
    assert result.deadline_hit
    assert rows["mail.example.com"].codes == [Code.LOOKUP_FAILED]
    assert reason_of(rows["mail.example.com"].findings[0].facts[0]).key == "fail.deadline"
    assert all(row.ok for name, row in rows.items() if name != "mail.example.com")
