// The PTE table: every PTE at the current step, filtered and sorted by the extension
// and read a page at a time (ptesAt(step, filter, offset, count)). Virtualized: a fixed
// pool of row elements is repositioned while scrolling, so a million PTEs cost the same
// DOM as a hundred.

import type { PteFilter, PteRow } from '../src/scenario/inspectorModel';
import { ce, h, replace } from './dom';

export const ROW_H = 22;
export const PAGE = 200;
const BITS: [string, number, string][] = [
  ['P', 1, 'present'], ['RW', 2, 'writable'], ['U', 4, 'user'], ['A', 32, 'accessed'], ['D', 64, 'dirty'], ['SD', 2048, 'soft-dirty'], ['S', 512, 'special'],
];
const COLS = ['process', 'address', 'PGD/PUD/PMD/PTE', 'PFN', ...BITS.map((b) => b[0]), 'maps'];

export interface PteRequest { step: number; filter: PteFilter; offset: number; count: number }

export class PteTable {
  readonly el: HTMLElement;
  private scroller: HTMLElement;
  private spacer: HTMLElement;
  private pool: HTMLElement[] = [];
  private pages = new Map<number, PteRow[]>();
  private requested = new Set<number>();
  private total = 0;
  private step = -1;
  private status: HTMLElement;
  private procSel: HTMLElement;
  private objSel: HTMLElement;
  private changedBox: HTMLElement;
  private sortSel: HTMLElement;
  private raf = 0;
  filter: PteFilter = {};

  constructor(private readonly request: (r: PteRequest) => void, private readonly onFilter: (f: PteFilter) => void) {
    this.procSel = ce('vscode-single-select', { aria: { label: 'Filter by process' }, class: 'filter-proc' });
    this.objSel = ce('vscode-single-select', { aria: { label: 'Filter by object' }, class: 'filter-obj' });
    this.sortSel = ce('vscode-single-select', { aria: { label: 'Sort by' }, class: 'filter-sort' });
    replace(this.sortSel, ce('vscode-option', { attrs: { value: 'addr' } }, 'process, address'), ce('vscode-option', { attrs: { value: 'pfn' } }, 'PFN'),
      ce('vscode-option', { attrs: { value: 'addr-desc' } }, 'address, descending'));
    this.changedBox = ce('vscode-checkbox', { class: 'filter-changed', attrs: { label: 'changed at this step' } });
    const change = () => this.readFilter();
    for (const e of [this.procSel, this.objSel, this.sortSel, this.changedBox]) e.addEventListener('change', change);
    this.status = h('span', { class: 'dim pte-status', role: 'status' });
    const head = h('div', { class: 'pte-row pte-head', role: 'row' }, ...COLS.map((c, i) => h('span', { class: `pc pc${i}`, role: 'columnheader', title: BITS.find((b) => b[0] === c)?.[2] }, c)));
    this.spacer = h('div', { class: 'pte-spacer' });
    this.scroller = h('div', { class: 'pte-scroll', tabIndex: 0, role: 'rowgroup', aria: { label: 'PTE rows' } }, this.spacer);
    this.el = h('div', { class: 'ptes', role: 'grid', aria: { label: 'Page table entries' } },
      h('div', { class: 'pte-toolbar' }, h('label', {}, 'process '), this.procSel, h('label', {}, 'object '), this.objSel, h('label', {}, 'sort '), this.sortSel, this.changedBox, this.status),
      head, this.scroller);
    this.scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.scroller.addEventListener('keydown', (e) => {
      const k = e.key, s = this.scroller;
      if (k === 'ArrowDown') s.scrollTop += ROW_H; else if (k === 'ArrowUp') s.scrollTop -= ROW_H;
      else if (k === 'PageDown') s.scrollTop += s.clientHeight; else if (k === 'PageUp') s.scrollTop -= s.clientHeight;
      else if (k === 'Home') s.scrollTop = 0; else if (k === 'End') s.scrollTop = s.scrollHeight; else return;
      e.preventDefault();
    });
  }

  setNames(procs: string[], objects: string[]): void {
    const opt = (v: string, label: string) => ce('vscode-option', { attrs: { value: v } }, label);
    replace(this.procSel, opt('', 'all'), ...procs.map((p) => opt(p, p)));
    replace(this.objSel, opt('', 'all'), opt('anon', 'anon'), ...objects.map((o) => opt(o, o)));
    queueMicrotask(() => this.showFilter());
  }

  private showFilter(): void {
    (this.procSel as unknown as { value: string }).value = this.filter.proc ?? '';
    (this.objSel as unknown as { value: string }).value = this.filter.object ?? '';
    (this.sortSel as unknown as { value: string }).value = this.filter.sort === 'pfn' ? 'pfn' : this.filter.desc ? 'addr-desc' : 'addr';
    (this.changedBox as unknown as { checked: boolean }).checked = !!this.filter.changed;
  }

  private readFilter(): void {
    const v = (e: HTMLElement) => String((e as unknown as { value: string }).value ?? '');
    const sort = v(this.sortSel);
    const f: PteFilter = {
      proc: v(this.procSel) || undefined, object: v(this.objSel) || undefined,
      changed: (this.changedBox as unknown as { checked: boolean }).checked || undefined,
      sort: sort === 'pfn' ? 'pfn' : 'addr', desc: sort === 'addr-desc' || undefined,
    };
    this.setFilter(f);
    this.onFilter(f);
  }

  setFilter(f: PteFilter): void { this.filter = f; this.reset(this.step); }

  /** A new step (or filter): drop the cached pages, keep the scroll position. */
  reset(step: number): void {
    this.step = step;
    this.pages.clear(); this.requested.clear();
    this.ensure(0);
    this.schedule();
  }

  scrollTop(): number { return this.scroller.scrollTop; }
  setScrollTop(v: number): void { this.scroller.scrollTop = v; }

  /** Rows arrived from the extension. */
  receive(step: number, offset: number, total: number, rows: PteRow[]): void {
    if (step !== this.step) return;
    this.total = total;
    const pg = Math.floor(offset / PAGE);
    this.pages.set(pg, rows);
    // keep the cache bounded: drop pages far from the one that just arrived
    if (this.pages.size > 40) for (const k of this.pages.keys()) if (Math.abs(k - pg) > 10) { this.pages.delete(k); this.requested.delete(k); }
    this.spacer.style.height = `${total * ROW_H}px`;
    this.status.textContent = `${total.toLocaleString('en-US')} PTE${total === 1 ? '' : 's'}`;
    this.scroller.parentElement?.setAttribute('aria-rowcount', String(total + 1));
    this.schedule();
  }

  private ensure(page: number): void {
    if (page < 0 || this.requested.has(page) || (this.total && page * PAGE >= this.total && page > 0)) return;
    this.requested.add(page);
    this.request({ step: this.step, filter: this.filter, offset: page * PAGE, count: PAGE });
  }

  private schedule(): void {
    if (this.raf) return;
    this.raf = requestAnimationFrame(() => { this.raf = 0; this.render(); });
  }

  private render(): void {
    const top = this.scroller.scrollTop, height = this.scroller.clientHeight || 400;
    const first = Math.max(0, Math.floor(top / ROW_H) - 5);
    const last = Math.min(this.total, Math.ceil((top + height) / ROW_H) + 5);
    const need = Math.max(0, last - first);
    while (this.pool.length < need) {
      const r = h('div', { class: 'pte-row', role: 'row' }, ...COLS.map((_, i) => h('span', { class: `pc pc${i}`, role: 'gridcell' })));
      this.pool.push(r); this.scroller.appendChild(r);
    }
    for (let j = 0; j < this.pool.length; j++) {
      const r = this.pool[j];
      const i = first + j;
      if (j >= need) { r.hidden = true; continue; }
      r.hidden = false;
      r.style.transform = `translateY(${i * ROW_H}px)`;
      r.setAttribute('aria-rowindex', String(i + 2));
      const page = Math.floor(i / PAGE);
      const row = this.pages.get(page)?.[i % PAGE];
      if (!row) { this.ensure(page); this.fill(r, undefined); continue; }
      this.fill(r, row);
    }
    // prefetch the next page
    this.ensure(Math.floor(last / PAGE));
    if (!this.total && this.pages.size) this.status.textContent = 'no PTE';
  }

  private fill(r: HTMLElement, row: PteRow | undefined): void {
    const c = r.children as HTMLCollectionOf<HTMLElement>;
    r.classList.toggle('changed', !!row?.changed);
    r.classList.toggle('loading', !row);
    if (!row) { for (let k = 0; k < c.length; k++) c[k].textContent = k === 1 ? '…' : ''; return; }
    c[0].textContent = row.proc; c[1].textContent = row.addr; c[2].textContent = row.idx; c[3].textContent = row.pfn;
    for (let b = 0; b < BITS.length; b++) {
      const on = (row.flags & BITS[b][1]) !== 0;
      c[4 + b].textContent = on ? BITS[b][0] : '·';
      c[4 + b].classList.toggle('on', on);
    }
    c[4 + BITS.length].textContent = row.maps;
    r.title = row.text;
  }
}
