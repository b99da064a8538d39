// The web extension's stand-in for node:child_process (scripts/build.mjs aliases it): the
// browser extension host cannot start processes, so "Run on a Real Kernel" says so instead.
export const spawn: undefined = undefined;
