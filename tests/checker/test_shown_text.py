"""Bidi and invisible characters in DNS data are shown escaped, on the page as in the terminal and
the ticket: a CAA value `0 issue "\\u202egro.tpyrcnesttel"` must not read as letsencrypt.org, and
a leading U+200B must not look like the real value. `report.safe` is the one escaping function."""

from __future__ import annotations

import asyncio
import json
import unicodedata
from typing import Any

import dns.message
import pytest
from autossl_check import report
from autossl_check.browser import run_from_query

from .helpers import FakeTransport, ok_reply, reply_for

SERVER = "203.0.113.10"
REVERSED = "\u202egro.tpyrcnesttel"
ZERO_WIDTH = "\u200bletsencrypt.org"
BIDI_CAA = [f'0 issue "{REVERSED}"', f'0 issue "{ZERO_WIDTH}"']
HIDDEN = "\u202e\u200b"


def bidi_handler(base: str, query: dns.message.Message) -> Any:
    name = query.question[0].name.to_text(omit_final_dot=True)
    rdtype = query.question[0].rdtype
    if rdtype == 257 and name == "bidi.example":
        return ok_reply(reply_for(query, {"CAA": BIDI_CAA}))
    if rdtype == 1:
        return ok_reply(reply_for(query, {"A": [SERVER]}))
    return ok_reply(reply_for(query))


def page_events(lang: str) -> list[dict[str, Any]]:
    sent: list[str] = []
    transport = FakeTransport(bidi_handler)
    query = f"domain=bidi.example&server={SERVER}"
    asyncio.run(run_from_query(query, lang, sent.append, transport=transport))
    return [json.loads(text) for text in sent]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_page_shows_bidi_and_zero_width_characters_escaped(lang: str) -> None:
    events = page_events(lang)
    rows = [event["row"] for event in events if event["event"] == "name"]
    done = events[-1]
    assert done["event"] == "done"
    apex = next(row for row in rows if row["name"] == "bidi.example")
    texts = " ".join(finding["text"] for finding in apex["findings"])
    assert "\\u202egro.tpyrcnesttel" in texts
    assert "\\u200bletsencrypt.org" in texts
    # Everything the page shows (schema 1's data aside) is free of them.
    shown = [rows, {key: value for key, value in done.items() if key != "result"}]
    assert not any(ch in json.dumps(shown, ensure_ascii=False) for ch in HIDDEN)
    assert "\\u202e" in done["markdown"]


@pytest.mark.parametrize(
    "hidden",
    [
        "\u202e",  # RIGHT-TO-LEFT OVERRIDE (Cf)
        "\u2066",  # LEFT-TO-RIGHT ISOLATE (Cf)
        "\u061c",  # ARABIC LETTER MARK (Cf)
        "\u200b",  # ZERO WIDTH SPACE (Cf)
        "\u00ad",  # SOFT HYPHEN (Cf)
        "\ufeff",  # ZERO WIDTH NO-BREAK SPACE (Cf)
        "\u00a0",  # NO-BREAK SPACE (Zs)
        "\u3000",  # IDEOGRAPHIC SPACE (Zs)
        "\u2028",  # LINE SEPARATOR (Zl)
        "\x1b",  # ESCAPE (Cc)
        "\x85",  # NEXT LINE (Cc)
        "\u3164",  # HANGUL FILLER (Lo, draws nothing)
        "\u2800",  # BRAILLE PATTERN BLANK (So)
        "\ufe0f",  # VARIATION SELECTOR-16 (Mn, draws nothing)
        "\U000e0041",  # TAG LATIN CAPITAL LETTER A (Cf)
    ],
)
def test_safe_escapes_every_hidden_character(hidden: str) -> None:
    shown = report.safe(f"a{hidden}b")
    assert shown == f"a{ascii(hidden)[1:-1]}b"
    assert shown.isascii()
    assert shown.isprintable()


def test_safe_leaves_visible_text_alone() -> None:
    for text in ("letsencrypt.org", '0 issue "sectigo.com"', "日本語のテキスト", "Ünïcödé ß"):
        assert report.safe(text) == text
    assert all(unicodedata.category(ch) != "Cf" for ch in report.safe(REVERSED))
