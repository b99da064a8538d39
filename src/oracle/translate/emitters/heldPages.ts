// Page references held by a file the process opens, made and looked at in the guest:
// - `vmsplice PROC SPEC as PIPE`: pipe(2) and vmsplice(2) in the process (guest o_vmsplice);
//   `expect pipe PIPE ...` reads the pipe through tee(2) (o_pipe_check: op `pipe`);
// - `pin PROC SPEC as BUF`: an io_uring ring and IORING_REGISTER_BUFFERS in the process
//   (o_pin); `expect pin BUF ...` stores the pinned pages with IORING_OP_WRITE_FIXED
//   (o_pin_check: op `pinchk`).
// Either check runs in a live holder (the maker, or a child forked after it): 1 when the data
// changed since it was taken.
// - `pin PROC SPEC as BUF readonly [fast]`: a long-term R/O pin has no user-space trigger but
//   the kernel's test device /sys/kernel/debug/gup_test (CONFIG_GUP_TEST: the gup kernels,
//   scripts/oracle/build-kernel.sh), PIN_LONGTERM_TEST_START in the process (o_ropin), read
//   back with PIN_LONGTERM_TEST_READ at `expect pin`. gup_test holds one such pin at a time: a
//   second while a holder of the first lives is not made. On a kernel without gup_test (Debian's)
//   it is not observable, and what the engine pinned taints the process and the pages.

import type { MapSpec } from '../../../language/ast';
import { hex } from '../cSyntax';
import { OBSERVE, type EmitResult, type Emitter, type StepContext } from '../context';
import { PAGE_SIZE } from '../types';

/** the guest's PIPES[] and PINS[] slots (oracle.h O_MAXPIPE, O_MAXPIN) */
const MAX_SLOTS = 64;

interface Kind { noun: string; slots: (cx: StepContext) => Map<string, { slot: number; holders: Set<string> }>; make: string; check: string }
const PIPE: Kind = { noun: 'pipe', slots: (cx) => cx.model.pipes, make: 'o_vmsplice', check: 'o_pipe_check' };
const PIN: Kind = { noun: 'pinned buffer', slots: (cx) => cx.model.pins, make: 'o_pin', check: 'o_pin_check' };

function make(kind: Kind, proc: string, spec: MapSpec, name: string, cx: StepContext, ro?: { fast: boolean }): EmitResult {
  const m = cx.model;
  const p = m.liveProc(proc);
  if (!p) return cx.noProc(proc);
  const hits = m.specHits(p, spec);
  if (typeof hits === 'string') return cx.no(hits);
  const slots = kind.slots(cx);
  if (slots.size >= MAX_SLOTS) {
    // the engine's references change later COW and fork in every process that maps these pages
    m.taintProcAndMaps(p.info.name, hits.hit.map(h => h.ms), cx.line);
    return cx.no(`more than ${MAX_SLOTS} ${kind.noun}s in one scenario`);
  }
  const slot = slots.size;
  const r = hits.runs[0];
  const call = ro ? `o_ropin(${cx.k}, ${slot}, ${hex(r.addr)}, ${hex(r.pages * PAGE_SIZE)}, ${ro.fast ? 1 : 0});`
    : `${kind.make}(${cx.k}, ${slot}, ${hex(r.addr)}, ${hex(r.pages * PAGE_SIZE)});`;
  if (!cx.inProc(p.info.name, call)) return undefined;
  if (ro) m.roPins.add(name);
  if (hits.runs.length > 1) cx.partly('the range is not contiguous: only its first run is taken');
  slots.set(name, { slot, holders: new Set([p.info.name]) });
  cx.step.snapshots.push(...m.snapshotsOf([...new Set(hits.hit.map(h => h.ms))]));
  cx.touch(new Set(hits.hit.map(h => h.ms.m.objKey)));
  return OBSERVE;
}

function check(kind: Kind, name: string, cx: StepContext): EmitResult {
  const m = cx.model;
  const held = kind.slots(cx).get(name);
  if (!held) return cx.no(`${kind.noun} ${name} was not made on the kernel`);
  const holder = [...held.holders].find(n => m.liveProc(n));
  if (!holder) return cx.no(`no live process holds ${kind.noun} ${name}`);
  cx.inProc(holder, `${kind.check}(${cx.k}, ${held.slot});`);
  return undefined;
}

export const vmsplice: Emitter<'vmsplice'> = (st, cx) => make(PIPE, st.proc.name, st.spec, st.pipe.name, cx);
export const expectPipe: Emitter<'expect_pipe'> = (e, cx) => check(PIPE, e.pipe.name, cx);
export const pin: Emitter<'pin'> = (st, cx) => (st.readonly ? roPin(st.proc.name, st.spec, st.buf.name, !!st.fast, cx) : make(PIN, st.proc.name, st.spec, st.buf.name, cx));

function roPin(proc: string, spec: MapSpec, name: string, fast: boolean, cx: StepContext): EmitResult {
  const m = cx.model;
  const p = m.liveProc(proc);
  if (!p) return cx.noProc(proc);
  const live = [...m.roPins].find((b) => [...(m.pins.get(b)?.holders ?? [])].some((h) => m.liveProc(h)));
  if (cx.opts.gupTest && !live) return make(PIN, proc, spec, name, cx, { fast });
  // the engine's unsharing faults and pins change the process's PTEs and later COW
  const hits = m.specHits(p, spec);
  m.taint.proc(p.info.name, cx.line);
  if (typeof hits !== 'string') m.taintProcAndMaps(p.info.name, hits.hit.map(h => h.ms), cx.line);
  return cx.no(cx.opts.gupTest ? `gup_test holds one long-term R/O pin at a time, and ${live}'s is still held`
    : 'a long-term R/O pin needs the kernel\'s gup_test device (CONFIG_GUP_TEST), which this kernel lacks (the gup kernels have it: scripts/oracle/build-kernel.sh)');
}
export const expectPin: Emitter<'expect_pin'> = (e, cx) => check(PIN, e.buf.name, cx);
