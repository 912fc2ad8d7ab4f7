// Runs Material's own search worker (from the built site) under Node and prints, as JSON, the
// result locations for each query given on the command line:
//   node tests/site/search_worker.mjs SITE_DIR QUERY...
// The worker is the code a reader's browser runs, fed the site's search_index.json; only the
// worker globals it needs (self, importScripts, postMessage, addEventListener) are provided.

import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";

const [site, ...queries] = process.argv.slice(2);
const scripts = path.join(site, "assets", "javascripts", "workers");
const worker = readdirSync(scripts).find((name) => /^search\.[0-9a-f]+\.min\.js$/.test(name));

const replies = [];
let onMessage;
globalThis.self = globalThis;
globalThis.postMessage = (message) => replies.push(message);
globalThis.addEventListener = (type, listener) => {
  if (type === "message") onMessage = listener;
};
globalThis.importScripts = (...urls) => {
  for (const url of urls) vm.runInThisContext(readFileSync(path.join(scripts, url), "utf8"));
};
vm.runInThisContext(readFileSync(path.join(scripts, worker), "utf8"));

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
const index = JSON.parse(readFileSync(path.join(site, "search", "search_index.json"), "utf8"));
await onMessage({ data: { type: 0, data: { ...index, options: { suggest: false } } } });
while (!replies.length) await settle();

const found = {};
for (const query of queries) {
  replies.length = 0;
  await onMessage({ data: { type: 2, data: query } });
  while (!replies.length) await settle();
  found[query] = replies[0].data.items.flatMap((group) => group.map((item) => item.location));
}
console.log(JSON.stringify(found));
