"""The checker page over the resolver's HTTP/2 front reaches the same result as over HTTP/1.1.

Public resolvers speak HTTP/2, where a check's queries share one connection; the benchmark
measures the page that way through tests/support/h2_front.py. This test makes sure the front is
transparent for the page: the same ticket link gives the same verdict and rows through it, the
queries really travel over HTTP/2, and they reach the resolver behind it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import CheckerPage, cli_json
from tests.support.doh_resolver import DohResolver
from tests.support.h2_front import H2Front

pytestmark = pytest.mark.browser

SERVER = "203.0.113.10"
DOMAIN = "mixed.example"  # names that pass and names that fail, CNAMEs and CAA: a varied result


@pytest.fixture(scope="module")
def h2_front(resolver: DohResolver) -> Iterator[H2Front]:
    with H2Front(resolver.url) as front:
        yield front


def check(checker: CheckerPage, resolver_url: str) -> tuple[str, list[dict[str, Any]]]:
    checker.open(
        "en/checker/", [("domain", DOMAIN), ("server", SERVER), ("resolver", resolver_url)]
    )
    verdict = checker.wait_verdict()
    # A finding names the resolver that answered (host and port), which is all that may differ.
    label = urlsplit(resolver_url).netloc
    rows = [
        {
            "name": row["name"],
            "ok": row["ok"],
            "codes": row["codes"],
            "text": row["text"].replace(label, "RESOLVER"),
        }
        for row in checker.rows()
    ]
    return verdict, rows


def test_a_ticket_link_through_the_http2_front_matches_http11(
    open_checker: Any, resolver: DohResolver, h2_front: H2Front
) -> None:
    expected = cli_json(DOMAIN, resolver.url, "--server", SERVER)

    resolver.clear_log()
    over_http11 = check(open_checker(), resolver.url)
    asked_over_http11 = len(resolver.queries)

    resolver.clear_log()
    h2_front.clear_log()
    page = open_checker(ignore_https_errors=True)
    over_http2 = check(page, h2_front.url)
    asked_over_http2 = resolver.queries
    through_front = [r for r in h2_front.requests if urlsplit(r.path).path == "/dns-query"]

    verdict, rows = over_http2
    assert verdict == expected["verdict"] == "action_needed"
    assert [(r["name"], r["ok"] == "true", r["codes"]) for r in rows] == [
        (n["name"], n["ok"], " ".join(n["codes"])) for n in expected["names"]
    ]
    assert verdict == over_http11[0]
    assert len(rows) == len(over_http11[1])
    for row, twin in zip(rows, over_http11[1], strict=True):
        assert row == twin
    assert any("RESOLVER" in row["text"] for row in rows)  # the SERVFAIL row names its resolver

    # Every answer came through the front, over HTTP/2, on one connection, and the resolver
    # behind it was asked as many questions as over HTTP/1.1.
    assert asked_over_http2
    assert len(asked_over_http2) == asked_over_http11
    assert len(through_front) == len(asked_over_http2)
    assert {r.http for r in through_front} == {"2.0"}
    assert len({r.connection for r in through_front}) == 1
    assert page.csp_violations() == []
    assert page.console_errors == []
    # The page never fell back to the resolver's own http:// address.
    http11_origin = f"{urlsplit(resolver.url).scheme}://{urlsplit(resolver.url).netloc}"
    assert not [url for url in page.requests if url.startswith(http11_origin)]
