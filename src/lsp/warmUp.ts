// Warming the run path up before the first keystroke. V8 optimises a function only after it
// has run many times: a new server's first runs of a 200-line scenario took 4–10 ms, a warm
// run 0.3 ms (docs/performance.md, editor loop), so the first minute of typing paid for the
// compiler. Right after the handshake the server runs a small built-in scenario (file, anon
// and shared mappings, faults, fork and COW, folio_mkclean, writeback, expectations, and a
// line the parser rejects) a few dozen times, one run per macrotask: a message that arrives
// meanwhile waits for one such run at most (well under a millisecond once warm). Nothing is
// published and no stats are recorded; the runs are the same code the documents' runs use.

import { ScenarioService } from '../service/scenarioService';

/** How many runs warm the path up (the measured run cost stops falling after about 30). */
export const WARM_UP_RUNS = 40;

/** The built-in scenario: the statements a typical document is made of. */
export const WARM_UP_TEXT = [
  '# the language server warms up on this scenario',
  'sysctl fault_around_bytes 4096',
  'file f pages 8',
  'process a',
  'process b',
  'mmap a f at 0x7f0000000000 pages 8 shared rw as m',
  'mmap b f at 0x7e0000000000 pages 8 private rw as m',
  'mmap a anon at 0x1000000 pages 4 private rw as heap',
  ...[0, 1, 2, 3].flatMap((i) => [
    `read a m[${i}]`, `write a m[${i}]`, `expect pte a m[${i}] present write dirty`,
    `read b m[${i}]`, `write a heap[${i}]`, `expect pte a heap[${i}] present write dirty maps anon`,
  ]),
  'fork a as c',
  'write c heap[0]',
  'expect pte c heap[0] write dirty maps anon',
  'mkclean f[0]',
  'expect result 1',
  'expect walk a:m, c:m, ~b:m',
  'msync a m',
  'expect folio f[1] !dirty',
  'expect faults a 12',
].join('\n');

/** The same text with a statement the parser rejects (the diagnostics path). */
export const WITH_ERROR = WARM_UP_TEXT.replace('\nmsync a m', '\nxmsync a m');

/**
 * Runs the built-in scenario `runs` times, one run per `next()` turn; stops early when
 * `stopped()` says so (the server shut down). Resolves when done.
 */
export function warmUp(next: () => Promise<void>, stopped: () => boolean, runs = WARM_UP_RUNS): Promise<void> {
  const service = new ScenarioService();
  return (async () => {
    for (let i = 0; i < runs && !stopped(); i++) {
      await next();
      if (stopped()) return;
      service.handle({ type: 'run', id: i, runId: i, text: i % 2 ? WITH_ERROR : WARM_UP_TEXT, opts: {} });
    }
  })();
}
