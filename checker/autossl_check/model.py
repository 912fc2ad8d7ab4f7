"""The checker's values, in no language: what was asked, what came back, what it means.

Nothing here imports from the package, and nothing here is a sentence: a `Fact` is a text key with
typed parameters (numbers, names, tuples, other facts) that `texts` words in the reader's language.
`FACT_PARAMS` says which parameters each key carries; a fact built otherwise is a bug and fails at
once, and a test holds `texts` to the same table in both languages.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias, Union
from urllib.parse import urlsplit

# --- resolvers, names and why AutoSSL asks for them -------------------------------------------


@dataclass(frozen=True, slots=True)
class ResolverId:
    """A DoH resolver: its URL, and the short form people recognise (host, port, odd path)."""

    url: str
    label: str

    @classmethod
    def from_url(cls, url: str) -> ResolverId:
        return cls(url, _resolver_label(url))


def _resolver_label(url: str) -> str:
    try:
        parts = urlsplit(url)
        host = parts.hostname or url
        port = parts.port
    except ValueError:
        return url
    if ":" in host:
        host = f"[{host}]"
    shown = f"{host}:{port}" if port else host
    if parts.path not in ("", "/dns-query"):
        shown += parts.path
    return shown


class Rule(enum.StrEnum):
    """Why AutoSSL puts a name in the order. The values are schema 1's `why` keys."""

    DOMAIN = "domain"
    WWW = "www"
    MAIL = "mail"
    CPANEL = "service:cpanel"
    WEBMAIL = "service:webmail"
    WEBDISK = "service:webdisk"
    CPCALENDARS = "service:cpcalendars"
    CPCONTACTS = "service:cpcontacts"
    AUTODISCOVER = "autodiscover"
    RESELLER_WHM = "reseller:whm"
    SUBDOMAIN = "subdomain"
    SUBDOMAIN_WWW = "subdomain:www"
    SERVERALIAS = "serveralias"  # a name cPanel lists among the virtual host's aliases
    LOGGED = "log"  # a name AutoSSL's log mentions for the account (--from-log)
    NAMED = "name"  # a name a checker link lists as it is (name=), nothing added


SERVICE_RULES = frozenset(
    {
        Rule.CPANEL,
        Rule.WEBMAIL,
        Rule.WEBDISK,
        Rule.CPCALENDARS,
        Rule.CPCONTACTS,
        Rule.AUTODISCOVER,
        Rule.RESELLER_WHM,
    }
)


@dataclass(frozen=True, slots=True)
class Why:
    """The rule that added a name; `addon` is the addon domain whose names it belongs to,
    `parked` the parked domain (an alias riding on the main domain's website)."""

    rule: Rule
    addon: str | None = None
    parked: str | None = None

    def __post_init__(self) -> None:
        if self.addon is not None and self.parked is not None:
            raise ValueError("a name belongs to an addon domain or to a parked one, not both")

    @property
    def key(self) -> str:
        """Schema 1's string: `www`, `addon` (an addon domain itself), `addon:www`, `parked`,
        `parked:mail`..."""
        role = "addon" if self.addon is not None else "parked" if self.parked is not None else ""
        if not role:
            return str(self.rule)
        return role if self.rule is Rule.DOMAIN else f"{role}:{self.rule}"

    @property
    def is_service(self) -> bool:
        return self.rule in SERVICE_RULES


@dataclass(frozen=True, slots=True)
class PlannedName:
    name: str
    why: Why


class Provider(enum.StrEnum):
    LETSENCRYPT = "letsencrypt"
    SECTIGO = "sectigo"


@dataclass(frozen=True, slots=True)
class KnownProxy:
    """A proxy whose address ranges are shipped (`known_proxies`): its data key, not its name."""

    key: str


class Subject(enum.StrEnum):
    """What a refused value was meant to be."""

    DOMAIN = "domain"
    ADDON = "addon domain"
    SUBDOMAIN = "subdomain"
    SERVER = "server address"
    RESOLVER = "resolver"
    LINK = "link"
    NAME = "name"


# --- answers and failures ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaaRecord:
    flags: int
    tag: str
    value: str

    def as_text(self) -> str:
        """Zone-file presentation form (DNS data, not words)."""
        return f'{self.flags} {self.tag} "{self.value}"'


@dataclass(frozen=True, slots=True)
class Ede:
    """An Extended DNS Error (RFC 8914): the code, and the resolver's own text (may be empty)."""

    code: int
    text: str = ""


@dataclass(frozen=True, slots=True)
class Answer:
    """A usable DNS response for one (name, type) from one resolver."""

    rcode: str  # "NOERROR", "NXDOMAIN" or "SERVFAIL"
    cname: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    caa: tuple[CaaRecord, ...] = ()
    # How long resolvers cache this answer: the records' TTL, or for NXDOMAIN / NODATA the
    # negative TTL (RFC 2308 §5: the smaller of the SOA's TTL and its MINIMUM field).
    ttl: int | None = None
    ede: tuple[Ede, ...] = ()
    # The owner of the SOA record in the authority section: the zone the name (or, after a CNAME,
    # its target) lives in. Empty when the answer carried none.
    zone: str = ""


class FailureKind(enum.StrEnum):
    HTTP_STATUS = "http_status"
    HTML = "html"
    CONTENT_TYPE = "content_type"
    NO_CONTENT_TYPE = "no_content_type"
    EMPTY = "empty"
    NOT_DNS = "not_dns"
    NOT_RESPONSE = "not_response"
    WRONG_ID = "wrong_id"
    WRONG_QUESTION = "wrong_question"
    QUESTION_COUNT = "question_count"
    TRUNCATED = "truncated"
    CNAME_LOOP = "cname_loop"
    CNAME_CHAIN_TOO_LONG = "cname_chain_too_long"
    RCODE = "rcode"
    TIMEOUT = "timeout"
    UNRESPONSIVE = "unresponsive"
    CLOSED = "closed"
    REFUSED = "refused"
    TLS = "tls"
    NETWORK = "network"
    PROXY = "proxy"
    TOO_LARGE = "too_large"
    BLOCKED = "blocked"
    DEADLINE = "deadline"
    INTERNAL = "internal"


# What each kind carries besides the resolver. Kinds with a transport's free-text cause take it
# only when there is one (`cause`; see LookupFailure.fact).
FAILURE_PARAMS: dict[FailureKind, tuple[str, ...]] = {
    FailureKind.HTTP_STATUS: ("status",),
    FailureKind.CONTENT_TYPE: ("content_type",),
    FailureKind.WRONG_ID: ("id",),
    FailureKind.WRONG_QUESTION: ("question",),
    FailureKind.QUESTION_COUNT: ("count",),
    FailureKind.CNAME_CHAIN_TOO_LONG: ("limit",),
    FailureKind.RCODE: ("rcode",),
    FailureKind.TIMEOUT: ("seconds",),
    FailureKind.UNRESPONSIVE: ("seconds",),
    FailureKind.DEADLINE: ("seconds",),
    FailureKind.INTERNAL: ("error",),
}
FAILURES_WITH_CAUSE = frozenset({FailureKind.TLS, FailureKind.NETWORK, FailureKind.PROXY})
RETRYABLE = frozenset(
    {FailureKind.TIMEOUT, FailureKind.CLOSED, FailureKind.REFUSED, FailureKind.NETWORK}
)


@dataclass(frozen=True, slots=True)
class LookupFailure:
    """No usable answer from `resolver`; `params` as FAILURE_PARAMS says, `cause` free text."""

    kind: FailureKind
    resolver: ResolverId
    params: tuple[tuple[str, int | float | str], ...] = ()
    cause: str = ""
    retry_after: float | None = field(default=None, compare=False)
    retried: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        names = tuple(name for name, _value in self.params)
        if names != FAILURE_PARAMS.get(self.kind, ()):
            raise ValueError(f"{self.kind} carries {FAILURE_PARAMS.get(self.kind, ())}: {names}")
        if self.cause and self.kind not in FAILURES_WITH_CAUSE:
            raise ValueError(f"{self.kind} carries no cause")

    def param(self, name: str) -> int | float | str:
        return dict(self.params)[name]

    @property
    def retryable(self) -> bool:
        if self.kind in RETRYABLE:
            return True
        if self.kind is FailureKind.HTTP_STATUS:
            status = int(self.param("status"))
            return status == 429 or 500 <= status < 600
        return False

    def again(self) -> LookupFailure:
        """The same failure, seen on the retry too."""
        return LookupFailure(self.kind, self.resolver, self.params, self.cause, retried=True)

    def fact(self) -> Fact:
        """The failure as a fact: `fail.<kind>` (an HTTP status with its own words, a cause)."""
        params: dict[str, Param] = {"resolver": self.resolver, **dict(self.params)}
        key = f"fail.{self.kind}"
        if self.kind is FailureKind.HTTP_STATUS and params["status"] in (404, 429):
            key = f"fail.http_{params.pop('status')}"
        if self.cause:
            key += ".cause"
            params["cause"] = self.cause
        described = Fact(key, params)
        return Fact("after_retry", {"reason": described}) if self.retried else described


Outcome = Answer | LookupFailure


# --- facts ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueryRef:
    """One query of a name: its own A/AAAA, or CAA at `node` (the name or an ancestor)."""

    rdtype: str
    node: str = ""


@dataclass(frozen=True, slots=True)
class ResolverView:
    """What one resolver answered for a name and type (when resolvers disagree)."""

    resolver: ResolverId
    rcode: str
    addresses: tuple[str, ...]
    ttl: int | None


Param: TypeAlias = Union[
    str,
    int,
    float,
    ResolverId,
    QueryRef,
    ResolverView,
    CaaRecord,
    Ede,
    Provider,
    KnownProxy,
    Subject,
    "Fact",
    tuple["Param", ...],
]

_FAILURE_KEYS: dict[str, frozenset[str]] = {
    f"fail.{kind}": frozenset({"resolver", *FAILURE_PARAMS.get(kind, ())}) for kind in FailureKind
}
_FAILURE_KEYS |= {
    f"fail.{kind}.cause": frozenset({"resolver", "cause"}) for kind in FAILURES_WITH_CAUSE
}
_FAILURE_KEYS |= {f"fail.http_{status}": frozenset({"resolver"}) for status in (404, 429)}

_INPUT_KEYS: dict[str, frozenset[str]] = {
    f"input.{key}": frozenset(params)
    for key, params in {
        "not_text": ("what",),
        "too_long_raw": ("what", "length", "limit"),
        "empty": ("what",),
        "unreadable_url": ("value",),
        "no_host": ("value",),
        "is_ip": ("value",),
        "too_long_host": ("what", "limit"),
        "wildcard": ("value",),
        "invalid_name": ("value",),
        "single_label": ("value",),
        "server_zone": ("value",),
        "server_invalid": ("value",),
        "resolver_unknown": ("value",),
        "resolver_unknown_cli": ("value",),
        "resolver_plain_http": ("value",),
        "resolver_bad_url": ("value",),
        "name_too_long": ("value",),
        "too_many_names": ("limit",),
        "provider_unknown": ("value",),
        "no_resolver": (),
        "bad_time_limit": ("limit",),
        "bad_in_flight": ("limit",),
        "domain_missing": (),
        "param_repeated": ("value",),
        "param_bad_value": ("name", "value"),
        "link_too_long": ("length", "limit"),
        "link_unreadable": (),
        "link_too_many_names": ("count", "limit"),
        "link_names_with": ("param", "value"),
    }.items()
}

# Every fact key and exactly the parameters it carries.
FACT_PARAMS: dict[str, frozenset[str]] = {
    # findings
    "nxdomain": frozenset({"name"}),
    "nxdomain_target": frozenset({"target"}),
    "no_address": frozenset({"name"}),
    "elsewhere": frozenset({"addresses", "servers"}),
    "partial": frozenset({"matching", "others"}),
    "aaaa_elsewhere": frozenset({"addresses", "servers"}),
    "aaaa_no_server_v6": frozenset({"addresses", "servers"}),
    "servfail": frozenset({"resolver", "queries"}),
    "servfail.ede": frozenset({"resolver", "queries", "ede"}),
    "disagree": frozenset({"rdtype", "views"}),
    "caa.not_listed": frozenset({"node", "provider", "issuers", "records"}),
    "caa.forbids_all": frozenset({"node", "records"}),
    "caa.critical": frozenset({"node", "tag", "records"}),
    "caa.method": frozenset({"node", "provider", "methods", "records"}),
    "caa.issuer_spelling": frozenset({"node", "detail", "records"}),
    "caa.account_empty": frozenset({"node", "provider", "records"}),
    "caa.method_empty": frozenset({"node", "provider", "records"}),
    **{
        f"caa.{reason}": frozenset({"node", "provider", "detail", "records"})
        for reason in (
            "params_malformed",
            "value_malformed",
            "account_repeated",
            "account_foreign",
            "account_bound",
            "method_repeated",
            "method_malformed",
            "method_case",
        )
    },
    "failed": frozenset({"queries", "reason"}),
    "behind_proxy": frozenset({"addresses", "proxy"}),
    "behind_proxy.redirects": frozenset({"provider", "redirects"}),
    "behind_proxy.no_redirect": frozenset({"provider"}),
    "behind_proxy.ipv4_fallback": frozenset(),
    "behind_proxy.server_is_proxy": frozenset(),
    # notes
    "resolver_failed": frozenset({"queries", "reason", "used"}),
    "no_server": frozenset(),
    "max_domains": frozenset({"website", "count", "limit"}),
    # cPanel's own HTTP check of the name, from its AutoSSL log
    "cpanel.http_ok": frozenset(),
    "cpanel.http_ok_via": frozenset({"via"}),
    "cpanel.http_error": frozenset({"reason"}),
    # a failure seen twice
    "after_retry": frozenset({"reason"}),
    **_FAILURE_KEYS,
    **_INPUT_KEYS,
}


@dataclass(frozen=True, slots=True, eq=False)
class Fact:
    """One thing seen, for `texts` to word: a key of FACT_PARAMS and exactly its parameters."""

    key: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def __post_init__(self) -> None:
        wanted = FACT_PARAMS.get(self.key)
        if wanted is None:
            raise KeyError(f"unknown fact {self.key!r}")
        if set(self.params) != wanted:
            raise ValueError(f"fact {self.key!r} takes {sorted(wanted)}, got {sorted(self.params)}")


class InputError(ValueError):
    """A value was refused: the fact `input.<key>`. `texts.fact_text` words it for a reader;
    `str()` (for logs only) is the key and the parameters."""

    def __init__(self, key: str, **params: Param) -> None:
        self.fact = Fact(f"input.{key}", params)
        self.key = key
        self.params = params
        super().__init__(f"{key} {params}" if params else key)


# --- findings, rows and the result ------------------------------------------------------------


class Severity(enum.StrEnum):
    PROBLEM = "problem"  # validation will fail unless something changes
    UNKNOWN = "unknown"  # nothing could be learnt
    CHECK = "check"  # may pass or fail on something DNS cannot show (a proxy in front)
    INFO = "info"  # worth saying; changes nothing


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
    BEHIND_PROXY = "BEHIND_PROXY"
    # More names on the name's website than AutoSSL puts in one certificate (its impediment
    # CERTIFICATE_HAS_MAX_DOMAINS): the names past the limit are left out.
    MAX_DOMAINS = "MAX_DOMAINS"

    @property
    def severity(self) -> Severity:
        return _SEVERITY_OF.get(self, Severity.PROBLEM)


_SEVERITY_OF = {Code.LOOKUP_FAILED: Severity.UNKNOWN, Code.BEHIND_PROXY: Severity.CHECK}


CODE_ORDER = {code: index for index, code in enumerate(Code)}


class Verdict(enum.StrEnum):
    OK = "ok"
    ACTION_NEEDED = "action_needed"
    INCONCLUSIVE = "inconclusive"
    CHECK_NEEDED = "check_needed"  # nothing certain fails, something may (ADR-9)


class RowStatus(enum.StrEnum):
    OK = "ok"
    PROBLEM = "problem"
    FAILED = "failed"  # only lookups failed: nothing definite about this name
    CHECK = "check"  # only findings that may pass or fail: not excluded, not ok


@dataclass(frozen=True, slots=True, eq=False)
class Finding:
    code: Code
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class NameRow:
    name: str
    why: Why
    a: tuple[str, ...] = ()
    aaaa: tuple[str, ...] = ()
    cname: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    notes: tuple[Fact, ...] = ()
    # The zone the name's records belong in (an SOA owner seen in its own answers), "" if unknown.
    zone: str = ""
    # Seconds until the last of the name's cached answers (A, AAAA, CAA up the tree, negative
    # ones included) expires at the resolvers; None when no answer said.
    ttl: int | None = None

    @property
    def deciding_caa(self) -> tuple[str, tuple[CaaRecord, ...]]:
        """The CAA node whose record set refused the CA, and that set; ("", ()) if none did."""
        for finding in self.findings:
            if finding.code in (Code.CAA_FORBIDS, Code.CAA_ACCOUNT_BOUND):
                for fact in finding.facts:
                    node, records = fact.params.get("node"), fact.params.get("records", ())
                    if isinstance(node, str) and isinstance(records, tuple):
                        return node, tuple(r for r in records if isinstance(r, CaaRecord))
        return "", ()

    @property
    def codes(self) -> list[str]:
        return [str(finding.code) for finding in self.findings]

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def status(self) -> RowStatus:
        if not self.findings:
            return RowStatus.OK
        return status_of(finding.code.severity for finding in self.findings)


@dataclass(frozen=True, slots=True)
class CheckRequest:
    """One check, validated (see engine.build_request). `resolvers` are DoH URLs."""

    domain: str
    servers: tuple[str, ...] = ()
    provider: Provider = Provider.LETSENCRYPT
    resolvers: tuple[str, ...] = ()
    service_subdomains: bool = True
    autodiscover: bool = True
    reseller: bool = False
    addons: tuple[str, ...] = ()
    subdomains: tuple[str, ...] = ()
    timeout: float = 15.0
    query_timeout: float = 4.0
    max_in_flight: int = 32  # per resolver


@dataclass(frozen=True, slots=True, eq=False)
class CheckResult:
    """A finished check. The verdict and the names to exclude are derived here, once."""

    domain: str
    servers: tuple[str, ...]
    server_source: str  # "given" or "apex"
    provider: Provider
    resolvers: tuple[ResolverId, ...]
    rows: tuple[NameRow, ...]
    queries: int
    checked_at: str
    deadline_hit: bool = False
    verdict: Verdict = field(init=False)
    exclude: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "verdict", verdict_of(self.rows))
        object.__setattr__(self, "exclude", exclude_of(self.rows))

    @property
    def codes(self) -> set[Code]:
        return {finding.code for row in self.rows for finding in row.findings}


def status_of(severities: Iterable[Severity]) -> RowStatus:
    """A name's status from its findings' severities: the most pressing one wins."""
    seen = set(severities)
    if Severity.PROBLEM in seen:
        return RowStatus.PROBLEM
    if Severity.UNKNOWN in seen:
        return RowStatus.FAILED
    if Severity.CHECK in seen:
        return RowStatus.CHECK
    return RowStatus.OK


# A certain failure first (fix or exclude), then a failed lookup (run again: a rerun that
# settles it still ends at check_needed if a check stays), then a maybe.
_VERDICT_BY_STATUS = (
    (RowStatus.PROBLEM, Verdict.ACTION_NEEDED),
    (RowStatus.FAILED, Verdict.INCONCLUSIVE),
    (RowStatus.CHECK, Verdict.CHECK_NEEDED),
)


def verdict_of_statuses(statuses: Iterable[RowStatus]) -> Verdict:
    seen = set(statuses)
    return next((verdict for status, verdict in _VERDICT_BY_STATUS if status in seen), Verdict.OK)


def verdict_of(rows: Iterable[NameRow]) -> Verdict:
    return verdict_of_statuses(row.status for row in rows)


def exclude_of(rows: Sequence[NameRow]) -> tuple[str, ...]:
    return tuple(sorted({row.name for row in rows if row.status is RowStatus.PROBLEM}))
