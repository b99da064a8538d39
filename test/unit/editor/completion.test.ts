import { offeredVersions } from '../../../src/engine/versions';
import { strict as assert } from 'assert';
import { completionsAt } from '../../../src/language/completion';
import { check, parse } from '../../../src/language';

const SRC = [
  'file data pages 4',
  'fbdev fb0 pages 4',
  'process p',
  'process q',
  'mmap p data at 0x7f0000000000 pages 4 shared rw as m',
  'mmap q anon at 0x1000000 pages 2 private rw as heap',
  '',
].join('\n');
const chk = check(parse(SRC).scenario);
const labels = (line: string, at = line.length) => completionsAt(line, at, chk).map((e) => e.label);

describe('completion', () => {
  it('after `kernel`: the versions of engine/versions.ts, each saying which rules change there', () => {
    const l = completionsAt('kernel ', 7);
    assert.deepEqual(l.map((c) => c.label), offeredVersions());
    const at = (v: string) => l.find((c) => c.label === v)!.detail;
    assert.equal(at('6.1.90'), 'kernel stable: fb-defio-mkwrite-pgoff');
    assert.equal(at('6.1.192'), 'kernel stable; the real-kernel oracle boots it');
    assert.match(at('6.15')!, /^kernel mainline: mapping-wrprotect-range, cow-reuse-pte-mapped-thp, maybe-mapped-shared; the default$/);
  });

  it('offers the statement keywords at the start of a line', () => {
    const l = labels('');
    for (const k of ['kernel', 'file', 'mmap', 'write', 'expect', 'wait']) assert.ok(l.includes(k), k);
  });

  it('offers the statement keywords while the first word is being typed', () => {
    assert.ok(labels('mm').includes('mmap'));
  });

  it('offers the expectation kinds after `expect`', () => {
    assert.deepEqual(labels('expect '), ['pte', 'folio', 'result', 'walk', 'faults', 'signal', 'defio', 'oops', 'vma', 'vmas', 'i_mmap', 'error', 'pipe', 'pin']);
  });

  it('offers declared processes where a process goes', () => {
    assert.deepEqual(labels('write '), ['p', 'q']);
    assert.deepEqual(labels('expect pte '), ['p', 'q']);
  });

  it('vmsplice: processes, the process\'s labels, then `as`; expect pipe: the pipes, then unchanged|changed', () => {
    assert.deepEqual(labels('vmsplice '), ['p', 'q']);
    assert.deepEqual(labels('vmsplice q '), ['heap']);
    assert.deepEqual(labels('vmsplice q heap[0..1] '), ['as']);
    assert.deepEqual(labels('vmsplice q heap[0..1] as '), []);
    const c = check(parse(SRC + 'vmsplice q heap as pp\n').scenario);
    assert.deepEqual(completionsAt('expect pipe ', 12, c).map((e) => e.label), ['pp']);
    assert.deepEqual(completionsAt('expect pipe pp ', 15, c).map((e) => e.label), ['unchanged', 'changed']);
  });

  it('pin: processes, the process\'s labels, then `as`, then readonly, then fast; expect pin: the buffers, then unchanged|changed', () => {
    assert.deepEqual(labels('pin '), ['p', 'q']);
    assert.deepEqual(labels('pin q '), ['heap']);
    assert.deepEqual(labels('pin q heap[0..1] '), ['as']);
    assert.deepEqual(labels('pin q heap[0..1] as b '), ['readonly']);
    assert.deepEqual(labels('pin q heap as b readonly '), ['fast']);
    assert.deepEqual(labels('pin q heap as b readonly fast '), []);
    assert.deepEqual(labels('vmsplice q heap as v '), []);
    const c = check(parse(SRC + 'pin q heap as bb\nvmsplice q heap as pp\n').scenario);
    assert.deepEqual(completionsAt('expect pin ', 11, c).map((e) => e.label), ['bb']);
    assert.deepEqual(completionsAt('expect pin bb ', 14, c).map((e) => e.label), ['unchanged', 'changed']);
  });

  it('offers only the labels of the named process after `write PROC`', () => {
    assert.deepEqual(labels('write p '), ['m']);
    assert.deepEqual(labels('read q '), ['heap']);
  });

  it('offers PTE flags and their negations after `expect pte PROC PAGES`', () => {
    const l = labels('expect pte p m[0] ');
    for (const f of ['present', '!present', 'write', '!write', 'dirty', '!dirty', 'special', 'maps', 'pfn']) assert.ok(l.includes(f), f);
    assert.ok(labels('expect pte p m[0] present !').includes('!write'));
  });

  it('offers folio flags after `expect folio OBJ[I]`', () => {
    const l = labels('expect folio data[0] ');
    for (const f of ['dirty', '!dirty', 'writeback', 'cached', 'mapcount', 'mapping', 'index']) assert.ok(l.includes(f), f);
  });

  it('offers objects, anon and zero after `maps`', () => {
    const l = labels('expect pte p m[0] present maps ');
    for (const f of ['data', 'anon', 'zero']) assert.ok(l.includes(f), f);
  });

  it('offers objects and anon after `mmap PROC`, then shared|private, then r|rw|w|none', () => {
    assert.deepEqual(labels('mmap p '), ['data', 'fb0', 'anon']);
    const sp = labels('mmap p data at 0x1000 pages 4 ');
    assert.ok(sp.includes('shared') && sp.includes('private') && sp.includes('offset'));
    assert.deepEqual(labels('mmap p data at 0x1000 pages 4 shared '), ['r', 'rw', 'w', 'none']);
    assert.deepEqual(labels('mmap p data at 0x1000 pages 4 shared rw '), ['as']);
  });

  it('offers the fbdev backings after `backing`', () => {
    assert.deepEqual(labels('fbdev fb1 pages 4 backing '), ['vmalloc', 'contig', 'carveout']);
  });

  it('offers only fbdev objects after `flush` and `expect defio`', () => {
    assert.deepEqual(labels('flush '), ['fb0']);
    assert.deepEqual(labels('expect defio '), ['fb0']);
    assert.deepEqual(labels('expect defio fb0 '), ['pending', 'written']);
  });

  it('offers PROC:LABEL pairs after `expect walk`', () => {
    const l = labels('expect walk ');
    assert.ok(l.includes('p:m') && l.includes('q:heap') && l.includes('none'));
  });

  it('offers nothing inside a comment', () => {
    assert.deepEqual(labels('write p m[0]  # wri'), []);
  });
});
