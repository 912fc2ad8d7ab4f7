"""The ticket block ("Copy for ticket", `--markdown`): nothing from DNS or the reader becomes a
link or markup, even where the tracker autolinks bare URLs and www. names (GitHub, helpdesks).

The Markdown is rendered by Python-Markdown with GFM-like tables and pymdownx.magiclink, which
autolinks bare URLs, www. names and e-mail addresses as GitHub does; the only links allowed are
the guide's own (docs_base)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import dns.message
import dns.rcode
import markdown
import pytest
from autossl_check import report
from autossl_check.model import CheckResult
from markdown_it import MarkdownIt

from .helpers import FakeTransport, ok_reply, reply_for, run_with

DOCS_BASE = "https://guide.example/autossl"
SERVER = "203.0.113.10"
HOSTILE_CAA = [
    '0 issue "https://evil.example/caa?x=1"',
    '0 iodef "mailto:abuse@evil.example"',
    '0 issue "www.evil.example"',
    '0 issue "``https://evil.example/tick``"',
    '0 issue "`"',
]
EDE_TEXT = "see https://evil.example/ede or www.evil.example"
CNAME_TARGET = "www.evil.example."
PIPE_TARGET = "a|b.evil.example."  # dnspython writes it as is


def hostile_handler(base: str, query: dns.message.Message) -> object:
    name = query.question[0].name.to_text(omit_final_dot=True)
    rdtype = query.question[0].rdtype
    if name == "mail.hostile.example":
        return ok_reply(reply_for(query, rcode=dns.rcode.SERVFAIL, ede=(6, EDE_TEXT)))
    if name in ("www.hostile.example", "cpanel.hostile.example"):
        target = CNAME_TARGET if name.startswith("www") else PIPE_TARGET
        records = {"A": [SERVER]} if rdtype == 1 else {}
        return ok_reply(reply_for(query, records, cname=[(name + ".", target)]))
    if rdtype == 257 and name == "hostile.example":
        return ok_reply(reply_for(query, {"CAA": HOSTILE_CAA}))
    if rdtype == 1:
        return ok_reply(reply_for(query, {"A": [SERVER]}))
    return ok_reply(reply_for(query))


@pytest.fixture(scope="module")
def hostile_result() -> CheckResult:
    transport = FakeTransport(hostile_handler)  # type: ignore[arg-type]
    return run_with(
        "hostile.example",
        ["https://resolver.example/dns-query"],
        transport=transport,
        servers=(SERVER,),
    )


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")


def rendered(text: str) -> _Links:
    html = markdown.markdown(text, extensions=["tables", "pymdownx.magiclink"])
    found = _Links()
    found.feed(html)
    return found


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_no_dns_text_becomes_a_link_in_the_ticket(hostile_result: CheckResult, lang: str) -> None:
    ticket = report.to_markdown(hostile_result, lang, docs_base=DOCS_BASE)
    for needle in ("evil.example/caa", "abuse@evil.example", "evil.example/ede", CNAME_TARGET[:-1]):
        assert needle in ticket  # the data is all there, as text
    found = rendered(ticket)
    assert found.hrefs, "the guide's own links are expected"
    assert all(href.startswith(DOCS_BASE) for href in found.hrefs), found.hrefs
    assert found.tags <= {
        "h3",
        "ul",
        "li",
        "strong",
        "p",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "code",
        "a",
        "pre",
    }


def test_dns_text_sits_in_code_spans_that_hold_backticks(hostile_result: CheckResult) -> None:
    ticket = report.to_markdown(hostile_result, "en")
    html = MarkdownIt("commonmark").enable("table").render(ticket)
    codes = re.findall(r"<code>(.*?)</code>", html, flags=re.DOTALL)
    assert any("``https://evil.example/tick``" in code for code in codes), codes
    assert any("www.evil.example" in code for code in codes)
    assert any(EDE_TEXT in code for code in codes)
    # A pipe in a CNAME target stays in its cell: every row of the table has its five cells.
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.DOTALL)
    assert len(rows) == 1 + len(hostile_result.rows)
    assert all(row.count("<td>") + row.count("<th>") == 5 for row in rows)
    assert any("<code>a\\x7cb.evil.example</code>" in row for row in rows)
    # Outside code spans nothing of the DNS data is left.
    outside = re.sub(r"<code>.*?</code>", "", html, flags=re.DOTALL)
    assert "evil.example" not in outside


@pytest.mark.parametrize(
    "text", ["plain", "a`b", "``", "`lead", "trail`", " both ", "x | y", "https://e.example/`x`"]
)
def test_a_code_span_shows_its_text_exactly(text: str) -> None:
    html = MarkdownIt("commonmark").render(f"- {report.md_code(text)}")
    (code,) = re.findall(r"<code>(.*?)</code>", html, flags=re.DOTALL)
    assert code.replace("&amp;", "&") == text


@pytest.mark.parametrize("text", ["a|https://evil.example/", "a\\|https://evil.example/", "`|`"])
def test_data_in_a_table_cell_stays_in_its_cell(text: str) -> None:
    table = f"| a | b |\n|---|---|\n| {report.md_code(text, in_table=True)} | x |\n"
    html = MarkdownIt("commonmark").enable("table").render(table)
    cells = re.findall(r"<td>(.*?)</td>", html, flags=re.DOTALL)
    assert len(cells) == 2
    assert cells[1] == "x"
    assert cells[0].startswith("<code>")
    assert cells[0].endswith("</code>")
    assert "evil" not in re.sub(r"<code>.*?</code>", "", html)
