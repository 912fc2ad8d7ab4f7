"""The package's import graph: layered, and without a cycle even through lazy imports.

Every `import` counts: at module level, inside functions, and under `if TYPE_CHECKING:`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import autossl_check

PACKAGE = Path(autossl_check.__file__).resolve().parent

# Lower layers first; a module may import only from its own layer's lower neighbours and below.
LAYERS: list[set[str]] = [
    {"model", "defaults", "transport", "_dnspython", "__init__", "_jsonstream"},
    {
        "inputs",
        "names",
        "caa",
        "caa_grammar",
        "wire",
        "native_transport",
        "pyodide_transport",
        "known_proxies",
    },
    {
        "findings",
        "http_probe",
        "zone_records",
        "watch",
        "autossl_log",
        "domain_info",
        "page_policy",
    },
    {"engine", "check"},
    {"texts", "report", "http_probe_report", "watch_report", "zone_records_report"},
    {"cli", "browser", "__main__", "batch", "log_view"},
]
LAYER_OF = {name: index for index, layer in enumerate(LAYERS) for name in layer}


MODULES = {path.stem for path in PACKAGE.glob("*.py")}
# Same-layer imports that keep the order within a layer (checked for cycles all the same).
SIDEWAYS = {
    ("names", "inputs"),
    ("caa", "caa_grammar"),
    ("native_transport", "inputs"),
    ("report", "texts"),
    ("http_probe_report", "texts"),
    ("http_probe_report", "report"),  # report.md_code: data in code spans, one way
    ("zone_records_report", "texts"),
    ("zone_records_report", "report"),
    ("watch_report", "texts"),
    ("check", "engine"),
    ("__main__", "cli"),
    ("cli", "batch"),
    ("browser", "log_view"),
    ("browser", "batch"),  # cPanel's view of a pasted log's names, as --from-log words it
}


def imports_of(module: str) -> set[str]:
    return imported_modules((PACKAGE / f"{module}.py").read_text(encoding="utf-8")) - {module}


def imported_modules(source: str) -> set[str]:
    """The package modules a source imports anywhere: top level, functions, TYPE_CHECKING."""
    tree = ast.parse(source)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("autossl_check"):
            parts = (node.module or "").split(".")
            found.update([parts[1]] if len(parts) > 1 else [a.name for a in node.names])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "autossl_check" and len(parts) > 1:
                    found.add(parts[1])
    return found & (MODULES - {"__init__"})


def graph() -> dict[str, set[str]]:
    return {module: imports_of(module) for module in MODULES}


def test_every_module_has_a_layer() -> None:
    assert set(graph()) == set(LAYER_OF), "add the new module to LAYERS"


def test_no_import_cycle() -> None:
    edges = graph()
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges.get(module, ())):
            if state.get(target) == "open":
                cycle = [*path[path.index(target) :], target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])


def test_imports_only_point_down() -> None:
    wrong = [
        f"{module} (layer {LAYER_OF[module]}) imports {target} (layer {LAYER_OF[target]})"
        for module, targets in graph().items()
        for target in targets
        if LAYER_OF[target] > LAYER_OF[module]
        or (LAYER_OF[target] == LAYER_OF[module] and (module, target) not in SIDEWAYS)
    ]
    assert wrong == []


def test_the_model_imports_nothing_from_the_package() -> None:
    assert imports_of("model") == set()
    assert imports_of("defaults") == set()


def test_lazy_and_type_checking_imports_are_seen() -> None:
    """Else the tests above would prove nothing about the imports that used to close cycles."""
    source = """
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from .findings import Finding
def later():
    from . import texts
    import autossl_check.report
    from autossl_check.wire import read_reply
"""
    assert imported_modules(source) == {"findings", "texts", "report", "wire"}


def test_the_command_line_and_the_page_build_the_same_request() -> None:
    from autossl_check import browser, cli

    args = cli.build_parser().parse_args(
        [
            "Example.com",
            "--server",
            "203.0.113.10",
            "--server",
            "2001:db8::10",
            "--provider",
            "sectigo",
            "--addon",
            "addon.example",
            "--subdomain",
            "shop",
            "--reseller",
            "--no-autodiscover",
            "--resolver",
            "google",
        ]
    )
    link = (
        "domain=Example.com&server=203.0.113.10&server=2001:db8::10&provider=sectigo"
        "&addon=addon.example&subdomain=shop&reseller=1&autodiscover=0&resolver=google"
    )
    assert cli.request_from(args) == browser.request_from(browser.parse_query(link))
    plain = cli.request_from(cli.build_parser().parse_args(["example.com"]))
    assert plain == browser.request_from(browser.parse_query("domain=example.com"))


def test_every_default_comes_from_defaults_py() -> None:
    from autossl_check import caa, defaults

    assert set(defaults.PROVIDERS) == set(caa.PROVIDERS)
    assert defaults.DEFAULT_PROVIDER in defaults.PROVIDERS
    assert set(defaults.DEFAULT_RESOLVERS) == set(defaults.KNOWN_RESOLVERS.values())
