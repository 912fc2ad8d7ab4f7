// The checker's Python side runs here, off the main thread, so the page never freezes while
// Pyodide boots or a check runs. The page talks to this worker with small messages:
//   page -> worker: {type: "run", id, query, lang, docsBase}
//                   {type: "configure", loadTimeoutMs}   (tests only)
//   worker -> page: {type: "stage", stage: "runtime" | "packages" | "ready", ms}
//                   {type: "snapshot", used, detail}   (whether Python started from the snapshot)
//                   {type: "warmed-up", ms, detail}   (the warm-up check is over; ms -1: it failed)
//                   {type: "slow", seconds}   (past the deadline, still loading)
//                   {type: "failed", reason: "runtime" | "packages" | "import", detail}
//                   {type: "event", id, json}   (the facade's JSON text, passed through untouched)
//                   {type: "run-failed", id, detail}
//                   {type: "run-finished", id}

// Everything the checker needs. The long way, loadPyodide fetches them while the interpreter
// boots; from the snapshot, fetchCheckedWheels() does, beside the snapshot.
const PACKAGES = ["autossl-check", "dnspython", "idna"];
const DEFAULT_LOAD_TIMEOUT_MS = 30000;

// Pyodide's core and the site lock file live at <site>/pyodide/, two levels above this file.
const PYODIDE_INDEX_URL = new URL("../../pyodide/", import.meta.url).href;
// Python's memory right after the checker was imported, taken by the site build
// (overrides/hooks/make_snapshot.mjs): restoring it skips Python's start-up and the imports.
const SNAPSHOT_URL = `${PYODIDE_INDEX_URL}checker.snapshot.gz`;
const GZIP_MAGIC = [0x1f, 0x8b];

const startedAt = performance.now();
let loadTimeoutMs = DEFAULT_LOAD_TIMEOUT_MS;
let facade = null; // the imported autossl_check.browser module
let checker = null; // the same, once ready for the reader's checks
let failed = false;
const queuedRuns = [];

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
// is not abandoned, though: on a slow connection the 14 MB may simply still be arriving, and
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

function describe(error) {
  if (!error) return "";
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

// The snapshot is stored gzip-compressed (6 MB instead of 31) because not every host compresses
// unknown file types. A host that adds Content-Encoding: gzip of its own has the browser
// inflate it already, so the magic bytes decide whether it still needs inflating.
async function fetchSnapshot() {
  const response = await fetch(SNAPSHOT_URL);
  if (!response.ok) throw new Error(`snapshot: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) return bytes;
  const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(inflated).arrayBuffer());
}

// The three wheels as the lock file lists them, each checked against its sha256 there, by file
// name. A restored snapshot expects them as zip files at the paths on its sys.path (see
// overrides/hooks/make_snapshot.mjs); fetched alongside the snapshot, they are ready when it is.
async function fetchCheckedWheels() {
  const response = await fetch(`${PYODIDE_INDEX_URL}pyodide-lock.json`);
  if (!response.ok) throw new Error(`pyodide-lock.json: HTTP ${response.status}`);
  const lock = await response.json();
  const wheels = await Promise.all(
    PACKAGES.map(async (name) => {
      const entry = lock.packages && lock.packages[name];
      if (!entry) throw new Error(`${name} is not in pyodide-lock.json`);
      const fileName = entry.file_name.split("/").pop();
      const reply = await fetch(new URL(entry.file_name, PYODIDE_INDEX_URL));
      if (!reply.ok) throw new Error(`${fileName}: HTTP ${reply.status}`);
      const bytes = new Uint8Array(await reply.arrayBuffer());
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
      const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
      if (hex !== entry.sha256) throw new Error(`${fileName}: sha256 does not match the lock file`);
      return [fileName, bytes];
    }),
  );
  return new Map(wheels);
}

// Puts each wheel the restored Python has on sys.path back at its path.
async function restoreWheels(pyodide, wheels) {
  const proxy = pyodide.runPython("import sys\n[p for p in sys.path if p.endswith('.whl')]");
  const expected = proxy.toJs();
  proxy.destroy();
  if (expected.length !== PACKAGES.length) {
    throw new Error(`the snapshot has ${expected.length} wheels on sys.path, not ${PACKAGES.length}`);
  }
  const files = await wheels;
  for (const wheelPath of expected) {
    const bytes = files.get(wheelPath.split("/").pop());
    if (!bytes) throw new Error(`not loaded: ${wheelPath.split("/").pop()}`);
    pyodide.FS.mkdirTree(wheelPath.slice(0, wheelPath.lastIndexOf("/")));
    pyodide.FS.writeFile(wheelPath, bytes);
  }
}

// Why Python starts the long way, or "" when the snapshot can be used. The snapshot adds 6 MB to
// a first visit and saves the CPU time of Python's start: a reader who asked the browser to save
// data (the page adds ?save-data=1) starts without it. Checking the wheels needs crypto.subtle.
function reasonToSkipSnapshot() {
  if (new URL(import.meta.url).searchParams.has("save-data")) return "the browser asks to save data";
  if (!(self.crypto && crypto.subtle)) return "no crypto.subtle to check the wheels with";
  return "";
}

async function boot() {
  stage("runtime");
  watchDeadline();
  // Requested first, beside the runtime rather than after it. loadPyodide awaits it only later,
  // so a failed fetch must not count as an unhandled rejection (a broken start) meanwhile.
  const skipSnapshot = reasonToSkipSnapshot();
  const snapshot = skipSnapshot ? null : fetchSnapshot();
  const wheels = snapshot ? fetchCheckedWheels() : null;
  if (snapshot) snapshot.catch(() => {});
  if (wheels) wheels.catch(() => {});
  let loadPyodide;
  try {
    ({ loadPyodide } = await import(`${PYODIDE_INDEX_URL}pyodide.mjs`));
  } catch (error) {
    fail("runtime", describe(error));
    return;
  }

  // Package problems (a missing wheel, a failed integrity check) are only logged by Pyodide,
  // so its stderr is kept to explain a failure in plain words.
  const loaderMessages = [];
  const options = {
    indexURL: PYODIDE_INDEX_URL,
    stdout: () => {},
    stderr: (line) => loaderMessages.push(line),
  };
  let pyodide;
  let restored = false;
  try {
    if (!snapshot) throw new Error(skipSnapshot);
    pyodide = await loadPyodide({ ...options, _loadSnapshot: snapshot });
    restored = true;
    post({ type: "snapshot", used: true });
  } catch (snapshotError) {
    // A missing or stale snapshot costs time, not the checker: start Python the long way.
    post({ type: "snapshot", used: false, detail: describe(snapshotError) });
    loaderMessages.length = 0;
    try {
      pyodide = await loadPyodide({ ...options, packages: PACKAGES });
    } catch (error) {
      fail("runtime", describe(error));
      return;
    }
  }

  stage("packages");
  if (restored) {
    // The modules are in memory already; the files are for a module imported later (a rare
    // record type, say). A wheel that is missing or fails its sha256 stops the checker here,
    // as it would on the long way.
    try {
      await restoreWheels(pyodide, wheels);
    } catch (error) {
      fail("packages", describe(error));
      return;
    }
  } else {
    const missing = PACKAGES.filter((name) => !(name in pyodide.loadedPackages));
    if (missing.length > 0) {
      const detail = [`not loaded: ${missing.join(", ")}`, ...loaderMessages.slice(-4)].join("\n");
      fail("packages", detail);
      return;
    }
  }

  try {
    // Importing now, before the reader presses Check (or while a ticket link's check waits),
    // keeps the click-to-verdict path short: prepare() loads what the first check would import.
    const imported = pyodide.pyimport("autossl_check.browser");
    if (typeof imported.prepare === "function") imported.prepare();
    facade = imported;
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
  while (queuedRuns.length > 0) run(queuedRuns.shift());
}

async function run({ id, query, lang, docsBase }) {
  const emit = (jsonText) => post({ type: "event", id, json: String(jsonText) });
  try {
    // docs_base turns the ticket Markdown's references to the guide into absolute links.
    await checker.run_from_query.callKwargs(String(query), String(lang), emit, {
      docs_base: String(docsBase || ""),
    });
    post({ type: "run-finished", id });
  } catch (error) {
    post({ type: "run-failed", id, detail: describe(error) });
  }
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "configure" && Number.isFinite(message.loadTimeoutMs)) {
    loadTimeoutMs = message.loadTimeoutMs;
  } else if (message.type === "run") {
    if (failed) {
      post({ type: "run-failed", id: message.id, detail: "checker not loaded" });
    } else if (checker) {
      run(message);
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

// Start at once: the page creates this worker as soon as it opens, before the reader types.
boot();
