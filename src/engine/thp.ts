// mm/huge_memory.c, include/linux/huge_mm.h, mm/shmem.c: the transparent-hugepage knobs
// (/sys/kernel/mm/transparent_hugepage) and the orders a fault may allocate for a VMA.
// Defaults as the kernel's with the top-level knobs off, so a v1 scenario never meets a
// large folio: `enabled` never, hugepages-2048kB/enabled inherit and every other size
// never; `shmem_enabled` never, hugepages-2048kB/shmem_enabled inherit (mm/shmem.c:
// shmem_init() sets huge_shmem_orders_inherit = BIT(HPAGE_PMD_ORDER)), other sizes never;
// use_zero_page 1.

import type { Kernel } from './kernel';
import type { AddressSpace } from './addressSpace';
import { HPAGE_PMD_ORDER } from './memmap';
import { VM_HUGEPAGE, VM_NOHUGEPAGE, Vma } from './vma';

export type ThpEnabled = 'always' | 'madvise' | 'never';
export type ThpSizeEnabled = 'always' | 'madvise' | 'inherit' | 'never';
export type ShmemEnabled = 'always' | 'within_size' | 'advise' | 'never' | 'deny' | 'force';
export type ShmemSizeEnabled = 'always' | 'within_size' | 'advise' | 'inherit' | 'never';
/** a tmpfs mount's huge= option */
export type TmpfsHuge = 'always' | 'within_size' | 'advise' | 'never';

export const PMD_ORDER = HPAGE_PMD_ORDER;

/**
 * hugepages-<size>/enabled by order (absent = never), with the kernel's bitmaps of it
 * (mm/huge_memory.c: huge_anon_orders_always / _madvise / _inherit, which
 * thpsize_enabled_store() updates) kept current on every change.
 */
export class AnonOrders extends Map<number, ThpSizeEnabled> {
  private masks: Record<ThpSizeEnabled, number> | undefined;
  override set(order: number, v: ThpSizeEnabled): this { super.set(order, v); this.masks = undefined; return this; }
  override delete(order: number): boolean { this.masks = undefined; return super.delete(order); }
  override clear(): void { this.masks = undefined; super.clear(); }
  /** the orders set to `v` */
  orders(v: ThpSizeEnabled): number {
    let m = this.masks;
    if (!m) {
      m = { always: 0, madvise: 0, inherit: 0, never: 0 };
      for (const [o, e] of this) m[e] |= 1 << o;
      this.masks = m;
    }
    return m[v];
  }
}

export class ThpSettings {
  enabled: ThpEnabled = 'never';
  /** hugepages-<size>/enabled by order (2..9); absent = never */
  readonly anon = new AnonOrders([[PMD_ORDER, 'inherit']]);
  shmemEnabled: ShmemEnabled = 'never';
  /** hugepages-<size>/shmem_enabled by order; absent = never */
  readonly shmem = new Map<number, ShmemSizeEnabled>([[PMD_ORDER, 'inherit']]);
  useZeroPage = true;
}

/** 16K → 2, 2M → 9; undefined unless a power of two from 8K to 2M. */
export function sizeToOrder(bytes: number): number | undefined {
  const pages = bytes / 4096;
  if (!Number.isInteger(pages) || pages < 2 || pages > 512 || (pages & (pages - 1)) !== 0) return undefined;
  return Math.log2(pages);
}

/** highest_order(): the highest order in a bitmask (0 when none; order 0 is never in one). */
export function highest_order(mask: number): number { return mask ? 31 - Math.clz32(mask) : 0; }
/** next_order(): the highest order of the mask below `order`, removed from it. */
export function next_order(mask: number, order: number): number { return highest_order(mask & ((1 << order) - 1)); }

/** The orders in a bitmask, highest first (highest_order / next_order). */
export function ordersHighFirst(mask: number): number[] {
  const out: number[] = [];
  for (let o = 9; o >= 1; o--) if (mask & (1 << o)) out.push(o);
  return out;
}

function anonOrdersWith(s: ThpSettings, v: ThpSizeEnabled): number { return s.anon.orders(v); }

/** vma_is_anonymous(): private anonymous memory (no vm_ops). */
export function vmaIsAnonymous(vma: Vma): boolean { return !vma.ops; }

// include/linux/huge_mm.h: thp_vma_allowable_orders(vma, vm_flags, TVA_IN_PF |
// TVA_ENFORCE_SYSFS, orders) for an anonymous VMA (6.8+): the always mask, plus madvise
// with VM_HUGEPAGE, plus inherit when the top-level knob says so; nothing with
// VM_NOHUGEPAGE. Before 6.8 (hugepage_vma_check) only the PMD order exists, governed by
// the top-level knob alone — which the 2M inherit default reproduces exactly.
export function thpAnonAllowableOrders(k: Kernel, vma: Vma, orders: number): number {
  if (!vmaIsAnonymous(vma) || vma.has(VM_NOHUGEPAGE)) return 0;
  const s = k.thp;
  let mask = anonOrdersWith(s, 'always');
  if (vma.has(VM_HUGEPAGE)) mask |= anonOrdersWith(s, 'madvise');
  if (s.enabled === 'always' || (vma.has(VM_HUGEPAGE) && s.enabled !== 'never')) mask |= anonOrdersWith(s, 'inherit');
  if (!k.profile.has('anon-mthp')) mask &= 1 << PMD_ORDER;
  return orders & mask;
}

// include/linux/huge_mm.h: thp_vma_suitable_order() — the naturally aligned range of that
// order around addr lies inside the VMA; for a file VMA also the file offset is aligned
// the same way ((vm_start >> PAGE_SHIFT) - vm_pgoff).
export function thpVmaSuitableOrder(vma: Vma, addr: number, order: number): boolean {
  const nr = 1 << order, size = nr * 4096;
  if (!vmaIsAnonymous(vma) && ((vma.start / 4096 - vma.pgoff) % nr + nr) % nr !== 0) return false;
  const haddr = Math.floor(addr / size) * size;
  return haddr >= vma.start && haddr + size <= vma.end;
}

export function thpVmaSuitableOrders(vma: Vma, addr: number, orders: number): number {
  let out = 0;
  orders &= 0x3fe; // orders 1..9
  for (let o = highest_order(orders); o; o = next_order(orders, o)) if (thpVmaSuitableOrder(vma, addr, o)) out |= 1 << o;
  return out;
}

// mm/shmem.c: shmem_huge_global_enabled() (shmem_is_huge() before 6.11): the PMD order
// by the mount's huge= (the internal shm mount follows the global shmem_enabled), deny
// and force of the global knob, VM_HUGEPAGE for advise, i_size for within_size.
function shmemHugeGlobal(k: Kernel, as: AddressSpace, index: number, vma: Vma | undefined): boolean {
  const g = k.thp.shmemEnabled;
  if (g === 'force') return true;
  if (g === 'deny') return false;
  if (vma?.has(VM_NOHUGEPAGE)) return false;
  const huge = as.anonShmem ? g : as.tmpfsHuge;
  switch (huge) {
    case 'always': return true;
    case 'within_size': {
      const end = Math.ceil((index + 1) / 512) * 512;
      if (as.sizePages >= end) return true;
      return !!vma?.has(VM_HUGEPAGE);
    }
    case 'advise': return !!vma?.has(VM_HUGEPAGE);
    default: return false;
  }
}

// mm/shmem.c: shmem_allowable_huge_orders() (6.11+): a named tmpfs file gets the PMD order
// when its mount allows it (6.14 added other sizes for tmpfs, but only where there is no
// VMA — write(2) — a fault still gets `maybe_pmd_order`); shared anonymous memory gets the
// per-size always / within_size / madvise masks and the inherit ones when the global knob
// allows, force giving inherit alone, deny nothing. Before 6.11: the PMD order by
// shmem_is_huge() for both.
export function shmemAllowableOrders(k: Kernel, as: AddressSpace, vma: Vma | undefined, index: number): number {
  if (vma?.has(VM_NOHUGEPAGE)) return 0;
  const global = shmemHugeGlobal(k, as, index, vma);
  if (!as.anonShmem || !k.profile.has('shmem-mthp')) return global ? 1 << PMD_ORDER : 0;
  const s = k.thp;
  if (s.shmemEnabled === 'deny') return 0;
  const withEnabled = (v: ShmemSizeEnabled): number => { let m = 0; for (const [o, e] of s.shmem) if (e === v) m |= 1 << o; return m; };
  if (s.shmemEnabled === 'force') return withEnabled('inherit');
  let mask = withEnabled('always');
  for (const o of ordersHighFirst(withEnabled('within_size'))) {
    const end = Math.ceil((index + 1) / 2 ** o) * 2 ** o;
    if (as.sizePages >= end) { mask |= withEnabled('within_size'); break; }
  }
  if (vma?.has(VM_HUGEPAGE)) mask |= withEnabled('advise');
  if (global) mask |= withEnabled('inherit');
  return mask;
}
