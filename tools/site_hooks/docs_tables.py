"""MkDocs hook: the guide's tables that restate the checker are made from the checker.

A page holds a marker line such as `<!-- autossl-check: cli-options -->`; the hook replaces it
with the table, in the page's language:

- `cli-options`: the command's options, from its argument parser (names, values, defaults);
- `link-parameters`: the checker link's parameters, from browser.PARAMETERS;
- `finding-codes`: every finding code with its title, as the checker shows it.

The words of each row live in autossl_check/texts.py (DOCS and TITLES), in both languages; an
option or a parameter without words there fails the build. Prose around the tables stays
hand-written.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from autossl_check import browser, cli, defaults, texts
from autossl_check.model import Code

MARKER = re.compile(r"^<!-- autossl-check: ([a-z-]+) -->$", re.MULTILINE)


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(lang: str, heads: tuple[str, ...], rows: list[str]) -> str:
    head = _row(*(texts.fill("docs", f"head.{key}", lang, {}) for key in heads))
    return "\n".join([head, "|" + "---|" * len(heads), *rows])


def _option_params(action: argparse.Action) -> dict[str, str]:
    """The numbers and names an option's words quote, from the code."""
    if action.dest == "provider":
        return {"default": str(action.default)}
    if action.dest == "resolver":
        return dict(defaults.KNOWN_RESOLVERS)
    if action.dest == "timeout":
        return {
            "most": f"{defaults.MAX_SECONDS:g}",
            "default": f"{action.default:g}",
            "query": f"{defaults.QUERY_TIMEOUT_SECONDS:g}",
        }
    if action.dest == "max_in_flight":
        return {"most": str(defaults.MAX_IN_FLIGHT_LIMIT), "default": str(action.default)}
    return {}


def _option_name(action: argparse.Action) -> str:
    if not action.option_strings:
        return action.dest.upper()
    name = next(option for option in action.option_strings if option.startswith("--"))
    if action.nargs == 0:
        return name
    if action.choices:
        return f"{name} {'|'.join(str(choice) for choice in action.choices)}"
    return f"{name} {action.metavar or action.dest.upper()}"


def cli_options_table(lang: str) -> str:
    rows = [
        _row(
            f"`{_option_name(action)}`",
            texts.fill("docs", f"cli.{action.dest}", lang, _option_params(action)),
        )
        # argparse keeps its actions in a private list; tests/docs checks it still holds them
        for action in cli.build_parser()._actions
        if not isinstance(action, argparse._HelpAction)
    ]
    return _table(lang, ("option", "meaning"), rows)


def _parameter_params(parameter: browser.Parameter) -> dict[str, str]:
    """The numbers a parameter's words quote, from the code."""
    if parameter.name == "name":
        return {"limit": str(browser.MAX_LINK_NAMES)}
    return {}


def link_parameters_table(lang: str) -> str:
    rows = []
    for parameter in browser.PARAMETERS:
        meaning = texts.fill("docs", f"link.{parameter.name}", lang, _parameter_params(parameter))
        if parameter.values:
            values = texts.join((f"`{value}`" for value in parameter.values), lang)
            meaning = texts.fill("docs", "values", lang, {"meaning": meaning, "values": values})
        if parameter.default:
            default = f"`{parameter.default}`"
        else:
            default = texts.fill("docs", f"link.{parameter.name}.default", lang, {})
        rows.append(_row(f"`{parameter.name}`", meaning, default))
    return _table(lang, ("parameter", "value", "default"), rows)


def finding_codes_table(lang: str) -> str:
    rows = [_row(f"[{code}](#{code})", texts.title(code, lang)) for code in Code]
    return _table(lang, ("code", "title"), rows)


TABLES = {
    "cli-options": cli_options_table,
    "link-parameters": link_parameters_table,
    "finding-codes": finding_codes_table,
}


def fill_tables(markdown: str, lang: str) -> str:
    """The page with every marker replaced by its table (an unknown marker is an error)."""

    def table(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in TABLES:
            raise ValueError(f"unknown table marker {name!r}; known: {sorted(TABLES)}")
        return TABLES[name](lang)

    return MARKER.sub(table, markdown)


def page_lang(src_path: str, docs_dir: str) -> str:
    """`ja` or `en`: the first folder of the page under docs/."""
    return Path(src_path).resolve().relative_to(Path(docs_dir).resolve()).parts[0]


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if "<!-- autossl-check:" not in markdown:
        return markdown
    return fill_tables(markdown, page_lang(page.file.abs_src_path, config["docs_dir"]))
