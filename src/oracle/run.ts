// Run scenarios on a real Linux kernel under QEMU (TCG) and return what it showed.
//
//   translate (translate.ts) -> one C program for the whole batch
//   gcc -O2 -static -I guest/                  (oracle.h: the runtime, src/oracle/guest)
//   initrd = base.cpio.gz + gzip(newc cpio of /oracle)   (cpio.ts)
//   qemu-system-x86_64 -accel tcg ...  (one boot for the batch; /init runs /oracle)
//   "ORACLE {json}" lines on the serial console -> results.ts
//
// Prerequisite: guest/setup.sh (kernel, modules, base.cpio.gz, disk.img in
// ~/.cache/mmscope/oracle/). See docs/real-kernel.md.

import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Scenario, Statement } from '../language/ast';
import { ConsoleLog } from './consoleLog';
import { S_IFREG, writeCpioGz } from './cpio';
import {
  type OracleRunInfo, type OracleScenarioResult, parseOracleLines, scenarioResult,
} from './results';
import { RULE_IDS, type RuleId } from '../engine/versions';
import { probeStatus } from './kprobes';
import { DEFAULT_FB_PAGES, type OracleTranslation, buildProgram, translateScenario } from './translate';
import { GUEST_RAM_MB } from './translate/types';

const execFileP = promisify(execFile);

export interface OracleEnv {
  /** cache entry: '6.1', '6.12' or 'user' */
  name: string;
  /** the Debian package version (e.g. 6.12.118-1~deb12u1); '' for a user kernel */
  debianVersion: string;
  /**
   * engine rules (versions.ts RULE_IDS) the kernel has on top of its release because it was
   * built with extra patches: the series kernel (build-kernel.sh series) has `mapping-wrprotect-range`
   */
  patches: RuleId[];
  kernelVersion: string;
  kernelSource: string;
  kernel: string;
  modules: string;
  base: string;
  disk: string;
  qemu: string;
  /** probes.txt: the kprobe event definitions generated from the kernel's BTF */
  probes: string;
  cacheDir: string;
  /** CONFIG_HZ of the kernel, when its config file is found */
  hz: number | null;
  /** CONFIG_GUP_TEST=y: /sys/kernel/debug/gup_test takes long-term R/O pins (the gup kernels) */
  gupTest: boolean;
  /** probes.txt defines kprobe events (a kernel without BTF has none: it boots without them) */
  hasProbes: boolean;
}

export class OracleSetupError extends Error {}

/**
 * The guest files (oracle.h, init.sh, setup.sh, gen-probes.sh): src/oracle/guest/, copied
 * beside the code that runs them by the build (dist/guest/) and the test compile
 * (out/src/oracle/guest/), so this module finds them at one fixed place.
 */
export function guestDir(): string {
  const dir = process.env.MMSCOPE_ORACLE_RUNTIME || path.join(__dirname, 'guest');
  if (!fs.existsSync(path.join(dir, 'oracle.h'))) {
    throw new OracleSetupError(`${path.join(dir, 'oracle.h')} not found: build first (npm run build), or set MMSCOPE_ORACLE_RUNTIME`);
  }
  return dir;
}

/** The kernels setup.sh prepared by default. */
export const ORACLE_KERNELS = ['6.1', '6.12'] as const;

/** The upstream release a Debian kernel package is built from: 6.12.118-1~deb12u1 -> 6.12.118. */
export function upstreamRelease(debianVersion: string): string | null {
  const m = /^(\d+\.\d+(?:\.\d+)?)(?:[-+~]|$)/.exec(debianVersion);
  return m ? m[1] : null;
}

/** Kernels with a prepared cache entry (<cache>/<name>/env.json). */
export function availableKernels(cacheDir = oracleCacheDir()): string[] {
  if (!fs.existsSync(cacheDir)) return [];
  return fs.readdirSync(cacheDir).filter((d) => fs.existsSync(path.join(cacheDir, d, 'env.json')))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** Where setup.sh keeps the kernels: the user's cache (as setup.sh's own default). */
export function oracleCacheDir(): string {
  if (process.env.MMSCOPE_ORACLE_CACHE) return process.env.MMSCOPE_ORACLE_CACHE;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'mmscope', 'oracle');
}

/** What guest/setup.sh prepared for one kernel (<cache>/<kernel>/env.json). */
export function loadOracleEnv(cacheDir = oracleCacheDir(), kernel: string = ORACLE_KERNELS[0]): OracleEnv {
  const f = path.join(cacheDir, kernel, 'env.json');
  if (!fs.existsSync(f)) throw new OracleSetupError(`${f} missing: run src/oracle/guest/setup.sh ${kernel} first (or mmscope kernel as root)`);
  const j = { name: kernel, debianVersion: '', patches: [], ...JSON.parse(fs.readFileSync(f, 'utf8')) } as Omit<OracleEnv, 'cacheDir' | 'hz' | 'gupTest' | 'hasProbes'>;
  const unknown = j.patches.filter((p) => !(RULE_IDS as readonly string[]).includes(p));
  if (unknown.length) throw new OracleSetupError(`${f}: patches names no engine rule: ${unknown.join(', ')}`);
  for (const k of ['kernel', 'base', 'disk'] as const) {
    if (!fs.existsSync(j[k])) throw new OracleSetupError(`${j[k]} missing: run src/oracle/guest/setup.sh again`);
  }
  let hz: number | null = null, gupTest = false;
  const cfg = path.join(path.dirname(j.kernel), `config-${j.kernelVersion}`);
  if (fs.existsSync(cfg)) {
    const text = fs.readFileSync(cfg, 'utf8');
    const m = /^CONFIG_HZ=(\d+)$/m.exec(text);
    if (m) hz = Number(m[1]);
    gupTest = /^CONFIG_GUP_TEST=y$/m.test(text);
  }
  const probesText = fs.existsSync(j.probes) ? fs.readFileSync(j.probes, 'utf8') : '';
  return { ...j, cacheDir, hz, gupTest, hasProbes: /^[a-z]+ [pr]:/m.test(probesText) };
}

export interface OracleInput {
  name: string;
  scenario: Scenario;
  /** statements the checker rejected (not run) */
  invalid?: ReadonlySet<Statement>;
}

export interface OracleRunOptions {
  /** wall-clock limit for the boot; default 300 s + 15 s per scenario + 3x the scenarios' waits */
  timeoutMs?: number;
  cacheDir?: string;
  /** keep the work directory (gen.c, oracle, initrd, disk, serial.log) */
  keep?: boolean;
  /** work directory; default a fresh one under the OS temp dir */
  workDir?: string;
  /** fault_around_bytes for the whole boot (oracle.fab=N); a scenario's `sysctl` still applies */
  faultAroundBytes?: number;
  /** more kernel command-line words */
  kernelArgs?: string[];
  /** read smaps for every snapshot (default true) */
  smaps?: boolean;
  /** each serial line as it arrives */
  onLine?: (line: string) => void;
  /** which prepared kernel to boot (default 6.1) */
  kernel?: string;
  /** register the kprobe events (default true); false: the baseline without them */
  probes?: boolean;
}

export type OracleExit = 'poweroff' | 'timeout' | 'qemu-error' | 'compile-error';

export interface OracleTiming {
  translateMs: number;
  compileMs: number;
  /** host wall time from QEMU start to its exit */
  bootWallMs: number;
  totalMs: number;
  /** guest uptime (s) when /oracle started and when it returned */
  guestOracleStartS: number | null;
  guestOracleDoneS: number | null;
}

export interface OracleRunResult {
  ok: boolean;
  exit: OracleExit;
  error?: string;
  kernel: {
    /** cache entry booted: '6.1', '6.12', 'user' */
    name: string;
    release: string; version: string; source: string; hz: number | null; fbDelayMs: number | null;
    /** Debian package version and the upstream release it is built from (null: unknown) */
    debianVersion: string; upstream: string | null;
    /** engine rules the kernel has on top of its release (OracleEnv.patches) */
    patches: RuleId[];
  };
  run: OracleRunInfo | null;
  timing: OracleTiming;
  scenarios: OracleScenarioResult[];
  translations: OracleTranslation[];
  /** ORACLE lines that did not parse (kernel messages interleaved, truncation) */
  garbled: string[];
  workDir: string | null;
}

function ms(t0: bigint): number { return Number(process.hrtime.bigint() - t0) / 1e6; }

/** Compile a program (C source using oracle.h) into a static binary. */
export async function compileOracle(cSource: string, outDir: string): Promise<string> {
  const src = path.join(outDir, 'gen.c');
  const bin = path.join(outDir, 'oracle');
  fs.writeFileSync(src, cSource);
  await execFileP('gcc', ['-O2', '-static', '-Wall', '-Wno-unused-function', '-I', guestDir(), '-o', bin, src], { maxBuffer: 1 << 24 });
  return bin;
}

export interface BootResult {
  exit: OracleExit;
  log: string;
  wallMs: number;
  error?: string;
}

/** Boot the kernel with /oracle = bin; returns the serial log. */
export async function bootOracle(bin: string, workDir: string, env: OracleEnv, opts: {
  timeoutMs: number; kernelArgs?: string[]; onLine?: (l: string) => void;
}): Promise<BootResult> {
  const initrd = path.join(workDir, 'initrd.gz');
  const overlay = writeCpioGz([{ name: 'oracle', mode: S_IFREG | 0o755, data: fs.readFileSync(bin) }]);
  fs.writeFileSync(initrd, Buffer.concat([fs.readFileSync(env.base), overlay]));
  const disk = path.join(workDir, 'disk.img');
  fs.copyFileSync(env.disk, disk);
  // no_timer_check: under a loaded host a TCG guest's check_timer() (setup_IO_APIC) can miss
  // the 8254 timer's ticks and panic "IO-APIC + timer doesn't work!" at 0.04 s of uptime, so
  // the whole boot returns nothing (the round-1 "one boot in six not run"; seen twice in the
  // fuzz runs of 2026-12-05 under load 22). KVM guests skip the check by themselves.
  const append = ['console=ttyS0', 'quiet', 'panic=-1', 'no_timer_check', 'transparent_hugepage=never', ...(opts.kernelArgs ?? [])].join(' ');
  const args = [
    '-machine', 'q35', '-accel', 'tcg', '-cpu', 'max', '-smp', '1', '-m', `${GUEST_RAM_MB}M`,
    // two NUMA nodes of 256M (the CPU on node 0): `migrate` moves a folio to the other node
    // with move_pages(2), as migrate_pages() of the whole folio (guest/oracle.h o_migrate)
    '-object', `memory-backend-ram,id=m0,size=${GUEST_RAM_MB / 2}M`, '-numa', 'node,nodeid=0,cpus=0,memdev=m0',
    '-object', `memory-backend-ram,id=m1,size=${GUEST_RAM_MB / 2}M`, '-numa', 'node,nodeid=1,memdev=m1',
    '-nographic', '-no-reboot', '-nic', 'none', '-vga', 'std',
    '-kernel', env.kernel, '-initrd', initrd, '-append', append,
    '-drive', `file=${disk},if=virtio,format=raw,cache=unsafe`,
  ];
  const t0 = process.hrtime.bigint();
  return new Promise<BootResult>(resolve => {
    const q = spawn(env.qemu || 'qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = new ConsoleLog();
    let pending = '';
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; q.kill('SIGKILL'); }, opts.timeoutMs);
    q.stdout.on('data', (b: Buffer) => {
      out.append(b);
      if (opts.onLine) {
        pending += b.toString('utf8');
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) { opts.onLine(pending.slice(0, nl).replace(/\r/g, '')); pending = pending.slice(nl + 1); }
      }
    });
    const errs: Buffer[] = [];
    q.stderr.on('data', (b: Buffer) => errs.push(b));
    const finish = (exit: OracleExit, error?: string): void => {
      clearTimeout(timer);
      const log = out.text();
      fs.writeFileSync(path.join(workDir, 'serial.log'), log);
      resolve({ exit, log, wallMs: ms(t0), error });
    };
    q.on('error', e => finish('qemu-error', e.message));
    q.on('close', code => {
      if (timedOut) finish('timeout', `no poweroff within ${opts.timeoutMs} ms`);
      else if (code !== 0) finish('qemu-error', `qemu exited with ${code}: ${Buffer.concat(errs).toString('utf8').trim()}`);
      else finish('poweroff');
    });
  });
}

/** The last n console lines that are not oracle records (kernel messages, a panic), joined with ' | '. */
export function lastConsoleLines(log: string, n: number): string {
  return log.split('\n').map(l => l.replace(/\r/g, '').trim()).filter(l => l && !l.includes('ORACLE')).slice(-n).join(' | ') || '(none)';
}

/** The typed results of a serial log: the run, and each scenario's (its records between scn and scn_end). */
export function resultsFromLog(log: string, translations: readonly OracleTranslation[], scenarios: readonly Scenario[], probes = true): {
  run: OracleRunInfo | null; scenarios: OracleScenarioResult[]; garbled: string[]; bootS: number | null; doneS: number | null;
} {
  const { records, garbled } = parseOracleLines(log);
  const runRec = records.find(r => r.t === 'run');
  const bootRec = records.find(r => r.t === 'boot');
  const doneRec = records.find(r => r.t === 'done');
  const run: OracleRunInfo | null = runRec ? {
    release: runRec.release, version: runRec.version, zeroPfn: runRec.zero_pfn, faultAroundBytes: runRec.fab,
    fb: runRec.fb ? { id: runRec.fb, smemLen: runRec.smem } : null,
    bootS: bootRec?.uptime ?? null, doneS: doneRec?.uptime ?? null,
    probes: probes && records.some(r => r.t === 'probe') ? probeStatus(records) : null,
  } : null;
  // split the records per scenario (scn ... scn_end)
  const per = translations.map(() => [] as Record<string, unknown>[]);
  let cur = -1, last = -1;
  for (const r of records) {
    if (r.t === 'scn') { cur = r.n; last = r.n; }
    if (cur >= 0 && per[cur]) per[cur].push(r);
    else if (r.t === 'err' && last >= 0 && per[last]) per[last].push(r);
    if (r.t === 'scn_end') cur = -1;
  }
  return {
    run, garbled, bootS: bootRec?.uptime ?? null, doneS: doneRec?.uptime ?? null,
    scenarios: translations.map((t, i) => scenarioResult(t, per[i], run, scenarios[i])),
  };
}

/** Translate, compile, boot once for the whole batch, and return typed results. */
export async function runOracle(inputs: readonly OracleInput[], opts: OracleRunOptions = {}): Promise<OracleRunResult> {
  const tAll = process.hrtime.bigint();
  const env = loadOracleEnv(opts.cacheDir, opts.kernel);
  const probes = (opts.probes ?? true) && env.hasProbes;
  const workDir = opts.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mmscope-oracle-'));
  fs.mkdirSync(workDir, { recursive: true });
  const fbDelayMs = env.hz ? Math.floor(env.hz / 20) * (1000 / env.hz) : null;

  let t0 = process.hrtime.bigint();
  const translations = inputs.map((inp, i) => translateScenario(inp.scenario, {
    name: inp.name, index: i, invalid: inp.invalid, fbPages: DEFAULT_FB_PAGES, smaps: opts.smaps, probes, gupTest: env.gupTest,
  }));
  const translateMs = ms(t0);
  const base: OracleRunResult = {
    ok: false, exit: 'compile-error',
    kernel: {
      name: env.name, release: env.kernelVersion, version: '', source: env.kernelSource, hz: env.hz, fbDelayMs,
      debianVersion: env.debianVersion, upstream: upstreamRelease(env.debianVersion), patches: env.patches,
    },
    run: null, timing: { translateMs, compileMs: 0, bootWallMs: 0, totalMs: 0, guestOracleStartS: null, guestOracleDoneS: null },
    scenarios: [], translations, garbled: [], workDir: opts.keep ? workDir : null,
  };

  t0 = process.hrtime.bigint();
  let bin: string;
  try {
    bin = await compileOracle(buildProgram(translations), workDir);
  } catch (e) {
    base.error = `gcc: ${(e as { stderr?: string }).stderr ?? String(e)}`;
    base.timing.totalMs = ms(tAll);
    return base;
  }
  base.timing.compileMs = ms(t0);

  const waits = inputs.reduce((n, inp) => n + inp.scenario.statements.reduce((w, s) => w + (s.kind === 'wait' ? s.duration.ms : 0), 0), 0);
  // generous: a TCG guest on a loaded host runs many times slower; a boot that overruns is lost whole
  const timeoutMs = opts.timeoutMs ?? 300_000 + 15_000 * inputs.length + 3 * waits;
  const kernelArgs = [...(opts.faultAroundBytes ? [`oracle.fab=${opts.faultAroundBytes}`] : []), ...(probes ? [] : ['oracle.noprobes']), ...(opts.kernelArgs ?? [])];
  const boot = await bootOracle(bin, workDir, env, { timeoutMs, kernelArgs, onLine: opts.onLine });
  base.exit = boot.exit;
  base.error = boot.error;
  base.timing.bootWallMs = boot.wallMs;

  const parsed = resultsFromLog(boot.log, translations, inputs.map(i => i.scenario), probes);
  base.garbled = parsed.garbled;
  base.timing.guestOracleStartS = parsed.bootS;
  base.timing.guestOracleDoneS = parsed.doneS;
  if (parsed.run) {
    base.kernel.release = parsed.run.release;
    base.kernel.version = parsed.run.version;
    base.run = parsed.run;
  }
  base.scenarios = parsed.scenarios;
  const doneRec = parsed.doneS !== null;
  if (boot.exit === 'poweroff' && !doneRec) {
    // QEMU ended (a reboot with -no-reboot, e.g. after a panic) before /init said done:
    // keep what the console said last, so a lost boot can be explained
    base.error = `the guest stopped before /oracle finished; last console lines: ${lastConsoleLines(boot.log, 8)}`;
  }
  base.ok = boot.exit === 'poweroff' && doneRec && base.scenarios.every(s => s.status === 'ok');
  if (!opts.keep && !opts.workDir) fs.rmSync(workDir, { recursive: true, force: true });
  base.timing.totalMs = ms(tAll);
  return base;
}
