"""How the browser tests and the benchmark start Debian's Chromium.

Playwright's own browser download is not reachable here, so both drive /usr/bin/chromium. The
flags keep a headless Chromium from reaching for Google's services at start-up, which a closed
network answers with a burst of refused connections.
"""

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
