// include/linux/mm.h: how the kernel tells that a folio may be pinned for DMA (FOLL_PIN,
// pin.ts takes the pins), and what fork does about it. The same in 6.1 and 6.12.

import type { Kernel } from './kernel';
import { PG_anon_exclusive } from './memmap';
import { type Vma, is_cow_mapping } from './vma';

/** GUP_PIN_COUNTING_BIAS: what a pin adds to a small folio's refcount. */
export const GUP_PIN_COUNTING_BIAS = 1024;

/** folio_maybe_dma_pinned(): a large folio's _pincount, else refcount ≥ the bias. */
export function folio_maybe_dma_pinned(k: Kernel, head: number): boolean {
  const mm = k.memmap;
  return mm.order[head] ? (mm.pincount.get(head) ?? 0) > 0 : mm.refcount[head] >= GUP_PIN_COUNTING_BIAS;
}

// An exclusive anonymous page whose folio may be pinned, in a COW mapping of an mm that took
// pins (page_needs_cow_for_dma / folio_needs_cow_for_dma), cannot be shared with a child
// (page_try_dup_anon_rmap / __folio_try_dup_anon_rmap: -EBUSY): fork copies it at once
// (copy_present_page), a PMD is split first (copy_huge_pmd). 6.9+'s PTE batch fails as a
// whole and is redone page by page, so the result is the per-page one.
export function anonNeedsCopy(k: Kernel, src: Vma, page: number): boolean {
  const mm = k.memmap;
  return (mm.flags[page] & PG_anon_exclusive) !== 0 && src.mm.hasPinned && is_cow_mapping(src.flags)
    && folio_maybe_dma_pinned(k, mm.head(page));
}
