"""Join the source line breaks inside Japanese sentences.

A line break inside a Markdown paragraph survives into the HTML, and the browser shows it as a
space: 「…と言っているのに、 証明書だけが…」. Japanese is written without spaces, so where the
characters on both sides of a break are Japanese the break is removed. Code, scripts and styles
are never touched; a break next to a Latin character stays, because there the space is wanted.
"""

from __future__ import annotations

import re
from typing import Any

# Kana, CJK ideographs, CJK and full-width punctuation.
_JA = "\u3000-\u303f\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
# Inline elements that may close before or open after a break without changing the rule.
_INLINE = r"(?:a|abbr|b|em|i|mark|span|strong)"
_BREAK = re.compile(
    rf"(?<=[{_JA}])((?:</{_INLINE}>)*)[ \t]*\r?\n[ \t]*((?:<{_INLINE}\b[^>]*>)*)(?=[{_JA}])"
)
_UNTOUCHED = re.compile(
    r"<(pre|code|script|style|textarea)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE
)


def join_japanese_lines(html: str) -> str:
    parts, last = [], 0
    for kept in _UNTOUCHED.finditer(html):
        parts.append(_BREAK.sub(r"\1\2", html[last : kept.start()]))
        parts.append(kept.group(0))
        last = kept.end()
    parts.append(_BREAK.sub(r"\1\2", html[last:]))
    return "".join(parts)


def on_page_content(html: str, **kwargs: Any) -> str:
    return join_japanese_lines(html)
