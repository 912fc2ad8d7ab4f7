"""Let's Encrypt's CAA verdict follows Boulder (letsencrypt/boulder va/caa.go), rule by rule.

Each row: a CAA record set at the node, whether Let's Encrypt may issue for a non-wildcard name
validated by http-01 (AutoSSL), the checker's reason, and a phrase its message must contain. The
comment on each row names the Boulder test (va/caa_test.go at d1d082ce) or the function in
va/caa.go it comes from.
"""

from __future__ import annotations

import pytest
from autossl_check import report, texts
from autossl_check.caa import judge_caa
from autossl_check.findings import Lookup, caa_finding, evaluate_name
from autossl_check.model import (
    Answer,
    CaaRecord,
    CheckResult,
    Code,
    Outcome,
    PlannedName,
    Provider,
    ResolverId,
    Rule,
    Verdict,
    Why,
)

V2 = "https://acme-v02.api.letsencrypt.org/acme/acct/"
V1 = "https://acme-v01.api.letsencrypt.org/acme/reg/"


def rec(flags: int, tag: str, value: str) -> CaaRecord:
    return CaaRecord(flags, tag, value)


def le(value: str, flags: int = 0) -> CaaRecord:
    return rec(flags, "issue", value)


CASES = [
    # --- critical flag: bit 128 or bit 1 on an unknown tag (filterCAA) ---
    # TestCAAChecking "Bad (unknown critical)"
    ("crit-128", [rec(128, "foo", "bar"), le("letsencrypt.org")], False, "critical", "foo"),
    # TestCAAChecking "Bad (unknown critical 2)"; TestFilterCAA "unrecognized improper critical"
    ("crit-1", [rec(1, "foo", "bar"), le("letsencrypt.org")], False, "critical", "foo"),
    # TestFilterCAA "unrecognized very improper critical" (flag 9)
    ("crit-9", [rec(9, "foo", "bar")], False, "critical", "foo"),
    # TestCAAChecking "Good (unknown non-critical, no issue/issuewild)": flag 0x7E
    ("noncrit-7e", [rec(0x7E, "foo", "bar")], True, "", ""),
    # --- known tags: issue, issuewild, iodef, issuemail (#7307), issuevmc (#8374) ---
    # TestFilterCAA "recognized critical"
    (
        "known-critical",
        [
            le("letsencrypt.org", 128),
            rec(128, "issuewild", "letsencrypt.org"),
            rec(128, "iodef", "mailto:x@example.com"),
            rec(128, "IssueMail", "letsencrypt.org"),
            rec(128, "issuevmc", "letsencrypt.org"),
        ],
        True,
        "",
        "",
    ),
    # filterCAA default branch: contactemail / contactphone are not known to Boulder
    ("contactemail", [rec(128, "contactemail", "a@example.com")], False, "critical", ""),
    ("contactphone-1", [rec(1, "contactphone", "+1 555 0100")], False, "critical", ""),
    # validateCAA: the critical unknown tag decides before the issue records are read
    (
        "critical-first",
        [rec(128, "contactemail", "a@example.com"), le("sectigo.com")],
        False,
        "critical",
        "contactemail",
    ),
    # ... but a critical issuemail is known, so the issuer mismatch decides
    (
        "issuer-decides",
        [rec(128, "issuemail", "sectigo.com"), le("sectigo.com")],
        False,
        "not_listed",
        "allows only sectigo.com",
    ),
    # TestCAAChecking "Good (multiple critical, one matching)": bit 1 on a known tag is harmless
    ("multi-crit", [le("ca.com", 1), le("letsencrypt.org", 1)], True, "", ""),
    # validateCAA "no relevant records": only issuewild / iodef
    (
        "issuewild-only",
        [rec(0, "issuewild", ";"), rec(0, "iodef", "mailto:x@x.example")],
        True,
        "",
        "",
    ),
    # --- parameters by Boulder's grammar (parseCAARecord) ---
    # TestExtractIssuerDomainAndParameters "only domain with trailing semicolon is valid"
    ("trailing-semicolon-alone", [le("letsencrypt.org;")], True, "", ""),
    # parseCAARecord: an empty part after a parameter has no "=" (not tag=value)
    ("trailing-semicolon", [le("letsencrypt.org; foo=bar;")], False, "params_malformed", ";"),
    ("double-semicolon", [le("letsencrypt.org;;")], False, "params_malformed", "does not parse"),
    # "multiple spaces in param values are extra invalid"; TestCAAChecking invalid-value.com
    ("space-in-value", [le("letsencrypt.org; ab=1 2 3")], False, "params_malformed", "ab=1 2 3"),
    # "spaces in param values are still invalid" (baz=a=<TAB>b)
    ("space-after-equals", [le("letsencrypt.org; baz=a=\tb")], False, "params_malformed", "baz="),
    # "underscores in param tags are invalid"; TestCAAChecking "Bad (issue rec with invalid tag)"
    ("underscore-tag", [le("letsencrypt.org; a_b=123")], False, "params_malformed", "a_b=123"),
    # "hyphens in param tags are invalid"
    ("hyphen-tag", [le("letsencrypt.org; 1=2; a-b=c")], False, "params_malformed", "a-b=c"),
    # "high codepoints in params are invalid"
    ("high-codepoint", [le("letsencrypt.org; foo=a\u2615b")], False, "params_malformed", ""),
    # "comma-separated param values are valid": "=" inside a value is allowed by Boulder
    ("equals-in-value", [le("letsencrypt.org; baz = a=b")], True, "", ""),
    # TestCAAChecking "Good (issue rec with unknown params)"
    ("unknown-params", [le("  letsencrypt.org  ;foo=bar;baz=bar")], True, "", ""),
    # "empty params are valid"
    ("empty-param", [le("letsencrypt.org; foo=; baz =\tbar")], True, "", ""),
    # "duplicate tags are valid": only accounturi and validationmethods may not repeat
    ("duplicate-unknown", [le("letsencrypt.org; foo=1; foo=2")], True, "", ""),
    # parseCAARecord: the tag loop accepts an empty tag
    ("empty-tag", [le("letsencrypt.org; =x")], True, "", ""),
    # validateCAA: a record that does not parse is skipped, another one can still allow
    ("skip-one", [le("letsencrypt.org; a_b=1"), le("letsencrypt.org")], True, "", ""),
    # --- validationmethods must reach http-01 (caaValidationMethodMatches) ---
    # TestCAAChecking "Bad (restricts to dns-01, but tested with http-01)"
    ("dns-only", [le("letsencrypt.org; validationmethods=dns-01")], False, "method", "dns-01"),
    # TestCAAChecking "Good (restricts to http-01 or dns-01, tested with http-01)"
    ("http-or-dns", [le("letsencrypt.org; validationmethods=http-01,dns-01")], True, "", ""),
    # TestValidationMethodMatches "no value"
    ("method-empty", [le("letsencrypt.org; validationmethods=")], False, "method_empty", "empty"),
    # TestValidationMethodMatches "only comma"
    ("method-comma", [le("letsencrypt.org; validationmethods=,")], False, "method_malformed", ","),
    # caaValidationMethodMatches: a malformed entry before http-01 rejects the record ...
    (
        "method-malformed-first",
        [le("letsencrypt.org; validationmethods=dns-01,,http-01")],
        False,
        "method_malformed",
        "dns-01,,http-01",
    ),
    # ... one after it is never read
    (
        "method-malformed-after",
        [le("letsencrypt.org; validationmethods=http-01,a_b")],
        True,
        "",
        "",
    ),
    # TestValidationMethodMatches "invalid method"
    ("tls-sni", [le("letsencrypt.org; validationmethods=tls-sni-01")], False, "method", ""),
    # core.AcmeChallenge is case-sensitive: HTTP-01 is not a method Boulder knows
    (
        "method-upper",
        [le("letsencrypt.org; validationmethods=HTTP-01")],
        False,
        "method_case",
        "HTTP-01",
    ),
    # TestValidationMethodMatches "multiple validationmethods, each with an identical value"
    (
        "method-repeated",
        [le("letsencrypt.org; validationmethods=http-01; validationmethods=http-01")],
        False,
        "method_repeated",
        "more than once",
    ),
    # --- issuer compared exactly (caaDomainMatches) ---
    # TestCAAChecking "Bad (Reserved)" / "Bad (Reserved, Mixed case Issue)"
    ("reserved", [rec(0, "iSsUe", "ca.com")], False, "not_listed", "ca.com"),
    ("issuer-case", [le("LetsEncrypt.org")], False, "issuer_spelling", "LetsEncrypt.org"),
    ("issuer-dot", [le("letsencrypt.org.")], False, "issuer_spelling", "letsencrypt.org."),
    # TestCAAChecking "Bad (unsatisfiable issue record)"
    ("unsatisfiable", [le(";")], False, "forbids_all", "forbids every CA"),
    # --- accounturi (caaAccountURIMatches) ---
    # TestAccountURIMatches "single parameter, no value"
    ("account-empty", [le("letsencrypt.org; accounturi=")], False, "account_empty", "empty"),
    # TestAccountURIMatches "multiple parameters, each with an identical value"
    (
        "account-repeated",
        [le(f"letsencrypt.org; accounturi={V2}1; accounturi={V2}1")],
        False,
        "account_repeated",
        "more than once",
    ),
    # TestAccountURIMatches "multiple prefixes, match none": not a Let's Encrypt account URI
    (
        "account-foreign",
        [le("letsencrypt.org; accounturi=https://ca.example.net/acct/1")],
        False,
        "account_foreign",
        "https://ca.example.net/acct/1",
    ),
    # fmt.Sprintf("%s%d"): an account id never has leading zeros
    ("account-zero", [le(f"letsencrypt.org; accounturi={V2}0123")], False, "account_foreign", ""),
    # TestCAAChecking "Good/Bad (restricts to accounturi, tested with correct/incorrect account)"
    (
        "account-v2",
        [le(f"letsencrypt.org; accounturi={V2}123")],
        False,
        "account_bound",
        f"{V2}123",
    ),
    # TestAccountURIMatches "simple match" (ACME v1 prefix)
    ("account-v1", [le(f"letsencrypt.org; accounturi={V1}123456")], False, "account_bound", V1),
    # TestCAAChecking "Good (restricts to multiple accounturi, tested with a correct account)"
    (
        "account-two",
        [le(f"letsencrypt.org; accounturi={V2}321"), le(f"letsencrypt.org; accounturi={V2}123")],
        False,
        "account_bound",
        f"{V2}321, {V2}123",
    ),
    # validateCAA: any usable record allows, the bound one does not matter then
    (
        "account-and-open",
        [le(f"letsencrypt.org; accounturi={V2}1"), le("letsencrypt.org")],
        True,
        "",
        "",
    ),
    # TestCAAChecking "Bad (restricts to dns-01 and accounturi, tested with http-01)"
    (
        "account-dns-only",
        [le(f"letsencrypt.org; accounturi={V2}123; validationmethods=dns-01")],
        False,
        "method",
        "dns-01",
    ),
    # validateCAA checks accounturi before validationmethods
    (
        "account-before-method",
        [le("letsencrypt.org; accounturi=; validationmethods=dns-01")],
        False,
        "account_empty",
        "",
    ),
    # parameter tags are compared exactly: AccountURI is an unknown parameter (issue #8614)
    (
        "account-mixed-case-tag",
        [le("letsencrypt.org; AccountURI=https://ca.example.net/1")],
        True,
        "",
        "",
    ),
]


@pytest.mark.parametrize(
    ("records", "allowed", "reason", "phrase"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_letsencrypt_follows_boulder(
    records: list[CaaRecord], allowed: bool, reason: str, phrase: str
) -> None:
    judged = judge_caa("example.com", records, "letsencrypt")
    assert (judged.allowed, judged.reason) == (allowed, reason)
    if allowed:
        return
    code, fact = caa_finding(judged, Provider.LETSENCRYPT)
    assert code == (Code.CAA_ACCOUNT_BOUND if reason == "account_bound" else Code.CAA_FORBIDS)
    assert fact.key in texts.SENTENCES, fact.key
    english = texts.fact_text(fact, "en")
    assert phrase in english, english
    for lang in texts.LANGS:
        message = texts.fact_text(fact, lang)
        assert judged.detail in message
        assert "example.com" in message
    assert texts.fact_text(fact, "ja") != english


def test_empty_validationmethods_is_not_called_a_listing() -> None:
    judged = judge_caa("example.com", [le("letsencrypt.org; validationmethods=")], "letsencrypt")
    message = texts.fact_text(caa_finding(judged, Provider.LETSENCRYPT)[1], "en")
    assert "allows only" not in message
    assert "validationmethods" in message


def test_account_bound_shows_the_uri_and_where_to_compare() -> None:
    judged = judge_caa("example.com", [le(f"letsencrypt.org; accounturi={V2}42")], "letsencrypt")
    assert judged.params == (("accounturi", f"{V2}42"),)
    code, fact = caa_finding(judged, Provider.LETSENCRYPT)
    assert code == Code.CAA_ACCOUNT_BOUND
    assert f"{V2}42" in texts.fact_text(fact, "en")
    assert "Provider Account ID" in texts.fact_text(fact, "en")
    assert "Provider Account ID" in texts.fact_text(fact, "ja")


SECTIGO = [
    ("sectigo.com", True, ""),
    ("Sectigo.com", True, ""),  # DNS names compare case-insensitively
    ("comodoca.com; foo=bar", True, ""),
    ("sectigo.com.", False, "value_malformed"),  # no final dot in RFC 8659's issuer-domain-name
    ("sectigo.com; a=b;", False, "value_malformed"),
    ("sectigo.com; a=1 2", False, "value_malformed"),
    ("letsencrypt.org", False, "not_listed"),
    (";", False, "forbids_all"),
]


@pytest.mark.parametrize(("value", "allowed", "reason"), SECTIGO)
def test_sectigo_reads_rfc8659_strictly(value: str, allowed: bool, reason: str) -> None:
    judged = judge_caa("example.com", [le(value)], "sectigo")
    assert (judged.allowed, judged.reason) == (allowed, reason)


def test_sectigo_critical_is_bit_128_only() -> None:
    assert judge_caa("example.com", [rec(1, "foo", "x"), le("sectigo.com")], "sectigo").allowed
    assert not judge_caa("example.com", [rec(128, "foo", "x")], "sectigo").allowed


def test_sectigo_knows_only_rfc8659_and_contact_tags() -> None:
    for tag in ("issuemail", "issuevmc"):
        judged = judge_caa("example.com", [rec(128, tag, "x"), le("sectigo.com")], "sectigo")
        assert (judged.allowed, judged.reason) == (False, "critical")
    contact = [rec(128, "contactemail", "a@example.com"), le("sectigo.com")]
    assert judge_caa("example.com", contact, "sectigo").allowed


def test_sectigo_does_not_interpret_parameters() -> None:
    records = [le("sectigo.com; validationmethods=dns-01; accounturi=")]
    assert judge_caa("example.com", records, "sectigo").allowed


# --- end to end: answers -> findings -> verdict and advice ------------------------------------

RESOLVER = ResolverId.from_url("https://127.0.0.1:8053/dns-query")
SERVER = "203.0.113.10"


def lookup_from(caa: dict[str, list[CaaRecord]]) -> Lookup:
    def lookup(resolver: ResolverId, name: str, rdtype: str) -> Outcome:
        if rdtype == "A":
            return Answer("NOERROR", addresses=(SERVER,))
        if rdtype == "AAAA":
            return Answer("NOERROR")
        return Answer("NOERROR", caa=tuple(caa.get(name, ())))

    return lookup


def run(caa: dict[str, list[CaaRecord]]) -> CheckResult:
    planned = PlannedName("www.example.com", Why(Rule.WWW))
    row = evaluate_name(planned, [RESOLVER], lookup_from(caa), [SERVER], Provider.LETSENCRYPT)
    return CheckResult(
        domain="example.com",
        servers=(SERVER,),
        server_source="given",
        provider=Provider.LETSENCRYPT,
        resolvers=(RESOLVER,),
        rows=(row,),
        queries=0,
        checked_at="2026-12-03T10:00:00Z",
    )


def test_end_to_end_account_bound() -> None:
    result = run({"example.com": [le(f"letsencrypt.org; accounturi={V2}42")]})
    (row,) = result.rows
    assert row.codes == [Code.CAA_ACCOUNT_BOUND]
    assert result.verdict is Verdict.ACTION_NEEDED
    assert result.exclude == ("www.example.com",)
    text = report.to_text(result, "en")
    assert f"{V2}42" in text
    assert "Provider Account ID" in " ".join(report.advice(result, "en"))
    assert texts.docs_anchor("CAA_ACCOUNT_BOUND") == "findings/#CAA_ACCOUNT_BOUND"


def test_end_to_end_method_empty_is_forbidden_with_its_reason() -> None:
    result = run({"example.com": [le("letsencrypt.org; validationmethods=")]})
    (row,) = result.rows
    assert row.codes == [Code.CAA_FORBIDS]
    assert row.findings[0].facts[0].key == "caa.method_empty"


def test_end_to_end_closest_set_wins() -> None:
    result = run({"www.example.com": [le("letsencrypt.org")], "example.com": [le(";")]})
    assert result.rows[0].codes == []
