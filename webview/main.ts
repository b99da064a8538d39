// The inspector webview: renders from the host's messages and keeps its view state
// (selected step, tab, PTE filter, scroll) with setState so a reload restores it.

import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';

import { Msg, type ToWebview } from '../src/shared/protocol';
import type { InspectorRun, StepDetail } from '../src/shared/inspectorView';
import { ce, h, icon, replace } from './dom';
import { post, loadState, saveState, type ViewState } from './vscodeApi';
import { Timeline } from './timeline';
import { renderAddressSpaces } from './addressSpaces';
import { renderObjects } from './objects';
import { renderWalks } from './walkDiagram';
import { PteTable } from './pteTable';
import { renderCompare } from './compare';
import { pteChanges } from './announce';
import { tabKeys } from './tabKeys';

const TABS = [
  ['spaces', 'Address spaces', 'symbol-namespace'], ['objects', 'Objects', 'file-binary'], ['walks', 'Rmap walk', 'type-hierarchy'],
  ['ptes', 'PTEs', 'table'], ['compare', 'Compare kernels', 'diff'],
] as const;

const state: ViewState = loadState();
let run: InspectorRun | undefined;
let detail: StepDetail | undefined;

const timeline = new Timeline((step, reveal) => selectStep(step, reveal, true));
const ptes = new PteTable(
  (r) => post({ type: Msg.RequestPtes, requestId: ++reqId, step: r.step, filter: r.filter, offset: r.offset, count: r.count }),
  (f) => { state.filter = f; saveState(state); });
ptes.filter = state.filter;
let reqId = 0;

const panels: Record<string, HTMLElement> = {};
const tabs = ce('vscode-tabs', { class: 'tabs', aria: { label: 'Inspector views' } });
for (const [id, label, ic] of TABS) {
  tabs.appendChild(ce('vscode-tab-header', { attrs: { slot: 'header' }, class: `tab-${id}`, data: { tab: id } }, icon(ic), ` ${label}`));
  // each view has a level-two heading for a screen reader (the tab shows its name to the eye)
  panels[id] = ce('vscode-tab-panel', { id: `panel-${id}`, class: `panel panel-${id}` }, h('h2', { class: 'sr-only' }, label));
  tabs.appendChild(panels[id]);
}
const spacesEl = h('div', { class: 'view' }), objectsEl = h('div', { class: 'view' }), walksEl = h('div', { class: 'view' });
const compareEl = h('div', { class: 'view' }, h('p', { class: 'empty' }, 'Choose a kernel version to run the same scenario as that kernel.'));
panels.spaces.appendChild(spacesEl); panels.objects.appendChild(objectsEl); panels.walks.appendChild(walksEl);
panels.ptes.appendChild(ptes.el);

const compareSel = ce('vscode-single-select', { attrs: { label: 'Compare with kernel version' }, class: 'compare-sel' });
/** The versions offered come with each run from the host (engine/versions.ts offeredVersions). */
let kernels = '';
// the restored choice is selected (a screen reader reads what the table below shows)
const kernelOption = (value: string, label: string) => ce('vscode-option', { attrs: value === state.compare ? { value, selected: '' } : { value } }, label);
function setKernels(list: readonly string[]): void {
  if (list.join(' ') === kernels) return;
  kernels = list.join(' ');
  replace(compareSel, kernelOption('', 'off'), ...list.map((k) => kernelOption(k, k)));
}
setKernels([]);
compareSel.addEventListener('change', () => {
  state.compare = String((compareSel as unknown as { value: string }).value ?? '');
  saveState(state);
  post({ type: Msg.RequestCompare, kernel: state.compare });
});
panels.compare.appendChild(h('div', { class: 'view' }, h('div', { class: 'toolbar' }, h('span', { aria: { hidden: 'true' } }, 'compare with kernel '), compareSel), compareEl));

const TAB_IDS = TABS.map((t) => t[0] as string);
function chooseTab(i: number): void {
  state.tab = TAB_IDS[i] ?? 'spaces';
  saveState(state);
  renderTab(state.tab);
}
tabs.addEventListener('vsc-tabs-select', (e) => chooseTab((e as CustomEvent<{ selectedIndex: number }>).detail?.selectedIndex ?? 0));
tabKeys(tabs, (i) => { tabs.setAttribute('selected-index', String(i)); chooseTab(i); });
tabs.setAttribute('selected-index', String(Math.max(0, TAB_IDS.indexOf(state.tab))));

const title = h('h1', { class: 'title' }, 'MM Scope inspector');
const summary = h('span', { class: 'summary', role: 'status', aria: { live: 'polite' } });
const stepInfo = h('div', { class: 'stepinfo' });
const status = h('div', { class: 'status', role: 'status' });
/** read when the user steps onto a step: the PTEs it changed (the timeline reads the step itself) */
const live = h('div', { class: 'sr-only pte-live', aria: { live: 'polite', atomic: 'true' } });
const app = h('div', { class: 'app' },
  h('header', { class: 'top' }, title, summary),
  status,
  h('div', { class: 'split' }, timeline.el, h('main', { class: 'right' }, stepInfo, tabs, live)));
document.body.appendChild(app);

function selectStep(step: number, reveal: boolean, fromUser: boolean): void {
  if (!run) return;
  step = Math.max(0, Math.min(run.rows.length - 1, step));
  timeline.select(step);
  if (state.selected !== step || reveal) {
    state.selected = step;
    saveState(state);
    if (fromUser) post({ type: Msg.SelectStep, step });
  }
  if (reveal && fromUser) post({ type: Msg.RevealLine, step });
}

function showDetail(d: StepDetail): void {
  // announced once per step the user lands on (not again when a keystroke re-runs the same step)
  if (d.step !== detail?.step) live.textContent = pteChanges(d, detail);
  detail = d;
  const row = run?.rows[d.step];
  replace(stepInfo,
    h('span', { class: 'step-num' }, `step ${d.step + 1}/${run?.rows.length ?? 0} · line ${d.line + 1} · ${d.time} ms`),
    h('code', { class: 'step-src' }, d.source),
    h('span', { class: 'dim' }, ` · ${d.pteCount} PTEs, ${d.pteChanged} changed${d.walks.length ? `, ${d.walks.length} rmap walk${d.walks.length > 1 ? 's' : ''}` : ''}`),
    row?.status === 'fail' ? h('div', { class: 'fail-msg' }, icon('error'), ' ', row.text.join(' ')) : null);
  // only the tab on screen is rendered now; the others when they are chosen (a keystroke
  // re-runs the scenario and sends a new detail: rendering hidden views is wasted work)
  for (const id of DETAIL_TABS) stale.add(id);
  renderTab(state.tab);
}

const DETAIL_TABS = ['spaces', 'objects', 'walks', 'ptes'];
/** detail tabs not rendered since the last detail arrived */
const stale = new Set<string>();
function renderTab(id: string): void {
  if (!detail || !stale.delete(id)) return;
  const d = detail;
  if (id === 'spaces') renderAddressSpaces(spacesEl, d.procs);
  else if (id === 'objects') renderObjects(objectsEl, d.objects, d.time);
  else if (id === 'walks') renderWalks(walksEl, d.walks);
  else if (id === 'ptes') ptes.reset(d.step);
}

window.addEventListener('message', (ev: MessageEvent) => {
  const m = ev.data as ToWebview;
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case Msg.Run:
      run = m.run;
      setKernels(m.kernels);
      state.uri = m.uri;
      title.textContent = m.file;
      replace(summary, `kernel ${run.kernel} · `, h('span', { class: run.failed ? 'fail' : 'pass' }, icon(run.failed ? 'error' : 'pass'), ` ${run.passed} passed, ${run.failed} failed`));
      timeline.setRows(run.rows, m.selected);
      state.selected = timeline.selected;
      ptes.setNames(run.procs, run.objects);
      saveState(state);
      status.textContent = '';
      app.dataset.runId = String(run.runId); // what is on screen (read by the end-to-end latency test)
      break;
    case Msg.Step:
      if (run && m.runId === run.runId) { showDetail(m.detail); app.dataset.detailRunId = String(run.runId); }
      break;
    case Msg.Ptes:
      ptes.receive(m.step, m.offset, m.total, m.rows);
      break;
    case Msg.Select:
      // from the editor cursor: select without echoing back (no feedback loop)
      if (run && m.step !== state.selected) { selectStep(m.step, false, false); }
      break;
    case Msg.Compare:
      renderCompare(compareEl, m.base, m.kernel, m.rows);
      break;
    case Msg.KernelVerdicts:
      timeline.setKernel(m.release, m.verdicts);
      break;
    case Msg.Status:
      status.textContent = m.text;
      status.classList.toggle('busy', m.busy);
      break;
  }
});

// ←/→/Home/End step from anywhere in the panel except form controls and the PTE list
document.addEventListener('keydown', (e) => {
  const t = e.target as HTMLElement;
  if (!run || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
  if (t.closest('.timeline-list, .pte-scroll, vscode-single-select, vscode-tabs, input, textarea')) return;
  const s = state.selected, n = run.rows.length;
  const next = e.key === 'ArrowRight' ? s + 1 : e.key === 'ArrowLeft' ? s - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : -2;
  if (next === -2) return;
  e.preventDefault();
  selectStep(next, false, true);
});

post({ type: Msg.Ready, selected: state.selected });
if (state.compare) post({ type: Msg.RequestCompare, kernel: state.compare });
