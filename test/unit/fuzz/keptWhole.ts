// Shared by the fuzz generators' tests: keepValid leaves each generated scenario one the
// checker accepts whole (no error, no invalid statement) and keeps most of its lines.
import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import { check } from '../../../src/language/checker';
import { keepValid } from './realisable';

/** Asserts it for every scenario of the sample; returns the kept texts. */
export function assertKeptWhole(sample: string[]): string[] {
  let kept = 0, total = 0;
  const valid = sample.map((t) => {
    const v = keepValid(t);
    assert.ok(v !== null, t);
    const { scenario, diagnostics } = parse(v);
    const chk = check(scenario);
    assert.deepEqual([...diagnostics, ...chk.diagnostics].filter((d) => d.severity === 'error').map((d) => d.message), [], v);
    assert.equal(chk.invalid.size, 0, v);
    kept += v.trimEnd().split('\n').length;
    total += t.trimEnd().split('\n').length;
    return v;
  });
  assert.ok(kept / total > 0.6, `kept ${kept} of ${total} lines`);
  return valid;
}
