// The .mms parser: line-oriented (one statement per line), recursive descent over the
// tokens of a line. A line that does not parse gets ONE diagnostic (its first problem)
// and is left out of the AST; parsing goes on with the next line, so every bad line of a
// file is reported. Never throws for any input.

import type {
  Duration, ExpectPte, ExpectWalk, Expectation, MremapStmt, VmaFlag, VmaFlagName, FbBacking, FbdevStmt, FileStmt, FolioFlag, Ident, KernelStmt, MapSpec, MmapStmt, Num, WritebackStmt,
  MadviseAdvice, ShmemStmt, Size, ThpKnob, TmpfsHuge, ExpectFaults,
  PageSpec, Prot, PteFlag, PteFlagName, Range, RecoveredDecl, Scenario, SignalName, Statement,
  WalkEntry,
} from './ast';
import { type Diagnostic, rangeOf } from './diagnostics';
import {
  CLEAR_REFS_MODES, ERRNOS, EXPECT_KEYWORDS, FB_BACKINGS, FOLIO_FLAGS, PIPE_STATES, PROTS, PTE_FLAGS, STATEMENT_KEYWORDS, VMA_FLAGS, closest,
  MADVISE_ADVICES, THP_KNOBS, THP_KNOB_VALUES, TMPFS_HUGE,
} from './keywords';
import { type Token, forEachLine, lexSpan, quote, tokenRange, tokenSpan } from './lexer';

/** Parser diagnostic codes (see docs/language.md). */
export const PARSE_CODES = {
  unknownStatement: 'MMS110',
  unknownExpectation: 'MMS111',
  syntax: 'MMS112',
  trailing: 'MMS113',
  unknownPteFlag: 'MMS114',
  unknownFolioFlag: 'MMS115',
  badVersion: 'MMS116',
  repeatedOption: 'MMS117',
  kernelNotFirst: 'MMS118',
  kernelRepeated: 'MMS119',
  unknownVmaFlag: 'MMS120',
  internal: 'MMS199',
} as const;

class Fail {
  constructor(readonly range: Range, readonly code: string, readonly message: string) {}
}

const STATEMENT_SET: ReadonlySet<string> = new Set(STATEMENT_KEYWORDS);
const SIMPLE_PTE_FLAGS: ReadonlySet<string> = new Set(['none', 'present', 'write', 'dirty', 'young', 'softdirty', 'special', 'huge', 'swap', 'migration']);
const OBJECT_KINDS: ReadonlySet<string> = new Set(['file', 'shmem', 'fbdev', 'pfnmap']);

function describe(t: Token): string {
  switch (t.kind) {
    case 'word': return quote(t.text);
    case 'int': return `the number ${quote(t.text)}`;
    case 'duration': return `the duration ${quote(t.text)}`;
    case 'size': return `the size ${quote(t.text)}`;
    case 'version': return quote(t.text);
    default: return quote(t.text);
  }
}

/**
 * `kernel VERSION`: MAJOR.MINOR is the mainline release (patch 0), MAJOR.MINOR.PATCH that
 * stable release. A part with a leading zero (`6.01`) is refused rather than read as 6.1:
 * kernel releases are never written so, and `6.01` may as well mean 6.10.
 */
function kernelVersion(t: Token): KernelStmt['version'] {
  const parts = t.text.split('.');
  const whole = tokenRange(t);
  if (parts.length !== 2 && parts.length !== 3) {
    throw new Fail(whole, PARSE_CODES.badVersion, `kernel: the version is MAJOR.MINOR (a mainline release, e.g. 6.15) or MAJOR.MINOR.PATCH (a stable release, e.g. 6.1.192), found ${quote(t.text)}`);
  }
  const nums: number[] = [];
  let at = whole.start.character;
  for (const part of parts) {
    const range = rangeOf(whole.start.line, at, at + part.length);
    const n = Number(part);
    if (part.length > 1 && part[0] === '0') {
      throw new Fail(range, PARSE_CODES.badVersion, `kernel: ${quote(part)} in ${quote(t.text)} has a leading zero; release numbers are written without one (e.g. 6.1, 6.10)`);
    }
    if (!Number.isSafeInteger(n)) throw new Fail(range, PARSE_CODES.badVersion, `kernel: ${quote(part)} in ${quote(t.text)} is too large`);
    nums.push(n);
    at += part.length + 1;
  }
  return { major: nums[0], minor: nums[1], patch: nums[2] ?? 0, text: t.text, range: whole };
}

class LineParser {
  private i = 0;
  /** the statement being parsed, for messages ("mmap: expected ...") */
  private ctx = '';

  constructor(private readonly t: Token[], private readonly line: number) {}

  private get done(): boolean { return this.i >= this.t.length; }
  private peek(): Token | undefined { return this.t[this.i]; }
  private peekWord(w: string): boolean {
    const t = this.t[this.i];
    return t !== undefined && t.kind === 'word' && t.text === w;
  }
  /** a..b, sharing the tokens' cached positions */
  private range(a: Token, b: Token = a): Range { return tokenSpan(a, b); }
  private last(): Token { return this.t[this.i - 1] ?? this.t[0]; }
  private prefix(): string { return this.ctx ? `${this.ctx}: ` : ''; }

  private fail(expected: string, code: string = PARSE_CODES.syntax): never {
    const tok = this.peek();
    if (tok) throw new Fail(tokenRange(tok), code, `${this.prefix()}expected ${expected}, found ${describe(tok)}`);
    const end = this.t.length ? this.t[this.t.length - 1].end : 0;
    throw new Fail(rangeOf(this.line, end, end), code, `${this.prefix()}expected ${expected}, but the line ends here`);
  }

  private word(expected: string): Token {
    const t = this.peek();
    if (!t || t.kind !== 'word') this.fail(expected);
    this.i++;
    return t;
  }

  private ident(expected: string): Ident {
    const t = this.word(expected);
    return { name: t.text, range: tokenRange(t) };
  }

  private keyword(kw: string, where = ''): Token {
    const t = this.peek();
    if (!t || t.kind !== 'word' || t.text !== kw) this.fail(`'${kw}'${where}`);
    this.i++;
    return t;
  }

  private optKeyword(kw: string): Token | undefined {
    if (this.peekWord(kw)) return this.t[this.i++];
    return undefined;
  }

  private num(expected: string): Num {
    const t = this.peek();
    if (!t || t.kind !== 'int') this.fail(expected);
    this.i++;
    return { value: t.value, range: tokenRange(t), text: t.text };
  }

  private punct(kind: '[' | ']' | '..' | ',' | ':', expected?: string): Token {
    const t = this.peek();
    if (!t || t.kind !== kind) this.fail(expected ?? `'${kind}'`);
    this.i++;
    return t;
  }

  private duration(expected: string): Duration {
    const t = this.peek();
    if (!t || t.kind !== 'duration') {
      if (t && t.kind === 'int') {
        throw new Fail(tokenRange(t), PARSE_CODES.syntax,
          `${this.prefix()}expected ${expected}, found the number ${quote(t.text)} without a unit (write ${t.text}ms or ${t.text}s)`);
      }
      this.fail(expected);
    }
    this.i++;
    return { ms: t.value, range: tokenRange(t) };
  }

  private end(): void {
    const t = this.peek();
    if (t) {
      throw new Fail(tokenRange(t), PARSE_CODES.trailing,
        `${this.prefix()}unexpected ${describe(t)} after the end of the statement`);
    }
  }

  private prot(): { prot: Prot; protRange: Range } {
    const t = this.peek();
    if (t && t.kind === 'word' && (PROTS as readonly string[]).includes(t.text)) {
      this.i++;
      return { prot: t.text as Prot, protRange: tokenRange(t) };
    }
    if (t && t.kind === 'word' && /^[rwx]+$/.test(t.text)) {
      throw new Fail(tokenRange(t), PARSE_CODES.syntax,
        `${this.prefix()}protection ${quote(t.text)} is not modelled (expected r, rw, w or none)`);
    }
    return this.fail('the protection r, rw, w or none');
  }

  /** `[I]` or `[I..J]` */
  private bracket(): { first: Num; last?: Num; close: Token } {
    this.punct('[');
    const first = this.num('a page index');
    let last: Num | undefined;
    if (this.peek()?.kind === '..') {
      this.i++;
      last = this.num('the last page index of the range');
    }
    const close = this.punct(']', last ? `']'` : `'..' or ']'`);
    return { first, last, close };
  }

  /** `X[I]`, `X[I..J]` or an absolute address */
  private size(expected: string): Size {
    const t = this.peek();
    if (!t || t.kind !== 'size') this.fail(expected);
    this.i++;
    return { bytes: t.value, text: t.text, range: tokenRange(t) };
  }

  /** `sysctl thp KNOB [SIZE] VALUE` after `thp` */
  private sysctlThp(kwRange: Range, whole: () => Range): Statement {
    const k = this.word(`the THP knob (${THP_KNOBS.join(', ')})`);
    if (!(THP_KNOBS as readonly string[]).includes(k.text)) { this.i--; this.fail(`the THP knob (${THP_KNOBS.join(', ')})`); }
    const knob = k.text as ThpKnob;
    const size = knob === 'anon' || knob === 'shmem' ? this.size('the folio size, e.g. 64K or 2M (hugepages-<size>)') : undefined;
    const allowed = THP_KNOB_VALUES[knob];
    const v = this.peek();
    if (!v || (v.kind !== 'word' && v.kind !== 'int') || !allowed.includes(v.text)) this.fail(`the value: ${allowed.join(', ')}`);
    this.i++;
    return { kind: 'sysctl_thp', kwRange, range: whole(), knob, knobRange: tokenRange(k), ...(size ? { size } : {}), value: v.text, valueRange: tokenRange(v) };
  }

  private pageSpec(what: string): PageSpec {
    const t = this.peek();
    if (t && t.kind === 'int') {
      const addr = this.num(what);
      return { kind: 'addr', addr, range: addr.range };
    }
    if (t && t.kind === 'word') {
      this.i++;
      const target: Ident = { name: t.text, range: tokenRange(t) };
      if (this.peek()?.kind !== '[') {
        this.fail(`'[' after ${quote(t.text)} (a page spec is ${what === 'an object page' ? 'OBJ[I] or OBJ[I..J]' : 'LABEL[I], LABEL[I..J] or an address'})`);
      }
      const { first, last, close } = this.bracket();
      return { kind: 'named', target, first, last, range: this.range(t, close) };
    }
    return this.fail(what === 'an object page' ? 'OBJ[I] or OBJ[I..J]' : 'LABEL[I], LABEL[I..J] or an address');
  }

  /** `LABEL`, `LABEL[I..J]` or `ADDR pages N` */
  /** `PROC SPEC as NAME` after `vmsplice` / `pin` */
  private heldBy(syntax: string, nameWhat: string): { proc: Ident; spec: MapSpec; name: Ident } {
    const proc = this.ident('the process');
    const spec = this.mapSpec();
    this.keyword('as', ` after the range (${syntax})`);
    return { proc, spec, name: this.ident(nameWhat) };
  }

  /** `unchanged|changed` after `expect pipe PIPE` / `expect pin BUF` */
  private heldState(what: 'pipe' | 'buffer'): { changed: boolean; stateRange: Range } {
    const t = this.word(`the ${what}'s state (${PIPE_STATES.join(' or ')})`);
    if (!(PIPE_STATES as readonly string[]).includes(t.text)) {
      throw new Fail(tokenRange(t), PARSE_CODES.syntax, `${this.prefix()}expected ${PIPE_STATES.join(' or ')} after the ${what}, found ${describe(t)}`);
    }
    return { changed: t.text === 'changed', stateRange: tokenRange(t) };
  }

  private mapSpec(): MapSpec {
    const t = this.peek();
    if (t && t.kind === 'int') {
      const addr = this.num('an address');
      this.keyword('pages', ' after the address (ADDR pages N)');
      const pages = this.num('the number of pages');
      return { kind: 'addr', addr, pages, range: { start: addr.range.start, end: pages.range.end } };
    }
    if (t && t.kind === 'word') {
      this.i++;
      const label: Ident = { name: t.text, range: tokenRange(t) };
      if (this.peek()?.kind === '[') {
        const { first, last, close } = this.bracket();
        return { kind: 'label', label, first, last, range: this.range(t, close) };
      }
      return { kind: 'label', label, range: label.range };
    }
    return this.fail('LABEL, LABEL[I..J] or ADDR pages N');
  }

  statement(): Statement {
    const kw = this.peek();
    if (!kw || kw.kind !== 'word') {
      return this.fail(`a statement keyword at the start of the line (${STATEMENT_KEYWORDS.join(', ')})`, PARSE_CODES.unknownStatement);
    }
    this.i++;
    if (!STATEMENT_SET.has(kw.text)) {
      const near = closest(kw.text, STATEMENT_KEYWORDS);
      const hint = near ? (near === kw.text.toLowerCase() ? `keywords are lower-case: did you mean '${near}'? ` : `did you mean '${near}'? `) : '';
      throw new Fail(tokenRange(kw), PARSE_CODES.unknownStatement,
        `unknown statement ${quote(kw.text)} (${hint}expected one of: ${STATEMENT_KEYWORDS.join(', ')})`);
    }
    this.ctx = kw.text;
    const kwRange = tokenRange(kw);
    const s = this.body(kw, kwRange);
    this.end();
    return s;
  }

  private body(kw: Token, kwRange: Range): Statement {
    const whole = (): Range => this.range(kw, this.last());
    switch (kw.text) {
      case 'kernel': {
        const t = this.peek();
        if (!t || (t.kind !== 'version' && t.kind !== 'int')) this.fail('the kernel version MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. 6.15 or 6.1.192', PARSE_CODES.badVersion);
        this.i++;
        return { kind: 'kernel', kwRange, range: whole(), version: kernelVersion(t) };
      }
      case 'sysctl': {
        if (this.peekWord('thp')) { this.i++; return this.sysctlThp(kwRange, whole); }
        const knob = this.ident('the sysctl name (fault_around_bytes, swap or thp)');
        if (knob.name === 'swap') {
          this.keyword('pages', ' after swap (sysctl swap pages N)');
          const value = this.num('the swap device size in pages');
          const sync = this.optKeyword('sync') !== undefined;
          return { kind: 'sysctl', kwRange, range: whole(), knob, value, ...(sync ? { sync } : {}) };
        }
        const value = this.num('the value in bytes');
        return { kind: 'sysctl', kwRange, range: whole(), knob, value };
      }
      case 'file': {
        const name = this.ident('the file name');
        this.keyword('pages', ' after the file name');
        const pages = this.num('the number of pages');
        const cold = this.optKeyword('cold') !== undefined;
        const f: FileStmt = { kind: 'file', kwRange, range: whole(), name, pages, cold };
        if (this.optKeyword('folio')) f.folio = this.size('the folio size, e.g. 64K or 2M');
        f.range = whole();
        return f;
      }
      case 'shmem':
      case 'pfnmap': {
        const name = this.ident(`the ${kw.text} name`);
        this.keyword('pages', ` after the ${kw.text} name`);
        const pages = this.num('the number of pages');
        if (kw.text === 'shmem' && this.peekWord('huge')) {
          this.i++;
          const h = this.word(`the huge= option: ${TMPFS_HUGE.join(', ')}`);
          if (!(TMPFS_HUGE as readonly string[]).includes(h.text)) { this.i--; this.fail(`the huge= option: ${TMPFS_HUGE.join(', ')}`); }
          const st: ShmemStmt = { kind: 'shmem', kwRange, range: whole(), name, pages, huge: h.text as TmpfsHuge, hugeRange: tokenRange(h) };
          return st;
        }
        return { kind: kw.text as 'shmem' | 'pfnmap', kwRange, range: whole(), name, pages };
      }
      case 'split': {
        const first = this.peek();
        if (first && first.kind === 'word' && this.t[this.i + 1]?.kind === 'word') {
          const proc = this.ident('the process');
          const page = this.pageSpec('a page of the mapping: LABEL[I]');
          return { kind: 'split', kwRange, range: whole(), proc, page };
        }
        const page = this.pageSpec('a page: OBJ[I] or PROC LABEL[I]');
        return { kind: 'split', kwRange, range: whole(), page };
      }
      case 'fbdev': {
        const name = this.ident('the fbdev name');
        this.keyword('pages', ' after the fbdev name');
        const pages = this.num('the number of pages');
        let backing: FbBacking | undefined;
        let delay: Duration | undefined;
        let sorted = false;
        while (!this.done) {
          const t = this.peek()!;
          const repeated = (): never => {
            throw new Fail(tokenRange(t), PARSE_CODES.repeatedOption, `fbdev: ${quote(t.text)} is given twice`);
          };
          if (this.optKeyword('backing')) {
            if (backing) repeated();
            const b = this.word('the backing: vmalloc, contig or carveout');
            if (!(FB_BACKINGS as readonly string[]).includes(b.text)) {
              this.i--;
              this.fail('the backing: vmalloc, contig or carveout');
            }
            backing = b.text as FbBacking;
          } else if (this.optKeyword('delay')) {
            if (delay) repeated();
            delay = this.duration('the deferred-work delay, e.g. 50ms');
          } else if (this.optKeyword('sorted')) {
            if (sorted) repeated();
            sorted = true;
          } else {
            this.fail(`an fbdev option: 'backing', 'delay' or 'sorted'`);
          }
        }
        const s: FbdevStmt = { kind: 'fbdev', kwRange, range: whole(), name, pages, backing: backing ?? 'vmalloc', sorted };
        if (delay) s.delay = delay;
        return s;
      }
      case 'process': {
        const name = this.ident('the process name');
        return { kind: 'process', kwRange, range: whole(), name };
      }
      case 'fork': {
        const parent = this.ident('the parent process');
        this.keyword('as', ' after the parent (fork PARENT as CHILD)');
        const child = this.ident('the child process name');
        return { kind: 'fork', kwRange, range: whole(), parent, child };
      }
      case 'exit': {
        const proc = this.ident('the process');
        return { kind: 'exit', kwRange, range: whole(), proc };
      }
      case 'mmap': {
        const proc = this.ident('the process');
        const obj = this.ident('the object to map (an object name or anon)');
        this.keyword('at', ' after the object (mmap PROC OBJ at ADDR pages N ...)');
        const addr = this.num('the address');
        this.keyword('pages', ' after the address');
        const pages = this.num('the number of pages');
        let offset: Num | undefined;
        if (this.optKeyword('offset')) offset = this.num('the offset in pages');
        const sh = this.peek();
        if (!sh || sh.kind !== 'word' || (sh.text !== 'shared' && sh.text !== 'private')) {
          this.fail(offset ? `'shared' or 'private'` : `'offset', 'shared' or 'private'`);
        }
        this.i++;
        const { prot, protRange } = this.prot();
        let label: Ident | undefined;
        if (this.optKeyword('as')) label = this.ident('the mapping label');
        // optional fields are absent (not undefined) when not written
        const s: MmapStmt = {
          kind: 'mmap', kwRange, range: whole(), proc, obj, addr, pages,
          shared: sh.text === 'shared', sharedRange: tokenRange(sh), prot, protRange,
        };
        if (offset) s.offset = offset;
        if (label) s.label = label;
        return s;
      }
      case 'munmap': {
        const proc = this.ident('the process');
        const spec = this.mapSpec();
        return { kind: 'munmap', kwRange, range: whole(), proc, spec };
      }
      case 'mprotect': {
        const proc = this.ident('the process');
        const spec = this.mapSpec();
        const { prot, protRange } = this.prot();
        return { kind: 'mprotect', kwRange, range: whole(), proc, spec, prot, protRange };
      }
      case 'madvise': {
        const proc = this.ident('the process');
        const spec = this.mapSpec();
        const a = this.word(`the advice (${MADVISE_ADVICES.join(', ')})`);
        if (!(MADVISE_ADVICES as readonly string[]).includes(a.text)) {
          const near = closest(a.text, MADVISE_ADVICES);
          throw new Fail(tokenRange(a), PARSE_CODES.syntax, `unknown advice ${quote(a.text)} (${near ? `did you mean '${near}'? ` : ''}expected one of: ${MADVISE_ADVICES.join(', ')})`);
        }
        return { kind: 'madvise', kwRange, range: whole(), proc, spec, advice: a.text as MadviseAdvice, adviceRange: tokenRange(a) };
      }
      case 'migrate': {
        // OBJ[I] or PROC LABEL[I]: a word followed by '[' is the object
        if (this.t[this.i]?.kind === 'word' && this.t[this.i + 1]?.kind !== '[') {
          const proc = this.ident('the process');
          const page = this.pageSpec('the page (LABEL[I])');
          return { kind: 'migrate', kwRange, range: whole(), proc, page };
        }
        const page = this.pageSpec('an object page');
        return { kind: 'migrate', kwRange, range: whole(), page };
      }
      case 'read':
      case 'write': {
        const proc = this.ident('the process');
        const pages = this.pageSpec('the pages to access');
        return { kind: kw.text as 'read' | 'write', kwRange, range: whole(), proc, pages };
      }
      case 'mkclean': {
        const page = this.pageSpec('an object page');
        return { kind: 'mkclean', kwRange, range: whole(), page };
      }
      case 'wrprotect': {
        const pages = this.pageSpec('an object page');
        return { kind: 'wrprotect', kwRange, range: whole(), pages };
      }
      case 'unmap_range': {
        const pages = this.pageSpec('an object page');
        return { kind: 'unmap_range', kwRange, range: whole(), pages };
      }
      case 'pfn_mkclean': {
        const pages = this.pageSpec('an object page');
        const proc = this.ident('the process (pfn_mkclean OBJ[I..J] PROC LABEL)');
        const label = this.ident('the mapping label (pfn_mkclean OBJ[I..J] PROC LABEL)');
        return { kind: 'pfn_mkclean', kwRange, range: whole(), pages, proc, label };
      }
      case 'writeback': {
        const obj = this.ident('the object');
        if (this.peek()?.kind === '[') {
          const { first, last } = this.bracket();
          const s: WritebackStmt = { kind: 'writeback', kwRange, range: whole(), obj, first };
          if (last) s.last = last;
          return s;
        }
        return { kind: 'writeback', kwRange, range: whole(), obj };
      }
      case 'msync': {
        const proc = this.ident('the process');
        const label = this.ident('the mapping label');
        return { kind: 'msync', kwRange, range: whole(), proc, label };
      }
      case 'flush': {
        const obj = this.ident('the fbdev');
        return { kind: 'flush', kwRange, range: whole(), obj };
      }
      case 'clear_refs': {
        const proc = this.ident('the process');
        const mode = this.ident(`the mode (${CLEAR_REFS_MODES.join(', ')})`);
        return { kind: 'clear_refs', kwRange, range: whole(), proc, mode };
      }
      case 'mremap': {
        const proc = this.ident('the process');
        const spec = this.mapSpec();
        const s: MremapStmt = { kind: 'mremap', kwRange, range: kwRange, proc, spec };
        if (this.optKeyword('to')) {
          s.to = this.num('the new address (mremap PROC SPEC to ADDR [pages N])');
          if (this.optKeyword('pages')) s.newPages = this.num('the new number of pages');
        } else {
          this.keyword('pages', ` or 'to' (mremap PROC SPEC to ADDR [pages N] | mremap PROC SPEC pages N)`);
          s.newPages = this.num('the new number of pages');
        }
        s.range = whole();
        return s;
      }
      case 'vmsplice': {
        const { proc, spec, name } = this.heldBy('vmsplice PROC SPEC as PIPE', 'the pipe name');
        return { kind: 'vmsplice', kwRange, range: whole(), proc, spec, pipe: name };
      }
      case 'pin': {
        const { proc, spec, name } = this.heldBy('pin PROC SPEC as BUF [readonly [fast]]', 'the buffer name');
        const ro = this.optKeyword('readonly'), fast = ro ? this.optKeyword('fast') : undefined;
        return {
          kind: 'pin', kwRange, range: whole(), proc, spec, buf: name,
          ...(ro ? { readonly: tokenRange(ro) } : {}), ...(fast ? { fast: tokenRange(fast) } : {}),
        };
      }
      case 'wait': {
        const duration = this.duration('a duration, e.g. 50ms or 1s');
        return { kind: 'wait', kwRange, range: whole(), duration };
      }
      case 'expect':
        return this.expectation(kw);
    }
    /* c8 ignore next */
    throw new Fail(tokenRange(kw), PARSE_CODES.internal, `statement ${quote(kw.text)} is not implemented`);
  }

  private expectation(kw: Token): Expectation {
    const sub = this.peek();
    if (!sub || sub.kind !== 'word') {
      return this.fail(`what to expect (${EXPECT_KEYWORDS.join(', ')})`, PARSE_CODES.unknownExpectation);
    }
    this.i++;
    if (!(EXPECT_KEYWORDS as readonly string[]).includes(sub.text)) {
      const near = closest(sub.text, EXPECT_KEYWORDS);
      throw new Fail(tokenRange(sub), PARSE_CODES.unknownExpectation,
        `unknown expectation ${quote(sub.text)} (${near ? `did you mean '${near}'? ` : ''}expected one of: ${EXPECT_KEYWORDS.join(', ')})`);
    }
    this.ctx = `expect ${sub.text}`;
    const kwRange = this.range(kw, sub);
    const whole = (): Range => this.range(kw, this.last());
    switch (sub.text) {
      case 'pte': {
        const proc = this.ident('the process');
        const pages = this.pageSpec('the pages');
        const flags = this.pteFlags();
        const s: ExpectPte = { kind: 'expect_pte', kwRange, range: whole(), proc, pages, flags };
        return s;
      }
      case 'folio': {
        const first = this.peek();
        if (first && first.kind === 'word' && this.t[this.i + 1]?.kind === 'word') {
          const proc = this.ident('the process');
          const page = this.pageSpec('a page of the mapping: LABEL[I]');
          const flags = this.folioFlags();
          return { kind: 'expect_folio', kwRange, range: whole(), proc, page, flags };
        }
        const page = this.pageSpec('an object page');
        const flags = this.folioFlags();
        return { kind: 'expect_folio', kwRange, range: whole(), page, flags };
      }
      case 'result': {
        const value = this.num('the expected result');
        return { kind: 'expect_result', kwRange, range: whole(), value };
      }
      case 'walk': {
        let api: Ident | undefined;
        const t0 = this.peek(), t1 = this.t[this.i + 1];
        if (t0 && t0.kind === 'word' && t0.text !== 'none' && (!t1 || t1.kind !== ':')) {
          api = this.ident('the rmap-walk API');
        }
        const entries = this.optKeyword('none') ? [] : this.vmaEntries(`PROC:LABEL entries or 'none'`);
        const s: ExpectWalk = { kind: 'expect_walk', kwRange, range: whole(), entries };
        if (api) s.api = api;
        return s;
      }
      case 'vma': {
        const proc = this.ident('the process');
        const pages = this.pageSpec('the page');
        const flags = this.vmaFlags();
        return { kind: 'expect_vma', kwRange, range: whole(), proc, pages, flags };
      }
      case 'vmas': {
        const proc = this.ident('the process');
        const value = this.num('the number of VMAs');
        return { kind: 'expect_vmas', kwRange, range: whole(), proc, value };
      }
      case 'i_mmap': {
        const obj = this.ident('the object');
        const entries = this.optKeyword('none') ? [] : this.vmaEntries(`PROC:LABEL entries or 'none'`);
        return { kind: 'expect_i_mmap', kwRange, range: whole(), obj, entries };
      }
      case 'error': {
        const errno = this.ident(`the errno (${ERRNOS.join(', ')})`);
        return { kind: 'expect_error', kwRange, range: whole(), errno };
      }
      case 'faults': {
        const proc = this.ident('the process');
        const value = this.num('the number of faults');
        const e: ExpectFaults = { kind: 'expect_faults', kwRange, range: whole(), proc, value };
        if (this.optKeyword('major')) { e.major = this.num('the number of major faults'); e.range = whole(); }
        return e;
      }
      case 'signal': {
        const proc = this.ident('the process');
        const t = this.peek();
        if (!t || t.kind !== 'word' || (t.text !== 'SIGSEGV' && t.text !== 'SIGBUS' && t.text !== 'none')) {
          if (t && t.kind === 'word' && (t.text.toUpperCase() === 'SIGSEGV' || t.text.toUpperCase() === 'SIGBUS')) {
            this.fail(`'${t.text.toUpperCase()}' (signal names are upper-case)`);
          }
          this.fail('SIGSEGV, SIGBUS or none');
        }
        this.i++;
        return { kind: 'expect_signal', kwRange, range: whole(), proc, signal: t.text as SignalName, signalRange: tokenRange(t) };
      }
      case 'defio': {
        const obj = this.ident('the fbdev');
        if (this.optKeyword('pending')) {
          const value = this.num('the number of pending pages');
          return { kind: 'expect_defio_pending', kwRange, range: whole(), obj, value };
        }
        if (this.optKeyword('written')) {
          const indexes: Num[] = [];
          if (!this.optKeyword('none')) {
            indexes.push(this.num(`a page index or 'none'`));
            while (this.peek()?.kind === ',') {
              this.i++;
              indexes.push(this.num('a page index'));
            }
          }
          return { kind: 'expect_defio_written', kwRange, range: whole(), obj, indexes };
        }
        return this.fail(`'pending N' or 'written I, J, ...'`);
      }
      case 'oops':
        return { kind: 'expect_oops', kwRange, range: whole() };
      case 'pipe': {
        const pipe = this.ident('the pipe');
        return { kind: 'expect_pipe', kwRange, range: whole(), pipe, ...this.heldState('pipe') };
      }
      case 'pin': {
        const buf = this.ident('the pinned buffer');
        return { kind: 'expect_pin', kwRange, range: whole(), buf, ...this.heldState('buffer') };
      }
    }
    /* c8 ignore next */
    throw new Fail(tokenRange(sub), PARSE_CODES.internal, `expectation ${quote(sub.text)} is not implemented`);
  }

  /** `[~]PROC:LABEL[[I]], ...` (walk and i_mmap lists). */
  private vmaEntries(firstExpected: string): WalkEntry[] {
    const entries: WalkEntry[] = [];
    for (;;) {
      const first = this.peek();
      let skipped = false;
      if (first && first.kind === '~') { skipped = true; this.i++; }
      const proc = this.ident(entries.length || skipped ? 'PROC:LABEL' : firstExpected);
      this.punct(':', `':' after the process (PROC:LABEL)`);
      const label = this.ident('the mapping label (PROC:LABEL)');
      const e: WalkEntry = { proc, label, skipped, range: this.range(first!, this.last()) };
      if (this.peek()?.kind === '[') {
        this.i++;
        e.index = this.num('the first page index of that VMA (PROC:LABEL[I])');
        this.punct(']');
        e.range = this.range(first!, this.last());
      }
      entries.push(e);
      if (this.peek()?.kind === ',') { this.i++; continue; }
      break;
    }
    return entries;
  }

  private vmaFlags(): VmaFlag[] {
    const flags: VmaFlag[] = [];
    while (!this.done) {
      const start = this.peek()!;
      let negated = false;
      if (start.kind === '!') { negated = true; this.i++; }
      const w = this.peek();
      if (!w || w.kind !== 'word') this.fail(`a VMA flag (${VMA_FLAGS.join(', ')})`);
      this.i++;
      if (w.text === 'start' || w.text === 'end' || w.text === 'pages' || w.text === 'pgoff') {
        const value = this.num(w.text === 'pgoff' ? 'the page offset' : w.text === 'pages' ? 'the number of pages' : 'the address');
        flags.push({ kind: w.text, negated, value, range: this.range(start, this.last()) });
      } else if ((VMA_FLAGS as readonly string[]).includes(w.text)) {
        flags.push({ kind: w.text as VmaFlagName, negated, range: this.range(start, w) });
      } else {
        throw new Fail(tokenRange(w), PARSE_CODES.unknownVmaFlag, `unknown VMA flag ${quote(w.text)} (expected ${VMA_FLAGS.join(', ')})`);
      }
    }
    if (flags.length === 0) this.fail(`at least one VMA flag (${VMA_FLAGS.join(', ')})`);
    return flags;
  }

  private pteFlags(): PteFlag[] {
    const flags: PteFlag[] = [];
    while (!this.done) {
      const start = this.peek()!;
      let negated = false;
      if (start.kind === '!') { negated = true; this.i++; }
      const w = this.peek();
      if (!w || w.kind !== 'word') this.fail(`a PTE flag (${PTE_FLAGS.join(', ')})`);
      this.i++;
      if (SIMPLE_PTE_FLAGS.has(w.text)) {
        flags.push({ kind: w.text as PteFlagName, negated, range: this.range(start, w) });
      } else if (w.text === 'maps') {
        const o = this.word('what the PTE maps: OBJ[I], anon or zero');
        if (o.text === 'anon' || o.text === 'zero') {
          if (this.peek()?.kind === '[') {
            throw new Fail(tokenRange(this.peek()!), PARSE_CODES.syntax, `expect pte: 'maps ${o.text}' takes no page index`);
          }
          flags.push({ kind: 'maps', negated, target: o.text, range: this.range(start, o) });
        } else {
          if (this.peek()?.kind !== '[') this.fail(`'[' after ${quote(o.text)} (maps OBJ[I])`);
          this.i++;
          const index = this.num('a page index');
          if (this.peek()?.kind === '..') this.fail(`']' (maps names one page: OBJ[I])`);
          const close = this.punct(']');
          flags.push({ kind: 'maps', negated, target: { obj: { name: o.text, range: tokenRange(o) }, index }, range: this.range(start, close) });
        }
      } else if (w.text === 'same') {
        // same OBJ[J] | same PROC LABEL[J]
        let proc: Ident | undefined;
        if (this.t[this.i]?.kind === 'word' && this.t[this.i + 1]?.kind === 'word') proc = this.ident('the process');
        const o = this.word(proc ? 'the mapping label (same PROC LABEL[J])' : 'OBJ[J] or PROC LABEL[J]');
        if (this.peek()?.kind !== '[') this.fail(`'[' after ${quote(o.text)} (same ${proc ? 'PROC LABEL[J]' : 'OBJ[J]'})`);
        this.i++;
        const index = this.num('a page index');
        if (this.peek()?.kind === '..') this.fail(`']' (same names one page)`);
        const close = this.punct(']');
        flags.push({ kind: 'same', negated, ...(proc ? { proc } : {}), page: { target: { name: o.text, range: tokenRange(o) }, index }, range: this.range(start, close) });
      } else if (w.text === 'pfn') {
        const pfn = this.num('the page frame number');
        flags.push({ kind: 'pfn', negated, pfn, range: this.range(start, this.last()) });
      } else {
        const hint = (FOLIO_FLAGS as readonly string[]).includes(w.text) ? ` ('${w.text}' is a folio flag: expect folio OBJ[I] ${w.text})` : '';
        throw new Fail(tokenRange(w), PARSE_CODES.unknownPteFlag,
          `unknown PTE flag ${quote(w.text)} (expected ${PTE_FLAGS.join(', ')})${hint}`);
      }
    }
    if (flags.length === 0) this.fail(`at least one PTE flag (${PTE_FLAGS.join(', ')})`);
    return flags;
  }

  private folioFlags(): FolioFlag[] {
    const flags: FolioFlag[] = [];
    while (!this.done) {
      const start = this.peek()!;
      let negated = false;
      if (start.kind === '!') { negated = true; this.i++; }
      const w = this.peek();
      if (!w || w.kind !== 'word') this.fail(`a folio flag (${FOLIO_FLAGS.join(', ')})`);
      this.i++;
      switch (w.text) {
        case 'dirty': case 'writeback': case 'cached': case 'large': case 'swapcache':
          flags.push({ kind: w.text, negated, range: this.range(start, w) });
          break;
        case 'mapcount': case 'order': case 'folio_mapcount': {
          const value = this.num(w.text === 'order' ? 'the folio order' : 'the map count');
          flags.push({ kind: w.text, negated, value, range: this.range(start, this.last()) });
          break;
        }
        case 'index': {
          const value = this.num(w.text === 'index' ? 'the page index' : 'the map count');
          flags.push({ kind: w.text, negated, value, range: this.range(start, this.last()) });
          break;
        }
        case 'mapping': {
          const o = this.word(`the object or 'none'`);
          flags.push({
            kind: 'mapping', negated, obj: o.text === 'none' ? null : { name: o.text, range: tokenRange(o) },
            range: this.range(start, o),
          });
          break;
        }
        default: {
          const hint = (PTE_FLAGS as readonly string[]).includes(w.text) ? ` ('${w.text}' is a PTE flag: expect pte PROC PAGES ${w.text})` : '';
          throw new Fail(tokenRange(w), PARSE_CODES.unknownFolioFlag,
            `unknown folio flag ${quote(w.text)} (expected ${FOLIO_FLAGS.join(', ')})${hint}`);
        }
      }
    }
    if (flags.length === 0) this.fail(`at least one folio flag (${FOLIO_FLAGS.join(', ')})`);
    return flags;
  }
}

/** Names a broken declaration line would have declared (see RecoveredDecl). */
function recover(tokens: Token[], out: RecoveredDecl[]): void {
  const w = (i: number): Token | undefined => (tokens[i]?.kind === 'word' ? tokens[i] : undefined);
  const id = (t: Token): Ident => ({ name: t.text, range: tokenRange(t) });
  const first = w(0);
  if (!first) return;
  switch (first.text) {
    case 'process': {
      const n = w(1);
      if (n) out.push({ kind: 'process', name: id(n) });
      return;
    }
    case 'fork': {
      const n = w(3);
      if (w(2)?.text === 'as' && n) out.push({ kind: 'process', name: id(n) });
      return;
    }
    case 'vmsplice': {
      const n = tokens.length >= 4 ? w(tokens.length - 1) : undefined;
      if (n && w(tokens.length - 2)?.text === 'as') out.push({ kind: 'pipe', name: id(n) });
      return;
    }
    case 'pin': {
      const n = tokens.length >= 4 ? w(tokens.length - 1) : undefined;
      if (n && w(tokens.length - 2)?.text === 'as') out.push({ kind: 'buffer', name: id(n) });
      return;
    }
    case 'mmap': {
      const p = w(1);
      const n = tokens.length >= 4 ? w(tokens.length - 1) : undefined;
      if (p && n && w(tokens.length - 2)?.text === 'as') out.push({ kind: 'label', name: id(n), proc: id(p) });
      return;
    }
    default:
      if (OBJECT_KINDS.has(first.text)) {
        const n = w(1);
        if (n) out.push({ kind: 'object', name: id(n), objKind: first.text as RecoveredDecl['objKind'] });
      }
  }
}

/** Parse a scenario. Every bad line yields one diagnostic and is skipped. Never throws. */
export function parse(text: string): { scenario: Scenario; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const statements: Statement[] = [];
  const comments: Scenario['comments'] = [];
  const recovered: RecoveredDecl[] = [];
  const src = typeof text === 'string' ? text : String(text ?? '');
  let sawStatement = false;
  let kernel: KernelStmt | undefined;

  const intern = new Map<string, string>();
  const lineCount = forEachLine(src, (from, to, ln) => {
    let lexedTokens: Token[] = [];
    try {
      const lexed = lexSpan(src, from, to, ln, intern);
      lexedTokens = lexed.tokens;
      if (lexed.comment) {
        comments.push({ text: lexed.comment.text, range: rangeOf(ln, lexed.comment.start, lexed.comment.end) });
      }
      const toks = lexed.tokens;
      if (toks.length === 0) return;
      const first = toks[0];
      const isStatementLine = first.kind === 'word' && STATEMENT_SET.has(first.text) && first.text !== 'kernel';
      let bad: Token | undefined;
      for (let k = 0; k < toks.length; k++) if (toks[k].kind === 'error') { bad = toks[k]; break; }
      if (bad) {
        diagnostics.push({ range: tokenRange(bad), severity: 'error', code: bad.error!.code, message: bad.error!.message });
        recover(toks, recovered);
        if (isStatementLine) sawStatement = true;
        return;
      }
      let stmt: Statement;
      try {
        stmt = new LineParser(toks, ln).statement();
      } catch (e) {
        if (!(e instanceof Fail)) throw e;
        diagnostics.push({ range: e.range, severity: 'error', code: e.code, message: e.message });
        recover(toks, recovered);
        if (isStatementLine) sawStatement = true;
        return;
      }
      if (stmt.kind === 'kernel') {
        if (kernel) {
          diagnostics.push({
            range: stmt.range, severity: 'error', code: PARSE_CODES.kernelRepeated,
            message: `'kernel' may appear only once; this scenario already models Linux ${kernel.version.text}`,
            related: [{ range: kernel.range, message: 'first kernel statement' }],
          });
          return;
        }
        if (sawStatement) {
          diagnostics.push({
            range: stmt.range, severity: 'error', code: PARSE_CODES.kernelNotFirst,
            message: `'kernel' must come before every other statement (it selects the kernel version the whole scenario runs on)`,
          });
          return;
        }
        kernel = stmt;
      }
      statements.push(stmt);
      sawStatement = true;
    } catch (e) {
      // A bug in the parser must not take the editor down: report it on the line.
      const end = lexedTokens.length ? lexedTokens[lexedTokens.length - 1].end : 0;
      diagnostics.push({
        range: rangeOf(ln, 0, end), severity: 'error', code: PARSE_CODES.internal,
        message: `internal parser error: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
  });
  const scenario: Scenario = { statements, comments, lineCount };
  if (recovered.length) scenario.recovered = recovered;
  return { scenario, diagnostics };
}
