// `mmscope explain`: what statements did, in plain ASCII of at most 72 columns, for a reply
// on a mailing list: the kernel path of each fault, each rmap walk (page -> mapping ->
// i_mmap, then every VMA in visit order, a skipped one with its reason, each PTE before ->
// after and whether it was counted), the result, and the verdict of an expectation. With two
// runs of one text (two kernels) the same, side by side.

import { formatPteFlags } from '../engine/pte';
import type { RunResult } from '../scenario/run';
import { hex, namesOf } from './names';
import { emptyVisitText, type StepDetail, type WalkView } from '../shared/inspectorView';
import { InspectorSession } from './inspectorService';

export const EXPLAIN_WIDTH = 72;

const ASCII: Record<string, string> = {
  '→': '->', '←': '<-', '–': '-', '—': '-', '…': '...', '×': 'x', '≠': '!=', '✓': 'ok', '✗': 'x',
  '·': '.', '‘': "'", '’': "'", '“': '"', '”': '"', '≤': '<=', '≥': '>=',
};

/** The text in plain ASCII: the arrows and dashes the views use spelled out, anything else '?'. */
export function toAscii(s: string): string {
  let out = '';
  for (const ch of s) out += ASCII[ch] ?? (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) > 0x7e ? (ch === '\t' ? ' ' : '?') : ch);
  return out;
}

/** Words of `text` filled into lines of at most `width` columns, the first after `first`, the
 *  rest after `rest`; a word longer than a line is cut. */
export function wrap(text: string, width: number, first = '', rest = first): string[] {
  const out: string[] = [];
  let line = first, has = false;
  const flush = () => { out.push(line); line = rest; has = false; };
  for (let word of toAscii(text).split(/\s+/).filter(Boolean)) {
    if (has && line.length + 1 + word.length > width) flush();
    while (word && line.length + (has ? 1 : 0) + word.length > width) {
      const room = width - line.length - (has ? 1 : 0);
      if (room <= 0) { if (has) { flush(); continue; } line += word; word = ''; break; } // no room even on a fresh line
      line += (has ? ' ' : '') + word.slice(0, room);
      word = word.slice(room);
      flush();
    }
    if (word) { line += (has ? ' ' : '') + word; has = true; }
  }
  if (has || !out.length) out.push(line);
  return out;
}

function walkLines(w: WalkView, n: number, width: number): string[] {
  const out: string[] = [];
  const range = w.pgoffFirst === w.pgoffLast ? `${w.pgoffFirst}` : `${w.pgoffFirst}..${w.pgoffLast}`;
  out.push(...wrap(`rmap walk ${n}: ${w.api}(${w.mapping}[${range}]), result ${w.result ?? '?'}`, width, '  ', '    '));
  out.push(...wrap(`page pfn ${w.pfnFirst}${w.pfnLast !== w.pfnFirst ? `..${w.pfnLast}` : ''} -> address_space ${w.mapping} -> i_mmap pgoff [${range}]`, width, '    ', '      '));
  if (w.path.length) out.push(...wrap(`path: ${w.path.join(' -> ')}`, width, '    ', '      '));
  if (!w.visits.length) out.push('    no VMA maps that range');
  w.visits.forEach((v, i) => {
    const who = `${v.proc}:${v.label ?? v.vma}`;
    if (v.skipped) { out.push(...wrap(`${i + 1}. ~${who} skipped: ${v.reason ?? 'no reason given'}`, width, '    ', '       ')); return; }
    out.push(...wrap(`${i + 1}. ${who} ${v.vma} pgoff ${v.interval} at ${v.address}`, width, '    ', '       '));
    if (!v.ptes.length) out.push(`       ${emptyVisitText(w.api)}`);
    for (const p of v.ptes) {
      const change = p.before === p.after ? `${p.before} (unchanged)` : `${p.before} -> ${p.after}`;
      out.push(...wrap(`PTE ${p.addr}: ${change}, ${p.counted ? 'counted' : 'not counted'}`, width, '       ', '         '));
    }
  });
  return out;
}

/** One statement (a step of the run): what it did, in lines of at most `width` columns. */
export function explainStep(run: RunResult, d: StepDetail, width = EXPLAIN_WIDTH): string[] {
  const step = run.steps[d.step];
  const out = wrap(`L${d.line + 1}: ${d.source}`, width, '', '    ');
  if (step?.skipped) { out.push('  not run: this line has an error'); return out; }
  if (step?.expect) {
    out.push(...wrap(`${step.expect.ok ? 'PASS' : 'FAIL'}: ${step.expect.message}`, width, '  ', '    '));
    return out;
  }
  for (const t of d.text) {
    if (t.startsWith('result ')) continue; // said below, with the walks
    out.push(...wrap(t, width, '  ', '    '));
  }
  d.walks.forEach((w, i) => out.push(...walkLines(w, i + 1, width)));
  if (step) out.push(...pteChanges(run, step.index, d, width));
  if (step?.result !== undefined) out.push(`  result ${step.result}`);
  return out;
}

/** The PTEs the step changed outside its walks (faults, fork, mprotect, munmap...), at most 8. */
function pteChanges(run: RunResult, stepIndex: number, d: StepDetail, width: number): string[] {
  const inWalks = new Set(d.walks.flatMap((w) => w.visits.flatMap((v) => v.ptes.map((p) => `${v.proc} ${p.addr}`))));
  const names = namesOf(run);
  // first before and last after of each PTE, in the order they first changed
  const seen = new Map<string, { before: string; after: string }>();
  for (const e of run.steps[stepIndex].events) {
    if (e.t !== 'pte') continue;
    const key = `${names.proc(e.pid)} ${hex(e.addr)}`;
    if (inWalks.has(key)) continue;
    const after = formatPteFlags(e.after.flags >>> 0, e.after.pfn) + (e.after.pfn ? ` pfn ${hex(e.after.pfn)}` : '');
    const prev = seen.get(key);
    if (prev) prev.after = after;
    else seen.set(key, { before: formatPteFlags(e.before.flags >>> 0, e.before.pfn) + (e.before.pfn ? ` pfn ${hex(e.before.pfn)}` : ''), after });
  }
  const out: string[] = [];
  let n = 0;
  for (const [key, c] of seen) {
    if (++n > 8) { out.push(`  ... and ${seen.size - 8} more PTEs changed`); break; }
    out.push(...wrap(`PTE ${key}: ${c.before} -> ${c.after}`, width, '  ', '    '));
  }
  return out;
}

/** The steps of `run` that ran the statement on 0-based `line` (all steps when undefined). */
function stepsOf(run: RunResult, line: number | undefined): number[] {
  return run.steps.filter((s) => s.line >= 0 && (line === undefined || s.line === line)).map((s) => s.index);
}

/** What the statements did (or the one on `line`, 0-based): the lines to print. */
export function explain(run: RunResult, text: string, line?: number, width = EXPLAIN_WIDTH): string[] {
  const session = new InspectorSession(run, text);
  const out = [`Linux ${run.kernel.toString()}: ${run.passed} passed, ${run.failed} failed`];
  for (const i of stepsOf(run, line)) {
    const a = session.answer({ q: 'step', step: i });
    if (a.q !== 'step') continue;
    out.push('', ...explainStep(run, a.detail, width));
  }
  if (out.length === 1) out.push('', line === undefined ? 'no statement ran' : `no statement on line ${line + 1} ran`);
  return out;
}

/** Two runs of one text (two kernels) side by side, statement by statement. */
export function explainSideBySide(a: RunResult, b: RunResult, text: string, line?: number, width = EXPLAIN_WIDTH): string[] {
  const col = Math.floor((width - 3) / 2);
  const sa = new InspectorSession(a, text), sb = new InspectorSession(b, text);
  const pad = (s: string) => s + ' '.repeat(Math.max(0, col - s.length));
  const pair = (l: string[], r: string[]) => Array.from({ length: Math.max(l.length, r.length) }, (_, i) => `${pad(l[i] ?? '')} | ${r[i] ?? ''}`.trimEnd());
  const out = pair(wrap(`Linux ${a.kernel.toString()}: ${a.passed} passed, ${a.failed} failed`, col), wrap(`Linux ${b.kernel.toString()}: ${b.passed} passed, ${b.failed} failed`, col));
  const steps = [...new Set([...stepsOf(a, line), ...stepsOf(b, line)])].sort((x, y) => x - y);
  for (const i of steps) {
    const da = i < a.steps.length ? sa.answer({ q: 'step', step: i }) : undefined;
    const db = i < b.steps.length ? sb.answer({ q: 'step', step: i }) : undefined;
    const l = da?.q === 'step' ? explainStep(a, da.detail, col) : ['(not run)'];
    const r = db?.q === 'step' ? explainStep(b, db.detail, col) : ['(not run)'];
    out.push('-'.repeat(col) + ' + ' + '-'.repeat(col), ...pair(l, r));
  }
  return out;
}
