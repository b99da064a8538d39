// Run .mms files on the real kernel and print what it showed (used by smoke.sh).
//   node oracle-cli.js [--json] [--keep] [--fab N] [--kernel 6.1|6.12] [--noprobes] [--c] FILE.mms...
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from '../../src/language/parser';
import { check } from '../../src/language/checker';
import { runOracle, translateScenario } from '../../src/oracle';
import type { OracleScenarioResult, OracleStepResult, OracleTranslation } from '../../src/oracle';

function pageStr(p: OracleStepResult['pages'][number]): string {
  if (!p.present) return p.softDirty ? '-s' : '--';
  return `${p.zeroPage ? 'Z' : p.file ? 'F' : 'A'}${p.exclusive ? 'x' : ''}${p.softDirty ? 's' : ''}#${p.pfnId}` +
    (p.folio ? `${p.folio.dirty ? 'D' : ''}${p.folio.writeback ? 'W' : ''}m${p.folio.mapcount}` : '');
}

function printScenario(s: OracleScenarioResult, t: OracleTranslation, lines: string[]): void {
  console.log(`== ${s.name}: ${s.status}, ${s.ms?.toFixed(1)} ms in the guest; expectations ${s.summary.pass} pass, ${s.summary.fail} fail, ${s.summary.notObservable} not observable`);
  for (const c of s.calibration) if (c.empty || c.signal) console.log(`   calibration ${c.proc}: empty window ${c.empty}, signal ${c.signal} (should be 0)`);
  for (const e of s.errors) console.log(`   error step ${e.step} ${e.proc ?? ''}: ${e.what} errno ${e.errno}`);
  for (const st of s.steps) {
    const src = (lines[st.line] ?? '').replace(/#.*/, '').trim();
    const head = `L${String(st.line + 1).padStart(3)} ${src.padEnd(44)}`;
    if (st.status !== 'observed') { console.log(`${head} [${st.status}] ${st.reason ?? ''}`); continue; }
    const bits: string[] = [];
    for (const a of st.accesses) bits.push(`${a.write ? 'W' : 'R'} ${a.label ?? '?'}[${a.page}] faults=${a.faults}${a.majflt ? ` (maj ${a.majflt})` : ''}${a.signal ? ` ${a.signal}` : ''}`);
    for (const o of st.ops) bits.push(`${o.op}=${o.ret}${o.errno ? ` errno ${o.errno}` : ''} ${o.us.toFixed(0)}us`);
    for (const w of st.kernel?.walks ?? []) bits.push(`walk[${w.idx}]${w.byWork ? ' (work)' : ''} ${w.visits.map(v => `${v.skipped ? '~' : ''}${v.owner}@${v.start.toString(16)}${'*'.repeat(v.cleaned)}`).join(',')} =${w.ret}`);
    if (st.kernel?.written) bits.push(`written ${st.kernel.written}`);
    if (st.expectation) bits.push(`=> ${st.expectation.verdict.toUpperCase()} ` + st.expectation.checks.map(c => `${c.flag}:${c.verdict === 'pass' ? 'ok' : c.verdict === 'fail' ? `FAIL(${c.observed})` : 'n/o'}`).join(' '));
    if (st.taintedBy.length) bits.push(`(tainted by L${st.taintedBy.map(l => l + 1).join(',L')})`);
    console.log(`${head} ${bits.join('; ')}`);
    const groups = new Map<string, string[]>();
    for (const p of st.pages) {
      const k = `${p.proc}:${p.label ?? '?'}`;
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k)!.push(`${p.page}=${pageStr(p)}`);
    }
    for (const [k, v] of groups) console.log(`       ${k} ${v.join(' ')}`);
    for (const v of st.vmas) console.log(`       smaps ${v.proc} ${v.start.toString(16)}: Rss ${v.rss} Pss ${v.pss} SC ${v.sharedClean} SD ${v.sharedDirty} PC ${v.privateClean} PD ${v.privateDirty} [${v.vmFlags.join(' ')}]`);
    for (const o of st.objPages) console.log(`       page ${o.obj}[${o.index}] resident=${o.resident} ${o.folio ? `#${o.pfnId} dirty=${o.folio.dirty} mapcount=${o.folio.mapcount}` : ''}`);
    if (t.steps[st.index].runsIn !== null && Object.keys(st.faults).length) console.log(`       faults ${Object.entries(st.faults).map(([p, n]) => `${p}=${n}`).join(' ')}`);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (f: string): boolean => { const i = args.indexOf(f); if (i >= 0) { args.splice(i, 1); return true; } return false; };
  const opt = (f: string): string | undefined => { const i = args.indexOf(f); if (i >= 0) { const v = args[i + 1]; args.splice(i, 2); return v; } return undefined; };
  const json = flag('--json'), keep = flag('--keep'), cOnly = flag('--c');
  const fab = opt('--fab');
  const kernel = opt('--kernel');
  const noprobes = flag('--noprobes');
  const inputs = args.map(f => {
    const text = fs.readFileSync(f, 'utf8');
    const { scenario, diagnostics } = parse(text);
    const errs = diagnostics.filter(d => d.severity === 'error');
    if (errs.length) console.error(`${f}: ${errs.length} parse errors (those lines are left out)`);
    const checked = check(scenario);
    return { name: path.basename(f), scenario, invalid: checked.invalid, text };
  });
  if (cOnly) {
    for (const [i, inp] of inputs.entries()) console.log(translateScenario(inp.scenario, { name: inp.name, index: i, invalid: inp.invalid }).c);
    return;
  }
  const res = await runOracle(inputs, { keep, faultAroundBytes: fab ? Number(fab) : undefined, kernel, probes: !noprobes });
  if (json) { console.log(JSON.stringify({ ...res, translations: undefined }, null, 1)); return; }
  console.log(`kernel ${res.kernel.release} (${res.kernel.source}); HZ=${res.kernel.hz}, fb delay ${res.kernel.fbDelayMs} ms; exit ${res.exit}${res.error ? `: ${res.error}` : ''}`);
  console.log(`timing: translate ${res.timing.translateMs.toFixed(0)} ms, compile ${res.timing.compileMs.toFixed(0)} ms, boot ${res.timing.bootWallMs.toFixed(0)} ms wall, total ${res.timing.totalMs.toFixed(0)} ms; guest /oracle ${res.timing.guestOracleStartS}s -> ${res.timing.guestOracleDoneS}s`);
  if (res.garbled.length) console.log(`garbled lines: ${res.garbled.length}`);
  for (const p of res.run?.probes ?? []) if (!p.ok) console.log(`probe ${p.ev} not placed: ${p.why}`);
  if (res.workDir) console.log(`work dir: ${res.workDir}`);
  res.scenarios.forEach((s, i) => {
    const lines = inputs[i].text.split('\n');
    printScenario(s, res.translations[i], lines);
  });
  process.exitCode = res.ok ? 0 : 1;
}
main().catch(e => { console.error(e); process.exit(2); });
