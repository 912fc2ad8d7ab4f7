"""What the site leaves in the reader's browser, as security.md's privacy section says: the checker
sets no cookies and stores nothing; only the theme keeps the palette the reader picks."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import CheckerPage
from tests.support.doh_resolver import DohResolver

pytestmark = pytest.mark.browser

SERVER = "203.0.113.10"


def stored(checker: CheckerPage) -> dict[str, Any]:
    return checker.evaluate(
        """() => ({
          cookie: document.cookie,
          local: Object.keys(localStorage),
          session: Object.keys(sessionStorage),
        })"""
    )


@pytest.mark.parametrize("path", ["checker/", "en/checker/"])
def test_a_check_leaves_no_cookie_and_no_storage(
    checker: CheckerPage, resolver: DohResolver, path: str
) -> None:
    checker.open(
        path, [("domain", "mixed.example"), ("server", SERVER), ("resolver", resolver.url)]
    )
    assert checker.wait_verdict() == "action_needed"
    left = stored(checker)
    assert left["cookie"] == ""
    theme_keys = [key for key in left["local"] + left["session"] if not key.endswith("__palette")]
    assert theme_keys == [], f"stored besides the theme's palette: {left}"


def test_the_theme_keeps_only_the_palette_choice(checker: CheckerPage) -> None:
    checker.open("")
    checker.page.wait_for_load_state("load")
    checker.page.locator("form[data-md-component='palette'] label:visible").first.click()
    left = stored(checker)
    assert left["cookie"] == ""
    assert left["local"], "choosing a palette stored nothing: the privacy text would be wrong"
    assert all(key.endswith("__palette") for key in left["local"]), left
    assert left["session"] == [], left
