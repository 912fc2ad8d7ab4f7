// Trims and precompiles the standard library for the site build:
//   node compile_stdlib.mjs RUNTIME_DIR
// RUNTIME_DIR is the staged site/pyodide/ (core, wheels, pyodide-lock.json). Pyodide 314 ships
// python_stdlib.zip whole and as .py sources only: every first visit downloaded 3.3 MB of it,
// and every start compiled the modules it imported again in the browser.
// This boots that runtime under Node, notes the modules a bare start imports, imports the page
// facade and runs its prepare() (as the worker does), then rewrites RUNTIME_DIR/python_stdlib.zip
// with trim_stdlib.py (run by Pyodide's own Python, so the bytecode matches): only the modules
// the checker, dnspython, idna and Pyodide's own packages can import are kept (that file says
// exactly which), and the ones imported so far are replaced by their .pyc. Prints a summary.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const runtimeDir = path.resolve(process.argv[2]);
const require = createRequire(import.meta.url);
const pyodideDir = path.dirname(require.resolve("pyodide/package.json"));
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);

const TRIM_STDLIB = fs.readFileSync(new URL("./trim_stdlib.py", import.meta.url), "utf8");
// The wheels' import packages, whose sources are read from where Pyodide installed them.
const INSTALLED = ["autossl_check", "dns", "idna"];

const messages = [];
const pyodide = await loadPyodide({
  indexURL: `${runtimeDir}/`,
  stdout: () => {},
  stderr: (line) => messages.push(line),
});
const started = pyodide.runPython("import sys\nlist(sys.modules)");
const failures = [];
await pyodide.loadPackage(["autossl-check"], {
  messageCallback: () => {},
  errorCallback: (message) => failures.push(message),
});
if (failures.length > 0 || !("autossl-check" in pyodide.loadedPackages)) {
  throw new Error(`autossl-check did not load:\n${[...failures, ...messages].join("\n")}`);
}
pyodide.pyimport("autossl_check.browser").prepare();
const trim = pyodide.toPy({ __name__: "trim_stdlib" });
pyodide.runPython(TRIM_STDLIB, { globals: trim });
const [zipBytes, summary] = trim.get("rewrite_stdlib")(started, INSTALLED).toJs();
fs.writeFileSync(path.join(runtimeDir, "python_stdlib.zip"), zipBytes);
console.log(summary);
