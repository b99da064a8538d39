// arch/x86 4-level paging: PGD (bits 47:39) → PUD (38:30) → PMD (29:21) → PTE (20:12).
// Upper levels are sparse 512-entry arrays; a PTE table is two Uint32Array(512) (flags,
// pfn), so a million PTEs cost 8 MB and the hot path allocates nothing.

export const PTRS_PER_TABLE = 512;

/** Tables per slab: the tables' arrays are views of one ArrayBuffer per 32 tables (one
 *  backing store, allocated and swept once, instead of two per table). Never reused: a
 *  slab is freed by the GC when none of its tables is referenced any more. */
const SLAB_TABLES = 32;
const TABLE_BYTES = PTRS_PER_TABLE * 8;
let slab: ArrayBuffer | undefined;
let slabNext = SLAB_TABLES;
function slabSlot(): [ArrayBuffer, number] {
  if (slabNext === SLAB_TABLES) { slab = new ArrayBuffer(SLAB_TABLES * TABLE_BYTES); slabNext = 0; }
  return [slab!, TABLE_BYTES * slabNext++];
}

export class PteTable {
  readonly flags: Uint32Array;
  readonly pfn: Uint32Array;
  /** number of non-none entries, so empty tables can be freed (free_pte_range) */
  used = 0;
  /**
   * A PMD leaf (pmd_trans_huge): the PMD entry maps 512 pages itself. The model keeps the
   * table's arrays as the per-page view of that one entry (every slot the PMD's flags,
   * PFN head + i), so a reader of one page sees what the MMU would; Mm.setPte on a slot of
   * a leaf rewrites the PMD entry (all 512 slots) and Mm.setPmd installs or clears it.
   */
  leaf = false;
  constructor(readonly base: number) {
    const [buf, off] = slabSlot();
    this.flags = new Uint32Array(buf, off, PTRS_PER_TABLE);
    this.pfn = new Uint32Array(buf, off + PTRS_PER_TABLE * 4, PTRS_PER_TABLE);
  }
}

type Pmd = (PteTable | undefined)[];
type Pud = (Pmd | undefined)[];
type Pgd = (Pud | undefined)[];

export function pgdIndex(addr: number): number { return Math.floor(addr / 2 ** 39) % 512; }
export function pudIndex(addr: number): number { return Math.floor(addr / 2 ** 30) % 512; }
export function pmdIndex(addr: number): number { return Math.floor(addr / 2 ** 21) % 512; }
export function pteIndex(addr: number): number { return Math.floor(addr / 4096) % 512; }
export const PMD_SIZE = 2 ** 21;
export const PUD_SIZE = 2 ** 30;
export const PGDIR_SIZE = 2 ** 39;

export class PageTables {
  private pgd: Pgd = new Array(PTRS_PER_TABLE);
  tableCount = 0;

  /** pte_offset_map(): the PTE table covering addr, or undefined when a level is missing. */
  lookup(addr: number): PteTable | undefined {
    const pud = this.pgd[pgdIndex(addr)];
    if (!pud) return undefined;
    const pmd = pud[pudIndex(addr)];
    if (!pmd) return undefined;
    return pmd[pmdIndex(addr)];
  }

  /** __pte_alloc() and friends: the PTE table covering addr, allocating missing levels. */
  alloc(addr: number): PteTable {
    const gi = pgdIndex(addr);
    let pud = this.pgd[gi];
    if (!pud) { pud = new Array(PTRS_PER_TABLE); this.pgd[gi] = pud; }
    const ui = pudIndex(addr);
    let pmd = pud[ui];
    if (!pmd) { pmd = new Array(PTRS_PER_TABLE); pud[ui] = pmd; }
    const mi = pmdIndex(addr);
    let t = pmd[mi];
    if (!t) { t = new PteTable(addr - (addr % PMD_SIZE)); pmd[mi] = t; this.tableCount++; }
    return t;
  }

  /** Which level is missing at addr (for page_vma_mapped_walk's hole skipping). */
  missingLevelSize(addr: number): number {
    const pud = this.pgd[pgdIndex(addr)];
    if (!pud) return PGDIR_SIZE;
    const pmd = pud[pudIndex(addr)];
    if (!pmd) return PUD_SIZE;
    if (!pmd[pmdIndex(addr)]) return PMD_SIZE;
    return 0;
  }

  /** free_pgd_range() for a table that became empty. */
  freeIfEmpty(addr: number): void {
    const pud = this.pgd[pgdIndex(addr)];
    const pmd = pud?.[pudIndex(addr)];
    const t = pmd?.[pmdIndex(addr)];
    if (pmd && t && t.used === 0) { pmd[pmdIndex(addr)] = undefined; this.tableCount--; }
  }

  /** pmd_trans_huge(*pmd) at addr */
  isLeaf(addr: number): boolean { return !!this.lookup(addr)?.leaf; }

  /** Every PTE table, in address order. */
  *tables(): IterableIterator<PteTable> {
    for (let g = 0; g < PTRS_PER_TABLE; g++) {
      const pud = this.pgd[g]; if (!pud) continue;
      for (let u = 0; u < PTRS_PER_TABLE; u++) {
        const pmd = pud[u]; if (!pmd) continue;
        for (let m = 0; m < PTRS_PER_TABLE; m++) { const t = pmd[m]; if (t) yield t; }
      }
    }
  }
}
