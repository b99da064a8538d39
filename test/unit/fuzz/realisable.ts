// Scenarios the real-kernel oracle can run whole (docs/real-kernel.md, "How statements
// become user-space triggers"), for the differential fuzz against real kernels
// (`npm run fuzz:kernel`, scripts/oracle/fuzz-kernel.ts). The realisable subset of the
// grammar of gen.ts: ext4 files (some cold), one tmpfs object, anonymous memory and the
// bochs fbdev (vmalloc, the kernel's 48 ms delay); several processes, forks, shared and
// private mappings, mprotect / munmap that split VMAs, accesses, writeback, msync,
// mkclean of a file page (stood in by writeback), clear_refs, flush, short waits, and a
// few expectations. Never: pfnmap, carveout/contig fbdevs, wrprotect, pfn_mkclean,
// unmap_range, mkclean of shmem (no user-space trigger).
//
// Mappings stay inside their object (the guest's fb has 1000 pages, the scenario's fewer:
// an access past the scenario's size would differ by construction) and in fixed slots
// (one per label: the oracle maps with MAP_FIXED_NOREPLACE, and a mapping over another
// would fail there).

import fc from 'fast-check';
import { parse } from '../../../src/language/parser';
import { check } from '../../../src/language/checker';
import { runText } from '../../../src/scenario/run';

const PROCS = ['p0', 'p1', 'p2'];
const REFUSED = new Set(['MMS511', 'MMS512', 'MMS513']);
/** an `expect pipe` / `expect pin` after every holder exited, or of a buffer never registered: no process to look from */
const GONE = /was released|was unpinned|was not registered|^no (pipe|pinned buffer) /;
const CHILD = ['c0', 'c1'];
const LABELS = ['m0', 'm1'];
/** labels a later mmap may take (m0/m1 are mostly taken by the prefix) */
const NEW_LABELS = ['m1', 'm2', 'm3'];
const SLOT = (s: number): string => '0x' + (0x7f0000000000 + s * 0x100000).toString(16);

export interface RealisableShape {
  /** pages of f0 (warm), f1 (cold), s0 (tmpfs), fb0 (fbdev) */
  f0: number; f1: number; s0: number; fb0: number;
}

const shape: fc.Arbitrary<RealisableShape> = fc.record({
  f0: fc.integer({ min: 1, max: 8 }), f1: fc.integer({ min: 1, max: 8 }),
  s0: fc.integer({ min: 1, max: 6 }), fb0: fc.integer({ min: 1, max: 6 }),
});

/** The body of one scenario, given the object sizes. */
function body(sh: RealisableShape, maxBody: number): fc.Arbitrary<string[]> {
  const size: Record<string, number> = { f0: sh.f0, f1: sh.f1, s0: sh.s0, fb0: sh.fb0, anon: 8 };
  const proc = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PROCS) }, { weight: 1, arbitrary: fc.constantFrom(...CHILD) });
  const label = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...LABELS) }, { weight: 1, arbitrary: fc.constantFrom('m2', 'm3') });
  const page = fc.integer({ min: 0, max: 3 });
  const spec = fc.oneof(
    fc.tuple(label, page).map(([l, i]) => `${l}[${i}]`),
    fc.tuple(label, page, page).map(([l, a, b]) => `${l}[${Math.min(a, b)}..${Math.max(a, b)}]`),
  );
  // object weights: shared files and the fbdev first
  const obj = fc.oneof({ weight: 4, arbitrary: fc.constant('f0') }, { weight: 1, arbitrary: fc.constant('f1') },
    { weight: 2, arbitrary: fc.constant('s0') }, { weight: 3, arbitrary: fc.constant('fb0') }, { weight: 2, arbitrary: fc.constant('anon') });
  const mmapOf = (procs: fc.Arbitrary<string>, labels: fc.Arbitrary<string>) => fc.tuple(procs, obj, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 2, max: 8 }), fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 0, max: 3 }), fc.constantFrom('rw', 'rw', 'r'), labels)
    .map(([p, o, slot, n, off, shared, pr, l]) => {
      const max = size[o];
      const offset = o === 'anon' ? 0 : Math.min(off, max - 1);
      const pages = Math.max(1, Math.min(n, max - offset));
      // shared three times in four (write-notify, rmap walks); private for COW
      const kind = shared === 0 ? 'private' : 'shared';
      // the slot of a label is its own (labels are unique per process): no mmap over another
      return `mmap ${p} ${o} at ${SLOT(2 * Number(l.slice(1)) + (slot % 2))} pages ${pages}${offset ? ` offset ${offset}` : ''} ${kind} ${pr} as ${l}`;
    });
  const mmap = mmapOf(proc, fc.constantFrom(...NEW_LABELS));
  // every process maps m0 first (so most accesses name a mapping that exists), some m1 too
  const prefix = fc.tuple(...PROCS.map((p) => mmapOf(fc.constant(p), fc.constant('m0'))), fc.array(mmapOf(fc.constantFrom(...PROCS), fc.constant('m1')), { maxLength: 3 }))
    .map((xs) => xs.flat());
  const stmt = fc.oneof(
    { weight: 5, arbitrary: mmap },
    { weight: 10, arbitrary: fc.tuple(fc.constantFrom('read', 'write', 'write'), proc, spec).map(([k, p, s]) => `${k} ${p} ${s}`) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('p0', 'p1'), fc.constantFrom(...CHILD)).map(([p, c]) => `fork ${p} as ${c}`) },
    { weight: 1, arbitrary: proc.map((p) => `exit ${p}`) },
    // page ranges only: after a whole label is unmapped the oracle has no address for it
    // (translate.ts: "no mapping labelled"), and an access there would not be compared
    { weight: 1, arbitrary: fc.tuple(proc, spec).map(([p, s]) => `munmap ${p} ${s}`) },
    { weight: 2, arbitrary: fc.tuple(proc, fc.oneof(label, spec), fc.constantFrom('r', 'rw', 'w', 'none')).map(([p, s, pr]) => `mprotect ${p} ${s} ${pr}`) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('f0', 'f1'), page).map(([o, i]) => `mkclean ${o}[${Math.min(i, size[o] - 1)}]`) },
    { weight: 2, arbitrary: fc.constantFrom('f0', 'f1', 's0', 'fb0').map((o) => `writeback ${o}`) },
    { weight: 1, arbitrary: fc.tuple(proc, label).map(([p, l]) => `msync ${p} ${l}`) },
    { weight: 1, arbitrary: fc.constant('flush fb0') },
    { weight: 1, arbitrary: proc.map((p) => `clear_refs ${p} softdirty`) },
    { weight: 1, arbitrary: fc.constantFrom('5ms', '120ms').map((d) => `wait ${d}`) },
    { weight: 1, arbitrary: fc.tuple(proc, fc.integer({ min: 0, max: 6 })).map(([p, n]) => `expect faults ${p} ${n}`) },
    { weight: 1, arbitrary: fc.tuple(proc, spec, fc.constantFrom('present', 'write', '!write', 'dirty', '!dirty', 'young', 'none'))
      .map(([p, s, f]) => `expect pte ${p} ${s} ${f}`) },
  );
  return fc.tuple(prefix, fc.array(stmt, { minLength: 4, maxLength: maxBody })).map(([a, b]) => [...a, ...b]);
}

/** One realisable scenario (no `kernel` line: the oracle runs the engine at the booted release). */
export const realisableScenario = (maxBody = 24): fc.Arbitrary<string> =>
  fc.tuple(shape, fc.boolean()).chain(([sh, fab]) => body(sh, maxBody).map((b) => [
    ...(fab ? ['sysctl fault_around_bytes 4096'] : []),
    `file f0 pages ${sh.f0}`,
    `file f1 pages ${sh.f1} cold`,
    `shmem s0 pages ${sh.s0}`,
    `fbdev fb0 pages ${sh.fb0} backing vmalloc delay 48ms`,
    ...PROCS.map((p) => `process ${p}`),
    ...b,
  ].join('\n') + '\n'));

/** Drop the lines the checker refuses (a label never mapped, a process gone), until none is. */
export function keepValid(text: string): string | null {
  let lines = text.trimEnd().split('\n');
  for (let round = 0; round < 40; round++) {
    const { scenario, diagnostics } = parse(lines.join('\n') + '\n');
    const chk = check(scenario);
    const bad = new Set([...diagnostics, ...chk.diagnostics].filter((d) => d.severity === 'error').map((d) => d.range.start.line));
    for (const s of chk.invalid) bad.add(s.range.start.line);
    // what the engine refuses to model (MMS512: split, migrate, collapse or pageout of a folio a
    // pipe or a pin holds) would leave engine and kernel apart: such lines go too; and so does a
    // vmsplice or pin refused (MMS511, MMS513) where the generator's ranges left a hole, which
    // the oracle cannot place (the label has no mapping there; test/regressions cover EFAULT),
    // and an expectation about a pipe or buffer no live process holds (GONE)
    if (!bad.size && lines.some((l) => l.startsWith('vmsplice ') || l.startsWith('pin '))) {
      for (const d of runText(lines.join('\n') + '\n').diagnostics) {
        if (REFUSED.has(d.code) || (d.code === 'MMS701' && GONE.test(d.message))) bad.add(d.range.start.line);
      }
    }
    if (!bad.size) return lines.join('\n') + '\n';
    lines = lines.filter((_, i) => !bad.has(i));
  }
  return null;
}

