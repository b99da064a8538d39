// `vmsplice PROC SPEC as PIPE` and `expect pipe PIPE unchanged|changed`: pipe(2) and
// vmsplice(2) in the process (guest o_vmsplice), and a look at the pipe's data through
// tee(2) from a process that holds it (o_pipe_check: op `pipe`, 1 when it changed).

import { hex } from '../cSyntax';
import { OBSERVE, type Emitter } from '../context';
import { PAGE_SIZE } from '../types';

/** the guest's PIPES[] slots (oracle.h O_MAXPIPE) */
const MAX_PIPES = 64;

export const vmsplice: Emitter<'vmsplice'> = (st, cx) => {
  const m = cx.model;
  const p = m.liveProc(st.proc.name);
  if (!p) return cx.noProc(st.proc.name);
  const spec = m.specHits(p, st.spec);
  if (typeof spec === 'string') return cx.no(spec);
  if (m.pipes.size >= MAX_PIPES) {
    // the engine's pipe holds references the kernel's pages do not have: a later COW may
    // differ in every process that maps these pages
    m.taintProcAndMaps(p.info.name, spec.hit.map(h => h.ms), cx.line);
    return cx.no(`more than ${MAX_PIPES} pipes in one scenario`);
  }
  const slot = m.pipes.size;
  const r = spec.runs[0];
  if (!cx.inProc(p.info.name, `o_vmsplice(${cx.k}, ${slot}, ${hex(r.addr)}, ${hex(r.pages * PAGE_SIZE)});`)) return undefined;
  if (spec.runs.length > 1) cx.partly('the range is not contiguous: only its first run is spliced');
  m.pipes.set(st.pipe.name, { slot, holders: new Set([p.info.name]) });
  cx.step.snapshots.push(...m.snapshotsOf([...new Set(spec.hit.map(h => h.ms))]));
  cx.touch(new Set(spec.hit.map(h => h.ms.m.objKey)));
  return OBSERVE;
};

export const expectPipe: Emitter<'expect_pipe'> = (e, cx) => {
  const m = cx.model;
  const pipe = m.pipes.get(e.pipe.name);
  if (!pipe) return cx.no(`pipe ${e.pipe.name} was not made on the kernel`);
  const holder = [...pipe.holders].find(n => m.liveProc(n));
  if (!holder) return cx.no(`no live process holds pipe ${e.pipe.name}`);
  if (!cx.inProc(holder, `o_pipe_check(${cx.k}, ${pipe.slot});`)) return undefined;
  return undefined;
};
