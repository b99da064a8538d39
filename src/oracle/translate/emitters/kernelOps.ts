// Kernel operations with a user-space trigger: writeback and flush (fsync,
// sync_file_range), msync, clear_refs, wait (real time, for fb_defio's deferred work) and
// `mkclean` of a dirty file folio (writeback's folio_clear_dirty_for_io() stands in).

import { hex } from '../cSyntax';
import { OBSERVE, type Emitter } from '../context';
import { mappedRuns } from '../model';
import { PAGE_SIZE } from '../types';
import { noCounterpart } from './notObservable';

export const writebackOrFlush: Emitter<'writeback' | 'flush'> = (st, cx) => {
  const k = cx.k;
  const o = cx.model.obj(st.obj.name);
  if (!o) return cx.no(`no object ${st.obj.name}`);
  if (!o.realisable) return cx.no(`${o.name}: ${o.reason}`);
  if (st.kind === 'flush') {
    if (o.kind !== 'fbdev') { cx.step.runsIn = 'driver'; return cx.no('flush applies to an fbdev'); }
    cx.step.reason = 'fsync(/dev/fb0): fb_deferred_io_fsync runs the deferred work now';
    cx.inDriver(`o_fsync(${k}, ${o.index}, 5);`);
  } else if (st.first && o.kind === 'file') {
    const last = st.last?.value ?? st.first.value;
    cx.step.reason = 'sync_file_range(WAIT_BEFORE|WRITE|WAIT_AFTER) over the range';
    cx.inDriver(`o_sync_range(${k}, ${o.index}, ${st.first.value}L, ${last}L);`);
  } else {
    cx.step.reason = o.kind === 'fbdev' ? 'fsync(/dev/fb0): runs the deferred work now' : 'fsync(fd)';
    if (st.first) cx.partly('a range on a non-file object: the whole object is synced');
    cx.inDriver(`o_fsync(${k}, ${o.index}, ${o.kind === 'fbdev' ? 5 : 0});`);
  }
  cx.touch(new Set([o.name]));
  return OBSERVE;
};

export const msync: Emitter<'msync'> = (st, cx) => {
  const p = cx.model.liveProc(st.proc.name);
  if (!p) return cx.noProc(st.proc.name);
  const ms = p.labels.get(st.label.name);
  if (!ms) return cx.no(`no mapping labelled ${st.label.name} in ${p.info.name}`);
  if (!ms.m.realised) return cx.no(`the mapping of ${ms.m.obj} is not made on the real kernel (its object is not realisable, or it is too large for the guest)`);
  const code = mappedRuns(ms).map(r => `o_msync(${cx.k}, ${hex(ms.m.addr + r.page * PAGE_SIZE)}, ${hex(r.pages * PAGE_SIZE)});`).join(' ');
  if (!cx.inProc(p.info.name, code)) return undefined;
  cx.touch(new Set([ms.m.objKey]));
  return OBSERVE;
};

export const clearRefs: Emitter<'clear_refs'> = (st, cx) => {
  const p = cx.model.liveProc(st.proc.name);
  if (!p) return cx.noProc(st.proc.name);
  if (st.mode.name !== 'softdirty') return cx.no(`clear_refs ${st.mode.name} is not supported`);
  if (!cx.inProc(p.info.name, 'o_clear_refs(' + cx.k + ', "4");')) return undefined;
  cx.step.snapshots.push(...cx.model.snapshotsOf(p.maps.filter(ms => ms.m.realised)));
  return OBSERVE;
};

export const wait: Emitter<'wait'> = (st, cx) => {
  const fbs = cx.model.objects.filter(o => o.kind === 'fbdev' && o.realisable);
  const fb = fbs[0];
  if (fb) cx.partly(`sleeps ${st.duration.ms} ms of real time; deferred work fires ${fb.kernelDelayMs} ms after the first write of a cycle (scenario: ${fb.scenarioDelayMs} ms)`);
  cx.inDriver(`o_sleep(${cx.k}, ${st.duration.ms}L);`);
  cx.touch(new Set(fbs.map(o => o.name)));
  return OBSERVE;
};

/**
 * The engine's folio_mkclean(folio) with the folio locked. On a real kernel the same call,
 * on the same folio, is made by folio_clear_dirty_for_io() when writeback meets that folio
 * dirty: sync_file_range(WRITE) over that one page. The kprobes show the walk and its
 * result; the kernel then also writes the folio back.
 */
export const mkclean: Emitter<'mkclean'> = (st, cx) => {
  const m = cx.model;
  const o = st.page.kind === 'named' ? m.obj(st.page.target.name) : undefined;
  if (o && o.kind === 'file' && o.realisable && cx.opts.probes !== false && st.page.kind === 'named') {
    const i = st.page.first.value;
    cx.partly('stood in by sync_file_range(WRITE) over that page: folio_clear_dirty_for_io() calls folio_mkclean() on the folio if it is dirty, then writes it back (the engine keeps PG_dirty)');
    cx.inDriver(`o_sync_range(${cx.k}, ${o.index}, ${i}L, ${i}L);`);
    m.dirtyTaint.set(`${o.name}[${i}]`, { obj: o.name, index: i, line: cx.line });
    cx.step.dirtyTaint = [...m.dirtyTaint.values()];
    cx.touch(new Set([o.name]));
    return OBSERVE;
  }
  noCounterpart(st, cx);
  if (o) m.taintObject(o.name, cx.line);
  return undefined;
};
