"""Crawl the built site: every internal link and resource resolves to a file, every #fragment
names an element of its target page, in both languages; no page pulls a resource from elsewhere;
the findings pages carry one anchor per finding code."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.site.conftest import Reference, SitePage

pytestmark = pytest.mark.site

# Any origin works: links are resolved against it and only its own URLs count as internal.
ORIGIN = "http://site.test"
# site_url's origin, which the build writes into canonical links and the sitemap.
BUILT_ORIGINS = ("http://127.0.0.1:8000",)
NOT_FETCHED_RELS = {"canonical", "alternate", "prev", "next"}


def target_of(page: SitePage, reference: Reference) -> tuple[str, str] | None:
    """(site path, fragment) for an internal reference, None for one leaving the site."""
    url = urljoin(ORIGIN + page.url_path, reference.value)
    for built in BUILT_ORIGINS:
        if url.startswith(built + "/"):
            url = ORIGIN + url[len(built) :]
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
        return None
    return unquote(parts.path), unquote(parts.fragment)


def file_for(site: Path, path: str) -> Path | None:
    candidate = site / path.lstrip("/")
    if path.endswith("/"):
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def internal_references(site_pages: dict[str, SitePage]):
    for page in site_pages.values():
        for reference in page.references:
            target = target_of(page, reference)
            if target is not None:
                yield page, reference, target


def test_every_internal_reference_resolves_to_a_file(
    built_site: Path, site_pages: dict[str, SitePage]
) -> None:
    broken = [
        f"{page.url_path}: <{ref.tag} {ref.attribute}={ref.value!r}>"
        for page, ref, (path, _) in internal_references(site_pages)
        if file_for(built_site, path) is None
    ]
    assert not broken, "\n".join(broken)


def test_every_fragment_names_an_element_of_its_target(
    built_site: Path, site_pages: dict[str, SitePage]
) -> None:
    by_file = {page.file: page for page in site_pages.values()}
    missing = []
    for page, ref, (path, fragment) in internal_references(site_pages):
        target = file_for(built_site, path)
        if not fragment or target is None or target.suffix != ".html":
            continue
        if fragment not in by_file[target].ids:
            missing.append(f"{page.url_path}: {ref.value!r} (no id {fragment!r} in {path})")
    assert not missing, "\n".join(missing)


def test_both_languages_were_crawled(site_pages: dict[str, SitePage]) -> None:
    english = [p for p in site_pages if p.startswith("/en/")]
    japanese = [p for p in site_pages if not p.startswith("/en/")]
    assert len(english) >= 12
    assert len(japanese) >= 12
    # Each page's language switcher reaches the same page in the other language.
    for url_path in ("/fix/", "/en/fix/", "/findings/", "/en/checker/"):
        page = site_pages[url_path]
        hreflangs = {
            ref.value
            for ref in page.references
            if ref.tag == "link" and ref.rel == "alternate" and ref.value
        }
        resolved = {urlsplit(urljoin(ORIGIN + url_path, value)).path for value in hreflangs}
        slug = url_path.removeprefix("/en")
        assert {slug, "/en" + slug} <= resolved, (url_path, resolved)


def test_no_page_loads_anything_from_another_origin(site_pages: dict[str, SitePage]) -> None:
    """Links to other sites are fine; scripts, styles, images and frames from them are not."""
    fetched_elsewhere = [
        f"{page.url_path}: <{ref.tag} {ref.attribute}={ref.value!r}>"
        for page in site_pages.values()
        for ref in page.references
        if ref.tag != "a"
        and not (ref.tag == "link" and ref.rel in NOT_FETCHED_RELS)
        and target_of(page, ref) is None
        and not ref.value.startswith("data:")
    ]
    assert not fetched_elsewhere, "\n".join(fetched_elsewhere)


@pytest.mark.parametrize("findings_page", ["/findings/", "/en/findings/"])
def test_findings_page_has_an_anchor_per_code(
    site_pages: dict[str, SitePage], findings_page: str
) -> None:
    from autossl_check.model import Code

    missing = [code.value for code in Code if code.value not in site_pages[findings_page].ids]
    assert not missing, f"{findings_page} lacks anchors {missing}"
