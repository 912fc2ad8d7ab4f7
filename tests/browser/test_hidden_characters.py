"""Bidi and invisible characters in DNS data are shown escaped on the page: a CAA value
`0 issue "\\u202egro.tpyrcnesttel"` must not display as "letsencrypt.org" (and reverse the rest of
the sentence), and a leading U+200B must not look like the real value."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.test_checker_words import copied_ticket

pytestmark = pytest.mark.browser

SERVER = "203.0.113.10"
HIDDEN = ("\u202e", "\u200b")
ZONES = {
    "records": {
        "bidi.example.": {
            "A": [SERVER],
            "CAA": ['0 issue "\u202egro.tpyrcnesttel"', '0 issue "\u200bletsencrypt.org"'],
        },
        "*.bidi.example.": {"A": [SERVER]},
    }
}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_page_shows_bidi_and_zero_width_characters_escaped(
    open_checker: Callable[..., Any], doh_resolver_factory: Any, lang: str
) -> None:
    resolver = doh_resolver_factory(zones=ZONES)
    checker = open_checker(clipboard=True)
    path = "checker/" if lang == "ja" else "en/checker/"
    checker.open(path, [("domain", "bidi.example"), ("server", SERVER), ("resolver", resolver.url)])
    assert checker.wait_verdict() == "action_needed"
    rows = checker.rows()
    apex = next(row for row in rows if row["name"] == "bidi.example")
    assert "\\u202egro.tpyrcnesttel" in apex["text"]
    assert "\\u200bletsencrypt.org" in apex["text"]
    assert apex["links"] == [link for link in apex["links"] if link.startswith(checker.site_url)]
    shown = checker.evaluate("() => document.querySelector('[data-autossl-checker]').innerText")
    assert not any(ch in shown for ch in HIDDEN)
    ticket = copied_ticket(checker)
    assert "\\u202egro.tpyrcnesttel" in ticket
    assert not any(ch in ticket for ch in HIDDEN)
    assert checker.console_errors == []
