"""MkDocs hook: the guide's tables that restate the checker are made from the checker.

A page holds a marker line such as `<!-- autossl-check: cli-options -->`; the hook replaces it
with the table, in the page's language:

- `cli-options`: the command's options, from its argument parser (names, values, defaults);
- `link-parameters`: the checker link's parameters, from browser.PARAMETERS;
- `finding-codes`: every finding code with its title, as the checker shows it;
- `cli-output`: the command's text output for a sample check, made by the checker's own plan,
  evaluation and renderer from fixed answers (SAMPLE_ANSWERS);
- `records-example CODE`: the records to enter for the findings page's example of CODE, written
  by zone_records and zone_records_report from a fixed check result (RECORDS_EXAMPLES), exactly as
  the checker's Markdown for tickets shows them.

The words of each row live in autossl_check/texts.py (DOCS and TITLES), in both languages; an
option or a parameter without words there fails the build. Prose around the tables stays
hand-written.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from autossl_check import browser, cli, defaults, engine, findings, texts
from autossl_check.model import (
    Answer,
    CaaRecord,
    CheckResult,
    Code,
    Ede,
    Fact,
    Finding,
    NameRow,
    Outcome,
    Provider,
    ResolverId,
    Rule,
    Why,
)
from autossl_check.zone_records import records_of
from autossl_check.zone_records_report import name_markdown, result_text

MARKER = re.compile(r"^<!-- autossl-check: ([a-z-]+) -->$", re.MULTILINE)


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(lang: str, heads: tuple[str, ...], rows: list[str]) -> str:
    head = _row(*(texts.fill("docs", f"head.{key}", lang, {}) for key in heads))
    return "\n".join([head, "|" + "---|" * len(heads), *rows])


def _option_params(action: argparse.Action) -> dict[str, str]:
    """The numbers and names an option's words quote, from the code."""
    if action.dest == "provider":
        return {"default": str(action.default)}
    if action.dest == "resolver":
        return dict(defaults.KNOWN_RESOLVERS)
    if action.dest == "timeout":
        return {
            "most": f"{defaults.MAX_SECONDS:g}",
            "default": f"{action.default:g}",
            "query": f"{defaults.QUERY_TIMEOUT_SECONDS:g}",
        }
    if action.dest == "max_in_flight":
        return {"most": str(defaults.MAX_IN_FLIGHT_LIMIT), "default": str(action.default)}
    return {}


def _option_name(action: argparse.Action) -> str:
    if not action.option_strings:
        return action.dest.upper()
    name = next(option for option in action.option_strings if option.startswith("--"))
    if action.nargs == 0:
        return name
    if action.choices:
        return f"{name} {'|'.join(str(choice) for choice in action.choices)}"
    return f"{name} {action.metavar or action.dest.upper()}"


def cli_options_table(lang: str) -> str:
    rows = [
        _row(
            f"`{_option_name(action)}`",
            texts.fill("docs", f"cli.{action.dest}", lang, _option_params(action)),
        )
        # argparse keeps its actions in a private list; tests/docs checks it still holds them
        for action in cli.build_parser()._actions
        if not isinstance(action, argparse._HelpAction)
    ]
    return _table(lang, ("option", "meaning"), rows)


def _parameter_params(parameter: browser.Parameter) -> dict[str, str]:
    """The numbers a parameter's words quote, from the code."""
    if parameter.name == "name":
        return {"limit": str(browser.MAX_LINK_NAMES)}
    return {}


def link_parameters_table(lang: str) -> str:
    rows = []
    for parameter in browser.PARAMETERS:
        meaning = texts.fill("docs", f"link.{parameter.name}", lang, _parameter_params(parameter))
        if parameter.values:
            values = texts.join((f"`{value}`" for value in parameter.values), lang)
            meaning = texts.fill("docs", "values", lang, {"meaning": meaning, "values": values})
        if parameter.default:
            default = f"`{parameter.default}`"
        else:
            default = texts.fill("docs", f"link.{parameter.name}.default", lang, {})
        rows.append(_row(f"`{parameter.name}`", meaning, default))
    return _table(lang, ("parameter", "value", "default"), rows)


def finding_codes_table(lang: str) -> str:
    rows = [_row(f"[{code}](#{code})", texts.title(code, lang)) for code in Code]
    return _table(lang, ("code", "title"), rows)


TABLES = {
    "cli-options": cli_options_table,
    "link-parameters": link_parameters_table,
    "finding-codes": finding_codes_table,
    "cli-output": lambda lang: cli_output(lang),
}


def fill_tables(markdown: str, lang: str) -> str:
    """The page with every marker replaced by its table (an unknown marker is an error)."""

    def table(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in TABLES:
            raise ValueError(f"unknown table marker {name!r}; known: {sorted(TABLES)}")
        return TABLES[name](lang)

    return fill_records_examples(MARKER.sub(table, markdown), lang)


# --- the findings page's examples: the records to enter, as the checker writes them ------------

RECORDS_MARKER = re.compile(r"^<!-- autossl-check: records-example ([A-Za-z_]+) -->$", re.MULTILINE)
# The server of every example (RFC 5737 and RFC 3849 documentation addresses), given by the reader.
EXAMPLE_SERVERS = ("203.0.113.10", "2001:db8::10")
OLD_HOST = "198.51.100.20"
ACCOUNT_URI = "https://acme-v02.api.letsencrypt.org/acme/acct/123456789"


def _name_row(name: str, rule: Rule, codes: tuple[Code, ...] = (), **data: Any) -> NameRow:
    findings = tuple(data.pop("findings", ())) or tuple(Finding(code) for code in codes)
    answers = {"a": (EXAMPLE_SERVERS[0],), "aaaa": (EXAMPLE_SERVERS[1],), "ttl": 3600, **data}
    return NameRow(name, Why(rule), findings=findings, **answers)


def _example(*rows: NameRow, apex: NameRow | None = None) -> CheckResult:
    """A check of example.com whose apex is fine unless `apex` says otherwise."""
    return CheckResult(
        domain="example.com",
        servers=EXAMPLE_SERVERS,
        server_source="given",
        provider=Provider.LETSENCRYPT,
        resolvers=(),
        rows=(apex or _name_row("example.com", Rule.DOMAIN, zone="example.com"), *rows),
        queries=0,
        checked_at="",
    )


def _caa_refused(code: Code, key: str, value: str, **params: Any) -> NameRow:
    """www.example.com refused by the CAA set at example.com, whose one record is `value`."""
    node = {"node": "example.com", "records": (CaaRecord(0, "issue", value),)}
    finding = Finding(code, (Fact(key, {**node, "provider": Provider.LETSENCRYPT, **params}),))
    return _name_row("www.example.com", Rule.WWW, zone="example.com", findings=(finding,))


# One check result per code whose fix is a record at the DNS host: the names it fails, their
# answers and the zone their SOA named. The apex is fine, so a CNAME can be pointed at it.
RECORDS_EXAMPLES: dict[Code, CheckResult] = {
    Code.NXDOMAIN: _example(
        _name_row(
            "webdisk.example.com", Rule.WEBDISK, (Code.NXDOMAIN,), a=(), aaaa=(), zone="example.com"
        )
    ),
    Code.NO_ADDRESS: _example(
        _name_row(
            "mail.example.com", Rule.MAIL, (Code.NO_ADDRESS,), a=(), aaaa=(), zone="example.com"
        ),
        # A CNAME to a name without addresses; after a CNAME the SOA is the target's zone's.
        _name_row(
            "shop.example.com",
            Rule.SUBDOMAIN,
            (Code.NO_ADDRESS,),
            a=(),
            aaaa=(),
            cname=("shop.example.net",),
        ),
    ),
    Code.ELSEWHERE: _example(
        _name_row(
            "www.example.com",
            Rule.WWW,
            (Code.ELSEWHERE,),
            a=(OLD_HOST,),
            aaaa=(),
            zone="example.com",
        )
    ),
    # blog.example.com is a zone of its own, below the registrable domain.
    Code.PARTIAL: _example(
        _name_row("blog.example.com", Rule.SUBDOMAIN, zone="blog.example.com"),
        _name_row(
            "www.blog.example.com",
            Rule.SUBDOMAIN_WWW,
            (Code.PARTIAL,),
            a=(EXAMPLE_SERVERS[0], OLD_HOST),
            zone="blog.example.com",
        ),
    ),
    Code.AAAA_ELSEWHERE: _example(
        apex=_name_row(
            "example.com",
            Rule.DOMAIN,
            (Code.AAAA_ELSEWHERE,),
            aaaa=("2001:db8:5::25",),
            zone="example.com",
        )
    ),
    Code.CAA_FORBIDS: _example(
        _caa_refused(Code.CAA_FORBIDS, "caa.not_listed", "sectigo.com", issuers=("sectigo.com",))
    ),
    Code.CAA_ACCOUNT_BOUND: _example(
        _caa_refused(
            Code.CAA_ACCOUNT_BOUND,
            "caa.account_bound",
            f"letsencrypt.org; accounturi={ACCOUNT_URI}",
            detail=ACCOUNT_URI,
        )
    ),
    Code.RESOLVERS_DISAGREE: _example(
        _name_row(
            "mail.example.com",
            Rule.MAIL,
            (Code.PARTIAL, Code.RESOLVERS_DISAGREE),
            a=(EXAMPLE_SERVERS[0], OLD_HOST),
            aaaa=(),
            zone="example.com",
        )
    ),
}


def records_example(code: str, lang: str) -> str:
    """The records to enter for the example of `code`, in an admonition (indented Markdown)."""
    if code not in RECORDS_EXAMPLES:
        raise ValueError(f"no records example for {code!r}; known: {sorted(RECORDS_EXAMPLES)}")
    blocks = [name_markdown(records, lang) for records in records_of(RECORDS_EXAMPLES[Code(code)])]
    body = "\n".join(blocks)
    title = texts.fill("docs", "records_example", lang, {})
    indented = "\n".join(f"    {line}" if line else "" for line in body.splitlines())
    return f'!!! example "{title}"\n\n{indented}'


def fill_records_examples(markdown: str, lang: str) -> str:
    return RECORDS_MARKER.sub(lambda match: records_example(match.group(1), lang), markdown)


def page_lang(src_path: str, docs_dir: str) -> str:
    """`ja` or `en`: the first folder of the page under docs/."""
    return Path(src_path).resolve().relative_to(Path(docs_dir).resolve()).parts[0]


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if "<!-- autossl-check:" not in markdown:
        return markdown
    return fill_tables(markdown, page_lang(page.file.abs_src_path, config["docs_dir"]))


# --- the command line page's sample output, made by the checker from fixed answers ------------
# The answers stand in for the public resolvers; the names come from the checker's plan, the
# findings from its evaluation and the text from the renderer the command uses.
SAMPLE_DOMAIN = "example.com"
SAMPLE_SERVER = EXAMPLE_SERVERS[0]
SAMPLE_TTL = 3600
SAMPLE_NEGATIVE_TTL = 300
BOGUS = Ede(6)  # DNSSEC Bogus: the usual cause of SERVFAIL for one name

# name -> (rcode, A, AAAA); a name not listed points at the server.
SAMPLE_ANSWERS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "mail.example.com": ("NOERROR", ("198.51.100.7",), ()),
    "cpanel.example.com": ("NXDOMAIN", (), ()),
    "webmail.example.com": ("NOERROR", ("198.51.100.8", SAMPLE_SERVER), ()),
    "webdisk.example.com": ("NOERROR", (), ()),
    "cpcalendars.example.com": ("SERVFAIL", (), ()),
    "autodiscover.example.com": ("NOERROR", (SAMPLE_SERVER,), ("2001:db8::99",)),
}


def sample_lookup(_resolver: ResolverId, name: str, rdtype: str) -> Outcome:
    rcode, a, aaaa = SAMPLE_ANSWERS.get(name, ("NOERROR", (SAMPLE_SERVER,), ()))
    if rcode == "SERVFAIL":
        return Answer("SERVFAIL", ede=(BOGUS,))
    if rcode == "NXDOMAIN" or rdtype == "CAA":
        return Answer(rcode, ttl=SAMPLE_NEGATIVE_TTL, zone=SAMPLE_DOMAIN)
    addresses = a if rdtype == "A" else aaaa
    return Answer(
        rcode,
        addresses=addresses,
        ttl=SAMPLE_TTL if addresses else SAMPLE_NEGATIVE_TTL,
        zone=SAMPLE_DOMAIN,
    )


def sample_result() -> CheckResult:
    request = engine.build_request(SAMPLE_DOMAIN, servers=[SAMPLE_SERVER])
    resolvers = [ResolverId.from_url(url) for url in request.resolvers]
    rows = tuple(
        engine.with_cache_facts(
            findings.evaluate_name(
                item, resolvers, sample_lookup, [SAMPLE_SERVER], request.provider
            ),
            resolvers,
            sample_lookup,
        )
        for item in engine.plan(request)
    )
    return CheckResult(
        domain=SAMPLE_DOMAIN,
        servers=(SAMPLE_SERVER,),
        server_source="given",
        provider=request.provider,
        resolvers=tuple(resolvers),
        rows=rows,
        queries=0,
        checked_at="",
    )


def cli_output(lang: str) -> str:
    """The sample as a fenced text block: what `autossl-check example.com --server …` prints."""
    return f"```text\n{result_text(sample_result(), lang).rstrip()}\n```"
