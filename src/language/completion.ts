// Completion for .mms: what may come next at a position, from the words before the cursor
// on that line and the names the checker found. Pure: the VS Code provider only maps kinds.

import type { CheckResult, SymbolInfo } from './checker';
import { lexLine, type Token } from './lexer';
import { changesAt, offeredVersions } from '../engine/versions';
import {
  CLEAR_REFS_MODES, ERRNOS, EXPECTATIONS, FB_BACKINGS, FOLIO_FLAGS, FOLIO_FLAG_DOCS, MADVISE_ADVICES, MADVISE_ADVICE_DOCS, PIPE_STATES, PROTS, PTE_FLAGS, PTE_FLAG_DOCS,
  SIGNALS, STATEMENTS, SYSCTL_KNOBS, THP_KNOBS, THP_KNOB_VALUES, TMPFS_HUGE, VMA_FLAGS, VMA_FLAG_DOCS, WALK_APIS,
} from './keywords';

export type CompletionKind = 'keyword' | 'process' | 'object' | 'label' | 'flag' | 'value';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** text to insert when it differs from the label */
  insertText?: string;
}

/**
 * Kernel versions offered after `kernel`: every release where a rule of engine/versions.ts
 * changes, the default and the oracle's releases (any MAJOR.MINOR[.PATCH] is accepted).
 */
export const KERNEL_VERSIONS: readonly string[] = offeredVersions();

const kw = (label: string, detail?: string, documentation?: string): CompletionEntry => ({ label, kind: 'keyword', detail, documentation });
const val = (label: string, detail?: string): CompletionEntry => ({ label, kind: 'value', detail });

function names(check: CheckResult | undefined, kind: SymbolInfo['kind'], pred: (s: SymbolInfo) => boolean = () => true): CompletionEntry[] {
  if (!check) return [];
  const seen = new Set<string>();
  const out: CompletionEntry[] = [];
  for (const s of check.symbols) {
    if (s.kind !== kind || !pred(s) || seen.has(s.name)) continue;
    seen.add(s.name);
    const detail = kind === 'object' ? `${s.objKind ?? 'object'}${s.pages !== undefined ? `, ${s.pages} pages` : ''}`
      : kind === 'pipe' ? 'pipe (vmsplice)'
      : kind === 'buffer' ? 'pinned buffer (pin)'
      : kind === 'label' ? `mapping of ${s.mapsObject ?? '?'} in ${s.proc ?? '?'}${s.pages !== undefined ? `, ${s.pages} pages` : ''}`
        : s.parent ? `process (forked from ${s.parent})` : 'process';
    out.push({ label: s.name, kind: kind === 'pipe' || kind === 'buffer' ? 'object' : kind, detail });
  }
  return out;
}

const processes = (c?: CheckResult) => names(c, 'process');
const objects = (c?: CheckResult, kind?: string) => names(c, 'object', (s) => !kind || s.objKind === kind);
/** Labels usable in `proc`: its own and the ones a forked child inherited from its ancestors. */
function labelsOf(c: CheckResult | undefined, proc: string | undefined): CompletionEntry[] {
  if (!c) return [];
  const chain = new Set<string>();
  let p = proc;
  while (p && !chain.has(p)) {
    chain.add(p);
    p = c.symbols.find((s) => s.kind === 'process' && s.name === p)?.parent;
  }
  return names(c, 'label', (s) => !proc || (s.proc !== undefined && chain.has(s.proc)));
}

function pteFlags(): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  for (const f of PTE_FLAGS) {
    out.push({ label: f, kind: 'flag', detail: 'PTE flag', documentation: PTE_FLAG_DOCS[f] });
    if (f !== 'maps' && f !== 'pfn') out.push({ label: '!' + f, kind: 'flag', detail: 'PTE flag, negated', documentation: 'not: ' + PTE_FLAG_DOCS[f] });
  }
  return out;
}
function vmaFlags(): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  for (const f of VMA_FLAGS) {
    out.push({ label: f, kind: 'flag', detail: 'VMA flag', documentation: VMA_FLAG_DOCS[f] });
    out.push({ label: '!' + f, kind: 'flag', detail: 'VMA flag, negated', documentation: 'not: ' + VMA_FLAG_DOCS[f] });
  }
  return out;
}
/** `PROC:LABEL` for every process and the labels it may use. */
function vmaNames(check?: CheckResult): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  for (const p of check?.symbols ?? []) {
    if (p.kind !== 'process') continue;
    for (const l of labelsOf(check, p.name)) out.push({ label: `${p.name}:${l.label}`, kind: 'label', detail: `VMA labelled ${l.label} in ${p.name}` });
  }
  return out;
}
function folioFlags(): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  for (const f of FOLIO_FLAGS) {
    out.push({ label: f, kind: 'flag', detail: 'folio flag', documentation: FOLIO_FLAG_DOCS[f] });
    out.push({ label: '!' + f, kind: 'flag', detail: 'folio flag, negated', documentation: 'not: ' + FOLIO_FLAG_DOCS[f] });
  }
  return out;
}

/** Index of the token that closes the first page spec (`]`, or an address) at or after `from`. */
function pageSpecEnd(ts: Token[], from: number): number {
  if (ts[from]?.kind === 'int') return from;
  for (let i = from; i < ts.length; i++) if (ts[i].kind === ']') return i;
  return -1;
}

/**
 * What to offer at (line, character) of `text`. `lineText` is that line; `check` the
 * checker's result for the document (names come from it). The word under the cursor is
 * ignored: the editor filters by it.
 */
export function completionsAt(lineText: string, character: number, check?: CheckResult): CompletionEntry[] {
  const upto = lineText.slice(0, character);
  if (upto.includes('#')) return [];
  const lexed = lexLine(upto, 0);
  let ts = lexed.tokens;
  // the word being typed (touching the cursor) does not count as a word before it
  const last = ts[ts.length - 1];
  if (last && last.end === upto.length && !/\s$/.test(upto) && (last.kind === 'word' || last.kind === 'int' || last.kind === '!'
    || last.kind === 'version' || last.kind === 'duration' || last.kind === 'error')) {
    ts = ts.slice(0, -1);
    // `!dir` being typed: drop the `!` too
    if (ts.length && ts[ts.length - 1].kind === '!' && ts[ts.length - 1].end === last.start) ts = ts.slice(0, -1);
  }
  const n = ts.length;
  if (n === 0) return STATEMENTS.map((s) => kw(s.keyword, s.syntax, s.doc));
  const w = (i: number) => ts[i]?.text;
  const prev = w(n - 1);
  switch (w(0)) {
    case 'kernel': return n === 1 ? KERNEL_VERSIONS.map((v) => val(v, `kernel ${changesAt(v)}`)) : [];
    case 'sysctl': {
      if (n === 1) return SYSCTL_KNOBS.map((k) => kw(k));
      if (w(1) === 'swap') return n === 2 ? [kw('pages', 'the swap device size in pages')] : n === 4 ? [kw('sync', 'a synchronous device (SWP_SYNCHRONOUS_IO, as zram)')] : [];
      if (w(1) !== 'thp') return [];
      if (n === 2) return THP_KNOBS.map((k) => kw(k, THP_KNOB_DOCS[k]));
      const knob = w(2) as (typeof THP_KNOBS)[number];
      const sized = knob === 'anon' || knob === 'shmem';
      if (sized && n === 3) return THP_SIZES.map((z) => val(z, `hugepages-${z.replace('K', 'kB').replace('2M', '2048kB')}`));
      if (n === (sized ? 4 : 3) && THP_KNOB_VALUES[knob]) return THP_KNOB_VALUES[knob].map((v) => val(v));
      return [];
    }
    case 'split': return n === 1 ? [...objects(check), ...processes(check)] : n === 2 && ts[1].kind === 'word' && processes(check).some((p) => p.label === w(1)) ? labelsOf(check, w(1)) : [];
    case 'madvise':
      if (n === 1) return processes(check);
      if (n === 2) return labelsOf(check, w(1));
      if (prev !== 'pages' && (pageSpecEnd(ts, 2) === n - 1 || (n === 3 && ts[2].kind === 'word'))) {
        return MADVISE_ADVICES.map((a) => val(a, MADVISE_ADVICE_DOCS[a]));
      }
      return [];
    case 'migrate':
      if (n === 1) return [...objects(check), ...processes(check)];
      if (n === 2 && ts[1].kind === 'word' && check?.symbols.some((x) => x.kind === 'process' && x.name === w(1))) return labelsOf(check, w(1));
      return [];
    case 'file': case 'shmem': case 'pfnmap': case 'fbdev': {
      if (n === 2) return [kw('pages')];
      if (n < 4) return [];
      if (w(0) === 'file') {
        if (prev === 'folio') return THP_SIZES.map((z) => val(z, 'folio size'));
        const out: CompletionEntry[] = [];
        if (!ts.some((t) => t.text === 'cold') && n === 4) out.push(kw('cold', 'nothing in the page cache'));
        if (!ts.some((t) => t.text === 'folio')) out.push(kw('folio', 'the page cache holds folios of SIZE'));
        return out;
      }
      if (w(0) === 'shmem') return n === 4 ? [kw('huge', 'the tmpfs mount\'s huge= option')] : prev === 'huge' ? TMPFS_HUGE.map((h) => val(h)) : [];
      if (w(0) !== 'fbdev') return [];
      if (prev === 'backing') return FB_BACKINGS.map((b) => val(b, 'fbdev backing'));
      if (prev === 'delay') return ['50ms', '100ms', '1s'].map((d) => val(d, 'deferred-work delay'));
      const used = new Set(ts.map((t) => t.text));
      return (['backing', 'delay', 'sorted'] as const).filter((k) => !used.has(k)).map((k) => kw(k));
    }
    case 'process': return [];
    case 'exit': return n === 1 ? processes(check) : [];
    case 'fork': return n === 1 ? processes(check) : n === 2 ? [kw('as')] : [];
    case 'mmap': {
      if (n === 1) return processes(check);
      if (n === 2) return [...objects(check), { label: 'anon', kind: 'object', detail: 'anonymous memory' }];
      if (n === 3) return [kw('at')];
      if (prev === 'at' || prev === 'pages' || prev === 'offset' || prev === 'as') return [];
      if (prev === 'shared' || prev === 'private') return PROTS.map((p) => val(p, 'protection'));
      if ((PROTS as readonly string[]).includes(prev!) && (w(n - 2) === 'shared' || w(n - 2) === 'private')) return [kw('as')];
      if (n === 5) return [kw('pages')];
      if (n >= 7 && !ts.some((t) => t.text === 'shared' || t.text === 'private')) {
        const out = [kw('shared', 'MAP_SHARED'), kw('private', 'MAP_PRIVATE')];
        if (!ts.some((t) => t.text === 'offset')) out.unshift(kw('offset', 'vm_pgoff, in pages'));
        return out;
      }
      return [];
    }
    case 'read': case 'write': case 'munmap': case 'msync': case 'clear_refs':
      if (n === 1) return processes(check);
      if (n === 2) return w(0) === 'clear_refs' ? CLEAR_REFS_MODES.map((m) => kw(m)) : labelsOf(check, w(1));
      return [];
    case 'mprotect':
      if (n === 1) return processes(check);
      if (n === 2) return labelsOf(check, w(1));
      if (prev !== 'pages' && (pageSpecEnd(ts, 2) === n - 1 || (n === 3 && ts[2].kind === 'word'))) return PROTS.map((p) => val(p, 'protection'));
      return [];
    case 'mkclean': case 'wrprotect': case 'unmap_range': case 'writeback':
      return n === 1 ? objects(check) : [];
    case 'flush': return n === 1 ? objects(check, 'fbdev') : [];
    case 'pfn_mkclean': {
      if (n === 1) return objects(check);
      const e = pageSpecEnd(ts, 1);
      if (e >= 0 && n === e + 1) return processes(check);
      if (e >= 0 && n === e + 2) return labelsOf(check, w(e + 1));
      return [];
    }
    case 'wait': return n === 1 ? ['50ms', '100ms', '1s'].map((d) => val(d, 'duration')) : [];
    case 'vmsplice': case 'pin':
      if (n === 1) return processes(check);
      if (n === 2) return labelsOf(check, w(1));
      if (prev !== 'pages' && prev !== 'as' && (pageSpecEnd(ts, 2) === n - 1 || (n === 3 && ts[2].kind === 'word'))) return [kw('as', w(0) === 'pin' ? 'the pinned buffer\'s name' : 'the new pipe\'s name')];
      // pin PROC SPEC as BUF [readonly [fast]]
      if (w(0) === 'pin' && n >= 2 && w(n - 2) === 'as') return [kw('readonly', 'a long-term R/O pin (gup_test\'s PIN_LONGTERM_TEST_START), unsharing what is not exclusively this process\'s anonymous page')];
      if (w(0) === 'pin' && prev === 'readonly') return [kw('fast', 'through pin_user_pages_fast(): lockless first, the rest through the slow path')];
      return [];
    case 'mremap': {
      if (n === 1) return processes(check);
      if (n === 2) return labelsOf(check, w(1));
      if (prev === 'to' || prev === 'pages') return [];
      const e = ts[2]?.kind === 'int' ? 4 : pageSpecEnd(ts, 2) >= 0 ? pageSpecEnd(ts, 2) : 2;
      if (n === e + 1) return [kw('to', 'MREMAP_MAYMOVE|MREMAP_FIXED to an address'), kw('pages', 'grow or shrink in place')];
      if (w(e + 1) === 'to' && n === e + 3) return [kw('pages', 'the new size')];
      return [];
    }
    case 'expect': return expectCompletions(ts, check);
    default: return [];
  }
}

const THP_SIZES = ['16K', '32K', '64K', '128K', '256K', '512K', '1M', '2M'] as const;
const THP_KNOB_DOCS: Record<(typeof THP_KNOBS)[number], string> = {
  enabled: '/sys/kernel/mm/transparent_hugepage/enabled (PMD-size anonymous THP)',
  anon: 'hugepages-<size>/enabled (multi-size anonymous THP, Linux 6.8+)',
  shmem: 'hugepages-<size>/shmem_enabled (shared anonymous memory, Linux 6.11+)',
  shmem_enabled: 'shmem_enabled (the internal shm mount)',
  use_zero_page: 'use_zero_page: a read fault maps the huge zero page',
};

function expectCompletions(ts: Token[], check?: CheckResult): CompletionEntry[] {
  const n = ts.length;
  const w = (i: number) => ts[i]?.text;
  const prev = w(n - 1);
  if (n === 1) return EXPECTATIONS.map((e) => kw(e.keyword, e.syntax, e.doc));
  switch (w(1)) {
    case 'pte': {
      if (n === 2) return processes(check);
      if (n === 3) return labelsOf(check, w(2));
      const e = pageSpecEnd(ts, 3);
      if (e < 0 || n <= e) return [];
      if (prev === 'maps') return [...objects(check).map((o) => ({ ...o, insertText: `${o.label}[0]` })),
        { label: 'anon', kind: 'value', detail: 'anonymous memory' }, { label: 'zero', kind: 'value', detail: 'the zero page' }];
      if (prev === 'pfn') return [];
      return pteFlags();
    }
    case 'folio': {
      if (n === 2) return [...objects(check), ...processes(check)];
      const byProc = n >= 3 && ts[2].kind === 'word' && ts[3]?.kind !== '[';
      if (byProc && n === 3) return labelsOf(check, w(2));
      const e = pageSpecEnd(ts, byProc ? 3 : 2);
      if (e < 0 || n <= e) return [];
      if (prev === 'mapping') return [...objects(check), val('none', 'no mapping')];
      if (prev === 'mapcount' || prev === 'index' || prev === 'order' || prev === 'folio_mapcount') return [];
      return folioFlags();
    }
    case 'faults': return n === 2 ? processes(check) : n === 4 ? [kw('major', 'how many of them were major faults')] : [];
    case 'signal': return n === 2 ? processes(check) : n === 3 ? SIGNALS.map((s) => val(s)) : [];
    case 'defio':
      if (n === 2) return objects(check, 'fbdev');
      if (n === 3) return [kw('pending', 'pages on the deferred-I/O list'), kw('written', 'indexes passed to deferred_io')];
      return [];
    case 'vma': {
      if (n === 2) return processes(check);
      if (n === 3) return labelsOf(check, w(2));
      const e = pageSpecEnd(ts, 3);
      if (e < 0 || n <= e) return [];
      if (prev === 'start' || prev === 'end' || prev === 'pages' || prev === 'pgoff') return [];
      return vmaFlags();
    }
    case 'vmas': return n === 2 ? processes(check) : [];
    case 'pipe': return n === 2 ? names(check, 'pipe') : n === 3 ? PIPE_STATES.map((x) => val(x, x === 'unchanged' ? 'no later write reached its pages' : 'a later write reached one of its pages')) : [];
    case 'pin': return n === 2 ? names(check, 'buffer') : n === 3 ? PIPE_STATES.map((x) => val(x, x === 'unchanged' ? 'no later write reached its pinned pages' : 'a later write reached a pinned page (a reliable pin)')) : [];
    case 'error': return n === 2 ? ERRNOS.map((e) => val(e, 'errno')) : [];
    case 'i_mmap':
      if (n === 2) return objects(check);
      return prev === ',' || n === 3 ? [...(n === 3 ? [val('none', 'no VMA maps it')] : []), ...vmaNames(check)] : [];
    case 'walk': {
      if (prev !== 'walk' && prev !== ',' && !(n === 3 && (WALK_APIS as readonly string[]).includes(prev!))) return [];
      const out: CompletionEntry[] = n === 2 || n === 3 ? [val('none', 'the walk reached no VMA')] : [];
      if (n === 2) for (const a of WALK_APIS) out.push(val(a, 'the last walk of this rmap-walk API'));
      for (const l of check?.symbols ?? []) {
        if (l.kind !== 'label') continue;
        for (const p of check!.symbols) {
          if (p.kind !== 'process') continue;
          if (labelsOf(check, p.name).some((x) => x.label === l.name) && !out.some((o) => o.label === `${p.name}:${l.name}`)) {
            out.push({ label: `${p.name}:${l.name}`, kind: 'label', detail: `VMA labelled ${l.name} in ${p.name}` });
          }
        }
      }
      return out;
    }
    default: return [];
  }
}
