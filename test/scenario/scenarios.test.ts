// Runs the shared acceptance scenarios, the invalid ones, a deliberately false
// expectation and every example through the CLI's main().

import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli';
import { sharedScenarios } from '../unit/language/helpers';

const repoRoot = path.resolve(__dirname, '../../..');

function cli(argv: string[]): { code: number; out: string; err: string } {
  let out = '', err = '';
  const code = main(argv, (s) => { out += s; }, (s) => { err += s; });
  return { code, out, err };
}

const mms = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.mms')).sort().map((f) => path.join(dir, f)) : []);

describe('scenarios through mmscope check', () => {
  const scenarios = sharedScenarios();

  describe('shared acceptance scenarios', function () {
    it('has the shared scenarios', () => assert.ok(mms(scenarios).length >= 10, `.mms files in ${scenarios}`));
    for (const f of mms(scenarios)) {
      it(`${path.basename(f)}: exit 0, every expectation holds`, () => {
        const r = cli(['check', f]);
        assert.equal(r.code, 0, r.out + r.err);
        assert.match(r.out, /^\d+ passed, 0 failed$/m);
        assert.doesNotMatch(r.out, /: error:/);
      });
    }
    it('all of them together: exit 0 and 0 failed', () => {
      const files = mms(scenarios);
      const r = cli(['check', ...files]);
      assert.equal(r.code, 0);
      const m = /^(\d+) passed, 0 failed$/m.exec(r.out);
      assert.ok(m && +m[1] > 0, r.out);
    });
  });

  describe('invalid scenarios', function () {
    const dir = path.join(scenarios, 'invalid');
    it('broken-syntax.mms: exit 2 with one error on each of lines 4–9 at its exact column', () => {
      const f = path.join(dir, 'broken-syntax.mms');
      const r = cli(['check', f]);
      assert.equal(r.code, 2);
      const errs = r.out.split('\n').filter((l) => l.includes(': error:')).map((l) => {
        const m = /:(\d+):(\d+): error:/.exec(l)!;
        return [+m[1], +m[2]];
      });
      assert.deepEqual(errs.map(([l]) => l), [4, 5, 6, 7, 8, 9]);
      // each column points at the offending token
      const lines = fs.readFileSync(f, 'utf8').split('\n');
      const token: Record<number, string> = { 4: 'nosuchfile', 5: '0x1001', 6: 'nobody', 7: 'frobnicate', 8: 'shiny', 9: '0x1_0000_0000_0000' };
      for (const [l, c] of errs) assert.equal(c, lines[l - 1].indexOf(token[l]) + 1, `line ${l}`);
    });
    it('wrprotect-before-6.15.mms: exit 2, the error at the wrprotect line names the version', () => {
      const f = path.join(dir, 'wrprotect-before-6.15.mms');
      const r = cli(['check', f]);
      assert.equal(r.code, 2);
      const line = fs.readFileSync(f, 'utf8').split('\n').findIndex((l) => l.startsWith('wrprotect')) + 1;
      assert.match(r.out, new RegExp(`:${line}:1: error: .*6\\.15`));
    });
    it('every invalid scenario exits 2', () => {
      assert.ok(mms(dir).length >= 2, `.mms files in ${dir}`);
      for (const f of mms(dir)) assert.equal(cli(['check', f]).code, 2, f);
    });
  });

  describe('a false expectation', () => {
    it('exits 1 and reports the failure at its line', () => {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mmscope-'));
      const f = path.join(tmp, 'false.mms');
      fs.writeFileSync(f, 'process a\nmmap a anon at 0x1000000 pages 1 private rw as h\nwrite a h[0]\nexpect faults a 1\nexpect faults a 7\n');
      const r = cli(['check', f]);
      assert.equal(r.code, 1);
      assert.match(r.out, new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:1: error: expected a to have taken 7 page faults, found 1`));
      assert.match(r.out, /^1 passed, 1 failed$/m);
      fs.rmSync(tmp, { recursive: true });
    });
  });

  describe('examples/', () => {
    const files = mms(path.join(repoRoot, 'examples'));
    it('has examples', () => assert.ok(files.length >= 10));
    for (const f of files) {
      it(`${path.basename(f)}: exit 0, every expectation holds`, () => {
        const r = cli(['check', f]);
        assert.equal(r.code, 0, r.out + r.err);
        assert.match(r.out, /^\d+ passed, 0 failed$/m);
      });
    }
    it('run --json emits trace format v1', () => {
      const r = cli(['run', path.join(repoRoot, 'examples', 'fbdefio-6.15.mms'), '--json']);
      assert.equal(r.code, 0);
      const j = JSON.parse(r.out);
      assert.equal(j.format, 'mmscope-trace');
      assert.equal(j.version, 1);
      assert.equal(j.kernel, '6.15');
      assert.ok(j.steps.some((s: { events: { type: string }[] }) => s.events.some((e) => e.type === 'walk')));
    });
  });
});
