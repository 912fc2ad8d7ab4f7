// What one DNS answer costs the checker inside Pyodide, away from the network:
//   node bench/answer_cost.mjs [--doh URL] [--runs N] [--profile yes] WHEEL_DIR [WHEEL_DIR ...]
// Each WHEEL_DIR holds the autossl-check, dnspython and idna wheels (see pyodide_import.mjs for
// how to make them); several dirs (before and after a change) are measured in alternation, one
// fresh interpreter per run. Each interpreter runs prepare() and the page's warm_up(), then one
// real check whose replies it records; every later check is answered from that memory at once,
// so the figures are Python's own work: the page's whole check (`run_from_query`: plan,
// queries, reading answers, findings, every event the worker posts) and its parts, each per
// answer. "A new domain" clears the built queries first, as a click on a domain not checked yet.
// With --doh (a loopback tests/support/doh_resolver.py) the check is ok.example as the resolver
// answers it; without, the warm-up's own check (example.com, answers made up in memory).
// Times are the Node process's CPU time (process.cpuUsage), which a shared machine disturbs far
// less than wall time. --profile yes adds cProfile tables of the check (one more interpreter).
// Example:
//   python tests/support/doh_resolver.py --zones tests/data/zones.json --port 0 &  # READY URL
//   node bench/answer_cost.mjs --doh URL --runs 5 /tmp/wheels-before /tmp/wheels-after
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    doh: { type: "string", default: "" },
    runs: { type: "string", default: "5" },
    profile: { type: "string", default: "no" },
  },
});
const dohUrl = options.doh;
const runs = Number(options.runs);
const profile = options.profile === "yes";
if (positionals.length === 0) throw new Error("name at least one directory of wheels");
const wheelDirs = positionals.map((dir) => path.resolve(dir));
const WARM_CHECKS = 5;
const REPEATS = 20; // timed checks per interpreter; its median is the run's figure

const pyodideDir = path.dirname(createRequire(import.meta.url).resolve("pyodide/package.json"));
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const wheelURLs = (dir) =>
  fs
    .readdirSync(dir)
    .filter((file) => file.endsWith(".whl"))
    .map((file) => pathToFileURL(path.join(dir, file)).href);

const query = dohUrl
  ? new URLSearchParams({ domain: "ok.example", server: "203.0.113.10", resolver: dohUrl }).toString()
  : "domain=example.com&server=192.0.2.1";

const MEASURE = `
import base64, json, statistics
import dns.message, dns.rdatatype
from autossl_check import browser, page_policy, wire
from urllib.parse import parse_qs, urlsplit

QUERY, WARM, REPEATS = ${JSON.stringify(query)}, ${WARM_CHECKS}, ${REPEATS}
recorded = {}


def cpu_ms():
    """This Node process's CPU time (all its threads): a shared machine disturbs it less."""
    from js import process

    used = process.cpuUsage()
    return (used.user + used.system) / 1000

async def recording(url, accept):
    if ${dohUrl ? "True" : "False"}:
        from autossl_check.pyodide_transport import pyodide_transport
        reply = await pyodide_transport(url, accept)
    else:
        reply = await browser._made_up_answer(url, accept)
    recorded[url] = reply
    return reply

async def replay(url, accept):
    return recorded[url]

def question(url):
    encoded = parse_qs(urlsplit(url).query)["dns"][0]
    wire_bytes = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    q = dns.message.from_wire(wire_bytes).question[0]
    return q.name.to_text(omit_final_dot=True), dns.rdatatype.to_text(q.rdtype)

async def check(transport):
    events = []
    await browser.run_from_query(
        QUERY, "en", events.append, transport=transport, policy=page_policy.TEST
    )
    done = json.loads(events[-1])
    assert done["event"] == "done", done
    return done

async def main():
    browser.prepare()
    started = cpu_ms()
    await browser.warm_up()  # as the page does before it says it is ready
    warm_up = cpu_ms() - started
    first = await check(recording)
    answers = len(recorded)
    questions = {url: question(url) for url in recorded}
    for _ in range(WARM):
        await check(replay)

    def timed_checks(new_domain):
        async def run():
            times = []
            for _ in range(REPEATS):
                if new_domain:  # queries for a domain never checked are built afresh
                    wire.build_query.cache_clear()
                started = cpu_ms()
                await check(replay)
                times.append(cpu_ms() - started)
            return statistics.median(times)
        return run()

    fresh = await timed_checks(True)
    again = await timed_checks(False)

    def per_answer(work):
        times = []
        for _ in range(REPEATS):
            started = cpu_ms()
            work()
            times.append((cpu_ms() - started) / answers)
        return statistics.median(times)

    from autossl_check.model import ResolverId

    resolver = ResolverId.from_url(next(iter(recorded)).split("?")[0])

    def read_all():
        for url, reply in recorded.items():
            name, rdtype = questions[url]
            wire.read_reply(reply, name, rdtype, resolver)

    def build_all():
        wire.build_query.cache_clear()
        for name, rdtype in questions.values():
            wire.query_url(resolver.url, wire.build_query(name, rdtype))

    return {
        "answers": answers,
        "verdict": first["verdict"],
        "warm_up() (the first check, cold)": warm_up,
        "check of a new domain": fresh,
        "the same, per answer": fresh / answers,
        "check of the same domain again": again,
        "the same again, per answer": again / answers,
        "read_reply per answer": per_answer(read_all),
        "build_query+query_url per query": per_answer(build_all),
    }

json.dumps(await main())
`;

const PROFILE = `
import cProfile, pstats, io
profiler = cProfile.Profile()
async def profiled():
    for _ in range(10):
        profiler.enable()
        await check(replay)
        profiler.disable()
await profiled()
out = io.StringIO()
stats = pstats.Stats(profiler, stream=out)
stats.sort_stats("tottime").print_stats(25)
stats.sort_stats("cumulative").print_stats("autossl_check|webloop|pyodide", 40)
out.getvalue()
`;

async function interpreter(wheels) {
  const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep, stdout: () => {}, stderr: () => {} });
  const failures = [];
  await pyodide.loadPackage(wheels, { messageCallback: () => {}, errorCallback: (m) => failures.push(m) });
  if (failures.length) throw new Error(failures.join("\n"));
  return pyodide;
}

// Pyodide's own errors carry its whole minified source: keep the Python traceback's end.
process.on("unhandledRejection", (error) => {
  console.error(String(error?.message ?? error).slice(-3000));
  process.exit(1);
});

const rowsByDir = wheelDirs.map(() => []);
for (let i = 0; i < runs; i++) {
  for (const [at, dir] of wheelDirs.entries()) {
    const pyodide = await interpreter(wheelURLs(dir));
    rowsByDir[at].push(JSON.parse(await pyodide.runPythonAsync(MEASURE)));
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
for (const [at, dir] of wheelDirs.entries()) {
  const rows = rowsByDir[at];
  const { answers, verdict } = rows[0];
  console.log(`${dir}: ${runs} interpreters × ${REPEATS} checks (${answers} answers, verdict ${verdict}), CPU ms, median [min-max] over interpreters`);
  for (const key of Object.keys(rows[0]).filter((k) => typeof rows[0][k] === "number" && k !== "answers")) {
    const values = rows.map((r) => r[key]);
    const f = (v) => v.toFixed(2);
    console.log(`  ${key.padEnd(40)} ${f(median(values)).padStart(8)}  [${f(Math.min(...values))}-${f(Math.max(...values))}]`);
  }
  if (profile) {
    const pyodide = await interpreter(wheelURLs(dir));
    await pyodide.runPythonAsync(MEASURE);
    console.log(await pyodide.runPythonAsync(PROFILE));
  }
}
