"""tools/serve.py serves the built site like a careful static host: MIME types, the CSP header,
long-lived caching only where URLs are immutable, revalidation elsewhere, gzip, keep-alive."""

from __future__ import annotations

import gzip
import http.client
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.site.conftest import REPO, SitePage

sys.path.insert(0, str(REPO / "tools"))
from serve import SiteServer

pytestmark = pytest.mark.site

IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture(scope="module")
def server(built_site: Path):
    with SiteServer(built_site) as running:
        yield running


@pytest.fixture
def connection(server: SiteServer):
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    yield conn
    conn.close()


def get(conn: http.client.HTTPConnection, path: str, **headers: str):
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    return response, response.read()


def wheel_path(built_site: Path) -> str:
    lock = json.loads((built_site / "pyodide" / "pyodide-lock.json").read_text())
    return "/pyodide/" + lock["packages"]["autossl-check"]["file_name"]


def test_runtime_files_have_the_right_types(connection, built_site: Path) -> None:
    for path, content_type in (
        ("/pyodide/pyodide.asm.wasm", "application/wasm"),
        ("/pyodide/pyodide.mjs", "text/javascript; charset=utf-8"),
        ("/pyodide/pyodide.asm.mjs", "text/javascript; charset=utf-8"),
        ("/pyodide/python_stdlib.zip", "application/zip"),
        (wheel_path(built_site), "application/zip"),
    ):
        response, _ = get(connection, path)
        assert response.status == 200, path
        assert response.getheader("Content-Type") == content_type, path


def test_only_content_addressed_urls_are_immutable(connection, built_site: Path) -> None:
    bundle = next((built_site / "assets" / "javascripts").glob("bundle.*.min.js"))
    for path in (wheel_path(built_site), f"/assets/javascripts/{bundle.name}"):
        response, _ = get(connection, path)
        assert response.getheader("Cache-Control") == IMMUTABLE, path
    # Same names across Pyodide upgrades: a year-long cache would keep a stale runtime.
    for path in ("/pyodide/pyodide.asm.wasm", "/pyodide/python_stdlib.zip", "/pyodide/pyodide.mjs"):
        response, _ = get(connection, path)
        assert response.getheader("Cache-Control") == "no-cache", path
        assert response.getheader("ETag"), path


def test_lock_file_and_pages_revalidate_with_etags(connection) -> None:
    for path, content_type in (
        ("/pyodide/pyodide-lock.json", "application/json"),
        ("/", "text/html; charset=utf-8"),
        ("/en/findings/", "text/html; charset=utf-8"),
    ):
        response, _ = get(connection, path)
        assert response.status == 200
        assert response.getheader("Content-Type") == content_type
        assert response.getheader("Cache-Control") == "no-cache"
        etag = response.getheader("ETag")
        assert etag
        assert response.getheader("Last-Modified")
        again, again_body = get(connection, path, **{"If-None-Match": etag})
        assert again.status == 304
        assert again_body == b""


def test_gzip_when_accepted(connection, built_site: Path) -> None:
    wasm = (built_site / "pyodide" / "pyodide.asm.wasm").read_bytes()
    response, body = get(connection, "/pyodide/pyodide.asm.wasm", **{"Accept-Encoding": "gzip"})
    assert response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Vary") == "Accept-Encoding"
    assert len(body) < len(wasm) / 2
    assert gzip.decompress(body) == wasm
    plain, plain_body = get(connection, "/pyodide/pyodide.asm.wasm")
    assert plain.getheader("Content-Encoding") is None
    assert plain_body == wasm


def test_csp_header_is_the_meta_policy_plus_frame_ancestors(
    connection, site_pages: dict[str, SitePage]
) -> None:
    response, _ = get(connection, "/checker/")
    meta = site_pages["/checker/"].csp_metas[0][0]
    assert response.getheader("Content-Security-Policy") == meta + "; frame-ancestors 'none'"
    assert response.getheader("X-Content-Type-Options") == "nosniff"


def test_directories_redirects_404_and_traversal(connection) -> None:
    response, _ = get(connection, "/en/fix")
    assert response.status == 301
    assert response.getheader("Location") == "/en/fix/"
    for path in ("/no-such-page/", "/../pyproject.toml", "/%2e%2e/pyproject.toml", "/_headers"):
        response, body = get(connection, path)
        assert response.status == 404, path
        assert b"<html" in body.lower()


def test_one_connection_serves_many_requests(connection) -> None:
    for path in ("/", "/fix/", "/pyodide/pyodide-lock.json", "/en/"):
        response, _ = get(connection, path)
        assert response.status == 200
        assert not response.will_close
