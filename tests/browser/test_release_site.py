"""A release build, as published: the checker takes only the resolvers it lists.

The site is built once for this module without AUTOSSL_CHECK_TEST_BUILD (the runtime is cached
per policy under build/site-assets/, so only the first build pays for the wheel and snapshot),
then checked three ways: the policy module inside its checker wheel, that wheel's facade run
natively, and the page in Chromium served by a host that sends no headers (GitHub Pages), so
that no Content-Security-Policy header can be what refuses the loopback resolver.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from autossl_check.defaults import DEFAULT_RESOLVERS

from tests.browser.conftest import CheckerPage
from tests.site.conftest import build_site_or_fail, parse_page
from tests.support.doh_resolver import DohResolver
from tools.serve import SiteServer

pytestmark = pytest.mark.browser

SERVER = "203.0.113.10"
POLICY_MODULE = "autossl_check/_site_build.py"
REFUSED = {"ja": "不明なリゾルバー", "en": "Unknown resolver"}
CHECKER_PATHS = {"ja": "checker/", "en": "en/checker/"}


@pytest.fixture(scope="module")
def release_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site_or_fail(tmp_path_factory.mktemp("release") / "site", test_build=False)


@pytest.fixture(scope="module")
def checker_wheel(release_site: Path) -> Path:
    (wheel,) = (release_site / "pyodide" / "wheels").glob("*/autossl_check-*.whl")
    return wheel


@pytest.fixture(scope="module")
def site_url(release_site: Path) -> Iterator[str]:
    """Replaces the session's test site: the release site, without its _headers."""
    with SiteServer(release_site, headers_file=False) as server:
        yield server.url


def test_the_release_policy_has_no_loopback(release_site: Path, checker_wheel: Path) -> None:
    with zipfile.ZipFile(checker_wheel) as wheel:
        source = wheel.read(POLICY_MODULE).decode("utf-8")
    policy: dict[str, object] = {}
    exec(source, policy)
    assert policy["RESOLVERS"] == DEFAULT_RESOLVERS
    assert policy["LOOPBACK"] is False
    assert "127.0.0.1" not in (release_site / "_headers").read_text(encoding="utf-8")
    page = parse_page(release_site, release_site / "en" / "checker" / "index.html")
    (meta_policy, _scripts_before), *_ = page.csp_metas
    assert "connect-src 'self' https://" in meta_policy
    assert "127.0.0.1" not in meta_policy


RUN_THE_WHEEL = """
import json, sys
sys.path[0:0] = [sys.argv[1]]
from autossl_check import browser, page_policy
from autossl_check.model import InputError

assert browser.__file__.startswith(sys.argv[1]), browser.__file__
outcomes = {}
for resolver in json.loads(sys.argv[2]):
    try:
        page = browser.parse_query("domain=a.example&resolver=" + resolver)
        outcomes[resolver] = list(page.resolvers)
    except InputError as refused:
        outcomes[resolver] = refused.key
print(json.dumps({"loopback": page_policy.built().loopback, "outcomes": outcomes}))
"""


def test_the_release_facade_refuses_loopback_and_unknown_resolvers(checker_wheel: Path) -> None:
    asked = [
        "http://127.0.0.1:8053/dns-query",
        "https://127.0.0.1/dns-query",
        "http://[::1]:8053/dns-query",
        "https://evil.example/dns-query",
        "google",
    ]
    done = subprocess.run(
        [sys.executable, "-I", "-c", RUN_THE_WHEEL, str(checker_wheel), json.dumps(asked)],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout)
    assert report["loopback"] is False
    assert report["outcomes"] == {
        **dict.fromkeys(asked[:4], "resolver_unknown"),
        "google": ["https://dns.google/dns-query"],
    }


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_page_refuses_a_loopback_resolver_without_any_header(
    checker: CheckerPage, resolver: DohResolver, lang: str
) -> None:
    with urllib.request.urlopen(f"{checker.site_url}{CHECKER_PATHS[lang]}", timeout=30) as page:
        assert page.headers.get("Content-Security-Policy") is None
    resolver.clear_log()
    hostile = resolver.url + "?confirm=yes"
    checker.open(
        CHECKER_PATHS[lang], [("domain", "ok.example"), ("server", SERVER), ("resolver", hostile)]
    )
    state = checker.wait_alert()
    assert REFUSED[lang] in state["alert"]
    assert not state["verdict"]
    assert resolver.queries == []
    assert resolver.preflights == 0
    assert not any(url.startswith(resolver.base_url) for url in checker.requests)


def test_the_page_refuses_an_unknown_resolver_and_asks_no_one(checker: CheckerPage) -> None:
    checker.open(
        "en/checker/",
        [("domain", "ok.example"), ("resolver", "google"), ("resolver", "https://evil.example/")],
    )
    state = checker.wait_alert()
    assert REFUSED["en"] in state["alert"]
    assert checker.foreign_requests == []
