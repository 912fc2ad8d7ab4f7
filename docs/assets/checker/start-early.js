// Loaded from the checker page's <head> (overrides/checker.html), so the worker, and with it the
// runtime's downloads, starts while the page is still arriving rather than once the page's own
// modules have loaded (measured: about 250 ms later on a visit from the cache). The worker is
// the same one the mounted page uses: worker-client.js keeps one per page load. Checker page only.
import { ensureWorker } from "./worker-client.js";

ensureWorker();
