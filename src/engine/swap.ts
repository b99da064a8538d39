// mm/swapfile.c, mm/swap_state.c, mm/page_io.c: one swap device (swapon), its swap_map,
// and the swap cache. The plain device is a swap file on a disk (the oracle makes it on
// ext4: not SWP_BLKDEV, no clusters; asynchronous writes: a folio written out stays in the
// swap cache under writeback until the I/O completes, and after that until something
// removes it). A `sync` device is zram: a non-rotational block device (SWP_BLKDEV, cluster
// info, SWP_SYNCHRONOUS_IO): the write completes inside swap_writepage() and a swap-in of
// an entry with one user skips the swap cache. Slots: swapCluster.ts. A large folio in the
// swap cache (THP swap-out, only on the zram device) holds 2^order contiguous slots, each
// cache entry naming the folio's head, and nr references.

import type { Kernel } from './kernel';
import { PG_dirty, PG_lru, PG_reclaim, PG_swapbacked, PG_swapcache, PG_uptodate, PG_writeback, PageKind } from './memmap';
import { folio_mapcount } from './folio';
import { get_swap_pages } from './swapCluster';

export class SwapInfo {
  /** swap_map[]: the PTE (and shmem) references of each slot; slot 0 is the swap header */
  readonly count: Int32Array;
  /** SWAP_HAS_CACHE: the slot has a folio in the swap cache */
  readonly cache = new Map<number, number>();
  /** folio->swap of the folios in the swap cache */
  readonly slotOf = new Map<number, number>();
  /** folios whose write is in flight (completed by swap_io_complete) */
  readonly inFlight: number[] = [];
  /** per slot: the data written there holds a user store (memmap.written of the folio written out) */
  readonly written: Uint8Array;
  /** si->zeromap (6.12+): the folio written at this slot was all zeroes (no page of it stored to) */
  readonly zeromap: Uint8Array;
  /** si->max - 1: usable slots (offsets 1..pages-1) */
  readonly totalSwapPages: number;
  /** si->cluster_info: the device is zram (SWP_BLKDEV, non-rotational); a swap file has none */
  readonly clusters: boolean;
  /** percpu_cluster->next[order] (one CPU): the next slot of the cluster each order allocates from */
  readonly clusterNext = new Map<number, number>();
  inuse = 0;
  constructor(readonly pages: number, readonly sync: boolean) {
    this.clusters = sync;
    this.count = new Int32Array(Math.max(1, pages));
    this.written = new Uint8Array(Math.max(1, pages));
    this.zeromap = new Uint8Array(Math.max(1, pages));
    this.totalSwapPages = Math.max(0, pages - 1);
  }
  slotUsed(off: number): boolean { return this.count[off] > 0 || this.cache.has(off); }
}

// mm/swapfile.c: sys_swapon() of a device of `pages` pages (page 0 holds the header).
export function swapon(k: Kernel, pages: number, sync: boolean): void {
  k.swap = new SwapInfo(pages, sync);
  k.tr.call('sys_swapon');
}

// include/linux/swap.h: vm_swap_full() — more than half the swap space in use
// (mem_cgroup_swap_full() without a memcg limit).
export function vm_swap_full(k: Kernel): boolean {
  const si = k.swap;
  if (!si) return false;
  return (si.totalSwapPages - si.inuse) * 2 < si.totalSwapPages;
}

// mm/swap_slots.c: folio_alloc_swap() → get_swap_pages() (swapCluster.ts): the first of
// 2^order slots, counted in use; 0 when there are none.
function folio_alloc_swap(k: Kernel, order: number): number {
  const si = k.swap;
  if (!si) return 0;
  const off = get_swap_pages(k, order);
  if (off) si.inuse += 1 << order;
  return off;
}

/** The slot a swap-cache folio holds (folio->swap), 0 if none. */
export function folio_swap_slot(k: Kernel, pfn: number): number { return k.swap?.slotOf.get(pfn) ?? 0; }

/** swap_cache_get_folio() without the readahead statistics: the folio at that slot, or 0. */
export function swap_cache_lookup(k: Kernel, off: number): number { return k.swap?.cache.get(off) ?? 0; }

// mm/swap_state.c: add_to_swap_cache() — PG_swapcache, folio->swap, the folio at each of its
// nr slots and nr references for the cache (folio_ref_add(folio, nr)).
function add_to_swap_cache(k: Kernel, pfn: number, off: number): void {
  const si = k.swap!, nr = 1 << k.memmap.order[pfn];
  for (let i = 0; i < nr; i++) si.cache.set(off + i, pfn);
  si.slotOf.set(pfn, off);
  k.memmap.refcount[pfn] += nr;
  k.memmap.setFlag(pfn, PG_swapcache);
}

// mm/swap_state.c: add_to_swap() — slots for the folio (a large one: its head, 2^order
// contiguous slots), the folio in the swap cache and marked dirty (so reclaim writes it out
// even if no PTE was dirty). False without slots.
export function add_to_swap(k: Kernel, pfn: number): boolean {
  k.tr.call('add_to_swap');
  const off = folio_alloc_swap(k, k.memmap.order[pfn]);
  if (!off) { k.tr.call(k.memmap.order[pfn] ? 'add_to_swap: no swap slots for the large folio' : 'add_to_swap: no free swap slot'); return false; }
  add_to_swap_cache(k, pfn, off);
  k.tr.call('add_to_swap → folio_mark_dirty');
  k.memmap.setFlag(pfn, PG_dirty);
  return true;
}

function freeSlotIfUnused(si: SwapInfo, off: number): void {
  if (!si.slotUsed(off)) si.inuse--;
}

// mm/swap_state.c: delete_from_swap_cache() — the folio leaves the cache at each of its
// slots (put_swap_folio() frees those no PTE holds) and drops the cache's nr references
// (folio_ref_sub: the folio is freed when those were the last ones).
export function delete_from_swap_cache(k: Kernel, pfn: number): void {
  const si = k.swap;
  const off = si?.slotOf.get(pfn);
  if (!si || off === undefined) return;
  const nr = 1 << k.memmap.order[pfn];
  for (let i = 0; i < nr; i++) si.cache.delete(off + i);
  si.slotOf.delete(pfn);
  k.memmap.clearFlag(pfn, PG_swapcache);
  for (let i = 0; i < nr; i++) freeSlotIfUnused(si, off + i);
  folio_put(k, pfn, nr);
}

/** folio_put() / folio_put_refs(): the last reference frees the folio (a large one whole). */
export function folio_put(k: Kernel, pfn: number, refs = 1): void {
  const mm = k.memmap;
  mm.refcount[pfn] -= refs;
  if (mm.refcount[pfn] <= 0 && folio_mapcount(mm, pfn) <= 0) mm.freePage(pfn);
}

// mm/swapfile.c: swap_duplicate() — one more PTE refers to the slot.
export function swap_duplicate(k: Kernel, off: number): void {
  const si = k.swap;
  if (si) si.count[off]++;
}

// mm/swapfile.c: swap_free() — one PTE reference fewer.
export function swap_free(k: Kernel, off: number): void {
  const si = k.swap;
  if (!si || si.count[off] <= 0) return;
  si.count[off]--;
  freeSlotIfUnused(si, off);
}

export function swap_count(k: Kernel, off: number): number { return k.swap?.count[off] ?? 0; }

// mm/swapfile.c: folio_free_swap() (try_to_free_swap() in 6.1) — drop a swap-cache folio
// from the cache when no PTE refers to its slot any more and it is not under writeback;
// the folio is marked dirty, as its only copy is now in memory.
export function folio_free_swap(k: Kernel, pfn: number): boolean {
  const mm = k.memmap;
  if (!mm.test(pfn, PG_swapcache)) return false;
  if (mm.test(pfn, PG_writeback)) return false;
  // folio_swapped(): a PTE still holds one of the folio's slots
  const base = folio_swap_slot(k, pfn);
  for (let i = 0; i < 1 << mm.order[pfn]; i++) if (swap_count(k, base + i) > 0) return false;
  k.tr.call('folio_free_swap');
  delete_from_swap_cache(k, pfn);
  if (mm.pfnValid(pfn)) mm.setFlag(pfn, PG_dirty);
  return true;
}

// mm/swapfile.c: free_swap_and_cache() — a PTE holding the slot goes (zap, MADV_FREE): one
// reference fewer; when only the cache holds the slot, __try_to_reclaim_swap() with
// TTRS_UNMAPPED | TTRS_FULL drops an unmapped folio from the cache.
export function free_swap_and_cache(k: Kernel, off: number): void {
  const si = k.swap;
  if (!si) return;
  swap_free(k, off);
  if (si.count[off] > 0) return;
  const pfn = si.cache.get(off);
  if (!pfn) return;
  const mm = k.memmap;
  const needReclaim = folio_mapcount(mm, pfn) <= 0 || vm_swap_full(k);
  const base = si.slotOf.get(pfn) ?? off;
  let swapped = false; // a large folio: another of its slots still has a PTE
  for (let i = 0; i < 1 << mm.order[pfn]; i++) if (si.count[base + i] > 0) swapped = true;
  if (needReclaim && !swapped && !mm.test(pfn, PG_writeback)) {
    k.tr.call('free_swap_and_cache → __try_to_reclaim_swap');
    delete_from_swap_cache(k, pfn);
    if (mm.pfnValid(pfn)) mm.setFlag(pfn, PG_dirty);
  }
}

// mm/page_io.c: swap_writepage() → __swap_writepage(): the write starts (PG_writeback);
// a synchronous device completes it at once, a disk when the I/O completes
// (swap_io_complete, at the end of the statement that started it). A large folio is one
// write of all its pages (one bio of folio_size() on zram, which completes it at once).
export function swap_writepage(k: Kernel, pfn: number): void {
  const mm = k.memmap, si = k.swap!;
  k.tr.call(si.sync ? 'swap_writepage: synchronous device' : 'swap_writepage: bio submitted');
  mm.setFlag(pfn, PG_writeback);
  const slot = si.slotOf.get(pfn);
  const nr = 1 << mm.order[pfn];
  if (slot !== undefined) {
    // swap_zeromap_folio_set/clear (6.12; read only by the large swap-in of the same release)
    let zero = 1;
    for (let i = 0; i < nr; i++) { si.written[slot + i] = mm.written[pfn + i]; if (mm.written[pfn + i]) zero = 0; }
    for (let i = 0; i < nr; i++) si.zeromap[slot + i] = zero;
  }
  if (si.sync) folio_end_writeback(k, pfn);
  else si.inFlight.push(pfn);
}

// mm/filemap.c: folio_end_writeback() — PG_writeback cleared; a folio reclaim marked
// PG_reclaim is rotated to the tail of the inactive list (it stays in the swap cache).
function folio_end_writeback(k: Kernel, pfn: number): void {
  const mm = k.memmap;
  if (mm.clearFlag(pfn, PG_reclaim)) k.tr.call('folio_end_writeback → folio_rotate_reclaimable');
  mm.clearFlag(pfn, PG_writeback);
}

/** end_swap_bio_write() for every write in flight (the disk has completed them). */
export function swap_io_complete(k: Kernel): void {
  const si = k.swap;
  if (!si || !si.inFlight.length) return;
  k.tr.call('end_swap_bio_write');
  for (const pfn of si.inFlight.splice(0)) if (k.memmap.pfnValid(pfn)) folio_end_writeback(k, pfn);
}

// mm/swap_state.c: read_swap_cache_async() / __read_swap_cache_async(): a new folio in the
// swap cache, read from the device (the fault waits for it: folio_lock).
export function read_swap_cache_async(k: Kernel, off: number): number {
  const mm = k.memmap;
  const pfn = mm.allocPage(PageKind.Anon);
  mm.flags[pfn] |= PG_swapbacked | PG_lru;
  add_to_swap_cache(k, pfn, off);
  mm.refcount[pfn]--; // allocPage's reference becomes the cache's
  k.tr.call('swap_read_folio');
  mm.written[pfn] = k.swap?.written[off] ?? 0;
  mm.setFlag(pfn, PG_uptodate);
  return pfn;
}
