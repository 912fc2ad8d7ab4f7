"""The built site: a strict build, the checker runtime under /pyodide/, the lock file, the CSP,
both languages and a search index that knows both."""

from __future__ import annotations

import _imp
import ast
import base64
import gzip
import hashlib
import json
import re
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.site.conftest import REPO, SitePage

pytestmark = pytest.mark.site

PYODIDE_CORE = {"pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"}
CHECKER_PAGES = {"/checker/", "/en/checker/"}
LOCKED_WHEELS = {"autossl-check", "dnspython", "idna"}
SNAPSHOT_BLOCK = 65536  # snapshot_pack.mjs
GUIDE_SLUGS = (
    "",
    "symptoms/",
    "cause/",
    "names/",
    "fix/",
    "findings/",
    "checker/",
    "support/",
    "cli/",
    "performance/",
    "security/",
    "decisions/",
)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pinned_hashes(name: str) -> tuple[str, set[str]]:
    """The version and the allowed sha256 of a package in requirements/dev.txt."""
    text = (REPO / "requirements" / "dev.txt").read_text().replace("\\\n", " ")
    match = re.search(
        rf"^{re.escape(name)}==(\S+)((?:\s+--hash=sha256:[0-9a-f]{{64}})+)", text, re.M
    )
    assert match, f"{name} is not pinned with hashes in requirements/dev.txt"
    return match.group(1), set(re.findall(r"[0-9a-f]{64}", match.group(2)))


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


# --- the build itself -------------------------------------------------------------------------


def test_strict_build_of_the_working_tree_succeeds(strict_build: Path) -> None:
    assert (strict_build / "index.html").is_file()
    assert (strict_build / "en" / "index.html").is_file()


def test_strict_build_fails_on_a_broken_anchor(tmp_path: Path, build_site) -> None:
    """validation sets links and anchors to "warn", so --strict refuses them."""
    repo = tmp_path / "repo"
    shutil.copytree(
        REPO,
        repo,
        ignore=shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "build", "tests"),
    )
    for shared in ("node_modules", "build"):  # the runtime cache is keyed by content: reuse it
        (REPO / shared).mkdir(exist_ok=True)
        (repo / shared).symlink_to(REPO / shared)
    with (repo / "docs" / "en" / "fix.md").open("a", encoding="utf-8") as page:
        page.write("\n\nSee [the missing section](findings.md#NO_SUCH_CODE).\n")
    done = build_site(tmp_path / "site", repo=repo)
    assert done.returncode != 0
    assert "NO_SUCH_CODE" in done.stdout + done.stderr


def test_both_languages_are_built_with_every_contract_page(
    built_site: Path, site_pages: dict[str, SitePage]
) -> None:
    for slug in GUIDE_SLUGS:
        assert site_pages[f"/{slug}"].lang == "ja", f"/{slug}"
        assert site_pages[f"/en/{slug}"].lang == "en", f"/en/{slug}"


def test_no_build_code_is_published(built_site: Path) -> None:
    """The theme folder is copied into the site: build scripts must live outside it (tools/)."""
    published = [p for p in built_site.rglob("*") if p.is_file()]
    scripts = [
        p.relative_to(built_site).as_posix()
        for p in published
        if p.suffix == ".py"
        or (
            p.suffix == ".mjs"
            and not (p.parent == built_site / "pyodide" and p.name in PYODIDE_CORE)
        )
    ]
    assert scripts == []
    tools = [p for p in (REPO / "tools").rglob("*") if p.is_file() and p.stat().st_size > 0]
    tool_digests = {sha256_file(p) for p in tools}
    copied = [
        p.relative_to(built_site).as_posix() for p in published if sha256_file(p) in tool_digests
    ]
    assert copied == []


# --- the checker runtime ----------------------------------------------------------------------


def test_pyodide_folder_holds_the_core_the_lock_the_snapshot_and_three_wheels_only(
    built_site: Path,
) -> None:
    folder = built_site / "pyodide"
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    wheels = {name for name in files if name.endswith(".whl")}
    # Beside the files that compress well, the build's gzip and brotli copies of them.
    precompressed = {
        f"{name}{suffix}"
        for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json")
        for suffix in (".gz", ".br")
    }
    loaded = PYODIDE_CORE | {"pyodide-lock.json", "checker.snapshot.gz", "snapshot_stdlib.zip"}
    assert files - wheels == loaded | precompressed
    assert len(wheels) == 3
    for name in PYODIDE_CORE - {"python_stdlib.zip"}:
        npm_copy = REPO / "node_modules" / "pyodide" / name
        assert sha256_file(folder / name) == sha256_file(npm_copy), name


def test_stdlib_zip_holds_pyodides_files_some_precompiled(built_site: Path) -> None:
    npm_entries = zip_entries(REPO / "node_modules" / "pyodide" / "python_stdlib.zip")
    site_entries = zip_entries(built_site / "pyodide" / "python_stdlib.zip")
    compiled = {name for name in site_entries if name.endswith(".pyc")}
    assert len(compiled) > 100, "the modules a check imports should be precompiled"
    assert {"asyncio/__init__.pyc", "json/decoder.pyc", "ipaddress.pyc"} <= compiled
    assert set(site_entries) - compiled <= set(npm_entries)
    assert {name[:-1] for name in compiled} <= set(npm_entries) - set(site_entries)
    for name in set(site_entries) - compiled:
        assert site_entries[name] == npm_entries[name], name
    for name in compiled:
        pyc = site_entries[name]
        # Unchecked hash-based .pyc (flags 0b01): loads whatever the zip's timestamps say. Its
        # header carries the keyed hash of the source it came from, which must be Pyodide's own.
        assert int.from_bytes(pyc[4:8], "little") == 0b01, name
        key = int.from_bytes(pyc[:4], "little")
        assert _imp.source_hash(key, npm_entries[name[:-1]]) == pyc[8:16], name


def zip_entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


# Enough for the closure below (2.7 MB with its .pyc in Pyodide 314); Pyodide's whole zip, as
# sources, is 2.5 MB, and 3.3 MB once the imported modules are precompiled.
STDLIB_ZIP_MAX_BYTES = 2_800_000
# An import statement, for the few sources this Python's ast cannot parse (newer syntax).
IMPORT_LINE = re.compile(
    r"^[ \t]*(?:from[ \t]+(?P<base>\.*[\w.]*)[ \t]+import[ \t]+(?P<names>\([^)]*\)|[^#\n]+)"
    r"|import[ \t]+(?P<modules>[^#\n]+))",
    re.M,
)


def module_sources(entries: dict[str, bytes], prefix: str = "") -> dict[str, tuple[bytes, bool]]:
    """{dotted name: (source, is a package)} for the .py files among zip entries."""
    found = {}
    for path, data in entries.items():
        if path.endswith(".py"):
            parts = (prefix + path).removesuffix(".py").split("/")
            package = parts[-1] == "__init__"
            found[".".join(parts[:-1] if package else parts)] = (data, package)
    return found


def imported_names(name: str, source: bytes, is_package: bool) -> set[str]:
    """Every absolute module name an import statement in the source names (with each name
    after `from X import` also tried as a submodule X.name); `if __name__ == "__main__":`
    blocks left out, as they never run on import."""
    here = name if is_package else name.rpartition(".")[0]

    def absolute(base: str, level: int) -> str:
        if not level:
            return base
        parent = here.split(".")[: len(here.split(".")) - level + 1]
        return ".".join([*parent, base] if base else parent)

    names = set()
    try:
        tree = ast.parse(source)
    except SyntaxError:
        for match in IMPORT_LINE.finditer(source.decode()):
            if match["modules"]:
                names |= {part.split()[0] for part in match["modules"].split(",") if part.strip()}
            else:
                base = absolute(
                    match["base"].lstrip("."), len(match["base"]) - len(match["base"].lstrip("."))
                )
                listed = match["names"].strip("()").replace("\n", " ").split(",")
                names |= {base} | {f"{base}.{part.split()[0]}" for part in listed if part.strip()}
        return names
    tree.body = [
        node
        for node in tree.body
        if not (
            isinstance(node, ast.If)
            and ast.unparse(node.test).replace("'", '"') == '__name__ == "__main__"'
        )
    ]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = absolute(node.module or "", node.level)
            names |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return names


def test_stdlib_zip_keeps_every_module_the_checker_and_pyodide_can_import(
    built_site: Path,
) -> None:
    npm_entries = zip_entries(REPO / "node_modules" / "pyodide" / "python_stdlib.zip")
    stdlib = module_sources(npm_entries)
    everything = dict(stdlib)
    for wheel in (built_site / "pyodide" / "wheels").glob("*/*.whl"):
        everything |= module_sources(zip_entries(wheel))
    roots = ["site"]  # what Python imports at start, besides Pyodide's packages
    roots += [
        name
        for name in everything
        if name.split(".")[0]
        in {"autossl_check", "dns", "idna", "pyodide", "_pyodide", "encodings"}
    ]
    needed: set[str] = set()
    while roots:
        name = roots.pop()
        parts = name.split(".")
        for depth in range(1, len(parts) + 1):
            prefix = ".".join(parts[:depth])
            if prefix in everything and prefix not in needed:
                needed.add(prefix)
                roots.extend(imported_names(prefix, *everything[prefix]))

    kept = {
        path.removesuffix("c")
        for path in zip_entries(built_site / "pyodide" / "python_stdlib.zip")
        if path.endswith((".py", ".pyc"))
    }
    kept_modules = set(module_sources(dict.fromkeys(kept, b"")))
    missing = sorted(name for name in needed & set(stdlib) if name not in kept_modules)
    assert not missing, f"imported somewhere, yet left out of python_stdlib.zip: {missing}"
    assert {"asyncio", "json", "ipaddress", "email.message", "traceback"} <= kept_modules
    # The closure is real, not everything: a sample of what nothing here can import.
    assert not {"unittest", "doctest", "pdb", "__phello__", "sqlite3"} & kept_modules
    assert {name for name in stdlib if name.split(".")[0] == "encodings"} <= kept_modules
    assert (built_site / "pyodide" / "python_stdlib.zip").stat().st_size < STDLIB_ZIP_MAX_BYTES


def _leb128(data: bytes, at: int, *, signed: bool = False) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            if signed and byte & 0x40:
                value -= 1 << shift
            return value, at


def wasm_data_image(wasm: bytes) -> bytes:
    """The memory the module's active data segments (i32.const addresses) set up."""
    at = 8
    while at < len(wasm):
        section = wasm[at]
        size, at = _leb128(wasm, at + 1)
        if section != 11:
            at += size
            continue
        image = bytearray()
        count, at = _leb128(wasm, at)
        for _ in range(count):
            kind, at = _leb128(wasm, at)
            assert kind == 0, "a passive data segment"
            assert wasm[at] == 0x41, "a data segment not at a constant address"
            address, at = _leb128(wasm, at + 1, signed=True)
            assert wasm[at] == 0x0B
            length, at = _leb128(wasm, at + 1)
            image.extend(bytes(max(0, address + length - len(image))))
            image[address : address + length] = wasm[at : at + length]
            at += length
        return bytes(image)
    raise AssertionError("no data section")


def unpack_snapshot(packed: bytes, wasm: bytes) -> tuple[bytes, bytes, list[tuple[int, int]]]:
    """A packed snapshot (tools/site_hooks/snapshot_pack.mjs): Python's memory as Pyodide saved
    it, the memory as stored (static data XORed with the wasm's), and the stored runs."""
    assert packed[:8] == b"ACSNAP2\0"
    length, run_count, data_offset, data_length = struct.unpack_from("<IIII", packed, 8)
    runs = [struct.unpack_from("<II", packed, 24 + 8 * i) for i in range(run_count)]
    stored = bytearray(length)
    at = 24 + 8 * run_count
    for first, count in runs:
        start = first * SNAPSHOT_BLOCK
        size = min(count * SNAPSHOT_BLOCK, length - start)
        stored[start : start + size] = packed[at : at + size]
        at += size
    assert at == len(packed)
    data = wasm_data_image(wasm)
    assert data_length == len(data)
    region = int.from_bytes(stored[data_offset : data_offset + data_length], "little")
    memory = bytearray(stored)
    memory[data_offset : data_offset + data_length] = (
        region ^ int.from_bytes(data, "little")
    ).to_bytes(data_length, "little")
    return bytes(memory), bytes(stored), runs


def test_snapshot_is_gzipped_wasm_memory_with_the_checker_imported(built_site: Path) -> None:
    # Restoring it and running checks is tests/node's job (BOOT=snapshot); this is its shape.
    runtime = built_site / "pyodide"
    packed = gzip.decompress((runtime / "checker.snapshot.gz").read_bytes())
    wasm = (runtime / "pyodide.asm.wasm").read_bytes()
    memory, stored, runs = unpack_snapshot(packed, wasm)
    assert memory[:4] == b"\x00snp"  # Pyodide's snapshot header (build id, then the memory)
    assert len(memory) >= 16 * 2**20
    # The static data lies where Pyodide's header says the wasm's memory starts, nearly unchanged.
    heap = struct.unpack_from("<I", memory, 4)[0]
    data = wasm_data_image(wasm)
    changed = sum(a != b for a, b in zip(memory[heap : heap + len(data)], data, strict=True))
    assert changed < len(data) // 10, changed
    # Only blocks of zeros were left out, and every one of them was.
    kept = {block for first, count in runs for block in range(first, first + count)}
    blocks = range(0, len(stored), SNAPSHOT_BLOCK)
    zero = {
        start // SNAPSHOT_BLOCK
        for start in blocks
        if not any(stored[start : start + SNAPSHOT_BLOCK])
    }
    assert kept.isdisjoint(zero)
    assert kept | zero == set(range(len(blocks)))
    assert len(zero) > len(blocks) // 4  # what packing is for
    assert b"/lib/python3" in memory
    for module_file in (b"autossl_check/browser.py", b"dns/message.py", b"idna/core.py"):
        assert module_file in memory, module_file


def test_the_snapshots_standard_library_is_part_of_the_whole_one(built_site: Path) -> None:
    # What it leaves out, and why each is never read, is tests/node/stdlib.test.mjs's job (it
    # needs the restored interpreter's sys.modules).
    runtime = built_site / "pyodide"
    with (
        zipfile.ZipFile(runtime / "python_stdlib.zip") as whole,
        zipfile.ZipFile(runtime / "snapshot_stdlib.zip") as own,
    ):
        kept = set(own.namelist())
        assert kept < set(whole.namelist())
        for name in kept:
            assert own.read(name) == whole.read(name), name
        assert len(set(whole.namelist()) - kept) > 100
        # Modules that cannot work in a browser's worker are left out altogether.
        assert not [name for name in kept if name.startswith(("multiprocessing/", "_pyrepl/"))]


def test_lock_file_lists_the_three_wheels_with_their_real_sha256(built_site: Path) -> None:
    folder = built_site / "pyodide"
    lock = json.loads((folder / "pyodide-lock.json").read_text())
    packages = lock["packages"]
    for name in LOCKED_WHEELS:
        entry = packages[name]
        wheel = folder / entry["file_name"]
        assert wheel.is_file(), entry["file_name"]
        assert entry["sha256"] == sha256_file(wheel), name
        # Content-addressed folder: the URL changes whenever the bytes do (immutable caching).
        assert wheel.parent.name == entry["sha256"][:16]
    assert set(packages["autossl-check"]["depends"]) == {"dnspython", "idna"}
    assert packages["autossl-check"]["imports"] == ["autossl_check"]
    for name in ("dnspython", "idna"):
        version, allowed = pinned_hashes(name)
        assert packages[name]["version"] == version
        assert packages[name]["sha256"] in allowed, f"{name} is not the wheel pinned on PyPI"


def test_lock_file_keeps_pyodides_own_packages(built_site: Path) -> None:
    upstream = json.loads((REPO / "node_modules" / "pyodide" / "pyodide-lock.json").read_text())
    ours = json.loads((built_site / "pyodide" / "pyodide-lock.json").read_text())
    assert ours["info"] == upstream["info"]
    assert set(upstream["packages"]) - {"dnspython", "idna"} <= set(ours["packages"])


def test_pages_other_than_the_checker_reference_no_pyodide_bytes(
    site_pages: dict[str, SitePage],
) -> None:
    for url_path, page in site_pages.items():
        if url_path in CHECKER_PAGES:
            continue
        for reference in page.references:
            value = reference.value.lower()
            assert "pyodide/" not in value, (url_path, reference)
            assert not value.endswith(".whl"), (url_path, reference)
            if reference.tag == "script":
                assert "assets/checker/" not in value, (url_path, reference)


def test_every_page_asks_for_no_referrer(site_pages: dict[str, SitePage]) -> None:
    """For hosts that cannot send a Referrer-Policy header (GitHub Pages)."""
    for url_path, page in site_pages.items():
        assert page.referrer_metas == ["no-referrer"], url_path


# --- Content-Security-Policy ------------------------------------------------------------------


def script_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_every_page_has_one_csp_meta_before_any_script(site_pages: dict[str, SitePage]) -> None:
    for url_path, page in site_pages.items():
        assert len(page.csp_metas) == 1, url_path
        assert page.csp_metas[0][1] == 0, f"{url_path}: a <script> comes before the CSP <meta>"


def test_csp_allows_exactly_the_inline_scripts_present(site_pages: dict[str, SitePage]) -> None:
    all_hashes = set()
    policies = set()
    for url_path, page in site_pages.items():
        policy = directives(page.csp_metas[0][0])
        policies.add(page.csp_metas[0][0])
        script_src = policy["script-src"]
        assert "'unsafe-inline'" not in script_src
        assert "'unsafe-eval'" not in script_src
        assert script_src[:2] == ["'self'", "'wasm-unsafe-eval'"]
        runnable = [s for s in page.inline_scripts if s.type in ("", "text/javascript", "module")]
        page_hashes = {script_hash(script.text) for script in runnable}
        assert page_hashes <= set(script_src), f"{url_path}: an inline script is not allowed"
        all_hashes |= page_hashes
    # One policy for the whole site (instant navigation adds the next page's <meta> to the
    # current document), allowing nothing beyond the inline scripts that exist.
    assert len(policies) == 1
    assert set(directives(policies.pop())["script-src"][2:]) == all_hashes


def test_csp_directives(site_pages: dict[str, SitePage]) -> None:
    policy = directives(site_pages["/"].csp_metas[0][0])
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["font-src"] == ["'self'"]
    assert policy["worker-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["connect-src"][:3] == [
        "'self'",
        "https://cloudflare-dns.com",
        "https://dns.google",
    ]
    assert set(policy["connect-src"][3:]) <= {"http://127.0.0.1:*", "https://127.0.0.1:*"}
    assert "frame-ancestors" not in policy  # ignored in a <meta>: it lives in _headers


def test_headers_file_carries_the_same_policy_with_frame_ancestors(
    built_site: Path, site_pages: dict[str, SitePage]
) -> None:
    text = (built_site / "_headers").read_text()
    header = re.search(r"^/\*\n  Content-Security-Policy: (.*)$", text, re.M)
    assert header, text
    meta = site_pages["/"].csp_metas[0][0]
    assert header.group(1) == meta + "; frame-ancestors 'none'"
    assert "/pyodide/wheels/*\n  Cache-Control: public, max-age=31536000, immutable" in text
    assert "pyodide-lock.json" not in text  # the lock changes under the same URL: no-cache


# --- search -----------------------------------------------------------------------------------


def test_search_index_covers_both_languages(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    assert index["config"]["lang"] == ["ja", "en"]
    assert index["config"]["pipeline"] == ["stopWordFilter"]
    docs = index["docs"]
    english = [d for d in docs if d["location"].startswith("en/")]
    japanese = [d for d in docs if not d["location"].startswith("en/")]
    assert english
    assert japanese
    ja_text = " ".join(d["title"] + " " + d["text"] for d in japanese)
    en_text = " ".join(d["title"] + " " + d["text"] for d in english)
    for word in ("証明書", "チェッカー", "AutoSSL", "CAA"):
        assert word in ja_text, word
    for word in ("certificate", "checker", "AutoSSL", "CAA"):
        assert word in en_text, word
    for code in ("NXDOMAIN", "CAA_FORBIDS"):
        assert any(d["location"] == f"findings/#{code}" for d in japanese), code
        assert any(d["location"] == f"en/findings/#{code}" for d in english), code


# Queries a reader types, and a page each must find (Japanese pages at the root, English under en/).
SEARCHES = {
    "証明書": "",
    "ドメイン認証": "",
    "除外": "fix/",
    "CAA": "findings/",
    "NXDOMAIN": "findings/",
    "certificate": "en/",
    "exclude": "en/fix/",
    "resolver": "en/",
}


def test_material_search_finds_japanese_and_english_words(built_site: Path) -> None:
    """Material's own search worker (run under Node on the built index) answers real queries."""
    node = shutil.which("node")
    assert node, "node is not on PATH"
    done = subprocess.run(
        [node, str(Path(__file__).with_name("search_worker.mjs")), str(built_site), *SEARCHES],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    for query, prefix in SEARCHES.items():
        pages = {location.split("#")[0] for location in found[query]}
        assert any(page.startswith(prefix) for page in pages), (query, sorted(pages)[:10])
        if prefix.startswith("en/"):
            assert any(page.startswith("en/") for page in pages), query
    english_only = {loc.split("#")[0] for loc in found["exclude"]}
    japanese_only = {loc.split("#")[0] for loc in found["ドメイン認証"]}
    assert any(page.startswith("en/") for page in english_only)
    assert any(not page.startswith("en/") for page in japanese_only)
