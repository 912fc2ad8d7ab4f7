// The page's own words, in both languages: the labels of the form and the table (the page
// furniture) and the messages shown before Python has started or when it cannot. Everything a
// result says (verdict, row status, advice, findings) is made by Python and shown as sent.
//
// Keys match the template's data-i18n attributes (overrides/checker.html) and the view's uses.

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
    copyTicket: "Copy for ticket",
    copyJson: "Copy JSON",
    copyLink: "Copy link",
    copied: "Copied.",
    copyFailed: "Could not copy: select the text by hand.",
    stageStarting: "Starting the checker…",
    stageRuntime: "Loading the Python runtime…",
    stageDownload:
      "Downloading the checker's runtime ({total}). Later visits load it from this browser's cache.",
    downloadProgress: "{received} of {total}",
    downloadLeft: "{received} of {total}, about {seconds} s left",
    megabytes: "{value} MB",
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
    framedAskForClick:
      "This page is shown inside another site, so the check from the link has not been started. Look at the filled-in form and press Check to run it.",
    detailPrefix: "Details: ",
    statusPending: "checking…",
    serverGiven: "Server: {servers} (as given)",
    serverApex: "Server: {servers} (the domain's own address, since none was given)",
    serverUnknown: "Server: unknown (the domain has no address and none was given)",
    moreAbout: "about this finding",
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
    copyTicket: "チケット用にコピー",
    copyJson: "JSON をコピー",
    copyLink: "リンクをコピー",
    copied: "コピーしました。",
    copyFailed: "コピーできませんでした。文字列を手で選択してください。",
    stageStarting: "チェッカーを起動しています…",
    stageRuntime: "Python 実行環境を読み込んでいます…",
    stageDownload:
      "チェッカーの実行環境（{total}）をダウンロードしています。次回からはこのブラウザーのキャッシュから読み込みます。",
    downloadProgress: "{total} 中 {received}",
    downloadLeft: "{total} 中 {received}、残り約 {seconds} 秒",
    megabytes: "{value} MB",
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
    framedAskForClick:
      "このページは別のサイトの中に表示されているため、リンクの確認は自動では始めていません。入力内容を確かめてから「確認する」を押してください。",
    detailPrefix: "詳細: ",
    statusPending: "確認中…",
    serverGiven: "サーバー: {servers}（入力された値）",
    serverApex: "サーバー: {servers}（入力がないため、ドメイン自体のアドレス）",
    serverUnknown: "サーバー: 不明（ドメインにアドレスがなく、入力もありません）",
    moreAbout: "この指摘の説明",
  },
};

export function stringsFor(lang) {
  return STRINGS[lang === "en" ? "en" : "ja"];
}

export function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}
