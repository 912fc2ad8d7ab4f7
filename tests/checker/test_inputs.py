"""Input normalisation: domains, server addresses and resolver URLs."""

from __future__ import annotations

import contextlib
import ipaddress

import pytest
from autossl_check.defaults import DEFAULT_RESOLVERS
from autossl_check.inputs import normalise_domain, parse_resolver, parse_server
from autossl_check.model import InputError, ResolverId
from autossl_check.texts import input_error_text
from hypothesis import given, settings
from hypothesis import strategies as st


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("example.com", "example.com"),
        ("Example.COM", "example.com"),
        ("example.com.", "example.com"),
        ("  example.com  ", "example.com"),
        ("https://Example.com/page?x=1", "example.com"),
        ("http://user:pw@www.example.com:2083/x#frag", "www.example.com"),
        ("example.com/path", "example.com"),
        ("example.com:2083", "example.com"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("BÜCHER.example.", "xn--bcher-kva.example"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("例え.テスト", "xn--r8jz45g.xn--zckzah"),
        ("ｅｘａｍｐｌｅ．ｃｏｍ", "example.com"),
        ("a-b.example", "a-b.example"),
    ],
)
def test_domain_forms_are_normalised(typed: str, expected: str) -> None:
    assert normalise_domain(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        ".",
        "com",
        "localhost",
        "203.0.113.10",
        "[2001:db8::1]",
        "*.example.com",
        "exa mple.com",
        "-bad.example.com",
        "bad-.example.com",
        "a..example.com",
        "under_score.example.com",
        "<img src=x onerror=alert(1)>",
        "example.123",
        "x" * 64 + ".example.com",
        ("a" * 60 + ".") * 5 + "com",
        "x" * 10_000,
        "https://",
        "http://[::1",
        "example.com\x00",
        "xn--zz.example",
    ],
)
def test_bad_domains_are_refused_with_one_line(typed: str) -> None:
    with pytest.raises(InputError) as caught:
        normalise_domain(typed)
    for lang in ("en", "ja"):
        message = input_error_text(caught.value, lang)
        assert message
        assert "\n" not in message


def test_overlong_value_is_refused_before_processing() -> None:
    with pytest.raises(InputError) as caught:
        normalise_domain("a" * 10_000 + ".example")
    assert caught.value.key == "too_long_raw"


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_normalise_domain_only_ever_raises_input_error(text: str) -> None:
    try:
        result = normalise_domain(text)
    except InputError as error:
        message = input_error_text(error, "ja")
        result = ""
    else:
        message = ""
    if not result:
        assert message
        assert "\n" not in message
        return
    assert result == result.lower()
    assert result.isascii()
    assert not result.endswith(".")
    assert len(result) <= 253
    assert "." in result


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[a-zA-Z0-9.:/?#@\[\]%_-]{0,80}", fullmatch=True))
def test_url_like_input_only_ever_raises_input_error(text: str) -> None:
    with contextlib.suppress(InputError):
        normalise_domain(text)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("203.0.113.10", "203.0.113.10"),
        (" 2001:DB8::10 ", "2001:db8::10"),
        ("[2001:db8::10]", "2001:db8::10"),
        ("::ffff:203.0.113.10", "203.0.113.10"),
    ],
)
def test_server_addresses(typed: str, expected: str) -> None:
    assert parse_server(typed) == ipaddress.ip_address(expected)


@pytest.mark.parametrize("typed", ["", "example.com", "203.0.113.256", "fe80::1%eth0", "1.2.3"])
def test_bad_server_addresses(typed: str) -> None:
    with pytest.raises(InputError):
        parse_server(typed)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_parse_server_only_ever_raises_input_error(text: str) -> None:
    with contextlib.suppress(InputError):
        parse_server(text)


def test_known_resolvers_and_loopback() -> None:
    assert parse_resolver("both", allow_any_https=False) == DEFAULT_RESOLVERS
    assert parse_resolver("Google", allow_any_https=False) == ("https://dns.google/dns-query",)
    assert parse_resolver("http://127.0.0.1:8053/dns-query", allow_any_https=False) == (
        "http://127.0.0.1:8053/dns-query",
    )
    assert parse_resolver("http://[::1]:8053/dns-query", allow_any_https=False) == (
        "http://[::1]:8053/dns-query",
    )
    # The loopback resolver's HTTP/2 front (the benchmark) needs TLS.
    assert parse_resolver("https://127.0.0.1:8443/dns-query", allow_any_https=False) == (
        "https://127.0.0.1:8443/dns-query",
    )
    assert parse_resolver("https://doh.example/dns-query", allow_any_https=True) == (
        "https://doh.example/dns-query",
    )


@pytest.mark.parametrize(
    "value",
    [
        "quad9",
        "http://doh.example/dns-query",
        "http://localhost:8053/dns-query",
        "http://10.0.0.1/dns-query",
        "ftp://127.0.0.1/x",
        "javascript:alert(1)",
        "https://user@dns.google/dns-query",
        "http://127.0.0.1:0/dns-query",
    ],
)
def test_untrusted_resolvers_are_refused(value: str) -> None:
    with pytest.raises(InputError):
        parse_resolver(value, allow_any_https=True)


@pytest.mark.parametrize(
    "value",
    [
        "https://evil.example/dns-query",
        "https://localhost:8443/dns-query",  # a name, not a loopback literal: DNS decides it
        "https://10.0.0.1/dns-query",
        "https://127.0.0.1.nip.io/dns-query",
    ],
)
def test_a_link_cannot_pick_an_arbitrary_https_resolver(value: str) -> None:
    with pytest.raises(InputError):
        parse_resolver(value, allow_any_https=False)


def resolver_label(url: str) -> str:
    return ResolverId.from_url(url).label


def test_resolver_labels() -> None:
    assert resolver_label("https://dns.google/dns-query") == "dns.google"
    assert resolver_label("http://127.0.0.1:8053/dns-query") == "127.0.0.1:8053"
    assert resolver_label("http://[::1]:8053/fault/x/dns-query") == "[::1]:8053/fault/x/dns-query"
