"""How the browser tests and the benchmark start Debian's Chromium.

Playwright's own browser download is not reachable here, so both drive /usr/bin/chromium. The
flags keep a headless Chromium from reaching for Google's services at start-up, which a closed
network answers with a burst of refused connections.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@contextlib.contextmanager
def launched_chromium() -> Iterator[Any]:
    """Chromium through Playwright's sync API, for tests; one at a time per process."""
    import pytest

    if not Path(CHROMIUM).exists():
        # A skipped browser test would pass without testing the page: `make test` installs it.
        pytest.fail(f"{CHROMIUM} is not installed (make chromium, or apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
