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
PRELOAD_LINK = re.compile(r'\s*<link rel="preload" [^>]*as="fetch"[^>]*>')
SNAPSHOT_HINT = re.compile(r'\s*data-snapshot="[^"]*"')


def _remove(path: Path, pattern: re.Pattern[str]) -> None:
    text = path.read_text(encoding="utf-8")
    changed, count = pattern.subn("", text)
    if count == 0:
        raise BenchError(f"not applicable: {pattern.pattern!r} is no longer in {path.name}")
    path.write_text(changed, encoding="utf-8")


def without_preloads(root: Path, compiled_stdlib: Path | None) -> None:
    """The runtime's downloads start when the worker asks, not with the page's <head>."""
    _remove(root / CHECKER_PAGE, PRELOAD_LINK)
    _remove(root / CHECKER_PAGE, SNAPSHOT_HINT)


Patch = Callable[[Path, Path | None], None]
VARIANTS: dict[str, tuple[Patch, ...]] = {
    "as built": (),
    "no preload hints": (without_preloads,),
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
