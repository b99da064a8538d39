// The pages of a VMA's PTE strip that are one thing in the kernel: a PMD leaf (one entry
// mapping 512 pages: pmd_trans_huge, _PAGE_PSE on the model's per-page view of it) and the
// PTE-mapped pages of one large folio (same head, order > 0). The inspector draws a PMD
// as one wide cell and brackets a large folio's pages (issue #15, inspector).

import { MAX_CELLS, MAX_STRIP_PAGES, type PageGroupView } from '../shared/inspectorView';
import { _PAGE_PSE } from '../engine/pte';

/** One page as a strip sees it; `head`/`order` when the run's memmap is at hand (replay). */
export interface PageAt { flags: number; pfn: number; head?: number; order?: number }

const PMD_PAGES = 512;

export function pageGroups(n: number, start: number, at: (i: number) => PageAt): PageGroupView[] {
  const out: PageGroupView[] = [];
  const pages = Array.from({ length: n }, (_, i) => at(i));
  for (let i = 0; i < n;) {
    const p = pages[i];
    if (p.flags & _PAGE_PSE) {
      // one PMD entry: up to the next 2 MiB boundary, the PFNs of one huge page
      let j = i + 1;
      while (j < n && (pages[j].flags & _PAGE_PSE) && pages[j].pfn === p.pfn + (j - i) && ((start / 4096 + j) % PMD_PAGES) !== 0) j++;
      out.push({ first: i, count: j - i, kind: 'pmd', order: 9 });
      i = j;
      continue;
    }
    if (p.order && p.head !== undefined) {
      let j = i + 1;
      while (j < n && !(pages[j].flags & _PAGE_PSE) && pages[j].head === p.head && pages[j].order === p.order) j++;
      out.push({ first: i, count: j - i, kind: 'folio', order: p.order });
      i = j;
      continue;
    }
    i++;
  }
  return out;
}

/**
 * How many pages of a VMA its strip covers: cells are drawn up to MAX_CELLS, a PMD entry
 * counting as one (its first page), and never more than MAX_STRIP_PAGES pages.
 */
export function stripPages(pages: number, start: number, flagsAt: (i: number) => number): number {
  let units = 0, i = 0;
  for (; i < Math.min(pages, MAX_STRIP_PAGES) && units < MAX_CELLS; i++) {
    if (!(flagsAt(i) & _PAGE_PSE) || i === 0 || (start / 4096 + i) % PMD_PAGES === 0) units++;
  }
  // the last PMD entry whole
  while (i < Math.min(pages, MAX_STRIP_PAGES) && (flagsAt(i) & _PAGE_PSE) && (start / 4096 + i) % PMD_PAGES !== 0) i++;
  return i;
}
