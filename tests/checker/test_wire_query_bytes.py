"""Queries are spliced from a template (wire.build_query): the bytes must be the ones dnspython
makes for the whole message, for any name a check can ask about."""

from __future__ import annotations

import dns.edns
import dns.flags
import dns.message
import pytest
from autossl_check import wire
from hypothesis import given, settings
from hypothesis import strategies as st

TYPES = ("A", "AAAA", "CAA")


def dnspython_query(name: str, rdtype: str) -> bytes:
    """Written out here, as wire.py made every query before the template."""
    query = dns.message.make_query(
        name,
        rdtype,
        use_edns=0,
        payload=1232,
        options=[dns.edns.ECSOption("0.0.0.0", 0)],
        id=0,
        flags=dns.flags.RD,
    )
    return query.to_wire()


@pytest.mark.parametrize(
    "name",
    [
        "example.com",
        "com",
        "www.ok.example",
        "ExAmPlE.CoM.",
        "xn--bcher-kva.example",
        "bücher.example",
        "_acme-challenge.example.com",
        "\\046dot\\032space.example",
        "x" * 63 + ".example",
        ".".join(["y" * 61] * 4),
    ],
)
@pytest.mark.parametrize("rdtype", TYPES)
def test_the_spliced_query_is_dnspythons_own(name: str, rdtype: str) -> None:
    assert wire.build_query(name, rdtype) == dnspython_query(name, rdtype)


LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_*", min_size=1, max_size=63)


@settings(max_examples=200, deadline=None)
@given(labels=st.lists(LABEL, min_size=1, max_size=6), rdtype=st.sampled_from(TYPES))
def test_any_name_gives_the_same_bytes(labels: list[str], rdtype: str) -> None:
    name = ".".join(labels)
    wire.build_query.cache_clear()
    assert wire.build_query(name, rdtype) == dnspython_query(name, rdtype)
