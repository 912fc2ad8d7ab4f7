"""The runtime the site serves is checked against the manifest in the checker page.

Each file of the runtime (the snapshot, the standard library, the wasm, the lock file) is served
changed, the way a half-finished deploy, a stale cache or a tampered copy would serve it: the
checker refuses it with the "packages" message and Retry, gives no verdict and asks no resolver,
and Retry with the right file ends in a verdict.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import CheckerPage
from tests.support.doh_resolver import DohResolver

pytestmark = pytest.mark.browser

SERVER = "203.0.113.10"
LOAD_TIMEOUT_MS = 90000
CHECKER_PACKAGES = {"autossl-check", "dnspython", "idna"}


def flip_middle_byte(body: bytes) -> bytes:
    changed = bytearray(body)
    changed[len(changed) // 2] ^= 0x01
    return bytes(changed)


def change_snapshot_memory(body: bytes) -> bytes:
    """Still a valid gzip file: only Python's memory inside it differs, by one byte."""
    return gzip.compress(flip_middle_byte(gzip.decompress(body)), compresslevel=1)


def change_an_unused_digest(body: bytes) -> bytes:
    """Still a valid lock file, with one digest of a package the checker never loads changed."""
    lock = json.loads(body)
    name = next(n for n in sorted(lock["packages"]) if n not in CHECKER_PACKAGES)
    digest = lock["packages"][name]["sha256"]
    lock["packages"][name]["sha256"] = ("0" if digest[0] != "0" else "1") + digest[1:]
    return json.dumps(lock).encode()


def append_a_comment(body: bytes) -> bytes:
    return body + b"\n// changed\n"


CHANGES: dict[str, tuple[str, Callable[[bytes], bytes], str]] = {
    "snapshot": ("**/pyodide/checker.snapshot.gz", change_snapshot_memory, "application/gzip"),
    "stdlib": ("**/pyodide/snapshot_stdlib.zip", flip_middle_byte, "application/zip"),
    "wasm": ("**/pyodide/pyodide.asm.wasm", flip_middle_byte, "application/wasm"),
    "lock": ("**/pyodide/pyodide-lock.json", change_an_unused_digest, "application/json"),
    "loader": ("**/pyodide/pyodide.asm.mjs", append_a_comment, "text/javascript"),
}


@pytest.mark.parametrize("changed", sorted(CHANGES))
def test_a_changed_runtime_file_is_refused_and_retry_recovers(
    open_checker: Any, resolver: DohResolver, changed: str
) -> None:
    route, change, content_type = CHANGES[changed]
    checker: CheckerPage = open_checker(load_timeout_ms=LOAD_TIMEOUT_MS)
    served: list[str] = []

    def serve_changed(request_route: Any) -> None:
        served.append(request_route.request.url)
        body = change(request_route.fetch().body())
        request_route.fulfill(status=200, body=body, content_type=content_type)

    checker.page.route(route, serve_changed)
    resolver.clear_log()
    checker.open(
        "en/checker/",
        [("domain", "ok.example"), ("server", SERVER), ("resolver", resolver.url)],
    )
    state = checker.poll(
        lambda: (s := checker.state()) and (s["alert"] or s["verdict"]) and s,
        what="a verdict or a message",
    )
    assert served, f"{route} was never requested"
    assert state["verdict"] is None, f"a verdict from a changed {changed}: {state}"
    assert state["failure"] == "packages", state
    assert state["stage"] == "failed"
    assert state["retryVisible"]
    assert "did not match their published checksums" in state["alert"]
    assert resolver.count() == 0

    checker.page.unroute(route)
    checker.page.click('[data-checker="retry"]')
    assert checker.wait_verdict() == "ok"


def test_the_manifest_comes_with_the_page_and_lists_every_runtime_file(
    checker: CheckerPage,
) -> None:
    checker.open("en/checker/")
    checker.wait_mounted()
    manifest = checker.evaluate(
        """() => JSON.parse(
              document.querySelector("[data-autossl-checker]").dataset.runtimeManifest)"""
    )
    files = manifest["files"]
    for name in (
        "pyodide.mjs",
        "pyodide.asm.mjs",
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "snapshot_stdlib.zip",
        "pyodide-lock.json",
        "checker.snapshot.gz",
    ):
        assert re.fullmatch(r"[0-9a-f]{64}", files[name]), name
    wheels = [name for name in files if name.startswith("wheels/")]
    assert len(wheels) == 3, wheels
    assert re.fullmatch(r"[0-9a-f]{64}", manifest["inflated"]["checker.snapshot.gz"])
    # Not a file of its own on the site: nothing was fetched for it.
    assert not [url for url in checker.requests if "manifest" in url]


def test_a_wasm_served_with_a_wrong_mime_type_still_runs_once_checked(
    checker: CheckerPage, resolver: DohResolver
) -> None:
    # Pyodide compiles the checked bytes it is handed, not the server's response.
    def wrong_type(request_route: Any) -> None:
        response = request_route.fetch()
        request_route.fulfill(status=200, body=response.body(), content_type="text/plain")

    checker.page.route("**/pyodide/pyodide.asm.wasm", wrong_type)
    checker.open(
        "en/checker/",
        [("domain", "ok.example"), ("server", SERVER), ("resolver", resolver.url)],
    )
    assert checker.wait_verdict() == "ok"
