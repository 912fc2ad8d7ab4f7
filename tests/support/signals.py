"""Helpers for tests that send a child process Ctrl-C (SIGINT)."""

from __future__ import annotations

import signal


def interruptible() -> None:
    """A `preexec_fn`: give the child SIGINT's default disposition back.

    A job started in the background by a non-interactive shell (as CI may start the tests) has
    SIGINT ignored, the child inherits that, and Python then installs no KeyboardInterrupt
    handler: Ctrl-C would never reach it. A person at a terminal does not have it ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
