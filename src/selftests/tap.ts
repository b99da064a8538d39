// Parse what the kernel's mm selftests print (kselftest.h and kselftest_harness.h, TAP 13)
// into one result per test case. Pure: no I/O.
//
// The serial log holds, per test binary T (scripts/selftests/guest.sh):
//   SELFTEST-BEGIN T ...
//   SELFTEST T <one line of the test's own output>
//   SELFTEST-END T rc=N ...
// A case is one TAP result line: `ok N desc`, `not ok N desc`, `ok N # SKIP reason`,
// `ok N desc # SKIP reason`, `ok N # XFAIL reason`. kselftest.h tests (cow.c, mkdirty.c,
// ...) announce each case with `# [RUN] what` and then print a generic result ("No leak
// from parent into child"): the case is named by the [RUN] line, the result text is kept
// as `detail`. kselftest_harness.h tests (migration.c) name the case in the result line.
// A [RUN] stays in force until the next one; its second and later results are named
// `RUN #2`, `RUN #3` (madv_populate.c prints several checks per [RUN]). mkdirty.c titles
// its cases with `# [INFO] what` instead: the same rule.
// `1..0 # SKIP reason` (ksft_exit_skip before any case) is one case named after the file.

export type CaseResult = 'pass' | 'fail' | 'skip' | 'xfail';

export interface SelftestCase {
  /** unique within its test file: the [RUN] text or the result's description */
  name: string;
  result: CaseResult;
  /** the result line's own text, when the name came from a [RUN] line */
  detail?: string;
  /** why it was skipped or expected to fail */
  reason?: string;
}

export interface SelftestFileResult {
  test: string;
  /** the exit status of the binary; null when it never ended (guest timeout or crash) */
  rc: number | null;
  cases: SelftestCase[];
  /** the plan (1..N) the test announced, when it did */
  planned: number | null;
}

const RESULT = /^(not )?ok (\d+)\s*(.*)$/;

function splitDirective(rest: string): { desc: string; dir: 'SKIP' | 'XFAIL' | 'TODO' | null; reason: string } {
  const m = /^(.*?)\s*#\s*(SKIP|XFAIL|TODO)\b\s*(.*)$/i.exec(rest);
  if (!m) return { desc: rest.replace(/^-\s*/, '').trim(), dir: null, reason: '' };
  return { desc: m[1].replace(/^-\s*/, '').trim(), dir: m[2].toUpperCase() as 'SKIP' | 'XFAIL' | 'TODO', reason: m[3].trim() };
}

/** The cases of one test binary's output lines (without the SELFTEST prefix). */
export function parseKselftest(test: string, lines: readonly string[], rc: number | null): SelftestFileResult {
  const cases: SelftestCase[] = [];
  const seen = new Map<string, number>();
  let run: string | null = null;
  let planned: number | null = null;
  for (const raw of lines) {
    const line = raw.replace(/\r/g, '').trimEnd();
    const plan = /^1\.\.(\d+)(?:\s*#\s*SKIP\s*(.*))?$/i.exec(line);
    if (plan) {
      planned = Number(plan[1]);
      if (planned === 0 && plan[2] !== undefined) cases.push({ name: test, result: 'skip', reason: plan[2].trim() });
      continue;
    }
    const r = /^#\s*\[(?:RUN|INFO)\]\s*(.*)$/.exec(line);
    if (r) { run = r[1].trim(); continue; }
    const m = RESULT.exec(line);
    if (!m) continue;
    const { desc, dir, reason } = splitDirective(m[3]);
    let result: CaseResult = m[1] ? 'fail' : 'pass';
    if (dir === 'SKIP') result = 'skip';
    else if (dir === 'XFAIL') result = 'xfail';
    // under a [RUN] line: the run's k-th result is `RUN #k` (k > 1), whatever its text says,
    // so that a pass and a fail of the same check have the same name
    let name = run ?? (desc || reason || `case ${m[2]}`);
    const k = (seen.get(name) ?? 0) + 1;
    seen.set(name, k);
    if (k > 1) name = `${name} #${k}`;
    const c: SelftestCase = { name, result };
    if (run && desc) c.detail = desc;
    if (reason) c.reason = reason;
    else if (run && result === 'skip' && desc) c.reason = desc;
    cases.push(c);
  }
  // a test that ends before its first result (pagemap_ioctl.c on 6.1: init_uffd() fails and
  // it exits "pass" with no plan) is one case named after the file, so the table shows it
  if (cases.length === 0) {
    const last = [...lines].reverse().find((l) => /^(#|Bail out!)/.test(l) && !/Totals:/.test(l))?.replace(/^#\s*/, '').trim();
    cases.push({ name: test, result: rc === 0 || rc === 4 ? 'skip' : 'fail', reason: `no case ran (exit ${rc ?? 'none'})${last ? `: ${last}` : ''}` });
  }
  return { test, rc, cases, planned };
}

/** Every test binary's result in a serial log written by scripts/selftests/guest.sh. */
export function parseSelftestLog(log: string): { info: Record<string, string>; files: SelftestFileResult[]; done: boolean } {
  const lines = log.split('\n').map((l) => l.replace(/\r/g, ''));
  const info: Record<string, string> = {};
  const out = new Map<string, { lines: string[]; rc: number | null }>();
  let done = false;
  for (const l of lines) {
    const at = l.indexOf('SELFTEST');
    if (at < 0) continue;
    const s = l.slice(at);
    if (s.startsWith('SELFTEST-INFO ')) {
      for (const kv of s.slice(14).split(' ')) { const i = kv.indexOf('='); if (i > 0) info[kv.slice(0, i)] = kv.slice(i + 1); }
    } else if (s.startsWith('SELFTEST-BEGIN ')) {
      out.set(s.split(' ')[1], { lines: [], rc: null });
    } else if (s.startsWith('SELFTEST-END ')) {
      const [, t, rc] = /^SELFTEST-END (\S+) rc=(\S+)/.exec(s) ?? [];
      const e = t ? out.get(t) : undefined;
      if (e && /^\d+$/.test(rc)) e.rc = Number(rc);
    } else if (s === 'SELFTEST-DONE') {
      done = true;
    } else if (s.startsWith('SELFTEST ')) {
      const m = /^SELFTEST (\S+) ?(.*)$/.exec(s);
      if (m) out.get(m[1])?.lines.push(m[2]);
    }
  }
  return { info, done, files: [...out].map(([t, e]) => parseKselftest(t, e.lines, e.rc)) };
}
