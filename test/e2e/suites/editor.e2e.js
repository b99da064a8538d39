'use strict';
// The editor experience in real VS Code (code-server): diagnostics as you type, hover,
// completion, the Check CodeLens, the Testing view, and keystroke → diagnostics latency
// with extension-host blocking (test-output/e2e/latency.json).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const e2e = require('../lib');

const STATS = path.join(e2e.paths.output, 'editor-stats.json');
const DEBOUNCE_MS = 300; // mmscope.updateDelay default

/** Errors + warnings in the status bar, read in the page (cheap enough to poll every few ms). */
function problemsInPage() {
  const el = document.querySelector('#status\\.problems a') || document.querySelector('#status\\.problems');
  const label = (el && el.getAttribute('aria-label')) || '';
  const m = /Errors?:\s*(\d+)/i.exec(label);
  return m ? Number(m[1]) : 0;
}

function readStats() {
  try { return JSON.parse(fs.readFileSync(STATS, 'utf8')); } catch { return undefined; }
}

/** Puts the fixture's original text back into the active editor (and waits for its problems to go). */
async function restore(page, name) {
  const text = fs.readFileSync(path.join(e2e.ROOT, 'test/e2e/fixtures/editor', name), 'utf8');
  await e2e.dismiss(page);
  await e2e.typeInEditor(page, text, { replaceAll: true, raw: true });
}

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };

describe('editor: language features in code-server', function () {
  fs.mkdirSync(e2e.paths.output, { recursive: true });
  fs.rmSync(STATS, { force: true });
  const s = e2e.useSession(this, { workspace: 'test/e2e/fixtures/editor', env: { MMSCOPE_STATS_FILE: STATS } });

  it('shows a diagnostic for a broken scenario, and drops it once fixed', async () => {
    await e2e.openFile(s.page, 'broken.mms');
    await e2e.waitForLanguage(s.page, 'MM Scope scenario');
    await e2e.waitForProblems(s.page, { errors: 1 });
    await s.page.locator('.editor-group-container.active .monaco-editor .squiggly-error').first().waitFor();
    await e2e.hoverAt(s.page, 5, 10);
    await e2e.screenshot(s.page, 'editor-diagnostics');
    const hover = (await s.page.locator('.monaco-hover:not(.hidden)').first().innerText());
    assert.match(hover, /no mapping labelled 'mm'/);
    assert.match(hover, /MMS203/);
    await e2e.dismiss(s.page);
    // fix it: `mm[2]` → `m[2]`
    await e2e.gotoLine(s.page, 5, 9);
    await s.page.keyboard.press('Delete');
    await e2e.waitForProblems(s.page, { errors: 0 });
  });

  it('answers a hover on a statement with the kernel path and a source link', async () => {
    await e2e.openFile(s.page, 'writeback.mms');
    const h = await e2e.hoverAt(s.page, 8, 2); // write p m[2]
    assert.match(h, /#PF 0x6/);
    assert.match(h, /do_shared_fault/);
    const links = await s.page.locator('.monaco-hover:not(.hidden) a').allTextContents();
    assert.ok(links.includes('do_shared_fault') || links.includes('handle_mm_fault'), `links: ${links.join(', ')}`);
    await e2e.screenshot(s.page, 'editor-hover-statement');
    await e2e.dismiss(s.page);
    const w = await e2e.hoverAt(s.page, 11, 2); // writeback data
    assert.match(w, /rmap walk/);
    assert.match(w, /~q:ro/);
    await e2e.dismiss(s.page);
  });

  it('answers a hover on m[2] with the PTE behind it after that line', async () => {
    const h = await e2e.hoverAt(s.page, 14, 14); // expect pte p m[2] ... (after writeback)
    assert.match(h, /mapping m/);
    assert.match(h, /PTE in p after line 14/);
    assert.match(h, /P RO U/);
    await e2e.screenshot(s.page, 'editor-hover-pte');
    await e2e.dismiss(s.page);
  });

  it('completes PTE flags after `expect pte PROC PAGES` and processes after `write`', async () => {
    await e2e.typeInEditor(s.page, '\nexpect pte p m[1] ', { at: { line: 14, column: 200 } });
    const flags = await e2e.completionLabels(s.page);
    assert.ok(flags.includes('present') && flags.includes('!write'), `got ${flags.join(', ')}`);
    await e2e.screenshot(s.page, 'editor-completion');
    await e2e.dismiss(s.page);
    await restore(s.page, 'writeback.mms');
    await e2e.typeInEditor(s.page, '\nwrite ', { at: { line: 14, column: 200 } });
    const procs = await e2e.completionLabels(s.page);
    assert.ok(procs.includes('p') && procs.includes('q'), `got ${procs.join(', ')}`);
    assert.ok(!procs.includes('mmap') && !procs.includes('present'), `no keywords or flags after \`write\`: ${procs.join(', ')}`);
    await e2e.dismiss(s.page);
    await restore(s.page, 'writeback.mms');
  });

  it('shows the Check CodeLens, which runs the scenario and reports passed/failed', async () => {
    await e2e.openFile(s.page, 'failing.mms');
    const titles = await e2e.codeLensTitles(s.page);
    assert.ok(titles.some((t) => /Check/.test(t)), `lenses: ${titles.join(' | ')}`);
    assert.ok(titles.some((t) => /Open Inspector/.test(t)), `lenses: ${titles.join(' | ')}`);
    await s.page.locator('.editor-group-container.active .codelens-decoration a', { hasText: 'Check' }).first().click();
    await s.page.locator('.editor-group-container.active .codelens-decoration a', { hasText: /1 passed, 1 failed/ }).first().waitFor();
    await e2e.screenshot(s.page, 'editor-codelens');
    const msgs = await e2e.notifications(s.page);
    assert.ok(msgs.some((m) => /failing\.mms: 1 passed, 1 failed/.test(m)), `notifications: ${msgs.join(' | ')}`);
  });

  it('lists scenarios in the Testing view and shows the failing expectation', async () => {
    await e2e.runCommand(s.page, 'Test: Run All Tests');
    await e2e.runCommand(s.page, 'Testing: Focus on Test Explorer View');
    const rows = s.page.locator('.test-explorer .monaco-list-row');
    await rows.filter({ hasText: 'failing.mms' }).first().waitFor();
    await rows.filter({ hasText: 'writeback.mms' }).first().waitFor();
    // expand failing.mms and find its failed child
    const failing = rows.filter({ hasText: 'failing.mms' }).first();
    if ((await failing.getAttribute('aria-expanded')) === 'false') await failing.locator('.monaco-tl-twistie').click();
    const child = rows.filter({ hasText: 'expect faults p 5' }).first();
    await child.waitFor();
    await child.locator('.codicon-testing-failed-icon, .codicon-testing-error-icon').first().waitFor();
    const ok = rows.filter({ hasText: 'expect pte p heap[0] present write dirty' }).first();
    await ok.locator('.codicon-testing-passed-icon').first().waitFor();
    await e2e.screenshot(s.page, 'editor-testing');
    // the failure message at its line, with expected and actual
    await child.dblclick();
    const peek = s.page.locator('.test-output-peek, .peekview-widget').first();
    await peek.waitFor({ timeout: 15000 }).catch(() => {});
    await e2e.screenshot(s.page, 'editor-testing-failure');
  });

  it('keeps keystroke → diagnostics latency low and the extension host unblocked (200-line scenario)', async () => {
    await e2e.openFile(s.page, 'latency200.mms');
    await e2e.sleep(1500); // its first run is published; other files keep their problems
    const baseline = await s.page.evaluate(problemsInPage);
    await e2e.gotoLine(s.page, 100, 1);
    const samples = [];
    const t0 = Date.now();
    for (let i = 0; i < 50; i++) {
      const before = await s.page.evaluate(problemsInPage);
      const start = Date.now();
      await s.page.keyboard.press(i % 2 === 0 ? 'x' : 'Backspace');
      await s.page.waitForFunction(([fn, b]) => (new Function(`return (${fn})()`))() !== b, [problemsInPage.toString(), before], { polling: 5, timeout: 10_000 });
      samples.push(Date.now() - start);
    }
    const t1 = Date.now();
    await e2e.waitForProblems(s.page, { errors: baseline });
    await e2e.sleep(600); // one more stats write
    const st = readStats();
    const stalls = st ? st.stalls.filter(([at]) => at >= t0 && at <= t1 + 300).map(([, ms]) => ms) : [];
    const result = {
      p50: pct(samples, 50), p95: pct(samples, 95), max: Math.max(...samples), min: Math.min(...samples),
      maxBlockMs: stalls.length ? Math.max(...stalls) : 0, debounceMs: DEBOUNCE_MS,
      edits: samples.length, lines: 200, maxInlineRunMs: st ? st.maxInlineRunMs : null,
      statsAvailable: !!st, loadAverage: os.loadavg()[0], cpus: os.cpus().length, samples,
    };
    // On a machine loaded far beyond its CPUs (the shared e2e box has seen load 20 on 2 CPUs)
    // every number here measures the scheduler, not mmscope: record them, assert only the stats.
    const overloaded = result.loadAverage > 2 * result.cpus;
    result.overloaded = overloaded;
    fs.writeFileSync(path.join(e2e.paths.output, 'latency.json'), JSON.stringify(result, null, 1) + '\n');
    e2e.log(`latency: p50 ${result.p50} ms, p95 ${result.p95} ms, max block ${result.maxBlockMs} ms (debounce ${DEBOUNCE_MS} ms)`);
    assert.ok(st, 'the extension wrote its stats file (MMSCOPE_STATS_FILE)');
    if (overloaded) {
      e2e.log(`latency: machine overloaded (load ${result.loadAverage.toFixed(1)} on ${result.cpus} CPUs): thresholds not asserted`);
      return;
    }
    assert.ok(result.p95 < DEBOUNCE_MS + 700, `p95 ${result.p95} ms`);
    // runs are off-thread; what is left on the extension host is parse+check (outline) and VS Code's own work
    assert.ok(result.maxBlockMs < 200, `extension host blocked ${result.maxBlockMs} ms`);
  });
});
