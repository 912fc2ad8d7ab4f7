"""Precompressed copies of the checker runtime's large files, beside them in site/pyodide/.

X.gz (gzip, level 9) and X.br (brotli, quality 11, made by Node's own zlib: the build needs Node
anyway, so no new package) for the files that compress well: the wasm and Pyodide's JavaScript
and lock file. The standard library zip, the snapshot (already gzip) and the wheels (zips) gain
under 2 % and get none. tools/serve.py sends a sibling with Content-Encoding when the browser
accepts it; a static host that applies its own compression (GitHub Pages: gzip) ignores them.
The runtime manifest never lists them: the browser hands the worker the decoded bytes, whose
sha256 is the original's.

Compressing the wasm at quality 11 takes a while, so each result is kept under
build/precompressed/, named by the sha256 of what it compresses.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import subprocess
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

log = get_plugin_logger("precompress")

REPO = Path(__file__).resolve().parents[2]
BROTLI = Path(__file__).with_name("brotli.mjs")
CACHE = REPO / "build" / "precompressed"
COMPRESSED = ("pyodide.asm.wasm", "pyodide.asm.mjs", "pyodide.mjs", "pyodide-lock.json")
RUNTIME_SUBDIR = "pyodide"


# After checker_assets (-110) has copied the runtime into site_dir. mkdocs-static-i18n's nested
# builds run this too, before that copy: the cache makes those passes cheap, and the last pass,
# the outermost build's, is the one that counts.
@event_priority(-115)
def on_post_build(config: MkDocsConfig) -> None:
    runtime = Path(config.site_dir) / RUNTIME_SUBDIR
    sources = [runtime / name for name in COMPRESSED if (runtime / name).is_file()]
    for source in sources:
        for suffix in (".gz", ".br"):
            shutil.copyfile(compressed(source, suffix), source.with_name(source.name + suffix))
    if sources:
        log.info(f"{len(sources)} runtime files precompressed (.gz, .br) in {runtime}")


def compressed(source: Path, suffix: str) -> Path:
    """The cached .gz or .br of `source`, made if missing."""
    body = source.read_bytes()
    done = CACHE / f"{hashlib.sha256(body).hexdigest()}{suffix}"
    if done.is_file():
        return done
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = done.with_name(done.name + ".partial")
    if suffix == ".gz":
        partial.write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
    else:
        node = shutil.which("node")
        if not node:
            raise PluginError("Node.js (`node`) is missing; the build compresses with it.")
        # A fixed tool invocation on files this build wrote.
        made = subprocess.run(  # noqa: S603
            [node, str(BROTLI), str(source), str(partial)], capture_output=True, text=True
        )
        if made.returncode != 0:
            raise PluginError(f"brotli.mjs failed on {source.name}: {made.stderr.strip()[-500:]}")
    partial.rename(done)
    return done
