"""The watch: when failing names are asked again, what it reports, when it stops.

Time is a fake clock: sleeping moves it forward at once, so hours of TTLs take no real time.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest
from autossl_check.engine import Rechecker, build_request, run_check
from autossl_check.native_transport import NativeTransport
from autossl_check.texts import after_fix_text as text
from autossl_check.transport import HttpReply, Transport
from autossl_check.watch import (
    MIN_INTERVAL,
    NameState,
    WatchEvent,
    cache_ttl,
    diff,
    negative_ttl,
    next_check,
    parse_duration,
    state_of,
    watch,
)
from autossl_check.watch_report import countdown, event_lines, page_title

from tests.support.doh_resolver import DohResolver
from tests.support.signals import interruptible
from tests.support.watch_zone import NEGATIVE_TTL, SERVER, watch_zone


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.time = start
        self.start = start
        self.sleeps: list[float] = []
        self.on_advance: Callable[[float], None] = lambda now: None

    def now(self) -> float:
        return self.time

    async def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.time += seconds
        self.on_advance(self.time - self.start)
        await asyncio.sleep(0)


def failing(
    name: str, codes: Sequence[str] = ("NXDOMAIN",), ttl: int | None = 60, **kw: Any
) -> NameState:
    return NameState(name, False, tuple(codes), ttl=ttl, **kw)


def fine(name: str, ttl: int | None = 300) -> NameState:
    return NameState(name, True, (), a=("203.0.113.10",), ttl=ttl)


class Scripted:
    """A re-check function: each name's state is a function of the watch's elapsed time."""

    def __init__(self, clock: FakeClock, script: dict[str, Callable[[float], NameState]]) -> None:
        self.clock = clock
        self.script = script
        self.calls: list[tuple[float, list[str]]] = []

    async def __call__(self, names: list[str]) -> list[NameState]:
        elapsed = self.clock.now() - self.clock.start
        self.calls.append((elapsed, list(names)))
        return [self.script[name](elapsed) for name in names]


def run(
    script: Scripted, first: Iterable[NameState], clock: FakeClock, **options: Any
) -> list[WatchEvent]:
    async def go() -> list[WatchEvent]:
        return [event async for event in watch(script, first, clock, **options)]

    return asyncio.run(go())


def changes(events: list[WatchEvent], clock: FakeClock) -> list[tuple[float, str, bool]]:
    return [
        (event.at - clock.start, event.change.name, event.change.after.ok)
        for event in events
        if event.change is not None
    ]


# --- TTLs ----------------------------------------------------------------------------------------


def test_negative_ttl_is_the_smaller_of_soa_ttl_and_minimum() -> None:
    assert negative_ttl(3600, 300) == 300
    assert negative_ttl(60, 86400) == 60


def test_a_name_is_cached_until_its_longest_answer_expires() -> None:
    assert cache_ttl([300, 60, None, 3600]) == 3600
    assert cache_ttl([None]) is None


def test_next_check_waits_for_expiry_but_at_least_the_floor() -> None:
    assert next_check(0.0, 300, deadline=7200).next_check == 301.0
    assert next_check(0.0, 5, deadline=7200).next_check == MIN_INTERVAL
    assert next_check(0.0, None, deadline=7200).next_check == MIN_INTERVAL
    beyond = next_check(0.0, 9000, deadline=7200)
    assert beyond.next_check is None
    assert beyond.expires == 9000


# --- the driver with a fake clock ----------------------------------------------------------------


def test_a_name_fixed_after_n_seconds_is_reported_when_its_answer_expires() -> None:
    clock = FakeClock()
    # webdisk points elsewhere with a 300 s TTL; the reader fixes it 200 s into the watch.
    name = "webdisk.example.com"
    wrong = failing(name, ("ELSEWHERE",), ttl=300, a=("198.51.100.7",))
    script = Scripted(
        clock,
        {
            name: lambda t: (
                fine(name) if t >= 200 else failing(name, ("ELSEWHERE",), ttl=int(300 - t))
            )
        },
    )
    events = run(script, [wrong], clock)
    assert [at for at, _names in script.calls] == [301.0]
    assert changes(events, clock) == [(301.0, name, True)]
    assert events[-1].kind == "done"
    assert event_lines(events[-2], "en") == [
        "webdisk.example.com: ELSEWHERE -> ok",
        "webdisk.example.com: A 198.51.100.7 -> 203.0.113.10",
    ]
    assert event_lines(events[-1], "en") == ["Every name is fine."]


def test_nxdomain_is_asked_again_when_its_negative_ttl_expires_not_before() -> None:
    clock = FakeClock()
    name = "mail.example.com"
    # Fixed at the DNS host after 5 s, but resolvers cache the NXDOMAIN for 45 s (negative TTL).
    script = Scripted(clock, {name: lambda t: fine(name) if t >= 5 else failing(name, ttl=45)})
    events = run(script, [failing(name, ttl=negative_ttl(3600, 45))], clock)
    assert script.calls == [(46.0, [name])]
    assert changes(events, clock) == [(46.0, name, True)]
    first_plan = events[0]
    assert first_plan.kind == "schedule"
    assert [(d.name, d.expires, d.next_check) for d in first_plan.due] == [
        (name, clock.start + 45, clock.start + 46)
    ]


def test_never_more_often_than_every_30_seconds() -> None:
    clock = FakeClock()
    name = "cpanel.example.com"
    script = Scripted(clock, {name: lambda t: fine(name) if t >= 75 else failing(name, ttl=5)})
    events = run(script, [failing(name, ttl=5)], clock)
    times = [at for at, _names in script.calls]
    assert times == [30.0, 60.0, 90.0]
    assert all(b - a >= MIN_INTERVAL for a, b in zip([0.0, *times], times, strict=False))
    assert changes(events, clock) == [(90.0, name, True)]


def test_watch_for_ends_the_watch() -> None:
    clock = FakeClock()
    name = "webmail.example.com"
    script = Scripted(clock, {name: lambda t: failing(name, ttl=60)})
    events = run(script, [failing(name, ttl=60)], clock, watch_for=200)
    assert [at for at, _names in script.calls] == [61.0, 122.0, 183.0]
    assert clock.time - clock.start <= 200
    assert events[-1].kind == "ended"
    assert events[-1].failing == (name,)
    assert changes(events, clock) == []  # the same answer every time: nothing to report
    assert event_lines(events[-1], "en") == [
        "The watch ended after 3 min 3 s; still failing: webmail.example.com"
    ]


def test_by_default_the_watch_lasts_two_hours() -> None:
    clock = FakeClock()
    name = "webmail.example.com"
    script = Scripted(clock, {name: lambda t: failing(name, ttl=600)})
    events = run(script, [failing(name, ttl=600)], clock)
    times = [at for at, _names in script.calls]
    assert times == [601.0 * k for k in range(1, 12)]  # the 12th would fall after 7200 s
    assert events[-1].kind == "ended"
    assert events[-1].at - clock.start <= 2 * 3600


def test_a_cached_answer_outliving_the_watch_ends_it_without_asking() -> None:
    clock = FakeClock()
    name = "autodiscover.example.com"
    script = Scripted(clock, {name: lambda t: fine(name)})
    events = run(script, [failing(name, ttl=86400)], clock)
    assert script.calls == []
    assert [event.kind for event in events] == ["schedule", "ended"]
    assert event_lines(events[0], "en") == [
        "autodiscover.example.com: cached answers expire in 24 h 0 min, after the watch ends"
    ]


def test_exits_at_once_when_every_name_is_fine() -> None:
    clock = FakeClock()
    script = Scripted(clock, {})
    events = run(script, [fine("example.com"), fine("www.example.com")], clock)
    assert [event.kind for event in events] == ["done"]
    assert script.calls == []


def test_only_failing_names_are_asked_again() -> None:
    clock = FakeClock()
    early, late = "mail.example.com", "webdisk.example.com"
    script = Scripted(
        clock,
        {
            early: lambda t: fine(early),
            late: lambda t: fine(late) if t >= 100 else failing(late, ttl=40),
        },
    )
    first = [fine("example.com"), failing(early, ttl=40), failing(late, ttl=40)]
    events = run(script, first, clock)
    assert script.calls == [(41.0, [early, late]), (82.0, [late]), (123.0, [late])]
    assert changes(events, clock) == [(41.0, early, True), (123.0, late, True)]
    assert events[-1].kind == "done"


def test_a_failed_lookup_is_asked_again_after_the_floor() -> None:
    clock = FakeClock()
    name = "cpcalendars.example.com"
    script = Scripted(clock, {name: lambda t: fine(name)})
    events = run(script, [failing(name, ("LOOKUP_FAILED",), ttl=None)], clock)
    assert script.calls == [(30.0, [name])]
    assert events[-1].kind == "done"


def test_diff_reports_codes_and_addresses_not_the_ttl() -> None:
    before = {"a.example": failing("a.example", ("ELSEWHERE",), ttl=300, a=("198.51.100.7",))}
    same_but_older = failing("a.example", ("ELSEWHERE",), ttl=12, a=("198.51.100.7",))
    assert diff(before, [same_but_older]) == []
    partial = failing("a.example", ("PARTIAL",), ttl=300, a=("198.51.100.7", "203.0.113.10"))
    [change] = diff(before, [partial])
    assert change.fields == ("codes", "a")


# --- words and JSON ------------------------------------------------------------------------------


def test_event_words_in_japanese_and_the_tab_title() -> None:
    clock = FakeClock()
    name = "webdisk.example.com"
    script = Scripted(clock, {name: lambda t: fine(name)})
    events = run(script, [failing(name, ttl=300)], clock)
    assert event_lines(events[0], "ja") == [
        "webdisk.example.com: キャッシュの残り 5 分 0 秒、5 分 1 秒後に再確認"
    ]
    assert event_lines(events[1], "ja")[0] == "webdisk.example.com: NXDOMAIN → 正常"
    assert event_lines(events[0], "en") == [
        "webdisk.example.com: cached for another 5 min 0 s, re-check in 5 min 1 s"
    ]
    assert page_title(2, "en") == "Watching: 2 failing"
    assert page_title(0, "ja") == "すべて正常"
    assert countdown(0.2, "en") == "1 s"
    assert countdown(3725, "en") == "1 h 2 min"


def test_events_as_json() -> None:
    clock = FakeClock()
    name = "webdisk.example.com"
    script = Scripted(clock, {name: lambda t: fine(name)})
    events = [json.loads(json.dumps(e.to_dict())) for e in run(script, [failing(name)], clock)]
    assert events[0] == {
        "event": "schedule",
        "elapsed": 0.0,
        "names": [{"name": name, "expires_in": 60.0, "next_check_in": 61.0}],
    }
    assert events[1]["event"] == "change"
    assert events[1]["changed"] == ["ok", "codes", "a"]
    assert events[1]["after"]["ok"] is True
    assert events[2] == {"event": "done", "elapsed": 61.0, "failing": []}


# --- against the loopback DoH resolver with the current engine ------------------------------------


class UrlRecorder:
    """Wraps a transport and keeps every URL asked."""

    def __init__(self, inner: Transport, urls: list[str]) -> None:
        self.inner = inner
        self.urls = urls

    async def __call__(self, url: str, accept: str) -> HttpReply:
        self.urls.append(url)
        return await self.inner(url, accept)


def test_watch_turns_green_against_the_loopback_resolver() -> None:
    resolver = DohResolver(watch_zone(fixed=False)).start()
    clock = FakeClock()
    # The reader fixes mail.watch.example 10 s into the watch; the NXDOMAIN stays cached 40 s.
    clock.on_advance = lambda elapsed: setattr(resolver, "zones", watch_zone(elapsed >= 10))
    request = build_request(
        "watch.example", servers=(SERVER,), resolvers=(resolver.url,), service_subdomains=False
    )

    async def go() -> tuple[list[WatchEvent], list[tuple[float, list[str]]]]:
        urls: list[str] = []
        transport = NativeTransport()
        recording = UrlRecorder(transport, urls)
        calls: list[tuple[float, list[str]]] = []
        try:
            result = await run_check(request, recording)
            first = [state_of(row) for row in result.rows]
            assert [(s.name, s.ok, s.ttl) for s in first] == [
                ("watch.example", True, 600),
                ("www.watch.example", True, 600),
                ("mail.watch.example", False, NEGATIVE_TTL),
            ]
            resolver.clear_log()
            first_urls = set(urls)
            urls.clear()
            recheck = Rechecker(request, result, recording)

            async def recorded(names: list[str]) -> list[NameState]:
                calls.append((clock.now() - clock.start, names))
                return await recheck(names)

            events = [event async for event in watch(recorded, first, clock)]
            # The same query bytes (ID 0) as the first check: resolvers' HTTP caches can answer.
            assert urls
            assert set(urls) <= first_urls
            assert recheck.rows["mail.watch.example"].ok
            return events, calls
        finally:
            await transport.aclose()

    try:
        events, calls = asyncio.run(go())
    finally:
        resolver.stop()
    assert calls == [(NEGATIVE_TTL + 1.0, ["mail.watch.example"])]
    [change] = [event for event in events if event.change is not None]
    assert change.at - clock.start == NEGATIVE_TTL + 1.0
    assert event_lines(change, "en") == [
        "mail.watch.example: NXDOMAIN -> ok",
        "mail.watch.example: A none -> 203.0.113.10",
    ]
    assert events[-1].kind == "done"
    # Only the failing name was asked again (its addresses and the CAA nodes above it).
    assert {(q.qname, q.qtype) for q in resolver.queries} == {
        ("mail.watch.example.", "A"),
        ("mail.watch.example.", "AAAA"),
        ("mail.watch.example.", "CAA"),
        ("watch.example.", "CAA"),
        ("example.", "CAA"),
    }


# --- the example on "After you change DNS" -------------------------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs"


def docs_example(lang: str) -> list[str]:
    """Two names created at the DNS host; NXDOMAIN cached 45 s for one, 300 s for the other."""
    clock = FakeClock()
    cpanel, webdisk = "cpanel.example.com", "webdisk.example.com"
    script = Scripted(clock, {cpanel: lambda t: fine(cpanel), webdisk: lambda t: fine(webdisk)})
    first = [fine("example.com"), failing(cpanel, ttl=45), failing(webdisk, ttl=300)]
    return [line for event in run(script, first, clock) for line in event_lines(event, lang)]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_page_shows_what_the_watch_says(lang: str) -> None:
    page = (DOCS / lang / "after-dns-change.md").read_text(encoding="utf-8")
    lines = docs_example(lang)
    assert lines[-1] == text("watch_all_fine", lang)
    assert "```text\n" + "\n".join(lines) + "\n```" in page


# --- the command line's --watch ------------------------------------------------------------------


def watch_cli(
    monkeypatch: pytest.MonkeyPatch, *options: str, fixed_after: float | None = 10
) -> tuple[int, FakeClock]:
    """`autossl-check watch.example --watch ...` on a fake clock; the reader fixes
    mail.watch.example `fixed_after` seconds into the watch (None: never)."""
    from autossl_check import cli

    resolver = DohResolver(watch_zone(fixed=False)).start()
    clock = FakeClock()
    if fixed_after is not None:
        clock.on_advance = lambda elapsed: setattr(
            resolver, "zones", watch_zone(elapsed >= fixed_after)
        )
    monkeypatch.setattr(cli, "watch_clock", lambda: clock)
    args = ["watch.example", "--server", SERVER, "--resolver", resolver.url]
    try:
        status = cli.main([*args, "--no-service-subdomains", "--watch", *options])
    finally:
        resolver.stop()
    return status, clock


def json_events(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith('{"event"')]


def test_cli_watch_prints_the_change_and_exits_0_when_green(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, clock = watch_cli(monkeypatch, "--lang", "en")
    out = capsys.readouterr().out
    assert status == 0
    report, watched = out.split("Records to enter at the DNS host", 1)
    assert "mail.watch.example" in report
    assert watched.splitlines()[-4:] == [
        f"mail.watch.example: cached for another {NEGATIVE_TTL} s, "
        f"re-check in {NEGATIVE_TTL + 1} s",
        "mail.watch.example: NXDOMAIN -> ok",
        f"mail.watch.example: A none -> {SERVER}",
        "Every name is fine.",
    ]
    assert clock.sleeps == [NEGATIVE_TTL + 1.0]


def test_cli_watch_for_ends_with_the_usual_status(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, clock = watch_cli(monkeypatch, "--json", "--watch-for", "2m", fixed_after=None)
    assert status == 1
    events = json_events(capsys.readouterr().out)
    assert [event["event"] for event in events] == ["schedule", "ended"]
    assert events[-1]["failing"] == ["mail.watch.example"]
    # 41 s, 82 s: never beyond the two minutes asked for.
    assert clock.sleeps == [NEGATIVE_TTL + 1.0] * 2


@pytest.mark.parametrize(
    ("value", "seconds"), [("90s", 90), ("30m", 1800), ("2h", 7200), ("45", 45), ("1.5h", 5400)]
)
def test_watch_for_durations(value: str, seconds: float) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", ["", "h", "-5m", "0s", "2d", "25h", "1e3", "ten"])
def test_bad_watch_for_is_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    from autossl_check import cli

    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(value)
    assert cli.main(["example.com", "--watch", "--watch-for", value]) == cli.EXIT_USAGE
    assert "--watch-for" in capsys.readouterr().err


def test_watch_for_needs_watch(capsys: pytest.CaptureFixture[str]) -> None:
    from autossl_check import cli

    assert cli.main(["example.com", "--watch-for", "2h"]) == cli.EXIT_USAGE
    assert "--watch-for needs --watch" in capsys.readouterr().err


def test_ctrl_c_ends_the_watch_cleanly() -> None:
    import os
    import signal
    import subprocess
    import sys

    resolver = DohResolver(watch_zone(fixed=False)).start()
    args = ["watch.example", "--server", SERVER, "--resolver", resolver.url]
    environment = {**os.environ, "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    process = subprocess.Popen(
        [sys.executable, "-m", "autossl_check", *args, "--no-service-subdomains", "--watch"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=environment,
        preexec_fn=interruptible,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if "re-check in" in line:
                break  # the first check is done and the watch is waiting
        process.send_signal(signal.SIGINT)
        _rest, err = process.communicate(timeout=30)
    finally:
        process.kill()
        resolver.stop()
    assert process.returncode == 130
    assert err == "autossl-check: interrupted\n"


def test_cli_watch_with_json_prints_one_event_per_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _clock = watch_cli(monkeypatch, "--json")
    assert status == 0
    events = json_events(capsys.readouterr().out)
    assert [event["event"] for event in events] == ["schedule", "change", "done"]
    change = events[1]
    assert change["name"] == "mail.watch.example"
    assert change["changed"] == ["ok", "codes", "a"]
    assert (change["before"]["ok"], change["after"]["ok"]) == (False, True)
    assert events[-1]["failing"] == []
