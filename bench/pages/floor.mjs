// Times loadPyodide() from the site's /pyodide/ on the main thread. performance.now() counts from
// the start of the navigation, so ready_ms is "link clicked" to "Python ready".
// ?stdlib=pyc boots from the precompiled standard library the benchmark writes beside it.
const marks = { script_ms: performance.now() };
const options = new URLSearchParams(location.search);
const stdLibURL = options.get("stdlib") === "pyc" ? "/pyodide/python_stdlib_pyc.zip" : undefined;
try {
  const { loadPyodide } = await import("/pyodide/pyodide.mjs");
  marks.module_ms = performance.now();
  await loadPyodide({ indexURL: "/pyodide/", ...(stdLibURL ? { stdLibURL } : {}) });
  marks.ready_ms = performance.now();
  window.__floor = marks;
} catch (error) {
  window.__floor = { ...marks, error: String(error) };
}
