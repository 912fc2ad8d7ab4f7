"""MkDocs hook: the checker page's own words come from the checker's texts, not from a copy.

The page needs its labels and its loading messages before Python has started, so they cannot
be asked of Python at run time. The build writes them from autossl_check.texts.PAGE_WORDS into
`assets/checker/page-words.js`, which strings.js imports; both languages, one source.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from autossl_check import texts

PATH = "assets/checker/page-words.js"


def module_text() -> str:
    words = {lang: texts.page_words(lang) for lang in ("en", "ja")}
    body = json.dumps(words, ensure_ascii=False, indent=2, sort_keys=True)
    return (
        "// Written by the site build from autossl_check.texts.PAGE_WORDS"
        " (tools/site_hooks/page_words.py).\n"
        f"export const STRINGS = {body};\n"
    )


# Written after the build rather than added to its files: mkdocs-static-i18n cannot place a
# generated file (one without a source path) in its per-language file lists.
def on_post_build(config: Any) -> None:
    target = Path(config["site_dir"]) / PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(module_text(), encoding="utf-8")
