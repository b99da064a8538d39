// The oracle's translator: which user-space trigger each statement becomes, what it
// records afterwards, and what it refuses to fake.

import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Range, Scenario, Statement } from '../../../src/language/ast';
import { parse } from '../../../src/language/parser';
import { buildProgram, translateScenario, type OracleTranslation } from '../../../src/oracle/translate';
import { sharedScenarios } from '../language/helpers';
import { requireTool } from './tools';

function tr(text: string, name = 'test'): OracleTranslation {
  const { scenario } = parse(text.split('\n').map(l => l.trim()).join('\n'));
  return translateScenario(scenario, { name });
}
const stepAt = (t: OracleTranslation, kind: string, nth = 0) => t.steps.filter(s => s.kind === kind)[nth];
/** the C of one step of a process: `case K: ...` */
const caseOf = (t: OracleTranslation, k: number): string => t.c.split('\n').find(l => l.startsWith(`  case ${k}:`)) ?? '';

const SHARED_FILE = `file data pages 4
  process a
  mmap a data at 0x10000000 pages 4 shared rw as m
  read a m[0]
  write a m[1]
  writeback data
  expect result 2
  expect walk a:m
  expect pte a m[0..1] present !write softdirty
  expect faults a 2`;

describe('oracle translator (scenario -> C)', () => {
  it('a file is created on ext4, written and fsynced before any process exists; cold drops it from the cache', () => {
    const warm = tr(SHARED_FILE);
    assert.match(warm.c, /obj_file\(0, "data", 4L, 0\);/);
    const cold = tr('file big pages 100 cold\nprocess a');
    assert.match(cold.c, /obj_file\(0, "big", 100L, 1\);/);
    assert.ok(cold.c.indexOf('obj_file(') < cold.c.indexOf('o_spawn('), 'objects first, then processes');
    assert.equal(cold.objects[0].realisedAs?.startsWith('/mnt/'), true);
  });

  it('mmap becomes MAP_FIXED_NOREPLACE at the scenario address with the prot, sharing and offset of the statement', () => {
    const t = tr(`file f pages 8
      process a
      mmap a f at 0x10000000 pages 4 offset 2 private r as m
      mmap a anon at 0x20000000 pages 2 shared rw as s
      mmap a anon at 0x30000000 pages 2 private none as n`);
    assert.match(caseOf(t, 2), /o_mmap\(2, 0x10000000UL, 0x4000UL, PROT_READ, MAP_PRIVATE, OBJ\[0\]\.fd, 0x2000UL\);/);
    assert.match(caseOf(t, 3), /o_mmap\(3, 0x20000000UL, 0x2000UL, PROT_READ\|PROT_WRITE, MAP_SHARED\|MAP_ANONYMOUS, -1, 0x0UL\);/);
    assert.match(caseOf(t, 4), /PROT_NONE, MAP_PRIVATE\|MAP_ANONYMOUS, -1/);
    assert.match(fs.readFileSync(path.join(__dirname, '../../../../src/oracle/guest/oracle.h'), 'utf8'), /flags \| MAP_FIXED_NOREPLACE/);
  });

  it('each page of a read/write is one measured access in its process, and the touched mappings are snapshotted', () => {
    const t = tr(SHARED_FILE);
    const r = stepAt(t, 'read'), w = stepAt(t, 'write');
    assert.match(caseOf(t, r.index), /o_acc\(3, 0x10000000UL, 0, 0\);/);
    assert.match(caseOf(t, w.index), /o_acc\(4, 0x10001000UL, 1, 1\);/);
    assert.equal(r.runsIn, 'a');
    assert.deepEqual(r.snapshots.map(s => [s.proc, s.label, s.page, s.pages]), [['a', 'm', 0, 4]]);
    assert.match(t.c, /o_step\(3, 3\); o_run\(3, 0\);\n\s+snap\(3, 0, 0x10000000UL, 4, 0\); smaps\(3, 0, 0x10000000UL, 4, 0\);\n\s+o_faults_line\(3\);/);
    const range = tr('process p\nmmap p anon at 0x1000000 pages 4 private rw as h\nwrite p h[1..3]');
    assert.equal(range.steps[2].accesses.length, 3);
    assert.equal((caseOf(range, 2).match(/o_acc\(/g) ?? []).length, 3);
  });

  it('writeback is fsync by the driver, a page range is sync_file_range, msync is MS_SYNC in the process', () => {
    const t = tr(SHARED_FILE);
    const wb = stepAt(t, 'writeback');
    assert.equal(wb.runsIn, 'driver');
    assert.match(t.c, new RegExp(`o_fsync\\(${wb.index}, 0, 0\\);`));
    const r = tr(`file f pages 4
      process a
      mmap a f at 0x10000000 pages 4 shared rw as m
      writeback f [1..2]
      munmap a m[1..1]
      msync a m`);
    assert.match(r.c, /o_sync_range\(3, 0, 1L, 2L\);/);
    // msync covers what is still mapped of the label: two runs after the hole
    assert.match(caseOf(r, 5), /o_msync\(5, 0x10000000UL, 0x1000UL\); o_msync\(5, 0x10002000UL, 0x2000UL\);/);
  });

  it('statements with no user-space trigger are reported not observable and emit nothing', () => {
    const src = `kernel 6.15
      file f pages 2
      process a
      mmap a f at 0x10000000 pages 2 shared rw as m
      write a m[0]
      mkclean f[0]
      wrprotect f[0..1]
      pfn_mkclean f[0] a m
      unmap_range f[0..1]
      expect result 1
      expect walk a:m
      expect pte a m[0] present !write`;
    const t = tr(src);
    const kinds = t.notObservable.map(n => n.kind);
    // expect result / walk are answered from the kprobe trace: they only mark their place in
    // it; mkclean of a file page is stood in by writeback (next test)
    assert.deepEqual(kinds, ['wrprotect', 'pfn_mkclean', 'unmap_range']);
    for (const n of t.notObservable) {
      assert.equal(caseOf(t, n.index), '', `${n.kind} runs nothing in a process`);
      assert.doesNotMatch(t.c, new RegExp(`o_step\\(${n.index},`), `${n.kind} has no step in the driver`);
    }
    assert.match(t.notObservable[0].reason, /no user-space trigger/);
    // what the real kernel shows afterwards differs from the engine: the later expectation says so
    const last = t.steps[t.steps.length - 1];
    assert.deepEqual(last.taintedBy, [6, 7, 8]);
    assert.equal(last.observable, 'yes', '!write: the PTE value is read by the mms/vnp kprobe');
    const noProbes = translateScenario(parse(src.replace(/^\s+/gm, '')).scenario, { probes: false });
    assert.equal(noProbes.steps[noProbes.steps.length - 1].observable, 'partial', 'without the kprobe events !write is not visible from user space');
    assert.match(t.c, /o_vnp\(1\); snap\(/, 'the expectation\'s pagemap read turns the vnp probe on around it');
  });

  it('mkclean of a file page is stood in by sync_file_range over that page (folio_clear_dirty_for_io calls folio_mkclean); PG_dirty of that page is then not compared until a shared write dirties it again', () => {
    const src = `file f pages 2
      shmem s pages 1
      process a
      mmap a f at 0x10000000 pages 2 shared rw as m
      mmap a s at 0x20000000 pages 1 shared rw as t
      write a m[0]
      mkclean f[0]
      expect folio f[0] dirty
      write a m[0]
      expect folio f[0] dirty
      mkclean s[0]`;
    const t = tr(src);
    const mk = t.steps[6];
    assert.equal(mk.observable, 'partial');
    assert.match(mk.reason ?? '', /stood in by sync_file_range/);
    assert.match(t.c, /o_step\(6, 6\); o_sync_range\(6, 0, 0L, 0L\);/);
    assert.deepEqual(mk.taintedBy, [], 'the PTEs and the walk are the kernel\'s own: nothing else is tainted');
    assert.deepEqual(t.steps[7].dirtyTaint, [{ obj: 'f', index: 0, line: 6 }]);
    assert.equal(t.steps[9].dirtyTaint, undefined, 'the store through the shared mapping dirtied the folio on both sides');
    // shmem has no writeback to stand in; without the kprobe events the walk is not seen either
    assert.equal(t.steps[10].observable, 'no');
    assert.equal(translateScenario(parse(src.replace(/^\s+/gm, '')).scenario, { probes: false }).steps[6].observable, 'no');
  });

  it('pfnmap and fbdev carveout/contig are not realisable: their mappings and accesses are not observable', () => {
    const t = tr(`pfnmap regs pages 4
      fbdev fb pages 4 backing carveout
      process a
      mmap a regs at 0x7f0000000000 pages 4 shared rw as m
      write a m[1]
      expect faults a 1`);
    assert.equal(t.objects.every(o => !o.realisable), true);
    assert.match(t.objects[0].reason!, /not observable on a real kernel/);
    assert.equal(stepAt(t, 'mmap').observable, 'no');
    assert.equal(stepAt(t, 'write').observable, 'no');
    assert.doesNotMatch(t.c, /o_mmap|o_acc|obj_fb/);
    assert.deepEqual(stepAt(t, 'expect_faults').taintedBy, [4], 'the fault count misses the skipped access');
  });

  it('an accounted mapping larger than the guest\'s RAM is not made (its overcommit heuristic refuses it): shared anonymous or private writable, not read-only', () => {
    const t = tr(`process a
      mmap a anon at 0x7f0040000000 pages 524288 shared rw as big
      mmap a anon at 0x7f00c0000000 pages 200000 private rw as priv
      mmap a anon at 0x7f0100000000 pages 200000 private r as ro
      mmap a anon at 0x7f0000000000 pages 1024 shared rw as small
      write a big[0]`);
    assert.equal(stepAt(t, 'mmap', 0).observable, 'no');
    assert.match(stepAt(t, 'mmap', 0).reason!, /more than the oracle guest's 512 MiB of RAM: its overcommit heuristic refuses the mapping/);
    assert.equal(stepAt(t, 'mmap', 1).observable, 'no');
    assert.notEqual(stepAt(t, 'mmap', 2).observable, 'no', 'a read-only private mapping is not accounted');
    assert.equal(stepAt(t, 'mmap', 3).observable, 'yes');
    assert.equal(stepAt(t, 'write').observable, 'no');
  });

  it('a file with large page-cache folios (folio SIZE) is not realisable: the guest\'s ext4 has none before 6.16; a file without is', () => {
    const t = tr(`file f pages 16 cold folio 64K
      file g pages 16
      process a
      mmap a f at 0x7f0000000000 pages 16 shared rw as m
      read a m[0]`);
    assert.deepEqual(t.objects.map(o => o.realisable), [false, true]);
    assert.match(t.objects[0].reason!, /folio 64K: the guest's files are on ext4, which has no large page-cache folios before 6\.16/);
    assert.equal(stepAt(t, 'read').observable, 'no');
  });

  it('an fbdev with backing vmalloc is /dev/fb0; its delay is the kernel\'s own; flush is fsync on the fb', () => {
    const t = tr(`fbdev fb pages 4 backing vmalloc delay 20ms
      process x
      mmap x fb at 0x7f0000000000 pages 4 shared rw as m
      write x m[0]
      flush fb
      wait 100ms`);
    assert.match(t.c, /obj_fb\(0, 4L\);/);
    assert.equal(t.objects[0].scenarioDelayMs, 20);
    assert.equal(t.objects[0].kernelDelayMs, 48);
    assert.equal(stepAt(t, 'fbdev').observable, 'partial');
    assert.match(t.c, /o_fsync\(4, 0, 5\);/);
    assert.match(t.c, /o_sleep\(5, 100L\);/);
    assert.deepEqual(stepAt(t, 'wait').snapshots.map(s => s.label), ['m'], 'a wait looks at the fb mappings');
    const big = tr('fbdev fb pages 2000\nfbdev fb2 pages 1');
    assert.equal(big.objects[0].realisable, false, 'larger than /dev/fb0');
    const two = tr('fbdev a pages 1\nfbdev b pages 1');
    assert.deepEqual(two.objects.map(o => o.realisable), [true, false], 'one /dev/fb0');
  });

  it('fork runs in the parent and hands the child its own lock-step channel; the child inherits the mappings', () => {
    const t = tr(`process a
      mmap a anon at 0x1000000 pages 2 private rw as h
      fork a as b
      fork b as c
      write c h[0]
      exit b`);
    assert.deepEqual(t.processes.map(p => [p.name, p.parent]), [['a', undefined], ['b', 'a'], ['c', 'b']]);
    assert.match(caseOf(t, 2), /o_fork\(2, 1\);/);
    assert.match(caseOf(t, 3), /o_fork\(3, 2\);/);
    assert.match(t.c, /o_run_fork\(3, 1, 2\);/);
    assert.match(t.c, /o_run_exit\(5, 1\);/);
    const w = stepAt(t, 'write');
    assert.equal(w.runsIn, 'c');
    assert.deepEqual(w.snapshots.map(s => s.proc), ['a', 'b', 'c'], 'COW: every mapping of the inherited anon memory');
    assert.deepEqual(stepAt(t, 'exit').snapshots.map(s => s.proc), ['a', 'c']);
  });

  it('clear_refs writes 4 in the process; sysctl fault_around_bytes goes to debugfs', () => {
    const t = tr(`process a
      clear_refs a softdirty
      sysctl fault_around_bytes 4096`);
    assert.match(caseOf(t, 1), /o_clear_refs\(1, "4"\);/);
    assert.match(t.c, /o_set_fab\(2, 4096L\);/);
  });

  it('expectations take their own observations: pagemap of the named pages, the object page for `maps`', () => {
    const t = tr(`file f pages 4
      process c
      mmap c f at 0x30000000 pages 4 private rw as m
      read c m[0]
      expect pte c m[0] present !write maps f[0]
      expect folio f[1..2] dirty mapcount 1 mapping f
      expect faults c 1
      expect signal c none`);
    const pte = stepAt(t, 'expect_pte');
    assert.deepEqual(pte.snapshots.map(s => [s.page, s.pages]), [[0, 1]]);
    assert.deepEqual(pte.objPages, [{ obj: 'f', index: 0 }]);
    assert.match(t.c, /objpage\(4, 0, 0L\);/);
    const folio = stepAt(t, 'expect_folio');
    assert.deepEqual(folio.objPages.map(o => o.index), [1, 2]);
    assert.equal(folio.observable, 'partial');
    assert.match(folio.reason!, /mapping/);
    assert.equal(stepAt(t, 'expect_faults').observable, 'yes');
    assert.doesNotMatch(t.c, /o_step\(6,/, 'fault counts are already recorded after every process step');
  });

  it('statements the checker rejected are not run', () => {
    const { scenario } = parse('process a\nmmap a anon at 0x1000 pages 1 private rw as h\nwrite a h[0]');
    const invalid = new Set<Statement>([scenario.statements[1]]);
    const t = translateScenario(scenario, { invalid });
    assert.equal(t.steps[1].observable, 'no');
    assert.match(t.steps[1].reason!, /rejected by the checker/);
    assert.equal(t.steps[2].observable, 'no', 'no mapping h: the access cannot be placed');
  });

  it('keeps the output bounded: large mappings are recorded in chunks, up to maxSnapshotPages', () => {
    const t = tr('process p\nmmap p anon at 0x10000000 pages 5000 private rw as h\nread p h[0]');
    const r = stepAt(t, 'read');
    assert.deepEqual(r.snapshots.map(s => s.pages), [1024, 1024, 1024, 1024]);
    assert.equal(r.snapshots[1].addr, 0x10000000 + 1024 * 4096);
    assert.equal(r.observable, 'partial');
    assert.match(r.reason!, /904 of 5000 pages are not recorded/);
    const big = tr('file f pages 20000\nshmem s pages 40000');
    assert.deepEqual(big.objects.map(o => o.realisable), [false, false]);
  });

  it('works on a hand-built AST (no parser needed)', () => {
    const r: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    const at = (line: number): Range => ({ start: { line, character: 0 }, end: { line, character: 1 } });
    const id = (name: string) => ({ name, range: r });
    const num = (value: number) => ({ value, range: r, text: String(value) });
    const scn: Scenario = {
      comments: [], lineCount: 3,
      statements: [
        { kind: 'process', name: id('p'), range: at(0), kwRange: r },
        { kind: 'mmap', proc: id('p'), obj: id('anon'), addr: num(0x1000000), pages: num(1), shared: false, sharedRange: r, prot: 'rw', protRange: r, label: id('h'), range: at(1), kwRange: r },
        { kind: 'write', proc: id('p'), pages: { kind: 'named', target: id('h'), first: num(0), range: r }, range: at(2), kwRange: r },
      ],
    };
    const t = translateScenario(scn, { name: 'hand', index: 3 });
    assert.match(t.c, /static void s3_run\(void\)/);
    assert.match(t.c, /o_acc\(2, 0x1000000UL, 1, 0\);/);
    assert.deepEqual(t.steps.map(s => s.line), [0, 1, 2]);
  });

  it('a batch is one program: each scenario its own prefix, main runs them in order', () => {
    const { scenario } = parse(SHARED_FILE);
    const a = translateScenario(scenario, { name: 'one', index: 0 });
    const b = translateScenario(scenario, { name: 'two', index: 1 });
    const c = buildProgram([a, b]);
    assert.match(c, /static o_scenario_fn o_fns\[\] = \{ s0_run, s1_run \};/);
    assert.match(c, /"one", "two"/);
    assert.throws(() => buildProgram([a, a]), /two scenarios with index 0/);
  });

  it('the C of every shared scenario compiles against oracle.h', function () {
    requireTool('gcc', 'gcc libc6-dev');
    const dir = sharedScenarios();
    this.timeout(60000);
    const files = fs.readdirSync(dir).filter(f => f.endsWith('.mms'));
    const ts = files.map((f, i) => translateScenario(parse(fs.readFileSync(path.join(dir, f), 'utf8')).scenario, { name: f, index: i }));
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oracle-c-'));
    const src = path.join(tmp, 'gen.c');
    fs.writeFileSync(src, buildProgram(ts));
    assert.ok(ts.length >= 10, `${ts.length} shared scenarios translated`);
    const cc = spawnSync('gcc', ['-fsyntax-only', '-Wall', '-Werror', '-Wno-unused-function', '-I', path.join(__dirname, '../../../../src/oracle/guest'), src], { encoding: 'utf8' });
    assert.equal(cc.status, 0, `gcc: ${cc.stderr}`);
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});

describe('oracle translator: a fork past the process limit', () => {
  it('is not made, and taints the parent and what it maps, so its later steps are not compared', () => {
    const procs = Array.from({ length: 63 }, (_, i) => `process q${i}`).join('\n');
    const t = tr('process p\nmmap p anon at 0x7f0000000000 pages 2 private rw as h\nwrite p h[0..1]\n' + procs + '\nfork p as c\nwrite p h[0]\nwrite q0 0x1000');
    assert.equal(t.steps.filter((x) => x.kind === 'fork')[0].observable, 'no');
    assert.deepEqual(t.steps.filter((x) => x.kind === 'write')[0].taintedBy, []);
    assert.ok(t.steps.filter((x) => x.kind === 'write')[1].taintedBy.length > 0, 'the parent\'s write after the fork is tainted');
    assert.deepEqual(t.steps.filter((x) => x.kind === 'write')[2].taintedBy, [], 'another process is not');
  });
});
