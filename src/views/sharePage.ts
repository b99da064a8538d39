// `mmscope run --html OUT.html FILE`: one self-contained page that shows a run in the
// inspector's own bundle, offline and without VS Code. The page holds the run's timeline,
// every step's detail, every step's PTE rows and the comparison with each offered kernel;
// a small host script in the page answers the inspector's messages from them, as the
// extension would. Strict CSP: nothing but the page's own (hashed) scripts and styles and
// its inlined font; no network. Scenario text reaches the page only as JSON data that the
// inspector renders as text.

import type { RunResult } from '../scenario/run';
import type { CompareRow, InspectorRun, PteRow, StepDetail } from '../shared/inspectorView';
import { InspectorSession, MAX_PTE_ROWS } from './inspectorService';

/** A page holds at most this many PTE rows over all steps. */
export const PAGE_MAX_PTE_ROWS = 200_000;

export interface PageData {
  file: string;
  run: InspectorRun;
  steps: StepDetail[];
  ptes: PteRow[][];
  kernels: string[];
  compare: Record<string, { kernel: string; base: string; rows: CompareRow[] }>;
}

export interface PageTheme { bodyClass: string[]; defaultStyles: string; vars: Record<string, string> }
export interface PageAssets {
  mainJs: string; css: string; codiconCss: string; codiconTtfBase64: string;
  themes: { dark: PageTheme; light: PageTheme };
}

/** Everything the page shows, computed from the run; a string says why the run is too big. */
export function pageData(run: RunResult, text: string, file: string, kernels: readonly string[]): PageData | string {
  const s = new InspectorSession(run, text);
  const r = s.answer({ q: 'run' });
  if (r.q !== 'run') return 'the run has no timeline';
  const steps: StepDetail[] = [], ptes: PteRow[][] = [];
  let rows = 0;
  for (let i = 0; i < run.steps.length; i++) {
    const d = s.answer({ q: 'step', step: i });
    if (d.q !== 'step') return `step ${i} has no detail`;
    steps.push(d.detail);
    const page: PteRow[] = [];
    for (let off = 0; ; off += MAX_PTE_ROWS) {
      const p = s.answer({ q: 'ptes', step: i, filter: {}, offset: off, count: MAX_PTE_ROWS });
      if (p.q !== 'ptes') break;
      page.push(...p.rows);
      rows += p.rows.length;
      if (rows > PAGE_MAX_PTE_ROWS) return `the run has more than ${PAGE_MAX_PTE_ROWS.toLocaleString('en-US')} PTE rows over its steps: too many for one page (open it in VS Code)`;
      if (off + MAX_PTE_ROWS >= p.total) break;
    }
    ptes.push(page);
  }
  const compare: PageData['compare'] = {};
  for (const k of kernels) {
    const c = s.answer({ q: 'compare', kernel: k });
    if (c.q === 'compare') compare[k] = { kernel: c.kernel, base: c.base, rows: c.rows };
  }
  return { file, run: { ...r.run, runId: 1 }, steps, ptes, kernels: [...kernels], compare };
}

/** The page's host, run inside the page (stringified): answers the inspector's messages. */
function pageHost(data: PageData, themes: PageAssets['themes']): void {
  const dark = !window.matchMedia || window.matchMedia('(prefers-color-scheme: dark)').matches;
  const t = dark ? themes.dark : themes.light;
  for (const [k, v] of Object.entries(t.vars)) document.documentElement.style.setProperty(k, v);
  document.addEventListener('DOMContentLoaded', () => document.body.classList.add(...t.bodyClass));
  let state: unknown;
  const reply = (m: unknown) => setTimeout(() => window.postMessage(m, '*'), 0);
  const run = data.run;
  type Filter = { proc?: string; object?: string; changed?: boolean; sort?: string; desc?: boolean };
  const filtered = (step: number, f: Filter) => {
    let rows = data.ptes[step] ?? [];
    if (f.proc) rows = rows.filter((r) => r.proc === f.proc);
    if (f.object) rows = rows.filter((r) => (f.object === 'anon' ? r.maps === 'anon' || r.maps === 'zero' : r.maps.startsWith(f.object + '[')));
    if (f.changed) rows = rows.filter((r) => r.changed);
    if (f.sort === 'pfn') rows = [...rows].sort((a, b) => parseInt(a.pfn, 16) - parseInt(b.pfn, 16));
    if (f.desc) rows = [...rows].reverse();
    return rows;
  };
  (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
    getState: () => state,
    setState: (s: unknown) => { state = s; },
    postMessage: (m: { type: string; selected?: number; step: number; requestId: number; filter: Filter; offset: number; count: number; kernel: string }) => {
      switch (m.type) {
        case 'ready':
          reply({ type: 'run', run, selected: m.selected ?? 0, uri: data.file, file: data.file, kernels: data.kernels });
          reply({ type: 'step', runId: run.runId, detail: data.steps[m.selected ?? 0] });
          break;
        case 'selectStep':
          if (data.steps[m.step]) reply({ type: 'step', runId: run.runId, detail: data.steps[m.step] });
          break;
        case 'requestPtes': {
          const all = filtered(m.step, m.filter ?? {});
          reply({ type: 'ptes', runId: run.runId, requestId: m.requestId, step: m.step, offset: m.offset, total: all.length, rows: all.slice(m.offset, m.offset + m.count) });
          break;
        }
        case 'requestCompare':
          if (m.kernel && data.compare[m.kernel]) reply({ type: 'compare', runId: run.runId, ...data.compare[m.kernel] });
          break;
      }
    },
  });
}

/** JSON that is safe inside a <script> element (no `</script>`, no `<!--`). */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Text that is safe inside a <style> element. */
const styleText = (s: string) => s.replace(/<\//g, '<\\/');
const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The page. `sha256` gives the base64 SHA-256 of a string (the CSP names each inline script
 * and style by its hash).
 */
export function sharePage(data: PageData, a: PageAssets, sha256: (s: string) => string): string {
  const codicons = a.codiconCss.replace(/url\(["']?\.\/codicon\.ttf[^)]*\)/g, `url("data:font/ttf;base64,${a.codiconTtfBase64}")`);
  const styles = [styleText(a.themes.dark.defaultStyles), styleText(codicons), styleText(a.css)];
  const host = `(${pageHost.toString()})(${scriptJson(data)}, ${scriptJson({ dark: pick(a.themes.dark), light: pick(a.themes.light) })});`;
  const main = a.mainJs.replace(/<\/script/gi, '<\\/script');
  const csp = [`default-src 'none'`, `style-src ${styles.map((s) => `'sha256-${sha256(s)}'`).join(' ')}`, `font-src data:`,
    `img-src data:`, `script-src 'sha256-${sha256(host)}' 'sha256-${sha256(main)}'`, `base-uri 'none'`, `form-action 'none'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${attr(`MM Scope: ${data.file}`)}</title>
${styles.map((s) => `<style>${s}</style>`).join('\n')}
<script>${host}</script>
</head><body>
<script>${main}</script>
</body></html>
`;
}

const pick = (t: PageTheme) => ({ bodyClass: t.bodyClass, vars: t.vars });
