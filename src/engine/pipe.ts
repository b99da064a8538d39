// fs/pipe.c: a pipe's buffers and their page references (vmsplice.ts fills them).
//
// Each pipe_buffer holds one reference on its page's folio (try_grab_folio with FOLL_GET: one
// more on the folio's refcount), so a COW fault cannot reuse a page the pipe holds
// (wp_can_reuse_anon_folio, do_huge_pmd_wp_page). When the last holder exits,
// pipe_release() → free_pipe_info() → pipe_buf_release() for each buffer:
// anon_pipe_buf_release() puts the page; the last reference frees the folio. Holding and
// releasing: pageHolders.ts. The same in 6.1 and 6.12.

import type { Kernel } from './kernel';
import { PageHolder } from './pageHolders';

export class Pipe extends PageHolder {
  readonly kind = 'pipe';
  protected readonly releaseFn = 'free_pipe_info' as const;
  protected grab(k: Kernel, head: number): void { k.memmap.refcount[head]++; }
  protected put(k: Kernel, head: number): boolean { return --k.memmap.refcount[head] <= 0; }
}
