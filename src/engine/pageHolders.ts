// Page references held outside the page tables, by a file a process has open: a pipe's
// buffers (fs/pipe.c; vmsplice.ts fills them) and an io_uring ring's registered buffers
// (io_uring/rsrc.c; pin.ts fills them). Each kind takes its references the kernel's way
// (a pipe: try_grab_folio(FOLL_GET); a registered buffer: FOLL_PIN), so the rules that count
// references see them. The file is held by the process that made it and by the children it
// forks later (fork copies the file table: dup_fd); when the last holder exits, the file's
// release puts the references (exit_files → fput → pipe_release / io_ring_ctx_free). What
// the holder reads is the pages' current contents: a write that reached one of its pages
// after they were taken is noted (memory.ts), which is what cow.c's vmsplice tests call a
// leak and its io_uring tests a reliable pin. The same in 6.1 and 6.12.

import type { Kernel, Task } from './kernel';
import type { KernelFn } from './kernelFunctions';
import { ZERO_PFN, isHugeZeroPfn } from './memmap';

export abstract class PageHolder {
  abstract readonly kind: 'pipe' | 'pin';
  /** the kernel function that drops the references when the last holder exits (trace) */
  protected abstract readonly releaseFn: KernelFn;
  /** the PFN of each page held, in order */
  readonly pfns: number[] = [];
  /** a write reached one of the pages after it was taken */
  changed = false;
  readonly holders = new Set<Task>();
  released = false;
  constructor(readonly name: string) {}
  /** take this holder's reference on pfn's folio */
  protected abstract grab(k: Kernel, head: number): void;
  /** drop it; true when it was the folio's last reference */
  protected abstract put(k: Kernel, head: number): boolean;

  /** Hold pfn (one more buffer). */
  hold(k: Kernel, pfn: number): void {
    if (counted(k, pfn)) this.grab(k, k.memmap.head(pfn));
    this.pfns.push(pfn);
    k.heldPfns.set(pfn, (k.heldPfns.get(pfn) ?? 0) + 1);
  }

  /** Drop every reference (the file's release, or a failed registration). */
  release(k: Kernel): void {
    k.tr.call(this.releaseFn);
    this.released = true;
    const mm = k.memmap;
    for (const pfn of this.pfns) {
      const left = (k.heldPfns.get(pfn) ?? 1) - 1;
      if (left) k.heldPfns.set(pfn, left); else k.heldPfns.delete(pfn);
      if (!counted(k, pfn)) continue;
      const head = mm.head(pfn);
      if (this.put(k, head)) { k.deferredSplit.delete(head); mm.freePage(head); }
    }
  }
}

/** A held reference on a struct page: the folio's refcount (the zero pages are not counted). */
export function counted(k: Kernel, pfn: number): boolean {
  return pfn !== ZERO_PFN && !isHugeZeroPfn(pfn) && k.memmap.pfnValid(pfn);
}

/** fork: the child's file table holds the parent's pipes and rings too (dup_fd). */
export function holdersFork(k: Kernel, parent: Task, child: Task): void {
  for (const h of k.pageHolders.values()) if (h.holders.has(parent)) h.holders.add(child);
}

/** exit: exit_files() closes the task's files; the last holder releases the references. */
export function holdersExit(k: Kernel, task: Task): void {
  for (const h of k.pageHolders.values()) {
    if (!h.holders.delete(task) || h.holders.size || h.released) continue;
    h.release(k);
  }
}

/** The live holder with a reference to a page of the folio at head, if any. */
export function holderOf(k: Kernel, head: number): PageHolder | undefined {
  for (const pfn of k.heldPfns.keys()) {
    if (k.memmap.head(pfn) !== head) continue;
    for (const h of k.pageHolders.values()) if (!h.released && h.pfns.includes(pfn)) return h;
  }
  return undefined;
}

/** A user write landed on pfn (memory.ts): the holders that reference it now read something else. */
export function holdersNoteWrite(k: Kernel, pfn: number): void {
  if (!k.heldPfns.has(pfn)) return;
  for (const h of k.pageHolders.values()) if (!h.released && h.pfns.includes(pfn)) h.changed = true;
}
