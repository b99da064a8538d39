// Formatting of a .mms scenario: one space between words, the first two columns aligned
// within each run of consecutive lines of the same statement (`mmap xorg` / `mmap app `),
// trailing comments aligned within each paragraph, comment-only lines kept as written
// (without indentation). Idempotent: formatting formatted text changes nothing. Only the
// blanks the lexer skips are touched, so the parsed scenario is the same before and after.

import { isSpace, splitLines } from './lexer';

interface Line { code: string[]; comment?: string; blank: boolean }

/** The words of `text` split at the blanks the lexer skips (no other character is touched). */
function words(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const blank = i === text.length || isSpace(text.charCodeAt(i));
    if (blank && start >= 0) { out.push(text.slice(start, i)); start = -1; }
    else if (!blank && start < 0) start = i;
  }
  return out;
}

function trimEndBlanks(text: string): string {
  let end = text.length;
  while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(0, end);
}

function splitLine(raw: string): Line {
  const hash = raw.indexOf('#');
  const codeText = hash >= 0 ? raw.slice(0, hash) : raw;
  const comment = hash >= 0 ? trimEndBlanks(raw.slice(hash)) : undefined;
  const code = words(codeText);
  return { code, comment, blank: !code.length && comment === undefined };
}

/** The statement a line of code starts (`expect pte` counts as one word for grouping). */
function groupKey(code: string[]): string {
  return code[0] === 'expect' ? `expect ${code[1]}` : code[0];
}

/** How many leading columns are aligned in a group keyed by `key`. */
function alignedColumns(key: string): number {
  return key.startsWith('expect ') ? 3 : 2;
}

export interface FormatOptions { /** minimum gap between code and a trailing comment */ commentGap?: number }

export function formatScenario(text: string, opts: FormatOptions = {}): string {
  const gap = opts.commentGap ?? 2;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = splitLines(text).map(splitLine);
  const out: string[] = new Array(lines.length);

  // 1. code columns, per run of lines of the same statement kind
  const codeText: string[] = lines.map((l) => l.code.join(' '));
  for (let i = 0; i < lines.length;) {
    if (!lines[i].code.length) { i++; continue; }
    const key = groupKey(lines[i].code);
    let j = i;
    while (j < lines.length && lines[j].code.length && groupKey(lines[j].code) === key) j++;
    const cols = alignedColumns(key);
    // (a run of one line is aligned with itself: unchanged)
    const widths: number[] = [];
    for (let k = i; k < j; k++) {
      const c = lines[k].code;
      for (let col = 0; col < Math.min(cols, c.length - 1); col++) widths[col] = Math.max(widths[col] ?? 0, c[col].length);
    }
    for (let k = i; k < j; k++) {
      const c = lines[k].code;
      codeText[k] = c.map((word, col) => (col < c.length - 1 && col < cols ? word.padEnd(widths[col]) : word)).join(' ');
    }
    i = j;
  }

  // 2. trailing comments, aligned per paragraph (lines between blank lines)
  for (let i = 0; i < lines.length;) {
    if (lines[i].blank) { out[i] = ''; i++; continue; }
    let j = i;
    while (j < lines.length && !lines[j].blank) j++;
    let col = 0;
    for (let k = i; k < j; k++) if (lines[k].code.length && lines[k].comment !== undefined) col = Math.max(col, codeText[k].length + gap);
    for (let k = i; k < j; k++) {
      const l = lines[k];
      if (l.comment === undefined) out[k] = codeText[k];
      else if (!l.code.length) out[k] = l.comment; // a comment line, kept at column 0
      else out[k] = codeText[k].padEnd(col) + l.comment;
    }
    i = j;
  }
  return out.join(eol);
}
