// Material's instant navigation swaps the page but keeps the header, so the language switcher
// would keep offering the translation of the first page read. Each page carries its own language
// links (hidden, in the footer: see overrides/main.html); copy them into the switcher on arrival.
// Both languages share one sitemap, so instant navigation would also pull the other language's
// page into this language's header and <html lang>: target="_self" makes Material leave a
// language switch to the browser, a full page load.
document$.subscribe(() => {
  const own = document.querySelector("[data-autossl-alternates]");
  for (const link of document.querySelectorAll(".md-select__link[hreflang]")) {
    const match = own?.querySelector(`a[hreflang="${CSS.escape(link.hreflang)}"]`);
    if (match) link.href = match.href;
    link.target = "_self";
  }
});
