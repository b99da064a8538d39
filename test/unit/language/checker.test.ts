import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import fc from 'fast-check';
import { R, errors, fmt, lines, parseAndCheck } from './helpers';
import type { Diagnostic } from '../../../src/language/diagnostics';

/** [1-based line, code] of every error. */
function errs(text: string, opts?: Parameters<typeof parseAndCheck>[1]): [number, string][] {
  return errors(parseAndCheck(text, opts)).map(d => [d.range.start.line + 1, d.code]);
}

/** The only diagnostic of `text` (any severity). */
function only(text: string, opts?: Parameters<typeof parseAndCheck>[1]): Diagnostic {
  const f = parseAndCheck(text, opts);
  assert.equal(f.all.length, 1, `expected one diagnostic, got:\n${f.all.map(fmt).join('\n')}`);
  return f.all[0];
}

const PA = lines('process a', 'file f pages 4', 'mmap a f at 0x10000000 pages 4 shared rw as m');

describe('language/checker: names are declared before use', () => {
  it('a process used before its `process` line is unknown (MMS201)', () => {
    const d = only(lines('read a 0x1000', 'process a'));
    assert.equal(d.code, 'MMS201');
    assert.equal(d.message, `unknown process 'a'`);
    assert.deepEqual(d.range, R('read a 0x1000', 'a'));
  });

  it('an unknown object (MMS202) and an unknown label of the process (MMS203)', () => {
    assert.deepEqual(errs(lines('process a', 'mmap a nosuchfile at 0x1000 pages 1 shared rw')), [[2, 'MMS202']]);
    const d = only(lines(PA, 'read a n[0]'));
    assert.equal(d.code, 'MMS203');
    assert.equal(d.message, `process 'a' has no mapping labelled 'n'`);
  });

  it('labels are per process: another process cannot use them, the same label may exist in two processes', () => {
    assert.deepEqual(errs(lines(PA, 'process b', 'read b m[0]')), [[5, 'MMS203']]);
    assert.deepEqual(errs(lines(PA, 'process b', 'mmap b f at 0x10000000 pages 4 shared rw as m', 'read b m[3]')), []);
  });

  it('a name of the wrong kind says what it is (MMS208), with the declaration as related info', () => {
    const d = only(lines('file f pages 1', 'read f 0x1000'));
    assert.equal(d.code, 'MMS208');
    assert.equal(d.message, `'f' is a file, not a process`);
    assert.deepEqual(d.related, [{ range: R('file f pages 1', 'f'), message: 'declared here' }]);
  });

  it('using a mapping label where an object is needed hints at the label', () => {
    const d = only(lines(PA, 'mkclean m[0]'));
    assert.equal(d.code, 'MMS202');
    assert.match(d.message, /unknown object 'm' \('m' is a mapping label of 'a'\)/);
  });

  it('a near miss gets a "did you mean" hint', () => {
    assert.match(only(lines('process xorg', 'read xorq 0x1000')).message, /did you mean 'xorg'\?/);
  });
});

describe('language/checker: declarations', () => {
  it('a duplicate process or object is an error pointing at the first declaration (MMS204)', () => {
    const d = only(lines('process a', 'file a pages 1'));
    assert.equal(d.code, 'MMS204');
    assert.equal(d.message, `'a' is already declared as a process`);
    assert.deepEqual(d.related, [{ range: R('process a', 'a'), message: 'declared here' }]);
  });

  it('a duplicate label in one process is an error pointing at the first mapping (MMS205)', () => {
    const t = lines(PA, 'mmap a anon at 0x20000000 pages 1 private rw as m');
    const d = only(t);
    assert.equal(d.code, 'MMS205');
    assert.deepEqual(d.related?.[0].range, R('mmap a f at 0x10000000 pages 4 shared rw as m', 'm', 0, 2));
    assert.equal(d.related?.[0].message, 'declared here');
  });

  it('a keyword cannot name a process, object or label (MMS206); r and rw are not keywords', () => {
    assert.deepEqual(errs('process write'), [[1, 'MMS206']]);
    assert.deepEqual(errs('file pages pages 1'), [[1, 'MMS206']]);
    assert.deepEqual(errs(lines('process a', 'mmap a anon at 0x1000 pages 1 private rw as none')), [[2, 'MMS206']]);
    assert.deepEqual(errs(lines('process a', 'mmap a anon at 0x1000 pages 1 private rw as r', 'read a r[0]')), []);
  });

  it('anon and zero are reserved object names (MMS207)', () => {
    assert.deepEqual(errs('file anon pages 1'), [[1, 'MMS207']]);
    assert.deepEqual(errs('shmem zero pages 1'), [[1, 'MMS207']]);
  });

  it('pages 0 is an error (MMS302) for objects, mappings and address ranges', () => {
    assert.deepEqual(errs('file f pages 0'), [[1, 'MMS302']]);
    assert.deepEqual(errs(lines('process a', 'mmap a anon at 0x1000 pages 0 private rw')), [[2, 'MMS302']]);
    assert.deepEqual(errs(lines('process a', 'munmap a 0x1000 pages 0')), [[2, 'MMS302']]);
  });

  it('a failed declaration whose name is fine still declares it: no cascade of unknown names', () => {
    assert.deepEqual(errs(lines('process a', 'mmap a nosuchfile at 0x1000 pages 1 shared rw as m', 'write a m[0]')), [[2, 'MMS202']]);
    assert.deepEqual(errs(lines('file f pages 0', 'mkclean f[0]')), [[1, 'MMS302']]);
    assert.deepEqual(errs(lines('process a extra', 'read a 0x1000')), [[1, 'MMS113']]);
    assert.deepEqual(errs(lines('process a', 'mmap a anon at 0x1000 pages 1 private rwx as m', 'read a m[0]')), [[2, 'MMS112']]);
    assert.deepEqual(errs(lines('fork nobody as c', 'read c 0x1000')), [[1, 'MMS201']]);
  });

  it('a declaration whose name is a keyword does not declare it', () => {
    assert.deepEqual(errs(lines('process write', 'read write 0x1000')), [[1, 'MMS206'], [2, 'MMS201']]);
  });
});

describe('language/checker: kinds', () => {
  it('flush and expect defio need an fbdev (MMS208)', () => {
    const base = lines('file f pages 1', 'fbdev fb pages 1');
    assert.deepEqual(errs(lines(base, 'flush f', 'flush fb')), [[3, 'MMS208']]);
    assert.deepEqual(errs(lines(base, 'expect defio f pending 0', 'expect defio fb written 0')), [[3, 'MMS208']]);
  });

  it('mkclean, wrprotect, writeback, unmap_range, pfn_mkclean need an object; anon is not one (MMS210)', () => {
    for (const s of ['mkclean anon[0]', 'wrprotect anon[0]', 'writeback anon', 'unmap_range zero[0]', 'flush anon']) {
      assert.deepEqual(errs(s), [[1, 'MMS210']], s);
    }
    assert.deepEqual(errs(lines('process a', 'writeback a')), [[2, 'MMS208']]);
  });

  it('an address is not an object page (MMS211)', () => {
    assert.deepEqual(errs('mkclean 0x1000'), [[1, 'MMS211']]);
    assert.deepEqual(errs('expect folio 0x1000 dirty'), [[1, 'MMS211']]);
  });

  it('mkclean and expect folio take one page, not a range (MMS307)', () => {
    assert.deepEqual(errs(lines('file f pages 4', 'mkclean f[0..1]')), [[2, 'MMS307']]);
    assert.deepEqual(errs(lines('file f pages 4', 'expect folio f[0..1] dirty')), [[2, 'MMS307']]);
  });

  it('maps OBJ[I] and mapping OBJ name objects', () => {
    assert.deepEqual(errs(lines(PA, 'expect pte a m[0] maps g[0]', 'expect folio f[0] mapping a', 'expect pte a m[0] maps f[4]')),
      [[4, 'MMS202'], [5, 'MMS208'], [6, 'MMS304']]);
  });

  it('pfn_mkclean on a label that maps another object is a warning (MMS214)', () => {
    const f = parseAndCheck(lines(PA, 'file g pages 4', 'pfn_mkclean g[0] a m'));
    assert.deepEqual(f.all.map(d => [d.severity, d.code]), [['warning', 'MMS214']]);
  });
});

describe('language/checker: values and page ranges', () => {
  it('a reversed range I > J is an error (MMS303)', () => {
    const d = only(lines(PA, 'write a m[2..1]'));
    assert.equal(d.code, 'MMS303');
    assert.deepEqual(d.range, R('write a m[2..1]', '2..1', 0, 3));
  });

  it('an object page index must be below the object size (MMS304)', () => {
    const d = only(lines('file f pages 4', 'mkclean f[4]'));
    assert.equal(d.code, 'MMS304');
    assert.equal(d.message, `page 4 is past the end of 'f' (4 pages: 0..3)`);
    assert.deepEqual(errs(lines('fbdev fb pages 2', 'expect defio fb written 0, 2')), [[2, 'MMS304']]);
    assert.deepEqual(errs(lines('file f pages 4', 'writeback f[1..9]')), [[2, 'MMS304']]);
  });

  it("a label page index must be below the mapping's original page count (MMS305), also in a forked child", () => {
    assert.deepEqual(errs(lines(PA, 'read a m[3]', 'read a m[4]')), [[5, 'MMS305']]);
    assert.deepEqual(errs(lines(PA, 'munmap a m[0..1]', 'read a m[3]')), [], 'indexes count from the original start');
    assert.deepEqual(errs(lines(PA, 'fork a as b', 'read b m[4]')), [[5, 'MMS305']]);
  });

  it('the mmap address must be page-aligned (MMS301), as must munmap/mprotect addresses', () => {
    const t = 'mmap a anon at 0x1001 pages 1 private rw as n';
    const d = only(lines('process a', t));
    assert.equal(d.code, 'MMS301');
    assert.deepEqual(d.range, R(t, '0x1001', 0, 1));
    assert.deepEqual(errs(lines('process a', 'munmap a 0x10 pages 1', 'mprotect a 0x10 pages 1 r')), [[2, 'MMS301'], [3, 'MMS301']]);
  });

  it('sysctl fault_around_bytes: above 2 MiB is EINVAL (MMS306 error); other values are rounded down to a power of two of pages as fault_around_bytes_set() does (MMS306 warning); other knobs are unknown (MMS212)', () => {
    assert.deepEqual(errs(lines('sysctl fault_around_bytes 4096', 'sysctl fault_around_bytes 65536', 'sysctl fault_around_bytes 2097152')), []);
    assert.deepEqual(errs('sysctl fault_around_bytes 3000'), []);
    assert.match(only('sysctl fault_around_bytes 3000').message, /rounds it down to 4096 \(fault-around off\)/);
    assert.equal(only('sysctl fault_around_bytes 12288').severity, 'warning');
    assert.match(only('sysctl fault_around_bytes 12288').message, /rounds it down to 8192/);
    // fault_around_bytes_set(): 0 is taken as PAGE_SIZE (fault-around off), not refused; the
    // EINVAL test is val / PAGE_SIZE > PTRS_PER_PTE, so 2 MiB + 4095 is still accepted.
    assert.deepEqual(errs('sysctl fault_around_bytes 0'), []);
    assert.equal(only('sysctl fault_around_bytes 0').severity, 'warning');
    assert.match(only('sysctl fault_around_bytes 0').message, /rounds it down to 4096 \(fault-around off\)/);
    assert.deepEqual(errs('sysctl fault_around_bytes 2101247'), []);
    assert.deepEqual(errs('sysctl fault_around_bytes 2101248'), [[1, 'MMS306']]);
    assert.match(only('sysctl fault_around_bytes 4194304').message, /EINVAL/);
    assert.deepEqual(errs('sysctl read_ahead_kb 128'), [[1, 'MMS212']]);
  });

  it('clear_refs takes only the softdirty mode in v1 (MMS213)', () => {
    assert.deepEqual(errs(lines('process p', 'clear_refs p softdirty', 'clear_refs p all')), [[3, 'MMS213']]);
  });

  it('contradicting flags are an error, repeated flags a warning (MMS308)', () => {
    const f = parseAndCheck(lines(PA, 'expect pte a m[0] present !present', 'expect folio f[0] dirty dirty'));
    assert.deepEqual(f.all.map(d => [d.range.start.line + 1, d.severity, d.code]), [[4, 'error', 'MMS308'], [5, 'warning', 'MMS308']]);
  });

  it('an offset on anonymous memory is ignored, with a warning (MMS309)', () => {
    const f = parseAndCheck(lines('process a', 'mmap a anon at 0x1000 pages 1 offset 3 private rw'));
    assert.deepEqual(f.all.map(d => [d.severity, d.code]), [['warning', 'MMS309']]);
    assert.equal(f.result.invalid.size, 0, 'a warning does not make a statement invalid');
  });
});

describe('language/checker: refusals the kernel makes with an errno (MMS5xx)', () => {
  it('a mapping past the 47-bit user address space is ENOMEM (MMS501), at the address or at the page count', () => {
    const a = 'mmap a anon at 0x800000000000 pages 1 private rw';
    const d = only(lines('process a', a));
    assert.equal(d.code, 'MMS501');
    assert.deepEqual(d.range, R(a, '0x800000000000', 0, 1));
    assert.match(d.message, /ENOMEM/);
    const b = 'mmap a anon at 0x7ffffff00000 pages 0x100 private rw';
    const e = only(lines('process a', b));
    assert.equal(e.code, 'MMS501');
    assert.deepEqual(e.range, R(b, '0x100', 0, 1));
  });

  it('the last user page is TASK_SIZE_MAX - 4096 (x86-64 keeps a guard page below 2^47)', () => {
    assert.deepEqual(errs(lines('process a', 'mmap a anon at 0x7fffffffe000 pages 1 private rw')), []);
    assert.deepEqual(errs(lines('process a', 'mmap a anon at 0x7fffffffe000 pages 2 private rw')), [[2, 'MMS501']]);
    assert.deepEqual(errs(lines('process a', 'mmap a anon at 0x7ffffffff000 pages 1 private rw')), [[2, 'MMS501']]);
  });

  it('a private mapping of a pfnmap is EINVAL (MMS502) at shared|private', () => {
    const t = 'mmap a regs at 0x1000 pages 1 private rw';
    const d = only(lines('process a', 'pfnmap regs pages 1', t));
    assert.equal(d.code, 'MMS502');
    assert.deepEqual(d.range, R(t, 'private', 0, 2));
  });

  it('an fbdev or pfnmap mapping past the end of the device is EINVAL (MMS502); a file mapping past EOF is allowed', () => {
    assert.deepEqual(errs(lines('process a', 'fbdev fb pages 4', 'mmap a fb at 0x1000 pages 2 offset 3 shared rw')), [[3, 'MMS502']]);
    assert.deepEqual(errs(lines('process a', 'pfnmap d pages 4', 'mmap a d at 0x1000 pages 5 shared rw')), [[3, 'MMS502']]);
    assert.deepEqual(errs(lines('process a', 'file f pages 4', 'mmap a f at 0x1000 pages 8 offset 2 shared rw')), []);
  });

  it('munmap past the user address space is EINVAL, mprotect ENOMEM', () => {
    assert.deepEqual(errs(lines('process a', 'munmap a 0x800000000000 pages 1', 'mprotect a 0x800000000000 pages 1 r')), [[2, 'MMS502'], [3, 'MMS501']]);
  });
});

describe('language/checker: kernel version', () => {
  it('the kernel statement sets the version; the default is 6.15, or the option', () => {
    assert.deepEqual(parseAndCheck('kernel 6.14').result.kernel, { major: 6, minor: 14, patch: 0 });
    assert.deepEqual(parseAndCheck('process a').result.kernel, { major: 6, minor: 15, patch: 0 });
    assert.deepEqual(parseAndCheck('process a', { defaultKernel: '6.12' }).result.kernel, { major: 6, minor: 12, patch: 0 });
    assert.deepEqual(parseAndCheck('process a', { defaultKernel: 'garbage' }).result.kernel, { major: 6, minor: 15, patch: 0 });
  });

  it('wrprotect before 6.15 is an error naming both versions (MMS401); from 6.15 it is fine', () => {
    const t = lines('kernel 6.14', 'file f pages 1', 'wrprotect f[0]');
    const d = only(t);
    assert.equal(d.code, 'MMS401');
    assert.equal(d.message, 'wrprotect: mapping_wrprotect_range() exists only from Linux 6.15; this scenario is for 6.14');
    assert.deepEqual(d.range, R('wrprotect f[0]', 'wrprotect', 0, 2));
    assert.equal(d.related?.[0].message, 'kernel 6.14 selected here');
    assert.deepEqual(errs(lines('kernel 6.15', 'file f pages 1', 'wrprotect f[0]')), []);
    assert.deepEqual(errs(lines('kernel 7.0', 'file f pages 1', 'wrprotect f[0]')), []);
    assert.deepEqual(errs(lines('file f pages 1', 'wrprotect f[0]'), { defaultKernel: '6.6' }), [[2, 'MMS401']]);
  });

  it('a kernel older than 6.1 is not modelled (MMS402)', () => {
    assert.deepEqual(errs('kernel 5.15'), [[1, 'MMS402']]);
    assert.deepEqual(errs('kernel 6.1'), []);
    assert.deepEqual(errs('kernel 5.15.170'), [[1, 'MMS402']]);
  });

  it('a stable release: exact in the checked series (6.1.y to 6.1.192, 6.12.y to 6.12.118); elsewhere a warning at the version (MMS403)', () => {
    assert.deepEqual(parseAndCheck('kernel 6.1.192').result.kernel, { major: 6, minor: 1, patch: 192 });
    assert.deepEqual(parseAndCheck('process a', { defaultKernel: '6.1.90' }).result.kernel, { major: 6, minor: 1, patch: 90 });
    for (const v of ['6.1.192', '6.12.118', '6.1', '6.6']) assert.deepEqual(parseAndCheck(`kernel ${v}`).all, [], v);
    for (const v of ['6.6.50', '6.1.193']) {
      const t = `kernel ${v}`;
      const d = only(t);
      assert.deepEqual([d.severity, d.code], ['warning', 'MMS403']);
      assert.deepEqual(d.range, R(t, v));
      assert.match(d.message, /runs as mainline 6\.(1|6) plus the stable backports/);
    }
  });

  it('the wrprotect gate follows the table: 6.15 mainline; no stable release of 6.14 or 6.1 has it', () => {
    assert.deepEqual(errs(lines('kernel 6.1.192', 'file f pages 1', 'wrprotect f[0]')), [[3, 'MMS401']]);
    assert.equal(only(lines('kernel 6.1.192', 'file f pages 1', 'wrprotect f[0]')).message,
      'wrprotect: mapping_wrprotect_range() exists only from Linux 6.15; this scenario is for 6.1.192');
    assert.deepEqual(errs(lines('kernel 6.15.1', 'file f pages 1', 'wrprotect f[0]')), []);
  });
});

describe('language/checker: process lifetime', () => {
  it('a process used after exit is an error pointing at the exit (MMS209)', () => {
    const d = only(lines('process a', 'exit a', 'read a 0x1000'));
    assert.equal(d.code, 'MMS209');
    assert.equal(d.message, `process 'a' has exited`);
    assert.equal(d.related?.[0].message, 'exited here');
    assert.deepEqual(d.related?.[0].range.start, { line: 1, character: 0 });
    assert.deepEqual(errs(lines('process a', 'exit a', 'exit a')), [[3, 'MMS209']]);
    assert.deepEqual(errs(lines('process a', 'exit a', 'fork a as b')), [[3, 'MMS209']]);
    assert.deepEqual(errs(lines('process a', 'exit a', 'expect pte a 0x1000 none')), [[3, 'MMS209']]);
  });

  it('expect faults / expect signal may name an exited process: what it took and raised while it lived (wait4 rusage)', () => {
    assert.deepEqual(errs(lines('process a', 'exit a', 'expect faults a 0', 'expect signal a none')), []);
    const r = runText(lines('file f pages 4', 'process a', 'mmap a f at 0x7e0000000000 pages 4 shared rw as m',
      'write a m[0]', 'write a m[1]', 'read a 0x1000', 'exit a', 'expect faults a 2', 'expect signal a SIGSEGV'));
    assert.deepEqual([r.passed, r.failed, r.exitStatus], [2, 0, 0]);
  });

  it('fork copies the parent labels to the child; the child cannot declare one again', () => {
    const t = lines(PA, 'fork a as b', 'write b m[0]', 'mmap b anon at 0x30000000 pages 1 private rw as m');
    assert.deepEqual(errs(t), [[6, 'MMS205']]);
    const only6 = errors(parseAndCheck(t))[0];
    assert.match(only6.message, /inherited from 'a' by fork/);
  });

  it('label visibility across any sequence of mmap and fork matches a model that copies the label set at fork', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(3), fc.nat(20), fc.nat(5)), { minLength: 1, maxLength: 80 }), ops => {
      const model = new Map<string, Set<string>>([['p0', new Set()]]);
      const ls = ['process p0'];
      const want: [number, string][] = [];
      let addr = 0x100000;
      for (const [op, x, y] of ops) {
        const procs = [...model.keys()];
        const p = procs[x % procs.length];
        const label = `l${y}`;
        if (op === 0) {
          const child = `p${model.size}`;
          ls.push(`fork ${p} as ${child}`);
          model.set(child, new Set(model.get(p)));
        } else if (op === 1 || op === 2) {
          ls.push(`mmap ${p} anon at ${(addr += 0x10000)} pages 1 private rw as ${label}`);
          if (model.get(p)!.has(label)) want.push([ls.length, 'MMS205']);
          else model.get(p)!.add(label);
        } else {
          ls.push(`read ${p} ${label}[0]`);
          if (!model.get(p)!.has(label)) want.push([ls.length, 'MMS203']);
        }
      }
      assert.deepEqual(errs(ls.join('\n')), want);
    }), { numRuns: 300 });
  });

  it('labels the parent creates after the fork are not the child\'s', () => {
    assert.deepEqual(errs(lines('process a', 'fork a as b', 'mmap a anon at 0x1000 pages 1 private rw as h', 'read b h[0]')), [[4, 'MMS203']]);
  });
});

describe('language/checker: limits (MMS6xx)', () => {
  it('an object larger than maxPagesPerObject is an error at the page count (MMS601)', () => {
    const t = 'file f pages 4194305';
    const d = only(t);
    assert.equal(d.code, 'MMS601');
    assert.deepEqual(d.range, R(t, '4194305'));
    assert.deepEqual(errs('file f pages 4194304'), []);
    assert.deepEqual(errs('file f pages 11', { limits: { maxPagesPerObject: 10 } }), [[1, 'MMS601']]);
  });

  it('a mapping larger than maxMappingPages is an error at the page count (MMS602)', () => {
    assert.deepEqual(errs(lines('process a', 'mmap a anon at 0x1000 pages 4194305 private rw')), [[2, 'MMS602']]);
    assert.deepEqual(errs(lines('process a', 'mmap a anon at 0x1000 pages 3 private rw'), { limits: { maxMappingPages: 2 } }), [[2, 'MMS602']]);
  });

  it('a mapping past the address space reports ENOMEM only, not also the size limit', () => {
    assert.deepEqual(errs(lines('process a', 'mmap a anon at 0x10000000 pages 0x1_0000_0000_0000 private rw')), [[2, 'MMS501']]);
  });

  it('statements beyond maxStatements are one error (MMS603) and are all invalid', () => {
    const f = parseAndCheck(lines('process a', 'process b', 'process c', 'process d'), { limits: { maxStatements: 2 } });
    assert.deepEqual(f.all.map(d => [d.range.start.line + 1, d.code]), [[3, 'MMS603']]);
    assert.equal(f.result.invalid.size, 2);
  });
});

describe('language/checker: result', () => {
  it('statements with an error are invalid (the runner skips them); the others are not', () => {
    const f = parseAndCheck(lines('process a', 'read a 0x1000', 'read b 0x1000', 'mmap a anon at 0x1001 pages 1 private rw'));
    const bad = [...f.result.invalid].map(s => s.range.start.line + 1).sort();
    assert.deepEqual(bad, [3, 4]);
  });

  it('diagnostics are sorted by position', () => {
    const f = parseAndCheck(lines('read x 0x1000', 'process a', 'read y 0x1000', 'read z 0x1000'));
    const pos = f.result.diagnostics.map(d => d.range.start.line);
    assert.deepEqual(pos, [...pos].sort((a, b) => a - b));
  });

  it('symbols record declarations, kinds, sizes and every reference; symbolAt finds them', () => {
    const t = lines('process a', 'file f pages 4', 'mmap a f at 0x10000000 pages 4 shared rw as m', 'write a m[0]', 'fork a as b', 'read b m[1]', 'mkclean f[0]');
    const { result } = parseAndCheck(t);
    const a = result.symbols.find(s => s.name === 'a')!;
    assert.equal(a.kind, 'process');
    assert.deepEqual(a.decl, R('process a', 'a'));
    assert.equal(a.refs.length, 3);
    const f = result.symbols.find(s => s.name === 'f')!;
    assert.deepEqual([f.kind, f.objKind, f.pages, f.refs.length], ['object', 'file', 4, 2]);
    const m = result.symbols.find(s => s.name === 'm')!;
    assert.deepEqual([m.kind, m.proc, m.pages, m.mapsObject, m.shared], ['label', 'a', 4, 'f', true]);
    assert.equal(m.refs.length, 2, "the child's use of an inherited label refers to the parent's mapping");
    const b = result.symbols.find(s => s.name === 'b')!;
    assert.equal(b.parent, 'a');
    assert.equal(result.symbolAt(5, 7), m, 'read b m[1]: the label');
    assert.equal(result.symbolAt(5, 5), b);
    assert.equal(result.symbolAt(0, 8), a);
    assert.equal(result.symbolAt(0, 0), undefined, 'keywords are not symbols');
    assert.equal(result.symbolAt(99, 0), undefined);
  });

  it('a name declared by a broken line is a symbol marked declInvalid', () => {
    const { result } = parseAndCheck(lines('process a', 'mmap a nosuchfile at 0x1000 pages 1 shared rw as m'));
    const m = result.symbols.find(s => s.name === 'm')!;
    assert.equal(m.declInvalid, true);
  });

  it('vmsplice declares a pipe: its name must be new (MMS204), expect pipe needs a pipe (MMS202 unknown, MMS208 another kind)', () => {
    const base = ['process a', 'mmap a anon at 0x1000 pages 2 private rw as m'];
    assert.deepEqual(errs(lines(...base, 'vmsplice a m as p', 'expect pipe p unchanged')), []);
    assert.deepEqual(errs(lines(...base, 'vmsplice a m as a')), [[3, 'MMS204']]);
    assert.deepEqual(errs(lines(...base, 'expect pipe q changed')), [[3, 'MMS202']]);
    assert.deepEqual(errs(lines(...base, 'expect pipe a changed')), [[3, 'MMS208']]);
    assert.deepEqual(errs(lines(...base, 'vmsplice a m as p', 'read a p[0]')), [[4, 'MMS203']]);
    const { result } = parseAndCheck(lines(...base, 'vmsplice a m as p'));
    assert.equal(result.symbols.find(s => s.name === 'p')?.kind, 'pipe');
  });

  it('pin declares a pinned buffer: a new name (MMS204), expect pin needs a buffer (MMS202 unknown, MMS208 a pipe)', () => {
    const base = ['process a', 'mmap a anon at 0x1000 pages 2 private rw as m'];
    assert.deepEqual(errs(lines(...base, 'pin a m as b', 'expect pin b changed')), []);
    assert.deepEqual(errs(lines(...base, 'vmsplice a m as v', 'pin a m as v')), [[4, 'MMS204']]);
    assert.deepEqual(errs(lines(...base, 'expect pin q changed')), [[3, 'MMS202']]);
    assert.deepEqual(errs(lines(...base, 'vmsplice a m as v', 'expect pin v changed')), [[4, 'MMS208']]);
    assert.deepEqual(errs(lines(...base, 'pin a m as b', 'expect pipe b changed')), [[4, 'MMS208']]);
    assert.deepEqual(errs(lines(...base, 'pin a 0x1000 pages 0 as b')), [[3, 'MMS302']]);
    const { result } = parseAndCheck(lines(...base, 'pin a m as b'));
    assert.equal(result.symbols.find(s => s.name === 'b')?.kind, 'buffer');
  });

  it('pin ... readonly [fast]: a long-term R/O pin, the same buffer; `fast` only after readonly, nothing after it', () => {
    const base = ['process a', 'mmap a anon at 0x1000 pages 2 private rw as m'];
    assert.deepEqual(errs(lines(...base, 'pin a m as b readonly', 'pin a m[1] as c readonly fast', 'expect pin c changed')), []);
    const ro = parseAndCheck(lines(...base, 'pin a m[0..1] as b readonly fast')).scenario.statements.at(-1);
    assert.ok(ro?.kind === 'pin' && ro.readonly && ro.fast);
    assert.deepEqual(ro.readonly, { start: { line: 2, character: 19 }, end: { line: 2, character: 27 } });
    assert.deepEqual(ro.fast, { start: { line: 2, character: 28 }, end: { line: 2, character: 32 } });
    const rw = parseAndCheck(lines(...base, 'pin a m as b')).scenario.statements.at(-1);
    assert.ok(rw?.kind === 'pin' && !rw.readonly && !rw.fast);
    assert.deepEqual(errs(lines(...base, 'pin a m as b fast')).map(([l]) => l), [3]);
    assert.deepEqual(errs(lines(...base, 'pin a m as b readonly slow')).map(([l]) => l), [3]);
  });
});
