// Parsing the guest's ORACLE lines into per-statement results, and evaluating the
// scenario's observable expectations. The fixture is the serial log of a real boot
// (Debian 6.1.0-56, TCG) of shared-file-writenotify.mms.

import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from '../../../src/language/parser';
import { observationKey, pageAt, parseOracleLines, scenarioResult, type OracleRunInfo } from '../../../src/oracle/results';
import { translateScenario } from '../../../src/oracle/translate';

const FIX = path.join(__dirname, '../../../../test/unit/oracle/fixtures');

function recorded() {
  const text = fs.readFileSync(path.join(FIX, 'shared-file-writenotify.mms'), 'utf8');
  const log = fs.readFileSync(path.join(FIX, 'shared-file-writenotify.serial.log'), 'utf8');
  const { scenario } = parse(text);
  const t = translateScenario(scenario, { name: 'shared-file-writenotify.mms' });
  const { records, garbled } = parseOracleLines(log);
  const run = records.find(r => r.t === 'run')!;
  const info: OracleRunInfo = {
    release: run.release, version: run.version, zeroPfn: run.zero_pfn, faultAroundBytes: run.fab,
    fb: { id: run.fb, smemLen: run.smem }, bootS: null, doneS: null, probes: null,
  };
  const scn = records.filter(r => r.t !== 'run' && r.t !== 'boot' && r.t !== 'done');
  return { text, t, garbled, res: scenarioResult(t, scn, info, scenario) };
}

describe('oracle results (ORACLE lines -> typed observations)', () => {
  it('finds ORACLE lines amid console noise and keeps the ones that do not parse apart', () => {
    const { records, garbled } = parseOracleLines('\x1bc\x1b[2JORACLE {"t":"boot"}\r\n[ 1.0] some kernel line\nORACLE {"t":"x",\nORACLE {"t":"y"}\n');
    assert.deepEqual(records.map(r => r.t), ['boot', 'y']);
    assert.equal(garbled.length, 1);
  });

  it('a real run: every statement has a result, in order, with its 0-based line', () => {
    const { t, res, garbled } = recorded();
    assert.equal(garbled.length, 0);
    assert.equal(res.status, 'ok');
    assert.equal(res.steps.length, t.steps.length);
    assert.deepEqual(res.calibration, [{ proc: 'a', empty: 0, signal: 0 }], 'empty and signalled windows count no fault');
    assert.deepEqual(res.steps.filter(s => s.status === 'not-observable').map(s => s.kind), []);
    // this log was recorded without the kprobe events: result and walk cannot be answered
    for (const kind of ['expect_result', 'expect_walk']) {
      const ex = res.steps.find(s => s.kind === kind)!.expectation!;
      assert.equal(ex.verdict, 'not-observable');
      assert.match(ex.checks[0].reason ?? '', /without the kprobe events/);
    }
  });

  it('the first read faults once and fault-around maps the four cached pages read-only, exclusive, file-backed', () => {
    const { res } = recorded();
    const read = res.steps.find(s => s.kind === 'read')!;
    assert.deepEqual(read.accesses.map(a => [a.label, a.page, a.faults, a.signal]), [['m', 0, 1, null]]);
    assert.deepEqual(read.pages.map(p => [p.page, p.present, p.file, p.exclusive]), [0, 1, 2, 3].map(i => [i, true, true, true]));
    assert.deepEqual(read.faults, { a: 1 });
    assert.equal(new Set(read.pages.map(p => p.pfnId)).size, 4, 'four different pages');
  });

  it('a write makes the folio dirty (kpageflags) and writeback cleans it; PFNs stay the same', () => {
    const { res } = recorded();
    const w = res.steps.filter(s => s.kind === 'write')[0];
    const wb = res.steps.find(s => s.kind === 'writeback')!;
    const p0 = pageAt(res, w.index, 'a', 'm', 0)!;
    assert.equal(p0.folio?.dirty, true);
    assert.equal(pageAt(res, wb.index, 'a', 'm', 0)!.folio?.dirty, false);
    assert.equal(pageAt(res, wb.index, 'a', 'm', 0)!.pfnId, p0.pfnId);
    assert.deepEqual(wb.ops.map(o => [o.op, o.ret]), [['fsync', 0]]);
    const vma = wb.vmas[0];
    assert.deepEqual([vma.privateClean, vma.privateDirty], [16, 0]);
    assert.ok(vma.vmFlags.includes('sd'), 'a new VMA carries VM_SOFTDIRTY');
  });

  it('observable expectations are evaluated; !write and young are not visible; VM_SOFTDIRTY masks the PTE bit', () => {
    const { res } = recorded();
    assert.deepEqual(res.summary, { pass: 12, fail: 0, notObservable: 2 });
    const e = res.steps.find(s => s.kind === 'expect_pte')!.expectation!;
    assert.deepEqual(e.checks.map(c => [c.flag, c.verdict]), [
      ['present', 'pass'], ['!write', 'not-observable'], ['!dirty', 'not-observable'], ['young', 'not-observable'],
    ]);
    const sd = res.steps.filter(s => s.kind === 'expect_pte')[1].expectation!.checks.find(c => c.flag === 'softdirty')!;
    assert.equal(sd.verdict, 'not-observable');
    assert.match(sd.reason!, /VM_SOFTDIRTY/);
  });

  it('a wrong expectation fails with what the kernel showed', () => {
    const { text } = recorded();
    const log = fs.readFileSync(path.join(FIX, 'shared-file-writenotify.serial.log'), 'utf8');
    const { scenario } = parse(text.replace('expect faults a 4', 'expect faults a 5').replace('expect folio data[0] !dirty', 'expect folio data[0] dirty'));
    const t = translateScenario(scenario, { name: 'x' });
    const { records } = parseOracleLines(log);
    const res = scenarioResult(t, records, null, scenario);
    const fails = res.steps.filter(s => s.expectation?.verdict === 'fail');
    assert.deepEqual(fails.map(s => s.expectation!.checks.map(c => `${c.flag}=${c.observed}`)), [['dirty=0'], ['faults 5=4']]);
  });

  it('a scenario the guest never reached is not-run, step by step', () => {
    const { t } = recorded();
    const res = scenarioResult(t, [], null);
    assert.equal(res.status, 'not-run');
    assert.ok(res.steps.every(s => s.status !== 'observed'));
  });

  it('the join key is (scenario, line, process, label, page)', () => {
    assert.equal(observationKey('a.mms', 7, 'p', 'm', 3), 'a.mms:7:p:m:3');
    assert.equal(observationKey('a.mms', 7, 'p', null, 0), 'a.mms:7:p:-:0');
  });
});
