"""The HTTP/2 front (tests/support/h2_front.py): the resolver's answers, unchanged, over HTTP/2.

A small Node client (node:http2, so no curl is needed) sends the requests over one HTTP/2
connection and reports the negotiated protocol; each reply is compared with the reply the same
request gets from the resolver directly.
"""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dns.message
import dns.rcode
import pytest

from tests.resolver.client import Reply, encode, make_query, request
from tests.support.doh_resolver import DNS_MESSAGE, SHARED_ZONES, DohResolver
from tests.support.h2_front import H2Front, H2FrontError

# Reads {"origin", "ca", "http1", "requests": [{method, path, headers, body}]} on stdin and
# prints {"alpn", "spki", "connections", "results": [{status, headers, body} | {error}]}.
# Every request is sent at once; over HTTP/2 they share one session.
CLIENT = r"""
import http2 from "node:http2";
import https from "node:https";
import fs from "node:fs";
import crypto from "node:crypto";

const spec = JSON.parse(fs.readFileSync(0, "utf8"));
const ca = fs.readFileSync(spec.ca);
const b64 = (chunks) => Buffer.concat(chunks).toString("base64");

function viaHttp2() {
  const session = http2.connect(spec.origin, { ca });
  session.on("error", () => {});
  const sent = spec.requests.map((r) => new Promise((resolve) => {
    const headers = { ":method": r.method, ":path": r.path, ...r.headers };
    const stream = session.request(headers, { endStream: !r.body });
    const chunks = [];
    let head = null;
    stream.on("response", (h) => { head = h; });
    stream.on("data", (c) => chunks.push(c));
    stream.on("end", () => {
      const { ":status": status, ...rest } = head;
      resolve({ status, headers: rest, body: b64(chunks) });
    });
    stream.on("error", (e) => resolve({ error: e.code || String(e) }));
    if (r.body) stream.end(Buffer.from(r.body, "base64"));
  }));
  return Promise.all(sent).then((results) => {
    const alpn = session.alpnProtocol;
    const cert = new crypto.X509Certificate(session.socket.getPeerCertificate().raw);
    const key = cert.publicKey.export({ type: "spki", format: "der" });
    const spki = crypto.createHash("sha256").update(key).digest("base64");
    session.close();
    return { alpn, spki, connections: 1, results };
  });
}

function viaHttp1() {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set();
  let alpn = null;
  const sent = spec.requests.map((r) => new Promise((resolve) => {
    const req = https.request(new URL(r.path, spec.origin), {
      method: r.method, headers: r.headers, ca, agent, ALPNProtocols: ["http/1.1"],
    }, (res) => {
      sockets.add(res.socket);
      alpn = res.socket.alpnProtocol;
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers,
                                    http: res.httpVersion, body: b64(chunks) }));
    });
    req.on("error", (e) => resolve({ error: e.code || String(e) }));
    req.end(r.body ? Buffer.from(r.body, "base64") : undefined);
  }));
  return Promise.all(sent).then((results) => {
    agent.destroy();
    return { alpn, connections: sockets.size, results };
  });
}

(spec.http1 ? viaHttp1() : viaHttp2()).then((out) => process.stdout.write(JSON.stringify(out)));
"""


@pytest.fixture
def front(doh_resolver: DohResolver) -> Iterator[H2Front]:
    with H2Front(doh_resolver.url) as running:
        yield running


def node_client(front: H2Front, requests: list[dict[str, Any]], *, http1: bool = False) -> Any:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH (the HTTP/2 front and its tests need Node 20 or newer)")
    for item in requests:
        item.setdefault("headers", {})
        body = item.get("body")
        item["body"] = base64.b64encode(body).decode() if body else None
    spec = {"origin": front.base_url, "ca": str(front.cert_path), "http1": http1}
    done = subprocess.run(
        [node, "--input-type=module", "-e", CLIENT],
        input=json.dumps({**spec, "requests": requests}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def body(result: dict[str, Any]) -> bytes:
    assert "error" not in result, result
    return base64.b64decode(result["body"])


def direct(
    resolver: DohResolver,
    path: str,
    method: str = "GET",
    *,
    sent: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """The same request straight to the resolver (tests.resolver.client sends path and query
    separately)."""
    bare, mark, query = path.partition("?")
    return request(
        resolver.base_url + bare, method, path_suffix=mark + query, body=sent, headers=headers
    )


def dns_get_path(name: str, rdtype: str = "A", prefix: str = "") -> str:
    return f"{prefix}/dns-query?dns={encode(make_query(name, rdtype))}"


def test_get_and_post_come_back_over_http2_with_the_resolvers_bytes(
    front: H2Front, doh_resolver: DohResolver
) -> None:
    get_path = dns_get_path("www.ok.example", "AAAA")
    wire = make_query("mixed.example", "CAA", query_id=4660)
    out = node_client(
        front,
        [
            {"method": "GET", "path": get_path, "headers": {"accept": DNS_MESSAGE}},
            {
                "method": "POST",
                "path": "/dns-query",
                "headers": {"content-type": DNS_MESSAGE, "accept": DNS_MESSAGE},
                "body": wire,
            },
        ],
    )
    assert out["alpn"] == "h2"
    # The key Chromium is told to trust (front.chromium_flag) is the one the front presents.
    assert out["spki"] == front.spki
    assert front.chromium_flag == f"--ignore-certificate-errors-spki-list={out['spki']}"
    direct_get = direct(doh_resolver, get_path)
    direct_post = direct(
        doh_resolver, "/dns-query", "POST", sent=wire, headers={"Content-Type": DNS_MESSAGE}
    )
    for result, straight in zip(out["results"], (direct_get, direct_post), strict=True):
        assert straight.status == 200
        assert result["status"] == 200
        assert body(result) == straight.body
        assert dns.message.from_wire(body(result)).rcode() == dns.rcode.NOERROR
        headers = result["headers"]
        assert headers["content-type"] == DNS_MESSAGE
        assert headers["cache-control"] == straight.header("Cache-Control")
        assert headers["access-control-allow-origin"] == "*"
        assert headers["access-control-expose-headers"] == "Retry-After, Cache-Control"
    assert dns.message.from_wire(body(out["results"][0])).answer  # a real answer, not empty
    assert dns.message.from_wire(body(out["results"][1])).id == 4660
    # The resolver behind the front saw both questions (and the two direct ones).
    asked = [(r.qname, r.qtype) for r in doh_resolver.queries]
    assert asked.count(("www.ok.example.", "AAAA")) == 2
    assert asked.count(("mixed.example.", "CAA")) == 2
    assert [(r.http, r.method) for r in front.requests] == [("2.0", "GET"), ("2.0", "POST")]


def test_error_statuses_and_their_headers_pass_through(
    front: H2Front, doh_resolver: DohResolver
) -> None:
    get_path = dns_get_path("ok.example")
    query = get_path.split("?", 1)[1]
    cases = [
        ("GET", f"/fault/http429/dns-query?{query}", {}, None, 429),
        ("GET", f"/fault/http503/dns-query?{query}", {}, None, 503),
        ("GET", "/nowhere", {}, None, 404),
        ("GET", "/dns-query?dns=%21%21", {}, None, 400),
        ("POST", "/dns-query", {"content-type": "text/plain"}, b"hello", 415),
        ("GET", f"/fault/html/dns-query?{query}", {}, None, 200),
    ]
    out = node_client(
        front,
        [{"method": m, "path": p, "headers": h, "body": b} for m, p, h, b, _ in cases],
    )
    assert out["alpn"] == "h2"
    for (method, path, headers, sent, status), result in zip(cases, out["results"], strict=True):
        straight = direct(doh_resolver, path, method, sent=sent, headers=dict(headers) or None)
        assert straight.status == status
        assert result["status"] == status, path
        assert body(result) == straight.body, path
        assert result["headers"]["content-type"] == straight.header("Content-Type")
        assert result["headers"]["cache-control"] == straight.header("Cache-Control")
        assert result["headers"]["access-control-allow-origin"] == "*"
    assert out["results"][0]["headers"]["retry-after"] == "1"


def test_a_preflight_is_answered_by_the_resolver(front: H2Front, doh_resolver: DohResolver) -> None:
    out = node_client(
        front,
        [
            {
                "method": "OPTIONS",
                "path": "/dns-query",
                "headers": {
                    "origin": "http://127.0.0.1:8000",
                    "access-control-request-method": "POST",
                    "access-control-request-headers": "content-type",
                },
            }
        ],
    )
    (result,) = out["results"]
    assert result["status"] == 204
    assert result["headers"]["access-control-allow-methods"] == "GET, POST, OPTIONS"
    assert result["headers"]["access-control-allow-headers"] == "content-type, accept"
    assert doh_resolver.preflights == 1


def test_a_dropped_connection_becomes_a_stream_error_and_the_front_keeps_serving(
    front: H2Front,
) -> None:
    out = node_client(
        front,
        [
            {"method": "GET", "path": dns_get_path("ok.example", prefix="/fault/close")},
            {"method": "GET", "path": dns_get_path("ok.example")},
        ],
    )
    dropped, healthy = out["results"]
    assert "error" in dropped
    assert healthy["status"] == 200
    assert body(healthy)


def test_queries_on_one_connection_reach_the_resolver_together(
    doh_resolver_factory: Any,
) -> None:
    # The point of the front: HTTP/2 streams are not held back to six connections' worth. With
    # a one-second answer delay, 24 queries forwarded one connection's turn at a time would
    # arrive seconds apart; forwarded at once, they all arrive before the first answer leaves.
    resolver = doh_resolver_factory(latency_ms=1000)
    names = [f"n{index}.wild.example" for index in range(24)]
    with H2Front(resolver.url) as front:
        out = node_client(front, [{"method": "GET", "path": dns_get_path(n)} for n in names])
        connections = {r.connection for r in front.requests}
    assert [r["status"] for r in out["results"]] == [200] * len(names)
    assert len(connections) == 1
    arrivals = sorted(record.time for record in resolver.queries)
    assert len(arrivals) == len(names)
    assert arrivals[-1] - arrivals[0] < 0.9


def test_http11_clients_are_served_too(front: H2Front, doh_resolver: DohResolver) -> None:
    path = dns_get_path("ok.example")
    out = node_client(front, [{"method": "GET", "path": path}], http1=True)
    (result,) = out["results"]
    assert out["alpn"] == "http/1.1"
    assert result["http"] == "1.1"
    assert body(result) == direct(doh_resolver, path).body
    assert [r.http for r in front.requests] == ["1.1"]


def test_urls_map_onto_the_front(front: H2Front, doh_resolver: DohResolver) -> None:
    assert front.url == f"https://127.0.0.1:{front.port}/dns-query"
    assert front.to_front(doh_resolver.fault_url("http429")) == (
        f"https://127.0.0.1:{front.port}/fault/http429/dns-query"
    )
    with pytest.raises(ValueError, match="not on the upstream"):
        front.to_front("http://127.0.0.1:1/dns-query")


@pytest.mark.parametrize("upstream", ["https://127.0.0.1:1/", "http://192.0.2.1:80/", "/dns"])
def test_only_a_loopback_http_upstream_is_accepted(upstream: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        H2Front(upstream)


def test_stops_cleanly_and_removes_its_certificate() -> None:
    with DohResolver(SHARED_ZONES) as resolver:
        with H2Front(resolver.url) as front:
            assert front.running
            port, cert = front.port, front.cert_path
            assert cert is not None
            assert cert.is_file()
            with socket.create_connection(("127.0.0.1", port), timeout=5):
                pass
        assert not front.running
        assert front.returncode == 0
        assert not Path(cert).exists()
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_a_front_that_cannot_start_says_why(tmp_path: Path) -> None:
    fake_node = tmp_path / "node"
    fake_node.write_text("#!/bin/sh\necho 'no such runtime' >&2\nexit 3\n")
    fake_node.chmod(0o755)
    with DohResolver(SHARED_ZONES) as resolver:
        front = H2Front(resolver.url, node=str(fake_node))
        with pytest.raises(H2FrontError, match="no such runtime"):
            front.start()
        assert not front.running
