// mm/rmap.c: rmap_walk() over a folio — rmap_walk_anon() (the folio's anon_vma's interval
// tree of anon_vma_chains, pgoff = folio->index) or rmap_walk_file() (mapping->i_mmap),
// each VMA checked by invalid_vma(), visited by rmap_one(), and the walk stopped when
// rmap_one() returns false or done() says the job is finished (folio_not_mapped: the
// folio has no mapping left). Recorded as one walk of `api` (several per statement:
// reclaim and migration each run more than one).

import type { AnonVma } from './anonVma';
import type { Kernel } from './kernel';
import type { WalkApi } from './trace';
import type { Vma } from './vma';

export interface RmapWalkControl {
  api: WalkApi;
  rmapOne(vma: Vma, address: number): boolean;
  invalidVma?(vma: Vma): boolean;
  skipReason?: string;
  done?(): boolean;
}

/** The anon_vma with that id (folio->mapping of an anon folio), found through the VMAs linked to it. */
export function anonVmaById(k: Kernel, id: number): AnonVma | undefined {
  for (const t of k.tasks.values()) {
    for (const v of t.mm.vmas) for (const avc of v.avcs) if (avc.anonVma.id === id) return avc.anonVma;
  }
  return undefined;
}

// mm/rmap.c: vma_address() for an order-0 folio at pgoff.
function addressIn(vma: Vma, pgoff: number): number { return vma.start + (pgoff - vma.pgoff) * 4096; }

/** rmap_walk(folio, rwc); returns the number of VMAs rmap_one() visited. */
export function rmap_walk(k: Kernel, pfn: number, rwc: RmapWalkControl, result: () => number): void {
  const mm = k.memmap;
  const mapId = mm.mapping[pfn];
  const pgoff = mm.index[pfn];
  k.tr.walkBegin(rwc.api, mapId, pgoff, 1, pfn);
  const visit = (vma: Vma): boolean => {
    if (rwc.invalidVma?.(vma)) { k.tr.walkSkip(vma.mm.pid, vma.id, vma.label, rwc.skipReason ?? 'invalid_vma'); return true; }
    const address = addressIn(vma, pgoff);
    k.tr.walkVisit(vma.mm.pid, vma.id, vma.label, address);
    if (!rwc.rmapOne(vma, address)) return false;
    return !(rwc.done?.());
  };
  if (mapId < 0) {
    k.tr.call('rmap_walk_anon');
    const av = anonVmaById(k, -mapId);
    if (av) {
      const vmas: Vma[] = [];
      av.rbRoot.forEachOverlap(pgoff, pgoff, (avc) => { vmas.push(avc.vma); });
      for (const vma of vmas) if (!visit(vma)) break;
    }
  } else if (mapId > 0) {
    k.tr.call('rmap_walk_file');
    const as = k.objects.get(mapId);
    if (as) {
      const vmas: Vma[] = [];
      as.iMmap.forEachOverlap(pgoff, pgoff, (vma) => { vmas.push(vma); });
      for (const vma of vmas) if (!visit(vma)) break;
    }
  }
  k.tr.walkEnd(result());
}
