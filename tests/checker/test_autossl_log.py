"""The AutoSSL log reader: every form, every line kind, bad input, bounded memory."""

from __future__ import annotations

import json
import re
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from autossl_check import autossl_log, texts
from autossl_check.autossl_log import (
    _BY_FIRST_WORD,
    _PLAIN_NAME,
    MAX_LINE_CHARS,
    AccountLog,
    DcvReason,
    LineKind,
    LogStream,
    SourceFormat,
    _lines,
    classify_dcv_reason,
    file_chunks,
    provider_reason_findings,
    read_text,
)
from autossl_check.inputs import MAX_HOST_CHARS, normalise_domain
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.autossl_logs import generated_log

DATA = Path(__file__).resolve().parents[1] / "data" / "autossl"
FIELD_REPORT_NAMES = [
    "sakakitest.dev",
    "www.sakakitest.dev",
    "mail.sakakitest.dev",
    "cpanel.sakakitest.dev",
    "webdisk.sakakitest.dev",
    "webmail.sakakitest.dev",
    "autodiscover.sakakitest.dev",
]
# The same run of cPanel 120 (Let's Encrypt) in each form it reaches a reader.
SAME_RUN = {
    "whm-view-log.txt": SourceFormat.TEXT,
    "mixed-line-endings.txt": SourceFormat.TEXT,
    "autossl.txt": SourceFormat.TXT_FILE,
    "autossl.json": SourceFormat.JSON_LINES,
    "get_autossl_log.json": SourceFormat.WHMAPI_JSON,
    "get_autossl_log.yaml": SourceFormat.WHMAPI_YAML,
}


def fixture_text(name: str) -> str:
    return (DATA / name).read_bytes().decode("utf-8")


def summary(accounts: list[AccountLog]) -> dict[str | None, dict[str, list[str]]]:
    return {
        account.user: {site.name: sorted(site.names) for site in account.websites.values()}
        for account in accounts
    }


# -- the field report (cPanel 76) ----------------------------------------------------------------


def test_field_report_yields_its_seven_names_under_one_website_and_the_via_flag() -> None:
    report = read_text(fixture_text("field-report-v76.txt"))

    assert [account.user for account in report.accounts] == ["sakakitest"]
    account = report.accounts[0]
    assert list(account.websites) == ["sakakitest.dev"]
    website = account.websites["sakakitest.dev"]
    assert list(website.names) == FIELD_REPORT_NAMES
    assert not account.unassigned
    assert website.tls_status == "DEFECTIVE"
    assert website.defects == [("NO_SSL", "No SSL certificate is installed.")]
    assert report.http_dcv_via_parent
    assert account.http_dcv_via_parent
    via = {name: result.local_http_via for name, result in website.names.items()}
    assert via == {name: None if name == "sakakitest.dev" else "sakakitest.dev" for name in via}
    assert all(result.local_http == "ok" for result in website.names.values())
    assert report.checked_names() == FIELD_REPORT_NAMES
    assert report.not_recognised == 0
    assert report.inferred == 0


def test_field_report_lines_are_typed_one_by_one() -> None:
    kinds = [line.kind for line in read_text(fixture_text("field-report-v76.txt")).lines]

    assert kinds[:5] == [
        LineKind.USER,  # Web サイトで"sakakitest"を確認しています... (the Japanese first line)
        LineKind.WEBSITE,
        LineKind.TLS_STATUS,
        LineKind.DEFECT,
        LineKind.HTTP_DCV_START,
    ]
    assert kinds.count(LineKind.LOCAL_HTTP_DCV_OK_VIA) == 6
    assert kinds.count(LineKind.LOCAL_HTTP_DCV_OK) == 1
    assert kinds.count(LineKind.BARE_OK) == 3
    assert LineKind.NOT_RECOGNISED not in kinds


def test_via_line_is_explained_as_a_build_without_the_fix_in_both_languages() -> None:
    line = next(
        line
        for line in read_text(fixture_text("field-report-v76.txt")).lines
        if line.kind is LineKind.LOCAL_HTTP_DCV_OK_VIA
    )
    english = texts.log_line_text(line, "en")
    japanese = texts.log_line_text(line, "ja")

    assert "www.sakakitest.dev" in english
    assert "sakakitest.dev" in english
    assert "94.0.19" in english
    assert "94.0.19" in japanese
    assert "www.sakakitest.dev" in japanese
    assert texts.log_line_anchor(line.kind) == "autossl-log/#local-http-dcv-ok-via"


# -- one run of cPanel 120, every form -----------------------------------------------------------


@pytest.mark.parametrize(("name", "source"), SAME_RUN.items())
def test_every_form_of_the_same_run_reads_the_same(name: str, source: SourceFormat) -> None:
    report = read_text(fixture_text(name))

    assert report.format is source
    assert report.error is None
    assert report.not_recognised == 0
    assert summary(report.accounts) == {
        "bob": {
            "bob.example": ["bob.example", "mail.bob.example", "www.bob.example"],
            "shop.example": [
                "cpanel.shop.example",
                "cpcalendars.shop.example",
                "cpcontacts.shop.example",
                "shop.example",
                "webmail.shop.example",
                "www.shop.example",
            ],
        },
        "carol": {"carol.example": []},
        "dave": {"dave.example": ["dave.example", "www.dave.example"]},
    }
    assert report.ordered_names() == ["bob.example"]
    assert not report.http_dcv_via_parent


@pytest.mark.parametrize("name", SAME_RUN)
@pytest.mark.parametrize("size", [1, 7, 4096])
def test_streamed_bytes_in_any_chunk_size_read_like_the_whole(name: str, size: int) -> None:
    data = (DATA / name).read_bytes()
    whole = read_text(data.decode("utf-8"))
    lines: list[tuple[int, LineKind, str | None]] = []
    stream = LogStream(
        (data[i : i + size] for i in range(0, len(data), size)),
        on_line=lambda line: lines.append((line.number, line.kind, line.name)),
    )

    assert summary(list(stream)) == summary(whole.accounts)
    assert lines == [(line.number, line.kind, line.name) for line in whole.lines]
    assert stream.recognised == whole.recognised


def test_file_chunks_reads_an_open_file() -> None:
    with (DATA / "autossl.json").open("rb") as handle:
        stream = LogStream(file_chunks(handle, size=100))
        assert [account.user for account in stream] == ["bob", "carol", "dave"]


def test_what_cpanel_saw_per_name_and_the_matching_finding_codes() -> None:
    account = read_text(fixture_text("whm-view-log.txt")).accounts[0]
    bob, shop = account.websites["bob.example"], account.websites["shop.example"]

    no_address = bob.names["www.bob.example"]
    assert no_address.local_http_reason_key is DcvReason.NO_ADDRESS
    assert no_address.findings == ["NXDOMAIN", "NO_ADDRESS"]
    assert no_address.local_dns == "error"
    assert no_address.local_authority is True
    elsewhere = bob.names["mail.bob.example"]
    assert elsewhere.findings == ["ELSEWHERE"]
    assert elsewhere.local_authority is False
    assert shop.names["webmail.shop.example"].findings == ["AAAA_ELSEWHERE"]
    not_found = shop.names["cpanel.shop.example"]
    assert not_found.local_http_reason_key is DcvReason.HTTP_STATUS
    assert not_found.findings == []
    redirected = shop.names["www.shop.example"]
    assert redirected.redirects == ["https://www.shop.example/.well-known/acme-challenge/Q2FGW8"]
    assert redirected.provider_dcv == "error"
    assert redirected.findings == ["NXDOMAIN"]
    assert bob.names["bob.example"].provider_dcv == "ok"
    assert bob.names["bob.example"].ordered
    assert bob.ordered == ("bob.example",)
    assert shop.ordered is None
    assert shop.impediments[0][0] == "NO_UNSECURED_DOMAIN_PASSED_DCV"
    assert shop.excluded == ["cpcalendars.shop.example", "cpcontacts.shop.example"]
    assert shop.names["cpcontacts.shop.example"].excluded
    assert (
        "cpcontacts.shop.example" not in read_text(fixture_text("whm-view-log.txt")).checked_names()
    )
    assert (bob.tls_status, shop.tls_status) == ("DEFECTIVE", "INCOMPLETE")
    carol = read_text(fixture_text("whm-view-log.txt")).accounts[1]
    assert carol.coverage_optimal
    assert carol.websites["carol.example"].tls_status == "OK"
    dave = read_text(fixture_text("whm-view-log.txt")).accounts[2].websites["dave.example"]
    assert dave.names["www.dave.example"].caa == "forbidden"
    assert dave.names["www.dave.example"].findings == ["CAA_FORBIDS"]


def test_whm_paste_keeps_time_stamps_and_level_prefixes_apart_from_the_message() -> None:
    lines = read_text(fixture_text("whm-view-log.txt")).lines
    defect = next(line for line in lines if line.kind is LineKind.DEFECT)
    first = lines[0]

    assert defect.level == "error"
    assert defect.text.startswith("Defect: NO_SSL")
    assert first.timestamp == "3:00:00 AM"
    assert first.provider == "Let's Encrypt™"
    warned = [line for line in lines if line.level == "warn"]
    assert {line.kind for line in warned} == {
        LineKind.LOCAL_HTTP_DCV_ERROR,
        LineKind.PROVIDER_DCV_ERROR,
    }


def test_txt_and_json_files_keep_time_stamp_and_indent() -> None:
    txt = read_text(fixture_text("autossl.txt")).lines
    json_lines = read_text(fixture_text("autossl.json")).lines

    assert txt[3].timestamp == json_lines[3].timestamp == "2026-11-30T03:00:01Z"
    assert [line.indent for line in txt] == [line.indent for line in json_lines]
    assert json_lines[3].level == "error"


# -- every line kind -----------------------------------------------------------------------------

LE = "“Let’s Encrypt™”"
SAMPLES: dict[LineKind, str] = {
    LineKind.BLANK: "   ",
    LineKind.NOT_RECOGNISED: "Something else entirely",
    LineKind.PROVIDER: f"This system has AutoSSL set to use {LE}.",
    LineKind.USER: "Analyzing “bob”’s domains …",
    LineKind.USER_SUSPENDED: "“bob” is suspended.",
    LineKind.USER_MISSING_FEATURE: "“bob” does not possess the required feature (“autossl”).",
    LineKind.USER_BATCH: "AutoSSL will verify 204 users’ TLS status and DCV at a time.",
    LineKind.WEBSITE: "Analyzing “bob.example” (website) …",
    LineKind.DYNAMIC_DNS: "Analyzing “home.bob.example” (dynamic DNS) …",
    LineKind.DCV_RESULTS_FOR: "Analyzing “bob.example”’s DCV results …",
    LineKind.TLS_STATUS: "TLS Status: Default Key Type Mismatch",
    LineKind.DEFECT: "Defect: ALMOST_EXPIRED: The certificate will expire in 2 days.",
    LineKind.CERTIFICATE_EXPIRY: "Certificate expiry: 2/10/27, 3:00 AM UTC (2.00 days from now)",
    LineKind.ISSUER: "Issuer: C=US, O=Let's Encrypt, CN=R11",
    LineKind.USER_EXCLUDED: "User-excluded domain: 1 (mail.bob.example)",
    LineKind.PROVIDER_EXCLUDED: "Provider-excluded domains: 2 (a.bob.example, b.bob.example)",
    LineKind.DOMAIN_COUNT: "Number of secured domains: 1,204",
    LineKind.CERTIFICATE_LIMIT: "Provider’s per-certificate domain count limit: 100",
    LineKind.CANNOT_SECURE_ALL: f"{LE} cannot secure all of “bob.example”’s domains. Remove …",
    LineKind.COVERAGE_OPTIMAL: "This user’s SSL coverage is already optimal.",
    LineKind.CANNOT_INCREASE_COVERAGE: "AutoSSL cannot increase “bob”’s SSL coverage.",
    LineKind.CAA_SETUP: "CAA “issue” record created: “bob.example”",
    LineKind.CAA_CHECK: f"Verifying {LE}’s authorization on 9 domains via DNS CAA records …",
    LineKind.CA_AUTHORIZED: "CA authorized: “www.bob.example”",
    LineKind.CA_FORBIDDEN: "CA forbidden: “www.bob.example” (via “bob.example”, alias of “x.test”)",
    LineKind.CAA_SUMMARY: f"{LE} is authorized to issue certificates for 8 of this user’s 9 domains.",  # noqa: E501
    LineKind.MANAGEMENT_CHECK: "Verifying 9 domains’ management status …",
    LineKind.MANAGED: "“www.bob.example” is managed.",
    LineKind.UNMANAGED: "“gone.example” is unmanaged. Verify this domain’s registration and …",
    LineKind.MANAGEMENT_SUMMARY: "All of this user’s 9 domains are managed.",
    LineKind.HTTP_DCV_START: "Performing HTTP DCV on 9 domains …",
    LineKind.LOCAL_HTTP_DCV_OK: "Local HTTP DCV OK: www.bob.example",
    LineKind.LOCAL_HTTP_DCV_OK_VIA: "Local HTTP DCV OK: www.bob.example (via bob.example)",
    LineKind.LOCAL_HTTP_DCV_ERROR: "Local HTTP DCV error (www.bob.example): “www.bob.example” "
    "resolves to a loopback IP address: 127.0.0.1",
    LineKind.LOCAL_HTTP_DCV_IMPEDIMENT: "Local HTTP DCV impediment (x.bob.example): No base "
    "document root exists. To fix this, create a document root for “bob.example”.",
    LineKind.BARE_OK: "OK:",
    LineKind.REDIRECT: "Redirection #1 (bob.example): http://bob.example/a → https://bob.example/a",
    LineKind.REDIRECT_FORBIDDEN: "“cPanel (powered by Sectigo)” forbids DCV HTTP redirections.",
    LineKind.REDIRECT_LIMIT: "AutoSSL provider’s redirect limit: 10",
    LineKind.DNS_DCV_STEP: "Querying DNS to confirm DCV changes …",
    LineKind.LOCAL_AUTHORITY_OK: "Local authority confirmed: “bob.example”",
    LineKind.LOCAL_AUTHORITY_NONE: "No local authority: “bob.example”",
    LineKind.LOCAL_AUTHORITY_FAILED: "Failed to determine local authority for “bob.example”: boom",
    LineKind.LOCAL_DNS_DCV_OK: "Local DNS DCV OK: bob.example",
    LineKind.LOCAL_DNS_DCV_OK_VIA: "Local DNS DCV OK: www.bob.example (via bob.example)",
    LineKind.LOCAL_DNS_DCV_ERROR: "Local DNS DCV error (bob.example): The system’s DNS query failed.",  # noqa: E501 - cPanel's own message
    LineKind.PROVIDER_DCV_OK: f"{LE} HTTP DCV OK: www.bob.example",
    LineKind.PROVIDER_DCV_ERROR: f"{LE} general error (www.bob.example): rate limited",
    LineKind.IMPEDIMENT: "Impediment: TOTAL_DCV_FAILURE: Every domain failed DCV.",
    LineKind.DOMAINS_OMITTED: "Domains omitted because of the per-certificate domain limit: "
    "12 (a.bob.example, b.bob.example, …)",
    LineKind.REPLACING_EXTERNAL: "Replacing an externally-signed certificate …",
    LineKind.WILL_REQUEST: "AutoSSL will request a new certificate.",
    LineKind.RENEW_SET: "The system will attempt to renew the SSL certificates for "
    "(bob.example: bob.example www.bob.example), (shop.example: shop.example), "
    "and (x.example: x.example).",
}


def test_every_line_kind_has_a_sample_and_words_in_both_languages() -> None:
    assert set(SAMPLES) == set(LineKind)
    assert set(texts.LOG_LINES) == {str(kind) for kind in LineKind}
    for kind in LineKind:
        if kind is not LineKind.BLANK:
            for line in read_text(SAMPLES[kind]).lines:
                assert texts.log_line_text(line, "en"), kind
                assert texts.log_line_text(line, "ja"), kind
            assert texts.LOG_LINES[kind][0] != texts.LOG_LINES[kind][1]


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_each_line_kind_is_recognised_with_typographic_and_ascii_quotes(kind: LineKind) -> None:
    typographic = read_text(SAMPLES[kind]).lines
    plain = SAMPLES[kind]
    for fancy, ascii_form in (("“", '"'), ("”", '"'), ("’", "'"), ("…", "..."), ("→", "->")):
        plain = plain.replace(fancy, ascii_form)
    ascii_lines = read_text(plain).lines

    assert [line.kind for line in typographic] == [kind]
    assert [line.kind for line in ascii_lines] == [kind]
    assert not typographic[0].inferred


def test_line_values() -> None:
    def line(kind: LineKind):  # type: ignore[no-untyped-def]
        return read_text(SAMPLES[kind]).lines[0]

    assert line(LineKind.CA_FORBIDDEN).target == "bob.example"
    assert line(LineKind.USER_EXCLUDED).names == ("mail.bob.example",)
    omitted = line(LineKind.DOMAINS_OMITTED)
    assert omitted.count == 12
    assert omitted.truncated
    assert line(LineKind.DOMAIN_COUNT).count == 1204
    assert line(LineKind.RENEW_SET).sets == (
        ("bob.example", ("bob.example", "www.bob.example")),
        ("shop.example", ("shop.example",)),
        ("x.example", ("x.example",)),
    )
    assert line(LineKind.LOCAL_HTTP_DCV_ERROR).code == DcvReason.LOOPBACK
    assert line(LineKind.PROVIDER_DCV_ERROR).code == "GENERAL"
    assert line(LineKind.TLS_STATUS).code == "DEFAULT_KEY_MISMATCH"
    assert line(LineKind.UNMANAGED).findings == ("SERVFAIL", "NXDOMAIN")
    assert line(LineKind.LOCAL_DNS_DCV_OK_VIA).via == "bob.example"


def test_renew_set_of_two_websites_and_other_locales() -> None:
    two = read_text(
        "The system will attempt to renew the SSL certificates for "
        "(bob.example: bob.example www.bob.example) and (shop.example: shop.example)."
    ).lines[0]
    japanese = read_text(
        "システムは (bob.example: bob.example www.bob.example) の SSL 証明書の更新を試みます。"
    ).lines[0]

    assert [site for site, _ in two.sets] == ["bob.example", "shop.example"]
    assert japanese.kind is LineKind.RENEW_SET
    assert japanese.inferred
    assert japanese.sets == (("bob.example", ("bob.example", "www.bob.example")),)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "ローカル HTTP DCV OK: www.bob.example (経由 bob.example)",
            LineKind.LOCAL_HTTP_DCV_OK_VIA,
        ),
        ("ローカル HTTP DCV エラー (www.bob.example): 失敗", LineKind.LOCAL_HTTP_DCV_ERROR),
        ("TLS ステータス: 不良", LineKind.TLS_STATUS),
        ("障害: TOTAL_DCV_FAILURE: すべて失敗", LineKind.IMPEDIMENT),
        ("欠陥: NO_SSL: 証明書がありません", LineKind.DEFECT),
        ("Checking websites for “bob” …", LineKind.USER),
    ],
)
def test_inferred_forms_are_marked_inferred(text: str, kind: LineKind) -> None:
    line = read_text(text).lines[0]
    assert line.kind is kind
    assert line.inferred


# -- names are validated like typed names --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Local HTTP DCV OK: 192.0.2.1", "is_ip"),
        ("Local HTTP DCV OK: *.bob.example", "wildcard"),
        ("Local HTTP DCV OK: bad_name.example", "invalid_name"),
        ("Local HTTP DCV OK: localhost", "single_label"),
        ("Analyzing “bob; rm -rf /”’s domains …", "invalid_user"),
        ("Analyzing “-x.example” (website) …", "invalid_name"),
    ],
)
def test_an_invalid_name_keeps_the_line_as_not_recognised_with_its_key(
    text: str, problem: str
) -> None:
    line = read_text(text).lines[0]
    assert line.kind is LineKind.NOT_RECOGNISED
    assert line.problem == problem
    assert texts.log_problem_text(problem, "ja")
    assert texts.log_problem_text(problem, "en")


def test_a_list_keeps_its_valid_names_and_says_which_were_refused() -> None:
    line = read_text(
        "The system will attempt to renew the SSL certificate for "
        "(bob.example: bob.example 203.0.113.9 www.bob.example)."
    ).lines[0]
    assert line.sets == (("bob.example", ("bob.example", "www.bob.example")),)
    assert line.rejected == (("203.0.113.9", "is_ip"),)


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.text(alphabet="abcxn019-.", min_size=1, max_size=30),
        st.lists(st.text(alphabet="abz09-", min_size=1, max_size=64), min_size=1, max_size=5).map(
            ".".join
        ),
        st.from_regex(r"[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63}){1,4}", fullmatch=True),
    )
)
def test_the_plain_name_shortcut_agrees_with_normalise_domain(text: str) -> None:
    if not _PLAIN_NAME.fullmatch(text) or len(text) > MAX_HOST_CHARS:
        return
    assert normalise_domain(text) == text


def test_the_plain_name_shortcut_leaves_the_rest_to_normalise_domain() -> None:
    for name in ("xn--r8jz45g.jp", "Example.COM", "192.0.2.1", "a.123", "a..b", "-a.example"):
        assert not _PLAIN_NAME.fullmatch(name), name
    assert _PLAIN_NAME.fullmatch("www.b-1.example")


def test_unicode_names_become_a_labels() -> None:
    line = read_text("Local HTTP DCV OK: www.例え.jp").lines[0]
    assert line.name == "www.xn--r8jz45g.jp"


# -- DCV failure reasons --------------------------------------------------------------------------

REASONS = [
    (
        "“a.example” does not resolve to any IP addresses on the internet.",
        DcvReason.NO_ADDRESS,
        ("NXDOMAIN", "NO_ADDRESS"),
    ),
    (
        "“a.example” resolves to a private IP address. The system will skip HTTP DCV for “a.example”.",  # noqa: E501 - cPanel's own message
        DcvReason.PRIVATE_ADDRESS,
        (),
    ),
    ("“a.example” resolves to a loopback IP address: 127.0.0.1", DcvReason.LOOPBACK, ()),
    (
        "The system queried for a temporary file at “http://a.example/x”, but the web server responded with the following error: 404 (Not Found). A DNS (Domain Name System) or web server misconfiguration may exist.",  # noqa: E501 - cPanel's own message
        DcvReason.HTTP_STATUS,
        (),
    ),
    (
        "The system queried for a temporary file at “http://a.example/x”, but the web server responded with the following error: 404 (Not Found). A DNS (Domain Name System) or web server misconfiguration may exist. The domain “a.example” resolved to an IP address “198.51.100.4” that does not exist on this server.",  # noqa: E501 - cPanel's own message
        DcvReason.HTTP_STATUS,
        ("ELSEWHERE",),
    ),
    (
        "The content “<html>” of the DCV file, as accessed at “http://a.example/x”, did not match the expected value.",  # noqa: E501 - cPanel's own message
        DcvReason.CONTENT_MISMATCH,
        (),
    ),
    (
        "The content “x” of the DCV file, as accessed at “http://a.example/x”, did not match the expected value. The domain “a.example” resolved to an IP address “2001:db8::9” that does not exist on this server.",  # noqa: E501 - cPanel's own message
        DcvReason.CONTENT_MISMATCH,
        ("AAAA_ELSEWHERE",),
    ),
    (
        "The system failed to fetch the DCV file at “http://a.example/x” because of an error (cached): Could not connect to '198.51.100.4:80'.",  # noqa: E501 - cPanel's own message
        DcvReason.FETCH_FAILED_CACHED,
        (),
    ),
    (
        "The system failed to fetch the DCV file at “http://a.example/x” because of an error: timeout.",  # noqa: E501 - cPanel's own message
        DcvReason.FETCH_FAILED,
        (),
    ),
    (
        "“cPanel (powered by Sectigo)” forbids DCV HTTP redirections.",
        DcvReason.REDIRECTS_FORBIDDEN,
        (),
    ),
    ("You do not have a document root for the domain “a.example”.", DcvReason.NO_DOCUMENT_ROOT, ()),
    (
        "An internal error occurred. Check the system log. (XID: abc123)",
        DcvReason.INTERNAL_ERROR,
        (),
    ),
    ("Something new in cPanel 132.", DcvReason.OTHER, ()),
]


@pytest.mark.parametrize(("reason", "key", "findings"), REASONS)
def test_each_cpanel_dcv_failure_maps_to_its_finding_codes(
    reason: str, key: DcvReason, findings: tuple[str, ...]
) -> None:
    assert classify_dcv_reason(reason)[:2] == (key, findings)
    ascii_reason = reason.replace("“", '"').replace("”", '"')
    assert classify_dcv_reason(ascii_reason)[:2] == (key, findings)
    assert texts.dcv_reason_text(key, "ja") != key


def test_every_dcv_reason_has_words() -> None:
    assert set(texts.DCV_REASONS) == {reason.value for reason in DcvReason}


# -- bad input -----------------------------------------------------------------------------------


def test_a_log_of_another_program_is_detectably_not_recognised() -> None:
    report = read_text(fixture_text("other-program.log"))
    assert report.nothing_recognised
    assert report.accounts == []
    assert {line.problem for line in report.lines} == {"unknown_line"}
    assert texts.log_error_text("nothing_recognised", "ja")


def test_whmapi_error_answers_say_why() -> None:
    report = read_text(fixture_text("get_autossl_log-error.json"))
    assert report.error == "api_error"
    assert "does not exist" in report.error_params["reason"]
    assert "does not exist" in texts.log_error_text("api_error", "en", **report.error_params)


@pytest.mark.parametrize("cut", [30, 200, 5000, -40])
def test_a_truncated_get_autossl_log_keeps_what_arrived_and_says_it_was_cut(cut: int) -> None:
    text = fixture_text("get_autossl_log.json")
    report = read_text(text[:cut])
    assert report.error == "json_truncated"
    if cut > 5000 or cut < 0:
        assert report.recognised > 0


def test_json_of_another_api_is_named_so() -> None:
    other = json.dumps({"data": {"acct": [{"user": "bob"}]}, "metadata": {"result": 1}})
    assert read_text(other).error == "json_other_api"
    assert read_text('{"data": {"payload": [1, 2]}}').error == "json_other_api"


def test_binary_data_is_not_recognised_and_does_not_raise() -> None:
    noise = bytes(range(256)) * 40
    stream = LogStream([noise, b"\n" + noise])
    assert list(stream) == []
    assert stream.nothing_recognised


def test_a_huge_line_is_cut_and_the_next_lines_still_read() -> None:
    chunks = ["x" * 100_000] * (MAX_LINE_CHARS // 100_000 + 2) + [
        "\nLocal HTTP DCV OK: a.example\n"
    ]
    kept = []
    stream = LogStream(iter(chunks), on_line=kept.append)
    accounts = list(stream)
    assert kept[0].problem == "line_too_long"
    assert len(kept[0].text) <= 4096
    assert accounts[0].unassigned["a.example"].local_http == "ok"


def test_mixed_line_endings_across_chunks() -> None:
    lines = read_text("OK:\r\nOK:\rOK:\nOK:").lines
    assert [line.kind for line in lines] == [LineKind.BARE_OK] * 4
    stream_lines: list[LineKind] = []
    list(
        LogStream(["OK:\r", "\nOK:\r", "OK:"], on_line=lambda line: stream_lines.append(line.kind))
    )
    assert stream_lines == [LineKind.BARE_OK] * 3


def test_read_text_accepts_a_two_megabyte_paste() -> None:
    block = fixture_text("whm-view-log.txt")
    text = "".join(
        block.replace("bob", f"u{n}b").replace("carol", f"u{n}c").replace("dave", f"u{n}d")
        for n in range(2_100_000 // len(block) + 1)
    )
    assert len(text.encode()) > 2_000_000
    report = read_text(text)
    assert not report.truncated
    assert report.error is None
    assert report.not_recognised == 0
    assert len(report.accounts) == 3 * (2_100_000 // len(block) + 1)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_no_text_raises(text: str) -> None:
    report = read_text(text)
    assert report.recognised + report.not_recognised <= len(report.lines)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.integers(min_value=1, max_value=64))
def test_no_bytes_raise_in_any_chunking(data: bytes, size: int) -> None:
    stream = LogStream(data[i : i + size] for i in range(0, len(data), size))
    list(stream)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(list(SAMPLES.values())),
            st.sampled_from(fixture_text("field-report-v76.txt").splitlines()),
            st.text(max_size=40),
        ),
        max_size=30,
    ),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.sampled_from(
        ["", "[", "{", "---\ndata:\n  payload:\n    - contents: ", '{"data":{"payload":[']
    ),
)
def test_no_mix_of_real_lines_and_noise_raises(lines: list[str], end: str, start: str) -> None:
    read_text(start + end.join(lines))


# -- bounded memory ------------------------------------------------------------------------------


def test_a_50_mb_log_streams_in_bounded_memory() -> None:
    tracemalloc.start()
    try:
        stream = LogStream(generated_log(50 * 1024 * 1024))  # blocks of ~5 KB, none kept
        accounts = sum(1 for _ in stream)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert accounts > 20_000
    assert stream.not_recognised == 0
    assert peak < 30 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MB"


@pytest.mark.parametrize(
    "pattern",
    [pattern for patterns in _BY_FIRST_WORD.values() for pattern in patterns if pattern.needs],
    ids=lambda pattern: pattern.kind.value,
)
def test_each_pattern_prefilter_is_words_the_pattern_itself_requires(pattern: Any) -> None:
    # The substring test before a pattern must never turn away a line the pattern matches:
    # its words are a literal run of the pattern (outside any group or alternative).
    literal = pattern.regex.pattern.replace("\\", "")
    assert pattern.needs in literal


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="ab\r\n", max_size=60),
    st.integers(min_value=1, max_value=7),
)
def test_lines_split_like_one_split_of_the_whole_text_in_any_chunking(text: str, size: int) -> None:
    expected = re.split(r"\r\n|\r|\n", text)
    if expected and expected[-1] == "":
        expected.pop()
    chunks = [text[start : start + size] for start in range(0, len(text), size)]
    assert list(_lines(chunks)) == expected


def test_a_cut_line_skips_to_the_next_break_in_any_chunking() -> None:
    text = "first\n" + "x" * 25 + "\r\nnext\n" + "y" * 12
    for size in (1, 3, 10):  # chunks below the limit: a longer chunk is kept whole
        chunks = [text[start : start + size] for start in range(0, len(text), size)]
        assert list(_lines(chunks, max_chars=10)) == ["first", "x" * 10, "next", "y" * 10]


@pytest.mark.parametrize(
    ("reason", "codes"),
    [
        ("DNS problem: NXDOMAIN looking up A for a.example", ("NXDOMAIN",)),
        ("dns problem: nxdomain looking up a for a.example", ("NXDOMAIN",)),
        ("CAA record for a.example prevents issuance", ("CAA_FORBIDS",)),
        ("DNS problem: SERVFAIL looking up CAA for a.example", ("CAA_FORBIDS", "SERVFAIL")),
        ("No valid IP addresses found for a.example", ("NO_ADDRESS",)),
        ("Timeout during connect (likely firewall problem)", ()),
        ("caater and nxdomains are not the words", ()),
        # Case-blind matching knows U+017F (long s) as "s": the words test must not drop it.
        ("DNS problem: \u017fERVFAIL looking up A", ("SERVFAIL",)),
    ],
)
def test_provider_reasons_map_to_findings_whatever_the_case(
    reason: str, codes: tuple[str, ...]
) -> None:
    assert provider_reason_findings(reason) == codes


def test_a_bracket_that_is_no_time_stamp_is_read_as_pasted_text() -> None:
    report = read_text(
        "[2026-11-30T03:00:01Z]\t\tTLS Status: OK\n[not a time] TLS Status: OK\n"
        "[2026-11-30T03:00:01+09:00]  \tTLS Status: OK  \n"
    )
    first, second, third = report.lines
    assert (first.source, first.timestamp, first.indent) == (
        SourceFormat.TXT_FILE,
        "2026-11-30T03:00:01Z",
        2,
    )
    assert (second.source, second.kind) == (SourceFormat.TEXT, LineKind.NOT_RECOGNISED)
    assert (third.source, third.indent, third.text) == (
        SourceFormat.TXT_FILE,
        1,
        "TLS Status: OK",
    )


def test_long_texts_are_checked_but_never_kept_in_the_caches() -> None:
    # A list item or a bracket can be as long as a line: caching such keys would let a
    # hostile log hold gigabytes in caches of a few thousand entries.
    autossl_log._cached_check_name.cache_clear()
    autossl_log._is_txt_stamp.cache_clear()
    autossl_log._ip_version.cache_clear()
    long_item = "a" * 5000 + ".example"
    report = read_text(
        f"User-excluded domains: 2 ({long_item}, {long_item})\n"
        f"[{'1' * 100}] TLS Status: OK\n"
        f'Local HTTP DCV error (a.example): The domain "a.example" resolved to an IP address '
        f'"{"2001:db8::1" + "0" * 100}" that does not exist on this server.\n'
    )
    excluded, bracket, dcv_error = report.lines
    assert excluded.kind is LineKind.USER_EXCLUDED
    assert excluded.rejected == ((long_item[:300], "too_long_raw"),) * 2
    assert (bracket.kind, bracket.source) == (LineKind.NOT_RECOGNISED, SourceFormat.TEXT)
    assert dcv_error.findings == ("ELSEWHERE",)
    assert autossl_log._cached_check_name.cache_info().currsize == 1  # a.example only
    assert autossl_log._is_txt_stamp.cache_info().currsize == 0
    assert autossl_log._ip_version.cache_info().currsize == 0
