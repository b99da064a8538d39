// Scenario generators for the fuzz and property tests (fast-check). Scenarios are built
// from the grammar of language v1 (../shared/spec/scenario-language.md) over a small
// pool of names, so that most statements refer to things that exist and the engine is
// exercised deeply; then optionally mutated at the token and at the byte level.

import fc from 'fast-check';

export const PROCS = ['p0', 'p1', 'p2', 'c0', 'c1'];
export const LABELS = ['m0', 'm1', 'm2', 'm3'];
export const OBJECTS = ['f0', 'f1', 's0', 'fb0', 'fb1', 'pm0'];
export const FBDEVS = ['fb0', 'fb1'];
const PROTS = ['r', 'rw', 'w', 'none'];

/** 6.1 .. 6.16 */
export const kernelVersion = fc.integer({ min: 1, max: 16 }).map((m) => `6.${m}`);

const page = fc.integer({ min: 0, max: 9 });
const smallPages = fc.integer({ min: 1, max: 8 });
/** mapping slots 1 MiB apart, 2 MiB-straddling sometimes, so mmaps overlap now and then */
const addr = fc.integer({ min: 0, max: 7 }).map((s) => '0x' + (0x7f00001fa000 + s * 0x6000).toString(16));
const procName = fc.constantFrom(...PROCS);
const label = fc.constantFrom(...LABELS);
const objName = fc.constantFrom(...OBJECTS);
const prot = fc.constantFrom(...PROTS);
const range = fc.tuple(page, page).map(([a, b]) => (a <= b ? [a, b] : [b, a]));
const pagesSpec = (x: fc.Arbitrary<string>) =>
  fc.oneof(
    fc.tuple(x, page).map(([n, i]) => `${n}[${i}]`),
    fc.tuple(x, range).map(([n, [i, j]]) => `${n}[${i}..${j}]`),
  );
const duration = fc.oneof(fc.integer({ min: 0, max: 120 }).map((n) => `${n}ms`), fc.constant('1s'));

/** The declarations every generated scenario starts with (after the optional kernel line). */
export const objectDecls = fc.tuple(
  fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 10 }),
  fc.integer({ min: 1, max: 10 }), fc.constantFrom('vmalloc', 'contig', 'carveout'), fc.integer({ min: 1, max: 100 }),
  fc.boolean(), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }),
).map(([f0, f1, s0, fb0, back, delay, sorted, fb1, pm0]) => [
  `file f0 pages ${f0}`,
  `file f1 pages ${f1} cold`,
  `shmem s0 pages ${s0}`,
  `fbdev fb0 pages ${fb0} backing ${back} delay ${delay}ms${sorted ? ' sorted' : ''}`,
  `fbdev fb1 pages ${fb1}`,
  `pfnmap pm0 pages ${pm0}`,
]);

export const mmapStmt = (procs: fc.Arbitrary<string>, objs: fc.Arbitrary<string>, sharedOnly = false) =>
  fc.tuple(procs, objs, addr, smallPages, fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
    sharedOnly ? fc.constant(true) : fc.boolean(), prot, fc.option(label, { nil: undefined }))
    .map(([p, o, a, n, off, sh, pr, l]) =>
      `mmap ${p} ${o} at ${a} pages ${n}${off !== undefined ? ` offset ${off}` : ''} ${sh ? 'shared' : 'private'} ${pr}${l ? ` as ${l}` : ''}`);

const expectation = fc.oneof(
  fc.tuple(procName, pagesSpec(label), fc.subarray(['present', '!write', 'dirty', '!young', 'softdirty', '!special', 'none'], { minLength: 1 }))
    .map(([p, s, f]) => `expect pte ${p} ${s} ${f.join(' ')}`),
  fc.tuple(objName, page, fc.constantFrom('dirty', '!dirty', 'cached', 'mapcount 1', 'mapping none', 'index 0'))
    .map(([o, i, f]) => `expect folio ${o}[${i}] ${f}`),
  fc.integer({ min: 0, max: 3 }).map((n) => `expect result ${n}`),
  fc.tuple(procName, label).map(([p, l]) => `expect walk ${p}:${l}`),
  fc.constant('expect walk none'),
  fc.tuple(procName, fc.integer({ min: 0, max: 5 })).map(([p, n]) => `expect faults ${p} ${n}`),
  fc.tuple(procName, fc.constantFrom('SIGSEGV', 'SIGBUS', 'none')).map(([p, s]) => `expect signal ${p} ${s}`),
  fc.tuple(fc.constantFrom(...FBDEVS), fc.integer({ min: 0, max: 3 })).map(([o, n]) => `expect defio ${o} pending ${n}`),
  fc.tuple(fc.constantFrom(...FBDEVS), fc.array(page, { maxLength: 3 }))
    .map(([o, l]) => `expect defio ${o} written ${l.length ? l.join(', ') : 'none'}`),
  fc.constant('expect oops'),
  fc.tuple(fc.constantFrom('v0', 'v1'), fc.constantFrom('unchanged', 'changed')).map(([v, x]) => `expect pipe ${v} ${x}`),
  fc.tuple(fc.constantFrom('b0', 'b1'), fc.constantFrom('unchanged', 'changed')).map(([v, x]) => `expect pin ${v} ${x}`),
);

/** One statement after the declarations (weights: accesses and mappings dominate). */
export const bodyStatement: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: mmapStmt(procName, fc.oneof(objName, fc.constant('anon'))) },
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom('read', 'write'), procName, pagesSpec(label)).map(([k, p, s]) => `${k} ${p} ${s}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('p0', 'p1'), fc.constantFrom('c0', 'c1')).map(([p, c]) => `fork ${p} as ${c}`) },
  { weight: 1, arbitrary: procName.map((p) => `exit ${p}`) },
  { weight: 2, arbitrary: fc.tuple(procName, fc.oneof(label, pagesSpec(label))).map(([p, s]) => `munmap ${p} ${s}`) },
  { weight: 2, arbitrary: fc.tuple(procName, fc.oneof(label, pagesSpec(label)), prot).map(([p, s, pr]) => `mprotect ${p} ${s} ${pr}`) },
  // v2: mremap to another slot (moves, merges, replaces what is there) or in place
  { weight: 2, arbitrary: fc.tuple(procName, fc.oneof(label, pagesSpec(label)), addr, fc.option(smallPages, { nil: undefined }))
    .map(([p, s, a, n]) => `mremap ${p} ${s} to ${a}${n ? ` pages ${n}` : ''}`) },
  { weight: 1, arbitrary: fc.tuple(procName, fc.oneof(label, pagesSpec(label)), smallPages).map(([p, s, n]) => `mremap ${p} ${s} pages ${n}`) },
  { weight: 2, arbitrary: fc.tuple(objName, page).map(([o, i]) => `mkclean ${o}[${i}]`) },
  { weight: 2, arbitrary: pagesSpec(objName).map((s) => `wrprotect ${s}`) },
  { weight: 1, arbitrary: fc.tuple(pagesSpec(objName), procName, label).map(([s, p, l]) => `pfn_mkclean ${s} ${p} ${l}`) },
  { weight: 1, arbitrary: fc.tuple(objName, fc.option(range, { nil: undefined })).map(([o, r]) => `writeback ${o}${r ? `[${r[0]}..${r[1]}]` : ''}`) },
  { weight: 1, arbitrary: fc.tuple(procName, label).map(([p, l]) => `msync ${p} ${l}`) },
  { weight: 1, arbitrary: pagesSpec(objName).map((s) => `unmap_range ${s}`) },
  { weight: 1, arbitrary: fc.constantFrom(...FBDEVS).map((o) => `flush ${o}`) },
  { weight: 1, arbitrary: procName.map((p) => `clear_refs ${p} softdirty`) },
  { weight: 2, arbitrary: duration.map((d) => `wait ${d}`) },
  { weight: 1, arbitrary: fc.constantFrom(4096, 8192, 16384, 65536).map((n) => `sysctl fault_around_bytes ${n}`) },
  // language v2: madvise, swap, migrate
  { weight: 3, arbitrary: fc.tuple(procName, fc.oneof(label, pagesSpec(label)),
    fc.constantFrom('dontneed', 'free', 'cold', 'pageout', 'willneed', 'populate_read', 'populate_write'))
    .map(([p, s, a]) => `madvise ${p} ${s} ${a}`) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 2, max: 12 }), fc.boolean()).map(([n, sync]) => `sysctl swap pages ${n}${sync ? ' sync' : ''}`) },
  { weight: 1, arbitrary: fc.oneof(fc.tuple(objName, page).map(([o, i]) => `migrate ${o}[${i}]`),
    fc.tuple(procName, label, page).map(([p, l, i]) => `migrate ${p} ${l}[${i}]`)) },
  // extension: vmsplice into a pipe (names may repeat: the checker refuses the second)
  { weight: 1, arbitrary: fc.tuple(procName, fc.oneof(label, pagesSpec(label)), fc.constantFrom('v0', 'v1')).map(([p, s, v]) => `vmsplice ${p} ${s} as ${v}`) },
  // extension: pin as an io_uring fixed buffer (names may repeat: the checker refuses the second)
  { weight: 1, arbitrary: fc.tuple(procName, fc.oneof(label, pagesSpec(label)), fc.constantFrom('b0', 'b1'), fc.constantFrom('', ' readonly', ' readonly fast'))
    .map(([p, s, v, ro]) => `pin ${p} ${s} as ${v}${ro}`) },
  { weight: 3, arbitrary: expectation },
);

/** A syntactically valid scenario: optional kernel line, objects, processes, body. */
export const scenarioLines = (maxBody = 40): fc.Arbitrary<string[]> =>
  fc.tuple(fc.option(kernelVersion, { nil: undefined }), objectDecls, fc.array(bodyStatement, { maxLength: maxBody }))
    .map(([k, objs, body]) => [
      ...(k ? [`kernel ${k}`] : []), ...objs, 'process p0', 'process p1', 'process p2', ...body,
    ]);

export const scenarioText = (maxBody = 40): fc.Arbitrary<string> => scenarioLines(maxBody).map((l) => l.join('\n') + '\n');

// ---- mutations -----------------------------------------------------------------------

/** Tokens a mutation may put anywhere: keywords, names, odd numbers, punctuation. */
const TOKEN_POOL = [
  'kernel', 'file', 'shmem', 'fbdev', 'pfnmap', 'process', 'fork', 'exit', 'mmap', 'munmap', 'mprotect', 'read',
  'write', 'mkclean', 'wrprotect', 'pfn_mkclean', 'writeback', 'msync', 'unmap_range', 'flush', 'clear_refs', 'wait',
  'vmsplice', 'pin', 'unchanged', 'changed', 'readonly', 'fast',
  'expect', 'pte', 'folio', 'result', 'walk', 'faults', 'signal', 'defio', 'oops', 'pipe', 'pending', 'written', 'as', 'at',
  'pages', 'offset', 'shared', 'private', 'r', 'rw', 'w', 'none', 'rwx', 'anon', 'zero', 'cold', 'backing', 'delay', 'sorted',
  'softdirty', 'maps', 'pfn', 'mapcount', 'mapping', 'index', 'SIGSEGV', 'sigbus', 'vmalloc', 'carveout', 'contig',
  ...PROCS, ...LABELS, ...OBJECTS, 'fault_around_bytes',
  '0', '1', '7', '4096', '0x1000', '0x7f0000000000', '0x7fffffffe000', '0x7ffffffff000', '0x800000000000',
  '9007199254740991', '9007199254740992', '99999999999999999999', '0x1fffffffffffff', '1_000', '1__0', '0x', '0X10',
  '100000000', '4194304', '4194305', '6.15', '6.14', '6.1', '6.16', '7.0', '5.10', '6.15.1', '0.0', '99.99',
  '50ms', '0ms', '1s', '9007199254740991s', '10x', '[', ']', '..', '.', ',', ':', '~', '!', '#', '[0..3]',
  '[3..0]', '[9007199254740991]', 'm0[0..9007199254740991]', '\t', ' ', '',
];

const tokenMutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('dup' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), tok: fc.constantFrom(...TOKEN_POOL) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), tok: fc.constantFrom(...TOKEN_POOL) }),
  fc.record({ op: fc.constant('swapLines' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ op: fc.constant('dupLine' as const), at: fc.nat() }),
);
type TokenMutation = typeof tokenMutation extends fc.Arbitrary<infer T> ? T : never;

function applyTokenMutation(lines: string[], m: TokenMutation): string[] {
  if (lines.length === 0) return lines;
  const out = lines.slice();
  const li = m.at % out.length;
  if (m.op === 'swapLines') { const lj = m.to % out.length; [out[li], out[lj]] = [out[lj], out[li]]; return out; }
  if (m.op === 'dupLine') { out.splice(li, 0, out[li]); return out; }
  const toks = out[li].split(' ');
  const ti = Math.floor(m.at / out.length) % (toks.length + (m.op === 'insert' ? 1 : 0));
  if (m.op === 'delete') toks.splice(ti, 1);
  else if (m.op === 'dup') toks.splice(ti, 0, toks[ti]);
  else if (m.op === 'replace') toks[ti] = m.tok;
  else toks.splice(ti, 0, m.tok);
  out[li] = toks.join(' ');
  return out;
}

/** Odd characters for byte-level mutation (line breaks, controls, unicode, surrogates). */
const CHAR_POOL = [
  '\n', '\r', '\r\n', '\0', '\t', '\v', '\f', '\u00a0', '\ufeff', '\u2028', '\u0301', 'é', '日', '😀', '\ud800', '\udfff',
  '#', '[', ']', '.', '..', '!', '~', ':', ',', '_', '-', '0', '9', 'x', 'X', 'a', 'Z', ' ', '\\', '"', '<script>',
];

const byteMutation = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), s: fc.oneof(fc.constantFrom(...CHAR_POOL), fc.string({ maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 3 })) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), code: fc.integer({ min: 0, max: 0xffff }) }),
);
type ByteMutation = typeof byteMutation extends fc.Arbitrary<infer T> ? T : never;

function applyByteMutation(text: string, m: ByteMutation): string {
  const n = text.length;
  const at = n ? m.at % (n + 1) : 0;
  if (m.op === 'insert') return text.slice(0, at) + m.s + text.slice(at);
  if (m.op === 'delete') return text.slice(0, at) + text.slice(at + m.len);
  return text.slice(0, at) + String.fromCharCode(m.code) + text.slice(at + 1);
}

/** A generated scenario with token-level mutations applied. */
export const tokenMutated = (maxBody = 30): fc.Arbitrary<string> =>
  fc.tuple(scenarioLines(maxBody), fc.array(tokenMutation, { minLength: 1, maxLength: 6 }))
    .map(([lines, ms]) => ms.reduce(applyTokenMutation, lines).join('\n') + '\n');

/** A generated scenario with byte-level mutations applied. */
export const byteMutated = (maxBody = 30): fc.Arbitrary<string> =>
  fc.tuple(scenarioText(maxBody), fc.array(byteMutation, { minLength: 1, maxLength: 8 }))
    .map(([text, ms]) => ms.reduce(applyByteMutation, text));

/** Everything: valid scenarios, token- and byte-mutated ones, and raw strings. */
export const anyScenario = (maxBody = 30): fc.Arbitrary<string> => fc.oneof(
  { weight: 4, arbitrary: scenarioText(maxBody) },
  { weight: 3, arbitrary: tokenMutated(maxBody) },
  { weight: 3, arbitrary: byteMutated(maxBody) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);

// ---- fb_defio differential scenarios (kernel-model T30) --------------------------------

/**
 * The normal fb_defio cycle: shared mappings of one vmalloc fbdev only, reads, writes,
 * waits, flushes, fork. No `kernel` line: the caller forces the version.
 */
export const defioScenario = (maxBody = 30): fc.Arbitrary<string> =>
  fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 80 }), fc.boolean(),
    fc.array(fc.oneof(
      { weight: 3, arbitrary: mmapStmt(fc.constantFrom('p0', 'p1'), fc.constant('fb0'), true) },
      { weight: 8, arbitrary: fc.tuple(fc.constantFrom('read', 'write'), fc.constantFrom('p0', 'p1', 'c0'), pagesSpec(label)).map(([k, p, s]) => `${k} ${p} ${s}`) },
      { weight: 3, arbitrary: duration.map((d) => `wait ${d}`) },
      { weight: 1, arbitrary: fc.constant('flush fb0') },
      { weight: 1, arbitrary: fc.constant('fork p0 as c0') },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom('p0', 'p1'), label).map(([p, l]) => `msync ${p} ${l}`) },
    ), { maxLength: maxBody }))
    .map(([n, delay, sorted, body]) => [
      `fbdev fb0 pages ${n} backing vmalloc delay ${delay}ms${sorted ? ' sorted' : ''}`, 'process p0', 'process p1', ...body,
    ].join('\n') + '\n');
