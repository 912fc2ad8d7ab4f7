// Precompiles the standard-library modules the checker imports, for the site build:
//   node compile_stdlib.mjs RUNTIME_DIR
// RUNTIME_DIR is the staged site/pyodide/ (core, wheels, pyodide-lock.json). Pyodide 314 ships
// python_stdlib.zip as .py sources only, so every start compiled them again in the browser.
// This boots that runtime under Node, imports the page facade and runs its prepare() (as the
// worker does), then rewrites RUNTIME_DIR/python_stdlib.zip with each standard-library module
// imported so far replaced by its .pyc, compiled by Pyodide's own Python so the bytecode matches.
// The .pyc files are sourceless (zipimport loads a lone .pyc) and unchecked-hash (valid whatever
// the zip's timestamps); every other entry is copied unchanged. Prints the number compiled.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const runtimeDir = path.resolve(process.argv[2]);
const require = createRequire(import.meta.url);
const pyodideDir = path.dirname(require.resolve("pyodide/package.json"));
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);

const REWRITE_STDLIB = `
import sys
stdlib = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip"
imported = {
    module.__file__.removeprefix(stdlib + "/")
    for module in list(sys.modules.values())
    if (getattr(module, "__file__", None) or "").startswith(stdlib + "/")
}

import importlib.util, io, zipfile

compiled = 0
out = io.BytesIO()
with (
    zipfile.ZipFile(stdlib) as source,
    zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
):
    for info in source.infolist():
        data = source.read(info)
        if info.filename not in imported:
            target.writestr(info, data)
            continue
        code = compile(data, info.filename, "exec", dont_inherit=True)
        pyc = importlib._bootstrap_external._code_to_hash_pyc(
            code, importlib.util.source_hash(data), False
        )
        target.writestr(info.filename + "c", bytes(pyc))
        compiled += 1
if compiled < 50:  # the facade alone pulls in well over a hundred; far fewer means a wrong path
    raise RuntimeError(f"only {compiled} standard-library modules found imported")
[compiled, out.getvalue()]
`;

const messages = [];
const pyodide = await loadPyodide({
  indexURL: `${runtimeDir}/`,
  stdout: () => {},
  stderr: (line) => messages.push(line),
});
const failures = [];
await pyodide.loadPackage(["autossl-check"], {
  messageCallback: () => {},
  errorCallback: (message) => failures.push(message),
});
if (failures.length > 0 || !("autossl-check" in pyodide.loadedPackages)) {
  throw new Error(`autossl-check did not load:\n${[...failures, ...messages].join("\n")}`);
}
pyodide.pyimport("autossl_check.browser").prepare();
const [compiled, zipBytes] = pyodide.runPython(REWRITE_STDLIB).toJs();
fs.writeFileSync(path.join(runtimeDir, "python_stdlib.zip"), zipBytes);
console.log(compiled);
