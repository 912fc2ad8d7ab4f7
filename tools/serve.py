"""A small static server for the built site: `make serve`, the browser tests and the benchmark.

    python tools/serve.py --root site --host 127.0.0.1 --port 8000

or, from Python (the server runs in a thread):

    with SiteServer("site") as server:
        print(server.url)

It behaves like a careful static host, so that what the tests and the benchmark measure is what
readers will get:
- the headers in site/_headers (written by tools/site_hooks/csp.py, Netlify / Cloudflare Pages
  syntax): the Content-Security-Policy with frame-ancestors on every response, and
  `Cache-Control: public, max-age=31536000, immutable` for content-addressed URLs (the wheels,
  the theme's fingerprinted bundles);
- everything else (HTML, the Pyodide core, pyodide-lock.json) `Cache-Control: no-cache` with an
  ETag and Last-Modified, answered with 304 when the browser's copy is current;
- a precompressed sibling written by the build (X.br, X.gz beside X: tools/site_hooks/
  precompress.py) with Content-Encoding when the client accepts it, brotli first; otherwise gzip
  for text-like files and .wasm, compressed once per file version and kept in memory;
- HTTP/1.1 keep-alive with Nagle's algorithm off (or every small response waits ~40 ms);
- the right MIME types (.wasm application/wasm, .mjs text/javascript, .whl application/zip),
  directory index.html, redirects to the trailing slash, and the site's 404.html.

It is also safe to leave running: it serves only files that resolve inside the root (a symlink
out of it is a 404), it never copies anything from a request into what it serves, every request
head must arrive within REQUEST_TIMEOUT_S of the server starting to wait for it (idle keep-alive
and trickling clients are disconnected), a response must be sent within SEND_TIMEOUT_S, and at
most MAX_THREADS connections are handled at once (the rest wait in the listen backlog).
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import hashlib
import http.server
import io
import os
import re
import socket
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".wasm": "application/wasm",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".gz": "application/gzip",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}
COMPRESSIBLE = {".html", ".js", ".mjs", ".css", ".json", ".map", ".wasm", ".xml", ".svg", ".txt"}
DEFAULT_CACHE_CONTROL = "no-cache"
HEADERS_FILE = "_headers"
REQUEST_TIMEOUT_S = 10.0
SEND_TIMEOUT_S = 60.0  # the whole response: the 10 MB wasm over a slow link still fits
MAX_THREADS = 64
CODINGS = ("br", "gzip")


@dataclass(frozen=True)
class Representation:
    body: bytes
    gzipped: bytes | None
    brotli: bytes | None
    etag: str
    last_modified: str
    content_type: str


class SiteFiles:
    """The site's files, each read (and compressed) once per version on disk."""

    def __init__(self, root: Path, *, headers_file: bool = True) -> None:
        self.root = root.resolve()
        self._cache: dict[tuple[Path, int, int], Representation] = {}
        self._lock = threading.Lock()
        self.header_rules = _read_header_rules(self.root / HEADERS_FILE) if headers_file else []

    def locate(self, url_path: str) -> tuple[Path | None, bool]:
        """The file for a URL path, and whether the URL only lacks a trailing slash."""
        parts = [p for p in urllib.parse.unquote(url_path).split("/") if p not in ("", ".")]
        if ".." in parts or any(p.startswith(".") or p == HEADERS_FILE for p in parts):
            return None, False
        path = self.root.joinpath(*parts)
        if path.is_dir():
            if not url_path.endswith("/"):
                return None, self.inside(path / "index.html") is not None
            path = path / "index.html"
        return self.inside(path), False

    def inside(self, path: Path) -> Path | None:
        """The file itself if it exists and resolves inside the root (symlinks followed)."""
        resolved = path.resolve()
        return resolved if resolved.is_file() and resolved.is_relative_to(self.root) else None

    def read(self, path: Path) -> Representation:
        stat = path.stat()
        key = (path, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        body = path.read_bytes()
        suffix = path.suffix.lower()
        gzipped = _sibling(path, ".gz", stat.st_mtime_ns)
        if gzipped is not None and gzip.decompress(gzipped) != body:
            gzipped = None  # a stale sibling is never sent in place of the file
        if gzipped is None and suffix in COMPRESSIBLE:
            gzipped = gzip.compress(body, compresslevel=6, mtime=0)
        representation = Representation(
            body=body,
            gzipped=gzipped if gzipped is not None and len(gzipped) < len(body) else None,
            brotli=_sibling(path, ".br", stat.st_mtime_ns),
            etag='"' + hashlib.sha256(body).hexdigest()[:24] + '"',
            last_modified=email.utils.formatdate(stat.st_mtime, usegmt=True),
            content_type=MIME_TYPES.get(suffix, "application/octet-stream"),
        )
        with self._lock:
            self._cache[key] = representation
        return representation

    def extra_headers(self, url_path: str) -> dict[str, str]:
        headers: dict[str, str] = {}
        for pattern, rule_headers in self.header_rules:
            if pattern.fullmatch(url_path):
                headers.update(rule_headers)
        return headers


def _sibling(path: Path, suffix: str, not_older_than_ns: int) -> bytes | None:
    """The build's precompressed copy of `path`, unless missing or older than the file."""
    sibling = path.with_name(path.name + suffix)
    try:
        if sibling.stat().st_mtime_ns >= not_older_than_ns:
            return sibling.read_bytes()
    except FileNotFoundError:
        pass
    return None


def _accepted_encodings(header: str) -> set[str]:
    """The codings an Accept-Encoding header allows (q=0 excluded)."""
    accepted = set()
    for item in header.split(","):
        coding, _, params = item.strip().partition(";")
        weight = params.strip()
        try:
            if not weight.startswith("q=") or float(weight[2:]) > 0:
                accepted.add(coding.strip().lower())
        except ValueError:
            continue
    return accepted


def _read_header_rules(path: Path) -> list[tuple[re.Pattern[str], dict[str, str]]]:
    """Parse a _headers file: an unindented URL pattern (`*` matches anything), then
    indented `Name: value` lines."""
    rules: list[tuple[re.Pattern[str], dict[str, str]]] = []
    if not path.is_file():
        return rules
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            pattern = re.compile(".*".join(re.escape(part) for part in line.strip().split("*")))
            rules.append((pattern, {}))
        elif rules and ":" in line:
            name, value = line.split(":", 1)
            rules[-1][1][name.strip()] = value.strip()
    return rules


class _DeadlineReader(io.RawIOBase):
    """A socket's reads, refused once `deadline` (time.monotonic()) has passed.

    A socket timeout alone bounds each read, so a client sending a byte now and then could hold
    a connection (and its thread) for ever; the deadline bounds the whole request head."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self.deadline = float("inf")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request head took too long")
        self._sock.settimeout(min(left, SEND_TIMEOUT_S))
        return self._sock.recv_into(buffer)


class SiteRequestHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "autossl-check-serve"
    files: SiteFiles
    quiet = False
    request_timeout = REQUEST_TIMEOUT_S
    sitemap: Representation | None = None
    # (URL path, status, Content-Encoding, body bytes) of each response with a file
    request_log: list[tuple[str, int, str, int]] | None = None
    # The content codings offered, best first: a host without brotli is ("gzip",)
    codings: tuple[str, ...] = CODINGS

    def setup(self) -> None:
        super().setup()
        self._reader = _DeadlineReader(self.connection)
        self.rfile = io.BufferedReader(self._reader)

    def handle_one_request(self) -> None:
        # Waiting for the next request on a kept-alive connection counts too: idle clients go.
        self._reader.deadline = time.monotonic() + self.request_timeout
        super().handle_one_request()  # a TimeoutError there closes the connection

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _respond(self, *, send_body: bool) -> None:
        self.connection.settimeout(SEND_TIMEOUT_S)
        url_path = urllib.parse.urlsplit(self.path).path
        path, wants_slash = self.files.locate(url_path)
        if wants_slash:
            query = urllib.parse.urlsplit(self.path).query
            self._send_empty(301, {"Location": url_path + "/" + (f"?{query}" if query else "")})
            return
        status = 200
        if path is None:
            status, path = 404, self.files.inside(self.files.root / "404.html")
            if path is None:
                self._send_empty(404, {})
                return
        file = self.files.read(path)
        if self.sitemap is not None and path == self.files.root / "sitemap.xml":
            file = self.sitemap
        headers = {
            "Content-Type": file.content_type,
            "Cache-Control": DEFAULT_CACHE_CONTROL,
            "ETag": file.etag,
            "Last-Modified": file.last_modified,
            **self.files.extra_headers(url_path if status == 200 else "/404.html"),
        }
        if status == 404:
            headers["Cache-Control"] = "no-store"
        body = file.body
        if file.gzipped is not None or file.brotli is not None:
            headers["Vary"] = "Accept-Encoding"
            accepted = _accepted_encodings(self.headers.get("Accept-Encoding", ""))
            encoded_as = {"br": file.brotli, "gzip": file.gzipped}
            for coding in self.codings:
                encoded = encoded_as.get(coding)
                if encoded is not None and coding in accepted:
                    body = encoded
                    headers["Content-Encoding"] = coding
                    headers["ETag"] = f'{file.etag[:-1]}-{coding}"'
                    break
        if status == 200 and self._not_modified(file):
            status, body = 304, b""
        if self.request_log is not None:
            encoding = headers.get("Content-Encoding", "")
            self.request_log.append((url_path, status, encoding, len(body)))
        if status == 304:
            self._send_empty(304, headers)
            return
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _not_modified(self, file: Representation) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {
                tag.strip().removeprefix("W/").replace('-gzip"', '"').replace('-br"', '"')
                for tag in if_none_match.split(",")
            }
            return file.etag in tags or "*" in tags
        since = self.headers.get("If-Modified-Since")
        return since is not None and since == file.last_modified

    def _send_empty(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:  # a 304 has no body by definition, and must not claim a length of 0
            self.send_header("Content-Length", "0")
        self.end_headers()

    def version_string(self) -> str:
        return self.server_version

    def log_error(self, format: str, *args: Any) -> None:
        # Closing an idle kept-alive connection at its deadline is routine, not an error.
        if not format.startswith("Request timed out"):
            super().log_error(format, *args)

    def log_message(self, format: str, *args: Any) -> None:
        if not self.quiet:
            super().log_message(format, *args)


def _sitemap_for_origin(file: Representation, origin: str) -> Representation:
    """The sitemap with site_url's origin replaced by the server's own (never a request's).

    Material's instant navigation only follows links found in the sitemap and compares them
    with the page's own URL, port included; the build writes site_url's port (8000), tests serve
    on any free port."""
    built = re.search(rb"<loc>(https?://[^/<]+)", file.body)
    if built is None:
        return file
    body = file.body.replace(built.group(1), origin.encode())
    etag = '"' + hashlib.sha256(body).hexdigest()[:24] + '"'
    return Representation(body, None, None, etag, file.last_modified, file.content_type)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # A page opens many connections at once; the default backlog of 5 drops SYNs (~1 s stalls).
    request_queue_size = 128

    def __init__(
        self, host: str, port: int, handler: type[SiteRequestHandler], max_threads: int
    ) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._slots = threading.BoundedSemaphore(max_threads)
        self._closing = threading.Event()
        super().__init__((host, port), handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        # With every thread busy, stop accepting: new connections wait in the listen backlog
        # until a request finishes or times out (REQUEST_TIMEOUT_S).
        while not self._slots.acquire(timeout=0.2):
            if self._closing.is_set():
                self.shutdown_request(request)
                return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def shutdown(self) -> None:
        self._closing.set()
        super().shutdown()

    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that closes a keep-alive connection mid-response is routine, not a fault.
        if isinstance(sys.exc_info()[1], ConnectionResetError | BrokenPipeError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


def make_server(
    root: str | os.PathLike[str],
    host: str,
    port: int,
    *,
    quiet: bool,
    headers_file: bool = True,
    request_timeout: float = REQUEST_TIMEOUT_S,
    max_threads: int = MAX_THREADS,
    request_log: list[tuple[str, int, str, int]] | None = None,
    codings: tuple[str, ...] = CODINGS,
) -> _Server:
    files = SiteFiles(Path(root), headers_file=headers_file)
    if not (files.root / "index.html").is_file():
        raise SystemExit(f"{files.root} holds no built site: run `make site` first.")
    # Compress the Pyodide runtime now (about a second), not while the first reader waits for it.
    for path in sorted((files.root / "pyodide").rglob("*")):
        if path.is_file():
            files.read(path)
    attributes = {
        "files": files,
        "quiet": quiet,
        "request_timeout": request_timeout,
        "request_log": request_log,
        "codings": codings,
    }
    handler = type("Handler", (SiteRequestHandler,), attributes)
    return _Server(host, port, handler, max_threads)


class SiteServer:
    """The site served from a background thread; `url` ends in a slash.

    Unlike `make serve`, it rewrites the sitemap to its own origin (a free port), so instant
    navigation works in tests. `headers_file=False` ignores _headers, like a host that sends no
    headers of its own (GitHub Pages). `request_log`, if given, gets (URL path, status,
    Content-Encoding, body bytes) of every response for a file (304s and 404s too);
    `codings` the content codings offered, best first (("gzip",): a host without brotli)."""

    def __init__(
        self,
        root: str | os.PathLike[str],
        port: int = 0,
        host: str = "127.0.0.1",
        *,
        headers_file: bool = True,
        request_timeout: float = REQUEST_TIMEOUT_S,
        max_threads: int = MAX_THREADS,
        request_log: list[tuple[str, int, str, int]] | None = None,
        codings: tuple[str, ...] = CODINGS,
    ) -> None:
        self._server = make_server(
            root,
            host,
            port,
            quiet=True,
            headers_file=headers_file,
            request_timeout=request_timeout,
            max_threads=max_threads,
            request_log=request_log,
            codings=codings,
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        bound_port = self._server.server_address[1]
        self.url = (
            f"http://[{host}]:{bound_port}/" if ":" in host else f"http://{host}:{bound_port}/"
        )
        handler: type[SiteRequestHandler] = self._server.RequestHandlerClass  # type: ignore[assignment]
        sitemap = handler.files.inside(handler.files.root / "sitemap.xml")
        if sitemap is not None:
            built = handler.files.read(sitemap)
            handler.sitemap = _sitemap_for_origin(built, self.url.rstrip("/"))

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--root", default="site", help="the built site (default: site)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0: any)")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    args = parser.parse_args(argv)
    server = make_server(args.root, args.host, args.port, quiet=args.quiet)
    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in str(host) else host
    if not server.RequestHandlerClass.files.header_rules:  # type: ignore[attr-defined]
        print(f"note: no {HEADERS_FILE} in {args.root}: no CSP header, no long-lived caching")
    print(f"Serving http://{shown}:{port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
