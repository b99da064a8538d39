// Links to the kernel source for the functions a trace names, at the run's version: the
// file comes from the engine's table (engine/kernelFunctions.ts), which knows where each
// function lived at that release; a function without a file is found by name.

import { functionOfCall, isModelFunction, sourceFileOf } from '../engine/kernelFunctions';

/** The kernel function a recorded call names, if it is one (not the model's own stand-in). */
export function functionOf(entry: string): string | undefined {
  const fn = functionOfCall(entry);
  return fn && !isModelFunction(fn) ? fn : undefined;
}

/** An elixir.bootlin.com link for a kernel function at `version` ('6.15', '6.1.192'). */
export function kernelSourceUrl(fn: string, version: string): string {
  const [major, minor] = version.split('.').map(Number);
  const file = sourceFileOf(fn, { major, minor });
  const v = `v${version}`;
  return file ? `https://elixir.bootlin.com/linux/${v}/source/${file}` : `https://elixir.bootlin.com/linux/${v}/A/ident/${fn}`;
}
