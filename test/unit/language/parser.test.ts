import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import { R, lines, one, parseError } from './helpers';

describe('language/parser: every statement of the spec parses to its AST with exact ranges', () => {
  it('kernel MAJOR.MINOR: version numbers and range; kwRange is the keyword', () => {
    const t = 'kernel 6.14';
    const s = one(t, 'kernel');
    assert.deepEqual(s.version, { major: 6, minor: 14, patch: 0, text: '6.14', range: R(t, '6.14') });
    assert.deepEqual(s.kwRange, R(t, 'kernel'));
    assert.deepEqual(s.range, R(t, 'kernel 6.14'));
  });

  it('kernel MAJOR.MINOR.PATCH is that stable release (language v2 "Versions")', () => {
    const t = 'kernel 6.1.192';
    assert.deepEqual(one(t, 'kernel').version, { major: 6, minor: 1, patch: 192, text: '6.1.192', range: R(t, '6.1.192') });
    assert.equal(one('kernel 6.1.0', 'kernel').version.patch, 0, '6.1.0 is the mainline release 6.1');
  });

  it('sysctl fault_around_bytes N', () => {
    const t = 'sysctl fault_around_bytes 4096';
    const s = one(t, 'sysctl');
    assert.deepEqual(s.knob, { name: 'fault_around_bytes', range: R(t, 'fault_around_bytes') });
    assert.deepEqual(s.value, { value: 4096, text: '4096', range: R(t, '4096') });
    assert.deepEqual(s.range, R(t, t));
  });

  it('file NAME pages N [cold]: cold defaults to false', () => {
    const t = 'file data pages 4';
    const s = one(t, 'file');
    assert.deepEqual(s.name, { name: 'data', range: R(t, 'data') });
    assert.equal(s.pages.value, 4);
    assert.deepEqual(s.pages.range, R(t, '4'));
    assert.equal(s.cold, false);
    const c = one('file big pages 100 cold', 'file');
    assert.equal(c.cold, true);
    assert.deepEqual(c.range, R('file big pages 100 cold', 'file big pages 100 cold'));
  });

  it('shmem NAME pages N and pfnmap NAME pages N', () => {
    const s = one('shmem buf pages 0x10', 'shmem');
    assert.equal(s.name.name, 'buf');
    assert.equal(s.pages.value, 16);
    assert.equal(s.pages.text, '0x10');
    const p = one('pfnmap regs pages 4', 'pfnmap');
    assert.equal(p.name.name, 'regs');
    assert.deepEqual(p.kwRange, R('pfnmap regs pages 4', 'pfnmap'));
  });

  it('fbdev NAME pages N: default backing vmalloc, no delay, not sorted', () => {
    const s = one('fbdev fb pages 2', 'fbdev');
    assert.equal(s.backing, 'vmalloc');
    assert.equal(s.delay, undefined);
    assert.equal(s.sorted, false);
  });

  it('fbdev with backing, delay and sorted (in any order)', () => {
    const t = 'fbdev fb0 pages 4 backing contig delay 1s sorted';
    const s = one(t, 'fbdev');
    assert.equal(s.backing, 'contig');
    assert.deepEqual(s.delay, { ms: 1000, range: R(t, '1s') });
    assert.equal(s.sorted, true);
    const u = one('fbdev fb0 pages 4 sorted delay 50ms backing carveout', 'fbdev');
    assert.equal(u.backing, 'carveout');
    assert.equal(u.delay?.ms, 50);
    assert.equal(u.sorted, true);
  });

  it('process NAME, fork PARENT as CHILD, exit NAME', () => {
    const p = one('process xorg', 'process');
    assert.deepEqual(p.name, { name: 'xorg', range: R('process xorg', 'xorg') });
    const t = 'fork p as q';
    const f = one(t, 'fork');
    assert.deepEqual(f.parent.range, R(t, 'p'));
    assert.deepEqual(f.child, { name: 'q', range: R(t, 'q') });
    assert.equal(one('exit q', 'exit').proc.name, 'q');
  });

  it('mmap with every clause: obj, addr, pages, offset, shared, prot, label and their ranges', () => {
    const t = 'mmap app fb0 at 0x7e0000000000 pages 2 offset 2 shared rw as fb';
    const s = one(t, 'mmap');
    assert.deepEqual(s.proc, { name: 'app', range: R(t, 'app') });
    assert.deepEqual(s.obj, { name: 'fb0', range: R(t, 'fb0') });
    assert.deepEqual(s.addr, { value: 0x7e0000000000, text: '0x7e0000000000', range: R(t, '0x7e0000000000') });
    assert.equal(s.pages.value, 2);
    assert.deepEqual(s.offset, { value: 2, text: '2', range: R(t, '2', 1) });
    assert.equal(s.shared, true);
    assert.deepEqual(s.sharedRange, R(t, 'shared'));
    assert.equal(s.prot, 'rw');
    assert.deepEqual(s.protRange, R(t, 'rw'));
    assert.deepEqual(s.label, { name: 'fb', range: R(t, 'fb') });
    assert.deepEqual(s.kwRange, R(t, 'mmap'));
    assert.deepEqual(s.range, R(t, t));
  });

  it('mmap anon private without offset or label; prot r and none', () => {
    const s = one('mmap p anon at 0x1000000 pages 2 private r', 'mmap');
    assert.equal(s.obj.name, 'anon');
    assert.equal(s.shared, false);
    assert.equal(s.prot, 'r');
    assert.equal(s.offset, undefined);
    assert.equal(s.label, undefined);
    assert.equal(one('mmap p anon at 0x1000000 pages 2 shared none as g', 'mmap').prot, 'none');
  });

  it('munmap PROC LABEL, LABEL[I..J], LABEL[I] and ADDR pages N', () => {
    const a = one('munmap p heap', 'munmap');
    assert.deepEqual(a.spec, { kind: 'label', label: { name: 'heap', range: R('munmap p heap', 'heap') }, range: R('munmap p heap', 'heap') });
    const t = 'munmap p heap[1..2]';
    const b = one(t, 'munmap');
    assert.equal(b.spec.kind, 'label');
    if (b.spec.kind === 'label') {
      assert.equal(b.spec.first?.value, 1);
      assert.equal(b.spec.last?.value, 2);
      assert.deepEqual(b.spec.range, R(t, 'heap[1..2]'));
    }
    const c = one('munmap p heap[3]', 'munmap');
    if (c.spec.kind === 'label') {
      assert.equal(c.spec.first?.value, 3);
      assert.equal(c.spec.last, undefined);
    }
    const u = 'munmap p 0x1000 pages 3';
    const d = one(u, 'munmap');
    assert.deepEqual(d.spec, {
      kind: 'addr', addr: { value: 0x1000, text: '0x1000', range: R(u, '0x1000') },
      pages: { value: 3, text: '3', range: R(u, '3') }, range: R(u, '0x1000 pages 3'),
    });
  });

  it('mprotect PROC SPEC PROT', () => {
    const t = 'mprotect p heap[0..1] r';
    const s = one(t, 'mprotect');
    assert.equal(s.prot, 'r');
    assert.deepEqual(s.protRange, R(t, 'r'));
    assert.equal(s.spec.kind, 'label');
    const u = one('mprotect p 0x2000 pages 1 none', 'mprotect');
    assert.equal(u.spec.kind, 'addr');
    assert.equal(u.prot, 'none');
  });

  it('read/write PROC LABEL[I], LABEL[I..J] and absolute address', () => {
    const t = 'write p h[0..1]';
    const w = one(t, 'write');
    assert.deepEqual(w.pages, {
      kind: 'named', target: { name: 'h', range: R(t, 'h') },
      first: { value: 0, text: '0', range: R(t, '0') }, last: { value: 1, text: '1', range: R(t, '1') },
      range: R(t, 'h[0..1]'),
    });
    const r = one('read a m[40]', 'read');
    assert.equal(r.pages.kind, 'named');
    if (r.pages.kind === 'named') {
      assert.equal(r.pages.first.value, 40);
      assert.equal(r.pages.last, undefined);
    }
    const x = 'read a 0x7f0000001234';
    const ra = one(x, 'read');
    assert.deepEqual(ra.pages, { kind: 'addr', addr: { value: 0x7f0000001234, text: '0x7f0000001234', range: R(x, '0x7f0000001234') }, range: R(x, '0x7f0000001234') });
  });

  it('mkclean OBJ[I], wrprotect OBJ[I..J], unmap_range OBJ[I..J]', () => {
    const m = one('mkclean f[0]', 'mkclean');
    assert.equal(m.page.kind, 'named');
    assert.deepEqual(m.page.range, R('mkclean f[0]', 'f[0]'));
    const w = one('wrprotect regs[1..3]', 'wrprotect');
    assert.deepEqual(w.kwRange, R('wrprotect regs[1..3]', 'wrprotect'));
    assert.deepEqual(w.pages.range, R('wrprotect regs[1..3]', 'regs[1..3]'));
    const u = one('unmap_range f[0..3]', 'unmap_range');
    assert.equal(u.pages.kind === 'named' && u.pages.last?.value, 3);
  });

  it('pfn_mkclean OBJ[I..J] PROC LABEL', () => {
    const t = 'pfn_mkclean f[1] a m';
    const s = one(t, 'pfn_mkclean');
    assert.deepEqual(s.proc, { name: 'a', range: R(t, 'a', 0) });
    assert.deepEqual(s.label, { name: 'm', range: R(t, 'm') });
    assert.deepEqual(s.pages.range, R(t, 'f[1]'));
  });

  it('writeback OBJ, OBJ[I] and OBJ[I..J]', () => {
    const a = one('writeback data', 'writeback');
    assert.equal(a.first, undefined);
    assert.equal(a.last, undefined);
    const b = one('writeback data[2]', 'writeback');
    assert.equal(b.first?.value, 2);
    assert.equal(b.last, undefined);
    const t = 'writeback data[0..3]';
    const c = one(t, 'writeback');
    assert.deepEqual(c.last, { value: 3, text: '3', range: R(t, '3') });
    assert.deepEqual(c.range, R(t, t));
  });

  it('msync PROC LABEL, flush OBJ, clear_refs PROC softdirty, wait D', () => {
    const m = one('msync a m', 'msync');
    assert.equal(m.label.name, 'm');
    assert.equal(one('flush fb', 'flush').obj.name, 'fb');
    const c = one('clear_refs p softdirty', 'clear_refs');
    assert.deepEqual(c.mode, { name: 'softdirty', range: R('clear_refs p softdirty', 'softdirty') });
    const w = one('wait 49ms', 'wait');
    assert.deepEqual(w.duration, { ms: 49, range: R('wait 49ms', '49ms') });
    assert.equal(one('wait 2s', 'wait').duration.ms, 2000);
  });
});

describe('language/parser: every expectation of the spec parses with exact ranges', () => {
  it('expect pte with every flag, negation and the maps/pfn forms; kwRange covers "expect pte"', () => {
    const t = 'expect pte a m[0..3] present !write dirty !young softdirty special none maps f[2] !maps anon maps zero pfn 0x42';
    const s = one(t, 'expect_pte');
    assert.deepEqual(s.kwRange, R(t, 'expect pte'));
    assert.deepEqual(s.range, R(t, t));
    assert.equal(s.proc.name, 'a');
    assert.deepEqual(s.pages.range, R(t, 'm[0..3]'));
    const f = s.flags;
    assert.deepEqual(f.map(x => `${x.negated ? '!' : ''}${x.kind}`),
      ['present', '!write', 'dirty', '!young', 'softdirty', 'special', 'none', 'maps', '!maps', 'maps', 'pfn']);
    assert.deepEqual(f[1].range, R(t, '!write'));
    const fAt = R(t, 'f[2]').start.character;
    const C = (a: number, b: number) => ({ start: { line: 0, character: a }, end: { line: 0, character: b } });
    assert.deepEqual(f[7], {
      kind: 'maps', negated: false,
      target: { obj: { name: 'f', range: C(fAt, fAt + 1) }, index: { value: 2, text: '2', range: C(fAt + 2, fAt + 3) } },
      range: R(t, 'maps f[2]'),
    });
    assert.deepEqual(f[8], { kind: 'maps', negated: true, target: 'anon', range: R(t, '!maps anon') });
    assert.deepEqual(f[9], { kind: 'maps', negated: false, target: 'zero', range: R(t, 'maps zero') });
    assert.deepEqual(f[10], { kind: 'pfn', negated: false, pfn: { value: 0x42, text: '0x42', range: R(t, '0x42') }, range: R(t, 'pfn 0x42') });
  });

  it('expect folio with dirty, writeback, cached, mapcount, mapping OBJ/none, index', () => {
    const t = 'expect folio fb[3] dirty !writeback cached mapcount 3 mapping fb !mapping none index 3';
    const s = one(t, 'expect_folio');
    assert.deepEqual(s.kwRange, R(t, 'expect folio'));
    assert.deepEqual(s.page.range, R(t, 'fb[3]'));
    assert.deepEqual(s.flags.map(x => `${x.negated ? '!' : ''}${x.kind}`),
      ['dirty', '!writeback', 'cached', 'mapcount', 'mapping', '!mapping', 'index']);
    const mc = s.flags[3];
    assert.ok(mc.kind === 'mapcount' && mc.value.value === 3);
    assert.deepEqual(mc.range, R(t, 'mapcount 3'));
    const mp = s.flags[4];
    assert.ok(mp.kind === 'mapping' && mp.obj?.name === 'fb');
    assert.deepEqual(mp.range, R(t, 'mapping fb'));
    const mn = s.flags[5];
    assert.ok(mn.kind === 'mapping' && mn.obj === null);
    assert.deepEqual(mn.range, R(t, '!mapping none'));
  });

  it('expect result N', () => {
    const s = one('expect result 2', 'expect_result');
    assert.equal(s.value.value, 2);
    assert.deepEqual(s.kwRange, R('expect result 2', 'expect result'));
  });

  it('expect walk PROC:LABEL, ~PROC:LABEL with entry ranges; expect walk none is empty', () => {
    const t = 'expect walk a:m, b:m, ~c:m';
    const s = one(t, 'expect_walk');
    assert.deepEqual(s.entries.map(e => [e.proc.name, e.label.name, e.skipped]), [['a', 'm', false], ['b', 'm', false], ['c', 'm', true]]);
    assert.deepEqual(s.entries[0].range, R(t, 'a:m'));
    assert.deepEqual(s.entries[2].range, R(t, '~c:m'));
    assert.deepEqual(s.entries[2].proc.range, R(t, 'c'));
    assert.deepEqual(one('expect walk none', 'expect_walk').entries, []);
  });

  it('expect faults PROC N and expect signal PROC SIGSEGV|SIGBUS|none', () => {
    assert.equal(one('expect faults xorg 2', 'expect_faults').value.value, 2);
    const t = 'expect signal p SIGBUS';
    const s = one(t, 'expect_signal');
    assert.equal(s.signal, 'SIGBUS');
    assert.deepEqual(s.signalRange, R(t, 'SIGBUS'));
    assert.equal(one('expect signal p SIGSEGV', 'expect_signal').signal, 'SIGSEGV');
    assert.equal(one('expect signal p none', 'expect_signal').signal, 'none');
  });

  it('expect defio OBJ pending N, written I, J, ... and written none', () => {
    const p = one('expect defio fb0 pending 2', 'expect_defio_pending');
    assert.equal(p.value.value, 2);
    assert.deepEqual(p.kwRange, R('expect defio fb0 pending 2', 'expect defio'));
    const t = 'expect defio fb0 written 2, 0';
    const w = one(t, 'expect_defio_written');
    assert.deepEqual(w.indexes.map(n => n.value), [2, 0]);
    assert.deepEqual(w.indexes[1].range, R(t, '0'));
    assert.deepEqual(one('expect defio fb0 written none', 'expect_defio_written').indexes, []);
  });

  it('expect oops', () => {
    const s = one('expect oops', 'expect_oops');
    assert.deepEqual(s.range, R('expect oops', 'expect oops'));
  });
});

describe('language/parser: lines, comments and layout', () => {
  it('a statement range excludes the trailing comment; comments are kept with their # and range', () => {
    const t = '  write xorg fb[1]    # fb0 page 2';
    const { scenario } = parse(t);
    assert.deepEqual(scenario.statements[0].range, R(t, 'write xorg fb[1]'));
    assert.deepEqual(scenario.comments, [{ text: '# fb0 page 2', range: R(t, '# fb0 page 2') }]);
  });

  it('CRLF, lone CR and LF all end lines; lineCount counts the last (possibly empty) line', () => {
    const { scenario, diagnostics } = parse('process a\r\nprocess b\rprocess c\n');
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(scenario.statements.map(s => s.range.start.line), [0, 1, 2]);
    assert.equal(scenario.lineCount, 4);
    const crlf = parse('process a\r\n').scenario.statements[0];
    assert.equal(crlf.range.end.character, 9, 'the \\r is not part of the line');
  });

  it('tabs are whitespace and count as one column', () => {
    const t = '\tmmap\ta\tanon at 0x1000 pages 1 private rw';
    const s = one(t, 'mmap');
    assert.deepEqual(s.kwRange, R(t, 'mmap'));
    assert.equal(s.kwRange.start.character, 1);
  });

  it('an empty file, blank lines and comment-only lines give no statements and no diagnostics', () => {
    for (const t of ['', '\n\n', '   \t ', '# only a comment', '\r\n# x\r\n\r\n']) {
      const { scenario, diagnostics } = parse(t);
      assert.deepEqual(diagnostics, [], JSON.stringify(t));
      assert.equal(scenario.statements.length, 0);
    }
    assert.equal(parse('').scenario.lineCount, 1);
  });

  it('statements keep their source order and line numbers', () => {
    const { scenario } = parse(lines('process a', '', '# c', 'process b'));
    assert.deepEqual(scenario.statements.map(s => [s.kind, s.range.start.line]), [['process', 0], ['process', 3]]);
  });
});

describe('language/parser: syntax errors (one per bad line, at the offending token)', () => {
  it('an unknown statement names the word and lists the statements', () => {
    const d = parseError('frobnicate a');
    assert.equal(d.code, 'MMS110');
    assert.deepEqual(d.range, R('frobnicate a', 'frobnicate'));
    assert.match(d.message, /^unknown statement 'frobnicate' \(expected one of: kernel, sysctl, file, shmem, fbdev, pfnmap, process, fork, exit, mmap, munmap/);
  });

  it('a misspelt or upper-case statement keyword gets a "did you mean" hint', () => {
    assert.match(parseError('mmapp a anon at 0x1000 pages 1 private rw').message, /did you mean 'mmap'\?/);
    assert.match(parseError('PROCESS a').message, /keywords are lower-case: did you mean 'process'\?/);
  });

  it('an unknown PTE flag lists the PTE flags', () => {
    const t = 'expect pte a m[0] shiny';
    const d = parseError(t);
    assert.equal(d.code, 'MMS114');
    assert.deepEqual(d.range, R(t, 'shiny'));
    assert.equal(d.message, `unknown PTE flag 'shiny' (expected none, present, write, dirty, young, softdirty, special, huge, maps, pfn, swap, migration, same)`);
  });

  it('a folio flag used on a PTE (and vice versa) says where it belongs', () => {
    assert.match(parseError('expect pte a m[0] cached').message, /'cached' is a folio flag/);
    assert.match(parseError('expect folio f[0] young').message, /unknown folio flag 'young'.*'young' is a PTE flag/);
  });

  it('an unknown expectation lists the expectations', () => {
    const d = parseError('expect ptes a m[0] present');
    assert.equal(d.code, 'MMS111');
    assert.match(d.message, /unknown expectation 'ptes' \(did you mean 'pte'\? expected one of: pte, folio, result, walk, faults, signal, defio, oops, vma, vmas, i_mmap, error, pipe, pin\)/);
  });

  it('a missing clause is reported where it is expected, naming what was found', () => {
    const t = 'mmap a f 0x1000 pages 1 shared rw';
    const d = parseError(t);
    assert.equal(d.code, 'MMS112');
    assert.deepEqual(d.range, R(t, '0x1000'));
    assert.match(d.message, /^mmap: expected 'at'/);
  });

  it('a line that ends early is reported at its end with a zero-width range', () => {
    const t = 'mmap a f at 0x1000';
    const d = parseError(t);
    assert.deepEqual(d.range, { start: { line: 0, character: t.length }, end: { line: 0, character: t.length } });
    assert.match(d.message, /expected 'pages' after the address, but the line ends here/);
  });

  it('extra tokens after a complete statement are an error', () => {
    const t = 'process a b';
    const d = parseError(t);
    assert.equal(d.code, 'MMS113');
    assert.deepEqual(d.range, R(t, 'b'));
  });

  it('w is a protection (PROT_WRITE alone)', () => {
    const m = one('mmap a anon at 0x1000 pages 1 private w as m', 'mmap');
    assert.equal(m.prot, 'w');
  });

  it('a protection other than r, rw, w, none is refused', () => {
    assert.match(parseError('mmap a anon at 0x1000 pages 1 private rwx').message, /protection 'rwx' is not modelled/);
  });

  it('a duration needs a unit; a number needs no unit', () => {
    assert.match(parseError('wait 50').message, /without a unit \(write 50ms or 50s\)/);
    assert.match(parseError('file f pages 4ms').message, /expected the number of pages, found the duration '4ms'/);
  });

  it('a repeated fbdev option is an error', () => {
    const d = parseError('fbdev fb pages 1 sorted sorted');
    assert.equal(d.code, 'MMS117');
  });

  it('kernel version must be MAJOR.MINOR or MAJOR.MINOR.PATCH, at the version token', () => {
    for (const t of ['kernel 6', 'kernel 6.1.2.3']) {
      const d = parseError(t);
      assert.equal(d.code, 'MMS116');
      assert.deepEqual(d.range, R(t, t.slice(7)));
      assert.match(d.message, /MAJOR\.MINOR .*or MAJOR\.MINOR\.PATCH/);
    }
  });

  it('a version part with a leading zero (kernel 6.01) is refused at that part, not read as 6.1', () => {
    const d = parseError('kernel 6.01');
    assert.equal(d.code, 'MMS116');
    assert.deepEqual(d.range, R('kernel 6.01', '01'));
    assert.match(d.message, /'01' in '6\.01' has a leading zero/);
    assert.deepEqual(parseError('kernel 6.1.0192').range, R('kernel 6.1.0192', '0192'));
  });

  it('kernel after another statement, or twice, is an error and is dropped from the AST', () => {
    const a = parse(lines('process a', 'kernel 6.14'));
    assert.deepEqual(a.diagnostics.map(d => [d.code, d.range.start.line]), [['MMS118', 1]]);
    assert.deepEqual(a.scenario.statements.map(s => s.kind), ['process']);
    const b = parse(lines('kernel 6.14', 'kernel 6.15'));
    assert.deepEqual(b.diagnostics.map(d => [d.code, d.range.start.line]), [['MMS119', 1]]);
    assert.equal(b.diagnostics[0].related?.[0].message, 'first kernel statement');
    assert.equal(b.scenario.statements.length, 1);
  });

  it('a comment-only or blank first line does not make kernel misplaced', () => {
    const a = parse(lines('# header', '', 'kernel 6.14', 'process a'));
    assert.deepEqual(a.diagnostics, []);
  });

  it('every bad line is reported, and good lines around them still parse', () => {
    const { scenario, diagnostics } = parse(lines('process a', 'bogus', 'process b', 'mmap', 'process c', 'expect pte a m[0]'));
    assert.deepEqual(diagnostics.map(d => d.range.start.line), [1, 3, 5]);
    assert.deepEqual(scenario.statements.map(s => s.range.start.line), [0, 2, 4]);
  });

  it('a declaration that fails to parse still records its name for the checker (RecoveredDecl)', () => {
    const { scenario } = parse(lines('process a', 'file f pages 4 hot', 'mmap a f at 0x1000 pages 99999999999999999999 shared rw as m', 'process b c', 'fork a as'));
    assert.deepEqual(scenario.recovered?.map(r => [r.kind, r.name.name, r.proc?.name ?? r.objKind]),
      [['object', 'f', 'file'], ['label', 'm', 'a'], ['process', 'b', undefined]]);
  });
});
