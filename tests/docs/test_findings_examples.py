"""The findings page's records to enter are the checker's own output, made when the site is built.

tools/site_hooks/docs_tables.py replaces `<!-- autossl-check: records-example CODE -->` with what
zone_records and zone_records_report write for a fixed check result (RECORDS_EXAMPLES). These
tests read the page as the site shows it and compare it with the records computed here through
their JSON form (`records[]`, another path through zone_records_report than the Markdown the hook
uses), and show that a change in the generator changes the page.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap
from typing import Any

import pytest
from autossl_check import texts, zone_records
from autossl_check.model import CheckResult, Code
from autossl_check.zone_records import records_for, records_of
from autossl_check.zone_records_report import name_markdown, to_json

from .test_docs_match_checker import DOCS, LANGS, docs_tables, fenced_blocks, section

PAGE = "findings.md"
EXAMPLES: dict[Code, CheckResult] = docs_tables.RECORDS_EXAMPLES
SERVERS = docs_tables.EXAMPLE_SERVERS
ADMONITION = re.compile(r'^!!! example "[^"]+"\n\n((?:    .*\n|\n)*)', re.MULTILINE)


def filled(lang: str) -> str:
    """The page as the site shows it, filled now (so a patched generator shows through)."""
    return docs_tables.fill_tables((DOCS / lang / PAGE).read_text(encoding="utf-8"), lang)


def raw_section(lang: str, code: str) -> str:
    """The hand-written Markdown of the code's section, markers unfilled."""
    text = (DOCS / lang / PAGE).read_text(encoding="utf-8")
    start = text.index(f"{{ #{code} }}")
    end = text.find("\n## ", start)
    return text[start : end if end >= 0 else len(text)]


def json_records(result: CheckResult) -> list[dict[str, Any]]:
    return to_json(records_of(result))


def step_groups(entry: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """The steps to do, then each alternative's, as the diff blocks group them."""
    groups = [entry["steps"], *(option["steps"] for option in entry["alternatives"])]
    return [group for group in groups if group]


def expected_diffs(result: CheckResult) -> list[list[str]]:
    return [
        [("-" if step["action"] == "delete" else "+") + " " + step["line"] for step in group]
        for entry in json_records(result)
        for group in step_groups(entry)
    ]


def expected_fields(result: CheckResult, lang: str) -> list[str]:
    """The three form fields (and the TTL) of every step, labelled in the page's language."""
    label = {key: texts.after_fix_text(f"field_{key}", lang) for key in ("type", "name", "value")}
    ttl = texts.after_fix_text("field_ttl", lang)
    action = {key: texts.after_fix_text(f"action_{key}", lang) for key in ("add", "delete")}
    return [
        f"{action[step['action']]}: "
        f"{label['type']} `{step['type']}`, {label['name']} `{step['name']}`, "
        f"{label['value']} `{step['value']}`, {ttl} `{step['ttl']}`"
        for entry in json_records(result)
        for group in step_groups(entry)
        for step in group
    ]


def shown_diffs(markdown: str) -> list[list[str]]:
    return [
        [line.strip() for line in content.splitlines()]
        for info, content in fenced_blocks(markdown)
        if info == "diff"
    ]


def shown_fields(markdown: str) -> list[str]:
    """The list items that hold a record's form fields."""
    return [
        line.strip().removeprefix("- ")
        for line in markdown.splitlines()
        if line.strip().startswith("- ") and line.rstrip().endswith("`") and "`, " in line
    ]


def codes_with_records() -> set[Code]:
    """Every code for which zone_records writes a record, for a name with a bit of everything:
    an address elsewhere in each family and a CAA set that names another CA."""
    found = set()
    for code in Code:
        records = records_for(
            "www.example.com",
            [code],
            registrable="example.com",
            zone="example.com",
            a=["198.51.100.20"],
            aaaa=["2001:db8:5::25"],
            servers=SERVERS,
            caa_node="example.com",
            caa_records=[(0, "issue", "sectigo.com")],
        )
        if records.has_records:
            found.add(code)
    return found


def test_every_code_fixed_by_a_record_has_an_example() -> None:
    with_records = codes_with_records()
    assert {Code.NXDOMAIN, Code.ELSEWHERE, Code.AAAA_ELSEWHERE, Code.CAA_FORBIDS} <= with_records
    assert with_records <= set(EXAMPLES), sorted(with_records - set(EXAMPLES))
    for code, result in EXAMPLES.items():
        assert code in result.codes, f"the example of {code} does not show it"
        assert json_records(result), f"the example of {code} has no records"


def test_the_examples_show_a_cname_ipv6_and_a_zone_below_the_domain() -> None:
    entries = [entry for result in EXAMPLES.values() for entry in json_records(result)]
    steps = [step for entry in entries for group in step_groups(entry) for step in group]
    options = [option for entry in entries for option in entry["alternatives"]]
    assert any(option["kind"] == "retarget_cname" and option["steps"] for option in options)
    assert any(step["type"] == "AAAA" and step["family"] == "ipv6" for step in steps)
    deeper = [s for s in steps if s["zone"].endswith(".example.com") and not s["zone_assumed"]]
    assert deeper, "no example lives in a zone below example.com"
    assert all(step["name"] != step["owner"] for step in deeper)  # written relative to it


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_the_page_shows_the_checkers_records(lang: str, code: Code) -> None:
    assert f"<!-- autossl-check: records-example {code} -->" in raw_section(lang, code)
    shown = section(lang, PAGE, str(code))
    result = EXAMPLES[code]
    assert shown_diffs(shown) == expected_diffs(result)
    assert shown_fields(shown) == expected_fields(result, lang)
    # Every word around them too: the block is the checker's Markdown for tickets, name by name.
    (body,) = ADMONITION.findall(shown + "\n")
    generated = "\n".join(name_markdown(records, lang) for records in records_of(result))
    assert textwrap.dedent(body).strip() == generated.strip()
    # No zone line typed by hand beside them.
    assert [info for info, _content in fenced_blocks(shown) if info == "zone"] == []


def test_the_page_follows_the_generator(monkeypatch: pytest.MonkeyPatch) -> None:
    before = shown_diffs(section_of(filled("en"), "NXDOMAIN"))
    monkeypatch.setattr(zone_records, "DEFAULT_TTL", 1234)
    after = shown_diffs(section_of(filled("en"), "NXDOMAIN"))
    assert after != before
    assert after == expected_diffs(EXAMPLES[Code.NXDOMAIN])
    assert all(" 1234 IN " in line for block in after for line in block)


def section_of(markdown: str, code: str) -> str:
    start = markdown.index(f"{{ #{code} }}")
    end = markdown.find("\n## ", start)
    return markdown[start:end]


def test_only_the_ipv4_address_given_deletes_the_foreign_aaaa() -> None:
    """findings.md#AAAA_ELSEWHERE: "Given only the IPv4 address, it writes the deletion alone"."""
    ipv4_only = dataclasses.replace(EXAMPLES[Code.AAAA_ELSEWHERE], servers=SERVERS[:1])
    (entry,) = json_records(ipv4_only)
    assert [(s["action"], s["type"], s["value"]) for s in entry["steps"]] == [
        ("delete", "AAAA", "2001:db8:5::25")
    ]


def test_an_example_the_hook_does_not_have_fails_the_build() -> None:
    with pytest.raises(ValueError, match="no records example"):
        docs_tables.fill_tables("<!-- autossl-check: records-example SERVFAIL -->", "en")
