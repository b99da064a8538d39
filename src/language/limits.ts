// Resource limits of a scenario. The checker enforces the static ones (object and mapping
// sizes, statement count) as MMS6xx errors; the runner enforces maxEvents and maxRunMs.

export interface Limits {
  /** largest `file`/`shmem`/`fbdev`/`pfnmap` object, in pages */
  maxPagesPerObject: number;
  /** largest single `mmap`, in pages */
  maxMappingPages: number;
  /** most statements in one scenario */
  maxStatements: number;
  /** most trace events one run may record (runner) */
  maxEvents: number;
  /** longest wall-clock time one run may take, in milliseconds (runner) */
  maxRunMs: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxPagesPerObject: 4_194_304, // 16 GiB of 4 KiB pages
  maxMappingPages: 4_194_304,
  maxStatements: 1_000_000,
  maxEvents: 20_000_000,
  maxRunMs: 10_000,
});

/** DEFAULT_LIMITS overridden by the defined fields of `partial`. */
export function resolveLimits(partial?: Partial<Limits>): Limits {
  const out: Limits = { ...DEFAULT_LIMITS };
  if (partial) {
    for (const k of Object.keys(out) as (keyof Limits)[]) {
      const v = partial[k];
      if (typeof v === 'number' && !Number.isNaN(v)) out[k] = v;
    }
  }
  return out;
}
