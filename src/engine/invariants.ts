// Engine invariants (kernel-model §8.3), checked over the whole machine state. Pure: reads
// the engine, changes nothing, returns the violations found (empty = all hold). The
// property tests call it after every statement of generated scenarios.

import type { Kernel } from './kernel';
import { is_swap_pte, pte_swp_soft_dirty } from './swapEntry';
import type { AddressSpace } from './addressSpace';
import { PG_dirty, PageKind, isHugeZeroPfn } from './memmap';
import { pte_dirty, pte_none, pte_present, pte_soft_dirty, pte_special, pte_write } from './pte';
import { VM_SHARED, VM_WRITE, type Vma, linear_page_index } from './vma';
import { vma_wants_writenotify } from './mmap';

export interface PteRecord { pid: number; addr: number; flags: number; pfn: number; vma: Vma | undefined; /** a page of a PMD leaf */ pmd?: boolean }

/** Every non-none PTE of every live process, in pid then address order. */
export function allPtes(k: Kernel): PteRecord[] {
  const out: PteRecord[] = [];
  for (const t of k.tasks.values()) {
    const mm = t.mm;
    for (const table of mm.pt.tables()) {
      for (let i = 0; i < 512; i++) {
        const flags = table.flags[i], pfn = table.pfn[i];
        if (pte_none(flags, pfn)) continue;
        const addr = table.base + i * 4096;
        const r: PteRecord = { pid: t.pid, addr, flags, pfn, vma: mm.vma_lookup(addr) };
        if (table.leaf) r.pmd = true;
        out.push(r);
      }
    }
  }
  return out;
}

/** PTE state keyed `pid:addr`, for comparing before/after a statement. */
export function pteSnapshot(k: Kernel): Map<string, { flags: number; pfn: number }> {
  const m = new Map<string, { flags: number; pfn: number }>();
  for (const p of allPtes(k)) m.set(`${p.pid}:${p.addr}`, { flags: p.flags, pfn: p.pfn });
  return m;
}

export interface InvariantOptions {
  /**
   * PTEs (`pid:addr`) exempt from the write-notify rule: the documented exceptions an
   * observer tracks (mprotect upgraded an already-dirty PTE, kernel-model §3.7).
   */
  writeNotifyExempt?: ReadonlySet<string>;
}

const hex = (n: number) => '0x' + n.toString(16);

/**
 * The state invariants:
 *  - a non-special present PTE contributes exactly 1 to its page's mapcount, over all
 *    processes (special PTEs contribute nothing);
 *  - every PTE lies inside a VMA of its process;
 *  - every present PTE of a file VMA: the VMA is in its mapping's i_mmap and covers the
 *    pgoff the PTE maps (page-cache folio: folio->index; device: the backing PFN);
 *  - a writable PTE implies VM_WRITE;
 *  - in a write-notify VMA a writable PTE of a page-cache folio implies PG_dirty (except
 *    `opts.writeNotifyExempt`);
 *  - i_mmap is in order of vm_pgoff (ties in any order) and holds only live VMAs of the
 *    mapping.
 */
export function checkInvariants(k: Kernel, opts: InvariantOptions = {}): string[] {
  const out: string[] = [];
  const mm = k.memmap;
  const counted = new Map<number, number>();
  const pmdCounted = new Map<number, number>();
  for (const p of allPtes(k)) {
    const where = `pid ${p.pid} ${hex(p.addr)}`;
    const v = p.vma;
    if (!v) { out.push(`${where}: PTE outside every VMA`); continue; }
    if (!pte_present(p.flags)) continue;
    // a PMD leaf counts once, in its folio's entire mapcount (checked below)
    if (p.pmd) { if (p.addr % 2 ** 21 === 0 && !isHugeZeroPfn(p.pfn)) pmdCounted.set(p.pfn, (pmdCounted.get(p.pfn) ?? 0) + 1); }
    else if (!pte_special(p.flags) && mm.pfnValid(p.pfn)) counted.set(p.pfn, (counted.get(p.pfn) ?? 0) + 1);
    if (pte_write(p.flags) && !v.has(VM_WRITE)) out.push(`${where}: writable PTE in a VMA without VM_WRITE`);
    const f = v.file;
    if (f) {
      if (!f.iMmap.has(v)) out.push(`${where}: file VMA ${v.id} (${f.name}) is not in i_mmap`);
      const pgoff = linear_page_index(v, p.addr);
      const isCache = mm.pfnValid(p.pfn) && mm.kind[p.pfn] === PageKind.PageCache && mm.mapping[p.pfn] === f.id;
      if (isCache && mm.index[p.pfn] !== pgoff && !p.pmd) {
        out.push(`${where}: maps ${f.name} folio index ${mm.index[p.pfn]} at pgoff ${pgoff}`);
      }
      if (f.backing && pgoff < f.backing.length && f.backing[pgoff] !== p.pfn && !mm.folioTestAnon(p.pfn) && !pte_special(p.flags)) {
        // fbdev: a private COW copy is anon; anything else must be the device page at pgoff
        out.push(`${where}: maps pfn ${hex(p.pfn)}, but ${f.name}[${pgoff}] is pfn ${hex(f.backing[pgoff])}`);
      }
      if (pte_write(p.flags) && isCache && vma_wants_writenotify(v) && !mm.test(p.pfn, PG_dirty) &&
        !opts.writeNotifyExempt?.has(`${p.pid}:${p.addr}`)) {
        out.push(`${where}: writable PTE in a write-notify VMA (${f.name}[${pgoff}]) but the folio is not PG_dirty`);
      }
    }
  }
  // mapcount == number of non-special present PTEs mapping the page
  for (const [pfn, n] of counted) {
    if (mm.mapcount[pfn] !== n) out.push(`pfn ${hex(pfn)}: mapcount ${mm.mapcount[pfn]} but ${n} PTE(s) map it`);
  }
  for (let pfn = 0; pfn < mm.mapcount.length; pfn++) {
    if (mm.mapcount[pfn] !== 0 && !counted.has(pfn)) out.push(`pfn ${hex(pfn)}: mapcount ${mm.mapcount[pfn]} but no PTE maps it`);
  }
  // entire mapcount == number of PMD leaves mapping the folio
  for (const [head, n] of pmdCounted) {
    if (mm.entireOf(head) !== n) out.push(`pfn ${hex(head)}: entire mapcount ${mm.entireOf(head)} but ${n} PMD(s) map it`);
  }
  for (const [pfn, n] of mm.entire) {
    if (n !== 0 && !pmdCounted.has(pfn)) out.push(`pfn ${hex(pfn)}: entire mapcount ${n} but no PMD maps it`);
  }
  // i_mmap: sorted by vm_pgoff, live VMAs of this mapping only
  const live = new Set<Vma>();
  for (const t of k.tasks.values()) for (const v of t.mm.vmas) live.add(v);
  for (const as of k.objects.values()) out.push(...iMmapProblems(as, live));
  return out;
}

function iMmapProblems(as: AddressSpace, live: ReadonlySet<Vma>): string[] {
  const out: string[] = [];
  let prev = -Infinity;
  for (const v of as.iMmap.iter(0, Number.MAX_SAFE_INTEGER)) {
    if (v.pgoff < prev) out.push(`${as.name}: i_mmap out of order (pgoff ${v.pgoff} after ${prev})`);
    prev = v.pgoff;
    if (!live.has(v)) out.push(`${as.name}: i_mmap holds VMA ${v.id} that is no longer in its mm`);
    if (v.file !== as) out.push(`${as.name}: i_mmap holds VMA ${v.id} of another object`);
  }
  return out;
}

/**
 * After mkclean / folio_mkclean (`mapping`, pgoff, pfn, nr = 1) or
 * mapping_wrprotect_range(mapping, pgoff, pfn, nr): no PTE of those PFNs at those pgoffs in
 * a VM_SHARED VMA of the mapping is writable or dirty.
 */
export function checkWrprotected(mapping: AddressSpace, pgoff: number, pfn: number, nr: number): string[] {
  const out: string[] = [];
  if (!pfn) return out;
  for (const v of mapping.iMmap.iter(pgoff, pgoff + nr - 1)) {
    if (!(v.flags & VM_SHARED)) continue;
    const first = Math.max(pgoff, v.pgoff), last = Math.min(pgoff + nr - 1, v.lastPgoff);
    for (let p = first; p <= last; p++) {
      const addr = v.start + (p - v.pgoff) * 4096;
      const flags = v.mm.pteFlags(addr), ptePfn = v.mm.ptePfn(addr);
      if (pte_none(flags, ptePfn) || !pte_present(flags) || ptePfn < pfn || ptePfn >= pfn + nr) continue;
      if (pte_write(flags) || pte_dirty(flags)) {
        out.push(`${mapping.name}[${p}] pid ${v.mm.pid} ${hex(addr)}: still ${pte_write(flags) ? 'writable' : ''}${pte_dirty(flags) ? ' dirty' : ''} after write-protection`);
      }
    }
  }
  return out;
}

/** Soft-dirty bits cleared between two snapshots (allowed only by clear_refs of that pid); a
 *  swap or migration entry's bit is _PAGE_SWP_SOFT_DIRTY. */
export function softDirtyCleared(before: Map<string, { flags: number; pfn: number }>, after: Map<string, { flags: number; pfn: number }>,
  clearedPid?: number): string[] {
  const out: string[] = [];
  // a swap or migration entry keeps the bit as _PAGE_SWP_SOFT_DIRTY (try_to_unmap_one,
  // try_to_migrate_one, do_swap_page and remove_migration_pte carry it across)
  const softDirty = (flags: number) => (is_swap_pte(flags) ? pte_swp_soft_dirty(flags) : pte_soft_dirty(flags));
  for (const [key, b] of before) {
    if (!softDirty(b.flags)) continue;
    const a = after.get(key);
    if (!a || softDirty(a.flags)) continue;
    if (clearedPid !== undefined && key.startsWith(`${clearedPid}:`)) continue;
    out.push(`${key}: soft-dirty cleared (flags ${hex(b.flags)} → ${hex(a.flags)})`);
  }
  return out;
}
