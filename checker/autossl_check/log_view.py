"""A pasted AutoSSL log, explained for the page: each line with its words and its guide anchor,
and the exact names to check.

`explain_log(text, lang)` returns JSON text (the page renders every string with textContent):

    {"names": [str], "via_parent": bool, "truncated": bool, "error": str | null,
     "lines": [{"number", "text", "kind", "recognised", "explanation", "anchor"}]}

`anchor` is the line kind's section of the guide page, relative to the docs root ("" for a line
that was not recognised). `error` is one sentence about the whole paste when nothing in it could
be used. Not wired into the page yet: the paste area (view.js) is still to come.
"""

from __future__ import annotations

import json
from typing import Any

from . import texts
from .autossl_log import LineKind, LogLine, read_text


def _line(line: LogLine, lang: str) -> dict[str, Any]:
    recognised = line.recognised
    if line.kind is LineKind.NOT_RECOGNISED and line.problem:
        explanation = texts.log_problem_text(line.problem, lang, **_limit(line))
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


def _limit(line: LogLine) -> dict[str, str]:
    from .autossl_log import MAX_LINE_CHARS

    return {"limit": str(MAX_LINE_CHARS)} if line.problem == "line_too_long" else {}


def explain(text: str, lang: str) -> dict[str, Any]:
    report = read_text(text)
    error = None
    if report.error:
        error = texts.log_error_text(report.error, lang, **report.error_params)
    elif report.nothing_recognised:
        error = texts.log_error_text("nothing_recognised", lang)
    return {
        "names": report.checked_names(),
        "via_parent": report.http_dcv_via_parent,
        "truncated": report.truncated,
        "error": error,
        "lines": [_line(line, lang) for line in report.lines if line.kind is not LineKind.BLANK],
    }


def explain_log(text: str, lang: str) -> str:
    """The page's call: never raises for any text."""
    return json.dumps(explain(text if isinstance(text, str) else "", lang), ensure_ascii=False)
