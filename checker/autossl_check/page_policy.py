"""Which resolvers a link may name on the page: decided when the site is built, kept in the wheel.

The site build (tools/site_hooks/checker_assets.py) writes the module BUILT_MODULE into the
checker wheel it publishes: the resolvers that build lists and, in a test build only
(AUTOSSL_CHECK_TEST_BUILD=1), loopback. The page facade reads it once, when it is imported, so
the memory snapshot the build takes right after that import carries the same policy. A copy
without it (the package installed from the repository, a wheel not made by the site build)
gets the release policy. A link only names resolvers; it can never widen the policy.

Loopback is the test resolver on the reader's own machine: a release page must never send it
anything, whatever a link says, on hosts that send no Content-Security-Policy header too.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from .defaults import DEFAULT_RESOLVERS
from .inputs import is_loopback_host

BUILT_MODULE = "_site_build"
TEST_BUILD_VARIABLE = "AUTOSSL_CHECK_TEST_BUILD"


@dataclass(frozen=True, slots=True)
class ResolverPolicy:
    resolvers: tuple[str, ...]  # the DoH URLs a link may name
    loopback: bool = False  # also any http(s) URL on 127.0.0.0/8 or [::1] (test builds)

    def admits(self, url: str) -> bool:
        if url in self.resolvers:
            return True
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            return False
        return self.loopback and is_loopback_host(host)


RELEASE = ResolverPolicy(DEFAULT_RESOLVERS)
TEST = ResolverPolicy(DEFAULT_RESOLVERS, loopback=True)


def for_this_build() -> ResolverPolicy:
    """The policy the site build running now publishes (the build hooks ask)."""
    return TEST if os.environ.get(TEST_BUILD_VARIABLE) == "1" else RELEASE


def module_text(policy: ResolverPolicy) -> str:
    """The source of BUILT_MODULE for a wheel that carries `policy`."""
    return (
        "# Written by the site build (tools/site_hooks/checker_assets.py); see page_policy.py.\n"
        f"RESOLVERS = {policy.resolvers!r}\n"
        f"LOOPBACK = {policy.loopback!r}\n"
    )


def built() -> ResolverPolicy:
    """The policy this copy of the checker was built with (RELEASE when none was written)."""
    try:
        module = importlib.import_module(f"{__package__}.{BUILT_MODULE}")
    except ModuleNotFoundError:
        return RELEASE
    resolvers = tuple(str(url) for url in module.RESOLVERS)
    return ResolverPolicy(resolvers, loopback=module.LOOPBACK is True)
