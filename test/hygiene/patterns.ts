// Source patterns that make a test unable to fail (issue 19), found by reading the test files:
//  - an empty catch: `.catch(() => {})`, `.catch(() => undefined|null)`, `catch {}` — a check
//    whose failure is swallowed. Harness clean-up that is not a check says so on its line with
//    `// not a check: <why>`.
//  - a skipped, focused or pending test: `it.skip`, `describe.only`, `xit(`, `this.skip()`,
//    `it('title')` without a function.
//  - a hard-coded absolute path of this machine (/work/, /home/, /root/, /tmp/, /Users/, C:\):
//    tests find files relative to the repository, ../shared or MMSCOPE_SHARED, os.tmpdir().
//  - (in the plain-JS suites, which mocha's assertion count does not see) a test whose body
//    makes no check: no assert/eq/until/waitFor*/must call.
// The unit tests also count assertions at run time (test/hygiene/assertionCount.ts).

export interface Problem { file: string; line: number; rule: string; text: string }

const ALLOW = /\/\/ not a check:/;
const EMPTY_CATCH = [
  /\.catch\(\s*(?:\(\s*\w*\s*\)|\w+)\s*=>\s*(?:\{\s*\}|undefined|null|void 0)\s*\)/,
  /\bcatch\s*(?:\([^)]*\))?\s*\{\s*\}/,
];
const SKIPPED = [/\b(?:it|describe|test)\.(?:skip|only)\s*\(/, /\bx(?:it|describe)\s*\(/, /\bthis\.skip\s*\(\s*\)/];
const PENDING = /(?:^|[^.\w])it\(\s*(['"`])(?:(?!\1)[^\\]|\\.)*\1\s*\)/;
const ABSOLUTE = /(?:^|[\s'"`(=:])(\/(?:work|home|root|tmp|Users)\/[^\s'"`)]*|[A-Za-z]:\\\\[^\s'"`]*)/;
const CHECK = /\bassert\b|\beq\(|\buntil\(|\.waitFor\w*\(|\bwaitFor\w*\(|\bmust\(|\bexpect\(/;

/** Line-by-line patterns (empty catch, skipped or pending tests, absolute paths). */
export function scanLines(file: string, text: string): Problem[] {
  const out: Problem[] = [];
  text.split('\n').forEach((l, i) => {
    const add = (rule: string) => out.push({ file, line: i + 1, rule, text: l.trim() });
    if (!ALLOW.test(l) && EMPTY_CATCH.some((re) => re.test(l))) add('empty catch swallows a failure');
    if (SKIPPED.some((re) => re.test(l))) add('skipped or focused test');
    if (PENDING.test(l)) add('pending test (no function)');
    if (ABSOLUTE.test(l)) add('hard-coded absolute path');
  });
  return out;
}

/**
 * The end index (exclusive) of the bracketed block that starts at text[open] ('(' or '{'),
 * skipping strings, templates and comments.
 */
function blockEnd(text: string, open: number): number {
  const o = text[open], c2 = o === '(' ? ')' : '}';
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') { i = text.indexOf('\n', i); if (i < 0) return text.length; continue; }
    if (c === '/' && text[i + 1] === '*') { i = text.indexOf('*/', i + 2) + 1; if (i <= 0) return text.length; continue; }
    if (c === '\'' || c === '"') { for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++; continue; }
    if (c === '`') {
      for (i++; i < text.length && text[i] !== '`'; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '$' && text[i + 1] === '{') i = blockEnd(text, i + 1) - 1;
      }
      continue;
    }
    if (c === o) depth++;
    else if (c === c2 && --depth === 0) return i + 1;
  }
  return text.length;
}

/** `text` with its comments and string contents blanked (template `${...}` parts kept). */
function codeOnly(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') { const e = text.indexOf('\n', i); i = e < 0 ? text.length : e - 1; continue; }
    if (c === '/' && text[i + 1] === '*') { const e = text.indexOf('*/', i + 2); i = e < 0 ? text.length : e + 1; continue; }
    if (c === '\'' || c === '"') { for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++; out += '""'; continue; }
    if (c === '`') {
      for (i++; i < text.length && text[i] !== '`'; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '$' && text[i + 1] === '{') { const e = blockEnd(text, i + 1); out += codeOnly(text.slice(i + 2, e - 1)) + ' '; i = e - 1; }
      }
      continue;
    }
    out += c;
  }
  return out;
}

/** Calls of `fn(` with a title (mocha's `it`, test/webview/run.js's `test`) whose text makes no check. */
export function scanTestBodies(file: string, text: string, fn = 'it'): Problem[] {
  const out: Problem[] = [];
  const re = new RegExp(`(^|[^.\\w])${fn}\\(\\s*['"\`]`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const open = m.index + m[1].length + fn.length;
    const call = text.slice(open, blockEnd(text, open));
    const title = /^\(\s*(['"`])((?:(?!\1)[^\\]|\\.)*)\1/.exec(call);
    const rest = title ? call.slice(title[0].length) : call;
    if (!CHECK.test(codeOnly(rest))) {
      const line = text.slice(0, open).split('\n').length;
      out.push({ file, line, rule: 'test makes no check', text: text.split('\n')[line - 1].trim() });
    }
  }
  return out;
}
