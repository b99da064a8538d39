// When a document runs (src/lsp/documentRuns.ts, the one policy for every client), with a
// backend whose runs finish when the test says: a cheap document runs at once, a change while
// its run is in flight is coalesced into one run of the newest version and an older version's
// result is never published; a big document waits for typing to pause and its stale run is
// cancelled; current() answers with the run of the current version. No clock is asserted.
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Backend } from '../../../src/service/backend';
import { DocumentRuns, type DocumentRun } from '../../../src/lsp/documentRuns';
import type { RunSummary } from '../../../src/views/summary';

const URI = 'file:///d.mms';
const summary = (ms = 1): RunSummary => ({ diagnostics: [], passed: 0, failed: 0, exitStatus: 0, kernel: '6.15', expectations: [], outline: [], cancelled: false, ms });

class FakeBackend implements Partial<Backend> {
  runs: { runId: number; text: string; finish: (s: RunSummary | undefined) => void }[] = [];
  cancelled: string[] = [];
  run(_key: string, runId: number, text: string): Promise<RunSummary | undefined> {
    return new Promise((resolve) => this.runs.push({ runId, text, finish: resolve }));
  }
  cancel(key: string): void {
    this.cancelled.push(key);
    // the run in flight (the last one asked) resolves undefined: its worker is terminated
    this.runs[this.runs.length - 1]?.finish(undefined);
  }
  forget(): void { /* nothing held */ }
  dispose(): void { /* nothing held */ }
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

function setup(text: string) {
  let doc = TextDocument.create(URI, 'mmscope', 1, text);
  const backend = new FakeBackend();
  const published: DocumentRun[] = [];
  const runs = new DocumentRuns(backend as unknown as Backend, (u) => (u === URI ? doc : undefined), () => ({ opts: {}, updateDelay: 5 }),
    { didRun: (r) => published.push(r), didStart: () => undefined });
  const edit = (t: string) => { doc = TextDocument.update(doc, [{ text: t }], doc.version + 1); runs.changed(URI); };
  return { runs, backend, published, edit, version: () => doc.version };
}

describe('lsp: when a document runs (DocumentRuns)', () => {
  it('a cheap document runs at once; changes while its run is in flight make one run of the newest version; the older result is not published', async () => {
    const { runs, backend, published, edit } = setup('process p\n');
    runs.opened(URI);
    assert.equal(backend.runs.length, 1, 'the opened version runs at once');
    edit('process p\nprocess q\n');
    edit('process p\nprocess q\nprocess r\n');
    assert.equal(backend.runs.length, 1, 'nothing more while the run is in flight');
    backend.runs[0].finish(summary());
    await tick();
    assert.deepEqual(published.map((r) => r.version), [], 'version 1 is not current any more');
    assert.equal(backend.runs.length, 2, 'one run for the two changes');
    assert.equal(backend.runs[1].text, 'process p\nprocess q\nprocess r\n');
    backend.runs[1].finish(summary());
    await tick();
    assert.deepEqual(published.map((r) => r.version), [3]);
    assert.equal(runs.latest(URI)?.runId, backend.runs[1].runId);
  });

  it('a big document waits for typing to pause, and its stale run is cancelled', async () => {
    const big = 'process p\n' + 'read p m[0]\n'.repeat(2100);
    const { runs, backend, published, edit } = setup(big);
    runs.opened(URI);
    assert.equal(backend.runs.length, 1);
    edit(big + '#a\n');
    assert.deepEqual(backend.cancelled, [URI], 'the run of version 1 is cancelled');
    edit(big + '#ab\n');
    assert.equal(backend.runs.length, 1, 'no run while typing');
    await tick(30);
    assert.equal(backend.runs.length, 2, 'one run after the pause');
    backend.runs[1].finish(summary(200));
    await tick();
    assert.deepEqual(published.map((r) => r.version), [3]);
  });

  it('a slow last run makes a small document wait too', async () => {
    const { runs, backend, edit } = setup('process p\n');
    runs.opened(URI);
    backend.runs[0].finish(summary(80));
    await tick();
    edit('process q\n');
    assert.equal(backend.runs.length, 1, 'waits for the pause (its last run took 80 ms)');
    await tick(30);
    assert.equal(backend.runs.length, 2);
  });

  it('one slow run between cheap ones does not make it wait; two in a row do', async () => {
    const { runs, backend, edit } = setup('process p\n');
    runs.opened(URI);
    const finishLast = async (ms: number) => { backend.runs[backend.runs.length - 1].finish(summary(ms)); await tick(); };
    await finishLast(1);
    edit('process q\n');
    assert.equal(backend.runs.length, 2, 'a cheap document runs at once');
    await finishLast(80);
    edit('process r\n');
    assert.equal(backend.runs.length, 3, 'one 80 ms run after a cheap one: still at once');
    await finishLast(80);
    edit('process s\n');
    assert.equal(backend.runs.length, 3, 'two 80 ms runs in a row: waits for the pause');
    await tick(30);
    assert.equal(backend.runs.length, 4);
  });

  it('current() answers with the run of the current version, running it once for any number of askers', async () => {
    const { runs, backend, version } = setup('process p\n');
    const a = runs.current(URI), b = runs.current(URI);
    assert.equal(backend.runs.length, 1);
    backend.runs[0].finish(summary());
    const [ra, rb] = await Promise.all([a, b]);
    assert.equal(ra?.version, version());
    assert.equal(ra, rb);
    assert.equal(await runs.current(URI), ra, 'published: asked again, no run');
    assert.equal(backend.runs.length, 1);
    assert.equal(await runs.current('file:///closed.mms'), undefined);
  });
});
