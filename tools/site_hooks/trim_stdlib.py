"""Rewrites Pyodide's python_stdlib.zip for the site: only what can be imported, precompiled.

Runs inside Pyodide's own Python under Node (compile_stdlib.mjs reads this file and runs it,
then calls `rewrite_stdlib`), so the sources are parsed and compiled by the very Python that
will import them in the browser. Nothing here runs on the build machine's Python.

Kept in the zip (each module with the `__init__` of every package on its path, and every other
file inside a kept package's own folder, which the package may read as data):
- the import closure of these roots, followed through every `import` and `from ... import` in
  a module's source, wherever it stands (function bodies, `try`/`except ImportError`,
  `if TYPE_CHECKING:` too), relative ones resolved, and `__import__("x")` or
  `importlib.import_module("x")` with a literal name; `from package import *` keeps all of the
  package. Not followed: a module-level `if __name__ == "__main__":` block, which runs only when
  the module is run as a script, never on import (heapq's alone would keep doctest, unittest and
  pdb). The roots:
  - every module of the checker (autossl_check), dnspython (dns), idna, and Pyodide's own
    `pyodide` and `_pyodide` packages: everything the worker may import, whichever way it starts
    (a snapshot restored, or the long way, where Python imports them all from scratch),
  - the modules in sys.modules after Python's bare start (`started`), and those a check had
    imported by the time the build ran prepare() (`imported`),
  - the whole `encodings` package: codecs are looked up by name at run time,
  - ALWAYS_KEPT: modules the interpreter's C code imports by name, which no import statement
    may show (time.strptime and datetime.strptime import `_strptime`; an uncaught exception is
    printed by `traceback`, with source lines from `linecache`; warnings are issued through
    `warnings`; objects are pickled through `copyreg` and `_compat_pickle`), and modules whose
    name is built at run time (sysconfig's `_sysconfigdata_*`).
Dropped: every other module (unittest, doctest, pdb, sqlite3, tomllib, zoneinfo, wsgiref, ...;
the build log says how many) and every other file (`site-packages/README.txt`, say).

The modules already imported are replaced by their .pyc (sourceless, unchecked-hash: valid
whatever the zip's timestamps), as before; the other kept modules stay sources.
"""

from __future__ import annotations

import ast
import importlib.util
import io
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT_PACKAGES = ("autossl_check", "dns", "idna", "pyodide", "_pyodide")
WHOLE_PACKAGES = ("encodings",)
ALWAYS_KEPT = ("_strptime", "traceback", "linecache", "warnings", "copyreg", "_compat_pickle")
ALWAYS_KEPT_PREFIXES = ("_sysconfigdata_",)


def module_name(path: str) -> tuple[str, bool] | None:
    """("a.b", is_package) for a source path "a/b.py" or "a/b/__init__.py", else None."""
    if not path.endswith(".py"):
        return None
    parts = path[: -len(".py")].split("/")
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    # Not isidentifier(): `_sysconfigdata__emscripten_wasm32-emscripten` is imported by name.
    if not parts or not all(parts):
        return None
    return ".".join(parts), is_package


class Sources:
    """Every module that could be imported: name -> source, and which names are packages."""

    def __init__(self) -> None:
        self.text: dict[str, bytes] = {}
        self.packages: set[str] = set()

    def add(self, path: str, read: bytes) -> None:
        found = module_name(path)
        if found:
            self.text[found[0]] = read
            if found[1]:
                self.packages.add(found[0])

    def add_installed(self, package: str) -> None:
        """A package installed on the file system (a wheel Pyodide unpacked), for its imports."""
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError(f"{package} is not installed as a package")
        folder = Path(next(iter(spec.submodule_search_locations)))
        for file in sorted(folder.rglob("*.py")):
            self.add(f"{package}/{file.relative_to(folder).as_posix()}", file.read_bytes())

    def within(self, package: str) -> list[str]:
        return [name for name in self.text if name == package or name.startswith(package + ".")]


def imports_of(name: str, source: bytes, sources: Sources) -> Iterator[str]:
    """Every module name the source may import, absolute, including ones not in `sources`."""
    package = name if name in sources.packages else name.rpartition(".")[0]
    tree = ast.parse(source, filename=name)
    tree.body = [node for node in tree.body if not _runs_as_script_only(node)]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(filter(None, [*parent, node.module or ""]))
            yield base
            for alias in node.names:
                if alias.name == "*":
                    yield from sources.within(base)
                else:
                    yield f"{base}.{alias.name}"
        elif isinstance(node, ast.Call) and _names_import_function(node.func):
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield first.value


def _runs_as_script_only(node: ast.stmt) -> bool:
    """`if __name__ == "__main__":` at module level: never runs when the module is imported."""
    if not isinstance(node, ast.If) or node.orelse:
        return False
    test = node.test
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Eq)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


def _module_of(path: str) -> str:
    found = module_name(path)
    return found[0] if found else ""


def _names_import_function(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id in {"__import__", "import_module"}
    return isinstance(func, ast.Attribute) and func.attr == "import_module"


def closure(roots: Iterable[str], sources: Sources) -> set[str]:
    """The roots in `sources`, everything they import in turn, and each one's parent packages."""
    kept: set[str] = set()
    waiting = list(roots)
    while waiting:
        name = waiting.pop()
        parts = name.split(".")
        for depth in range(1, len(parts) + 1):
            candidate = ".".join(parts[:depth])
            if candidate in sources.text and candidate not in kept:
                kept.add(candidate)
                waiting.extend(imports_of(candidate, sources.text[candidate], sources))
    return kept


def rewrite_stdlib(started: list[str], installed: list[str]) -> tuple[bytes, str]:
    """The new zip's bytes, and a line for the build log."""
    stdlib = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip"
    imported = {
        module.__file__.removeprefix(stdlib + "/")
        for module in list(sys.modules.values())
        if (getattr(module, "__file__", None) or "").startswith(stdlib + "/")
    }
    sources = Sources()
    with zipfile.ZipFile(stdlib) as source:
        infos = source.infolist()
        for info in infos:
            sources.add(info.filename, source.read(info))
        for package in installed:
            sources.add_installed(package)
        roots = [*started, *(name for path in imported if (name := _module_of(path)))]
        for package in (*ROOT_PACKAGES, *WHOLE_PACKAGES):
            roots += sources.within(package)
        roots += ALWAYS_KEPT
        roots += [name for name in sources.text if name.startswith(ALWAYS_KEPT_PREFIXES)]
        kept = closure(roots, sources)
        kept_folders = {name.replace(".", "/") + "/" for name in kept & sources.packages}
        out = io.BytesIO()
        compiled = written = 0
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
            for info in infos:
                found = module_name(info.filename)
                folder = info.filename.rpartition("/")[0] + "/"
                if (found[0] not in kept) if found else (folder not in kept_folders):
                    continue
                data = source.read(info)
                written += bool(found)
                if info.filename not in imported:
                    target.writestr(info, data)
                    continue
                code = compile(data, info.filename, "exec", dont_inherit=True)
                pyc = importlib._bootstrap_external._code_to_hash_pyc(  # type: ignore[attr-defined]
                    code, importlib.util.source_hash(data), False
                )
                # The source's timestamp, not the build's: the same input gives the same zip.
                pyc_info = zipfile.ZipInfo(info.filename + "c", info.date_time)
                target.writestr(pyc_info, bytes(pyc), zipfile.ZIP_DEFLATED, 9)
                compiled += 1
    stdlib_modules = sum(1 for info in infos if module_name(info.filename))
    if compiled < 50:  # the facade alone pulls in well over a hundred; far fewer means a wrong path
        raise RuntimeError(f"only {compiled} standard-library modules found imported")
    size_before = Path(stdlib).stat().st_size
    summary = (
        f"{written} of {stdlib_modules} modules kept ({stdlib_modules - written} dropped, "
        f"{compiled} precompiled), {size_before} -> {len(out.getvalue())} bytes"
    )
    return out.getvalue(), summary
