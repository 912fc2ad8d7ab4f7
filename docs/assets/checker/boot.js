// How the checker's Python starts. worker.js runs it in the browser; the Node tests
// (tests/node/checker.test.mjs) import this very file, so they test the start the site ships.
//
// Every file of the runtime is checked before use against the runtime manifest: the sha256 of
// each file, recorded by the site build (tools/site_hooks/checker_assets.py) and written into the
// checker page itself, so it arrives with the HTML rather than as one more file that could be
// stale on its own. A file that is missing from the manifest or whose bytes differ is refused
// (BootError "packages"): a half-finished deploy, a stale cache or a changed file never runs.
//
// Normally Python's memory is restored from the snapshot the site build took right after the
// checker was imported (tools/site_hooks/make_snapshot.mjs), and the three wheels, each checked
// against its sha256 in the (checked) lock file, are written back to the paths on the restored
// sys.path. Without a usable snapshot Python starts the long way: loadPyodide loads the wheels
// itself, checked against the same lock file.
//
// Nothing here knows about the page: the caller says how to read a URL's bytes (fetch in the
// worker, the file system under Node) and hears of progress through callbacks.

// Everything the checker needs, by the distribution names the lock file lists.
export const PACKAGES = ["autossl-check", "dnspython", "idna"];
// Beside Pyodide's core: the build's memory snapshot and the lock file with the three wheels.
const SNAPSHOT_FILE = "checker.snapshot.gz";
const LOCK_FILE = "pyodide-lock.json";
const GZIP_MAGIC = [0x1f, 0x8b];
// Pyodide's own files: its two JavaScript modules, checked before they are imported, and the
// two binaries it fetches itself, which it is handed from memory once checked: the wasm and a
// standard library. Started from the snapshot, Python gets the snapshot's own standard library,
// which holds only the modules the snapshot does not have in memory already (the site build's
// make_snapshot.mjs writes it); the long way, the whole of it.
const LOADER_MODULES = ["pyodide.mjs", "pyodide.asm.mjs"];
const WASM = "pyodide.asm.wasm";
const STDLIB = "python_stdlib.zip";
const SNAPSHOT_STDLIB = "snapshot_stdlib.zip";
const CONTENT_TYPES = {
  [WASM]: "application/wasm",
  [STDLIB]: "application/zip",
  [SNAPSHOT_STDLIB]: "application/zip",
};

// A start that cannot go on; `reason` is what the page tells the reader: "runtime" (Python
// itself) or "packages" (the checker's files missing or refused).
export class BootError extends Error {
  constructor(reason, detail) {
    super(detail);
    this.name = "BootError";
    this.reason = reason;
  }
}

// A runtime file that does not match the manifest (or is not in it): refused, never used.
export class IntegrityError extends Error {
  constructor(detail) {
    super(detail);
    this.name = "IntegrityError";
  }
}

export function describe(error) {
  if (!error) return "";
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

// The fetchBytes of the browser: a URL's body, or an error that names the file and the status.
// The browser's cache is asked first, without revalidating (a file kept from an earlier visit
// then costs no request at all): the
// manifest, not the cache, decides whether a copy is current, and a copy that does not match is
// fetched again with `fresh` (revalidated) before it is refused; see matching().
// The body is read as it streams in, and `onChunk(byteCount)` hears of each piece: decoded
// bytes, the ones the manifest's sizes count (a compressed response has no useful length).
export async function fetchBytesOverHttp(url, { onChunk = () => {}, fresh = false } = {}) {
  const response = await fetch(url, { cache: fresh ? "no-cache" : "force-cache" });
  if (!response.ok) throw new Error(`${fileName(url)}: HTTP ${response.status}`);
  if (!response.body) {
    const whole = new Uint8Array(await response.arrayBuffer());
    onChunk(whole.length);
    return whole;
  }
  const chunks = [];
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return joined(chunks);
    chunks.push(value);
    onChunk(value.length);
  }
}

// The runtime files this start fetches through fetchBytes: everything in the manifest but the
// whole standard library when Python starts from the snapshot; less the snapshot, its standard
// library and the wheels when it starts the long way (loadPyodide then fetches the wheels).
export function filesToFetch(manifest, skipSnapshot) {
  const names = Object.keys(manifest.files || {});
  if (!skipSnapshot) return names.filter((name) => name !== STDLIB);
  const snapshotOnly = (name) => [SNAPSHOT_FILE, SNAPSHOT_STDLIB].includes(name);
  return names.filter((name) => !snapshotOnly(name) && !name.startsWith("wheels/"));
}

// Counts the bytes of the runtime as they arrive, of the total the manifest's sizes announce
// (the build writes them: a compressed response carries no length of the file). `report`
// hears {received, total}; a file never counts past its own size, so a host that inflates the
// snapshot on the way cannot push the bar past its end.
export function downloadCounter(manifest, names, indexURL, report) {
  const sizes = (manifest && manifest.sizes) || {};
  const total = names.reduce((sum, name) => sum + (Number(sizes[name]) || 0), 0);
  const base = new URL(indexURL).href;
  const counted = new Map(); // name -> bytes counted so far, over every fetch of it
  let received = 0;
  return {
    total,
    counting(fetchBytes) {
      if (total === 0) return fetchBytes;
      return async (url, options = {}) => {
        const name = new URL(url, base).href.split(/[?#]/)[0].slice(base.length);
        const size = names.includes(name) ? Number(sizes[name]) || 0 : 0;
        let streamed = 0;
        const onChunk = (count) => {
          streamed += count;
          const before = counted.get(name) || 0;
          const now = Math.min(Math.max(before, streamed), size);
          if (now > before) {
            counted.set(name, now);
            received += now - before;
            report({ received, total });
          }
        };
        const bytes = await fetchBytes(url, { ...options, onChunk });
        if (streamed === 0) onChunk(bytes.length); // a fetchBytes that does not stream (Node's)
        return bytes;
      };
    },
  };
}

// `check(bytes)`'s result for the URL's bytes, fetched a second time, revalidated, if a cached
// copy did not pass: an IntegrityError then stands.
export async function matching(fetchBytes, url, check) {
  try {
    return await check(await fetchBytes(url));
  } catch (error) {
    if (!(error instanceof IntegrityError)) throw error;
    return check(await fetchBytes(url, { fresh: true }));
  }
}

function fileName(url) {
  return String(url).split("?")[0].split("/").pop();
}

// The snapshot is stored packed (see unpackSnapshot) and gzip-compressed (under 5 MB instead of 31)
// because not every host compresses unknown file types. A host that adds Content-Encoding: gzip
// of its own has the browser inflate it already, so the magic bytes decide whether it still
// needs inflating, and which of the two digests in the manifest (the file's, or its inflated
// content's) the bytes must match. `wasm` is the checked pyodide.asm.wasm (or a promise of it):
// unpacking needs its data segments. Returns Python's memory, as Pyodide restores it.
export async function readSnapshot(fetchBytes, indexURL, manifest, wasm) {
  const bytes = await matching(fetchBytes, new URL(SNAPSHOT_FILE, indexURL), (fetched) => {
    const packed = fetched[0] === GZIP_MAGIC[0] && fetched[1] === GZIP_MAGIC[1];
    return verifyBytes(manifest, SNAPSHOT_FILE, fetched, packed ? "files" : "inflated");
  });
  const compressed = bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
  const packed = compressed ? await gunzip(bytes) : bytes;
  return unpackSnapshot(packed, await wasm);
}

async function gunzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  const reader = stream.getReader();
  const chunks = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return joined(chunks);
    chunks.push(value);
  }
}

function joined(chunks) {
  const bytes = new Uint8Array(chunks.reduce((length, chunk) => length + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

// The packed snapshot (tools/site_hooks/snapshot_pack.mjs writes it), integers little-endian:
//   "ACSNAP2\0", u32 memory length, u32 run count, u32 data offset, u32 data length,
//   run count × (u32 first block, u32 block count), then those runs' bytes.
// Every 64 KiB block not in a run is zeros. The `data length` bytes from `data offset` are
// stored XORed with the wasm's data segments (wasmDataImage): Python's static data, placed in
// memory by the wasm before anything runs and mostly unchanged since, so they are stored as
// zeros (left out) and the few changes. Returns the whole memory.
const PACKED_MAGIC = "ACSNAP2\0";
const BLOCK_SIZE = 65536;

export function unpackSnapshot(packed, wasm) {
  const header = 24;
  const magic = new TextDecoder().decode(packed.subarray(0, PACKED_MAGIC.length));
  if (packed.length < header || magic !== PACKED_MAGIC) {
    throw new Error(`${SNAPSHOT_FILE}: not a packed snapshot`);
  }
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const [length, runs, dataOffset, dataLength] = [8, 12, 16, 20].map((at) =>
    view.getUint32(at, true),
  );
  const memory = new Uint8Array(length);
  let at = header + runs * 8;
  for (let run = 0; run < runs && at <= packed.length; run += 1) {
    const start = view.getUint32(header + run * 8, true) * BLOCK_SIZE;
    const size = Math.min(view.getUint32(header + 4 + run * 8, true) * BLOCK_SIZE, length - start);
    memory.set(packed.subarray(at, at + size), start);
    at += size;
  }
  if (at !== packed.length) throw new Error(`${SNAPSHOT_FILE}: its runs do not add up`);
  if (dataLength > 0) {
    const data = wasm ? wasmDataImage(wasm) : null;
    if (!data || data.length !== dataLength || dataOffset + dataLength > length) {
      throw new Error(`${SNAPSHOT_FILE}: made with another pyodide.asm.wasm`);
    }
    const region = memory.subarray(dataOffset, dataOffset + dataLength);
    for (let i = 0; i < dataLength; i += 1) region[i] ^= data[i];
  }
  return memory;
}

// The memory a wasm module's active data segments set up before anything runs, from address 0
// to the end of the last segment, or null if a segment is placed some other way than at a
// constant address. Reads only the module's data section (id 11).
export function wasmDataImage(wasm) {
  let at = 8; // magic and version
  const byte = () => wasm[at++];
  const unsigned = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const next = byte();
      value += (next & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(next & 0x80)) return value;
    }
  };
  const signed = () => {
    let value = 0;
    let shift = 0;
    let next;
    do {
      next = byte();
      value += (next & 0x7f) * 2 ** shift;
      shift += 7;
    } while (next & 0x80);
    return next & 0x40 ? value - 2 ** shift : value;
  };
  while (at < wasm.length) {
    const id = byte();
    const size = unsigned();
    const end = at + size;
    if (id !== 11) {
      at = end;
      continue;
    }
    const segments = [];
    for (let count = unsigned(); count > 0; count -= 1) {
      const kind = unsigned();
      if (kind === 1) {
        at += unsigned(); // passive: copied at run time by code, not placed here
        continue;
      }
      if (kind === 2) unsigned(); // memory index
      if (kind !== 0 && kind !== 2) return null;
      if (byte() !== 0x41) return null; // the address: i32.const N, end
      const address = signed();
      if (byte() !== 0x0b) return null;
      const length = unsigned();
      segments.push([address, at, length]);
      at += length;
    }
    const image = new Uint8Array(Math.max(0, ...segments.map(([a, , n]) => a + n)));
    for (const [address, from, length] of segments) {
      image.set(wasm.subarray(from, from + length), address);
    }
    return image;
  }
  return null;
}

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// Returns the bytes if their sha256 is the one the manifest records for `name` (a path below
// indexURL) in `table` ("files": the file as stored; "inflated": the snapshot's content).
export async function verifyBytes(manifest, name, bytes, table = "files") {
  const expected = manifest && manifest[table] && manifest[table][name];
  if (typeof expected !== "string") {
    throw new IntegrityError(`${name}: not in the runtime manifest`);
  }
  if ((await sha256Hex(bytes)) !== expected) {
    throw new IntegrityError(`${name}: sha256 does not match the runtime manifest`);
  }
  return bytes;
}

// A fetchBytes that only ever returns bytes the manifest vouches for.
export function checkedFetcher(fetchBytes, indexURL, manifest) {
  const base = new URL(indexURL).href;
  return async (url) => {
    const href = new URL(url, base).href.split(/[?#]/)[0];
    if (!href.startsWith(base)) throw new IntegrityError(`${href}: outside the runtime`);
    const name = href.slice(base.length);
    if (typeof manifest.files[name] !== "string") {
      throw new IntegrityError(`${name}: not in the runtime manifest`);
    }
    return matching(fetchBytes, url, (bytes) => verifyBytes(manifest, name, bytes));
  };
}

// The lock file's packages, each wheel checked against its sha256 there (the lock file itself
// is checked against the manifest first), by file name. A wheel whose bytes differ is refused:
// nothing of it reaches Python.
export async function fetchCheckedWheels(fetchBytes, indexURL, lockText, packages = PACKAGES) {
  const lock = JSON.parse(await lockText);
  const wheels = await Promise.all(
    packages.map(async (name) => {
      const entry = lock.packages && lock.packages[name];
      if (!entry) throw new IntegrityError(`${name} is not in ${LOCK_FILE}`);
      const wheelName = fileName(entry.file_name);
      const bytes = await matching(fetchBytes, new URL(entry.file_name, indexURL), async (got) => {
        if ((await sha256Hex(got)) !== entry.sha256) {
          throw new IntegrityError(`${wheelName}: sha256 does not match the lock file`);
        }
        return got;
      });
      return [wheelName, bytes];
    }),
  );
  return new Map(wheels);
}

// Pyodide fetches its wasm and its standard library itself. In a browser it does so through the
// global fetch, looked up at each call (pyodide.mjs 314.0.7: browser_getBinaryResponse and
// loadBinaryFile), and compiles the wasm with WebAssembly.instantiateStreaming, but only once
// the snapshot is in memory (prepareSnapshot). While Python starts, requests for exactly those
// URLs are answered from the checked bytes in memory, and every other request goes out as usual.
// `compiledWasm`, if given, is the wasm compiled already (from the same checked bytes, while the
// snapshot was still being read): instantiateStreaming is then handed that module for the wasm's
// response instead of compiling it a second time. `served` tells the caller which copies were
// handed over, so that a Pyodide that stopped fetching this way is caught.
export function serveCheckedCopies(copies, scope = globalThis, compiledWasm = null) {
  const originalFetch = scope.fetch;
  const wasmAPI = scope.WebAssembly;
  const originalInstantiateStreaming = wasmAPI.instantiateStreaming;
  const served = new Set();
  const precompiled = new WeakSet();
  scope.fetch = function fetchWithCheckedCopies(input, init) {
    const requested = input instanceof Request ? input.url : String(input);
    const href = new URL(requested, scope.location && scope.location.href).href;
    const copy = copies.get(href);
    if (!copy) return originalFetch.call(scope, input, init);
    served.add(href);
    const headers = { "Content-Type": copy.contentType };
    const response = new Response(copy.bytes, { status: 200, headers });
    if (compiledWasm && copy.contentType === "application/wasm") precompiled.add(response);
    return Promise.resolve(response);
  };
  if (compiledWasm) {
    wasmAPI.instantiateStreaming = async function instantiateCompiled(source, imports) {
      const response = await source;
      if (!precompiled.has(response)) {
        return originalInstantiateStreaming.call(wasmAPI, response, imports);
      }
      const module = await compiledWasm;
      return { module, instance: await wasmAPI.instantiate(module, imports) };
    };
  }
  return {
    served,
    restore() {
      scope.fetch = originalFetch;
      wasmAPI.instantiateStreaming = originalInstantiateStreaming;
    },
  };
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
//   manifest      {files: {path below indexURL: sha256 hex}, inflated: {...}}: the runtime manifest
//   fetchBytes    (URL, {onChunk, fresh}) => Promise<Uint8Array>, rejecting when the file cannot
//                 be had; fresh: bypass a cached copy (see fetchBytesOverHttp)
//   skipSnapshot  why to start the long way at once ("" to try the snapshot first)
//   onSnapshot    ({used, detail}) once it is known whether the snapshot was used
//   onPackages    () when Python runs and its packages are next
//   onDownload    ({received, total}) as the runtime's bytes arrive (total from manifest.sizes)
//   loaderIndex   indexURL as loadPyodide wants it, if not the same (under Node: a file path)
//   handOver      whether loadPyodide fetches the wasm and the stdlib (a browser) and is to be
//                 handed the checked copies; under Node, with a file path, it reads files itself
//   options       more options for loadPyodide (stdout, say)
export async function startPython({
  indexURL,
  manifest,
  loaderIndex = indexURL,
  fetchBytes = fetchBytesOverHttp,
  skipSnapshot = "",
  onSnapshot = () => {},
  onPackages = () => {},
  onDownload = () => {},
  handOver = true,
  options = {},
}) {
  if (!manifest || typeof manifest.files !== "object" || !manifest.files) {
    throw new BootError("packages", "no runtime manifest to check the files against");
  }
  const counter = downloadCounter(
    manifest,
    filesToFetch(manifest, skipSnapshot),
    indexURL,
    onDownload,
  );
  fetchBytes = counter.counting(fetchBytes);
  if (!(globalThis.crypto && crypto.subtle)) {
    throw new BootError("packages", "no crypto.subtle to check the runtime's files with");
  }
  const checked = checkedFetcher(fetchBytes, indexURL, manifest);
  // Everything is requested at once, beside the runtime rather than after it. Some are awaited
  // only later, so a failed fetch must not count as an unhandled rejection meanwhile.
  const pending = (promise) => {
    promise.catch(() => {});
    return promise;
  };
  const loaders = pending(
    Promise.all(LOADER_MODULES.map((name) => checked(new URL(name, indexURL)))),
  );
  const copyOf = (name) => {
    const url = new URL(name, indexURL);
    return { href: url.href, contentType: CONTENT_TYPES[name], bytes: pending(checked(url)) };
  };
  const binaries = [copyOf(WASM), copyOf(skipSnapshot ? STDLIB : SNAPSHOT_STDLIB)];
  // The wasm is compiled as soon as its bytes are checked, beside the snapshot's inflating
  // rather than after it (see serveCheckedCopies). Under Node, Pyodide reads it itself.
  const wasmBytes = binaries[0].bytes;
  const compiledWasm = handOver
    ? pending(wasmBytes.then((bytes) => WebAssembly.compile(bytes)))
    : null;
  const lockText = pending(
    checked(new URL(LOCK_FILE, indexURL)).then((bytes) => new TextDecoder().decode(bytes)),
  );
  const snapshot = skipSnapshot
    ? null
    : pending(readSnapshot(fetchBytes, indexURL, manifest, wasmBytes));
  const wheels = snapshot ? pending(fetchCheckedWheels(fetchBytes, indexURL, lockText)) : null;

  try {
    await loaders;
  } catch (error) {
    throw new BootError("packages", describe(error));
  }
  // Checked just above, then imported by URL: the import may be a second request (usually
  // answered by the browser's cache), since a module import cannot be handed bytes. Both are
  // imported now, while the wasm is still arriving; loadPyodide's own import of pyodide.asm.mjs
  // then finds it loaded.
  const imported = pending(
    Promise.all(LOADER_MODULES.map((name) => import(new URL(name, indexURL).href))),
  );
  const copies = new Map();
  const keep = async (binaries) => {
    try {
      for (const { href, contentType, bytes } of binaries) {
        copies.set(href, { bytes: await bytes, contentType });
      }
    } catch (error) {
      throw new BootError("packages", describe(error));
    }
    return binaries.map(({ href }) => href);
  };
  let needed = await keep(binaries);
  try {
    await lockText;
  } catch (error) {
    throw new BootError("packages", describe(error));
  }
  let loadPyodide;
  try {
    [{ loadPyodide }] = await imported;
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
    // The checked lock file, as text: Pyodide then fetches none of its own. Relative wheel
    // paths in it are read from packageBaseUrl.
    lockFileContents: await lockText,
    packageBaseUrl: loaderIndex,
    stderr: (line) => loaderMessages.push(line),
  };
  const handedOver = handOver ? serveCheckedCopies(copies, globalThis, compiledWasm) : null;
  let pyodide;
  let restored = false;
  try {
    try {
      if (!snapshot) throw new Error(skipSnapshot);
      // _loadSnapshot is a private option of Pyodide 314.0.7 (marked @ignore in pyodide.d.ts).
      const stdLibURL = `${loaderIndex}${SNAPSHOT_STDLIB}`; // loaderIndex ends in a separator
      pyodide = await loadPyodide({ ...common, stdLibURL, _loadSnapshot: snapshot });
      restored = true;
      onSnapshot({ used: true, detail: "" });
    } catch (snapshotError) {
      // A changed snapshot is refused like any other changed file; a missing one (or one this
      // runtime cannot restore) costs time, not the checker: Python starts the long way.
      const refused = await refusal(snapshot);
      if (refused) throw new BootError("packages", describe(refused));
      onSnapshot({ used: false, detail: describe(snapshotError) });
      loaderMessages.length = 0;
      if (!skipSnapshot) needed = [needed[0], ...(await keep([copyOf(STDLIB)]))];
      try {
        pyodide = await loadPyodide({ ...common, packages: PACKAGES });
      } catch (error) {
        throw new BootError("runtime", describe(error));
      }
    }
  } finally {
    if (handedOver) handedOver.restore();
  }
  if (handedOver) {
    const unchecked = needed.filter((href) => !handedOver.served.has(href));
    if (unchecked.length > 0) {
      const names = unchecked.map(fileName).join(", ");
      throw new BootError("packages", `not loaded from the checked copy: ${names}`);
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

// The snapshot's own failure, if it was refused by the manifest check (and not merely missing).
async function refusal(snapshot) {
  if (!snapshot) return null;
  try {
    await snapshot;
    return null;
  } catch (error) {
    return error instanceof IntegrityError ? error : null;
  }
}
