"""From answers to findings: the stable codes, one row per name, the verdict and the exclude list.

Everything here is synchronous and pure: `evaluate_name` gets a lookup function that returns the
`Answer` or `LookupFailure` already collected for each (resolver, name, type).
"""

from __future__ import annotations

import enum
import ipaddress
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .caa import PROVIDER_NAMES, CaaVerdict, caa_nodes, judge_caa
from .inputs import resolver_label
from .names import PlannedName
from .wire import Answer, LookupFailure, Outcome


class Code(enum.StrEnum):
    NXDOMAIN = "NXDOMAIN"
    NO_ADDRESS = "NO_ADDRESS"
    ELSEWHERE = "ELSEWHERE"
    PARTIAL = "PARTIAL"
    AAAA_ELSEWHERE = "AAAA_ELSEWHERE"
    SERVFAIL = "SERVFAIL"
    CAA_FORBIDS = "CAA_FORBIDS"
    CAA_ACCOUNT_BOUND = "CAA_ACCOUNT_BOUND"
    RESOLVERS_DISAGREE = "RESOLVERS_DISAGREE"
    LOOKUP_FAILED = "LOOKUP_FAILED"


CODE_ORDER = {code: index for index, code in enumerate(Code)}


class Verdict(enum.StrEnum):
    OK = "ok"
    ACTION_NEEDED = "action_needed"
    INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True, slots=True, eq=False)
class Detail:
    """One fact behind a finding or a note; texts.py words it in either language."""

    key: str
    params: Mapping[str, str] = field(default_factory=dict)
    failure: LookupFailure | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Finding:
    code: Code
    details: tuple[Detail, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class NameRow:
    name: str
    why: str
    a: tuple[str, ...] = ()
    aaaa: tuple[str, ...] = ()
    cname: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    notes: tuple[Detail, ...] = ()

    @property
    def codes(self) -> list[str]:
        return [str(finding.code) for finding in self.findings]

    @property
    def ok(self) -> bool:
        return not self.findings


Lookup = Callable[[str, str, str], Outcome]  # (resolver URL, name, type) -> outcome


def verdict(rows: Iterable[NameRow]) -> Verdict:
    codes = {code for row in rows for code in row.codes}
    if codes - {Code.LOOKUP_FAILED}:
        return Verdict.ACTION_NEEDED
    if Code.LOOKUP_FAILED in codes:
        return Verdict.INCONCLUSIVE
    return Verdict.OK


def exclude(rows: Iterable[NameRow]) -> list[str]:
    return sorted({row.name for row in rows if set(row.codes) - {Code.LOOKUP_FAILED}})


def server_addresses(resolvers: Sequence[str], apex: str, lookup: Lookup) -> list[str]:
    """The apex's own A and AAAA addresses (union over resolvers), used when none were given."""
    found: list[str] = []
    for rdtype in ("A", "AAAA"):
        for resolver in resolvers:
            outcome = lookup(resolver, apex, rdtype)
            if isinstance(outcome, Answer) and outcome.rcode == "NOERROR":
                found += [address for address in outcome.addresses if address not in found]
    return found


class _Collector:
    def __init__(self) -> None:
        self.by_code: dict[Code, list[Detail]] = {}
        self.notes: list[Detail] = []

    def add(
        self, code: Code, key: str, failure: LookupFailure | None = None, **params: str
    ) -> None:
        self.by_code.setdefault(code, []).append(Detail(key, params, failure))

    def note(self, key: str, failure: LookupFailure | None = None, **params: str) -> None:
        self.notes.append(Detail(key, params, failure))

    def merge_servfails(self) -> None:
        """One sentence per (resolver, EDE) instead of one per query type."""
        details = self.by_code.get(Code.SERVFAIL)
        if not details:
            return
        grouped: dict[tuple[str, str], list[str]] = {}
        for detail in details:
            params = detail.params
            what = params.get("rdtype") or f"CAA ({params.get('node', '')})"
            grouped.setdefault((params.get("resolver", ""), params.get("ede", "")), []).append(what)
        self.by_code[Code.SERVFAIL] = [
            Detail("servfail", {"resolver": resolver, "ede": ede, "rdtype": ", ".join(whats)})
            for (resolver, ede), whats in grouped.items()
        ]

    def merge_failures(self) -> None:
        """One sentence per distinct failure, naming every query it hit (A, AAAA, CAA (node))."""
        if Code.LOOKUP_FAILED in self.by_code:
            self.by_code[Code.LOOKUP_FAILED] = _merge(self.by_code[Code.LOOKUP_FAILED], "failed")
        self.notes = [n for n in self.notes if n.failure is None] + _merge(
            [n for n in self.notes if n.failure is not None], "resolver_failed"
        )

    def findings(self) -> tuple[Finding, ...]:
        ordered = sorted(self.by_code.items(), key=lambda item: CODE_ORDER[item[0]])
        return tuple(Finding(code, tuple(details)) for code, details in ordered)


def _merge(details: list[Detail], key: str) -> list[Detail]:
    grouped: dict[tuple[object, ...], list[Detail]] = {}
    for detail in details:
        failure = detail.failure
        assert failure is not None
        ident = (
            failure.kind,
            failure.resolver,
            failure.detail,
            failure.retried,
            detail.params.get("used", ""),
        )
        grouped.setdefault(ident, []).append(detail)
    merged = []
    for group in grouped.values():
        whats = [d.params.get("rdtype") or f"CAA ({d.params.get('node', '')})" for d in group]
        params = {"what": ", ".join(whats), "used": group[0].params.get("used", "")}
        merged.append(Detail(key, params, group[0].failure))
    return merged


def _in_address_order(addresses: Iterable[str]) -> tuple[str, ...]:
    # Resolvers shuffle record sets; sorted output keeps reports and JSON stable between runs.
    return tuple(sorted(addresses, key=ipaddress.ip_address))


def _union(answers: Iterable[Answer]) -> list[str]:
    merged: list[str] = []
    for answer in answers:
        merged += [address for address in answer.addresses if address not in merged]
    return merged


def _view(label: str, answer: Answer) -> str:
    shown = "NXDOMAIN" if answer.rcode == "NXDOMAIN" else (", ".join(answer.addresses) or "—")
    ttl = f" (TTL {answer.ttl} s)" if answer.ttl is not None else ""
    return f"{label}: {shown}{ttl}"


def evaluate_name(
    planned: PlannedName,
    resolvers: Sequence[str],
    lookup: Lookup,
    servers: Sequence[str],
    provider: str,
) -> NameRow:
    name = planned.name
    found = _Collector()
    server_set = set(servers)
    definite: dict[str, list[Answer]] = {}
    chain: tuple[str, ...] = ()

    for rdtype in ("A", "AAAA"):
        answers: list[tuple[str, Answer]] = []
        failures: list[tuple[str, LookupFailure]] = []
        for resolver in resolvers:
            outcome = lookup(resolver, name, rdtype)
            label = resolver_label(resolver)
            if isinstance(outcome, Answer):
                answers.append((label, outcome))
            else:
                failures.append((label, outcome))
        if not answers:
            for _label, failure in failures:
                found.add(Code.LOOKUP_FAILED, "failed_type", failure, rdtype=rdtype)
        else:
            for _label, failure in failures:
                found.note("resolver_failed", failure, rdtype=rdtype, used=answers[0][0])
        for label, answer in answers:
            if answer.rcode == "SERVFAIL":
                found.add(Code.SERVFAIL, "servfail", rdtype=rdtype, resolver=label, ede=answer.ede)
        settled = [(label, a) for label, a in answers if a.rcode != "SERVFAIL"]
        definite[rdtype] = [answer for _label, answer in settled]
        if not chain:
            chain = next((a.cname for _label, a in settled if a.cname), ())
        views = {(a.rcode, frozenset(a.addresses)) for _label, a in settled}
        if len(views) > 1 and _addresses_differ(a for _label, a in settled):
            found.add(
                Code.RESOLVERS_DISAGREE,
                "disagree",
                rdtype=rdtype,
                views="; ".join(_view(label, a) for label, a in settled),
            )

    a_union = _union(definite["A"])
    aaaa_union = _union(definite["AAAA"])
    all_definite = definite["A"] + definite["AAAA"]
    if all_definite and all(answer.rcode == "NXDOMAIN" for answer in all_definite):
        if chain:
            found.add(Code.NXDOMAIN, "nxdomain_target", name=name, target=chain[-1])
        else:
            found.add(Code.NXDOMAIN, "nxdomain", name=name)
    elif definite["A"] and definite["AAAA"] and not a_union and not aaaa_union:
        found.add(Code.NO_ADDRESS, "no_address", name=name)

    if server_set:
        on_server = [address for address in a_union if address in server_set]
        elsewhere = [address for address in a_union if address not in server_set]
        shown_servers = ", ".join(servers)
        if elsewhere and not on_server:
            found.add(
                Code.ELSEWHERE, "elsewhere", addresses=", ".join(elsewhere), servers=shown_servers
            )
        elif elsewhere:
            found.add(
                Code.PARTIAL,
                "partial",
                matching=", ".join(on_server),
                others=", ".join(elsewhere),
                servers=shown_servers,
            )
        aaaa_elsewhere = [address for address in aaaa_union if address not in server_set]
        if aaaa_elsewhere:
            has_v6 = any(":" in address for address in servers)
            found.add(
                Code.AAAA_ELSEWHERE,
                "aaaa_elsewhere" if has_v6 else "aaaa_no_server_v6",
                addresses=", ".join(aaaa_elsewhere),
                servers=shown_servers,
            )
    elif a_union or aaaa_union:
        found.note("no_server")

    _evaluate_caa(name, resolvers, lookup, provider, found)
    found.merge_servfails()
    found.merge_failures()
    return NameRow(
        name=name,
        why=planned.why,
        a=_in_address_order(a_union),
        aaaa=_in_address_order(aaaa_union),
        cname=chain,
        findings=found.findings(),
        notes=tuple(found.notes),
    )


def _addresses_differ(answers: Iterable[Answer]) -> bool:
    """Different address sets; NXDOMAIN and an empty NOERROR both mean "no address" here."""
    return len({frozenset(answer.addresses) for answer in answers}) > 1


def _evaluate_caa(
    name: str, resolvers: Sequence[str], lookup: Lookup, provider: str, found: _Collector
) -> None:
    completed: list[str] = []
    failed: list[tuple[str, str, LookupFailure]] = []
    forbidding: tuple[Code, Detail] | None = None
    for resolver in resolvers:
        label = resolver_label(resolver)
        for node in caa_nodes(name):
            outcome = lookup(resolver, node, "CAA")
            if isinstance(outcome, LookupFailure):
                failed.append((label, node, outcome))
                break
            if outcome.rcode == "SERVFAIL":
                found.add(Code.SERVFAIL, "servfail_caa", node=node, resolver=label, ede=outcome.ede)
                completed.append(label)
                break
            if outcome.caa:
                judged = judge_caa(node, outcome.caa, provider)
                if not judged.allowed and forbidding is None:
                    forbidding = _caa_finding(judged, provider)
                completed.append(label)
                break
        else:
            completed.append(label)
    if forbidding is not None:
        found.by_code.setdefault(forbidding[0], []).append(forbidding[1])
    if not completed:
        for _label, node, failure in failed:
            found.add(Code.LOOKUP_FAILED, "failed_caa", failure, node=node)
    else:
        for _label, node, failure in failed:
            found.note("caa_resolver_failed", failure, node=node, used=completed[0])


def _caa_finding(judged: CaaVerdict, provider: str) -> tuple[Code, Detail]:
    """CAA that refuses the CA, or (account_bound) lets only one Let's Encrypt account issue."""
    code = Code.CAA_ACCOUNT_BOUND if judged.reason == "account_bound" else Code.CAA_FORBIDS
    params = {
        "node": judged.node,
        "provider": PROVIDER_NAMES[provider],
        "detail": judged.detail,
        "records": "; ".join(r.as_text() for r in judged.records),
    }
    return code, Detail(f"caa_{judged.reason}", params)
