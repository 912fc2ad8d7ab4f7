"""An HTTP/2 (TLS) front for the loopback DoH resolver: tests/support/h2_front.mjs under Node.

The resolver (tests/support/doh_resolver.py) speaks HTTP/1.1 only, and Chromium opens at most six
HTTP/1.1 connections per host, so a check's queries queue up in waves that public resolvers, which
speak HTTP/2, never cause. Chromium speaks HTTP/2 only over TLS, so the front makes a throw-away
self-signed certificate for IP 127.0.0.1 (browsers must ignore certificate errors for it) and
passes every request through to the resolver, which still decides each answer, status and delay.

A browser can take the certificate two ways: a Playwright context with ``ignore_https_errors``
(enough for a test), or Chromium started with ``front.chromium_flag``, which makes it trust this
one key. Only the second behaves like a real resolver for the HTTP cache: Chromium does not
store responses it received over a certificate error.

Python use::

    with DohResolver(latency_ms=50) as resolver, H2Front(resolver.url) as front:
        fetch(front.url)                          # https://127.0.0.1:PORT/dns-query
        fetch(front.to_front(resolver.fault_url("http429")))
        front.requests                            # what reached the front, with HTTP versions
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, NamedTuple
from urllib.parse import urlsplit, urlunsplit

SCRIPT = Path(__file__).resolve().with_name("h2_front.mjs")
OPENSSL = "/usr/bin/openssl"
START_TIMEOUT_S = 15.0
LOOPBACK = ("127.0.0.1", "::1")


class H2FrontError(RuntimeError):
    """The front could not be started (no Node, no openssl, a bad upstream URL...)."""


class FrontRequest(NamedTuple):
    """One request the front received; read the fields by name."""

    http: str  # "2.0" or "1.1", as negotiated with the client
    connection: int  # the client connection it came on (an HTTP/2 session or a TLS socket)
    method: str
    path: str  # path and query, as forwarded
    time: float  # time.monotonic() when the front reported it


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate and key for IP 127.0.0.1, valid for two days."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    if not Path(OPENSSL).exists():
        raise H2FrontError(f"{OPENSSL} is needed to make the front's certificate")
    done = subprocess.run(
        [
            OPENSSL,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if done.returncode != 0:
        raise H2FrontError(f"openssl could not make a certificate: {done.stderr.strip()[-400:]}")
    return cert, key


def spki_sha256(cert: Path) -> str:
    """Base64 SHA-256 of the certificate's public key, as Chromium's SPKI allow-list wants it."""
    pem = subprocess.run(
        [OPENSSL, "x509", "-in", str(cert), "-noout", "-pubkey"],
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout
    der = subprocess.run(
        [OPENSSL, "pkey", "-pubin", "-outform", "der"],
        input=pem,
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


class H2Front:
    """Runs the front in a Node process for as long as the context is open.

    ``upstream`` is the resolver's URL (only its scheme, host and port are used: every path is
    passed through). ``node`` is the Node binary (default: ``node`` on PATH).
    """

    def __init__(self, upstream: str, *, port: int = 0, node: str | None = None) -> None:
        parts = urlsplit(upstream)
        if parts.scheme != "http" or parts.hostname not in LOOPBACK or parts.port is None:
            raise ValueError(f"the front passes requests to a loopback http:// URL, not {upstream}")
        self.upstream_origin = f"{parts.scheme}://{parts.netloc}"
        self._upstream_path = parts.path or "/"
        self._requested_port = port
        self._node = node or shutil.which("node")
        self._process: subprocess.Popen[str] | None = None
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: list[str] = []
        self._requests: list[FrontRequest] = []
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self.base_url = ""
        self.cert_path: Path | None = None
        self.spki = ""
        self.returncode: int | None = None

    # --- life cycle ------------------------------------------------------------------------

    def start(self) -> H2Front:
        if self._process is not None:
            raise RuntimeError("the front is already running")
        if not self._node:
            raise H2FrontError("Node is needed for the HTTP/2 front (node is not on PATH)")
        self._scratch = tempfile.TemporaryDirectory(prefix="autossl-h2-front-")
        try:
            self.cert_path, key = make_certificate(Path(self._scratch.name))
            self.spki = spki_sha256(self.cert_path)
            self._process = subprocess.Popen(
                [
                    self._node,
                    str(SCRIPT),
                    "--upstream",
                    self.upstream_origin,
                    "--cert",
                    str(self.cert_path),
                    "--key",
                    str(key),
                    "--port",
                    str(self._requested_port),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            self._follow(self._process.stdout, self._read_stdout, mark_end=True)
            self._follow(self._process.stderr, self._stderr.append)
            self.base_url = self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _follow(
        self, stream: IO[str] | None, sink: Callable[[str], object], *, mark_end: bool = False
    ) -> None:
        assert stream is not None

        def pump() -> None:
            for line in stream:
                sink(line.rstrip("\n"))
            if mark_end:  # tells _wait_ready that the process went away before READY
                self._lines.put(None)

        thread = threading.Thread(target=pump, name="h2-front-output", daemon=True)
        thread.start()
        self._threads.append(thread)

    def _read_stdout(self, line: str) -> None:
        if not line.startswith("{"):
            self._lines.put(line)
            return
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            return
        if event.get("event") == "request":
            record = FrontRequest(
                str(event["http"]),
                int(event["connection"]),
                str(event["method"]),
                str(event["path"]),
                time.monotonic(),
            )
            with self._lock:
                self._requests.append(record)

    def _wait_ready(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                line = self._lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise H2FrontError(
                    f"the front did not start within {START_TIMEOUT_S:.0f} s"
                ) from None
            if line is None:
                assert self._process is not None
                self._process.wait(timeout=5)
                for thread in self._threads:
                    thread.join(timeout=1)
                raise H2FrontError(
                    f"the front exited with status {self._process.returncode}: "
                    + (" ".join(self._stderr).strip()[-400:] or "no message")
                )
            if line.startswith("READY "):
                return line.split(" ", 1)[1].strip()

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            # Closing its standard input asks the front to stop; SIGTERM and SIGKILL back that up.
            with contextlib.suppress(OSError):
                if process.stdin is not None:
                    process.stdin.close()
            try:
                self.returncode = process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.terminate()
                try:
                    self.returncode = process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    self.returncode = process.wait()
            for thread in self._threads:
                thread.join(timeout=2)
        scratch, self._scratch = self._scratch, None
        if scratch is not None:
            scratch.cleanup()

    def __enter__(self) -> H2Front:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # --- addresses -------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def port(self) -> int:
        if not self.base_url:
            raise RuntimeError("the front is not running")
        return int(urlsplit(self.base_url).port or 443)

    @property
    def chromium_flag(self) -> str:
        """Makes Chromium trust the front's key as if a CA had signed it (HTTP cache included)."""
        if not self.spki:
            raise RuntimeError("the front is not running")
        return f"--ignore-certificate-errors-spki-list={self.spki}"

    @property
    def url(self) -> str:
        """The front's address for the upstream URL it was given (usually …/dns-query)."""
        return self.base_url + self._upstream_path

    def to_front(self, upstream_url: str) -> str:
        """The same request through the front, e.g. for ``resolver.fault_url("http429")``."""
        parts = urlsplit(upstream_url)
        if f"{parts.scheme}://{parts.netloc}" != self.upstream_origin:
            raise ValueError(f"{upstream_url} is not on the upstream {self.upstream_origin}")
        front = urlsplit(self.base_url)
        return urlunsplit((front.scheme, front.netloc, parts.path, parts.query, parts.fragment))

    # --- what arrived ----------------------------------------------------------------------

    @property
    def requests(self) -> list[FrontRequest]:
        with self._lock:
            return list(self._requests)

    def clear_log(self) -> None:
        with self._lock:
            self._requests.clear()
