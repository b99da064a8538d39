// Hover text from a run: for a statement, what the kernel did for that line (the call
// paths the engine took, rmap walks with the VMAs reached and skipped, fb_defio events)
// with links to the kernel source; for a name, its declaration and its state at that
// line (the PTE behind `m[2]` after that step). Pure: returns markdown.

import { formatPteFlags } from '../engine/pte';
import type { Statement } from '../language/ast';
import type { CheckResult, SymbolInfo } from '../language/checker';
import { expectationDoc, statementDoc } from '../language/keywords';
import { DEFAULT_KERNEL, differencesFrom, parseRelease } from '../engine/versions';
import type { RunResult } from '../scenario/run';
import type { Step } from '../scenario/trace';
import { kernelSourceUrl } from './kernelSource';
import { hex, namesOf } from './names';
import { describeEvent, stepFunctions } from './narrate';

const stepIndex = new WeakMap<RunResult, Map<number, Step>>();
/** The step that ran the statement on `line`, if it ran. */
export function stepAtLine(r: RunResult, line: number): Step | undefined {
  let m = stepIndex.get(r);
  if (!m) {
    m = new Map();
    for (const s of r.steps) if (s.line >= 0) m.set(s.line, s);
    stepIndex.set(r, m);
  }
  return m.get(line);
}

export interface HoverOptions { /** most events listed */ maxEvents?: number; /** most source links */ maxLinks?: number }

/** Markdown for a hover on the statement at `line`, from the run's trace. */
export function statementHover(r: RunResult, line: number, opts: HoverOptions = {}): string | undefined {
  const stmt = r.scenario.statements.find((s) => s.range.start.line === line);
  if (!stmt) return undefined;
  const maxEvents = opts.maxEvents ?? 12, maxLinks = opts.maxLinks ?? 6;
  const version = r.kernel.toString();
  const parts: string[] = [];
  const kwDoc = stmt.kind.startsWith('expect_') ? expectationDoc(stmt.kind.slice(7).replace(/_.*/, '')) : statementDoc(stmt.kind);
  if (kwDoc) parts.push(`**${kwDoc.syntax}**: ${kwDoc.doc}`);
  if (stmt.kind === 'kernel') {
    const diffs = differencesFrom(r.kernel.version, parseRelease(DEFAULT_KERNEL)!);
    parts.push(diffs.length ? `Linux ${version}, unlike the default ${DEFAULT_KERNEL}:\n\n${diffs.map((d) => `- ${d}`).join('\n')}` : `Linux ${version} follows the same modelled rules as the default ${DEFAULT_KERNEL}.`);
  }
  const step = stepAtLine(r, line);
  if (!step) { parts.push('_Not run (an earlier error stopped the run)._'); return parts.join('\n\n'); }
  if (step.skipped) { parts.push('_Not run: this line has an error._'); return parts.join('\n\n'); }
  if (step.expect) parts.push(`${step.expect.ok ? '✓ holds' : '✗ fails'}: ${step.expect.message}`);
  const n = namesOf(r);
  const lines: string[] = [];
  let shown = 0, hidden = 0;
  for (const e of step.events) {
    const d = describeEvent(e, n);
    if (!d) continue;
    if (shown < maxEvents) { lines.push(`- ${d}`); shown++; } else hidden++;
  }
  if (hidden) lines.push(`- … and ${hidden} more events (Export Trace as JSON for all of them)`);
  if (lines.length) parts.push(`**Linux ${version}** did, at t = ${step.time} ms:\n\n${lines.join('\n')}`);
  else if (!step.expect) parts.push(`Linux ${version}: nothing happened in the kernel for this line.`);
  if (step.result !== undefined) parts.push(`Result: **${step.result}**`);
  const fns = stepFunctions(step).slice(0, maxLinks);
  if (fns.length) parts.push('Source: ' + fns.map((f) => `[${f}](${kernelSourceUrl(f, version)})`).join(' · '));
  return parts.join('\n\n');
}

/** The PTE for (pid, addr) after `step` ran, from the trace's PTE changes. */
export function pteAfterStep(r: RunResult, pid: number, addr: number, stepIdx: number): { flags: number; pfn: number } | undefined {
  let found: { flags: number; pfn: number } | undefined;
  for (const s of r.steps) {
    if (s.index > stepIdx) break;
    for (const e of s.events) if (e.t === 'pte' && e.pid === pid && e.addr === addr) found = e.after;
  }
  return found;
}

function procOfStatement(s: Statement): string | undefined {
  return 'proc' in s && s.proc ? s.proc.name : undefined;
}

/** Markdown for a name's declaration alone (no run needed). */
export function declarationHover(sym: SymbolInfo): string {
  const declLine = sym.decl.start.line + 1;
  switch (sym.kind) {
    case 'process': return `**process ${sym.name}**${sym.parent ? ` (forked from ${sym.parent})` : ''}, declared on line ${declLine}`;
    case 'object': return `**${sym.objKind ?? 'object'} ${sym.name}**${sym.pages !== undefined ? `, ${sym.pages} pages` : ''}, declared on line ${declLine}`;
    case 'label': return `**mapping ${sym.name}** of ${sym.proc ?? '?'}: ${sym.shared ? 'shared' : 'private'} ${sym.mapsObject ?? '?'}`
      + `${sym.pages !== undefined ? `, ${sym.pages} pages` : ''}, declared on line ${declLine}`;
    case 'pipe': return `**pipe ${sym.name}** (vmsplice), declared on line ${declLine}`;
    case 'buffer': return `**pinned buffer ${sym.name}** (pin: an io_uring fixed buffer), declared on line ${declLine}`;
  }
}

/** Markdown for a hover on a name (declaration, and its state at that line). */
export function symbolHover(r: RunResult, sym: SymbolInfo, line: number, character: number): string {
  const parts: string[] = [declarationHover(sym)];
  if (sym.declInvalid) parts.push('_Its declaration has an error: it may not exist at run time._');
  const stmt = r.scenario.statements.find((s) => s.range.start.line === line);
  const step = stepAtLine(r, line);
  if (sym.kind === 'label' && stmt && step) {
    const proc = procOfStatement(stmt);
    const spec = 'pages' in stmt && typeof stmt.pages === 'object' && stmt.pages && 'kind' in stmt.pages ? stmt.pages
      : 'page' in stmt ? stmt.page : undefined;
    const lab = proc ? r.labels.get(proc)?.get(sym.name) : undefined;
    const pid = proc ? r.pids.get(proc) : undefined;
    if (spec && spec.kind === 'named' && spec.target.name === sym.name && lab && pid !== undefined
      && character >= spec.range.start.character && character <= spec.range.end.character) {
      const first = spec.first.value, last = spec.last?.value ?? first;
      const rows: string[] = [];
      for (let i = first; i <= Math.min(last, first + 7); i++) {
        const addr = lab.start + i * 4096;
        const pte = pteAfterStep(r, pid, addr, step.index);
        rows.push(`- \`${sym.name}[${i}]\` @ \`${hex(addr)}\`: ${pte && (pte.flags || pte.pfn) ? `\`${formatPteFlags(pte.flags, pte.pfn)}\` pfn \`${hex(pte.pfn)}\`` : 'no PTE (`pte_none`)'}`);
      }
      if (last > first + 7) rows.push(`- … ${last - first - 7} more pages`);
      parts.push(`PTE in ${proc} after line ${line + 1}:\n\n${rows.join('\n')}`);
    } else if (lab) {
      parts.push(`at \`${hex(lab.start)}\`, vm_pgoff ${lab.pgoff}`);
    }
  } else if (sym.kind === 'process' && step) {
    const pid = r.pids.get(sym.name);
    let faults = 0;
    for (const s of r.steps) {
      if (s.index > step.index) break;
      for (const e of s.events) if (e.t === 'fault' && e.pid === pid && e.outcome !== 'retry') faults++;
    }
    if (pid !== undefined) parts.push(`pid ${pid}; ${faults} page fault${faults === 1 ? '' : 's'} handled up to line ${line + 1}`);
  }
  return parts.join('\n\n');
}

/** The hover at a position: a name's if the position is on one, else the statement's. */
export function hoverAt(r: RunResult, line: number, character: number): string | undefined {
  const sym = r.check.symbolAt(line, character);
  if (sym) return symbolHover(r, sym, line, character);
  return statementHover(r, line);
}

/**
 * The hover of a document too big to run on the editor's thread: declarations and the
 * statement's documentation, without what the kernel did.
 */
export function staticHover(check: CheckResult, lineText: string, line: number, character: number): string | undefined {
  const sym = check.symbolAt(line, character);
  if (sym) return declarationHover(sym);
  const words = lineText.replace(/#.*$/, '').trim().split(/\s+/);
  const doc = words[0] === 'expect' ? expectationDoc(words[1] ?? '') : statementDoc(words[0] ?? '');
  return doc ? `**${doc.syntax}**: ${doc.doc}\n\n_Large scenario: it runs off the editor's thread; open the inspector to see what the kernel did for this line._` : undefined;
}
