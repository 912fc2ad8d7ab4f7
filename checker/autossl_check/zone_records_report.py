"""The records to enter, rendered: a text block, a Markdown block for tickets, and JSON.

JSON (additive: a new top-level key "records" beside schema 1's keys, a list with one object per
failing name, in check order)::

    {
      "name": "webdisk.example.com",        # presentation form, no final dot
      "codes": ["NXDOMAIN"],
      "kind": "add",                         # of "steps": "add", "change", "delete" or ""
      "zone": "example.com",                 # the SOA owner seen, or the assumed zone
      "zone_assumed": false,
      "ttl": 300, "ttl_source": "default",   # or "given"
      "servers": ["203.0.113.10"], "server_source": "given",   # or "inferred"
      "steps": [STEP, ...],                  # do all of these
      "alternatives": [                      # then one of these ([] unless the name is a CNAME)
        {"kind": "replace_cname", "steps": [STEP, ...]},
        {"kind": "retarget_cname", "steps": [STEP, ...]}   # steps [] when no target is known
      ],
      "notes": [{"key": "zone_assumed", "params": {"zone": "example.com"}}, ...]
    }
    STEP = {"action": "add" | "delete", "type": "A" | "AAAA" | "CNAME" | "CAA",
            "name": "webdisk",              # relative to "zone": "@" for the apex
            "owner": "webdisk.example.com", "zone": "example.com", "zone_assumed": false,
            "value": "203.0.113.10",        # for a form field (CNAME target without final dot)
            "ttl": 300, "line": "webdisk.example.com. 300 IN A 203.0.113.10",
            "family": "ipv4" | "ipv6" | "", "address_source": "given" | "inferred" | ""}

Every value is printable ASCII without backquotes (zone_records escapes DNS data), so a value in a
Markdown code span or a zone-file line can never end the span, the line or the block.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .model import CheckResult
from .texts import after_fix_text as text
from .zone_records import NameRecords, Note, Step, records_of


def note_text(note: Note, lang: str) -> str:
    return text(note.key, lang, **note.params)


def step_dict(step: Step) -> dict[str, Any]:
    record = step.record
    return {
        "action": step.action,
        "type": record.rtype,
        "name": record.relative,
        "owner": record.owner,
        "zone": record.zone,
        "zone_assumed": record.zone_assumed,
        "value": record.form_value,
        "ttl": record.ttl,
        "line": record.zone_line,
        "family": step.family,
        "address_source": step.address_source,
    }


def records_dict(records: NameRecords) -> dict[str, Any]:
    return {
        "name": records.name,
        "codes": list(records.codes),
        "kind": records.kind,
        "zone": records.zone,
        "zone_assumed": records.zone_assumed,
        "ttl": records.ttl,
        "ttl_source": records.ttl_source,
        "servers": list(records.servers),
        "server_source": records.server_source,
        "steps": [step_dict(step) for step in records.steps],
        "alternatives": [
            {"kind": option.kind, "steps": [step_dict(step) for step in option.steps]}
            for option in records.alternatives
        ],
        "notes": [{"key": note.key, "params": dict(note.params)} for note in records.notes],
    }


def to_json(all_records: Iterable[NameRecords]) -> list[dict[str, Any]]:
    return [records_dict(records) for records in all_records]


def _groups(records: NameRecords) -> list[tuple[str, Sequence[Step]]]:
    """(heading key or "", steps) in the order a reader does them."""
    groups: list[tuple[str, Sequence[Step]]] = []
    if records.steps:
        groups.append(("", records.steps))
    for option in records.alternatives:
        groups.append((f"option_{option.kind}", option.steps))
    return groups


def _title(records: NameRecords, lang: str, wrap: Callable[[str], str]) -> str:
    name, zone = wrap(records.name), wrap(records.zone)
    kind = "cname" if records.alternatives and not records.steps else records.kind
    if not kind:
        return text("records_for", lang, name=name, zone=zone)
    return text("records_for_kind", lang, name=name, zone=zone, kind=text(f"kind_{kind}", lang))


def _step_text(step: Step, lang: str) -> str:
    record = step.record
    action = text(f"action_{step.action}", lang)
    return (
        f"{action}: {text('field_type', lang)} {record.rtype} | "
        f"{text('field_name', lang)} {record.relative} | "
        f"{text('field_value', lang)} {record.form_value} | "
        f"{text('field_ttl', lang)} {record.ttl}"
    )


def _plain(value: str) -> str:
    return value


def _server_line(records: NameRecords, lang: str, wrap: Callable[[str], str] = _plain) -> str:
    steps = [step for _heading, group in _groups(records) for step in group]
    if not records.servers or not any(step.address_source for step in steps):
        return ""  # say where addresses came from only where an address is written
    key = "servers_given" if records.server_source == "given" else "servers_inferred"
    return text(key, lang, servers=", ".join(wrap(server) for server in records.servers))


def render_text(all_records: Iterable[NameRecords], lang: str) -> str:
    """A plain-text block for the terminal: per name, the form fields, then the zone-file lines."""
    out = [text("records_title", lang)]
    for records in all_records:
        out += ["", _title(records, lang, _plain)]
        if not records.has_records:
            out.append("  " + text("nothing_to_enter", lang))
        if records.alternatives:
            out.append("  " + text("never_beside_cname", lang))
        for heading, steps in _groups(records):
            indent = "    " if heading else "  "
            if heading:
                out.append("  " + text(heading, lang))
            out += [indent + _step_text(step, lang) for step in steps]
            out += [
                f"{indent}  {text(f'action_{step.action}', lang)}: {step.record.zone_line}"
                for step in steps
            ]
        server_line = _server_line(records, lang)
        out += ["  " + line for line in (server_line,) if line]
        out += ["  " + note_text(note, lang) for note in records.notes]
    return "\n".join(out) + "\n"


def _code(value: object) -> str:
    # zone_records leaves no backquote in DNS data; anything else passed here is made safe too.
    shown = str(value).replace("`", "'").replace("\r", " ").replace("\n", " ")
    return f"`{shown}`"


def render_markdown(all_records: Iterable[NameRecords], lang: str) -> str:
    """A Markdown block for tickets: DNS data only inside code spans and a fenced zone block."""
    out = [f"### {text('records_title', lang)}"]
    for records in all_records:
        out += ["", name_markdown(records, lang).rstrip("\n")]
    return "\n".join(out) + "\n"


def name_markdown(records: NameRecords, lang: str) -> str:
    """One name's part of `render_markdown`: its title, the form fields of every step, the
    notes, then the zone-file lines (the guide's findings page shows its examples with this)."""
    out = [f"**{_title(records, lang, _code)}**", ""]
    if not records.has_records:
        out.append(f"- {text('nothing_to_enter', lang)}")
    if records.alternatives:
        out.append(f"- {text('never_beside_cname', lang)}")
    for heading, steps in _groups(records):
        indent = "    " if heading else ""
        if heading:
            out.append(f"- {text(heading, lang)}")
        for step in steps:
            record = step.record
            out.append(
                f"{indent}- {text(f'action_{step.action}', lang)}: "
                f"{text('field_type', lang)} {_code(record.rtype)}, "
                f"{text('field_name', lang)} {_code(record.relative)}, "
                f"{text('field_value', lang)} {_code(record.form_value)}, "
                f"{text('field_ttl', lang)} {_code(record.ttl)}"
            )
    server_line = _server_line(records, lang, _code)
    out += [f"- {line}" for line in (server_line,) if line]
    for note in records.notes:
        params = {key: _code(value) for key, value in note.params.items()}
        out.append(f"- {text(note.key, lang, **params)}")
    # One diff block per way of fixing: ticket systems colour deleted (-) and added (+) lines.
    for heading, steps in _groups(records):
        if not steps:
            continue
        # A blank line before the fence too: Python-Markdown (the guide) keeps a fence that
        # follows a paragraph line inside that paragraph.
        out += ["", text(heading, lang), ""] if heading else [""]
        lines = [("-" if s.action == "delete" else "+") + " " + s.record.zone_line for s in steps]
        out += ["```diff", *lines, "```"]
    return "\n".join(out) + "\n"


# --- a check's whole output with its records: the CLI and the page use these ------------------


def result_json(result: CheckResult) -> dict[str, Any]:
    """Schema 1 with the additive key "records" (one entry per name with a finding)."""
    from .report import to_json as schema_1

    return {**schema_1(result), "records": to_json(records_of(result))}


def result_text(result: CheckResult, lang: str) -> str:
    from .report import to_text

    found = records_of(result)
    return to_text(result, lang) + ("\n" + render_text(found, lang) if found else "")


def result_markdown(result: CheckResult, lang: str, *, docs_base: str = "") -> str:
    from .report import to_markdown

    found = records_of(result)
    block = to_markdown(result, lang, docs_base=docs_base)
    return block + ("\n" + render_markdown(found, lang) if found else "")


def page_records(result: CheckResult, lang: str) -> dict[str, Any]:
    """The page's "Records to enter" block: its title, its copy button's label, the text to
    copy, and one entry per name."""
    found = records_of(result)
    return {
        "title": text("records_title", lang),
        "copy": text("records_copy", lang),
        "text": render_text(found, lang) if found else "",
        "rows": to_json(found),
    }
