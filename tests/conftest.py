"""Fixtures for every test suite: the loopback DoH resolver (tests/support/doh_resolver.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.support.doh_resolver import SHARED_ZONES, DohResolver


@pytest.fixture
def doh_resolver() -> Iterator[DohResolver]:
    """A resolver on tests/data/zones.json with no added latency; `.url` is its /dns-query."""
    with DohResolver(SHARED_ZONES) as resolver:
        yield resolver


@pytest.fixture
def doh_resolver_factory() -> Iterator[Callable[..., DohResolver]]:
    """Start more resolvers: `make(zones=path_or_dict, latency_ms=..., ...)`; all stop after."""
    started: list[DohResolver] = []

    def make(zones: Any = SHARED_ZONES, **options: Any) -> DohResolver:
        resolver = DohResolver(zones, **options).start()
        started.append(resolver)
        return resolver

    yield make
    for resolver in started:
        resolver.stop()
