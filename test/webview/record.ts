// Records what the extension sends the inspector for a scenario (the Run message, each
// step's detail, every PTE row at each step, the 6.14 comparison), as a fixture the
// webview tests replay without VS Code: `node test/webview/run.js --record`.

import { readFileSync, writeFileSync } from 'node:fs';
import { runText } from '../../src/scenario/run';
import { buildStepDetail, StateAtStep } from '../../src/views/stepDetail';
import { buildRun, compareRuns } from '../../src/views/timeline';
import { PteIndex } from '../unit/inspector/pteIndex';

export function record(mmsPath: string, outPath: string, compareKernel: string): void {
  const text = readFileSync(mmsPath, 'utf8');
  const r = runText(text);
  const run = buildRun(r, text);
  run.runId = 1;
  const st = new StateAtStep(r, {}, 1);
  const steps = [], ptes = [];
  for (let i = 0; i < r.steps.length; i++) {
    const k = st.engineAt(i);
    steps.push(buildStepDetail(r, text, i, k));
    const ix = new PteIndex(k, r, r.steps[i]);
    ptes.push(ix.rows({}, 0, ix.total));
  }
  const other = runText(text, { kernelOverride: compareKernel });
  const compare = { kernel: other.kernel.toString(), base: r.kernel.toString(), rows: compareRuns(r, other, text) };
  writeFileSync(outPath, JSON.stringify({ file: mmsPath.split('/').pop(), run, steps, ptes, compare }));
}

const [, , mms, out, kernel] = process.argv;
if (mms && out) record(mms, out, kernel ?? '6.14');
