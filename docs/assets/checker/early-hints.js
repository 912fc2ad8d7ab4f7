// Runs in the checker page's head, before the page has rendered (a file, not inline: the CSP
// allows no inline script). The wasm and the standard library are preloaded by the page's HTML
// itself (overrides/checker.html); two more hints depend on things only a script can see:
// - the memory snapshot is preloaded too, unless the browser asks to save data (the worker then
//   starts without it, see worker-client.js);
// - a ticket link (the page opened with a domain) names its resolver(s): the connection to each
//   is opened now, while the runtime downloads, so the first query does not wait for a TLS
//   handshake. Only resolvers this build allows (the same list the checker enforces) are named;
//   an unknown value in the link gets no connection. Without a domain, nothing is connected.
// Each hint matches how the worker fetches (as="fetch" and crossorigin="anonymous": mode cors,
// credentials same-origin), or the browser would not reuse it.
(() => {
  const script = document.currentScript;
  if (!script) return;
  const addLink = (attributes) => {
    const link = document.createElement("link");
    for (const [name, value] of Object.entries(attributes)) link.setAttribute(name, value);
    document.head.append(link);
  };

  const saveData = Boolean(navigator.connection && navigator.connection.saveData);
  if (!saveData && script.dataset.snapshot) {
    addLink({ rel: "preload", href: script.dataset.snapshot, as: "fetch", crossorigin: "anonymous" });
  }

  let resolvers;
  try {
    resolvers = JSON.parse(script.dataset.resolvers || "{}");
  } catch {
    return;
  }
  const params = new URLSearchParams(window.location.search);
  if (!(params.get("domain") || "").trim()) return;
  const names = (resolvers && resolvers.names) || {};
  const loopback = new Set(["127.0.0.1", "[::1]"]);
  const origins = new Set();
  const values = params.getAll("resolver");
  for (const raw of values.length > 0 ? values : ["both"]) {
    const value = raw.trim();
    const known = names[value.toLowerCase()];
    if (Array.isArray(known)) {
      for (const origin of known) origins.add(origin);
      continue;
    }
    let url;
    try {
      url = new URL(value);
    } catch {
      continue;
    }
    const allowed = Object.values(names).some((list) => list.includes(url.origin));
    const local = resolvers.loopback && /^https?:$/.test(url.protocol) && loopback.has(url.hostname);
    if (allowed || local) origins.add(url.origin);
  }
  for (const origin of origins) addLink({ rel: "preconnect", href: origin, crossorigin: "anonymous" });
})();
