// Does observing the kernel with kprobe events change what the oracle observes? The same
// batch is booted with and without the events; every fault count, signal and pagemap page
// (present, file, exclusive, soft-dirty, the page's identity within the scenario, the
// folio's flags and mapcount) must be equal. Timings and raw PFNs are left out (they
// differ from boot to boot anyway), and so are fb accesses in a deferred-work timing
// window (their outcome depends on real time, with or without probes). Pure.

import type { OracleScenarioResult } from './results';

/** One line per observable value of a scenario, in step order. */
export function observationLines(s: OracleScenarioResult, quietMs = 30, againMs = 100): string[] {
  const out: string[] = [`status ${s.status}`];
  // fb write accesses that faulted: the deferred work they arm makes later fb faults timing-dependent
  const arms: number[] = [];
  const fbObjs = new Set(s.fbObject ? [s.fbObject] : []);
  for (const st of s.steps) {
    if (st.status !== 'observed') continue;
    for (const a of st.accesses) {
      const isFb = a.mapping !== null && fbObjs.has(s.mappings[a.mapping]?.obj ?? '');
      const timed = isFb && arms.some((t) => a.ms - t >= quietMs && a.ms - t < againMs);
      out.push(`L${st.line + 1} acc ${a.proc} ${a.label}[${a.page}] ${a.write ? 'w' : 'r'} ${timed ? 'timing' : `faults ${a.faults} sig ${a.signal ?? '-'}`}`);
      if (isFb && a.write && a.faults > 0) arms.push(a.ms);
    }
    for (const p of st.pages) {
      const f = p.folio;
      out.push(`L${st.line + 1} pm ${p.proc} ${p.label}[${p.page}] ${p.present ? 'P' : '-'}${p.file ? 'F' : ''}${p.exclusive ? 'x' : ''}${p.softDirty ? 's' : ''}${p.zeroPage ? 'Z' : ''}#${p.pfnId ?? '-'}${f ? ` ${f.dirty ? 'D' : ''}${f.writeback ? 'W' : ''}${f.anon ? 'A' : ''}${f.uptodate ? 'U' : ''}m${f.mapcount}` : ''}`);
    }
    for (const o of st.objPages) out.push(`L${st.line + 1} obj ${o.obj}[${o.index}] res ${o.resident} #${o.pfnId ?? '-'}${o.folio ? ` ${o.folio.dirty ? 'D' : ''}m${o.folio.mapcount}` : ''}`);
    if (st.accesses.length && Object.keys(st.faults).length) out.push(`L${st.line + 1} faults ${Object.entries(st.faults).map(([p, n]) => `${p}=${n}`).join(' ')}`);
  }
  return out;
}

/**
 * The observations that differ between a run without probes (a) and with them (b), joined
 * on (line, what, where). With the probes an `expect folio … mapping/index` also reads the
 * PTEs of the fb page; such observations present on one side only are not compared.
 */
export function probeEffect(a: readonly OracleScenarioResult[], b: readonly OracleScenarioResult[]): { compared: number; diffs: string[] } {
  const diffs: string[] = [];
  let compared = 0;
  const keyed = (lines: string[]): Map<string, string> => {
    const m = new Map<string, string>();
    for (const l of lines) {
      const parts = l.split(' ');
      const n = parts[0] === 'status' ? 1 : 3;
      let k = parts.slice(0, n).join(' ');
      while (m.has(k)) k += "'";   // the same page read twice in one step
      m.set(k, parts.slice(n).join(' '));
    }
    return m;
  };
  a.forEach((sa, i) => {
    const sb = b[i];
    if (!sb) { diffs.push(`${sa.name}: missing in the run with probes`); return; }
    const ma = keyed(observationLines(sa)), mb = keyed(observationLines(sb));
    for (const [k, va] of ma) {
      const vb = mb.get(k);
      if (vb === undefined) continue;
      compared++;
      if (va !== vb) diffs.push(`${sa.name}: ${k}: without probes "${va}", with probes "${vb}"`);
    }
  });
  return { compared, diffs };
}
