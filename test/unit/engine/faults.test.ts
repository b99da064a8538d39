// Fault paths (kernel-model §3, kernel-findings items 1, 2, 3, 7, 12): one test per rule.

import { strict as assert } from 'assert';
import { ZERO_PFN, PG_dirty, PG_readahead } from '../../../src/engine/memmap';
import { assertPte, faultCount, faultsOf, lineOf, pte, run, task, BASE } from './helpers';

describe('fault paths (mm/memory.c, arch/x86/mm/fault.c)', () => {
  it('do_anonymous_page maps the special zero page read-only on a read fault, no rmap (T14)', () => {
    const r = run(`process p
      mmap p anon at 0x1000000 pages 1 private rw as h
      read p h[0]`);
    assertPte(pte(r, 'p', 'h', 0), { P: true, W: false, A: true, D: false, SD: false, S: true, pfn: ZERO_PFN });
    assert.equal(r.engine.memmap.mapcount[ZERO_PFN], 0, 'the zero page gets no rmap');
    assert.equal(faultCount(r, 'p'), 1);
  });

  it('do_anonymous_page allocates an exclusive anon folio on a write fault: {W1 A1 D1 SD1}, #PF 0x6', () => {
    const text = `process p
      mmap p anon at 0x1000000 pages 1 private rw as h
      write p h[0]`;
    const r = run(text);
    const p = pte(r, 'p', 'h', 0);
    assertPte(p, { P: true, W: true, A: true, D: true, SD: true, S: false });
    assert.ok(r.engine.memmap.folioTestAnon(p.pfn));
    assert.equal(r.engine.memmap.mapcount[p.pfn], 1);
    assert.deepEqual(faultsOf(r, lineOf(text, 'write')).map((f) => f.err), [0x6]);
  });

  it('do_wp_page copies the zero page into a new zeroed anon folio (wp_page_copy, #PF 0x7) (T14)', () => {
    const text = `process p
      mmap p anon at 0x1000000 pages 1 private rw as h
      read p h[0]
      write p h[0]`;
    const r = run(text);
    const p = pte(r, 'p', 'h', 0);
    assertPte(p, { W: true, D: true, SD: true, S: false });
    assert.notEqual(p.pfn, ZERO_PFN);
    const f = faultsOf(r, lineOf(text, 'write'));
    assert.equal(f[0].err, 0x7);
    assert.ok(f[0].path.includes('wp_page_copy'));
    assert.equal(faultCount(r, 'p'), 2);
  });

  it('x86 error codes: user read of a none PTE is 0x4, write to none 0x6, write to a present RO PTE 0x7 (T1/T2)', () => {
    const text = `sysctl fault_around_bytes 4096
      file f pages 4
      process a
      mmap a f at ${BASE} pages 4 shared rw as m
      read a m[0]
      write a m[0]
      write a m[1]`;
    const r = run(text);
    assert.deepEqual(faultsOf(r).map((f) => f.err), [0x4, 0x7, 0x6]);
  });

  it('do_read_fault on a write-notify shared file maps RO clean young; the store takes wp_page_shared + page_mkwrite (T1)', () => {
    const text = `sysctl fault_around_bytes 4096
      file f pages 4
      process a
      mmap a f at ${BASE} pages 4 shared rw as m
      read a m[0]
      write a m[0]
      write a m[0]`;
    const r = run(text);
    const f = faultsOf(r);
    assert.equal(f.length, 2, 'the second store needs no fault');
    assert.ok(f[0].path.includes('do_read_fault'));
    for (const fn of ['do_wp_page', 'wp_page_shared', 'ext4_page_mkwrite', 'finish_mkwrite_fault', 'wp_page_reuse']) {
      assert.ok(f[1].path.includes(fn), `write path has ${fn}: ${f[1].path.join(' > ')}`);
    }
    assertPte(pte(r, 'a', 'm', 0), { W: true, A: true, D: true, SD: true });
    const pfn = r.engine.pfnOf(r.objects.get('f')!, 0);
    assert.ok(r.engine.memmap.test(pfn, PG_dirty), 'F0 PG_dirty');
  });

  it('do_shared_fault: a first store is exactly one fault through ->fault, page_mkwrite, finish_fault (T2)', () => {
    const text = `file f pages 4
      process a
      mmap a f at ${BASE} pages 4 shared rw as m
      write a m[1]`;
    const r = run(text);
    const f = faultsOf(r);
    assert.equal(f.length, 1);
    const path = f[0].path;
    const order = ['do_shared_fault', 'filemap_fault', 'ext4_page_mkwrite', 'finish_fault', 'fault_dirty_shared_page'].map((x) => path.indexOf(x));
    assert.ok(order.every((i, n) => i >= 0 && (n === 0 || i > order[n - 1])), path.join(' > '));
    assertPte(pte(r, 'a', 'm', 1), { W: true, A: true, D: true, SD: true });
  });

  it('do_cow_fault: a store to a private file mapping gets a new anon folio, no page_mkwrite, source not mapped', () => {
    const text = `sysctl fault_around_bytes 4096
      file f pages 2
      process a
      mmap a f at ${BASE} pages 2 private rw as m
      write a m[0]`;
    const r = run(text);
    const p = pte(r, 'a', 'm', 0);
    const f0 = r.engine.pfnOf(r.objects.get('f')!, 0);
    assert.notEqual(p.pfn, f0);
    assert.ok(r.engine.memmap.folioTestAnon(p.pfn));
    assertPte(p, { W: true, D: true, SD: true });
    assert.equal(r.engine.memmap.mapcount[f0], 0, 'page-cache folio never mapped');
    assert.ok(!faultsOf(r)[0].path.includes('ext4_page_mkwrite'));
    assert.ok(faultsOf(r)[0].path.includes('do_cow_fault'));
  });

  it('do_wp_page reuses an exclusive anon folio (wp_page_reuse) and copies a shared one (wp_page_copy) after fork (T13)', () => {
    const r = run(`process p
      mmap p anon at 0x1000000 pages 1 private rw as h
      write p h[0]
      fork p as c
      write c h[0]
      write p h[0]`);
    const pp = pte(r, 'p', 'h', 0), cp = pte(r, 'c', 'h', 0);
    assert.notEqual(pp.pfn, cp.pfn, 'child copied');
    assertPte(pp, { W: true, D: true });
    assertPte(cp, { W: true, D: true, A: true });
    const last = faultsOf(r).slice(-1)[0];
    assert.ok(last.path.includes('wp_page_reuse') && !last.path.includes('wp_page_copy'), last.path.join(' > '));
    assert.equal(r.engine.memmap.mapcount[pp.pfn], 1);
    assert.equal(r.engine.memmap.refcount[pp.pfn], 1);
  });

  it('handle_pte_fault: tmpfs shared mapping has no write-notify — read maps RW clean, the store needs no fault (T17b)', () => {
    const r = run(`shmem s pages 1
      process a
      mmap a s at ${BASE} pages 1 shared rw as m
      read a m[0]
      write a m[0]`);
    assertPte(pte(r, 'a', 'm', 0), { W: true, A: true, D: true, SD: false });
    assert.equal(faultCount(r, 'a'), 1);
  });

  it('set_pte_range installs a read-faulted writable PTE clean up to 6.15 and dirty from 6.16 when the folio is dirty (findings item 3)', () => {
    const body = `shmem s pages 1
      process w
      process a
      mmap w s at ${BASE} pages 1 shared rw as m
      mmap a s at 0x7e0000000000 pages 1 shared rw as m
      write w m[0]
      read a m[0]`;
    // the write marks nothing dirty on tmpfs (hardware D only); dirty the folio via unmap_range's transfer
    const withDirty = body + `\nunmap_range s[0]\nread a m[0]`;
    const r15 = run(`kernel 6.15\n${withDirty}`);
    const pfn = r15.engine.pfnOf(r15.objects.get('s')!, 0);
    assert.ok(r15.engine.memmap.test(pfn, PG_dirty), 'zap moved the PTE dirt into the folio');
    assertPte(pte(r15, 'a', 'm', 0), { W: true, D: false });
    const r16 = run(`kernel 6.16\n${withDirty}`);
    assertPte(pte(r16, 'a', 'm', 0), { W: true, D: true, SD: true });
  });

  it('wp_pfn_shared: a store to a clean special PFNMAP PTE reuses it without struct page (no pfn_mkwrite)', () => {
    const r = run(`pfnmap d pages 2
      process a
      mmap a d at ${BASE} pages 2 shared rw as m
      write a m[0]
      wrprotect d[0]
      write a m[0]`);
    const f = faultsOf(r).slice(-1)[0];
    assert.equal(f.err, 0x7);
    assert.ok(f.path.includes('wp_pfn_shared') && f.path.includes('wp_page_reuse'), f.path.join(' > '));
    assertPte(pte(r, 'a', 'm', 0), { S: true, W: true, D: true, pfn: r.engine.pfnOf(r.objects.get('d')!, 0) });
  });

  it('vmf_insert_pfn installs a special PTE with vm_page_prot (PFNMAP has no write-notify: RW, clean)', () => {
    const r = run(`pfnmap d pages 2
      process a
      mmap a d at ${BASE} pages 2 shared rw as m
      read a m[1]`);
    assertPte(pte(r, 'a', 'm', 1), { P: true, S: true, W: true, D: false, A: true });
    assert.equal(r.engine.memmap.pfnValid(pte(r, 'a', 'm', 1).pfn), false, 'no struct page');
  });

  it('access_error: a store to a read-only VMA is SIGSEGV before handle_mm_fault and is not counted', () => {
    const r = run(`file f pages 1
      process a
      mmap a f at ${BASE} pages 1 shared r as m
      write a m[0]`);
    assert.equal(task(r, 'a').lastSignal, 'SIGSEGV');
    assert.equal(faultCount(r, 'a'), 0);
    const f = faultsOf(r)[0];
    assert.equal(f.err, 0x6);
    assert.ok(!f.path.includes('handle_mm_fault'));
    assert.equal(f.outcome, 'sigsegv');
  });

  it('access_error: any access to a PROT_NONE VMA is SIGSEGV', () => {
    const r = run(`process a
      mmap a anon at 0x1000000 pages 1 private none as m
      read a m[0]`);
    assert.equal(task(r, 'a').lastSignal, 'SIGSEGV');
    assert.equal(faultsOf(r)[0].err, 0x4);
    assert.equal(faultCount(r, 'a'), 0);
  });

  it('access_error: a read of a write-only (PROT_WRITE) VMA is allowed (vma_is_accessible), and maps the zero page read-only', () => {
    const r = run(`process a
      mmap a anon at 0x1000000 pages 1 private w as m
      read a m[0]`);
    assert.equal(task(r, 'a').lastSignal, 'none');
    assert.equal(faultCount(r, 'a'), 1);
    assertPte(pte(r, 'a', 'm', 0), { P: true, W: false });
  });

  it('bad_area: an access to an unmapped address is SIGSEGV, and a later good access resets the signal', () => {
    const r = run(`process a
      mmap a anon at 0x1000000 pages 1 private rw as m
      read a 0x5000000
      expect signal a SIGSEGV
      read a m[0]
      expect signal a none`);
    assert.ok(faultsOf(r)[0].path.includes('bad_area'));
  });

  it('filemap_fault: an access past EOF is SIGBUS and not counted (mm_account_fault skips errors)', () => {
    const r = run(`file f pages 2
      process a
      mmap a f at ${BASE} pages 4 shared rw as m
      read a m[3]`);
    assert.equal(task(r, 'a').lastSignal, 'SIGBUS');
    assert.equal(faultCount(r, 'a'), 0);
    // fault-around ran first and mapped the cached pages below EOF
    assertPte(pte(r, 'a', 'm', 0), { P: true, W: false });
    assertPte(pte(r, 'a', 'm', 1), { P: true });
    assertPte(pte(r, 'a', 'm', 3), { none: true });
  });

  it('do_fault_around maps the aligned 16-page window of cached pages RO young clean, clipped to the VMA and EOF', () => {
    const r = run(`file f pages 40
      process a
      mmap a f at ${BASE} pages 40 private rw as m
      read a m[20]`);
    for (let i = 0; i < 40; i++) {
      const p = pte(r, 'a', 'm', i);
      if (i >= 16 && i < 32) assertPte(p, { P: true, W: false, A: true, D: false }, `page ${i}`);
      else assert.ok(p.none, `page ${i} outside the window`);
    }
    assert.equal(faultCount(r, 'a'), 1);
  });

  it('do_fault_around shifts the window to vm_start when the VMA begins inside the aligned block (findings item 1)', () => {
    // VMA starts at PTE index 5; a fault on VMA page 3 (PTE index 8): from = max(0, 8-3) = 5, to = 5+16-1 = 20
    const r = run(`file f pages 40
      process a
      mmap a f at ${BASE + 5 * 4096} pages 30 shared rw as m
      read a m[3]`);
    for (let i = 0; i < 30; i++) {
      const p = pte(r, 'a', 'm', i);
      if (i < 16) assertPte(p, { P: true, W: false }, `page ${i}`); else assert.ok(p.none, `page ${i}`);
    }
  });

  it('should_fault_around is false with fault_around_bytes 4096: only the faulting page is mapped', () => {
    const r = run(`sysctl fault_around_bytes 4096
      file f pages 8
      process a
      mmap a f at ${BASE} pages 8 shared rw as m
      read a m[2]`);
    for (let i = 0; i < 8; i++) assert.equal(pte(r, 'a', 'm', i).none, i !== 2, `page ${i}`);
  });

  it('filemap_map_pages skips PTEs that are not none (a neighbour already written keeps its RW D PTE)', () => {
    const r = run(`file f pages 4
      process a
      mmap a f at ${BASE} pages 4 shared rw as m
      write a m[1]
      read a m[0]`);
    assertPte(pte(r, 'a', 'm', 1), { W: true, D: true });
    assertPte(pte(r, 'a', 'm', 2), { P: true, W: false });
  });

  it('do_sync_mmap_readahead: a cold read reads 32 pages centred on the fault, marks PG_readahead at start+size-8, one major fault (findings item 2)', () => {
    const r = run(`file f pages 100 cold
      process a
      mmap a f at ${BASE} pages 100 shared r as m
      read a m[40]`);
    const as = r.objects.get('f')!, mm = r.engine.memmap;
    for (let i = 0; i < 100; i++) assert.equal(as.folioAt(i) !== 0, i >= 24 && i < 56, `page ${i} cached`);
    for (let i = 24; i < 56; i++) assert.equal(mm.test(as.folioAt(i), PG_readahead), i === 48, `PG_readahead on ${i}`);
    const t = task(r, 'a');
    assert.equal(t.majFlt, 1);
    assert.equal(t.minFlt, 0);
    // the retry maps the faulting page and its cached neighbours by fault-around (32..47)
    for (let i = 32; i < 48; i++) assertPte(pte(r, 'a', 'm', i), { P: true }, `page ${i}`);
  });

  it('do_sync_mmap_readahead clips the window at EOF and puts the mark at start + clipped - 8 (findings item 5)', () => {
    const r = run(`file f pages 20 cold
      process a
      mmap a f at ${BASE} pages 20 shared r as m
      read a m[10]`);
    const as = r.objects.get('f')!, mm = r.engine.memmap;
    for (let i = 0; i < 20; i++) {
      assert.ok(as.folioAt(i), `page ${i} cached`);
      assert.equal(mm.test(as.folioAt(i), PG_readahead), i === 12, `mark on ${i}`);
    }
  });

  it('do_async_mmap_readahead: a fault on the PG_readahead page clears it, reads the next window and retries — minor from 6.7, major before (findings items 2, 12)', () => {
    const body = `file f pages 100 cold
      process a
      mmap a f at ${BASE} pages 100 shared r as m
      read a m[40]
      read a m[48]`;
    for (const [v, major] of [['6.15', 1], ['6.6', 2]] as const) {
      const r = run(`kernel ${v}\n${body}`);
      const as = r.objects.get('f')!, mm = r.engine.memmap;
      assert.equal(mm.test(as.folioAt(48), PG_readahead), false, `${v}: mark cleared`);
      assert.ok(as.folioAt(56) && as.folioAt(87), `${v}: next window [56, 88) read`);
      assert.equal(mm.test(as.folioAt(56), PG_readahead), true, `${v}: new mark on the first page of the new window`);
      const t = task(r, 'a');
      assert.equal(t.majFlt, major, `${v}: major faults`);
      assert.equal(t.minFlt + t.majFlt, 2, `${v}: total faults`);
      assertPte(pte(r, 'a', 'm', 48), { P: true });
    }
  });

  it('shmem_fault does no read-around: only the faulting page (and nothing else) gets a folio', () => {
    const r = run(`shmem s pages 8
      process a
      mmap a s at ${BASE} pages 8 shared rw as m
      read a m[3]`);
    const as = r.objects.get('s')!;
    for (let i = 0; i < 8; i++) assert.equal(as.folioAt(i) !== 0, i === 3, `page ${i}`);
    const t = task(r, 'a');
    assert.equal(t.majFlt, 0);
    assert.equal(t.minFlt, 1);
  });
});
