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
  for (let i = 0; i < v.cells.length;) {
    let j = i;
    if (!ch.has(i)) while (j + 1 < v.cells.length && v.cells[j + 1] === v.cells[i] && !ch.has(j + 1)) j++;
    parts.push(`[${i === j ? i : `${i}..${j}`}] ${cellName(v.cells[i])}${ch.has(i) ? ', changed at this step' : ''}`);
    i = j + 1;
  }
  if (v.pages > v.cells.length) parts.push(`${v.pages - v.cells.length} more pages in the PTE table`);
  return `PTEs of ${proc} ${vmaName(v)}, ${v.pages} page${v.pages === 1 ? '' : 's'}: ${parts.join('; ')}`;
}
