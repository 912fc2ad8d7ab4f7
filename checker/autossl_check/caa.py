"""CAA (RFC 8659): which record set applies to a name, and whether it lets a provider's CA issue.

The relevant set is the first non-empty CAA answer found walking from the name up towards (not
including) the root; the resolver follows CNAMEs for each node. No CAA anywhere: any CA may issue.

Let's Encrypt: the rules below are Boulder's (Let's Encrypt's CA software), read in
letsencrypt/boulder: `va/caa_test.go` at commit d1d082ce83d3648274fd70e91c966e3a50142a21;
`va/caa.go` in its 2025 form (`DoCAA`, `[]caaParameter`; the copy read carries no commit id, the
older copy at 00b06d0d77e6ef07210dd3bd169b06f7936b3a7a was compared); and the merged pull requests
#7307 (issuemail), #7565 (repeated accounturi / validationmethods) and #8374 (issuevmc).
The request AutoSSL makes is a non-wildcard name validated by http-01.

1. An unknown tag with flag bit 128 or bit 1 set (Boulder's alias for an old misreading of the
   critical bit) forbids issuance; it decides before anything else (`filterCAA`, `validateCAA`).
2. Known tags, case-insensitive: issue, issuewild, iodef, issuemail, issuevmc. contactemail and
   contactphone are unknown to Boulder, so critical ones forbid issuance.
3. No `issue` property in the set: issuance is not restricted.
4. An `issue` record is usable only if all of these hold, checked in Boulder's order
   (`validateCAA`): its parameters parse (`parseCAARecord`: split on every `;`; each parameter
   `tag=value`; tag ASCII letters and digits only; value printable ASCII without spaces or `;`,
   `=` allowed; "ca;" with nothing after is fine, a trailing `;` after a parameter or `;;` is not);
   the issuer is exactly `letsencrypt.org` (case and a trailing dot matter: `caaDomainMatches`);
   an `accounturi` parameter, if present, is given once and names the requesting account
   (`caaAccountURIMatches`); a `validationmethods` parameter, if present, is given once, and its
   comma-separated entries reach `http-01` (exact, lower-case) before any entry that is not
   1*(ALPHA / DIGIT / "-") (`caaValidationMethodMatches`). Parameter tags are compared exactly,
   so `AccountURI=` is just an unknown parameter (Boulder issue #8614, still open).
5. Issuance is allowed if any `issue` record is usable.

The checker does not know AutoSSL's Let's Encrypt account, so a record that is usable except that
it names one Let's Encrypt account yields the verdict "account_bound" (finding CAA_ACCOUNT_BOUND)
instead of allowed or forbidden.

Sectigo: its CAA parser is not public, so RFC 8659 is read strictly: critical means bit 128, the
whole `issue` value must match §4.2's grammar, and the issuer-domain-name is compared with
Sectigo's names case-insensitively (DNS names are, RFC 4343); parameters are not interpreted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .caa_grammar import first_issuer_word, parse_boulder, rfc8659_issuer
from .model import CaaRecord

PROVIDERS: dict[str, tuple[str, ...]] = {
    "letsencrypt": ("letsencrypt.org",),
    "sectigo": ("sectigo.com", "comodoca.com", "usertrust.com", "trust-provider.com", "comodo.com"),
}
PROVIDER_NAMES = {"letsencrypt": "Let's Encrypt", "sectigo": "Sectigo"}

LETSENCRYPT_ISSUER = "letsencrypt.org"
# Boulder's filterCAA: the tags Let's Encrypt recognises (a critical one does not block).
LETSENCRYPT_KNOWN_TAGS = frozenset({"issue", "issuewild", "iodef", "issuemail", "issuevmc"})
# Boulder treats bit 1 as an alias of the critical bit 128.
LETSENCRYPT_CRITICAL_BITS = 128 | 1
# The account URI forms Boulder is configured with (`accountURIPrefixes`) are not public; these are
# Let's Encrypt's ACME v2 form (what it documents) and the ACME v1 form Boulder's comment names.
LETSENCRYPT_ACCOUNT_PREFIXES = (
    "https://acme-v02.api.letsencrypt.org/acme/acct/",
    "https://acme-v01.api.letsencrypt.org/acme/reg/",
)
# AutoSSL validates over HTTP (cPanel's HTTP DCV), which is ACME http-01.
AUTOSSL_METHOD = "http-01"

# RFC 8659 §4.1 for the CAs whose parser is not public (Sectigo).
RFC8659_KNOWN_TAGS = frozenset({"issue", "issuewild", "iodef", "contactemail", "contactphone"})
RFC8659_CRITICAL_BITS = 128

_METHOD_ENTRY = re.compile(r"[A-Za-z0-9-]+")  # Boulder's ^[[:alnum:]-]+$
_INT64_MAX = 2**63 - 1

Params = tuple[tuple[str, str], ...]  # (tag, value) as written, in order


def caa_nodes(name: str) -> list[str]:
    """`www.example.com` → [www.example.com, example.com, com]: the nodes RFC 8659 may visit."""
    labels = name.split(".")
    return [".".join(labels[index:]) for index in range(len(labels))]


@dataclass(frozen=True, slots=True)
class CaaVerdict:
    allowed: bool
    node: str = ""  # where the relevant set was found ("" when no CAA applies)
    records: tuple[CaaRecord, ...] = ()
    # Why not allowed: "critical", "forbids_all", "not_listed", "issuer_spelling",
    # "params_malformed", "value_malformed", "account_repeated", "account_empty",
    # "account_foreign", "method", "method_empty", "method_repeated", "method_malformed",
    # "method_case", or "account_bound" (may issue only to the one account named).
    reason: str = ""
    detail: str = ""
    params: tuple[tuple[str, str], ...] = ()  # the parameters of the record `reason` is about


@dataclass(frozen=True, slots=True)
class _RecordOutcome:
    kind: str  # "usable", "account_bound", or a CaaVerdict reason
    names_ca: bool  # the record was written for this CA (a reason worth telling)
    detail: str = ""
    params: tuple[tuple[str, str], ...] = ()


def judge_caa(node: str, records: Sequence[CaaRecord], provider: str) -> CaaVerdict:
    """Whether the CAA set found at `node` lets `provider` issue a (non-wildcard) certificate."""
    found = tuple(records)
    if not found:
        return CaaVerdict(True)
    letsencrypt = provider == "letsencrypt"
    known = LETSENCRYPT_KNOWN_TAGS if letsencrypt else RFC8659_KNOWN_TAGS
    critical_bits = LETSENCRYPT_CRITICAL_BITS if letsencrypt else RFC8659_CRITICAL_BITS
    for record in found:
        if record.flags & critical_bits and record.tag.lower() not in known:
            return CaaVerdict(False, node, found, "critical", record.tag)
    issue = [record for record in found if record.tag.lower() == "issue"]
    if not issue:
        return CaaVerdict(True, node, found)
    if letsencrypt:
        outcomes = [_judge_letsencrypt(record.value) for record in issue]
    else:
        outcomes = [_judge_rfc8659(record.value, PROVIDERS[provider]) for record in issue]
    if any(outcome.kind == "usable" for outcome in outcomes):
        return CaaVerdict(True, node, found)
    bound = [outcome for outcome in outcomes if outcome.kind == "account_bound"]
    if bound:
        uris = ", ".join(dict.fromkeys(outcome.detail for outcome in bound))
        params = tuple(pair for outcome in bound for pair in outcome.params)
        return CaaVerdict(False, node, found, "account_bound", uris, params)
    # Explain the refusal by the first record written for this CA, else by a near miss.
    for wanted in (True, False):
        for outcome in outcomes:
            if outcome.names_ca is wanted and outcome.kind not in ("other", "empty"):
                return CaaVerdict(False, node, found, outcome.kind, outcome.detail, outcome.params)
    if all(outcome.kind == "empty" for outcome in outcomes):
        return CaaVerdict(False, node, found, "forbids_all")
    listed = ", ".join(dict.fromkeys(outcome.detail or ";" for outcome in outcomes))
    return CaaVerdict(False, node, found, "not_listed", listed)


def _judge_letsencrypt(value: str) -> _RecordOutcome:
    parsed = parse_boulder(value)
    names_ca = parsed.issuer == LETSENCRYPT_ISSUER
    if not parsed.parsed:
        if names_ca:
            return _RecordOutcome("params_malformed", True, parsed.bad_part)
        return _other_issuer(parsed.issuer)
    if not names_ca:
        return _other_issuer(parsed.issuer)
    params = parsed.params
    account = _account_check(params)
    if account is not None and account.kind != "account_bound":
        return account
    method = _method_check(params)
    if method is not None:
        return method
    return account or _RecordOutcome("usable", True, params=params)


def _other_issuer(issuer: str) -> _RecordOutcome:
    if not issuer:
        return _RecordOutcome("empty", False)
    if issuer.lower().rstrip(".") == LETSENCRYPT_ISSUER:
        # Boulder compares the issuer exactly: `LetsEncrypt.org` or `letsencrypt.org.` never match.
        return _RecordOutcome("issuer_spelling", False, issuer)
    return _RecordOutcome("other", False, issuer)


def _single(params: Params, tag: str, short: str) -> str | _RecordOutcome | None:
    """The one value of `tag`; None when absent; RFC 8657 makes a repeated one unsatisfiable."""
    values = [value for name, value in params if name == tag]
    if len(values) > 1:
        return _RecordOutcome(f"{short}_repeated", True, ", ".join(values), params)
    if values and not values[0]:
        return _RecordOutcome(f"{short}_empty", True, params=((tag, ""),))
    return values[0] if values else None


def _account_check(params: Params) -> _RecordOutcome | None:
    uri = _single(params, "accounturi", "account")
    if not isinstance(uri, str):
        return uri
    kind = "account_bound" if _is_letsencrypt_account(uri) else "account_foreign"
    return _RecordOutcome(kind, True, uri, (("accounturi", uri),))


def _is_letsencrypt_account(uri: str) -> bool:
    # Boulder matches `prefix + str(account id)`; an id is a positive int64 without leading zeros.
    for prefix in LETSENCRYPT_ACCOUNT_PREFIXES:
        number = uri.removeprefix(prefix)
        if number != uri and re.fullmatch(r"[1-9][0-9]*", number, re.ASCII):
            return int(number) <= _INT64_MAX
    return False


def _method_check(params: Params) -> _RecordOutcome | None:
    value = _single(params, "validationmethods", "method")
    if not isinstance(value, str):
        return value
    shown = (("validationmethods", value),)
    entries = value.split(",")
    for entry in entries:
        # Boulder stops at the first entry that is not a method name, even if http-01 follows.
        if not _METHOD_ENTRY.fullmatch(entry):
            return _RecordOutcome("method_malformed", True, value, shown)
        if entry == AUTOSSL_METHOD:
            return None
    near = [entry for entry in entries if entry.lower() == AUTOSSL_METHOD]
    if near:
        return _RecordOutcome("method_case", True, near[0], shown)
    return _RecordOutcome("method", True, value, shown)


def _judge_rfc8659(value: str, issuers: tuple[str, ...]) -> _RecordOutcome:
    issuer = rfc8659_issuer(value)
    if issuer is None:
        written = first_issuer_word(value)
        names_ca = written.lower().rstrip(".") in issuers
        return _RecordOutcome("value_malformed" if names_ca else "other", names_ca, written)
    if not issuer:
        return _RecordOutcome("empty", False)
    if issuer.lower() in issuers:
        return _RecordOutcome("usable", True)
    return _RecordOutcome("other", False, issuer)
