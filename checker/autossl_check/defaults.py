"""Every default a check starts from, in one place: the CLI, the page, the site's CSP and the docs
read them here. Plain values only, so that build hooks can import this without the checker."""

from __future__ import annotations

KNOWN_RESOLVERS: dict[str, str] = {
    "cloudflare": "https://cloudflare-dns.com/dns-query",
    "google": "https://dns.google/dns-query",
}
# `both` stands for all of them, and a check without a resolver asks all of them.
DEFAULT_RESOLVERS: tuple[str, ...] = tuple(KNOWN_RESOLVERS.values())

PROVIDERS: tuple[str, ...] = ("letsencrypt", "sectigo")
DEFAULT_PROVIDER = "letsencrypt"

DEADLINE_SECONDS = 15.0  # the whole check
QUERY_TIMEOUT_SECONDS = 4.0  # one query (never longer than the whole check)
MAX_SECONDS = 600.0  # the longest either may be set to
# 32 lets a default check (about 28 queries) go out in one wave per resolver.
MAX_IN_FLIGHT = 32  # per resolver
MAX_IN_FLIGHT_LIMIT = 256


def resolver_origins() -> tuple[str, ...]:
    """`https://host` of each known resolver: what the page may connect to."""
    from urllib.parse import urlsplit

    return tuple(
        f"{parts.scheme}://{parts.netloc}"
        for parts in (urlsplit(url) for url in KNOWN_RESOLVERS.values())
    )
