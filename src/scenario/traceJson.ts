// The JSON form of a run (`mmscope run FILE --json`), format `mmscope-trace` version 1.
// Documented in docs/trace-format.md. Addresses are hex strings; PTEs carry both the raw
// flags word and a readable form.

import { formatPteFlags } from '../engine/pte';
import { smapsFlags } from '../engine/vma';
import type { RunResult } from './run';
import { TRACE_FORMAT, TRACE_VERSION, type TraceEvent } from './trace';

const hex = (n: number) => '0x' + n.toString(16);

/** A step's verdict on the real kernel (`mmscope kernel --json`), carried as `steps[].kernel`. */
export interface KernelStepVerdict {
  release?: string;
  verdict: 'agree' | 'differ' | 'not-observable';
  reason?: string;
  values: { subject: string; field: string; engine: string; kernel: string; verdict: string; reason?: string }[];
}

export function traceToJson(r: RunResult, file: string, kernel?: ReadonlyMap<number, KernelStepVerdict>): unknown {
  const names = new Map<number, string>();
  for (const [n, pid] of r.pids) names.set(pid, n);
  const objNames = new Map<number, string>();
  for (const [n, o] of r.objects) objNames.set(o.id, n);
  const proc = (pid: number) => names.get(pid) ?? String(pid);
  const ev = (e: TraceEvent): unknown => {
    switch (e.t) {
      case 'fault': return { type: 'fault', proc: proc(e.pid), addr: hex(e.addr), errorCode: hex(e.err), path: e.path, outcome: e.outcome };
      case 'hw': return { type: 'access', proc: proc(e.pid), addr: hex(e.addr), write: e.write };
      case 'pte': return {
        type: 'pte', proc: proc(e.pid), addr: hex(e.addr), why: e.why,
        before: { flags: e.before.flags >>> 0, pfn: hex(e.before.pfn), text: formatPteFlags(e.before.flags, e.before.pfn) },
        after: { flags: e.after.flags >>> 0, pfn: hex(e.after.pfn), text: formatPteFlags(e.after.flags, e.after.pfn) },
      };
      case 'folio': return { type: 'folio', pfn: hex(e.pfn), field: e.field, before: e.before, after: e.after };
      case 'walk': return {
        type: 'walk', api: e.api, mapping: objNames.get(e.mapping) ?? null, pgoff: e.pgoff, nrPages: e.nr, pfn: hex(e.pfn),
        path: e.path, result: e.result,
        vmas: e.visits.map((v) => ({ proc: proc(v.pid), label: v.label ?? null, skipped: v.skipped, reason: v.reason,
          address: v.skipped ? undefined : hex(v.address), ptes: v.ptes.map((p) => ({ addr: hex(p.addr), counted: p.counted })) })),
      };
      case 'defio': return { type: 'defio', obj: objNames.get(e.obj) ?? e.obj, event: e.ev, page: e.page, time: e.time };
      case 'signal': return { type: 'signal', proc: proc(e.pid), signal: e.sig };
      case 'oops': return { type: 'oops', message: e.message };
      case 'vmas': return { type: 'vmas', proc: proc(e.pid) };
      case 'call': return { type: 'call', fn: e.fn };
      case 'warn': return { type: 'warning', message: e.message };
    }
  };
  return {
    format: TRACE_FORMAT, version: TRACE_VERSION, file, kernel: r.kernel.toString(),
    summary: { passed: r.passed, failed: r.failed, exitStatus: r.exitStatus },
    diagnostics: r.diagnostics.map((d) => ({ line: d.range.start.line + 1, column: d.range.start.character + 1,
      endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1, severity: d.severity, code: d.code, message: d.message })),
    steps: r.steps.map((s) => ({
      index: s.index, line: s.line + 1, kind: s.kind, time: s.time, skipped: s.skipped || undefined,
      result: s.result, expect: s.expect, events: s.events.map(ev),
      ...(kernel?.has(s.index) ? { kernel: kernel.get(s.index) } : {}),
    })),
    final: {
      processes: [...r.engine.tasks.values()].map((t) => ({
        name: t.name, pid: t.pid, alive: t.alive, minFlt: t.minFlt, majFlt: t.majFlt,
        vmas: t.mm.vmas.map((v) => ({ start: hex(v.start), end: hex(v.end), pgoff: v.pgoff, flags: smapsFlags(v.flags),
          object: v.file ? objNames.get(v.file.id) ?? v.file.name : 'anon', label: v.label ?? null })),
      })),
    },
  };
}
