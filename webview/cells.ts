// PTE cell states (CellCode) in words: the strips' titles and text alternatives, the legend,
// and what the live region announces when a step changes a PTE.

import type { VmaView } from '../src/shared/inspectorView';

export const CELL_NAMES: Record<string, string> = {
  n: 'no PTE', r: 'present, read-only', w: 'present, writable, clean', d: 'present, dirty', s: 'special / zero page', p: 'PROT_NONE',
  x: 'swap entry', m: 'migration entry',
};

export const cellName = (c: string): string => CELL_NAMES[c] ?? c;

/** `x:m` (the VMA's label) or its start address */
export const vmaName = (v: VmaView): string => v.label ?? v.start;

/** The address of page `i` of a VMA. */
export function pageAddr(v: VmaView, i: number): string {
  return '0x' + (BigInt(v.start) + BigInt(i * 4096)).toString(16);
}

/**
 * A strip's text alternative, page by page in address order; runs of pages in the same state
 * are read once (`[1..3] no PTE`), a changed page is read on its own.
 */
export function stripText(v: VmaView, proc: string): string {
  const ch = new Set(v.changed);
  const parts: string[] = [];
  const groupAt = new Map((v.groups ?? []).map((g) => [g.first, g]));
  // a run of equal cells is read once, but never across a group's edge
  const edges = new Set((v.groups ?? []).flatMap((g) => [g.first, g.first + g.count]));
  for (let i = 0; i < v.cells.length;) {
    const g = groupAt.get(i);
    if (g?.kind === 'pmd') {
      const last = Math.min(g.first + g.count, v.cells.length) - 1;
      const changed = [...ch].some((x) => x >= i && x <= last);
      parts.push(`[${i}..${last}] one PMD entry, ${cellName(v.cells[i])}${changed ? ', changed at this step' : ''}`);
      i = last + 1;
      continue;
    }
    if (g) parts.push(`large folio of order ${g.order}, pages [${i}..${Math.min(g.first + g.count, v.cells.length) - 1}]`);
    let j = i;
    if (!ch.has(i)) while (j + 1 < v.cells.length && v.cells[j + 1] === v.cells[i] && !ch.has(j + 1) && !edges.has(j + 1)) j++;
    parts.push(`[${i === j ? i : `${i}..${j}`}] ${cellName(v.cells[i])}${ch.has(i) ? ', changed at this step' : ''}`);
    i = j + 1;
  }
  if (v.pages > v.cells.length) parts.push(`${v.pages - v.cells.length} more pages in the PTE table`);
  return `PTEs of ${proc} ${vmaName(v)}, ${v.pages} page${v.pages === 1 ? '' : 's'}: ${parts.join('; ')}`;
}
