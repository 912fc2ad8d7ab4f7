"""Patched copies of the built site: what a change already made buys (taken out of a copy).

Each variant copies site/ into a temporary directory and edits the copy only (site/ and the
sources stay untouched). A patch whose anchor text is missing (the front end moved on) makes the
variant "not applicable" rather than measuring something else.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from harness import COMPILED_STDLIB, BenchError

CHECKER_PAGE = Path("checker") / "index.html"
EARLY_START = re.compile(r'\s*<script type="module" async src="[^"]*start-early\.js"></script>')
PRELOAD_HINTS = (
    '<link rel="preload" href="../pyodide/pyodide.asm.wasm" as="fetch" crossorigin="anonymous">'
    '<link rel="preload" href="../pyodide/python_stdlib.zip" as="fetch" crossorigin="anonymous">'
    '<link rel="preload" href="../pyodide/checker.snapshot.gz" as="fetch" crossorigin="anonymous">'
)


def _remove(path: Path, pattern: re.Pattern[str]) -> None:
    text = path.read_text(encoding="utf-8")
    changed, count = pattern.subn("", text)
    if count == 0:
        raise BenchError(f"not applicable: {pattern.pattern!r} is no longer in {path.name}")
    path.write_text(changed, encoding="utf-8")


def started_by_the_page(root: Path, compiled_stdlib: Path | None) -> None:
    """The worker starts once the page's own modules have loaded, not from the <head>."""
    _remove(root / CHECKER_PAGE, EARLY_START)


def with_preload_hints(root: Path, compiled_stdlib: Path | None) -> None:
    """The <head> also preloads the three largest runtime files, as the site did before."""
    page = root / CHECKER_PAGE
    text = page.read_text(encoding="utf-8")
    if "</head>" not in text:
        raise BenchError(f"not applicable: no </head> in {page.name}")
    page.write_text(text.replace("</head>", PRELOAD_HINTS + "</head>", 1), encoding="utf-8")


Patch = Callable[[Path, Path | None], None]
VARIANTS: dict[str, tuple[Patch, ...]] = {
    "as built": (),
    "worker started by the page": (started_by_the_page,),
    "with preload hints": (with_preload_hints,),
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
