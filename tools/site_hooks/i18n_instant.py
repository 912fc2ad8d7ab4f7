"""Let mkdocs-static-i18n's language switcher and Material's navigation.instant live together.

mkdocs-static-i18n warns that its per-page language links go stale under instant navigation
(the header, which holds the switcher, is kept while the page is swapped), and `strict: true`
turns that warning into a failed build. The site fixes the cause instead: overrides/main.html
gives every page its own links and overrides/assets/javascripts/language-links.js copies them
into the switcher after each navigation. This hook only drops that one warning.
"""

from __future__ import annotations

import logging

I18N_LOGGER = "mkdocs.plugins.mkdocs_static_i18n.reconfigure"
FIXED_WARNING = "language switcher contextual link is not compatible"


class _DropFixedWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return FIXED_WARNING not in record.getMessage()


def on_startup(command: str, dirty: bool) -> None:
    logger = logging.getLogger(I18N_LOGGER)
    if not any(isinstance(f, _DropFixedWarning) for f in logger.filters):
        logger.addFilter(_DropFixedWarning())
