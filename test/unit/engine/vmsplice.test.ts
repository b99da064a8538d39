// fs/splice.c vmsplice_to_pipe() and fs/pipe.c as the engine models them (vmsplice.ts,
// pipe.ts): one rule per test, named for the kernel function.

import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { BASE, pte, run, task } from './helpers';

const anon = (pages: number, extra = '') => `${extra}process a\nmmap a anon at ${BASE} pages ${pages} private rw as h\n`;
const pipeOf = (r: ReturnType<typeof run>, name: string) => r.engine.pageHolders.get(name)!;
const refcountAt = (r: ReturnType<typeof run>, proc: string, i: number) => {
  const mm = r.engine.memmap;
  return mm.refcount[mm.head(task(r, proc).mm.ptePfn(BASE + i * 4096))];
};

describe('vmsplice (fs/splice.c) and pipe references (fs/pipe.c)', () => {
  it('iter_to_pipe takes one reference per page on the folio, and returns the bytes spliced', () => {
    const r = run(anon(2) + 'write a h[0..1]\nvmsplice a h as p\nexpect result 8192');
    assert.deepEqual(pipeOf(r, 'p').pfns, [task(r, 'a').mm.ptePfn(BASE), task(r, 'a').mm.ptePfn(BASE + 4096)]);
    assert.equal(refcountAt(r, 'a', 0), 2, 'the mapping and the pipe buffer');
  });

  it('a new pipe has PIPE_DEF_BUFFERS (16) buffers: vmsplice of 20 pages splices 16', () => {
    const r = run(anon(20) + 'write a h[0..19]\nvmsplice a h as p\nexpect result 65536');
    assert.equal(pipeOf(r, 'p').pfns.length, 16);
    assert.equal(refcountAt(r, 'a', 16), 1, 'page 16 was not taken');
  });

  it('iter_to_pipe loops while the range has bytes: the batch after a full pipe is faulted in, refused (-EAGAIN) and put', () => {
    const r = run(anon(40) + 'vmsplice a h as p\nexpect result 65536\nexpect pte a h[0..31] present maps zero\nexpect pte a h[32..39] none\nexpect faults a 32');
    assert.equal(pipeOf(r, 'p').pfns.length, 16);
    const r2 = run(anon(40) + 'write a h[0..39]\nvmsplice a h as p');
    assert.equal(refcountAt(r2, 'a', 20), 1, 'the second batch\'s references were put again');
    assert.equal(refcountAt(r2, 'a', 15), 2);
  });

  it('the read GUP faults in what is not mapped: the zero page for untouched anonymous memory', () => {
    const r = run(anon(1) + 'vmsplice a h as p\nexpect pte a h[0] present !write maps zero\nexpect faults a 1');
    assert.equal(pipeOf(r, 'p').pfns[0], task(r, 'a').mm.ptePfn(BASE));
  });

  it('check_vma_flags: no VM_READ, VM_PFNMAP or a hole is EFAULT when it is the first page', () => {
    for (const [src, why] of [
      [`process a\nmmap a anon at ${BASE} pages 1 private w as h\nvmsplice a h as p`, 'write-only'],
      [`process a\nmmap a anon at ${BASE} pages 1 private none as h\nvmsplice a h as p`, 'PROT_NONE'],
      [`pfnmap d pages 1\nprocess a\nmmap a d at ${BASE} pages 1 shared rw as h\nread a h[0]\nvmsplice a h as p`, 'VM_PFNMAP'],
    ]) {
      const r = runText(src);
      assert.ok(r.diagnostics.some((d) => d.code === 'MMS511' && /EFAULT/.test(d.message)), `${why}: ${JSON.stringify(r.diagnostics.map((d) => d.message))}`);
    }
    const ok = runText(`process a\nmmap a anon at ${BASE} pages 1 private rw as h\nvmsplice a h as p\nexpect error EFAULT`);
    assert.ok(ok.diagnostics.some((d) => d.code === 'MMS701'), 'a splice that worked does not satisfy expect error');
  });

  it('a partial splice stops at the first page it cannot take and returns what it took', () => {
    const r = run(`process a\nmmap a anon at ${BASE} pages 2 private rw as h\nmmap a anon at ${BASE + 0x2000} pages 1 private none as n\n`
      + `vmsplice a ${BASE} pages 3 as p\nexpect result 8192`);
    assert.equal(pipeOf(r, 'p').pfns.length, 2);
  });

  it('wp_can_reuse_anon_folio: the pipe reference keeps a COW fault from reusing the page (no leak into the pipe)', () => {
    const r = run(anon(1) + 'write a h[0]\nfork a as c\nvmsplice c h as p\nmadvise c h dontneed\nwrite a h[0]\nexpect pipe p unchanged');
    assert.notEqual(task(r, 'a').mm.ptePfn(BASE), pipeOf(r, 'p').pfns[0], 'the parent got a copy');
  });

  it('an exclusive anonymous page is reused whatever its references (PageAnonExclusive): the pipe sees the write', () => {
    const r = run(anon(1) + 'write a h[0]\nvmsplice a h as p\nwrite a h[0]\nexpect pipe p changed');
    assert.equal(task(r, 'a').mm.ptePfn(BASE), pipeOf(r, 'p').pfns[0]);
  });

  it('do_huge_pmd_wp_page: a PMD-mapped THP with pipe references is not reused after fork', () => {
    const r = run(`kernel 6.12\nsysctl thp enabled always\n${anon(512)}write a h[0]\nfork a as c\nvmsplice c h as p\nmadvise c h dontneed\nwrite a h[0]\nexpect pipe p unchanged\nexpect pte a h[0] !huge`);
    assert.equal(pipeOf(r, 'p').pfns.length, 16);
  });

  it('pipe_release: the last holder to exit drops the references; a child forked after the splice holds it too', () => {
    const r = run(anon(1) + 'write a h[0]\nvmsplice a h as p\nfork a as c\nmadvise a h dontneed\nexit a\nexpect pipe p unchanged');
    const pfn = pipeOf(r, 'p').pfns[0];
    assert.equal(r.engine.memmap.refcount[pfn], 2, 'the child maps it and the pipe holds it');
    const r2 = runText(anon(1) + 'write a h[0]\nvmsplice a h as p\nexit a\nexpect pipe p unchanged');
    assert.ok(r2.diagnostics.some((d) => d.code === 'MMS701' && /released/.test(d.message)), JSON.stringify(r2.diagnostics.map((d) => d.message)));
    assert.equal(r2.engine.memmap.refcount[pfn], 0, 'the folio is freed');
  });

  it('split, migration, anonymous collapse and pageout of a folio a pipe holds are refused as not modelled', () => {
    for (const op of ['split a h[0]', 'migrate a h[0]', 'madvise a h pageout', 'madvise a h collapse']) {
      const r = runText(`kernel 6.12\nsysctl thp enabled always\nsysctl swap pages 1024\n${anon(512)}write a h[0]\nvmsplice a h[0] as p\n${op}`);
      assert.ok(r.diagnostics.some((d) => d.code === 'MMS512'), `${op}: ${JSON.stringify(r.diagnostics.map((d) => d.message))}`);
    }
  });

  it('a write through another mapping of the same page (shared file) changes the pipe', () => {
    const r = run('file f pages 1\nprocess a\nprocess b\n'
      + `mmap a f at ${BASE} pages 1 shared rw as m\nmmap b f at ${BASE} pages 1 shared rw as m\nread a m[0]\nvmsplice a m as p\nwrite b m[0]\nexpect pipe p changed`);
    assert.equal(pte(r, 'b', 'm', 0).pfn, pipeOf(r, 'p').pfns[0]);
  });
});
