// Takes the memory snapshot the checker's worker starts from, for the site build:
//   node make_snapshot.mjs RUNTIME_DIR
// RUNTIME_DIR is the staged site/pyodide/ (core with the precompiled python_stdlib.zip, wheels,
// pyodide-lock.json). A plain start spends most of its time initialising Python and importing
// dnspython and the checker; a restored snapshot skips both. This boots that very runtime under
// Node, puts the three wheels on sys.path, imports the page facade and runs its prepare() (as the
// worker does), then writes Pyodide's memory snapshot, packed (snapshot_pack.mjs: its static data
// as a difference from the wasm's, its all-zero blocks left out) and gzip-compressed, to
// RUNTIME_DIR/SNAPSHOT.
// It has to come after compile_stdlib.mjs (it reads the final python_stdlib.zip), and it also
// writes snapshot_stdlib.zip, the standard library the worker mounts beside the snapshot: the
// snapshot forgets python_stdlib.zip's table of contents, which zipimport keeps in memory.
// The wheels stay zip files on sys.path (zipimport) rather than being unpacked. Files in the
// virtual file system are not part of the memory, so after restoring, the worker writes the same
// three wheels back to the same paths (it reads them off sys.path) once their sha256 matches the
// lock file, and a module imported later finds its source. Writing three files takes
// milliseconds, where Pyodide's own installer took a third of a second to unpack them.
// Prints the snapshot's size in bytes, raw and compressed.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import zlib from "node:zlib";

import { packSnapshot } from "./snapshot_pack.mjs";

const SNAPSHOT = "checker.snapshot.gz";
const SNAPSHOT_STDLIB = "snapshot_stdlib.zip";
const WHEEL_DIR = "/lib/autossl-check-wheels";
// Where the compiled wheels' modules wait in the file system (not part of the snapshot).
const PRECOMPILED = "/tmp/autossl-check-precompiled";
const PACKAGES = ["autossl-check", "dnspython", "idna"];
const runtimeDir = path.resolve(process.argv[2]);
const require = createRequire(import.meta.url);
const pyodideDir = path.dirname(require.resolve("pyodide/package.json"));
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);

const quiet = { stdout: () => {}, stderr: () => {} };
const pyodide = await loadPyodide({ indexURL: `${runtimeDir}/`, _makeSnapshot: true, ...quiet });

// loadPackage would record the packages in a JS object the snapshot cannot hold.
const lock = JSON.parse(fs.readFileSync(path.join(runtimeDir, "pyodide-lock.json"), "utf8"));
const wheels = PACKAGES.map((name) => {
  const entry = lock.packages[name];
  if (!entry) throw new Error(`${name} is not in the site's pyodide-lock.json`);
  const wheelPath = `${WHEEL_DIR}/${path.basename(entry.file_name)}`;
  return [wheelPath, new Uint8Array(fs.readFileSync(path.join(runtimeDir, entry.file_name)))];
});
const wheelPaths = wheels.map(([wheelPath]) => wheelPath);
function placeWheels(runtime) {
  runtime.FS.mkdirTree(WHEEL_DIR);
  for (const [wheelPath, bytes] of wheels) runtime.FS.writeFile(wheelPath, bytes);
}
placeWheels(pyodide);

// The wheels' modules are compiled by a second interpreter, and the snapshot's interpreter only
// unmarshals the code: compiling leaves garbage in freed memory that the snapshot would carry
// (measured: 5.4 MB compressed when the modules were compiled in place, 4.5 MB like this). The
// modules are imported from the wheels as before (zipimport, the same paths, specs and
// loaders); only zipimport's compile step is handed the ready code, which was compiled from the
// same bytes with the same file name, and is checked against the source's hash.
const compiler = await loadPyodide({ indexURL: `${runtimeDir}/`, ...quiet });
placeWheels(compiler);
const compiledCount = compiler.runPython(`
import importlib.util, marshal, os, zipfile

count = 0
for wheel in ${JSON.stringify(wheelPaths)}:
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if not name.endswith(".py"):
                continue
            path = f"{wheel}/{name}"
            source = archive.read(name)
            code = compile(source, path, "exec", dont_inherit=True)
            os.makedirs(os.path.dirname(${JSON.stringify(PRECOMPILED)} + path), exist_ok=True)
            with open(${JSON.stringify(PRECOMPILED)} + path, "wb") as out:
                out.write(importlib.util.source_hash(source) + marshal.dumps(code))
            count += 1
count
`);
for (const file of listFiles(compiler, PRECOMPILED)) {
  pyodide.FS.mkdirTree(path.posix.dirname(file));
  pyodide.FS.writeFile(file, compiler.FS.readFile(file));
}

function listFiles(runtime, dir) {
  return runtime.FS.readdir(dir)
    .filter((name) => name !== "." && name !== "..")
    .flatMap((name) => {
      const full = `${dir}/${name}`;
      return runtime.FS.isDir(runtime.FS.stat(full).mode) ? listFiles(runtime, full) : [full];
    });
}

const unmarshalled = pyodide.runPython(`
import gc
import importlib.util
import marshal
import os
import sys
import zipimport

sys.path[0:0] = ${JSON.stringify(wheelPaths)}
compile_in_place = zipimport._compile_source
unmarshalled = 0


def precompiled(pathname, source):
    global unmarshalled
    with open(${JSON.stringify(PRECOMPILED)} + pathname, "rb") as stored:
        data = stored.read()
    if data[:8] != importlib.util.source_hash(source):
        raise RuntimeError(f"{pathname}: compiled from other bytes")
    unmarshalled += 1
    return marshal.loads(data[8:])


zipimport._compile_source = precompiled
try:
    import autossl_check.browser

    autossl_check.browser.prepare()
finally:
    zipimport._compile_source = compile_in_place
del precompiled, compile_in_place
gc.collect()
# The build machine's script path; nothing a reader's page needs.
os.environ.pop("_", None)
unmarshalled
`);
if (unmarshalled < 50 || unmarshalled > compiledCount) {
  throw new Error(`${unmarshalled} of ${compiledCount} precompiled modules used: the wrong paths?`);
}

// The standard library that goes with the snapshot: python_stdlib.zip less every module the
// snapshot holds in memory already (imported, or frozen into the interpreter: never read again),
// for the modules a rare path imports later, and less the few that cannot work in a browser's
// worker at all (NEVER_IN_A_WORKER). The snapshot forgets the full zip's table of contents, so
// its first later import reads this zip's own. python_stdlib.zip itself stays for a start
// without the snapshot.
const NEVER_IN_A_WORKER = {
  multiprocessing: "starts processes",
  _pyrepl: "the interactive console, on a terminal",
  pydoc: "interactive help",
};
const inMemory = pyodide.runPython(`
import sys
import zipimport

version = f"{sys.version_info.major}{sys.version_info.minor}"
zipimport._zip_directory_cache.pop(f"/lib/python{version}.zip", None)
del version
"\\n".join(sys.modules)
`);
const lazyStdlib = compiler.runPython(`
import io
import sys
import zipfile

in_memory = set(${JSON.stringify(inMemory)}.split("\\n"))
never = set(${JSON.stringify(Object.keys(NEVER_IN_A_WORKER))})
stdlib = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip"


def module_of(filename):
    name = filename.removesuffix("c").removesuffix(".py").replace("/", ".")
    return name.removesuffix(".__init__")


out = io.BytesIO()
with (
    zipfile.ZipFile(stdlib) as source,
    zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
):
    for info in source.infolist():
        module = module_of(info.filename)
        if module in in_memory or module.split(".")[0] in never:
            continue
        target.writestr(info, source.read(info))
out.getvalue()
`);
fs.writeFileSync(path.join(runtimeDir, SNAPSHOT_STDLIB), lazyStdlib.toJs());
lazyStdlib.destroy();

const memory = pyodide.makeMemorySnapshot();
const wasm = new Uint8Array(fs.readFileSync(path.join(runtimeDir, "pyodide.asm.wasm")));
const compressed = zlib.gzipSync(packSnapshot(memory, wasm), { level: 9 });
fs.writeFileSync(path.join(runtimeDir, SNAPSHOT), compressed);
console.log(`${memory.length} ${compressed.length}`);
