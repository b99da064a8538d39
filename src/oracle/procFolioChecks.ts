// `expect folio PROC LABEL[I] …` on the real kernel (emitters/folioOfProc.ts): from the
// pages the driver snapshotted, `mapcount N` is kpagecount (the page's PTE mappings + its
// folio's PMD mappings, as the engine's `mapcount`) and `large` is kpageflags
// COMPOUND_HEAD (15) or COMPOUND_TAIL (16). Other flags are not observable here.

import type { ExpectFolio } from '../language/ast';
import type { OracleCheck, OracleStepResult } from './results';
import { PROC_FOLIO_FLAGS } from './translate/emitters/folioOfProc';

export function procFolioChecks(st: ExpectFolio, sr: OracleStepResult): OracleCheck[] {
  const spec = st.page;
  const proc = st.proc?.name ?? '?';
  if (spec.kind !== 'named') return [{ subject: proc, flag: 'folio', verdict: 'not-observable', reason: 'needs LABEL[I]' }];
  const label = spec.target.name;
  const first = spec.first.value, last = spec.last?.value ?? first;
  const subject = `${proc} ${label}[${first}${last !== first ? `..${last}` : ''}]`;
  const checks: OracleCheck[] = [];
  for (const f of st.flags) {
    const flag = (f.negated ? '!' : '') + f.kind + ('value' in f ? ` ${f.value.value}` : '');
    if (!PROC_FOLIO_FLAGS.has(f.kind)) { checks.push({ subject, flag, verdict: 'not-observable', reason: `${f.kind}: not read from kpageflags/kpagecount` }); continue; }
    const values: boolean[] = [], seen: string[] = [];
    let reason: string | undefined;
    for (let i = first; i <= last; i++) {
      const pg = sr.pages.find(p => p.proc === proc && p.label === label && p.page === i);
      if (!pg || !pg.present || !pg.folio) { reason = pg && !pg.present ? 'the page is not present' : 'PFN not found'; break; }
      if (f.kind === 'mapcount') { values.push(pg.folio.mapcount === (f as { value: { value: number } }).value.value); seen.push(String(pg.folio.mapcount)); }
      else { const large = (pg.folio.flags & ((1 << 15) | (1 << 16))) !== 0; values.push(large); seen.push(large ? '1' : '0'); }
    }
    if (reason) { checks.push({ subject, flag, verdict: 'not-observable', reason }); continue; }
    const ok = values.every(v => v !== f.negated);
    checks.push({ subject, flag, verdict: ok ? 'pass' : 'fail', observed: seen.join(',') });
  }
  return checks;
}
