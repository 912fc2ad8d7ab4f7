"""The page says what Python says: each row's status, the verdict sentence and the advice on the
page are the words the facade sent to the page (read off the worker's own messages), and the
verdict sentence is the one in the ticket Markdown that "Copy for ticket" gives."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.conftest import CheckerPage
from tests.support.doh_resolver import DohResolver

pytestmark = pytest.mark.browser

SERVER = "203.0.113.10"
CHECKER_PATHS = {"ja": "checker/", "en": "en/checker/"}

# Wraps the worker's postMessage, so that every message it sends from now on is kept as sent.
RECORD_WORKER_MESSAGES = """() => {
  const send = self.postMessage.bind(self);
  self.__sent = [];
  self.postMessage = (message) => { self.__sent.push(message); send(message); };
}"""

READ_PAGE = """() => {
  const root = document.querySelector("[data-autossl-checker]");
  const part = (name) => root.querySelector(`[data-checker="${name}"]`);
  return {
    rows: [...root.querySelectorAll("tr[data-name]")].map((row) => {
      const status = row.querySelector(".autossl-checker__status");
      return [row.getAttribute("data-name"), status.getAttribute("data-status"),
              status.textContent];
    }),
    verdict: [part("verdict").getAttribute("data-verdict"), part("verdict").textContent],
    advice: [...part("advice").children].map((item) => item.textContent),
    commandsShown: !part("exclude").hidden,
  };
}"""


def facade_events(checker: CheckerPage) -> list[dict[str, Any]]:
    worker = next(w for w in checker.page.workers if "/assets/checker/worker.js" in w.url)
    sent = worker.evaluate("() => self.__sent")
    return [json.loads(message["json"]) for message in sent if message.get("type") == "event"]


def copied_ticket(checker: CheckerPage) -> str:
    checker.evaluate("() => navigator.clipboard.writeText('')")
    checker.page.click('[data-checker="copy-ticket"]')
    return str(
        checker.poll(
            lambda: checker.evaluate("() => navigator.clipboard.readText()"),
            timeout=10,
            what="the ticket Markdown on the clipboard",
        )
    )


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize(
    ("domain", "statuses"),
    [("mixed.example", {"ok", "problem"}), ("faulty.example", {"ok", "failed"})],
)
def test_row_status_verdict_and_advice_are_the_words_python_sent(
    open_checker: Any, resolver: DohResolver, lang: str, domain: str, statuses: set[str]
) -> None:
    checker = open_checker(clipboard=True)
    checker.open(CHECKER_PATHS[lang], [("resolver", resolver.url)])
    checker.wait_ready()
    worker = next(w for w in checker.page.workers if "/assets/checker/worker.js" in w.url)
    worker.evaluate(RECORD_WORKER_MESSAGES)
    checker.page.fill("#autossl-checker-domain", domain)
    checker.page.fill("#autossl-checker-server", SERVER)
    checker.page.click('[data-checker="submit"]')
    checker.wait_verdict()
    shown = checker.evaluate(READ_PAGE)

    events = facade_events(checker)
    rows = [event["row"] for event in events if event["event"] == "name"]
    done = events[-1]
    assert done["event"] == "done"
    by_name = {row["name"]: [row["name"], row["status"], row["status_text"]] for row in rows}
    assert shown["rows"] == [by_name[name] for name, *_ in shown["rows"]]
    assert {status for _, status, _ in shown["rows"]} == statuses
    assert len(shown["rows"]) == len(done["result"]["names"])

    assert shown["verdict"] == [done["verdict"], done["verdict_text"]]
    assert done["verdict"] == done["result"]["verdict"]
    assert shown["advice"] == [item["text"] for item in done["advice"]]
    keys = [item["key"] for item in done["advice"]]
    assert shown["commandsShown"] == ("exclude" in keys)
    assert shown["commandsShown"] == bool(done["exclude"])

    # The same verdict sentence heads the ticket block, word for word.
    markdown = copied_ticket(checker)
    assert markdown == done["markdown"]
    assert f"\n- **{shown['verdict'][1]}**\n" in markdown
    assert checker.console_errors == []
    assert checker.csp_violations() == []


def test_every_module_the_page_imports_is_preloaded(checker: CheckerPage) -> None:
    checker.open("en/checker/")
    checker.wait_mounted()
    preloaded = set(
        checker.evaluate(
            """() => [...document.querySelectorAll('link[rel="modulepreload"]')]
                      .map((link) => link.href)"""
        )
    )
    page_modules = {
        url
        for url in checker.requests
        if "/assets/checker/" in url
        and url.endswith(".js")
        # The two entry modules (the head's start-early.js and checker.js) and the worker's own.
        and not url.endswith(("/checker.js", "/start-early.js", "/worker.js", "/boot.js"))
    }
    assert page_modules, "no module imported by checker.js was requested"
    assert page_modules == preloaded
    # The modules load under the site's policy (script-src 'self'), which allows no more.
    assert checker.csp_violations() == []
