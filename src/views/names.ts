// Small helpers every view shares: names of processes and objects, hex, the statement's
// source text, the numeric key of a (pid, address) PTE.

import type { RunResult } from '../scenario/run';

export const hex = (n: number): string => '0x' + n.toString(16);

/** Numeric key of a (pid, address) PTE: pid * 2^36 + page number (47-bit addresses). */
export const pteKey = (pid: number, addr: number): number => pid * 2 ** 36 + Math.floor(addr / 4096);

export interface Names { proc(pid: number): string; obj(id: number): string }

export function namesOf(run: RunResult): Names {
  const p = new Map<number, string>(), o = new Map<number, string>();
  for (const [n, pid] of run.pids) p.set(pid, n);
  for (const [n, as] of run.objects) o.set(as.id, n);
  return { proc: (pid) => p.get(pid) ?? `pid ${pid}`, obj: (id) => o.get(id) ?? (id < 0 ? `anon_vma ${-id}` : `mapping ${id}`) };
}

/** The statement on a source line as written (trimmed, comment removed). */
export function sourceLine(lines: string[], line: number): string {
  const s = lines[line] ?? '';
  const hash = s.indexOf('#');
  return (hash >= 0 ? s.slice(0, hash) : s).trim();
}
