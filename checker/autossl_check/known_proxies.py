"""Addresses that belong to a known proxy (Cloudflare), from ranges shipped as package data.

Pure and stdlib-only, so the page (Pyodide) and the command line classify a name the same way.
The data file is read with importlib.resources, which also works when the wheel stays a zip file
on sys.path. `tools/refresh_proxy_ranges.py` rewrites it from Cloudflare's published lists.
"""

from __future__ import annotations

import enum
import functools
import ipaddress
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TypeVar

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

DATA_PACKAGE = "autossl_check"
CLOUDFLARE_DATA = "data/cloudflare_ranges.json"


class RangesError(ValueError):
    """The ranges document is not usable (missing family, bad prefix, wrong shape)."""


@dataclass(frozen=True, slots=True)
class ProxyRanges:
    proxy: str
    sources: tuple[str, ...]
    as_of: str
    ipv4: tuple[ipaddress.IPv4Network, ...]
    ipv6: tuple[ipaddress.IPv6Network, ...]

    def contains(self, address: str) -> bool:
        """Whether `address` (IPv4 or IPv6 text) lies in one of the ranges; bad text is False."""
        try:
            parsed = ipaddress.ip_address(address)
        except ValueError:
            return False
        if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
            parsed = parsed.ipv4_mapped
        if isinstance(parsed, ipaddress.IPv4Address):
            return any(parsed in network for network in self.ipv4)
        return any(parsed in network for network in self.ipv6)


def parse_ranges(document: Mapping[str, object]) -> ProxyRanges:
    """Check and convert the data file's JSON object; a prefix with host bits set is refused."""
    try:
        proxy = document["proxy"]
        sources = document["sources"]
        as_of = document["as_of"]
        ipv4 = document["ipv4"]
        ipv6 = document["ipv6"]
    except KeyError as missing:
        raise RangesError(f"missing key {missing}") from None
    if not isinstance(proxy, str) or not isinstance(as_of, str):
        raise RangesError("proxy and as_of must be strings")
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise RangesError("sources must be a list of strings")
    return ProxyRanges(
        proxy=proxy,
        sources=tuple(sources),
        as_of=as_of,
        ipv4=tuple(_networks(ipv4, ipaddress.IPv4Network)),
        ipv6=tuple(_networks(ipv6, ipaddress.IPv6Network)),
    )


_N = TypeVar("_N", ipaddress.IPv4Network, ipaddress.IPv6Network)


def _networks(values: object, kind: type[_N]) -> list[_N]:
    if not isinstance(values, list) or not values:
        raise RangesError(f"{kind.__name__} list must be a non-empty list")
    networks: list[_N] = []
    for value in values:
        if not isinstance(value, str):
            raise RangesError(f"not a prefix: {value!r}")
        try:
            networks.append(kind(value.strip(), strict=True))
        except ValueError as error:
            raise RangesError(f"not a {kind.__name__}: {value!r} ({error})") from None
    return networks


@functools.cache
def cloudflare_ranges() -> ProxyRanges:
    text = resources.files(DATA_PACKAGE).joinpath(CLOUDFLARE_DATA).read_text(encoding="utf-8")
    return parse_ranges(json.loads(text))


class Coverage(enum.StrEnum):
    ALL = "all"  # every address (at least one) is the proxy's
    MIXED = "mixed"  # some are, some are not
    NONE = "none"  # none is, or there is no address


@dataclass(frozen=True, slots=True)
class ProxyClassification:
    proxy: str
    coverage: Coverage
    proxied: tuple[str, ...]  # the addresses in the proxy's ranges, A first
    ipv4_fallback: bool  # AAAA and A both the proxy's: cPanel retries over IPv4 if IPv6 fails


def classify(
    a: Sequence[str], aaaa: Sequence[str], ranges: ProxyRanges | None = None
) -> ProxyClassification:
    """Classify a name's A and AAAA address sets against a proxy's ranges (Cloudflare's default)."""
    known = ranges if ranges is not None else cloudflare_ranges()
    addresses = [*a, *aaaa]
    proxied = tuple(address for address in addresses if known.contains(address))
    if not proxied:
        coverage = Coverage.NONE
    elif len(proxied) == len(addresses):
        coverage = Coverage.ALL
    else:
        coverage = Coverage.MIXED
    fallback = bool(a) and bool(aaaa) and all(known.contains(x) for x in [*a, *aaaa])
    return ProxyClassification(known.proxy, coverage, proxied, fallback)


# How many redirects each provider's validator follows (Sectigo: none; Let's Encrypt: 10), both
# through a proxy (findings' BEHIND_PROXY) and in the HTTP probe.
MAX_REDIRECTS = {"letsencrypt": 10, "sectigo": 0}
