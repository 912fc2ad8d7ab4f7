"""Every word in both languages: keys present, placeholders exact, Japanese free of English."""

from __future__ import annotations

import re
from typing import Any

import pytest
from autossl_check import caa, report, texts
from autossl_check.model import (
    FACT_PARAMS,
    FAILURE_PARAMS,
    FAILURES_WITH_CAUSE,
    CaaRecord,
    CheckResult,
    Code,
    Ede,
    Fact,
    FailureKind,
    InputError,
    LookupFailure,
    Provider,
    ResolverId,
    ResolverView,
    Rule,
    Subject,
    Verdict,
    Why,
)
from autossl_check.texts import TextError, placeholders

from .helpers import check

R = ResolverId.from_url("https://192.0.2.53/dns-query")

# Proper nouns, record types, protocol words and UI labels that Japanese text keeps in English.
PHRASES = (
    "Exclude Domains from AutoSSL",
    "Manage AutoSSL",
    "Provider Account ID",
    "SSL/TLS Status",
    "SSL/TLS",
    "letsencrypt.org",
    "Let's Encrypt",
    "Web Disk",
    "DNS over HTTPS",
    "DNS-over-HTTPS",
    "Content-Type",
    "http-01",
    "--help",
    "--server",
    "example.com",
    "/.well-known/",
    "Always Use HTTPS",
    "View Log",
    "/var/cpanel/logs/autossl/",
    "/.well-known/",
    "UTF-8",
    "--output=json",
    "--user",
    "--from-domain-info",
    "--from-log",
    "--rate",
    "--watch-for",
    "--docroot",
    "--http",
    "--watch",
    "uapi DomainInfo list_domains",
    "CERTIFICATE_HAS_MAX_DOMAINS",
    "Ctrl-C",
    "after-dns-change.md",
    # the service subdomains' labels, named in the page's form (names, not words)
    "webdisk.",
    "cpcalendars.",
    "cpcontacts.",
    "autodiscover.",
    "autodiscover_proxy_subdomains",
)
WORDS = {
    word.lower()
    for word in [
        "DNS",
        "CAA",
        "AAAA",
        "CNAME",
        "TTL",
        "SOA",
        "SERVFAIL",
        "NXDOMAIN",
        "HTTP",
        "TLS",
        "IPv",
        "URL",
        "EDE",
        "DNSSEC",
        "DNSKEY",
        "NSEC",
        "RRSIG",
        "AutoSSL",
        "cPanel",
        "WHM",
        "Webmail",
        "Web",
        "Sectigo",
        "http",
        "https",
        "www",
        "mail",
        "autodiscover",
        "DoH",
        "cloudflare",
        "google",
        "both",
        "letsencrypt",
        "sectigo",
        "validationmethods",
        "accounturi",
        "ACME",
        "URI",
        "issue",
        "RFC",
        "tag",
        "value",
        "JSON",
        "Markdown",
        "TXT",
        "API",
        "via",
        # names of programs and of the administrator account, in the page's form
        "uapi",
        "whmapi",
        "root",
        "Python",
        "WebAssembly",
    ]
}
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def english_words(text: str) -> set[str]:
    text = re.sub(r"`[^`]*`", " ", text)  # code in the guide's tables: names, not words
    text = re.sub(r"\]\([^)]*\)", "]", text)  # a link's target is an address, not words
    for phrase in PHRASES:
        text = text.replace(phrase, " ")
    return {word.lower() for word in ENGLISH_WORD.findall(text)} - WORDS


def without(text: str, values: list[str]) -> str:
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, " ")
    return text


def test_every_fact_has_a_sentence_with_exactly_its_parameters() -> None:
    assert set(texts.SENTENCES) == set(FACT_PARAMS), "a sentence without a fact, or the reverse"
    for key, wanted in FACT_PARAMS.items():
        english, japanese = texts.SENTENCES[key]
        assert placeholders(english) == wanted, f"en {key}"
        assert placeholders(japanese) == wanted, f"ja {key}"


@pytest.mark.parametrize("table", ["label", "advice", "piece", "page"])
def test_both_languages_fill_the_same_placeholders(table: str) -> None:
    for key, (english, japanese) in texts.TABLES[table].items():
        assert placeholders(english) == placeholders(japanese), f"{table} {key}"


def test_every_value_of_the_model_has_words() -> None:
    for lang in texts.LANGS:
        for code in Code:
            assert texts.title(code, lang)
            assert texts.explanation(code, lang)
        for rule in Rule:
            assert texts.why_text(Why(rule), lang)
            assert texts.why_text(Why(rule, "addon.example"), lang)
            assert texts.why_text(Why(rule, parked="parked.example"), lang)
        for subject in Subject:
            assert texts.value_text(subject, lang)
        for provider in Provider:
            assert texts.provider_name(provider, lang)
        for verdict in Verdict:
            assert texts.verdict_text(verdict, lang)


def test_a_missing_key_or_placeholder_is_an_error_not_a_blank() -> None:
    with pytest.raises(TextError):
        texts.label("no.such.label", "en")
    with pytest.raises(TextError):
        texts.label("server.apex", "ja")  # needs {domain}
    with pytest.raises(TextError):
        texts.label("heading", "en", domain="x.example")  # takes nothing
    with pytest.raises(TextError):
        texts.fill("sentence", "nxdomain", "en", {})
    with pytest.raises(KeyError):
        Fact("no_such_fact")
    with pytest.raises(ValueError, match="takes"):
        Fact("nxdomain", {"name": "a.example", "extra": 1})
    with pytest.raises(ValueError, match="carries"):
        LookupFailure(FailureKind.HTTP_STATUS, R)  # the status is missing


def test_every_extended_dns_error_code_has_a_meaning_in_both_languages() -> None:
    assert set(texts.EDE_MEANINGS) == set(range(25))  # RFC 8914 assigns 0-24
    assert texts.ede_text(Ede(6, "I74V"), "en") == "EDE 6 (DNSSEC Bogus): I74V"
    assert texts.ede_text(Ede(6, "I74V"), "ja") == "EDE 6「DNSSEC 検証失敗」: I74V"
    assert texts.ede_text(Ede(22), "en") == "EDE 22 (No Reachable Authority)"
    assert texts.ede_text(Ede(99), "ja") == "EDE 99「未割り当てのコード」"
    for code in range(25):
        assert not english_words(texts.ede_text(Ede(code), "ja")), code


def test_lists_are_joined_in_the_readers_language() -> None:
    assert texts.join(["a", "b", "c"], "en") == "a, b, c"
    assert texts.join(["a", "b", "c"], "ja") == "a、b、c"
    assert texts.join([], "ja") == ""


SAMPLE_PARAMS: dict[str, int | float | str] = {
    "status": 503,
    "content_type": "text/plain",
    "id": 7,
    "question": "a.example A",
    "count": 2,
    "limit": 16,
    "rcode": "REFUSED",
    "seconds": 4.0,
    "error": "RuntimeError",
}


def failures() -> list[LookupFailure]:
    made = []
    for kind in FailureKind:
        params = tuple((name, SAMPLE_PARAMS[name]) for name in FAILURE_PARAMS.get(kind, ()))
        made.append(LookupFailure(kind, R, params))
        if kind in FAILURES_WITH_CAUSE:
            made.append(LookupFailure(kind, R, params, cause="x509: 0x1a"))
    made += [LookupFailure(FailureKind.HTTP_STATUS, R, (("status", s),)) for s in (404, 429)]
    made.append(made[0].again())
    return made


@pytest.mark.parametrize("failure", failures(), ids=lambda f: f"{f.kind}-{f.cause}-{f.retried}")
def test_every_failure_kind_reads_in_japanese_without_english(failure: LookupFailure) -> None:
    data = [R.label, failure.cause, *(str(value) for _name, value in failure.params)]
    english = without(texts.failure_text(failure, "en"), data)
    japanese = without(texts.failure_text(failure, "ja"), data)
    assert japanese != english
    leaked = english_words(japanese) & english_words(english)
    assert not leaked, (failure.kind, texts.failure_text(failure, "ja"))


@pytest.mark.parametrize("code", list(Code))
def test_every_code_reads_in_japanese_without_english(code: Code) -> None:
    for english, japanese in (
        (texts.title(code, "en"), texts.title(code, "ja")),
        (texts.explanation(code, "en"), texts.explanation(code, "ja")),
    ):
        assert not english_words(japanese) & english_words(english), japanese


@pytest.mark.parametrize("table", sorted(texts.TABLES))
def test_no_japanese_template_repeats_its_english_words(table: str) -> None:
    for key, (english, japanese) in texts.TABLES[table].items():
        bare_en = re.sub(r"\{\w+\}", " ", english)
        bare_ja = re.sub(r"\{\w+\}", " ", japanese)
        assert not english_words(bare_ja) & english_words(bare_en), (table, key, japanese)


def test_the_check_for_english_can_fail() -> None:
    assert english_words("192.0.2.53 が timeout しました") == {"timeout"}
    assert english_words("AutoSSL の DNS チェック") == set()


def test_input_errors_render_in_both_languages_and_not_when_raised() -> None:
    error = InputError("too_long_raw", what=Subject.ADDON, length=3000, limit=2048)
    assert "addon domain" in texts.input_error_text(error, "en")
    assert "アドオンドメインが 3000 文字あります" in texts.input_error_text(error, "ja")
    assert str(error).startswith("too_long_raw")  # logs only: the key, no sentence


def data_in(result: CheckResult) -> list[str]:
    """Every string that came from DNS, input or the resolvers: kept as it is in any language."""
    found = [result.domain, *result.servers, *result.exclude]
    for resolver in result.resolvers:
        found += [resolver.url, resolver.label]

    def walk(value: object) -> None:
        if isinstance(value, Fact):
            for inner in value.params.values():
                walk(inner)
        elif isinstance(value, tuple):
            for inner in value:
                walk(inner)
        elif isinstance(value, CaaRecord):
            found.append(value.as_text())
        elif isinstance(value, Ede):
            found.append(value.text)
        elif isinstance(value, ResolverView):
            found.append(value.resolver.label)
        elif isinstance(value, ResolverId):
            found.append(value.label)
        elif isinstance(value, str) and not isinstance(value, Provider | Subject):
            found.append(value)

    for row in result.rows:
        found += [row.name, *row.a, *row.aaaa, *row.cname]
        for finding in row.findings:
            walk(finding.facts)
        walk(row.notes)
    commands = report.commands(result)
    issuers = caa.PROVIDERS[result.provider]
    return [*found, *issuers, commands["uapi"], commands["whmapi1"], *(str(c) for c in Code)]


def words_of(row: dict[str, Any]) -> str:
    """What the page shows of a row as words (the rest are names, addresses and codes)."""
    findings = [f"{finding['title']} {finding['text']}" for finding in row["findings"]]
    return " ".join([row["why_text"], row["status_text"], *row["notes"], *findings])


JAPANESE_SCENARIOS = [
    ("mixed.example", {}),
    ("faulty.example", {}),
    ("caa.example", {}),
    ("critical.caa.example", {"service_subdomains": False}),
    ("hostile.example", {}),
    ("v6.example", {}),
    ("ok.example", {"addons": ("addon.example.net",), "reseller": True}),
    ("nxdomain.example", {"servers": ()}),
]


@pytest.mark.parametrize(("domain", "options"), JAPANESE_SCENARIOS, ids=lambda v: str(v))
def test_japanese_reports_carry_no_english_words(
    doh_resolver: Any, domain: str, options: dict[str, Any]
) -> None:
    result = check(domain, [doh_resolver.url, doh_resolver.fault_url("http503")], **options)
    data = data_in(result)
    for output in (
        report.to_text(result, "ja"),
        report.to_markdown(result, "ja"),
        "\n".join(words_of(report.page_row(row, "ja")) for row in result.rows),
        " ".join(report.advice(result, "ja")),
    ):
        # Escapes (Markdown's, and a terminal's for control bytes) come off both sides first.
        plain = without(output.replace("\\", ""), [d.replace("\\", "") for d in data])
        assert not english_words(plain), (english_words(plain), plain[:2000])
