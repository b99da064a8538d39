// fs/pipe.c: a pipe's buffers and their page references (vmsplice.ts fills them).
//
// Each pipe_buffer holds one reference on its page's folio (try_grab_folio: one more on the
// folio's refcount), so the rules that count references see it: a COW fault cannot reuse a
// page the pipe holds (wp_can_reuse_anon_folio, do_huge_pmd_wp_page). A pipe is held by the
// process that made it and by the children it forks later (fork copies the file table);
// when the last holder exits, pipe_release() → free_pipe_info() drops the references
// (anon_pipe_buf_release: put_page). Reading the pipe gives the pages' current contents: a
// write that reached one of its pages after the splice is what cow.c's vmsplice tests call a
// leak (memory.ts notes such writes). The same in 6.1 and 6.12.

import type { Kernel, Task } from './kernel';
import { ZERO_PFN, isHugeZeroPfn } from './memmap';

export class Pipe {
  /** the PFN in each pipe_buffer, in order */
  readonly pfns: number[] = [];
  /** a write reached one of the pages after the splice */
  changed = false;
  readonly holders = new Set<Task>();
  released = false;
  constructor(readonly name: string) {}
}

/** A pipe's reference on a struct page: refcount of the folio (the zero pages are not counted). */
export function counted(k: Kernel, pfn: number): boolean {
  return pfn !== ZERO_PFN && !isHugeZeroPfn(pfn) && k.memmap.pfnValid(pfn);
}

/** fork: the child's file table holds the parent's pipes too (dup_fd). */
export function pipesFork(k: Kernel, parent: Task, child: Task): void {
  for (const p of k.pipes.values()) if (p.holders.has(parent)) p.holders.add(child);
}

/** exit: exit_files() closes the task's ends; the last holder releases the pipe. */
export function pipesExit(k: Kernel, task: Task): void {
  for (const p of k.pipes.values()) {
    if (!p.holders.delete(task) || p.holders.size) continue;
    pipe_release(k, p);
  }
}

// fs/pipe.c: pipe_release() → free_pipe_info() → pipe_buf_release() for each buffer:
// anon_pipe_buf_release() puts the page; the last reference frees the folio.
function pipe_release(k: Kernel, p: Pipe): void {
  k.tr.call('free_pipe_info');
  p.released = true;
  const mm = k.memmap;
  for (const pfn of p.pfns) {
    const left = (k.pipedPfns.get(pfn) ?? 1) - 1;
    if (left) k.pipedPfns.set(pfn, left); else k.pipedPfns.delete(pfn);
    if (!counted(k, pfn)) continue;
    const head = mm.head(pfn);
    if (--mm.refcount[head] <= 0) { k.deferredSplit.delete(head); mm.freePage(head); }
  }
}

/** The live pipe whose buffers reference pfn. */
function pipeOf(k: Kernel, pfn: number): Pipe | undefined {
  for (const p of k.pipes.values()) if (!p.released && p.pfns.includes(pfn)) return p;
  return undefined;
}

/** The pipe that holds a reference to a page of the folio at head, if any. */
export function pipeHolding(k: Kernel, head: number): Pipe | undefined {
  for (const pfn of k.pipedPfns.keys()) if (k.memmap.head(pfn) === head) return pipeOf(k, pfn);
  return undefined;
}

/** A user write landed on pfn (memory.ts): the pipes that reference it now read something else. */
export function pipeNoteWrite(k: Kernel, pfn: number): void {
  if (!k.pipedPfns.has(pfn)) return;
  for (const p of k.pipes.values()) if (!p.released && p.pfns.includes(pfn)) p.changed = true;
}
