"""The runtime manifest the build writes into the checker page (tools/site_hooks/checker_assets.py)
names every file under site/pyodide/ with its real sha256, in both languages' checker pages."""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
from pathlib import Path

import pytest

MANIFEST = re.compile(r" data-runtime-manifest='([^']*)'")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("page", ["checker/index.html", "en/checker/index.html"])
def test_the_checker_page_carries_the_digest_of_every_runtime_file(
    built_site: Path, page: str
) -> None:
    found = MANIFEST.findall((built_site / page).read_text(encoding="utf-8"))
    assert len(found) == 1, f"{page}: {len(found)} manifests"
    manifest = json.loads(html.unescape(found[0]))
    runtime = built_site / "pyodide"
    # The build's precompressed copies (X.gz, X.br beside X) are how a file travels, not files
    # the worker loads: the browser hands over the decoded bytes.
    files = [
        path
        for path in runtime.rglob("*")
        if path.is_file() and not (path.suffix in (".gz", ".br") and path.with_suffix("").is_file())
    ]
    on_disk = {path.relative_to(runtime).as_posix(): sha256(path.read_bytes()) for path in files}
    assert manifest["files"] == on_disk
    # The sizes the page's progress bar counts against.
    assert manifest["sizes"] == {
        path.relative_to(runtime).as_posix(): path.stat().st_size for path in files
    }
    assert (runtime / "pyodide.asm.wasm.br").is_file()
    assert "pyodide.asm.wasm.br" not in manifest["files"]
    snapshot = gzip.decompress((runtime / "checker.snapshot.gz").read_bytes())
    assert manifest["inflated"] == {"checker.snapshot.gz": sha256(snapshot)}


def test_no_other_page_carries_a_manifest(built_site: Path) -> None:
    carriers = [
        path.relative_to(built_site).as_posix()
        for path in built_site.rglob("*.html")
        if "data-runtime-manifest=" in path.read_text(encoding="utf-8")
    ]
    assert sorted(carriers) == ["checker/index.html", "en/checker/index.html"]
