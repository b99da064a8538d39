// The one place that turns trace events into words: a step's events as the timeline's
// plain text (describeStep) and one markdown line per event for hovers (describeEvent).

import { formatPteFlags } from '../engine/pte';
import { PG_NAMES } from '../engine/memmap';
import type { RunResult } from '../scenario/run';
import type { Step, TraceEvent } from '../scenario/trace';
import { functionOf } from './kernelSource';
import { hex, type Names } from './names';
import { scanStep } from './stepScan';

/** Calls that every fault passes through or that add nothing to the story. */
const QUIET_CALLS = new Set([
  'do_user_addr_fault', 'handle_mm_fault', 'file_update_time', 'fault_dirty_shared_page', 'noop_dirty_folio',
  'schedule_delayed_work', 'vmalloc_to_page', '__do_fault', 'finish_fault', 'finish_mkwrite_fault',
  'do_page_mkwrite', 'wp_page_reuse', 'fb_deferred_io_track_page', 'filemap_dirty_folio', 'ext4_dirty_folio',
]);

/** One step's events in kernel words. */
export function describeStep(step: Step, names: Names, run?: RunResult): string[] {
  const { events, omitted } = run ? scanStep(run, step) : { events: step.events, omitted: { faults: 0, ptes: 0, other: 0 } };
  const out: string[] = [];
  let cur: string | undefined;
  let listed: number[] = [];
  const flush = () => { if (cur !== undefined) out.push(cur); cur = undefined; };
  for (const e of events) {
    switch (e.t) {
      case 'fault': {
        flush();
        const fns = e.path.filter((f) => !QUIET_CALLS.has(f));
        cur = `${names.proc(e.pid)}: #PF ${hex(e.err)} → ${fns.join(' → ')}`;
        if (e.outcome && e.outcome !== 'minor') cur += ` (${e.outcome})`;
        break;
      }
      case 'defio':
        if (e.ev === 'track') { cur = (cur ?? `${names.obj(e.obj)}`) + `: page ${e.page} listed`; }
        else if (e.ev === 'track-again') { cur = (cur ?? `${names.obj(e.obj)}`) + `: page ${e.page} already listed`; }
        else if (e.ev === 'arm') { cur = (cur ?? names.obj(e.obj)) + `; work due at ${e.time} ms`; }
        else if (e.ev === 'work-start') { flush(); listed = []; cur = `${names.obj(e.obj)}: fb_deferred_io_work at ${e.time} ms`; }
        else if (e.ev === 'wrprotect') { listed.push(e.page); cur = (cur ?? names.obj(e.obj)) + `; wrprotect page ${e.page}`; }
        else if (e.ev === 'deferred_io') { cur = (cur ?? names.obj(e.obj)) + `; deferred_io(${listed.length ? listed.join(', ') : 'no pages'})`; }
        break;
      case 'walk': {
        const vs = e.visits.map((v) => `${v.skipped ? '~' : ''}${names.proc(v.pid)}:${v.label ?? 'vma' + v.vma}`);
        const w = `${e.api}(${names.obj(e.mapping)}[${e.pgoff}${e.nr > 1 ? '..' + (e.pgoff + e.nr - 1) : ''}]) → ${vs.length ? vs.join(', ') : 'no VMA'} = ${e.result ?? '?'}`;
        if (cur !== undefined) cur += `; ${w}`; else out.push(w);
        break;
      }
      case 'signal': flush(); out.push(`${e.sig} in ${names.proc(e.pid)}`); break;
      case 'oops': flush(); out.push(`oops: ${e.message}`); break;
      case 'warn': flush(); out.push(`warning: ${e.message}`); break;
      case 'vmas': flush(); out.push(`${names.proc(e.pid)}: VMAs changed`); break;
      case 'call': flush(); out.push(e.fn); break;
      case 'hw': if (cur === undefined) out.push(`${names.proc(e.pid)}: ${e.write ? 'write' : 'read'} ${hex(e.addr)} by hardware (no fault)`); break;
      default: break;
    }
  }
  flush();
  // merge consecutive hardware accesses into one line
  const merged: string[] = [];
  for (const s of out) {
    const last = merged[merged.length - 1];
    if (last && s.endsWith('by hardware (no fault)') && last.includes('by hardware')) {
      const m = /×(\d+)$/.exec(last);
      merged[merged.length - 1] = last.replace(/ ×\d+$/, '') + ` ×${m ? +m[1] + 1 : 2}`;
    } else merged.push(s);
  }
  let res = merged;
  if (merged.length > 40) res = [...merged.slice(0, 39), `… ${merged.length - 39} more`];
  if (omitted.faults + omitted.ptes + omitted.other) res.push(`… then ${omitted.faults.toLocaleString('en-US')} more page faults, ${omitted.ptes.toLocaleString('en-US')} PTE changes, ${omitted.other.toLocaleString('en-US')} other events`);
  if (step.result !== undefined) res.push(`result ${step.result}`);
  return res;
}

const FAULT_OUTCOME: Record<string, string> = {
  minor: 'minor fault', major: 'major fault', retry: 'VM_FAULT_RETRY', sigsegv: 'SIGSEGV', sigbus: 'SIGBUS',
  oops: 'oops', 'nopage-loop': 'no progress',
};

/** One markdown line per event (the ones a reader of the hover cares about). */
export function describeEvent(e: TraceEvent, n: Names): string | undefined {
  switch (e.t) {
    case 'fault':
      return `\`#PF ${hex(e.err)}\` ${n.proc(e.pid)} @ \`${hex(e.addr)}\` → ${e.path.map((f) => `\`${f}\``).join(' → ') || '(no path)'}`
        + (e.outcome ? ` → **${FAULT_OUTCOME[e.outcome] ?? e.outcome}**` : '');
    case 'hw': return `${n.proc(e.pid)} @ \`${hex(e.addr)}\`: no fault, the CPU sets ${e.write ? 'A and D' : 'A'}`;
    case 'pte': return `PTE ${n.proc(e.pid)} @ \`${hex(e.addr)}\`: \`${formatPteFlags(e.before.flags, e.before.pfn)}\` → \`${formatPteFlags(e.after.flags, e.after.pfn)}\`${e.after.pfn ? ` pfn ${hex(e.after.pfn)}` : ''} (${e.why})`;
    case 'folio': {
      if (e.field !== 'flags') return `folio pfn ${hex(e.pfn)}: ${e.field} ${e.before} → ${e.after}`;
      const diff = PG_NAMES.filter(([bit]) => (e.before ^ e.after) & bit).map(([bit, name]) => `${e.after & bit ? '+' : '−'}PG_${name}`);
      return `folio pfn ${hex(e.pfn)}: ${diff.join(' ') || 'flags unchanged'}`;
    }
    case 'walk': {
      const vmas = e.visits.map((v) => {
        const who = `${n.proc(v.pid)}:${v.label ?? `vma${v.vma}`}`;
        if (v.skipped) return `~${who} (skipped${v.reason ? `: ${v.reason}` : ''})`;
        const counted = v.ptes.filter((p) => p.counted).length;
        return `${who} @ \`${hex(v.address)}\` (${v.ptes.length} PTE${v.ptes.length === 1 ? '' : 's'}, ${counted} counted)`;
      });
      return `rmap walk \`${e.api}\` over ${n.obj(e.mapping)} pgoff ${e.pgoff}${e.nr > 1 ? `..${e.pgoff + e.nr - 1}` : ''}`
        + (e.path.length ? ` → ${e.path.map((f) => `\`${f}\``).join(' → ')}` : '')
        + `; VMAs: ${vmas.length ? vmas.join(', ') : 'none reached'}` + (e.result !== undefined ? `; result ${e.result}` : '');
    }
    case 'defio': return `fb_defio ${n.obj(e.obj)}: **${e.ev}**${e.page >= 0 ? ` page ${e.page}` : ''} at ${e.time} ms`;
    case 'signal': return `${n.proc(e.pid)} gets **${e.sig}**`;
    case 'oops': return `**kernel oops**: ${e.message}`;
    case 'call': return `\`${e.fn}\``;
    case 'warn': return `warning: ${e.message}`;
    case 'vmas': return undefined;
  }
}

/** The kernel functions a step went through, in first-seen order. */
export function stepFunctions(step: Step): string[] {
  const out: string[] = [];
  const add = (s: string) => { const f = functionOf(s); if (f && !out.includes(f)) out.push(f); };
  for (const e of step.events) {
    if (e.t === 'fault' || e.t === 'walk') { if (e.t === 'walk') add(e.api); e.path.forEach(add); }
    else if (e.t === 'call') add(e.fn);
    else if (e.t === 'defio') add(e.ev === 'track' || e.ev === 'track-again' ? 'fb_deferred_io_track_page' : 'fb_deferred_io_work');
  }
  return out;
}
