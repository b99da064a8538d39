// The TextMate grammar (syntaxes/mmscope.tmLanguage.json) colours every statement and every
// expectation kind the language has (language/keywords.ts): a new statement cannot land
// without its colour.

import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { EXPECT_KEYWORDS, STATEMENT_KEYWORDS } from '../../../src/language/keywords';

const grammar = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../syntaxes/mmscope.tmLanguage.json'), 'utf8'));
const matches = (rule: { match?: string; patterns?: { match: string }[] }): RegExp[] =>
  (rule.patterns ?? [rule]).map((p) => new RegExp(p.match!));

describe('TextMate grammar', () => {
  it('colours every statement keyword at the start of a line', () => {
    const res = matches(grammar.repository.statement);
    const sample: Record<string, string> = { kernel: 'kernel 6.12', fork: 'fork p as c' };
    const missing = STATEMENT_KEYWORDS.filter((k) => k !== 'expect' && !res.some((re) => re.test(sample[k] ?? `${k} p x`)));
    assert.deepEqual(missing, []);
  });
  it('colours every expectation kind after `expect`', () => {
    const re = matches(grammar.repository.expect)[0];
    assert.deepEqual(EXPECT_KEYWORDS.filter((k) => !re.test(`expect ${k} x`)), []);
  });
});
