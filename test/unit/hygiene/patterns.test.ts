// The test files hold none of the patterns that let a test pass without checking (issue 19):
// test/hygiene/patterns.ts. First the scanner is shown to find each planted pattern.

import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { scanLines, scanTestBodies, type Problem } from '../../hygiene/patterns';

const root = path.resolve(__dirname, '../../../..');
const rules = (ps: Problem[]) => ps.map((p) => `${p.line}:${p.rule}`);

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const f = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' || e.name === 'node_modules' ? [] : files(f);
    return /\.(ts|js|mjs)$/.test(e.name) ? [f] : [];
  });
}

describe('test hygiene: the scanner finds each planted pattern', () => {
  const planted = (lines: string[]) => rules(scanLines('x.js', lines.join('\n')));
  it('an empty catch around a check, in each spelling; not with a stated reason', () => {
    assert.deepEqual(planted([
      'await peek.waitFor({ timeout: 1 }).catch(() => {});',
      'await p.catch(() => undefined);',
      'x.catch((e) => null)',
      'x.catch(_ => {})',
      'try { check(); } catch {}',
      'try { check(); } catch (e) { }',
      'await close().catch(() => {}); // not a check: clean-up after the run',
      'try { a(); } catch (e) { assert.fail(e); }',
    ]), ['1:empty catch swallows a failure', '2:empty catch swallows a failure', '3:empty catch swallows a failure',
      '4:empty catch swallows a failure', '5:empty catch swallows a failure', '6:empty catch swallows a failure']);
  });
  it('skipped, focused and pending tests', () => {
    assert.deepEqual(planted([
      "it.skip('a', () => {})", "describe.only('b', () => {})", 'xit("c", f)', 'if (!gcc) this.skip();', "it('shared folder not found')",
      "it('fine', () => assert.ok(1))", "  it(`pending ${x}`)",
    ]), ['1:skipped or focused test', '2:skipped or focused test', '3:skipped or focused test', '4:skipped or focused test',
      '5:pending test (no function)', '7:pending test (no function)']);
  });
  it('hard-coded absolute paths of a machine, not a guest path or a URL', () => {
    assert.deepEqual(planted([
      "const SCEN = '/work/shared/scenarios';", 'const t = "/tmp/x.mms";', '// see /home/me/notes', 'const w = `C:\\\\Users\\\\x`;',
      "assert(path.startsWith('/mnt/'))", "fetch('http://localhost/work/x')", "path.join(os.tmpdir(), 'x')",
    ]), ['1:hard-coded absolute path', '2:hard-coded absolute path', '3:hard-coded absolute path', '4:hard-coded absolute path']);
  });
  it('a test whose body makes no check (titles with commas and braces, templates, nested calls)', () => {
    const text = [
      "it('light theme, renders {screenshots}', async () => {",
      '  const p = await open(`${x}`);',
      "  await p.screenshot({ path: 'a.png' });",
      '});',
      "it('checks, really', async () => { await p.locator('.x').waitFor(); });",
      "it('asserts', () => assert.equal(f(), 1));",
      "it('nothing', () => f('assert'));",
      "it('a comment is not a check', () => { g(); /* assert */ });",
    ].join('\n');
    assert.deepEqual(rules(scanTestBodies('x.js', text)), ['1:test makes no check', '7:test makes no check', '8:test makes no check']);
  });
});

describe('test hygiene: the test files hold none of these patterns', () => {
  const all = files(path.join(root, 'test'));
  it('finds the test files (unit, scenario, e2e, exthost, webview)', () => {
    for (const d of ['test/unit', 'test/scenario', 'test/e2e/suites', 'test/exthost', 'test/webview']) {
      assert.ok(all.some((f) => f.startsWith(path.join(root, d) + path.sep)), `no test file under ${d}`);
    }
  });
  it('no empty catch around a check, no skipped, focused or pending test, no absolute path', () => {
    // (the scanner and this file name the patterns they look for)
    const describing = [path.join(root, 'test/hygiene/patterns.ts'), path.join(root, 'test/unit/hygiene/patterns.test.ts')];
    const found = all.filter((f) => !describing.includes(f))
      .flatMap((f) => scanLines(path.relative(root, f), fs.readFileSync(f, 'utf8')));
    assert.deepEqual(found.map((p) => `${p.file}:${p.line}: ${p.rule}: ${p.text}`), []);
  });
  it('every test of the plain-JS suites (e2e, extension host, webview) makes a check', () => {
    const js = all.filter((f) => /test[\\/](e2e[\\/]suites|exthost)[\\/].*\.js$/.test(f));
    const found = [
      ...js.flatMap((f) => scanTestBodies(path.relative(root, f), fs.readFileSync(f, 'utf8'))),
      ...scanTestBodies('test/webview/run.js', fs.readFileSync(path.join(root, 'test/webview/run.js'), 'utf8'), 'test'),
    ];
    assert.ok(js.length >= 5, `${js.length} plain-JS suites`);
    assert.deepEqual(found.map((p) => `${p.file}:${p.line}: ${p.rule}: ${p.text}`), []);
  });
});
