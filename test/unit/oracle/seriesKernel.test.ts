// The series kernel (scripts/oracle/build-kernel.sh series: Debian's 6.12.118 with the 6.15 series
// "expose mapping wrprotect, fix fb_defio use"): its fb_defio walks are
// mapping_wrprotect_range's (kprobe events mwr / mwrone / mwrret), and the engine runs at
// 6.12.118 plus the series' rule.

import { strict as assert } from 'assert';
import { assembleTrace, missingProbes, type KEvent } from '../../../src/oracle/kprobes';
import { KernelProfile } from '../../../src/engine/kernel';
import { parseRelease } from '../../../src/engine/versions';
import { runText } from '../../../src/scenario/run';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from '../../../src/language/parser';
import { check } from '../../../src/language/checker';
import { translateScenario } from '../../../src/oracle/translate';
import { resultsFromLog } from '../../../src/oracle/run';
import { captureEngine, compareScenario } from '../../../src/oracle/compare';

const ROOT = path.join(__dirname, '../../../..');

const ev = (pid: number, ms: number, e: string, f: Record<string, string> = {}, task = 'oracle'): KEvent => ({ task, pid, ms, ev: e, f });
const mark = (ms: number, text: string): KEvent => ({ task: 'oracle', pid: 1, ms, ev: 'tracing_mark_write', f: {}, marker: text });

describe('oracle: the series kernel', () => {
  it('groups a mapping_wrprotect_range walk of the deferred work: its pgoff is the page written, VMAs in visit order, skips, PTEs cleaned, result', () => {
    const t = assembleTrace([
      mark(0, 'mms st 9'),
      ev(50, 48, 'dwork', {}, 'kworker/0:2'),
      ev(50, 48, 'mwr', { mapping: '0xffff88', pgoff: '2', pfn: '0x1234', nr: '1' }, 'kworker/0:2'),
      ev(50, 48, 'inval', { owner: '11', start: '0x7f0000000000', pgoff: '0' }, 'kworker/0:2'), ev(50, 48, 'invalret', { skip: '0' }, 'kworker/0:2'),
      ev(50, 48, 'mwrone', { owner: '11', start: '0x7f0000000000', pgoff: '0', addr: '0x7f0000002000' }, 'kworker/0:2'),
      ev(50, 48, 'ptecf', { addr: '0x7f0000002000', pte: '0x8000000002d0a867', owner: '11' }, 'kworker/0:2'),
      ev(50, 49, 'inval', { owner: '12', start: '0x7e0000000000', pgoff: '2' }, 'kworker/0:2'), ev(50, 49, 'invalret', { skip: '1' }, 'kworker/0:2'),
      ev(50, 49, 'mwrret', { ret: '1' }, 'kworker/0:2'),
      ev(50, 50, 'dworkret', {}, 'kworker/0:2'),
    ], new Set([1, 11, 12]));
    const s = t.steps.get(9)!;
    assert.equal(s.walks.length, 1);
    const w = s.walks[0];
    assert.equal(w.api, 'mapping_wrprotect_range');
    assert.equal(w.idx, 2);
    assert.equal(w.byWork, true);
    assert.equal(w.ret, 1);
    assert.deepEqual(w.visits, [
      { owner: 11, start: 0x7f0000000000, pgoff: 0, skipped: false, cleaned: 1 },
      { owner: 12, start: 0x7e0000000000, pgoff: 2, skipped: true, cleaned: 0 },
    ]);
    assert.deepEqual(s.workRuns.map((r) => r.pages), [[2]]);
  });

  it('asks for the mapping_wrprotect_range events only on a kernel that defines them', () => {
    const base = ['fmk', 'fmkret', 'inval', 'invalret', 'mkone', 'ptecf', 'fcdio', 'fcdioret', 'dmkw', 'dwork', 'dworkret', 'vnp', 'vnpret', 'dfault']
      .map((e) => ({ ev: e, ok: true }));
    assert.equal(missingProbes(base, 'walk'), null);
    const series = [...base, { ev: 'mwr', ok: true }, { ev: 'mwrret', ok: true }, { ev: 'mwrone', ok: false, why: 'not in kallsyms' }];
    assert.match(missingProbes(series, 'walk') ?? '', /mwrone: not in kallsyms/);
    assert.match(missingProbes(series, 'defio') ?? '', /mwrone/);
    assert.equal(missingProbes(series, 'pte'), null);
  });

  it('a release with patches has the rules of its release plus those of the patches', () => {
    const r = parseRelease('6.12.118')!;
    assert.equal(new KernelProfile(r).has('mapping-wrprotect-range'), false);
    const p = new KernelProfile(r, ['mapping-wrprotect-range']);
    assert.equal(p.has('mapping-wrprotect-range'), true);
    assert.equal(p.has('fb-defio-mkwrite-pgoff'), new KernelProfile(r).has('fb-defio-mkwrite-pgoff'));
    assert.equal(p.toString(), '6.12.118+mapping-wrprotect-range');
  });

  it('the engine at 6.12.118 plus the series walks fb_defio with mapping_wrprotect_range and leaves page->mapping alone, as 6.15 does', () => {
    const text = [
      'fbdev fb0 pages 4 backing vmalloc delay 48ms', 'process a',
      'mmap a fb0 at 0x7f0000000000 pages 4 shared rw as fb', 'write a fb[1]',
      'expect folio fb0[1] mapping none', 'wait 50ms', 'expect defio fb0 written 1', 'expect walk a:fb',
    ].join('\n') + '\n';
    const series = runText(text, { kernelOverride: '6.12.118', kernelPatches: ['mapping-wrprotect-range'] });
    const plain = runText(text, { kernelOverride: '6.12.118' });
    const apis = (r: ReturnType<typeof runText>) => r.steps.flatMap((s) => s.events.filter((e) => e.t === 'walk').map((e) => (e as { api: string }).api));
    assert.deepEqual(apis(series), ['mapping_wrprotect_range']);
    assert.deepEqual(apis(plain), ['folio_mkclean']);
    const failed = (r: ReturnType<typeof runText>) => r.steps.filter((s) => s.expect && !s.expect.ok).map((s) => s.index);
    assert.deepEqual(failed(series), []);
    assert.deepEqual(failed(plain), [4]); // 6.12.118: the fault handler sets page->mapping
  });

  it('on a recorded boot of the series kernel (fixtures/kprobes-series.serial.log, examples/fbdefio-6.15.mms) the work walks with mapping_wrprotect_range and every compared outcome agrees with the engine at 6.12.118+mapping-wrprotect-range', () => {
    const text = fs.readFileSync(path.join(ROOT, 'examples/fbdefio-6.15.mms'), 'utf8');
    const scenario = parse(text).scenario;
    const t = translateScenario(scenario, { name: 'fbdefio-6.15.mms', index: 0, invalid: check(scenario).invalid });
    const r = resultsFromLog(fs.readFileSync(path.join(ROOT, 'test/unit/oracle/fixtures/kprobes-series.serial.log'), 'utf8'), [t], [scenario]);
    assert.deepEqual(r.run?.probes?.filter((p) => !p.ok), []);
    assert.deepEqual(['mwr', 'mwrret', 'mwrone'].map((e) => r.run?.probes?.some((p) => p.ev === e && p.ok)), [true, true, true]);
    const walks = r.scenarios[0].steps.flatMap((s) => s.kernel?.walks ?? []);
    // page 2: xorg's VMA is visited (no PTE there: xorg never touched it), app's PTE cleaned
    assert.deepEqual(walks.map((w) => [w.api, w.idx, w.byWork, w.visits.length, w.ret]),
      [['mapping_wrprotect_range', 1, true, 1, 1], ['mapping_wrprotect_range', 2, true, 2, 1]]);
    const c = compareScenario(r.scenarios[0], captureEngine(scenario, r.scenarios[0], { kernel: '6.12.118', patches: ['mapping-wrprotect-range'], fbDelayMs: 48 }),
      { lines: text.split('\n'), probes: r.run?.probes ?? null });
    assert.equal(c.summary.differ, 0);
    assert.ok(c.summary.agree >= 18, `agree ${c.summary.agree}`);
    const row = (line: number) => c.steps.find((s) => s.line === line)!;
    assert.equal(row(22).verdict, 'agree'); // expect walk xorg:fb, app:fb
    assert.equal(row(21).verdict, 'agree'); // expect defio fb0 written 1, 2
    assert.equal(row(18).verdict, 'agree'); // expect folio fb0[1] mapping none
  });
});
