// include/linux/mm_types.h: vm_area_struct, and the vm_flags the model uses.

import type { AddressSpace } from './addressSpace';
import type { AnonVma, AnonVmaChain } from './anonVma';
import type { Mm } from './mm';
import type { VmOps } from './vmOps';

// include/linux/mm.h
export const VM_READ = 0x1;
export const VM_WRITE = 0x2;
export const VM_EXEC = 0x4;
export const VM_SHARED = 0x8;
export const VM_MAYREAD = 0x10;
export const VM_MAYWRITE = 0x20;
export const VM_MAYEXEC = 0x40;
export const VM_MAYSHARE = 0x80;
export const VM_PFNMAP = 0x400;
export const VM_UFFD_WP = 0x1000;
/** mlock(2); no statement sets it (madvise refuses or skips VM_LOCKED VMAs where the kernel does) */
export const VM_LOCKED = 0x2000;
export const VM_IO = 0x4000;
export const VM_DONTCOPY = 0x20000;
export const VM_DONTEXPAND = 0x40000;
export const VM_ACCOUNT = 0x100000;
export const VM_WIPEONFORK = 0x2000000;
export const VM_DONTDUMP = 0x4000000;
export const VM_SOFTDIRTY = 0x8000000;
export const VM_MIXEDMAP = 0x10000000;
export const VM_HUGEPAGE = 0x20000000;
export const VM_NOHUGEPAGE = 0x40000000;
export const VM_SPECIAL = VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP;
export const VM_ACCESS_FLAGS = VM_READ | VM_WRITE | VM_EXEC;

// fs/proc/task_mmu.c: show_smap_vma_flags() mnemonics, in bit order.
const SMAPS_NAMES: [number, string][] = [
  [VM_READ, 'rd'], [VM_WRITE, 'wr'], [VM_EXEC, 'ex'], [VM_SHARED, 'sh'], [VM_MAYREAD, 'mr'],
  [VM_MAYWRITE, 'mw'], [VM_MAYEXEC, 'me'], [VM_MAYSHARE, 'ms'], [VM_PFNMAP, 'pf'], [VM_UFFD_WP, 'uw'],
  [VM_IO, 'io'], [VM_DONTCOPY, 'dc'], [VM_DONTEXPAND, 'de'], [VM_ACCOUNT, 'ac'], [VM_WIPEONFORK, 'wf'],
  [VM_DONTDUMP, 'dd'], [VM_SOFTDIRTY, 'sd'], [VM_MIXEDMAP, 'mm'], [VM_HUGEPAGE, 'hg'], [VM_NOHUGEPAGE, 'nh'],
];
export function smapsFlags(flags: number): string {
  return SMAPS_NAMES.filter(([b]) => flags & b).map(([, n]) => n).join(' ');
}


export class Vma {
  readonly id: number;
  anonVma: AnonVma | undefined = undefined;
  /** anon_vma_chain list (vma->anon_vma_chain) */
  avcs: AnonVmaChain[] = [];
  /** which struct file of `file` this VMA holds (vm_file; one per open, 0 when not tracked) */
  filp = 0;
  constructor(
    readonly mm: Mm,
    public start: number,
    public end: number,
    public pgoff: number,
    public flags: number,
    public pageProt: number,
    readonly ops: VmOps | undefined,
    readonly file: AddressSpace | undefined,
    id?: number,
  ) { this.id = id ?? mm.ids.vma++; }

  /**
   * The scenario's name for this VMA: the label of its lowest page (language v2), which
   * follows the pages through splits, merges and mremap (pageLabels.ts).
   */
  get label(): string | undefined { return this.mm.labels.at(this.start)?.label; }

  get pages(): number { return (this.end - this.start) / 4096; }
  /** mm/interval_tree.c: vma_last_pgoff() */
  get lastPgoff(): number { return this.pgoff + this.pages - 1; }
  has(f: number): boolean { return (this.flags & f) !== 0; }
}

// include/linux/mm.h: is_cow_mapping() — private and may be written.
export function is_cow_mapping(flags: number): boolean { return (flags & (VM_SHARED | VM_MAYWRITE)) === VM_MAYWRITE; }

// mm/internal.h: linear_page_index() for order-0 pages.
export function linear_page_index(vma: Vma, address: number): number {
  return vma.pgoff + (address - vma.start) / 4096;
}
