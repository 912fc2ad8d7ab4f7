"""What a check says: schema-1 JSON, a terminal table, a Markdown block for tickets, advice, and
the page's rows. Words come from `texts`; this module arranges them."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

from . import texts
from .caa import PROVIDERS
from .model import CheckResult, Code, Finding, NameRow, Param, PlannedName
from .names import MAX_NAMES

SCHEMA = 1
NAME_KEYS = ("name", "why", "ok", "codes", "a", "aaaa", "cname")
TOP_KEYS = (
    "schema",
    "domain",
    "server",
    "server_source",
    "provider",
    "resolvers",
    "verdict",
    "names",
    "exclude",
    "queries",
    "checked_at",
)
OPTIONAL_TOP_KEYS = ("http",)  # only with the command line's --http (http_probe_report.with_probe)


def row_dict(row: NameRow) -> dict[str, Any]:
    """A name's entry in schema 1."""
    return {
        "name": row.name,
        "why": row.why.key,
        "ok": row.ok,
        "codes": row.codes,
        "a": list(row.a),
        "aaaa": list(row.aaaa),
        "cname": list(row.cname),
    }


def to_json(result: CheckResult) -> dict[str, Any]:
    """Schema 1, exactly these keys."""
    return {
        "schema": SCHEMA,
        "domain": result.domain,
        "server": list(result.servers),
        "server_source": result.server_source,
        "provider": str(result.provider),
        "resolvers": [resolver.url for resolver in result.resolvers],
        "verdict": str(result.verdict),
        "names": [row_dict(row) for row in result.rows],
        "exclude": list(result.exclude),
        "queries": result.queries,
        "checked_at": result.checked_at,
    }


def plan_entry(planned: PlannedName, lang: str) -> dict[str, str]:
    """A planned name for the page, before any answer."""
    why = planned.why
    return {"name": planned.name, "why": why.key, "why_text": texts.why_text(why, lang)}


def page_row(row: NameRow, lang: str) -> dict[str, Any]:
    """A finished name for the page: schema 1's entry, its status and every word shown, with
    DNS text and names made visible for what they are (`safe`)."""
    return {
        **row_dict(row),
        "cname": [safe(target) for target in row.cname],
        "why_text": texts.why_text(row.why, lang, safe),
        "status": str(row.status),
        "status_text": status_text(row, lang),
        "notes": note_lines(row, lang, safe),
        "cpanel_text": cpanel_text(row, lang),
        "findings": [
            {
                "code": str(finding.code),
                "title": texts.title(finding.code, lang),
                "text": texts.explanation(finding.code, lang)
                + " "
                + finding_detail(finding, lang, safe),
                "anchor": texts.docs_anchor(finding.code),
            }
            for finding in row.findings
        ],
    }


def cpanel_text(row: NameRow, lang: str) -> str:
    """cPanel's own check of the name in a few words, for beside its public status ("" when
    the check did not come from cPanel's log)."""
    for fact in row.notes:
        if fact.key.startswith("cpanel."):
            params = {name: safe(str(value)) for name, value in fact.params.items()}
            params.pop("reason", None)  # the reason is the note's, in full
            return texts.label(f"page.{fact.key}", lang, **params)
    return ""


def status_text(row: NameRow, lang: str) -> str:
    return texts.label(f"status.{row.status}", lang)


# Printable by their category, yet they draw nothing (Unicode's default-ignorable letters and
# marks, the braille blank): escaped like the format characters they resemble.
_BLANK_LETTERS = frozenset(
    chr(code)
    for code in (
        0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0,
        *range(0x180B, 0x1810), *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0),
    )
)  # fmt: skip


def safe(text: str) -> str:
    """Text from input or DNS, shown as what it is, in a terminal, a ticket and on the page:
    control, format (bidi overrides, zero-width), separator and unassigned characters, and
    letters that draw nothing, become escapes (U+202E shows as \\u202e)."""
    if text.isprintable() and _BLANK_LETTERS.isdisjoint(text):
        return text
    return "".join(
        ch if ch.isprintable() and ch not in _BLANK_LETTERS else ascii(ch)[1:-1] for ch in text
    )


def finding_detail(finding: Finding, lang: str, data: texts.DataStyle = str) -> str:
    """What exactly was seen, e.g. `A: 198.51.100.7; the server is 203.0.113.10.`"""
    details = " ".join(texts.fact_text(fact, lang, data) for fact in finding.facts)
    return details or texts.explanation(finding.code, lang)


def finding_line(finding: Finding, lang: str, data: texts.DataStyle = str) -> str:
    """`CODE: detail`."""
    return f"{finding.code}: {finding_detail(finding, lang, data)}"


def finding_lines(row: NameRow, lang: str) -> list[str]:
    return [finding_line(finding, lang) for finding in row.findings]


def note_lines(row: NameRow, lang: str, data: texts.DataStyle = str) -> list[str]:
    return [texts.fact_text(note, lang, data) for note in row.notes]


def commands(result: CheckResult) -> dict[str, str]:
    """Ready-to-paste commands that exclude the names (USER is the cPanel account)."""
    names = result.exclude
    if not names:
        return {"uapi": "", "whmapi1": ""}
    return {
        "uapi": "uapi --user=USER SSL add_autossl_excluded_domains domains=" + ",".join(names),
        "whmapi1": "whmapi1 add_autossl_user_excluded_domains username=USER "
        + " ".join(f"domain={name}" for name in names),
    }


def advice_items(result: CheckResult, lang: str) -> list[tuple[str, str]]:
    """(key, words) of each piece of advice, in the order a reader should act."""
    codes = result.codes
    servers = texts.join(result.servers, lang) or texts.label("server.unknown", lang)
    items: list[tuple[str, str]] = []

    def add(key: str, **params: Param) -> None:
        items.append((key, texts.advice_text(key, lang, **params)))

    if codes & {Code.NXDOMAIN, Code.NO_ADDRESS, Code.ELSEWHERE, Code.PARTIAL}:
        add("fix_dns", servers=servers)
    if Code.AAAA_ELSEWHERE in codes:
        add("fix_aaaa")
    if Code.CAA_FORBIDS in codes:
        add("fix_caa", provider=result.provider, issuers=PROVIDERS[result.provider])
    if Code.CAA_ACCOUNT_BOUND in codes:
        add("check_caa_account")
    if Code.SERVFAIL in codes:
        add("fix_servfail")
    if Code.RESOLVERS_DISAGREE in codes:
        add("wait_disagree")
    if Code.BEHIND_PROXY in codes:
        add("check_proxy")
    if Code.MAX_DOMAINS in codes:
        add("fit_max_domains", limit=MAX_NAMES)
    if result.exclude:
        add("exclude")
    if Code.LOOKUP_FAILED in codes:
        add("retry_lookup")
    if not items:
        add("all_good")
    return items


def advice(result: CheckResult, lang: str) -> list[str]:
    return [text for _key, text in advice_items(result, lang)]


def _server_line(
    result: CheckResult, lang: str, *, page: bool = False, data: texts.DataStyle = str
) -> str:
    shown = texts.join(map(data, result.servers), lang) or texts.label("server.unknown", lang)
    if result.server_source == "apex":
        key = "server.apex.page" if page else "server.apex"
        shown += " " + texts.label(key, lang, domain=data(result.domain))
    return shown


def _status(row: NameRow, lang: str) -> str:
    """The table's status cell: the codes themselves (stable, searchable), or ok."""
    return " ".join(row.codes) if row.codes else texts.label("status.ok", lang)


def _resolvers_line(result: CheckResult, lang: str, data: texts.DataStyle = str) -> str:
    """Whole URLs: whoever reads a ticket may need to ask the same resolver."""
    return texts.join((data(resolver.url) for resolver in result.resolvers), lang)


def to_text(result: CheckResult, lang: str = "en") -> str:
    lang = texts.normalise_lang(lang)
    head = [
        f"{texts.label('heading', lang)}: {result.domain}",
        f"{texts.label('server', lang)}: {_server_line(result, lang)}",
        f"{texts.label('provider', lang)}: {texts.provider_name(result.provider, lang)}",
        f"{texts.label('resolvers', lang)}: {_resolvers_line(result, lang)}",
        "",
    ]
    table = [
        (
            texts.label("col.name", lang),
            texts.label("col.status", lang),
            texts.label("col.addresses", lang),
            texts.label("col.why", lang),
        )
    ]
    for row in result.rows:
        addresses = texts.join(row.a + row.aaaa, lang) or "-"
        if row.cname:
            addresses = " → ".join((*_short_chain(row.cname, lang), addresses))
        table.append(
            (safe(row.name), _status(row, lang), safe(addresses), texts.why_text(row.why, lang))
        )
    widths = [max(_width(line[col]) for line in table) for col in range(3)]
    body = []
    for line in table:
        cells = [line[col] + " " * (widths[col] - _width(line[col])) for col in range(3)]
        body.append("  ".join([*cells, line[3]]).rstrip())
    out = head + body + [""]
    detail_rows = [row for row in result.rows if row.findings or row.notes]
    if detail_rows:
        out.append(texts.label("details", lang) + ":")
        for row in detail_rows:
            out.append(f"  {safe(row.name)}")
            out += [f"    {safe(line)}" for line in finding_lines(row, lang)]
            out += [f"    ({safe(line)})" for line in note_lines(row, lang)]
        out.append("")
    out.append(texts.verdict_text(result.verdict, lang))
    out += [f"- {line}" for line in advice(result, lang)]
    if result.exclude:
        cmds = commands(result)
        out += [
            "",
            texts.label("exclude_heading", lang) + ":",
            "  " + texts.join(result.exclude, lang),
            "",
            "  " + cmds["uapi"],
            "  " + cmds["whmapi1"],
        ]
    return "\n".join(out) + "\n"


def _short_chain(chain: tuple[str, ...], lang: str) -> list[str]:
    """A long CNAME chain as its first and last hops, so the table stays readable."""
    if len(chain) <= 3:
        return list(chain)
    return [chain[0], texts.label("chain.skipped", lang, count=str(len(chain) - 2)), chain[-1]]


def _width(text: str) -> int:
    """Terminal columns: East Asian wide characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _md_cell(text: str) -> str:
    """Text for a Markdown table cell: no markup, no pipes, no line breaks."""
    cleaned = safe(text).replace("\\", "\\\\").replace("|", "\\|")
    for mark in "`*_[]<>#!~":
        cleaned = cleaned.replace(mark, "\\" + mark)
    return cleaned


def md_code(text: str, *, in_table: bool = False) -> str:
    """`text` (`safe`) as a Markdown code span, in which nothing is markup or a link: fenced by
    more backticks than any run inside it, with a space inside each end where it starts or ends
    with a backtick or a space (CommonMark takes one off each end). In a table cell a pipe would
    still end the cell (GFM), and `\\|` is read differently by different parsers, so there a
    pipe is shown as the escape `\\x7c`."""
    shown = safe(text)
    if in_table:
        shown = shown.replace("|", "\\x7c")
    if not shown:
        return ""
    fence = "`" * (1 + max(map(len, re.findall("`+", shown)), default=0))
    pad = " " if shown[0] in "` " or shown[-1] in "` " else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


_HELD = "QzHELDzQ"  # letters only: survives _md_cell; none of our words contains it


def _md_line(words: Callable[[texts.DataStyle], str], *, in_table: bool = False) -> str:
    """A ticket line of our words (escaped) with every piece of data in them in a code span.
    `words(data)` makes the line, passing each piece of data through `data`."""
    held: list[str] = []

    def hold(text: str) -> str:
        held.append(text)
        return f"{_HELD}{len(held) - 1}{_HELD}"

    escaped = _md_cell(words(hold))
    return re.sub(
        f"{_HELD}([0-9]+){_HELD}",
        lambda found: md_code(held[int(found[1])], in_table=in_table),
        escaped,
    )


def verdict_sentence(result: CheckResult, lang: str) -> str:
    """The verdict as the ticket block (and so the page) shows it."""
    return texts.verdict_text(result.verdict, lang)


def to_markdown(result: CheckResult, lang: str = "en", *, docs_base: str = "") -> str:
    """A block to paste into a support ticket. `docs_base` (e.g. the site's URL) makes links."""
    lang = texts.normalise_lang(lang)
    server = _md_line(lambda data: _server_line(result, lang, page=True, data=data))
    out = [
        f"### {texts.label('heading', lang)}: {md_code(result.domain)}",
        "",
        f"- **{texts.label('server', lang)}**: {server}",
        f"- **{texts.label('provider', lang)}**: {texts.provider_name(result.provider, lang)}",
        f"- **{texts.label('resolvers', lang)}**: "
        + _md_line(lambda data: _resolvers_line(result, lang, data)),
        f"- **{texts.label('checked_at', lang)}**: {result.checked_at}",
        f"- **{verdict_sentence(result, lang)}**",
        "",
        f"| {texts.label('col.name', lang)} | {texts.label('col.status', lang)} | "
        f"{texts.label('col.addresses', lang)} | {texts.label('col.cname', lang)} | "
        f"{texts.label('col.why', lang)} |",
        "|---|---|---|---|---|",
    ]
    for row in result.rows:
        addresses = texts.join((md_code(a, in_table=True) for a in row.a + row.aaaa), lang)
        cname = " → ".join(md_code(target, in_table=True) for target in row.cname)
        why = _md_line(partial(texts.why_text, row.why, lang), in_table=True)
        name = md_code(row.name, in_table=True)
        cells = (name, _status(row, lang), addresses or "-", cname or "-", why)
        out.append("| " + " | ".join(cells) + " |")
    detail_rows = [row for row in result.rows if row.findings or row.notes]
    if detail_rows:
        out += ["", f"**{texts.label('details', lang)}**", ""]
        for row in detail_rows:
            name = md_code(row.name)
            for finding in row.findings:
                line = _md_line(partial(finding_line, finding, lang))
                out.append(f"- {name}: {line}")
            for note in row.notes:
                line = _md_line(partial(texts.fact_text, note, lang))
                out.append(f"- {name}: ({line})")
    codes = sorted(result.codes, key=list(Code).index)
    if codes and docs_base:
        base = docs_base.rstrip("/") + ("/en/" if lang == "en" else "/")
        links = texts.join((f"[{code}]({base}{texts.docs_anchor(code)})" for code in codes), lang)
        out += ["", f"{texts.label('docs', lang)}: {links}"]
    out += ["", f"**{texts.label('what_to_do', lang)}**", ""]
    out += [f"- {_md_cell(line)}" for line in advice(result, lang)]
    if result.exclude:
        cmds = commands(result)
        out += ["", "```sh", cmds["uapi"], cmds["whmapi1"], "```"]
    return "\n".join(out) + "\n"
