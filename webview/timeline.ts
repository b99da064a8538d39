// The timeline: one row per statement, what happened in kernel words, the status.
// ←/→/Home/End step; Enter or a double click reveals the source line.

import type { TimelineRow } from '../src/shared/inspectorView';
import type { KernelVerdict } from '../src/shared/protocol';
import { h, icon, reconcile } from './dom';

const STATUS_ICON: Record<string, [string, string]> = {
  pass: ['pass', 'expectation passed'], fail: ['error', 'expectation failed'], skip: ['circle-slash', 'skipped'],
  signal: ['zap', 'signal'], oops: ['flame', 'kernel oops'], event: ['debug-stackframe-dot', 'kernel events'], none: ['blank', ''],
};

export class Timeline {
  readonly el: HTMLElement;
  private list: HTMLElement;
  private rows: TimelineRow[] = [];
  private items: HTMLElement[] = [];
  /** contentKey() of each item's row, kept so that the next run need not compute them again */
  private keys: string[] = [];
  /** real-kernel verdicts by 0-based line (kept across runs) */
  private kernel = new Map<number, KernelVerdict>();
  private release = '';
  selected = 0;

  constructor(private readonly onSelect: (step: number, reveal: boolean) => void) {
    this.list = h('ol', { class: 'timeline-list', role: 'listbox', tabIndex: 0, aria: { label: 'Timeline: one row per statement' } });
    this.el = h('section', { class: 'timeline', aria: { label: 'Timeline' } }, h('h2', { class: 'sr-only' }, 'Timeline'), this.list);
    this.list.addEventListener('keydown', (e) => this.key(e));
    this.list.addEventListener('click', (e) => {
      const li = (e.target as HTMLElement).closest('li');
      if (li) this.onSelect(Number(li.dataset.step), true);
    });
  }

  /**
   * Shows a run's rows. A keystroke re-runs the scenario and most rows come back the same, so
   * a row whose content is unchanged keeps its element (renumbered if its step or line moved);
   * only new or changed rows are built, and the list is patched in place.
   */
  setRows(rows: TimelineRow[], selected: number): void {
    const pool = new Map<string, HTMLElement[]>();
    this.items.forEach((el, i) => {
      el.classList.remove('selected'); el.setAttribute('aria-selected', 'false');
      const list = pool.get(this.keys[i]);
      if (list) list.push(el); else pool.set(this.keys[i], [el]);
    });
    this.rows = rows;
    this.keys = rows.map((r) => this.contentKey(r));
    this.items = rows.map((r, i) => {
      const el = pool.get(this.keys[i])?.shift();
      if (!el) return this.row(r);
      if (el.dataset.step !== String(r.step)) { el.dataset.step = String(r.step); el.id = `step-${r.step}`; }
      if (el.dataset.line !== String(r.line)) {
        el.dataset.line = String(r.line);
        const num = el.querySelector('.tl-num');
        if (num) num.textContent = String(r.line + 1);
      }
      return el;
    });
    reconcile(this.list, this.items);
    this.selected = -1;
    this.select(Math.min(selected, Math.max(0, rows.length - 1)), false);
  }

  /** what a row shows, but for its step and line numbers */
  private contentKey(r: TimelineRow): string {
    const v = this.kernel.get(r.line);
    return [r.status, r.kind, r.source, r.time, r.text.join('\u0001'), v ? `${v.verdict}\u0001${v.text ?? ''}` : ''].join('\u0000');
  }

  /** A text marker per row: what the real kernel showed for that statement. */
  setKernel(release: string, verdicts: KernelVerdict[]): void {
    this.release = release;
    this.kernel = new Map(verdicts.map((v) => [v.line, v]));
    // every row is built again (a marker's title names the release): nothing is reused
    const rows = this.rows;
    this.rows = []; this.items = []; this.keys = [];
    this.setRows(rows, this.selected);
  }

  private row(r: TimelineRow): HTMLElement {
    const [ic, label] = STATUS_ICON[r.status] ?? STATUS_ICON.none;
    const text = r.text.length ? h('div', { class: 'tl-text' }, ...r.text.map((t) => h('div', { class: 'tl-line' }, t))) : null;
    return h('li', { class: `tl-row st-${r.status}`, role: 'option', id: `step-${r.step}`, data: { step: String(r.step), line: String(r.line) }, aria: { selected: 'false' } },
      h('span', { class: 'tl-num', aria: { hidden: 'true' } }, String(r.line + 1)),
      h('span', { class: 'tl-icon' }, icon(ic, label || undefined)),
      h('div', { class: 'tl-body' }, h('code', { class: 'tl-src' }, r.source || r.kind), text, this.kernelMarker(r.line)),
      r.time ? h('span', { class: 'tl-time', title: 'simulated time at the end of the step' }, `${r.time} ms`) : null);
  }

  private kernelMarker(line: number): HTMLElement | null {
    const v = this.kernel.get(line);
    if (!v) return null;
    return h('div', { class: `tl-text tl-kernel kv-${v.verdict}`, title: `real kernel ${this.release}` },
      `real kernel: ${v.verdict}${v.text ? ` — ${v.text}` : ''}`);
  }

  select(step: number, scroll = true): void {
    const prev = this.items[this.selected];
    if (prev) { prev.classList.remove('selected'); prev.setAttribute('aria-selected', 'false'); }
    this.selected = step;
    const cur = this.items[step];
    if (cur) {
      cur.classList.add('selected'); cur.setAttribute('aria-selected', 'true');
      this.list.setAttribute('aria-activedescendant', cur.id);
      if (scroll) cur.scrollIntoView({ block: 'nearest' });
    }
  }

  private key(e: KeyboardEvent): void {
    const n = this.rows.length;
    if (!n) return;
    let s = this.selected;
    switch (e.key) {
      case 'ArrowDown': case 'ArrowRight': s = Math.min(n - 1, s + 1); break;
      case 'ArrowUp': case 'ArrowLeft': s = Math.max(0, s - 1); break;
      case 'Home': s = 0; break;
      case 'End': s = n - 1; break;
      case 'PageDown': s = Math.min(n - 1, s + 10); break;
      case 'PageUp': s = Math.max(0, s - 10); break;
      case 'Enter': this.onSelect(s, true); e.preventDefault(); return;
      default: return;
    }
    e.preventDefault();
    if (s !== this.selected) this.onSelect(s, false);
  }
  focus(): void { this.list.focus(); }
}
