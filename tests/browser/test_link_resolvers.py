"""A link with several `resolver=` values: the page asks every one of them (as the CLI does), and
the ticket names exactly the resolvers that were asked. Test build (loopback resolvers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.test_checker_words import copied_ticket
from tests.support.doh_resolver import DohResolver

pytestmark = pytest.mark.browser

SERVER = "203.0.113.10"


def test_every_resolver_of_a_link_is_asked_and_named_in_the_ticket(
    open_checker: Callable[..., Any], resolver: DohResolver, doh_resolver_factory: Any
) -> None:
    second = doh_resolver_factory()
    resolver.clear_log()
    checker = open_checker(clipboard=True)
    checker.open(
        "en/checker/",
        [
            ("domain", "ok.example"),
            ("server", SERVER),
            ("resolver", resolver.url),
            ("resolver", second.url),
        ],
    )
    assert checker.wait_verdict() == "ok"
    assert resolver.count("ok.example.", "A") >= 1
    assert second.count("ok.example.", "A") >= 1
    resolvers_line = next(
        line for line in copied_ticket(checker).splitlines() if line.startswith("- **Resolvers**")
    )
    assert resolver.url in resolvers_line
    assert second.url in resolvers_line
    # The link keeps both: copying it or reloading asks the same two resolvers.
    assert checker.evaluate("() => new URLSearchParams(location.search).getAll('resolver')") == [
        resolver.url,
        second.url,
    ]
    assert checker.console_errors == []
