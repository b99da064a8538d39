// Shared by the fuzz tests and scripts/fuzz.mjs: the seed, and the per-step invariant
// observer that drives src/engine/invariants.ts from the runner's onStep hook.

import { fbDefioOf } from '../../../src/engine/drivers/fbDefio';
import type { Statement } from '../../../src/language/ast';
import type { Kernel } from '../../../src/engine/kernel';
import type { AddressSpace } from '../../../src/engine/addressSpace';
import { checkInvariants, checkWrprotected, pteSnapshot, softDirtyCleared } from '../../../src/engine/invariants';
import { pte_write } from '../../../src/engine/pte';
import type { Step } from '../../../src/scenario/trace';
import { runText, type RunOptions } from '../../../src/scenario/run';
import { FUZZ_LIMITS } from './props';

/** Fixed seed (override with FUZZ_SEED) so a CI failure reproduces exactly. */
export const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 0x6d6d73;

function objectNamed(k: Kernel, name: string): AddressSpace | undefined {
  for (const o of k.objects.values()) if (o.name === name) return o;
  return undefined;
}

/**
 * Runs `text` and checks every invariant after every executed statement. Returns the
 * violations, each prefixed with the 1-based line of the statement after which it held.
 */
export function invariantViolations(text: string, opts: RunOptions = { limits: FUZZ_LIMITS }): string[] {
  const out: string[] = [];
  let prev = new Map<string, { flags: number; pfn: number }>();
  const exempt = new Set<string>();
  const onStep = (s: Statement, _step: unknown, k: Kernel) => {
    const at = `line ${s.range.start.line + 1} (${s.kind})`;
    const now = pteSnapshot(k);
    // exemptions from the write-notify rule: PTEs mprotect made writable (kernel-model §3.7)
    for (const key of [...exempt]) {
      const a = now.get(key), b = prev.get(key);
      if (!a || !pte_write(a.flags) || (b && b.pfn !== a.pfn)) exempt.delete(key);
    }
    if (s.kind === 'mprotect') {
      for (const [key, a] of now) if (pte_write(a.flags) && !(prev.get(key) && pte_write(prev.get(key)!.flags))) exempt.add(key);
    }
    for (const v of checkInvariants(k, { writeNotifyExempt: exempt })) out.push(`${at}: ${v}`);
    let clearedPid: number | undefined;
    if (s.kind === 'clear_refs') {
      for (const t of k.tasks.values()) if (t.name === s.proc.name && t.alive) clearedPid = t.pid;
    }
    for (const v of softDirtyCleared(prev, now, clearedPid)) out.push(`${at}: ${v}`);
    if (s.kind === 'mkclean' || s.kind === 'wrprotect') {
      const spec = s.kind === 'mkclean' ? s.page : s.pages;
      if (spec.kind === 'named') {
        const obj = objectNamed(k, spec.target.name);
        const i = spec.first.value, j = spec.last?.value ?? i;
        const pfn = obj ? k.pfnOf(obj, i) : 0;
        if (obj && s.kind === 'wrprotect') {
          for (const v of checkWrprotected(obj, i, pfn, j - i + 1)) out.push(`${at}: ${v}`);
        } else if (obj && pfn && k.memmap.pfnValid(pfn) && k.memmap.mapping[pfn] > 0) {
          // folio_mkclean walks folio_mapping() at folio->index
          const mapping = k.objects.get(k.memmap.mapping[pfn]);
          if (mapping) for (const v of checkWrprotected(mapping, k.memmap.index[pfn], pfn, 1)) out.push(`${at}: ${v}`);
        }
      }
    }
    prev = now;
  };
  runText(text, { ...opts, onStep });
  return out;
}

/** What must agree between the versions after each statement. */
export function defioObservables(text: string, kernel: string): string[] {
  const out: string[] = [];
  const onStep = (s: { range: { start: { line: number } }; kind: string }, step: Step, k: Kernel) => {
    const faults = [...k.tasks.values()].map((t) => `${t.name}:${t.minFlt}+${t.majFlt}${t.lastSignal === 'none' ? '' : ' ' + t.lastSignal}`);
    const ptes = [...pteSnapshot(k)].map(([key, v]) => `${key}=${v.flags.toString(16)}/${v.pfn.toString(16)}`);
    const defio = [...k.objects.values()].filter((o) => fbDefioOf(o)).map((o) => `${o.name} pending [${fbDefioOf(o)!.pagereflist}] written [${fbDefioOf(o)!.lastWritten}] runs ${fbDefioOf(o)!.workRuns}`);
    const walks = step.events.filter((e) => e.t === 'walk')
      .map((e) => (e.t === 'walk' ? e.visits.map((v) => `${v.skipped ? '~' : ''}${v.pid}:${v.label}`).join(',') : ''));
    out.push(`line ${s.range.start.line + 1} ${s.kind}: faults ${faults.join(' ')} | ptes ${ptes.join(' ')} | ${defio.join(' ')} | walks ${walks.join(' ; ')}`);
  };
  runText(text, { kernelOverride: kernel, limits: FUZZ_LIMITS, onStep });
  return out;
}

