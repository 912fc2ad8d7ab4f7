// A pasted AutoSSL log, explained: each line as pasted, Python's explanation of it and, for a
// recognised line, a link to its section of the "Read your AutoSSL log" page. The JSON comes from
// browser.py's explain_log (log_view.py):
//   {names: [str], via_parent, truncated, error: str | null,
//    lines: [{number, text, kind, recognised, explanation, anchor}]}
// Log text is put on the page with textContent only; a link's address is built from Python's
// anchor, and only when it has the one shape Python writes, never from the log's own text.

const ANCHOR = /^autossl-log\/#[a-z0-9][a-z0-9-]*$/;

// The guide's section for a line kind: the log page sits beside the checker page.
export function logLineHref(anchor, pageUrl = window.location.href) {
  if (typeof anchor !== "string" || !ANCHOR.test(anchor)) return null;
  const page = new URL(pageUrl);
  page.search = "";
  page.hash = "";
  return new URL(`../${anchor}`, page).href;
}

export function parseLogView(jsonText) {
  try {
    const view = JSON.parse(String(jsonText));
    return view && typeof view === "object" ? view : null;
  } catch {
    return null;
  }
}

export class LogView {
  constructor(root, text) {
    this.box = root.querySelector('[data-checker="log"]');
    this.summary = root.querySelector('[data-checker="log-summary"]');
    this.list = root.querySelector('[data-checker="log-lines"]');
    this.text = text;
  }

  hide() {
    this.box.hidden = true;
    this.summary.textContent = "";
    this.list.replaceChildren();
  }

  // Shows the explained log; returns the exact names to check (none when nothing was usable).
  show(view) {
    const lines = Array.isArray(view.lines) ? view.lines : [];
    const names = Array.isArray(view.names) ? view.names.map(String) : [];
    this.summary.textContent = view.error ? String(view.error) : "";
    this.summary.hidden = !view.error;
    const fragment = document.createDocumentFragment();
    for (const line of lines) fragment.append(this.lineItem(line || {}));
    this.list.replaceChildren(fragment);
    this.box.hidden = false;
    return view.error ? [] : names;
  }

  lineItem(line) {
    const item = document.createElement("li");
    item.className = "autossl-checker__log-line";
    item.dataset.kind = String(line.kind || "");
    item.dataset.recognised = line.recognised ? "true" : "false";
    const number = Number(line.number);
    if (Number.isInteger(number) && number > 0) item.value = number;
    const pasted = document.createElement("code");
    pasted.textContent = String(line.text || "");
    const explanation = document.createElement("span");
    explanation.className = "autossl-checker__log-explanation";
    explanation.textContent = String(line.explanation || "");
    item.append(pasted, explanation);
    const href = line.recognised ? logLineHref(line.anchor) : null;
    if (href) {
      const link = document.createElement("a");
      link.href = href;
      link.textContent = this.text.logMore;
      link.dataset.checker = "log-anchor";
      explanation.append(" ", link);
    }
    return item;
  }
}
