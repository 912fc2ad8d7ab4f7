// Takes the memory snapshot the checker's worker starts from, for the site build:
//   node make_snapshot.mjs RUNTIME_DIR
// RUNTIME_DIR is the staged site/pyodide/ (core with the precompiled python_stdlib.zip, wheels,
// pyodide-lock.json). A plain start spends most of its time initialising Python and importing
// dnspython and the checker; a restored snapshot skips both. This boots that very runtime under
// Node, puts the three wheels on sys.path, imports the page facade and runs its prepare() (as the
// worker does), then writes Pyodide's memory snapshot, packed (snapshot_pack.mjs: its static data
// as a difference from the wasm's, its all-zero blocks left out) and gzip-compressed, to
// RUNTIME_DIR/SNAPSHOT.
// It has to come after compile_stdlib.mjs: zipimport keeps the zip's table of contents in memory,
// so the snapshot is only valid beside the exact python_stdlib.zip it was taken with.
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
const WHEEL_DIR = "/lib/autossl-check-wheels";
const PACKAGES = ["autossl-check", "dnspython", "idna"];
const runtimeDir = path.resolve(process.argv[2]);
const require = createRequire(import.meta.url);
const pyodideDir = path.dirname(require.resolve("pyodide/package.json"));
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);

const pyodide = await loadPyodide({
  indexURL: `${runtimeDir}/`,
  _makeSnapshot: true,
  stdout: () => {},
  stderr: () => {},
});

// loadPackage would record the packages in a JS object the snapshot cannot hold.
const lock = JSON.parse(fs.readFileSync(path.join(runtimeDir, "pyodide-lock.json"), "utf8"));
const wheelPaths = PACKAGES.map((name) => {
  const entry = lock.packages[name];
  if (!entry) throw new Error(`${name} is not in the site's pyodide-lock.json`);
  const wheelPath = `${WHEEL_DIR}/${path.basename(entry.file_name)}`;
  const bytes = new Uint8Array(fs.readFileSync(path.join(runtimeDir, entry.file_name)));
  pyodide.FS.mkdirTree(WHEEL_DIR);
  pyodide.FS.writeFile(wheelPath, bytes);
  return wheelPath;
});

pyodide.runPython(`
import os
import sys

sys.path[0:0] = ${JSON.stringify(wheelPaths)}

import autossl_check.browser

autossl_check.browser.prepare()
# The build machine's script path; nothing a reader's page needs.
os.environ.pop("_", None)
`);

const memory = pyodide.makeMemorySnapshot();
const wasm = new Uint8Array(fs.readFileSync(path.join(runtimeDir, "pyodide.asm.wasm")));
const compressed = zlib.gzipSync(packSnapshot(memory, wasm), { level: 9 });
fs.writeFileSync(path.join(runtimeDir, SNAPSHOT), compressed);
console.log(`${memory.length} ${compressed.length}`);
