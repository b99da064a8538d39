// Run the kernel's mm selftests (built by scripts/selftests/build.sh) in the oracle's
// QEMU guest: the oracle's kernel, modules and /init (base.cpio.gz from
// src/oracle/guest/setup.sh), with /oracle = scripts/selftests/guest.sh and the static test
// binaries appended as a second newc archive, as src/oracle/run.ts appends its /oracle.
//
// The guest differs from the oracle's scenario guest where the tests need it:
//   -m 4G over two NUMA nodes (migration.c needs two nodes with memory and 3 CPUs; and a
//     guest below 512 MiB boots with every THP flag off, the trap in
//     shared/docs/thp-on-the-oracle.md), -smp 3 on one host thread (-accel tcg,thread=single),
//   no `transparent_hugepage=never`, and `oracle.noprobes` (no kprobe events).

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { S_IFDIR, S_IFREG, writeCpioGz } from '../oracle/cpio';
import { type OracleEnv, loadOracleEnv, upstreamRelease } from '../oracle/run';
import { type SelftestFileResult, parseSelftestLog } from './tap';

export interface GuestRunOptions {
  kernel: string;
  /** directory with the static test binaries (.cache/selftests/<release>/bin) */
  binDir: string;
  tests: readonly string[];
  timeoutMs?: number;
  /** per test, guest seconds */
  testTimeoutS?: number;
  onLine?: (line: string) => void;
  workDir?: string;
}

export interface GuestRunResult {
  kernel: string;
  release: string;
  debianVersion: string;
  upstream: string | null;
  info: Record<string, string>;
  files: SelftestFileResult[];
  done: boolean;
  exit: 'poweroff' | 'timeout' | 'qemu-error';
  /** the SELFTEST lines of the serial log (what the tests printed), for the record */
  log: string;
  wallMs: number;
  error?: string;
}

/** scripts/selftests of the repository (a developer's tool: npm run selftests runs from the root) */
export function selftestsDir(root = process.cwd()): string {
  return path.join(root, 'scripts', 'selftests');
}

export function qemuArgs(env: OracleEnv, initrd: string, disk: string, append: string): string[] {
  return [
    '-machine', 'q35', '-accel', 'tcg,thread=single', '-cpu', 'max', '-smp', '3', '-m', '4G',
    '-object', 'memory-backend-ram,id=m0,size=2G', '-object', 'memory-backend-ram,id=m1,size=2G',
    '-numa', 'node,nodeid=0,cpus=0-1,memdev=m0', '-numa', 'node,nodeid=1,cpus=2,memdev=m1',
    '-nographic', '-no-reboot', '-nic', 'none', '-vga', 'std',
    '-kernel', env.kernel, '-initrd', initrd, '-append', append,
    '-drive', `file=${disk},if=virtio,format=raw,cache=unsafe`,
  ];
}

export async function runSelftestsInGuest(opts: GuestRunOptions): Promise<GuestRunResult> {
  const env = loadOracleEnv(undefined, opts.kernel);
  const work = opts.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mmscope-selftests-'));
  fs.mkdirSync(work, { recursive: true });
  const script = fs.readFileSync(path.join(selftestsDir(), 'guest.sh'), 'utf8')
    .replace('LIMIT=${SELFTEST_TIMEOUT:-1200}', `LIMIT=${opts.testTimeoutS ?? 1200}`);
  const overlay = writeCpioGz([
    { name: 'oracle', mode: S_IFREG | 0o755, data: Buffer.from(script) },
    { name: 'selftests', mode: S_IFDIR | 0o755 },
    { name: 'selftests/list', mode: S_IFREG | 0o644, data: Buffer.from(opts.tests.join('\n') + '\n') },
    ...opts.tests.map((t) => ({ name: `selftests/${t}`, mode: S_IFREG | 0o755, data: fs.readFileSync(path.join(opts.binDir, t)) })),
  ]);
  const initrd = path.join(work, 'initrd.gz');
  fs.writeFileSync(initrd, Buffer.concat([fs.readFileSync(env.base), overlay]));
  const disk = path.join(work, 'disk.img');
  fs.copyFileSync(env.disk, disk);
  const append = 'console=ttyS0 quiet panic=-1 oracle.noprobes';
  const timeoutMs = opts.timeoutMs ?? 3_600_000;
  const t0 = Date.now();
  const { exit, log, error } = await new Promise<{ exit: GuestRunResult['exit']; log: string; error?: string }>((resolve) => {
    const q = spawn(env.qemu || 'qemu-system-x86_64', qemuArgs(env, initrd, disk, append), { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const errs: Buffer[] = [];
    let pending = '';
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; q.kill('SIGKILL'); }, timeoutMs);
    q.stdout.on('data', (b: Buffer) => {
      chunks.push(b);
      if (!opts.onLine) return;
      pending += b.toString('utf8');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) { opts.onLine(pending.slice(0, nl).replace(/\r/g, '')); pending = pending.slice(nl + 1); }
    });
    q.stderr.on('data', (b: Buffer) => errs.push(b));
    const finish = (e: GuestRunResult['exit'], msg?: string): void => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      fs.writeFileSync(path.join(work, 'serial.log'), text);
      resolve({ exit: e, log: text, error: msg });
    };
    q.on('error', (e) => finish('qemu-error', e.message));
    q.on('close', (code) => {
      if (timedOut) finish('timeout', `no poweroff within ${timeoutMs} ms`);
      else if (code !== 0) finish('qemu-error', `qemu exited with ${code}: ${Buffer.concat(errs).toString('utf8').trim()}`);
      else finish('poweroff');
    });
  });
  const parsed = parseSelftestLog(log);
  if (!opts.workDir) fs.rmSync(work, { recursive: true, force: true });
  return {
    kernel: env.name, release: parsed.info.release ?? env.kernelVersion, debianVersion: env.debianVersion,
    upstream: upstreamRelease(env.debianVersion), info: parsed.info, files: parsed.files, done: parsed.done,
    exit, wallMs: Date.now() - t0, error,
    log: log.split('\n').map((l) => l.replace(/\r/g, '')).filter((l) => l.startsWith('SELFTEST')).join('\n') + '\n',
  };
}
