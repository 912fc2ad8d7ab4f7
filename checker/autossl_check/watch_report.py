"""The watch in words: a countdown, the lines a terminal prints per event, the tab title."""

from __future__ import annotations

import math
from typing import Any

from .texts import after_fix_text as text
from .watch import WatchEvent


def countdown(seconds: float, lang: str) -> str:
    """A duration for people: "45 s", "4 min 59 s", "1 h 5 min" (rounded up to whole seconds)."""
    total = max(0, math.ceil(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return text("countdown_hours", lang, hours=str(hours), minutes=str(minutes))
    if minutes:
        return text("countdown_minutes", lang, minutes=str(minutes), seconds=str(secs))
    return text("countdown_seconds", lang, seconds=str(secs))


def _status(codes: tuple[str, ...], ok: bool, lang: str) -> str:
    return text("status_ok", lang) if ok else ", ".join(codes)


def event_lines(event: WatchEvent, lang: str) -> list[str]:
    """The lines a terminal prints for one watch event."""
    if event.kind == "done":
        return [text("watch_all_fine", lang)]
    if event.kind == "ended":
        return [
            text(
                "watch_ended",
                lang,
                elapsed=countdown(event.elapsed, lang),
                names=", ".join(event.failing),
            )
        ]
    if event.kind == "schedule":
        lines = []
        for due in event.due:
            if due.next_check is None:
                expires = "?" if due.expires is None else countdown(due.expires - event.at, lang)
                lines.append(text("watch_beyond", lang, name=due.name, expires=expires))
            elif due.expires is None:
                left = countdown(due.next_check - event.at, lang)
                lines.append(text("watch_next", lang, name=due.name, countdown=left))
            else:
                lines.append(
                    text(
                        "watch_next_expiry",
                        lang,
                        name=due.name,
                        expires=countdown(due.expires - event.at, lang),
                        countdown=countdown(due.next_check - event.at, lang),
                    )
                )
        return lines
    change = event.change
    if change is None:
        return []
    before, after = change.before, change.after
    lines = []
    if "ok" in change.fields or "codes" in change.fields:
        lines.append(
            text(
                "watch_change",
                lang,
                name=change.name,
                before=_status(before.codes, before.ok, lang),
                after=_status(after.codes, after.ok, lang),
            )
        )
    none = text("watch_none", lang)
    for field, rtype in (("a", "A"), ("aaaa", "AAAA"), ("cname", "CNAME")):
        if field in change.fields:
            lines.append(
                text(
                    "watch_addresses",
                    lang,
                    name=change.name,
                    rtype=rtype,
                    before=", ".join(getattr(before, field)) or none,
                    after=", ".join(getattr(after, field)) or none,
                )
            )
    return lines


def page_title(failing: int, lang: str) -> str:
    """The tab title while a watch runs."""
    if failing:
        return text("title_watching", lang, count=str(failing))
    return text("title_fine", lang)


def page_status(
    state: str, schedule: WatchEvent | None, now: float, failing: int, lang: str
) -> dict[str, Any]:
    """The page's "watch" event: `state` ("watching", "done" or "ended"), the tab title, and per
    failing name the line to show, counted down to `now` (clock time)."""
    names = []
    if state == "watching" and schedule is not None:
        for due in schedule.due:
            if due.next_check is None:
                expires = _left(due.expires, now, lang)
                line = text("watch_beyond", lang, name=due.name, expires=expires)
            else:
                left = countdown(due.next_check - now, lang)
                line = text("watch_next", lang, name=due.name, countdown=left)
            names.append({"name": due.name, "text": line})
    if state == "ended":
        title = text("title_ended", lang, count=str(failing))
    else:
        title = page_title(failing, lang)
    return {
        "event": "watch",
        "state": state,
        "title": title,
        "names": names,
        "notify": text("watch_all_fine", lang) if state == "done" else "",
    }


def _left(moment: float | None, now: float, lang: str) -> str:
    return "?" if moment is None else countdown(moment - now, lang)
