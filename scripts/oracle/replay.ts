// Compare a kept serial log with the engine again (after a soak kept it):
//   node replay.js --kernel 6.1 SERIAL.LOG FILE.mms...   (the files in the order of the boot)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from '../../src/language/parser';
import { check } from '../../src/language/checker';
import { translateScenario } from '../../src/oracle/translate';
import { resultsFromLog } from '../../src/oracle/run';
import { captureEngine, compareScenario } from '../../src/oracle/compare';

const args = process.argv.slice(2);
const ki = args.indexOf('--kernel');
const kernel = ki >= 0 ? args.splice(ki, 2)[1] : '6.1';
const [log, ...files] = args;
const texts = files.map(f => fs.readFileSync(f, 'utf8'));
const scns = texts.map(t => parse(t).scenario);
const ts = scns.map((s, i) => translateScenario(s, { name: path.basename(files[i]), index: i, invalid: check(s).invalid }));
const r = resultsFromLog(fs.readFileSync(log, 'utf8'), ts, scns);
console.log(`garbled ${r.garbled.length}${r.garbled.length ? `: ${r.garbled.slice(0, 3).join(' || ')}` : ''}`);
r.scenarios.forEach((o, i) => {
  const c = compareScenario(o, captureEngine(scns[i], o, { kernel, fbDelayMs: 48 }), { lines: texts[i].split('\n'), probes: r.run?.probes ?? null });
  for (const s of c.steps) if (s.verdict === 'differ') {
    console.log(`${files[i]}:L${s.line} ${s.text}`);
    for (const v of s.values) if (v.verdict === 'differ') console.log(`   ${v.field} ${v.subject}: engine ${v.engine} | kernel ${v.kernel} | ${v.reason ?? ''}`);
  }
});
