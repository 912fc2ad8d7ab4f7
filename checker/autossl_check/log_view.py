"""A pasted AutoSSL log, explained for the page: the exact names to check, cPanel's own result
for each, and the lines with their words and guide anchors, a page of lines at a time.

A paste of 2 MB is some 50,000 lines: explaining every line at once, sending them all to the page
and drawing them all took minutes of a blocked page. So `ExplainedLog.summary` says what the whole
log holds with its first page of lines, and `ExplainedLog.page` explains the lines the page asks
for next (all lines, or those not recognised). Both are dicts for JSON (browser.py sends the text):

    summary: {"names": [str], "via_parent": bool, "truncated": bool, "error": str | null,
              "summary": str, "filters": [{"value", "text"}], "page": <page>}
    page:    {"show": str, "start": int, "total": int, "next": int | null, "more": str,
              "lines": [{"number", "text", "kind", "recognised", "explanation", "anchor"}]}

`anchor` is the line kind's section of the guide page, relative to the docs root ("" for a line
that was not recognised). `error` is one sentence about the whole paste when nothing in it could
be used. `more` words the button that asks for the next page ("" when none is left). The page
renders every string with textContent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from . import texts
from .autossl_log import (
    MAX_LINE_CHARS,
    MAX_PASTE_CHARS,
    LineKind,
    LogLine,
    LogReport,
    NameResult,
    read_text,
)

PAGE_LINES = 200
SHOW_ALL = "all"
SHOW_NOT_RECOGNISED = "not_recognised"
SHOWS = (SHOW_ALL, SHOW_NOT_RECOGNISED)


def _line(line: LogLine, lang: str) -> dict[str, Any]:
    recognised = line.recognised
    if line.kind is LineKind.NOT_RECOGNISED and line.problem:
        limit = {"limit": str(MAX_LINE_CHARS)} if line.problem == "line_too_long" else {}
        explanation = texts.log_problem_text(line.problem, lang, **limit)
    else:
        explanation = texts.log_line_text(line, lang)
    return {
        "number": line.number,
        "text": line.text,
        "kind": str(line.kind),
        "recognised": recognised,
        "explanation": explanation,
        "anchor": texts.log_line_anchor(line.kind) if recognised else "",
    }


def _count(number: int) -> str:
    return f"{number:,}"


def cpanel_results(report: LogReport) -> dict[str, NameResult]:
    """Each name to check (log order, the excluded left out) with cPanel's own result for it:
    the first the log gives, as the command line's --from-log takes it."""
    found: dict[str, NameResult] = {}
    for account in report.accounts:
        for _, result in account.all_names():
            if not result.excluded:
                found.setdefault(result.name, result)
    return found


@dataclass(frozen=True, slots=True)
class ExplainedLog:
    report: LogReport
    lines: list[LogLine]  # every line but the blank ones
    not_recognised: list[LogLine]
    cpanel: dict[str, NameResult]

    max_chars: int = MAX_PASTE_CHARS

    @classmethod
    def read(cls, text: str, max_chars: int = MAX_PASTE_CHARS) -> ExplainedLog:
        report = read_text(text if isinstance(text, str) else "", max_chars=max_chars)
        lines = [line for line in report.lines if line.kind is not LineKind.BLANK]
        return cls(
            report=report,
            lines=lines,
            not_recognised=[line for line in lines if not line.recognised],
            cpanel={} if report.error else cpanel_results(report),
            max_chars=max_chars,
        )

    def error(self, lang: str) -> str | None:
        if self.report.error:
            return texts.log_error_text(self.report.error, lang, **self.report.error_params)
        if self.report.nothing_recognised:
            return texts.log_error_text("nothing_recognised", lang)
        return None

    def summary(self, lang: str) -> dict[str, Any]:
        error = self.error(lang)
        names = [] if error else list(self.cpanel)
        total = len(self.lines)
        summary = texts.label(
            "page.log_summary",
            lang,
            lines=_count(total),
            recognised=_count(total - len(self.not_recognised)),
            not_recognised=_count(len(self.not_recognised)),
            names=_count(len(names)),
        )
        if self.report.truncated:
            cut = texts.log_error_text("truncated_paste", lang, limit=_count(self.max_chars))
            summary += ("" if lang == "ja" else " ") + cut
        return {
            "names": names,
            "via_parent": self.report.http_dcv_via_parent,
            "truncated": self.report.truncated,
            "error": error,
            "summary": summary,
            "filters": [
                {"value": show, "text": texts.label(f"page.log_show_{show}", lang)}
                for show in SHOWS
            ],
            "page": self.page(0, PAGE_LINES, SHOW_ALL, lang),
        }

    def page(self, start: int, count: int, show: str, lang: str) -> dict[str, Any]:
        """`count` lines (at most PAGE_LINES) from the `start`-th of those `show` picks."""
        show = show if show in SHOWS else SHOW_ALL
        picked = self.not_recognised if show == SHOW_NOT_RECOGNISED else self.lines
        start = max(0, min(start, len(picked)))
        end = min(len(picked), start + max(0, min(count, PAGE_LINES)))
        left = len(picked) - end
        more = ""
        if left:
            more = texts.label(
                "page.log_more", lang, count=_count(min(left, PAGE_LINES)), left=_count(left)
            )
        return {
            "show": show,
            "start": start,
            "total": len(picked),
            "next": end if left else None,
            "more": more,
            "lines": [_line(line, lang) for line in picked[start:end]],
        }


def explain(text: str, lang: str) -> dict[str, Any]:
    return ExplainedLog.read(text).summary(lang)


def explain_log(text: str, lang: str) -> str:
    """The whole answer as JSON text; never raises for any text."""
    return json.dumps(explain(text, lang), ensure_ascii=False)
