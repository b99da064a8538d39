// The diagnostics that make a file an error before it runs (scenario/run.ts fileDiagnostics):
// what `mmscope run` and `mmscope kernel` both refuse a file for.

import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import { check } from '../../../src/language/checker';
import { fileDiagnostics } from '../../../src/scenario/run';

const errorsOf = (text: string) => {
  const { scenario, diagnostics } = parse(text);
  return fileDiagnostics(scenario, diagnostics, check(scenario)).filter((d) => d.severity === 'error').map((d) => `${d.range.start.line + 1} ${d.code}`);
};

describe('file diagnostics: a refusal expected by `expect error` is not an error of the file', () => {
  it('a misaligned fixed mmap (EINVAL) followed by expect error EINVAL: no error', () => {
    assert.deepEqual(errorsOf('process p\nmmap p anon at 0x7f0000000400 pages 1 shared rw as s\nexpect error EINVAL\n'), []);
  });
  it('the same mmap without expect error, or a language error, stays an error', () => {
    assert.deepEqual(errorsOf('process p\nmmap p anon at 0x7f0000000400 pages 1 shared rw as s\n'), ['2 MMS301']);
    assert.deepEqual(errorsOf('process p\nwrite q m[0]\nexpect error EINVAL\n'), ['2 MMS201']);
  });
});
