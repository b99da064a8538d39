// The header and the objects: `kernel`, `sysctl`, `file`, `shmem`, `fbdev`, `pfnmap`.
// Objects were realised before the first step (objects.ts); their steps only say how.

import type { FbdevStmt } from '../../../language/ast';
import type { Emitter } from '../context';
import { swapon } from './madvise';

export const kernel: Emitter<'kernel'> = (st, cx) => {
  cx.model.scenarioKernel = st.version.text;
  cx.partly(`the scenario asks for ${st.version.text}; the engine is compared at the release the oracle boots`);
  return undefined;
};

export const sysctl: Emitter<'sysctl'> = (st, cx) => {
  if (st.knob.name === 'swap') return swapon(st.value.value, !!st.sync, cx);
  if (st.knob.name !== 'fault_around_bytes') return cx.no(`sysctl ${st.knob.name} has no debugfs/sysctl counterpart`);
  cx.inDriver(`o_set_fab(${cx.k}, ${st.value.value}L);`);
  return undefined;
};

export const object: Emitter<'file' | 'shmem' | 'fbdev' | 'pfnmap'> = (st, cx) => {
  const o = cx.model.obj(st.name.name);
  if (!o || !o.realisable) return cx.no(o?.reason ?? 'not realisable');
  if (o.kind === 'fbdev' && o.scenarioDelayMs !== o.kernelDelayMs) {
    cx.partly(`deferred-I/O delay: the scenario says ${o.scenarioDelayMs} ms, the kernel uses its own ${o.kernelDelayMs} ms (HZ/20 at HZ=250)`);
  }
  if (o.kind === 'fbdev' && (st as FbdevStmt).sorted) cx.partly('`sorted` (sort_pagereflist) is the driver\'s choice: bochs does not sort');
  return undefined;
};
