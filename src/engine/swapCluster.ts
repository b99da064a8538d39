// mm/swapfile.c: the slot allocator of folio_alloc_swap() → get_swap_pages(). Slot 0 is the
// swap header; the device is cut into clusters of SWAPFILE_CLUSTER (512) slots.
//
// Which device has clusters (si->cluster_info): the engine's `sync` device is zram, a
// non-rotational block device (SWP_BLKDEV | SWP_SOLIDSTATE | SWP_SYNCHRONOUS_IO), so
// setup_clusters() gives it cluster_info; the plain device is a swap file (on ext4, as the
// oracle makes it): no SWP_BLKDEV, and on the oracle's rotational disk no cluster_info.
//
// - order 0 with clusters: scan_swap_map_try_ssd_cluster() — the per-CPU cluster (one CPU in
//   the model) is used up in order, then a new one is taken from free_clusters; with no free
//   cluster left the `scan:` fallback takes the lowest free slot. Without clusters: the lowest
//   free slot (as before; the sequential si->cluster_next scan of an empty device is the same).
// - a large folio: 6.1–6.9 only a PMD-size folio (size == SWAPFILE_CLUSTER) on a SWP_BLKDEV
//   device: swap_alloc_cluster() takes a whole free cluster; any other size fails. From 6.10
//   ("mm: swap: allow storage of all mTHP orders", row `swapout-mthp`) any order up to the PMD
//   order: scan_swap_map_slots() refuses `!(si->flags & SWP_BLKDEV) || !si->cluster_info`,
//   then scan_swap_map_try_ssd_cluster(order): the per-CPU cluster of that order (a naturally
//   aligned run of 2^order free slots after the last one), else a new free cluster.
// The kernel's free_clusters list order (interleaved by SWAP_CLUSTER_COLS at swapon) and
// 6.12's nonfull/frag cluster lists are not modelled: a new cluster is the lowest free one,
// so slot numbers may differ from a real device (the oracle does not compare them).

import type { Kernel } from './kernel';
import type { SwapInfo } from './swap';

export const SWAPFILE_CLUSTER = 512;

/** Slot in use: the header, a PTE reference or a swap-cache folio. */
function used(si: SwapInfo, off: number): boolean { return off === 0 || si.slotUsed(off); }

/** A free cluster: every slot of it free and inside the device (cluster_list free_clusters). */
function clusterFree(si: SwapInfo, idx: number): boolean {
  const first = idx * SWAPFILE_CLUSTER;
  if (first + SWAPFILE_CLUSTER > si.pages) return false;
  for (let off = first; off < first + SWAPFILE_CLUSTER; off++) if (used(si, off)) return false;
  return true;
}

function firstFreeCluster(si: SwapInfo): number {
  for (let idx = 0; (idx + 1) * SWAPFILE_CLUSTER <= si.pages; idx++) if (clusterFree(si, idx)) return idx;
  return -1;
}

/** swap_range_empty() of [off, off + nr) */
function rangeEmpty(si: SwapInfo, off: number, nr: number): boolean {
  for (let i = 0; i < nr; i++) if (off + i >= si.pages || used(si, off + i)) return false;
  return true;
}

/** scan_swap_map_try_ssd_cluster(): the per-CPU cluster of `order` from its next slot, else a new free cluster. */
function tryCluster(si: SwapInfo, order: number): number {
  const nr = 1 << order;
  for (;;) {
    let tmp = si.clusterNext.get(order);
    if (tmp === undefined) {
      const idx = firstFreeCluster(si);
      if (idx < 0) return 0;
      tmp = idx * SWAPFILE_CLUSTER;
    }
    const max = Math.min(si.pages, (Math.floor(tmp / SWAPFILE_CLUSTER) + 1) * SWAPFILE_CLUSTER);
    while (tmp < max && !rangeEmpty(si, tmp, nr)) tmp += nr;
    if (tmp >= max) { si.clusterNext.delete(order); continue; }
    if (tmp + nr < max) si.clusterNext.set(order, tmp + nr); else si.clusterNext.delete(order);
    return tmp;
  }
}

/** The lowest free slot (the non-cluster scan, and the `scan:` fallback). */
function lowestFree(si: SwapInfo): number {
  for (let off = 1; off < si.pages; off++) if (!used(si, off)) return off;
  return 0;
}

/**
 * get_swap_pages(1, &entry, size) for a folio of `order`: the first of 2^order contiguous,
 * naturally aligned free slots, or 0 when the device cannot give them (add_to_swap() fails).
 */
export function get_swap_pages(k: Kernel, order: number): number {
  const si = k.swap;
  if (!si) return 0;
  const nr = 1 << order;
  if (si.totalSwapPages - si.inuse < nr) return 0; // avail_pgs <= 0
  if (order) {
    const anyOrder = k.profile.has('swapout-mthp');
    if (!anyOrder && nr !== SWAPFILE_CLUSTER) { k.tr.call('add_to_swap: get_swap_pages: only a PMD-size folio gets a cluster'); return 0; }
    if (nr > SWAPFILE_CLUSTER || !si.clusters) { k.tr.call('add_to_swap: get_swap_pages: no SWP_BLKDEV device with clusters'); return 0; }
    if (!anyOrder) {
      k.tr.call('add_to_swap: get_swap_pages → swap_alloc_cluster');
      const idx = firstFreeCluster(si);
      return idx < 0 ? 0 : idx * SWAPFILE_CLUSTER;
    }
    k.tr.call('add_to_swap: get_swap_pages → scan_swap_map_slots(order)');
    return tryCluster(si, order);
  }
  if (si.clusters) return tryCluster(si, 0) || lowestFree(si);
  return lowestFree(si);
}
