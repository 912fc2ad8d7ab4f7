"""No line break between two Japanese characters in the built Japanese pages' article text.

A break inside a Japanese sentence is shown as a space (issue 15 counted 325 of them on 12 pages).
tools/site_hooks/ja_linebreaks.py removes them at build time; this reads the built HTML on its own
(html.parser, not the hook's regular expressions), drops code, and counts what is left.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

from tests.site.conftest import REPO

JA = "\u3000-\u303f\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
BREAK_BETWEEN_JAPANESE = re.compile(rf"[{JA}][ \t]*\n\s*[{JA}]")
SKIPPED = {"pre", "code", "script", "style", "textarea"}
# Elements whose edges a browser never renders as a space: text on either side is not joined.
BLOCKS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
SEPARATOR = "\u2063"  # not Japanese, so the pattern never matches across it
VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "source"}


class ArticleText(HTMLParser):
    """The text of <article>, without code, as one string with the source's line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self._article_depth = 0
        self._skip_depth = 0
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS or tag == "br":
            self.text.append(SEPARATOR)
        if tag in VOID:
            return
        self._stack.append(tag)
        if tag == "article":
            self._article_depth += 1
        elif tag in SKIPPED and self._article_depth:
            self._skip_depth += 1
            self.text.append(SEPARATOR)  # code splits the text around it

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.text.append(SEPARATOR)
        if tag in VOID or tag not in self._stack:
            return
        while self._stack:
            open_tag = self._stack.pop()
            if open_tag == "article":
                self._article_depth -= 1
            elif open_tag in SKIPPED and self._skip_depth:
                self._skip_depth -= 1
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._article_depth and not self._skip_depth:
            self.text.append(data)


def breaks_in(html: str) -> list[str]:
    parser = ArticleText()
    parser.feed(html)
    text = "".join(parser.text)
    return [match.group(0) for match in BREAK_BETWEEN_JAPANESE.finditer(text)]


def japanese_pages(site: Path) -> list[Path]:
    return sorted(
        page
        for page in site.rglob("index.html")
        if not page.relative_to(site).as_posix().startswith(("en/", "assets/"))
    )


def test_the_counter_finds_a_break_and_ignores_code() -> None:
    html = (
        "<article><p>と言っているのに、\n証明書だけが<code>日本\n語</code></p>"
        "<pre>ログ\n行</pre><p>AutoSSL は\nOK</p><p>段落。</p>\n<p>次</p></article><p>外\n側</p>"
    )
    assert breaks_in(html) == ["、\n証"]


def test_the_hook_joins_what_the_counter_finds() -> None:
    sys.path.insert(0, str(REPO / "tools" / "site_hooks"))
    try:
        from ja_linebreaks import join_japanese_lines
    finally:
        sys.path.pop(0)
    html = (
        "<article><p>いるのに、\n<a href='x'>証明書</a>\nだけ <em>が</em>\n届く。\n"
        "AutoSSL は\n日本</p></article>"
    )
    joined = join_japanese_lines(html)
    assert breaks_in(html)
    assert not breaks_in(joined)
    assert "AutoSSL は日本" in joined
    assert "届く。\nAutoSSL" in joined


def test_no_breaks_between_japanese_characters_on_japanese_pages(built_site: Path) -> None:
    pages = japanese_pages(built_site)
    assert len(pages) >= 12, f"only {len(pages)} Japanese pages found in {built_site}"
    found = {}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if '<html lang="ja"' not in html:
            continue  # a redirect page, not an article
        found[page.relative_to(built_site).as_posix()] = breaks_in(html)
    assert len(found) >= 12, f"only {len(found)} Japanese article pages"
    found = {page: breaks for page, breaks in found.items() if breaks}
    total = sum(len(breaks) for breaks in found.values())
    assert not found, f"{total} line breaks between Japanese characters: " + ", ".join(
        f"{page} ({len(breaks)}, e.g. {breaks[0]!r})" for page, breaks in found.items()
    )
