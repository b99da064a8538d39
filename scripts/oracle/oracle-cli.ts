// Run .mms files on the real kernel and print what it showed (used by smoke.sh).
//   node oracle-cli.js [--json] [--keep] [--fab N] [--kernel 6.1|6.12] [--noprobes] [--c] FILE.mms...
//   node oracle-cli.js --probe-effect [--kernel K] FILE.mms...   boot without and with the kprobe
//        events and list every fault count / signal / pagemap value that differs (exit 1 if any)
//   node oracle-cli.js --soak N [--until HH:MM] [--logs DIR] FILE.mms...   N boots per kernel (6.1 and
//        6.12 alternating, stop at HH:MM UTC); one line per boot; the serial log of any boot
//        with a scenario not run (or not ok) is kept in DIR
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from '../../src/language/parser';
import { check } from '../../src/language/checker';
import { runOracle, translateScenario } from '../../src/oracle';
import { probeEffect } from '../../src/oracle/probeEffect';
import { captureEngine, compareScenario } from '../../src/oracle/compare';
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
  const flagEffect = flag('--probe-effect');
  const soak = opt('--soak'), until = opt('--until');
  const logs = opt('--logs') ?? path.join(process.cwd(), 'soak-logs');
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
  if (soak) {
    fs.mkdirSync(logs, { recursive: true });
    const count: Record<string, { runs: number; notRun: number; bad: number }> = {};
    const stopAt = until ? (() => { const [h, m] = until.split(':').map(Number); const d = new Date(); d.setUTCHours(h, m, 0, 0); return d.getTime(); })() : Infinity;
    for (let i = 0; i < Number(soak); i++) {
      for (const k of kernel ? [kernel] : ['6.1', '6.12']) {
        if (Date.now() > stopAt) break;
        const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
        const workDir = fs.mkdtempSync(path.join(logs, `run-${k}-`));
        const res = await runOracle(inputs, { kernel: k, workDir, keep: true });
        const notRun = res.scenarios.filter(x => x.status === 'not-run').length;
        // the comparison too: a difference that comes and goes is a flake of another kind
        const sum = { agree: 0, differ: 0, no: 0 };
        const differs: string[] = [];
        res.scenarios.forEach((o, j) => {
          const engineKernel = /^(\d+\.\d+)/.exec(res.kernel.release)?.[1] ?? '6.1';
          const c = compareScenario(o, captureEngine(inputs[j].scenario, o, { kernel: engineKernel, fbDelayMs: res.kernel.fbDelayMs ?? undefined }),
            { lines: inputs[j].text.split('\n'), probes: res.run?.probes ?? null });
          sum.agree += c.summary.agree; sum.differ += c.summary.differ; sum.no += c.summary.notObservable;
          for (const r of c.steps) if (r.verdict === 'differ') differs.push(`${o.name}:L${r.line}`);
        });
        const c = (count[k] ??= { runs: 0, notRun: 0, bad: 0 });
        c.runs++;
        if (notRun) c.notRun++;
        if (!res.ok) c.bad++;
        console.log(`${new Date().toISOString()} ${k} run ${c.runs}: exit ${res.exit} ok ${res.ok} not-run ${notRun}/${res.scenarios.length}` +
          ` failed ${res.scenarios.filter(x => x.status === 'failed').map(x => x.name).join(',') || '-'} boot ${(res.timing.bootWallMs / 1000).toFixed(1)} s` +
          ` guest ${res.timing.guestOracleStartS}->${res.timing.guestOracleDoneS} s load ${load}${res.error ? ` error: ${res.error}` : ''}` +
          ` | ${sum.agree}/${sum.differ}/${sum.no}${differs.length ? ` differ at ${differs.join(' ')}` : ''}`);
        // keep the serial log of a run whose differences are not the usual ones (MMSCOPE_SOAK_KNOWN: file:Lnn ...)
        const known = new Set((process.env.MMSCOPE_SOAK_KNOWN ?? '').split(/\s+/).filter(Boolean));
        const unusual = differs.some(d => !known.has(d));
        if (res.ok && !unusual) fs.rmSync(workDir, { recursive: true, force: true });
        else if (res.ok) for (const f of ['disk.img', 'initrd.gz', 'oracle']) fs.rmSync(path.join(workDir, f), { force: true });
        else for (const f of ['disk.img', 'initrd.gz', 'oracle']) fs.rmSync(path.join(workDir, f), { force: true });
      }
      if (Date.now() > stopAt) break;
    }
    for (const [k, c] of Object.entries(count)) console.log(`soak ${k}: ${c.runs} runs, ${c.notRun} with a scenario not run, ${c.bad} not ok`);
    process.exitCode = Object.values(count).some(c => c.notRun || c.bad) ? 1 : 0;
    return;
  }
  if (flagEffect) {
    const off = await runOracle(inputs, { kernel, probes: false });
    const on = await runOracle(inputs, { kernel, probes: true });
    const r = probeEffect(off.scenarios, on.scenarios);
    console.log(`probe effect on ${on.kernel.release}: ${r.compared} observations compared, ${r.diffs.length} differ` +
      ` (boots: ${off.exit}/${on.exit}; guest /oracle ${off.timing.guestOracleStartS}->${off.timing.guestOracleDoneS} s without, ${on.timing.guestOracleStartS}->${on.timing.guestOracleDoneS} s with probes)`);
    for (const d of r.diffs) console.log(`  ${d}`);
    process.exitCode = r.diffs.length || !off.ok || !on.ok ? 1 : 0;
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
