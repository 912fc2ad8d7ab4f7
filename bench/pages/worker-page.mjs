// Starts worker.mjs with this page's query string and turns its epoch time stamps into
// milliseconds since this page's navigation started.
const marks = { script_ms: performance.now() };
const toPageMs = (epochMs) => epochMs - performance.timeOrigin;
const worker = new Worker(`worker.mjs${location.search}`, { type: "module" });
worker.onmessage = (event) => {
  const message = event.data;
  if (message.type === "mark") {
    marks[message.name] = toPageMs(message.epoch_ms);
  } else if (message.type === "done") {
    marks.ready_ms = performance.now();
    window.__floor = marks;
  } else if (message.type === "error") {
    window.__floor = { ...marks, error: message.error };
  }
};
worker.onerror = (event) => {
  window.__floor = { ...marks, error: String(event.message || "worker error") };
};
