// Compare kernels: the same scenario as another kernel version, side by side.

import type { CompareRow } from '../src/shared/inspectorView';
import { h, replace } from './dom';

export function renderCompare(el: HTMLElement, base: string, kernel: string, rows: CompareRow[]): void {
  const diffs = rows.filter((r) => r.differs).length;
  replace(el, h('p', { class: 'dim', role: 'status' }, `${base} vs ${kernel}: ${diffs} step${diffs === 1 ? '' : 's'} differ`),
    h('table', { class: 'compare' },
      h('thead', {}, h('tr', {}, h('th', {}, 'line'), h('th', {}, 'statement'), h('th', {}, `kernel ${base}`), h('th', {}, `kernel ${kernel}`))),
      h('tbody', {}, ...rows.filter((r) => r.base || r.other || r.differs).map((r) => h('tr', { class: r.differs ? 'differs' : '', data: { step: String(r.step) } },
        h('td', { class: 'mono' }, String(r.line + 1)), h('td', {}, h('code', {}, r.source)),
        h('td', { class: `st-${r.baseStatus}` }, ...r.base.split('\n').map((t) => h('div', {}, t))),
        h('td', { class: `st-${r.otherStatus}` }, ...r.other.split('\n').map((t) => h('div', {}, t))))))));
}
