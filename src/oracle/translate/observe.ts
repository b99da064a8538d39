// After a statement ran, the guest records what it touched: pagemap (and with kprobes the
// PTE values) and smaps of each snapshot run, object pages (kpageflags, kpagecount,
// mincore), and the fault counts. Snapshots are cut into chunks and capped; the step
// names the not-observable lines whose state it looks at (taint).

import { hex } from './cSyntax';
import type { StepContext } from './context';
import { ORACLE_LIMITS, PAGE_SIZE, type OracleSnapshot } from './types';

export function emitObservation(cx: StepContext): void {
  const { step, model: m, opts, k, st } = cx;
  const maxSnap = opts.maxSnapshotPages ?? 4096;
  const withSmaps = opts.smaps ?? true;
  const chunks: OracleSnapshot[] = [];
  let total = 0;
  for (const sn of step.snapshots) {
    for (let i = 0; i < sn.pages && total < maxSnap; i += ORACLE_LIMITS.snapshotChunk) {
      const n = Math.min(ORACLE_LIMITS.snapshotChunk, sn.pages - i, maxSnap - total);
      chunks.push({ ...sn, page: sn.page + i, addr: sn.addr + i * PAGE_SIZE, pages: n });
      total += n;
    }
  }
  const wanted = step.snapshots.reduce((n, sn) => n + sn.pages, 0);
  if (wanted > total) cx.partly(`${wanted - total} of ${wanted} pages are not recorded (maxSnapshotPages ${maxSnap})`);
  step.snapshots = chunks;
  const tainted = new Set<number>();
  for (const s of step.snapshots) {
    const mapping = m.mappings[s.mapping];
    if (mapping) for (const l of m.taint.forKey(mapping.objKey)) tainted.add(l);
    for (const l of m.taint.forProc(s.proc)) tainted.add(l);
  }
  for (const a of step.accesses) for (const l of m.taint.forProc(a.proc)) tainted.add(l);
  for (const op of step.objPages) for (const l of m.taint.forKey(op.obj)) tainted.add(l);
  step.taintedBy = [...tainted].sort((a, b) => a - b);
  const obs: string[] = [];
  for (const s of step.snapshots) {
    const pi = m.procIndex(s.proc);
    // expect pte: the PTE values themselves come from the mms/vnp kprobe during this read
    const vnp = opts.probes !== false && (step.kind === 'expect_pte' || !!step.folioPtes?.length);
    obs.push(`${vnp ? 'o_vnp(1); ' : ''}snap(${k}, ${pi}, ${hex(s.addr)}, ${s.pages}, ${s.mapping});${vnp ? ' o_vnp(0);' : ''}`);
    if (withSmaps && s.mapping >= 0) obs.push(`smaps(${k}, ${pi}, ${hex(s.addr)}, ${s.pages}, ${s.mapping});`);
  }
  for (const op of step.objPages) obs.push(`objpage(${k}, ${m.obj(op.obj)!.index}, ${op.index}L);`);
  const driver = cx.out.driver;
  if (step.kind === 'expect_pte' || step.kind === 'expect_folio') driver.push(`  o_step(${k}, ${cx.line}); ${cx.cmt}`);
  if (obs.length) driver.push(`    ${obs.join(' ')}`);
  if (step.runsIn && step.runsIn !== 'driver' && st.kind !== 'fork') driver.push(`    o_faults_line(${k});`);
  if (st.kind === 'fork') driver.push(`    o_faults_line(${k});`);
}
