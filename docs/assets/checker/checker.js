// The checker page's main thread: form, permalink, progress and results. The check itself runs in
// Python inside worker.js; this file only shows what the worker reports.
//
// Rules kept throughout: every value that comes from the URL, the form or DNS is put on the page
// with textContent or setAttribute on elements created here, never as HTML.
//
// Material's instant navigation re-inserts this module's <script> on every arrival, but a module
// is evaluated once per document, so arrivals are picked up through Material's document$ and each
// new checker section is mounted once. One worker serves every mount: coming back to the page
// reuses the Python that is already running instead of starting another.

const STRINGS = {
  en: {
    domainLabel: "Domain",
    domainHint: "The cPanel account's main domain, for example example.com (a pasted URL works too).",
    serverLabel: "Server address(es), optional",
    serverHint: "One IPv4 or IPv6 address per line. Left empty, the domain's own address is used.",
    providerLabel: "AutoSSL provider",
    advanced: "More options",
    serviceLabel: "Service subdomains are on (cpanel., webmail., webdisk., cpcalendars., cpcontacts.)",
    autodiscoverLabel: "autodiscover. is added (autodiscover_proxy_subdomains)",
    resellerLabel: "The account is a reseller (adds whm.)",
    addonLabel: "Addon domains, one per line",
    subdomainLabel: "Subdomains, one per line",
    resolverLabel: "Public DNS resolver",
    resolverBoth: "Both (and compare)",
    check: "Check",
    retry: "Retry",
    colName: "Name",
    colWhy: "Why AutoSSL asks for it",
    colStatus: "Status",
    colAddresses: "Addresses",
    colCname: "CNAME chain",
    todoHeading: "What to do",
    uapiLabel: "Exclude these names as the cPanel user (uapi):",
    whmapiLabel: "Or as root through the WHM API (whmapi1):",
    uiPath:
      "In cPanel: SSL/TLS Status → tick the names → “Exclude Domains from AutoSSL”. Then run AutoSSL again.",
    copyTicket: "Copy for ticket",
    copyJson: "Copy JSON",
    copyLink: "Copy link",
    copied: "Copied.",
    copyFailed: "Could not copy: select the text by hand.",
    stageStarting: "Starting the checker…",
    stageRuntime: "Loading the Python runtime (about 14 MB the first time)…",
    stagePackages: "Loading the checker's packages…",
    stageReady: "Ready.",
    stageQueued: "The check starts as soon as the checker has loaded…",
    stageRunning: "Checking…",
    stageDone: "Done.",
    failTimeout:
      "The checker has not finished loading after {seconds} seconds. A proxy, a browser extension or a content filter may be blocking it, or the connection is slow; it keeps loading and carries on by itself if it gets there. Press Retry to start over, or use the command-line tool.",
    failRuntime:
      "The Python runtime could not be loaded, so the checker cannot run. Press Retry; if this keeps happening, use the command-line tool.",
    failPackages:
      "The checker's own files could not be loaded, or did not match their published checksums and were refused. Press Retry; if this keeps happening, use the command-line tool.",
    failImport: "The checker loaded but could not start. Press Retry, or use the command-line tool.",
    failCrash: "The checker stopped unexpectedly. Press Retry to start it again.",
    failUnsupported:
      "This browser cannot run the checker (it needs module Web Workers and WebAssembly). Use a current browser or the command-line tool.",
    runFailed: "The check stopped with an internal error. Press Retry to start the checker again.",
    runTimeout: "The check did not finish in time. Press Retry to start the checker again.",
    offline:
      "Your browser is offline: the DNS lookups cannot reach the resolver, so names will show as not checked.",
    emptyDomain: "Enter a domain to check.",
    detailPrefix: "Details: ",
    statusPending: "checking…",
    statusOk: "OK",
    statusProblem: "needs action",
    statusFailed: "not checked",
    verdict: {
      ok: "Every name points at the server and CAA allows the provider: AutoSSL should be able to validate all of them.",
      action_needed:
        "Some names will fail AutoSSL's validation: correct their DNS records, or exclude them from AutoSSL.",
      inconclusive:
        "Some lookups failed, so this result is incomplete. Nothing definite is wrong in what could be checked; try again or choose another resolver.",
    },
    serverGiven: "Server: {servers} (as given)",
    serverApex: "Server: {servers} (the domain's own address, since none was given)",
    serverUnknown: "Server: unknown (the domain has no address and none was given)",
    moreAbout: "about this finding",
    nothingToDo: "Nothing to do: AutoSSL should succeed for these names.",
  },
  ja: {
    domainLabel: "ドメイン",
    domainHint: "cPanel アカウントのメインドメイン（例: example.com）。URL を貼り付けても構いません。",
    serverLabel: "サーバーの IP アドレス（省略可）",
    serverHint: "IPv4 または IPv6 のアドレスを 1 行に 1 つ。空欄ならドメイン自体のアドレスを使います。",
    providerLabel: "AutoSSL のプロバイダー",
    advanced: "詳細オプション",
    serviceLabel: "サービスサブドメインが有効（cpanel.、webmail.、webdisk.、cpcalendars.、cpcontacts.）",
    autodiscoverLabel: "autodiscover. も対象（autodiscover_proxy_subdomains）",
    resellerLabel: "リセラーアカウント（whm. が加わる）",
    addonLabel: "アドオンドメイン（1 行に 1 つ）",
    subdomainLabel: "サブドメイン（1 行に 1 つ）",
    resolverLabel: "問い合わせる公開 DNS リゾルバー",
    resolverBoth: "両方（結果を比べる）",
    check: "確認する",
    retry: "再試行",
    colName: "名前",
    colWhy: "AutoSSL が含める理由",
    colStatus: "状態",
    colAddresses: "アドレス",
    colCname: "CNAME の連鎖",
    todoHeading: "対処方法",
    uapiLabel: "cPanel ユーザーとしてこれらの名前を除外する（uapi）:",
    whmapiLabel: "または root で WHM API から除外する（whmapi1）:",
    uiPath:
      "cPanel の画面では「SSL/TLS Status」（SSL/TLS ステータス）で名前にチェックを入れ、「Exclude Domains from AutoSSL」（AutoSSL からドメインを除外）を押します。そのあと AutoSSL をもう一度実行してください。",
    copyTicket: "チケット用にコピー",
    copyJson: "JSON をコピー",
    copyLink: "リンクをコピー",
    copied: "コピーしました。",
    copyFailed: "コピーできませんでした。文字列を手で選択してください。",
    stageStarting: "チェッカーを起動しています…",
    stageRuntime: "Python 実行環境を読み込んでいます（初回は約 14 MB）…",
    stagePackages: "チェッカーのパッケージを読み込んでいます…",
    stageReady: "準備ができました。",
    stageQueued: "読み込みが終わりしだい確認を始めます…",
    stageRunning: "確認しています…",
    stageDone: "完了しました。",
    failTimeout:
      "{seconds} 秒たってもチェッカーの読み込みが終わりません。プロキシー、ブラウザー拡張、フィルターが妨げているか、回線が遅い可能性があります。読み込みは続けており、終われば自動で先へ進みます。最初からやり直すには「再試行」を押してください。コマンドライン版でも確認できます。",
    failRuntime:
      "Python 実行環境を読み込めなかったため、チェッカーを動かせません。「再試行」を押してください。繰り返す場合はコマンドライン版を使ってください。",
    failPackages:
      "チェッカー本体のファイルを読み込めなかったか、公開されているチェックサムと一致しなかったため拒否しました。「再試行」を押してください。繰り返す場合はコマンドライン版を使ってください。",
    failImport: "チェッカーは読み込めましたが、起動できませんでした。「再試行」を押すか、コマンドライン版を使ってください。",
    failCrash: "チェッカーが予期せず停止しました。「再試行」を押すと起動し直します。",
    failUnsupported:
      "このブラウザーではチェッカーを動かせません（モジュール形式の Web Worker と WebAssembly が必要です）。新しいブラウザーかコマンドライン版を使ってください。",
    runFailed: "内部エラーで確認が止まりました。「再試行」を押すとチェッカーを起動し直します。",
    runTimeout: "時間内に確認が終わりませんでした。「再試行」を押すとチェッカーを起動し直します。",
    offline:
      "ブラウザーがオフラインです。DNS の問い合わせがリゾルバーに届かないため、名前は「確認できず」と表示されます。",
    emptyDomain: "確認するドメインを入力してください。",
    detailPrefix: "詳細: ",
    statusPending: "確認中…",
    statusOk: "OK",
    statusProblem: "要対応",
    statusFailed: "確認できず",
    verdict: {
      ok: "すべての名前がサーバーを指し、CAA もプロバイダーを許可しています。AutoSSL はすべての名前を検証できるはずです。",
      action_needed:
        "AutoSSL の検証に失敗する名前があります。DNS レコードを直すか、その名前を AutoSSL の対象から除外してください。",
      inconclusive:
        "一部の問い合わせに失敗したため、結果は不完全です。確認できた範囲に明確な問題はありません。もう一度試すか、別のリゾルバーを選んでください。",
    },
    serverGiven: "サーバー: {servers}（入力された値）",
    serverApex: "サーバー: {servers}（入力がないため、ドメイン自体のアドレス）",
    serverUnknown: "サーバー: 不明（ドメインにアドレスがなく、入力もありません）",
    moreAbout: "この指摘の説明",
    nothingToDo: "対処は不要です。これらの名前で AutoSSL は成功するはずです。",
  },
};

// The form's defaults: a parameter equal to its default is left out of the permalink.
const DEFAULTS = {
  provider: "letsencrypt",
  resolver: "both",
  service: true,
  autodiscover: true,
  reseller: false,
};
const LIST_FIELDS = ["server", "addon", "subdomain"];
const SELECT_FIELDS = ["provider", "resolver"];
const TOGGLE_FIELDS = ["service", "autodiscover", "reseller"];
const STAGE_STEPS = { starting: 0, runtime: 1, packages: 2, ready: 3 };
const DEFAULT_LOAD_TIMEOUT_MS = 30000;
// The Python side gives up after 15 s; this only catches a worker that stopped answering.
const RUN_WATCHDOG_MS = 25000;

function testHooks() {
  // Set only by the browser tests through an init script; never read from the URL.
  const hooks = globalThis.__autosslCheckerTest;
  return hooks && typeof hooks === "object" ? hooks : {};
}

function loadTimeoutMs() {
  const value = Number(testHooks().loadTimeoutMs);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_LOAD_TIMEOUT_MS;
}

function runWatchdogMs() {
  const value = Number(testHooks().runWatchdogMs);
  return Number.isFinite(value) && value > 0 ? value : RUN_WATCHDOG_MS;
}

function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

// ---------------------------------------------------------------------------------------------
// The worker: one per page load, shared by every mount, replaced only by Retry.

const host = {
  worker: null,
  stage: "starting",
  failure: null, // {reason, detail}: the worker is gone, only Retry helps
  slow: false, // past the loading deadline, still loading
  snapshot: "", // "used" or "fallback" once Python has started (data-snapshot, for tests and bench)
  listeners: new Set(),
  watchdog: null,
  nextRunId: 1,
};

function notify(message) {
  for (const listener of [...host.listeners]) listener(message);
}

function failHost(reason, detail) {
  if (host.failure) return;
  host.failure = { reason, detail: detail || "" };
  clearTimeout(host.watchdog);
  if (host.worker) {
    host.worker.terminate();
    host.worker = null;
  }
  notify({ type: "failed", reason, detail: detail || "" });
}

// Past the loading deadline the reader is told, but the worker keeps loading: a slow connection
// may still get there, and starting over would not help it.
function markSlow() {
  if (host.slow || host.failure || host.stage === "ready") return;
  host.slow = true;
  notify({ type: "slow" });
}

// A reader whose browser asks to save data is not sent the 6 MB memory snapshot (the worker
// then starts Python the slower way). The page asks, because a worker may not see the setting.
function workerUrl() {
  const url = new URL("./worker.js", import.meta.url);
  if (navigator.connection && navigator.connection.saveData) url.searchParams.set("save-data", "1");
  return url;
}

function startWorker() {
  clearTimeout(host.watchdog);
  if (host.worker) host.worker.terminate();
  host.worker = null;
  host.failure = null;
  host.slow = false;
  host.snapshot = "";
  host.stage = "starting";
  notify({ type: "stage", stage: "starting" });
  if (typeof Worker !== "function" || typeof WebAssembly !== "object") {
    failHost("unsupported", "");
    return;
  }
  let worker;
  try {
    worker = new Worker(workerUrl(), { type: "module" });
  } catch (error) {
    failHost("unsupported", String(error && error.message ? error.message : error));
    return;
  }
  host.worker = worker;
  const timeoutMs = loadTimeoutMs();
  if (timeoutMs !== DEFAULT_LOAD_TIMEOUT_MS) {
    worker.postMessage({ type: "configure", loadTimeoutMs: timeoutMs });
  }
  // The worker watches the same deadline; this is the backstop for a worker too stuck to say so.
  host.watchdog = setTimeout(() => {
    if (host.worker === worker) markSlow();
  }, timeoutMs + 3000);
  worker.addEventListener("message", (event) => {
    if (host.worker !== worker) return;
    const message = event.data || {};
    if (message.type === "stage") {
      host.stage = message.stage;
      // For the benchmark and the tests: when each loading stage began, on the page's clock.
      performance.mark(`autossl-checker:stage-${message.stage}`, {
        detail: { workerMs: message.ms },
      });
      if (message.stage === "ready") {
        clearTimeout(host.watchdog);
        host.slow = false;
        performance.mark("autossl-checker:ready");
      }
      notify(message);
    } else if (message.type === "snapshot") {
      host.snapshot = message.used ? "used" : "fallback";
      performance.mark(`autossl-checker:snapshot-${host.snapshot}`, {
        detail: { reason: String(message.detail || "") },
      });
      notify(message);
    } else if (message.type === "warmed-up") {
      // For the tests and the benchmark: when the warm-up check ended, on the page's clock.
      performance.mark("autossl-checker:warmed-up", { detail: { workerMs: message.ms } });
    } else if (message.type === "slow") {
      markSlow();
    } else if (message.type === "failed") {
      failHost(message.reason, message.detail);
    } else {
      notify(message);
    }
  });
  worker.addEventListener("error", (event) => {
    if (host.worker !== worker) return;
    event.preventDefault();
    failHost(host.stage === "ready" ? "crash" : "runtime", event.message || "worker error");
  });
}

function ensureWorker() {
  if (!host.worker && !host.failure) startWorker();
}

function requestRun(query, lang) {
  const id = host.nextRunId++;
  host.worker.postMessage({ type: "run", id, query, lang, docsBase: docsRoot(lang) });
  return id;
}

// ---------------------------------------------------------------------------------------------
// One mounted checker section.

class CheckerView {
  constructor(root) {
    this.root = root;
    this.lang = root.dataset.lang === "en" ? "en" : "ja";
    this.text = STRINGS[this.lang];
    this.form = this.part("form");
    this.pathname = window.location.pathname;
    this.rowsByName = new Map();
    this.detailsByName = new Map();
    this.rawOverrides = new Map(); // URL values a form control cannot hold, kept until edited
    this.currentRun = null; // {id, query, startedAt, watchdog}
    this.pendingQuery = null; // a check asked for before the worker was ready
    this.lastDone = null;
    this.lastQuery = null;
    this.autoRunWanted = false;
    this.onHostMessage = (message) => this.handle(message);
  }

  part(name) {
    return this.root.querySelector(`[data-checker="${name}"]`);
  }

  mount() {
    for (const element of this.root.querySelectorAll("[data-i18n]")) {
      const value = this.text[element.dataset.i18n];
      if (typeof value === "string") element.textContent = value;
    }
    this.fillFormFromUrl();
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.startCheck();
    });
    this.form.addEventListener("input", (event) => this.fieldChanged(event));
    this.form.addEventListener("change", (event) => this.fieldChanged(event));
    this.part("retry").addEventListener("click", () => this.retry());
    this.part("copy-ticket").addEventListener("click", () =>
      this.copy(this.lastDone ? String(this.lastDone.markdown || "") : ""),
    );
    this.part("copy-json").addEventListener("click", () =>
      this.copy(this.lastDone ? `${JSON.stringify(this.lastDone.result, null, 2)}\n` : ""),
    );
    this.part("copy-link").addEventListener("click", () => this.copy(window.location.href));
    this.root.dataset.mounted = "true";

    host.listeners.add(this.onHostMessage);
    ensureWorker();
    this.showStage(host.stage);
    if (host.snapshot) this.root.dataset.snapshot = host.snapshot;
    if (host.failure) this.showLoadFailure(host.failure.reason, host.failure.detail);
    else if (host.slow) this.showLoadFailure("timeout", "");
    if (this.autoRunWanted) this.startCheck();
  }

  dispose() {
    host.listeners.delete(this.onHostMessage);
    if (this.currentRun) clearTimeout(this.currentRun.watchdog);
    this.currentRun = null;
    this.pendingQuery = null;
  }

  get connected() {
    return this.root.isConnected;
  }

  // --- form and permalink ------------------------------------------------------------------

  // A new query on the same page (a checker link clicked on the checker page itself, or back and
  // forward between two checks): Material's instant navigation ignores a change of query alone,
  // so the form is refilled here and the check started again.
  applyUrl() {
    this.form.reset();
    for (const option of this.form.querySelectorAll("option[data-from-url]")) option.remove();
    this.rawOverrides.clear();
    this.autoRunWanted = false;
    this.fillFormFromUrl();
    if (this.autoRunWanted) this.startCheck();
  }

  fillFormFromUrl() {
    const params = new URLSearchParams(window.location.search);
    this.shownSearch = window.location.search;
    const elements = this.form.elements;
    if (params.has("domain")) {
      elements.domain.value = params.get("domain");
      this.autoRunWanted = elements.domain.value.trim() !== "";
    }
    for (const name of LIST_FIELDS) {
      const values = params.getAll(name);
      if (values.length > 0) elements[name].value = values.join("\n");
    }
    for (const name of SELECT_FIELDS) {
      if (!params.has(name)) continue;
      const value = params.get(name);
      const select = elements[name];
      if (![...select.options].some((option) => option.value === value)) {
        // An unknown value (a test resolver, or a hostile one) stays visible and is passed on
        // unchanged, so that the Python side accepts or refuses it where everything is validated.
        const option = document.createElement("option");
        option.value = value;
        option.textContent = value;
        option.dataset.fromUrl = "true";
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
      LIST_FIELDS.slice(1).some((name) => params.has(name)) ||
      TOGGLE_FIELDS.some((name) => params.has(name)) ||
      params.has("resolver");
    if (advancedUsed) this.part("advanced").open = true;
  }

  fieldChanged(event) {
    const name = event.target && event.target.name;
    if (name) this.rawOverrides.delete(name);
    this.syncUrl();
  }

  // The query the Python facade reads; `complete` spells out every value (for the worker), the
  // short form leaves defaults out (for the permalink).
  buildQuery({ complete }) {
    const elements = this.form.elements;
    const params = new URLSearchParams();
    params.append("domain", elements.domain.value.trim());
    for (const name of LIST_FIELDS) {
      for (const item of splitList(elements[name].value)) params.append(name, item);
    }
    const provider = elements.provider.value;
    if (complete || provider !== DEFAULTS.provider) params.append("provider", provider);
    for (const name of TOGGLE_FIELDS) {
      if (this.rawOverrides.has(name)) {
        params.append(name, this.rawOverrides.get(name));
        continue;
      }
      const on = elements[name].checked;
      if (complete || on !== DEFAULTS[name]) params.append(name, on ? "1" : "0");
    }
    const resolver = elements.resolver.value;
    if (complete || resolver !== DEFAULTS.resolver) params.append("resolver", resolver);
    return params.toString();
  }

  syncUrl() {
    const query = this.buildQuery({ complete: false });
    const url = new URL(window.location.href);
    url.search = this.form.elements.domain.value.trim() === "" && query === "domain=" ? "" : query;
    if (url.href !== window.location.href) {
      window.history.replaceState(window.history.state, "", url.href);
    }
    this.shownSearch = window.location.search;
    this.carryQueryToLanguageLinks();
  }

  // Switching language keeps the check: the theme's language links to the other checker page
  // get the same query.
  carryQueryToLanguageLinks() {
    for (const link of document.querySelectorAll(".md-select__link[hreflang]")) {
      const target = new URL(link.href, window.location.href);
      if (!target.pathname.endsWith("/checker/")) continue;
      target.search = window.location.search;
      link.href = target.href;
    }
  }

  // --- running a check ---------------------------------------------------------------------

  startCheck() {
    this.autoRunWanted = false;
    this.syncUrl();
    if (this.form.elements.domain.value.trim() === "") {
      this.showAlert(this.text.emptyDomain, { retry: false });
      return;
    }
    const query = this.buildQuery({ complete: true });
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
    if (this.currentRun) clearTimeout(this.currentRun.watchdog);
    this.pendingQuery = null;
    this.resetResults();
    if (navigator.onLine === false) this.showAlert(this.text.offline, { retry: false });
    performance.clearMarks("autossl-checker:verdict");
    performance.mark("autossl-checker:run");
    const id = requestRun(query, this.lang);
    this.currentRun = { id, query, watchdog: null };
    this.lastQuery = query;
    this.root.dataset.state = "running";
    this.part("submit").disabled = true;
    if (host.stage === "ready") {
      this.setProgress(3, this.text.stageRunning);
      this.armRunWatchdog();
    } else {
      this.setProgress(STAGE_STEPS[host.stage] || 0, this.text.stageQueued);
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
            this.setProgress(3, this.text.stageRunning);
            this.armRunWatchdog();
          } else if (this.pendingQuery) {
            this.launch(this.pendingQuery);
          }
        }
        break;
      case "snapshot":
        this.root.dataset.snapshot = host.snapshot;
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
        break;
      case "run-failed":
        if (this.currentRun && message.id === this.currentRun.id) {
          this.finishRun();
          this.root.dataset.state = "failed";
          this.root.dataset.failure = "run-error";
          this.showAlert(this.text.runFailed, { retry: true, detail: message.detail });
        }
        break;
      case "run-finished":
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
    let event;
    try {
      event = JSON.parse(jsonText);
    } catch {
      return;
    }
    if (!event || typeof event !== "object") return;
    if (event.event === "plan") this.showPlan(event);
    else if (event.event === "name") this.showRow(event.row || {});
    else if (event.event === "done") this.showDone(event);
    else if (event.event === "error") {
      this.finishRun();
      this.root.dataset.state = "error";
      this.part("results").hidden = true;
      this.setProgress(3, "");
      this.showAlert(String(event.message || ""), { retry: false });
    }
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
      this.setProgress(STAGE_STEPS[stage] || 0, this.text.stageQueued);
    } else if (text !== undefined) {
      this.setProgress(STAGE_STEPS[stage] || 0, text);
    }
  }

  setProgress(step, text) {
    this.part("progress-bar").value = step;
    this.part("progress-text").textContent = text;
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
    const alert = this.part("alert");
    const paragraph = this.part("alert-text");
    paragraph.textContent = message;
    if (detail) {
      const small = document.createElement("small");
      small.className = "autossl-checker__detail";
      small.textContent = `${this.text.detailPrefix}${String(detail).slice(0, 600)}`;
      paragraph.append(document.createElement("br"), small);
    }
    this.part("retry").hidden = !retry;
    alert.hidden = false;
  }

  clearAlert() {
    this.part("alert").hidden = true;
    this.part("alert-text").textContent = "";
    this.part("retry").hidden = true;
    delete this.root.dataset.failure;
  }

  // --- results -------------------------------------------------------------------------------

  resetResults() {
    this.rowsByName.clear();
    this.detailsByName.clear();
    this.lastDone = null;
    this.part("rows").replaceChildren();
    const verdict = this.part("verdict");
    verdict.textContent = "";
    verdict.removeAttribute("data-verdict");
    this.part("summary").textContent = "";
    this.part("todo").hidden = true;
    this.part("actions").hidden = true;
    this.part("results").hidden = true;
    delete this.root.dataset.state;
  }

  showPlan(event) {
    this.part("results").hidden = false;
    const servers = Array.isArray(event.server) ? event.server.map(String) : [];
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
    for (let index = 0; index < 5; index++) row.append(document.createElement("td"));
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
    cell.colSpan = 5;
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
    const codes = Array.isArray(data.codes) ? data.codes.map(String) : [];
    const ok = data.ok === true;
    row.setAttribute("data-ok", ok ? "true" : "false");
    row.setAttribute("data-codes", codes.join(" "));
    row.setAttribute("data-state", "done");
    if (data.why_text || data.why) row.cells[1].textContent = String(data.why_text || data.why);

    const status = row.cells[2];
    const onlyLookupFailed = codes.length > 0 && codes.every((code) => code === "LOOKUP_FAILED");
    status.textContent = ok
      ? this.text.statusOk
      : onlyLookupFailed
        ? this.text.statusFailed
        : this.text.statusProblem;
    status.dataset.status = ok ? "ok" : onlyLookupFailed ? "failed" : "problem";

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

  showDone(event) {
    const result = event.result && typeof event.result === "object" ? event.result : {};
    this.lastDone = event;
    // Rows whose own event never came still get their outcome from the final result.
    for (const name of Array.isArray(result.names) ? result.names : []) {
      const row = this.rowsByName.get(String(name.name));
      if (!row || row.getAttribute("data-state") !== "done") this.showRow(name);
    }
    const verdictName = String(result.verdict || "");
    const verdict = this.part("verdict");
    verdict.setAttribute("data-verdict", verdictName);
    verdict.textContent = this.text.verdict[verdictName] || verdictName;
    this.part("results").hidden = false;

    const adviceList = this.part("advice");
    const advice = listOf(event.advice);
    adviceList.replaceChildren(
      ...(advice.length > 0 ? advice : verdictName === "ok" ? [this.text.nothingToDo] : []).map(
        (line) => lineOf(line, "li"),
      ),
    );
    const commands = event.commands && typeof event.commands === "object" ? event.commands : {};
    const exclude = listOf(result.exclude);
    const showCommands = exclude.length > 0 && (commands.uapi || commands.whmapi1);
    this.part("uapi").textContent = String(commands.uapi || "");
    this.part("whmapi1").textContent = String(commands.whmapi1 || "");
    this.part("exclude").hidden = !showCommands;
    // The advice may already name the cPanel screen; the template's copy is then left out.
    const adviceNamesUi = advice.some((line) => line.includes("SSL/TLS Status"));
    this.part("ui-path").hidden = adviceNamesUi;
    this.part("todo").hidden = adviceList.childElementCount === 0 && !showCommands;
    this.part("actions").hidden = false;
    this.root.dataset.state = "done";
    this.setProgress(3, this.text.stageDone);
    performance.mark("autossl-checker:verdict");
  }

  // --- clipboard -----------------------------------------------------------------------------

  async copy(text) {
    const status = this.part("copy-status");
    let copied = false;
    if (text && navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        copied = true;
      } catch {
        copied = false;
      }
    }
    if (!copied && text) copied = copyWithSelection(text);
    status.textContent = copied ? this.text.copied : this.text.copyFailed;
  }
}

function copyWithSelection(text) {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "autossl-checker__clipboard";
  document.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand("copy");
  } catch {
    copied = false;
  }
  area.remove();
  return copied;
}

function splitList(text) {
  return String(text)
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

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

// The site root (under any version prefix): the checker page is <root>/checker/ in Japanese and
// <root>/en/checker/ in English.
function docsRoot(lang) {
  const page = new URL(window.location.href);
  page.search = "";
  page.hash = "";
  return new URL(lang === "en" ? "../../" : "../", page).href;
}

// Links to the guide's section for a code: the findings page sits beside the checker page in
// the same language (…/checker/ → …/findings/#CODE), which also holds under a versioned prefix.
function findingsHref(code, anchor) {
  let relative = null;
  if (typeof anchor === "string" && /^findings\/#[A-Z][A-Z0-9_]*$/.test(anchor)) relative = anchor;
  else if (/^[A-Z][A-Z0-9_]*$/.test(code)) relative = `findings/#${code}`;
  if (!relative) return null;
  const page = new URL(window.location.href);
  page.search = "";
  page.hash = "";
  return new URL(`../${relative}`, page).href;
}

// ---------------------------------------------------------------------------------------------
// Mounting, once per arrival.

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
  setTimeout(() => view.connected && view.carryQueryToLanguageLinks(), 0);
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
