"""The resolvers a link may name on the page: the build's policy, enforced by the facade.

A release copy (the package as installed, or a wheel built without AUTOSSL_CHECK_TEST_BUILD)
takes only the known resolvers; a test build also takes loopback. A link with several
`resolver=` values uses them all, and the ticket names only resolvers that were asked.
"""

from __future__ import annotations

import asyncio
import json
import sys
import types
from collections.abc import Iterator
from typing import Any

import pytest
from autossl_check import page_policy
from autossl_check.browser import parse_query, run_from_query
from autossl_check.defaults import DEFAULT_RESOLVERS, KNOWN_RESOLVERS
from autossl_check.model import InputError
from autossl_check.page_policy import RELEASE, TEST, ResolverPolicy

from .helpers import FakeTransport, zone_handler

ZONE = {"ok.example": {"A": ["203.0.113.10"]}}
LOOPBACK_RESOLVERS = [
    "http://127.0.0.1:8053/admin/delete-everything?confirm=yes",
    "https://127.0.0.1/dns-query",
    "http://127.8.9.10:1/",
    "http://[::1]:8053/dns-query",
    "https://[::1]/dns-query",
]
UNKNOWN_RESOLVERS = ["https://evil.example/dns-query", "quad9", "https://dns.google/other-path"]


def run(
    query: str, lang: str = "en", policy: ResolverPolicy | None = None
) -> tuple[list[dict[str, Any]], FakeTransport]:
    transport = FakeTransport(zone_handler(ZONE))
    sent: list[str] = []
    options: dict[str, Any] = {} if policy is None else {"policy": policy}
    asyncio.run(run_from_query(query, lang, sent.append, transport=transport, **options))
    return [json.loads(text) for text in sent], transport


def link(*resolvers: str) -> str:
    from urllib.parse import urlencode

    return urlencode(
        [("domain", "ok.example"), ("server", "203.0.113.10")]
        + [("resolver", value) for value in resolvers]
    )


@pytest.fixture
def built_module() -> Iterator[types.ModuleType]:
    """Stands in for the module the site build writes into the wheel."""
    name = f"autossl_check.{page_policy.BUILT_MODULE}"
    module = types.ModuleType(name)
    sys.modules[name] = module
    yield module
    del sys.modules[name]


def test_an_installed_package_has_the_release_policy() -> None:
    assert page_policy.built() == RELEASE
    assert not RELEASE.loopback
    assert RELEASE.resolvers == DEFAULT_RESOLVERS == tuple(KNOWN_RESOLVERS.values())


@pytest.mark.parametrize("policy", [RELEASE, TEST])
def test_the_build_module_carries_the_policy(
    built_module: types.ModuleType, policy: ResolverPolicy
) -> None:
    exec(page_policy.module_text(policy), built_module.__dict__)
    assert page_policy.built() == policy


def test_the_build_decides_by_its_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(page_policy.TEST_BUILD_VARIABLE, raising=False)
    assert page_policy.for_this_build() == RELEASE
    monkeypatch.setenv(page_policy.TEST_BUILD_VARIABLE, "yes")
    assert page_policy.for_this_build() == RELEASE
    monkeypatch.setenv(page_policy.TEST_BUILD_VARIABLE, "1")
    assert page_policy.for_this_build() == TEST


@pytest.mark.parametrize("resolver", LOOPBACK_RESOLVERS)
@pytest.mark.parametrize(
    ("lang", "words"), [("en", "Unknown resolver"), ("ja", "不明なリゾルバー")]
)
def test_a_release_page_refuses_loopback(resolver: str, lang: str, words: str) -> None:
    events, transport = run(link(resolver), lang)
    assert [event["event"] for event in events] == ["error"]
    assert words in events[0]["message"]
    assert transport.calls == []


@pytest.mark.parametrize("resolver", LOOPBACK_RESOLVERS)
def test_a_loopback_resolver_among_known_ones_refuses_the_whole_link(resolver: str) -> None:
    events, transport = run(link("google", resolver))
    assert [event["event"] for event in events] == ["error"]
    assert transport.calls == []


@pytest.mark.parametrize("policy", [RELEASE, TEST])
@pytest.mark.parametrize("resolver", UNKNOWN_RESOLVERS)
def test_unknown_resolvers_are_refused_in_every_build(
    policy: ResolverPolicy, resolver: str
) -> None:
    events, transport = run(link(resolver), policy=policy)
    assert [event["event"] for event in events] == ["error"]
    assert "Unknown resolver" in events[0]["message"]
    assert transport.calls == []


def test_a_test_build_takes_loopback() -> None:
    for resolver in LOOPBACK_RESOLVERS:
        (taken,) = parse_query(link(resolver), policy=TEST).resolvers
        assert taken.split("/")[2] == resolver.split("/")[2]
        with pytest.raises(InputError) as refused:
            parse_query(link(resolver))
        assert refused.value.key == "resolver_unknown"
    events, transport = run(link("http://127.0.0.1:8053/dns-query"), policy=TEST)
    assert events[-1]["event"] == "done"
    assert {call[0] for call in transport.calls} == {"http://127.0.0.1:8053/dns-query"}


def test_several_resolvers_are_all_asked_and_all_named_in_the_ticket() -> None:
    first, second = "http://127.0.0.1:8053/dns-query", "http://127.0.0.2:8053/dns-query"
    events, transport = run(link(first, "google", second, first), policy=TEST)
    done = events[-1]
    assert done["event"] == "done"
    asked = {call[0] for call in transport.calls}
    assert asked == {first, KNOWN_RESOLVERS["google"], second}
    assert done["result"]["resolvers"] == [first, KNOWN_RESOLVERS["google"], second]
    resolvers_line = next(
        line for line in done["markdown"].splitlines() if line.startswith("- **Resolvers**")
    )
    for url in asked:
        assert url in resolvers_line


def test_a_refused_resolver_never_reaches_a_ticket() -> None:
    # The only text a refused link produces is its one error line; there is no ticket to copy.
    hostile = "http://127.0.0.1:8053/dns-query?note=https://evil.example/"
    events, _transport = run(link("cloudflare", hostile))
    assert [event["event"] for event in events] == ["error"]
    assert "markdown" not in events[0]
