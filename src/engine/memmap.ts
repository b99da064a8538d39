// The memmap: one struct page per PFN with a struct page, kept as struct-of-arrays so a
// million pages cost ~25 bytes each. Folios of any order (language v2): a large folio is
// 2^order naturally aligned PFNs (as the buddy allocator hands them out), every page
// carrying the order, so the head is the PFN with the low `order` bits cleared
// (folio.ts: folio_head, folio_nr_pages, the mapcounts).
// Carveout and device PFNs live above MAX_MEMMAP_PFN and have no struct page
// (pfn_valid() false).

import type { Tracer } from './trace';

// include/linux/page-flags.h (the ones the model needs)
export const PG_locked = 1 << 0;
export const PG_dirty = 1 << 1;
export const PG_writeback = 1 << 2;
export const PG_uptodate = 1 << 3;
export const PG_lru = 1 << 4;
export const PG_swapbacked = 1 << 5;
export const PG_anon_exclusive = 1 << 6;
export const PG_readahead = 1 << 7;
export const PG_referenced = 1 << 8;
/** the folio is in the swap cache (folio->swap holds its slot: swap.ts) */
export const PG_swapcache = 1 << 9;
export const PG_active = 1 << 10;
/** folio_set_reclaim(): reclaim wants it back when writeback ends */
export const PG_reclaim = 1 << 11;
/** the flags a large folio keeps on its head page (everything but PG_anon_exclusive) */
export const FOLIO_FLAG_BITS = PG_locked | PG_dirty | PG_writeback | PG_uptodate | PG_lru | PG_swapbacked | PG_readahead | PG_referenced
  | PG_swapcache | PG_active | PG_reclaim;
/** not a kernel flag: the PFN has a struct page in use (allocated) */
export const PG_allocated = 1 << 15;

export const PG_NAMES: [number, string][] = [
  [PG_locked, 'locked'], [PG_dirty, 'dirty'], [PG_writeback, 'writeback'], [PG_uptodate, 'uptodate'],
  [PG_lru, 'lru'], [PG_swapbacked, 'swapbacked'], [PG_anon_exclusive, 'anon_exclusive'],
  [PG_readahead, 'readahead'], [PG_referenced, 'referenced'], [PG_swapcache, 'swapcache'], [PG_active, 'active'],
  [PG_reclaim, 'reclaim'],
];

/** What kind of memory a PFN is (for display and for vmalloc/pfn_to_page rules). */
export const enum PageKind { Free = 0, PageCache = 1, Anon = 2, Vmalloc = 3, Kmem = 4, Zero = 5 }

/** First PFN without struct page: carveouts and device (pfnmap) memory live above. */
export const MAX_MEMMAP_PFN = 0x100000; // 4 GiB of RAM with struct pages
/** The shared zero page (ZERO_PAGE(0)); a fixed, recognisable PFN. */
export const ZERO_PFN = 0x1000;
/** The huge zero folio (mm/huge_memory.c: huge_zero_folio): order 9, PMD-aligned PFNs. */
export const HUGE_ZERO_PFN = 0x1200;
export const HPAGE_PMD_ORDER = 9;
export const HPAGE_PMD_NR = 512;
/** is_huge_zero_pfn(): a PFN of the huge zero folio */
export function isHugeZeroPfn(pfn: number): boolean { return pfn >= HUGE_ZERO_PFN && pfn < HUGE_ZERO_PFN + HPAGE_PMD_NR; }

/**
 * Thrown when the simulated RAM (PFNs below MAX_MEMMAP_PFN) is used up. A resource limit
 * of the simulation, not a kernel event: the runner reports it at the statement (MMS606).
 */
export class OutOfSimulatedRam extends Error {
  constructor() {
    super(`out of simulated RAM: the machine has ${MAX_MEMMAP_PFN} page frames (4 GiB) with struct pages, and they are all in use`);
    this.name = 'OutOfSimulatedRam';
  }
}

/**
 * `mapping` encoding: 0 = NULL; > 0 = address_space id; < 0 = -(anon_vma id)
 * (the kernel's FOLIO_MAPPING_ANON low bit).
 */
export class Memmap {
  private cap = 0;
  flags = new Uint16Array(0);
  kind = new Uint8Array(0);
  mapcount = new Int32Array(0); // number of PTE mappings (the kernel's _mapcount + 1)
  refcount = new Int32Array(0);
  mapping = new Int32Array(0);
  index = new Float64Array(0);
  /** folio_order() of the folio each page belongs to (0: an order-0 folio) */
  order = new Uint8Array(0);
  /** at a large folio's head: the PMD mappings (_entire_mapcount + 1); only PMD-mapped
   *  folios have an entry (a map, not an array: 4 bytes a page matter at a million pages) */
  readonly entire = new Map<number, number>();
  entireOf(head: number): number { return this.entire.get(head) ?? 0; }
  addEntire(head: number, d: number): void {
    const n = (this.entire.get(head) ?? 0) + d;
    if (n) this.entire.set(head, n); else this.entire.delete(head);
  }
  /** at a large folio's head: its FOLL_PIN pins (_pincount; pin.ts); small folios count pins in refcount */
  readonly pincount = new Map<number, number>();
  private nextPfn = 0x2000;    // first RAM PFN handed out (below: zero page, kernel)
  private carveoutNext = MAX_MEMMAP_PFN + 0x10000;
  /**
   * The page's data holds a user store: what the kernel finds when it compares a page with
   * the zero page (pages_identical(), memchr_inv()). A frame is zeroed when handed out
   * (frames are never reused), so this is 0 until a store lands on it or data is copied in
   * (migration, collapse, swap-in).
   */
  written = new Uint8Array(0);
  /** pages given back to the allocator so far (vmstat's pgfree, counted by free_unref_page / __free_pages) */
  pgfree = 0;
  /** deterministic scatter for vmalloc (xorshift) */
  private rng = 0x9e3779b9;

  /** `expectedPages`: how many struct pages the run will likely need (sized once, so a
   *  big run never copies the arrays while growing; a small run stays small). */
  constructor(private readonly tr: Tracer, expectedPages = 0) {
    // Reserve the whole memmap up front: the buffers are zero-filled lazily by the OS, so
    // Grown geometrically as pages are allocated: a small scenario (every keystroke in
    // the editor) must not pay for zeroing 23 MB of struct pages; a 1M-page run grows a
    // handful of times.
    this.grow(Math.min(MAX_MEMMAP_PFN, Math.max(0x4000, 0x2000 + expectedPages + (expectedPages >> 4))));
    this.flags[ZERO_PFN] = PG_allocated | PG_uptodate;
    this.kind[ZERO_PFN] = PageKind.Zero;
  }

  /** mm_get_huge_zero_folio(): allocated on first use, never freed (the model keeps it). */
  getHugeZeroFolio(): number {
    if (!(this.flags[HUGE_ZERO_PFN] & PG_allocated)) {
      for (let pfn = HUGE_ZERO_PFN; pfn < HUGE_ZERO_PFN + HPAGE_PMD_NR; pfn++) {
        this.flags[pfn] = PG_allocated | PG_uptodate; this.kind[pfn] = PageKind.Zero; this.order[pfn] = HPAGE_PMD_ORDER;
      }
    }
    return HUGE_ZERO_PFN;
  }

  private grow(min: number): void {
    if (min <= this.cap) return;
    // the first size is the one asked for (the constructor's estimate of the run); later
    // growth doubles (a frame past the estimate is rare: the estimate is an upper bound)
    let cap = this.cap ? this.cap * 2 : Math.max(min, 0x4000);
    while (cap < min) cap *= 2;
    const g = <A extends Uint16Array | Uint8Array | Int32Array | Float64Array>(a: A, n: A): A => { n.set(a); return n; };
    this.flags = g(this.flags, new Uint16Array(cap));
    this.kind = g(this.kind, new Uint8Array(cap));
    this.mapcount = g(this.mapcount, new Int32Array(cap));
    this.refcount = g(this.refcount, new Int32Array(cap));
    this.mapping = g(this.mapping, new Int32Array(cap));
    this.index = g(this.index, new Float64Array(cap));
    this.order = g(this.order, new Uint8Array(cap));
    this.written = g(this.written, new Uint8Array(cap));
    this.cap = cap;
  }

  // include/linux/mmzone.h: pfn_valid() — does this PFN have a struct page?
  pfnValid(pfn: number): boolean { return pfn < MAX_MEMMAP_PFN && pfn < this.cap && (this.flags[pfn] & PG_allocated) !== 0; }

  /** Allocate one page (alloc_pages(order 0)). Sequential: physically contiguous runs. */
  allocPage(kind: PageKind): number {
    const pfn = this.nextPfn++;
    if (pfn >= MAX_MEMMAP_PFN) { this.nextPfn = MAX_MEMMAP_PFN; throw new OutOfSimulatedRam(); }
    this.grow(pfn + 1);
    this.flags[pfn] = PG_allocated;
    this.kind[pfn] = kind;
    this.mapcount[pfn] = 0;
    this.refcount[pfn] = 1;
    this.mapping[pfn] = 0;
    this.index[pfn] = 0;
    return pfn;
  }

  /**
   * alloc_pages(order): a naturally aligned block of 2^order pages as one folio (the pages
   * the alignment skips stay unused: the allocator never reuses frames). Refcount 1 on the
   * head; every page carries the order. Order 0 is allocPage().
   */
  allocFolio(order: number, kind: PageKind): number {
    if (order === 0) return this.allocPage(kind);
    const nr = 1 << order;
    const head = Math.ceil(this.nextPfn / nr) * nr;
    if (head + nr > MAX_MEMMAP_PFN) { this.nextPfn = MAX_MEMMAP_PFN; throw new OutOfSimulatedRam(); }
    this.grow(head + nr);
    this.nextPfn = head + nr;
    const flags = this.flags, kinds = this.kind, mapcount = this.mapcount, refcount = this.refcount;
    const mapping = this.mapping, index = this.index, orders = this.order, end = head + nr;
    if (nr >= 64) {
      // the same stores as the loop below, a whole array at a time
      flags.fill(PG_allocated, head, end); kinds.fill(kind, head, end); mapcount.fill(0, head, end);
      refcount.fill(0, head, end); mapping.fill(0, head, end); index.fill(0, head, end); orders.fill(order, head, end);
    } else {
      for (let pfn = head; pfn < end; pfn++) {
        flags[pfn] = PG_allocated; kinds[pfn] = kind; mapcount[pfn] = 0;
        refcount[pfn] = 0; mapping[pfn] = 0; index[pfn] = 0; orders[pfn] = order;
      }
    }
    this.refcount[head] = 1;
    this.entire.delete(head);
    return head;
  }

  /** Page frames with struct page never handed out yet (allocPage never reuses freed ones). */
  framesLeft(): number { return MAX_MEMMAP_PFN - this.nextPfn; }

  /** vmalloc(): pages one at a time from wherever the buddy allocator has them (scattered). */
  allocVmallocPages(n: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      this.rng ^= this.rng << 13; this.rng ^= this.rng >>> 17; this.rng ^= this.rng << 5;
      this.nextPfn += 1 + ((this.rng >>> 0) % 7); // leave holes: not physically contiguous
      out.push(this.allocPage(PageKind.Vmalloc));
    }
    return out;
  }

  /** alloc_contig_pages(): n physically contiguous pages with struct pages. */
  allocContig(n: number, kind: PageKind): number {
    const first = this.nextPfn;
    for (let i = 0; i < n; i++) this.allocPage(kind);
    return first;
  }

  /** A reserved carveout or device BAR: contiguous PFNs with no struct page. */
  reserveNoPage(n: number): number {
    const first = this.carveoutNext;
    this.carveoutNext += n + 0x100;
    return first;
  }

  freePage(pfn: number): void {
    const o = this.order[pfn];
    if (o) { this.freeFolio(pfn & ~((1 << o) - 1), o); return; }
    this.pgfree++;
    this.flags[pfn] = 0; this.kind[pfn] = PageKind.Free; this.mapcount[pfn] = 0;
    this.refcount[pfn] = 0; this.mapping[pfn] = 0; this.index[pfn] = 0;
  }

  /** folio_put() of the last reference of a large folio: every page back to the allocator. */
  private freeFolio(head: number, order: number): void {
    this.pgfree += 1 << order;
    for (let pfn = head; pfn < head + (1 << order); pfn++) {
      this.flags[pfn] = 0; this.kind[pfn] = PageKind.Free; this.mapcount[pfn] = 0;
      this.refcount[pfn] = 0; this.mapping[pfn] = 0; this.index[pfn] = 0; this.order[pfn] = 0;
    }
    this.entire.delete(head);
    this.pincount.delete(head);
  }

  /** The head PFN of the folio `pfn` belongs to (page_folio()). */
  head(pfn: number): number { const o = this.order[pfn]; return o ? pfn & ~((1 << o) - 1) : pfn; }

  /** Folio flags live on the head page (PageAnonExclusive is per page). */
  private at(pfn: number, bit: number): number { return bit & FOLIO_FLAG_BITS ? this.head(pfn) : pfn; }
  setFlag(pfn: number, bit: number): void {
    pfn = this.at(pfn, bit);
    const b = this.flags[pfn];
    if (b & bit) return;
    this.flags[pfn] = b | bit;
    this.tr.folioSet(pfn, 'flags', b, b | bit);
  }
  clearFlag(pfn: number, bit: number): boolean {
    pfn = this.at(pfn, bit);
    const b = this.flags[pfn];
    if (!(b & bit)) return false;
    this.flags[pfn] = b & ~bit;
    this.tr.folioSet(pfn, 'flags', b, b & ~bit);
    return true;
  }
  /**
   * A per-page flag (SetPageAnonExclusive(), not a folio flag) set on each of the pages
   * pfn..pfn+nr-1: the same changes and records as setFlag() of each, runs of pages with
   * the same flags before as one record.
   */
  setPageFlags(pfn: number, nr: number, bit: number): void {
    if (bit & FOLIO_FLAG_BITS) throw new Error('engine BUG: setPageFlags of a folio flag');
    const F = this.flags, end = pfn + nr;
    let rs = -1, rb = 0;
    for (let p = pfn; p < end; p++) {
      const b = F[p];
      if (b & bit) {
        if (rs >= 0) { this.tr.folioFlagsRun(rs, p - rs, rb, rb | bit); rs = -1; }
        continue;
      }
      F[p] = b | bit;
      if (rs >= 0 && b !== rb) { this.tr.folioFlagsRun(rs, p - rs, rb, rb | bit); rs = -1; }
      if (rs < 0) { rs = p; rb = b; }
    }
    if (rs >= 0) this.tr.folioFlagsRun(rs, end - rs, rb, rb | bit);
  }
  test(pfn: number, bit: number): boolean { return (this.flags[this.at(pfn, bit)] & bit) !== 0; }
  setMapping(pfn: number, mapping: number): void {
    const b = this.mapping[pfn];
    if (b === mapping) return;
    this.mapping[pfn] = mapping;
    this.tr.folioSet(pfn, 'mapping', b, mapping);
  }
  setIndex(pfn: number, index: number): void {
    const b = this.index[pfn];
    if (b === index) return;
    this.index[pfn] = index;
    this.tr.folioSet(pfn, 'index', b, index);
  }
  folioTestAnon(pfn: number): boolean { return this.mapping[pfn] < 0; }
  /** A folio-level flag (PG_dirty, PG_writeback, PG_locked, PG_uptodate...): kept on the head. */
  folioTest(pfn: number, bit: number): boolean { return (this.flags[this.head(pfn)] & bit) !== 0; }
}
