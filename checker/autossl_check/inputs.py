"""Turning what a person typed or pasted into values the checker can trust.

Every refusal is an `InputError` (model.py): a key and parameters, worded by `texts` in the
reader's language wherever it is shown.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from .defaults import DEFAULT_RESOLVERS, KNOWN_RESOLVERS
from .model import InputError, Subject

MAX_HOST_CHARS = 253
MAX_PARAM_CHARS = 2048

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_LDH_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_URLISH = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def _shown(text: str, limit: int = 60) -> str:
    """A short, escaped echo of the input for an error message (never raw control chars)."""
    shortened = text if len(text) <= limit else text[:limit] + "…"
    return shortened if shortened.isprintable() else ascii(shortened)[1:-1]


def _check_raw_length(text: str, what: Subject) -> None:
    if len(text) > MAX_PARAM_CHARS:
        raise InputError("too_long_raw", what=what, length=len(text), limit=MAX_PARAM_CHARS)


def _host_from_pasted(text: str) -> str:
    """Pull the host out of a pasted URL (`https://Example.com/page?x=1`) or `host/path`."""
    if _URLISH.match(text) or any(mark in text for mark in "/?#@"):
        candidate = text if _URLISH.match(text) else "//" + text
        try:
            parts = urlsplit(candidate)
            host = parts.hostname
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError:
            raise InputError("unreadable_url", value=_shown(text)) from None
        if not host:
            raise InputError("no_host", value=_shown(text))
        return host
    if text.count(":") == 1:
        # "example.com:2083": a host with a port, as copied from a cPanel login URL.
        host, _, port = text.partition(":")
        if port.isdigit():
            return host
    return text


def normalise_domain(text: str, *, what: Subject = Subject.DOMAIN) -> str:
    """Return the A-label form of a domain: lower case, no trailing dot.

    Accepts any case, a trailing dot, a Unicode IDN (IDNA 2008 with UTS #46 mapping) and a pasted
    URL. Raises `InputError` for anything else.
    """
    if not isinstance(text, str):
        raise InputError("not_text", what=what)
    _check_raw_length(text, what)
    stripped = text.strip()
    if not stripped:
        raise InputError("empty", what=what)
    host = _host_from_pasted(stripped).strip()
    if host.startswith("[") or _looks_like_ip(host):
        raise InputError("is_ip", value=_shown(host))
    if host.endswith("."):
        host = host[:-1]
    if not host:
        raise InputError("empty", what=what)
    if len(host) > MAX_HOST_CHARS:
        raise InputError("too_long_host", what=what, limit=MAX_HOST_CHARS)
    if host.startswith("*."):
        raise InputError("wildcard", value=_shown(host))
    ascii_host = _to_alabel(host)
    labels = ascii_host.split(".")
    if len(ascii_host) > MAX_HOST_CHARS:
        raise InputError("too_long_host", what=what, limit=MAX_HOST_CHARS)
    if not all(_LDH_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise InputError("invalid_name", value=_shown(host))
    if len(labels) < 2:
        raise InputError("single_label", value=_shown(host))
    return ascii_host


def _looks_like_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _to_alabel(host: str) -> str:
    if host.isascii():
        labels = host.lower().split(".")
        if all(_LDH_LABEL.match(label) and not label.startswith("xn--") for label in labels):
            return ".".join(labels)
    import idna  # only IDNs and xn-- labels pay for loading the IDNA tables

    try:
        encoded = idna.encode(host, uts46=True, transitional=False)
    except Exception:  # idna documents no complete list of what odd input raises
        raise InputError("invalid_name", value=_shown(host)) from None
    return encoded.decode("ascii").lower()


def parse_server(text: str) -> IPAddress:
    """An IPv4 or IPv6 address of the cPanel server (brackets around IPv6 are accepted)."""
    if not isinstance(text, str):
        raise InputError("not_text", what=Subject.SERVER)
    _check_raw_length(text, Subject.SERVER)
    stripped = text.strip()
    if stripped.startswith("[") and stripped.endswith("]"):
        stripped = stripped[1:-1]
    if not stripped:
        raise InputError("empty", what=Subject.SERVER)
    if "%" in stripped:
        raise InputError("server_zone", value=_shown(stripped))
    try:
        address = ipaddress.ip_address(stripped)
    except ValueError:
        raise InputError("server_invalid", value=_shown(stripped)) from None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_loopback_host(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_resolver(text: str, *, allow_any_https: bool) -> tuple[str, ...]:
    """Resolver URL(s) for one `resolver` value.

    Known names (`cloudflare`, `google`, `both`) always work. A loopback IP literal (the test
    resolver, or its HTTP/2 front, which needs https) works over http or https; plain http only
    there. Any other https URL only when `allow_any_https` (the CLI; a link from a stranger must
    not choose a resolver that could lie, and one on the reader's own machine cannot be placed
    by a stranger).
    """
    if not isinstance(text, str):
        raise InputError("not_text", what=Subject.RESOLVER)
    _check_raw_length(text, Subject.RESOLVER)
    value = text.strip()
    lowered = value.lower()
    if lowered == "both":
        return DEFAULT_RESOLVERS
    if lowered in KNOWN_RESOLVERS:
        return (KNOWN_RESOLVERS[lowered],)
    unknown = "resolver_unknown_cli" if allow_any_https else "resolver_unknown"
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        raise InputError("resolver_bad_url", value=_shown(value)) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host or "@" in parts.netloc:
        raise InputError(unknown, value=_shown(value))
    if parts.fragment or port == 0 or any(ch in value for ch in " \t\r\n\\"):
        raise InputError("resolver_bad_url", value=_shown(value))
    if scheme == "http" and not is_loopback_host(host):
        raise InputError("resolver_plain_http", value=_shown(value))
    trusted = value in KNOWN_RESOLVERS.values() or is_loopback_host(host)
    if scheme == "https" and not allow_any_https and not trusted:
        raise InputError(unknown, value=_shown(value))
    rebuilt = f"{scheme}://{parts.netloc}{parts.path or '/dns-query'}"
    if parts.query:
        rebuilt += "?" + parts.query
    return (rebuilt,)
