// Objects: each file, shmem, fbdev and pfnmap with its pages/folios, its i_mmap in the
// kernel's visit order with each VMA's pgoff interval, and an fbdev's deferred-I/O list.

import type { IntervalView, ObjectView } from '../src/shared/inspectorView';
import { h, replace } from './dom';

function iMmapList(list: IntervalView[], cls: string): HTMLElement {
  return list.length ? h('ol', { class: cls }, ...list.map((v) => h('li', {},
    h('span', { class: 'mono' }, `${v.proc}:${v.label ?? '?'}`), ` pgoff [${v.first}, ${v.last}] `,
    h('span', { class: 'dim mono' }, `${v.vmaStart}–${v.vmaEnd}`), v.shared ? ' shared' : h('span', { class: 'private' }, ' private'))))
    : h('p', { class: 'empty' }, 'no VMA maps it');
}

export function renderObjects(el: HTMLElement, objs: ObjectView[], time: number): void {
  if (!objs.length) { replace(el, h('p', { class: 'empty' }, 'No object yet at this step.')); return; }
  replace(el, ...objs.map((o) => h('section', { class: 'object', aria: { label: `${o.kind} ${o.name}` } },
    h('h3', {}, o.name, h('span', { class: 'dim' }, ` ${o.kind} · ${o.pages} pages · nrpages ${o.nrpages}`)),
    o.defio ? h('div', { class: 'defio', role: 'group', aria: { label: 'deferred I/O' } },
      h('strong', {}, 'deferred I/O list: '),
      o.defio.pending.length ? h('span', { class: 'mono defio-pending' }, o.defio.pending.join(' → ')) : h('span', { class: 'dim' }, 'empty'),
      h('span', { class: 'dim' }, o.defio.due !== null ? ` · work due at ${o.defio.due} ms (in ${o.defio.due - time} ms)` : ' · no work queued'),
      h('span', { class: 'dim' }, ` · delay ${o.defio.delay} ms${o.defio.sorted ? ' · sorted' : ''} · runs ${o.defio.workRuns}`),
      o.defio.lastWritten.length ? h('div', {}, h('span', { class: 'dim' }, 'last deferred_io: '), h('span', { class: 'mono' }, o.defio.lastWritten.join(', '))) : null) : null,
    o.iMmapBefore ? h('h4', {}, 'i_mmap before this step') : null,
    o.iMmapBefore ? iMmapList(o.iMmapBefore, 'immap immap-before') : null,
    h('h4', {}, o.iMmapBefore ? 'i_mmap after this step (visit order)' : 'i_mmap (visit order)'),
    iMmapList(o.iMmap, 'immap'),
    h('h4', {}, o.kind === 'pfnmap' ? 'device pages' : 'pages'),
    o.folios.length ? h('table', { class: 'folios' },
      h('thead', {}, h('tr', {}, ...['index', 'pfn', 'flags', 'mapcount', 'page->mapping', 'page->index'].map((c) => h('th', {}, c)))),
      h('tbody', {}, ...o.folios.map((f) => h('tr', { class: f.changed ? 'changed' : '' },
        h('td', { class: 'mono' }, String(f.index)), h('td', { class: 'mono' }, f.pfn),
        h('td', {}, f.flags.length ? f.flags.join(' ') : (f.cached ? 'clean' : '')),
        h('td', { class: 'mono' }, String(f.mapcount)), h('td', {}, f.mapping),
        h('td', { class: 'mono' }, f.pageIndex === null ? '—' : String(f.pageIndex))))))
      : h('p', { class: 'empty' }, 'nothing cached'))));
}
