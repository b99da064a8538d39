// The checker's rules where they switch (docs/language.md, "Diagnostic codes"; the spec's
// names, kinds and limits): which use is refused and which is not, with the full message,
// for the cases checkerMessages.test.ts does not cover (mutation testing found them
// untested): kinds in messages, hints, names declared by broken lines, limits at their
// value, flags that are not checked for conflicts, symbol ranges (the label tree: labelTree.test.ts).

import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import type { Scenario } from '../../../src/language/ast';
import { type CheckOptions, check } from '../../../src/language/checker';

/** `LINE:COL-ENDCOL severity CODE message [related: message@LINE:COL, ...]` of parse + check (1-based), and the invalid statements' lines. */
function diags(text: string, opts?: CheckOptions): string[] {
  const { scenario, diagnostics } = parse(text);
  return [...diagnostics, ...check(scenario, opts).diagnostics].map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.character + 1} ${d.severity} ${d.code} ${d.message}` +
    (d.related ? ` [related: ${d.related.map((x) => `${x.message}@${x.range.start.line + 1}:${x.range.start.character + 1}`).join(', ')}]` : ''));
}
function invalidLines(text: string, opts?: CheckOptions): number[] {
  const { scenario } = parse(text);
  const inv = check(scenario, opts).invalid;
  return scenario.statements.filter((s) => inv.has(s)).map((s) => s.range.start.line + 1);
}

const CASES: [string, string[]][] = [
  // each object kind says what it is
  ['shmem s pages 1\npfnmap d pages 1\nfbdev fb pages 1\nwrite s h[0]\nwrite d h[0]\nwrite fb h[0]', [
    "4:7-8 error MMS208 's' is a shmem, not a process [related: declared here@1:7]",
    "5:7-8 error MMS208 'd' is a pfnmap, not a process [related: declared here@2:8]",
    "6:7-9 error MMS208 'fb' is an fbdev, not a process [related: declared here@3:7]",
  ]],
  // an fbdev-only statement names what it needs, also for anon and zero
  ['flush anon\nexpect defio zero pending 1', [
    "1:7-11 error MMS210 flush needs an fbdev; 'anon' is anonymous memory, not an object",
    "2:14-18 error MMS210 expect defio needs an fbdev; 'zero' is the zero page, not an object",
  ]],
  ['file f pages 2\nfbdev fb pages 1\nexpect defio f pending 1\nexpect defio fb pending 1\nexpect defio fb written 0, 1', [
    "3:14-15 error MMS208 expect defio needs an fbdev; 'f' is a file [related: declared here@1:6]",
    "5:28-29 error MMS304 page 1 is past the end of 'fb' (1 page: 0..0)",
  ]],
  // "did you mean" offers names of the wanted kind only
  ['file pa pages 1\nwrite pb h[0]', [
    "2:7-9 error MMS201 unknown process 'pb'",
  ]],
  ['process pa\nmkclean pb[0]', [
    "2:9-11 error MMS202 unknown object 'pb'",
  ]],
  // a label is a hint only where a process or object is wanted, never for a label
  ['process p\nmmap p anon at 0x1000 pages 1 private rw as m\nwrite m h[0]', [
    "3:7-8 error MMS201 unknown process 'm' ('m' is a mapping label of 'p')",
  ]],
  ['process p\nprocess q\nmmap q anon at 0x1000 pages 1 private rw as m\nmmap p anon at 0x1000 pages 1 private rw as n\nwrite p mm[0]', [
    "5:9-11 error MMS203 process 'p' has no mapping labelled 'mm'",
  ]],
  // the first process to use a label name is the one a hint names
  ['process p\nprocess q\nmmap q anon at 0x1000 pages 1 private rw as m\nmmap p anon at 0x1000 pages 1 private rw as m\nmkclean m[0]', [
    "5:9-10 error MMS202 unknown object 'm' ('m' is a mapping label of 'q')",
  ]],
  // exit of an exited process is a use after exit; the exit that counts is the first
  ['process p\nexit p\nexit p\nwrite p h[0]', [
    "3:6-7 error MMS209 process 'p' has exited [related: exited here@2:1]",
    "4:7-8 error MMS209 process 'p' has exited [related: exited here@2:1]",
    "4:9-10 error MMS203 process 'p' has no mapping labelled 'h'",
  ]],
  // offset 0 on anon says nothing; shared anon's vm_pgoff is 0
  ['process p\nmmap p anon at 0x1000 pages 1 offset 0 private rw as m\nmmap p anon at 0x2000 pages 1 offset 2 shared rw as n', [
    "3:38-39 warning MMS309 offset is ignored for anonymous memory (vm_pgoff is 0 for shared anon)",
  ]],
  // a pfnmap mapping past the device: at the page count, or at the offset that is past it
  ['pfnmap d pages 2\nprocess p\nmmap p d at 0x1000 pages 3 shared rw as m\nmmap p d at 0x10000 pages 1 offset 2 shared rw as n\nmmap p d at 0x20000 pages 2 offset 0 shared rw as o\nmmap p d at 0x30000 pages 1 offset 1 shared rw as q', [
    "3:26-27 error MMS502 mmap: pages 0..2 run past the end of pfnmap 'd' (2 pages): the kernel refuses the mapping with EINVAL",
    "4:36-37 error MMS502 mmap: pages 2..2 run past the end of pfnmap 'd' (2 pages): the kernel refuses the mapping with EINVAL",
  ]],
  // pages 0 is the only error of such a mapping of a device (no size to compare)
  ['fbdev fb pages 2\nprocess p\nmmap p fb at 0x1000 pages 0 shared rw as n', [
    "3:27-28 error MMS302 mmap: 'pages 0' is empty; give at least 1 page",
  ]],
  // a device whose own size is refused: mappings of it are not measured against it
  ['fbdev fb pages 0\nprocess p\nmmap p fb at 0x1000 pages 3 shared rw as m', [
    "1:16-17 error MMS302 fbdev: 'pages 0' is empty; give at least 1 page",
  ]],
  // maps OBJ[I] is checked against the object's size; maps zero/anon and pfn N name no object; neither is a conflict when repeated
  ['file f pages 2\nprocess p\nmmap p f at 0x1000 pages 2 shared rw as m\nexpect pte p m[0] maps f[2] maps f[1] maps f[1] maps zero maps anon pfn 1 pfn 2', [
    "4:26-27 error MMS304 page 2 is past the end of 'f' (2 pages: 0..1)",
  ]],
  // expect folio: mapcount and index may repeat (each is a value); mapping names an object or none
  ['file f pages 2\nexpect folio f[0] mapcount 1 mapcount 2 index 0 index 1 mapping f mapping none !dirty dirty', [
    "2:87-92 error MMS308 'dirty' contradicts '!dirty' earlier on this line: the expectation can never hold [related: first given here@2:80]",
  ]],
  ['process p\nfile f pages 1\nexpect folio f[0] mapping p', [
    "3:27-28 error MMS208 'mapping' needs an object; 'p' is a process [related: declared here@1:9]",
  ]],
  ['process p\nmmap p anon at 0x1000 pages 1 private rw as m\nexpect pte p m[0] !young !young', [
    "3:26-32 warning MMS308 flag '!young' is given twice [related: first given here@3:19]",
  ]],
  // writeback's optional range is checked against the object
  ['file f pages 2\nwriteback f [1..2]\nwriteback f [0]\nwriteback f\nwriteback g', [
    "2:17-18 error MMS304 page 2 is past the end of 'f' (2 pages: 0..1)",
    "5:11-12 error MMS202 unknown object 'g'",
  ]],
  // msync and expect walk name a label of the process
  ['process p\nmmap p anon at 0x1000 pages 1 private rw as m\nmsync p m\nmsync p n\nmsync q m\nexpect walk p:m, q:m, p:n', [
    "4:9-10 error MMS203 process 'p' has no mapping labelled 'n'",
    "5:7-8 error MMS201 unknown process 'q'",
    "6:18-19 error MMS201 unknown process 'q'",
    "6:25-26 error MMS203 process 'p' has no mapping labelled 'n'",
  ]],
  // pfn_mkclean through an anon mapping: rmap of the object's pages will not find them there
  ['file f pages 1\nprocess p\nmmap p anon at 0x1000 pages 1 private rw as m\npfn_mkclean f[0] p m', [
    "4:20-21 warning MMS214 mapping 'm' of 'p' maps 'anon', not 'f': pfn_mkclean_range() will not find these pages there [related: mapped here@3:45]",
  ]],
  // a keyword names no process, object or label (and is not declared: no cascade)
  ['process mmap\nprocess p\nmmap p anon at 0x1000 pages 1 private rw as exit\nfork p as fork\nshmem read pages 1', [
    "1:9-13 error MMS206 'mmap' is a keyword and cannot name a process",
    "3:45-49 error MMS206 'exit' is a keyword and cannot label a mapping",
    "4:11-15 error MMS206 'fork' is a keyword and cannot name a process",
    "5:7-11 error MMS206 'read' is a keyword and cannot name an object",
  ]],
  // a fork of an unknown parent still declares the child (marked as such): later lines are checked against it
  ['fork p as c\nread c 0x1000', [
    "1:6-7 error MMS201 unknown process 'p'",
  ]],
  // the oldest modelled release is accepted; a stable release outside the checked series is a warning naming the table
  ['kernel 6.1.0\nprocess p', []],
  ['kernel 6.13.2\nprocess p', [
    "1:8-14 warning MMS403 Linux 6.13.2 runs as mainline 6.13 plus the stable backports mmscope's version table lists; the table was checked for 6.1.y up to 6.1.192 and 6.12.y up to 6.12.118, so backports to 6.13.y it does not list are not modelled",
  ]],
];

describe('checker rules where they switch: every diagnostic with its message', () => {
  for (const [text, want] of CASES) {
    it(`${want.map((w) => w.split(' ')[2]).join('+') || 'no diagnostic'}: ${text.split('\n').pop()}`, () => {
      assert.deepEqual(diags(text), want);
    });
  }

  it('a line with a warning only is run; a line with an error is not', () => {
    assert.deepEqual(invalidLines('process p\nmmap p anon at 0x1000 pages 1 offset 3 private rw as m\nmmap p anon at 0x1001 pages 1 private rw as n\nexpect pte p m[0] present present'), [3]);
    assert.deepEqual(invalidLines('process p\nexit p\nexit p\nexpect faults p 0'), [3]);
  });
});

describe('checker: the kernel version and the limits, at their values', () => {
  it('wrprotect before 6.15 from the default kernel (no kernel statement): the error has no related line', () => {
    assert.deepEqual(diags('file f pages 1\nwrprotect f[0]', { defaultKernel: '6.14' }), [
      '2:1-10 error MMS401 wrprotect: mapping_wrprotect_range() exists only from Linux 6.15; this scenario is for 6.14',
    ]);
    // a default that is not a release falls back to 6.15
    assert.deepEqual(diags('file f pages 1\nwrprotect f[0]', { defaultKernel: 'nonsense' }), []);
    const { scenario } = parse('process p');
    assert.deepEqual(check(scenario, { defaultKernel: 'nonsense' }).kernel, { major: 6, minor: 15, patch: 0 });
  });

  it('a kernel statement that is not the first one (an AST not from the parser) is refused at the statement', () => {
    const a = parse('process p').scenario, k = parse('kernel 6.1').scenario;
    const scn: Scenario = { ...a, statements: [a.statements[0], k.statements[0]] };
    const d = check(scn).diagnostics;
    assert.deepEqual(d.map((x) => `${x.code} ${x.message}`), ["MMS118 'kernel' must come before every other statement"]);
    assert.deepEqual(check(scn).kernel, { major: 6, minor: 15, patch: 0 }, 'the version is the default');
  });

  it('maxPagesPerObject and maxMappingPages: the limit itself is allowed, one more is refused; an oversized mapping still declares its label', () => {
    const opts = { limits: { maxPagesPerObject: 4, maxMappingPages: 3 } };
    const text = 'file f pages 4\nfile g pages 5\nprocess p\nmmap p anon at 0x1000 pages 3 private rw as m\nmmap p anon at 0x10000 pages 4 private rw as n\n' +
      'mmap p anon at 0x7ffffffff000 pages 4 private rw as o\nwrite p n[3]\nmkclean g[4]';
    assert.deepEqual(diags(text, opts), [
      "2:14-15 error MMS601 file 'g' has 5 pages; the limit is 4 pages (maxPagesPerObject)",
      '5:30-31 error MMS602 mmap: 4 pages is more than the limit of 3 pages for one mapping (maxMappingPages)',
      '6:16-30 error MMS501 mmap: address 0x7ffffffff000 is outside the 47-bit user address space (TASK_SIZE 0x7ffffffff000): the kernel refuses it with ENOMEM',
    ]);
    const { scenario } = parse(text);
    const r = check(scenario, opts);
    assert.deepEqual(r.symbols.filter((s) => s.declInvalid).map((s) => s.name), ['g', 'n', 'o']);
  });

  it('maxStatements: the statement at the limit is the first refused; a fractional limit counts whole statements; a negative one refuses all', () => {
    const text = 'process a\nprocess b\nprocess c';
    const at = (maxStatements: number) => diags(text, { limits: { maxStatements } });
    assert.deepEqual(at(2), ['3:1-10 error MMS603 too many statements: 3 (the limit is 2); this statement and the rest are not run']);
    assert.deepEqual(at(3), []);
    assert.deepEqual(at(2.9), ['3:1-10 error MMS603 too many statements: 3 (the limit is 2); this statement and the rest are not run']);
    assert.deepEqual(at(-1), ['1:1-10 error MMS603 too many statements: 3 (the limit is 0); this statement and the rest are not run']);
    assert.deepEqual(invalidLines(text, { limits: { maxStatements: 1 } }), [2, 3]);
  });

  it('"did you mean" is offered while the file has at most 500 names (so that many errors stay linear)', () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `process q${i}`).join('\n');
    assert.deepEqual(diags(`${names(499)}\nprocess pa\nwrite pb h[0]`).slice(-1), ["501:7-9 error MMS201 unknown process 'pb' (did you mean 'pa'?)"]);
    assert.deepEqual(diags(`${names(500)}\nprocess pa\nwrite pb h[0]`).slice(-1), ["502:7-9 error MMS201 unknown process 'pb'"]);
  });
});

describe('checker: names declared by lines that did not parse (no cascade of unknown names)', () => {
  const text = [
    'write p h[0]', // 1: before the broken declaration: still unknown
    'process p q', // 2: declares p
    'fork p as c extra', // 3: declares c (not as a child: the line did not say whose)
    'mmap p anon at 0x1000 pages 1 private rw bogus as m', // 4: label m of p
    'mmap q anon at 0x1000 pages 1 private rw bogus as n', // 5: q is unknown: no label
    'mmap p anon at 0x2000 pages 1 private rw bogus as m', // 6: m exists: nothing new
    'shmem s pages x', // 7: object s, a shmem
    'file anon pages x', // 8: reserved: not declared
    'process mmap x', // 9: keyword: not declared
    'process c junk', // 10: c exists: nothing new
    'read p m[0]', 'read c m[0]', 'write s h[0]', 'read x 0x1000', 'mkclean anon[0]',
    'pfnmap d pages 1 x', // 16: after the last statement: declared too
  ].join('\n');
  // parsed in each test, not when the suite is defined (Stryker's per-test coverage)
  it('the checker reports only what the recovered names cannot explain', () => {
    const { scenario } = parse(text);
    assert.deepEqual(check(scenario).diagnostics.map((d) => `${d.range.start.line + 1} ${d.code} ${d.message}`), [
      "1 MMS201 unknown process 'p'",
      "12 MMS203 process 'c' has no mapping labelled 'm'",
      "13 MMS208 's' is a shmem, not a process",
      "14 MMS201 unknown process 'x'",
      "15 MMS210 mkclean needs an object (file, shmem, fbdev or pfnmap); 'anon' is anonymous memory, not an object",
    ]);
  });

  it('each recovered name is one symbol, marked declInvalid, with its kind, owner and references', () => {
    const r = check(parse(text).scenario);
    assert.deepEqual(r.symbols.map((s) => [s.kind, s.name, s.objKind ?? s.proc ?? '', s.declInvalid, s.refs.map((x) => x.start.line + 1)]), [
      ['process', 'p', '', true, [4, 11]],
      ['process', 'c', '', true, [12]],
      ['label', 'm', 'p', true, [11]],
      ['object', 's', 'shmem', true, []], // line 13 uses it as a process: a wrong-kind use is no reference
      ['object', 'd', 'pfnmap', true, []],
    ]);
    assert.equal(r.symbols[1].parent, undefined);
  });
});

describe('checker: symbolAt covers a name from its first character to just after its last', () => {
  it('the declaration and each use, both ends included, nothing outside', () => {
    const r = check(parse('process ab\nfile f pages 1\nread ab 0x1000').scenario);
    const ab = r.symbols[0];
    assert.deepEqual([7, 8, 9, 10, 11].map((c) => r.symbolAt(0, c) === ab), [false, true, true, true, false]);
    assert.deepEqual([4, 5, 7, 8].map((c) => r.symbolAt(2, c) === ab), [false, true, true, false]);
    assert.equal(r.symbolAt(1, 5), r.symbols[1]);
    assert.equal(r.symbolAt(1, 0), undefined);
  });
});
