// The simulated machine: one CPU, HZ=1000 (1 jiffy = 1 ms), x86-64 4-level paging,
// order-0 folios. Holds the memmap, the objects (address_spaces), the tasks, the clock
// and the timers, and the kernel version profile that versioned rules branch on.

import type { PageHolder } from './pageHolders';
import { AddressSpace, ObjKind } from './addressSpace';
import { Memmap, OutOfSimulatedRam, PageKind, PG_uptodate, PG_lru } from './memmap';
import { Mm } from './mm';
import type { Tracer } from './trace';
import type { SwapInfo } from './swap';
import { ext4_file_operations, shmem_file_operations } from './filemap';
import { Ids } from './ids';
import { ThpSettings, type TmpfsHuge } from './thp';
import { RULE_IDS, hasRule, releaseText, type KernelRelease, type RuleId } from './versions';

/**
 * The version profile: every version-dependent rule asks `has(rule)`, answered from the
 * table in versions.ts for a mainline release (patch 0) or an exact stable release.
 */
export class KernelProfile {
  readonly version: KernelRelease;
  /** the rules this release has, answered once (the fault path asks on every fault) */
  private readonly rules: ReadonlySet<RuleId>;
  /**
   * `patches`: rules a kernel built with extra patches has on top of its release (the
   * oracle's series kernel: 6.12.118 with the 6.15 series of `mapping-wrprotect-range`).
   */
  constructor(version: { major: number; minor: number; patch?: number }, readonly patches: readonly RuleId[] = []) {
    this.version = { major: version.major, minor: version.minor, patch: version.patch ?? 0 };
    this.rules = new Set(RULE_IDS.filter((id) => hasRule(this.version, id) || patches.includes(id)));
  }
  has(id: RuleId): boolean { return this.rules.has(id); }
  /** `6.15`, or `6.1.192` for a stable release; `6.12.118+RULE` with patches */
  toString(): string { return releaseText(this.version) + this.patches.map((p) => `+${p}`).join(''); }
}

export type SignalName = 'SIGSEGV' | 'SIGBUS';

export class Task {
  minFlt = 0;
  majFlt = 0;
  lastSignal: SignalName | 'none' = 'none';
  alive = true;
  killedByOops = false;
  constructor(readonly pid: number, readonly name: string, public mm: Mm) {}
}

export interface Timer { due: number; seq: number; fire: () => void; owner: number }

export class Kernel {
  readonly memmap: Memmap;
  readonly objects = new Map<number, AddressSpace>();
  /** the numbers it hands out for VMAs, anon_vmas and address_spaces */
  readonly ids = new Ids();
  readonly tasks = new Map<number, Task>();
  /** jiffies, HZ=1000 */
  now = 0;
  private timers: Timer[] = [];
  private timerSeq = 0;
  private nextPid = 1;
  /** /sys/kernel/debug/fault_around_bytes */
  faultAroundBytes = 65536;
  /** default read_ahead_kb 128 → 32 pages */
  raPages = 32;
  /** /sys/kernel/mm/transparent_hugepage (thp.ts) */
  readonly thp = new ThpSettings();
  /** the deferred split queue (mm/huge_memory.c: deferred_split_folio): head PFNs */
  readonly deferredSplit = new Set<number>();
  /** the swap device `sysctl swap pages N` turned on (swap.ts); none by default */
  swap: SwapInfo | undefined;
  /** pipes made by vmsplice and io_uring registered buffers (pageHolders.ts), by name */
  readonly pageHolders = new Map<string, PageHolder>();
  /** how many held buffers reference each PFN (pageHolders.ts): a write to one is noted */
  readonly heldPfns = new Map<number, number>();
  constructor(readonly profile: KernelProfile, readonly tr: Tracer, expectedPages = 0) {
    this.memmap = new Memmap(tr, expectedPages);
  }

  // ---- objects -------------------------------------------------------------------

  /** A regular ext4 file. By default every page is cached, clean and uptodate. With
   *  `folioOrder` the page cache holds folios of that order (naturally aligned, smaller
   *  at the end of the file), as a filesystem with large folios would leave it. */
  createFile(name: string, pages: number, cold: boolean, folioOrder = 0): AddressSpace {
    // fail before allocating anything when the cache cannot fit in the simulated RAM
    if (!cold && pages > this.memmap.framesLeft()) throw new OutOfSimulatedRam();
    const as = new AddressSpace(this.ids.mapping++, name, 'file', pages, true, 'ext4_dirty_folio');
    as.fops = ext4_file_operations;
    as.folioOrder = folioOrder;
    if (!cold) for (let i = 0; i < pages;) i += this.addFolioToPageCache(as, i, PG_uptodate, this.fileFolioOrderAt(as, i));
    this.objects.set(as.id, as);
    return as;
  }

  /** A tmpfs/memfd file: pages exist only once faulted or written. `huge`: its mount's
   *  huge= option. */
  createShmem(name: string, pages: number, anonShmem = false, huge: TmpfsHuge = 'never'): AddressSpace {
    // mm/shmem.c: shmem_aops.dirty_folio = noop_dirty_folio (every modelled version)
    const as = new AddressSpace(this.ids.mapping++, name, 'shmem', pages, false, 'noop_dirty_folio', anonShmem);
    as.fops = shmem_file_operations;
    as.tmpfsHuge = huge;
    this.objects.set(as.id, as);
    return as;
  }

  /** A driver's object (drivers/): its inode's address_space, now known to the kernel. */
  registerObject(as: AddressSpace): AddressSpace {
    this.objects.set(as.id, as);
    return as;
  }

  // mm/filemap.c: filemap_add_folio() — a new folio in the page cache (on the LRU).
  addToPageCache(as: AddressSpace, index: number, flags: number): number {
    const mm = this.memmap;
    const pfn = mm.allocPage(PageKind.PageCache);
    mm.flags[pfn] |= flags | PG_lru;
    mm.mapping[pfn] = as.id;
    mm.index[pfn] = index;
    as.iPages[index] = pfn;
    as.nrpages++;
    this.tr.folioSet(pfn, 'cached', 0, as.id);
    return pfn;
  }

  /** The order of the folio the file's page cache holds at `index`: the file's folio
   *  order, lowered until the aligned folio starts at `index` and ends inside the file. */
  fileFolioOrderAt(as: AddressSpace, index: number): number {
    let o = as.folioOrder;
    while (o > 0 && (index % (1 << o) !== 0 || index + (1 << o) > as.sizePages)) o--;
    return o;
  }

  // mm/filemap.c: filemap_add_folio() of a folio of `order` at `index` (aligned): every
  // page in i_pages, mapping and index per page; the folio flags on the head; the page
  // cache holds one reference per page. Returns the pages added.
  addFolioToPageCache(as: AddressSpace, index: number, flags: number, order: number): number {
    if (order === 0) { this.addToPageCache(as, index, flags); return 1; }
    const mm = this.memmap, nr = 1 << order;
    const head = mm.allocFolio(order, PageKind.PageCache);
    mm.flags[head] |= flags | PG_lru;
    this.setPageCacheFolio(as, index, head, nr);
    as.nrpages += nr;
    return nr;
  }

  /** The page cache's slots index..index+nr-1 hold the large folio `head` (one reference per page). */
  setPageCacheFolio(as: AddressSpace, index: number, head: number, nr: number): void {
    const mm = this.memmap;
    for (let i = 0; i < nr; i++) {
      mm.mapping[head + i] = as.id;
      mm.index[head + i] = index + i;
      as.iPages[index + i] = head + i;
      this.tr.folioSet(head + i, 'cached', 0, as.id);
    }
    mm.refcount[head] = nr;
  }

  /** The physical PFN behind page `index` of an object (page cache folio or device page); 0 if none. */
  pfnOf(as: AddressSpace, index: number): number {
    if (as.backing) return index >= 0 && index < as.backing.length ? as.backing[index] : 0;
    return as.folioAt(index);
  }

  objectKind(as: AddressSpace): ObjKind { return as.kind; }

  // ---- tasks ---------------------------------------------------------------------

  createTask(name: string): Task {
    const pid = this.nextPid++;
    const t = new Task(pid, name, new Mm(pid, this.tr, this.ids));
    this.tasks.set(pid, t);
    return t;
  }

  // ---- time ----------------------------------------------------------------------

  addTimer(due: number, owner: number, fire: () => void): Timer {
    const t: Timer = { due, seq: this.timerSeq++, fire, owner };
    this.timers.push(t);
    this.timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
    return t;
  }
  cancelTimer(t: Timer): void { const i = this.timers.indexOf(t); if (i >= 0) this.timers.splice(i, 1); }
  /** Advance the clock; due timers fire in order, each at its own due time. */
  advance(ms: number): void {
    const end = this.now + ms;
    while (this.timers.length && this.timers[0].due <= end) {
      const t = this.timers.shift()!;
      this.now = Math.max(this.now, t.due);
      t.fire();
    }
    this.now = end;
  }
  pendingTimers(): readonly Timer[] { return this.timers; }
}
