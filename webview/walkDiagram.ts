// Rmap walks as diagrams: page → address_space → i_mmap → VMAs → PTEs, built from DOM
// boxes (CSS grid) so every label is text; skipped VMAs say why; each PTE shows its
// table path, before → after, and whether it was counted. A screen reader reads each walk
// as an ordered list of sentences in the kernel's order (walkReading); the boxes, laid out
// for the eye, are hidden from it.

import { emptyVisitText, type WalkView, type WalkPteView, type WalkVisitView } from '../src/shared/inspectorView';
import { h, icon, replace } from './dom';

function box(cls: string, title: string, ...lines: (string | HTMLElement)[]): HTMLElement {
  return h('div', { class: `wbox ${cls}` }, h('div', { class: 'wbox-title' }, title), ...lines.map((l) => typeof l === 'string' ? h('div', { class: 'wbox-line' }, l) : l));
}
const range = (a: number | string, b: number | string) => a === b ? String(a) : `${a}..${b}`;
const vmaTitle = (v: WalkVisitView, j: number) => `${j + 1}. ${v.proc}:${v.label ?? '?'}`;
const tablePath = (p: WalkPteView, sep: string) => `PGD ${p.indices[0]}${sep}PUD ${p.indices[1]}${sep}PMD ${p.indices[2]}${sep}PTE ${p.indices[3]}`;

/**
 * The walk in reading order: the page, its mapping, the i_mmap lookup, then each VMA in visit
 * order (visited at an address, or skipped and why), each visited VMA followed by its PTEs
 * (table path, before, after, counted or not).
 */
export function walkReading(w: WalkView): string[] {
  const pages = w.pfnFirst === w.pfnLast && w.pgoffFirst === w.pgoffLast ? 'page' : 'pages';
  const out = [
    `${pages}: pfn ${range(w.pfnFirst, w.pfnLast)}, index ${range(w.pgoffFirst, w.pgoffLast)}`,
    `mapping: address_space of ${w.mapping}${w.path.length ? `, walked by ${w.path.join(' then ')}` : ''}`,
    `i_mmap: ${w.visits.length} VMA${w.visits.length === 1 ? '' : 's'} overlap pgoff [${w.pgoffFirst}, ${w.pgoffLast}]`,
  ];
  w.visits.forEach((v, j) => {
    const vma = `VMA ${vmaTitle(v, j)}, ${v.vma}, pgoff ${v.interval}`;
    if (v.skipped) { out.push(`${vma}: skipped: ${v.reason ?? 'no reason given'}`); return; }
    out.push(`${vma}: visited at vma_address ${v.address ?? '?'}${v.ptes.length ? '' : `, ${emptyVisitText(w.api)}`}`);
    for (const p of v.ptes) out.push(`PTE ${p.addr} (${tablePath(p, ', ')}): before ${p.before}, after ${p.after}, ${p.counted ? 'counted' : 'not counted'}`);
  });
  return out;
}

function diagram(w: WalkView): HTMLElement[] {
  const visits = h('ol', { class: 'wvisits' }, ...w.visits.map((v, j) => h('li', { class: `wvisit${v.skipped ? ' skipped' : ''}` },
    box(v.skipped ? 'vma skip' : 'vma', vmaTitle(v, j), v.vma, `pgoff ${v.interval}`,
      v.skipped ? h('div', { class: 'reason' }, icon('circle-slash'), ` skipped: ${v.reason ?? ''}`) : `vma_address ${v.address}`),
    v.skipped ? null : h('span', { class: 'arrow' }, '→'),
    v.skipped ? null : h('div', { class: 'wptes' }, ...(v.ptes.length ? v.ptes.map((p) => box(p.counted ? 'pte counted' : 'pte', `PTE ${p.addr}`,
      tablePath(p, ' · '),
      h('div', { class: 'wbox-line mono' }, p.before, h('span', { class: 'arrow' }, ' → '), p.after),
      h('div', { class: 'wbox-line' }, p.counted ? icon('check') : icon('dash'), p.counted ? ' counted' : ' not counted'))) : [h('div', { class: 'dim' }, emptyVisitText(w.api))])))));
  return [
    h('div', { class: 'wflow' },
      box('page', 'page', `pfn ${range(w.pfnFirst, w.pfnLast)}`, `index ${range(w.pgoffFirst, w.pgoffLast)}`),
      h('span', { class: 'arrow' }, '→'),
      box('mapping', 'address_space', w.mapping, w.path.length ? w.path.join(' → ') : ''),
      h('span', { class: 'arrow' }, '→'),
      box('immap', 'i_mmap', `${w.visits.length} VMA${w.visits.length === 1 ? '' : 's'} overlap [${w.pgoffFirst}, ${w.pgoffLast}]`)),
    visits,
  ];
}

export function renderWalks(el: HTMLElement, walks: WalkView[]): void {
  if (!walks.length) { replace(el, h('p', { class: 'empty' }, 'No rmap walk at this step.')); return; }
  replace(el, ...walks.map((w, i) => {
    const head = `walk-${i}-head`;
    return h('section', { class: 'walk', aria: { labelledby: head } },
      h('h3', { id: head }, h('span', { class: 'sr-only' }, `rmap walk ${i + 1}: `), h('code', {}, w.api), h('span', { class: 'dim' }, ' ', h('span', { aria: { hidden: 'true' } }, '→'), ` result ${w.result ?? '?'}`)),
      h('ol', { class: 'walk-reading sr-only', aria: { label: `rmap walk ${i + 1} in visit order` } }, ...walkReading(w).map((t) => h('li', {}, t))),
      h('div', { class: 'wdiagram', aria: { hidden: 'true' } }, ...diagram(w)));
  }));
}
