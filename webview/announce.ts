// What the live region says when the user steps onto a step: the PTEs it changed, each with
// its state before (the previous step's detail, when that is the step just before) and after.

import type { StepDetail } from '../src/shared/inspectorView';
import { cellName, pageAddr, vmaName } from './cells';

const MAX = 6;

export function pteChanges(d: StepDetail, prev: StepDetail | undefined): string {
  const before = prev && prev.step === d.step - 1 ? prev : undefined;
  const out: string[] = [];
  for (const p of d.procs) for (const v of p.vmas) for (const i of v.changed) {
    const old = before?.procs.find((q) => q.pid === p.pid)?.vmas.find((w) => w.id === v.id)?.cells[i];
    const now = cellName(v.cells[i]);
    out.push(`${p.name} ${vmaName(v)}[${i}] at ${pageAddr(v, i)}: ${old !== undefined ? `${cellName(old)} → ${now}` : `now ${now}`}`);
  }
  const n = Math.max(d.pteChanged, out.length);
  if (!n) return '';
  const shown = out.slice(0, MAX).join('; ');
  const rest = n - Math.min(out.length, MAX);
  return `Step ${d.step + 1}: ${n} PTE${n === 1 ? '' : 's'} changed${shown ? `: ${shown}` : ''}${rest > 0 ? `; ${rest} more in the PTE table` : ''}.`;
}
