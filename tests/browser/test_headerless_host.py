"""The site on a host that sends no headers of its own, like GitHub Pages (where mike deploys):
tools/serve.py ignores _headers, so only what the pages and the checker do for themselves holds."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import CheckerPage
from tests.support.doh_resolver import DohResolver
from tools.serve import SiteServer

pytestmark = pytest.mark.browser

SERVER = "203.0.113.10"


@pytest.fixture(scope="module")
def site_url(site_dir: Path) -> Iterator[str]:
    """Replaces the session's server (with _headers) for the tests of this module."""
    with SiteServer(site_dir, headers_file=False) as server:
        yield server.url


def test_the_host_sends_no_referrer_policy(site_url: str) -> None:
    with urllib.request.urlopen(f"{site_url}en/checker/", timeout=30) as response:
        assert response.status == 200
        assert response.headers.get("Referrer-Policy") is None
        assert response.headers.get("Content-Security-Policy") is None
    with urllib.request.urlopen(f"{site_url}assets/checker/worker.js", timeout=30) as response:
        assert response.headers.get("Referrer-Policy") is None


def test_dns_queries_carry_no_referer(checker: CheckerPage, resolver: DohResolver) -> None:
    resolver.clear_log()
    checker.open(
        "en/checker/", [("domain", "mixed.example"), ("server", SERVER), ("resolver", resolver.url)]
    )
    checker.wait_verdict()
    queries = resolver.queries
    assert queries, "the resolver saw no query"
    assert {query.referer for query in queries} == {None}
