// An HTTP/2 (TLS) front for the loopback DoH resolver, which speaks HTTP/1.1 only.
//
// Chromium speaks HTTP/2 only over TLS, and over HTTP/1.1 it opens at most six connections per
// host, so a check's queries to the plain resolver queue up in waves. Public resolvers speak
// HTTP/2, where every query of a check shares one connection. This front lets the benchmark and
// the tests measure that: it answers HTTP/2 (ALPN h2, HTTP/1.1 too) on 127.0.0.1 and passes each
// request on to the resolver over keep-alive connections with no per-host limit, so the resolver
// still decides every answer, status and delay.
//
// usage: node h2_front.mjs --upstream http://127.0.0.1:PORT --cert cert.pem --key key.pem
//                          [--port 0] [--host 127.0.0.1]
// Prints `READY https://127.0.0.1:PORT` once listening, then one JSON line per request
// ({"event":"request","http":"2.0","connection":1,"method":"GET","path":"/dns-query?dns=…"}).
// Stops on SIGTERM, SIGINT or when its standard input closes (so it never outlives its parent).

import fs from "node:fs";
import http from "node:http";
import http2 from "node:http2";
import { parseArgs } from "node:util";

// Connection-level headers: HTTP/2 forbids them, and they describe one hop only.
const HOP_BY_HOP = new Set([
  "connection",
  "host",
  "http2-settings",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);
const LOOPBACK = new Set(["127.0.0.1", "[::1]"]);
const MAX_BODY = 1024 * 1024; // far above any DNS message; the resolver itself refuses > 65535

function fail(message) {
  process.stderr.write(`h2_front: ${message}\n`);
  process.exit(2);
}

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      upstream: { type: "string" },
      cert: { type: "string" },
      key: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "0" },
    },
  }));
} catch (error) {
  fail(error.message);
}
if (!options.upstream || !options.cert || !options.key) {
  fail("--upstream, --cert and --key are required");
}
let upstream;
try {
  upstream = new URL(options.upstream);
} catch {
  fail(`--upstream ${JSON.stringify(options.upstream)} is not a URL`);
}
if (upstream.protocol !== "http:" || !LOOPBACK.has(upstream.hostname)) {
  fail(`--upstream must be http://127.0.0.1:PORT or http://[::1]:PORT, not ${options.upstream}`);
}
if (options.host !== "127.0.0.1" && options.host !== "::1") {
  fail(`--host must be a loopback address, not ${options.host}`);
}
const port = Number(options.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port ${options.port} is not a port`);

// Infinity is Node's default for maxSockets too; spelled out because it is the point of the front.
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 });
const upstreamHost = upstream.hostname.replace(/^\[|\]$/g, "");
const upstreamPort = Number(upstream.port || 80);

const connectionIds = new WeakMap(); // HTTP/2 session or HTTP/1.1 TLS socket -> number
let lastConnectionId = 0;
function connectionId(holder) {
  if (!connectionIds.has(holder)) connectionIds.set(holder, ++lastConnectionId);
  return connectionIds.get(holder);
}

function forwardHeaders(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(":") || HOP_BY_HOP.has(name)) continue;
    out[name] = value;
  }
  return out;
}

// The resolver dropped the connection or failed before answering: the client should see what it
// would have seen talking to the resolver directly, a network error rather than an HTTP status.
function abandon(res) {
  if (res.stream) {
    res.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  } else {
    res.socket?.destroy();
  }
}

function handle(req, res) {
  const holder = req.stream ? req.stream.session : req.socket;
  process.stdout.write(
    `${JSON.stringify({
      event: "request",
      http: req.httpVersion,
      connection: connectionId(holder),
      method: req.method,
      path: req.url,
    })}\n`,
  );
  // An HTTP/2 request body need not announce its length, but the resolver (like many HTTP/1.1
  // servers) wants a Content-Length, so the body (a DNS message, tiny) is read whole first.
  const chunks = [];
  let size = 0;
  req.on("data", (chunk) => {
    size += chunk.length;
    if (size <= MAX_BODY) chunks.push(chunk);
  });
  req.on("error", () => abandon(res));
  req.on("end", () => {
    if (size > MAX_BODY) {
      res.writeHead(413, { "content-type": "text/plain; charset=utf-8" });
      res.end("request body too large for the front\n");
      return;
    }
    forward(req, res, chunks.length ? Buffer.concat(chunks) : null);
  });
}

function forward(req, res, body) {
  const headers = forwardHeaders(req.headers);
  headers.host = upstream.host;
  if (body !== null || !["GET", "HEAD", "OPTIONS"].includes(req.method)) {
    headers["content-length"] = String(body ? body.length : 0);
  }
  const upstreamRequest = http.request(
    {
      agent,
      host: upstreamHost,
      port: upstreamPort,
      method: req.method,
      path: req.url,
      headers,
      setHost: false,
    },
    (reply) => {
      res.writeHead(reply.statusCode, forwardHeaders(reply.headers));
      reply.pipe(res);
      reply.on("error", () => abandon(res));
    },
  );
  upstreamRequest.on("error", () => {
    if (!res.headersSent) abandon(res);
    else res.destroy();
  });
  // A client that gives up (a fetch timeout) frees the resolver's connection as well.
  res.on("close", () => {
    if (!res.writableFinished) upstreamRequest.destroy();
  });
  upstreamRequest.end(body ?? undefined);
}

let key;
let cert;
try {
  key = fs.readFileSync(options.key);
  cert = fs.readFileSync(options.cert);
} catch (error) {
  fail(`cannot read the certificate or key: ${error.message}`);
}
const server = http2.createSecureServer(
  {
    key,
    cert,
    allowHTTP1: true,
    // Public resolvers allow at least 100 concurrent streams; a check needs fewer than 64.
    settings: { maxConcurrentStreams: 256 },
  },
  handle,
);

const sockets = new Set();
server.on("connection", (socket) => {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
});
// TLS handshakes abandoned by a client are routine and not worth a line on stderr.
server.on("tlsClientError", () => {});
server.on("sessionError", () => {});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.close(() => process.exit(0));
  for (const socket of sockets) socket.destroy();
  agent.destroy();
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();

server.on("error", (error) => fail(`cannot listen: ${error.message}`));
server.listen(port, options.host, () => {
  const address = server.address();
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  process.stdout.write(`READY https://${host}:${address.port}\n`);
});
