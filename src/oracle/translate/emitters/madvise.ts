// `madvise` and `sysctl swap pages N`: madvise(2) by the process over the pages the
// translator knows to be mapped, and a swap file on the guest's ext4 disk or (`sync`) the
// zram device (swapon; swapoff at the end of the scenario).

import type { MadviseAdvice } from '../../../language/ast';
import { hex } from '../cSyntax';
import { OBSERVE, type Emitter } from '../context';
import { PAGE_SIZE } from '../types';
import { inProcAtPage } from './onePage';

// MADV_COLLAPSE (6.1+): madvise_collapse(), synchronous, whatever the sysfs knobs say
const MADV: Record<MadviseAdvice, string> = {
  dontneed: 'MADV_DONTNEED', free: 'MADV_FREE', cold: 'MADV_COLD', pageout: 'MADV_PAGEOUT', willneed: 'MADV_WILLNEED',
  populate_read: 'MADV_POPULATE_READ', populate_write: 'MADV_POPULATE_WRITE',
  hugepage: 'MADV_HUGEPAGE', nohugepage: 'MADV_NOHUGEPAGE', collapse: 'MADV_COLLAPSE',
  dontfork: 'MADV_DONTFORK', dofork: 'MADV_DOFORK',
};

export const madvise: Emitter<'madvise'> = (st, cx) => {
  const advice = st.advice;
  const m = cx.model;
  const p = m.liveProc(st.proc.name);
  if (!p) return cx.noProc(st.proc.name);
  const spec = m.specHits(p, st.spec);
  if (typeof spec === 'string') return cx.no(spec);
  const { runs, hit } = spec;
  const code = runs.map(r => `o_madvise(${cx.k}, ${hex(r.addr)}, ${hex(r.pages * PAGE_SIZE)}, ${MADV[advice]});`).join(' ');
  if (!cx.inProc(p.info.name, code)) return undefined;
  if (advice === 'dontfork' || advice === 'dofork') {
    for (const h of hit) {
      h.ms.dontcopy ??= h.ms.mapped.map(() => false);
      for (let i = h.first; i <= h.last; i++) h.ms.dontcopy[i] = advice === 'dontfork';
    }
  }
  cx.step.snapshots.push(...m.snapshotsOf([...new Set(hit.map(h => h.ms))]));
  cx.touch(new Set(hit.map(h => h.ms.m.objKey)));
  return OBSERVE;
};

/**
 * `sysctl swap pages N [sync]`: the driver makes and enables a swap file of N pages on the
 * guest's ext4 disk, or with `sync` the zram device (zram_add(): BLK_FEAT_SYNCHRONOUS, so
 * swapon() sets SWP_SYNCHRONOUS_IO, as the engine's synchronous device)
 */
export function swapon(pages: number, sync: boolean, cx: Parameters<Emitter<'sysctl'>>[1]): undefined {
  cx.inDriver(`o_swapon(${cx.k}, ${pages}L, ${sync ? 1 : 0});`);
  return undefined;
}

/**
 * `migrate PROC LABEL[I]`: MADV_SOFT_OFFLINE on that page in the process — soft_offline_page()
 * migrates an in-use LRU page with migrate_pages(MIGRATE_SYNC) and poisons the old one.
 * `migrate OBJ[I]` has no process to name the page from (soft offline of an address faults
 * it in first), so it is not realised.
 */
export const migrate: Emitter<'migrate'> = (st, cx) => {
  const m = cx.model;
  if (!st.proc) {
    if (st.page.kind === 'named') m.taintObject(st.page.target.name, cx.line);
    return cx.no('migrate OBJ[I]: MADV_SOFT_OFFLINE needs an address of a process that maps the page');
  }
  return inProcAtPage(st.proc, st.page, cx, (addr) => softOffline(cx.k, addr));
};

/** the op the guest records instead of MADV_SOFT_OFFLINE where no folio is mapped at the page */
export const SOFT_OFFLINE_SKIPPED = 'soft_offline_skipped';

/**
 * MADV_SOFT_OFFLINE where a folio is mapped at `addr`. madvise_inject_error() takes the page
 * with get_user_pages_fast() (mm/madvise.c), which faults it in where it is not present (the
 * zero page on a read, a swap-in) and then soft_offline_page() refuses the zero page as
 * "unhandlable" (EIO, mm/memory-failure.c get_any_page()): a PTE that is none, a swap entry
 * or the (huge) zero page (/proc/kpageflags ZERO_PAGE, bit 24) has no folio for
 * migrate_pages(), where the engine answers ENOENT without a fault. There the guest records
 * SOFT_OFFLINE_SKIPPED and leaves the page alone: the result is not observable.
 */
function softOffline(k: number, addr: string): string {
  return `{ uint64_t e_ = pagemap_self(${addr}); uint64_t f_ = (e_ >> 63) ? e_ & ((1ULL << 55) - 1) : 0; ` +
    `if (f_ && !((kpageflags(f_) >> 24) & 1)) o_madvise(${k}, ${addr}, ${hex(PAGE_SIZE)}, MADV_SOFT_OFFLINE); ` +
    `else o_op(${k}, "${SOFT_OFFLINE_SKIPPED}", 0, 0, 0.0); }`;
}
