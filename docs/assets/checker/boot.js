// How the checker's Python starts. worker.js runs it in the browser; the Node tests
// (tests/node/checker.test.mjs) import this very file, so they test the start the site ships.
//
// Normally Python's memory is restored from the snapshot the site build took right after the
// checker was imported (tools/site_hooks/make_snapshot.mjs), and the three wheels, each checked
// against its sha256 in the lock file, are written back to the paths on the restored sys.path.
// Without a usable snapshot Python starts the long way: loadPyodide loads the wheels itself,
// checked against the same lock file.
//
// Nothing here knows about the page: the caller says how to read a URL's bytes (fetch in the
// worker, the file system under Node) and hears of progress through callbacks.

// Everything the checker needs, by the distribution names the lock file lists.
export const PACKAGES = ["autossl-check", "dnspython", "idna"];
// Beside Pyodide's core: the build's memory snapshot and the lock file with the three wheels.
const SNAPSHOT_FILE = "checker.snapshot.gz";
const LOCK_FILE = "pyodide-lock.json";
const GZIP_MAGIC = [0x1f, 0x8b];

// A start that cannot go on; `reason` is what the page tells the reader: "runtime" (Python
// itself) or "packages" (the checker's files missing or refused).
export class BootError extends Error {
  constructor(reason, detail) {
    super(detail);
    this.name = "BootError";
    this.reason = reason;
  }
}

export function describe(error) {
  if (!error) return "";
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

// The fetchBytes of the browser: a URL's body, or an error that names the file and the status.
export async function fetchBytesOverHttp(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${fileName(url)}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function fileName(url) {
  return String(url).split("?")[0].split("/").pop();
}

// The snapshot is stored gzip-compressed (6 MB instead of 31) because not every host compresses
// unknown file types. A host that adds Content-Encoding: gzip of its own has the browser
// inflate it already, so the magic bytes decide whether it still needs inflating.
export async function readSnapshot(fetchBytes, indexURL) {
  const bytes = await fetchBytes(new URL(SNAPSHOT_FILE, indexURL));
  if (bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) return bytes;
  const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(inflated).arrayBuffer());
}

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// The wheels as the lock file lists them, each checked against its sha256 there, by file name.
// A wheel whose bytes differ is refused: nothing of it reaches Python.
export async function fetchCheckedWheels(fetchBytes, indexURL, packages = PACKAGES) {
  const lock = JSON.parse(new TextDecoder().decode(await fetchBytes(new URL(LOCK_FILE, indexURL))));
  const wheels = await Promise.all(
    packages.map(async (name) => {
      const entry = lock.packages && lock.packages[name];
      if (!entry) throw new Error(`${name} is not in ${LOCK_FILE}`);
      const wheelName = fileName(entry.file_name);
      const bytes = await fetchBytes(new URL(entry.file_name, indexURL));
      if ((await sha256Hex(bytes)) !== entry.sha256) {
        throw new Error(`${wheelName}: sha256 does not match the lock file`);
      }
      return [wheelName, bytes];
    }),
  );
  return new Map(wheels);
}

// Puts each wheel the restored Python has on sys.path back at its path.
export async function restoreWheels(pyodide, wheels, packages = PACKAGES) {
  const proxy = pyodide.runPython("import sys\n[p for p in sys.path if p.endswith('.whl')]");
  const expected = proxy.toJs();
  proxy.destroy();
  if (expected.length !== packages.length) {
    throw new Error(`the snapshot has ${expected.length} wheels on sys.path, not ${packages.length}`);
  }
  const files = await wheels;
  for (const wheelPath of expected) {
    const bytes = files.get(fileName(wheelPath));
    if (!bytes) throw new Error(`not loaded: ${fileName(wheelPath)}`);
    pyodide.FS.mkdirTree(wheelPath.slice(0, wheelPath.lastIndexOf("/")));
    pyodide.FS.writeFile(wheelPath, bytes);
  }
  return expected;
}

// Starts Python with the checker's packages and returns the running Pyodide. Throws BootError.
//   indexURL      Pyodide's core, the lock file, the wheels and the snapshot (a URL ending in /)
//   fetchBytes    (URL) => Promise<Uint8Array>, rejecting when the file cannot be had
//   skipSnapshot  why to start the long way at once ("" to try the snapshot first)
//   onSnapshot    ({used, detail}) once it is known whether the snapshot was used
//   onPackages    () when Python runs and its packages are next
//   loaderIndex   indexURL as loadPyodide wants it, if not the same (under Node: a file path)
//   options       more options for loadPyodide (stdout, say)
export async function startPython({
  indexURL,
  loaderIndex = indexURL,
  fetchBytes = fetchBytesOverHttp,
  skipSnapshot = "",
  onSnapshot = () => {},
  onPackages = () => {},
  options = {},
}) {
  // Requested first, beside the runtime rather than after it. loadPyodide awaits them only
  // later, so a failed fetch must not count as an unhandled rejection (a broken start) meanwhile.
  const snapshot = skipSnapshot ? null : readSnapshot(fetchBytes, indexURL);
  const wheels = snapshot ? fetchCheckedWheels(fetchBytes, indexURL) : null;
  if (snapshot) snapshot.catch(() => {});
  if (wheels) wheels.catch(() => {});
  let loadPyodide;
  try {
    ({ loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href));
  } catch (error) {
    throw new BootError("runtime", describe(error));
  }

  // Package problems (a missing wheel, a failed integrity check) are only logged by Pyodide,
  // so its stderr is kept to explain a failure in plain words.
  const loaderMessages = [];
  const common = {
    stdout: () => {},
    ...options,
    indexURL: loaderIndex,
    stderr: (line) => loaderMessages.push(line),
  };
  let pyodide;
  let restored = false;
  try {
    if (!snapshot) throw new Error(skipSnapshot);
    pyodide = await loadPyodide({ ...common, _loadSnapshot: snapshot });
    restored = true;
    onSnapshot({ used: true, detail: "" });
  } catch (snapshotError) {
    // A missing or stale snapshot costs time, not the checker: start Python the long way.
    onSnapshot({ used: false, detail: describe(snapshotError) });
    loaderMessages.length = 0;
    try {
      pyodide = await loadPyodide({ ...common, packages: PACKAGES });
    } catch (error) {
      throw new BootError("runtime", describe(error));
    }
  }

  onPackages();
  if (restored) {
    // The modules are in memory already; the files are for a module imported later (a rare
    // record type, say). A wheel that is missing or fails its sha256 stops the checker here,
    // as it would on the long way.
    try {
      await restoreWheels(pyodide, wheels);
    } catch (error) {
      throw new BootError("packages", describe(error));
    }
  } else {
    const missing = PACKAGES.filter((name) => !(name in pyodide.loadedPackages));
    if (missing.length > 0) {
      const detail = [`not loaded: ${missing.join(", ")}`, ...loaderMessages.slice(-4)].join("\n");
      throw new BootError("packages", detail);
    }
  }
  return pyodide;
}
