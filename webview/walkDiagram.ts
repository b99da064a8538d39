// Rmap walks as diagrams: page → address_space → i_mmap → VMAs → PTEs, built from DOM
// boxes (CSS grid) so every label is text; skipped VMAs say why; each PTE shows its
// table path, before → after, and whether it was counted.

import type { WalkView } from '../src/shared/inspectorView';
import { h, icon, replace } from './dom';

function box(cls: string, title: string, ...lines: (string | HTMLElement)[]): HTMLElement {
  return h('div', { class: `wbox ${cls}` }, h('div', { class: 'wbox-title' }, title), ...lines.map((l) => typeof l === 'string' ? h('div', { class: 'wbox-line' }, l) : l));
}

export function renderWalks(el: HTMLElement, walks: WalkView[]): void {
  if (!walks.length) { replace(el, h('p', { class: 'empty' }, 'No rmap walk at this step.')); return; }
  replace(el, ...walks.map((w, i) => {
    const range = (a: number | string, b: number | string) => a === b ? String(a) : `${a}..${b}`;
    const visits = h('ol', { class: 'wvisits', aria: { label: 'VMAs in visit order' } }, ...w.visits.map((v, j) => h('li', { class: `wvisit${v.skipped ? ' skipped' : ''}` },
      box(v.skipped ? 'vma skip' : 'vma', `${j + 1}. ${v.proc}:${v.label ?? '?'}`, v.vma, `pgoff ${v.interval}`,
        v.skipped ? h('div', { class: 'reason' }, icon('circle-slash'), ` skipped: ${v.reason ?? ''}`) : `vma_address ${v.address}`),
      v.skipped ? null : h('span', { class: 'arrow', aria: { hidden: 'true' } }, '→'),
      v.skipped ? null : h('div', { class: 'wptes' }, ...(v.ptes.length ? v.ptes.map((p) => box(p.counted ? 'pte counted' : 'pte', `PTE ${p.addr}`,
        `PGD ${p.indices[0]} · PUD ${p.indices[1]} · PMD ${p.indices[2]} · PTE ${p.indices[3]}`,
        h('div', { class: 'wbox-line mono' }, p.before, h('span', { class: 'arrow' }, ' → '), p.after),
        h('div', { class: 'wbox-line' }, p.counted ? icon('check') : icon('dash'), p.counted ? ' counted' : ' not counted'))) : [h('div', { class: 'dim' }, 'no PTE mapped here')])))));
    return h('section', { class: 'walk', aria: { label: `rmap walk ${i + 1}: ${w.api}` } },
      h('h3', {}, h('code', {}, w.api), h('span', { class: 'dim' }, ` → result ${w.result ?? '?'}`)),
      h('div', { class: 'wflow' },
        box('page', 'page', `pfn ${range(w.pfnFirst, w.pfnLast)}`, `index ${range(w.pgoffFirst, w.pgoffLast)}`),
        h('span', { class: 'arrow', aria: { hidden: 'true' } }, '→'),
        box('mapping', 'address_space', w.mapping, w.path.length ? w.path.join(' → ') : ''),
        h('span', { class: 'arrow', aria: { hidden: 'true' } }, '→'),
        box('immap', 'i_mmap', `${w.visits.length} VMA${w.visits.length === 1 ? '' : 's'} overlap [${w.pgoffFirst}, ${w.pgoffLast}]`)),
      visits);
  }));
}
