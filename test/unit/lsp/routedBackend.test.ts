// Where the node language server runs a document (src/service/routedBackend.ts): on its
// worker until a run shows it is cheap, then inline; back to the worker when the text becomes
// big or two runs in a row were not cheap; hover and inspector questions go to the side that holds the
// document's run, and moving drops what the other side held. Recording fakes, no clock.
import * as assert from 'node:assert/strict';
import type { Backend } from '../../../src/service/backend';
import { INLINE_RUN_MS, RoutedBackend } from '../../../src/service/routedBackend';
import { WORKER_LINE_THRESHOLD, type RunSummary } from '../../../src/views/summary';

const summary = (ms: number): RunSummary => ({ diagnostics: [], passed: 0, failed: 0, exitStatus: 0, kernel: '6.12', expectations: [], outline: [], cancelled: false, ms });

class Side implements Backend {
  calls: string[] = [];
  /** the ms the next runs report */
  ms = 1;
  constructor(readonly name: string) {}
  async run(key: string, runId: number) { this.calls.push(`run ${key} ${runId}`); return summary(this.ms); }
  async inspect(key: string, runId: number) { this.calls.push(`inspect ${key} ${runId}`); return 'stale' as const; }
  async hover(key: string, runId: number) { this.calls.push(`hover ${key} ${runId}`); return `${this.name} hover`; }
  async staticInfo(key: string) { this.calls.push(`static ${key}`); return { expectations: [], outline: [] }; }
  cancel(key: string) { this.calls.push(`cancel ${key}`); }
  forget(key: string) { this.calls.push(`forget ${key}`); }
  dispose() { this.calls.push('dispose'); }
}

const SMALL = 'kernel 6.12\nprocess p\n';
const BIG = 'process p\n'.repeat(WORKER_LINE_THRESHOLD + 1);

function setup() {
  const worker = new Side('worker'), inline = new Side('inline');
  return { worker, inline, b: new RoutedBackend(worker, inline) };
}

describe('RoutedBackend (the node server: a cheap document runs inline, others on their worker)', () => {
  it("runs a document's first text on its worker, then inline once a run was cheap", async () => {
    const { worker, inline, b } = setup();
    await b.run('d', 1, SMALL, {});
    assert.deepEqual([worker.calls, inline.calls], [['run d 1'], []]);
    await b.run('d', 2, SMALL, {});
    assert.deepEqual(worker.calls, ['run d 1', 'forget d'], 'moving inline drops the worker');
    assert.deepEqual(inline.calls, ['run d 2']);
    assert.equal(await b.hover('d', 2, 0, 0), 'inline hover', 'hover asks the side that holds the run');
  });

  it('goes back to the worker when two runs in a row were not cheap, or the text is big', async () => {
    const { worker, inline, b } = setup();
    await b.run('d', 1, SMALL, {});
    inline.ms = INLINE_RUN_MS + 1;
    await b.run('d', 2, SMALL, {});
    assert.deepEqual(inline.calls, ['run d 2']);
    await b.run('d', 3, SMALL, {});
    assert.deepEqual(inline.calls, ['run d 2', 'run d 3'], 'one slow inline run is not a trend: the next run stays inline');
    await b.run('d', 4, SMALL, {});
    assert.deepEqual(inline.calls, ['run d 2', 'run d 3', 'forget d'], 'two slow inline runs send the next run to the worker');
    assert.deepEqual(worker.calls.slice(-1), ['run d 4']);
    await b.run('d', 5, SMALL, {});
    assert.deepEqual(inline.calls.slice(-1), ['run d 5'], 'a cheap worker run brings it back inline');
    await b.run('d', 6, BIG, {});
    assert.deepEqual(worker.calls.slice(-1), ['run d 6'], 'a big text runs on the worker even after a cheap run');
    assert.equal(await b.hover('d', 6, 0, 0), 'worker hover');
  });

  it('a slow run between cheap ones moves nothing (a garbage collection, a cold path)', async () => {
    const { worker, inline, b } = setup();
    await b.run('d', 1, SMALL, {});
    for (const [runId, ms] of [[2, 1], [3, 40], [4, 1], [5, 40], [6, 1]]) { inline.ms = ms; await b.run('d', runId, SMALL, {}); }
    assert.deepEqual(inline.calls, ['run d 2', 'run d 3', 'run d 4', 'run d 5', 'run d 6']);
    assert.deepEqual(worker.calls, ['run d 1', 'forget d'], 'no worker started again');
    assert.equal(b.side('d', SMALL), 'inline');
  });

  it('a run at exactly the limit is still cheap', async () => {
    const { worker, inline, b } = setup();
    worker.ms = INLINE_RUN_MS;
    await b.run('d', 1, SMALL, {});
    await b.run('d', 2, SMALL, {});
    assert.deepEqual(inline.calls, ['run d 2']);
    assert.equal(b.side('d', SMALL), 'inline');
    assert.equal(b.side('other', SMALL), 'worker', 'a document never run is not known to be cheap');
  });

  it('runs a one-shot text (a closed file) on a worker, and keeps each document apart', async () => {
    const { worker, inline, b } = setup();
    await b.run('d', 1, SMALL, {});
    await b.run('e', 2, SMALL, {}, { oneShot: true });
    await b.run('e', 3, SMALL, {});
    assert.deepEqual(worker.calls, ['run d 1', 'run e 2', 'run e 3'], 'a one-shot run is not a cost that moves the document');
    assert.deepEqual(inline.calls, []);
  });

  it('parses small texts inline and big ones on a worker; cancel and forget reach both sides', async () => {
    const { worker, inline, b } = setup();
    await b.staticInfo('d', SMALL, {});
    await b.staticInfo('d', BIG, {});
    assert.deepEqual([inline.calls, worker.calls], [['static d'], ['static d']]);
    b.cancel('d'); b.forget('d'); b.dispose();
    for (const s of [inline, worker]) assert.deepEqual(s.calls.slice(1), ['cancel d', 'forget d', 'dispose']);
  });
});
