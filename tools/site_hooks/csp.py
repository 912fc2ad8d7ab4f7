"""A Content-Security-Policy for every built page, with hashes of the inline scripts it carries.

One policy serves the whole site (both languages): the union of the sha256 of every inline
script found in the final HTML files. One policy rather than one per page because Material's
instant navigation copies the next page's <head> tags into the current document: a different
<meta> would be added as a second policy, and the browser enforces both at once.

The policy is put in a <meta http-equiv> right after <meta charset> in every HTML file, and the
same policy plus frame-ancestors (which a <meta> cannot carry) goes to site/_headers, the
Netlify / Cloudflare Pages headers file, which tools/serve.py also reads. GitHub Pages cannot send
headers: there the <meta> is the whole defence, without frame-ancestors.

AUTOSSL_CHECK_TEST_BUILD=1 adds http://127.0.0.1:* and https://127.0.0.1:* to connect-src so that
the checker can reach the loopback DoH test resolver (browser tests, `make serve` with
?resolver=http://127.0.0.1:…) and its HTTP/2 front, which needs TLS (the benchmark).
Release builds leave it out. The same decision (autossl_check/page_policy.py) goes into the
checker wheel, whose facade refuses any other resolver itself where no header carries this.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from autossl_check import page_policy
from autossl_check.defaults import resolver_origins
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority, get_plugin_logger

log = get_plugin_logger("csp")

KNOWN_RESOLVERS = resolver_origins()  # the checker's own list (autossl_check/defaults.py)
LOOPBACK_FOR_TESTS = ("http://127.0.0.1:*", "https://127.0.0.1:*")
# Only URLs that change whenever their bytes do may be cached for good: the content-addressed
# wheels and the theme's fingerprinted bundles. Pyodide's core keeps its file names across
# upgrades (and the build rewrites python_stdlib.zip), so it is revalidated like the pages.
IMMUTABLE_PATHS = (
    "/pyodide/wheels/*",
    "/assets/javascripts/bundle.*.min.js",
    "/assets/javascripts/workers/search.*.min.js",
    "/assets/stylesheets/main.*.min.css",
    "/assets/stylesheets/palette.*.min.css",
)

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\s*', re.IGNORECASE)
CHARSET_META = re.compile(r"<meta charset=[^>]*>", re.IGNORECASE)
# Script types a browser runs; data blocks such as type="application/json" need no hash.
RUNNABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}

_build_depth = 0
_live_reload = False


def policy(script_hashes: set[str], *, for_header: bool = False) -> str:
    connect = ["'self'", *KNOWN_RESOLVERS]
    if page_policy.for_this_build().loopback:
        connect.extend(LOOPBACK_FOR_TESTS)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'", *sorted(script_hashes)],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": connect,
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    if for_header:
        directives["frame-ancestors"] = ["'none'"]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def inline_script_hashes(html: str) -> set[str]:
    hashes = set()
    for attributes, body in SCRIPT.findall(html):
        if re.search(r"\bsrc\s*=", attributes):
            continue
        kind = re.search(r"""\btype\s*=\s*["']?([^"'\s>]*)""", attributes)
        if (kind.group(1).lower() if kind else "") in RUNNABLE_TYPES:
            digest = hashlib.sha256(body.encode()).digest()
            hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return hashes


def on_startup(command: str, dirty: bool) -> None:
    # `mkdocs serve` injects an inline live-reload script with a fresh value in every response,
    # which no hash can allow: its preview goes without the policy. `make serve` keeps it.
    global _live_reload
    _live_reload = command == "serve"


def on_pre_build(config: MkDocsConfig) -> None:
    global _build_depth
    _build_depth += 1


def on_build_error(error: Exception) -> None:
    global _build_depth
    _build_depth = 0


# Last of all, after mkdocs-static-i18n (-100) has built the other languages into site_dir.
@event_priority(-120)
def on_post_build(config: MkDocsConfig) -> None:
    global _build_depth
    _build_depth -= 1
    if _build_depth > 0:
        return
    if _live_reload:
        log.info("mkdocs serve: pages left without a CSP (use `make serve` to preview it)")
        return
    site = Path(config.site_dir)
    pages = {path: path.read_text(encoding="utf-8") for path in site.rglob("*.html")}
    hashes = set().union(*(inline_script_hashes(html) for html in pages.values()))
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(hashes)}">'
    for path, html in pages.items():
        html = CSP_META.sub("", html)
        charset = CHARSET_META.search(html)
        at = charset.end() if charset else html.lower().index("<head>") + len("<head>")
        path.write_text(html[:at] + meta + html[at:], encoding="utf-8")
    (site / "_headers").write_text(_headers_file(hashes), encoding="utf-8")
    log.info(f"CSP added to {len(pages)} pages ({len(hashes)} inline script hashes)")


def _headers_file(hashes: set[str]) -> str:
    rules = [
        "/*",
        f"  Content-Security-Policy: {policy(hashes, for_header=True)}",
        "  X-Content-Type-Options: nosniff",
        "  Referrer-Policy: no-referrer",
    ]
    for path in IMMUTABLE_PATHS:
        rules += [path, "  Cache-Control: public, max-age=31536000, immutable"]
    return "\n".join(rules) + "\n"
