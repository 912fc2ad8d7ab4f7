// Takes the memory snapshot the checker's worker starts from, for the site build:
//   node make_snapshot.mjs RUNTIME_DIR
// RUNTIME_DIR is the staged site/pyodide/ (core with the precompiled python_stdlib.zip, wheels,
// pyodide-lock.json). A plain start spends most of its time initialising Python and importing
// dnspython and the checker; a restored snapshot skips both. This boots that very runtime under
// Node, installs the three wheels, imports the page facade and runs its prepare() (as the worker
// does), then writes Pyodide's memory snapshot gzip-compressed to RUNTIME_DIR/SNAPSHOT.
// It has to come after compile_stdlib.mjs: zipimport keeps the zip's table of contents in memory,
// so the snapshot is only valid beside the exact python_stdlib.zip it was taken with.
// The worker still installs the wheels after restoring (files in the virtual file system are not
// part of the memory), so a module imported lazily later finds its source.
// Prints the snapshot's size in bytes, raw and compressed.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import zlib from "node:zlib";

const SNAPSHOT = "checker.snapshot.gz";
const runtimeDir = path.resolve(process.argv[2]);
const require = createRequire(import.meta.url);
const pyodideDir = path.dirname(require.resolve("pyodide/package.json"));
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);

const messages = [];
const pyodide = await loadPyodide({
  indexURL: `${runtimeDir}/`,
  _makeSnapshot: true,
  stdout: () => {},
  stderr: (line) => messages.push(line),
});

// loadPackage would record the packages in a JS object the snapshot cannot hold, so the wheels
// named in the site's lock file are unpacked directly.
const lock = JSON.parse(fs.readFileSync(path.join(runtimeDir, "pyodide-lock.json"), "utf8"));
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
for (const name of ["autossl-check", "dnspython", "idna"]) {
  const entry = lock.packages[name];
  if (!entry) throw new Error(`${name} is not in the site's pyodide-lock.json`);
  const wheel = new Uint8Array(fs.readFileSync(path.join(runtimeDir, entry.file_name)));
  pyodide.unpackArchive(wheel, "wheel", { extractDir: sitePackages });
}
pyodide.runPython(`
import os
import autossl_check.browser

autossl_check.browser.prepare()
# The build machine's script path; nothing a reader's page needs.
os.environ.pop("_", None)
`);

const memory = pyodide.makeMemorySnapshot();
const compressed = zlib.gzipSync(memory, { level: 9 });
fs.writeFileSync(path.join(runtimeDir, SNAPSHOT), compressed);
console.log(`${memory.length} ${compressed.length}`);
