// A pasted AutoSSL log, explained: each line as pasted, Python's explanation of it and, for a
// recognised line, a link to its section of the "Read your AutoSSL log" page. The JSON comes from
// browser.py's explain_log and log_lines (log_view.py):
//   summary: {names: [str], via_parent, truncated, error: str | null, summary: str,
//             filters: [{value, text}], page}
//   page:    {show, start, total, next: int | null, more: str,
//             lines: [{number, text, kind, recognised, explanation, anchor}]}
// A 2 MB paste is some 50,000 lines: the page draws one page of lines and asks Python for the
// next when the reader wants them (the "more" button, whose words are Python's), so neither the
// answer nor the list grows with the log.
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
  // askLines(start, show): the page asks Python for the lines from `start` of those `show` picks.
  constructor(root, text, askLines) {
    const part = (name) => root.querySelector(`[data-checker="${name}"]`);
    this.box = part("log");
    this.summary = part("log-summary");
    this.filter = part("log-show");
    this.list = part("log-lines");
    this.more = part("log-more");
    this.text = text;
    this.askLines = askLines;
    this.next = null; // where the next page starts, null when none is left
    this.shown = false; // a log with names to check is on the page
    this.waiting = false; // a page of lines was asked for and has not come yet
    this.more.addEventListener("click", () => this.ask(this.next));
    this.filter.addEventListener("change", () => this.ask(0));
  }

  hide() {
    this.box.hidden = true;
    this.shown = false;
    this.summary.textContent = "";
    this.filter.replaceChildren();
    this.list.replaceChildren();
    this.setNext(null, "");
  }

  // Shows the summary and the first lines; returns the exact names to check (none when nothing
  // was usable).
  show(view) {
    const names = Array.isArray(view.names) ? view.names.map(String) : [];
    this.summary.textContent = String(view.error || view.summary || "");
    const options = (Array.isArray(view.filters) ? view.filters : []).map((filter) => {
      const option = document.createElement("option");
      option.value = String((filter && filter.value) || "");
      option.textContent = String((filter && filter.text) || "");
      return option;
    });
    this.filter.replaceChildren(...options);
    this.filter.disabled = options.length < 2;
    this.list.replaceChildren();
    this.showPage(view.page || {});
    this.box.hidden = false;
    this.shown = !view.error && names.length > 0;
    return view.error ? [] : names;
  }

  ask(start) {
    if (start === null || this.waiting) return;
    this.waiting = true;
    this.more.disabled = true;
    this.askLines(start, this.filter.value);
  }

  // A page Python sent: the first of a filter replaces the list, a later one extends it.
  showPage(page) {
    this.waiting = false;
    const lines = Array.isArray(page.lines) ? page.lines : [];
    if (Number(page.start) === 0) this.list.replaceChildren();
    const fragment = document.createDocumentFragment();
    for (const line of lines) fragment.append(this.lineItem(line || {}));
    this.list.append(fragment);
    const next = Number.isInteger(page.next) ? page.next : null;
    this.setNext(next, String(page.more || ""));
  }

  // The lines asked for did not come: the button asks again.
  pageFailed() {
    this.waiting = false;
    this.more.disabled = false;
  }

  setNext(next, words) {
    this.next = next;
    this.more.textContent = words;
    this.more.hidden = next === null || words === "";
    this.more.disabled = false;
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
