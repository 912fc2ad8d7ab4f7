"""What the command line imports before it has a check to run: nothing of the HTTP client.

httpx and h2 take longer to import than the rest of the CLI's start-up, so `--version`, `--help`
and a refused input must answer without them; a check imports them when its first query leaves.
Each case runs in a fresh interpreter, since this one has long imported everything.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from .helpers import SERVER
from .test_startup import run_python

HTTP_CLIENT = ("httpx", "httpcore", "h2", "hpack", "h11", "anyio")


def modules_after(argv: list[str]) -> dict[str, Any]:
    code = f"""
        import contextlib, io, json, sys
        from autossl_check.cli import main

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main({argv!r})
            except SystemExit as stop:  # argparse ends --version and --help this way
                status = stop.code
        loaded = sorted(m for m in {HTTP_CLIENT!r} if m in sys.modules)
        print(json.dumps({{"status": status, "loaded": loaded, "said": out.getvalue()[:200]}}))
    """
    return json.loads(run_python(code))


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["--version"], 0),
        (["--help"], 0),
        (["bad..domain", "--server", SERVER], 2),
        (["example.com", "--server", "not-an-address"], 2),
        (["example.com", "--resolver", "ftp://resolver.example/"], 2),
        (["example.com", "--no-such-option"], 2),
    ],
)
def test_answers_without_a_check_import_no_http_client(argv: list[str], status: int) -> None:
    report = modules_after(argv)
    assert report["status"] == status
    assert report["loaded"] == []


def test_a_check_loads_every_module_the_others_must_not(doh_resolver: Any) -> None:
    # So the list above names modules that really are the client's.
    report = modules_after(
        ["ok.example", "--server", SERVER, "--resolver", doh_resolver.url, "--json"]
    )
    assert report["status"] == 0
    assert report["loaded"] == sorted(HTTP_CLIENT)
