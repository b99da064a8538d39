// Every expectation kind and flag, where it holds and where it must fail, with the message
// asserted (spec: ../shared/spec/scenario-language.md, "Expectations": a failing one is
// reported at its line with what was expected and what was found). Most other tests rest on
// these checks (`r.failed === 0`), so each check is shown able to fail here.

import { strict as assert } from 'assert';
import { runText, type RunResult } from '../../../src/scenario/run';
import { ZERO_PFN } from '../../../src/engine/memmap';

const hex = (n: number) => '0x' + n.toString(16);

/** Each evaluated expectation as `LINE pass|FAIL: message` (1-based lines). */
function outcomes(r: RunResult): string[] {
  return r.steps.filter((s) => s.expect).map((s) => `${s.line + 1} ${s.expect!.ok ? 'pass' : 'FAIL'}: ${s.expect!.message}`);
}

/** Run `lines` (no language error allowed) and return the run and its outcomes from line `from` on. */
function run(lines: string[], from = 1): { r: RunResult; got: string[] } {
  const r = runText(lines.join('\n') + '\n');
  const lang = r.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'MMS701');
  assert.deepEqual(lang.map((d) => `${d.range.start.line + 1}: ${d.code} ${d.message}`), [], 'the scenario itself is valid');
  return { r, got: outcomes(r).filter((o) => +o.split(' ')[0] >= from) };
}

const pfnAt = (r: RunResult, proc: string, addr: number) => r.engine.tasks.get(r.pids.get(proc)!)!.mm.ptePfn(addr);

describe('expectations: a failing one is an error at its line (MMS701) with its message, exit status 1', () => {
  it('one failure among passes: MMS701 at the failing line, the message as evaluated, passed/failed counted', () => {
    const r = runText('process p\nmmap p anon at 0x10000000 pages 1 private rw as h\nwrite p h[0]\nexpect faults p 1\nexpect faults p 2\nexpect faults p 1\n');
    assert.deepEqual(r.diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`),
      ['5:1 error MMS701 expected p to have taken 2 page faults, found 1']);
    assert.equal(r.passed, 2);
    assert.equal(r.failed, 1);
    assert.equal(r.exitStatus, 1);
  });
  it('all passing: no diagnostic, exit status 0', () => {
    const r = runText('process p\nexpect faults p 0\nexpect signal p none\n');
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual([r.passed, r.failed, r.exitStatus], [2, 0, 0]);
  });
});

describe('expect pte: every flag, plain and negated, holds or fails naming the page and the PTE found', () => {
  const base = [
    'process p', //                                                     1
    'mmap p anon at 0x10000000 pages 4 private rw as h', //             2
    'write p h[0]', //                                                  3
    'read p h[1]', //                                                   4  the zero page, special
  ];
  const A0 = 0x10000000, A1 = 0x10001000;

  it('holds: a written anon page, the zero page, an untouched page (`!flag` of a missing PTE holds)', () => {
    const { got } = run([...base,
      'expect pte p h[0] present write dirty young softdirty !special !none maps anon', // 5
      'expect pte p h[1] present !write !dirty special maps zero !maps anon', //          6
      'expect pte p h[2..3] none !present !write !dirty !young !softdirty !special', //   7
      'expect pte p 0x10000000 present', //                                               8
    ], 5);
    assert.deepEqual(got, ['5 pass: PTE flags hold', '6 pass: PTE flags hold', '7 pass: PTE flags hold', '8 pass: PTE flags hold']);
  });

  it('fails for each flag, with the page (label[i] and address), the flag as written and the PTE found', () => {
    const { r, got } = run([...base,
      'expect pte p h[2] present', //        5
      'expect pte p h[2] !none', //          6
      'expect pte p h[0] none', //           7
      'expect pte p h[0] !present', //       8
      'expect pte p h[1] write', //          9
      'expect pte p h[0] !write', //         10
      'expect pte p h[1] dirty', //          11
      'expect pte p h[0] !dirty', //         12
      'expect pte p h[0] !young', //         13
      'expect pte p h[0] !softdirty', //     14
      'expect pte p h[0] special', //        15
      'expect pte p h[1] !special', //       16
      'expect pte p h[2] young', //          17
      'expect pte p h[2] softdirty', //      18
      'expect pte p h[2] special', //        19
      'expect pte p h[2] write', //          20
      'expect pte p h[2] dirty', //          21
    ], 5);
    const p0 = hex(pfnAt(r, 'p', A0)), z = hex(ZERO_PFN);
    const anon = `found PTE {P RW U A D SD} pfn ${p0}`, zero = `found PTE {P RO U A S} pfn ${z}`;
    assert.notEqual(pfnAt(r, 'p', A0), 0);
    assert.deepEqual(got, [
      '5 FAIL: expected the PTE of p h[2] (0x10002000) to be present, found no PTE',
      '6 FAIL: expected the PTE of p h[2] (0x10002000) to be !none, found no PTE',
      `7 FAIL: expected the PTE of p h[0] (0x10000000) to be none, ${anon}`,
      `8 FAIL: expected the PTE of p h[0] (0x10000000) to be !present, ${anon}`,
      `9 FAIL: expected the PTE of p h[1] (0x10001000) to be write, ${zero}`,
      `10 FAIL: expected the PTE of p h[0] (0x10000000) to be !write, ${anon}`,
      `11 FAIL: expected the PTE of p h[1] (0x10001000) to be dirty, ${zero}`,
      `12 FAIL: expected the PTE of p h[0] (0x10000000) to be !dirty, ${anon}`,
      `13 FAIL: expected the PTE of p h[0] (0x10000000) to be !young, ${anon}`,
      `14 FAIL: expected the PTE of p h[0] (0x10000000) to be !softdirty, ${anon}`,
      `15 FAIL: expected the PTE of p h[0] (0x10000000) to be special, ${anon}`,
      `16 FAIL: expected the PTE of p h[1] (0x10001000) to be !special, ${zero}`,
      '17 FAIL: expected the PTE of p h[2] (0x10002000) to be young, found no PTE',
      '18 FAIL: expected the PTE of p h[2] (0x10002000) to be softdirty, found no PTE',
      '19 FAIL: expected the PTE of p h[2] (0x10002000) to be special, found no PTE',
      '20 FAIL: expected the PTE of p h[2] (0x10002000) to be write, found no PTE',
      '21 FAIL: expected the PTE of p h[2] (0x10002000) to be dirty, found no PTE',
    ]);
  });

  it('young and softdirty fail where the kernel cleared them: a fork child\'s old PTE, clear_refs softdirty', () => {
    const { r, got } = run([...base,
      'fork p as c', //                                5
      'expect pte c h[0] present !write !young', //    6  copy_present_pte: wrprotect (COW) and pte_mkold
      'expect pte c h[0] young', //                    7
      'clear_refs p softdirty', //                     8
      'expect pte p h[0] !softdirty !write', //        9
      'expect pte p h[0] softdirty', //                10
    ], 6);
    const p0 = hex(pfnAt(r, 'p', A0));
    assert.deepEqual(got, [
      '6 pass: PTE flags hold',
      `7 FAIL: expected the PTE of c h[0] (0x10000000) to be young, found PTE {P RO U D SD} pfn ${p0}`,
      '9 pass: PTE flags hold',
      `10 FAIL: expected the PTE of p h[0] (0x10000000) to be softdirty, found PTE {P RO U A D} pfn ${p0}`,
    ]);
  });

  it('pfn N and maps OBJ[I] | anon | zero: hold on the right page, fail on another, on a missing PTE', () => {
    // one PTE per fault (no fault-around), so m[0] stays unmapped
    const lines = [...base, 'sysctl fault_around_bytes 4096', 'file f pages 2', 'mmap p f at 0x20000000 pages 2 shared rw as m', 'read p m[1]']; // 5..8
    const first = run(lines).r;
    const p0 = pfnAt(first, 'p', A0), z = ZERO_PFN, f1 = pfnAt(first, 'p', 0x20001000);
    assert.ok(p0 && f1 && p0 !== f1);
    const { got } = run([...lines,
      `expect pte p h[0] pfn ${p0} !pfn ${f1}`, //     9
      `expect pte p h[0] pfn ${f1}`, //                10
      `expect pte p h[0] !pfn ${p0}`, //               11
      `expect pte p h[2] pfn 0`, //                    12  no PTE: no pfn, even 0
      'expect pte p m[1] maps f[1] !maps f[0]', //     13
      'expect pte p m[1] maps f[0]', //                14
      'expect pte p m[1] !maps f[1]', //               15
      'expect pte p m[0] maps f[0]', //                16  no PTE
      'expect pte p h[0] maps zero', //                17
      'expect pte p h[1] !maps zero', //               18
      'expect pte p h[1] maps anon', //                19  the zero page is not an anon folio
      'expect pte p h[0] !maps anon', //               20
      'expect pte p m[1] maps anon', //                21  a page-cache page is not anon
      'expect pte p h[2] maps zero', //                22
      'expect pte p h[2] maps anon', //                23
      'file u pages 1 cold', //                        24  u[0]: no folio, no PFN
      'expect pte p h[2] maps u[0]', //                25  no PTE and no page: still not `maps`
      'expect pte p h[2] !maps u[0]', //               26
    ], 9);
    const anon = `found PTE {P RW U A D SD} pfn ${hex(p0)}`, zero = `found PTE {P RO U A S} pfn ${hex(z)}`;
    const file = `found PTE {P RO U A} pfn ${hex(f1)}`;
    assert.deepEqual(got, [
      '9 pass: PTE flags hold',
      `10 FAIL: expected the PTE of p h[0] (0x10000000) to be pfn ${f1}, ${anon}`,
      `11 FAIL: expected the PTE of p h[0] (0x10000000) to be !pfn ${p0}, ${anon}`,
      '12 FAIL: expected the PTE of p h[2] (0x10002000) to be pfn 0, found no PTE',
      '13 pass: PTE flags hold',
      `14 FAIL: expected the PTE of p m[1] (0x20001000) to be maps f[0], ${file}`,
      `15 FAIL: expected the PTE of p m[1] (0x20001000) to be !maps f[1], ${file}`,
      '16 FAIL: expected the PTE of p m[0] (0x20000000) to be maps f[0], found no PTE',
      `17 FAIL: expected the PTE of p h[0] (0x10000000) to be maps zero, ${anon}`,
      `18 FAIL: expected the PTE of p h[1] (0x10001000) to be !maps zero, ${zero}`,
      `19 FAIL: expected the PTE of p h[1] (0x10001000) to be maps anon, ${zero}`,
      `20 FAIL: expected the PTE of p h[0] (0x10000000) to be !maps anon, ${anon}`,
      `21 FAIL: expected the PTE of p m[1] (0x20001000) to be maps anon, ${file}`,
      '22 FAIL: expected the PTE of p h[2] (0x10002000) to be maps zero, found no PTE',
      '23 FAIL: expected the PTE of p h[2] (0x10002000) to be maps anon, found no PTE',
      '25 FAIL: expected the PTE of p h[2] (0x10002000) to be maps u[0], found no PTE',
      '26 pass: PTE flags hold',
    ]);
  });

  it('maps OBJ[I] of a page with no struct page (pfnmap) compares the PFN; a special PTE is never `maps anon`', () => {
    const { r, got } = run([
      'pfnmap regs pages 2', 'process p', 'mmap p regs at 0x10000000 pages 2 shared rw as m', 'write p m[1]', // 1..4
      'expect pte p m[1] present write special maps regs[1] !maps regs[0] !maps anon', // 5
      'expect pte p m[1] maps regs[0]', // 6
    ], 5);
    const pfn = hex(pfnAt(r, 'p', 0x10001000));
    // vmf_insert_pfn() makes the PTE from vm_page_prot; the CPU's store sets D (not the software soft-dirty bit)
    assert.deepEqual(got, ['5 pass: PTE flags hold', `6 FAIL: expected the PTE of p m[1] (0x10001000) to be maps regs[0], found PTE {P RW U A D S} pfn ${pfn}`]);
  });

  it('a range must hold for every page: the first page that breaks it is named; an address names itself', () => {
    const { got } = run([...base,
      'write p h[2]', //                       5
      'expect pte p h[0..2] !none', //         6
      'expect pte p h[0..2] write', //         7
      'expect pte p h[1..3] present', //       8
      'expect pte p 0x10001fff write', //      9  the page that holds the address
    ], 6);
    assert.deepEqual(got, [
      '6 pass: PTE flags hold',
      `7 FAIL: expected the PTE of p h[1] (0x10001000) to be write, found PTE {P RO U A S} pfn ${hex(ZERO_PFN)}`,
      '8 FAIL: expected the PTE of p h[3] (0x10003000) to be present, found no PTE',
      `9 FAIL: expected the PTE of p 0x10001000 (0x10001000) to be write, found PTE {P RO U A S} pfn ${hex(ZERO_PFN)}`,
    ]);
  });

  it('of a mapping the kernel refused: fails saying so (exit 2 for the refusal itself)', () => {
    const r = runText('fbdev fb pages 2\nprocess p\nmmap p fb at 0x10000000 pages 4 shared rw as m\nexpect pte p m[0] none\n');
    assert.deepEqual(outcomes(r), ['4 FAIL: the mapping m of p was refused earlier in the scenario']);
    assert.equal(r.exitStatus, 2);
  });

  it('of a process that exited: refused by the checker (MMS209), so no expectation is evaluated', () => {
    const r = runText('process p\nmmap p anon at 0x10000000 pages 1 private rw as h\nwrite p h[0]\nexit p\nexpect pte p h[0] none\n');
    assert.deepEqual(r.diagnostics.map((d) => `${d.range.start.line + 1} ${d.code} ${d.message}`), ["5 MMS209 process 'p' has exited"]);
    assert.deepEqual(outcomes(r), []);
    assert.equal(r.exitStatus, 2);
  });
});

describe('expect folio: the struct page\'s own fields, plain and negated', () => {
  const base = [
    'sysctl fault_around_bytes 4096', //                     1
    'file g pages 1 cold', //                                2  never read: not in the page cache
    'file f pages 4', //                                     3
    'process a', //                                          4
    'process b', //                                          5
    'mmap a f at 0x10000000 pages 4 shared rw as m', //      6
    'mmap b f at 0x20000000 pages 4 shared rw as m', //      7
    'write a m[0]', //                                       8
    'read b m[0]', //                                        9
    'read a m[2]', //                                        10
  ];

  it('holds: dirty, cached, mapcount, index, mapping, and their negations', () => {
    const { got } = run([...base,
      'expect folio f[0] dirty !writeback cached mapcount 2 index 0 mapping f !mapping g !mapping none !mapcount 1 !index 1', // 11
      'expect folio f[2] !dirty cached mapcount 1 index 2', //  12
      'expect folio g[0] !cached', //                           13
    ], 11);
    assert.deepEqual(got, ['11 pass: folio state holds', '12 pass: folio state holds', '13 pass: folio state holds']);
  });

  it('fails for each flag with what the struct page holds', () => {
    const { got } = run([...base,
      'expect folio f[2] dirty', //          11
      'expect folio f[0] !dirty', //         12
      'expect folio f[0] writeback', //      13
      'expect folio g[0] cached', //         14
      'expect folio f[0] !cached', //        15
      'expect folio f[0] mapcount 1', //     16
      'expect folio f[0] !mapcount 2', //    17
      'expect folio f[2] index 3', //        18
      'expect folio f[2] !index 2', //       19
      'expect folio f[0] mapping g', //      20
      'expect folio f[0] mapping none', //   21
      'expect folio f[0] !mapping f', //     22
    ], 11);
    assert.deepEqual(got, [
      '11 FAIL: expected f[2] to be dirty, found PG_dirty clear',
      '12 FAIL: expected f[0] to be !dirty, found PG_dirty set',
      '13 FAIL: expected f[0] to be writeback, found not under writeback',
      '14 FAIL: expected g[0] to be cached, found not in the page cache',
      '15 FAIL: expected f[0] to be !cached, found in the page cache',
      '16 FAIL: expected f[0] to be mapcount 1, found mapcount 2',
      '17 FAIL: expected f[0] to be !mapcount 2, found mapcount 2',
      '18 FAIL: expected f[2] to be index 3, found index 2',
      '19 FAIL: expected f[2] to be !index 2, found index 2',
      '20 FAIL: expected f[0] to be mapping g, found page->mapping = f',
      '21 FAIL: expected f[0] to be mapping none, found page->mapping = f',
      '22 FAIL: expected f[0] to be !mapping f, found page->mapping = f',
    ]);
  });

  it('a flag of a page that has no folio names the flag as written (mapcount, index, mapping, negated)', () => {
    const { got } = run([...base,
      'expect folio g[0] mapcount 0', //     11
      'expect folio g[0] !index 1', //       12
      'expect folio g[0] mapping f', //      13
      'expect folio g[0] !mapping none', //  14
      'expect folio g[0] !dirty', //         15
      'expect folio g[0] !writeback', //     16
    ], 11);
    const none = 'found no folio (not in the page cache)';
    assert.deepEqual(got, [
      `11 FAIL: expected g[0] to be mapcount 0, ${none}`, `12 FAIL: expected g[0] to be !index 1, ${none}`,
      `13 FAIL: expected g[0] to be mapping f, ${none}`, `14 FAIL: expected g[0] to be !mapping none, ${none}`,
      `15 FAIL: expected g[0] to be !dirty, ${none}`, `16 FAIL: expected g[0] to be !writeback, ${none}`,
    ]);
  });

  it('memory with no struct page (pfnmap): every flag but cached fails naming the PFN', () => {
    const { r, got } = run([
      'pfnmap regs pages 2', 'process p', 'mmap p regs at 0x10000000 pages 2 shared rw as m', 'write p m[0]', // 1..4
      'expect folio regs[0] dirty', //        5
      'expect folio regs[0] !mapping none', // 6
      'expect folio regs[0] !cached', //      7
    ], 5);
    const pfn = hex(r.engine.pfnOf(r.objects.get('regs')!, 0));
    assert.deepEqual(got, [
      `5 FAIL: expected regs[0] to be dirty, found no struct page behind pfn ${pfn}`,
      `6 FAIL: expected regs[0] to be !mapping none, found no struct page behind pfn ${pfn}`,
      '7 pass: folio state holds',
    ]);
  });

  it('fb_defio before 6.15 writes page->mapping and ->index of vmalloc framebuffer pages; 6.15 leaves them NULL', () => {
    const lines = (v: string) => [`kernel ${v}`, 'fbdev fb0 pages 4 backing vmalloc delay 50ms', 'process x', 'mmap x fb0 at 0x10000000 pages 4 shared rw as fb',
      'write x fb[1]', 'expect folio fb0[1] mapping fb0 index 1', 'expect folio fb0[1] mapping none'];
    assert.deepEqual(run(lines('6.14'), 6).got, ['6 pass: folio state holds', '7 FAIL: expected fb0[1] to be mapping none, found page->mapping = fb0']);
    assert.deepEqual(run(lines('6.15'), 6).got, ['6 FAIL: expected fb0[1] to be mapping fb0, found page->mapping NULL', '7 pass: folio state holds']);
  });
});

describe('expect result: the value of the last kernel operation above', () => {
  it('fails with none run yet; holds or fails against the last one', () => {
    const { got } = run([
      'sysctl fault_around_bytes 4096', 'file f pages 2', 'process a', 'mmap a f at 0x10000000 pages 2 shared rw as m', // 1..4
      'expect result 0', //    5
      'write a m[0]', //       6
      'mkclean f[0]', //       7
      'expect result 1', //    8
      'expect result 0', //    9
      'write a m[1]', //       10  an access is not a kernel operation: the result stays
      'expect result 1', //    11
      'mkclean f[0]', //       12
      'expect result 0', //    13
    ], 5);
    assert.deepEqual(got, [
      '5 FAIL: expected result 0, found no kernel operation before this line',
      '8 pass: result 1', '9 FAIL: expected result 0, found 1', '11 pass: result 1', '13 pass: result 0',
    ]);
  });
});

describe('expect faults: page faults since the process started, as getrusage counts them', () => {
  it('minor faults: holds, fails with the count found', () => {
    const { got } = run(['process p', 'mmap p anon at 0x10000000 pages 2 private rw as h', 'expect faults p 0', 'write p h[0]', 'write p h[1]',
      'expect faults p 2', 'expect faults p 3', 'expect faults p 1'], 3);
    assert.deepEqual(got, ['3 pass: p took 0 faults', '6 pass: p took 2 faults',
      '7 FAIL: expected p to have taken 3 page faults, found 2', '8 FAIL: expected p to have taken 1 page faults, found 2']);
  });
  it('a major fault (a cold file read from disk) counts, and the message splits minor and major', () => {
    const { got } = run(['file disk pages 100 cold', 'process c', 'mmap c disk at 0x10000000 pages 100 shared r as m', 'read c m[40]',
      'expect faults c 1', 'expect faults c 2'], 5);
    assert.deepEqual(got, ['5 pass: c took 1 faults (0 minor + 1 major)', '6 FAIL: expected c to have taken 2 page faults, found 1 (0 minor + 1 major)']);
  });
  it('a child\'s count starts at its fork', () => {
    const { got } = run(['process p', 'mmap p anon at 0x10000000 pages 1 private rw as h', 'write p h[0]', 'fork p as c', 'expect faults c 0', 'expect faults c 1'], 5);
    assert.deepEqual(got, ['5 pass: c took 0 faults', '6 FAIL: expected c to have taken 1 page faults, found 0']);
  });
});

describe('expect signal: what the last access of the process raised', () => {
  it('none before any access; SIGSEGV for a store to a read-only mapping; each fails against the others', () => {
    const { got } = run([
      'process p', 'mmap p anon at 0x10000000 pages 1 private r as ro', //  1..2
      'expect signal p none', //      3
      'expect signal p SIGSEGV', //   4
      'write p ro[0]', //             5
      'expect signal p SIGSEGV', //   6
      'expect signal p none', //      7
      'expect signal p SIGBUS', //    8
      'read p ro[0]', //              9  the next access is fine: the last one counts
      'expect signal p none', //      10
    ], 3);
    assert.deepEqual(got, [
      '3 pass: last access of p: none', '4 FAIL: expected the last access of p to raise SIGSEGV, found none',
      '6 pass: last access of p: SIGSEGV', '7 FAIL: expected the last access of p to raise none, found SIGSEGV',
      '8 FAIL: expected the last access of p to raise SIGBUS, found SIGSEGV', '10 pass: last access of p: none',
    ]);
  });
  it('SIGBUS for an access past the end of the file (filemap_fault: index >= i_size)', () => {
    const { got } = run(['file f pages 1', 'process p', 'mmap p f at 0x10000000 pages 2 shared rw as m', 'read p m[1]',
      'expect signal p SIGBUS', 'expect signal p SIGSEGV'], 5);
    assert.deepEqual(got, ['5 pass: last access of p: SIGBUS', '6 FAIL: expected the last access of p to raise SIGSEGV, found SIGBUS']);
  });
});

describe('expect defio: the deferred-I/O list and what the last work run handed to ->deferred_io', () => {
  const base = [
    'kernel 6.15', //                                                     1
    'fbdev fb0 pages 4 backing vmalloc delay 50ms', //                    2
    'process xorg', //                                                    3
    'process app', //                                                     4
    'mmap xorg fb0 at 0x7f0000000000 pages 4 shared rw as fb', //         5
    'mmap app fb0 at 0x7e0000000000 pages 2 offset 2 shared rw as fb', // 6
  ];
  it('pending: holds and fails with the count and the listed pages', () => {
    const { got } = run([...base,
      'expect defio fb0 pending 0', //    7
      'expect defio fb0 pending 1', //    8
      'write xorg fb[1]', //              9
      'write app fb[0]', //               10  fb0 page 2
      'expect defio fb0 pending 2', //    11
      'expect defio fb0 pending 3', //    12
      'expect defio fb0 pending 0', //    13
    ], 7);
    assert.deepEqual(got, [
      '7 pass: 0 pages listed', "8 FAIL: expected 1 pages on fb0's deferred-I/O list, found 0",
      '11 pass: 2 pages listed [1, 2]', "12 FAIL: expected 3 pages on fb0's deferred-I/O list, found 2 [1, 2]",
      "13 FAIL: expected 0 pages on fb0's deferred-I/O list, found 2 [1, 2]",
    ]);
  });
  it('written: fails before the work ran; then holds only for the same pages in the same order', () => {
    const { got } = run([...base,
      'write xorg fb[1]', //                   7
      'write app fb[0]', //                    8
      'expect defio fb0 written 1, 2', //      9
      'expect defio fb0 written none', //      10
      'wait 50ms', //                          11
      'expect defio fb0 written 1, 2', //      12
      'expect defio fb0 written 2, 1', //      13
      'expect defio fb0 written 1', //         14
      'expect defio fb0 written 1, 2, 3', //   15
      'expect defio fb0 written none', //      16
      'expect defio fb0 pending 0', //         17
      'expect defio fb0 written 1, 3', //      18  every index, not some
    ], 9);
    assert.deepEqual(got, [
      '9 FAIL: expected deferred_io to have written 1, 2, found that the deferred work has not run yet',
      '10 FAIL: expected deferred_io to have written nothing, found that the deferred work has not run yet',
      '12 pass: deferred_io got 1, 2',
      '13 FAIL: expected deferred_io to have been handed 2, 1, found 1, 2',
      '14 FAIL: expected deferred_io to have been handed 1, found 1, 2',
      '15 FAIL: expected deferred_io to have been handed 1, 2, 3, found 1, 2',
      '16 FAIL: expected deferred_io to have been handed nothing, found 1, 2',
      '17 pass: 0 pages listed',
      '18 FAIL: expected deferred_io to have been handed 1, 3, found 1, 2',
    ]);
  });
  it('flush runs the pending work at once; with nothing pending it changes nothing (flush_delayed_work)', () => {
    const { got } = run([...base, 'write xorg fb[1]', 'flush fb0', 'expect defio fb0 written 1', 'expect result 1', 'flush fb0', 'expect defio fb0 written 1', 'expect result 0',
      'expect defio fb0 written none'], 9);
    assert.deepEqual(got, ['9 pass: deferred_io got 1', '10 pass: result 1', '12 pass: deferred_io got 1', '13 pass: result 0',
      '14 FAIL: expected deferred_io to have been handed nothing, found 1']);
  });
});

describe('expect oops: the last statement made the kernel oops', () => {
  const base = ['kernel 6.15', 'fbdev fb pages 2 backing carveout', 'process a', 'mmap a fb at 0x7f0000000000 pages 2 shared rw as p']; // 1..4
  it('holds right after the statement that oopsed, also past other expectations; fails after a statement that did not', () => {
    const { got } = run([...base,
      'expect oops', //           5  the mmap did not oops
      'write a p[0]', //          6  pfn_to_page() on memory with no struct page
      'expect oops', //           7
      'expect faults a 0', //     8  a fault that errors is not accounted (mm_account_fault)
      'expect oops', //           9  still the write: expectations are not statements
      'wait 1ms', //              10
      'expect oops', //           11
    ], 5);
    assert.deepEqual(got, [
      '5 FAIL: expected the last statement to oops the kernel, found no oops', '7 pass: the kernel oopsed', '8 pass: a took 0 faults',
      '9 pass: the kernel oopsed', '11 FAIL: expected the last statement to oops the kernel, found no oops',
    ]);
  });
  it('fails as the first line of a scenario (no statement above it)', () => {
    const { got } = run(['expect oops', 'process p']);
    assert.deepEqual(got, ['1 FAIL: expected the last statement to oops the kernel, found no oops']);
  });
});

describe('expect walk: the VMAs the last rmap walk reached, in order, skipped ones as ~PROC:LABEL', () => {
  const base = [
    'sysctl fault_around_bytes 4096', //                        1
    'file f pages 4', //                                        2
    'process a', 'process b', 'process c', //                   3..5
    'mmap a f at 0x7f0000000000 pages 4 shared rw as m', //     6
    'mmap b f at 0x7e0000000000 pages 4 shared rw as m', //     7
    'mmap c f at 0x7d0000000000 pages 4 private rw as m', //    8
    'read c m[0]', 'write a m[0]', 'write b m[0]', //           9..11
  ];
  it('before any walk: `none` holds, a list fails saying no walk has run', () => {
    const { got } = run([...base, 'expect walk none', 'expect walk a:m'], 12);
    assert.deepEqual(got, ['12 pass: walk: none', '13 FAIL: expected the last rmap walk to reach a:m, found no walk has run']);
  });
  it('after folio_mkclean: the i_mmap order with the private VMA skipped; any other list fails naming the API', () => {
    const { got } = run([...base,
      'mkclean f[0]', //                  12
      'expect walk a:m, b:m, ~c:m', //    13
      'expect walk b:m, a:m, ~c:m', //    14  order matters
      'expect walk a:m, b:m, c:m', //     15  skipped matters
      'expect walk a:m, b:m', //          16  every VMA reached
      'expect walk a:m, b:m, ~c:m, a:m', // 17
      'expect walk none', //              18
    ], 13);
    const api = '(folio_mkclean)', found = 'found a:m, b:m, ~c:m';
    assert.deepEqual(got, [
      `13 pass: walk ${api}: a:m, b:m, ~c:m`,
      `14 FAIL: expected the last rmap walk ${api} to reach b:m, a:m, ~c:m, ${found}`,
      `15 FAIL: expected the last rmap walk ${api} to reach a:m, b:m, c:m, ${found}`,
      `16 FAIL: expected the last rmap walk ${api} to reach a:m, b:m, ${found}`,
      `17 FAIL: expected the last rmap walk ${api} to reach a:m, b:m, ~c:m, a:m, ${found}`,
      `18 FAIL: expected the last rmap walk ${api} to reach none, ${found}`,
    ]);
  });
  it('a walk that reached nothing holds for `none`; a VMA without a label shows as vma#ID', () => {
    const { r, got } = run(['kernel 6.15', 'file f pages 2', 'process a', 'mmap a f at 0x10000000 pages 1 shared rw', 'write a 0x10000000',
      'wrprotect f[1..1]', 'expect walk none', 'wrprotect f[0..0]', 'expect walk none'], 7);
    const id = r.engine.tasks.get(r.pids.get('a')!)!.mm.vmas[0].id;
    assert.deepEqual(got, ['7 pass: walk (mapping_wrprotect_range): none', `9 FAIL: expected the last rmap walk (mapping_wrprotect_range) to reach none, found a:vma#${id}`]);
  });
});

describe('expect pipe: the data a pipe holds, as spliced or changed by a later write', () => {
  const base = ['process p', 'mmap p anon at 0x10000000 pages 2 private rw as h', 'write p h[0..1]'];
  it('holds and fails with the pipe, its pages and what happened to them', () => {
    const { got } = run([...base, 'fork p as c', 'vmsplice c h as two', 'vmsplice c h[0] as one',
      'expect pipe two unchanged', 'expect pipe one unchanged', 'expect pipe two changed', 'expect pipe one changed',
      'madvise c h dontneed', 'write p h[0]', 'expect pipe one unchanged',
      'write c h[1]', 'vmsplice c h[1] as mine', 'write c h[1]', 'expect pipe mine changed', 'expect pipe mine unchanged'], 7);
    assert.deepEqual(got, [
      '7 pass: pipe two holds its 2 pages as spliced',
      '8 pass: pipe one holds its 1 page as spliced',
      '9 FAIL: expected pipe two to have changed, but no write reached its 2 pages after the splice',
      '10 FAIL: expected pipe one to have changed, but no write reached its 1 page after the splice',
      '13 pass: pipe one holds its 1 page as spliced',
      '17 pass: a write reached a page of pipe mine after the splice',
      '18 FAIL: expected pipe mine unchanged, but a write reached one of its pages after the splice (the data leaked)',
    ]);
  });
  it('an empty pipe (EFAULT), a pipe whose holders exited, a pipe that was never made', () => {
    const r = runText(['kernel 6.15', ...base, 'mmap p anon at 0x20000000 pages 1 private none as n', 'vmsplice p n as e', 'expect error EFAULT',
      'expect pipe e unchanged', 'expect pipe e changed', 'vmsplice p h as gone', 'exit p', 'expect pipe gone unchanged',
      // a process a kernel oops killed (the carveout fbdev, 6.15) splices nothing: no pipe is made
      'fbdev fb pages 1 backing carveout', 'process a', 'mmap a fb at 0x30000000 pages 1 shared rw as f',
      'mmap a anon at 0x40000000 pages 1 private rw as g', 'write a f[0]', 'vmsplice a g as never', 'expect pipe never changed',
    ].join('\n') + '\n');
    assert.deepEqual(outcomes(r).filter((o) => +o.split(' ')[0] >= 8), [
      '8 pass: pipe e holds nothing (an empty pipe) as spliced',
      '9 FAIL: expected pipe e to have changed, but it holds nothing (an empty pipe)',
      '12 FAIL: pipe gone was released when the last process holding it exited',
      '19 FAIL: no pipe never at this point',
    ]);
  });
});

describe('expect pin: the data a pinned buffer holds, as registered or changed by a later write', () => {
  const base = ['process p', 'mmap p anon at 0x10000000 pages 2 private rw as h', 'write p h[0..1]'];
  it('holds and fails with the buffer, its pages and what happened to them', () => {
    const { got } = run([...base, 'pin p h as two', 'pin p h[0] as one', 'expect pin two unchanged', 'expect pin two changed',
      'fork p as c', 'write c h[0]', 'expect pin one unchanged', 'write p h[0]', 'expect pin one changed', 'expect pin one unchanged'], 6);
    assert.deepEqual(got, [
      '6 pass: buffer two holds its 2 pinned pages as pinned',
      '7 FAIL: expected buffer two to have changed, but no write reached its 2 pinned pages (the pin is not reliable: a write went to another page)',
      '10 pass: buffer one holds its 1 pinned page as pinned',
      '12 pass: a write reached a pinned page of buffer one (the pin sees it)',
      '13 FAIL: expected buffer one unchanged, but a write reached one of its 1 pinned page',
    ]);
  });
  it('a buffer not registered (EFAULT), one whose holders exited, one never made, and a pipe asked as a buffer', () => {
    const r = runText(['kernel 6.15', ...base, 'mmap p anon at 0x20000000 pages 1 private r as n', 'pin p n as e', 'expect error EFAULT',
      'expect pin e changed', 'pin p h as gone', 'exit p', 'expect pin gone changed',
      // a process a kernel oops killed (the carveout fbdev, 6.15) pins nothing: no buffer is made
      'fbdev fb pages 1 backing carveout', 'process a', 'mmap a fb at 0x30000000 pages 1 shared rw as f',
      'mmap a anon at 0x40000000 pages 1 private rw as g', 'write a f[0]', 'pin a g as never', 'expect pin never changed',
      'vmsplice a g as pp', 'expect pipe pp changed',
    ].join('\n') + '\n');
    assert.deepEqual(outcomes(r).filter((o) => +o.split(' ')[0] >= 7), [
      '7 pass: refused with EFAULT',
      '8 FAIL: buffer e was not registered (EFAULT)',
      '11 FAIL: buffer gone was unpinned when the last process holding its ring exited',
      '18 FAIL: no pinned buffer never at this point',
      '20 FAIL: no pipe pp at this point',
    ]);
  });
});
