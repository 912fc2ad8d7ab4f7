// The checker wheel inside real Pyodide under Node, exactly as the site ships it: Pyodide's core
// from node_modules, the site's lock file (with the autossl-check, dnspython and idna wheels
// beside it), and autossl_check.browser.run_from_query against the loopback DoH resolver.
// With BOOT=snapshot, Python starts as the page's worker starts it: from site/pyodide/ (the
// precompiled standard library) restoring the build's checker.snapshot.gz, wheels installed too.
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
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SITE = path.resolve(process.env.SITE_DIR ?? path.join(REPO, "site"));
const LOCK_FILE = path.join(SITE, "pyodide", "pyodide-lock.json");
const PYODIDE_NPM = path.join(REPO, "node_modules", "pyodide");
const SITE_RUNTIME = path.join(SITE, "pyodide");
const SNAPSHOT = path.join(SITE_RUNTIME, "checker.snapshot.gz");
const BOOT = process.env.BOOT ?? "wheels";
const SERVER = "203.0.113.10";

let pyodide;
let resolverProcess;
let dohUrl = process.env.DOH_URL;
const timings = {};

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
  const { loadPyodide } = await import(path.join(PYODIDE_NPM, "pyodide.mjs"));
  const started = performance.now();
  if (BOOT === "snapshot") {
    pyodide = await loadPyodide({
      indexURL: SITE_RUNTIME + path.sep,
      _loadSnapshot: zlib.gunzipSync(readFileSync(SNAPSHOT)),
    });
    // As the worker does: each wheel the snapshot has on sys.path, written back to its path.
    const lock = JSON.parse(readFileSync(LOCK_FILE, "utf8")).packages;
    const byName = new Map(Object.values(lock).map((e) => [path.basename(e.file_name), e]));
    const wanted = pyodide.runPython("import sys\n[p for p in sys.path if p.endswith('.whl')]");
    for (const wheelPath of wanted.toJs()) {
      const entry = byName.get(path.basename(wheelPath));
      assert.ok(entry, `${wheelPath} is not in the lock file`);
      pyodide.FS.mkdirTree(path.posix.dirname(wheelPath));
      pyodide.FS.writeFile(wheelPath, readFileSync(path.join(SITE_RUNTIME, entry.file_name)));
    }
    timings.wheelsOnPath = wanted.toJs().length;
    wanted.destroy();
  } else {
    pyodide = await loadPyodide({
      indexURL: PYODIDE_NPM + path.sep,
      lockFileURL: LOCK_FILE,
      packages: ["autossl-check"],
    });
  }
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
  // A record class no check loaded still imports: its file came with the installed wheel.
  const file = pyodide.runPython("import dns.rdtypes.ANY.RRSIG as m\nm.__file__");
  assert.match(file, /dnspython-[^/]+\.whl\/dns\/rdtypes\/ANY\/RRSIG\.py$/);
  assert.equal(timings.wheelsOnPath, 3);
  // Nothing from the build machine's environment rides along in the snapshot.
  assert.equal(pyodide.runPython("import os\nos.environ.get('_', 'absent')"), "absent");
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
