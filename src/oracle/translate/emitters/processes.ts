// `process`, `fork`, `exit`: processes of the guest driver, one per scenario process.

import { OBSERVE, type Emitter } from '../context';
import type { ProcState } from '../model';
import { ORACLE_LIMITS } from '../types';

const tooMany = `the oracle handles at most ${ORACLE_LIMITS.processes} processes per scenario`;

export const newProcess: Emitter<'process'> = (st, cx) => {
  const m = cx.model;
  const info = m.processes[m.procIndex(st.name.name)];
  if (!info) return cx.no(tooMany);
  m.procs.set(info.name, { info, alive: true, labels: new Map(), maps: [] });
  cx.inDriver(`o_spawn(${cx.k}, ${info.index}); o_faults_line(${cx.k});`);
  return undefined;
};

export const fork: Emitter<'fork'> = (st, cx) => {
  const m = cx.model, k = cx.k;
  const parent = m.liveProc(st.parent.name);
  if (!parent) return cx.noProc(st.parent.name);
  const info = m.processes[m.procIndex(st.child.name)];
  if (!info) {
    // the engine's fork shares the parent's pages (COW, mapcounts) where the kernel's did not
    // happen: what the parent and the objects it maps show later may differ
    m.taintProcAndMaps(parent.info.name, parent.maps, cx.line);
    return cx.no(tooMany);
  }
  const child: ProcState = { info, alive: true, labels: new Map(), maps: [] };
  m.procs.set(info.name, child);
  m.taint.inheritProc(parent.info.name, info.name);
  for (const h of [...m.pipes.values(), ...m.pins.values()]) if (h.holders.has(parent.info.name)) h.holders.add(info.name);
  for (const ms of parent.maps) {
    const c = m.addMapping(child, { ...ms.m, proc: info.name });
    // dup_mmap() skips a VM_DONTCOPY VMA (MADV_DONTFORK)
    c.mapped = ms.mapped.map((v, i) => v && !ms.dontcopy?.[i]);
  }
  cx.step.runsIn = parent.info.name;
  cx.out.stepCases.push(`  case ${k}: ${cx.cmt} o_fork(${k}, ${info.index}); break;`);
  cx.out.driver.push(`  o_step(${k}, ${cx.line}); o_run_fork(${k}, ${parent.info.index}, ${info.index});`);
  cx.step.snapshots.push(...m.snapshotsOf([...parent.maps, ...child.maps].filter(ms => ms.m.realised)));
  return OBSERVE;
};

export const exit: Emitter<'exit'> = (st, cx) => {
  const m = cx.model, k = cx.k;
  const p = m.liveProc(st.proc.name);
  if (!p) return cx.noProc(st.proc.name);
  cx.step.runsIn = p.info.name;
  cx.out.stepCases.push(`  case ${k}: ${cx.cmt} o_exit(${k}); break;`);
  cx.out.driver.push(`  o_step(${k}, ${cx.line}); o_run_exit(${k}, ${p.info.index});`);
  const keys = new Set(p.maps.map(ms => ms.m.objKey));
  p.alive = false;
  for (const ms of p.maps) ms.mapped.fill(false);
  m.dropEmpty(p);
  cx.touch(keys);
  return OBSERVE;
};
