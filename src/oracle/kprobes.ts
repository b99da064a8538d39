// The kprobe trace of a scenario (docs/real-kernel.md, "Observing the kernel from inside").
//
// /init registers the tracefs kprobe events that src/oracle/guest/gen-probes.sh wrote from
// the kernel's own BTF (group `mms`); /oracle marks every step in the trace
// ("mms st STEP") and copies the trace to the console as "ORACLE-K <line>". This file
// turns those lines into what the comparison needs, per step: the rmap walks of
// folio_mkclean (VMAs visited in order, VMAs invalid_mkclean_vma skipped, PTEs
// cleaned, result) and of reclaim and migration (folio_referenced, try_to_unmap,
// try_to_migrate, remove_migration_ptes: VMAs visited, VMAs their invalid_vma skipped), the folios writeback wrote, fb_defio's faults / page_mkwrite /
// deferred work, and the PTE values (and struct pages) a pagemap read looked at.
// Pure: no I/O.

/** One trace event. `ms` is guest CLOCK_MONOTONIC time since the scenario started. */
export interface KEvent {
  task: string;
  pid: number;
  ms: number;
  ev: string;
  f: Record<string, string>;
  /** tracing_mark_write: the marker text */
  marker?: string;
}

// "  task-PID  [CPU] FLAGS  TS: EVENT: (probe site) k=v ..."; FLAGS may be absent
const LINE = /^\s*(.+)-(\d+)\s+\[\d+\]\s+(?:[^\s[]{4,6}\s+)?(\d+\.\d+):\s+(\w+):\s?(.*)$/;

/** Parse one trace_pipe line (clock mono; t0S = the scenario's start, CLOCK_MONOTONIC s). */
export function parseTraceLine(line: string, t0S: number): KEvent | null {
  const m = LINE.exec(line.replace(/\r/g, ''));
  if (!m) return null;
  const [, task, pid, ts, ev, restRaw] = m;
  const e: KEvent = { task: task.trim(), pid: Number(pid), ms: (Number(ts) - t0S) * 1000, ev, f: {} };
  if (ev === 'tracing_mark_write') { e.marker = restRaw.trim(); return e; }
  const rest = restRaw.replace(/^\([^)]*\)\s*/, '');
  for (const kv of rest.matchAll(/(\w+)=("[^"]*"|\S+)/g)) e.f[kv[1]] = kv[2].replace(/^"|"$/g, '');
  return e;
}

export interface KVisit {
  /** tgid of the VMA's mm owner */
  owner: number;
  start: number;
  pgoff: number;
  skipped: boolean;
  /** PTEs page_vma_mkclean_one cleared in this VMA (ptep_clear_flush) */
  cleaned: number;
}

/** The walks of reclaim (shrink_folio_list) and migration (migrate_pages, split_folio). */
export const RECLAIM_MIGRATE_APIS = ['folio_referenced', 'try_to_unmap', 'try_to_migrate', 'remove_migration_ptes'] as const;
export type ReclaimMigrateApi = typeof RECLAIM_MIGRATE_APIS[number];

export interface KWalk {
  /** folio_mkclean; mapping_wrprotect_range from 6.15 (the series kernel): fb_defio's work;
   * the walks of reclaim and migration */
  api: 'folio_mkclean' | 'mapping_wrprotect_range' | ReclaimMigrateApi;
  /** the folio's index; for mapping_wrprotect_range its pgoff argument */
  idx: number;
  mapping: string;
  ms: number;
  /** run by fb_deferred_io_work (a kworker), not by a scenario task */
  byWork: boolean;
  visits: KVisit[];
  /** folio_mkclean's (folio_referenced's) return value (null: the return was not seen;
   * the other walks return nothing) */
  ret: number | null;
  /** the struct folio walked (reclaim and migration walks; remove_migration_ptes: dst) */
  folio?: string;
}

export interface KWorkRun { startMs: number; endMs: number | null; pages: number[] }

export interface KPte {
  owner: number;
  addr: number;
  pte: bigint;
  /** vm_normal_page's result: the struct page and its mapping / index fields (null: no page) */
  page: string | null;
  mapping: string | null;
  index: number | null;
}

export interface KStep {
  walks: KWalk[];
  /** folio_clear_dirty_for_io() calls that returned true (the folio is written) */
  written: number;
  workRuns: KWorkRun[];
  /** fb_deferred_io_mkwrite: the page is tracked (pgoff), by a scenario process */
  mkwrites: { pgoff: number; ms: number }[];
  /** fb_deferred_io_fault: the fb's f_mapping (for `expect folio … mapping`) */
  faults: { pgoff: number; ms: number; fmapping: string }[];
  ptes: KPte[];
}

export interface KTrace {
  steps: Map<number, KStep>;
  /** events of the scenario's tasks that were recorded at all */
  events: number;
}

/**
 * The events of the reclaim / migration walks (gen-probes.sh): `begin` at the walk's entry
 * (folio, index, mapping), `end` at its return, `inv` / `invret` around its invalid_vma,
 * `one` at each rmap_one call (a VMA visited).
 */
const RM_EVENTS: Record<string, { api: ReclaimMigrateApi; role: 'begin' | 'end' | 'inv' | 'invret' | 'one' }> = {
  fref: { api: 'folio_referenced', role: 'begin' }, frefret: { api: 'folio_referenced', role: 'end' },
  frefinv: { api: 'folio_referenced', role: 'inv' }, frefinvret: { api: 'folio_referenced', role: 'invret' },
  frefone: { api: 'folio_referenced', role: 'one' },
  ttu: { api: 'try_to_unmap', role: 'begin' }, tturet: { api: 'try_to_unmap', role: 'end' }, ttuone: { api: 'try_to_unmap', role: 'one' },
  ttm: { api: 'try_to_migrate', role: 'begin' }, ttmret: { api: 'try_to_migrate', role: 'end' },
  ttminv: { api: 'try_to_migrate', role: 'inv' }, ttminvret: { api: 'try_to_migrate', role: 'invret' },
  ttmone: { api: 'try_to_migrate', role: 'one' },
  rmp: { api: 'remove_migration_ptes', role: 'begin' }, rmpret: { api: 'remove_migration_ptes', role: 'end' },
  rmpone: { api: 'remove_migration_ptes', role: 'one' },
};

/** rmap_walk / rmap_walk_locked: the API a walk belongs to, from its rwc->rmap_one (`symbol`: "NAME+0x0/0x650"). */
const API_OF_RMAP_ONE: Record<string, ReclaimMigrateApi> = {
  folio_referenced_one: 'folio_referenced', try_to_unmap_one: 'try_to_unmap',
  try_to_migrate_one: 'try_to_migrate', remove_migration_pte: 'remove_migration_ptes',
};

const emptyStep = (): KStep => ({ walks: [], written: 0, workRuns: [], mkwrites: [], faults: [], ptes: [] });
const num = (s: string | undefined): number => (s === undefined ? NaN : s.startsWith('0x') ? Number.parseInt(s, 16) : Number(s));

/**
 * Group the events of one scenario by step (the "mms st N" markers) and assemble walks,
 * writeback, fb_defio and PTE records. `pids`: the driver's and the processes' pids; other
 * tasks count only as the kworker of fb_deferred_io_work.
 */
export function assembleTrace(events: readonly KEvent[], pids: ReadonlySet<number>): KTrace {
  const steps = new Map<number, KStep>();
  let cur: KStep | null = null;
  let n = 0;
  const open = new Map<number, KWalk>();                  // pid -> walk in progress
  const pendingInval = new Map<number, KVisit>();         // pid -> the VMA invalid_mkclean_vma looks at
  const lastVisit = new Map<number, KVisit>();            // pid -> the VMA page_mkclean_one works on
  const work = new Map<number, KWorkRun>();               // kworker pid -> its run
  const vnp = new Map<number, KPte>();
  for (const e of events) {
    if (e.marker !== undefined) {
      const m = /^mms st (\d+)$/.exec(e.marker);
      if (m) {
        const s = Number(m[1]);
        cur = steps.get(s) ?? emptyStep();
        steps.set(s, cur);
      } else if (e.marker === 'mms teardown') cur = null;
      continue;
    }
    if (!cur) continue;
    const ours = pids.has(e.pid);
    const run = work.get(e.pid);
    if (!ours && !run && e.ev !== 'dwork') continue;
    n++;
    if (e.ev === 'rwalk' || e.ev === 'rwalkl') {
      // rmap_walk(folio, rwc): a walk begins, unless its API's own entry event began it just now
      // (the same folio, no VMA yet); remove_migration_ptes reaches it inlined, without its entry
      const api = ours ? API_OF_RMAP_ONE[(e.f.one ?? '').replace(/[+.].*$/, '')] : undefined;
      const w = open.get(e.pid);
      if (api && !(w && w.api === api && w.folio === e.f.folio && !w.visits.length)) {
        const nw: KWalk = { api, idx: num(e.f.idx), mapping: e.f.mapping ?? '', ms: e.ms, byWork: false, visits: [], ret: null, folio: e.f.folio };
        open.set(e.pid, nw);
        pendingInval.delete(e.pid);
        cur.walks.push(nw);
      }
      continue;
    }
    const rm = RM_EVENTS[e.ev];
    if (rm) {
      // a reclaim / migration walk: only a scenario task's (kswapd's, kcompactd's are not the scenario's)
      if (!ours) continue;
      const w = open.get(e.pid);
      const mine = w?.api === rm.api ? w : undefined;
      switch (rm.role) {
        case 'begin': {
          const nw: KWalk = { api: rm.api, idx: num(e.f.idx), mapping: e.f.mapping ?? '', ms: e.ms, byWork: false, visits: [], ret: null, folio: e.f.folio };
          open.set(e.pid, nw);
          pendingInval.delete(e.pid);
          cur.walks.push(nw);
          break;
        }
        case 'end':
          if (mine) { if (e.f.ret !== undefined) mine.ret = num(e.f.ret); open.delete(e.pid); pendingInval.delete(e.pid); }
          break;
        case 'inv':
          if (mine) pendingInval.set(e.pid, { owner: num(e.f.owner), start: num(e.f.start), pgoff: num(e.f.pgoff), skipped: true, cleaned: 0 });
          break;
        case 'invret': {
          const v = pendingInval.get(e.pid);
          pendingInval.delete(e.pid);
          if (v && mine && num(e.f.skip) !== 0) mine.visits.push(v);
          break;
        }
        case 'one':
          if (mine) mine.visits.push({ owner: num(e.f.owner), start: num(e.f.start), pgoff: num(e.f.pgoff), skipped: false, cleaned: 0 });
          break;
      }
      continue;
    }
    switch (e.ev) {
      case 'dwork': {
        if (!e.task.startsWith('kworker') && !ours) break;
        const r: KWorkRun = { startMs: e.ms, endMs: null, pages: [] };
        work.set(e.pid, r);
        cur.workRuns.push(r);
        break;
      }
      case 'dworkret': if (run) { run.endMs = e.ms; work.delete(e.pid); } break;
      case 'fmk': {
        const w: KWalk = { api: 'folio_mkclean', idx: num(e.f.idx), mapping: e.f.mapping ?? '', ms: e.ms, byWork: !!run, visits: [], ret: null };
        open.set(e.pid, w);
        cur.walks.push(w);
        if (run) run.pages.push(w.idx);
        break;
      }
      case 'mwr': {
        const w: KWalk = { api: 'mapping_wrprotect_range', idx: num(e.f.pgoff), mapping: e.f.mapping ?? '', ms: e.ms, byWork: !!run, visits: [], ret: null };
        open.set(e.pid, w);
        cur.walks.push(w);
        if (run) run.pages.push(w.idx);
        break;
      }
      case 'mwrret':
      case 'fmkret': {
        const w = open.get(e.pid);
        if (w) { w.ret = num(e.f.ret); open.delete(e.pid); lastVisit.delete(e.pid); }
        break;
      }
      case 'inval':
        if (open.has(e.pid)) pendingInval.set(e.pid, { owner: num(e.f.owner), start: num(e.f.start), pgoff: num(e.f.pgoff), skipped: true, cleaned: 0 });
        break;
      case 'invalret': {
        const v = pendingInval.get(e.pid);
        pendingInval.delete(e.pid);
        if (v && num(e.f.skip) !== 0) open.get(e.pid)?.visits.push(v);
        break;
      }
      case 'mwrone':
      case 'mkone': {
        const w = open.get(e.pid);
        if (!w) break;
        const v: KVisit = { owner: num(e.f.owner), start: num(e.f.start), pgoff: num(e.f.pgoff), skipped: false, cleaned: 0 };
        w.visits.push(v);
        lastVisit.set(e.pid, v);
        break;
      }
      case 'ptecf': {
        // page_vma_mkclean_one's clear; try_to_unmap_one / try_to_migrate_one clear with it too
        const w = open.get(e.pid);
        const v = lastVisit.get(e.pid);
        if (v && w && (w.api === 'folio_mkclean' || w.api === 'mapping_wrprotect_range')) v.cleaned++;
        break;
      }
      case 'fcdioret': if (ours && num(e.f.ret) !== 0) cur.written++; break;
      case 'dmkw': if (ours) cur.mkwrites.push({ pgoff: num(e.f.pgoff), ms: e.ms }); break;
      case 'dfault': if (ours) cur.faults.push({ pgoff: num(e.f.pgoff), ms: e.ms, fmapping: e.f.fmapping ?? '' }); break;
      case 'vnp': {
        let pte = 0n;
        try { pte = BigInt(e.f.pte ?? '0'); } catch { pte = 0n; }
        const p: KPte = { owner: num(e.f.owner), addr: num(e.f.addr), pte, page: null, mapping: null, index: null };
        cur.ptes.push(p);
        vnp.set(e.pid, p);
        break;
      }
      case 'vnpret': {
        const p = vnp.get(e.pid);
        vnp.delete(e.pid);
        if (p && e.f.page && num(e.f.page) !== 0) { p.page = e.f.page; p.mapping = e.f.mapping ?? null; p.index = num(e.f.idx); }
        break;
      }
      default: break;
    }
  }
  return { steps, events: n };
}

// x86-64 PTE bits (arch/x86/include/asm/pgtable_types.h)
export const PTE = { PRESENT: 0, RW: 1, USER: 2, ACCESSED: 5, DIRTY: 6, SOFT_DIRTY: 11, NX: 63 } as const;
const pbit = (v: bigint, b: number): boolean => ((v >> BigInt(b)) & 1n) === 1n;

/**
 * _PAGE_BIT_SAVED_DIRTY (_PAGE_BIT_SOFTW5 = 58) from 6.6 (x86 shadow stacks): pte_wrprotect()
 * moves Dirty there (mksaveddirty_shift), and pte_dirty() tests _PAGE_DIRTY_BITS = Dirty |
 * SavedDirty. Before 6.6 bit 58 is _PAGE_BIT_DEVMAP, not dirt. null: no such bit.
 */
export function savedDirtyBit(release: string): number | null {
  const m = /^(\d+)\.(\d+)/.exec(release);
  if (!m) return null;
  return Number(m[1]) > 6 || (Number(m[1]) === 6 && Number(m[2]) >= 6) ? 58 : null;
}

/** pte_present / pte_write / pte_dirty / pte_young / pte_soft_dirty as x86 of that release defines them. */
export function pteBits(v: bigint, savedDirty: number | null): { present: boolean; write: boolean; dirty: boolean; young: boolean; softDirty: boolean } {
  return {
    present: pbit(v, PTE.PRESENT), write: pbit(v, PTE.RW), dirty: pbit(v, PTE.DIRTY) || (savedDirty !== null && pbit(v, savedDirty)),
    young: pbit(v, PTE.ACCESSED), softDirty: pbit(v, PTE.SOFT_DIRTY),
  };
}

/** P|W|U|A|D|SD text of a PTE value (for tables and reports). */
export function pteText(v: bigint, savedDirty: number | null): string {
  const names: [number, string][] = [[PTE.PRESENT, 'P'], [PTE.RW, 'W'], [PTE.USER, 'U'], [PTE.ACCESSED, 'A'], [PTE.DIRTY, 'D'], [PTE.SOFT_DIRTY, 'SD']];
  if (savedDirty !== null) names.push([savedDirty, 'SavedD']);
  return names.filter(([b]) => pbit(v, b)).map(([, n]) => n).join('|') || '0';
}

// ------------------------------------------------------------------ probe availability

export interface ProbeStatus {
  /** event name in group mms (fmk, mkone, vnp, ...) */
  ev: string;
  ok: boolean;
  /** why it could not be placed (tracefs error_log, a BTF offset missing, kallsyms) */
  why?: string;
}

/** What each observation needs (events of group mms). */
export const PROBE_NEEDS: Record<string, readonly string[]> = {
  // (a kernel with mapping_wrprotect_range has fb_defio's walks there: mwr, mwrret, mwrone;
  // missingProbes() asks for them only when the kernel defines them)
  walk: ['fmk', 'fmkret', 'inval', 'invalret', 'mkone', 'ptecf'],
  // shrink_folio_list's walks (madvise pageout) and migrate_pages' (migrate, split_folio)
  reclaimWalk: ['fref', 'frefret', 'frefinv', 'frefinvret', 'frefone', 'ttu', 'tturet', 'ttuone'],
  migrateWalk: ['ttm', 'ttmret', 'ttminv', 'ttminvret', 'ttmone', 'rmp', 'rmpret', 'rmpone', 'rwalk', 'rwalkl'],
  result: ['fcdio', 'fcdioret', 'fmk', 'dwork', 'dworkret'],
  defio: ['dmkw', 'dwork', 'dworkret', 'fmk'],
  pte: ['vnp'],
  folio: ['vnp', 'vnpret', 'dfault'],
};

/** The probes of one boot from its `probe` / `probesym` records. */
export function probeStatus(recs: readonly Record<string, unknown>[]): ProbeStatus[] {
  const out: ProbeStatus[] = [];
  for (const r of recs) {
    if (r.t === 'probe') {
      const p: ProbeStatus = { ev: String(r.ev), ok: r.ok === 1 };
      if (!p.ok) p.why = `${r.fn ? `${String(r.fn)}: ` : ''}${String(r.why ?? 'refused').trim()}`;
      out.push(p);
    }
    if (r.t === 'probesym') {
      const p = out.find((x) => x.ev === r.ev);
      if (p && !p.ok) {
        const fn = String(r.fn);
        p.why += Number(r.kallsyms) === 0
          ? Number(r.clones) > 0 ? `; ${fn} exists only as a compiler clone (${fn}.isra/.constprop)` : `; no symbol ${fn} in kallsyms (inlined or renamed in this kernel)`
          : `; ${fn} is in kallsyms but not probeable (notrace or blacklisted)`;
      }
    }
  }
  return out;
}

/** null when every probe the observation needs is placed, else the reason. */
export function missingProbes(probes: readonly ProbeStatus[] | null, what: keyof typeof PROBE_NEEDS): string | null {
  if (!probes) return 'the kernel ran without the kprobe events';
  // a kernel that defines mapping_wrprotect_range's events (6.15+, the series kernel) needs them
  // placed for walks, results and fb_defio: its fb work walks there instead of folio_mkclean
  const extra = (what === 'walk' || what === 'result' || what === 'defio') && probes.some((x) => x.ev === 'mwr') ? ['mwr', 'mwrret', 'mwrone'] : [];
  const miss = [...PROBE_NEEDS[what], ...extra].map((ev) => {
    const p = probes.find((x) => x.ev === ev);
    return !p ? `${ev}: not defined for this kernel` : p.ok ? null : `${ev}: ${p.why ?? 'not placed'}`;
  }).filter((x): x is string => x !== null);
  return miss.length ? `probe not placed on this kernel (${miss.join('; ')})` : null;
}
