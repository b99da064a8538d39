// `pin PROC SPEC as BUF` and `expect pin BUF unchanged|changed`: an io_uring ring and
// IORING_REGISTER_BUFFERS in the process (guest o_pin), and a look at the pinned pages'
// data through IORING_OP_WRITE_FIXED from a process that holds the ring (o_pin_check: op
// `pinchk`, 1 when it changed).

import { hex } from '../cSyntax';
import { OBSERVE, type Emitter } from '../context';
import { PAGE_SIZE } from '../types';

/** the guest's PINS[] slots (oracle.h O_MAXPIN) */
const MAX_PINS = 64;

export const pin: Emitter<'pin'> = (st, cx) => {
  const m = cx.model;
  const p = m.liveProc(st.proc.name);
  if (!p) return cx.noProc(st.proc.name);
  const spec = m.specHits(p, st.spec);
  if (typeof spec === 'string') return cx.no(spec);
  if (m.pins.size >= MAX_PINS) {
    // the engine's pins change what fork and later writes do in every process that maps these pages
    m.taintProcAndMaps(p.info.name, spec.hit.map(h => h.ms), cx.line);
    return cx.no(`more than ${MAX_PINS} pinned buffers in one scenario`);
  }
  const slot = m.pins.size;
  const r = spec.runs[0];
  if (!cx.inProc(p.info.name, `o_pin(${cx.k}, ${slot}, ${hex(r.addr)}, ${hex(r.pages * PAGE_SIZE)});`)) return undefined;
  if (spec.runs.length > 1) cx.partly('the range is not contiguous: only its first run is pinned');
  m.pins.set(st.buf.name, { slot, holders: new Set([p.info.name]) });
  cx.step.snapshots.push(...m.snapshotsOf([...new Set(spec.hit.map(h => h.ms))]));
  cx.touch(new Set(spec.hit.map(h => h.ms.m.objKey)));
  return OBSERVE;
};

export const expectPin: Emitter<'expect_pin'> = (e, cx) => {
  const m = cx.model;
  const buf = m.pins.get(e.buf.name);
  if (!buf) return cx.no(`buffer ${e.buf.name} was not registered on the kernel`);
  const holder = [...buf.holders].find(n => m.liveProc(n));
  if (!holder) return cx.no(`no live process holds the ring of buffer ${e.buf.name}`);
  if (!cx.inProc(holder, `o_pin_check(${cx.k}, ${buf.slot});`)) return undefined;
  return undefined;
};
