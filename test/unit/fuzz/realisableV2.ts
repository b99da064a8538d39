// Language v2 scenarios the real-kernel oracle runs whole, for the differential fuzz
// (`npm run fuzz:kernel -- --lang v2`, scripts/oracle/fuzz-kernel.ts). realisable.ts makes
// the v1 ones. These mix what the language spec ("Language v2: additions") adds and the
// oracle realises: THP knobs (`sysctl thp enabled|anon SIZE|shmem SIZE|shmem_enabled|
// use_zero_page`; the per-size knobs fail with ENOENT on 6.1, as in the engine there),
// `sysctl swap pages N [sync]`, anonymous mappings sized and aligned so that PMD THPs and
// mTHPs occur, a tmpfs object with `huge=`, shared anonymous memory, madvise (every
// advice), mremap (moves, in place), split, migrate (MADV_SOFT_OFFLINE), fork/exit, reads
// and writes of ranges, mprotect / munmap of parts of a THP, writeback.
//
// Each label has its object and size (so page indexes stay inside it) and its own slot,
// 16 MiB apart and 2 MiB aligned (the oracle maps with MAP_FIXED_NOREPLACE). mremap
// targets lie in their own area, aligned to a PMD or not. No `expect` lines: the
// comparison compares the state after every statement.

import fc from 'fast-check';

const PROCS = ['p0', 'p1'];
const CHILD = ['c0', 'c1'];
const BASE = 0x7f0000000000;
const MOVE_BASE = 0x7e0000000000;
const SLOT_BYTES = 0x1000000;
const hex = (n: number): string => '0x' + n.toString(16);
const MTHP_SIZES = ['16K', '32K', '64K', '128K', '256K', '512K', '1M', '2M'];

/** the labels: t, u anonymous private (PMD THP, mTHP); s the tmpfs object; a shared anonymous; f an ext4 file */
export interface V2Shape {
  tPages: number; tOffset: number; uPages: number; sPages: number; sHuge: string; aPages: number; fPages: number;
}

const shape: fc.Arbitrary<V2Shape> = fc.record({
  tPages: fc.constantFrom(512, 512, 1024, 600),
  // mostly 2 MiB aligned: a PMD fits; sometimes 16 pages in (only mTHPs, or the second PMD)
  tOffset: fc.constantFrom(0, 0, 0, 16),
  uPages: fc.constantFrom(16, 32, 64, 256),
  sPages: fc.constantFrom(512, 512, 1024, 64),
  sHuge: fc.constantFrom('always', 'always', 'within_size', 'advise', 'never'),
  aPages: fc.constantFrom(512, 64),
  fPages: fc.integer({ min: 4, max: 16 }),
});

const LABELS = ['t', 'u', 's', 'a', 'f'] as const;
type Label = typeof LABELS[number];

function labelPages(sh: V2Shape, l: Label): number {
  return { t: sh.tPages, u: sh.uPages, s: sh.sPages, a: sh.aPages, f: sh.fPages }[l];
}

/** `mmap PROC ...` of a label at its slot */
function mmapLine(sh: V2Shape, p: string, l: Label, priv: boolean, prot: string): string {
  const slot = BASE + LABELS.indexOf(l) * SLOT_BYTES;
  switch (l) {
    case 't': return `mmap ${p} anon at ${hex(slot + sh.tOffset * 4096)} pages ${sh.tPages} private ${prot} as t`;
    case 'u': return `mmap ${p} anon at ${hex(slot)} pages ${sh.uPages} private ${prot} as u`;
    case 's': return `mmap ${p} s0 at ${hex(slot)} pages ${sh.sPages} ${priv ? 'private' : 'shared'} ${prot} as s`;
    case 'a': return `mmap ${p} anon at ${hex(slot)} pages ${sh.aPages} shared ${prot} as a`;
    case 'f': return `mmap ${p} f0 at ${hex(slot)} pages ${sh.fPages} ${priv ? 'private' : 'shared'} ${prot} as f`;
  }
}

/** the header: THP knobs and swap, before or between the mappings */
const knob: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('always', 'always', 'madvise', 'never').map((v) => `sysctl thp enabled ${v}`) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...MTHP_SIZES), fc.constantFrom('always', 'always', 'inherit', 'madvise', 'never'))
    .map(([s, v]) => `sysctl thp anon ${s} ${v}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...MTHP_SIZES), fc.constantFrom('always', 'within_size', 'advise', 'inherit', 'never'))
    .map(([s, v]) => `sysctl thp shmem ${s} ${v}`) },
  { weight: 1, arbitrary: fc.constantFrom('always', 'within_size', 'advise', 'never').map((v) => `sysctl thp shmem_enabled ${v}`) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1).map((v) => `sysctl thp use_zero_page ${v}`) },
);
const swap: fc.Arbitrary<string> = fc.tuple(fc.constantFrom(64, 1024, 4096), fc.integer({ min: 0, max: 5 }))
  .map(([n, s]) => `sysctl swap pages ${n}${s === 0 ? ' sync' : ''}`);

function body(sh: V2Shape, maxBody: number): fc.Arbitrary<string[]> {
  const proc = fc.oneof({ weight: 6, arbitrary: fc.constant('p0') }, { weight: 3, arbitrary: fc.constant('p1') },
    { weight: 2, arbitrary: fc.constant('c0') }, { weight: 1, arbitrary: fc.constant('c1') });
  const label = fc.oneof({ weight: 6, arbitrary: fc.constant<Label>('t') }, { weight: 3, arbitrary: fc.constant<Label>('u') },
    { weight: 3, arbitrary: fc.constant<Label>('s') }, { weight: 1, arbitrary: fc.constant<Label>('a') }, { weight: 1, arbitrary: fc.constant<Label>('f') });
  /** a page of a label, toward the edges of folios (0, 15/16, 255/256, 511/512) */
  const pageOf = (l: Label): fc.Arbitrary<number> => {
    const n = labelPages(sh, l);
    return fc.oneof(fc.constantFrom(0, 1, 2, 3, 15, 16, 17, 31, 255, 256, 510, 511, 512, 513, 1023), fc.nat({ max: n - 1 }))
      .map((i) => Math.min(i, n - 1));
  };
  const oneOf = (l: Label) => pageOf(l).map((i) => `${l}[${i}]`);
  const rangeOf = (l: Label) => fc.tuple(pageOf(l), pageOf(l)).map(([a, b]) => `${l}[${Math.min(a, b)}..${Math.max(a, b)}]`);
  const specOf = (l: Label, whole: boolean) => fc.oneof(
    { weight: 3, arbitrary: oneOf(l) }, { weight: 3, arbitrary: rangeOf(l) },
    { weight: whole ? 2 : 0, arbitrary: fc.constant(l) },
    // the whole PMD range of a big label (collapse, pageout, free of the whole THP)
    { weight: whole ? 2 : 0, arbitrary: fc.constant(`${l}[0..${Math.min(511, labelPages(sh, l) - 1)}]`) });
  const spec = (whole: boolean) => label.chain((l) => specOf(l, whole));
  const mmap = fc.tuple(proc, label, fc.nat({ max: 3 }), fc.constantFrom('rw', 'rw', 'rw', 'r'))
    .map(([p, l, priv, pr]) => mmapLine(sh, p, l, priv === 0, pr));
  // p0 maps t first (so most accesses name a mapping that exists), then others; p1 too
  const more = (p: string, min: number) => fc.subarray(['t', 'u', 's', 'a', 'f'] as Label[], { minLength: min })
    .chain((ls) => fc.tuple(...ls.map((l) => fc.nat({ max: 3 }).map((priv) => mmapLine(sh, p, l, priv === 0, 'rw')))));
  const prefix = fc.tuple(fc.constant(mmapLine(sh, 'p0', 't', false, 'rw')),
    more('p0', 1).map((xs) => xs.filter((x) => !x.endsWith(' as t'))), more('p1', 1))
    .map(([a, b, c]) => [a, ...b, ...c]);
  const advice = fc.oneof(
    { weight: 4, arbitrary: fc.constant('pageout') }, { weight: 3, arbitrary: fc.constant('free') },
    { weight: 2, arbitrary: fc.constant('dontneed') }, { weight: 2, arbitrary: fc.constant('cold') },
    { weight: 3, arbitrary: fc.constant('collapse') }, { weight: 1, arbitrary: fc.constant('willneed') },
    { weight: 1, arbitrary: fc.constant('populate_read') }, { weight: 1, arbitrary: fc.constant('populate_write') },
    { weight: 2, arbitrary: fc.constant('hugepage') }, { weight: 1, arbitrary: fc.constant('nohugepage') },
    { weight: 1, arbitrary: fc.constant('dontfork') }, { weight: 1, arbitrary: fc.constant('dofork') });
  // targets: PMD aligned, 64K aligned, or 3 pages off
  const target = fc.tuple(fc.nat({ max: 5 }), fc.constantFrom(0, 0, 0x200000, 0x10000, 0x3000))
    .map(([k, off]) => hex(MOVE_BASE + k * SLOT_BYTES + off));
  const newPages = (l: Label) => fc.constantFrom(1, 16, 256, 512, labelPages(sh, l), 2 * labelPages(sh, l));
  const mremapMove = fc.tuple(proc, label, fc.boolean()).chain(([p, l, resize]) =>
    fc.tuple(specOf(l, true), target, newPages(l)).map(([s, to, n]) => `mremap ${p} ${s} to ${to}${resize ? ` pages ${n}` : ''}`));
  const mremapInPlace = fc.tuple(proc, label).chain(([p, l]) =>
    fc.tuple(fc.oneof(fc.constant(l), rangeOf(l)), newPages(l)).map(([s, n]) => `mremap ${p} ${s} pages ${n}`));
  const stmt = fc.oneof(
    { weight: 3, arbitrary: mmap },
    { weight: 12, arbitrary: fc.tuple(fc.constantFrom('read', 'write', 'write'), proc, spec(false)).map(([k, p, s]) => `${k} ${p} ${s}`) },
    { weight: 10, arbitrary: fc.tuple(proc, spec(true), advice).map(([p, s, a]) => `madvise ${p} ${s} ${a}`) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom('p0', 'p1'), fc.constantFrom(...CHILD)).map(([p, c]) => `fork ${p} as ${c}`) },
    { weight: 1, arbitrary: proc.map((p) => `exit ${p}`) },
    // page ranges only: after a whole label is unmapped the oracle has no address for it
    { weight: 2, arbitrary: fc.tuple(proc, spec(false)).map(([p, s]) => `munmap ${p} ${s}`) },
    { weight: 3, arbitrary: fc.tuple(proc, spec(true), fc.constantFrom('r', 'r', 'rw', 'w', 'none')).map(([p, s, pr]) => `mprotect ${p} ${s} ${pr}`) },
    { weight: 2, arbitrary: mremapMove },
    { weight: 1, arbitrary: mremapInPlace },
    { weight: 3, arbitrary: fc.tuple(proc, label).chain(([p, l]) => oneOf(l).map((s) => `split ${p} ${s}`)) },
    { weight: 1, arbitrary: pageOf('s').map((i) => `split s0[${Math.min(i, sh.sPages - 1)}]`) },
    { weight: 3, arbitrary: fc.tuple(proc, label).chain(([p, l]) => oneOf(l).map((s) => `migrate ${p} ${s}`)) },
    { weight: 1, arbitrary: knob },
    { weight: 1, arbitrary: fc.constantFrom('f0', 's0').map((o) => `writeback ${o}`) },
    { weight: 1, arbitrary: proc.map((p) => `clear_refs ${p} softdirty`) },
    // vmsplice (an extension): `@` is numbered into a new pipe name, `expect pipe ?` names the last one
    { weight: 2, arbitrary: fc.tuple(proc, spec(false)).map(([p, s]) => `vmsplice ${p} ${s} as @`) },
    { weight: 2, arbitrary: fc.constantFrom('unchanged', 'changed').map((x) => `expect pipe ? ${x}`) },
    // pin (an extension): `%` is numbered into a new buffer name, `expect pin ^` names the last one
    { weight: 2, arbitrary: fc.tuple(proc, spec(false), fc.constantFrom('', '', ' readonly', ' readonly fast')).map(([p, s, ro]) => `pin ${p} ${s} as %${ro}`) },
    { weight: 2, arbitrary: fc.constantFrom('unchanged', 'changed').map((x) => `expect pin ^ ${x}`) },
  );
  return fc.tuple(prefix, fc.array(stmt, { minLength: 6, maxLength: maxBody })).map(([a, b]) => [...a, ...namePipes(b)]);
}

/** Pipe and buffer names: `as @` becomes `as vN`, `expect pipe ?` the last pipe made; `as %`
 *  becomes `as bN`, `expect pin ^` the last buffer (each dropped before the first). */
function namePipes(lines: string[]): string[] {
  let n = 0, b = 0;
  const out: string[] = [];
  for (const l of lines) {
    if (l.endsWith(' as @')) out.push(l.replace(/ as @$/, ` as v${n++}`));
    else if (l.endsWith(' as %')) out.push(l.replace(/ as %$/, ` as b${b++}`));
    else if (l.startsWith('expect pipe ? ')) { if (n) out.push(l.replace(' ? ', ` v${n - 1} `)); }
    else if (l.startsWith('expect pin ^ ')) { if (b) out.push(l.replace(' ^ ', ` b${b - 1} `)); }
    else out.push(l);
  }
  return out;
}

/** One realisable v2 scenario (no `kernel` line: the oracle runs the engine at the booted release). */
export const realisableV2Scenario = (maxBody = 28): fc.Arbitrary<string> =>
  fc.tuple(shape, fc.array(knob, { minLength: 0, maxLength: 3 }), fc.option(swap, { freq: 4, nil: null }))
    .chain(([sh, knobs, sw]) => body(sh, maxBody).map((b) => [
      ...knobs,
      ...(sw ? [sw] : []),
      `file f0 pages ${sh.fPages}`,
      `shmem s0 pages ${sh.sPages} huge ${sh.sHuge}`,
      ...PROCS.map((p) => `process ${p}`),
      ...b,
    ].join('\n') + '\n'));
