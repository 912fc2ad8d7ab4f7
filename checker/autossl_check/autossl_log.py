"""Reading cPanel's AutoSSL log in every form people have, line by line, without ever failing.

Accepted, in one stream or mixed: text copied from WHM » Manage AutoSSL » View Log (with or
without time stamps and WARN / ERROR / SUCCESS prefixes, typographic or ASCII quotes), the `txt`
file (`[time]` + tabs), the `json` file (one object per line), the output of
`whmapi1 get_autossl_log` as JSON (`--output=json` or `jsonpretty`) or as YAML (the subset
`_YamlPayload` documents), and the v76 form of the field report. Every line becomes a `LogLine`
of a `LineKind`; a line nothing matches is `NOT_RECOGNISED`, never an error.

Natively the log streams (`LogStream` over chunks of bytes or text: memory is bounded by the
longest line and the largest account); the page calls `read_text`. Sentences live in
`texts` (LOG_LINES); this module only says what each line is.
"""

from __future__ import annotations

import enum
import functools
import ipaddress
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ._jsonstream import Chunk, StreamFailure, array_objects, texts
from .inputs import MAX_HOST_CHARS, normalise_domain
from .model import InputError

MAX_LINE_CHARS = 1 << 20  # one line lists every vhost's names; 1 Mi characters is far past that
MAX_TEXT_CHARS = 4096  # what a LogLine keeps of its message for display
MAX_PASTE_CHARS = 8_000_000  # read_text: the page promises 2 MB, this leaves room
MAX_KEPT_LINES = 200_000
MAX_NAMES_PER_ACCOUNT = 50_000
MAX_OPEN_ACCOUNTS = 1000  # cPanel finishes accounts in batches of a few hundred
MAX_REDIRECTS_KEPT = 12
AUTOSSL_MAX_NAMES_PER_WEBSITE = 100

_USER_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")


class LineKind(enum.StrEnum):
    """What one log line says. Values are stable: they name the guide's anchors and JSON keys."""

    BLANK = "blank"
    NOT_RECOGNISED = "not_recognised"
    PROVIDER = "provider"
    USER = "user"
    USER_SUSPENDED = "user_suspended"
    USER_MISSING_FEATURE = "user_missing_feature"
    USER_BATCH = "user_batch"
    WEBSITE = "website"
    DYNAMIC_DNS = "dynamic_dns"
    DCV_RESULTS_FOR = "dcv_results_for"
    TLS_STATUS = "tls_status"
    DEFECT = "defect"
    CERTIFICATE_EXPIRY = "certificate_expiry"
    ISSUER = "issuer"
    USER_EXCLUDED = "user_excluded"
    PROVIDER_EXCLUDED = "provider_excluded"
    DOMAIN_COUNT = "domain_count"
    CERTIFICATE_LIMIT = "certificate_limit"
    CANNOT_SECURE_ALL = "cannot_secure_all"
    COVERAGE_OPTIMAL = "coverage_optimal"
    CANNOT_INCREASE_COVERAGE = "cannot_increase_coverage"
    CAA_SETUP = "caa_setup"
    CAA_CHECK = "caa_check"
    CA_AUTHORIZED = "ca_authorized"
    CA_FORBIDDEN = "ca_forbidden"
    CAA_SUMMARY = "caa_summary"
    MANAGEMENT_CHECK = "management_check"
    MANAGED = "managed"
    UNMANAGED = "unmanaged"
    MANAGEMENT_SUMMARY = "management_summary"
    HTTP_DCV_START = "http_dcv_start"
    LOCAL_HTTP_DCV_OK = "local_http_dcv_ok"
    LOCAL_HTTP_DCV_OK_VIA = "local_http_dcv_ok_via"
    LOCAL_HTTP_DCV_ERROR = "local_http_dcv_error"
    LOCAL_HTTP_DCV_IMPEDIMENT = "local_http_dcv_impediment"
    BARE_OK = "bare_ok"
    REDIRECT = "redirect"
    REDIRECT_FORBIDDEN = "redirect_forbidden"
    REDIRECT_LIMIT = "redirect_limit"
    DNS_DCV_STEP = "dns_dcv_step"
    LOCAL_AUTHORITY_OK = "local_authority_ok"
    LOCAL_AUTHORITY_NONE = "local_authority_none"
    LOCAL_AUTHORITY_FAILED = "local_authority_failed"
    LOCAL_DNS_DCV_OK = "local_dns_dcv_ok"
    LOCAL_DNS_DCV_OK_VIA = "local_dns_dcv_ok_via"
    LOCAL_DNS_DCV_ERROR = "local_dns_dcv_error"
    PROVIDER_DCV_OK = "provider_dcv_ok"
    PROVIDER_DCV_ERROR = "provider_dcv_error"
    IMPEDIMENT = "impediment"
    DOMAINS_OMITTED = "domains_omitted"
    REPLACING_EXTERNAL = "replacing_external"
    WILL_REQUEST = "will_request"
    RENEW_SET = "renew_set"


# Kinds that only frame the run: they do not make a paste "recognised" on their own.
_FRAMING = frozenset({LineKind.BLANK, LineKind.NOT_RECOGNISED, LineKind.BARE_OK})


class SourceFormat(enum.StrEnum):
    TEXT = "text"  # WHM's View Log copied, the field report, anything typed
    TXT_FILE = "txt_file"  # /var/cpanel/logs/autossl/<time>/txt
    JSON_LINES = "json_lines"  # /var/cpanel/logs/autossl/<time>/json
    WHMAPI_JSON = "whmapi_json"  # whmapi1 --output=json get_autossl_log
    WHMAPI_YAML = "whmapi_yaml"  # whmapi1 get_autossl_log (default YAML output)


class DcvReason(enum.StrEnum):
    """Why cPanel's own HTTP DCV failed a name (Cpanel/SSL/DCV.pm), as a stable key."""

    NO_ADDRESS = "no_address"
    NOT_ON_SERVER = "not_on_server"
    PRIVATE_ADDRESS = "private_address"
    LOOPBACK = "loopback"
    HTTP_STATUS = "http_status"
    CONTENT_MISMATCH = "content_mismatch"
    FETCH_FAILED = "fetch_failed"
    FETCH_FAILED_CACHED = "fetch_failed_cached"
    REDIRECTS_FORBIDDEN = "redirects_forbidden"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    NO_DOCUMENT_ROOT = "no_document_root"
    RESPONSE_TOO_LONG = "response_too_long"
    INTERNAL_ERROR = "internal_error"
    OTHER = "other"


# The finding codes of the DNS check that the same failure would show, when public DNS can show
# it at all. An empty tuple: the failure is about the web server or cPanel, not DNS.
DCV_REASON_FINDINGS: dict[DcvReason, tuple[str, ...]] = {
    # cPanel's resolver found no A/AAAA: public DNS shows NXDOMAIN or an empty answer; the log
    # does not say which.
    DcvReason.NO_ADDRESS: ("NXDOMAIN", "NO_ADDRESS"),
    DcvReason.NOT_ON_SERVER: ("ELSEWHERE",),  # AAAA_ELSEWHERE when the address is IPv6
    DcvReason.PRIVATE_ADDRESS: (),
    DcvReason.LOOPBACK: (),
    DcvReason.HTTP_STATUS: (),
    DcvReason.CONTENT_MISMATCH: (),
    DcvReason.FETCH_FAILED: (),
    DcvReason.FETCH_FAILED_CACHED: (),
    DcvReason.REDIRECTS_FORBIDDEN: (),
    DcvReason.TOO_MANY_REDIRECTS: (),
    DcvReason.NO_DOCUMENT_ROOT: (),
    DcvReason.RESPONSE_TOO_LONG: (),
    DcvReason.INTERNAL_ERROR: (),
    DcvReason.OTHER: (),
}

_NOT_ON_SERVER = re.compile(
    r'resolved to an IP address "(?P<ip>[^"\s]+)" that does not exist on this server'
)
# cPanel's fixed English words for each reason (checked in this order; plain substring tests,
# case-sensitive like cPanel's messages, are ten times faster than regular expressions here).
_REASON_RULES: tuple[tuple[str, DcvReason], ...] = (
    ("does not resolve to any IP addresses", DcvReason.NO_ADDRESS),
    ("resolves to a private IP address", DcvReason.PRIVATE_ADDRESS),
    ("resolves to a loopback IP address", DcvReason.LOOPBACK),
    ("forbids DCV HTTP redirections", DcvReason.REDIRECTS_FORBIDDEN),
    ("Excess DCV HTTP redirection", DcvReason.TOO_MANY_REDIRECTS),
    ("do not have a document root", DcvReason.NO_DOCUMENT_ROOT),
    ("No base document root", DcvReason.NO_DOCUMENT_ROOT),
    ("An internal error occurred", DcvReason.INTERNAL_ERROR),
    ("did not match the expected value", DcvReason.CONTENT_MISMATCH),
    ("exceeded the maximum length", DcvReason.RESPONSE_TOO_LONG),
    ("responded with the following error:", DcvReason.HTTP_STATUS),
    ("because of an error (cached)", DcvReason.FETCH_FAILED_CACHED),
    ("failed to fetch the DCV file", DcvReason.FETCH_FAILED),
)

# Words of a CA's own validation error (Let's Encrypt's ACME problem texts) and the finding that
# public DNS would show for them; first the lower-case words an ASCII text must contain for the
# pattern to match (a case-blind search is slow on long texts).
_PROVIDER_REASON_FINDINGS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("caa", re.compile(r"\bCAA\b", re.I), "CAA_FORBIDS"),
    ("nxdomain", re.compile(r"\bNXDOMAIN\b", re.I), "NXDOMAIN"),
    ("servfail", re.compile(r"\bSERVFAIL\b", re.I), "SERVFAIL"),
    ("no valid ", re.compile(r"no valid A records|No valid IP addresses", re.I), "NO_ADDRESS"),
)


def classify_dcv_reason(reason: str) -> tuple[DcvReason, tuple[str, ...], str | None]:
    """A cPanel HTTP DCV failure text -> (reason key, finding codes, the foreign address if any).

    Accepts typographic or ASCII quotes. An address that "does not exist on this server" maps to
    ELSEWHERE (IPv4) or AAAA_ELSEWHERE (IPv6: cPanel tries IPv6 first when there is an AAAA),
    whatever the primary reason.
    """
    return _dcv_reason(_canonical(reason))


def _dcv_reason(text: str) -> tuple[DcvReason, tuple[str, ...], str | None]:
    """classify_dcv_reason for text already in canonical form."""
    kind = DcvReason.OTHER
    for words, candidate in _REASON_RULES:
        if words in text:
            kind = candidate
            break
    foreign = _NOT_ON_SERVER.search(text) if "that does not exist on this server" in text else None
    if foreign is None:
        return kind, DCV_REASON_FINDINGS[kind], None
    address = foreign.group("ip")
    if kind is DcvReason.OTHER:
        kind = DcvReason.NOT_ON_SERVER
    version = _ip_version(address) if len(address) <= 64 else _uncached_ip_version(address)
    if version is None:
        return kind, ("ELSEWHERE",), None
    return kind, ("AAAA_ELSEWHERE",) if version == 6 else ("ELSEWHERE",), address


def _uncached_ip_version(address: str) -> int | None:
    """4, 6 or None (not an address)."""
    try:
        return ipaddress.ip_address(address).version
    except ValueError:
        return None


# A server's few addresses recur on every line; only short texts are kept (64 > any address).
_ip_version = functools.lru_cache(maxsize=1024)(_uncached_ip_version)


def provider_reason_findings(reason: str) -> tuple[str, ...]:
    """Finding codes a CA's validation error points at (empty when it is not about DNS)."""
    # Outside ASCII, case-blind matching knows more letters than str.lower (K for K).
    lowered = reason.lower() if reason.isascii() else None
    return tuple(
        code
        for words, pattern, code in _PROVIDER_REASON_FINDINGS
        if (lowered is None or words in lowered) and pattern.search(reason)
    )


@dataclass(slots=True)
class LogLine:
    """One line of the log, typed. `text` is the message without time stamp, level or indent.

    Treat it as read-only: only the reader sets `user` and `website` (mutable because copying
    a dataclass per line was a third of the parse time)."""

    number: int
    kind: LineKind
    text: str
    level: str = ""  # out | warn | error | success | "" (a paste shows no level for "out")
    timestamp: str | None = None
    indent: int | None = None
    source: SourceFormat = SourceFormat.TEXT
    user: str | None = None  # the account this line belongs to (context)
    website: str | None = None  # the website (vhost) this line belongs to (context)
    name: str | None = None  # the name the line is about
    via: str | None = None  # "(via X)": the parent whose result stood in for `name`
    reason: str | None = None  # DCV failure, defect or impediment text as cPanel wrote it
    code: str | None = None  # TLS status, defect/impediment code, or a DcvReason value
    findings: tuple[str, ...] = ()  # finding codes of the DNS check this line corresponds to
    names: tuple[str, ...] = ()  # every name of a list line (excluded, omitted)
    sets: tuple[tuple[str, tuple[str, ...]], ...] = ()  # RENEW_SET: (website, names) pairs
    provider: str | None = None
    count: int | None = None  # "N domains" where a line states it
    target: str | None = None  # REDIRECT: where it went; CA_FORBIDDEN: the owner of the CAA
    problem: str | None = None  # NOT_RECOGNISED: why (an InputError key or a reader key)
    rejected: tuple[
        tuple[str, str], ...
    ] = ()  # names of a list that failed validation: (text, key)
    inferred: bool = False  # matched a form inferred, not seen in a real log
    truncated: bool = False  # the list in the line was cut by cPanel ("…") or by this reader

    @property
    def recognised(self) -> bool:
        return self.kind not in _FRAMING


@dataclass(slots=True)
class NameResult:
    """What the log says about one name: cPanel's own checks and the CA's."""

    name: str
    local_http: str | None = None  # "ok" | "error"
    local_http_via: str | None = None
    local_http_reason: str | None = None
    local_http_reason_key: DcvReason | None = None
    local_dns: str | None = None
    local_dns_via: str | None = None
    local_dns_reason: str | None = None
    provider_dcv: str | None = None  # "ok" | "error"
    provider_reason: str | None = None
    caa: str | None = None  # "authorized" | "forbidden"
    managed: bool | None = None
    local_authority: bool | None = None
    findings: list[str] = field(default_factory=list)
    redirects: list[str] = field(default_factory=list)
    ordered: bool = False  # in a "will attempt to renew" set
    excluded: bool = False

    def add_findings(self, codes: Iterable[str]) -> None:
        for code in codes:
            if code not in self.findings:
                self.findings.append(code)


@dataclass(slots=True)
class WebsiteLog:
    name: str
    dynamic_dns: bool = False
    tls_status: str | None = None
    defects: list[tuple[str, str]] = field(default_factory=list)
    impediments: list[tuple[str, str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    excluded_count: int | None = None
    excluded_truncated: bool = False
    names: dict[str, NameResult] = field(default_factory=dict)
    ordered: tuple[str, ...] | None = None  # the exact set AutoSSL asked the CA for
    over_limit: bool = False  # more names than the provider puts in one certificate

    @property
    def max_domains(self) -> bool:
        """AutoSSL's CERTIFICATE_HAS_MAX_DOMAINS, or more than 100 names on the website."""
        return self.over_limit or any(
            code == "CERTIFICATE_HAS_MAX_DOMAINS" for code, _ in self.impediments
        )


@dataclass(slots=True)
class AccountLog:
    """One account's part of the log. `user` is None for lines before any account line."""

    user: str | None
    websites: dict[str, WebsiteLog] = field(default_factory=dict)
    unassigned: dict[str, NameResult] = field(default_factory=dict)  # no website could be told
    suspended: bool = False
    coverage_optimal: bool = False
    names_dropped: int = 0  # past MAX_NAMES_PER_ACCOUNT

    def all_names(self) -> Iterator[tuple[str | None, NameResult]]:
        for website in self.websites.values():
            for result in website.names.values():
                yield website.name, result
        for result in self.unassigned.values():
            yield None, result

    def ordered_names(self) -> list[str]:
        """The exact names AutoSSL put in its orders, website by website."""
        return [name for site in self.websites.values() for name in site.ordered or ()]

    @property
    def http_dcv_via_parent(self) -> bool:
        return any(result.local_http_via for _, result in self.all_names())


# -- canonical text for matching -----------------------------------------------------------------

_CANON_PAIRS = (
    ("“", '"'),
    ("”", '"'),
    ("„", '"'),
    ("«", '"'),
    ("»", '"'),
    ("「", '"'),
    ("」", '"'),
    ("『", '"'),
    ("』", '"'),
    ("‘", "'"),
    ("’", "'"),
    ("‚", "'"),
    ("…", "..."),
    ("→", "->"),
    ("：", ":"),
    ("（", "("),
    ("）", ")"),
    ("\u00a0", " "),
    ("\u3000", " "),
)


def _canonical(text: str) -> str:
    """Quotes, ellipsis and arrows in ASCII, runs of white space as one space (str.translate
    with a table is ten times slower than these replaces)."""
    if not text.isascii():
        text = text.replace("“", '"').replace("”", '"').replace("’", "'").replace("…", "...")
        if not text.isascii():
            for typographic, ascii_form in _CANON_PAIRS:
                if typographic in text:
                    text = text.replace(typographic, ascii_form)
    if "  " in text or "\t" in text or "\r" in text or "\n" in text or "\x0b" in text:
        return " ".join(text.split())
    return text.strip()


# -- names ---------------------------------------------------------------------------------------


_LABEL = r"(?!xn--)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
# A name normalise_domain returns unchanged: lower-case LDH labels, none an A-label ("xn--"),
# two or more, the last not all digits (so never an IP address). Most of a log's names are so.
_PLAIN_NAME = re.compile(rf"(?:{_LABEL}\.)+(?=[a-z0-9-]*[a-z-]){_LABEL}")


def _checked_name(text: str) -> tuple[str | None, str | None]:
    """(A-label, None) or (None, InputError key): names from a log pass the same gate as typed
    names. Each name recurs on several lines, so short texts go through a cache; a long one
    (a list item can be a whole line) is checked uncached, so the cache stays small."""
    if len(text) > _MAX_CACHED_CHARS:
        return _check_name(text)
    return _cached_check_name(text)


_MAX_CACHED_CHARS = 2 * MAX_HOST_CHARS


def _check_name(text: str) -> tuple[str | None, str | None]:
    """A plain name skips normalise_domain, which would return it unchanged (a property test
    holds the two equal) but tries it as an IP address first, a fifth of the parse time."""
    if len(text) <= MAX_HOST_CHARS and _PLAIN_NAME.fullmatch(text):
        return text, None
    try:
        return normalise_domain(text), None
    except InputError as error:
        return None, error.key


_cached_check_name = functools.lru_cache(maxsize=8192)(_check_name)


# -- the line patterns ---------------------------------------------------------------------------

_Q = r'"(?P<{}>[^"]{{1,300}})"'
_NAME = r"(?P<name>[^\s()\"]{1,300})"
_ELL = r"\s*(?:\.\.\.|\.)?"
_N = r"(?P<count>[\d,]+)"


@dataclass(frozen=True, slots=True)
class _Pattern:
    kind: LineKind
    regex: re.Pattern[str]
    inferred: bool = False
    name_groups: tuple[str, ...] = ()  # the groups that hold a domain name
    has_provider: bool = False
    has_count: bool = False
    has_user: bool = False
    via_kind: LineKind | None = None  # the kind when the optional "(via X)" is there
    # Words every matching line contains: a substring test skips the regular expression for
    # most lines of a family that share the first word.
    needs: str = ""


def _p(
    kind: LineKind,
    pattern: str,
    *,
    inferred: bool = False,
    flags: int = 0,
    via_kind: LineKind | None = None,
    needs: str = "",
) -> _Pattern:
    regex = re.compile(pattern, flags)
    names = tuple(key for key in ("name", "via", "site", "alias") if key in regex.groupindex)
    return _Pattern(
        kind,
        regex,
        inferred,
        names,
        "provider" in regex.groupindex,
        "count" in regex.groupindex,
        "user" in regex.groupindex,
        via_kind,
        needs,
    )


_TLS_STATES = {
    "ok": "OK",
    "incomplete": "INCOMPLETE",
    "ready for renewal": "RENEWAL",
    "default key type mismatch": "DEFAULT_KEY_MISMATCH",
    "defective": "DEFECTIVE",
    "defectivel": "DEFECTIVE",  # the field report's own typo, as people paste it into searches
}
_IMPEDIMENT_CODES = (
    "TOTAL_DCV_FAILURE|NO_UNSECURED_DOMAIN_PASSED_DCV|SECURED_DOMAIN_DCV_FAILURE|"
    "CERTIFICATE_HAS_MAX_DOMAINS|CERTIFICATE_IS_EXTERNALLY_SIGNED|COMPLETELY_EXCLUDED"
)
_DEFECT_CODES = (
    "NO_SSL|ALMOST_EXPIRED|CA_CERTIFICATE_ALMOST_EXPIRED|WEAK_KEY|WEAK_SIGNATURE|OCSP_REVOKED|"
    "INVALID_CERTIFICATE|MISSING_CERTIFICATE|EMPTY_CERTIFICATE|OPENSSL_VERIFY"
)
_SET = re.compile(r"\((?P<site>[^\s():\"]{1,300}): (?P<names>[^()]*)\)")

# Grouped by the message's first word, so a line is tried against a handful of patterns.
_BY_FIRST_WORD: dict[str, tuple[_Pattern, ...]] = {
    "This": (
        _p(
            LineKind.PROVIDER,
            r"^This system has AutoSSL set to use " + _Q.format("provider") + r"\.?$",
        ),
        _p(LineKind.COVERAGE_OPTIMAL, r"^This user's SSL coverage is already optimal\.?$"),
    ),
    "Analyzing": (
        _p(
            LineKind.USER,
            r"^Analyzing " + _Q.format("user") + r"'s domains" + _ELL + "$",
            needs="\"'s domains",
        ),
        _p(
            LineKind.DCV_RESULTS_FOR,
            r"^Analyzing " + _Q.format("site") + r"'s DCV results" + _ELL + "$",
            needs="\"'s DCV results",
        ),
        _p(
            LineKind.WEBSITE,
            r"^Analyzing " + _Q.format("site") + r" \(website\)" + _ELL + "$",
            needs='" (website)',
        ),
        _p(
            LineKind.DYNAMIC_DNS,
            r"^Analyzing " + _Q.format("site") + r" \(dynamic DNS\)" + _ELL + "$",
            needs='" (dynamic DNS)',
        ),
        # v76 (the field report): no "(website)".
        _p(LineKind.WEBSITE, r"^Analyzing " + _Q.format("site") + _ELL + "$"),
    ),
    "Checking": (
        _p(
            LineKind.USER,
            r"^Checking websites for " + _Q.format("user") + _ELL + "$",
            inferred=True,
        ),
    ),
    "TLS": (_p(LineKind.TLS_STATUS, r"^TLS Status: (?P<status>[A-Za-z ]{2,40})$", flags=re.I),),
    "Defect:": (_p(LineKind.DEFECT, r"^Defect: (?P<code>[A-Z][A-Z0-9_]{1,60}): ?(?P<reason>.*)$"),),
    "Certificate": (_p(LineKind.CERTIFICATE_EXPIRY, r"^Certificate expiry: (?P<reason>.+)$"),),
    "Issuer:": (_p(LineKind.ISSUER, r"^Issuer: (?P<reason>.+)$"),),
    "User-excluded": (
        _p(LineKind.USER_EXCLUDED, r"^User-excluded domains?: " + _N + r" \((?P<list>.*)\)$"),
    ),
    "Provider-excluded": (
        _p(
            LineKind.PROVIDER_EXCLUDED,
            r"^Provider-excluded domains?: " + _N + r" \((?P<list>.*)\)$",
        ),
    ),
    "Number": (_p(LineKind.DOMAIN_COUNT, r"^Number of (?:secured )?domains: " + _N + "$"),),
    "Provider's": (
        _p(
            LineKind.CERTIFICATE_LIMIT,
            r"^Provider's per-certificate domain count limit: " + _N + "$",
        ),
    ),
    "AutoSSL": (
        _p(
            LineKind.CANNOT_INCREASE_COVERAGE,
            r"^AutoSSL cannot increase " + _Q.format("user") + r"'s SSL coverage\.?$",
        ),
        _p(LineKind.WILL_REQUEST, r"^AutoSSL will request a new certificate\.?$"),
        _p(LineKind.REDIRECT_LIMIT, r"^AutoSSL provider's redirect limit: " + _N + "$"),
        _p(LineKind.MANAGEMENT_SUMMARY, r"^AutoSSL can(?:not)? confirm management status .*$"),
        _p(LineKind.USER_BATCH, r"^AutoSSL will verify .*$"),
    ),
    "Attempting": (
        _p(LineKind.CAA_SETUP, r"^Attempting to ensure the existence of necessary CAA records.*$"),
    ),
    "CAA": (_p(LineKind.CAA_SETUP, r'^CAA "[^"]*" record created: ' + _Q.format("name") + "$"),),
    "Waiting": (
        _p(LineKind.CAA_SETUP, r"^Waiting [\d.,]+ seconds? for the DNS changes to take effect.*$"),
    ),
    "No": (
        _p(LineKind.CAA_SETUP, r"^No CAA records were created\.?$"),
        _p(LineKind.HTTP_DCV_START, r"^No domains need HTTP DCV\.?$"),
        _p(LineKind.DNS_DCV_STEP, r"^No local DNS DCV is necessary\.?$"),
        _p(LineKind.LOCAL_AUTHORITY_NONE, r"^No local authority: " + _Q.format("name") + "$"),
    ),
    "Verifying": (
        _p(
            LineKind.CAA_CHECK,
            r"^Verifying "
            + _Q.format("provider")
            + r"'s authorization on "
            + _N
            + r" domains? via DNS CAA records"
            + _ELL
            + "$",
        ),
        _p(
            LineKind.MANAGEMENT_CHECK,
            r"^Verifying " + _N + r" domains?'? management status" + _ELL + "$",
        ),
        _p(
            LineKind.DNS_DCV_STEP,
            r"^Verifying local authority for " + _N + r" domains?" + _ELL + "$",
        ),
    ),
    "CA": (
        _p(LineKind.CA_AUTHORIZED, r'^CA authorized: "' + _NAME + '"$'),
        _p(
            LineKind.CA_FORBIDDEN,
            r'^CA forbidden: "' + _NAME + r'"(?: \((?:via "(?P<target>[^"]+)")?(?:, )?'
            r'(?:alias of "(?P<alias>[^"]+)")?\))?$',
        ),
    ),
    "DNS": (_p(LineKind.CAA_SUMMARY, r"^DNS CAA records forbid .*$"),),
    "All": (_p(LineKind.MANAGEMENT_SUMMARY, r"^All of this user's .* are managed\.?$"),),
    "Performing": (
        _p(LineKind.HTTP_DCV_START, r"^Performing HTTP DCV on " + _N + r" domains?" + _ELL + "$"),
        # v76: DCV per website, before any user-level step.
        _p(LineKind.HTTP_DCV_START, r"^Performing DCV \(Domain Control Validation\)" + _ELL + "$"),
    ),
    "Local": (
        _p(
            LineKind.LOCAL_HTTP_DCV_OK,
            r"^Local HTTP DCV OK: " + _NAME + r"(?: \(via (?P<via>[^\s()]+)\))?$",
            via_kind=LineKind.LOCAL_HTTP_DCV_OK_VIA,
            needs="Local HTTP DCV OK: ",
        ),
        _p(
            LineKind.LOCAL_HTTP_DCV_ERROR,
            r"^Local HTTP DCV error \(" + _NAME + r"\): ?(?P<reason>.*)$",
            needs="Local HTTP DCV error (",
        ),
        _p(
            LineKind.LOCAL_HTTP_DCV_IMPEDIMENT,
            r"^Local HTTP DCV impediment \(" + _NAME + r"\): ?(?P<reason>.*)$",
            needs="Local HTTP DCV impediment (",
        ),
        _p(
            LineKind.LOCAL_DNS_DCV_OK,
            r"^Local DNS DCV OK: " + _NAME + r"(?: \(via (?P<via>[^\s()]+)\))?$",
            via_kind=LineKind.LOCAL_DNS_DCV_OK_VIA,
            needs="Local DNS DCV OK: ",
        ),
        _p(
            LineKind.LOCAL_DNS_DCV_ERROR,
            r"^Local DNS DCV error \(" + _NAME + r"\): ?(?P<reason>.*)$",
            needs="Local DNS DCV error (",
        ),
        _p(
            LineKind.LOCAL_AUTHORITY_OK,
            r"^Local authority confirmed: " + _Q.format("name") + "$",
            needs="Local authority confirmed: ",
        ),
    ),
    "Redirection": (
        _p(
            LineKind.REDIRECT,
            r"^Redirection #" + _N + r" \(" + _NAME + r"\): (?P<reason>\S+) -> (?P<target>.+)$",
        ),
    ),
    "Excess": (_p(LineKind.REDIRECT_LIMIT, r"^Excess DCV HTTP redirection\.?$"),),
    "Enqueueing": (_p(LineKind.DNS_DCV_STEP, r"^Enqueueing .* for local DNS DCV.*$"),),
    "Publishing": (_p(LineKind.DNS_DCV_STEP, r"^Publishing DNS changes for local DNS DCV.*$"),),
    "Querying": (_p(LineKind.DNS_DCV_STEP, r"^Querying DNS to confirm DCV changes.*$"),),
    "Failed": (
        _p(
            LineKind.LOCAL_AUTHORITY_FAILED,
            r"^Failed to determine local authority for "
            + _Q.format("name")
            + r": ?(?P<reason>.*)$",
        ),
    ),
    "Impediment:": (
        _p(LineKind.IMPEDIMENT, r"^Impediment: (?P<code>[A-Z][A-Z0-9_]{1,60}): ?(?P<reason>.*)$"),
    ),
    "Domain": (
        _p(
            LineKind.DOMAINS_OMITTED,
            r"^Domains? omitted because of the per-certificate domain limit: "
            + _N
            + r" \((?P<list>.*)\)$",
        ),
    ),
    "Domains": (
        _p(
            LineKind.DOMAINS_OMITTED,
            r"^Domains? omitted because of the per-certificate domain limit: "
            + _N
            + r" \((?P<list>.*)\)$",
        ),
    ),
    "The": (
        _p(
            LineKind.RENEW_SET,
            r"^The system will attempt to renew the SSL certificates? for (?P<sets>.*?)\.?$",
        ),
    ),
    "Replacing": (
        _p(LineKind.REPLACING_EXTERNAL, r"^Replacing an externally-signed certificate.*$"),
    ),
    "OK": (_p(LineKind.BARE_OK, r"^OK:?$"),),
    "OK:": (_p(LineKind.BARE_OK, r"^OK:$"),),
    '"': (
        _p(
            LineKind.PROVIDER_DCV_OK,
            r'^"(?P<provider>[^"]{1,100})" (?P<code>HTTP DCV|DNS DCV|DCV) OK: ' + _NAME + "$",
            needs=" OK: ",
        ),
        _p(
            LineKind.PROVIDER_DCV_ERROR,
            r'^"(?P<provider>[^"]{1,100})" (?P<code>HTTP DCV|DNS DCV|general) error \('
            + _NAME
            + r"\): ?(?P<reason>.*)$",
            needs=" error (",
        ),
        _p(
            LineKind.REDIRECT_FORBIDDEN,
            r'^"(?P<provider>[^"]{1,100})" forbids DCV HTTP redirections\.?$',
            needs='" forbids DCV HTTP redirections',
        ),
        _p(
            LineKind.MANAGED,
            r'^"' + _NAME + r'" is managed\.?$',
            needs='" is managed',
        ),
        _p(
            LineKind.UNMANAGED,
            r'^"' + _NAME + r'" is unmanaged\.? ?(?P<reason>.*)$',
            needs='" is unmanaged',
        ),
        _p(
            LineKind.USER_SUSPENDED,
            r'^"(?P<user>[^"]{1,100})" is suspended\.?$',
            needs='" is suspended',
        ),
        _p(
            LineKind.USER_MISSING_FEATURE,
            r'^"(?P<user>[^"]{1,100})" does not possess the required .*$',
            needs='" does not possess the required ',
        ),
        _p(
            LineKind.CANNOT_SECURE_ALL,
            r'^"(?P<provider>[^"]{1,100})" cannot secure all of '
            r'"(?P<site>[^"]{1,300})"\'s domains.*$',
            needs='" cannot secure all of "',
        ),
        _p(
            LineKind.CAA_SUMMARY,
            r'^"(?P<provider>[^"]{1,100})" is authorized to issue certificates for .*$',
            needs='" is authorized to issue certificates for ',
        ),
    ),
}

# Lines in the admin's locale. The first is the field report's own (v76, Japanese). The others are
# inferred from cPanel's English message and the words that stay English in every locale
# ([asis,…] in cPanel's source: TLS, HTTP, DCV, the codes); no real log showed them.
_OTHER_PATTERNS: tuple[_Pattern, ...] = (
    _p(LineKind.USER, r"^Web ?サイトで ?" + _Q.format("user") + r" ?を確認しています" + _ELL + "$"),
    _p(
        LineKind.USER,
        r"^" + _Q.format("user") + r" ?の ?ドメインを(?:分析|確認)しています" + _ELL + "$",
        inferred=True,
    ),
    _p(
        LineKind.WEBSITE,
        r"^" + _Q.format("site") + r" ?\(Web ?サイト\) ?を(?:分析|確認)しています" + _ELL + "$",
        inferred=True,
    ),
    _p(LineKind.TLS_STATUS, r"^TLS ?(?:ステータス|状態) ?: ?(?P<status>.{1,40})$", inferred=True),
    _p(
        LineKind.LOCAL_HTTP_DCV_OK_VIA,
        r"^ローカル ?HTTP ?DCV ?(?:OK|成功) ?: ?"
        + _NAME
        + r" ?\((?:via|経由) ?(?P<via>[^\s()]+)\)$",
        inferred=True,
    ),
    _p(
        LineKind.LOCAL_HTTP_DCV_OK,
        r"^ローカル ?HTTP ?DCV ?(?:OK|成功) ?: ?" + _NAME + "$",
        inferred=True,
    ),
    _p(
        LineKind.LOCAL_HTTP_DCV_ERROR,
        r"^ローカル ?HTTP ?DCV ?エラー ?\(" + _NAME + r"\) ?: ?(?P<reason>.*)$",
        inferred=True,
    ),
    _p(
        LineKind.LOCAL_DNS_DCV_OK,
        r"^ローカル ?DNS ?DCV ?(?:OK|成功) ?: ?"
        + _NAME
        + r"(?: ?\((?:via|経由) ?(?P<via>[^\s()]+)\))?$",
        inferred=True,
    ),
    _p(
        LineKind.LOCAL_DNS_DCV_ERROR,
        r"^ローカル ?DNS ?DCV ?エラー ?\(" + _NAME + r"\) ?: ?(?P<reason>.*)$",
        inferred=True,
    ),
    # The codes are never translated: a line "<anything>: CODE: text" is a defect or impediment.
    _p(
        LineKind.IMPEDIMENT,
        r"^[^:]{1,40}: ?(?P<code>" + _IMPEDIMENT_CODES + r"): ?(?P<reason>.*)$",
        inferred=True,
    ),
    _p(
        LineKind.DEFECT,
        r"^[^:]{1,40}: ?(?P<code>" + _DEFECT_CODES + r"): ?(?P<reason>.*)$",
        inferred=True,
    ),
    # The sets "(VHOST: NAME NAME)" are built by code, not by the translator.
    _p(
        LineKind.RENEW_SET, r"^(?=.*SSL)(?P<sets>.*\([^\s():\"]{1,300}: [^()]*\).*)$", inferred=True
    ),
)

_LEVELS = {"WARN": "warn", "WARNING": "warn", "ERROR": "error", "SUCCESS": "success", "INFO": "out"}
# Time stamps as people paste them: [ISO] (txt file), ISO, "2024-05-01 03:00:01", "3:00:01 AM",
# "午前3:00:01" (WHM shows the time only when it changes), then an optional level word.
_PREFIX = re.compile(
    r"^(?P<lead>[ \t]*)"
    r"(?:\[(?P<bracket>\d{4}-\d\d-\d\dT[0-9:.]+(?:Z|[+-]\d\d:?\d\d)?)\](?P<tabs>[ \t]*))?"
    r"(?:(?P<time>(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T])?(?:午前|午後)?\d{1,2}:\d\d(?::\d\d)?"
    r"(?:\.\d+)?(?: ?[AaPp]\.?[Mm]\.?)?(?: ?(?:Z|UTC|[+-]\d\d:?\d\d))?)[ \t]+)?"
    r"(?P<lead2>[ \t]*)"
    r"(?:\[?(?P<level>WARN(?:ING)?|ERROR|SUCCESS|INFO)\]?(?::|\b)[ \t]*)?"
)


def _indent_of(whitespace: str) -> int | None:
    if not whitespace:
        return None
    return whitespace.count("\t") + whitespace.count(" ") // 4


# One message before classification, where it came from and what the format told us:
# (number, text, source, level, timestamp, indent, problem). A plain tuple: an object per line
# cost more than reading the line.
_Entry = tuple[int, str, SourceFormat, str, str | None, int | None, str | None]


_TXT_STAMP = re.compile(r"\d{4}-\d\d-\d\dT[0-9:.]+(?:Z|[+-]\d\d:?\d\d)?")
_NO_PREFIX_START = re.compile(r"[A-Za-z\"“「\u3040-\u30ff\u4e00-\u9fff]")
_LEVEL_WORDS = ("WARN", "ERROR", "SUCCESS", "INFO")


@functools.lru_cache(maxsize=256)
def _is_txt_stamp(text: str) -> bool:
    """Cached: consecutive lines of the txt file mostly share their second."""
    return _TXT_STAMP.fullmatch(text) is not None


def _entry_from_text_line(number: int, raw: str) -> _Entry:
    close = raw.find("]") if raw[:1] == "[" else -1
    if (
        close > 0
        and (
            _is_txt_stamp(raw[1:close])
            if close <= 64  # only short texts are kept in the cache
            else _TXT_STAMP.fullmatch(raw[1:close]) is not None
        )
    ):
        # the txt file: [time] then one tab per indent level
        rest = raw[close + 1 :]
        message = rest.lstrip(" \t")
        return (
            number,
            message.strip(),
            SourceFormat.TXT_FILE,
            "",
            raw[1:close],
            rest[: len(rest) - len(message)].count("\t"),
            None,
        )
    if _NO_PREFIX_START.match(raw) and not raw.startswith(_LEVEL_WORDS):
        return (number, raw.strip(), SourceFormat.TEXT, "", None, None, None)
    match = _PREFIX.match(raw)
    assert match is not None  # every group is optional
    rest = raw[match.end() :]
    if match.group("bracket") is not None:
        tabs = match.group("tabs") or ""
        return (
            number,
            rest.strip(),
            SourceFormat.TXT_FILE,
            _LEVELS.get(match.group("level") or "", ""),
            match.group("bracket"),
            tabs.count("\t"),
            None,
        )
    whitespace = (match.group("lead") or "") + (match.group("lead2") or "")
    return (
        number,
        rest.strip(),
        SourceFormat.TEXT,
        _LEVELS.get(match.group("level") or "", ""),
        match.group("time"),
        _indent_of(whitespace),
        None,
    )


def _contents_text(contents: object) -> str:
    if isinstance(contents, dict):
        contents = contents.get("msg", "")
    if isinstance(contents, list):
        return "\n".join(str(item) for item in contents)
    return contents if isinstance(contents, str) else ("" if contents is None else str(contents))


def _entries_from_object(number: int, obj: dict[str, Any], source: SourceFormat) -> list[_Entry]:
    """One `{indent, pid, type, contents, partial, timestamp}` object (a message may hold \\n)."""
    indent = obj.get("indent")
    level = obj.get("type")
    timestamp = obj.get("timestamp")
    level = level if isinstance(level, str) and len(level) < 20 else ""
    timestamp = timestamp if isinstance(timestamp, str) and len(timestamp) < 60 else None
    indent = indent if isinstance(indent, int) and 0 <= indent < 100 else None
    return [
        (number, line.strip(), source, level, timestamp, indent, None)
        for line in _contents_text(obj.get("contents")).splitlines() or [""]
    ]


def _json_line_object(raw: str) -> dict[str, Any] | None:
    """A line of the json file as its object, or None when the line is no such object."""
    stripped = raw.strip()
    if not (stripped.startswith("{") and stripped.endswith("}")):
        return None
    try:  # json.loads without its white-space steps: the line is stripped already
        line_object, end = _JSON.raw_decode(stripped)
    except ValueError:
        return None
    if end != len(stripped):
        return None
    return line_object if _looks_like_log_object(line_object) else None


def _looks_like_log_object(obj: object) -> bool:
    return isinstance(obj, dict) and "contents" in obj and ("type" in obj or "indent" in obj)


# -- from chunks to lines ------------------------------------------------------------------------


class _CutLine(str):
    """The kept start of a line longer than MAX_LINE_CHARS."""

    __slots__ = ()


def _lines(texts: Iterable[str], max_chars: int = MAX_LINE_CHARS) -> Iterator[str]:
    """Split on \\n, \\r\\n or \\r (mixed is fine, also across chunks).

    A line longer than `max_chars` yields its first `max_chars` characters once, as a `_CutLine`,
    and the rest is skipped, so memory stays bounded whatever the input. Each chunk is split at
    once by str.split (a regular expression per break took most of the time here).
    """
    carry = ""
    skipping = False
    held_cr = False
    for text in texts:
        if held_cr:
            held_cr = False
            if text.startswith("\n"):
                text = text[1:]
        if "\r" in text:
            text = text.replace("\r\n", "\n")
            held_cr = text.endswith("\r")  # a "\n" that opens the next chunk belongs to it
            text = text.replace("\r", "\n")
        pieces = text.split("\n")
        rest = pieces.pop()
        if pieces:
            if skipping:
                skipping = False
                del pieces[0]
            elif carry:
                pieces[0] = carry + pieces[0]
            carry = ""
            yield from pieces
        if skipping:
            continue
        carry += rest
        if len(carry) > max_chars:
            yield _CutLine(carry[:max_chars])
            carry = ""
            skipping = True
    if carry and not skipping:
        yield carry


# -- whmapi1 get_autossl_log --------------------------------------------------------------------

_JSON = json.JSONDecoder()
_PAYLOAD_KEY = re.compile(r'"payload"\s*:\s*\[')


_YAML_KEY = re.compile(
    r"^(?P<indent> *)(?P<dash>- *)?(?P<key>[A-Za-z_][A-Za-z0-9_]*):(?: +(?P<value>.*))?$"
)
_YAML_DASH = re.compile(r"^(?P<indent> *)-\s*$")
_YAML_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "/": "/",
    "0": "\0",
    "e": "\x1b",
    " ": " ",
}


def _yaml_scalar(text: str) -> str | int | None:
    """A one-line YAML scalar: plain, 'single' ('' escapes) or "double" (\\ escapes)."""
    value = text.strip()
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return _yaml_double(value[1:-1])
    if value in ("~", "null", ""):
        return None
    if value.isdigit():
        return int(value)
    return value


def _yaml_double(body: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char != "\\" or index + 1 >= len(body):
            out.append(char)
            index += 1
            continue
        code = body[index + 1]
        width = {"x": 2, "u": 4, "U": 8}.get(code)
        if width:
            digits = body[index + 2 : index + 2 + width]
            try:
                out.append(chr(int(digits, 16)))
            except ValueError:
                out.append("\ufffd")
            index += 2 + width
            continue
        out.append(_YAML_ESCAPES.get(code, code))
        index += 2
    return "".join(out)


class _YamlPayload:
    """whmapi1's default YAML output, the subset it writes for get_autossl_log: mappings and a
    sequence of flat mappings, one-line scalars (plain, single- or double-quoted). Block scalars
    (| and >) and flow collections are not read; such a value reads as empty text."""

    def __init__(self) -> None:
        self.in_payload = False
        self.payload_indent = -1
        self.item: dict[str, Any] | None = None
        self.item_key_indent = -1
        self.number = 0
        self.metadata: dict[str, Any] = {}
        self.in_metadata = False

    def feed(self, line: str) -> Iterator[tuple[int, dict[str, Any]]]:
        if not line.strip() or line.strip() == "---" or line.lstrip().startswith("#"):
            return
        dash = _YAML_DASH.match(line)
        key = _YAML_KEY.match(line)
        indent = len(line) - len(line.lstrip(" "))
        if (
            self.in_payload
            and indent <= self.payload_indent
            and not (dash or (key and key.group("dash")))
        ):
            yield from self.flush()
            self.in_payload = False
        if dash and self.in_payload:
            yield from self.flush()
            self.item = {}
            self.item_key_indent = -1
            return
        if key is None:
            return
        name = key.group("key")
        value = key.group("value")
        if key.group("dash") and self.in_payload:
            yield from self.flush()
            self.item = {}
            self.item_key_indent = indent + len(key.group("dash"))
        if self.in_payload and self.item is not None and value is not None:
            self.item[name] = _yaml_scalar(value)
            return
        if value is None:
            self.in_metadata = name == "metadata" and indent == 0
            if name == "payload":
                self.in_payload = True
                self.payload_indent = indent
            return
        if self.in_metadata:
            self.metadata[name] = _yaml_scalar(value)

    def flush(self) -> Iterator[tuple[int, dict[str, Any]]]:
        if self.item is not None:
            self.number += 1
            item, self.item = self.item, None
            yield self.number, item


# -- classification ------------------------------------------------------------------------------


def _split_list(text: str) -> tuple[list[str], bool]:
    """'a, b, c, …' -> ([a, b, c], cut)."""
    cut = False
    items = []
    for part in text.split(","):
        item = part.strip()
        if item in ("...", "…"):
            cut = True
        elif item:
            items.append(item)
    return items, cut


def _count(text: str | None) -> int | None:
    if not text:
        return None
    digits = text.replace(",", "")
    return int(digits) if digits.isdigit() and len(digits) < 12 else None


def _reject(entry: _Entry, problem: str) -> LogLine:
    number, text, source, level, timestamp, indent, _ = entry
    return LogLine(
        number,
        LineKind.NOT_RECOGNISED,
        text[:MAX_TEXT_CHARS],
        level,
        timestamp,
        indent,
        source,
        problem=problem,
    )


def _match(canonical: str) -> tuple[_Pattern, re.Match[str]] | None:
    """The first pattern that matches, and its match."""
    candidates = _BY_FIRST_WORD.get(canonical.partition(" ")[0])
    if candidates is None and canonical.startswith('"'):
        candidates = _BY_FIRST_WORD['"']
    if candidates is not None:
        for pattern in candidates:
            if pattern.needs in canonical:
                found = pattern.regex.match(canonical)
                if found:
                    return pattern, found
    for pattern in _OTHER_PATTERNS:
        found = pattern.regex.match(canonical)
        if found:
            return pattern, found
    return None


def _names_of_list(line: LogLine, listed_text: str) -> None:
    listed, cut = _split_list(listed_text)
    names, rejected = [], []
    for item in listed:
        name, problem = _checked_name(item)
        if name is None:
            rejected.append((item[:300], problem or "invalid_name"))
        else:
            names.append(name)
    line.names, line.rejected, line.truncated = tuple(names), tuple(rejected), cut


def _renew_sets(line: LogLine, sets_text: str) -> bool:
    sets, rejected = [], []
    for found_set in _SET.finditer(sets_text):
        site, problem = _checked_name(found_set.group("site"))
        if site is None:
            rejected.append((found_set.group("site")[:300], problem or "invalid_name"))
            continue
        members = []
        for item in found_set.group("names").split():
            name, problem = _checked_name(item)
            if name is None:
                rejected.append((item[:300], problem or "invalid_name"))
            else:
                members.append(name)
        sets.append((site, tuple(members)))
    line.sets, line.rejected = tuple(sets), tuple(rejected)
    return bool(sets)


def _extras(line: LogLine, groups: dict[str, str | None]) -> bool:
    """Fill what a line kind says beyond its names; False when the line turns out unreadable."""
    kind = line.kind
    reason = groups.get("reason") or ""
    if kind is LineKind.TLS_STATUS:
        status = (groups.get("status") or "").strip()
        line.code, line.reason = _TLS_STATES.get(status.lower()), status
    elif kind is LineKind.DEFECT or kind is LineKind.IMPEDIMENT:
        line.code, line.reason = groups.get("code"), reason
    elif kind is LineKind.LOCAL_HTTP_DCV_ERROR or kind is LineKind.LOCAL_HTTP_DCV_IMPEDIMENT:
        reason_key, line.findings, _ = _dcv_reason(reason)  # groups are canonical already
        line.reason, line.code = reason, reason_key.value
    elif kind in (LineKind.LOCAL_DNS_DCV_ERROR, LineKind.LOCAL_AUTHORITY_FAILED):
        line.reason = reason
    elif kind is LineKind.UNMANAGED:
        # No working authoritative nameserver: public resolvers answer SERVFAIL, or NXDOMAIN
        # when the domain is not registered.
        line.reason, line.findings = reason, ("SERVFAIL", "NXDOMAIN")
    elif kind is LineKind.CA_FORBIDDEN:
        line.findings = ("CAA_FORBIDS",)
        owner = groups.get("target")
        if owner:
            line.target = _checked_name(owner)[0]
    elif kind is LineKind.PROVIDER_DCV_OK or kind is LineKind.PROVIDER_DCV_ERROR:
        line.code = (groups.get("code") or "").replace(" ", "_").upper()
        if kind is LineKind.PROVIDER_DCV_ERROR:
            line.reason, line.findings = reason, provider_reason_findings(reason)
    elif kind is LineKind.REDIRECT:
        line.reason = reason[:MAX_TEXT_CHARS]
        line.target = (groups.get("target") or "")[:MAX_TEXT_CHARS]
    elif kind is LineKind.CERTIFICATE_EXPIRY or kind is LineKind.ISSUER:
        line.reason = reason
    elif kind is LineKind.RENEW_SET:
        return _renew_sets(line, groups.get("sets") or "")
    listed = groups.get("list")
    if listed is not None:
        _names_of_list(line, listed)
    return True


# Kinds whose line needs more than its names (see _extras).
_WITH_EXTRAS = frozenset(
    {
        LineKind.TLS_STATUS,
        LineKind.DEFECT,
        LineKind.IMPEDIMENT,
        LineKind.LOCAL_HTTP_DCV_ERROR,
        LineKind.LOCAL_HTTP_DCV_IMPEDIMENT,
        LineKind.LOCAL_DNS_DCV_ERROR,
        LineKind.LOCAL_AUTHORITY_FAILED,
        LineKind.UNMANAGED,
        LineKind.CA_FORBIDDEN,
        LineKind.PROVIDER_DCV_OK,
        LineKind.PROVIDER_DCV_ERROR,
        LineKind.REDIRECT,
        LineKind.CERTIFICATE_EXPIRY,
        LineKind.ISSUER,
        LineKind.RENEW_SET,
        LineKind.USER_EXCLUDED,
        LineKind.PROVIDER_EXCLUDED,
        LineKind.DOMAINS_OMITTED,
    }
)


def classify(entry: _Entry) -> LogLine:
    """Type one message. Names are validated like typed names; a bad one makes the line
    NOT_RECOGNISED with the validation's key in `problem`."""
    number, text, source, level, timestamp, indent, entry_problem = entry
    if entry_problem:
        return _reject(entry, entry_problem)
    if not text:
        return LogLine(number, LineKind.BLANK, "", level, timestamp, indent, source)
    if ("\ufffd" in text or "\x00" in text) and (
        text.count("\ufffd") + text.count("\x00") > max(2, len(text) // 20)
    ):
        return _reject(entry, "binary")
    matched = _match(_canonical(text))
    if matched is None:
        return _reject(entry, "unknown_line")
    pattern, found = matched
    site = name = via = None
    for key in pattern.name_groups:
        value = found.group(key)
        if value is not None:
            checked, problem = _checked_name(value)
            if checked is None:
                return _reject(entry, problem or "invalid_name")
            if key == "name":
                name = checked
            elif key == "via":
                via = checked
            elif key == "site":
                site = checked
    user = found.group("user") if pattern.has_user else None
    if user is not None and not _USER_NAME.match(user):
        return _reject(entry, "invalid_user")
    kind = pattern.kind
    if pattern.via_kind is not None and via is not None:
        kind = pattern.via_kind
    line = LogLine(
        number,
        kind,
        text if len(text) <= MAX_TEXT_CHARS else text[:MAX_TEXT_CHARS],
        level,
        timestamp,
        indent,
        source,
        user,
        site,
        name,
        via,
    )
    if pattern.inferred:
        line.inferred = True
    if pattern.has_provider:
        line.provider = found.group("provider")
    if pattern.has_count:
        line.count = _count(found.group("count"))
    if kind in _WITH_EXTRAS and not _extras(line, found.groupdict()):
        return _reject(entry, "unknown_line")
    return line


# -- context: accounts and websites --------------------------------------------------------------

# User-level steps after the websites were analysed: the website context ends there.
_USER_LEVEL = frozenset(
    {
        LineKind.HTTP_DCV_START,
        LineKind.CAA_SETUP,
        LineKind.CAA_CHECK,
        LineKind.CAA_SUMMARY,
        LineKind.MANAGEMENT_CHECK,
        LineKind.MANAGEMENT_SUMMARY,
        LineKind.DNS_DCV_STEP,
        LineKind.COVERAGE_OPTIMAL,
        LineKind.CANNOT_INCREASE_COVERAGE,
        LineKind.RENEW_SET,
    }
)
_V76_DCV_START = "Performing DCV"
_WEBSITE_KINDS = frozenset({LineKind.WEBSITE, LineKind.DYNAMIC_DNS, LineKind.DCV_RESULTS_FOR})
_MISSING = object()
_NONE: list[AccountLog] = []
_LIST_KINDS = frozenset(
    {LineKind.USER_EXCLUDED, LineKind.RENEW_SET}
)  # never appended to: "no account is complete"


class _Assembler:
    """Gives each line its account and website and gathers each account's results.

    cPanel logs in phases: per account the websites and local HTTP DCV; then, for a batch of
    accounts ("AutoSSL will verify N users' … at a time"), DNS DCV and each website's results
    and order. So accounts stay open (indexed by website and name, so a later line finds its
    account) until more than `max_open` are open; the oldest is then complete.
    """

    def __init__(
        self, max_names: int = MAX_NAMES_PER_ACCOUNT, max_open: int = MAX_OPEN_ACCOUNTS
    ) -> None:
        self.open: dict[str | None, AccountLog] = {}
        self.site_owner: dict[str, str | None] = {}
        self.name_owner: dict[str, tuple[str | None, str | None]] = {}
        self.names_seen: dict[str | None, int] = {}
        self.current: AccountLog | None = None
        self.website: WebsiteLog | None = None
        self.website_indent: int | None = None
        self.max_names = max_names
        self.max_open = max_open
        self.provider: str | None = None

    def add(self, line: LogLine) -> list[AccountLog]:
        """Place the line (its `user` and `website` are set) and record what it says; returns
        the accounts that are complete now (usually none)."""
        kind = line.kind
        if kind is LineKind.USER:
            self.current = self._open(line.user)
            self.website = None
            return self._overflow() if len(self.open) > self.max_open else _NONE
        if kind in _FRAMING:
            self._placed(line, self.current, self.website)
            return _NONE
        if kind is LineKind.PROVIDER:
            self.provider = line.provider
        if (
            self.website is not None
            and line.indent is not None
            and self.website_indent is not None
            and line.indent <= self.website_indent
            and kind not in _WEBSITE_KINDS
        ):
            self.website = None
        if kind in _USER_LEVEL and not line.text.startswith(_V76_DCV_START):
            self.website = None
        if kind in _WEBSITE_KINDS and line.website:
            owner = self.site_owner.get(line.website, _MISSING)
            if owner is not _MISSING and owner in self.open:
                self.current = self.open[owner]
            account = self._account()
            self.website = self._site(account, line.website)
            self.website.dynamic_dns = self.website.dynamic_dns or kind is LineKind.DYNAMIC_DNS
            self.website_indent = line.indent
            self._placed(line, account, self.website)
            return self._overflow() if len(self.open) > self.max_open else _NONE
        if kind is LineKind.RENEW_SET and line.sets:
            owner = self.site_owner.get(line.sets[0][0], _MISSING)
            if owner is not _MISSING and owner in self.open:
                self.current = self.open[owner]
        account, website = self._home(line)
        if kind is LineKind.USER_SUSPENDED or kind is LineKind.USER_MISSING_FEATURE:
            account.suspended = kind is LineKind.USER_SUSPENDED
        elif kind is LineKind.COVERAGE_OPTIMAL:
            account.coverage_optimal = True
        self._record(account, self._placed(line, account, website))
        return self._overflow() if len(self.open) > self.max_open else _NONE

    def finish(self) -> list[AccountLog]:
        done = [account for account in self.open.values() if not _empty(account)]
        self.open.clear()
        self.site_owner.clear()
        self.name_owner.clear()
        self.current, self.website = None, None
        return done

    def _open(self, user: str | None) -> AccountLog:
        account = self.open.get(user)
        if account is None:
            account = self.open[user] = AccountLog(user)
            self.names_seen[user] = 0
        return account

    def _account(self) -> AccountLog:
        if self.current is None:
            self.current = self._open(None)
        return self.current

    def _overflow(self) -> list[AccountLog]:
        done: list[AccountLog] = []
        while len(self.open) > self.max_open:
            user = next(iter(self.open))
            account = self.open.pop(user)
            self.names_seen.pop(user, None)
            for site in account.websites.values():
                self.site_owner.pop(site.name, None)
                for name in site.names:
                    self.name_owner.pop(name, None)
            for name in account.unassigned:
                self.name_owner.pop(name, None)
            if account is self.current:
                self.current, self.website = None, None
            if not _empty(account):
                done.append(account)
        return done

    def _home(self, line: LogLine) -> tuple[AccountLog, str | None]:
        """The account and website of a line: the open website block, else the owner the
        indexes know for its name (or a parent of it), else the current account."""
        if self.website is not None or not line.name:
            account = self._account()
            return account, self.website.name if self.website else None
        known = self.name_owner.get(line.name)
        if known is not None and known[0] in self.open:
            return self.open[known[0]], known[1]
        parent = line.name
        while "." in parent:  # the name, then each parent of two labels or more
            owner = self.site_owner.get(parent, _MISSING)
            if owner is not _MISSING and owner in self.open:
                return self.open[owner], parent
            parent = parent.partition(".")[2]
        return self._account(), None

    def _placed(
        self, line: LogLine, account: AccountLog | None, website: WebsiteLog | str | None
    ) -> LogLine:
        user = account.user if account else None
        site = website.name if isinstance(website, WebsiteLog) else website
        site = line.website or site
        line.user = line.user or user
        line.website = site
        return line

    def _site(self, account: AccountLog, name: str) -> WebsiteLog:
        site = account.websites.get(name)
        if site is None:
            site = account.websites[name] = WebsiteLog(name)
            self.site_owner[name] = account.user
        return site

    def _result(self, account: AccountLog, website: str | None, name: str) -> NameResult | None:
        if website is not None:
            site = self._site(account, website)
            found = site.names.get(name)
            if found is None:
                found = account.unassigned.pop(name, None)
                if found is None:
                    if not self._room(account):
                        return None
                    found = NameResult(name)
                site.names[name] = found
                self.name_owner[name] = (account.user, website)
            return found
        known = self.name_owner.get(name)
        if known is not None and known[0] == account.user and known[1] is not None:
            return account.websites[known[1]].names[name]
        found = account.unassigned.get(name)
        if found is None:
            if not self._room(account):
                return None
            found = account.unassigned[name] = NameResult(name)
            self.name_owner[name] = (account.user, None)
        return found

    def _room(self, account: AccountLog) -> bool:
        seen = self.names_seen.get(account.user, 0)
        if seen >= self.max_names:
            account.names_dropped += 1
            return False
        self.names_seen[account.user] = seen + 1
        return True

    def _record(self, account: AccountLog, line: LogLine) -> None:
        kind = line.kind
        if line.name and kind not in _LIST_KINDS:
            self._record_name(account, line)
            return
        site = self._site(account, line.website) if line.website else None
        if kind is LineKind.TLS_STATUS and site:
            site.tls_status = line.code or line.reason
        elif kind is LineKind.DEFECT and site and line.code:
            site.defects.append((line.code, line.reason or ""))
        elif kind is LineKind.IMPEDIMENT and site and line.code:
            site.impediments.append((line.code, line.reason or ""))
        elif kind is LineKind.USER_EXCLUDED and site:
            site.excluded.extend(name for name in line.names if name not in site.excluded)
            site.excluded_count = line.count
            site.excluded_truncated = line.truncated
            for name in line.names:
                result = self._result(account, site.name, name)
                if result:
                    result.excluded = True
        elif kind is LineKind.CANNOT_SECURE_ALL and site:
            site.over_limit = True
        elif kind is LineKind.RENEW_SET:
            for website, names in line.sets:
                target = self._site(account, website)
                target.ordered = names
                target.over_limit = target.over_limit or len(names) > AUTOSSL_MAX_NAMES_PER_WEBSITE
                for name in names:
                    result = self._result(account, website, name)
                    if result:
                        result.ordered = True
        elif line.name:
            self._record_name(account, line)

    def _record_name(self, account: AccountLog, line: LogLine) -> None:
        assert line.name is not None
        result = self._result(account, line.website, line.name)
        if result is None:
            return
        kind = line.kind
        if line.findings:
            result.add_findings(line.findings)
        if kind in (LineKind.LOCAL_HTTP_DCV_OK, LineKind.LOCAL_HTTP_DCV_OK_VIA):
            result.local_http, result.local_http_via = "ok", line.via
        elif kind in (LineKind.LOCAL_HTTP_DCV_ERROR, LineKind.LOCAL_HTTP_DCV_IMPEDIMENT):
            result.local_http, result.local_http_reason = "error", line.reason
            result.local_http_reason_key = DcvReason(line.code) if line.code else None
        elif kind in (LineKind.LOCAL_DNS_DCV_OK, LineKind.LOCAL_DNS_DCV_OK_VIA):
            result.local_dns, result.local_dns_via = "ok", line.via
        elif kind is LineKind.LOCAL_DNS_DCV_ERROR:
            result.local_dns, result.local_dns_reason = "error", line.reason
        elif kind is LineKind.PROVIDER_DCV_OK:
            result.provider_dcv, result.provider_reason = "ok", None
        elif kind is LineKind.PROVIDER_DCV_ERROR:
            result.provider_dcv, result.provider_reason = "error", line.reason
        elif kind is LineKind.CA_AUTHORIZED:
            result.caa = "authorized"
        elif kind is LineKind.CA_FORBIDDEN:
            result.caa = "forbidden"
        elif kind in (LineKind.MANAGED, LineKind.UNMANAGED):
            result.managed = kind is LineKind.MANAGED
        elif kind in (LineKind.LOCAL_AUTHORITY_OK, LineKind.LOCAL_AUTHORITY_NONE):
            result.local_authority = kind is LineKind.LOCAL_AUTHORITY_OK
        elif (
            kind is LineKind.REDIRECT and line.target and len(result.redirects) < MAX_REDIRECTS_KEPT
        ):
            result.redirects.append(line.target)


def _empty(account: AccountLog) -> bool:
    """An account made up only for lines before the first account line, that got nothing."""
    return account.user is None and not account.websites and not account.unassigned


# -- the readers ---------------------------------------------------------------------------------


def _sniff(texts: Iterator[str]) -> tuple[str, list[str]]:
    """Peek at the start: 'json' (a whole JSON document), 'yaml' (whmapi1's YAML) or 'lines'.

    Reads until two line breaks after the first non-space character (or 64 KiB), in whatever
    chunk sizes arrive."""
    head: list[str] = []
    joined = ""
    content_at = -1
    breaks = 0
    for text in texts:
        head.append(text)
        joined += text
        if content_at < 0:
            stripped = joined.lstrip()
            if stripped:
                content_at = len(joined) - len(stripped)
                breaks = stripped.count("\n")
                if stripped[0] not in "{[-dm":
                    break
        else:
            breaks += text.count("\n")
        if breaks >= 2 or len(joined) > 65536:
            break
    start = joined[max(content_at, 0) :]
    if re.match(r"\[\s*[{\]]", start):
        return "json", head
    if start.startswith("{"):
        first_line = start.split("\n", 1)[0].strip()
        try:
            obj = json.loads(first_line)
        except ValueError:
            return ("lines" if first_line.endswith("}") else "json"), head
        return ("lines" if _looks_like_log_object(obj) else "json"), head
    if re.match(r"^(?:---\s*\n\s*)?(?:data|metadata):\s*(?:\n|$)", start):
        return "yaml", head
    return "lines", head


def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from rest


class LogStream:
    """Read a log from chunks (bytes or text, any size), in bounded memory.

    Iterate to get each `AccountLog` as soon as the next account starts; pass `on_line` to see
    every `LogLine` on the way (the explained log). After the iteration: `format`, counts,
    `provider`, `error` (a key of `texts.LOG_ERRORS`, e.g. a truncated JSON document) and
    `nothing_recognised`.
    """

    def __init__(
        self,
        chunks: Iterable[Chunk],
        *,
        on_line: Callable[[LogLine], None] | None = None,
        max_names_per_account: int = MAX_NAMES_PER_ACCOUNT,
        max_open_accounts: int = MAX_OPEN_ACCOUNTS,
    ) -> None:
        self._chunks = chunks
        self._max_open = max_open_accounts
        self._on_line = on_line
        self._max_names = max_names_per_account
        self.format: SourceFormat | None = None
        self.formats: set[SourceFormat] = set()
        self.lines = 0
        self.recognised = 0
        self.not_recognised = 0
        self.inferred = 0
        self.provider: str | None = None
        self.http_dcv_via_parent = False
        self.error: str | None = None
        self.error_params: dict[str, str] = {}

    @property
    def nothing_recognised(self) -> bool:
        """True when not one line was a known AutoSSL line: "this is not an AutoSSL log"."""
        return self.recognised == 0

    def __iter__(self) -> Iterator[AccountLog]:
        assembler = _Assembler(self._max_names, self._max_open)
        add, on_line = assembler.add, self._on_line
        lines = recognised = not_recognised = inferred = 0
        try:
            for entry in self._entries():
                line = classify(entry)
                kind = line.kind
                lines += 1
                if kind not in _FRAMING:
                    recognised += 1
                    inferred += line.inferred
                elif kind is LineKind.NOT_RECOGNISED:
                    not_recognised += 1
                if kind is LineKind.LOCAL_HTTP_DCV_OK_VIA:
                    self.http_dcv_via_parent = True
                if line.source not in self.formats:
                    self.formats.add(line.source)
                    if self.format is None or line.source is not SourceFormat.TEXT:
                        self.format = line.source
                done = add(line)
                if on_line is not None:
                    on_line(line)
                if done:
                    yield from done
        finally:
            self.lines, self.recognised = lines, recognised
            self.not_recognised, self.inferred = not_recognised, inferred
            self.provider = assembler.provider
        yield from assembler.finish()

    def _entries(self) -> Iterator[_Entry]:
        decoded = texts(self._chunks)
        how, head = _sniff(decoded)
        stream = _chain(head, decoded)
        if how == "json":
            try:
                for number, obj in enumerate(array_objects(stream, _PAYLOAD_KEY), start=1):
                    if not isinstance(obj, dict):
                        raise StreamFailure("json_other_api")
                    if _looks_like_log_object(obj):
                        yield from _entries_from_object(number, obj, SourceFormat.WHMAPI_JSON)
                    else:
                        yield (
                            number,
                            str(obj)[:200],
                            SourceFormat.WHMAPI_JSON,
                            "",
                            None,
                            None,
                            "json_not_log_entry",
                        )
            except StreamFailure as failure:
                self.error, self.error_params = failure.key, failure.params
            return
        if how == "yaml":
            parser = _YamlPayload()
            for line in _lines(stream):
                for number, obj in parser.feed(line):
                    yield from _entries_from_object(number, obj, SourceFormat.WHMAPI_YAML)
            for number, obj in parser.flush():
                yield from _entries_from_object(number, obj, SourceFormat.WHMAPI_YAML)
            if parser.metadata.get("result") in (0, "0"):
                self.error = "api_error"
                self.error_params = {"reason": str(parser.metadata.get("reason") or "")[:300]}
            return
        for number, raw in enumerate(_lines(stream), start=1):
            if type(raw) is _CutLine:
                yield (
                    number,
                    raw[:MAX_TEXT_CHARS],
                    SourceFormat.TEXT,
                    "",
                    None,
                    None,
                    "line_too_long",
                )
                continue
            if "}" in raw:  # a line of the json file, perhaps
                line_object = _json_line_object(raw)
                if line_object is not None:
                    yield from _entries_from_object(number, line_object, SourceFormat.JSON_LINES)
                    continue
            yield _entry_from_text_line(number, raw)


@dataclass(slots=True)
class LogReport:
    """A whole log read at once (the page): every line, every account."""

    lines: list[LogLine]
    accounts: list[AccountLog]
    format: SourceFormat | None
    formats: list[SourceFormat]
    provider: str | None
    recognised: int
    not_recognised: int
    inferred: int
    http_dcv_via_parent: bool
    error: str | None = None
    error_params: dict[str, str] = field(default_factory=dict)
    truncated: bool = False  # the text was longer than MAX_PASTE_CHARS or had too many lines

    @property
    def nothing_recognised(self) -> bool:
        return self.recognised == 0

    def ordered_names(self) -> list[str]:
        """Every name AutoSSL ordered, in log order, without repeats."""
        return list(dict.fromkeys(n for account in self.accounts for n in account.ordered_names()))

    def checked_names(self) -> list[str]:
        """The names to check in public DNS: every valid name the log mentions for an account
        (ordered, validated by cPanel or the CA, CAA-checked), in log order, less the names the
        account excluded from AutoSSL."""
        seen: dict[str, None] = {}
        for account in self.accounts:
            for _, result in account.all_names():
                if not result.excluded:
                    seen.setdefault(result.name, None)
        return list(seen)


def read_text(text: str, *, max_chars: int = MAX_PASTE_CHARS) -> LogReport:
    """Read a pasted log (the page). Never raises for any `str`; longer texts are cut."""
    if not isinstance(text, str):
        text = ""
    truncated = len(text) > max_chars
    lines: list[LogLine] = []

    def keep(line: LogLine) -> None:
        nonlocal truncated
        if len(lines) < MAX_KEPT_LINES:
            lines.append(line)
        else:
            truncated = True

    stream = LogStream([text[:max_chars]], on_line=keep)
    accounts = list(stream)
    return LogReport(
        lines=lines,
        accounts=accounts,
        format=stream.format,
        formats=sorted(stream.formats),
        provider=stream.provider,
        recognised=stream.recognised,
        not_recognised=stream.not_recognised,
        inferred=stream.inferred,
        http_dcv_via_parent=stream.http_dcv_via_parent,
        error=stream.error,
        error_params=stream.error_params,
        truncated=truncated,
    )


def file_chunks(binary_file: Any, size: int = 1 << 16) -> Iterator[bytes]:
    """Chunks of an open binary file (or sys.stdin.buffer) for `LogStream`."""
    while True:
        chunk = binary_file.read(size)
        if not chunk:
            return
        yield chunk
