// Scenario -> straight-line C for the real-kernel oracle (docs/real-kernel.md).
//
// Every statement becomes one *step*. The generated driver (scripts/oracle/oracle.h)
// runs the steps in scenario order: a step of a process is sent to that process over
// its pipe and acknowledged (lock-step), a kernel operation with a user-space trigger
// (fsync, sleep, debugfs) is done by the driver itself. After each step the driver
// records what user space can see of the mappings the step touched: pagemap
// (present, soft-dirty, exclusive, file, PFN), kpageflags/kpagecount of the mapped
// pages, smaps of the VMAs, and the cumulative fault count of every process.
// A statement with no user-space trigger is reported as not observable and emits
// nothing: the oracle never fakes a kernel operation.

import type {
  ExpectFolio, ExpectPte, FbdevStmt, MapSpec, PageSpec, Prot, Scenario, Statement, StatementKind,
} from '../language/ast';

export const PAGE_SIZE = 4096;

/** Debian 6.1 (CONFIG_HZ=250): DRM fbdev emulation's deferred-I/O delay is HZ/20 jiffies. */
export const KERNEL_FB_DELAY_MS = 48;
/** pages of /dev/fb0 with `-vga std` (bochs-drmdrmfb, 1280x800x32: smem_len 4096000) */
export const DEFAULT_FB_PAGES = 1000;

/** Limits of the guest side (scripts/oracle/oracle.h, setup.sh's disk, -m 512M). */
export const ORACLE_LIMITS = {
  /** O_MAXP */
  processes: 64,
  /** O_MAXOBJ */
  objects: 32,
  /** a `file` must fit the 64 MiB ext4 disk image, next to the other files */
  filePages: 12_288,
  /** a `shmem` lives in the guest's RAM (tmpfs) */
  shmemPages: 32_768,
  /** pages per pagemap record (one snap() call) */
  snapshotChunk: 1024,
} as const;

export type OracleObjKind = 'file' | 'shmem' | 'fbdev' | 'pfnmap';

export interface OracleObject {
  /** index in the generated C (OBJ[index]); -1 when not realisable */
  index: number;
  name: string;
  kind: OracleObjKind;
  pages: number;
  cold: boolean;
  line: number;
  realisable: boolean;
  reason?: string;
  /** what realises it: a path on the guest, or a description */
  realisedAs?: string;
  /** fbdev: the scenario's `delay` (default 50 ms) and the oracle kernel's own */
  scenarioDelayMs?: number;
  kernelDelayMs?: number;
}

export interface OracleProcess { index: number; name: string; line: number; parent?: string }

export interface OracleMapping {
  /** unique per (process, mmap): a forked child gets its own copies */
  index: number;
  proc: string;
  label: string | null;
  /** object name, or 'anon' */
  obj: string;
  /**
   * What the mapping's pages belong to: the object name; for private anonymous memory
   * `anon#N` (shared by a parent and the children that inherited it), for shared
   * anonymous memory `shmem#N`. Steps touching one key snapshot every mapping with it.
   */
  objKey: string;
  addr: number;
  pages: number;
  pgoff: number;
  shared: boolean;
  prot: Prot;
  line: number;
  realised: boolean;
}

export interface OracleAccess {
  proc: string;
  /** OracleMapping.index, or null when no mapping of the process covers the page */
  mapping: number | null;
  label: string | null;
  /** page index within the mapping (from its original start), or null */
  page: number | null;
  addr: number;
  write: boolean;
}

export interface OracleSnapshot {
  proc: string;
  mapping: number;
  label: string | null;
  /** first page index (within the mapping) and address of this run of pages */
  page: number;
  addr: number;
  pages: number;
}

export type Observability = 'yes' | 'partial' | 'no';

export interface OracleStep {
  /** index in scn.statements; the C step number */
  index: number;
  /** 0-based source line (as in the AST) */
  line: number;
  kind: StatementKind;
  observable: Observability;
  /** why not (or not fully) observable, or how it is realised when that matters */
  reason?: string;
  /** the process the step runs in, 'driver', or null (nothing to run) */
  runsIn: string | null;
  accesses: OracleAccess[];
  snapshots: OracleSnapshot[];
  /** object pages probed (page-cache residency, PFN, kpageflags, mapcount) */
  objPages: { obj: string; index: number }[];
  /**
   * expect folio … mapping/index of an fbdev page: a process's present PTE of that page,
   * read with the mms/vnp probe on (vm_normal_page returns the struct page)
   */
  folioPtes?: { obj: string; index: number; proc: string; addr: number }[];
  /** lines of earlier not-observable statements that changed state this step looks at */
  taintedBy: number[];
  /**
   * object pages whose PG_dirty / PG_writeback differ from the engine's because a `mkclean`
   * was stood in by writeback (the kernel wrote the folio back, the engine keeps it dirty):
   * those two values of those pages are not compared. Active at the step's start.
   */
  dirtyTaint?: { obj: string; index: number; line: number }[];
}

export interface NotObservable {
  index: number;
  line: number;
  kind: StatementKind;
  reason: string;
}

export interface TranslateOptions {
  /** scenario name in the output (a path is fine); default 'scenario' */
  name?: string;
  /** position in a batch: C symbols get the prefix `s<index>_`; default 0 */
  index?: number;
  /** statements the checker rejected: not run (the engine skips them too) */
  invalid?: ReadonlySet<Statement>;
  /** pages of /dev/fb0 on the oracle machine; default DEFAULT_FB_PAGES */
  fbPages?: number;
  /** also read smaps for every snapshot (default true) */
  smaps?: boolean;
  /** most pages recorded after one statement (default 4096); the rest is left out */
  maxSnapshotPages?: number;
  /** false: the kernel runs without the kprobe events (no PTE values, walks, defio) */
  probes?: boolean;
}

export interface OracleTranslation {
  name: string;
  index: number;
  /** C function that runs the scenario (a driver, in a forked process) */
  fn: string;
  /** the scenario's C code: its step function and driver, no main() */
  fragment: string;
  /** a complete program for this scenario alone */
  c: string;
  steps: OracleStep[];
  notObservable: NotObservable[];
  objects: OracleObject[];
  processes: OracleProcess[];
  mappings: OracleMapping[];
  /** the `kernel` statement (default 6.15); the oracle boots Debian's 6.1.192 and the engine is compared at the booted release */
  scenarioKernel: string;
}

// ---------------------------------------------------------------------------- model

interface ProcState {
  info: OracleProcess;
  alive: boolean;
  /** label -> mapping; unlabelled mappings are only in `maps` */
  labels: Map<string, MapState>;
  maps: MapState[];
}

interface MapState {
  m: OracleMapping;
  /** per page: still mapped */
  mapped: boolean[];
}

const hex = (n: number): string => `0x${n.toString(16)}UL`;
const cProt = (p: Prot): string => (p === 'rw' ? 'PROT_READ|PROT_WRITE' : p === 'r' ? 'PROT_READ' : 'PROT_NONE');
const cString = (s: string): string => s.replace(/[^A-Za-z0-9_.\-/:]/g, '_');

const NOT_OBSERVABLE_KINDS: Partial<Record<StatementKind, string>> = {
  mkclean: 'folio_mkclean() on one folio has no user-space trigger except on a dirty file folio (there writeback stands in for it)',
  wrprotect: 'mapping_wrprotect_range() has no user-space trigger (and does not exist in 6.1)',
  pfn_mkclean: 'pfn_mkclean_range() is only reached from fs/dax; no user-space trigger',
  unmap_range: 'unmap_mapping_range() on a chosen range has no user-space trigger',
  expect_oops: 'an oops is only reachable through statements that are not realisable',
};

/** Lines that changed kernel state without a real counterpart (taint sources). */
class Taint {
  private byKey = new Map<string, Set<number>>();
  private byProc = new Map<string, Set<number>>();
  key(k: string, line: number): void { add(this.byKey, k, line); }
  proc(p: string, line: number): void { add(this.byProc, p, line); }
  forKey(k: string): number[] { return [...(this.byKey.get(k) ?? [])]; }
  forProc(p: string): number[] { return [...(this.byProc.get(p) ?? [])]; }
  inheritProc(parent: string, child: string): void {
    for (const l of this.byProc.get(parent) ?? []) this.proc(child, l);
  }
}
function add(m: Map<string, Set<number>>, k: string, v: number): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}

/** Contiguous runs of still-mapped pages in [first, last] of a mapping. */
function mappedRuns(ms: MapState, first = 0, last = ms.m.pages - 1): { page: number; pages: number }[] {
  const runs: { page: number; pages: number }[] = [];
  for (let i = Math.max(0, first); i <= Math.min(last, ms.m.pages - 1); i++) {
    if (!ms.mapped[i]) continue;
    const prev = runs[runs.length - 1];
    if (prev && prev.page + prev.pages === i) prev.pages++;
    else runs.push({ page: i, pages: 1 });
  }
  return runs;
}

export function translateScenario(scn: Scenario, opts: TranslateOptions = {}): OracleTranslation {
  const name = opts.name ?? 'scenario';
  const sIdx = opts.index ?? 0;
  const pre = `s${sIdx}_`;
  const fbPages = opts.fbPages ?? DEFAULT_FB_PAGES;
  const withSmaps = opts.smaps ?? true;
  const maxSnap = opts.maxSnapshotPages ?? 4096;

  const objects: OracleObject[] = [];
  const objByName = new Map<string, OracleObject>();
  const processes: OracleProcess[] = [];
  const procs = new Map<string, ProcState>();
  const mappings: OracleMapping[] = [];
  const live: MapState[] = [];           // every mapping of every live process
  const steps: OracleStep[] = [];
  const notObservable: NotObservable[] = [];
  const taint = new Taint();
  /** OBJ[I] -> line of the mkclean that writeback stood in for (PG_dirty differs until both dirty it again) */
  const dirtyTaint = new Map<string, { obj: string; index: number; line: number }>();
  let anonSeq = 0;
  let scenarioKernel = '6.15';

  // ---- objects first: the driver creates them all before any process exists
  let cObjIdx = 0;
  let haveFb = false;
  for (const st of scn.statements) {
    if (opts.invalid?.has(st)) continue;
    if (st.kind !== 'file' && st.kind !== 'shmem' && st.kind !== 'fbdev' && st.kind !== 'pfnmap') continue;
    if (objByName.has(st.name.name)) continue;
    const o: OracleObject = {
      index: -1, name: st.name.name, kind: st.kind, pages: st.pages.value,
      cold: st.kind === 'file' && st.cold, line: st.range.start.line, realisable: true,
    };
    if (st.kind === 'pfnmap') {
      o.realisable = false;
      o.reason = 'no device in the guest maps raw PFNs with vmf_insert_pfn (not observable on a real kernel)';
    } else if (st.kind === 'fbdev') {
      const fb = st as FbdevStmt;
      o.scenarioDelayMs = fb.delay?.ms ?? 50;
      o.kernelDelayMs = KERNEL_FB_DELAY_MS;
      if (fb.backing !== 'vmalloc') {
        o.realisable = false;
        o.reason = `fbdev backing ${fb.backing} is not observable on a real kernel (only the DRM shadow buffer, backing vmalloc, exists)`;
      } else if (haveFb) {
        o.realisable = false;
        o.reason = 'the guest has a single /dev/fb0: a second fbdev is not observable on a real kernel';
      } else if (o.pages > fbPages) {
        o.realisable = false;
        o.reason = `/dev/fb0 has ${fbPages} pages, the scenario's fbdev ${o.pages}`;
      } else {
        haveFb = true;
        o.realisedAs = '/dev/fb0 (bochs-drm fbdev emulation, deferred I/O on a vmalloc shadow buffer)';
      }
    } else if (cObjIdx >= ORACLE_LIMITS.objects) {
      o.realisable = false;
      o.reason = `the oracle handles at most ${ORACLE_LIMITS.objects} objects per scenario`;
    } else if (st.kind === 'file' && o.pages > ORACLE_LIMITS.filePages) {
      o.realisable = false;
      o.reason = `a file of ${o.pages} pages does not fit the oracle's disk (at most ${ORACLE_LIMITS.filePages})`;
    } else if (st.kind === 'shmem' && o.pages > ORACLE_LIMITS.shmemPages) {
      o.realisable = false;
      o.reason = `a shmem object of ${o.pages} pages does not fit the guest's memory (at most ${ORACLE_LIMITS.shmemPages})`;
    } else if (st.kind === 'file') {
      o.realisedAs = `/mnt/mms${sIdx}-${cString(o.name)} (ext4 on virtio-blk)${o.cold ? ', dropped from the page cache' : ', written and fsynced'}`;
    } else {
      o.realisedAs = `/tmp/mms${sIdx}-${cString(o.name)} (tmpfs)`;
    }
    if (o.realisable) o.index = cObjIdx++;
    objects.push(o);
    objByName.set(o.name, o);
  }
  // processes: every `process` and every `fork ... as CHILD`, in order
  for (const st of scn.statements) {
    if (opts.invalid?.has(st)) continue;
    const n = st.kind === 'process' ? st.name.name : st.kind === 'fork' ? st.child.name : null;
    if (n === null || processes.some(p => p.name === n)) continue;
    if (processes.length >= ORACLE_LIMITS.processes) continue;
    processes.push({ index: processes.length, name: n, line: st.range.start.line, parent: st.kind === 'fork' ? st.parent.name : undefined });
  }
  const procIndex = (n: string): number => processes.findIndex(p => p.name === n);

  // ---- helpers over the model
  const liveProc = (n: string): ProcState | undefined => {
    const p = procs.get(n);
    return p && p.alive ? p : undefined;
  };
  const mapsOfKeys = (keys: Set<string>): MapState[] =>
    live.filter(ms => keys.has(ms.m.objKey) && ms.m.realised && procs.get(ms.m.proc)?.alive);
  const snapshotsOf = (list: MapState[]): OracleSnapshot[] => {
    const out: OracleSnapshot[] = [];
    for (const ms of list) {
      for (const r of mappedRuns(ms)) {
        out.push({ proc: ms.m.proc, mapping: ms.m.index, label: ms.m.label, page: r.page, addr: ms.m.addr + r.page * PAGE_SIZE, pages: r.pages });
      }
    }
    return out;
  };
  /** the mapping of process p that covers address a (still mapped), with the page index */
  const mappingAt = (p: ProcState, a: number): { ms: MapState; page: number } | undefined => {
    for (const ms of p.maps) {
      const i = Math.floor((a - ms.m.addr) / PAGE_SIZE);
      if (a >= ms.m.addr && i < ms.m.pages && ms.mapped[i]) return { ms, page: i };
    }
    return undefined;
  };
  /** resolve a page spec of an access or `expect pte` in process p */
  const resolvePages = (p: ProcState, spec: PageSpec): { pages: { addr: number; ms?: MapState; page: number | null }[]; error?: string } => {
    if (spec.kind === 'addr') {
      const a = Math.floor(spec.addr.value / PAGE_SIZE) * PAGE_SIZE;
      const hit = mappingAt(p, a);
      return { pages: [{ addr: a, ms: hit?.ms, page: hit?.page ?? null }] };
    }
    const ms = p.labels.get(spec.target.name);
    if (!ms) return { pages: [], error: `no mapping labelled ${spec.target.name} in ${p.info.name}` };
    const first = spec.first.value, last = spec.last?.value ?? first;
    const pages = [];
    for (let i = first; i <= last; i++) pages.push({ addr: ms.m.addr + i * PAGE_SIZE, ms, page: i });
    return { pages };
  };
  /** runs of (mapping, pages) covered by a munmap/mprotect spec */
  const resolveMapSpec = (p: ProcState, spec: MapSpec): { ms?: MapState; first: number; last: number; addr: number; pages: number }[] => {
    if (spec.kind === 'label') {
      const ms = p.labels.get(spec.label.name);
      if (!ms) return [];
      const first = spec.first?.value ?? 0, last = spec.last?.value ?? spec.first?.value ?? ms.m.pages - 1;
      return mappedRuns(ms, first, last).map(r => ({ ms, first: r.page, last: r.page + r.pages - 1, addr: ms.m.addr + r.page * PAGE_SIZE, pages: r.pages }));
    }
    return [{ first: -1, last: -1, addr: Math.floor(spec.addr.value / PAGE_SIZE) * PAGE_SIZE, pages: spec.pages.value }];
  };
  /** mappings of p hit by [addr, addr+pages) */
  const mapsInRange = (p: ProcState, addr: number, pages: number): { ms: MapState; first: number; last: number }[] => {
    const out = [];
    for (const ms of p.maps) {
      const lo = Math.max(addr, ms.m.addr), hi = Math.min(addr + pages * PAGE_SIZE, ms.m.addr + ms.m.pages * PAGE_SIZE);
      if (lo < hi) out.push({ ms, first: (lo - ms.m.addr) / PAGE_SIZE, last: (hi - ms.m.addr) / PAGE_SIZE - 1 });
    }
    return out;
  };
  const addMapping = (p: ProcState, m: Omit<OracleMapping, 'index'>): MapState => {
    const mm: OracleMapping = { ...m, index: mappings.length };
    mappings.push(mm);
    const ms: MapState = { m: mm, mapped: new Array(mm.pages).fill(true) };
    p.maps.push(ms);
    if (mm.label) p.labels.set(mm.label, ms);
    live.push(ms);
    return ms;
  };
  const dropEmpty = (p: ProcState): void => {
    p.maps = p.maps.filter(ms => ms.mapped.some(Boolean));
    for (const [l, ms] of p.labels) if (!ms.mapped.some(Boolean)) p.labels.delete(l);
    for (let i = live.length - 1; i >= 0; i--) if (!live[i].mapped.some(Boolean)) live.splice(i, 1);
  };

  // ---- C emission
  const stepCases: string[] = [];      // code that runs inside a process
  const driver: string[] = [];         // straight-line driver code
  const obj = (n: string): OracleObject | undefined => objByName.get(n);

  scn.statements.forEach((st, k) => {
    const line = st.range.start.line;
    const step: OracleStep = {
      index: k, line, kind: st.kind, observable: 'yes', runsIn: null,
      accesses: [], snapshots: [], objPages: [], taintedBy: [],
    };
    steps.push(step);
    const no = (reason: string): void => {
      step.observable = 'no';
      step.reason = reason;
      notObservable.push({ index: k, line, kind: st.kind, reason });
    };
    const partly = (reason: string): void => {
      if (step.observable === 'yes') step.observable = 'partial';
      step.reason = step.reason ? `${step.reason}; ${reason}` : reason;
    };
    const cmt = `/* L${line + 1} ${st.kind} */`;
    if (opts.invalid?.has(st)) { no('rejected by the checker: not run'); return; }
    if (dirtyTaint.size) step.dirtyTaint = [...dirtyTaint.values()];
    const fixed = NOT_OBSERVABLE_KINDS[st.kind];
    const touch = (keys: Set<string>): void => { step.snapshots.push(...snapshotsOf(mapsOfKeys(keys))); };
    const inProc = (pname: string, code: string): boolean => {
      const p = liveProc(pname);
      if (!p) { no(`process ${pname} does not exist (or has exited)`); return false; }
      step.runsIn = pname;
      stepCases.push(`  case ${k}: ${cmt} ${code} break;`);
      driver.push(`  o_step(${k}, ${line}); o_run(${k}, ${procIndex(pname)});`);
      return true;
    };

    switch (st.kind) {
      case 'kernel':
        scenarioKernel = st.version.text;
        partly(`the scenario asks for ${st.version.text}; the engine is compared at the release the oracle boots`);
        return;
      case 'sysctl':
        if (st.knob.name !== 'fault_around_bytes') { no(`sysctl ${st.knob.name} has no debugfs/sysctl counterpart`); return; }
        step.runsIn = 'driver';
        driver.push(`  o_step(${k}, ${line}); o_set_fab(${k}, ${st.value.value}L); ${cmt}`);
        return;
      case 'file': case 'shmem': case 'fbdev': case 'pfnmap': {
        const o = obj(st.name.name);
        if (!o || !o.realisable) { no(o?.reason ?? 'not realisable'); return; }
        if (o.kind === 'fbdev' && o.scenarioDelayMs !== o.kernelDelayMs) {
          partly(`deferred-I/O delay: the scenario says ${o.scenarioDelayMs} ms, the kernel uses its own ${o.kernelDelayMs} ms (HZ/20 at HZ=250)`);
        }
        if (o.kind === 'fbdev' && (st as FbdevStmt).sorted) partly('`sorted` (sort_pagereflist) is the driver\'s choice: bochs does not sort');
        return;
      }
      case 'process': {
        const info = processes[procIndex(st.name.name)];
        if (!info) { no(`the oracle handles at most ${ORACLE_LIMITS.processes} processes per scenario`); return; }
        procs.set(info.name, { info, alive: true, labels: new Map(), maps: [] });
        step.runsIn = 'driver';
        driver.push(`  o_step(${k}, ${line}); o_spawn(${k}, ${info.index}); o_faults_line(${k}); ${cmt}`);
        return;
      }
      case 'fork': {
        const parent = liveProc(st.parent.name);
        if (!parent) { no(`process ${st.parent.name} does not exist (or has exited)`); return; }
        const info = processes[procIndex(st.child.name)];
        if (!info) { no(`the oracle handles at most ${ORACLE_LIMITS.processes} processes per scenario`); return; }
        const child: ProcState = { info, alive: true, labels: new Map(), maps: [] };
        procs.set(info.name, child);
        taint.inheritProc(parent.info.name, info.name);
        for (const ms of parent.maps) {
          const c = addMapping(child, { ...ms.m, proc: info.name });
          c.mapped = [...ms.mapped];
        }
        step.runsIn = parent.info.name;
        stepCases.push(`  case ${k}: ${cmt} o_fork(${k}, ${info.index}); break;`);
        driver.push(`  o_step(${k}, ${line}); o_run_fork(${k}, ${parent.info.index}, ${info.index});`);
        step.snapshots.push(...snapshotsOf([...parent.maps, ...child.maps].filter(ms => ms.m.realised)));
        break;
      }
      case 'exit': {
        const p = liveProc(st.proc.name);
        if (!p) { no(`process ${st.proc.name} does not exist (or has exited)`); return; }
        step.runsIn = p.info.name;
        stepCases.push(`  case ${k}: ${cmt} o_exit(${k}); break;`);
        driver.push(`  o_step(${k}, ${line}); o_run_exit(${k}, ${p.info.index});`);
        const keys = new Set(p.maps.map(ms => ms.m.objKey));
        p.alive = false;
        for (const ms of p.maps) ms.mapped.fill(false);
        dropEmpty(p);
        touch(keys);
        break;
      }
      case 'mmap': {
        const p = liveProc(st.proc.name);
        if (!p) { no(`process ${st.proc.name} does not exist (or has exited)`); return; }
        const isAnon = st.obj.name === 'anon';
        const o = isAnon ? undefined : obj(st.obj.name);
        if (!isAnon && !o) { no(`no object ${st.obj.name}`); return; }
        const addr = st.addr.value, pages = st.pages.value, off = st.offset?.value ?? 0;
        const objKey = isAnon ? (st.shared ? `shmem#${anonSeq++}` : `anon#${anonSeq++}`) : o!.name;
        const realised = isAnon || o!.realisable;
        const overlaps = mapsInRange(p, addr, pages).length > 0;
        const label = st.label?.name ?? null;
        if (!realised) {
          no(`${o!.name}: ${o!.reason}`);
          if (!overlaps) addMapping(p, { proc: p.info.name, label, obj: st.obj.name, objKey, addr, pages, pgoff: off, shared: st.shared, prot: st.prot, line, realised: false });
          return;
        }
        const flags = `${st.shared ? 'MAP_SHARED' : 'MAP_PRIVATE'}${isAnon ? '|MAP_ANONYMOUS' : ''}`;
        const fd = isAnon ? '-1' : `OBJ[${o!.index}].fd`;
        if (!inProc(p.info.name, `o_mmap(${k}, ${hex(addr)}, ${hex(pages * PAGE_SIZE)}, ${cProt(st.prot)}, ${flags}, ${fd}, ${hex(isAnon ? 0 : off * PAGE_SIZE)});`)) return;
        if (overlaps) { partly('overlaps a mapping of the process: the kernel refuses it (EEXIST with MAP_FIXED_NOREPLACE)'); break; }
        const ms = addMapping(p, { proc: p.info.name, label, obj: st.obj.name, objKey, addr, pages, pgoff: isAnon ? (st.shared ? 0 : addr / PAGE_SIZE) : off, shared: st.shared, prot: st.prot, line, realised: true });
        step.snapshots.push(...snapshotsOf([ms]));
        break;
      }
      case 'munmap': case 'mprotect': {
        const p = liveProc(st.proc.name);
        if (!p) { no(`process ${st.proc.name} does not exist (or has exited)`); return; }
        const runs = resolveMapSpec(p, st.spec);
        if (runs.length === 0) { no(st.spec.kind === 'label' ? `no mapping labelled ${st.spec.label.name} in ${p.info.name}` : 'nothing to do'); return; }
        const hit = runs.flatMap(r => (r.ms ? [{ ms: r.ms, first: r.first, last: r.last }] : mapsInRange(p, r.addr, r.pages)));
        if (hit.some(h => !h.ms.m.realised)) {
          no('covers a mapping of an object that is not realisable');
          return;
        }
        const code = runs.map(r => (st.kind === 'munmap'
          ? `o_munmap(${k}, ${hex(r.addr)}, ${hex(r.pages * PAGE_SIZE)});`
          : `o_mprotect(${k}, ${hex(r.addr)}, ${hex(r.pages * PAGE_SIZE)}, ${cProt((st as { prot: Prot }).prot)});`)).join(' ');
        if (!inProc(p.info.name, code)) return;
        const keys = new Set(hit.map(h => h.ms.m.objKey));
        if (st.kind === 'munmap') {
          for (const h of hit) for (let i = h.first; i <= h.last; i++) h.ms.mapped[i] = false;
          dropEmpty(p);
          touch(keys);
        } else {
          step.snapshots.push(...snapshotsOf([...new Set(hit.map(h => h.ms))]));
        }
        break;
      }
      case 'read': case 'write': {
        const p = liveProc(st.proc.name);
        if (!p) { no(`process ${st.proc.name} does not exist (or has exited)`); return; }
        const r = resolvePages(p, st.pages);
        if (r.error) { no(r.error); return; }
        const unreal = r.pages.filter(pg => pg.ms && !pg.ms.m.realised);
        if (unreal.length === r.pages.length) {
          no(`the mapping's object ${unreal[0].ms!.m.obj} is not realisable`);
          taint.proc(p.info.name, line);
          return;
        }
        if (unreal.length) {
          partly(`pages of an unrealisable object are skipped`);
          taint.proc(p.info.name, line);
        }
        const acc = r.pages.filter(pg => !pg.ms || pg.ms.m.realised);
        const code = acc.map(pg => `o_acc(${k}, ${hex(pg.addr)}, ${st.kind === 'write' ? 1 : 0}, ${pg.page ?? -1});`).join(' ');
        if (!inProc(p.info.name, code)) return;
        for (const pg of acc) {
          step.accesses.push({ proc: p.info.name, mapping: pg.ms?.m.index ?? null, label: pg.ms?.m.label ?? null, page: pg.page, addr: pg.addr, write: st.kind === 'write' });
          // a store through a shared mapping dirties the folio on both sides (page_mkwrite)
          if (st.kind === 'write' && pg.ms?.m.shared && pg.page !== null) dirtyTaint.delete(`${pg.ms.m.obj}[${pg.ms.m.pgoff + pg.page}]`);
        }
        touch(new Set(acc.filter(pg => pg.ms).map(pg => pg.ms!.m.objKey)));
        break;
      }
      case 'writeback': case 'flush': {
        const o = obj(st.obj.name);
        if (!o) { no(`no object ${st.obj.name}`); return; }
        if (!o.realisable) { no(`${o.name}: ${o.reason}`); return; }
        step.runsIn = 'driver';
        if (st.kind === 'flush') {
          if (o.kind !== 'fbdev') { no('flush applies to an fbdev'); return; }
          step.reason = 'fsync(/dev/fb0): fb_deferred_io_fsync runs the deferred work now';
          driver.push(`  o_step(${k}, ${line}); o_fsync(${k}, ${o.index}, 5); ${cmt}`);
        } else if (st.first && o.kind === 'file') {
          const last = st.last?.value ?? st.first.value;
          step.reason = 'sync_file_range(WAIT_BEFORE|WRITE|WAIT_AFTER) over the range';
          driver.push(`  o_step(${k}, ${line}); o_sync_range(${k}, ${o.index}, ${st.first.value}L, ${last}L); ${cmt}`);
        } else {
          step.reason = o.kind === 'fbdev' ? 'fsync(/dev/fb0): runs the deferred work now' : 'fsync(fd)';
          if (st.first) partly('a range on a non-file object: the whole object is synced');
          driver.push(`  o_step(${k}, ${line}); o_fsync(${k}, ${o.index}, ${o.kind === 'fbdev' ? 5 : 0}); ${cmt}`);
        }
        touch(new Set([o.name]));
        break;
      }
      case 'msync': {
        const p = liveProc(st.proc.name);
        if (!p) { no(`process ${st.proc.name} does not exist (or has exited)`); return; }
        const ms = p.labels.get(st.label.name);
        if (!ms) { no(`no mapping labelled ${st.label.name} in ${p.info.name}`); return; }
        if (!ms.m.realised) { no(`the mapping's object ${ms.m.obj} is not realisable`); return; }
        const code = mappedRuns(ms).map(r => `o_msync(${k}, ${hex(ms.m.addr + r.page * PAGE_SIZE)}, ${hex(r.pages * PAGE_SIZE)});`).join(' ');
        if (!inProc(p.info.name, code)) return;
        touch(new Set([ms.m.objKey]));
        break;
      }
      case 'clear_refs': {
        const p = liveProc(st.proc.name);
        if (!p) { no(`process ${st.proc.name} does not exist (or has exited)`); return; }
        if (st.mode.name !== 'softdirty') { no(`clear_refs ${st.mode.name} is not supported`); return; }
        if (!inProc(p.info.name, 'o_clear_refs(' + k + ', "4");')) return;
        step.snapshots.push(...snapshotsOf(p.maps.filter(ms => ms.m.realised)));
        break;
      }
      case 'wait': {
        step.runsIn = 'driver';
        const fb = objects.find(o => o.kind === 'fbdev' && o.realisable);
        if (fb) partly(`sleeps ${st.duration.ms} ms of real time; deferred work fires ${fb.kernelDelayMs} ms after the first write of a cycle (scenario: ${fb.scenarioDelayMs} ms)`);
        driver.push(`  o_step(${k}, ${line}); o_sleep(${k}, ${st.duration.ms}L); ${cmt}`);
        touch(new Set(objects.filter(o => o.kind === 'fbdev' && o.realisable).map(o => o.name)));
        break;
      }
      case 'expect_pte': {
        const e = st as ExpectPte;
        const p = liveProc(e.proc.name);
        if (!p) { no(`process ${e.proc.name} does not exist (or has exited)`); return; }
        const r = resolvePages(p, e.pages);
        if (r.error) { no(r.error); return; }
        if (r.pages.some(pg => pg.ms && !pg.ms.m.realised)) { no('the mapping\'s object is not realisable'); return; }
        const unobs = e.flags.filter(f => !pteFlagObservable(f.kind, opts.probes)).map(f => (f.negated ? '!' : '') + f.kind);
        if (unobs.length === e.flags.length) { no(`not visible from user space: ${unobs.join(' ')}`); return; }
        if (unobs.length) partly(`not visible from user space: ${unobs.join(' ')}`);
        // snapshot exactly the expected pages, grouped in runs per mapping
        for (const pg of r.pages) {
          const prev = step.snapshots[step.snapshots.length - 1];
          const mi = pg.ms?.m.index ?? -1;
          if (prev && prev.mapping === mi && prev.addr + prev.pages * PAGE_SIZE === pg.addr) { prev.pages++; continue; }
          step.snapshots.push({ proc: p.info.name, mapping: mi, label: pg.ms?.m.label ?? null, page: pg.page ?? 0, addr: pg.addr, pages: 1 });
        }
        for (const f of e.flags) {
          if (f.kind === 'maps' && typeof f.target === 'object') {
            const o = obj(f.target.obj.name);
            if (!o || !o.realisable) partly(`maps ${f.target.obj.name}[${f.target.index.value}]: not realisable`);
            else step.objPages.push({ obj: o.name, index: f.target.index.value });
          }
        }
        step.runsIn = 'driver';
        break;
      }
      case 'expect_folio': {
        const e = st as ExpectFolio;
        if (e.page.kind !== 'named') { no('expect folio needs OBJ[I]'); return; }
        const o = obj(e.page.target.name);
        if (!o) { no(`no object ${e.page.target.name}`); return; }
        if (!o.realisable) { no(`${o.name}: ${o.reason}`); return; }
        const unobs = e.flags.filter(f => !folioFlagObservable(f.kind, o.kind, opts.probes)).map(f => (f.negated ? '!' : '') + f.kind);
        if (unobs.length === e.flags.length) { no(`not visible from user space: ${unobs.join(' ')}`); return; }
        if (unobs.length) partly(`not visible from user space: ${unobs.join(' ')}`);
        const first = e.page.first.value, last = e.page.last?.value ?? first;
        const fields = e.flags.filter(f => f.kind === 'mapping' || f.kind === 'index');
        // the driver's own probe mapping of an fb page would fault it in (and, up to 6.14, set
        // page->mapping): only when a flag needs it
        if (e.flags.some(f => f.kind !== 'mapping' && f.kind !== 'index')) for (let i = first; i <= last; i++) step.objPages.push({ obj: o.name, index: i });
        if (fields.length && o.kind === 'fbdev' && opts.probes !== false) {
          step.folioPtes = [];
          for (let i = first; i <= last; i++) {
            for (const ms of live) {
              const at = i - ms.m.pgoff;
              if (ms.m.objKey !== o.name || !ms.m.realised || at < 0 || at >= ms.m.pages || !ms.mapped[at] || !procs.get(ms.m.proc)?.alive) continue;
              const addr = ms.m.addr + at * PAGE_SIZE;
              step.folioPtes.push({ obj: o.name, index: i, proc: ms.m.proc, addr });
              step.snapshots.push({ proc: ms.m.proc, mapping: ms.m.index, label: ms.m.label, page: at, addr, pages: 1 });
            }
          }
        }
        step.runsIn = 'driver';
        break;
      }
      case 'expect_result': case 'expect_walk': case 'expect_defio_pending': case 'expect_defio_written': {
        // answered from the kprobe trace (kprobes.ts): the step only marks its place in it
        step.runsIn = 'driver';
        driver.push(`  o_step(${k}, ${line}); ${cmt}`);
        return;
      }
      case 'expect_faults': case 'expect_signal': {
        const p = liveProc(st.proc.name);
        if (!p) { no(`process ${st.proc.name} does not exist (or has exited)`); return; }
        step.taintedBy = taint.forProc(p.info.name);
        return;   // answered from the fault counts and signals already recorded
      }
      case 'mkclean': {
        // the engine's folio_mkclean(folio) with the folio locked. On a real kernel the same
        // call, on the same folio, is made by folio_clear_dirty_for_io() when writeback
        // meets that folio dirty: sync_file_range(WRITE) over that one page. The kprobes
        // show the walk and its result; the kernel then also writes the folio back.
        const o = st.page.kind === 'named' ? obj(st.page.target.name) : undefined;
        if (o && o.kind === 'file' && o.realisable && opts.probes !== false && st.page.kind === 'named') {
          const i = st.page.first.value;
          step.runsIn = 'driver';
          partly('stood in by sync_file_range(WRITE) over that page: folio_clear_dirty_for_io() calls folio_mkclean() on the folio if it is dirty, then writes it back (the engine keeps PG_dirty)');
          driver.push(`  o_step(${k}, ${line}); o_sync_range(${k}, ${o.index}, ${i}L, ${i}L); ${cmt}`);
          dirtyTaint.set(`${o.name}[${i}]`, { obj: o.name, index: i, line });
          step.dirtyTaint = [...dirtyTaint.values()];
          touch(new Set([o.name]));
          break;
        }
        if (fixed) {
          no(fixed);
          if (o) {
            taint.key(o.name, line);
            for (const ms of live) if (ms.m.objKey === o.name) taint.proc(ms.m.proc, line);
          }
        }
        return;
      }
      default: {
        if (fixed) {
          no(fixed);
          // the kernel state the engine changed here now differs from the real one
          const targetObj = 'pages' in st && st.pages.kind === 'named' ? st.pages.target.name : null;
          if (targetObj) {
            taint.key(targetObj, line);
            for (const ms of live) if (ms.m.objKey === targetObj) taint.proc(ms.m.proc, line);
          }
          if (st.kind === 'pfn_mkclean') taint.proc(st.proc.name, line);
          return;
        }
        no('unknown statement');
        return;
      }
    }

    // observations after the step: in chunks, at most maxSnap pages
    const chunks: OracleSnapshot[] = [];
    let total = 0;
    for (const sn of step.snapshots) {
      for (let i = 0; i < sn.pages && total < maxSnap; i += ORACLE_LIMITS.snapshotChunk) {
        const n = Math.min(ORACLE_LIMITS.snapshotChunk, sn.pages - i, maxSnap - total);
        chunks.push({ ...sn, page: sn.page + i, addr: sn.addr + i * PAGE_SIZE, pages: n });
        total += n;
      }
    }
    const wanted = step.snapshots.reduce((n, sn) => n + sn.pages, 0);
    if (wanted > total) partly(`${wanted - total} of ${wanted} pages are not recorded (maxSnapshotPages ${maxSnap})`);
    step.snapshots = chunks;
    const tainted = new Set<number>();
    for (const s of step.snapshots) {
      const m = mappings[s.mapping];
      if (m) for (const l of taint.forKey(m.objKey)) tainted.add(l);
      for (const l of taint.forProc(s.proc)) tainted.add(l);
    }
    for (const a of step.accesses) for (const l of taint.forProc(a.proc)) tainted.add(l);
    for (const op of step.objPages) for (const l of taint.forKey(op.obj)) tainted.add(l);
    step.taintedBy = [...tainted].sort((a, b) => a - b);
    const obs: string[] = [];
    for (const s of step.snapshots) {
      const pi = procIndex(s.proc);
      // expect pte: the PTE values themselves come from the mms/vnp kprobe during this read
      const vnp = opts.probes !== false && (step.kind === 'expect_pte' || !!step.folioPtes?.length);
      obs.push(`${vnp ? 'o_vnp(1); ' : ''}snap(${k}, ${pi}, ${hex(s.addr)}, ${s.pages}, ${s.mapping});${vnp ? ' o_vnp(0);' : ''}`);
      if (withSmaps && s.mapping >= 0) obs.push(`smaps(${k}, ${pi}, ${hex(s.addr)}, ${s.pages}, ${s.mapping});`);
    }
    for (const op of step.objPages) obs.push(`objpage(${k}, ${objByName.get(op.obj)!.index}, ${op.index}L);`);
    if (step.kind === 'expect_pte' || step.kind === 'expect_folio') driver.push(`  o_step(${k}, ${line}); ${cmt}`);
    if (obs.length) driver.push(`    ${obs.join(' ')}`);
    if (step.runsIn && step.runsIn !== 'driver' && st.kind !== 'fork') driver.push(`    o_faults_line(${k});`);
    if (st.kind === 'fork') driver.push(`    o_faults_line(${k});`);
  });

  // ---- assemble
  const fn = `${pre}run`;
  const objInit = objects.filter(o => o.realisable).map(o => {
    if (o.kind === 'file') return `  obj_file(${o.index}, "${cString(o.name)}", ${o.pages}L, ${o.cold ? 1 : 0});`;
    if (o.kind === 'shmem') return `  obj_shmem(${o.index}, "${cString(o.name)}", ${o.pages}L);`;
    return `  obj_fb(${o.index}, ${o.pages}L);`;
  });
  const fragment = [
    `/* ---- scenario ${sIdx}: ${cString(name)} (${steps.length} statements) */`,
    `static void ${pre}step(int k)`,
    '{',
    '  switch (k) {',
    ...stepCases,
    '  default: break;',
    '  }',
    '}',
    `static void ${fn}(void)`,
    '{',
    `  o_steps = ${pre}step;`,
    `  o_scenario_begin(${sIdx}, "${cString(name)}", ${processes.length});`,
    ...objInit,
    ...driver,
    `  o_scenario_end(${sIdx});`,
    '}',
    '',
  ].join('\n');

  const t: OracleTranslation = {
    name, index: sIdx, fn, fragment, c: '', steps, notObservable, objects, processes, mappings, scenarioKernel,
  };
  t.c = buildProgram([t]);
  return t;
}

/** One program that runs the given scenarios one after another (argv selects a subset by index). */
export function buildProgram(ts: readonly OracleTranslation[]): string {
  const seen = new Set<number>();
  for (const t of ts) {
    if (seen.has(t.index)) throw new Error(`buildProgram: two scenarios with index ${t.index}`);
    seen.add(t.index);
  }
  return [
    '/* generated by mmscope src/oracle/translate.ts: do not edit */',
    '#include "oracle.h"',
    '',
    ...ts.map(t => t.fragment),
    `static o_scenario_fn o_fns[] = { ${ts.map(t => t.fn).join(', ')}${ts.length ? '' : '0'} };`,
    `static const char *const o_names[] = { ${ts.map(t => `"${cString(t.name)}"`).join(', ')}${ts.length ? '' : '0'} };`,
    `int main(int argc, char **argv) { return o_main(argc, argv, o_fns, o_names, ${ts.length}); }`,
    '',
  ].join('\n');
}

/**
 * PTE flags the oracle can see: pagemap + the zero page's PFN + kpageflags, and with the
 * kprobe events the PTE value itself (write, dirty, young: mms/vnp in a pagemap read).
 */
export function pteFlagObservable(kind: string, probes = true): boolean {
  if (probes && (kind === 'write' || kind === 'dirty' || kind === 'young')) return true;
  return kind === 'none' || kind === 'present' || kind === 'softdirty' || kind === 'special' || kind === 'maps';
}
/**
 * Folio flags the oracle can see: mincore, kpageflags, kpagecount; with the kprobe events
 * also an fbdev page's own mapping and index fields (through a process's PTE of it).
 */
export function folioFlagObservable(kind: string, obj: OracleObjKind, probes = true): boolean {
  if (kind === 'cached') return obj !== 'fbdev';
  if (kind === 'mapping' || kind === 'index') return probes && obj === 'fbdev';
  return kind === 'dirty' || kind === 'writeback' || kind === 'mapcount';
}
