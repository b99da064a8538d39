// The .mms checker: names, kinds, values, kernel-version gates, static errno refusals and
// limits, in one pass over the statements in order (a name is usable from the line after
// its declaration). Statements with an error go into `invalid`: the runner skips them.
// Never throws for any scenario the parser produced.

import type {
  Ident, KernelStmt, MapSpec, MmapStmt, Num, PageSpec, Range, RecoveredDecl, Scenario, Statement, WalkEntry,
} from './ast';
import { type Diagnostic, type RelatedInfo, type Severity, compareDiagnostics } from './diagnostics';
import { CLEAR_REFS_MODES, ERRNOS, KEYWORDS, SYSCTL_KNOBS, WALK_APIS, closest } from './keywords';
import { type Limits, resolveLimits } from './limits';
import { PAGE_SIZE, TASK_SIZE, deviceMmapRefusals, mmapArgRefusals, mprotectArgRefusal, munmapArgRefusal, pageAligned } from '../engine/uapi';
import {
  CHECKED_STABLE, DEFAULT_KERNEL, OLDEST_MODELLED, backportsChecked, compareReleases, hasRule, parseRelease, releaseText, rule,
  type KernelRelease,
} from '../engine/versions';

export interface CheckOptions {
  limits?: Partial<Limits>;
  /** kernel version when the scenario has no `kernel` statement; default '6.15' */
  defaultKernel?: string;
}

export { TASK_SIZE };

export type ObjKind = 'file' | 'shmem' | 'fbdev' | 'pfnmap';

export interface SymbolInfo {
  kind: 'process' | 'object' | 'label' | 'pipe' | 'buffer';
  name: string;
  /** the name in its declaring statement */
  decl: Range;
  objKind?: ObjKind;
  /** for labels: the process whose `mmap` declared it (a forked child inherits it) */
  proc?: string;
  /** objects: their size; labels: the mapping's original page count */
  pages?: number;
  /** every use of the name after its declaration (the declaration itself is `decl`) */
  refs: Range[];
  /** labels: the mapped object's name, or 'anon' */
  mapsObject?: string;
  /** labels: a `shared` mapping */
  shared?: boolean;
  /** processes created by `fork`: the parent */
  parent?: string;
  /**
   * The declaring line has an error (or did not parse): the name is declared only so that
   * later lines are checked against it. At run time the process/object/mapping may not
   * exist.
   */
  declInvalid?: boolean;
}

export interface CheckResult {
  diagnostics: Diagnostic[];
  /** from the `kernel` statement, else the default (6.15); patch 0 is the mainline release */
  kernel: KernelRelease;
  /** statements that must not be executed */
  invalid: Set<Statement>;
  /** for hover, go-to-definition, references, rename, outline */
  symbols: SymbolInfo[];
  /** the symbol whose declaration or use covers (line, character), 0-based */
  symbolAt(line: number, character: number): SymbolInfo | undefined;
}

/** Checker diagnostic codes (see docs/language.md for the full table). */
export const CHECK_CODES = {
  unknownProcess: 'MMS201',
  unknownObject: 'MMS202',
  unknownLabel: 'MMS203',
  duplicateName: 'MMS204',
  duplicateLabel: 'MMS205',
  keywordName: 'MMS206',
  reservedName: 'MMS207',
  wrongKind: 'MMS208',
  exited: 'MMS209',
  notAnObject: 'MMS210',
  addressNotAllowed: 'MMS211',
  unknownSysctl: 'MMS212',
  unknownClearRefsMode: 'MMS213',
  labelOtherObject: 'MMS214',
  unknownWalkApi: 'MMS215',
  unknownErrno: 'MMS216',
  errorPlacement: 'MMS217',
  unaligned: 'MMS301',
  zeroPages: 'MMS302',
  reversedRange: 'MMS303',
  objectIndex: 'MMS304',
  labelIndex: 'MMS305',
  sysctlValue: 'MMS306',
  singlePage: 'MMS307',
  flagConflict: 'MMS308',
  anonOffset: 'MMS309',
  wrprotectVersion: 'MMS401',
  /** a large-folio construct the selected kernel lacks (mTHP before 6.8, shmem mTHP before 6.11) */
  thpVersion: 'MMS404',
  /** a THP size that is not a power of two from 16K to 2M (a folio size: 8K to 2M) */
  thpSize: 'MMS310',
  oldKernel: 'MMS402',
  uncheckedStable: 'MMS403',
  enomem: 'MMS501',
  einval: 'MMS502',
  objectTooLarge: 'MMS601',
  mappingTooLarge: 'MMS602',
  tooManyStatements: 'MMS603',
} as const;

const C = CHECK_CODES;
/** fault_around_bytes may not exceed PTRS_PER_PTE pages (mm/memory.c fault_around_bytes_set). */
export const FAULT_AROUND_MAX = 512 * PAGE_SIZE;
const MIN_KERNEL = parseRelease(OLDEST_MODELLED)!;

function hex(n: number): string { return '0x' + n.toString(16); }
/** 8K → 1 … 2M → 9; undefined unless a power of two of pages in that range */
function thpSizeOrder(bytes: number): number | undefined {
  const pages = bytes / PAGE_SIZE;
  if (!Number.isInteger(pages) || pages < 2 || pages > 512 || (pages & (pages - 1)) !== 0) return undefined;
  return Math.log2(pages);
}
function span(a: Range, b: Range): Range { return { start: a.start, end: b.end }; }
/** What a declared name is (the names in `globals`: processes and objects, which always have a kind). */
function kindName(s: SymbolInfo): string {
  if (s.kind === 'object') return s.objKind === 'fbdev' ? 'an fbdev' : `a ${s.objKind}`;
  if (s.kind === 'pipe') return 'a pipe';
  if (s.kind === 'buffer') return 'a pinned buffer';
  return 'a process';
}

interface ProcState {
  sym: SymbolInfo;
  /** the labels this process sees (its own and those inherited by fork) */
  labels: LabelTree;
  exited?: Range;
}

// ---- label sets --------------------------------------------------------------------
// A process's labels are a persistent AVL tree, so that `fork` shares the parent's set in
// O(1) instead of copying it (a scenario with many labels and many forks stays
// O(n log n)). Nodes carry the id of the process allowed to change them in place; a fork
// gives parent and child new ids, so the shared nodes are copied on their next change.

export interface LNode { key: string; val: SymbolInfo; left: LNode | null; right: LNode | null; h: number; owner: number }

export class LabelTree {
  constructor(private root: LNode | null, private owner: number) {}

  /** The root, read-only: the tests check the AVL invariants on it. */
  get top(): LNode | null { return this.root; }

  get(key: string): SymbolInfo | undefined {
    let n = this.root;
    while (n) {
      if (key === n.key) return n.val;
      n = key < n.key ? n.left : n.right;
    }
    return undefined;
  }

  set(key: string, val: SymbolInfo): void {
    this.root = this.insert(this.root, key, val);
  }

  /** The child's tree shares every node; neither side may change them in place any more. */
  fork(parentOwner: number, childOwner: number): LabelTree {
    this.owner = parentOwner;
    return new LabelTree(this.root, childOwner);
  }

  private static h(n: LNode | null): number { return n ? n.h : 0; }
  private static fix(n: LNode): LNode {
    n.h = Math.max(LabelTree.h(n.left), LabelTree.h(n.right)) + 1;
    return n;
  }
  private mine(n: LNode): LNode {
    return n.owner === this.owner ? n : { key: n.key, val: n.val, left: n.left, right: n.right, h: n.h, owner: this.owner };
  }
  private rotR(n: LNode): LNode {
    const l = this.mine(n.left!);
    n.left = l.right;
    LabelTree.fix(n);
    l.right = n;
    return LabelTree.fix(l);
  }
  private rotL(n: LNode): LNode {
    const r = this.mine(n.right!);
    n.right = r.left;
    LabelTree.fix(n);
    r.left = n;
    return LabelTree.fix(r);
  }
  private insert(node: LNode | null, key: string, val: SymbolInfo): LNode {
    if (!node) return { key, val, left: null, right: null, h: 1, owner: this.owner };
    const n = this.mine(node);
    if (key === n.key) { n.val = val; return n; }
    if (key < n.key) n.left = this.insert(n.left, key, val);
    else n.right = this.insert(n.right, key, val);
    LabelTree.fix(n);
    const h = LabelTree.h;
    const bf = h(n.left) - h(n.right);
    if (bf > 1) {
      if (h(n.left!.left) < h(n.left!.right)) n.left = this.rotL(this.mine(n.left!));
      return this.rotR(n);
    }
    if (bf < -1) {
      if (h(n.right!.right) < h(n.right!.left)) n.right = this.rotR(this.mine(n.right!));
      return this.rotL(n);
    }
    return n;
  }
}

interface Global {
  sym: SymbolInfo;
  proc?: ProcState;
}

interface Occurrence { range: Range; sym: SymbolInfo }

/** The simple flags already given in one expectation (a few at most: a list beats a Map). */
class FlagSeen {
  private kinds: string[] = [];
  private entries: { negated: boolean; range: Range }[] = [];
  get(kind: string): { negated: boolean; range: Range } | undefined {
    const i = this.kinds.indexOf(kind);
    return i < 0 ? undefined : this.entries[i];
  }
  /** Called once per kind, so the list never holds more entries than there are flag kinds. */
  set(kind: string, negated: boolean, range: Range): void {
    this.kinds.push(kind);
    this.entries.push({ negated, range });
  }
}

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly invalid = new Set<Statement>();
  readonly symbols: SymbolInfo[] = [];
  private readonly globals = new Map<string, Global>();
  /** every label name, for hints ("'m' is a mapping label of 'a'") */
  private readonly labelOwners = new Map<string, string>();
  private bad = false;
  private ownerSeq = 0;
  readonly kernel: KernelRelease;
  private kernelStmt?: KernelStmt;

  constructor(private readonly scn: Scenario, private readonly limits: Limits, defaultKernel: KernelRelease) {
    this.kernel = defaultKernel;
    const first = scn.statements[0];
    if (first && first.kind === 'kernel') {
      this.kernelStmt = first;
      const v = first.version;
      this.kernel = { major: v.major, minor: v.minor, patch: v.patch };
    }
  }

  // ---- diagnostics -------------------------------------------------------------------

  private report(severity: Severity, range: Range, code: string, message: string, related?: RelatedInfo[]): void {
    const d: Diagnostic = { range, severity, code, message };
    if (related && related.length) d.related = related;
    this.diagnostics.push(d);
    if (severity === 'error') this.bad = true;
  }
  private err(range: Range, code: string, message: string, related?: RelatedInfo[]): void {
    this.report('error', range, code, message, related);
  }
  private warn(range: Range, code: string, message: string, related?: RelatedInfo[]): void {
    this.report('warning', range, code, message, related);
  }

  // ---- declarations ------------------------------------------------------------------

  private use(sym: SymbolInfo, range: Range): void {
    sym.refs.push(range);
  }

  private newSymbol(sym: SymbolInfo): SymbolInfo {
    this.symbols.push(sym);
    return sym;
  }

  /** Checks that `id` may name a new process or object; reports why not. */
  private nameOk(id: Ident, what: string, objKind?: ObjKind): boolean {
    if (KEYWORDS.has(id.name)) {
      this.err(id.range, C.keywordName, `'${id.name}' is a keyword and cannot name ${what}`);
      return false;
    }
    if (objKind && (id.name === 'anon' || id.name === 'zero')) {
      this.err(id.range, C.reservedName, `'${id.name}' is reserved (${id.name === 'anon' ? 'anonymous memory' : 'the zero page'}) and cannot name an object`);
      return false;
    }
    const prev = this.globals.get(id.name);
    if (prev) {
      this.err(id.range, C.duplicateName, `'${id.name}' is already declared as ${kindName(prev.sym)}`,
        [{ range: prev.sym.decl, message: 'declared here' }]);
      return false;
    }
    return true;
  }

  private declareProcess(id: Ident, parent?: ProcState, invalidDecl = false): ProcState {
    const sym = this.newSymbol({ kind: 'process', name: id.name, decl: id.range, refs: [] });
    if (parent) sym.parent = parent.sym.name;
    if (invalidDecl) sym.declInvalid = true;
    const labels = parent ? parent.labels.fork(++this.ownerSeq, ++this.ownerSeq) : new LabelTree(null, ++this.ownerSeq);
    const st: ProcState = { sym, labels };
    this.globals.set(id.name, { sym, proc: st });
    return st;
  }

  /** a pipe (vmsplice) or a pinned buffer (pin) */
  private declareHolder(kind: 'pipe' | 'buffer', id: Ident, invalidDecl: boolean): void {
    const sym = this.newSymbol({ kind, name: id.name, decl: id.range, refs: [] });
    if (invalidDecl) sym.declInvalid = true;
    this.globals.set(id.name, { sym });
  }

  private useHolder(kind: 'pipe' | 'buffer', id: Ident, declaredBy: string): void {
    const what = kind === 'pipe' ? 'pipe' : 'pinned buffer';
    const g = this.globals.get(id.name);
    if (!g) this.err(id.range, C.unknownObject, `unknown ${what} '${id.name}' (a ${what} is named by '${declaredBy}')`);
    else if (g.sym.kind !== kind) this.err(id.range, C.wrongKind, `'${id.name}' is ${kindName(g.sym)}, not a ${what}`, [{ range: g.sym.decl, message: 'declared here' }]);
    else this.use(g.sym, id.range);
  }

  private declareObject(id: Ident, objKind: ObjKind, pages: number | undefined, invalidDecl = false): SymbolInfo {
    const sym = this.newSymbol({ kind: 'object', name: id.name, decl: id.range, objKind, refs: [] });
    if (pages !== undefined) sym.pages = pages;
    if (invalidDecl) sym.declInvalid = true;
    this.globals.set(id.name, { sym });
    return sym;
  }

  /** Checks that `id` may label a new mapping of `proc`; reports why not. */
  private labelOk(proc: ProcState, id: Ident): boolean {
    if (KEYWORDS.has(id.name)) {
      this.err(id.range, C.keywordName, `'${id.name}' is a keyword and cannot label a mapping`);
      return false;
    }
    const prev = proc.labels.get(id.name);
    if (prev) {
      const inherited = prev.proc !== proc.sym.name ? ` (inherited from '${prev.proc}' by fork)` : '';
      this.err(id.range, C.duplicateLabel, `process '${proc.sym.name}' already has a mapping labelled '${id.name}'${inherited}; labels are unique per process`,
        [{ range: prev.decl, message: 'declared here' }]);
      return false;
    }
    return true;
  }

  private declareLabel(proc: ProcState, id: Ident, extra: Partial<SymbolInfo>): SymbolInfo {
    const sym = this.newSymbol({ kind: 'label', name: id.name, decl: id.range, proc: proc.sym.name, refs: [], ...extra });
    proc.labels.set(id.name, sym);
    if (!this.labelOwners.has(id.name)) this.labelOwners.set(id.name, proc.sym.name);
    return sym;
  }

  private declareRecovered(r: RecoveredDecl): void {
    const name = r.name.name;
    if (KEYWORDS.has(name)) return;
    if (r.kind === 'label') {
      const g = r.proc ? this.globals.get(r.proc.name) : undefined;
      if (!g?.proc || g.proc.labels.get(name)) return;
      this.use(g.sym, r.proc!.range);
      this.declareLabel(g.proc, r.name, { declInvalid: true });
      return;
    }
    if (this.globals.has(name)) return;
    if (r.kind === 'process') this.declareProcess(r.name, undefined, true);
    else if (r.kind === 'pipe' || r.kind === 'buffer') this.declareHolder(r.kind, r.name, true);
    else if (name !== 'anon' && name !== 'zero') this.declareObject(r.name, r.objKind ?? 'file', undefined, true);
  }

  // ---- uses --------------------------------------------------------------------------

  private hintFor(name: string, wanted: 'process' | 'object'): string {
    const g = this.globals.get(name);
    if (g) return ` ('${name}' is ${kindName(g.sym)})`;
    if (this.labelOwners.has(name)) {
      return ` ('${name}' is a mapping label of '${this.labelOwners.get(name)}')`;
    }
    // "did you mean": only for files with few names, so that many errors stay linear
    if (this.globals.size > 500) return '';
    const cands: string[] = [];
    for (const [n, gl] of this.globals) if ((gl.sym.kind === 'process') === (wanted === 'process')) cands.push(n);
    const near = closest(name, cands);
    return near ? ` (did you mean '${near}'?)` : '';
  }

  private useProc(id: Ident, exitedOk = false): ProcState | undefined {
    const g = this.globals.get(id.name);
    if (!g) {
      this.err(id.range, C.unknownProcess, `unknown process '${id.name}'${this.hintFor(id.name, 'process')}`);
      return undefined;
    }
    if (!g.proc) {
      this.err(id.range, C.wrongKind, `'${id.name}' is ${kindName(g.sym)}, not a process`, [{ range: g.sym.decl, message: 'declared here' }]);
      return undefined;
    }
    this.use(g.sym, id.range);
    if (g.proc.exited && !exitedOk) {
      this.err(id.range, C.exited, `process '${id.name}' has exited`, [{ range: g.proc.exited, message: 'exited here' }]);
    }
    return g.proc;
  }

  /** An object where the statement needs one (`need` 'fbdev' for fbdev-only statements). */
  private useObj(id: Ident, what: string, need: 'object' | 'fbdev' = 'object'): SymbolInfo | undefined {
    if (id.name === 'anon' || id.name === 'zero') {
      this.err(id.range, C.notAnObject, `${what} needs ${need === 'fbdev' ? 'an fbdev' : 'an object (file, shmem, fbdev or pfnmap)'}; '${id.name}' is ${id.name === 'anon' ? 'anonymous memory' : 'the zero page'}, not an object`);
      return undefined;
    }
    const g = this.globals.get(id.name);
    if (!g) {
      this.err(id.range, C.unknownObject, `unknown object '${id.name}'${this.hintFor(id.name, 'object')}`);
      return undefined;
    }
    if (g.sym.kind !== 'object') {
      this.err(id.range, C.wrongKind, `${what} needs ${need === 'fbdev' ? 'an fbdev' : 'an object'}; '${id.name}' is ${kindName(g.sym)}`,
        [{ range: g.sym.decl, message: 'declared here' }]);
      return undefined;
    }
    this.use(g.sym, id.range);
    if (need === 'fbdev' && g.sym.objKind !== 'fbdev') {
      this.err(id.range, C.wrongKind, `${what} needs an fbdev; '${id.name}' is ${kindName(g.sym)}`,
        [{ range: g.sym.decl, message: 'declared here' }]);
    }
    return g.sym;
  }

  private useLabel(proc: ProcState, id: Ident): SymbolInfo | undefined {
    const sym = proc.labels.get(id.name);
    if (!sym) {
      const g = this.globals.get(id.name);
      const hint = g ? ` ('${id.name}' is ${kindName(g.sym)}; name a mapping by its label or use an address)` : '';
      this.err(id.range, C.unknownLabel, `process '${proc.sym.name}' has no mapping labelled '${id.name}'${hint}`);
      return undefined;
    }
    this.use(sym, id.range);
    return sym;
  }

  // ---- values ------------------------------------------------------------------------

  private checkRange(first: Num, last: Num | undefined, size: number | undefined, what: (n: number) => string): void {
    if (last && first.value > last.value) {
      this.err(span(first.range, last.range), C.reversedRange, `page range ${first.text}..${last.text} is reversed (the first page must not come after the last)`);
    }
    if (size === undefined) return;
    for (const n of last ? [first, last] : [first]) {
      if (n.value >= size) this.err(n.range, C.objectIndex, `page ${n.text} is past the end of ${what(size)}`);
    }
  }

  private objRange(obj: SymbolInfo | undefined, first: Num, last: Num | undefined): void {
    this.checkRange(first, last, obj?.pages, size => `'${obj!.name}' (${size} page${size === 1 ? '' : 's'}: 0..${size - 1})`);
  }

  private labelRange(label: SymbolInfo | undefined, proc: ProcState, first: Num, last: Num | undefined): void {
    if (last && first.value > last.value) {
      this.err(span(first.range, last.range), C.reversedRange, `page range ${first.text}..${last.text} is reversed (the first page must not come after the last)`);
    }
    const size = label?.pages;
    if (size === undefined) return;
    for (const n of last ? [first, last] : [first]) {
      if (n.value >= size) {
        this.err(n.range, C.labelIndex, `page ${n.text} is past the end of mapping '${label!.name}' of '${proc.sym.name}' (${size} page${size === 1 ? '' : 's'}: 0..${size - 1}, counted from the mapping's original start)`,
          [{ range: label!.decl, message: 'mapped here' }]);
      }
    }
  }

  /** A PROC's pages: `LABEL[I..J]` (a label of PROC) or an address. */
  private procPages(proc: ProcState | undefined, spec: PageSpec): void {
    if (spec.kind !== 'named' || !proc) return;
    const label = this.useLabel(proc, spec.target);
    this.labelRange(label, proc, spec.first, spec.last);
  }

  /** An object's pages: `OBJ[I]` or `OBJ[I..J]`. */
  private objPages(spec: PageSpec, what: string, single: boolean): SymbolInfo | undefined {
    if (spec.kind === 'addr') {
      this.err(spec.range, C.addressNotAllowed, `${what} takes an object's page-cache index (OBJ[I]${single ? '' : ' or OBJ[I..J]'}), not an address`);
      return undefined;
    }
    const obj = this.useObj(spec.target, what);
    if (single && spec.last) {
      this.err(span(spec.first.range, spec.last.range), C.singlePage, `${what} takes one page (OBJ[I]), not a range`);
    }
    this.objRange(obj, spec.first, spec.last);
    return obj;
  }

  private pagesAtLeastOne(n: Num, what: string): boolean {
    if (n.value === 0) {
      this.err(n.range, C.zeroPages, `${what}: 'pages 0' is empty; give at least 1 page`);
      return false;
    }
    return true;
  }

  // madvise: madvise_walk_vmas()/do_madvise refuse as mprotect does (EINVAL unaligned, ENOMEM outside)
  private addrSpec(spec: MapSpec, what: 'munmap' | 'mprotect' | 'madvise'): void {
    if (spec.kind !== 'addr') return;
    const addr = spec.addr.value;
    if (!pageAligned(addr)) {
      this.err(spec.addr.range, C.unaligned, `${what}: address ${spec.addr.text} is not page-aligned (the kernel refuses it with EINVAL)`);
    }
    const ok = this.pagesAtLeastOne(spec.pages, what);
    const r = (what === 'munmap' ? munmapArgRefusal : mprotectArgRefusal)(addr, ok ? spec.pages.value : 1);
    if (!r) return;
    const code = r.errno === 'EINVAL' ? C.einval : C.enomem;
    if (r.arg === 'addr') {
      this.err(spec.addr.range, code, `${what}: address ${spec.addr.text} is outside the 47-bit user address space (TASK_SIZE ${hex(TASK_SIZE)}): ${r.errno}`);
    } else {
      this.err(spec.pages.range, code, `${what}: ${spec.pages.text} pages at ${spec.addr.text} run past the end of the 47-bit user address space (TASK_SIZE ${hex(TASK_SIZE)}): ${r.errno}`);
    }
  }

  private labelSpec(proc: ProcState | undefined, spec: MapSpec): void {
    if (spec.kind !== 'label' || !proc) return;
    const label = this.useLabel(proc, spec.label);
    if (spec.first) this.labelRange(label, proc, spec.first, spec.last);
  }

  // ---- statements --------------------------------------------------------------------

  run(): void {
    const stmts = this.scn.statements;
    const rec = this.scn.recovered ?? [];
    let ri = 0;
    const max = Math.max(0, Math.floor(this.limits.maxStatements));
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i];
      while (ri < rec.length && rec[ri].name.range.start.line < s.range.start.line) this.declareRecovered(rec[ri++]);
      if (i >= max) {
        this.diagnostics.push({
          range: s.range, severity: 'error', code: C.tooManyStatements,
          message: `too many statements: ${stmts.length} (the limit is ${max}); this statement and the rest are not run`,
        });
        for (let k = i; k < stmts.length; k++) this.invalid.add(stmts[k]);
        return;
      }
      this.bad = false;
      try {
        this.statement(s, i);
      } catch (e) {
        this.err(s.range, 'MMS299', `internal checker error: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (this.bad) this.invalid.add(s);
    }
    while (ri < rec.length) this.declareRecovered(rec[ri++]);
  }

  private statement(s: Statement, index: number): void {
    switch (s.kind) {
      case 'kernel': return this.kernelLine(s, index);
      case 'sysctl': return this.sysctl(s);
      case 'file':
      case 'shmem':
      case 'fbdev':
      case 'pfnmap': return this.objectDecl(s);
      case 'process': {
        if (this.nameOk(s.name, 'a process')) this.declareProcess(s.name);
        return;
      }
      case 'fork': {
        const parent = this.useProc(s.parent);
        if (this.nameOk(s.child, 'a process')) this.declareProcess(s.child, parent, this.bad);
        return;
      }
      case 'exit': {
        const p = this.useProc(s.proc);
        if (p && !p.exited) p.exited = s.range;
        return;
      }
      case 'mmap':
        return this.mmap(s);
      case 'munmap': {
        const p = this.useProc(s.proc);
        this.labelSpec(p, s.spec);
        this.addrSpec(s.spec, 'munmap');
        return;
      }
      case 'mprotect': {
        const p = this.useProc(s.proc);
        this.labelSpec(p, s.spec);
        this.addrSpec(s.spec, 'mprotect');
        return;
      }
      case 'madvise': {
        const p = this.useProc(s.proc);
        this.labelSpec(p, s.spec);
        this.addrSpec(s.spec, 'madvise');
        return;
      }
      case 'migrate': {
        if (s.proc) this.procPages(this.useProc(s.proc), s.page);
        else this.objPages(s.page, 'migrate', true);
        return;
      }
      case 'read':
      case 'write': {
        const p = this.useProc(s.proc);
        this.procPages(p, s.pages);
        return;
      }
      case 'mkclean':
        this.objPages(s.page, 'mkclean', true);
        return;
      case 'wrprotect': return this.wrprotect(s);
      case 'pfn_mkclean': return this.pfnMkclean(s);
      case 'writeback': {
        const obj = this.useObj(s.obj, 'writeback');
        if (s.first) this.objRange(obj, s.first, s.last);
        return;
      }
      case 'msync': {
        const p = this.useProc(s.proc);
        if (p) this.useLabel(p, s.label);
        return;
      }
      case 'unmap_range':
        this.objPages(s.pages, 'unmap_range', false);
        return;
      case 'flush':
        this.useObj(s.obj, 'flush', 'fbdev');
        return;
      case 'clear_refs': return this.clearRefs(s);
      case 'wait':
        return;
      case 'vmsplice': {
        const p = this.useProc(s.proc);
        this.labelSpec(p, s.spec);
        if (s.spec.kind === 'addr') this.pagesAtLeastOne(s.spec.pages, 'vmsplice');
        if (this.nameOk(s.pipe, 'a pipe')) this.declareHolder('pipe', s.pipe, this.bad);
        return;
      }
      case 'pin': {
        const p = this.useProc(s.proc);
        this.labelSpec(p, s.spec);
        if (s.spec.kind === 'addr') this.pagesAtLeastOne(s.spec.pages, 'pin');
        if (this.nameOk(s.buf, 'a pinned buffer')) this.declareHolder('buffer', s.buf, this.bad);
        return;
      }
      case 'expect_pipe': return this.useHolder('pipe', s.pipe, 'vmsplice PROC SPEC as PIPE');
      case 'expect_pin': return this.useHolder('buffer', s.buf, 'pin PROC SPEC as BUF');
      case 'sysctl_thp': return this.sysctlThp(s);
      case 'split': {
        if (s.proc) { const p = this.useProc(s.proc); this.procPages(p, s.page); }
        else this.objPages(s.page, 'split', true);
        return;
      }
      case 'expect_pte': return this.expectPte(s);
      case 'expect_folio': return this.expectFolio(s);
      case 'expect_result':
      case 'expect_oops':
        return;
      case 'expect_walk':
        if (s.api && !(WALK_APIS as readonly string[]).includes(s.api.name)) {
          const near = closest(s.api.name, WALK_APIS);
          this.err(s.api.range, C.unknownWalkApi, `unknown rmap-walk API '${s.api.name}' (${near ? `did you mean '${near}'? ` : ''}expected ${WALK_APIS.join(', ')})`);
        }
        this.vmaEntries(s.entries);
        return;
      case 'mremap': {
        const p = this.useProc(s.proc);
        this.labelSpec(p, s.spec);
        if (s.spec.kind === 'addr') this.pagesAtLeastOne(s.spec.pages, 'mremap');
        if (s.newPages && this.pagesAtLeastOne(s.newPages, 'mremap') && p && s.spec.kind === 'label' && !s.spec.first) {
          // the label names the pages a grown mapping gains (pageLabels.ts extend)
          const label = p.labels.get(s.spec.label.name);
          if (label && label.pages !== undefined && s.newPages.value > label.pages) label.pages = s.newPages.value;
        }
        return;
      }
      case 'expect_vma': {
        const p = this.useProc(s.proc);
        this.procPages(p, s.pages);
        const seen = new FlagSeen();
        for (const f of s.flags) if (!('value' in f)) this.flagConflict(seen, f.kind, f.negated, f.range);
        return;
      }
      case 'expect_vmas':
        this.useProc(s.proc, true);
        return;
      case 'expect_i_mmap':
        this.useObj(s.obj, 'expect i_mmap');
        this.vmaEntries(s.entries);
        return;
      case 'expect_error': {
        if (!(ERRNOS as readonly string[]).includes(s.errno.name)) {
          this.err(s.errno.range, C.unknownErrno, `unknown errno '${s.errno.name}' (expected ${ERRNOS.join(', ')})`);
        }
        const prev = index > 0 ? this.scn.statements[index - 1] : undefined;
        if (!prev || prev.kind.startsWith('expect_') || prev.kind === 'kernel') {
          this.err(s.kwRange, C.errorPlacement, `'expect error' goes right after the statement it expects to fail (mmap, mremap, mprotect, ...)`);
        }
        return;
      }
      case 'expect_faults':
      case 'expect_signal':
        // what the process took or raised while it lived stays defined after `exit` (its
        // parent reads ru_minflt/ru_majflt with wait4()): an exited process is allowed here
        this.useProc(s.proc, true);
        return;
      case 'expect_defio_pending':
        this.useObj(s.obj, 'expect defio', 'fbdev');
        return;
      case 'expect_defio_written': {
        const obj = this.useObj(s.obj, 'expect defio', 'fbdev');
        for (const n of s.indexes) this.objRange(obj, n, undefined);
        return;
      }
    }
  }

  private kernelLine(s: Extract<Statement, { kind: 'kernel' }>, index: number): void {
      if (index !== 0) {
        this.err(s.range, 'MMS118', `'kernel' must come before every other statement`);
        return;
      }
      if (compareReleases(this.kernel, MIN_KERNEL) < 0) {
        this.err(s.version.range, C.oldKernel, `Linux ${s.version.text} is not modelled: mmscope models Linux ${OLDEST_MODELLED} and later`);
      } else if (!backportsChecked(this.kernel)) {
        this.warn(s.version.range, C.uncheckedStable,
          `Linux ${s.version.text} runs as mainline ${this.kernel.major}.${this.kernel.minor} plus the stable backports mmscope's version table lists; ` +
          `the table was checked for ${CHECKED_STABLE.map((c) => `${c.series}.y up to ${c.upTo}`).join(' and ')}, so backports to ${this.kernel.major}.${this.kernel.minor}.y it does not list are not modelled`);
      }
      return;
  }

  /** the line of the scenario's `sysctl swap` */
  private swapLine: number | undefined;

  private sysctl(s: Extract<Statement, { kind: 'sysctl' }>): void {
      if (!(SYSCTL_KNOBS as readonly string[]).includes(s.knob.name)) {
        this.err(s.knob.range, C.unknownSysctl, `unknown sysctl '${s.knob.name}' (expected ${SYSCTL_KNOBS.join(', ')})`);
        return;
      }
      const v = s.value.value;
      if (s.knob.name === 'swap') {
        // the model has one swap device (type 0): a second swapon would need swap types
        if (this.swapLine !== undefined) this.err(s.knob.range, C.sysctlValue, `a second swap device: mmscope models one (the first is at line ${this.swapLine + 1})`);
        else if (v >= 2) this.swapLine = s.range.start.line; // a refused one is no device
        // mm/swapfile.c: sys_swapon() refuses a device with no slot after its header page
        if (v < 2) this.err(s.value.range, C.sysctlValue, `a swap device of ${s.value.text} page${v === 1 ? '' : 's'} has no slot after its header page: swapon refuses it (EINVAL)`);
        return;
      }
      // mm/memory.c: fault_around_bytes_set() — "if (val / PAGE_SIZE > PTRS_PER_PTE) return
      // -EINVAL"; otherwise any value is taken, rounded down to a power of two of pages, at
      // least one page ("rounddown_pow_of_two(0) is undefined": 0 becomes PAGE_SIZE).
      if (Math.floor(v / PAGE_SIZE) > FAULT_AROUND_MAX / PAGE_SIZE) {
        this.err(s.value.range, C.sysctlValue, `fault_around_bytes ${s.value.text} is larger than ${FAULT_AROUND_MAX} (PTRS_PER_PTE pages): the kernel refuses it with EINVAL`);
      } else if (v < PAGE_SIZE || (v & (v - 1)) !== 0) {
        const pages = Math.max(1, Math.floor(2 ** Math.floor(Math.log2(v)) / PAGE_SIZE));
        this.warn(s.value.range, C.sysctlValue, `fault_around_bytes ${s.value.text} is not a power of two of pages: the kernel rounds it down to ${pages * PAGE_SIZE}${pages === 1 ? ' (fault-around off)' : ''}`);
      }
      return;
  }

  // mm/huge_memory.c: the sysfs files exist from the release that added them:
  // hugepages-<size>/enabled from 6.8 (versions.ts `anon-mthp`), hugepages-<size>/
  // shmem_enabled from 6.11 (`shmem-mthp`). Sizes: 16K to 2M, powers of two.
  private sysctlThp(s: Extract<Statement, { kind: 'sysctl_thp' }>): void {
    if (s.size) {
      const order = thpSizeOrder(s.size.bytes);
      if (order === undefined || order < 2) {
        this.err(s.size.range, C.thpSize, `no hugepages-${s.size.text} directory: a THP size is a power of two from 16K to 2M`);
      }
      const id = s.knob === 'anon' ? 'anon-mthp' : 'shmem-mthp';
      if (!hasRule(this.kernel, id)) {
        const v = releaseText(this.kernel);
        this.err(s.kwRange, C.thpVersion,
          `sysctl thp ${s.knob} ${s.size.text}: /sys/kernel/mm/transparent_hugepage/hugepages-<size>/${s.knob === 'anon' ? 'enabled' : 'shmem_enabled'} exists only from Linux ${rule(id).since} (${s.knob === 'anon' ? 'multi-size anonymous THP' : 'shmem mTHP'}); this scenario is for ${v}`,
          this.kernelStmt ? [{ range: this.kernelStmt.range, message: `kernel ${v} selected here` }] : undefined);
      }
    }
  }

  private objectDecl(s: Extract<Statement, { kind: 'file' | 'shmem' | 'fbdev' | 'pfnmap' }>): void {
      if (s.kind === 'file' && s.folio) {
        const order = thpSizeOrder(s.folio.bytes);
        if (order === undefined) this.err(s.folio.range, C.thpSize, `folio ${s.folio.text}: a folio size is a power of two from 8K to 2M`);
      }
      const nameOk = this.nameOk(s.name, `an object`, s.kind);
      const pagesOk = this.pagesAtLeastOne(s.pages, s.kind);
      if (pagesOk && s.pages.value > this.limits.maxPagesPerObject) {
        this.err(s.pages.range, C.objectTooLarge, `${s.kind} '${s.name.name}' has ${s.pages.text} pages; the limit is ${this.limits.maxPagesPerObject} pages (maxPagesPerObject)`);
      }
      if (nameOk) this.declareObject(s.name, s.kind, pagesOk ? s.pages.value : undefined, this.bad);
      return;
  }

  private wrprotect(s: Extract<Statement, { kind: 'wrprotect' }>): void {
      if (!hasRule(this.kernel, 'mapping-wrprotect-range')) {
        const v = releaseText(this.kernel);
        this.err(s.kwRange, C.wrprotectVersion,
          `wrprotect: mapping_wrprotect_range() exists only from Linux ${rule('mapping-wrprotect-range').since}; this scenario is for ${v}`,
          this.kernelStmt ? [{ range: this.kernelStmt.range, message: `kernel ${v} selected here` }] : undefined);
      }
      this.objPages(s.pages, 'wrprotect', false);
      return;
  }

  private pfnMkclean(s: Extract<Statement, { kind: 'pfn_mkclean' }>): void {
      const obj = this.objPages(s.pages, 'pfn_mkclean', false);
      const p = this.useProc(s.proc);
      const label = p ? this.useLabel(p, s.label) : undefined;
      if (obj && label && label.mapsObject !== undefined && label.mapsObject !== obj.name) {
        this.warn(s.label.range, C.labelOtherObject,
          `mapping '${label.name}' of '${p!.sym.name}' maps '${label.mapsObject}', not '${obj.name}': pfn_mkclean_range() will not find these pages there`,
          [{ range: label.decl, message: 'mapped here' }]);
      }
      return;
  }

  private clearRefs(s: Extract<Statement, { kind: 'clear_refs' }>): void {
      this.useProc(s.proc);
      if (!(CLEAR_REFS_MODES as readonly string[]).includes(s.mode.name)) {
        this.err(s.mode.range, C.unknownClearRefsMode,
          `clear_refs mode '${s.mode.name}' is not in language v1 (expected ${CLEAR_REFS_MODES.join(', ')}: writing 4 to /proc/PID/clear_refs)`);
      }
      return;
  }

  private expectPte(s: Extract<Statement, { kind: 'expect_pte' }>): void {
      const p = this.useProc(s.proc);
      this.procPages(p, s.pages);
      const seen = new FlagSeen();
      for (const f of s.flags) {
        if (f.kind === 'maps' && typeof f.target === 'object') {
          const obj = this.useObj(f.target.obj, `'maps'`);
          this.objRange(obj, f.target.index, undefined);
        }
        if (f.kind === 'same') {
          if (f.proc) {
            const q = this.useProc(f.proc);
            if (q) this.useLabel(q, f.page.target);
          } else this.objRange(this.useObj(f.page.target, `'same'`), f.page.index, undefined);
          continue;
        }
        if (f.kind === 'maps' || f.kind === 'pfn') continue;
        this.flagConflict(seen, f.kind, f.negated, f.range);
      }
      return;
  }

  private expectFolio(s: Extract<Statement, { kind: 'expect_folio' }>): void {
      // the folio a process maps: an exited process maps none (as `expect pte`, MMS209)
      if (s.proc) this.procPages(this.useProc(s.proc), s.page);
      else this.objPages(s.page, 'expect folio', true);
      const seen = new FlagSeen();
      for (const f of s.flags) {
        if (f.kind === 'mapping') {
          if (f.obj) this.useObj(f.obj, `'mapping'`);
          continue;
        }
        if (f.kind === 'mapcount' || f.kind === 'index' || f.kind === 'order' || f.kind === 'folio_mapcount') continue;
        this.flagConflict(seen, f.kind, f.negated, f.range);
      }
      return;
  }

  /** `PROC:LABEL[I]` lists of expect walk / expect i_mmap. */
  private vmaEntries(entries: readonly WalkEntry[]): void {
    for (const e of entries) {
      const p = this.useProc(e.proc, true);
      const label = p ? this.useLabel(p, e.label) : undefined;
      if (p && e.index) this.labelRange(label, p, e.index, undefined);
    }
  }

  private flagConflict(seen: FlagSeen, kind: string, negated: boolean, range: Range): void {
    const prev = seen.get(kind);
    if (!prev) {
      seen.set(kind, negated, range);
      return;
    }
    if (prev.negated !== negated) {
      this.err(range, C.flagConflict, `'${negated ? '!' : ''}${kind}' contradicts '${prev.negated ? '!' : ''}${kind}' earlier on this line: the expectation can never hold`,
        [{ range: prev.range, message: 'first given here' }]);
    } else {
      this.warn(range, C.flagConflict, `flag '${negated ? '!' : ''}${kind}' is given twice`, [{ range: prev.range, message: 'first given here' }]);
    }
  }

  private mmap(s: MmapStmt): void {
    const p = this.useProc(s.proc);
    let obj: SymbolInfo | undefined;
    const anon = s.obj.name === 'anon';
    if (!anon) obj = this.useObj(s.obj, 'mmap');
    const addr = s.addr.value;
    const pagesOk = this.pagesAtLeastOne(s.pages, 'mmap');
    let enomem = false;
    for (const r of mmapArgRefusals(addr, pagesOk ? s.pages.value : 1)) {
      if (r.reason === 'unaligned') {
        this.err(s.addr.range, C.unaligned,
          `mmap: address ${s.addr.text} is not page-aligned (a multiple of 4096 = 0x1000); the kernel refuses a fixed mapping there with EINVAL`);
      } else if (r.reason === 'beyond-task-size') {
        enomem = true;
        this.err(s.addr.range, C.enomem, `mmap: address ${s.addr.text} is outside the 47-bit user address space (TASK_SIZE ${hex(TASK_SIZE)}): the kernel refuses it with ENOMEM`);
      } else if (r.reason === 'end-beyond-task-size') {
        enomem = true;
        this.err(s.pages.range, C.enomem, `mmap: ${s.pages.text} pages at ${s.addr.text} run past the end of the 47-bit user address space (TASK_SIZE ${hex(TASK_SIZE)}): the kernel refuses it with ENOMEM`);
      }
    }
    if (!enomem && pagesOk && s.pages.value > this.limits.maxMappingPages) {
      this.err(s.pages.range, C.mappingTooLarge, `mmap: ${s.pages.text} pages is more than the limit of ${this.limits.maxMappingPages} pages for one mapping (maxMappingPages)`);
    }
    if (anon && s.offset && s.offset.value !== 0) {
      this.warn(s.offset.range, C.anonOffset, `offset is ignored for anonymous memory (vm_pgoff is ${s.shared ? '0 for shared anon' : 'address >> 12 for private anon'})`);
    }
    if (obj && (obj.objKind === 'pfnmap' || obj.objKind === 'fbdev')) {
      const off = s.offset?.value ?? 0;
      const devPages = obj.pages ?? Number.MAX_SAFE_INTEGER;
      for (const r of deviceMmapRefusals(obj.objKind, devPages, off, pagesOk ? s.pages.value : 0, s.shared)) {
        if (r.reason === 'pfnmap-private') {
          this.err(s.sharedRange, C.einval, `mmap: a private mapping of pfnmap '${obj.name}' fails with EINVAL (a VM_PFNMAP mapping cannot be copied on write)`);
        } else if (pagesOk) {
          const at = r.arg === 'offset' && s.offset ? s.offset.range : s.pages.range;
          this.err(at, C.einval, `mmap: pages ${off}..${off + s.pages.value - 1} run past the end of ${obj.objKind} '${obj.name}' (${obj.pages} pages): the kernel refuses the mapping with EINVAL`);
        }
      }
    }
    if (p && s.label && this.labelOk(p, s.label)) {
      const extra: Partial<SymbolInfo> = { mapsObject: s.obj.name, shared: s.shared };
      if (pagesOk) extra.pages = s.pages.value;
      if (this.bad) extra.declInvalid = true;
      this.declareLabel(p, s.label, extra);
    }
  }

  // ---- lookup ------------------------------------------------------------------------

  private byLine?: Map<number, Occurrence[]>;

  symbolAt(line: number, character: number): SymbolInfo | undefined {
    if (!this.byLine) {
      // built on first use from every declaration and reference
      const byLine = new Map<number, Occurrence[]>();
      const add = (range: Range, sym: SymbolInfo): void => {
        const l = range.start.line;
        let a = byLine.get(l);
        if (!a) byLine.set(l, (a = []));
        a.push({ range, sym });
      };
      for (const sym of this.symbols) {
        add(sym.decl, sym);
        for (const r of sym.refs) add(r, sym);
      }
      this.byLine = byLine;
    }
    const occ = this.byLine.get(line);
    if (!occ) return undefined;
    for (const o of occ) {
      if (o.range.start.character <= character && character <= o.range.end.character) return o.sym;
    }
    return undefined;
  }
}

/** Check a parsed scenario. Never throws. */
export function check(scn: Scenario, opts: CheckOptions = {}): CheckResult {
  const limits = resolveLimits(opts.limits);
  const def = parseRelease(opts.defaultKernel) ?? parseRelease(DEFAULT_KERNEL)!;
  const c = new Checker(scn, limits, def);
  c.run();
  c.diagnostics.sort(compareDiagnostics);
  return {
    diagnostics: c.diagnostics,
    kernel: c.kernel,
    invalid: c.invalid,
    symbols: c.symbols,
    symbolAt: (line, character) => c.symbolAt(line, character),
  };
}
