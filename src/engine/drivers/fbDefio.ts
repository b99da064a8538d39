// drivers/video/fbdev/core/fb_defio.c — fbdev deferred I/O, as a versioned module. Every
// version-dependent branch names its rule in versions.ts (mainline release and the 6.1.y
// stable releases that received it): the folio API, mapping_wrprotect_range(), the
// page_mkwrite vm_pgoff fix, the release/lastclose hook and what it does, and fsync.

import { AddressSpace } from '../addressSpace';
import type { FileOperations } from '../fileOperations';
import { OutOfSimulatedRam, PageKind, PG_locked } from '../memmap';
import type { Kernel, Timer } from '../kernel';
import { folioMkclean, mappingWrprotectRange } from '../rmap';
import { VM_DONTDUMP, VM_DONTEXPAND } from '../vma';
import { VM_FAULT_LOCKED, VM_FAULT_OOPS, VM_FAULT_SIGBUS, VmFault, VmOps } from '../vmOps';

export type FbBacking = 'vmalloc' | 'contig' | 'carveout';

/** struct fb_deferred_io + the fb_info fields defio uses (pagerefs, deferred_work). */
export class FbDefio {
  /** 6.15: fbdefio->mapping, set by fb_deferred_io_open() (last opener wins) */
  mapping: AddressSpace | undefined;
  /** fbdefio->open_count: files opened and not yet released */
  openCount = 0;
  /** struct files opened so far (each `mmap` statement opens one; a VMA names its file) */
  filesOpened = 0;
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
  const as = vmf.vma.file!, fb = fbDefioOf(as)!;
  if (vmf.pgoff >= as.sizePages) return VM_FAULT_SIGBUS; // offset >= smem_len
  const pfn = fb_deferred_io_get_page(k, fb, vmf.pgoff);
  if (pfn === 'oops') {
    k.tr.oops(`BUG: unable to handle page fault in fb_deferred_io_fault: pfn 0x${fb.as.backing![vmf.pgoff].toString(16)} ` +
      `of ${as.name}[${vmf.pgoff}] has no struct page (carveout)`);
    return VM_FAULT_OOPS;
  }
  if (!k.profile.has('mapping-wrprotect-range')) {
    // ≤6.14: "page->mapping = vmf->vma->vm_file->f_mapping; page->index = vmf->pgoff"
    k.tr.call('fb_deferred_io_fault: page->mapping = f_mapping, page->index = pgoff');
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
  const as = vmf.vma.file!, fb = fbDefioOf(as)!;
  k.tr.call('file_update_time');
  const page = k.profile.has('fb-defio-mkwrite-pgoff') ? vmf.pgoff : (vmf.address - vmf.vma.start) / 4096;
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
function schedule_delayed_work(k: Kernel, fb: FbDefio, delay = fb.delay): void {
  k.tr.call('schedule_delayed_work');
  if (fb.work) { k.tr.defio(fb.as.id, 'arm-noop', -1, fb.work.due); return; }
  fb.work = k.addTimer(k.now + delay, fb.as.id, () => { fb.work = undefined; fb_deferred_io_work(k, fb); });
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
    if (k.profile.has('mapping-wrprotect-range')) {
      mappingWrprotectRange(k, fb.mapping, page, pfn, 1);
    } else {
      // ≤6.14: folio_lock(); folio_mkclean(); folio_unlock() (6.1: the page_ API)
      folioMkclean(k, pfn, k.profile.has('fb-defio-folio-api') ? 'folio_mkclean' : 'page_mkclean');
    }
  }
  fb.lastWritten = fb.pagereflist.slice();
  k.tr.defio(as.id, 'deferred_io', fb.lastWritten.length, k.now);
  fb.clear();
  k.tr.defio(as.id, 'work-end', fb.lastWritten.length, k.now);
}

// kernel/workqueue.c: flush_delayed_work() — run a pending work now (the `flush` statement).
// kernel/workqueue.c: flush_delayed_work(&info->deferred_work): the scenario's `flush OBJ`.
export function flush_delayed_work(k: Kernel, fb: FbDefio): number {
  k.tr.call('flush_delayed_work');
  return flushDeferredWork(k, fb);
}

export function flushDeferredWork(k: Kernel, fb: FbDefio): number {
  if (!fb.work) return 0;
  k.cancelTimer(fb.work);
  fb.work = undefined;
  fb_deferred_io_work(k, fb);
  return fb.lastWritten.length;
}

// kernel/workqueue.c: cancel_delayed_work_sync() — the pending work will not run; the
// pages stay on the list for the next work.
function cancelDeferredWork(k: Kernel, fb: FbDefio): void {
  if (!fb.work) return;
  k.cancelTimer(fb.work);
  fb.work = undefined;
  k.tr.call('cancel_delayed_work_sync');
}

// fb_deferred_io_fsync(): from 6.8 (rule fb-defio-fsync-flush, 6.1.75)
// "flush_delayed_work(&info->deferred_work)": the pending work runs before fsync returns.
// Before: "cancel_delayed_work_sync(); schedule_delayed_work(&info->deferred_work, 0)":
// the work is re-armed at once (even when nothing is pending) and runs asynchronously,
// i.e. when time next advances (`wait`); fsync writes nothing itself. Returns the number of
// pages handed to ->deferred_io by this call.
export function fb_deferred_io_fsync(k: Kernel, fb: FbDefio): number {
  if (k.profile.has('fb-defio-fsync-flush')) return flushDeferredWork(k, fb);
  cancelDeferredWork(k, fb);
  schedule_delayed_work(k, fb, 0);
  return 0;
}

// fb_deferred_io_open(): a_ops = fb_deferred_io_aops; 6.15+: fbdefio->mapping = f_mapping.
// Returns the new struct file (its number), which the VMA keeps as vm_file.
export function fb_deferred_io_open(k: Kernel, fb: FbDefio): number {
  fb.openCount++;
  if (k.profile.has('mapping-wrprotect-range')) fb.mapping = fb.as;
  return ++fb.filesOpened;
}

// fb_release() of one struct file. Each `mmap` statement is an open(2) + mmap(2) + close(2),
// and a VMA holds a reference on its vm_file (fork and VMA splits take their own), so a
// file is released when the last VMA holding it goes (mmap.ts removeVma). Then:
// - before 6.2 / 6.1.13 (rule fb-defio-release-hook): fb_release() has no deferred-I/O
//   hook: nothing happens (the work stays armed, page->mapping stays set);
// - 6.2 / 6.1.13 … 6.1.20: fb_deferred_io_release() at every file release: cancel the
//   work, page->mapping = NULL for every page of smem_len;
// - 6.3 / 6.1.21 on (rule fb-defio-lastclose-only): "if (!--fbdefio->open_count)
//   fb_deferred_io_lastclose(info)".
export function fb_release(k: Kernel, fb: FbDefio): void {
  fb.openCount = Math.max(0, fb.openCount - 1);
  if (!k.profile.has('fb-defio-release-hook')) return;
  if (!k.profile.has('fb-defio-lastclose-only')) {
    k.tr.call('fb_release → fb_deferred_io_release');
    cancelDeferredWork(k, fb);
    clearPageMapping(k, fb, false, 'fb_deferred_io_release');
    return;
  }
  if (fb.openCount > 0) return;
  k.tr.call('fb_release → fb_deferred_io_release: open_count 0 → fb_deferred_io_lastclose');
  fb_deferred_io_lastclose(k, fb);
}

// fb_deferred_io_lastclose():
// - the pending work is flushed from 6.8 / 6.1.75 (rule fb-defio-flush-on-lastclose,
//   "fbdev: flush deferred IO before closing"); before, cancelled (the list stays);
// - 6.15+: nothing else (the series removed the page->mapping clearing);
// - ≤6.14: page->mapping = NULL: from 6.11 (rule fb-defio-lastclose-pagerefs)
//   "for (i = 0; i < info->npagerefs; ++i) fb_deferred_io_pageref_clear()" — only pages a
//   pageref cached; before, every page of smem_len, looked up like ->fault does.
// The 6.1.y raspberrypi tree flushes only when the list is non-empty (a downstream patch,
// raspberrypi/linux #5413): the same effect, as the work is armed only while the list is
// non-empty. A page without a struct page (carveout) is skipped.
export function fb_deferred_io_lastclose(k: Kernel, fb: FbDefio): void {
  if (k.profile.has('fb-defio-flush-on-lastclose')) flushDeferredWork(k, fb);
  else cancelDeferredWork(k, fb);
  if (k.profile.has('mapping-wrprotect-range')) return;
  clearPageMapping(k, fb, k.profile.has('fb-defio-lastclose-pagerefs'), 'fb_deferred_io_lastclose');
}

function clearPageMapping(k: Kernel, fb: FbDefio, pagerefsOnly: boolean, caller: 'fb_deferred_io_release' | 'fb_deferred_io_lastclose'): void {
  const as = fb.as;
  for (let i = 0; i < as.sizePages; i++) {
    const pfn = pagerefsOnly ? fb.pagerefPage[i] : as.backing![i];
    if (!pfn || !k.memmap.pfnValid(pfn) || k.memmap.mapping[pfn] !== as.id) continue;
    k.memmap.setMapping(pfn, 0);
  }
  k.tr.call(`${caller}: page->mapping = NULL`);
}

export const fb_deferred_io_vm_ops: VmOps = {
  name: 'fb_deferred_io_vm_ops', faultName: 'fb_deferred_io_fault', fault: fb_deferred_io_fault,
  pageMkwriteName: 'fb_deferred_io_mkwrite', pageMkwrite: fb_deferred_io_mkwrite,
};

/** The deferred-I/O state of an fbdev object (its private_data), if it is one. */
export function fbDefioOf(as: AddressSpace | undefined): FbDefio | undefined {
  return as?.fops === fb_fops ? (as.private_data as FbDefio) : undefined;
}

// drivers/video/fbdev/core/fb_chrdev.c: fb_fops — open/mmap/fsync/release of /dev/fbN with
// deferred I/O (fb_deferred_io_open, fb_deferred_io_mmap, fb_deferred_io_fsync, fb_release).
export const fb_fops: FileOperations = {
  name: 'fb_fops',
  open: (k, as) => fb_deferred_io_open(k, fbDefioOf(as)!),
  // fb_deferred_io_mmap(): VM_DONTEXPAND | VM_DONTDUMP; FBINFO_VIRTFB: no VM_IO
  mmap: () => ({ ops: fb_deferred_io_vm_ops, flags: VM_DONTEXPAND | VM_DONTDUMP }),
  fsync: (k, as) => fb_deferred_io_fsync(k, fbDefioOf(as)!),
  release: (k, as) => fb_release(k, fbDefioOf(as)!),
};

/**
 * A framebuffer with deferred I/O (register_framebuffer + fb_deferred_io_init): the device
 * inode's own address_space, with no writeback (device bdi); fb_deferred_io_open sets
 * a_ops = fb_deferred_io_aops (dirty_folio = noop_dirty_folio). The screen memory is
 * vmalloc'ed pages, one contiguous allocation, or a carveout without struct pages.
 */
export function fbdev_create(k: Kernel, name: string, pages: number, backing: FbBacking, delayMs: number, sorted: boolean): AddressSpace {
  const as = new AddressSpace(k.ids.mapping++, name, 'fbdev', pages, false, 'noop_dirty_folio');
  as.fops = fb_fops;
  as.backing = new Uint32Array(pages);
  if (backing === 'vmalloc') {
    const pfns = k.memmap.allocVmallocPages(pages);
    for (let i = 0; i < pages; i++) as.backing[i] = pfns[i];
  } else if (backing === 'contig') {
    if (pages > k.memmap.framesLeft()) throw new OutOfSimulatedRam();
    const first = k.memmap.allocContig(pages, PageKind.Kmem);
    for (let i = 0; i < pages; i++) as.backing[i] = first + i;
  } else {
    const first = k.memmap.reserveNoPage(pages);
    for (let i = 0; i < pages; i++) as.backing[i] = first + i;
  }
  // fb_deferred_io_init(): "if (fbdefio->delay == 0) /* set a default of 1 s */
  // fbdefio->delay = HZ;" (every version 6.1 … 6.15+, HZ = 1000).
  as.private_data = new FbDefio(as, backing, delayMs === 0 ? 1000 : delayMs, sorted);
  return k.registerObject(as);
}
