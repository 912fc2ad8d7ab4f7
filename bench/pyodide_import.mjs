// What the checker costs inside Pyodide after boot, one fresh interpreter per run:
//   node bench/pyodide_import.mjs [--doh URL] [--runs N] WHEEL_DIR [WHEEL_DIR ...]
// Each WHEEL_DIR holds the autossl-check, dnspython and idna wheels (pip wheel / pip download);
// several dirs (say, before and after a change) are measured in alternation, so a machine whose
// load drifts treats them alike. --doh names a loopback resolver on tests/data/zones.json
// (without it the check is skipped); --warm-fetch yes: see below. IMPORTTIME_OUT=FILE keeps the
// whole -X importtime output (FILE.0, FILE.1, ... one per WHEEL_DIR).
// Per run: loadPyodide(), the wheels, `import autossl_check.browser`, `prepare()`, the first
// run_from_query for ok.example (9 names) and a second one, each as wall time and as the Node
// process's CPU time. Prints medians and min-max over the runs, the modules the checks still
// imported after prepare() (should be none), then, from one extra run per WHEEL_DIR, Python's own
// -X importtime lines (microseconds, cumulative) for the modules that matter. Machines here are
// shared and noisy: read medians, and the CPU rows rather than the wall ones.
// Example (wheels as the site ships them, a resolver from tests/support/doh_resolver.py):
//   pip wheel --no-deps --no-build-isolation . -w /tmp/w
//   pip download --no-deps --only-binary=:all: dnspython==2.9.2 idna==3.20 -d /tmp/w
//   node bench/pyodide_import.mjs --doh http://127.0.0.1:PORT/dns-query --runs 7 /tmp/w
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const PYODIDE_DIR = path.dirname(require.resolve("pyodide/package.json"));
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(name);
  return at < 0 ? fallback : argv.splice(at, 2)[1];
};
const dohUrl = option("--doh", "");
const runs = Number(option("--runs", 5));
// Node loads its fetch implementation on the first call (a browser has it built in): with
// --warm-fetch yes, one plain JS fetch to the resolver precedes the first check.
const warmFetch = option("--warm-fetch", "no") === "yes";
const wheelDirs = argv.map((dir) => path.resolve(dir));
if (wheelDirs.length === 0) throw new Error("name at least one directory of wheels");
const WATCHED = [
  "asyncio",
  "dns.message",
  "dns.name",
  "dns.rdatatype",
  "dns.rdtypes.ANY.CAA",
  "dns.edns",
  "dns.tsig",
  "dns.update",
  "idna",
  "json",
  "urllib.parse",
  "ipaddress",
  "random",
  "datetime",
  "enum",
  "dataclasses",
];

const wheelsIn = (dir) =>
  fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".whl"))
    .map((name) => pathToFileURL(path.join(dir, name)).href);
const { loadPyodide } = await import(pathToFileURL(path.join(PYODIDE_DIR, "pyodide.mjs")).href);

const QUERY = new URLSearchParams({ domain: "ok.example", server: "203.0.113.10" });
if (dohUrl) QUERY.append("resolver", dohUrl);

async function once(wheels, withImportTime) {
  const importLines = [];
  let t = performance.now();
  const bootCpu = process.cpuUsage();
  const pyodide = await loadPyodide({
    indexURL: PYODIDE_DIR + path.sep,
    args: withImportTime ? ["-X", "importtime"] : [],
    stdout: () => {},
    stderr: (line) => importLines.push(line),
  });
  const row = { "loadPyodide()": performance.now() - t };
  const bootUsed = process.cpuUsage(bootCpu);
  row["loadPyodide() cpu"] = (bootUsed.user + bootUsed.system) / 1000;
  t = performance.now();
  const failures = [];
  await pyodide.loadPackage(wheels, {
    messageCallback: () => {},
    errorCallback: (message) => failures.push(message),
  });
  if (failures.length) throw new Error(failures.join("\n"));
  row["loadPackage(3 wheels)"] = performance.now() - t;
  const bootLines = importLines.length;
  pyodide.runPython("import time");
  // Wall time, and the process's CPU time (all Node threads), which a busy machine disturbs less.
  const cpuMs = (since) => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  const timed = (label, code) => {
    const cpu = process.cpuUsage();
    row[label] = pyodide.runPython(`_t = time.perf_counter()\n${code}\n(time.perf_counter() - _t) * 1000`);
    row[`${label} cpu`] = cpuMs(cpu);
  };
  timed("import autossl_check.browser", "import autossl_check.browser");
  timed("prepare()", "autossl_check.browser.prepare()");
  pyodide.runPython("import sys\n_before_check = set(sys.modules)");
  if (dohUrl) {
    if (warmFetch) await (await fetch(dohUrl.replace(/dns-query.*/, ""))).arrayBuffer();
    const browser = pyodide.pyimport("autossl_check.browser");
    for (const label of ["first run_from_query", "second run_from_query"]) {
      const events = [];
      t = performance.now();
      const cpu = process.cpuUsage();
      await browser.run_from_query(QUERY.toString(), "en", (text) => events.push(JSON.parse(text)));
      row[label] = performance.now() - t;
      row[`${label} cpu`] = cpuMs(cpu);
      const done = events.at(-1);
      if (done.event !== "done" || done.result.verdict !== "ok") {
        throw new Error(`unexpected ending: ${JSON.stringify(done).slice(0, 300)}`);
      }
    }
    browser.destroy();
  }
  row["modules after first check"] = pyodide.runPython("len(sys.modules)");
  const importedByCheck = pyodide.runPython("' '.join(sorted(set(sys.modules) - _before_check))");
  return { row, importedByCheck, importLines: importLines.slice(bootLines) };
}

const rowsByDir = wheelDirs.map(() => []);
for (let i = 0; i < runs; i++) {
  for (const [at, dir] of wheelDirs.entries()) rowsByDir[at].push((await once(wheelsIn(dir), false)).row);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (v) => (Number.isInteger(v) ? String(v) : v.toFixed(0));
for (const [at, dir] of wheelDirs.entries()) {
  const rows = rowsByDir[at];
  console.log(`${dir}: ${runs} runs (fresh interpreter each), median [min-max] ms`);
  for (const key of Object.keys(rows[0])) {
    const values = rows.map((r) => r[key]);
    console.log(
      `  ${key.padEnd(30)} ${fmt(median(values)).padStart(6)}  [${fmt(Math.min(...values))}-${fmt(Math.max(...values))}]`,
    );
  }
  // -X importtime slows every import a little, so it gets a run of its own.
  const { importLines, importedByCheck } = await once(wheelsIn(dir), true);
  console.log(`  modules the checks imported after prepare(): ${importedByCheck || "none"}`);
  if (process.env.IMPORTTIME_OUT) {
    fs.writeFileSync(`${process.env.IMPORTTIME_OUT}.${at}`, `${importLines.join("\n")}\n`);
  }
  console.log("  -X importtime after the wheels are in (self us | cumulative us | module):");
  for (const line of importLines) {
    const match = line.match(/^import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)/);
    if (!match) continue;
    const name = match[4];
    if (name.startsWith("autossl_check") || WATCHED.includes(name) || Number(match[2]) > 20000) {
      console.log(`    ${line.replace(/^import time:\s*/, "")}`);
    }
  }
}
