// The .mms lexer: one line at a time (a statement never spans lines). Hand-written,
// linear in the input, no regular expressions, never throws: a character or number it
// cannot accept becomes an `error` token carrying the diagnostic, and lexing goes on.

import type { Position, Range } from './ast';
import type { Diagnostic } from './diagnostics';
import { KEYWORDS } from './keywords';

export type TokenKind =
  | 'word'      // [A-Za-z_][A-Za-z0-9_-]*  (keywords and names)
  | 'int'       // 4096, 0x7f00_0000_0000
  | 'duration'  // 50ms, 1s
  | 'size'      // 16K, 2M (bytes; language v2: THP sizes)
  | 'version'   // 6.15 (only meaningful after `kernel`)
  | '[' | ']' | '..' | ',' | ':' | '~' | '!'
  | 'error';

export interface Token {
  kind: TokenKind;
  /** the source text of the token */
  text: string;
  /** 0-based line, and [start, end) columns in UTF-16 code units */
  line: number;
  start: number;
  end: number;
  /** int: its value; duration: milliseconds; size: bytes; otherwise 0 */
  value: number;
  /** word: it is one of KEYWORDS */
  keyword: boolean;
  /** error: what is wrong */
  error: { code: string; message: string } | undefined;
  /** caches of tokenRange(), startPos(), endPos(): AST nodes share them */
  _range: Range | undefined;
  _start: Position | undefined;
  _end: Position | undefined;
}

export interface LexedLine {
  line: number;
  tokens: Token[];
  /** the `#` comment of the line, if any (text includes the `#`) */
  comment?: { start: number; end: number; text: string };
}

/** Lexer diagnostic codes (see docs/language.md). */
export const LEX_UNEXPECTED_CHAR = 'MMS101';
export const LEX_INT_TOO_LARGE = 'MMS102';
export const LEX_BAD_NUMBER = 'MMS103';

// Ranges and positions are cached on the token and shared by every AST node that uses
// them (a statement's range shares its first token's start position, ...): the AST of a
// big scenario is mostly ranges, so this halves its size. Never mutate a range.

export function startPos(t: Token): Position {
  return t._start ?? (t._start = { line: t.line, character: t.start });
}

export function endPos(t: Token): Position {
  return t._end ?? (t._end = { line: t.line, character: t.end });
}

/** The token's range (cached, shared). */
export function tokenRange(t: Token): Range {
  return t._range ?? (t._range = { start: startPos(t), end: endPos(t) });
}

/** From the start of `a` to the end of `b` (shared positions). */
export function tokenSpan(a: Token, b: Token): Range {
  return a === b ? tokenRange(a) : { start: startPos(a), end: endPos(b) };
}

function tok(kind: TokenKind, text: string, line: number, start: number, end: number, value: number): Token {
  return {
    kind, text, line, start, end, value, keyword: false, error: undefined,
    _range: undefined, _start: undefined, _end: undefined,
  };
}

/** Show user text in a message: quoted, and cut short when very long. */
export function quote(text: string): string {
  const s = text.length > 40 ? text.slice(0, 37) + '...' : text;
  return `'${s}'`;
}

/** Split into lines at \r\n, \n or a lone \r (as VS Code does); "" is one empty line. */
export function splitLines(text: string): string[] {
  const out: string[] = [];
  const n = text.length;
  let start = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) {
      out.push(text.slice(start, i));
      start = i + 1;
    } else if (c === 13 /* \r */) {
      out.push(text.slice(start, i));
      if (i + 1 < n && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

function isDigit(c: number): boolean { return c >= 48 && c <= 57; }
function isLetter(c: number): boolean { return (c >= 65 && c <= 90) || (c >= 97 && c <= 122); }
function isHexDigit(c: number): boolean { return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102); }
function isWordStart(c: number): boolean { return isLetter(c) || c === 95 /* _ */; }
function isWordPart(c: number): boolean { return isLetter(c) || isDigit(c) || c === 95 || c === 45 /* - */; }
/** characters that continue a number-like run (a number glued to letters is one bad token) */
function isNumberPart(c: number): boolean { return isLetter(c) || isDigit(c) || c === 95; }
/** The blanks between tokens (what the formatter may collapse). */
export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 0xfeff /* BOM */;
}

function describeChar(text: string, i: number): { len: number; desc: string } {
  const cp = text.codePointAt(i) ?? 0;
  const len = cp > 0xffff ? 2 : 1;
  const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return { len, desc: `control character ${hex}` };
  if (cp === 0xa0) return { len, desc: `no-break space ${hex}` };
  if (cp >= 0xd800 && cp <= 0xdfff) return { len, desc: `unpaired surrogate ${hex}` };
  if (cp < 0x7f) return { len, desc: `'${String.fromCodePoint(cp)}'` };
  return { len, desc: `'${String.fromCodePoint(cp)}' (${hex})` };
}

/**
 * Accumulate the digits of `s` (with `_` separators) in base 10 or 16. Returns NaN when
 * the value is not a safe integer (> 2^53 - 1). Exact: every partial value up to
 * MAX_SAFE_INTEGER is an exact double, so the first partial value that exceeds it is
 * detected before precision is lost.
 */
function digitsValue(s: string, base: 10 | 16): number {
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 95) continue;
    const d = isDigit(c) ? c - 48 : (c | 32) - 87;
    v = v * base + d;
    if (v > Number.MAX_SAFE_INTEGER) return NaN;
  }
  return v;
}

/** '_' may only stand between two digits. */
function separatorsOk(s: string): boolean {
  if (s.length === 0) return true;
  if (s.charCodeAt(0) === 95 || s.charCodeAt(s.length - 1) === 95) return false;
  for (let i = 1; i < s.length; i++) if (s.charCodeAt(i) === 95 && s.charCodeAt(i - 1) === 95) return false;
  return true;
}

/** A number-like token starting at text[i] (a digit); `from` is the line's start offset. */
function lexNumber(text: string, line: number, from: number, i: number, limit: number, intern?: Map<string, string>): Token {
  let j = i;
  while (j < limit && isNumberPart(text.charCodeAt(j))) j++;
  const raw = internSlice(text, i, j, intern);
  const t = tok('int', raw, line, i - from, j - from, 0);
  const bad = (code: string, message: string): Token => {
    t.kind = 'error';
    t.error = { code, message };
    return t;
  };

  // 6.15: a version (only `kernel` accepts it). `0..3` is 0, '..', 3.
  if (j + 1 < limit && text.charCodeAt(j) === 46 && isDigit(text.charCodeAt(j + 1))) {
    let ok = true;
    for (let k = i; k < j; k++) if (!isDigit(text.charCodeAt(k))) { ok = false; break; }
    let e = j;
    while (e + 1 < limit && text.charCodeAt(e) === 46 && isDigit(text.charCodeAt(e + 1))) {
      e += 1;
      while (e < limit && isDigit(text.charCodeAt(e))) e++;
    }
    while (e < limit && isNumberPart(text.charCodeAt(e))) { ok = false; e++; }
    t.text = text.slice(i, e);
    t.end = e - from;
    if (!ok) return bad(LEX_BAD_NUMBER, `malformed number ${quote(t.text)}`);
    t.kind = 'version';
    return t;
  }

  let base: 10 | 16 = 10;
  let body = raw;
  if (raw.length >= 2 && raw.charCodeAt(0) === 48 && (raw.charCodeAt(1) === 120 || raw.charCodeAt(1) === 88)) {
    if (raw.charCodeAt(1) === 88) return bad(LEX_BAD_NUMBER, `hexadecimal numbers start with a lower-case '0x': ${quote(raw)}`);
    base = 16;
    body = raw.slice(2);
  }
  let k = 0;
  let sawDigit = false;
  if (base === 16) {
    for (; k < body.length; k++) {
      const c = body.charCodeAt(k);
      if (isHexDigit(c)) sawDigit = true;
      else if (c !== 95) break;
    }
  } else {
    for (; k < body.length; k++) {
      const c = body.charCodeAt(k);
      if (isDigit(c)) sawDigit = true;
      else if (c !== 95) break;
    }
  }
  const digits = k === body.length ? body : body.slice(0, k);
  const suffix = k === body.length ? '' : body.slice(k);
  if (!sawDigit) {
    return bad(LEX_BAD_NUMBER, `'0x' must be followed by hexadecimal digits: ${quote(raw)}`);
  }
  if (!separatorsOk(digits)) {
    return bad(LEX_BAD_NUMBER, `misplaced '_' in ${quote(raw)} ('_' may only separate two digits)`);
  }
  if (base === 10 && (suffix === 'K' || suffix === 'M')) {
    const v = digitsValue(digits, 10) * (suffix === 'K' ? 1024 : 1024 * 1024);
    if (!Number.isSafeInteger(v)) return bad(LEX_INT_TOO_LARGE, `size ${quote(raw)} is too large`);
    t.kind = 'size';
    t.value = v;
    return t;
  }
  if (suffix !== '' && suffix !== 'ms' && suffix !== 's') {
    return bad(LEX_BAD_NUMBER, base === 16
      ? `malformed hexadecimal number ${quote(raw)}`
      : `unexpected ${quote(suffix)} after the number ${quote(digits)} (a duration ends in ms or s, e.g. 50ms)`);
  }
  const v = digitsValue(digits, base);
  if (Number.isNaN(v)) {
    return bad(LEX_INT_TOO_LARGE, `integer ${quote(base === 16 ? '0x' + digits : digits)} is too large (the largest exact integer is 2^53-1 = 9007199254740991)`);
  }
  if (suffix === '') {
    t.value = v;
    return t;
  }
  const ms = suffix === 's' ? v * 1000 : v;
  if (ms > Number.MAX_SAFE_INTEGER) return bad(LEX_INT_TOO_LARGE, `duration ${quote(raw)} is too long`);
  t.kind = 'duration';
  t.value = ms;
  return t;
}

/** text.slice(i, j), returning one shared string per distinct short text (names repeat). */
function internSlice(text: string, i: number, j: number, intern: Map<string, string> | undefined): string {
  const s = text.slice(i, j);
  if (!intern || j - i > 32) return s;
  const known = intern.get(s);
  if (known !== undefined) return known;
  if (intern.size < 4096) intern.set(s, s); // the common names come early; stay small
  return s;
}

/**
 * Tokens of text[from, to) -- one line without its line break -- numbered `line`, with
 * columns counted from `from`. `intern`, if given, shares the strings of repeated names
 * and numbers across lines. Never throws.
 */
export function lexSpan(text: string, from: number, to: number, line: number, intern?: Map<string, string>): LexedLine {
  const tokens: Token[] = [];
  const out: LexedLine = { line, tokens };
  let limit = to;
  for (let h = from; h < to; h++) {
    if (text.charCodeAt(h) === 35 /* # */) {
      limit = h;
      out.comment = { start: h - from, end: to - from, text: text.slice(h, to) };
      break;
    }
  }
  let i = from;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) { i++; continue; }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < limit && isWordPart(text.charCodeAt(j))) j++;
      const w = internSlice(text, i, j, intern);
      const t = tok('word', w, line, i - from, j - from, 0);
      if (KEYWORDS.has(w)) t.keyword = true;
      tokens.push(t);
      i = j;
      continue;
    }
    if (isDigit(c)) {
      const t = lexNumber(text, line, from, i, limit, intern);
      tokens.push(t);
      i = from + t.end;
      continue;
    }
    let kind: TokenKind | undefined;
    switch (c) {
      case 91: kind = '['; break;
      case 93: kind = ']'; break;
      case 44: kind = ','; break;
      case 58: kind = ':'; break;
      case 126: kind = '~'; break;
      case 33: kind = '!'; break;
      case 46:
        if (i + 1 < limit && text.charCodeAt(i + 1) === 46) {
          tokens.push(tok('..', '..', line, i - from, i - from + 2, 0));
          i += 2;
          continue;
        } else {
          const t = tok('error', '.', line, i - from, i - from + 1, 0);
          t.error = { code: LEX_UNEXPECTED_CHAR, message: `unexpected '.' (a page range is written I..J)` };
          tokens.push(t);
          i++;
          continue;
        }
    }
    if (kind) {
      tokens.push(tok(kind, kind, line, i - from, i - from + 1, 0));
      i++;
      continue;
    }
    const { len, desc } = describeChar(text, i);
    const end = Math.min(i + len, limit);
    const t = tok('error', text.slice(i, end), line, i - from, end - from, 0);
    t.error = { code: LEX_UNEXPECTED_CHAR, message: `unexpected character ${desc}` };
    tokens.push(t);
    i = end;
  }
  return out;
}

/** Tokens of one line (without its line break) and its comment. Never throws. */
export function lexLine(text: string, line: number): LexedLine {
  return lexSpan(text, 0, text.length, line);
}

/**
 * Calls `fn(from, to, line)` for every line of `text` (breaks: \r\n, \n, lone \r, as VS
 * Code); returns the number of lines ("" is one empty line).
 */
export function forEachLine(text: string, fn: (from: number, to: number, line: number) => void): number {
  const n = text.length;
  let start = 0;
  let line = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      fn(start, i, line++);
      start = i + 1;
    } else if (c === 13) {
      fn(start, i, line++);
      if (i + 1 < n && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  fn(start, n, line++);
  return line;
}

/** Lex a whole document: every line, and one diagnostic per error token. */
export function lex(text: string): { lines: LexedLine[]; diagnostics: Diagnostic[] } {
  const lines = splitLines(String(text ?? '')).map((l, i) => lexLine(l, i));
  const diagnostics: Diagnostic[] = [];
  for (const l of lines) {
    for (const t of l.tokens) {
      if (t.kind === 'error' && t.error) {
        diagnostics.push({ range: tokenRange(t), severity: 'error', code: t.error.code, message: t.error.message });
      }
    }
  }
  return { lines, diagnostics };
}
