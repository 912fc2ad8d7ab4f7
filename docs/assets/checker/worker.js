// The checker's Python side runs here, off the main thread, so the page never freezes while
// Pyodide boots or a check runs. The page talks to this worker with small messages:
//   page -> worker: {type: "boot", manifest}   (first: the runtime manifest from the page)
//                   {type: "run", id, query, lang, docsBase}
//                   {type: "watch", id, query, lang, timeScale}   (follow the last check of
//                      query: browser.py's watch_from_query; timeScale < 1 only in tests)
//                   {type: "watch-stop"}   (end any watch before its next query)
//                   {type: "explain-log", id, text, lang}   (a pasted AutoSSL log: browser.py's
//                      explain_log, its exact names, counts and first lines explained)
//                   {type: "log-lines", id, start, count, show, lang}   (the next lines of that
//                      log: browser.py's log_lines)
//                   {type: "forget-log"}   (the page no longer shows that log)
//                   a "run" may carry fromLog: true (the page shows the log its names came
//                      from: cPanel's own result stands beside each name's; see browser.py)
//                   {type: "configure", loadTimeoutMs}   (tests only)
//   worker -> page: {type: "stage", stage: "runtime" | "packages" | "ready", ms}
//                   {type: "download", received, total}   (the runtime's bytes so far, of total;
//                      at most every DOWNLOAD_REPORT_MS, and once when all have arrived)
//                   {type: "snapshot", used, detail}   (whether Python started from the snapshot)
//                   {type: "warmed-up", ms, detail}   (the warm-up check is over; ms -1: it failed)
//                   {type: "slow", seconds}   (past the deadline, still loading)
//                   {type: "failed", reason: "runtime" | "packages" | "import", detail}
//                   {type: "event", id, json}   (the facade's JSON text, passed through untouched;
//                      a watch's events carry the watch's id)
//                   {type: "run-failed", id, detail}
//                   {type: "run-finished", id}
//                   {type: "log-explained", id, json}   (explain_log's JSON text, untouched;
//                      a failure is "run-failed" with the same id)
//                   {type: "log-lines", id, json}   (log_lines's JSON text, untouched)

import { BootError, describe, startPython } from "./boot.js";

const DEFAULT_LOAD_TIMEOUT_MS = 30000;
// Often enough for a bar that moves, seldom enough that the page is not kept busy by it.
const DOWNLOAD_REPORT_MS = 150;
// Pyodide's core and the site lock file live at <site>/pyodide/, two levels above this file.
const PYODIDE_INDEX_URL = new URL("../../pyodide/", import.meta.url).href;

const startedAt = performance.now();
let loadTimeoutMs = DEFAULT_LOAD_TIMEOUT_MS;
let checker = null; // the imported autossl_check.browser module, once ready for the reader's checks
let failed = false;
let booted = false;
const queuedRuns = []; // checks and log explanations sent before Python was ready

function post(message) {
  self.postMessage(message);
}

function stage(name) {
  post({ type: "stage", stage: name, ms: Math.round(performance.now() - startedAt) });
}

function fail(reason, detail) {
  if (failed) return;
  failed = true;
  post({ type: "failed", reason, detail: String(detail || "") });
}

// A wrong MIME type on the .wasm or a CSP without 'wasm-unsafe-eval' leaves loadPyodide pending
// forever, and nothing reports it: past the deadline the page is told, in plain words. Loading
// is not abandoned, though: on a slow connection the runtime may simply still be arriving, and
// throwing them away (Retry would only start over) could keep such a reader out for good. The
// deadline is read on each tick so a "configure" message that arrives late still applies.
function watchDeadline() {
  if (checker || failed) return;
  if (performance.now() - startedAt >= loadTimeoutMs) {
    post({ type: "slow", seconds: Math.round(loadTimeoutMs / 1000) });
  } else {
    setTimeout(watchDeadline, 200);
  }
}

// Why Python starts the long way, or "" when the snapshot can be used. The snapshot adds 4.6 MB
// to a first visit and saves the CPU time of Python's start: a reader who asked the browser to
// save data (the page adds ?save-data=1) starts without it.
function reasonToSkipSnapshot() {
  if (new URL(import.meta.url).searchParams.has("save-data")) return "the browser asks to save data";
  return "";
}

// Posts the download's progress now and then, and always its last step.
function downloadReporter() {
  let lastPostedAt = -Infinity;
  return ({ received, total }) => {
    const now = performance.now();
    if (received < total && now - lastPostedAt < DOWNLOAD_REPORT_MS) return;
    lastPostedAt = now;
    post({ type: "download", received, total });
  };
}

// The manifest is the page's: it came with the HTML, so this worker only ever checks the
// runtime against the build that made the page.
async function boot(manifest) {
  stage("runtime");
  watchDeadline();
  let pyodide;
  try {
    pyodide = await startPython({
      indexURL: PYODIDE_INDEX_URL,
      manifest,
      skipSnapshot: reasonToSkipSnapshot(),
      onSnapshot: ({ used, detail }) => post({ type: "snapshot", used, detail }),
      onPackages: () => stage("packages"),
      onDownload: downloadReporter(),
    });
  } catch (error) {
    fail(error instanceof BootError ? error.reason : "runtime", describe(error));
    return;
  }

  let facade;
  try {
    // Importing now, before the reader presses Check (or while a ticket link's check waits),
    // keeps the click-to-verdict path short: prepare() loads what the first check would import.
    facade = pyodide.pyimport("autossl_check.browser");
    if (typeof facade.prepare === "function") facade.prepare();
  } catch (error) {
    fail("import", describe(error));
    return;
  }

  // With no check waiting (no ticket link), one check against made-up answers gets the
  // browser's slow first pass over the code done before the reader presses Check; a check
  // sent meanwhile waits for it. It is only a speed-up: if it fails, nothing is lost.
  if (queuedRuns.length === 0 && typeof facade.warm_up === "function") {
    try {
      await facade.warm_up();
      post({ type: "warmed-up", ms: Math.round(performance.now() - startedAt) });
    } catch (error) {
      post({ type: "warmed-up", ms: -1, detail: describe(error) });
    }
  }

  checker = facade;
  stage("ready");
  while (queuedRuns.length > 0) dispatch(queuedRuns.shift());
}

function dispatch(message) {
  if (message.type === "explain-log") explainLog(message);
  else if (message.type === "log-lines") logLines(message);
  else run(message);
}

// The log is read whole in Python (at least 2 MB pasted); nothing of it is judged here. Python
// answers with the names, the counts and one page of lines, never the whole log at once.
function explainLog({ id, text, lang }) {
  try {
    const json = checker.explain_log(String(text), String(lang));
    post({ type: "log-explained", id, json: String(json) });
  } catch (error) {
    post({ type: "run-failed", id, detail: describe(error) });
  }
}

function logLines({ id, start, count, show, lang }) {
  try {
    const json = checker.log_lines(Number(start), Number(count), String(show), String(lang));
    post({ type: "log-lines", id, json: String(json) });
  } catch (error) {
    post({ type: "run-failed", id, detail: describe(error) });
  }
}

async function run({ id, query, lang, docsBase, fromLog }) {
  const emit = (jsonText) => post({ type: "event", id, json: String(jsonText) });
  try {
    // docs_base turns the ticket Markdown's references to the guide into absolute links.
    await checker.run_from_query.callKwargs(String(query), String(lang), emit, {
      docs_base: String(docsBase || ""),
      from_log: fromLog === true,
    });
    post({ type: "run-finished", id });
  } catch (error) {
    post({ type: "run-failed", id, detail: describe(error) });
  }
}

async function watchRun({ id, query, lang, timeScale }) {
  const emit = (jsonText) => post({ type: "event", id, json: String(jsonText) });
  const scale = Number(timeScale);
  try {
    await checker.watch_from_query.callKwargs(String(query), String(lang), emit, {
      time_scale: Number.isFinite(scale) && scale > 0 && scale <= 1 ? scale : 1,
    });
    post({ type: "run-finished", id });
  } catch (error) {
    post({ type: "run-failed", id, detail: describe(error) });
  }
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "boot" && !booted) {
    booted = true;
    boot(message.manifest);
  } else if (message.type === "configure" && Number.isFinite(message.loadTimeoutMs)) {
    loadTimeoutMs = message.loadTimeoutMs;
  } else if (message.type === "watch") {
    if (checker) watchRun(message);
    else post({ type: "run-failed", id: message.id, detail: "checker not loaded" });
  } else if (message.type === "watch-stop") {
    if (checker) checker.stop_watch();
  } else if (message.type === "forget-log") {
    if (checker) checker.forget_log();
  } else if (["run", "explain-log", "log-lines"].includes(message.type)) {
    if (failed) {
      post({ type: "run-failed", id: message.id, detail: "checker not loaded" });
    } else if (checker) {
      dispatch(message);
    } else {
      queuedRuns.push(message);
    }
  }
});

// While loading, a stray rejection means the start-up broke somewhere the awaits above cannot
// see. Once the checker is running, each check reports its own failure instead, and one stray
// rejection (an aborted fetch, say) must not take the whole checker down.
self.addEventListener("unhandledrejection", (event) => {
  if (!checker) fail("runtime", describe(event.reason));
});
