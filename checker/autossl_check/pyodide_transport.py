"""The page's transport: the browser's fetch through Pyodide. Imported only under Pyodide.

A GET with only an `Accept` header is a CORS "simple" request (no preflight), and with query ID 0
the browser's HTTP cache may answer repeated checks. `pyfetch` aborts the underlying fetch itself
when the awaiting task is cancelled (per-query timeout or the check's deadline).
"""

from __future__ import annotations

import asyncio

from .transport import HttpReply, TransportError

MAX_BODY = 65_536


async def pyodide_transport(url: str, accept: str) -> HttpReply:
    from pyodide.http import pyfetch

    try:
        # No Referer: hosts without headers (GitHub Pages) would send the page's origin.
        response = await pyfetch(
            url, headers={"Accept": accept}, cache="default", referrerPolicy="no-referrer"
        )
        body = await response.bytes()
    except asyncio.CancelledError:
        raise
    except Exception as error:  # fetch reports every network problem alike (TypeError/AbortError)
        raise TransportError("network", _fetch_reason(error)) from None
    if len(body) > MAX_BODY:
        raise TransportError("too_large")
    headers = {str(key).lower(): str(value) for key, value in dict(response.headers).items()}
    return HttpReply(int(response.status), headers.get("content-type", ""), bytes(body), headers)


def _fetch_reason(error: BaseException) -> str:
    # Browsers say little on purpose ("Failed to fetch"): CORS, offline and DNS look the same.
    text = str(error).strip()
    return (text.splitlines()[0] if text else type(error).__name__)[:120]
