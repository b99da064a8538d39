// Expectations: evaluated at their place in the scenario against the engine's state.
// A failure says what was expected and what was found, in kernel terms.

import { fbDefioOf } from '../engine/drivers/fbDefio';
import type { Expectation, FolioFlag, PteFlag } from '../language/ast';
import { PG_dirty, PG_swapcache, PG_writeback, ZERO_PFN, isHugeZeroPfn } from '../engine/memmap';
import { folio_mapcount, kpagecount } from '../engine/folio';
import { vm_normal_page } from '../engine/memory';
import { is_migration_pte, is_swap_pte, is_swap_slot_pte, pte_swp_soft_dirty } from '../engine/swapEntry';
import { swap_cache_lookup } from '../engine/swap';
import { PinnedBuffer } from '../engine/pin';
import { formatPteFlags, pte_dirty, pte_none, pte_present, pte_soft_dirty, pte_special, pte_write, pte_young } from '../engine/pte';
import { addrAt, expectedPages, resolveAddrRange, type RunState } from './state';
import { expectError, expectIMmap, expectVma, expectVmas, expectWalkApi } from './expectVma';

export interface ExpectOutcome { ok: boolean; message: string }

const hex = (n: number) => '0x' + n.toString(16);

export function evaluateExpectation(st: RunState, e: Expectation): ExpectOutcome {
  switch (e.kind) {
    case 'expect_pte': return expectPte(st, e);
    case 'expect_folio': return expectFolio(st, e);
    case 'expect_result': {
      if (st.lastResult === undefined) return fail(`expected result ${e.value.value}, found no kernel operation before this line`);
      return st.lastResult === e.value.value ? pass(`result ${st.lastResult}`) : fail(`expected result ${e.value.value}, found ${st.lastResult}`);
    }
    case 'expect_walk': return e.api ? expectWalkApi(st, e) : expectWalk(st, e);
    case 'expect_vma': return expectVma(st, e);
    case 'expect_vmas': return expectVmas(st, e);
    case 'expect_i_mmap': return expectIMmap(st, e);
    case 'expect_error': return expectError(st, e);
    case 'expect_faults': {
      const t = st.tasksByName.get(e.proc.name);
      const n = t ? t.minFlt + t.majFlt : 0;
      const detail = t && t.majFlt ? ` (${t.minFlt} minor + ${t.majFlt} major)` : '';
      if (n !== e.value.value) return fail(`expected ${e.proc.name} to have taken ${e.value.value} page faults, found ${n}${detail}`);
      if (e.major && (t?.majFlt ?? 0) !== e.major.value) {
        return fail(`expected ${e.major.value} of ${e.proc.name}'s ${n} page faults to be major, found ${t?.majFlt ?? 0}${detail}`);
      }
      return pass(`${e.proc.name} took ${n} faults${detail}`);
    }
    case 'expect_pin': {
      const p = st.k.pageHolders.get(e.buf.name);
      if (!p || !(p instanceof PinnedBuffer)) return fail(`no pinned buffer ${e.buf.name} at this point`);
      if (p.errno) return fail(`buffer ${e.buf.name} was not registered (${p.errno})`);
      if (p.released) return fail(`buffer ${e.buf.name} was unpinned when the last process holding its ring exited`);
      const what = `its ${p.pfns.length} pinned page${p.pfns.length === 1 ? '' : 's'}`;
      if (p.changed === e.changed) return pass(p.changed ? `a write reached a pinned page of buffer ${e.buf.name} (the pin sees it)` : `buffer ${e.buf.name} holds ${what} as pinned`);
      return fail(e.changed ? `expected buffer ${e.buf.name} to have changed, but no write reached ${what} (the pin is not reliable: a write went to another page)`
        : `expected buffer ${e.buf.name} unchanged, but a write reached one of ${what}`);
    }
    case 'expect_pipe': {
      const p = st.k.pageHolders.get(e.pipe.name);
      if (!p || p.kind !== 'pipe') return fail(`no pipe ${e.pipe.name} at this point`);
      if (p.released) return fail(`pipe ${e.pipe.name} was released when the last process holding it exited`);
      const what = p.pfns.length ? `its ${p.pfns.length} page${p.pfns.length === 1 ? '' : 's'}` : 'nothing (an empty pipe)';
      if (p.changed === e.changed) return pass(p.changed ? `a write reached a page of pipe ${e.pipe.name} after the splice` : `pipe ${e.pipe.name} holds ${what} as spliced`);
      if (e.changed && !p.pfns.length) return fail(`expected pipe ${e.pipe.name} to have changed, but it holds nothing (an empty pipe)`);
      return fail(e.changed ? `expected pipe ${e.pipe.name} to have changed, but no write reached ${what} after the splice`
        : `expected pipe ${e.pipe.name} unchanged, but a write reached one of its pages after the splice (the data leaked)`);
    }
    case 'expect_signal': {
      const t = st.tasksByName.get(e.proc.name);
      const sig = t?.lastSignal ?? 'none';
      return sig === e.signal ? pass(`last access of ${e.proc.name}: ${sig}`)
        : fail(`expected the last access of ${e.proc.name} to raise ${e.signal}, found ${sig}`);
    }
    case 'expect_defio_pending': {
      const fb = fbDefioOf(st.objects.get(e.obj.name));
      const n = fb ? fb.pagereflist.length : 0;
      const list = fb && n ? ` [${fb.pagereflist.join(', ')}]` : '';
      return n === e.value.value ? pass(`${n} pages listed${list}`)
        : fail(`expected ${e.value.value} pages on ${e.obj.name}'s deferred-I/O list, found ${n}${list}`);
    }
    case 'expect_defio_written': {
      const fb = fbDefioOf(st.objects.get(e.obj.name));
      const got = fb ? fb.lastWritten : [];
      const want = e.indexes.map((n) => n.value);
      const ok = got.length === want.length && got.every((v, i) => v === want[i]);
      const f = (l: number[]) => (l.length ? l.join(', ') : 'nothing');
      if (fb && fb.workRuns === 0) return fail(`expected deferred_io to have written ${f(want)}, found that the deferred work has not run yet`);
      return ok ? pass(`deferred_io got ${f(got)}`) : fail(`expected deferred_io to have been handed ${f(want)}, found ${f(got)}`);
    }
    case 'expect_oops': {
      const prev = st.rec.steps.length - 2;
      // the last statement: the closest earlier non-expectation step
      let i = prev;
      while (i >= 0 && st.rec.steps[i].kind.startsWith('expect_')) i--;
      return i >= 0 && st.lastOopsStep === i ? pass('the kernel oopsed') : fail('expected the last statement to oops the kernel, found no oops');
    }
  }
}

function pass(message: string): ExpectOutcome { return { ok: true, message }; }
function fail(message: string): ExpectOutcome { return { ok: false, message }; }

function expectPte(st: RunState, e: Extract<Expectation, { kind: 'expect_pte' }>): ExpectOutcome {
  const at = expectedPages(st, e.proc.name, e.pages);
  if (typeof at === 'string') return fail(at);
  const { t, range } = at;
  for (let n = 0; n < range.count; n++) {
    const a = addrAt(range, n);
    const flags = t.mm.pteFlags(a), pfn = t.mm.ptePfn(a);
    const huge = t.mm.isPmdMapped(a);
    for (const f of e.flags) {
      const [holds, what] = pteFlagHolds(st, f, flags, pfn, huge);
      if (holds === f.negated) {
        const where = e.pages.kind === 'named' ? `${e.pages.target.name}[${(e.pages.first.value + n)}]` : hex(a);
        const desc = pte_none(flags, pfn) ? 'no PTE' : `${huge ? 'PMD' : 'PTE'} {${formatPteFlags(flags, pfn)}} pfn ${hex(pfn)}`;
        return fail(`expected the PTE of ${e.proc.name} ${where} (${hex(a)}) to be ${f.negated ? '!' : ''}${what}, found ${desc}`);
      }
    }
  }
  return pass('PTE flags hold');
}

// A none PTE has no flag set and PFN 0, which is no page's PFN (pfn_valid(0) is false in the
// model, and no object page has PFN 0): the bit tests and the PFN comparisons are false for
// it without a separate check, except `pfn 0`.
function pteFlagHolds(st: RunState, f: PteFlag, flags: number, pfn: number, huge: boolean): [boolean, string] {
  // a PMD leaf (do_huge_pmd_anonymous_page, collapse): whatever the entry, only a PMD is huge
  if (f.kind === 'huge') return [huge, 'huge (mapped by a PMD)'];
  const none = pte_none(flags, pfn);
  if (is_swap_pte(flags)) {
    // a swap or migration entry: no present-PTE bit holds; softdirty is the swap PTE's own bit
    switch (f.kind) {
      case 'swap': return [is_swap_slot_pte(flags), 'swap'];
      case 'migration': return [is_migration_pte(flags), 'migration'];
      case 'softdirty': return [pte_swp_soft_dirty(flags), 'softdirty'];
      default: return [false, describePteFlag(f)];
    }
  }
  switch (f.kind) {
    case 'swap': return [false, 'swap'];
    case 'migration': return [false, 'migration'];
    case 'same': {
      const other = samePfn(st, f);
      return [!none && pte_present(flags) && other !== 0 && pfn === other, describePteFlag(f)];
    }
    case 'none': return [none, 'none'];
    case 'present': return [pte_present(flags), 'present'];
    case 'write': return [pte_write(flags), 'write'];
    case 'dirty': return [pte_dirty(flags), 'dirty'];
    case 'young': return [pte_young(flags), 'young'];
    case 'softdirty': return [pte_soft_dirty(flags), 'softdirty'];
    case 'special': return [pte_special(flags), 'special'];
    case 'pfn': return [!none && pfn === f.pfn.value, `pfn ${f.pfn.value}`];
    case 'maps': {
      if (f.target === 'zero') return [!none && (pfn === ZERO_PFN || isHugeZeroPfn(pfn)), 'maps zero'];
      // vm_normal_page(): a special PTE maps no struct page, so never an anon folio
      if (f.target === 'anon') return [!pte_special(flags) && st.k.memmap.pfnValid(pfn) && st.k.memmap.folioTestAnon(pfn), 'maps anon'];
      const obj = st.objects.get(f.target.obj.name);
      const want = obj ? st.k.pfnOf(obj, f.target.index.value) : 0;
      return [want !== 0 && pfn === want, `maps ${f.target.obj.name}[${f.target.index.value}]`];
    }
  }
}

function describePteFlag(f: PteFlag): string {
  switch (f.kind) {
    case 'same': return `same ${f.proc ? f.proc.name + ' ' : ''}${f.page.target.name}[${f.page.index.value}]`;
    case 'maps': return `maps ${typeof f.target === 'string' ? f.target : `${f.target.obj.name}[${f.target.index.value}]`}`;
    case 'pfn': return `pfn ${f.pfn.value}`;
    default: return f.kind;
  }
}

/** The PFN `same` compares with: the object's page J, or what PROC maps at LABEL[J] (0: nothing there). */
function samePfn(st: RunState, f: Extract<PteFlag, { kind: 'same' }>): number {
  if (!f.proc) {
    const obj = st.objects.get(f.page.target.name);
    return obj ? st.k.pfnOf(obj, f.page.index.value) : 0;
  }
  const t = st.tasksByName.get(f.proc.name);
  // LABEL[J] wherever mremap moved it (resolveAddrRange follows the page labels)
  const r = resolveAddrRange(st, f.proc.name, { kind: 'named', target: f.page.target, first: f.page.index, range: f.range });
  if (!t || typeof r === 'string') return 0;
  const a = addrAt(r, 0);
  const flags = t.mm.pteFlags(a);
  return pte_present(flags) ? t.mm.ptePfn(a) : 0;
}

/** The pages `expect folio PROC LABEL[I..J]` names: the PFN each present PTE maps, or the swap-cache folio of a swap PTE (0 = none). */
function mappedPages(st: RunState, e: Extract<Expectation, { kind: 'expect_folio' }>): { where: string; pfn: number; cached: boolean }[] | string {
  const at = expectedPages(st, e.proc!.name, e.page);
  if (typeof at === 'string') return at;
  const { t, range } = at;
  const out: { where: string; pfn: number; cached: boolean }[] = [];
  for (let n = 0; n < range.count; n++) {
    const a = addrAt(range, n);
    const vma = t.mm.vma_lookup(a);
    const flags = t.mm.pteFlags(a), p = t.mm.ptePfn(a);
    // a swap PTE: the swap-cache folio of its slot (0 when the slot's folio left the cache)
    // the zero page (and the huge zero folio) is a folio too, order 0 (9), though
    // vm_normal_page() gives no page for its special PTE: what kpageflags shows of it
    const zero = pte_present(flags) && (p === ZERO_PFN || isHugeZeroPfn(p));
    const page = is_swap_slot_pte(flags) ? swap_cache_lookup(st.k, p) : zero ? p : vma && pte_present(flags) ? vm_normal_page(st.k, vma, flags, p) : 0;
    const where = `the folio ${e.proc!.name} maps at ${e.page.kind === 'named' ? `${e.page.target.name}[${e.page.first.value + n}]` : hex(a)}`;
    out.push({ where, pfn: page, cached: !!page && st.k.memmap.mapping[page] > 0 });
  }
  return out;
}

function expectFolio(st: RunState, e: Extract<Expectation, { kind: 'expect_folio' }>): ExpectOutcome {
  const k = st.k, mm = k.memmap;
  let pages: { where: string; pfn: number; cached: boolean }[];
  if (e.proc) {
    const r = mappedPages(st, e);
    if (typeof r === 'string') return fail(r);
    pages = r;
  } else {
    if (e.page.kind !== 'named') return fail('expect folio needs OBJ[I]');
    const obj = st.objects.get(e.page.target.name);
    if (!obj) return fail(`no object ${e.page.target.name}`);
    const first = e.page.first.value, last = (e.page.last ?? e.page.first).value;
    pages = [];
    for (let i = first; i <= last; i++) pages.push({ where: `${obj.name}[${i}]`, pfn: k.pfnOf(obj, i), cached: obj.folioAt(i) !== 0 });
  }
  for (const { where, pfn, cached } of pages) {
    const hasPage = mm.pfnValid(pfn);
    for (const f of e.flags) {
      let holds: boolean, what: string, found: string;
      if (f.kind === 'cached') { holds = cached; what = 'cached'; found = cached ? 'in the page cache' : 'not in the page cache'; }
      else if (!hasPage) {
        return fail(`expected ${where} to be ${f.negated ? '!' : ''}${describeFolioFlag(st, f)}, found ${pfn ? `no struct page behind pfn ${hex(pfn)}` : e.proc ? 'no folio mapped there' : 'no folio (not in the page cache)'}`);
      } else {
        switch (f.kind) {
          case 'dirty': holds = mm.test(pfn, PG_dirty); what = 'dirty'; found = holds ? 'PG_dirty set' : 'PG_dirty clear'; break;
          case 'writeback': holds = mm.test(pfn, PG_writeback); what = 'writeback'; found = holds ? 'under writeback' : 'not under writeback'; break;
          case 'swapcache': holds = mm.test(pfn, PG_swapcache); what = 'swapcache'; found = holds ? 'in the swap cache' : 'not in the swap cache'; break;
          case 'mapcount': { const c = kpagecount(mm, pfn); holds = c === f.value.value; what = `mapcount ${f.value.value}`; found = `mapcount ${c}`; break; }
          case 'folio_mapcount': { const c = folio_mapcount(mm, pfn); holds = c === f.value.value; what = `folio_mapcount ${f.value.value}`; found = `folio_mapcount ${c}`; break; }
          case 'order': holds = mm.order[pfn] === f.value.value; what = `order ${f.value.value}`; found = `order ${mm.order[pfn]}`; break;
          case 'large': holds = mm.order[pfn] > 0; what = 'large'; found = holds ? `a large folio (order ${mm.order[pfn]})` : 'an order-0 folio'; break;
          case 'index': holds = mm.index[pfn] === f.value.value; what = `index ${f.value.value}`; found = `index ${mm.index[pfn]}`; break;
          case 'mapping': {
            const m = mm.mapping[pfn];
            const want = f.obj ? st.objects.get(f.obj.name)?.id ?? -1 : 0;
            holds = m === want;
            what = `mapping ${f.obj ? f.obj.name : 'none'}`;
            found = m === 0 ? 'page->mapping NULL' : m < 0 ? 'an anon_vma in page->mapping' : `page->mapping = ${[...st.objects.values()].find((o) => o.id === m)?.name ?? `mapping#${m}`}`;
            break;
          }
        }
      }
      if (holds === f.negated) return fail(`expected ${where} to be ${f.negated ? '!' : ''}${what}, found ${found}`);
    }
  }
  return pass('folio state holds');
}

function describeFolioFlag(_st: RunState, f: FolioFlag): string {
  switch (f.kind) {
    case 'mapcount': case 'index': case 'order': case 'folio_mapcount': return `${f.kind} ${f.value.value}`;
    case 'mapping': return `mapping ${f.obj ? f.obj.name : 'none'}`;
    default: return f.kind;
  }
}

function expectWalk(st: RunState, e: Extract<Expectation, { kind: 'expect_walk' }>): ExpectOutcome {
  const w = st.rec.lastWalk;
  const name = (pid: number, vmaId: number, label: string | undefined) =>
    `${st.k.tasks.get(pid)?.name ?? pid}:${label ?? `vma#${vmaId}`}`;
  const got = w ? w.visits.map((v) => (v.skipped ? '~' : '') + name(v.pid, v.vma, v.label)) : [];
  const want = e.entries.map((x) => (x.skipped ? '~' : '') + `${x.proc.name}:${x.label.name}`);
  const f = (l: string[]) => (l.length ? l.join(', ') : 'none');
  if (e.entries.some((x) => x.index)) return expectWalkApi(st, e);
  const ok = got.length === want.length && got.every((g, i) => g === want[i]);
  const api = w ? ` (${w.api})` : '';
  return ok ? pass(`walk${api}: ${f(got)}`) : fail(`expected the last rmap walk${api} to reach ${f(want)}, found ${w ? f(got) : 'no walk has run'}`);
}
