"""From answers to findings: the stable codes, one row per name, each with the facts behind it.

Everything here is synchronous and pure: `evaluate_name` gets a lookup function that returns the
`Answer` or `LookupFailure` already collected for each (resolver, name, type). Nothing here is a
sentence; `texts` words the facts.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Callable, Iterable, Sequence

from .caa import CaaVerdict, caa_nodes, judge_caa
from .known_proxies import MAX_REDIRECTS, Coverage, classify, cloudflare_ranges
from .model import (
    CODE_ORDER,
    FACT_PARAMS,
    Answer,
    Code,
    Ede,
    Fact,
    Finding,
    KnownProxy,
    LookupFailure,
    NameRow,
    Outcome,
    Param,
    PlannedName,
    Provider,
    QueryRef,
    ResolverId,
    ResolverView,
)

Lookup = Callable[[ResolverId, str, str], Outcome]  # (resolver, name, type) -> outcome


def server_addresses(resolvers: Sequence[ResolverId], apex: str, lookup: Lookup) -> list[str]:
    """The apex's own A and AAAA addresses (union over resolvers), used when none were given."""
    found: list[str] = []
    for rdtype in ("A", "AAAA"):
        for resolver in resolvers:
            outcome = lookup(resolver, apex, rdtype)
            if isinstance(outcome, Answer) and outcome.rcode == "NOERROR":
                found += [address for address in outcome.addresses if address not in found]
    return found


class _Collector:
    """Facts by code as they are found, merged into one fact per cause at the end."""

    def __init__(self) -> None:
        self.by_code: dict[Code, list[Fact]] = {}
        self.servfails: dict[tuple[ResolverId, tuple[Ede, ...]], list[QueryRef]] = {}
        # (failure, retried, resolver used instead or None) -> the queries it hit
        self.failures: dict[tuple[LookupFailure, bool, ResolverId | None], list[QueryRef]] = {}
        self.notes: list[Fact] = []

    def add(self, code: Code, key: str, **params: Param) -> None:
        self.by_code.setdefault(code, []).append(Fact(key, params))

    def servfail(self, resolver: ResolverId, query: QueryRef, answer: Answer) -> None:
        """One fact per (resolver, EDE) instead of one per query."""
        self.servfails.setdefault((resolver, answer.ede), []).append(query)

    def failure(self, failure: LookupFailure, query: QueryRef, used: ResolverId | None) -> None:
        """One fact per distinct failure, naming every query it hit (A, AAAA, CAA at a node)."""
        self.failures.setdefault((failure, failure.retried, used), []).append(query)

    def row(
        self,
        planned: PlannedName,
        *,
        a: tuple[str, ...],
        aaaa: tuple[str, ...],
        cname: tuple[str, ...],
    ) -> NameRow:
        for (resolver, ede), queries in self.servfails.items():
            params: dict[str, Param] = {"resolver": resolver, "queries": tuple(queries)}
            if ede:
                params["ede"] = ede
            self.by_code.setdefault(Code.SERVFAIL, []).append(
                Fact("servfail.ede" if ede else "servfail", params)
            )
        notes = list(self.notes)
        for (failure, _retried, used), queries in self.failures.items():
            if used is None:
                reason = failure.fact()
                self.add(Code.LOOKUP_FAILED, "failed", queries=tuple(queries), reason=reason)
            else:
                notes.append(
                    Fact(
                        "resolver_failed",
                        {"queries": tuple(queries), "reason": failure.fact(), "used": used},
                    )
                )
        ordered = sorted(self.by_code.items(), key=lambda item: CODE_ORDER[item[0]])
        return NameRow(
            name=planned.name,
            why=planned.why,
            findings=tuple(Finding(code, tuple(facts)) for code, facts in ordered),
            notes=tuple(notes),
            a=a,
            aaaa=aaaa,
            cname=cname,
        )


def past_max_domains(row: NameRow, website: str, count: int, limit: int) -> NameRow:
    """The row of a name past the `limit`-th of its website (`names.over_limit`), flagged as
    AutoSSL flags the website: CERTIFICATE_HAS_MAX_DOMAINS, this name left out."""
    fact = Fact("max_domains", {"website": website, "count": count, "limit": limit})
    flagged = (*row.findings, Finding(Code.MAX_DOMAINS, (fact,)))
    return dataclasses.replace(
        row, findings=tuple(sorted(flagged, key=lambda finding: CODE_ORDER[finding.code]))
    )


def _in_address_order(addresses: Iterable[str]) -> tuple[str, ...]:
    # Resolvers shuffle record sets; sorted output keeps reports and JSON stable between runs.
    return tuple(sorted(addresses, key=ipaddress.ip_address))


def _union(answers: Iterable[Answer]) -> list[str]:
    merged: list[str] = []
    for answer in answers:
        merged += [address for address in answer.addresses if address not in merged]
    return merged


def evaluate_name(
    planned: PlannedName,
    resolvers: Sequence[ResolverId],
    lookup: Lookup,
    servers: Sequence[str],
    provider: Provider,
) -> NameRow:
    name = planned.name
    found = _Collector()
    server_set = set(servers)
    definite: dict[str, list[Answer]] = {}
    chain: tuple[str, ...] = ()

    for rdtype in ("A", "AAAA"):
        query = QueryRef(rdtype)
        answers: list[tuple[ResolverId, Answer]] = []
        failures: list[LookupFailure] = []
        for resolver in resolvers:
            outcome = lookup(resolver, name, rdtype)
            if isinstance(outcome, Answer):
                answers.append((resolver, outcome))
            else:
                failures.append(outcome)
        used = answers[0][0] if answers else None
        for failure in failures:
            found.failure(failure, query, used)
        for resolver, answer in answers:
            if answer.rcode == "SERVFAIL":
                found.servfail(resolver, query, answer)
        settled = [(resolver, a) for resolver, a in answers if a.rcode != "SERVFAIL"]
        definite[rdtype] = [answer for _resolver, answer in settled]
        if not chain:
            chain = next((a.cname for _resolver, a in settled if a.cname), ())
        views = {(a.rcode, frozenset(a.addresses)) for _resolver, a in settled}
        if len(views) > 1 and _addresses_differ(a for _resolver, a in settled):
            found.add(
                Code.RESOLVERS_DISAGREE,
                "disagree",
                rdtype=rdtype,
                views=tuple(ResolverView(r, a.rcode, a.addresses, a.ttl) for r, a in settled),
            )

    a_union = _union(definite["A"])
    aaaa_union = _union(definite["AAAA"])
    all_definite = definite["A"] + definite["AAAA"]
    if all_definite and all(answer.rcode == "NXDOMAIN" for answer in all_definite):
        if chain:
            found.add(Code.NXDOMAIN, "nxdomain_target", target=chain[-1])
        else:
            found.add(Code.NXDOMAIN, "nxdomain", name=name)
    elif definite["A"] and definite["AAAA"] and not a_union and not aaaa_union:
        found.add(Code.NO_ADDRESS, "no_address", name=name)

    # The proxy's addresses are not the server's, yet the CA fetches through it: comparing them
    # with the server would diagnose the wrong thing.
    proxied = _behind_proxy(a_union, aaaa_union, servers, provider, found)
    if server_set and not proxied:
        on_server = tuple(address for address in a_union if address in server_set)
        elsewhere = tuple(address for address in a_union if address not in server_set)
        shown_servers = tuple(servers)
        if elsewhere and not on_server:
            found.add(Code.ELSEWHERE, "elsewhere", addresses=elsewhere, servers=shown_servers)
        elif elsewhere:
            found.add(Code.PARTIAL, "partial", matching=on_server, others=elsewhere)
        aaaa_elsewhere = tuple(address for address in aaaa_union if address not in server_set)
        if aaaa_elsewhere:
            has_v6 = any(":" in address for address in servers)
            found.add(
                Code.AAAA_ELSEWHERE,
                "aaaa_elsewhere" if has_v6 else "aaaa_no_server_v6",
                addresses=aaaa_elsewhere,
                servers=shown_servers,
            )
    elif not server_set and not proxied and (a_union or aaaa_union):
        found.notes.append(Fact("no_server"))

    _evaluate_caa(name, resolvers, lookup, provider, found)
    return found.row(
        planned,
        a=_in_address_order(a_union),
        aaaa=_in_address_order(aaaa_union),
        cname=chain,
    )


def _behind_proxy(
    a: Sequence[str],
    aaaa: Sequence[str],
    servers: Sequence[str],
    provider: Provider,
    found: _Collector,
) -> bool:
    """BEHIND_PROXY when every address of the name is Cloudflare's (ADR-9): it stands in for
    ELSEWHERE, PARTIAL and AAAA_ELSEWHERE, since cPanel and the CA both fetch through the proxy.
    A partly proxied name keeps the DNS findings."""
    classified = classify(a, aaaa)
    if classified.coverage is not Coverage.ALL:
        return False
    code = Code.BEHIND_PROXY
    proxy = KnownProxy(classified.proxy)
    found.add(code, "behind_proxy", addresses=classified.proxied, proxy=proxy)
    redirects = MAX_REDIRECTS[provider]
    if redirects:
        found.add(code, "behind_proxy.redirects", provider=provider, redirects=redirects)
    else:
        found.add(code, "behind_proxy.no_redirect", provider=provider)
    if classified.ipv4_fallback:
        found.add(code, "behind_proxy.ipv4_fallback")
    if any(cloudflare_ranges().contains(server) for server in servers):
        found.add(code, "behind_proxy.server_is_proxy")
    return True


def _addresses_differ(answers: Iterable[Answer]) -> bool:
    """Different address sets; NXDOMAIN and an empty NOERROR both mean "no address" here."""
    return len({frozenset(answer.addresses) for answer in answers}) > 1


def caa_finding(judged: CaaVerdict, provider: Provider) -> tuple[Code, Fact]:
    """The code and fact of a CAA set that does not simply let `provider` issue."""
    # One account only: AutoSSL's own may be it, which no lookup can tell.
    code = Code.CAA_ACCOUNT_BOUND if judged.reason == "account_bound" else Code.CAA_FORBIDS
    reason, detail = judged.reason, judged.detail
    params: dict[str, Param]
    if reason == "not_listed":
        issuers = tuple(issuer.strip() for issuer in detail.split(","))
        params = {"provider": provider, "issuers": issuers}
    elif reason == "method":
        params = {"provider": provider, "methods": detail}
    elif reason == "critical":
        params = {"tag": detail}
    else:
        # The other reasons name the provider and the detail as far as their sentence does.
        available: dict[str, Param] = {"provider": provider, "detail": detail}
        wanted = FACT_PARAMS[f"caa.{reason}"] - {"node", "records"}
        params = {name: available[name] for name in wanted}
    records: tuple[Param, ...] = tuple(judged.records)
    return code, Fact(f"caa.{reason}", {"node": judged.node, "records": records, **params})


def _evaluate_caa(
    name: str,
    resolvers: Sequence[ResolverId],
    lookup: Lookup,
    provider: Provider,
    found: _Collector,
) -> None:
    completed: list[ResolverId] = []
    failed: list[tuple[str, LookupFailure]] = []
    forbidding: tuple[Code, Fact] | None = None
    for resolver in resolvers:
        for node in caa_nodes(name):
            outcome = lookup(resolver, node, "CAA")
            if isinstance(outcome, LookupFailure):
                failed.append((node, outcome))
                break
            if outcome.rcode == "SERVFAIL":
                found.servfail(resolver, QueryRef("CAA", node), outcome)
                completed.append(resolver)
                break
            if outcome.caa:
                judged = judge_caa(node, outcome.caa, provider)
                if not judged.allowed and forbidding is None:
                    forbidding = caa_finding(judged, provider)
                completed.append(resolver)
                break
        else:
            completed.append(resolver)
    if forbidding is not None:
        found.by_code.setdefault(forbidding[0], []).append(forbidding[1])
    used = completed[0] if completed else None
    for node, failure in failed:
        found.failure(failure, QueryRef("CAA", node), used)
