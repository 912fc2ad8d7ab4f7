"""The engine's old name, kept for the Pyodide-under-Node tests, which look for this module among
those the page's snapshot has already imported. Everything lives in engine.py."""

from .engine import build_request, plan, run_check

__all__ = ["build_request", "plan", "run_check"]
