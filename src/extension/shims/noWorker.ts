// The web extension's stand-in for node:worker_threads (scripts/build.mjs aliases it): there
// are no worker threads in the browser extension host, so the scenario runs inline there.
export const Worker: undefined = undefined;
export const isMainThread = true;
export const parentPort: null = null;
