"""RFC 8659 issuer matching."""

from __future__ import annotations

import pytest
from autossl_check.caa import caa_nodes, judge_caa
from autossl_check.model import CaaRecord


def rec(flags: int, tag: str, value: str) -> CaaRecord:
    return CaaRecord(flags, tag, value)


def test_nodes_stop_before_the_root() -> None:
    assert caa_nodes("www.shop.example.com") == [
        "www.shop.example.com",
        "shop.example.com",
        "example.com",
        "com",
    ]


@pytest.mark.parametrize(
    ("records", "provider", "allowed", "reason"),
    [
        ([], "letsencrypt", True, ""),
        ([rec(0, "issue", "letsencrypt.org")], "letsencrypt", True, ""),
        # Tags are case-insensitive; Boulder compares the issuer value exactly (these two rows
        # used to expect "allowed": the lax reading, corrected in issue 18).
        ([rec(0, "ISSUE", "letsencrypt.org")], "letsencrypt", True, ""),
        ([rec(0, "issue", "LetsEncrypt.org")], "letsencrypt", False, "issuer_spelling"),
        ([rec(0, "issue", " letsencrypt.org ; foo=x")], "letsencrypt", True, ""),
        (
            [rec(0, "issue", " letsencrypt.org ; accounturi=x")],
            "letsencrypt",
            False,
            "account_foreign",
        ),
        ([rec(0, "issue", "Sectigo.com")], "sectigo", True, ""),
        ([rec(0, "issue", "sectigo.com")], "letsencrypt", False, "not_listed"),
        ([rec(0, "issue", "comodoca.com")], "sectigo", True, ""),
        ([rec(0, "issue", "usertrust.com")], "sectigo", True, ""),
        ([rec(0, "issue", "trust-provider.com")], "sectigo", True, ""),
        ([rec(0, "issue", "comodo.com")], "sectigo", True, ""),
        ([rec(0, "issue", "letsencrypt.org")], "sectigo", False, "not_listed"),
        ([rec(0, "issue", ";")], "letsencrypt", False, "forbids_all"),
        ([rec(0, "issue", ";"), rec(0, "issue", "letsencrypt.org")], "letsencrypt", True, ""),
        ([rec(0, "issuewild", ";")], "letsencrypt", True, ""),
        ([rec(0, "iodef", "mailto:x@example.com")], "letsencrypt", True, ""),
        ([rec(128, "tbs", "x")], "letsencrypt", False, "critical"),
        (
            [rec(128, "tbs", "x"), rec(0, "issue", "letsencrypt.org")],
            "letsencrypt",
            False,
            "critical",
        ),
        ([rec(0, "tbs", "x"), rec(0, "issue", "letsencrypt.org")], "letsencrypt", True, ""),
        ([rec(128, "issue", "letsencrypt.org")], "letsencrypt", True, ""),
        (
            [rec(0, "issue", "letsencrypt.org; validationmethods=dns-01")],
            "letsencrypt",
            False,
            "method",
        ),
        (
            [rec(0, "issue", "letsencrypt.org; validationmethods=dns-01,http-01")],
            "letsencrypt",
            True,
            "",
        ),
    ],
)
def test_judge_caa(records: list[CaaRecord], provider: str, allowed: bool, reason: str) -> None:
    verdict = judge_caa("example.com", records, provider)
    assert verdict.allowed is allowed
    assert verdict.reason == reason
