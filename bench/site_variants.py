"""Patched copies of the built site, to measure a proposed change before anyone makes it.

Each variant copies site/ into a temporary directory and edits the copy only (site/ and the
sources stay untouched). A patch whose anchor text is missing (the front end moved on) makes the
variant "not applicable" rather than measuring something else.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from harness import COMPILED_STDLIB, BenchError

CHECKER_PAGE = Path("checker") / "index.html"
WORKER = Path("assets") / "checker" / "worker.js"
CHECKER_SCRIPT = '<script type="module" src="../assets/checker/checker.js">'
FACADE_IMPORT = 'pyodide.pyimport("autossl_check.browser")'
PRELOADS = (
    '<link rel="preload" href="/pyodide/pyodide.asm.wasm" as="fetch" crossorigin="anonymous">'
    '<link rel="preload" href="/pyodide/python_stdlib.zip" as="fetch" crossorigin="anonymous">'
    '<link rel="preload" href="/pyodide/pyodide-lock.json" as="fetch" crossorigin="anonymous">'
)


def _replace(path: Path, anchor: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    if anchor not in text:
        raise BenchError(f"not applicable: {anchor!r} is no longer in {path.name}")
    path.write_text(text.replace(anchor, replacement, 1), encoding="utf-8")


def preload_hints(root: Path, compiled_stdlib: Path | None) -> None:
    """Start the big downloads while the page parses, before checker.js → worker → loader."""
    _replace(root / CHECKER_PAGE, "</head>", PRELOADS + "</head>")


def async_module(root: Path, compiled_stdlib: Path | None) -> None:
    """Run checker.js, which starts the worker, on arrival rather than after Material's bundle."""
    _replace(root / CHECKER_PAGE, CHECKER_SCRIPT, CHECKER_SCRIPT[:-1] + " async>")


def eager_imports(root: Path, compiled_stdlib: Path | None) -> None:
    """Import what the first check needs while the reader is still typing, not after the click."""
    if "prepare()" in (root / WORKER).read_text(encoding="utf-8"):
        raise BenchError("not applicable: worker.js already calls prepare() at start-up")
    modules = '["autossl_check.engine", "autossl_check.report", "autossl_check.pyodide_transport"]'
    _replace(
        root / WORKER,
        FACADE_IMPORT,
        f"((facade) => {{ for (const name of {modules}) pyodide.pyimport(name); return facade; }})"
        f"({FACADE_IMPORT})",
    )


def compiled_standard_library(root: Path, compiled_stdlib: Path | None) -> None:
    """Serve the standard library with the modules a check imports compiled to .pyc (by Pyodide
    itself, so the bytecode matches) under the same URL; the rest stays source."""
    if compiled_stdlib is None or not compiled_stdlib.is_file():
        raise BenchError("not applicable: the precompiled standard library was not built")
    shutil.copyfile(compiled_stdlib, root / "pyodide" / "python_stdlib.zip")


Patch = Callable[[Path, Path | None], None]
VARIANTS: dict[str, tuple[Patch, ...]] = {
    "as built": (),
    "preload hints": (preload_hints,),
    "async checker.js": (async_module,),
    "eager imports": (eager_imports,),
    "compiled stdlib": (compiled_standard_library,),
    # Every patch above that still applies, together.
    "all applicable": (preload_hints, async_module, eager_imports, compiled_standard_library),
}
COMBINED = "all applicable"


@contextlib.contextmanager
def patched_site(site: Path, name: str, compiled_stdlib: Path | None) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="autossl-bench-site-") as scratch:
        root = Path(scratch) / "site"
        shutil.copytree(site, root)
        applied = 0
        for patch in VARIANTS[name]:
            try:
                patch(root, compiled_stdlib)
            except BenchError:
                if name != COMBINED:
                    raise
                continue
            applied += 1
        if name == COMBINED and applied < 2:
            raise BenchError("not applicable: fewer than two of the patches still apply")
        yield root


def compiled_stdlib_path(floor_root: Path | None) -> Path | None:
    return floor_root / "pyodide" / COMPILED_STDLIB if floor_root else None
