"""The guide's Markdown says what the checker really does.

Hermetic and fast: reads docs/ja/** and docs/en/** and imports the checker package; no site build,
no network. Each test names the page and the thing that drifted, so a failure says what to fix.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import json
import re
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from autossl_check import browser, cli, names, report, texts
from autossl_check.model import (
    CheckResult,
    Code,
    NameRow,
    Provider,
    ResolverId,
    Rule,
    Verdict,
    Why,
)

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
LANGS = ("ja", "en")


def _load_hook(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        name, ROOT / "tools" / "site_hooks" / f"{name}.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The pages are read as the site shows them: with the tables the hook makes from the code.
docs_tables = _load_hook("docs_tables")

HEADING_ANCHOR = re.compile(r"^(#{1,6})\s+(.*?)\s*\{\s*#([A-Za-z0-9_:.-]+)\s*\}\s*$")
HEADING = re.compile(r"^(#{1,6})\s+\S")
FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"`([^`\n]+)`")
LONG_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")

# `uapi --user=USER …` appears in the checker's own output, which the CLI page reproduces.
FOREIGN_OPTIONS = frozenset({"--user", "--output"})  # uapi/whmapi1 options in commands


# --- reading the Markdown ------------------------------------------------------------------


def pages(lang: str) -> list[str]:
    root = DOCS / lang
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*.md"))


@cache
def read(lang: str, page: str) -> str:
    return docs_tables.fill_tables((DOCS / lang / page).read_text(encoding="utf-8"), lang)


def split_front_matter(text: str) -> tuple[str | None, str]:
    """(front matter YAML text or None, the Markdown body)."""
    if not text.startswith("---\n"):
        return None, text
    end = text.index("\n---\n", 4)
    return text[4:end], text[end + 5 :]


def body(lang: str, page: str) -> str:
    return split_front_matter(read(lang, page))[1]


def prose_lines(text: str) -> list[str]:
    """Lines outside fenced code blocks (fences may be indented, e.g. inside content tabs)."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """(info string, content) of every fenced code block."""
    blocks: list[tuple[str, str]] = []
    info, content, fenced = "", [], False
    for line in text.splitlines():
        match = FENCE.match(line)
        if match and not fenced:
            fenced, info, content = True, line.strip()[3:].strip(), []
        elif match:
            fenced = False
            blocks.append((info, "\n".join(content)))
        elif fenced:
            content.append(line)
    return blocks


def anchors(lang: str, page: str) -> list[str]:
    """Explicit heading anchors (`## Title { #id }`), outside code blocks."""
    found = []
    for line in prose_lines(body(lang, page)):
        match = HEADING_ANCHOR.match(line)
        if match:
            found.append(match.group(3))
    return found


def section(lang: str, page: str, anchor: str) -> str:
    """From the heading with `{ #anchor }` up to the next heading of the same or a higher level."""
    lines = body(lang, page).splitlines()
    fenced, start, level = False, None, 0
    for index, line in enumerate(lines):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        match = HEADING_ANCHOR.match(line)
        if start is None:
            if match and match.group(3) == anchor:
                start, level = index, len(match.group(1))
            continue
        heading = HEADING.match(line)
        if heading and len(heading.group(1)) <= level:
            return "\n".join(lines[start:index])
    if start is None:
        raise AssertionError(f"{lang}/{page} has no section {{ #{anchor} }}")
    return "\n".join(lines[start:])


def table_rows(text: str) -> list[list[str]]:
    """Cells of every Markdown table row (header and separator rows left out)."""
    rows = []
    for line in prose_lines(text):
        stripped = line.strip()
        if not stripped.startswith("|") or set(stripped) <= set("|-: "):
            continue
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", stripped.strip("|"))]
        rows.append(cells)
    return rows[1:] if rows else rows  # the first row is the header


def spans(text: str) -> list[str]:
    return CODE_SPAN.findall(text)


def both(page: str) -> list[tuple[str, str]]:
    return [(lang, page) for lang in LANGS]


# --- (a) command-line options -----------------------------------------------------------------


def parser_long_options() -> set[str]:
    parser = cli.build_parser()
    return {
        option
        for action in parser._actions
        for option in action.option_strings
        if option.startswith("--")
    }


def test_parser_has_the_options_the_guide_relies_on() -> None:
    # Guards the helper: if argparse internals changed shape, the tests below would pass vacuously.
    assert {"--server", "--resolver", "--json", "--help"} <= parser_long_options()


@pytest.mark.parametrize(("lang", "page"), both("cli.md"))
def test_every_cli_option_is_documented(lang: str, page: str) -> None:
    mentioned = set(LONG_OPTION.findall(body(lang, page)))
    missing = parser_long_options() - mentioned
    assert not missing, f"{lang}/{page} never mentions {sorted(missing)}"


@pytest.mark.parametrize(("lang", "page"), both("cli.md"))
def test_every_documented_option_exists(lang: str, page: str) -> None:
    mentioned = set(LONG_OPTION.findall(body(lang, page))) - FOREIGN_OPTIONS
    unknown = mentioned - parser_long_options()
    assert not unknown, f"{lang}/{page} documents options the command lacks: {sorted(unknown)}"


@pytest.mark.parametrize(("lang", "page"), both("cli.md"))
def test_options_table_lists_every_option(lang: str, page: str) -> None:
    first_cells = {
        match
        for row in table_rows(section(lang, page, "options"))
        for match in LONG_OPTION.findall(row[0])
    }
    missing = parser_long_options() - {"--help"} - first_cells
    assert not missing, f"the options table of {lang}/{page} lacks {sorted(missing)}"


# --- (b) JSON schema 1 ------------------------------------------------------------------------


def schema_keys() -> tuple[set[str], set[str]]:
    """Top-level and per-name keys, from `report.to_json` on a small constructed result."""
    row = NameRow(name="www.example.com", why=Why(Rule.WWW), a=("198.51.100.20",), findings=())
    result = CheckResult(
        domain="example.com",
        servers=("203.0.113.10",),
        server_source="given",
        provider=Provider.LETSENCRYPT,
        resolvers=(ResolverId.from_url("https://cloudflare-dns.com/dns-query"),),
        rows=(row,),
        queries=6,
        checked_at="2026-01-15T09:30:00Z",
    )
    document = report.to_json(result)
    assert document["schema"] == 1
    return set(document), set(document["names"][0])


@pytest.mark.parametrize(("lang", "page"), both("cli.md"))
def test_every_json_key_is_documented(lang: str, page: str) -> None:
    top, per_name = schema_keys()
    documented = {s for row in table_rows(section(lang, page, "json")) for s in spans(row[0])}
    expected = top | {f"names[].{key}" for key in per_name}
    assert not expected - documented, f"{lang}/{page} #json lacks {sorted(expected - documented)}"
    unknown = documented - expected - set(report.OPTIONAL_TOP_KEYS)
    assert not unknown, f"{lang}/{page} #json has unknown {unknown}"


@pytest.mark.parametrize(("lang", "page"), both("cli.md"))
def test_json_example_has_exactly_the_schema_keys(lang: str, page: str) -> None:
    top, per_name = schema_keys()
    examples = [text for info, text in fenced_blocks(section(lang, page, "json")) if info == "json"]
    assert examples, f"{lang}/{page} #json shows no JSON example"
    for example in examples:
        document = json.loads(example)
        assert set(document) == top
        assert document["names"], "the example should show some names"
        for entry in document["names"]:
            assert set(entry) == per_name
            assert entry["why"] in texts.WHY
            assert all(code in set(Code) for code in entry["codes"])
        assert document["verdict"] in {str(verdict) for verdict in Verdict}
        assert document["server_source"] in ("given", "apex")


@pytest.mark.parametrize(("lang", "page"), both("cli.md"))
def test_exit_statuses_match_the_command(lang: str, page: str) -> None:
    by_status: dict[int, str] = {}
    for row in table_rows(section(lang, page, "exit-status")):
        status = spans(row[0])
        verdict = [s for s in spans(" ".join(row[1:])) if s in cli.EXIT_BY_VERDICT]
        if status and status[0].isdigit():
            by_status[int(status[0])] = verdict[0] if verdict else ""
    expected = {code: verdict for verdict, code in cli.EXIT_BY_VERDICT.items()}
    expected[cli.EXIT_USAGE] = ""
    assert by_status == expected, f"{lang}/{page} #exit-status"


@pytest.mark.parametrize("lang", LANGS)
def test_why_keys_are_documented(lang: str) -> None:
    for page in ("names.md", "cli.md"):
        documented = set(spans(body(lang, page)))
        missing = set(texts.WHY) - documented
        assert not missing, f"{lang}/{page} never shows the why keys {sorted(missing)}"


def states_number(text: str, number: int) -> bool:
    """The number on its own, not as part of an address or a version such as 198.51.100.7."""
    return re.search(rf"(?<![\d.]){number}(?![\d.]\d)", text) is not None


@pytest.mark.parametrize("lang", LANGS)
def test_name_cap_is_documented(lang: str) -> None:
    for page in ("names.md", "cli.md", "support.md"):
        assert states_number(body(lang, page), names.MAX_NAMES), f"{lang}/{page} omits the cap"


# --- (c) finding anchors ----------------------------------------------------------------------

CODE_LIKE = re.compile(r"^[A-Z][A-Z0-9_]*$")


@pytest.mark.parametrize(("lang", "page"), both("findings.md"))
def test_every_finding_code_has_its_heading(lang: str, page: str) -> None:
    headings = {}
    for line in prose_lines(body(lang, page)):
        match = HEADING_ANCHOR.match(line)
        if match and CODE_LIKE.match(match.group(3)):
            headings[match.group(3)] = match.group(2)
    assert set(headings) == {str(code) for code in Code}, f"{lang}/{page}"
    for anchor, title in headings.items():
        assert title == anchor, f"{lang}/{page}: the heading of #{anchor} is {title!r}"


@pytest.mark.parametrize(("lang", "page"), both("findings.md"))
def test_the_page_description_names_every_finding_code(lang: str, page: str) -> None:
    # The description is what a search result shows: a code missing from it is found less.
    text = (DOCS / lang / page).read_text(encoding="utf-8")
    description = yaml.safe_load(text.split("---", 2)[1])["description"]
    listed = set(re.findall(r"[A-Z][A-Z0-9_]{3,}", description))
    assert {str(code) for code in Code} <= listed, f"{lang}/{page}"


@pytest.mark.parametrize("lang", LANGS)
def test_checker_links_to_findings_resolve(lang: str) -> None:
    for code in Code:
        page, _, anchor = texts.docs_anchor(code).partition("/#")
        assert anchor in anchors(lang, f"{page}.md"), f"{lang}: {texts.docs_anchor(code)}"


# --- (d) checker link parameters --------------------------------------------------------------

CHECKER_LINK = re.compile(r"checker/\?([^\s`)\]]+)")


def documented_parameters(lang: str) -> dict[str, list[str]]:
    """Parameter name -> cells of its row in the support page's #link table."""
    found = {}
    for row in table_rows(section(lang, "support.md", "link")):
        names_in_cell = spans(row[0])
        if names_in_cell:
            found[names_in_cell[0]] = row[1:]
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_link_parameters_match_the_page_facade(lang: str) -> None:
    accepted = set(browser.SINGLE) | set(browser.REPEATABLE)
    documented = set(documented_parameters(lang))
    assert documented == accepted, (
        f"{lang}/support.md documents {sorted(documented - accepted)} that the page ignores "
        f"and leaves out {sorted(accepted - documented)}"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_sample_link_from_the_table_is_accepted(lang: str) -> None:
    """One link using every documented parameter with the first value its row shows."""
    link_section = section(lang, "support.md", "link")
    example = dict(
        pair.split("=", 1)
        for match in CHECKER_LINK.findall(link_section)
        for pair in match.split("&")
        if "=" in pair
    )
    pairs = []
    names = []  # name= checks exactly its names, so it goes in a link of its own
    for name, cells in documented_parameters(lang).items():
        values = spans(cells[0]) or [example.get(name, "")]
        assert values[0], f"{lang}/support.md: no sample value for {name}"
        (names if name == "name" else pairs).append(f"{name}={values[0]}")
    request = browser.parse_query("&".join(pairs))
    assert request.domain
    assert request.servers
    assert request.addons
    assert request.subdomains
    assert browser.parse_query("&".join(names)).names


@pytest.mark.parametrize("lang", LANGS)
def test_documented_defaults_are_the_defaults(lang: str) -> None:
    plain = browser.parse_query("domain=example.com")
    for name, cells in documented_parameters(lang).items():
        default = spans(cells[-1]) if len(cells) > 1 else []
        if default:
            with_default = browser.parse_query(f"domain=example.com&{name}={default[0]}")
            assert with_default == plain, f"{lang}/support.md: {name}={default[0]} is no default"


@pytest.mark.parametrize("lang", LANGS)
def test_link_rules_are_documented(lang: str) -> None:
    text = section(lang, "support.md", "link")
    shown = set(spans(text))
    for word in (*browser.TRUE_WORDS, *browser.FALSE_WORDS):
        assert word in shown, f"{lang}/support.md #link does not list the flag word {word!r}"
    for limit in (
        browser.MAX_PARAM_CHARS,
        browser.MAX_QUERY_CHARS,
        names.MAX_NAMES,
        browser.MAX_LINK_NAMES,
    ):
        assert states_number(text, limit), f"{lang}/support.md #link omits the limit {limit}"


def test_every_concrete_checker_link_in_the_guide_is_accepted() -> None:
    checked = 0
    for lang in LANGS:
        for page in pages(lang):
            for query in CHECKER_LINK.findall(body(lang, page)):
                if "<" in query or "…" in query or query.isupper():
                    continue  # a template with placeholders
                browser.parse_query(query)
                checked += 1
    assert checked, "no concrete checker link found: the pattern no longer matches the guide"


# --- (e) same pages and anchors in both languages ---------------------------------------------


def test_both_languages_have_the_same_pages() -> None:
    assert pages("ja") == pages("en")


@pytest.mark.parametrize("page", pages("en"))
def test_both_languages_have_the_same_anchors(page: str) -> None:
    japanese, english = anchors("ja", page), anchors("en", page)
    assert len(japanese) == len(set(japanese)), f"ja/{page} repeats an anchor"
    assert sorted(japanese) == sorted(english), (
        f"{page}: only in ja {sorted(set(japanese) - set(english))}, "
        f"only in en {sorted(set(english) - set(japanese))}"
    )


# --- (f) front matter -------------------------------------------------------------------------

ALL_PAGES = [(lang, page) for lang in LANGS for page in pages(lang)]


@pytest.mark.parametrize(("lang", "page"), ALL_PAGES)
def test_description_is_safe_in_an_attribute(lang: str, page: str) -> None:
    front_matter, _ = split_front_matter(read(lang, page))
    assert front_matter is not None, f"{lang}/{page} has no front matter"
    # A YAML error makes MkDocs show the front matter as page text, so parse it strictly.
    meta = yaml.safe_load(front_matter)
    description = meta.get("description")
    assert isinstance(description, str), f"{lang}/{page}: description is not a string"
    assert description.strip(), f"{lang}/{page}: empty description"
    bad = sorted(set(description) & set('"<&'))
    assert not bad, f"{lang}/{page}: the description contains {bad}"


# --- (g) only reserved names and documentation addresses --------------------------------------

ALLOWED_SUFFIXES = (".example.com", ".example.net", ".example.org", ".example", ".test", ".invalid")
ALLOWED_EXACT = frozenset({"example.com", "example.net", "example.org"})
# Real hosts the guide has to name: the two DoH resolvers and the CAs' CAA issuer values.
ALLOWED_HOSTS = frozenset(
    {
        "cloudflare-dns.com",
        "dns.google",
        "letsencrypt.org",
        "acme-v02.api.letsencrypt.org",
        "sectigo.com",
        "comodoca.com",
        "usertrust.com",
        "trust-provider.com",
        "comodo.com",
    }
)
# Dotted words in code that are file names, not hosts.
FILE_EXTENSIONS = frozenset(
    [
        "md",
        "txt",
        "json",
        "jsonl",
        "py",
        "zip",
        "html",
        "js",
        "mjs",
        "wasm",
        "yml",
        "yaml",
        "toml",
        "css",
        "sh",
        "whl",
        "gz",
        "lock",
        "cfg",
        "log",
    ]
)
HOST = re.compile(
    r"(?<![\w.@/-])((?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,})\.?(?![\w-])"
)
MAIL_HOST = re.compile(r"@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
URL_HOST = re.compile(r"[a-z]+://([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]*\d)")
IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")

DOC_V4 = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
DOC_V6 = ipaddress.ip_network("2001:db8::/32")
ALLOWED_ADDRESSES = frozenset({ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")})


def code_text(text: str) -> str:
    """Fenced blocks and inline code spans: where names and addresses are given literally."""
    inline = " ".join(spans("\n".join(prose_lines(text))))
    return "\n".join(content for _info, content in fenced_blocks(text)) + "\n" + inline


def host_is_allowed(host: str) -> bool:
    if host.rsplit(".", 1)[-1].isupper():
        return True  # a placeholder such as shop.DOMAIN
    host = host.lower().rstrip(".")
    return host in ALLOWED_EXACT or host in ALLOWED_HOSTS or host.endswith(ALLOWED_SUFFIXES)


def hosts_in(text: str) -> set[str]:
    found = {m.group(1) for m in HOST.finditer(text)}
    found |= set(MAIL_HOST.findall(text)) | set(URL_HOST.findall(text))
    return {h for h in found if h.rsplit(".", 1)[-1].lower() not in FILE_EXTENSIONS}


def addresses_in(text: str) -> set[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    found: set[ipaddress.IPv4Address | ipaddress.IPv6Address] = set()
    for candidate in IPV4.findall(text) + IPV6.findall(text):
        try:
            found.add(ipaddress.ip_address(candidate))
        except ValueError:
            continue  # a time such as 09:30:00, or a version number
    return found


def address_is_allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if address in ALLOWED_ADDRESSES:
        return True
    if isinstance(address, ipaddress.IPv4Address):
        return any(address in network for network in DOC_V4)
    return address in DOC_V6


def test_the_domain_and_address_filters_can_fail() -> None:
    sample = "`www.customer-shop.jp` and `198.18.0.1` and `2400:cb00::1` but `index.md`"
    assert {h for h in hosts_in(code_text(sample)) if not host_is_allowed(h)} == {
        "www.customer-shop.jp"
    }
    assert {str(a) for a in addresses_in(sample) if not address_is_allowed(a)} == {
        "198.18.0.1",
        "2400:cb00::1",
    }


@pytest.mark.parametrize(("lang", "page"), ALL_PAGES)
def test_code_uses_only_reserved_domains(lang: str, page: str) -> None:
    real = sorted(h for h in hosts_in(code_text(body(lang, page))) if not host_is_allowed(h))
    assert not real, f"{lang}/{page} shows real-looking domains in code: {real}"


@pytest.mark.parametrize(("lang", "page"), ALL_PAGES)
def test_only_documentation_addresses(lang: str, page: str) -> None:
    real = sorted(str(a) for a in addresses_in(body(lang, page)) if not address_is_allowed(a))
    assert not real, f"{lang}/{page} shows addresses outside RFC 5737 / RFC 3849: {real}"


# --- (f) the generated tables -----------------------------------------------------------------

GENERATED = {
    "cli.md": "cli-options",
    "findings.md": "finding-codes",
    "support.md": "link-parameters",
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("page", "marker"), sorted(GENERATED.items()))
def test_restated_tables_are_generated_not_copied(lang: str, page: str, marker: str) -> None:
    raw = (DOCS / lang / page).read_text(encoding="utf-8")
    assert f"<!-- autossl-check: {marker} -->" in raw, f"{lang}/{page} copies the table by hand"
    assert "<!-- autossl-check:" not in read(lang, page)


@pytest.mark.parametrize("lang", LANGS)
def test_generated_tables_follow_the_code(lang: str) -> None:
    finding_rows = table_rows(docs_tables.finding_codes_table(lang))
    assert [row[1] for row in finding_rows] == [texts.title(code, lang) for code in Code]
    parameter_rows = table_rows(docs_tables.link_parameters_table(lang))
    assert [spans(row[0])[0] for row in parameter_rows] == [p.name for p in browser.PARAMETERS]
    option_rows = table_rows(docs_tables.cli_options_table(lang))
    assert any("600" in row[-1] and "15" in row[-1] for row in option_rows)  # from defaults


def test_an_unknown_marker_fails_the_build() -> None:
    with pytest.raises(ValueError, match="unknown table marker"):
        docs_tables.fill_tables("<!-- autossl-check: no-such-table -->", "en")


@pytest.mark.parametrize(("lang", "page"), both("cli.md"))
def test_the_records_key_is_documented_as_the_code_writes_it(lang: str, page: str) -> None:
    from autossl_check.zone_records import records_for
    from autossl_check.zone_records_report import records_dict

    entry = records_dict(
        records_for(
            "cpanel.example.com", ["NXDOMAIN"], registrable="example.com", servers=["203.0.113.10"]
        )
    )
    documented = {
        s for row in table_rows(section(lang, page, "json-records")) for s in spans(row[0])
    }
    assert documented == {f"records[].{key}" for key in entry}
    prose = section(lang, page, "json-records")
    for key in entry["steps"][0]:
        assert f"`{key}`" in prose, f"{lang}/{page} #json-records lacks the step key {key}"
