// drivers/video/fbdev/core/fb_defio.c — fbdev deferred I/O, as a versioned module:
//   6.1      fault sets page->mapping/index; work: lock_page + page_mkclean + unlock_page
//   6.2–6.14 the same with folios (folio_lock + folio_mkclean + folio_unlock)
//   6.15+    fbdefio->mapping recorded at open; work: mapping_wrprotect_range(), no lock
//   < 6.9    page_mkwrite computed the pageref from the address relative to vm_start,
//            ignoring vm_pgoff (fixed by "fbdev: fix incorrect address computation in
//            deferred IO", 6.9)

import type { AddressSpace } from './addressSpace';
import type { Kernel, Timer } from './kernel';
import { PG_locked } from './memmap';
import { folioMkclean, mappingWrprotectRange } from './rmap';
import { VM_FAULT_LOCKED, VM_FAULT_OOPS, VM_FAULT_SIGBUS, VmFault, VmOps } from './vmOps';

export type FbBacking = 'vmalloc' | 'contig' | 'carveout';

/** struct fb_deferred_io + the fb_info fields defio uses (pagerefs, deferred_work). */
export class FbDefio {
  /** 6.15: fbdefio->mapping, set by fb_deferred_io_open() (last opener wins) */
  mapping: AddressSpace | undefined;
  openCount = 0;
  /** pagereflist: page indexes (pageref->offset >> PAGE_SHIFT) in list order */
  pagereflist: number[] = [];
  private onList: Uint8Array;
  /** pageref->page: the struct page cached for each pageref */
  pagerefPage: Uint32Array;
  /** the delayed work, when queued */
  work: Timer | undefined;
  /** the list handed to ->deferred_io by the last work run */
  lastWritten: number[] = [];
  workRuns = 0;

  constructor(readonly as: AddressSpace, readonly backing: FbBacking, readonly delay: number, readonly sorted: boolean) {
    this.onList = new Uint8Array(as.sizePages);
    this.pagerefPage = new Uint32Array(as.sizePages);
  }
  isListed(page: number): boolean { return this.onList[page] === 1; }
  get workDue(): number | undefined { return this.work?.due; }

  // fb_deferred_io_pageref_get(): 1:1 pageref per page offset; not added twice
  // ("a new process could start writing to the same page through a new PTE"); tail
  // insertion, or sorted by offset with sort_pagereflist.
  add(page: number, pfn: number): boolean {
    if (this.onList[page]) return false;
    this.pagerefPage[page] = pfn;
    this.onList[page] = 1;
    if (!this.sorted) this.pagereflist.push(page);
    else {
      let i = 0;
      while (i < this.pagereflist.length && this.pagereflist[i] < page) i++;
      this.pagereflist.splice(i, 0, page);
    }
    return true;
  }
  clear(): void { for (const p of this.pagereflist) this.onList[p] = 0; this.pagereflist = []; }
}

// fb_deferred_io_get_page(): vmalloc_to_page() for a vmalloc'ed buffer, else
// pfn_to_page(smem_start + offset). A carveout has no struct page: pfn_to_page() yields a
// pointer into unpopulated vmemmap and the first get_page() on it is a kernel paging
// fault — an oops in every version.
function fb_deferred_io_get_page(k: Kernel, fb: FbDefio, page: number): number | 'oops' {
  const pfn = fb.as.backing![page];
  if (fb.backing === 'vmalloc') { k.tr.call('vmalloc_to_page'); }
  else { k.tr.call('pfn_to_page'); }
  if (!k.memmap.pfnValid(pfn)) return 'oops';
  k.memmap.refcount[pfn]++; // get_page()
  return pfn;
}

// fb_deferred_io_fault()
function fb_deferred_io_fault(k: Kernel, vmf: VmFault): number {
  const as = vmf.vma.file!, fb = as.fb!;
  if (vmf.pgoff >= as.sizePages) return VM_FAULT_SIGBUS; // offset >= smem_len
  const pfn = fb_deferred_io_get_page(k, fb, vmf.pgoff);
  if (pfn === 'oops') {
    k.tr.oops(`BUG: unable to handle page fault in fb_deferred_io_fault: pfn 0x${fb.as.backing![vmf.pgoff].toString(16)} ` +
      `of ${as.name}[${vmf.pgoff}] has no struct page (carveout)`);
    return VM_FAULT_OOPS;
  }
  if (k.profile.fbDefioSetsPageMapping) {
    // ≤6.14: "page->mapping = vmf->vma->vm_file->f_mapping; page->index = vmf->pgoff"
    k.tr.call('page->mapping = f_mapping, page->index = pgoff');
    k.memmap.setMapping(pfn, as.id);
    k.memmap.setIndex(pfn, vmf.pgoff);
  } else if (!fb.mapping) {
    k.tr.oops('kernel BUG at fb_defio.c: BUG_ON(!fbdefio->mapping) in fb_deferred_io_fault');
    return VM_FAULT_OOPS;
  }
  vmf.page = pfn;
  return 0;
}

// fb_deferred_io_mkwrite() → fb_deferred_io_page_mkwrite() → fb_deferred_io_track_page()
function fb_deferred_io_mkwrite(k: Kernel, vmf: VmFault): number {
  const as = vmf.vma.file!, fb = as.fb!;
  k.tr.call('file_update_time');
  const page = k.profile.fbDefioMkwriteUsesPgoff ? vmf.pgoff : (vmf.address - vmf.vma.start) / 4096;
  if (page >= as.sizePages) return VM_FAULT_SIGBUS;
  k.tr.call('fb_deferred_io_track_page');
  if (fb.add(page, vmf.page)) k.tr.defio(as.id, 'track', page, k.now);
  else k.tr.defio(as.id, 'track-again', page, k.now);
  // lock_page(pageref->page): held until the PTE is writable and dirty
  k.memmap.flags[vmf.page] |= PG_locked;
  schedule_delayed_work(k, fb);
  return VM_FAULT_LOCKED;
}

// kernel/workqueue.c: schedule_delayed_work() — a no-op while the work is pending.
function schedule_delayed_work(k: Kernel, fb: FbDefio): void {
  k.tr.call('schedule_delayed_work');
  if (fb.work) { k.tr.defio(fb.as.id, 'arm-noop', -1, fb.work.due); return; }
  fb.work = k.addTimer(k.now + fb.delay, fb.as.id, () => { fb.work = undefined; fb_deferred_io_work(k, fb); });
  k.tr.defio(fb.as.id, 'arm', -1, fb.work.due);
}

// fb_deferred_io_work(): write-protect every listed page, hand the list to the driver,
// empty the list.
export function fb_deferred_io_work(k: Kernel, fb: FbDefio): void {
  const as = fb.as;
  k.tr.defio(as.id, 'work-start', -1, k.now);
  fb.workRuns++;
  for (const page of fb.pagereflist) {
    const pfn = fb.pagerefPage[page];
    k.tr.defio(as.id, 'wrprotect', page, k.now);
    if (k.profile.hasMappingWrprotectRange) {
      mappingWrprotectRange(k, fb.mapping, page, pfn, 1);
    } else {
      // ≤6.14: folio_lock(); folio_mkclean(); folio_unlock() (6.1: the page_ API)
      folioMkclean(k, pfn, k.profile.fbDefioUsesFolios ? 'folio_mkclean' : 'page_mkclean');
    }
  }
  fb.lastWritten = fb.pagereflist.slice();
  k.tr.defio(as.id, 'deferred_io', fb.lastWritten.length, k.now);
  fb.clear();
  k.tr.defio(as.id, 'work-end', fb.lastWritten.length, k.now);
}

// kernel/workqueue.c: flush_delayed_work() — run a pending work now (fb_deferred_io_fsync).
export function flushDeferredWork(k: Kernel, fb: FbDefio): number {
  if (!fb.work) return 0;
  k.cancelTimer(fb.work);
  fb.work = undefined;
  fb_deferred_io_work(k, fb);
  return fb.lastWritten.length;
}

// fb_deferred_io_open(): a_ops = fb_deferred_io_aops; 6.15+: fbdefio->mapping = f_mapping.
export function fb_deferred_io_open(k: Kernel, fb: FbDefio): void {
  fb.openCount++;
  if (k.profile.hasMappingWrprotectRange) fb.mapping = fb.as;
}

// fb_release() → fb_deferred_io_release(): "if (!--fbdefio->open_count)
// fb_deferred_io_lastclose(info)". Each `mmap` statement is an open(2) + mmap(2) + close(2),
// and a VMA holds a reference on its vm_file (fork and VMA splits take their own), so a
// file is released when its last VMA goes, and open_count reaches 0 when no VMA maps the
// framebuffer any more: the caller (mmap.ts removeVma) calls this when the fbdev's i_mmap
// becomes empty.
export function fb_deferred_io_release(k: Kernel, fb: FbDefio): void {
  k.tr.call('fb_release → fb_deferred_io_release: open_count 0 → fb_deferred_io_lastclose');
  fb.openCount = 0;
  fb_deferred_io_lastclose(k, fb);
}

// fb_deferred_io_lastclose():
// - 6.15+: "flush_delayed_work(&info->deferred_work);" and nothing else (the series removed
//   the page->mapping clearing).
// - 6.14 (and the 6.2+ pageref code): flush_delayed_work(), then
//   "for (i = 0; i < info->npagerefs; ++i) fb_deferred_io_pageref_clear(&info->pagerefs[i]);"
//   — page->mapping = NULL for each pageref that cached a page.
// - 6.1 (the 6.1.y stable code, docs/kernel-findings.md §6): flush, then page->mapping =
//   NULL for every page of smem_len, looked up like ->fault does.
// Not modelled: mainline 6.2 ran this on every file's release, and 6.3 until the stable fix
// "fbdev: flush deferred IO before closing" cancelled the pending work instead of flushing
// it (docs/engine-notes.md). A page without a struct page (carveout) is skipped.
export function fb_deferred_io_lastclose(k: Kernel, fb: FbDefio): void {
  flushDeferredWork(k, fb);
  if (!k.profile.fbDefioSetsPageMapping) return;
  const as = fb.as;
  for (let i = 0; i < as.sizePages; i++) {
    const pfn = k.profile.fbDefioUsesFolios ? fb.pagerefPage[i] : as.backing![i];
    if (!pfn || !k.memmap.pfnValid(pfn) || k.memmap.mapping[pfn] !== as.id) continue;
    k.memmap.setMapping(pfn, 0);
  }
  k.tr.call('page->mapping = NULL');
}

export const fb_deferred_io_vm_ops: VmOps = {
  name: 'fb_deferred_io_vm_ops', faultName: 'fb_deferred_io_fault', fault: fb_deferred_io_fault,
  pageMkwriteName: 'fb_deferred_io_mkwrite', pageMkwrite: fb_deferred_io_mkwrite,
};
