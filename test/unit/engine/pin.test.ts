// io_uring registered buffers as the engine models them (pin.ts: io_pin_pages →
// pin_user_pages(FOLL_WRITE | FOLL_LONGTERM)), and what a pin changes elsewhere: fork's copy
// of a maybe-pinned page (fork.ts copy_present_page, hugeMemory.ts copy_huge_pmd) and
// clear_refs' pte_is_pinned (clearRefs.ts). One rule per test, named for the kernel function.

import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { GUP_PIN_COUNTING_BIAS, folio_maybe_dma_pinned } from '../../../src/engine/dmaPinned';
import type { PinnedBuffer } from '../../../src/engine/pin';
import { BASE, allEvents, pte, run, task } from './helpers';

const anon = (pages: number, extra = '') => `${extra}process a\nmmap a anon at ${BASE} pages ${pages} private rw as h\n`;
const bufOf = (r: ReturnType<typeof run>, name: string) => r.engine.pageHolders.get(name) as PinnedBuffer;
const headAt = (r: ReturnType<typeof run>, proc: string, i: number) => r.engine.memmap.head(task(r, proc).mm.ptePfn(BASE + i * 4096));

describe('pin: io_uring registered buffers (io_uring/rsrc.c, mm/gup.c FOLL_PIN)', () => {
  it('try_grab_folio(FOLL_PIN): a small folio gains GUP_PIN_COUNTING_BIAS, and is maybe-DMA-pinned', () => {
    const r = run(anon(2) + 'write a h[0..1]\npin a h as b\nexpect result 0');
    const mm = r.engine.memmap, head = headAt(r, 'a', 0);
    assert.equal(mm.refcount[head], 1 + GUP_PIN_COUNTING_BIAS);
    assert.ok(folio_maybe_dma_pinned(r.engine, head));
    assert.deepEqual(bufOf(r, 'b').pfns, [task(r, 'a').mm.ptePfn(BASE), task(r, 'a').mm.ptePfn(BASE + 4096)]);
    assert.ok(task(r, 'a').mm.hasPinned, 'MMF_HAS_PINNED');
  });

  it('a large folio gets one reference and one _pincount per pinned page', () => {
    const r = run(anon(512, 'sysctl thp enabled always\n') + 'write a h[0]\npin a h[0..2] as b');
    const mm = r.engine.memmap, head = headAt(r, 'a', 0);
    assert.equal(mm.pincount.get(head), 3);
    assert.equal(mm.refcount[head], 1 + 3);
  });

  it('FOLL_WRITE: the zero page and a page shared with a child are replaced by write faults first', () => {
    const r = run(anon(2) + 'read a h[0]\nwrite a h[1]\nfork a as c\npin a h as b\nexpect faults a 4\nexpect pte a h[0..1] present write\nexpect pte a h[1] !same c h[1]');
    assert.equal(bufOf(r, 'b').pfns[0], task(r, 'a').mm.ptePfn(BASE));
    assert.equal(pte(r, 'c', 'h', 1).W, false, 'the child keeps the old page, write-protected');
  });

  it('all or nothing: a page without VM_WRITE is EFAULT, and the pages pinned so far are unpinned', () => {
    const r = runText(anon(2) + 'write a h[0..1]\nmprotect a h[1] r\npin a h as b\nexpect error EFAULT');
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), []);
    assert.equal(r.engine.memmap.refcount[headAt(r, 'a', 0)], 1, 'page 0 was pinned, then unpinned');
    assert.ok(bufOf(r, 'b').released);
  });

  it('io_buffer_validate: a buffer over 1 GiB is EFAULT before anything is faulted or pinned', () => {
    const r = runText(anon(262145) + 'pin a h as b\nexpect error EFAULT\nexpect faults a 0\nexpect pte a h[0] none');
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), []);
    assert.equal(task(r, 'a').mm.hasPinned, false);
    assert.ok(bufOf(r, 'b').released, 'nothing stays registered');
    const ok = runText(anon(262144) + 'pin a h[0..262143] as b\nexpect result 0');
    assert.deepEqual(ok.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  });

  it('which file mappings may be pinned (versions.ts longterm-pin-file-check-in-gup)', () => {
    const src = (kind: string, shared: string) => `kernel KV\n${kind} f pages 1\nprocess a\nmmap a f at ${BASE} pages 1 ${shared} rw as m\npin a m as b`;
    const errnoAt = (v: string, kind: string, shared: string) => (runText(src(kind, shared).replace('KV', v)).engine.pageHolders.get('b') as PinnedBuffer).errno ?? 'ok';
    assert.equal(errnoAt('6.4', 'file', 'private'), 'EOPNOTSUPP', '6.4: io_uring refuses a file VMA after pinning');
    assert.equal(errnoAt('6.5', 'file', 'private'), 'ok', '6.5: a private mapping is COW, GUP allows it');
    assert.equal(errnoAt('6.4', 'file', 'shared'), 'EOPNOTSUPP');
    assert.equal(errnoAt('6.5', 'file', 'shared'), 'EFAULT', '6.5: writable_file_mapping_allowed');
    for (const v of ['6.4', '6.5']) assert.equal(errnoAt(v, 'shmem', 'shared'), 'ok', `${v}: shmem may be pinned`);
  });

  it('unpin_user_pages of a large folio: one _pincount and one reference per page go; the folio stays with its mapping', () => {
    const r = run(anon(512, 'sysctl thp enabled always\n') + 'write a h[0]\npin a h[0..2] as b\nfork a as c\nexit a\nexit c');
    const r2 = run(anon(512, 'sysctl thp enabled always\n') + 'write a h[0]\npin a h[0..2] as b\nprocess z\nfork a as c\nexit c');
    assert.ok(bufOf(r, 'b').released);
    const mm = r2.engine.memmap, head = headAt(r2, 'a', 0);
    assert.equal(mm.pincount.get(head), 3, 'still held by a');
    const done = run(anon(512, 'sysctl thp enabled always\n') + 'write a h[0]\npin a h[0..2] as b\nprocess z\nmunmap a h[3..511]');
    const h = headAt(done, 'a', 0);
    const k = done.engine, before = k.memmap.refcount[h];
    bufOf(done, 'b').release(k);
    assert.equal(k.memmap.pincount.get(h), undefined, 'the last _pincount is deleted');
    assert.equal(k.memmap.refcount[h], before - 3, 'one reference per pinned page dropped');
    assert.ok(k.memmap.order[h] > 0, 'not freed: still mapped');
    assert.match(allEvents(done).flatMap((e) => (e.t === 'call' ? [e.fn] : [])).join('\n'), /io_pin_pages: 3 pages pinned \(FOLL_WRITE \| FOLL_LONGTERM\): pfn 0x/);
  });

  it('unpin_user_pages of a small folio takes GUP_PIN_COUNTING_BIAS back; the last reference frees it', () => {
    const r = run(anon(1) + 'write a h[0]\npin a h as b\nmunmap a h');
    const pfn = bufOf(r, 'b').pfns[0];
    assert.equal(r.engine.memmap.refcount[pfn], GUP_PIN_COUNTING_BIAS, 'only the pin holds it now');
    bufOf(r, 'b').release(r.engine);
    assert.equal(r.engine.memmap.refcount[pfn], 0);
    const one = run(anon(1) + 'write a h[0]\npin a h as b');
    assert.match(allEvents(one).flatMap((e) => (e.t === 'call' ? [e.fn] : [])).join('\n'), /io_pin_pages: 1 page pinned/);
  });

  it('6.1-6.4: io_uring refuses the whole buffer if any of its VMAs is a file other than shmem', () => {
    const text = `kernel 6.1\nfile f pages 1\nprocess a\nmmap a anon at ${BASE} pages 1 private rw as h\nmmap a f at 0x7f0000001000 pages 1 private rw as m\nwrite a h[0]\npin a 0x7f0000000000 pages 2 as b`;
    assert.equal((runText(text).engine.pageHolders.get('b') as PinnedBuffer).errno, 'EOPNOTSUPP');
  });

  it('6.5+: a shared mapping the filesystem dirty-tracks is EFAULT: a regular file, a driver with page_mkwrite; shmem is not', () => {
    const errnoOf = (decl: string, obj: string) => (runText(`kernel 6.12\n${decl}\nprocess a\nmmap a ${obj} at ${BASE} pages 1 shared rw as m\npin a m as b`).engine.pageHolders.get('b') as PinnedBuffer).errno ?? 'ok';
    assert.equal(errnoOf('file f pages 1', 'f'), 'EFAULT');
    assert.equal(errnoOf('fbdev fb pages 1', 'fb'), 'EFAULT', 'fb_defio has page_mkwrite: vm_ops_needs_writenotify');
    assert.equal(errnoOf('shmem s pages 1', 's'), 'ok');
    assert.equal(errnoOf('pfnmap d pages 1', 'd'), 'EFAULT', 'VM_PFNMAP');
  });

  it('fork: copy_present_page gives the child its own copy of a pinned exclusive page, the parent stays writable', () => {
    const r = run(anon(1) + 'write a h[0]\npin a h as b\nfork a as c\nexpect pte c h[0] present write dirty !same a h[0]\nwrite a h[0]\nexpect faults a 1\nexpect pin b changed');
    assert.equal(pte(r, 'a', 'h', 0).W, true);
    assert.equal(pte(r, 'c', 'h', 0).A, true, 'mk_pte: young, not pte_mkold');
  });

  it('fork: without a pin (or in an mm without MMF_HAS_PINNED) the page is shared and COW breaks the other way', () => {
    const r = run(anon(1) + 'write a h[0]\nvmsplice a h as p\nfork a as c\nexpect pte c h[0] same a h[0]');
    assert.equal(pte(r, 'a', 'h', 0).W, false);
  });

  it('fork: copy_huge_pmd splits a pinned PMD-mapped THP and the PTEs are copied page by page', () => {
    const r = run(anon(512, 'sysctl thp enabled always\n') + 'write a h[0]\npin a h as b\nfork a as c\nexpect pte a h[0] !huge write\nexpect pte c h[7] present write !same a h[7]');
    const mm = r.engine.memmap;
    assert.equal(mm.order[headAt(r, 'a', 0)], 9, 'the parent keeps the whole folio');
    assert.equal(mm.order[headAt(r, 'c', 7)], 0, 'the child has small copies');
  });

  it('exit: the last holder of the ring unpins (a child forked later holds it too)', () => {
    const r = run(anon(1) + 'write a h[0]\npin a h as b\nfork a as c\nexit a');
    assert.equal(bufOf(r, 'b').released, false, 'the child still holds the ring');
    const r2 = run(anon(1) + 'write a h[0]\nprocess z\npin a h as b\nfork a as c\nexit c\nexit a');
    assert.ok(bufOf(r2, 'b').released);
  });

  it('clear_refs: pte_is_pinned keeps a writable pinned PTE writable and soft-dirty; a R/O one is cleared', () => {
    const r = run(anon(2) + 'write a h[0..1]\npin a h[0] as b\nmprotect a h[1] r\npin a h[1] as d\nexpect error EFAULT\nclear_refs a softdirty\nexpect pte a h[0] write softdirty');
    assert.equal(pte(r, 'a', 'h', 1).SD, false);
  });

  it('expect pin: changed when a write reached a pinned page, unchanged otherwise, with the reason', () => {
    const r = runText(anon(2) + 'write a h[0..1]\npin a h[0] as b\nwrite a h[1]\nexpect pin b changed\nexpect pin b unchanged');
    const msgs = r.diagnostics.filter((d) => d.code === 'MMS701').map((d) => d.message);
    assert.deepEqual(msgs, ['expected buffer b to have changed, but no write reached its 1 pinned page (the pin is not reliable: a write went to another page)']);
    const r2 = runText(anon(1) + 'write a h[0]\nmprotect a h r\npin a h as b\nexpect pin b unchanged');
    assert.deepEqual(r2.diagnostics.filter((d) => d.code === 'MMS701').map((d) => d.message), ['buffer b was not registered (EFAULT)']);
  });
});
