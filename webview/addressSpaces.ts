// Address spaces: each process, its VMAs (range, vm_pgoff, smaps flags, object) and a
// strip of PTE cells per VMA coloured by state; what changed at this step is marked.

import type { ProcView, VmaView } from '../src/shared/inspectorView';
import { h, replace } from './dom';
import { CELL_NAMES, cellName, pageAddr, stripText } from './cells';

/** The legend: each state's pattern (not only its colour) and its name. */
export function renderLegend(): HTMLElement {
  return h('div', { class: 'legend', role: 'group', aria: { label: 'PTE cell legend' } },
    ...Object.entries(CELL_NAMES).map(([c, n]) => h('span', { class: 'legend-item' }, h('span', { class: `cell c-${c}`, aria: { hidden: 'true' } }), n)),
    h('span', { class: 'legend-item' }, h('span', { class: 'cell c-w changed', aria: { hidden: 'true' } }), 'changed at this step'),
    h('span', { class: 'legend-item' }, h('span', { class: 'cell pmd c-n', aria: { hidden: 'true' } }), 'one PMD entry (512 pages)'),
    h('span', { class: 'legend-item' }, h('span', { class: 'folio-group', aria: { hidden: 'true' } }, h('span', { class: 'cell c-n' }), h('span', { class: 'cell c-n' })), 'one large folio, mapped by PTEs'));
}

function cell(v: VmaView, i: number, ch: Set<number>): HTMLElement {
  const c = v.cells[i];
  return h('span', { class: `cell c-${c}${ch.has(i) ? ' changed' : ''}`, title: `${v.label ?? ''}[${i}] ${pageAddr(v, i)}: ${cellName(c)}${ch.has(i) ? ' (changed)' : ''}` });
}

/**
 * A VMA's PTE cells: a PMD entry is one wide cell for its 512 pages; the PTE-mapped pages of
 * one large folio are bracketed together with the folio's order.
 */
function strip(v: VmaView, proc: string): HTMLElement {
  const ch = new Set(v.changed);
  const s = h('div', { class: 'strip', role: 'img', aria: { label: stripText(v, proc) } });
  const groupAt = new Map((v.groups ?? []).map((g) => [g.first, g]));
  for (let i = 0; i < v.cells.length;) {
    const g = groupAt.get(i);
    const last = g ? Math.min(g.first + g.count, v.cells.length) - 1 : i;
    if (g?.kind === 'pmd') {
      const changed = [...ch].some((x) => x >= i && x <= last);
      s.appendChild(h('span', { class: `cell pmd c-${v.cells[i]}${changed ? ' changed' : ''}`,
        title: `${v.label ?? ''}[${i}..${last}] ${pageAddr(v, i)}: one PMD entry for ${last - i + 1} pages, ${cellName(v.cells[i])}${changed ? ' (changed)' : ''}` }));
    } else if (g) {
      const box = h('span', { class: 'folio-group', title: `${v.label ?? ''}[${i}..${last}]: one large folio, order ${g.order} (${1 << g.order} pages), mapped by PTEs` });
      for (let j = i; j <= last; j++) box.appendChild(cell(v, j, ch));
      s.appendChild(box);
    } else s.appendChild(cell(v, i, ch));
    i = last + 1;
  }
  if (v.pages > v.cells.length) s.appendChild(h('span', { class: 'more', aria: { hidden: 'true' } }, `+${v.pages - v.cells.length} more (see PTEs)`));
  return s;
}

export function renderAddressSpaces(el: HTMLElement, procs: ProcView[]): void {
  if (!procs.length) { replace(el, h('p', { class: 'empty' }, 'No process yet at this step.')); return; }
  replace(el, renderLegend(), ...procs.map((p) => h('section', { class: `proc${p.alive ? '' : ' dead'}`, aria: { label: `process ${p.name}` } },
    h('h3', {}, p.name, h('span', { class: 'dim' }, ` pid ${p.pid} · faults ${p.minFlt + p.majFlt} (maj ${p.majFlt})${p.alive ? '' : ' · exited'}`),
      p.changedVmas ? h('span', { class: 'badge-changed' }, 'VMAs changed') : null),
    p.vmaChanges?.length ? h('ul', { class: 'vma-changes', aria: { label: `VMA changes of ${p.name} at this step` } },
      ...p.vmaChanges.map((c) => h('li', { class: `vma-change vma-${c.kind}` },
        h('strong', {}, c.kind), ' ', h('span', { class: 'mono' }, `${p.name}:${c.label ?? '?'}`), ' ',
        h('span', { class: 'mono dim' }, c.before && c.after ? `${c.before} → ${c.after}` : (c.before ?? c.after ?? ''))))) : null,
    p.vmas.length === 0 ? h('p', { class: 'empty' }, 'no VMAs') :
      h('table', { class: 'vmas' },
        h('thead', {}, h('tr', {}, h('th', {}, 'range'), h('th', {}, 'vm_pgoff'), h('th', {}, 'flags (smaps)'), h('th', {}, 'object'), h('th', {}, 'label'))),
        h('tbody', {}, ...p.vmas.flatMap((v) => [
          h('tr', { class: 'vma-row' + (v.changed.length ? ' has-changed' : '') },
            h('td', { class: 'mono' }, `${v.start}–${v.end}`), h('td', { class: 'mono' }, String(v.pgoff)),
            h('td', { class: 'mono' }, v.flags), h('td', {}, v.object), h('td', {}, v.label ?? '')),
          h('tr', { class: 'strip-row' }, h('td', { attrs: { colspan: '5' } }, strip(v, p.name))),
        ]))))));
}
