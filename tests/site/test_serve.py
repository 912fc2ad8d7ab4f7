"""tools/serve.py serves the built site like a careful static host: MIME types, the CSP header,
long-lived caching only where URLs are immutable, revalidation elsewhere, gzip, keep-alive."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import select
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.site.conftest import REPO, SitePage

sys.path.insert(0, str(REPO / "tools"))
from serve import SiteServer, make_server

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


def node_brotli_decompress(data: bytes) -> bytes:
    """Brotli decoded by Node's zlib (no Python package for it is locked)."""
    script = (
        "process.stdout.write(require('zlib').brotliDecompressSync(require('fs').readFileSync(0)))"
    )
    done = subprocess.run(["node", "-e", script], input=data, capture_output=True, check=True)
    return done.stdout


@pytest.mark.parametrize(
    "name", ["pyodide.asm.wasm", "pyodide.asm.mjs", "pyodide.mjs", "pyodide-lock.json"]
)
def test_the_builds_precompressed_copies_are_sent_when_accepted(
    connection, built_site: Path, name: str
) -> None:
    original = (built_site / "pyodide" / name).read_bytes()
    sibling = built_site / "pyodide" / f"{name}.br"
    response, body = get(connection, f"/pyodide/{name}", **{"Accept-Encoding": "gzip, br"})
    assert response.getheader("Content-Encoding") == "br"
    assert response.getheader("Vary") == "Accept-Encoding"
    assert body == sibling.read_bytes()
    assert node_brotli_decompress(body) == original
    # Brotli refused (q=0): the build's gzip copy, which decodes to the same file.
    response, body = get(
        connection, f"/pyodide/{name}", **{"Accept-Encoding": "br;q=0, gzip;q=0.5"}
    )
    assert response.getheader("Content-Encoding") == "gzip"
    assert body == (built_site / "pyodide" / f"{name}.gz").read_bytes()
    assert gzip.decompress(body) == original
    # Revalidation works across codings: the ETag names the file's content.
    etag = response.getheader("ETag")
    response, body = get(connection, f"/pyodide/{name}", **{"If-None-Match": etag})
    assert (response.status, body) == (304, b"")


def test_a_stale_precompressed_copy_is_never_sent(scratch_site: Path) -> None:
    runtime = scratch_site / "pyodide"
    runtime.mkdir()
    wasm = runtime / "pyodide.asm.wasm"
    wasm.write_bytes(b"\0asm new build " * 500)
    (runtime / "pyodide.asm.wasm.gz").write_bytes(gzip.compress(b"\0asm old build " * 500))
    old_brotli = runtime / "pyodide.asm.wasm.br"
    old_brotli.write_bytes(b"an older build's brotli")
    stamp = wasm.stat().st_mtime_ns
    os.utime(old_brotli, ns=(stamp - 10**9, stamp - 10**9))
    log: list[tuple[str, int, str, int]] = []
    with SiteServer(scratch_site, request_log=log) as running:
        parts = urlsplit(running.url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        response, body = get(conn, "/pyodide/pyodide.asm.wasm", **{"Accept-Encoding": "br, gzip"})
        conn.close()
    # Neither sibling matches the file: it is compressed here, from the file itself.
    assert response.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(body) == wasm.read_bytes()
    assert log == [("/pyodide/pyodide.asm.wasm", 200, "gzip", len(body))]


def test_csp_header_is_the_meta_policy_plus_frame_ancestors(
    connection, site_pages: dict[str, SitePage]
) -> None:
    response, _ = get(connection, "/checker/")
    meta = site_pages["/checker/"].csp_metas[0][0]
    assert response.getheader("Content-Security-Policy") == meta + "; frame-ancestors 'none'"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Referrer-Policy") == "no-referrer"


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


# --- a hostile client: a small site in a scratch folder, no build needed ----------------------

SITEMAP = b"<urlset><url><loc>http://127.0.0.1:8000/</loc></url></urlset>\n"
# Generous: "the server closed the connection" must happen well within this, never near it.
CLOSED_WITHIN_S = 60.0


@pytest.fixture
def scratch_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "index.html").write_text("<html>home</html>")
    (site / "404.html").write_text("<html>not found</html>")
    (site / "sitemap.xml").write_bytes(SITEMAP)
    (site / "docs" / "page.html").write_text("<html>page</html>")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("SECRET-OUTSIDE-THE-ROOT")
    (site / ".env").write_text("SECRET-DOTFILE")
    (site / "leak.txt").symlink_to(outside / "secret.txt")
    (site / "leakdir").symlink_to(outside, target_is_directory=True)
    (site / "alias.html").symlink_to(site / "docs" / "page.html")
    return site


def raw_get(url: str, path: str, host: str | None = None) -> tuple[int, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": host} if host else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def closed_by_server(sock: socket.socket, deadline: float) -> bool:
    """Read until the server closes the connection (True) or the deadline passes (False)."""
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            if sock.recv(4096) == b"":
                return True
        except TimeoutError:
            return False
        except ConnectionError:
            return True
    return False


def handler_threads() -> int:
    return sum("process_request_thread" in t.name for t in threading.enumerate())


def test_symlinks_out_of_the_root_and_dot_files_are_refused(scratch_site: Path) -> None:
    with SiteServer(scratch_site) as server:
        for path in ("/leak.txt", "/leakdir/secret.txt", "/leakdir/", "/.env", "/%2e%2e/outside/"):
            status, body = raw_get(server.url, path)
            assert status == 404, path
            assert b"SECRET" not in body, path
        # A link that stays inside the root is just another name for a published file.
        assert raw_get(server.url, "/alias.html") == (200, b"<html>page</html>")


def test_sitemap_is_served_as_built_whatever_the_host_header(scratch_site: Path) -> None:
    server = make_server(scratch_site, "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        for host in ("evil.example", "127.0.0.1:1", None):
            assert raw_get(url, "/sitemap.xml", host) == (200, SITEMAP), host
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_test_server_sitemap_names_its_own_origin_never_the_host_header(
    scratch_site: Path,
) -> None:
    with SiteServer(scratch_site) as server:
        origin = server.url.rstrip("/")
        for host in ("evil.example", "127.0.0.1:1", None):
            status, body = raw_get(server.url, "/sitemap.xml", host)
            assert status == 200
            assert body == SITEMAP.replace(b"http://127.0.0.1:8000", origin.encode()), host


def test_idle_and_slow_clients_are_disconnected(scratch_site: Path) -> None:
    with SiteServer(scratch_site, request_timeout=1.0) as server:
        parts = urlsplit(server.url)
        address = (parts.hostname, parts.port)
        deadline = time.monotonic() + CLOSED_WITHIN_S
        with socket.create_connection(address) as idle:
            assert closed_by_server(idle, deadline), "an idle connection stayed open"
        with socket.create_connection(address) as slow:
            # One byte at a time, each well within any per-read timeout: the whole request head
            # has a deadline, so trickling bytes does not keep the connection.
            closed = False
            for byte in b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 400:
                try:
                    slow.sendall(bytes([byte]))
                except ConnectionError:
                    closed = True
                    break
                readable, _, _ = select.select([slow], [], [], 0.1)
                if readable:
                    closed = closed_by_server(slow, deadline)
                    break
            assert closed, "a client sending one byte every 0.1 s kept its connection"
        # A kept-alive connection is closed once it has been idle for the same time.
        with socket.create_connection(address) as kept:
            kept.sendall(b"GET /docs/page.html HTTP/1.1\r\nHost: x\r\n\r\n")
            assert closed_by_server(kept, deadline), "a kept-alive connection stayed open"


def test_half_open_connections_hold_a_bounded_number_of_threads(scratch_site: Path) -> None:
    max_threads = 4
    before = handler_threads()
    with SiteServer(scratch_site, request_timeout=1.0, max_threads=max_threads) as server:
        parts = urlsplit(server.url)
        address = (parts.hostname, parts.port)
        half_open = [socket.create_connection(address) for _ in range(24)]
        try:
            for sock in half_open:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            busiest = 0
            for _ in range(20):  # a sample every 0.05 s while the server works through them
                busiest = max(busiest, handler_threads() - before)
                time.sleep(0.05)
            assert 0 < busiest <= max_threads
            deadline = time.monotonic() + CLOSED_WITHIN_S
            still_open = [s for s in half_open if not closed_by_server(s, deadline)]
            assert still_open == [], f"{len(still_open)} half-open connections stayed open"
        finally:
            for sock in half_open:
                sock.close()
        # The attack is over: readers are served again.
        assert raw_get(server.url, "/docs/page.html") == (200, b"<html>page</html>")
