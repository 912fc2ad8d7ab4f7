// Where the checker's start-up goes inside Pyodide, measured under Node with the site's own
// runtime and lock file:
//   node bench/pyodide_imports.mjs SITE/pyodide [--write STDLIB.zip] [--doh RESOLVER_URL]
// Prints one JSON document: the summary (ms) and the heaviest first imports.
// It then measures what precompiling would buy. Pyodide 314's python_stdlib.zip and the PyPI
// wheels hold only .py sources, so every import compiles. One interpreter compiles the wheels'
// modules and the standard library (Pyodide's own Python 3.14, so the bytecode matches); others
// boot from the compiled zip, get the compiled wheels, import, and (with --doh, a loopback
// resolver on tests/data/zones.json) run one real check of ok.example, which also shows which
// standard-library modules a check uses. A "hybrid" zip holds those modules compiled and the
// rest as source (so it stays about as small as the original); --write saves it for the
// browser variants.
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const option = (name) => {
  const at = argv.indexOf(name);
  return at < 0 ? null : argv.splice(at, 2)[1];
};
const writeTo = option("--write");
const dohUrl = option("--doh");
const runtimeDir = path.resolve(argv[0] || "site/pyodide");
const pyodideModule = pathToFileURL(
  path.join(path.dirname(require.resolve("pyodide/package.json")), "pyodide.mjs"),
).href;
const PACKAGES = ["autossl-check"]; // dnspython and idna come with it from the lock file
// The worker's order: the facade at start-up, then what the first check needs.
const MODULES = [
  "autossl_check.browser",
  "autossl_check.engine",
  "autossl_check.pyodide_transport",
  "autossl_check.report",
  "pyodide.http",
];

// Times each module's first import, cumulative (its own imports included), like -X importtime.
const PROFILER = `
import builtins, sys, time
_real_import = builtins.__import__
first_imports = []
def _timed_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level or name in sys.modules:
        return _real_import(name, globals, locals, fromlist, level)
    started = time.perf_counter()
    try:
        return _real_import(name, globals, locals, fromlist, level)
    finally:
        first_imports.append((name, (time.perf_counter() - started) * 1000))
builtins.__import__ = _timed_import
def timed(module):
    started = time.perf_counter()
    __import__(module)
    return (time.perf_counter() - started) * 1000
`;

// Compiles every .py of the installed wheels to an unchecked-hash .pyc (valid whatever the file
// times are after unpacking) and returns {path: bytes} so another interpreter can be given them.
const COMPILE = `
import importlib.util, pathlib, py_compile, site
compiled = {}
root = pathlib.Path(site.getsitepackages()[0])
for top in ("autossl_check", "dns", "idna"):
    for source in (root / top).rglob("*.py"):
        target = importlib.util.cache_from_source(str(source))
        py_compile.compile(str(source), cfile=target, doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        compiled[target] = pathlib.Path(target).read_bytes()
compiled
`;

// Rebuilds the standard library zip with each .py replaced by its .pyc (sourceless: zipimport
// loads a lone .pyc without looking for a source; tracebacks then show no source lines).
const COMPILE_STDLIB = `
import importlib.util, io, sys, zipfile
stdlib = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip"
out = io.BytesIO()
with zipfile.ZipFile(stdlib) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
    for info in source.infolist():
        data = source.read(info)
        if not info.filename.endswith(".py"):
            target.writestr(info, data)
            continue
        code = compile(data, info.filename, "exec", dont_inherit=True)
        pyc = importlib._bootstrap_external._code_to_hash_pyc(code, importlib.util.source_hash(data), False)
        target.writestr(info.filename + "c", bytes(pyc))
out.getvalue()
`;

// The standard-library sources (.py names) behind every module imported so far.
const USED_STDLIB = `
import sys, zipfile
stdlib = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip"
names = {m.__file__[len(stdlib) + 1:] for m in list(sys.modules.values())
         if (getattr(m, "__file__", None) or "").startswith(stdlib + "/")}
with zipfile.ZipFile(stdlib) as archive:
    entries = set(archive.namelist())
sorted(n.removesuffix("c") for n in names if n in entries or n + "c" in entries)
`;

// The original zip with only the named sources replaced by their .pyc.
const HYBRID_STDLIB = `
import importlib.util, io, sys, zipfile
stdlib = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip"
wanted = set(USED)
out = io.BytesIO()
with zipfile.ZipFile(stdlib) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
    for info in source.infolist():
        data = source.read(info)
        if info.filename not in wanted:
            target.writestr(info, data)
            continue
        code = compile(data, info.filename, "exec", dont_inherit=True)
        pyc = importlib._bootstrap_external._code_to_hash_pyc(code, importlib.util.source_hash(data), False)
        target.writestr(info.filename + "c", bytes(pyc))
out.getvalue()
`;

// One check of ok.example through the page facade, as the worker runs it.
const CHECK = `
import time
import autossl_check.browser as facade
events = []
started = time.perf_counter()
await facade.run_from_query(QUERY, "en", events.append)
elapsed = (time.perf_counter() - started) * 1000
if '"verdict": "ok"' not in events[-1]:
    raise RuntimeError(events[-1][:300])
elapsed
`;

const round = (ms) => Math.round(ms * 10) / 10;
const since = (start) => round(performance.now() - start);

async function boot(loadPyodide, summary, label, stdLibURL) {
  let start = performance.now();
  const pyodide = await loadPyodide({
    indexURL: `${runtimeDir}/`,
    ...(stdLibURL ? { stdLibURL } : {}),
    stdout: () => {},
    stderr: () => {},
  });
  if (summary) summary[`loadPyodide() core only${label}`] = since(start);
  start = performance.now();
  const failures = [];
  await pyodide.loadPackage(PACKAGES, {
    messageCallback: () => {},
    errorCallback: (message) => failures.push(message),
  });
  if (failures.length > 0) throw new Error(failures.join("\n"));
  if (summary) summary[`loadPackage(autossl-check, dnspython, idna)${label}`] = since(start);
  return pyodide;
}

function timeImports(pyodide, summary, label) {
  pyodide.runPython(PROFILER);
  const timed = pyodide.globals.get("timed");
  let total = 0;
  for (const module of MODULES) {
    const ms = timed(module);
    total += ms;
    summary[`import ${module}${label}`] = round(ms);
  }
  summary[`all checker imports${label}`] = round(total);
  timed.destroy();
}

async function timeCheck(pyodide, summary, label) {
  if (!dohUrl) return;
  const query = `domain=ok.example&server=203.0.113.10&resolver=${encodeURIComponent(dohUrl)}`;
  pyodide.globals.set("QUERY", query);
  summary[`first check, 9 names${label}`] = round(await pyodide.runPythonAsync(CHECK));
  summary[`second check, 9 names${label}`] = round(await pyodide.runPythonAsync(CHECK));
}

function giveWheelPycs(pyodide, pycs) {
  for (const [target, bytes] of pycs) {
    pyodide.FS.mkdirTree(path.posix.dirname(target));
    pyodide.FS.writeFile(target, bytes);
  }
}

const summary = {};
let start = performance.now();
const { loadPyodide } = await import(pyodideModule);
summary["import pyodide.mjs"] = since(start);

const plain = await boot(loadPyodide, summary, "");
timeImports(plain, summary, "");
await timeCheck(plain, summary, "");
const heaviest = plain
  .runPython(
    "sorted(([n, round(ms, 1)] for n, ms in first_imports), key=lambda item: -item[1])[:20]",
  )
  .toJs();

// One interpreter compiles; the others get the results before importing anything.
const compiler = await boot(loadPyodide, null, "");
const pycs = compiler.runPython(COMPILE).toJs({ dict_converter: (entries) => new Map(entries) });
let pycBytes = 0;
for (const bytes of pycs.values()) pycBytes += bytes.length;
summary["size of the wheels' .pyc files (bytes)"] = pycBytes;
const withPyc = await boot(loadPyodide, null, "");
giveWheelPycs(withPyc, pycs);
timeImports(withPyc, summary, " (wheels as .pyc)");

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "autossl-bench-stdlib-"));
const fullPath = path.join(scratch, "full.zip");
fs.writeFileSync(fullPath, compiler.runPython(COMPILE_STDLIB).toJs());
summary["python_stdlib.zip size (bytes)"] = fs.statSync(path.join(runtimeDir, "python_stdlib.zip")).size;
summary["stdlib zip, all .pyc (bytes)"] = fs.statSync(fullPath).size;
const stdlibOnly = await boot(loadPyodide, null, "", fullPath);
timeImports(stdlibOnly, summary, " (stdlib as .pyc, wheels as source)");
const full = await boot(loadPyodide, summary, " (stdlib all .pyc)", fullPath);
giveWheelPycs(full, pycs);
timeImports(full, summary, " (stdlib and wheels as .pyc)");
await timeCheck(full, summary, " (stdlib and wheels as .pyc)");

const used = full.runPython(USED_STDLIB).toJs();
summary["stdlib modules imported by a check"] = `${used.length} of the zip's entries`;
compiler.globals.set("USED", used);
const hybridPath = writeTo ? path.resolve(writeTo) : path.join(scratch, "hybrid.zip");
fs.writeFileSync(hybridPath, compiler.runPython(HYBRID_STDLIB).toJs());
summary["stdlib zip, those as .pyc and the rest as source (bytes)"] = fs.statSync(hybridPath).size;
const hybrid = await boot(loadPyodide, summary, " (hybrid stdlib)", hybridPath);
giveWheelPycs(hybrid, pycs);
timeImports(hybrid, summary, " (hybrid stdlib, wheels as .pyc)");
await timeCheck(hybrid, summary, " (hybrid stdlib, wheels as .pyc)");

// Boot both once more: the first boots also paid for warming Node's own caches.
await boot(loadPyodide, summary, " (again, source stdlib)");
await boot(loadPyodide, summary, " (again, hybrid stdlib)", hybridPath);
fs.rmSync(scratch, { recursive: true, force: true });

console.log(JSON.stringify({ summary, heaviest_first_imports: heaviest }, null, 1));
