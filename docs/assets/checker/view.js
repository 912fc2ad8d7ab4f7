// One mounted checker section: the form, the progress line, the alerts, a check's life from the
// click to the verdict, and the copy buttons. The table and the verdict are drawn by results.js,
// the worker is run by worker-client.js, the address bar is kept by permalink.js.
//
// State on the section's root element, for the stylesheet and the tests: data-stage (loading
// stage, or "failed"), data-state ("running", "done", "error", "failed"), data-failure (why),
// data-snapshot ("used" or "fallback").

import { copyText } from "./clipboard.js";
import { LogView, parseLogView } from "./log-view.js";
import { PermalinkForm } from "./permalink.js";
import { ResultsView, docsRoot, parseEvent } from "./results.js";
import { format, stringsFor } from "./strings.js";
import {
  ensureWorker,
  host,
  listen,
  loadTimeoutMs,
  forgetLog,
  requestLogExplained,
  requestLogLines,
  requestRun,
  requestWatch,
  runWatchdogMs,
  startWorker,
  stopWatch,
} from "./worker-client.js";

// Whether a page of another origin shows this one in a frame (at any depth). Such a page could
// make a reader's browser run the checker on a link of its choosing, so the check waits for a
// click. Reading the location of a cross-origin window throws: that, too, means another origin.
export function framedByAnotherOrigin(view = window) {
  let current = view;
  while (current !== current.parent) {
    current = current.parent;
    try {
      if (current.location.origin !== view.location.origin) return true;
    } catch {
      return true;
    }
  }
  return false;
}

// Steps of the progress bar (max 100): the runtime's download fills most of it (the rest of the
// loading is quick beside it on a first visit), then the loading stages and the check.
const DOWNLOAD_SHARE = 90;
const STAGE_STEPS = { starting: 0, runtime: 0, packages: 95, ready: 100 };
const DONE_STEP = 100;
const MEGABYTE = 1e6;

export class CheckerView {
  constructor(root) {
    this.root = root;
    this.lang = root.dataset.lang === "en" ? "en" : "ja";
    this.text = stringsFor(this.lang);
    this.permalink = new PermalinkForm(this.part("form"));
    this.results = new ResultsView(root, this.text);
    this.logView = new LogView(root, this.text, (start, show) => this.askLogLines(start, show));
    this.logRequestId = null; // a pasted log Python is reading
    this.logLinesId = null; // more lines of it the reader asked for
    this.pathname = window.location.pathname;
    this.currentRun = null; // {id, query, watchdog}
    this.pendingQuery = null; // a check asked for before the worker was ready
    this.lastQuery = null;
    this.autoRunWanted = false;
    this.stopListening = () => {};
  }

  part(name) {
    return this.root.querySelector(`[data-checker="${name}"]`);
  }

  get connected() {
    return this.root.isConnected;
  }

  get shownSearch() {
    return this.permalink.shownSearch;
  }

  mount() {
    for (const element of this.root.querySelectorAll("[data-i18n]")) {
      const value = this.text[element.dataset.i18n];
      if (typeof value === "string") element.textContent = value;
    }
    this.fillFormFromUrl();
    const form = this.part("form");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.startCheck();
    });
    form.addEventListener("input", (event) => this.fieldChanged(event));
    form.addEventListener("change", (event) => this.fieldChanged(event));
    this.part("retry").addEventListener("click", () => this.retry());
    this.part("copy-ticket").addEventListener("click", () =>
      this.copy(this.results.ticketMarkdown()),
    );
    this.part("copy-json").addEventListener("click", () => this.copy(this.results.resultJson()));
    this.part("copy-link").addEventListener("click", () => this.copy(window.location.href));
    this.part("copy-records").addEventListener("click", () =>
      this.copy(this.results.recordsText()),
    );
    this.part("watch").addEventListener("click", () => this.startWatch());
    this.part("read-log").addEventListener("click", () => this.readLog());
    // A paste is read at once: the value holds the pasted text only after the event.
    this.part("log-input").addEventListener("paste", () => setTimeout(() => this.readLog(), 0));
    this.root.dataset.mounted = "true";

    this.stopListening = listen((message) => this.handle(message));
    ensureWorker();
    this.showStage(host.stage);
    if (host.snapshot) this.root.dataset.snapshot = host.snapshot;
    if (host.failure) this.showLoadFailure(host.failure.reason, host.failure.detail);
    else if (host.slow) this.showLoadFailure("timeout", "");
    this.autoRunIfAllowed();
  }

  dispose() {
    this.stopListening();
    if (this.currentRun) clearTimeout(this.currentRun.watchdog);
    this.currentRun = null;
    this.pendingQuery = null;
  }

  // --- form and permalink ------------------------------------------------------------------

  fillFormFromUrl() {
    this.showFilledForm(this.permalink.fillFromUrl());
  }

  showFilledForm({ runWanted, advancedUsed, namesUsed }) {
    this.autoRunWanted = runWanted;
    if (advancedUsed) this.part("advanced").open = true;
    if (namesUsed) this.part("paste").open = true;
  }

  // A new query on the same page (a checker link clicked on the checker page itself, or back and
  // forward between two checks): Material's instant navigation ignores a change of query alone,
  // so the form is refilled here and the check started again.
  applyUrl() {
    this.hideLog(); // the log explained belongs to the check it filled, not to this link
    this.showFilledForm(this.permalink.refillFromUrl());
    this.autoRunIfAllowed();
  }

  // A link's check runs by itself, except inside another site's frame: the form is filled and
  // the reader is asked to press Check.
  autoRunIfAllowed() {
    if (!this.autoRunWanted) return;
    if (framedByAnotherOrigin()) {
      this.autoRunWanted = false;
      this.root.dataset.framed = "true";
      this.showAlert(this.text.framedAskForClick, { retry: false });
      return;
    }
    this.startCheck();
  }

  fieldChanged(event) {
    this.permalink.fieldEdited(event.target && event.target.name);
    this.permalink.writeToUrl();
  }

  // --- running a check ---------------------------------------------------------------------

  startCheck() {
    this.autoRunWanted = false;
    this.permalink.writeToUrl();
    if (this.permalink.domain === "" && this.permalink.names.length === 0) {
      this.showAlert(this.text.emptyDomain, { retry: false });
      return;
    }
    const query = this.permalink.query({ complete: true });
    if (host.failure || !host.worker) {
      this.pendingQuery = query;
      this.showLoadFailure(host.failure.reason, host.failure.detail);
      return;
    }
    if (!host.slow) this.clearAlert();
    // The worker queues a check that arrives while Python is still loading, so a ticket link's
    // check starts the moment the runtime is ready, without a round trip through this page.
    this.launch(query);
  }

  launch(query) {
    this.stopWatching();
    if (this.currentRun) clearTimeout(this.currentRun.watchdog);
    this.pendingQuery = null;
    this.resetResults();
    if (navigator.onLine === false) this.showAlert(this.text.offline, { retry: false });
    performance.clearMarks("autossl-checker:verdict");
    performance.mark("autossl-checker:run");
    // While the pasted log is shown, its names' rows also say what cPanel's own check saw.
    const id = requestRun(query, this.lang, docsRoot(this.lang), this.logView.shown);
    this.currentRun = { id, query, watchdog: null };
    this.lastQuery = query;
    this.root.dataset.state = "running";
    this.part("submit").disabled = true;
    if (host.stage === "ready") {
      this.setProgress(DONE_STEP, this.text.stageRunning);
      this.armRunWatchdog();
    } else {
      this.showLoading(host.stage, this.text.stageQueued);
    }
  }

  // Loading has its own deadline; this one covers only the check, once Python is running it.
  armRunWatchdog() {
    const run = this.currentRun;
    if (!run || run.watchdog) return;
    run.watchdog = setTimeout(() => {
      if (this.currentRun === run) {
        this.finishRun();
        this.root.dataset.state = "failed";
        this.root.dataset.failure = "run-timeout";
        this.showAlert(this.text.runTimeout, { retry: true });
      }
    }, runWatchdogMs());
  }

  finishRun() {
    if (this.currentRun) clearTimeout(this.currentRun.watchdog);
    this.currentRun = null;
    this.part("submit").disabled = false;
  }

  // --- a pasted AutoSSL log: Python explains it, its exact names are checked -----------------

  readLog() {
    const text = this.part("log-input").value;
    if (text.trim() === "") return;
    if (host.failure || !host.worker) {
      // Python is not there to read it: the log is kept in the field for Retry.
      if (host.failure) this.showLoadFailure(host.failure.reason, host.failure.detail);
      return;
    }
    this.hideLog();
    this.logRequestId = requestLogExplained(text, this.lang);
    if (!this.currentRun) this.part("progress-text").textContent = this.text.logReading;
  }

  showLogExplained(jsonText) {
    this.logRequestId = null;
    const view = parseLogView(jsonText);
    if (!view) return;
    const names = this.logView.show(view);
    if (names.length === 0) {
      if (!this.currentRun) this.showStage(host.stage); // the log's one sentence says why
      return;
    }
    this.permalink.setNames(names);
    this.permalink.writeToUrl();
    this.startCheck();
  }

  askLogLines(start, show) {
    if (!host.worker || host.stage !== "ready") return;
    this.logLinesId = requestLogLines(start, 0, show, this.lang);
  }

  hideLog() {
    this.logView.hide();
    this.logRequestId = null;
    this.logLinesId = null;
    forgetLog();
  }

  // --- the watch: Python re-checks the failing names as their cached answers expire ----------

  startWatch() {
    if (!this.lastQuery || !host.worker || host.stage !== "ready" || this.currentRun) return;
    // Asked only here, on the reader's click; the answer matters only when everything is fine.
    if (typeof Notification === "function" && Notification.permission === "default") {
      Promise.resolve(Notification.requestPermission()).catch(() => {});
    }
    this.stopWatching();
    this.watchId = requestWatch(this.lastQuery, this.lang);
    this.results.watchStarted();
  }

  stopWatching() {
    if (!this.watchId) return;
    stopWatch();
    this.watchId = null;
  }

  retry() {
    this.clearAlert();
    // A check that was waiting, queued in the old worker, or interrupted by the failure runs
    // again on the new worker.
    this.pendingQuery =
      this.pendingQuery ||
      (this.currentRun && this.currentRun.query) ||
      (this.root.dataset.state === "failed" ? this.lastQuery : null);
    this.finishRun();
    startWorker();
  }

  handle(message) {
    if (!this.connected) return;
    switch (message.type) {
      case "stage":
        this.showStage(message.stage);
        if (message.stage === "starting") this.clearAlert();
        if (message.stage === "ready" && this.root.dataset.failure === "timeout") this.clearAlert();
        if (message.stage === "ready") {
          if (this.currentRun) {
            this.setProgress(DONE_STEP, this.text.stageRunning);
            this.armRunWatchdog();
          } else if (this.pendingQuery) {
            this.launch(this.pendingQuery);
          }
        }
        break;
      case "snapshot":
        this.root.dataset.snapshot = host.snapshot;
        break;
      case "download":
        if (host.stage === "starting" || host.stage === "runtime") this.showStage(host.stage);
        break;
      case "slow":
        this.showLoadFailure("timeout", "");
        break;
      case "failed":
        if (this.currentRun) {
          this.pendingQuery = this.currentRun.query;
          this.root.dataset.state = "failed";
        }
        this.finishRun();
        this.showLoadFailure(message.reason, message.detail);
        break;
      case "event":
        if (this.currentRun && message.id === this.currentRun.id) this.handleEvent(message.json);
        else if (this.watchId && message.id === this.watchId) {
          this.results.showWatchEvent(message.json);
        }
        break;
      case "log-explained":
        if (message.id === this.logRequestId) this.showLogExplained(message.json);
        break;
      case "log-lines":
        if (message.id === this.logLinesId) {
          this.logLinesId = null;
          const page = parseLogView(message.json);
          if (page) this.logView.showPage(page);
        }
        break;
      case "run-failed":
        if (message.id === this.logLinesId) {
          this.logLinesId = null;
          this.logView.pageFailed();
        }
        if (message.id === this.logRequestId) {
          this.logRequestId = null;
          this.showAlert(this.text.runFailed, { retry: true, detail: message.detail });
        }
        if (this.watchId && message.id === this.watchId) {
          this.watchId = null;
          this.results.showWatchEvent(JSON.stringify({ event: "error", message: "" }));
        }
        if (this.currentRun && message.id === this.currentRun.id) {
          this.finishRun();
          this.root.dataset.state = "failed";
          this.root.dataset.failure = "run-error";
          this.showAlert(this.text.runFailed, { retry: true, detail: message.detail });
        }
        break;
      case "run-finished":
        if (this.watchId && message.id === this.watchId) this.watchId = null;
        if (this.currentRun && message.id === this.currentRun.id) {
          this.finishRun();
          if (this.root.dataset.state === "running") this.root.dataset.state = "done";
        }
        break;
      default:
        break;
    }
  }

  handleEvent(jsonText) {
    const event = parseEvent(jsonText);
    if (!event) return;
    if (event.event === "plan") this.results.showPlan(event);
    else if (event.event === "name") this.results.showRow(event.row || {});
    else if (event.event === "done") this.showDone(event);
    else if (event.event === "error") {
      this.finishRun();
      this.root.dataset.state = "error";
      this.results.hide();
      this.setProgress(DONE_STEP, "");
      this.showAlert(String(event.message || ""), { retry: false });
    }
  }

  resetResults() {
    this.results.reset();
    delete this.root.dataset.state;
  }

  showDone(event) {
    this.results.showDone(event);
    this.root.dataset.state = "done";
    this.setProgress(DONE_STEP, this.text.stageDone);
    performance.mark("autossl-checker:verdict");
  }

  // --- progress and messages ---------------------------------------------------------------

  showStage(stage) {
    this.root.dataset.stage = stage;
    const text = {
      starting: this.text.stageStarting,
      runtime: this.text.stageRuntime,
      packages: this.text.stagePackages,
      ready: this.text.stageReady,
    }[stage];
    const waiting = this.currentRun || this.pendingQuery;
    if (waiting && stage === "ready") return;
    if (waiting) {
      this.showLoading(stage, this.text.stageQueued);
    } else if (text !== undefined) {
      this.showLoading(stage, text);
    }
  }

  loadingStep(stage) {
    const download = host.download;
    if ((stage === "starting" || stage === "runtime") && download) {
      return Math.floor((DOWNLOAD_SHARE * download.received) / download.total);
    }
    return STAGE_STEPS[stage] || 0;
  }

  // While the runtime downloads, the sentence that names its size and the cache comes first; it
  // changes only with the stage, so the live region is not kept talking. The bytes so far and
  // the time left go to the detail line and the bar's value text, which are not announced.
  showLoading(stage, text) {
    const download = host.download;
    if (!download || download.received >= download.total || stage === "ready") {
      this.setProgress(this.loadingStep(stage), text);
      return;
    }
    const total = this.megabytes(download.total, 0);
    const received = this.megabytes(download.received, 1);
    const seconds = download.bytesPerSecond
      ? Math.ceil((download.total - download.received) / download.bytesPerSecond)
      : 0;
    const detail = seconds
      ? format(this.text.downloadLeft, { received, total, seconds })
      : format(this.text.downloadProgress, { received, total });
    const sentence = format(this.text.stageDownload, { total });
    const waiting = text === this.text.stageQueued ? ` ${text}` : "";
    this.setProgress(this.loadingStep(stage), `${sentence}${waiting}`, detail);
  }

  megabytes(bytes, digits) {
    return format(this.text.megabytes, { value: (bytes / MEGABYTE).toFixed(digits) });
  }

  setProgress(step, text, detail = "") {
    const bar = this.part("progress-bar");
    bar.value = step;
    if (detail) bar.setAttribute("aria-valuetext", detail);
    else bar.removeAttribute("aria-valuetext");
    this.part("progress-detail").textContent = detail;
    const shown = this.part("progress-text");
    if (shown.textContent !== text) shown.textContent = text;
  }

  showLoadFailure(reason, detail) {
    const text = this.text;
    const messages = {
      timeout: format(text.failTimeout, { seconds: Math.round(loadTimeoutMs() / 1000) }),
      runtime: text.failRuntime,
      packages: text.failPackages,
      import: text.failImport,
      crash: text.failCrash,
      unsupported: text.failUnsupported,
    };
    this.root.dataset.failure = reason;
    // Past the deadline the worker is still loading: its stage and progress stay on show.
    if (reason !== "timeout") {
      this.root.dataset.stage = "failed";
      this.setProgress(0, "");
    }
    this.showAlert(messages[reason] || text.failCrash, {
      retry: reason !== "unsupported",
      detail: reason === "timeout" ? "" : detail,
    });
  }

  showAlert(message, { retry, detail }) {
    const paragraph = this.part("alert-text");
    paragraph.textContent = message;
    if (detail) {
      const small = document.createElement("small");
      small.className = "autossl-checker__detail";
      small.textContent = `${this.text.detailPrefix}${String(detail).slice(0, 600)}`;
      paragraph.append(document.createElement("br"), small);
    }
    this.part("retry").hidden = !retry;
    this.part("alert").hidden = false;
  }

  clearAlert() {
    this.part("alert").hidden = true;
    this.part("alert-text").textContent = "";
    this.part("retry").hidden = true;
    delete this.root.dataset.failure;
  }

  // --- clipboard -----------------------------------------------------------------------------

  async copy(text) {
    const copied = await copyText(text);
    this.part("copy-status").textContent = copied ? this.text.copied : this.text.copyFailed;
  }
}
