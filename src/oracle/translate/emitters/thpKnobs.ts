// `sysctl thp KNOB [SIZE] VALUE`: a write to /sys/kernel/mm/transparent_hugepage/... by the
// driver (o_thp in guest/oracle.h). The guest resets every knob to the engine's defaults
// (src/engine/thp.ts) at each scenario's start and end (o_thp_defaults), so the scenario's
// knobs hold for it alone. Per-size knobs exist from 6.8 (hugepages-<size>/enabled) and
// 6.11 (hugepages-<size>/shmem_enabled): on an older kernel the write fails with ENOENT,
// and the engine at that release has no such knob either.

import type { SysctlThpStmt } from '../../../language/ast';
import { cString } from '../cSyntax';
import type { Emitter } from '../context';

/** the file under /sys/kernel/mm/transparent_hugepage/ that a statement writes */
export function thpKnobPath(st: Pick<SysctlThpStmt, 'knob' | 'size'>): string | undefined {
  if (st.knob === 'anon' || st.knob === 'shmem') {
    if (!st.size) return undefined;
    const kb = st.size.bytes / 1024;
    return `hugepages-${kb}kB/${st.knob === 'anon' ? 'enabled' : 'shmem_enabled'}`;
  }
  return st.knob;
}

export const sysctlThp: Emitter<'sysctl_thp'> = (st, cx) => {
  const path = thpKnobPath(st);
  if (!path || !/^[a-z0-9_]+$/.test(st.value)) return cx.no('not a THP knob and value');
  if (st.knob === 'anon' || st.knob === 'shmem') {
    cx.partly(`${path} exists from ${st.knob === 'anon' ? '6.8' : '6.11'}; on an older kernel the write fails (ENOENT), as the engine there has no such knob`);
  }
  cx.inDriver(`o_thp(${cx.k}, "${cString(path)}", "${cString(st.value)}");`);
  return undefined;
};
