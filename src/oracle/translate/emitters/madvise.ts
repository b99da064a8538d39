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
 * `migrate PROC LABEL[I]`: move_pages(2) of that page, by the process, to the guest's other
 * NUMA node (MPOL_MF_MOVE_ALL) — add_page_for_migration() isolates the page's whole folio and
 * migrate_pages(MIGRATE_SYNC) moves it, as the statement says (a THP stays one folio, a PMD
 * stays a PMD). (MADV_SOFT_OFFLINE would split a large folio and move only that page, and
 * poison the old page.) `migrate OBJ[I]` has no process to name the page from (move_pages
 * takes addresses), so it is not realised.
 */
export const migrate: Emitter<'migrate'> = (st, cx) => {
  const m = cx.model;
  if (!st.proc) {
    if (st.page.kind === 'named') m.taintObject(st.page.target.name, cx.line);
    return cx.no('migrate OBJ[I]: move_pages needs an address of a process that maps the page');
  }
  return inProcAtPage(st.proc, st.page, cx, (addr) => `o_migrate(${cx.k}, ${addr});`);
};

