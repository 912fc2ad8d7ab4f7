"""The page's transport: the browser's fetch through Pyodide. Imported only under Pyodide.

A GET with only an `Accept` header is a CORS "simple" request (no preflight), and with query ID 0
the browser's HTTP cache may answer repeated checks. The request is aborted when the awaiting
task is cancelled (per-query timeout or the check's deadline).

Each crossing between Python and JavaScript costs time in WebAssembly, and a check makes 28
queries at once: a query makes few crossings (one options object, the fetch, the body, and only
the headers the checker reads) rather than going through `pyodide.http.pyfetch`, which also
builds a Request, wraps the response and copies every header.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from .transport import HttpReply, TransportError

MAX_BODY = 65_536
# What the checker reads of a reply's headers (wire.py: the type, and Retry-After on a 429).
HEADERS_READ = ("content-type", "retry-after")

# fetch(url, options) as the browser has it, or a stand-in that answers without the network.
Fetcher = Callable[[str, Any], Awaitable[Any]]


async def pyodide_transport(url: str, accept: str) -> HttpReply:
    from js import fetch

    return await fetch_reply(fetch, url, accept)


async def fetch_reply(fetcher: Fetcher, url: str, accept: str) -> HttpReply:
    """One GET through `fetcher`, read the way every query of the page is read."""
    from js import AbortController, Object
    from pyodide.ffi import to_js

    controller = AbortController.new()
    # No Referer: hosts without headers (GitHub Pages) would send the page's origin.
    options = {
        "headers": {"Accept": accept},
        "cache": "default",
        "referrerPolicy": "no-referrer",
        "signal": controller.signal,
    }
    try:
        response = await fetcher(url, to_js(options, dict_converter=Object.fromEntries))
        body = (await response.arrayBuffer()).to_bytes()
    except asyncio.CancelledError:
        controller.abort()
        raise
    except Exception as error:  # fetch reports every network problem alike (TypeError/AbortError)
        raise TransportError("network", _fetch_reason(error)) from None
    if len(body) > MAX_BODY:
        raise TransportError("too_large")
    headers = {}
    for name in HEADERS_READ:
        value = response.headers.get(name)
        if isinstance(value, str):  # an absent header is JavaScript's null
            headers[name] = value
    return HttpReply(int(response.status), headers.get("content-type", ""), body, headers)


def _fetch_reason(error: BaseException) -> str:
    # Browsers say little on purpose ("Failed to fetch"): CORS, offline and DNS look the same.
    text = str(error).strip()
    return (text.splitlines()[0] if text else type(error).__name__)[:120]
