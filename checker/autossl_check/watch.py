"""The schedule of a watch: re-ask each failing name once public resolvers' cached answers expire.

A recursive resolver keeps an answer for its TTL and a "no such name" / "no such record" answer for
the negative TTL (RFC 2308 §5: the smaller of the SOA record's TTL and its MINIMUM field). Before
that time it gives everyone, AutoSSL's CA included, the answer it already has, so a fix at the DNS
host cannot show earlier and asking earlier only adds load. The TTL a resolver sends is what remains
of its cache time, so "asked at + TTL" is when that resolver will at the latest ask again.

Pure except for the injected clock: `Clock.now()` and `await Clock.sleep()` are the only ways time
enters, so tests drive a watch over hours of TTLs with a fake clock. The driver `watch()` yields
events (`WatchEvent`); words for them are in watch_report.py. Repeated queries should be the very
same bytes (ID 0) so that the resolvers' HTTP caches serve them; that is the engine's business.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .model import NameRow

MIN_INTERVAL = 30.0  # never re-ask a name more often than this
DEFAULT_WATCH_FOR = 2 * 3600.0
MAX_WATCH_FOR = 24 * 3600.0
_UNITS = {"s": 1, "m": 60, "h": 3600}


def parse_duration(value: str) -> float:
    """Seconds from "90s", "30m", "2h" or a bare number of seconds; ValueError otherwise."""
    text = value.strip().lower()
    unit = _UNITS.get(text[-1:], 0)
    number = text[:-1] if unit else text
    seconds = float(number) * (unit or 1) if number.replace(".", "", 1).isdigit() else -1.0
    if not 0 < seconds <= MAX_WATCH_FOR:
        raise ValueError(f"not a duration up to {MAX_WATCH_FOR / 3600:g}h: {value[:40]!r}")
    return seconds


# TTLs count whole seconds; asking in the second the cached answer expires may still get it.
EXPIRY_MARGIN = 1.0
# Names falling due this close together are asked in one round.
BATCH_WINDOW = 1.0


class Clock(Protocol):
    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """Monotonic time and asyncio's sleep: the clock of a real watch."""

    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class ScaledClock:
    """A clock whose seconds each last `scale` real seconds: 1.0 is real time; the page's tests
    shorten a watch with a smaller scale instead of sleeping through real TTLs."""

    def __init__(self, scale: float = 1.0) -> None:
        if not 0 < scale <= 1:
            raise ValueError("scale must be in (0, 1]")
        self.scale = scale
        self._origin = time.monotonic()

    def now(self) -> float:
        return self._origin + (time.monotonic() - self._origin) / self.scale

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds) * self.scale)


def negative_ttl(soa_ttl: int, soa_minimum: int) -> int:
    """How long a resolver caches NXDOMAIN or NODATA (RFC 2308 §5)."""
    return max(0, min(int(soa_ttl), int(soa_minimum)))


def cache_ttl(answer_ttls: Iterable[int | None]) -> int | None:
    """The time until the last of a name's cached answers expires: the longest known TTL."""
    known = [int(ttl) for ttl in answer_ttls if ttl is not None]
    return max(known) if known else None


@dataclass(frozen=True, slots=True)
class NameState:
    """What one check said about a name, with how long its answers stay cached."""

    name: str
    ok: bool
    codes: tuple[str, ...] = ()
    a: tuple[str, ...] = ()
    aaaa: tuple[str, ...] = ()
    cname: tuple[str, ...] = ()
    # Seconds from when the answers arrived until the last of them expires from the resolvers'
    # caches (`cache_ttl` over the name's A, AAAA and CAA answers, negative TTLs included);
    # None when no answer gave one (a failed lookup).
    ttl: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ok": self.ok,
            "codes": list(self.codes),
            "a": list(self.a),
            "aaaa": list(self.aaaa),
            "cname": list(self.cname),
            "ttl": self.ttl,
        }


def state_of(row: NameRow) -> NameState:
    """A checked name as the watch compares it."""
    return NameState(row.name, row.ok, tuple(row.codes), row.a, row.aaaa, row.cname, row.ttl)


COMPARED = ("ok", "codes", "a", "aaaa", "cname")


@dataclass(frozen=True, slots=True)
class NameChange:
    name: str
    before: NameState
    after: NameState

    @property
    def fields(self) -> tuple[str, ...]:
        """Which of ok, codes, a, aaaa, cname differ (the TTL alone is no change)."""
        return tuple(f for f in COMPARED if getattr(self.before, f) != getattr(self.after, f))


def diff(before: Mapping[str, NameState], after: Iterable[NameState]) -> list[NameChange]:
    """The names whose status, codes, addresses or CNAME chain differ between two rounds.

    Addresses are compared as sets in their given order, so give them sorted (the engine does).
    """
    changes = []
    for state in after:
        old = before.get(state.name)
        if old is not None and NameChange(state.name, old, state).fields:
            changes.append(NameChange(state.name, old, state))
    return changes


@dataclass(frozen=True, slots=True)
class Due:
    """When a failing name's cached answers expire and when the watch asks it again.

    Times are the clock's; `next_check` is None when it would fall after the watch ends.
    """

    name: str
    expires: float | None
    next_check: float | None


def next_check(
    asked_at: float,
    ttl: int | None,
    *,
    deadline: float,
    min_interval: float = MIN_INTERVAL,
) -> Due:
    """The re-check time of one name asked at `asked_at` whose answers stay cached for `ttl`."""
    expires = None if ttl is None else asked_at + ttl
    due = asked_at + min_interval
    if expires is not None:
        due = max(due, expires + EXPIRY_MARGIN)
    return Due("", expires, due if due <= deadline else None)


def schedule(
    states: Mapping[str, NameState],
    asked_at: Mapping[str, float],
    *,
    deadline: float,
    min_interval: float = MIN_INTERVAL,
) -> list[Due]:
    """`Due` for every failing name, in the order of `states`."""
    planned = []
    for name, state in states.items():
        if state.ok:
            continue
        due = next_check(asked_at[name], state.ttl, deadline=deadline, min_interval=min_interval)
        planned.append(Due(name, due.expires, due.next_check))
    return planned


@dataclass(frozen=True, slots=True)
class WatchEvent:
    """One thing the watch has to say.

    kind "schedule": the plan after a round (`due`, one per failing name); "change": one name's
    answer changed (`change`); "done": every name is fine; "ended": the watch is over (its
    `watch_for` is spent, or no cached answer expires before then) with names still failing.
    `at` and the times in `due` are clock times; `elapsed` counts from the start of the watch.
    """

    kind: str
    at: float
    elapsed: float
    due: tuple[Due, ...] = ()
    change: NameChange | None = None
    failing: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON form; times are seconds relative to the event (`in`) or to the start."""
        result: dict[str, Any] = {"event": self.kind, "elapsed": round(self.elapsed, 3)}
        if self.kind == "schedule":
            result["names"] = [
                {
                    "name": due.name,
                    "expires_in": None if due.expires is None else round(due.expires - self.at, 3),
                    "next_check_in": (
                        None if due.next_check is None else round(due.next_check - self.at, 3)
                    ),
                }
                for due in self.due
            ]
        if self.change is not None:
            result["name"] = self.change.name
            result["changed"] = list(self.change.fields)
            result["before"] = self.change.before.to_dict()
            result["after"] = self.change.after.to_dict()
        if self.kind in ("ended", "done"):
            result["failing"] = list(self.failing)
        return result


CheckNames = Callable[[list[str]], Awaitable[Sequence[NameState]]]


async def watch(
    check_names: CheckNames,
    first_result: Iterable[NameState],
    clock: Clock,
    *,
    watch_for: float = DEFAULT_WATCH_FOR,
    min_interval: float = MIN_INTERVAL,
    started_at: float | None = None,
) -> AsyncIterator[WatchEvent]:
    """Re-check the failing names of `first_result` as their cached answers expire.

    `check_names(names)` checks those names afresh and returns their new states (names it leaves
    out keep their old state). `started_at` is the clock time the first result's answers arrived
    (default: now). Yields a "schedule" event after every round, a "change" event for each name
    whose state changed, and ends with "done" (every name fine) or "ended".
    """
    start = clock.now() if started_at is None else started_at
    deadline = start + watch_for
    states = {state.name: state for state in first_result}
    asked_at = dict.fromkeys(states, start)
    while True:
        now = clock.now()
        failing = tuple(name for name, state in states.items() if not state.ok)
        if not failing:
            yield WatchEvent("done", now, now - start)
            return
        plan = schedule(states, asked_at, deadline=deadline, min_interval=min_interval)
        yield WatchEvent("schedule", now, now - start, due=tuple(plan))
        times = [due.next_check for due in plan if due.next_check is not None]
        if not times:
            yield WatchEvent("ended", now, now - start, failing=failing)
            return
        wake = min(times)
        if wake > now:
            await clock.sleep(wake - now)
        now = max(clock.now(), wake)
        names = [
            due.name
            for due in plan
            if due.next_check is not None and due.next_check <= now + BATCH_WINDOW
        ]
        fresh = await check_names(names)
        arrived = clock.now()
        before = dict(states)
        for state in fresh:
            if state.name in states:
                states[state.name] = state
        for name in names:
            asked_at[name] = arrived
        for change in diff(before, (states[name] for name in names)):
            yield WatchEvent("change", arrived, arrived - start, change=change)
