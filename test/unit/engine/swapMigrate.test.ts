// Swap (mm/swapfile.c, mm/swap_state.c, do_swap_page in mm/memory.c) and migration
// (mm/migrate.c, try_to_migrate / remove_migration_ptes in mm/rmap.c and mm/migrate.c).

import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { PG_anon_exclusive, PG_swapcache } from '../../../src/engine/memmap';
import { is_swap_slot_pte, pte_swp_exclusive, pte_swp_soft_dirty } from '../../../src/engine/swapEntry';
import { formatPteFlags } from '../../../src/engine/pte';
import { allEvents, assertPte, pte, run, task, visits, walksOf, BASE } from './helpers';

const swapped = (extra: string, dev = 'sysctl swap pages 8') =>
  `kernel 6.15\n${dev}\nprocess a\nmmap a anon at ${BASE} pages 1 private rw as h\nwrite a h[0]\nmadvise a h[0] pageout\n${extra}`;

describe('swap', () => {
  it('try_to_unmap_one: an exclusive page leaves an exclusive, soft-dirty swap entry; PageAnonExclusive is cleared', () => {
    const r = run(swapped(''));
    const mm = task(r, 'a').mm;
    const f = mm.pteFlags(BASE);
    assert.ok(is_swap_slot_pte(f) && pte_swp_exclusive(f) && pte_swp_soft_dirty(f));
    const pfn = r.engine.swap!.cache.get(mm.ptePfn(BASE))!;
    assert.equal(r.engine.memmap.test(pfn, PG_anon_exclusive), false);
    assert.match(formatPteFlags(f, mm.ptePfn(BASE)), /^swap 0:1 X SD$/);
  });
  it('a disk write completes after the statement: the folio stays in the swap cache, the swap-in is minor', () => {
    const r = run(swapped('read a h[0]'));
    assert.equal(task(r, 'a').majFlt, 0);
    assert.ok(r.engine.memmap.test(task(r, 'a').mm.ptePfn(BASE), PG_swapcache));
  });
  it('do_swap_page on a synchronous device: not in the swap cache, read from swap → VM_FAULT_MAJOR', () => {
    const r = run(swapped('read a h[0]', 'sysctl swap pages 8 sync'));
    assert.equal(task(r, 'a').majFlt, 1);
    assert.equal(r.engine.memmap.test(task(r, 'a').mm.ptePfn(BASE), PG_swapcache), false);
  });
  it('do_swap_page: a write fault on an exclusive entry maps it writable and dirty, no do_wp_page', () => {
    const r = run(swapped('write a h[0]'));
    assertPte(pte(r, 'a', 'h', 0), { P: true, W: true, D: true });
    // should_try_to_free_swap(): a write fault with refcount 2 frees the swap cache
    assert.equal(r.engine.memmap.test(task(r, 'a').mm.ptePfn(BASE), PG_swapcache), false);
    assert.equal(r.engine.swap!.inuse, 0);
  });
  it('copy_nonpresent_pte: fork shares the swap entry and clears its exclusive bit in the parent', () => {
    const r = run(swapped('fork a as b'));
    const pa = task(r, 'a').mm.pteFlags(BASE), pb = task(r, 'b').mm.pteFlags(BASE);
    assert.ok(is_swap_slot_pte(pa) && is_swap_slot_pte(pb));
    assert.equal(pte_swp_exclusive(pa), false);
    assert.equal(r.engine.swap!.count[task(r, 'a').mm.ptePfn(BASE)], 2);
  });
  it('a shared swap entry swaps in read-only; the first writer copies (do_wp_page)', () => {
    const r = run(swapped('fork a as b\nread a h[0]\nread b h[0]\nwrite b h[0]'));
    assert.equal(task(r, 'a').mm.ptePfn(BASE) !== task(r, 'b').mm.ptePfn(BASE), true);
    assertPte(pte(r, 'a', 'h', 0), { W: false });
  });
  it('exit frees the swap slots (zap: free_swap_and_cache)', () => {
    const r = run(swapped('exit a'));
    assert.equal(r.engine.swap!.inuse, 0);
  });
  it('sysctl swap pages 1 is refused (no slot after the header); a second device is an error (one swap type)', () => {
    const r = runText('sysctl swap pages 1\n');
    assert.equal(r.exitStatus, 2);
    const two = runText('sysctl swap pages 4\nsysctl swap pages 8\n');
    assert.ok(two.diagnostics.some((d) => d.code === 'MMS306' && /second swap device/.test(d.message)));
  });
});

describe('migrate_pages (MIGRATE_SYNC)', () => {
  const shared = `file f pages 2\nprocess a\nprocess b\nmmap a f at ${BASE} pages 2 shared rw as m\nmmap b f at 0x7e0000000000 pages 2 shared r as m\n` +
    'write a m[0]\nread b m[0]\n';
  it('try_to_migrate installs migration entries, remove_migration_ptes maps the new PFN in every process', () => {
    const r = run(shared + 'migrate f[0]');
    const before = allEvents(r).filter((e) => e.t === 'pte' && /migration entry/.test(e.why)).length;
    assert.equal(before, 2, 'a migration entry in each PTE between the walks');
    assert.deepEqual(walksOf(r).map((w) => w.api), ['try_to_migrate', 'remove_migration_ptes']);
    assert.deepEqual(visits(r), ['a:m', 'b:m']);
    const pfn = r.engine.pfnOf(r.objects.get('f')!, 0);
    assert.equal(pte(r, 'a', 'm', 0).pfn, pfn);
    assert.equal(pte(r, 'b', 'm', 0).pfn, pfn);
    // remove_migration_pte(): a writable entry comes back writable and dirty, a read one read-only
    assertPte(pte(r, 'a', 'm', 0), { W: true, D: true });
    assertPte(pte(r, 'b', 'm', 0), { W: false });
  });
  it('the new folio takes the old one\'s place (page cache, dirty, mapcount)', () => {
    const r = run(shared + 'migrate f[0]\nexpect folio f[0] dirty mapcount 2 cached\nexpect pte a m[0] same b m[0]');
    assert.equal(r.failed, 0);
  });
  it('an anonymous folio keeps PageAnonExclusive through a read-exclusive / writable entry', () => {
    const r = run(`process a\nmmap a anon at ${BASE} pages 1 private rw as h\nwrite a h[0]\nmigrate a h[0]`);
    const pfn = task(r, 'a').mm.ptePfn(BASE);
    assert.ok(r.engine.memmap.test(pfn, PG_anon_exclusive));
    assertPte(pte(r, 'a', 'h', 0), { W: true, D: true, A: true });
  });
  it('refuses a driver page (not on an LRU list: isolation fails) with EBUSY', () => {
    const r = runText(`fbdev fb pages 1\nprocess a\nmmap a fb at ${BASE} pages 1 shared rw as m\nread a m[0]\nmigrate a m[0]\nexpect result 16`);
    assert.ok(r.diagnostics.some((d) => d.code === 'MMS510' && /EBUSY/.test(d.message)), JSON.stringify(r.diagnostics.map((d) => d.message)));
    assert.equal(r.failed, 0);
  });
  it('has nothing to migrate (ENOENT) where no folio is: an uncached page; move_pages() of the zero page is EFAULT at every release (FOLL_DUMP, then is_zero_folio())', () => {
    const n = runText('file f pages 2 cold\nmigrate f[1]\nexpect result 2');
    assert.ok(n.diagnostics.some((d) => d.code === 'MMS510' && /ENOENT/.test(d.message)));
    assert.equal(n.failed, 0);
    for (const v of ['6.1', '6.12']) {
      const z = runText(`kernel ${v}\nprocess a\nmmap a anon at ${BASE} pages 1 private rw as h\nread a h[0]\nmigrate a h[0]\nexpect result 14`);
      assert.equal(z.failed, 0, v);
      assert.equal(z.passed, 1, v);
    }
  });

  it('move_pages() of a swapped-out page: no folio is mapped there, ENOENT, and the swap cache\'s folio stays where it is', () => {
    for (const v of ['6.1', '6.12']) {
      const r = runText(`kernel ${v}\nsysctl swap pages 64\nprocess a\nmmap a anon at ${BASE} pages 1 private rw as h\nwrite a h[0]\nmadvise a h[0] pageout\nexpect pte a h[0] swap\nmigrate a h[0]\nexpect error ENOENT\nexpect pte a h[0] swap`);
      assert.deepEqual(r.diagnostics.map((d) => d.message), [], v);
      assert.equal(r.passed, 3, v);
      assert.equal(r.steps.filter((st) => st.kind === 'migrate').flatMap((st) => st.events).filter((e) => e.t === 'walk').length, 0, `${v}: no try_to_migrate walk`);
    }
  });
});
