"""What a check says: schema-1 JSON, a terminal table, a Markdown block for tickets, advice."""

from __future__ import annotations

from typing import Any

from . import texts
from .caa import PROVIDER_NAMES, PROVIDERS
from .check import CheckResult, row_dict
from .findings import Code, Finding, NameRow

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


def to_json(result: CheckResult) -> dict[str, Any]:
    """Schema 1, exactly these keys."""
    return {
        "schema": SCHEMA,
        "domain": result.domain,
        "server": list(result.servers),
        "server_source": result.server_source,
        "provider": result.provider,
        "resolvers": list(result.resolvers),
        "verdict": str(result.verdict),
        "names": [row_dict(row) for row in result.rows],
        "exclude": result.exclude,
        "queries": result.queries,
        "checked_at": result.checked_at,
    }


def safe(text: str) -> str:
    """Text from input or DNS, made harmless for a terminal (no control characters)."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def finding_detail(finding: Finding, lang: str) -> str:
    """What exactly was seen, e.g. `A: 198.51.100.7; the server is 203.0.113.10.`"""
    details = " ".join(texts.detail_text(detail, lang) for detail in finding.details)
    return details or texts.explanation(finding.code, lang)


def finding_lines(row: NameRow, lang: str) -> list[str]:
    """One line per finding: `CODE: detail`."""
    return [f"{finding.code}: {finding_detail(finding, lang)}" for finding in row.findings]


def note_lines(row: NameRow, lang: str) -> list[str]:
    return [texts.detail_text(note, lang) for note in row.notes]


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


def advice(result: CheckResult, lang: str) -> list[str]:
    codes = {code for row in result.rows for code in row.codes}
    servers = ", ".join(result.servers) or texts.label("server.unknown", lang)
    lines: list[str] = []
    if codes & {Code.NXDOMAIN, Code.NO_ADDRESS, Code.ELSEWHERE, Code.PARTIAL}:
        lines.append(texts.advice_text("fix_dns", lang, servers=servers))
    if Code.AAAA_ELSEWHERE in codes:
        lines.append(texts.advice_text("fix_aaaa", lang))
    if Code.CAA_FORBIDS in codes:
        lines.append(
            texts.advice_text(
                "fix_caa",
                lang,
                provider=PROVIDER_NAMES[result.provider],
                issuers=", ".join(PROVIDERS[result.provider]),
            )
        )
    if Code.CAA_ACCOUNT_BOUND in codes:
        lines.append(texts.advice_text("check_caa_account", lang))
    if Code.SERVFAIL in codes:
        lines.append(texts.advice_text("fix_servfail", lang))
    if Code.RESOLVERS_DISAGREE in codes:
        lines.append(texts.advice_text("wait_disagree", lang))
    if result.exclude:
        lines.append(texts.advice_text("exclude", lang))
    if Code.LOOKUP_FAILED in codes:
        lines.append(texts.advice_text("retry_lookup", lang))
    if not lines:
        lines.append(texts.advice_text("all_good", lang))
    return lines


def _server_line(result: CheckResult, lang: str, *, page: bool = False) -> str:
    shown = ", ".join(result.servers) or texts.label("server.unknown", lang)
    if result.server_source == "apex":
        key = "server.apex.page" if page else "server.apex"
        shown += " " + texts.label(key, lang, domain=result.domain)
    return shown


def _status(row: NameRow, lang: str) -> str:
    return " ".join(row.codes) if row.codes else texts.label("status.ok", lang)


def to_text(result: CheckResult, lang: str = "en") -> str:
    lang = texts.normalise_lang(lang)
    head = [
        f"{texts.label('heading', lang)}: {result.domain}",
        f"{texts.label('server', lang)}: {_server_line(result, lang)}",
        f"{texts.label('provider', lang)}: {PROVIDER_NAMES[result.provider]}",
        f"{texts.label('resolvers', lang)}: " + ", ".join(result.resolvers),
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
        addresses = ", ".join(row.a + row.aaaa) or "-"
        if row.cname:
            addresses = " → ".join((*_short_chain(row.cname), addresses))
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
    out.append(texts.label(f"verdict.{result.verdict}", lang))
    out += [f"- {line}" for line in advice(result, lang)]
    if result.exclude:
        cmds = commands(result)
        out += [
            "",
            texts.label("exclude_heading", lang) + ":",
            "  " + ", ".join(result.exclude),
            "",
            "  " + cmds["uapi"],
            "  " + cmds["whmapi1"],
        ]
    return "\n".join(out) + "\n"


def _short_chain(chain: tuple[str, ...]) -> list[str]:
    """A long CNAME chain as its first and last hops, so the table stays readable."""
    if len(chain) <= 3:
        return list(chain)
    return [chain[0], f"… {len(chain) - 2} …", chain[-1]]


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


def to_markdown(result: CheckResult, lang: str = "en", *, docs_base: str = "") -> str:
    """A block to paste into a support ticket. `docs_base` (e.g. the site's URL) makes links."""
    lang = texts.normalise_lang(lang)
    out = [
        f"### {texts.label('heading', lang)}: {_md_cell(result.domain)}",
        "",
        f"- **{texts.label('server', lang)}**: {_md_cell(_server_line(result, lang, page=True))}",
        f"- **{texts.label('provider', lang)}**: {PROVIDER_NAMES[result.provider]}",
        f"- **{texts.label('resolvers', lang)}**: "
        + ", ".join(_md_cell(r) for r in result.resolvers),
        f"- **{texts.label('checked_at', lang)}**: {result.checked_at}",
        f"- **{texts.label(f'verdict.{result.verdict}', lang)}**",
        "",
        f"| {texts.label('col.name', lang)} | {texts.label('col.status', lang)} | "
        f"{texts.label('col.addresses', lang)} | {texts.label('col.cname', lang)} | "
        f"{texts.label('col.why', lang)} |",
        "|---|---|---|---|---|",
    ]
    for row in result.rows:
        addresses = ", ".join(row.a + row.aaaa) or "-"
        cname = _md_cell(" → ".join(row.cname)) or "-"
        why = _md_cell(texts.why_text(row.why, lang))
        cells = (_md_cell(row.name), _status(row, lang), _md_cell(addresses), cname, why)
        out.append("| " + " | ".join(cells) + " |")
    detail_rows = [row for row in result.rows if row.findings or row.notes]
    if detail_rows:
        out += ["", f"**{texts.label('details', lang)}**", ""]
        for row in detail_rows:
            for line in finding_lines(row, lang):
                out.append(f"- {_md_cell(row.name)}: {_md_cell(line)}")
            for line in note_lines(row, lang):
                out.append(f"- {_md_cell(row.name)}: ({_md_cell(line)})")
    codes = sorted(
        {code for row in result.rows for code in row.codes},
        key=lambda code: list(Code).index(Code(code)),
    )
    if codes and docs_base:
        base = docs_base.rstrip("/") + ("/en/" if lang == "en" else "/")
        links = ", ".join(f"[{code}]({base}{texts.docs_anchor(code)})" for code in codes)
        out += ["", f"{texts.label('docs', lang)}: {links}"]
    out += ["", f"**{texts.label('what_to_do', lang)}**", ""]
    out += [f"- {_md_cell(line)}" for line in advice(result, lang)]
    if result.exclude:
        cmds = commands(result)
        out += ["", "```sh", cmds["uapi"], cmds["whmapi1"], "```"]
    return "\n".join(out) + "\n"
