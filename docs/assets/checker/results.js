// The results: one table row per name as its answers arrive, then the verdict, what to do and
// the commands. Every word of a result (row status, finding, note, verdict, advice) is Python's,
// shown as sent; this file only places it. Values from the URL or DNS go in with textContent or
// setAttribute on elements created here, never as HTML.
//
// The facade's events (checker/autossl_check/browser.py) used here:
//   plan  {names: [{name, why_text}], server: [...], server_source}
//   name  {row: {name, why_text, ok, codes, status, status_text, cpanel_text, a, aaaa, cname,
//                notes, findings}}
//   done  {verdict, verdict_text, advice: [{key, text}], exclude, commands, markdown, result,
//          records: {title, copy, text, rows}, watch: {label} | null}
//   during a watch: name (as above), watch {state, title, names: [{name, text}], notify,
//          and at the end verdict, verdict_text},
//          error {message}

import { format } from "./strings.js";

const COLUMNS = 5;

function listOf(value) {
  return Array.isArray(value) ? value.map(String) : [];
}

function lineOf(text, tag, className, prefix = "") {
  const element = document.createElement(tag);
  if (className) element.className = className;
  element.textContent = text;
  if (tag === "code") {
    const wrapper = document.createElement("div");
    if (prefix) wrapper.append(document.createTextNode(prefix));
    wrapper.append(element);
    return wrapper;
  }
  return element;
}

function checkerPageUrl() {
  const page = new URL(window.location.href);
  page.search = "";
  page.hash = "";
  return page;
}

// The site root (under any version prefix): the checker page is <root>/checker/ in Japanese and
// <root>/en/checker/ in English. The ticket Markdown's links to the guide start there.
export function docsRoot(lang) {
  return new URL(lang === "en" ? "../../" : "../", checkerPageUrl()).href;
}

// Links to the guide's section for a code: the findings page sits beside the checker page in
// the same language (…/checker/ → …/findings/#CODE), which also holds under a versioned prefix.
function findingsHref(code, anchor) {
  let relative = null;
  if (typeof anchor === "string" && /^findings\/#[A-Z][A-Z0-9_]*$/.test(anchor)) relative = anchor;
  else if (/^[A-Z][A-Z0-9_]*$/.test(code)) relative = `findings/#${code}`;
  if (!relative) return null;
  return new URL(`../${relative}`, checkerPageUrl()).href;
}

// One of the facade's events, or null for anything that is not a JSON object.
export function parseEvent(jsonText) {
  try {
    const event = JSON.parse(jsonText);
    return event && typeof event === "object" ? event : null;
  } catch {
    return null;
  }
}

export class ResultsView {
  constructor(root, text) {
    this.root = root;
    this.text = text;
    this.rowsByName = new Map();
    this.detailsByName = new Map();
    this.lastDone = null; // the done event, for the copy buttons
  }

  part(name) {
    return this.root.querySelector(`[data-checker="${name}"]`);
  }

  reset() {
    this.rowsByName.clear();
    this.detailsByName.clear();
    this.lastDone = null;
    this.part("rows").replaceChildren();
    const verdict = this.part("verdict");
    verdict.textContent = "";
    verdict.removeAttribute("data-verdict");
    this.part("summary").textContent = "";
    this.part("todo").hidden = true;
    this.part("records").hidden = true;
    this.part("watch-box").hidden = true;
    this.part("watch-list").replaceChildren();
    this.part("watch-status").textContent = "";
    delete this.root.dataset.watch;
    if (this.titleBeforeWatch !== undefined) document.title = this.titleBeforeWatch;
    this.part("actions").hidden = true;
    this.part("results").hidden = true;
  }

  hide() {
    this.part("results").hidden = true;
  }

  ticketMarkdown() {
    return this.lastDone ? String(this.lastDone.markdown || "") : "";
  }

  recordsText() {
    const records = this.lastDone && this.lastDone.records;
    return records && typeof records === "object" ? String(records.text || "") : "";
  }

  resultJson() {
    return this.lastDone ? `${JSON.stringify(this.lastDone.result, null, 2)}\n` : "";
  }

  showPlan(event) {
    this.part("results").hidden = false;
    const servers = listOf(event.server);
    const summary = this.part("summary");
    if (servers.length === 0) summary.textContent = this.text.serverUnknown;
    else {
      const template = event.server_source === "apex" ? this.text.serverApex : this.text.serverGiven;
      summary.textContent = format(template, { servers: servers.join(", ") });
    }
    for (const planned of Array.isArray(event.names) ? event.names : []) {
      const row = this.rowFor(String(planned.name));
      row.cells[1].textContent = String(planned.why_text || planned.why || "");
    }
  }

  rowFor(name) {
    let row = this.rowsByName.get(name);
    if (row) return row;
    row = document.createElement("tr");
    row.setAttribute("data-name", name);
    row.setAttribute("data-state", "pending");
    for (let index = 0; index < COLUMNS; index++) row.append(document.createElement("td"));
    const code = document.createElement("code");
    code.textContent = name;
    row.cells[0].append(code);
    row.cells[2].textContent = this.text.statusPending;
    row.cells[2].className = "autossl-checker__status";
    // Findings and notes are long prose: they get the table's full width in a row of their own
    // right below the name's row, shown only when there is something to say.
    const details = document.createElement("tr");
    details.className = "autossl-checker__details";
    details.setAttribute("data-details-for", name);
    details.hidden = true;
    const cell = document.createElement("td");
    cell.colSpan = COLUMNS;
    details.append(cell);
    this.part("rows").append(row, details);
    this.rowsByName.set(name, row);
    this.detailsByName.set(name, details);
    return row;
  }

  showRow(data) {
    const name = String(data.name || "");
    if (!name) return;
    const row = this.rowFor(name);
    const codes = listOf(data.codes);
    row.setAttribute("data-ok", data.ok === true ? "true" : "false");
    row.setAttribute("data-codes", codes.join(" "));
    row.setAttribute("data-state", "done");
    if (data.why_text || data.why) row.cells[1].textContent = String(data.why_text || data.why);

    // "ok", "problem", "failed" or "check" and its words, both as Python decided them.
    const status = row.cells[2];
    status.textContent = String(data.status_text || "");
    status.setAttribute("data-status", String(data.status || ""));
    // A check of a pasted log's names: what cPanel's own check said, beside the public status.
    if (data.cpanel_text) {
      status.append(lineOf(String(data.cpanel_text), "span", "autossl-checker__cpanel"));
    }

    const addresses = [...listOf(data.a), ...listOf(data.aaaa)];
    row.cells[3].replaceChildren(...addresses.map((address) => lineOf(address, "code")));
    // One hop per line, each after an arrow: name → first target → … → last target.
    const chain = listOf(data.cname);
    row.cells[4].replaceChildren(...chain.map((target) => lineOf(target, "code", "", "→ ")));

    const details = [];
    for (const finding of Array.isArray(data.findings) ? data.findings : []) {
      details.push(this.findingElement(finding || {}));
    }
    for (const note of listOf(data.notes)) {
      details.push(lineOf(note, "span", "autossl-checker__note"));
    }
    const detailsRow = this.detailsByName.get(name);
    detailsRow.cells[0].replaceChildren(...details);
    detailsRow.hidden = details.length === 0;
    row.classList.toggle("autossl-checker__row--with-details", details.length > 0);
  }

  findingElement(finding) {
    const code = String(finding.code || "");
    const wrapper = document.createElement("div");
    wrapper.className = "autossl-checker__finding";
    const label = document.createElement("strong");
    label.textContent = code;
    wrapper.append(label);
    if (finding.title) {
      wrapper.append(document.createTextNode(` — ${String(finding.title)}`));
    }
    if (finding.text) {
      const explanation = document.createElement("span");
      explanation.className = "autossl-checker__finding-text";
      explanation.textContent = String(finding.text);
      wrapper.append(explanation);
    }
    const href = findingsHref(code, finding.anchor);
    if (href) {
      const link = document.createElement("a");
      link.setAttribute("href", href);
      link.textContent = this.text.moreAbout;
      wrapper.append(document.createTextNode(" "), link);
    }
    return wrapper;
  }

  // Every name has had its row event by now: the facade sends one for each planned name first.
  showDone(event) {
    this.lastDone = event;
    const verdict = this.part("verdict");
    verdict.setAttribute("data-verdict", String(event.verdict || ""));
    verdict.textContent = String(event.verdict_text || "");
    this.part("results").hidden = false;

    const advice = (Array.isArray(event.advice) ? event.advice : []).filter(
      (item) => item && typeof item === "object",
    );
    this.part("advice").replaceChildren(...advice.map((item) => lineOf(String(item.text), "li")));
    // The exclude advice names the cPanel screen and points at the commands shown below it.
    const commands = event.commands && typeof event.commands === "object" ? event.commands : {};
    const showCommands =
      advice.some((item) => item.key === "exclude") && Boolean(commands.uapi || commands.whmapi1);
    this.part("uapi").textContent = String(commands.uapi || "");
    this.part("whmapi1").textContent = String(commands.whmapi1 || "");
    this.part("exclude").hidden = !showCommands;
    this.part("todo").hidden = advice.length === 0 && !showCommands;
    this.showRecords(event.records);
    const watch = event.watch && typeof event.watch === "object" ? event.watch : null;
    this.part("watch").textContent = watch ? String(watch.label || "") : "";
    this.part("watch").disabled = false;
    this.part("watch-box").hidden = !watch;
    this.part("actions").hidden = false;
  }

  showRecords(records) {
    const block = records && typeof records === "object" ? records : {};
    const text = String(block.text || "");
    this.part("records-title").textContent = String(block.title || "");
    this.part("records-text").textContent = text;
    this.part("copy-records").textContent = String(block.copy || "");
    this.part("records").hidden = text === "";
  }

  // --- the watch ---------------------------------------------------------------------------

  watchStarted() {
    if (this.titleBeforeWatch === undefined) this.titleBeforeWatch = document.title;
    this.part("watch").disabled = true;
    this.root.dataset.watch = "starting";
  }

  showWatchEvent(jsonText) {
    const event = parseEvent(jsonText);
    if (!event) return;
    if (event.event === "name") this.showRow(event.row || {});
    else if (event.event === "error") {
      this.part("watch-status").textContent = String(event.message || "");
      this.part("watch").disabled = false;
    } else if (event.event === "watch") this.showWatch(event);
  }

  showWatch(event) {
    const state = String(event.state || "");
    this.root.dataset.watch = state;
    if (event.title) document.title = String(event.title);
    const names = Array.isArray(event.names) ? event.names : [];
    this.part("watch-list").replaceChildren(
      ...names.map((item) => {
        const line = lineOf(String((item && item.text) || ""), "li");
        line.setAttribute("data-name", String((item && item.name) || ""));
        return line;
      }),
    );
    this.part("watch-status").textContent = String(event.notify || "");
    if (state !== "watching") this.part("watch").disabled = state === "done";
    if (event.verdict_text) {
      const verdict = this.part("verdict");
      verdict.setAttribute("data-verdict", String(event.verdict || ""));
      verdict.textContent = String(event.verdict_text);
    }
    // Only when the reader allowed it, asked on their click on the Watch button.
    if (event.notify && typeof Notification === "function" && Notification.permission === "granted") {
      try {
        new Notification(String(event.notify), { body: String(event.title || "") });
      } catch {
        // Some browsers allow notifications only from a service worker: the title still says it.
      }
    }
  }
}
