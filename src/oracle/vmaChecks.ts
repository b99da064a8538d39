// `expect vma` and `expect vmas` against /proc/PID/smaps as the guest read it for the step
// (emitters/vmas.ts): a VMA's range, permissions, shared/private, file offset and VmFlags.
// What smaps does not show is not observable: whether a VMA has an anon_vma (Anonymous
// counts pages, not the anon_vma), and vm_pgoff of a private anonymous VMA (show_map_vma
// prints offset 0 when the VMA has no file). `expect error` against the errno of the
// statement before it.

import { constants as osConstants } from 'os';
import type { ExpectError, ExpectVma, ExpectVmas, VmaFlag } from '../language/ast';
import type { OracleCheck, OracleStepResult, OracleVma } from './results';
import type { OracleStep } from './translate/types';

const PAGE = 4096;
const hex = (n: number): string => `0x${n.toString(16)}`;

function flagText(f: VmaFlag): string {
  return `${f.negated ? '!' : ''}${f.kind}${'value' in f ? ` ${f.kind === 'pages' || f.kind === 'pgoff' ? f.value.value : hex(f.value.value)}` : ''}`;
}

/** the step's VMAs of process `proc`, one per range */
function vmasOf(sr: OracleStepResult, proc: string): OracleVma[] {
  return sr.vmas.filter(v => v.proc === proc).sort((a, b) => a.start - b.start);
}

export function vmaChecks(st: ExpectVma | ExpectVmas, sr: OracleStepResult, step: OracleStep | undefined): OracleCheck[] {
  const subject = st.proc.name;
  const vmas = vmasOf(sr, subject);
  if (st.kind === 'expect_vmas') {
    return [{ subject, flag: `vmas ${st.value.value}`, verdict: vmas.length === st.value.value ? 'pass' : 'fail', observed: String(vmas.length) }];
  }
  const at = step?.vma?.at ?? null;
  if (at === null) return [{ subject, flag: 'vma', verdict: 'not-observable', reason: 'no address for the page' }];
  const v = vmas.find(x => x.start <= at && at < x.end);
  return st.flags.map(f => vmaFlagCheck(f, v, `${subject} ${hex(at)}`));
}

export function vmaFlagCheck(f: VmaFlag, v: OracleVma | undefined, subject: string): OracleCheck {
  const flag = flagText(f);
  const na = (reason: string): OracleCheck => ({ subject, flag, verdict: 'not-observable', reason });
  if (!v) return { subject, flag, verdict: 'fail', observed: 'no VMA there' };
  const perms = v.perms;
  let holds: boolean;
  let observed: string;
  switch (f.kind) {
    case 'start': holds = v.start === f.value.value; observed = hex(v.start); break;
    case 'end': holds = v.end === f.value.value; observed = hex(v.end); break;
    case 'pages': holds = (v.end - v.start) / PAGE === f.value.value; observed = String((v.end - v.start) / PAGE); break;
    case 'pgoff':
      if (perms === undefined || v.offset === undefined) return na('smaps header not recorded');
      if (!v.inode) return na('a VMA without a file shows offset 0 in /proc/PID/maps (show_map_vma), whatever its vm_pgoff');
      holds = v.offset / PAGE === f.value.value; observed = String(v.offset / PAGE); break;
    case 'shared': case 'private':
      if (perms === undefined) return na('smaps header not recorded');
      holds = perms[3] === (f.kind === 'shared' ? 's' : 'p'); observed = perms; break;
    case 'read': case 'write':
      if (perms === undefined) return na('smaps header not recorded');
      holds = perms[f.kind === 'read' ? 0 : 1] === (f.kind === 'read' ? 'r' : 'w'); observed = perms; break;
    case 'none':
      if (perms === undefined) return na('smaps header not recorded');
      holds = perms.startsWith('---'); observed = perms; break;
    case 'softdirty':
      holds = v.vmFlags.includes('sd'); observed = v.vmFlags.join(' '); break;
    case 'anon_vma':
      return na('whether a VMA has an anon_vma has no user-space view (smaps Anonymous counts pages)');
  }
  return { subject, flag, verdict: holds !== f.negated ? 'pass' : 'fail', observed };
}

/**
 * `expect error ERRNO`: the statement before it (the nearest step that is not an
 * expectation) failed with ERRNO — the errno of its failing system call as the guest
 * recorded it; no failing call: it did not fail.
 */
export function errorCheck(st: ExpectError, sr: OracleStepResult, steps: OracleStepResult[]): OracleCheck[] {
  const flag = `error ${st.errno.name}`;
  const prev = [...steps].reverse().find(x => x.index < sr.index && !x.kind.startsWith('expect_'));
  if (!prev || prev.status !== 'observed') return [{ subject: '', flag, verdict: 'not-observable', reason: 'the statement before it was not run on the real kernel' }];
  const failed = prev.ops.find(o => o.errno !== 0);
  const observed = failed ? (ERRNO_NAMES.get(failed.errno) ?? `errno ${failed.errno}`) : 'no error';
  return [{ subject: `L${prev.line + 1}`, flag, verdict: observed === st.errno.name ? 'pass' : 'fail', observed }];
}
const ERRNO_NAMES = new Map(Object.entries(osConstants.errno).map(([k, v]) => [v, k]));
