"""The page's transport: the browser's fetch through Pyodide. Imported only under Pyodide.

A GET with only an `Accept` header is a CORS "simple" request (no preflight), and with query ID 0
the browser's HTTP cache may answer repeated checks.
"""

from __future__ import annotations

import asyncio
from typing import Any

from .transport import HttpReply, TransportError

MAX_BODY = 65_536


async def pyodide_transport(url: str, accept: str) -> HttpReply:
    from pyodide.http import pyfetch

    controller = _abort_controller()
    options: dict[str, Any] = {"headers": {"Accept": accept}, "cache": "default"}
    if controller is not None:
        options["signal"] = controller.signal
    try:
        response = await pyfetch(url, **options)
        body = await response.bytes()
    except asyncio.CancelledError:
        if controller is not None:
            controller.abort()
        raise
    except Exception as error:  # fetch reports every network problem as a TypeError or OSError
        raise TransportError("network", _fetch_reason(error)) from None
    if len(body) > MAX_BODY:
        raise TransportError("too_large")
    headers = {str(key).lower(): str(value) for key, value in dict(response.headers).items()}
    return HttpReply(int(response.status), headers.get("content-type", ""), bytes(body), headers)


def _abort_controller() -> Any:
    try:
        from js import AbortController
    except ImportError:
        return None
    return AbortController.new()


def _fetch_reason(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    # Browsers deliberately say little ("Failed to fetch"): CORS, offline and DNS look the same.
    return text[:120]
