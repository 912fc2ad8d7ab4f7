"""How long a pasted AutoSSL log takes on the checker page, step by step (headless Chromium).

    SITE_DIR=$PWD/site .venv/bin/python bench/paste_log.py [--megabytes 2] [--rounds 3]

Steps, each in milliseconds:
- worker: the "explain-log" message to its answer, measured in the page (Python in the worker
  reading the log and building the JSON, and both postMessage copies);
- parse: JSON.parse of that answer in the page, and its size;
- page: the read button clicked to the names filled in and the explained log drawn (what a
  reader waits for; the check that follows is not counted).
The log is tests/support/autossl_logs.py's pasted_days: many days of one server's runs.
Only 127.0.0.1 is reached. A standalone script: bench/run.py does not run it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.autossl_logs import pasted_days  # noqa: E402
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tools.serve import SiteServer  # noqa: E402

WORKER_ROUND_TRIP = """async (text) => {
  const entry = document.querySelector('script[src*="assets/checker/checker.js"]').src;
  const client = await import(entry.replace("checker.js", "worker-client.js"));
  const worker = client.host.worker;
  const id = 1e9 + Math.floor(Math.random() * 1e6);
  const started = performance.now();
  const json = await new Promise((resolve) => {
    const listen = (event) => {
      if (event.data && event.data.id === id) {
        worker.removeEventListener("message", listen);
        resolve(event.data.json);
      }
    };
    worker.addEventListener("message", listen);
    worker.postMessage({ type: "explain-log", id, text, lang: "en" });
  });
  const answered = performance.now();
  JSON.parse(json);
  return { worker: answered - started, parse: performance.now() - answered, chars: json.length };
}"""

PAGE_READ = """async (text) => {
  const root = document.querySelector("[data-autossl-checker]");
  const part = (name) => root.querySelector(`[data-checker="${name}"]`);
  part("paste").open = true;
  part("log-input").value = text;
  document.querySelector("#autossl-checker-name").value = "";
  part("log-lines").replaceChildren();
  window.__pasteStarted = performance.now();
  part("read-log").click();
}"""
PAGE_SHOWN = """() => {
  const root = document.querySelector("[data-autossl-checker]");
  const part = (name) => root.querySelector(`[data-checker="${name}"]`);
  const names = document.querySelector("#autossl-checker-name").value;
  return names !== "" && !part("log").hidden && part("log-lines").children.length > 0;
}"""
# Two frames after: the first one lays out and paints what was drawn.
PAGE_PAINTED = """() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() =>
  resolve({
    page: performance.now() - window.__pasteStarted,
    drawn: document.querySelector('[data-checker="log-lines"]').children.length,
  }), 0)))"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    site = Path(os.environ.get("SITE_DIR", REPO / "site"))
    text, names = pasted_days(int(args.megabytes * 1024 * 1024))
    from playwright.sync_api import sync_playwright

    results: dict[str, list[float]] = {"worker": [], "parse": [], "page": []}
    with SiteServer(site) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.route(
            "**/*",
            lambda route: (
                route.fallback()
                if "//127.0.0.1" in route.request.url
                else route.abort("blockedbyclient")
            ),
        )
        page.goto(f"{server.url}en/checker/", wait_until="domcontentloaded")
        deadline = time.monotonic() + 180
        while (
            page.evaluate("() => document.querySelector('[data-autossl-checker]')?.dataset.stage")
            != "ready"
        ):
            if time.monotonic() > deadline:
                raise SystemExit("the checker did not load")
            time.sleep(0.2)
        for _ in range(args.rounds):
            raw = page.evaluate(WORKER_ROUND_TRIP, text)
            results["worker"].append(raw["worker"])
            results["parse"].append(raw["parse"])
            page.evaluate(PAGE_READ, text)
            while not page.evaluate(PAGE_SHOWN):
                time.sleep(0.05)
            shown = page.evaluate(PAGE_PAINTED)
            results["page"].append(shown["page"])
        browser.close()
    summary = {
        "log_chars": len(text),
        "log_bytes": len(text.encode()),
        "names": len(names),
        "answer_chars": raw["chars"],
        "lines_drawn": shown["drawn"],
        **{f"{step}_ms_median": round(statistics.median(ms)) for step, ms in results.items()},
        **{f"{step}_ms": [round(m) for m in ms] for step, ms in results.items()},
    }
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
