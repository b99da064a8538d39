// Long-term R/O pins as the engine models them (pin.ts pin_longterm_ro: gup_test's
// PIN_LONGTERM_TEST_START → pin_user_pages[_fast](FOLL_LONGTERM) without FOLL_WRITE), and
// GUP's unsharing that makes them reliable (gup_must_unshare → FAULT_FLAG_UNSHARE in
// memory.ts do_wp_page / wp_page_copy and hugeMemory.ts do_huge_pmd_wp_page). One rule per
// test, named for the kernel function; what cow.c's R/O pin tests assert is in
// test/selftests/cow-ropin-*.mms.

import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { PG_anon_exclusive, ZERO_PFN } from '../../../src/engine/memmap';
import type { PinnedBuffer } from '../../../src/engine/pin';
import { BASE, allEvents, faultCount, pte, run, task } from './helpers';

const anon = (pages: number, extra = '') => `${extra}process a\nmmap a anon at ${BASE} pages ${pages} private rw as h\n`;
const bufOf = (r: ReturnType<typeof run>, name: string) => r.engine.pageHolders.get(name) as PinnedBuffer;
const pfnAt = (r: ReturnType<typeof run>, proc: string, i: number) => task(r, proc).mm.ptePfn(BASE + i * 4096);
/** the kernel functions called, fault handlers included (a fault's path) */
const calls = (r: ReturnType<typeof run>) => allEvents(r).flatMap((e) => (e.t === 'call' ? [e.fn] : e.t === 'fault' ? e.path : []));
const V61 = { kernelOverride: '6.1.192' }, V612 = { kernelOverride: '6.12.118' };

describe('pin readonly: long-term R/O pins and FAULT_FLAG_UNSHARE (mm/gup.c, mm/memory.c)', () => {
  for (const v of [V61, V612]) {
    it(`${v.kernelOverride}: a page shared with a child is unshared by a copy mapped read-only (wp_page_copy), which the pin holds and the write then reuses`, () => {
      const r = run(anon(1) + 'write a h[0]\nfork a as c\npin a h as b readonly\nexpect pte a h[0] present !write !dirty !same c h[0]\nexpect faults a 2', v);
      const pinned = bufOf(r, 'b').pfns[0];
      assert.equal(pinned, pfnAt(r, 'a', 0));
      assert.notEqual(pinned, pfnAt(r, 'c', 0));
      assert.ok(r.engine.memmap.test(pinned, PG_anon_exclusive));
      assert.equal(bufOf(r, 'b').changed, false);
      const w = run(anon(1) + 'write a h[0]\nfork a as c\npin a h as b readonly\nwrite a h[0]\nexpect pin b changed\nexpect pte a h[0] present write dirty', v);
      assert.equal(pfnAt(w, 'a', 0), bufOf(w, 'b').pfns[0], 'wp_page_reuse: the write reuses the exclusive pinned page');
    });
  }

  it('previously shared (the child exited): unsharing only marks the page exclusive; it stays mapped read-only, the same page', () => {
    const r = run(anon(1) + 'write a h[0]\nfork a as c\nexit c\nread a h[0]\npin a h as b readonly\nexpect pte a h[0] present !write');
    const before = run(anon(1) + 'write a h[0]\nfork a as c\nexit c\nread a h[0]');
    assert.equal(pfnAt(r, 'a', 0), pfnAt(before, 'a', 0), 'reused, not copied');
    assert.ok(calls(r).includes('do_wp_page'));
    assert.ok(r.engine.memmap.test(pfnAt(r, 'a', 0), PG_anon_exclusive));
  });

  it('an exclusive page mapped read-only needs no unsharing: no fault, pinned as it is (gup_must_unshare is false)', () => {
    const r = run(anon(1) + 'write a h[0]\nmprotect a h r\nclear_refs a softdirty\nmprotect a h rw\npin a h as b readonly\nexpect faults a 1\nexpect pte a h[0] present !write');
    assert.ok(!calls(r).includes('do_wp_page'));
    assert.equal(bufOf(r, 'b').pfns[0], pfnAt(r, 'a', 0));
  });

  it('a PMD-mapped THP shared with a child: do_huge_pmd_wp_page splits the PMD, then each page is copied read-only', () => {
    const r = run(anon(512, 'sysctl thp enabled always\n') + 'write a h[0]\nfork a as c\npin a h[0..1] as b readonly\nexpect pte a h[0..1] present !write !same c h[0]\nexpect pte a h[2] present !huge');
    assert.ok(calls(r).includes('__split_huge_pmd'));
    assert.deepEqual(bufOf(r, 'b').pfns, [pfnAt(r, 'a', 0), pfnAt(r, 'a', 1)]);
  });

  it('a PMD-mapped THP previously shared: the folio is made exclusive in place, the PMD stays read-only and huge', () => {
    const r = run(anon(512, 'sysctl thp enabled always\n') + 'write a h[0]\nfork a as c\nexit c\npin a h as b readonly\nexpect pte a h[0] present huge !write');
    const head = pfnAt(r, 'a', 0);
    assert.ok(r.engine.memmap.test(head, PG_anon_exclusive));
    assert.equal(r.engine.memmap.pincount.get(head), 512, 'one _pincount per pinned page');
    const w = run(anon(512, 'sysctl thp enabled always\n') + 'write a h[0]\nfork a as c\nexit c\npin a h as b readonly\nwrite a h[0..511]\nexpect pin b changed\nexpect pte a h[0] present huge write');
    assert.equal(pfnAt(w, 'a', 0), head);
  });

  describe('not anonymous: unshared from 6.2 (versions.ts ro-longterm-pin-unshares-cow-mappings)', () => {
    const zero = anon(1) + 'read a h[0]\npin a h as b readonly\n';
    it('6.1.192: the shared zero page is pinned as it is; the write that follows goes to a new page, so the pin does not see it', () => {
      const r = run(zero + 'expect pte a h[0] maps zero\nwrite a h[0]\nexpect pin b unchanged', V61);
      assert.equal(bufOf(r, 'b').pfns[0], ZERO_PFN);
    });
    it('6.12.118: the zero page is replaced by a zeroed anonymous page mapped read-only first, and the write reuses it', () => {
      const r = run(zero + 'expect pte a h[0] present !write maps anon\nwrite a h[0]\nexpect pin b changed', V612);
      assert.notEqual(bufOf(r, 'b').pfns[0], ZERO_PFN);
    });
    it('a page-cache page of a private file mapping: pinned as it is at 6.1, copied into an anonymous page at 6.12; a shared mapping never unshares', () => {
      const file = 'shmem f pages 1\nprocess a\nmmap a f at 0x7f0000000000 pages 1 private rw as m\nmmap a f at 0x7f0000100000 pages 1 shared r as s\nread a m[0]\npin a m as b readonly\n';
      run(file + 'expect pte a m[0] maps f[0]\nwrite a m[0]\nexpect pin b unchanged', V61);
      run(file + 'expect pte a m[0] present !write maps anon\nwrite a m[0]\nexpect pin b changed', V612);
      // a shared read-only mapping: its PTE is read-only (a shared writable shmem mapping maps
      // writable at once: no write notify), but it is no COW mapping (is_cow_mapping)
      const shared = run('shmem f pages 1\nprocess a\nmmap a f at 0x7f0000000000 pages 1 shared r as m\nread a m[0]\nexpect pte a m[0] !write\npin a m as b readonly\nexpect pte a m[0] maps f[0]\nexpect faults a 1', V612);
      assert.ok(!calls(shared).includes('do_wp_page'));
      assert.equal(bufOf(shared, 'b').pfns[0], shared.engine.pfnOf(shared.objects.get('f')!, 0));
    });
  });

  it('fast: exclusive pages, even mapped read-only, are all taken lockless; the slow path is not entered', () => {
    const r = run(anon(3) + 'write a h[0..2]\nmprotect a h r\nclear_refs a softdirty\nmprotect a h rw\npin a h as b readonly fast\nexpect faults a 3');
    assert.ok(calls(r).includes('gup_fast: 3 of 3 pages pinned lockless'), calls(r).join(', '));
    assert.ok(!calls(r).includes('pin_user_pages'));
    assert.deepEqual(bufOf(r, 'b').pfns, [0, 1, 2].map((i) => pfnAt(r, 'a', i)));
    assert.ok(task(r, 'a').mm.hasPinned, 'MMF_HAS_PINNED');
  });

  it('fast: a missing PTE, a swap entry and the zero page (special) end the lockless walk; the slow path faults them in', () => {
    for (const [setup, what] of [['', 'none'], ['write a h[0]\nmadvise a h[0] pageout\n', 'swap'], ['read a h[0]\n', 'zero page']] as const) {
      const r = run(anon(1, 'sysctl swap pages 16\n') + setup + 'pin a h as b readonly fast\nexpect pte a h[0] present maps anon', V612);
      assert.ok(calls(r).includes('gup_fast: 0 of 1 page pinned lockless; the rest through the slow path'), `${what}: ${calls(r).join(', ')}`);
      assert.ok(calls(r).includes('pin_user_pages'), what);
    }
  });

  it('fast, the huge zero page: 6.1 takes it lockless (gup_fast_pmd_leaf has no special test), 6.12 falls back and unshares', () => {
    const text = anon(1024, 'sysctl thp enabled always\n') + 'madvise a h[512..1023] hugepage\nread a h[512]\nexpect pte a h[513] present huge maps zero\npin a h[512..513] as b readonly fast\n';
    const r61 = run(text + 'expect pte a h[512] huge maps zero', V61);
    assert.ok(calls(r61).includes('gup_fast: 2 of 2 pages pinned lockless'), calls(r61).join(', '));
    const r612 = run(text + 'expect pte a h[512..513] present !huge !write maps anon', V612);
    assert.ok(calls(r612).includes('gup_fast: 0 of 2 pages pinned lockless; the rest through the slow path'), calls(r612).join(', '));
  });

  it('fast: pin_user_pages_fast() takes what needs no fault lockless and the rest through the slow path, with the same result', () => {
    const text = anon(3) + 'write a h[0..2]\nmprotect a h r\nclear_refs a softdirty\nmprotect a h rw\nfork a as c\nexit c\nwrite a h[0]\n';
    // page 0 is exclusive again (reused on the write), pages 1 and 2 must unshare
    const fast = run(text + 'pin a h as b readonly fast');
    const slow = run(text + 'pin a h as b readonly');
    assert.ok(calls(fast).some((f) => /^gup_fast: 1 of 3 pages pinned lockless/.test(f)));
    assert.deepEqual(bufOf(fast, 'b').pfns, bufOf(slow, 'b').pfns);
    assert.equal(faultCount(fast, 'a'), faultCount(slow, 'a'));
  });

  it('check_vma_flags: a VM_PFNMAP mapping is EFAULT (R/O pin and io_uring alike)', () => {
    for (const ro of [' readonly', '']) {
      const r = runText(`pfnmap d pages 2\nprocess a\nmmap a d at ${BASE} pages 2 shared rw as m\nwrite a m[0]\npin a m as b${ro}\nexpect error EFAULT`);
      assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), [], ro);
      assert.equal(bufOf(r, 'b').errno, 'EFAULT');
    }
  });

  it('check_vma_flags without FOLL_WRITE: no VM_READ, a hole or VM_PFNMAP is EFAULT, and the pages pinned so far are unpinned', () => {
    const r = runText(anon(2) + 'write a h[0..1]\nmprotect a h[1] none\npin a h as b readonly\nexpect error EFAULT');
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), []);
    assert.ok(bufOf(r, 'b').released);
    assert.equal(r.engine.memmap.refcount[pfnAt(r, 'a', 0)], 1);
    const ro = run(anon(1) + 'write a h[0]\nmprotect a h r\npin a h as b readonly\nexpect result 0');
    assert.equal(bufOf(ro, 'b').released, false, 'a read-only mapping may be pinned read-only');
  });

  it('the pins go when the last holder exits (pin_longterm_test_stop at the file\'s release)', () => {
    const r = run(anon(1) + 'write a h[0]\npin a h as b readonly\nexit a');
    assert.ok(bufOf(r, 'b').released);
    assert.ok(calls(r).includes('unpin_user_pages'));
  });
});
