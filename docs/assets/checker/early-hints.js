// Runs in the checker page's head, before the page has rendered (a file, not inline: the CSP
// allows no inline script). The wasm and the standard library are preloaded by the page's HTML
// itself (overrides/checker.html); the memory snapshot is preloaded here, because only a script
// can see whether the browser asks to save data (the worker then starts without the snapshot,
// see worker-client.js). The hint matches the worker's own request (as="fetch",
// crossorigin="anonymous": mode cors, credentials same-origin).
(() => {
  const script = document.currentScript;
  if (!script || !script.dataset.snapshot) return;
  if (navigator.connection && navigator.connection.saveData) return;
  const link = document.createElement("link");
  link.rel = "preload";
  link.href = script.dataset.snapshot;
  link.as = "fetch";
  link.crossOrigin = "anonymous";
  document.head.append(link);
})();
