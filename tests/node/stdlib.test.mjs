// The site's python_stdlib.zip holds only what the checker can import (the build leaves the rest
// out: tools/site_hooks/trim_stdlib.py). This starts Python from the built site/pyodide/ the long
// way, as the worker does without a usable snapshot (boot.js startPython with skipSnapshot:
// loadPyodide and the three wheels from the site's lock), so no module is in memory beforehand,
// then imports every module of autossl_check, dns, idna, pyodide and _pyodide, and does what
// makes the interpreter import a module by name (time.strptime, say). A standard-library module
// the build dropped but one of them imports fails the test.
// Left out, because a package they need is not installed in the page (nor anywhere in Pyodide's
// standard library), so they fail to import whatever the zip holds: see THIRD_PARTY. Also left
// out: `__main__` modules, which run a program when imported.
//
//   node --test tests/node/            (after `make site`; SITE_DIR: the built site)

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

import { startPython } from "../../docs/assets/checker/boot.js";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SITE = path.resolve(process.env.SITE_DIR ?? path.join(REPO, "site"));
const SITE_RUNTIME = path.join(SITE, "pyodide");
// The missing package -> why the checker never needs what imports it.
const THIRD_PARTY = {
  httpx: "autossl_check's native transport and HTTP probe: the command line only",
  trio: "dnspython's trio backend: the checker runs on asyncio",
  aioquic: "dnspython's DNS over QUIC: the page asks over HTTPS",
  cryptography: "dnspython's DNSSEC algorithms: the checker validates no signatures",
};

const IMPORT_EVERYTHING = `
import importlib, json, pkgutil, sys

names = []
for package in ("autossl_check", "dns", "idna", "pyodide", "_pyodide"):
    module = importlib.import_module(package)
    names.append(package)
    found = pkgutil.walk_packages(module.__path__, package + ".", onerror=lambda name: None)
    names += [info.name for info in found if not info.name.endswith(".__main__")]
failed = {}
for name in names:
    try:
        importlib.import_module(name)
    except ImportError as error:
        failed[name] = [type(error).__name__, error.name, str(error)]
# What makes the interpreter import a module by a name no import statement shows.
by_name = {
    "time.strptime (_strptime)": "import time; time.strptime('2026-12-03', '%Y-%m-%d')",
    "sysconfig (_sysconfigdata_*)": "import sysconfig; sysconfig.get_config_vars()",
    "pickle (copyreg, _compat_pickle)": "import pickle; pickle.loads(pickle.dumps(range(3), 2))",
    "codecs (encodings.idna)": "'bücher.example'.encode('idna')",
}
for what, code in by_name.items():
    try:
        exec(code, {})
    except ImportError as error:
        failed[what] = [type(error).__name__, error.name, str(error)]
stdlib = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip/"
from_zip = [name for name, module in list(sys.modules.items())
            if (getattr(module, "__file__", None) or "").startswith(stdlib)]
json.dumps({"names": names, "failed": failed, "from_zip": from_zip})
`;

function manifestFromPage() {
  const page = readFileSync(path.join(SITE, "en", "checker", "index.html"), "utf8");
  const found = page.match(/ data-runtime-manifest='([^']*)'/);
  assert.ok(found, "the checker page carries no runtime manifest");
  return JSON.parse(found[1]);
}

async function started(skipSnapshot) {
  return startPython({
    indexURL: pathToFileURL(SITE_RUNTIME + path.sep).href,
    loaderIndex: SITE_RUNTIME + path.sep,
    manifest: manifestFromPage(),
    fetchBytes: async (url) => new Uint8Array(await readFile(fileURLToPath(url))),
    handOver: false,
    skipSnapshot,
    options: { stdout: () => {}, stderr: () => {} },
  });
}

// Every import that failed is a package missing from the page, and each of those still is.
function assertOnlyThirdPartyMissing(failed) {
  const unexplained = Object.entries(failed).filter(
    ([, [kind, missing]]) =>
      kind !== "ModuleNotFoundError" || !Object.hasOwn(THIRD_PARTY, missing),
  );
  assert.deepEqual(Object.fromEntries(unexplained), {});
  // Each of them is still missing: one that imports now leaves THIRD_PARTY.
  const missingPackages = new Set(Object.values(failed).map(([, missing]) => missing));
  assert.deepEqual([...missingPackages].sort(), Object.keys(THIRD_PARTY).sort());
}

test("every module of the checker, its packages and Pyodide's imports from the zip", async () => {
  const pyodide = await started("the long way: every module imported from python_stdlib.zip");
  const { names, failed, from_zip: fromZip } = JSON.parse(pyodide.runPython(IMPORT_EVERYTHING));
  assert.ok(names.length > 200, `only ${names.length} modules found to import`);
  assert.ok(fromZip.length > 150, `only ${fromZip.length} modules came from python_stdlib.zip`);
  for (const name of ["asyncio", "json.decoder", "encodings.idna", "email.message"]) {
    assert.ok(fromZip.includes(name), `${name} was not imported from python_stdlib.zip`);
  }
  assertOnlyThirdPartyMissing(failed);
});

// Restored from the snapshot, Python reads snapshot_stdlib.zip: python_stdlib.zip less what the
// snapshot holds already and what cannot work in a browser's worker (make_snapshot.mjs).
const NEVER_IN_A_WORKER = ["multiprocessing", "_pyrepl", "pydoc"];

test("restored from the snapshot, every module still imports from the snapshot's own zip", async () => {
  const pyodide = await started("");
  for (const name of ["python_stdlib.zip", "snapshot_stdlib.zip"]) {
    pyodide.FS.writeFile(`/tmp/${name}`, readFileSync(path.join(SITE_RUNTIME, name)));
  }
  const leftOut = JSON.parse(
    pyodide.runPython(`
import json, zipfile
whole = zipfile.ZipFile("/tmp/python_stdlib.zip").namelist()
own = set(zipfile.ZipFile("/tmp/snapshot_stdlib.zip").namelist())
json.dumps([name for name in whole if name not in own])
`),
  );
  const inMemory = new Set(JSON.parse(pyodide.runPython("import json, sys\njson.dumps(list(sys.modules))")));
  const moduleOf = (file) =>
    file.replace(/\.pyc?$/, "").replaceAll("/", ".").replace(/\.__init__$/, "");
  for (const file of leftOut) {
    const name = moduleOf(file);
    const never = NEVER_IN_A_WORKER.includes(name.split(".")[0]);
    assert.ok(inMemory.has(name) || never, `${file} left out, yet not in memory`);
  }
  const { names, failed } = JSON.parse(pyodide.runPython(IMPORT_EVERYTHING));
  assert.ok(names.length > 200, `only ${names.length} modules found to import`);
  assertOnlyThirdPartyMissing(failed);
});
