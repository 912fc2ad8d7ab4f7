"""The checker page's own words are written by the build from autossl_check.texts.PAGE_WORDS.

They are needed before Python starts, so the page cannot ask Python for them; the build writes
them into assets/checker/page-words.js, and no copy of them lives in the page's scripts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from autossl_check import texts

from tests.site.conftest import REPO

SCRIPTS = REPO / "docs" / "assets" / "checker"
TEMPLATE = REPO / "overrides" / "checker.html"
MODULE = re.compile(r"^export const STRINGS = (\{.*\});\s*$", re.DOTALL | re.MULTILINE)


def published_words(site: Path) -> dict[str, dict[str, str]]:
    text = (site / "assets" / "checker" / "page-words.js").read_text(encoding="utf-8")
    match = MODULE.search(text)
    assert match, "page-words.js is not the module the build writes"
    words: dict[str, dict[str, str]] = json.loads(match.group(1))
    return words


def test_the_published_words_are_the_texts_in_both_languages(built_site: Path) -> None:
    assert published_words(built_site) == {lang: texts.page_words(lang) for lang in ("en", "ja")}


def test_no_script_of_the_page_keeps_its_own_copy_of_the_words() -> None:
    assert not (SCRIPTS / "page-words.js").exists(), "page-words.js is written by the build"
    for script in SCRIPTS.glob("*.js"):
        source = script.read_text(encoding="utf-8")
        assert "const STRINGS" not in source, script.name
        assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", source), f"Japanese in {script.name}"


def test_every_word_the_page_asks_for_exists() -> None:
    used = set(re.findall(r'data-i18n="([A-Za-z]+)"', TEMPLATE.read_text(encoding="utf-8")))
    for script in SCRIPTS.glob("*.js"):
        used |= set(re.findall(r"\bthis\.text\.([A-Za-z]+)", script.read_text(encoding="utf-8")))
    assert used, "the template's data-i18n keys were not found"
    assert used <= set(texts.PAGE_WORDS), sorted(used - set(texts.PAGE_WORDS))
