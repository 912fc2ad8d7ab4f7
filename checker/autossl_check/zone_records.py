"""The records a reader enters at the DNS host to fix one failing name.

Pure and stdlib only (it runs under Pyodide too). The input is what a check learnt about one name:
its finding codes, its A / AAAA / CNAME data, the zone it lives in (the owner of the SOA record
the resolvers sent with their answers) and the server's addresses. The output is a
`NameRecords`: steps to take in every case, and, for a name that is a CNAME, two alternatives of
which the reader picks one. Each step holds a `ZoneRecord`, which gives both the zone-file line
(``webdisk.example.com. 300 IN A 203.0.113.10``) and the three fields DNS hosts' forms ask for
(type, name relative to the zone with "@" for the apex, value).

Everything from DNS or the reader is escaped into RFC 1035 presentation form made of printable
ASCII only, so no value can break a line, open a quote, hide text behind a bidi control or close a
Markdown code span: names keep their existing backslash escapes, and anything else that is not a
letter, digit, "-", "_", "*" or "." becomes ``\\DDD`` (or ``\\c`` for printable ASCII).

Notes (`Note.key`) tell the renderer what to say besides the records; texts.py words them.
`records_of(result)` gives the records of every failing name of a finished check.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .model import CheckResult, NameRow, RowStatus

DEFAULT_TTL = 300
MIN_TTL = 30
MAX_TTL = 86400

# The issuer-domain-name each AutoSSL provider's CA looks for in a CAA `issue` record.
CAA_ISSUERS = {"letsencrypt": "letsencrypt.org", "sectigo": "sectigo.com"}
# Tags any CA knows (RFC 8659 and Boulder); an unknown tag with a critical flag blocks issuance.
_KNOWN_CAA_TAGS = frozenset(
    {"issue", "issuewild", "iodef", "issuemail", "issuevmc", "contactemail", "contactphone"}
)
_CRITICAL_BITS = 128 | 1  # Let's Encrypt also reads bit 1 as critical

_NAME_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_*.")
_DIGITS = frozenset("0123456789")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ADDRESS_CODES = frozenset({"NXDOMAIN", "NO_ADDRESS", "ELSEWHERE", "PARTIAL", "AAAA_ELSEWHERE"})


@dataclass(frozen=True, slots=True)
class ZoneRecord:
    """One resource record, written relative to the zone it belongs in."""

    owner: str  # absolute, presentation form, lower case, no final dot
    zone: str  # the zone the record is entered in (presentation form, no final dot)
    zone_assumed: bool  # True: no SOA was seen, the zone is the registrable domain
    rtype: str  # "A", "AAAA", "CNAME" or "CAA"
    value: str  # RDATA in presentation form; a CNAME target ends with "."
    ttl: int

    @property
    def relative(self) -> str:
        """The name as DNS hosts' forms want it: "@" for the zone apex, else the labels above it."""
        return relative_name(self.owner, self.zone)

    @property
    def form_value(self) -> str:
        """The value for a form field; forms take a CNAME target without its final dot."""
        return self.value.removesuffix(".") if self.rtype == "CNAME" else self.value

    @property
    def zone_line(self) -> str:
        return f"{self.owner}. {self.ttl} IN {self.rtype} {self.value}"


@dataclass(frozen=True, slots=True)
class Step:
    action: str  # "add" or "delete"
    record: ZoneRecord
    # For an added A / AAAA: "given" (the reader typed the address) or "inferred" (the domain's own
    # records); "" otherwise.
    address_source: str = ""

    @property
    def family(self) -> str:
        """ "ipv4", "ipv6" or "" (not an address record)."""
        return {"A": "ipv4", "AAAA": "ipv6"}.get(self.record.rtype, "")


@dataclass(frozen=True, slots=True)
class Option:
    """One way to fix a name; `kind` is "replace_cname" or "retarget_cname"."""

    kind: str
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class Note:
    key: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NameRecords:
    name: str
    codes: tuple[str, ...]
    zone: str
    zone_assumed: bool
    ttl: int
    ttl_source: str  # "default" or "given"
    servers: tuple[str, ...]
    server_source: str  # "given" or "inferred"
    steps: tuple[Step, ...]  # do all of these
    alternatives: tuple[Option, ...]  # then one of these (a name that is a CNAME), else ()
    notes: tuple[Note, ...]

    @property
    def kind(self) -> str:
        """ "add", "change" (delete and add), "delete", or "" for `steps`; labels the fix."""
        actions = {step.action for step in self.steps}
        if actions == {"add", "delete"}:
            return "change"
        return actions.pop() if actions else ""

    @property
    def has_records(self) -> bool:
        return bool(self.steps or any(option.steps for option in self.alternatives))


def escape_name(text: str) -> str:
    """A domain name in presentation form made of printable ASCII, without its final dot.

    Existing ``\\DDD`` and ``\\c`` escapes are kept, so a name that dnspython already wrote out
    comes back unchanged; anything else unsafe is escaped. The result never holds white space,
    quotes, ";", "(", ")", "@", "$" or a backquote unescaped.
    """
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            ahead = text[index + 1 : index + 4]
            if len(ahead) == 3 and set(ahead) <= _DIGITS:
                out.append("\\" + ahead)
                index += 4
                continue
            following = text[index + 1 : index + 2]
            if following and following.isascii() and following.isprintable():
                if following in _NAME_SAFE:
                    out.append("\\" + following)
                else:
                    out.append(_escape_char(following))
                index += 2
                continue
            out.append("\\092")
            index += 1
            continue
        out.append(char if char in _NAME_SAFE else _escape_char(char))
        index += 1
    return "".join(out).lower().removesuffix(".")


def _escape_char(char: str) -> str:
    # A backquote is escaped by number: "\`" would still end a Markdown code span.
    if char.isascii() and char.isprintable() and char not in " `":
        return "\\" + char
    return "".join(f"\\{byte:03d}" for byte in char.encode("utf-8", "surrogatepass"))


def escape_character_string(text: str) -> str:
    """An RFC 1035 <character-string> in double quotes, printable ASCII only."""
    out = []
    for char in text:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char.isascii() and char.isprintable() and char != "`":
            out.append(char)
        else:
            out.append("".join(f"\\{byte:03d}" for byte in char.encode("utf-8", "surrogatepass")))
    return '"' + "".join(out) + '"'


def _caa_tag(tag: str) -> str:
    return "".join(c if c.isascii() and c.isalnum() else _escape_char(c) for c in tag) or '""'


def caa_value(flags: int, tag: str, value: str) -> str:
    return f"{int(flags) & 255} {_caa_tag(tag)} {escape_character_string(value)}"


def is_within(name: str, zone: str) -> bool:
    return name == zone or name.endswith("." + zone)


def relative_name(owner: str, zone: str) -> str:
    """`owner` relative to `zone`: "@" for the apex; the owner in full (with its final dot) when
    it is not inside the zone at all."""
    if owner == zone:
        return "@"
    if zone and owner.endswith("." + zone):
        return owner[: -len(zone) - 1]
    return owner + "."


@dataclass(frozen=True, slots=True)
class _Context:
    zone: str
    zone_assumed: bool
    registrable: str
    ttl: int

    def record(self, owner: str, rtype: str, value: str) -> ZoneRecord:
        zone, assumed = self.zone, self.zone_assumed
        if not is_within(owner, zone):
            # A CAA node above the name's zone, or a CNAME target elsewhere: its own zone is
            # unknown here, so the registrable domain is assumed when the owner lies under it.
            assumed = True
            zone = self.registrable if is_within(owner, self.registrable) else owner
        return ZoneRecord(owner, zone, assumed, rtype, value, self.ttl)

    def address(self, owner: str, address: IPAddress) -> ZoneRecord:
        return self.record(owner, "A" if address.version == 4 else "AAAA", str(address))


def _addresses(values: Iterable[str]) -> list[IPAddress]:
    """Valid addresses only, in canonical form, without duplicates; anything else is dropped."""
    found: list[IPAddress] = []
    for value in values:
        try:
            address = ipaddress.ip_address(str(value).strip())
        except ValueError:
            continue
        if address not in found:
            found.append(address)
    return found


def records_for(
    name: str,
    codes: Iterable[str],
    *,
    registrable: str,
    zone: str | None = None,
    a: Sequence[str] = (),
    aaaa: Sequence[str] = (),
    cname: Sequence[str] = (),
    servers: Sequence[str] = (),
    server_source: str = "given",
    ttl: int | None = None,
    provider: str = "letsencrypt",
    caa_node: str = "",
    caa_records: Sequence[tuple[int, str, str]] = (),
    good_target: str = "",
) -> NameRecords:
    """The records to add, change or delete so that `name` stops failing.

    `zone` is the owner of the SOA record seen in the name's answers; None when none was seen,
    and then `registrable` (the domain the reader checked, or its registrable part) is assumed.
    `a`, `aaaa` are the addresses public DNS gave; `cname` the chain from `name`, in order.
    `servers` are the server's addresses, `server_source` "given" or "inferred" (the engine's
    "apex" counts as inferred). `caa_node` is the node whose CAA set decided (CAA_FORBIDS,
    CAA_ACCOUNT_BOUND) and `caa_records` that set as (flags, tag, value). `good_target` is a name
    known to point at the server (e.g. the checked domain when it is fine), offered as the new
    CNAME target; "" when there is none.
    """
    owner = escape_name(name)
    registrable_zone = escape_name(registrable)
    found_zone = escape_name(zone) if zone else ""
    zone_assumed = not found_zone or not is_within(owner, found_zone)
    if zone_assumed:
        found_zone = registrable_zone if is_within(owner, registrable_zone) else owner
    ttl_source = "default" if ttl is None else "given"
    chosen_ttl = DEFAULT_TTL if ttl is None else max(MIN_TTL, min(MAX_TTL, int(ttl)))
    context = _Context(found_zone, zone_assumed, registrable_zone, chosen_ttl)
    code_set = tuple(dict.fromkeys(str(code) for code in codes))
    source = "given" if server_source == "given" else "inferred"
    server_addresses = sorted(_addresses(servers), key=lambda address: (address.version, address))
    server_v6 = [s for s in server_addresses if s.version == 6]
    chain = tuple(escape_name(target) for target in cname if target)

    steps: list[Step] = []
    alternatives: list[Option] = []
    notes: list[Note] = []
    if zone_assumed and zone:
        # The SOA seen is the zone of a CNAME target (or another name), not of this name.
        notes.append(Note("zone_assumed_other", {"zone": found_zone, "seen": escape_name(zone)}))
    elif zone_assumed:
        notes.append(Note("zone_assumed", {"zone": found_zone}))
    notes.append(Note(f"ttl_{ttl_source}", {"ttl": str(chosen_ttl)}))

    address_problem = bool(ADDRESS_CODES.intersection(code_set))
    if address_problem and not server_addresses:
        notes.append(Note("no_server_address"))
    if address_problem and chain:
        # A CNAME owns its name alone (RFC 1034 §3.6.2): an A beside it is refused or ignored.
        drop = Step("delete", context.record(owner, "CNAME", chain[0] + "."))
        adds = [
            Step("add", context.address(owner, address), source) for address in server_addresses
        ]
        alternatives.append(Option("replace_cname", (drop, *adds) if adds else ()))
        target = escape_name(good_target) if good_target else ""
        if target and target != owner and target not in chain[:1]:
            retarget = (drop, Step("add", context.record(owner, "CNAME", target + ".")))
            alternatives.append(Option("retarget_cname", retarget))
        else:
            alternatives.append(Option("retarget_cname", ()))
            shown = ", ".join(map(str, server_addresses))
            notes.append(Note("cname_retarget_words", {"servers": shown}))
    elif address_problem and server_addresses:
        # The name should end up with exactly the server's addresses, in both families.
        present = _addresses([*a, *aaaa])
        steps += [
            Step("delete", context.address(owner, address))
            for address in present
            if address not in server_addresses
        ]
        steps += [
            Step("add", context.address(owner, address), source)
            for address in server_addresses
            if address not in present
        ]
    if "AAAA_ELSEWHERE" in code_set and server_addresses and not server_v6:
        notes.append(Note("aaaa_no_server_v6"))

    if "CAA_FORBIDS" in code_set or "CAA_ACCOUNT_BOUND" in code_set:
        _caa_steps(owner, chain, code_set, provider, caa_node, caa_records, context, steps, notes)
    if "RESOLVERS_DISAGREE" in code_set:
        notes.append(Note("disagree_wait"))
    if "SERVFAIL" in code_set:
        notes.append(Note("servfail_other_advice"))
    if "LOOKUP_FAILED" in code_set:
        notes.append(Note("lookup_failed_other_advice"))
    if any(step.record.zone != found_zone for step in steps) or any(
        step.record.zone != found_zone for option in alternatives for step in option.steps
    ):
        notes.append(Note("other_zone"))
    return NameRecords(
        name=owner,
        codes=code_set,
        zone=found_zone,
        zone_assumed=zone_assumed,
        ttl=chosen_ttl,
        ttl_source=ttl_source,
        servers=tuple(str(s) for s in server_addresses),
        server_source=source,
        steps=tuple(steps),
        alternatives=tuple(alternatives),
        notes=tuple(notes),
    )


def _caa_steps(
    owner: str,
    chain: tuple[str, ...],
    codes: tuple[str, ...],
    provider: str,
    caa_node: str,
    caa_records: Sequence[tuple[int, str, str]],
    context: _Context,
    steps: list[Step],
    notes: list[Note],
) -> None:
    issuer = CAA_ISSUERS.get(provider, CAA_ISSUERS["letsencrypt"])
    node = escape_name(caa_node) if caa_node else owner
    if node == owner and chain:
        # The CAA lookup of a CNAME follows it: the set that decided lives at the chain's end.
        node = chain[-1]
        notes.append(Note("caa_at_cname_target", {"node": node}))
    critical = [
        (flags, tag, value)
        for flags, tag, value in caa_records
        if int(flags) & _CRITICAL_BITS and tag.lower() not in _KNOWN_CAA_TAGS
    ]
    for flags, tag, value in critical:
        steps.append(Step("delete", context.record(node, "CAA", caa_value(flags, tag, value))))
    has_issue = any(tag.lower() == "issue" for _flags, tag, _value in caa_records)
    if has_issue or not caa_records or not critical:
        steps.append(Step("add", context.record(node, "CAA", caa_value(0, "issue", issuer))))
    if "CAA_ACCOUNT_BOUND" in codes:
        notes.append(Note("caa_account_bound", {"node": node, "issuer": issuer}))


def records_of(result: CheckResult) -> list[NameRecords]:
    """The records to enter for every name of `result` with a finding, in check order."""
    apex = next((row for row in result.rows if row.name == result.domain), None)
    # A CNAME may be pointed at the domain itself once it is known to reach the server.
    good_target = result.domain if apex is not None and apex.status is RowStatus.OK else ""
    return [
        records_of_row(row, result, good_target=good_target) for row in result.rows if row.findings
    ]


def records_of_row(row: NameRow, result: CheckResult, *, good_target: str = "") -> NameRecords:
    node, caa = row.deciding_caa
    records = records_for(
        row.name,
        row.codes,
        registrable=row.why.addon or result.domain,
        zone=row.zone or None,
        a=row.a,
        aaaa=row.aaaa,
        cname=row.cname,
        servers=result.servers,
        server_source="given" if result.server_source == "given" else "inferred",
        provider=str(result.provider),
        caa_node=node,
        caa_records=[(record.flags, record.tag, record.value) for record in caa],
        good_target=good_target,
    )
    if row.ttl is None:
        return records
    # When public resolvers ask again at the latest: until then they (and the CA) see the answer
    # this check saw, whatever the DNS host now says.
    cached = Note("cached_for", {"seconds": str(row.ttl)})
    return dataclasses.replace(records, notes=(*records.notes, cached))
