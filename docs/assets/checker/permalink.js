// The form and the address bar hold the same check: a link fills the form, and every edit of the
// form rewrites the link (defaults left out). The query string is also what the worker gets;
// the Python facade validates every value, so nothing here judges one.

// The form's defaults: a parameter equal to its default is left out of the permalink.
const DEFAULTS = {
  provider: "letsencrypt",
  resolver: "both",
  service: true,
  autodiscover: true,
  reseller: false,
};
// name: exact names (from a pasted AutoSSL log); with them the domain may stay empty.
const LIST_FIELDS = ["server", "addon", "subdomain", "name"];
const SELECT_FIELDS = ["provider", "resolver"];
const TOGGLE_FIELDS = ["service", "autodiscover", "reseller"];

function splitList(text) {
  return String(text)
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

// The values a select stands for: its own, or those a link brought in one added option.
function selectedValues(select) {
  const option = select.selectedOptions[0];
  return option && option.dataset.values ? JSON.parse(option.dataset.values) : [select.value];
}

export class PermalinkForm {
  constructor(form) {
    this.form = form;
    this.rawOverrides = new Map(); // URL values a form control cannot hold, kept until edited
    this.shownSearch = ""; // the query string the form was last filled from or wrote
  }

  get domain() {
    return this.form.elements.domain.value.trim();
  }

  get names() {
    return splitList(this.form.elements.namedItem("name").value);
  }

  // The exact names of a pasted log; the addon and subdomain fields would only be refused
  // beside them (the log already holds those names).
  setNames(names) {
    const elements = this.form.elements;
    elements.namedItem("name").value = names.join("\n");
    elements.addon.value = "";
    elements.subdomain.value = "";
  }

  // Fills the form from the address bar. Returns whether the link asks for a check (it names a
  // domain) and whether it uses the folded-away options.
  fillFromUrl() {
    const params = new URLSearchParams(window.location.search);
    this.shownSearch = window.location.search;
    const elements = this.form.elements;
    let runWanted = false;
    if (params.has("domain")) {
      elements.domain.value = params.get("domain");
      runWanted = this.domain !== "";
    }
    for (const name of LIST_FIELDS) {
      const values = params.getAll(name);
      if (values.length > 0) elements.namedItem(name).value = values.join("\n");
    }
    if (params.getAll("name").some((value) => value.trim() !== "")) runWanted = true;
    for (const name of SELECT_FIELDS) {
      if (!params.has(name)) continue;
      // Several values (resolver=a&resolver=b) are all passed on: the check asks every one.
      const values = params.getAll(name);
      const value = values.join(" + ");
      const select = elements[name];
      if (![...select.options].some((option) => option.value === value)) {
        // An unknown value (a test resolver, or a hostile one) stays visible and is passed on
        // unchanged, so that the Python side accepts or refuses it where everything is validated.
        const option = document.createElement("option");
        option.value = value;
        option.textContent = value;
        option.dataset.fromUrl = "true";
        option.dataset.values = JSON.stringify(values);
        select.append(option);
      }
      select.value = value;
    }
    for (const name of TOGGLE_FIELDS) {
      if (!params.has(name)) continue;
      const value = params.get(name);
      if (value === "1") elements[name].checked = true;
      else if (value === "0") elements[name].checked = false;
      else this.rawOverrides.set(name, value);
    }
    const advancedUsed =
      ["addon", "subdomain"].some((name) => params.has(name)) ||
      TOGGLE_FIELDS.some((name) => params.has(name)) ||
      params.has("resolver");
    return { runWanted, advancedUsed, namesUsed: params.has("name") };
  }

  // Back to the template's values, then filled from the address bar again.
  refillFromUrl() {
    this.form.reset();
    for (const option of this.form.querySelectorAll("option[data-from-url]")) option.remove();
    this.rawOverrides.clear();
    return this.fillFromUrl();
  }

  fieldEdited(name) {
    if (name) this.rawOverrides.delete(name);
  }

  // The query the Python facade reads; `complete` spells out every value (for the worker), the
  // short form leaves defaults out (for the permalink).
  query({ complete }) {
    const elements = this.form.elements;
    const params = new URLSearchParams();
    if (this.domain !== "" || this.names.length === 0) params.append("domain", this.domain);
    for (const name of LIST_FIELDS) {
      for (const item of splitList(elements.namedItem(name).value)) params.append(name, item);
    }
    const provider = elements.provider.value;
    if (complete || provider !== DEFAULTS.provider) {
      for (const value of selectedValues(elements.provider)) params.append("provider", value);
    }
    for (const name of TOGGLE_FIELDS) {
      if (this.rawOverrides.has(name)) {
        params.append(name, this.rawOverrides.get(name));
        continue;
      }
      const on = elements[name].checked;
      if (complete || on !== DEFAULTS[name]) params.append(name, on ? "1" : "0");
    }
    const resolver = elements.resolver.value;
    if (complete || resolver !== DEFAULTS.resolver) {
      for (const value of selectedValues(elements.resolver)) params.append("resolver", value);
    }
    return params.toString();
  }

  // The address bar shows the form's check (an empty form: no query at all).
  writeToUrl() {
    const query = this.query({ complete: false });
    const url = new URL(window.location.href);
    url.search = query === "domain=" ? "" : query;
    if (url.href !== window.location.href) {
      window.history.replaceState(window.history.state, "", url.href);
    }
    this.shownSearch = window.location.search;
    carryQueryToLanguageLinks();
  }
}

// Switching language keeps the check: the theme's language links to the other checker page
// get the same query.
export function carryQueryToLanguageLinks() {
  for (const link of document.querySelectorAll(".md-select__link[hreflang]")) {
    const target = new URL(link.href, window.location.href);
    if (!target.pathname.endsWith("/checker/")) continue;
    target.search = window.location.search;
    link.href = target.href;
  }
}
