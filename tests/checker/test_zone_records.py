"""The records to enter at the DNS host (zone_records) and how they are rendered."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import dns.name
import dns.rdatatype
import dns.zone
import pytest
from autossl_check.zone_records import (
    NameRecords,
    Step,
    escape_character_string,
    escape_name,
    records_for,
)
from autossl_check.zone_records_report import render_markdown, render_text, to_json

SERVER = "203.0.113.10"
SERVER6 = "2001:db8::10"
FIELD_REPORT_FAILING = (
    "mail",
    "cpanel",
    "webmail",
    "webdisk",
    "cpcalendars",
    "cpcontacts",
    "autodiscover",
)


def fields(step: Step) -> tuple[str, str, str, str]:
    record = step.record
    return (step.action, record.rtype, record.relative, record.form_value)


def all_steps(records: NameRecords) -> list[Step]:
    return [*records.steps, *(step for option in records.alternatives for step in option.steps)]


def in_example_com(name: str, codes: list[str], **options: Any) -> NameRecords:
    """records_for a name whose answers showed the SOA of example.com."""
    return records_for(name, codes, registrable="example.com", zone="example.com", **options)


def note_keys(records: NameRecords) -> list[str]:
    return [note.key for note in records.notes]


def parse_lines(lines: list[str]) -> dns.zone.Zone:
    """Read zone-file lines the way a DNS server would; raises if any line is broken."""
    return dns.zone.from_text("\n".join(lines) + "\n", origin=dns.name.root, check_origin=False)


# --- the field report -----------------------------------------------------------------------------


def test_field_report_gives_the_line_to_enter_for_each_failing_name() -> None:
    # sakakitest.dev: the domain and www point at the server, the other names do not exist.
    results = [
        records_for(
            f"{label}.sakakitest.dev",
            ["NXDOMAIN"],
            registrable="sakakitest.dev",
            zone="sakakitest.dev",
            servers=[SERVER],
        )
        for label in FIELD_REPORT_FAILING
    ]
    for label, records in zip(FIELD_REPORT_FAILING, results, strict=True):
        assert records.alternatives == ()
        assert [fields(step) for step in records.steps] == [("add", "A", label, SERVER)]
        assert records.steps[0].record.zone_line == f"{label}.sakakitest.dev. 300 IN A {SERVER}"
        assert records.steps[0].address_source == "given"
        assert records.steps[0].family == "ipv4"
        assert records.kind == "add"
    text = render_text(results, "ja")
    markdown = render_markdown(results, "en")
    for label in FIELD_REPORT_FAILING:
        line = f"{label}.sakakitest.dev. 300 IN A {SERVER}"
        assert line in text
        assert f"+ {line}" in markdown
    zone = parse_lines([r.steps[0].record.zone_line for r in results])
    assert len(zone.nodes) == len(FIELD_REPORT_FAILING)


# --- one case per code ----------------------------------------------------------------------------


def test_nxdomain_with_both_server_families_adds_a_and_aaaa() -> None:
    records = in_example_com(
        "webdisk.example.com",
        ["NXDOMAIN"],
        servers=[SERVER6, SERVER],
        server_source="apex",
    )
    assert [fields(step) for step in records.steps] == [
        ("add", "A", "webdisk", SERVER),
        ("add", "AAAA", "webdisk", SERVER6),
    ]
    assert [step.family for step in records.steps] == ["ipv4", "ipv6"]
    assert {step.address_source for step in records.steps} == {"inferred"}
    assert records.server_source == "inferred"
    assert records.steps[1].record.zone_line == f"webdisk.example.com. 300 IN AAAA {SERVER6}"


def test_no_address_adds_the_server_addresses() -> None:
    records = records_for(
        "webdisk.mixed.example", ["NO_ADDRESS"], registrable="mixed.example", servers=[SERVER]
    )
    assert [fields(step) for step in records.steps] == [("add", "A", "webdisk", SERVER)]


def test_elsewhere_deletes_the_old_address_and_adds_the_server() -> None:
    records = in_example_com(
        "mail.example.com",
        ["ELSEWHERE"],
        a=["198.51.100.7"],
        servers=[SERVER],
    )
    assert [fields(step) for step in records.steps] == [
        ("delete", "A", "mail", "198.51.100.7"),
        ("add", "A", "mail", SERVER),
    ]
    assert records.steps[0].record.zone_line == "mail.example.com. 300 IN A 198.51.100.7"
    assert records.kind == "change"


def test_partial_deletes_only_the_foreign_address() -> None:
    records = in_example_com(
        "webmail.example.com",
        ["PARTIAL"],
        a=["198.51.100.8", SERVER],
        servers=[SERVER],
    )
    assert [fields(step) for step in records.steps] == [("delete", "A", "webmail", "198.51.100.8")]
    assert records.kind == "delete"


def test_aaaa_elsewhere_without_server_ipv6_deletes_the_aaaa() -> None:
    records = in_example_com(
        "autodiscover.example.com",
        ["AAAA_ELSEWHERE"],
        a=[SERVER],
        aaaa=["2001:db8::99"],
        servers=[SERVER],
    )
    assert [fields(step) for step in records.steps] == [
        ("delete", "AAAA", "autodiscover", "2001:db8::99")
    ]
    assert "aaaa_no_server_v6" in note_keys(records)


def test_aaaa_elsewhere_with_server_ipv6_changes_the_aaaa() -> None:
    records = in_example_com(
        "autodiscover.example.com",
        ["AAAA_ELSEWHERE"],
        a=[SERVER],
        aaaa=["2001:db8::99"],
        servers=[SERVER, SERVER6],
    )
    assert [fields(step) for step in records.steps] == [
        ("delete", "AAAA", "autodiscover", "2001:db8::99"),
        ("add", "AAAA", "autodiscover", SERVER6),
    ]
    assert "aaaa_no_server_v6" not in note_keys(records)


@pytest.mark.parametrize(
    ("code", "note"),
    [
        ("SERVFAIL", "servfail_other_advice"),
        ("LOOKUP_FAILED", "lookup_failed_other_advice"),
        ("RESOLVERS_DISAGREE", "disagree_wait"),
    ],
)
def test_codes_without_records_to_enter(code: str, note: str) -> None:
    records = in_example_com(
        "mail.example.com",
        [code],
        a=[SERVER],
        servers=[SERVER],
    )
    assert all_steps(records) == []
    assert not records.has_records
    assert note in note_keys(records)
    assert "Nothing to enter" in render_text([records], "en")


def test_nxdomain_without_any_server_address_writes_no_record() -> None:
    records = records_for("mail.example.com", ["NXDOMAIN"], registrable="example.com", servers=[])
    assert all_steps(records) == []
    assert "no_server_address" in note_keys(records)


def test_invalid_addresses_are_never_written() -> None:
    records = records_for(
        "mail.example.com",
        ["ELSEWHERE"],
        registrable="example.com",
        a=["198.51.100.7\nevil", "not an address"],
        servers=["203.0.113.10 ; x", SERVER],
    )
    assert [fields(step) for step in records.steps] == [("add", "A", "mail", SERVER)]


# --- CAA ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "issuer"), [("letsencrypt", "letsencrypt.org"), ("sectigo", "sectigo.com")]
)
def test_caa_forbids_adds_the_provider_at_the_deciding_node(provider: str, issuer: str) -> None:
    records = in_example_com(
        "webdisk.example.com",
        ["CAA_FORBIDS"],
        a=[SERVER],
        servers=[SERVER],
        provider=provider,
        caa_node="example.com",
        caa_records=[(0, "issue", "pki.goog")],
    )
    assert [fields(step) for step in records.steps] == [("add", "CAA", "@", f'0 issue "{issuer}"')]
    assert records.steps[0].record.zone_line == f'example.com. 300 IN CAA 0 issue "{issuer}"'
    rdata = next(iter(parse_lines([records.steps[0].record.zone_line]).nodes.values()))
    caa = rdata.get_rdataset(1, dns.rdatatype.CAA)
    assert caa is not None
    assert next(iter(caa)).value == issuer.encode()


def test_caa_critical_record_is_deleted_and_nothing_added_when_no_issue_remains() -> None:
    records = records_for(
        "critical.caa.example",
        ["CAA_FORBIDS"],
        registrable="caa.example",
        zone="caa.example",
        caa_node="critical.caa.example",
        caa_records=[(128, "tbs", "unknown critical property")],
    )
    assert [fields(step) for step in records.steps] == [
        ("delete", "CAA", "critical", '128 tbs "unknown critical property"')
    ]


def test_caa_of_a_cname_is_changed_at_the_target() -> None:
    records = records_for(
        "www.cnamecaa.example",
        ["CAA_FORBIDS"],
        registrable="cnamecaa.example",
        zone="cnamecaa.example",
        cname=["edge.cdn.example.org"],
        caa_node="www.cnamecaa.example",
    )
    [step] = records.steps
    assert step.record.owner == "edge.cdn.example.org"
    assert step.record.zone_assumed
    assert "caa_at_cname_target" in note_keys(records)
    assert "other_zone" in note_keys(records)
    assert records.alternatives == ()  # the CNAME itself is fine: only CAA is wrong


def test_caa_account_bound_adds_the_unbound_line_and_says_so() -> None:
    records = in_example_com(
        "example.com",
        ["CAA_ACCOUNT_BOUND"],
        caa_node="example.com",
        caa_records=[(0, "issue", "letsencrypt.org; accounturi=https://x/acme/acct/1")],
    )
    assert [fields(step) for step in records.steps] == [
        ("add", "CAA", "@", '0 issue "letsencrypt.org"')
    ]
    assert "caa_account_bound" in note_keys(records)


def test_caa_node_above_a_deeper_zone_is_written_for_the_registrable_domain() -> None:
    records = records_for(
        "www.shop.example.co.uk",
        ["CAA_FORBIDS"],
        registrable="example.co.uk",
        zone="shop.example.co.uk",
        caa_node="example.co.uk",
    )
    [step] = records.steps
    assert (step.record.zone, step.record.relative, step.record.zone_assumed) == (
        "example.co.uk",
        "@",
        True,
    )


# --- CNAMEs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "codes", [["NXDOMAIN"], ["ELSEWHERE"], ["ELSEWHERE", "AAAA_ELSEWHERE"], ["PARTIAL"]]
)
def test_a_cname_is_replaced_or_retargeted_never_given_an_address_beside_it(
    codes: list[str],
) -> None:
    records = records_for(
        "webmail.example.com",
        codes,
        registrable="example.com",
        zone="example.com",
        a=["198.51.100.7"],
        cname=["old-host.example.net"],
        servers=[SERVER, SERVER6],
        good_target="example.com",
    )
    assert records.steps == ()  # nothing outside the two options
    kinds = [option.kind for option in records.alternatives]
    assert kinds == ["replace_cname", "retarget_cname"]
    replace, retarget = records.alternatives
    assert [fields(step) for step in replace.steps] == [
        ("delete", "CNAME", "webmail", "old-host.example.net"),
        ("add", "A", "webmail", SERVER),
        ("add", "AAAA", "webmail", SERVER6),
    ]
    assert [fields(step) for step in retarget.steps] == [
        ("delete", "CNAME", "webmail", "old-host.example.net"),
        ("add", "CNAME", "webmail", "example.com"),
    ]
    assert retarget.steps[1].record.zone_line == "webmail.example.com. 300 IN CNAME example.com."
    for option in records.alternatives:
        adds_address = any(
            s.action == "add" and s.record.rtype in ("A", "AAAA") for s in option.steps
        )
        if adds_address:
            assert option.steps[0].action == "delete"
            assert option.steps[0].record.rtype == "CNAME"
    text = render_text([records], "en")
    assert "Never add an A or AAAA record beside the CNAME" in text
    assert "Replace the CNAME" in text
    assert "change the CNAME's target" in text


def test_cname_without_a_known_good_target_describes_the_retarget_in_words() -> None:
    records = in_example_com(
        "www.example.com",
        ["NXDOMAIN"],
        cname=["gone.example.net"],
        servers=[SERVER, "198.51.100.1\n<b>"],
    )
    replace, retarget = records.alternatives
    assert replace.steps
    assert not retarget.steps
    [words] = [note for note in records.notes if note.key == "cname_retarget_words"]
    assert words.params == {"servers": SERVER}  # only valid addresses reach the words
    assert "a name whose A record is 203.0.113.10" in render_text([records], "en")


# --- zones ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "relative"),
    [
        ("shop.example.co.uk", "@"),
        ("www.shop.example.co.uk", "www"),
        ("a.b.shop.example.co.uk", "a.b"),
    ],
)
def test_names_relative_to_a_zone_deeper_than_the_registrable_domain(
    name: str, relative: str
) -> None:
    records = records_for(
        name, ["NXDOMAIN"], registrable="example.co.uk", zone="shop.example.co.uk", servers=[SERVER]
    )
    [step] = records.steps
    assert step.record.relative == relative
    assert step.record.zone == "shop.example.co.uk"
    assert not records.zone_assumed
    assert "zone_assumed" not in note_keys(records)


def test_unknown_zone_falls_back_to_the_registrable_domain_and_says_so() -> None:
    records = records_for(
        "www.shop.example.co.uk", ["NXDOMAIN"], registrable="example.co.uk", servers=[SERVER]
    )
    assert (records.zone, records.zone_assumed) == ("example.co.uk", True)
    assert records.steps[0].record.relative == "www.shop"
    assert "Zone example.co.uk is assumed" in render_text([records], "en")
    assert "example.co.uk と仮定" in render_text([records], "ja")


def test_zone_that_does_not_hold_the_name_is_not_trusted() -> None:
    records = records_for(
        "mail.example.com",
        ["NXDOMAIN"],
        registrable="example.com",
        zone="example.net",
        servers=[SERVER],
    )
    assert (records.zone, records.zone_assumed) == ("example.com", True)


def test_names_are_compared_without_case_or_final_dot() -> None:
    records = records_for(
        "Mail.Example.COM.",
        ["NXDOMAIN"],
        registrable="example.com",
        zone="EXAMPLE.com.",
        servers=[SERVER],
    )
    assert records.steps[0].record.zone_line == f"mail.example.com. 300 IN A {SERVER}"
    assert records.steps[0].record.relative == "mail"


# --- TTL ------------------------------------------------------------------------------------------


def test_default_ttl_is_300_and_explained() -> None:
    records = records_for(
        "mail.example.com", ["NXDOMAIN"], registrable="example.com", servers=[SERVER]
    )
    assert records.ttl == 300
    assert records.ttl_source == "default"
    assert "TTL 300 s: short" in render_text([records], "en")


@pytest.mark.parametrize(("given", "used"), [(3600, 3600), (0, 30), (10**9, 86400)])
def test_given_ttl_is_used_within_bounds(given: int, used: int) -> None:
    records = records_for(
        "mail.example.com", ["NXDOMAIN"], registrable="example.com", servers=[SERVER], ttl=given
    )
    assert records.ttl_source == "given"
    assert records.steps[0].record.zone_line == f"mail.example.com. {used} IN A {SERVER}"


# --- hostile DNS data -----------------------------------------------------------------------------

HOSTILE_LABEL = 'ev"il\n;(x) @$`\u202e\u200bname\r'
SAFE_LINE = re.compile(r"[\x21-\x7e ]+")


def test_hostile_names_and_values_never_break_a_line() -> None:
    hostile_target = "t\u202earget\n.evil`.example"
    hostile_caa = 'x"y\\z\n`\u2066'
    records = [
        in_example_com(
            f"{HOSTILE_LABEL}.example.com",
            ["ELSEWHERE", "CAA_FORBIDS"],
            a=["198.51.100.7"],
            servers=[SERVER],
            caa_node=f"{HOSTILE_LABEL}.example.com",
            caa_records=[(128, "tbs", hostile_caa)],
        ),
        in_example_com(
            "www.example.com",
            ["NXDOMAIN"],
            cname=[hostile_target],
            servers=[SERVER],
            good_target=f"{HOSTILE_LABEL}.example.com",
        ),
    ]
    steps = [step for r in records for step in all_steps(r)]
    lines = [step.record.zone_line for step in steps]
    for step in steps:
        for value in (
            step.record.zone_line,
            step.record.relative,
            step.record.form_value,
            step.record.owner,
        ):
            assert SAFE_LINE.fullmatch(value), value
            assert "`" not in value
    # Each line is one record to a DNS server's parser; names and the CAA value survive intact.
    # (A delete and an add of the same CNAME owner would clash in one zone: parse them apart.)
    for line in lines:
        zone = parse_lines([line])
        assert sum(len(list(node)) for node in zone.nodes.values()) == 1
    hostile_owner = dns.name.from_text(records[0].steps[0].record.owner + ".")
    assert hostile_owner.labels[0] == HOSTILE_LABEL.encode()
    caa_line = next(s.record.zone_line for s in records[0].steps if s.record.rtype == "CAA")
    [node] = parse_lines([caa_line]).nodes.values()
    caa = node.get_rdataset(1, dns.rdatatype.CAA)
    assert caa is not None
    assert next(iter(caa)).value == hostile_caa.encode()
    assert next(iter(caa)).tag == b"tbs"
    cname_line = next(
        s.record.zone_line for s in all_steps(records[1]) if s.record.rtype == "CNAME"
    )
    [node] = parse_lines([cname_line]).nodes.values()
    target = next(iter(node.get_rdataset(1, dns.rdatatype.CNAME))).target
    assert target.labels[0] == "t\u202earget\n".encode()

    text = render_text(records, "en")
    markdown = render_markdown(records, "ja")
    for rendered in (text, markdown):
        assert "\u202e" not in rendered
        assert "\u2066" not in rendered
        assert "\r" not in rendered
        assert "\n;(x)" not in rendered
    for line in markdown.splitlines():
        if not line.startswith("```"):
            assert line.count("`") % 2 == 0, line
    # Every escaped name sits inside a code span or the diff block, never as Markdown text.
    escaped = records[0].name
    in_block = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_block = not in_block
            continue
        if escaped in line and not in_block:
            assert f"`{escaped}`" in line or f"`{records[0].steps[0].record.relative}`" in line
    assert json.loads(json.dumps(to_json(records))) == to_json(records)


def test_a_tag_no_parser_accepts_still_stays_on_one_printable_line() -> None:
    records = in_example_com(
        "example.com",
        ["CAA_FORBIDS"],
        caa_node="example.com",
        caa_records=[(128, 'ta"g\n`\u202e', "v")],
    )
    [delete] = [step for step in records.steps if step.action == "delete"]
    assert SAFE_LINE.fullmatch(delete.record.zone_line)
    assert "`" not in delete.record.zone_line


def test_escape_keeps_names_already_in_presentation_form() -> None:
    written = r"odd\200\000\"\;bytes.hostile.example"
    assert escape_name(written) == written
    assert escape_name("www.example.com.") == "www.example.com"
    assert escape_name("a b") == r"a\032b"
    assert escape_name("trailing\\") == r"trailing\092"
    assert escape_character_string('say "hi"\n') == r'"say \"hi\"\010"'


# --- renderers ------------------------------------------------------------------------------------


def test_json_shape_is_as_documented() -> None:
    records = in_example_com(
        "webmail.example.com",
        ["NXDOMAIN"],
        cname=["gone.example.net"],
        servers=[SERVER],
        good_target="example.com",
    )
    [entry] = to_json([records])
    assert set(entry) == {
        "name",
        "codes",
        "kind",
        "zone",
        "zone_assumed",
        "ttl",
        "ttl_source",
        "servers",
        "server_source",
        "steps",
        "alternatives",
        "notes",
    }
    assert entry["steps"] == []
    assert entry["kind"] == ""
    first = entry["alternatives"][0]["steps"][0]
    assert first == {
        "action": "delete",
        "type": "CNAME",
        "name": "webmail",
        "owner": "webmail.example.com",
        "zone": "example.com",
        "zone_assumed": False,
        "value": "gone.example.net",
        "ttl": 300,
        "line": "webmail.example.com. 300 IN CNAME gone.example.net.",
        "family": "",
        "address_source": "",
    }
    assert {"key": "ttl_default", "params": {"ttl": "300"}} in entry["notes"]


def test_markdown_and_text_say_add_and_delete_in_both_languages() -> None:
    records = in_example_com(
        "mail.example.com",
        ["ELSEWHERE"],
        a=["198.51.100.7"],
        servers=[SERVER],
    )
    en = render_markdown([records], "en")
    ja = render_markdown([records], "ja")
    assert "- Delete: Type `A`, Name `mail`, Value `198.51.100.7`" in en
    assert "- 追加: タイプ `A`, 名前 `mail`, 値 `203.0.113.10`" in ja
    assert "```diff\n- mail.example.com. 300 IN A 198.51.100.7\n+ mail.example.com. 300 IN A" in en
    text = render_text([records], "en")
    assert "Delete: mail.example.com. 300 IN A 198.51.100.7" in text


# --- the examples on "After you change DNS" ------------------------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs"


def docs_examples() -> dict[str, list[NameRecords]]:
    """The cases the page shows, rendered by render_text and pasted into both languages."""
    failing = [
        in_example_com(f"{label}.example.com", ["NXDOMAIN"], servers=[SERVER])
        for label in FIELD_REPORT_FAILING
    ]
    return {
        "field_report": failing,
        "add": failing[3:4],
        "change": [
            in_example_com(
                "mail.example.com",
                ["ELSEWHERE", "AAAA_ELSEWHERE"],
                a=["198.51.100.7"],
                aaaa=["2001:db8::99"],
                servers=[SERVER, SERVER6],
            )
        ],
        "cname": [
            in_example_com(
                "webmail.example.com",
                ["ELSEWHERE"],
                a=["198.51.100.8"],
                cname=["webmail.mail-host.example.net"],
                servers=[SERVER],
                good_target="example.com",
            )
        ],
        "deeper_zone": [
            records_for(
                "www.shop.example.com",
                ["NXDOMAIN"],
                registrable="example.com",
                zone="shop.example.com",
                servers=[SERVER],
            )
        ],
        "caa": [
            in_example_com(
                "webdisk.example.com",
                ["CAA_FORBIDS"],
                a=[SERVER],
                servers=[SERVER],
                caa_node="example.com",
                caa_records=[(0, "issue", "pki.example.net")],
            )
        ],
    }


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_page_shows_what_the_renderer_writes(lang: str) -> None:
    page = (DOCS / lang / "after-dns-change.md").read_text(encoding="utf-8")
    examples = docs_examples()
    zone_lines = "\n".join(r.steps[0].record.zone_line for r in examples.pop("field_report"))
    assert f"```zone\n{zone_lines}\n```" in page
    for case, records in examples.items():
        block = render_text(records, lang).split("\n", 2)[2]  # without the title line
        assert f"```text\n{block}```" in page, case


# --- wired into a check: the zone and the cache time come from the answers ------------------------


def test_a_check_gives_each_failing_name_its_zone_ttl_and_records(doh_resolver: Any) -> None:
    from autossl_check.zone_records import records_of

    from .helpers import check

    result = check("mixed.example", [doh_resolver.url], servers=(SERVER,))
    rows = {row.name: row for row in result.rows}
    # NODATA / NXDOMAIN answers carry the zone's SOA: its owner is the zone, its TTL the cache time.
    assert rows["webdisk.mixed.example"].zone == "mixed.example"
    assert rows["webdisk.mixed.example"].ttl == 300
    assert rows["cpanel.mixed.example"].codes == ["NXDOMAIN"]
    assert rows["cpanel.mixed.example"].zone == "mixed.example"
    found = {records.name: records for records in records_of(result)}
    assert set(found) == {row.name for row in result.rows if row.findings}
    cpanel = found["cpanel.mixed.example"]
    assert not cpanel.zone_assumed
    assert [fields(step) for step in cpanel.steps] == [("add", "A", "cpanel", SERVER)]
    assert [step.record.zone_line for step in cpanel.steps] == [
        f"cpanel.mixed.example. 300 IN A {SERVER}"
    ]
    # How long resolvers keep the answer this check saw: the negative TTL from the SOA.
    assert cpanel.notes[-1].key == "cached_for"
    assert cpanel.notes[-1].params == {"seconds": "300"}
    assert "may keep the answer this check saw for up to 300 s more" in render_text([cpanel], "en")
    mail = found["mail.mixed.example"]
    assert [fields(step) for step in mail.steps] == [
        ("delete", "A", "mail", "198.51.100.7"),
        ("add", "A", "mail", SERVER),
    ]


def test_a_cname_elsewhere_is_offered_the_checked_domain_as_its_new_target() -> None:
    from autossl_check.zone_records import records_of

    from tests.support.doh_resolver import DohResolver, ZoneData

    from .helpers import check

    zones = ZoneData.load(
        {
            "ttl": 60,
            "records": {
                "cname.example.": {"A": [SERVER]},
                "www.cname.example.": {"CNAME": "host.mail-host.example.net."},
                "host.mail-host.example.net.": {"A": ["198.51.100.7"]},
            },
        }
    )
    with DohResolver(zones) as resolver:
        result = check("cname.example", [resolver.url], servers=(SERVER,), service_subdomains=False)
    www = next(r for r in records_of(result) if r.name == "www.cname.example")
    assert www.steps == ()
    replace, retarget = www.alternatives
    assert [fields(step) for step in retarget.steps] == [
        ("delete", "CNAME", "www", "host.mail-host.example.net"),
        ("add", "CNAME", "www", "cname.example"),
    ]
    assert [fields(step) for step in replace.steps][1:] == [("add", "A", "www", SERVER)]


def test_the_field_reports_case_end_to_end_gives_the_guides_zone_lines() -> None:
    """The command line against a resolver serving the field report's DNS prints, for each
    failing name, the zone-file line "After you change DNS" shows."""
    import subprocess
    import sys

    from tests.support.doh_resolver import DohResolver, ZoneData

    zones = ZoneData.load(
        {
            "ttl": 300,
            "records": {
                "example.com.": {"A": [SERVER]},
                "www.example.com.": {"CNAME": "example.com."},
            },
        }
    )
    page = (Path(__file__).resolve().parents[2] / "docs/en/after-dns-change.md").read_text(
        encoding="utf-8"
    )
    guide_lines = page.split("```zone\n", 1)[1].split("```", 1)[0].splitlines()
    assert len(guide_lines) == len(FIELD_REPORT_FAILING)
    with DohResolver(zones) as resolver:
        command = [sys.executable, "-m", "autossl_check", "example.com", "--server", SERVER]
        run = subprocess.run(
            [*command, "--resolver", resolver.url, "--lang", "en"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            check=False,
        )
    assert run.returncode == 1, run.stderr
    printed = [
        line.strip().removeprefix("Add: ")
        for line in run.stdout.splitlines()
        if line.strip().startswith("Add: ") and " IN " in line
    ]
    assert printed == guide_lines


def test_an_soa_of_the_cname_target_is_named_as_such_not_as_missing() -> None:
    records = records_for(
        "shop.example.com",
        ["NO_ADDRESS"],
        registrable="example.com",
        zone="example.net",
        cname=["shop.example.net"],
        servers=["203.0.113.10"],
    )
    assert records.zone_assumed
    assert "zone_assumed_other" in note_keys(records)
    assert "zone_assumed" not in note_keys(records)
    [other] = [note for note in records.notes if note.key == "zone_assumed_other"]
    assert other.params == {"zone": "example.com", "seen": "example.net"}


def test_no_soa_at_all_keeps_the_plain_assumption_note() -> None:
    records = records_for(
        "shop.example.com", ["NXDOMAIN"], registrable="example.com", servers=["203.0.113.10"]
    )
    assert "zone_assumed" in note_keys(records)
    assert "zone_assumed_other" not in note_keys(records)
