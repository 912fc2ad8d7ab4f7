// The checker page's entry module: mounts the checker section on each arrival at the page.
// The check itself runs in Python inside worker.js; the page only shows what it reports.
//
//   checker.js        mounting, instant navigation, links to the page itself (this file)
//   view.js           one mounted section: form, progress, alerts, a check's life, copy buttons
//   results.js        the results table, verdict and what to do, all in Python's words
//   permalink.js      the form and the address bar, kept in step
//   worker-client.js  the one worker: start, loading stages and deadline, Retry, run requests
//   strings.js        the page's own words (labels, messages before Python runs), ja and en
//   clipboard.js      copying, with the old way as fallback
//   worker.js, boot.js  the worker and Python's start (boot.js is shared with the Node tests)
//
// Rules kept throughout: every value that comes from the URL, the form or DNS is put on the page
// with textContent or setAttribute on elements created here, never as HTML.
//
// Material's instant navigation re-inserts this module's <script> on every arrival, but a module
// is evaluated once per document, so arrivals are picked up through Material's document$ and each
// new checker section is mounted once. One worker serves every mount: coming back to the page
// reuses the Python that is already running instead of starting another.

import { carryQueryToLanguageLinks } from "./permalink.js";
import { CheckerView } from "./view.js";

let activeView = null;

function mountIfPresent() {
  if (activeView && !activeView.connected) {
    activeView.dispose();
    activeView = null;
  }
  const root = document.querySelector("[data-autossl-checker]");
  if (!root || root.dataset.mounted === "true") return;
  if (activeView) activeView.dispose();
  activeView = new CheckerView(root);
  activeView.mount();
  const view = activeView;
  // After the theme's own handlers have reset the language links for this page.
  setTimeout(() => view.connected && carryQueryToLanguageLinks(), 0);
}

function sameCheckerPageLink(event) {
  if (!activeView || !activeView.connected || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
  if (!link || link.target || link.hasAttribute("download")) return;
  const to = new URL(link.href, window.location.href);
  const here = new URL(window.location.href);
  if (to.origin !== here.origin || to.pathname !== here.pathname || to.search === here.search) {
    return;
  }
  event.preventDefault();
  event.stopPropagation();
  window.history.pushState(null, "", to.href);
  activeView.applyUrl();
}

// Loaded async, this may run before the theme's bundle has defined document$ (and before the
// page has finished parsing); the checker's own markup always comes before this script.
function followInstantNavigation() {
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => mountIfPresent());
  }
}

mountIfPresent();
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", followInstantNavigation, { once: true });
} else {
  followInstantNavigation();
}
// Capture phase: this runs before Material's own click handler on the body.
document.addEventListener("click", sameCheckerPageLink, true);
window.addEventListener("popstate", () => {
  if (
    activeView &&
    activeView.connected &&
    window.location.pathname === activeView.pathname &&
    activeView.shownSearch !== window.location.search
  ) {
    activeView.applyUrl();
  }
});
