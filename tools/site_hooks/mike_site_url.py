"""Keep the site_url that mike computes for a versioned build, and keep language links in-version.

Only active under `mike deploy` (mike sets MIKE_DOCS_VERSION for the `mkdocs build` it runs).

1. mike's on_config appends the version (or `canonical_version`) to site_url without a trailing
   slash. mkdocs-static-i18n builds each further language by running the whole build again, so
   every plugin's on_config runs again on the already changed config: mike then joins the version
   a second time, and i18n's sitemap, which concatenates site_url and page URLs, prints
   `.../latestja/...`. This hook records the first result, adds the slash, and puts that same
   value back after every later on_config.

2. With `canonical_version: latest` that site_url names `latest`, and i18n derives the language
   switcher's links on the start pages from it (`/latest/en/`), so a reader of an old version who
   switches language would land in the newest version. Those absolute links are rewritten to
   site-relative ones; Material's `url` filter then makes them relative to the page, which stays
   inside whatever version folder the page is published in.

3. Outside mike there is no versions.json, so Material's version selector is switched off there;
   otherwise every page of a plain build asks the server for a file that cannot exist.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

MIKE_VERSION_VARIABLE = "MIKE_DOCS_VERSION"

_pinned_site_url: str | None = None


def _under_mike() -> bool:
    return bool(os.environ.get(MIKE_VERSION_VARIABLE))


# After mike (0), before mkdocs-static-i18n (-100), which reads site_url for its links.
@event_priority(-50)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _pinned_site_url
    if not _under_mike():
        config.extra.pop("version", None)
        return config
    if not config.site_url:
        return config
    if _pinned_site_url is None:
        _pinned_site_url = config.site_url.rstrip("/") + "/"
    config.site_url = _pinned_site_url
    return config


# After mkdocs-static-i18n (50), which sets this page's language links.
@event_priority(0)
def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, **_: Any
) -> dict[str, Any]:
    # Looked up the way Jinja does it for `config.extra.alternate`: i18n sets it per page as an
    # attribute, which shadows the item of the same name that it set in on_config.
    alternates = getattr(config.extra, "alternate", None) or config.extra.get("alternate")
    if not _under_mike() or not config.site_url or not isinstance(alternates, list):
        return context
    versioned_root = urlsplit(config.site_url).path
    for alternate in alternates:
        link = alternate.get("link", "")
        if isinstance(link, str) and link.startswith(versioned_root):
            alternate["link"] = link[len(versioned_root) :] or "./"
    return context
