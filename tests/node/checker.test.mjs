// The checker wheel inside real Pyodide under Node, exactly as the site ships it: Python is
// started by the worker's own start-up code (docs/assets/checker/boot.js) from the built site's
// site/pyodide/ (Pyodide's core with the precompiled standard library, the lock file and the
// autossl-check, dnspython and idna wheels beside it), then autossl_check.browser.run_from_query
// runs against the loopback DoH resolver. With BOOT=snapshot (the worker's normal start) Python's
// memory is restored from the build's checker.snapshot.gz and the wheels, checked against their
// sha256 in the lock file, are written back; with BOOT=wheels it starts the long way.
//
//   node --test tests/node/            (after `make site`; starts its own resolver)
//
// Environment (all optional):
//   SITE_DIR      the built site (default: site/)
//   DOH_URL       a running loopback resolver on tests/data/zones.json
//   CASES_FILE    JSON [{"id", "query", "lang"}]: extra checks to run; their events are written
//   RESULTS_FILE  to this file as {"<id>": [event, ...]} (tests/node/test_pyodide_node.py
//                 compares them with the CLI's --json output)
//   PYTHON        the interpreter for the resolver (default: .venv/bin/python)
//   BOOT          "wheels" (default) or "snapshot"

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

import { gunzipSync, gzipSync } from "node:zlib";

import {
  BootError,
  checkedFetcher,
  downloadCounter,
  filesToFetch,
  readSnapshot,
  serveCheckedCopies,
  startPython,
  unpackSnapshot,
  wasmDataImage,
} from "../../docs/assets/checker/boot.js";
import { BLOCK_SIZE, packSnapshot } from "../../tools/site_hooks/snapshot_pack.mjs";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SITE = path.resolve(process.env.SITE_DIR ?? path.join(REPO, "site"));
const SITE_RUNTIME = path.join(SITE, "pyodide");
const LOCK_FILE = path.join(SITE_RUNTIME, "pyodide-lock.json");
const INDEX_URL = pathToFileURL(SITE_RUNTIME + path.sep).href;
const BOOT = process.env.BOOT ?? "wheels";
const CHECKER_PAGE = path.join(SITE, "en", "checker", "index.html");
const SERVER = "203.0.113.10";

let pyodide;
let resolverProcess;
let dohUrl = process.env.DOH_URL;
let snapshotUsed = null;
const timings = {};

// What fetch is to the worker: the bytes at a URL, here a file of the built site.
async function readSiteFile(url) {
  return new Uint8Array(await readFile(fileURLToPath(url)));
}

// The runtime manifest as the page carries it (the worker is given the page's copy).
function manifestFromPage() {
  const page = readFileSync(CHECKER_PAGE, "utf8");
  const found = page.match(/ data-runtime-manifest='([^']*)'/);
  assert.ok(found, `${CHECKER_PAGE} carries no runtime manifest`);
  // tojson escapes ', <, > and & as \u00XX, so the attribute holds the JSON text as it is.
  return JSON.parse(found[1]);
}

// The worker's start, reading the site's files; BOOT=wheels skips the snapshot on purpose.
// Under Node loadPyodide reads the core from the file system itself (handOver: false); the
// files are checked all the same, before it starts.
function startLikeTheWorker(fetchBytes = readSiteFile, manifest = manifestFromPage()) {
  const seen = {};
  const started = startPython({
    indexURL: INDEX_URL,
    manifest,
    handOver: false,
    loaderIndex: SITE_RUNTIME + path.sep,
    fetchBytes,
    skipSnapshot: BOOT === "snapshot" ? "" : "BOOT=wheels",
    onSnapshot: (snapshot) => {
      seen.snapshot = snapshot;
    },
  });
  return started.then((runtime) => ({ runtime, snapshot: seen.snapshot }));
}

function startResolver() {
  const python = process.env.PYTHON ?? path.join(REPO, ".venv", "bin", "python");
  const zones = path.join(REPO, "tests", "data", "zones.json");
  const child = spawn(python, ["tests/support/doh_resolver.py", "--zones", zones, "--port", "0"], {
    cwd: REPO,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let seen = "";
    child.stdout.on("data", (chunk) => {
      seen += chunk;
      const ready = seen.match(/^READY (\S+)$/m);
      if (ready) resolve({ child, url: ready[1] });
    });
    child.on("exit", (code) => reject(new Error(`the resolver exited with ${code}`)));
  });
}

async function check(query, lang = "en") {
  const events = [];
  const browser = pyodide.pyimport("autossl_check.browser");
  try {
    await browser.run_from_query(query, lang, (text) => events.push(JSON.parse(text)));
  } finally {
    browser.destroy();
  }
  return events;
}

function loopbackQuery(params) {
  const search = new URLSearchParams(params);
  if (!search.has("resolver")) search.append("resolver", dohUrl);
  return search.toString();
}

before(async () => {
  assert.ok(existsSync(LOCK_FILE), `${LOCK_FILE} is missing: run \`make site\` first`);
  if (!dohUrl) {
    resolverProcess = await startResolver();
    dohUrl = resolverProcess.url;
  }
  assert.ok(["wheels", "snapshot"].includes(BOOT), `unknown BOOT=${BOOT}`);
  const started = performance.now();
  const { runtime, snapshot } = await startLikeTheWorker();
  pyodide = runtime;
  snapshotUsed = snapshot.used;
  timings.loadPyodideMs = Math.round(performance.now() - started);
});

after(() => {
  resolverProcess?.child.kill();
});

test("the site's lock loads autossl-check with the pinned dnspython and idna", () => {
  const versions = pyodide
    .runPython(
      "import autossl_check, dns.version, idna\n" +
        "from importlib.metadata import version\n" +
        "f'{version(\"autossl-check\")} {dns.version.version} {idna.__version__}'",
    )
    .split(" ");
  const lock = JSON.parse(readFileSync(LOCK_FILE, "utf8")).packages;
  assert.deepEqual(versions, [
    lock["autossl-check"].version,
    lock.dnspython.version,
    lock.idna.version,
  ]);
  assert.ok(timings.loadPyodideMs > 0);
});

test("Python starts the way BOOT asks, never silently the other way", () => {
  assert.equal(snapshotUsed, BOOT === "snapshot");
});

test("restored from the snapshot, the checker is imported before anything asks for it", (t) => {
  if (BOOT !== "snapshot") {
    t.skip("BOOT=wheels");
    return;
  }
  const before = pyodide.runPython(
    "import sys\n" +
      "[name in sys.modules for name in ('autossl_check.check', 'dns.message', 'dns.rdtypes.ANY.RRSIG')]",
  );
  assert.deepEqual(before.toJs(), [true, true, false]);
  // A record class no check loaded still imports: its file came with the written-back wheel.
  const file = pyodide.runPython("import dns.rdtypes.ANY.RRSIG as m\nm.__file__");
  assert.match(file, /dnspython-[^/]+\.whl\/dns\/rdtypes\/ANY\/RRSIG\.py$/);
  const wheelsOnPath = pyodide.runPython(
    "import os, sys\nsum(os.path.isfile(p) for p in sys.path if p.endswith('.whl'))",
  );
  assert.equal(wheelsOnPath, 3);
  // The build handed zipimport code compiled by a second interpreter: the modules still come
  // from the wheels' own paths, and zipimport compiles for itself again.
  const origins = pyodide.runPython(
    "import zipimport, dns.message, autossl_check.engine as e\n" +
      "[dns.message.__file__, e.__spec__.origin, type(e.__loader__).__name__, " +
      "zipimport._compile_source.__name__, 'precompiled' in globals()]",
  );
  const [dnsFile, engineOrigin, loader, compileStep, leftOver] = origins.toJs();
  origins.destroy();
  assert.match(dnsFile, /dnspython-[^/]+\.whl\/dns\/message\.py$/);
  assert.match(engineOrigin, /autossl_check-[^/]+\.whl\/autossl_check\/engine\.py$/);
  assert.equal(loader, "zipimporter");
  assert.equal(compileStep, "_compile_source");
  assert.equal(leftOver, false);
  // Nothing from the build machine's environment rides along in the snapshot.
  assert.equal(pyodide.runPython("import os\nos.environ.get('_', 'absent')"), "absent");
});

test("a wheel whose bytes differ from the lock file's sha256 is refused at start", async (t) => {
  if (BOOT !== "snapshot") {
    t.skip("BOOT=wheels: the long way, loadPyodide checks the wheels itself");
    return;
  }
  let tampered = "";
  const tamper = async (url) => {
    const bytes = await readSiteFile(url);
    if (/\/autossl_check-[^/]+\.whl$/.test(url.pathname)) {
      bytes[bytes.length >> 1] ^= 0xff;
      tampered = url.pathname;
    }
    return bytes;
  };
  await assert.rejects(startLikeTheWorker(tamper), (error) => {
    assert.ok(error instanceof BootError);
    assert.equal(error.reason, "packages");
    assert.match(error.message, /^autossl_check-[^:]+\.whl: sha256 does not match the lock file$/);
    return true;
  });
  assert.notEqual(tampered, "", "the checker wheel was never read");
});

// A fetchBytes that serves `name` changed by `change`, and remembers having done so.
function servingChanged(name, change) {
  const seen = { changed: false };
  const fetchBytes = async (url) => {
    const bytes = await readSiteFile(url);
    if (url.pathname.endsWith(`/${name}`)) {
      seen.changed = true;
      return change(bytes);
    }
    return bytes;
  };
  return { fetchBytes, seen };
}

function flipMiddleByte(bytes) {
  const changed = new Uint8Array(bytes);
  changed[changed.length >> 1] ^= 0x01;
  return changed;
}

// The standard library read is the snapshot's own when Python starts from it, else the whole.
const STDLIB_READ = BOOT === "snapshot" ? "snapshot_stdlib.zip" : "python_stdlib.zip";
const CORE_FILES = ["pyodide.asm.wasm", STDLIB_READ, "pyodide-lock.json", "pyodide.asm.mjs"];
for (const name of CORE_FILES) {
  test(`a changed ${name} is refused before Python starts`, async () => {
    const { fetchBytes, seen } = servingChanged(name, flipMiddleByte);
    await assert.rejects(startLikeTheWorker(fetchBytes), (error) => {
      assert.ok(error instanceof BootError);
      assert.equal(error.reason, "packages");
      assert.equal(error.message, `${name}: sha256 does not match the runtime manifest`);
      return true;
    });
    assert.ok(seen.changed, `${name} was never read`);
  });
}

test("a snapshot whose memory differs (still valid gzip) is refused, not restored", async (t) => {
  if (BOOT !== "snapshot") {
    t.skip("BOOT=wheels: no snapshot is read");
    return;
  }
  const { fetchBytes, seen } = servingChanged("checker.snapshot.gz", (bytes) =>
    gzipSync(flipMiddleByte(gunzipSync(bytes)), { level: 1 }),
  );
  await assert.rejects(startLikeTheWorker(fetchBytes), (error) => {
    assert.ok(error instanceof BootError);
    assert.equal(error.reason, "packages");
    assert.match(error.message, /^checker\.snapshot\.gz: sha256 does not match/);
    return true;
  });
  assert.ok(seen.changed);
});

test("a snapshot the host inflated (Content-Encoding: gzip) is checked by its content", async () => {
  // What fetch returns when a host sends the .gz with Content-Encoding: gzip: the memory itself.
  const inflatedByHost = async (url) => gunzipSync(await readSiteFile(url));
  const manifest = manifestFromPage();
  const wasm = await readSiteFile(new URL("pyodide.asm.wasm", INDEX_URL));
  const memory = await readSnapshot(inflatedByHost, INDEX_URL, manifest, wasm);
  assert.equal(memory[0] === 0x1f && memory[1] === 0x8b, false);
  assert.equal(new TextDecoder().decode(memory.subarray(1, 4)), "snp"); // Pyodide's own header
  const wrong = { ...manifest, inflated: { "checker.snapshot.gz": "0".repeat(64) } };
  await assert.rejects(
    readSnapshot(inflatedByHost, INDEX_URL, wrong, wasm),
    /sha256 does not match/,
  );
  // The file as stored is checked by the file's own digest, not the content's.
  const stored = await readSnapshot(readSiteFile, INDEX_URL, wrong, wasm);
  assert.deepEqual(stored, memory);
});

// A wasm module with nothing but a data section: two active segments at constant addresses.
function wasmWithData(segments) {
  const body = [segments.length];
  for (const [address, bytes] of segments) {
    const leb = [];
    let value = address;
    do {
      leb.push((value & 0x7f) | (value >= 0x40 ? 0x80 : 0));
      value = Math.floor(value / 128);
    } while (leb[leb.length - 1] & 0x80);
    body.push(0, 0x41, ...leb, 0x0b, bytes.length, ...bytes);
  }
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 11, body.length, ...body]);
}

test("the packed snapshot stores static data as a difference and unpacks to the same memory", () => {
  const wasm = wasmWithData([
    [8, [1, 2, 3, 4]],
    [300, [7, 7, 7]],
  ]);
  const image = wasmDataImage(wasm);
  assert.equal(image.length, 303);
  assert.deepEqual([...image.subarray(8, 12)], [1, 2, 3, 4]);
  assert.deepEqual([...image.subarray(300)], [7, 7, 7]);
  // Pyodide's header (the memory starts at the offset in its second u32), static data changed
  // in one byte, zeros, two blocks of data, and a last block shorter than the rest.
  const snapshot = new Uint8Array(BLOCK_SIZE * 5 + 544);
  new DataView(snapshot.buffer).setUint32(4, 64, true);
  snapshot.set(image, 64);
  snapshot[64 + 301] = 9;
  snapshot.fill(9, BLOCK_SIZE * 3, BLOCK_SIZE * 4 + 3);
  snapshot[snapshot.length - 1] = 5;
  const packed = new Uint8Array(packSnapshot(snapshot, wasm));
  assert.ok(packed.length < BLOCK_SIZE * 4, `not packed: ${packed.length} bytes`);
  // The static data went in as its difference from the wasm's: one byte apart from the header.
  const runsEnd = 24 + 8 * new DataView(packed.buffer).getUint32(12, true);
  const firstRun = packed.subarray(runsEnd, runsEnd + 400);
  assert.deepEqual([...firstRun.subarray(64 + 8, 64 + 12)], [0, 0, 0, 0]);
  assert.equal(firstRun[64 + 301], 9 ^ 7);
  assert.deepEqual(unpackSnapshot(packed, wasm), snapshot);
  // Packed without a wasm, the static data is stored as it is.
  assert.deepEqual(unpackSnapshot(new Uint8Array(packSnapshot(snapshot)), null), snapshot);
  // Another wasm, cut short, or not a packed snapshot at all: refused (the worker then starts
  // the long way).
  assert.throws(() => unpackSnapshot(packed, null), /made with another pyodide\.asm\.wasm/);
  const other = wasmWithData([[8, [1, 2, 3, 4, 5]]]);
  assert.throws(() => unpackSnapshot(packed, other), /made with another pyodide\.asm\.wasm/);
  assert.throws(() => unpackSnapshot(packed.subarray(0, packed.length - 1), wasm), /do not add up/);
  assert.throws(() => unpackSnapshot(snapshot.subarray(0, 64), wasm), /not a packed snapshot/);
});

test("the site's pyodide.asm.wasm places all its data at constant addresses", async () => {
  const wasm = await readSiteFile(new URL("pyodide.asm.wasm", INDEX_URL));
  const image = wasmDataImage(wasm);
  assert.ok(image && image.length > 1_000_000, "the snapshot would store the static data whole");
});

test("Pyodide's instantiation of the checked wasm uses the module compiled ahead", async () => {
  const emptyModule = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  const compiled = WebAssembly.compile(emptyModule);
  const streamed = [];
  const scope = {
    location: { href: "https://example.com/checker/" },
    fetch: async (url) => new Response(`from the network: ${url}`),
    WebAssembly: {
      instantiate: WebAssembly.instantiate,
      instantiateStreaming: async (source) => {
        streamed.push(await (await source).text());
        return {};
      },
    },
  };
  const original = scope.WebAssembly.instantiateStreaming;
  const wasmCopy = { bytes: emptyModule, contentType: "application/wasm" };
  const copies = new Map([["https://example.com/pyodide/pyodide.asm.wasm", wasmCopy]]);
  const handedOver = serveCheckedCopies(copies, scope, compiled);
  const response = scope.fetch("/pyodide/pyodide.asm.wasm");
  const { module, instance } = await scope.WebAssembly.instantiateStreaming(response, {});
  assert.equal(module, await compiled);
  assert.ok(instance instanceof WebAssembly.Instance);
  assert.deepEqual(streamed, []);
  // Any other wasm is compiled the usual way, from its own response.
  await scope.WebAssembly.instantiateStreaming(scope.fetch("/other.wasm"), {});
  assert.deepEqual(streamed, ["from the network: /other.wasm"]);
  assert.deepEqual([...handedOver.served], ["https://example.com/pyodide/pyodide.asm.wasm"]);
  handedOver.restore();
  assert.equal(scope.WebAssembly.instantiateStreaming, original);
});

test("without a manifest, or with a file it does not list, nothing is loaded", async () => {
  await assert.rejects(startLikeTheWorker(readSiteFile, null), (error) => {
    assert.ok(error instanceof BootError);
    assert.equal(error.reason, "packages");
    return true;
  });
  const manifest = manifestFromPage();
  const checked = checkedFetcher(readSiteFile, INDEX_URL, manifest);
  await assert.rejects(
    checked(new URL("pyodide.js", INDEX_URL)),
    /pyodide\.js: not in the runtime manifest/,
  );
  await assert.rejects(checked(new URL("../index.html", INDEX_URL)), /outside the runtime/);
  const wasm = await checked(new URL("pyodide.asm.wasm", INDEX_URL));
  assert.equal(wasm.length, (await readSiteFile(new URL("pyodide.asm.wasm", INDEX_URL))).length);
});

test("a ticket link for a healthy domain ends in a verdict of ok", async () => {
  const events = await check(loopbackQuery({ domain: "ok.example", server: SERVER }));
  assert.equal(events[0].event, "plan");
  assert.equal(events[0].names.length, 9);
  const rows = events.filter((e) => e.event === "name");
  assert.equal(rows.length, 9);
  const done = events.at(-1);
  assert.equal(done.event, "done");
  assert.equal(done.result.schema, 1);
  assert.equal(done.result.verdict, "ok");
  assert.deepEqual(done.result.exclude, []);
});

test("the warm-up reads made-up responses with the page's transport code, offline", async () => {
  const realFetch = globalThis.fetch;
  let fetched = 0;
  globalThis.fetch = (...args) => {
    fetched += 1;
    return realFetch(...args);
  };
  let outcome;
  try {
    outcome = await pyodide.runPythonAsync(`
from autossl_check import browser, engine, pyodide_transport

seen = []
real_run_check, real_fetch_reply = engine.run_check, pyodide_transport.fetch_reply

async def recording_check(*args, **kwargs):
    seen.append(await real_run_check(*args, **kwargs))
    return seen[-1]

async def counting_fetch_reply(*args, **kwargs):
    seen.append("fetch_reply")
    return await real_fetch_reply(*args, **kwargs)

engine.run_check, pyodide_transport.fetch_reply = recording_check, counting_fetch_reply
try:
    await browser.warm_up()
finally:
    engine.run_check, pyodide_transport.fetch_reply = real_run_check, real_fetch_reply
result = seen[-1]
[result.verdict, len(result.rows), seen.count("fetch_reply")]
`);
  } finally {
    globalThis.fetch = realFetch;
  }
  const [verdict, rows, replies] = outcome.toJs();
  outcome.destroy();
  assert.equal(verdict, "ok");
  assert.equal(rows, 9);
  assert.ok(replies >= 27, `only ${replies} answers went through fetch_reply`);
  assert.equal(fetched, 0);
});

test("the field report's domain gets its codes, exclude list and commands", async () => {
  const events = await check(loopbackQuery({ domain: "mixed.example", server: SERVER }), "ja");
  const done = events.at(-1);
  assert.equal(done.event, "done");
  assert.equal(done.result.verdict, "action_needed");
  const expected = ["autodiscover", "cpanel", "cpcalendars", "mail", "webdisk", "webmail"];
  assert.deepEqual(
    done.result.exclude,
    expected.map((label) => `${label}.mixed.example`),
  );
  const codes = Object.fromEntries(done.result.names.map((n) => [n.name, n.codes]));
  assert.deepEqual(codes["cpanel.mixed.example"], ["NXDOMAIN"]);
  assert.deepEqual(codes["cpcalendars.mixed.example"], ["SERVFAIL"]);
  assert.match(done.commands.uapi, /add_autossl_excluded_domains/);
  assert.match(done.markdown, /mixed\.example/);
});

test("a hostile domain value is refused with one clear error event", async () => {
  const events = await check(loopbackQuery({ domain: "<img src=x onerror=alert(1)>" }));
  assert.equal(events.length, 1);
  assert.equal(events[0].event, "error");
  assert.equal(typeof events[0].message, "string");
  assert.ok(events[0].message.length > 0 && !events[0].message.includes("\n"));
});

test("an unknown resolver is refused, not contacted", async () => {
  const query = new URLSearchParams({
    domain: "ok.example",
    resolver: "https://evil.example/dns-query",
  });
  const events = await check(query.toString());
  assert.deepEqual(
    events.map((e) => e.event),
    ["error"],
  );
});

test("a resolver answering HTTP 500 gives LOOKUP_FAILED and inconclusive, not a crash", async () => {
  const faulty = dohUrl.replace(/\/dns-query$/, "/fault/http500/dns-query");
  const events = await check(
    loopbackQuery({ domain: "ok.example", server: SERVER, resolver: faulty }),
  );
  const done = events.at(-1);
  assert.equal(done.event, "done");
  assert.equal(done.result.verdict, "inconclusive");
  for (const name of done.result.names) assert.deepEqual(name.codes, ["LOOKUP_FAILED"]);
});

test("extra cases from CASES_FILE are run and written to RESULTS_FILE", async (t) => {
  if (!process.env.CASES_FILE || !process.env.RESULTS_FILE) {
    t.skip("no CASES_FILE / RESULTS_FILE");
    return;
  }
  const results = { _timings: timings };
  for (const { id, query, lang } of JSON.parse(readFileSync(process.env.CASES_FILE, "utf8"))) {
    results[id] = await check(query, lang ?? "en");
  }
  writeFileSync(process.env.RESULTS_FILE, JSON.stringify(results));
});

// The page's progress bar: every byte the worker fetches counts once, up to the manifest's size.
test("the download counter reaches the manifest's total, once per byte, never past it", async () => {
  const manifest = manifestFromPage();
  const names = filesToFetch(manifest, "");
  const onDisk = names.reduce((sum, name) => sum + readFileSync(path.join(SITE_RUNTIME, name)).length, 0);
  const reports = [];
  const counter = downloadCounter(manifest, names, INDEX_URL, (report) => reports.push(report));
  assert.equal(counter.total, onDisk);
  // Streams in pieces, like fetchBytesOverHttp; the snapshot comes twice (a stale copy, then fresh).
  const streaming = async (url, { onChunk }) => {
    const bytes = await readSiteFile(url);
    for (let at = 0; at < bytes.length; at += 1 << 20) onChunk(Math.min(1 << 20, bytes.length - at));
    return bytes;
  };
  const fetchBytes = counter.counting(streaming);
  for (const name of [...names, "checker.snapshot.gz"]) await fetchBytes(new URL(name, INDEX_URL));
  const last = reports[reports.length - 1];
  assert.deepEqual(last, { received: onDisk, total: onDisk });
  assert.ok(reports.length > names.length, "one report per piece, not per file");
  assert.ok(reports.every((r, i) => i === 0 || r.received > reports[i - 1].received));
  // Without the snapshot the worker fetches neither it nor the wheels (loadPyodide does).
  const longWay = filesToFetch(manifest, "saving data");
  assert.ok(!longWay.includes("checker.snapshot.gz"));
  assert.ok(!longWay.some((name) => name.startsWith("wheels/")));
  // Each way reads one standard library: the snapshot's own, or the whole one.
  assert.ok(names.includes("snapshot_stdlib.zip") && !names.includes("python_stdlib.zip"));
  assert.ok(longWay.includes("python_stdlib.zip") && !longWay.includes("snapshot_stdlib.zip"));
});

test("a cached copy that does not match is fetched again, revalidated, and used if it matches", async () => {
  const manifest = manifestFromPage();
  const asked = [];
  const staleThenFresh = async (url, { fresh = false } = {}) => {
    asked.push(fresh);
    const bytes = await readSiteFile(url);
    return fresh ? bytes : flipMiddleByte(bytes);
  };
  const checked = checkedFetcher(staleThenFresh, INDEX_URL, manifest);
  const bytes = await checked(new URL("pyodide-lock.json", INDEX_URL));
  assert.deepEqual(asked, [false, true]);
  assert.deepEqual(bytes, await readSiteFile(new URL("pyodide-lock.json", INDEX_URL)));
});
