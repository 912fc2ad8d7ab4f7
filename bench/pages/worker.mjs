// The checker worker's start-up without the checker page: boot Pyodide, optionally load the
// checker's packages from the site lock file and import the page facade and the check engine. Each step posts the
// wall-clock time it ended so the page can place it on its own time line.
const options = new URLSearchParams(self.location.search);
const mark = (name) =>
  postMessage({ type: "mark", name, epoch_ms: performance.timeOrigin + performance.now() });
try {
  mark("worker_started_ms");
  const { loadPyodide } = await import("/pyodide/pyodide.mjs");
  mark("module_ms");
  const withPackages = options.get("packages") === "1";
  const pyodide = await loadPyodide({
    indexURL: "/pyodide/",
    packages: withPackages ? ["autossl-check"] : [],
    ...(options.get("stdlib") === "pyc" ? { stdLibURL: "/pyodide/python_stdlib_pyc.zip" } : {}),
  });
  mark("runtime_ms");
  if (withPackages && options.get("import") === "1") {
    pyodide.pyimport("autossl_check.browser");
    mark("import_ms");
    // What the first check imports on top of the facade (browser.py defers these).
    for (const module of ["autossl_check.engine", "autossl_check.report", "pyodide.http"]) {
      pyodide.pyimport(module);
    }
    mark("check_import_ms");
  }
  postMessage({ type: "done" });
} catch (error) {
  postMessage({ type: "error", error: String(error) });
}
