// The PTE table: every PTE at the current step, filtered and sorted by the extension
// and read a page at a time (ptesAt(step, filter, offset, count)). Virtualized: a fixed
// pool of row elements is repositioned while scrolling, so a million PTEs cost the same
// DOM as a hundred.

import type { PteFilter, PteRow } from '../src/shared/inspectorView';
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
  /** the one row shown when the step has no PTE (a rowgroup has rows) */
  private emptyRow: HTMLElement;
  private pool: HTMLElement[] = [];
  /** per pool slot: the row index it shows (-1: none) and the row data it was filled with */
  private slotIndex: number[] = [];
  private slotRow: (PteRow | undefined)[] = [];
  private slotUsed = new Uint8Array(0);
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
    this.procSel = ce('vscode-single-select', { attrs: { label: 'Filter by process' }, class: 'filter-proc' });
    this.objSel = ce('vscode-single-select', { attrs: { label: 'Filter by object' }, class: 'filter-obj' });
    this.sortSel = ce('vscode-single-select', { attrs: { label: 'Sort by' }, class: 'filter-sort' });
    replace(this.sortSel, ce('vscode-option', { attrs: { value: 'addr' } }, 'process, address'), ce('vscode-option', { attrs: { value: 'pfn' } }, 'PFN'),
      ce('vscode-option', { attrs: { value: 'addr-desc' } }, 'address, descending'));
    this.changedBox = ce('vscode-checkbox', { class: 'filter-changed', attrs: { label: 'changed at this step' } });
    const change = () => this.readFilter();
    for (const e of [this.procSel, this.objSel, this.sortSel, this.changedBox]) e.addEventListener('change', change);
    this.status = h('span', { class: 'dim pte-status', role: 'status' });
    const head = h('div', { class: 'pte-row pte-head', role: 'row' }, ...COLS.map((c, i) => {
      const bit = BITS.find((x) => x[0] === c)?.[2];
      return h('span', { class: `pc pc${i}`, role: 'columnheader', title: bit, aria: bit ? { label: `${c}: ${bit}` } : {} }, c);
    }));
    this.spacer = h('div', { class: 'pte-spacer' });
    this.emptyRow = h('div', { class: 'pte-row pte-empty', role: 'row' }, h('span', { class: 'pc', role: 'cell' }, 'no PTE at this step'));
    this.emptyRow.hidden = true;
    this.scroller = h('div', { class: 'pte-scroll', tabIndex: 0, role: 'rowgroup', aria: { label: 'PTE rows' } }, this.spacer, this.emptyRow);
    // a static table (the arrows scroll it): rows and cells, with aria-rowcount / aria-rowindex
    // telling a screen reader where the rendered rows sit among all of them
    this.el = h('div', { class: 'ptes' },
      h('div', { class: 'pte-toolbar', role: 'group', aria: { label: 'PTE filter' } },
        h('span', { aria: { hidden: 'true' } }, 'process '), this.procSel, h('span', { aria: { hidden: 'true' } }, 'object '), this.objSel,
        h('span', { aria: { hidden: 'true' } }, 'sort '), this.sortSel, this.changedBox, this.status),
      h('div', { class: 'pte-table', role: 'table', aria: { label: 'Page table entries' } }, head, this.scroller));
    this.scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
    // hidden (another tab shown): nothing is rendered; shown or resized: render what is visible
    if (typeof ResizeObserver === 'function') new ResizeObserver(() => this.schedule()).observe(this.scroller);
    this.scroller.addEventListener('keydown', (e) => {
      const k = e.key, s = this.scroller;
      if (k === 'ArrowDown') s.scrollTop += ROW_H; else if (k === 'ArrowUp') s.scrollTop -= ROW_H;
      else if (k === 'PageDown') s.scrollTop += s.clientHeight; else if (k === 'PageUp') s.scrollTop -= s.clientHeight;
      else if (k === 'Home') s.scrollTop = 0; else if (k === 'End') s.scrollTop = s.scrollHeight; else return;
      e.preventDefault();
    });
  }

  private names = '';
  /** The filter choices; unchanged names leave the selects alone (replacing their options makes them re-read every option). */
  setNames(procs: string[], objects: string[]): void {
    const names = JSON.stringify([procs, objects]);
    if (names === this.names) return;
    this.names = names;
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
    if (!this.scroller.isConnected || this.scroller.clientHeight === 0) return; // not on screen: the ResizeObserver renders it when it is
    const top = this.scroller.scrollTop, height = this.scroller.clientHeight;
    const first = Math.max(0, Math.floor(top / ROW_H) - 5);
    const last = Math.min(this.total, Math.ceil((top + height) / ROW_H) + 5);
    const need = Math.max(0, last - first);
    if (this.pool.length < need) {
      while (this.pool.length < need) {
        const r = h('div', { class: 'pte-row', role: 'row' }, ...COLS.map((_, i) => h('span', { class: `pc pc${i}`, role: 'cell' })));
        this.pool.push(r); this.scroller.appendChild(r);
      }
      this.slotIndex = this.pool.map(() => -1); this.slotRow = this.pool.map(() => undefined);
    }
    // row i lives in slot i % n: a row that stays visible keeps its slot, and a slot is only
    // rewritten when its row index or that row's data changed (slow scrolling touches the rows
    // that come into view, not all of them)
    const n = this.pool.length;
    const used = this.slotUsed.length === n ? this.slotUsed.fill(0) : (this.slotUsed = new Uint8Array(n));
    for (let i = first; i < last; i++) {
      const j = i % n, r = this.pool[j];
      used[j] = 1;
      if (r.hidden) r.hidden = false;
      if (this.slotIndex[j] !== i) {
        this.slotIndex[j] = i; this.slotRow[j] = undefined;
        r.style.transform = `translateY(${i * ROW_H}px)`;
        r.setAttribute('aria-rowindex', String(i + 2));
      }
      const page = Math.floor(i / PAGE);
      const row = this.pages.get(page)?.[i % PAGE];
      if (!row) this.ensure(page);
      if (row === undefined || row !== this.slotRow[j]) { this.fill(r, row); this.slotRow[j] = row; }
    }
    for (let j = 0; j < n; j++) if (!used[j] && !this.pool[j].hidden) { this.pool[j].hidden = true; this.slotIndex[j] = -1; this.slotRow[j] = undefined; }
    // prefetch the next page
    this.ensure(Math.floor(last / PAGE));
    const empty = !this.total && this.pages.size > 0;
    if (empty) this.status.textContent = 'no PTE';
    if (this.emptyRow.hidden === empty) this.emptyRow.hidden = !empty;
  }

  private fill(r: HTMLElement, row: PteRow | undefined): void {
    const c = r.children as HTMLCollectionOf<HTMLElement>;
    r.classList.toggle('changed', !!row?.changed);
    r.classList.toggle('loading', !row);
    // a cell is written only when its text changes (a new row often shares the bit columns)
    // the cell's one Text node is changed in place (textContent would replace it with a new node)
    const set = (k: number, v: string) => {
      const t = c[k].firstChild;
      if (t && t.nodeType === 3 && !t.nextSibling) { if ((t as Text).data !== v) (t as Text).data = v; } else c[k].textContent = v;
    };
    if (!row) {
      for (let k = 0; k < c.length; k++) set(k, k === 1 ? '…' : '');
      for (let b = 0; b < BITS.length; b++) c[4 + b].removeAttribute('aria-label');
      return;
    }
    set(0, row.proc); set(1, row.addr); set(2, row.idx); set(3, row.pfn);
    for (let b = 0; b < BITS.length; b++) {
      const on = (row.flags & BITS[b][1]) !== 0;
      set(4 + b, on ? BITS[b][0] : '·');
      if (c[4 + b].classList.contains('on') !== on) c[4 + b].classList.toggle('on', on);
      // read as the bit's name, or "not" it (a screen reader would say "dot" for ·)
      const said = on ? BITS[b][2] : `not ${BITS[b][2]}`;
      if (c[4 + b].getAttribute('aria-label') !== said) c[4 + b].setAttribute('aria-label', said);
    }
    set(4 + BITS.length, row.maps);
    if (r.title !== row.text) r.title = row.text;
  }
}
