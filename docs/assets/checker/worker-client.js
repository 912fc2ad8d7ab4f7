// The page's side of worker.js: one worker per page load, shared by every mounted checker
// section and replaced only by Retry. It follows the loading stages, watches the loading deadline
// and passes every message on to the listeners (the mounted view).
//
// Messages to listeners: the worker's own (see worker.js), except that "failed" and "slow" also
// come from here: {type: "failed", reason, detail} when the worker is gone (reasons "runtime",
// "packages", "import", "crash", "unsupported"), {type: "slow"} past the loading deadline.

const DEFAULT_LOAD_TIMEOUT_MS = 30000;
// The Python side gives up after 15 s; this only catches a worker that stopped answering.
const RUN_WATCHDOG_MS = 25000;

// What the views read: the worker's state as far as the page knows it.
export const host = {
  worker: null,
  stage: "starting",
  failure: null, // {reason, detail}: the worker is gone, only Retry helps
  slow: false, // past the loading deadline, still loading
  snapshot: "", // "used" or "fallback" once Python has started (data-snapshot, for tests and bench)
  download: null, // {received, total, bytesPerSecond}: the runtime's bytes so far (0: rate unknown)
};

// The rate is only told once this long has passed since the first bytes: earlier it is noise.
const RATE_AFTER_MS = 1000;
let downloadStart = null; // {at, received}: the first report of this worker's download

// Messages the listeners get: {type: "download"} with host.download updated.
function downloadProgressed({ received, total }) {
  const now = performance.now();
  if (!downloadStart) downloadStart = { at: now, received };
  const elapsed = now - downloadStart.at;
  const bytesPerSecond =
    elapsed >= RATE_AFTER_MS ? ((received - downloadStart.received) * 1000) / elapsed : 0;
  host.download = { received, total, bytesPerSecond };
  notify({ type: "download" });
}

const listeners = new Set();
let watchdog = null;
let nextRunId = 1;

function testHooks() {
  // Set only by the browser tests through an init script; never read from the URL.
  const hooks = globalThis.__autosslCheckerTest;
  return hooks && typeof hooks === "object" ? hooks : {};
}

function positiveOr(value, fallback) {
  const number = Number(value);
  return Number.isFinite(number) && number > 0 ? number : fallback;
}

export function loadTimeoutMs() {
  return positiveOr(testHooks().loadTimeoutMs, DEFAULT_LOAD_TIMEOUT_MS);
}

export function runWatchdogMs() {
  return positiveOr(testHooks().runWatchdogMs, RUN_WATCHDOG_MS);
}

// Returns the function that stops the listening.
export function listen(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(message) {
  for (const listener of [...listeners]) listener(message);
}

function failHost(reason, detail) {
  if (host.failure) return;
  host.failure = { reason, detail: detail || "" };
  clearTimeout(watchdog);
  if (host.worker) {
    host.worker.terminate();
    host.worker = null;
  }
  notify({ type: "failed", reason, detail: detail || "" });
}

// Past the loading deadline the reader is told, but the worker keeps loading: a slow connection
// may still get there, and starting over would not help it.
function markSlow() {
  if (host.slow || host.failure || host.stage === "ready") return;
  host.slow = true;
  notify({ type: "slow" });
}

// A reader whose browser asks to save data is not sent the 4.6 MB memory snapshot (the worker
// then starts Python the slower way). The page asks, because a worker may not see the setting.
function workerUrl() {
  const url = new URL("./worker.js", import.meta.url);
  if (navigator.connection && navigator.connection.saveData) url.searchParams.set("save-data", "1");
  return url;
}

// The runtime manifest the build wrote into the checker page (overrides/checker.html): the sha256
// of every file the worker loads, in the head (read when start-early.js starts the worker) and
// on the checker section (after an arrival by instant navigation, which keeps the old head).
// Missing or unreadable, the worker refuses to start.
function runtimeManifest() {
  const meta = document.querySelector('meta[name="autossl-checker-runtime-manifest"]');
  const element = document.querySelector("[data-runtime-manifest]");
  try {
    if (meta) return JSON.parse(meta.content);
    return element ? JSON.parse(element.dataset.runtimeManifest) : null;
  } catch {
    return null;
  }
}

function received(message) {
  if (message.type === "stage") {
    host.stage = message.stage;
    // For the benchmark and the tests: when each loading stage began, on the page's clock.
    performance.mark(`autossl-checker:stage-${message.stage}`, {
      detail: { workerMs: message.ms },
    });
    if (message.stage === "ready") {
      clearTimeout(watchdog);
      host.slow = false;
      performance.mark("autossl-checker:ready");
    }
    notify(message);
  } else if (message.type === "snapshot") {
    host.snapshot = message.used ? "used" : "fallback";
    performance.mark(`autossl-checker:snapshot-${host.snapshot}`, {
      detail: { reason: String(message.detail || "") },
    });
    notify(message);
  } else if (message.type === "download") {
    if (Number.isFinite(message.received) && Number.isFinite(message.total) && message.total > 0) {
      downloadProgressed(message);
    }
  } else if (message.type === "warmed-up") {
    // For the tests and the benchmark: when the warm-up check ended, on the page's clock.
    performance.mark("autossl-checker:warmed-up", { detail: { workerMs: message.ms } });
  } else if (message.type === "slow") {
    markSlow();
  } else if (message.type === "failed") {
    failHost(message.reason, message.detail);
  } else {
    notify(message);
  }
}

export function startWorker() {
  clearTimeout(watchdog);
  if (host.worker) host.worker.terminate();
  host.worker = null;
  host.failure = null;
  host.slow = false;
  host.snapshot = "";
  host.download = null;
  downloadStart = null;
  host.stage = "starting";
  notify({ type: "stage", stage: "starting" });
  if (typeof Worker !== "function" || typeof WebAssembly !== "object") {
    failHost("unsupported", "");
    return;
  }
  let worker;
  try {
    worker = new Worker(workerUrl(), { type: "module" });
  } catch (error) {
    failHost("unsupported", String(error && error.message ? error.message : error));
    return;
  }
  host.worker = worker;
  // Start at once: the page creates the worker as soon as it opens, before the reader types.
  worker.postMessage({ type: "boot", manifest: runtimeManifest() });
  const timeoutMs = loadTimeoutMs();
  if (timeoutMs !== DEFAULT_LOAD_TIMEOUT_MS) {
    worker.postMessage({ type: "configure", loadTimeoutMs: timeoutMs });
  }
  // The worker watches the same deadline; this is the backstop for a worker too stuck to say so.
  watchdog = setTimeout(() => {
    if (host.worker === worker) markSlow();
  }, timeoutMs + 3000);
  worker.addEventListener("message", (event) => {
    if (host.worker === worker) received(event.data || {});
  });
  worker.addEventListener("error", (event) => {
    if (host.worker !== worker) return;
    event.preventDefault();
    failHost(host.stage === "ready" ? "crash" : "runtime", event.message || "worker error");
  });
}

export function ensureWorker() {
  if (!host.worker && !host.failure) startWorker();
}

// Sends a check; the worker queues it while Python is still loading. Returns the run's id,
// which the worker's "event", "run-failed" and "run-finished" messages carry.
// fromLog: the page shows the pasted log the names came from (cPanel's view beside each name).
export function requestRun(query, lang, docsBase, fromLog = false) {
  const id = nextRunId++;
  host.worker.postMessage({ type: "run", id, query, lang, docsBase, fromLog: fromLog === true });
  return id;
}

// Asks Python to read a pasted AutoSSL log; the answer is a "log-explained" message with this id.
export function requestLogExplained(text, lang) {
  const id = nextRunId++;
  host.worker.postMessage({ type: "explain-log", id, text, lang });
  return id;
}

// Asks for more lines of the log explained last; the answer is a "log-lines" message.
export function requestLogLines(start, count, show, lang) {
  const id = nextRunId++;
  host.worker.postMessage({ type: "log-lines", id, start, count, show, lang });
  return id;
}

// The page no longer shows the pasted log: later checks are a link's alone.
export function forgetLog() {
  if (host.worker) host.worker.postMessage({ type: "forget-log" });
}

// Follows the last check of `query` (see worker.js); its events carry the returned id.
export function requestWatch(query, lang) {
  const id = nextRunId++;
  // Tests shorten the watch's waits (never read from the URL); 1 is real time.
  const scale = Number(testHooks().watchTimeScale);
  const timeScale = Number.isFinite(scale) && scale > 0 && scale <= 1 ? scale : 1;
  host.worker.postMessage({ type: "watch", id, query, lang, timeScale });
  return id;
}

export function stopWatch() {
  if (host.worker) host.worker.postMessage({ type: "watch-stop" });
}
