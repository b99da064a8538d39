// `mmap`, `munmap`, `mprotect`: the system calls, made by the process, on the pages the
// translator knows to be mapped.

import type { Prot } from '../../../language/ast';
import { cProt, hex } from '../cSyntax';
import { OBSERVE, type Emitter } from '../context';
import { GUEST_RAM_MB, PAGE_SIZE } from '../types';

export const mmap: Emitter<'mmap'> = (st, cx) => {
  const m = cx.model, k = cx.k;
  const p = m.liveProc(st.proc.name);
  if (!p) return cx.noProc(st.proc.name);
  const isAnon = st.obj.name === 'anon';
  const o = isAnon ? undefined : m.obj(st.obj.name);
  if (!isAnon && !o) return cx.no(`no object ${st.obj.name}`);
  const addr = st.addr.value, pages = st.pages.value, off = st.offset?.value ?? 0;
  const objKey = isAnon ? (st.shared ? `shmem#${m.anonSeq++}` : `anon#${m.anonSeq++}`) : o!.name;
  // an accounted mapping (private writable, or shared anonymous: shmem_acct_size) larger than
  // the guest's RAM is refused by the overcommit heuristic (__vm_enough_memory,
  // OVERCOMMIT_GUESS: more pages than RAM + swap) with ENOMEM; the engine's RAM is 4 GiB
  const tooBig = (isAnon && st.shared) || (!st.shared && st.prot.includes('w')) ? pages > GUEST_RAM_MB * 256 : false;
  const realised = (isAnon || o!.realisable) && !tooBig;
  const overlaps = m.mapsInRange(p, addr, pages).length > 0;
  const label = st.label?.name ?? null;
  if (!realised) {
    cx.no(tooBig ? `${pages} pages are more than the oracle guest's ${GUEST_RAM_MB} MiB of RAM: its overcommit heuristic refuses the mapping (ENOMEM)` : `${o!.name}: ${o!.reason}`);
    if (!overlaps) m.addMapping(p, { proc: p.info.name, label, obj: st.obj.name, objKey, addr, pages, pgoff: off, shared: st.shared, prot: st.prot, line: cx.line, realised: false });
    return undefined;
  }
  const flags = `${st.shared ? 'MAP_SHARED' : 'MAP_PRIVATE'}${isAnon ? '|MAP_ANONYMOUS' : ''}`;
  const fd = isAnon ? '-1' : `OBJ[${o!.index}].fd`;
  if (!cx.inProc(p.info.name, `o_mmap(${k}, ${hex(addr)}, ${hex(pages * PAGE_SIZE)}, ${cProt(st.prot)}, ${flags}, ${fd}, ${hex(isAnon ? 0 : off * PAGE_SIZE)});`)) return undefined;
  if (overlaps) { cx.partly('overlaps a mapping of the process: the kernel refuses it (EEXIST with MAP_FIXED_NOREPLACE)'); return OBSERVE; }
  const ms = m.addMapping(p, { proc: p.info.name, label, obj: st.obj.name, objKey, addr, pages, pgoff: isAnon ? (st.shared ? 0 : addr / PAGE_SIZE) : off, shared: st.shared, prot: st.prot, line: cx.line, realised: true });
  cx.step.snapshots.push(...m.snapshotsOf([ms]));
  return OBSERVE;
};

export const unmapOrProtect: Emitter<'munmap' | 'mprotect'> = (st, cx) => {
  const m = cx.model, k = cx.k;
  const p = m.liveProc(st.proc.name);
  if (!p) return cx.noProc(st.proc.name);
  const spec = m.specHits(p, st.spec);
  if (typeof spec === 'string') return cx.no(spec);
  const { runs, hit } = spec;
  const code = runs.map(r => (st.kind === 'munmap'
    ? `o_munmap(${k}, ${hex(r.addr)}, ${hex(r.pages * PAGE_SIZE)});`
    : `o_mprotect(${k}, ${hex(r.addr)}, ${hex(r.pages * PAGE_SIZE)}, ${cProt((st as { prot: Prot }).prot)});`)).join(' ');
  if (!cx.inProc(p.info.name, code)) return undefined;
  const keys = new Set(hit.map(h => h.ms.m.objKey));
  if (st.kind === 'munmap') {
    for (const h of hit) for (let i = h.first; i <= h.last; i++) h.ms.mapped[i] = false;
    m.dropEmpty(p);
    cx.touch(keys);
  } else {
    cx.step.snapshots.push(...m.snapshotsOf([...new Set(hit.map(h => h.ms))]));
  }
  return OBSERVE;
};
