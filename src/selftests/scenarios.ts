// The selftest scenarios (test/selftests/*.mms): which selftest cases each one states, and
// the engine's verdict per case at a kernel release.
//
// A scenario names the cases it translates with marker comments:
//   # selftest: soft-dirty Test test_simple
// (the test binary, then the case name as src/selftests/tap.ts names it). The `expect`
// lines after a marker, up to the next marker, are that case's assertions: the engine
// passes the case when there is at least one and every one holds, and the file has no
// error (parse, check, or a mapping the kernel refuses). `# selftest-end` ends a section
// early (the steps after it belong to no case until the next marker).
// A scenario that needs constructs the language does not have yet lives in
// test/selftests/v2/ (the name is historical: language v2 is merged and that folder is
// empty) and is listed, not run, until it can be (`awaits` in its header:
//   # awaits: v3 userfaultfd).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { isExpectation } from '../language/ast';
import { parse } from '../language/parser';
import { runScenario } from '../scenario/run';

export interface CaseRef { test: string; name: string }

export interface ScenarioSection extends CaseRef {
  /** 0-based lines: the marker, and the end of the section (exclusive) */
  from: number;
  to: number;
}

export interface SelftestScenario {
  file: string;
  text: string;
  sections: ScenarioSection[];
  /** v2 constructs it waits for (from `# awaits:` lines); empty = runnable now */
  awaits: string[];
}

const MARKER = /^\s*#\s*selftest:\s*(\S+)\s+(.+?)\s*$/;
const END = /^\s*#\s*selftest-end\b/;
const AWAITS = /^\s*#\s*awaits:\s*(.+?)\s*$/;

export function scenarioSections(file: string, text: string): SelftestScenario {
  const lines = text.split('\n');
  const sections: ScenarioSection[] = [];
  const awaits: string[] = [];
  lines.forEach((l, i) => {
    const m = MARKER.exec(l);
    if (m) {
      if (sections.length) sections[sections.length - 1].to = i;
      sections.push({ test: m[1], name: m[2], from: i, to: lines.length });
    }
    if (END.test(l) && sections.length && sections[sections.length - 1].to === lines.length) sections[sections.length - 1].to = i;
    const a = AWAITS.exec(l);
    if (a) awaits.push(a[1]);
  });
  return { file, text, sections, awaits };
}

export type EngineVerdict = 'pass' | 'fail' | 'error';

export interface SectionVerdict extends CaseRef {
  verdict: EngineVerdict;
  expectations: number;
  failed: string[];
}

/** Run one scenario with the engine at `release` (e.g. 6.12.118); one verdict per section. */
export function engineVerdicts(s: SelftestScenario, release: string): SectionVerdict[] {
  const { scenario, diagnostics } = parse(s.text);
  const r = runScenario(scenario, diagnostics, { kernelOverride: release });
  const errors = r.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'MMS701');
  const expectLines = scenario.statements.filter(isExpectation).map((e) => e.range.start.line);
  const failing = r.diagnostics.filter((d) => d.severity === 'error' && d.code === 'MMS701');
  return s.sections.map((sec) => {
    const inSec = (line: number): boolean => line > sec.from && line < sec.to;
    const n = expectLines.filter(inSec).length;
    const failed = failing.filter((d) => inSec(d.range.start.line)).map((d) => `L${d.range.start.line + 1}: ${d.message}`);
    let verdict: EngineVerdict = failed.length === 0 && n > 0 ? 'pass' : 'fail';
    if (errors.length) { verdict = 'error'; failed.push(...errors.map((d) => `L${d.range.start.line + 1}: ${d.message}`)); }
    return { test: sec.test, name: sec.name, verdict, expectations: n, failed };
  });
}

/** The .mms files of a directory (not recursive), sorted. */
export function loadScenarios(dir: string): SelftestScenario[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.mms')).sort()
    .map((f) => scenarioSections(path.join(dir, f), fs.readFileSync(path.join(dir, f), 'utf8')));
}
