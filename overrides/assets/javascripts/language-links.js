// Material's instant navigation swaps the page but keeps the header, so the language switcher
// would keep offering the translation of the first page read. Each page carries its own language
// links (hidden, in the footer: see overrides/main.html); copy them into the switcher on arrival.
document$.subscribe(() => {
  const own = document.querySelector("[data-autossl-alternates]");
  if (!own) return;
  for (const link of document.querySelectorAll(".md-select__link[hreflang]")) {
    const match = own.querySelector(`a[hreflang="${CSS.escape(link.hreflang)}"]`);
    if (match) link.href = match.href;
  }
});
