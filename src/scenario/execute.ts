// One statement of a scenario on the engine: objects and processes created, mappings made,
// pages touched, kernel operations called, with the kernel's refusals reported at the line.

import type { PinStmt, Range, Statement, VmspliceStmt } from '../language/ast';
import type { Severity } from '../language/diagnostics';
import { fault_around_bytes_set, userAccess, userAccessRange } from '../engine/memory';

import { clear_refs_soft_dirty } from '../engine/clearRefs';
import { do_fork } from '../engine/fork';
import { do_mmap, do_munmap, exit_mmap } from '../engine/mmap';
import { do_mprotect } from '../engine/mprotect';
import { folioMkcleanAt, mappingWrprotectRange, pfnMkcleanRange, unmapMappingRange } from '../engine/rmap';
import { filemap_write_and_wait_range, msyncRange } from '../engine/writeback';
import { fbdev_create, fbDefioOf, flush_delayed_work } from '../engine/drivers/fbDefio';
import { pfnmap_create } from '../engine/drivers/pfnmap';
import type { Kernel, Task } from '../engine/kernel';
import { split_folio } from '../engine/split';
import { madvise_thp } from '../engine/thpMadvise';
import { madvise_flags } from '../engine/madviseFlags';
import { sizeToOrder, type ShmemSizeEnabled, type ThpSettings, type ThpSizeEnabled } from '../engine/thp';
import { isHugeZeroPfn } from '../engine/memmap';
import { vm_normal_page } from '../engine/memory';
import { do_madvise } from '../engine/madvise';
import { migrate_folio_sync, move_pages_folio, type MigrateErrno } from '../engine/migrate';
import { swapon } from '../engine/swap';
import { pte_present } from '../engine/pte';
import type { Step } from './trace';
import { addrAt, mapSpecRange, mapSpecRuns, missingLabel, pageRange, resolveAddrRange, RUN_CODES, task, type LabelInfo, type RunState } from './state';
import { do_mremap } from '../engine/mremap';
import { vmsplice } from '../engine/vmsplice';
import { type PageHolder, holderOf } from '../engine/pageHolders';
import { io_sqe_buffer_register, pin_longterm_ro } from '../engine/pin';

export type Out = (range: Range, severity: Severity, code: string, message: string) => void;

export function execute(st: RunState, s: Statement, step: Step, out: Out): void {
  const k = st.k;
  switch (s.kind) {
    case 'kernel': return;
    case 'sysctl': {
      if (s.knob.name === 'swap') swapon(k, s.value.value, !!s.sync);
      else fault_around_bytes_set(k, s.value.value);
      return;
    }
    case 'madvise': {
      const t = task(st, s.proc.name);
      if (!t) return deadProc(st, s.proc.name, s.range, out);
      const runs = mapSpecRuns(st, s.proc.name, s.spec);
      if (typeof runs === 'string') { if (runs) out(s.range, 'error', RUN_CODES.munmap, runs); return; }
      if (s.advice === 'collapse' || s.advice === 'pageout') {
        for (const r of runs) if (holderRefused(st, s.range, `madvise ${s.advice}`, heldIn(k, t, r[0], r[1]), out)) return;
      }
      // the THP advices (madvise_thp: hugepage_madvise, madvise_collapse), the fork ones
      // (madvise_flags: VM_DONTCOPY) or the others; one madvise(2) per run, the first error kept
      let err: keyof typeof ERRNO | 0 = 0, why = '';
      for (const r of runs) {
        let e: keyof typeof ERRNO | 0, w = '';
        if (s.advice === 'hugepage' || s.advice === 'nohugepage' || s.advice === 'collapse' || s.advice === 'dontfork' || s.advice === 'dofork') {
          const res = s.advice === 'dontfork' || s.advice === 'dofork' ? madvise_flags(k, t, r[0], r[1], s.advice) : madvise_thp(k, t, r[0], r[1], s.advice);
          e = res.ok ? 0 : res.errno;
          if (!res.ok) w = `: ${res.why.replace(/^[A-Z]+: /, '')}`;
        } else e = do_madvise(k, t, r[0], r[1], s.advice);
        if (e && !err) { err = e; why = w; }
      }
      st.lastResult = step.result = err ? ERRNO[err] : 0;
      if (err) { step.errno = err; out(s.range, 'error', RUN_CODES.madvise, `madvise ${s.advice} fails with ${err}${why}`); }
      return;
    }
    case 'migrate': {
      // move_pages' status where no folio can be queued (migrate PROC LABEL[I]), else migrate_pages' result
      const migrated = (pfn: number): [MigrateErrno, string] => {
        const e = migrate_folio_sync(k, pfn).errno;
        return [e, e === 'ENOENT' ? 'no folio there' : 'the folio cannot be isolated or unmapped'];
      };
      let r: [MigrateErrno, string];
      if (s.proc) {
        const t = task(st, s.proc.name);
        if (!t) return deadProc(st, s.proc.name, s.range, out);
        const range = resolveAddrRange(st, s.proc.name, s.page);
        if (typeof range === 'string') { if (range) out(s.range, 'error', RUN_CODES.munmap, range); return; }
        const found = move_pages_folio(k, t.mm, range.first);
        if (!('errno' in found) && holderRefused(st, s.range, 'migrate', holderOf(k, k.memmap.head(found.pfn)), out)) return;
        r = !('errno' in found) ? migrated(found.pfn)
          : [found.errno, found.errno === 'ENOENT' ? 'no folio mapped there' : 'no migratable page there (the zero page, nothing in an anonymous VMA before 6.12, or a VM_IO/VM_PFNMAP mapping)'];
      } else {
        const obj = st.objects.get(s.page.kind === 'named' ? s.page.target.name : '');
        if (!obj) return;
        const pfn = k.pfnOf(obj, pageRange(s.page)[0]);
        if (pfn && holderRefused(st, s.range, 'migrate', holderOf(k, k.memmap.head(pfn)), out)) return;
        r = migrated(pfn);
      }
      const [errno, why] = r;
      st.lastResult = step.result = errno ? ERRNO[errno] : 0;
      if (errno) { step.errno = errno; out(s.range, 'error', RUN_CODES.migrate, `migrate fails with ${errno}: ${why}`); }
      return;
    }
    case 'file': st.objects.set(s.name.name, k.createFile(s.name.name, s.pages.value, s.cold, s.folio ? Math.log2(s.folio.bytes / 4096) : 0)); return;
    case 'shmem': st.objects.set(s.name.name, k.createShmem(s.name.name, s.pages.value, false, s.huge ?? 'never')); return;
    case 'sysctl_thp': return sysctlThp(k, s);
    case 'split': {
      let pfn = 0;
      if (s.proc) {
        const t = task(st, s.proc.name);
        if (!t) return deadProc(st, s.proc.name, s.range, out);
        const r = resolveAddrRange(st, s.proc.name, s.page);
        if (typeof r === 'string') { if (r) out(s.range, 'error', RUN_CODES.munmap, r); return; }
        const vma = t.mm.vma_lookup(r.first);
        const flags = t.mm.pteFlags(r.first);
        pfn = vma && pte_present(flags) ? vm_normal_page(k, vma, flags, t.mm.ptePfn(r.first)) : 0;
        if (!pfn && vma && pte_present(flags) && isHugeZeroPfn(t.mm.ptePfn(r.first))) pfn = t.mm.ptePfn(r.first);
      } else {
        const obj = st.objects.get(s.page.kind === 'named' ? s.page.target.name : '');
        if (!obj) return;
        pfn = obj.folioAt(pageRange(s.page)[0]);
      }
      if (!pfn) { out(s.range, 'warning', RUN_CODES.noFolio, 'no folio there: split_folio() not called'); st.lastResult = step.result = 0; return; }
      if (!isHugeZeroPfn(pfn) && holderRefused(st, s.range, 'split', holderOf(k, k.memmap.head(pfn)), out)) return;
      const r = split_folio(k, pfn);
      st.lastResult = step.result = r === 0 ? 0 : ERRNO[r];
      if (r !== 0) step.errno = r;
      if (r !== 0) out(s.range, 'error', RUN_CODES.split, `split fails with ${r}: ${r === 'EINVAL' ? 'not a large folio' : isHugeZeroPfn(pfn) ? 'the huge zero page cannot be split' : 'the folio is under writeback'}`);
      return;
    }
    case 'vmsplice': {
      const at = heldRange(st, s, 'spliced', out);
      if (!at) return;
      const r = vmsplice(k, at.t, s.pipe.name, at.start, at.pages);
      st.lastResult = step.result = r.errno ? ERRNO[r.errno] : r.bytes;
      if (r.errno) { step.errno = r.errno; out(s.range, 'error', RUN_CODES.vmsplice, 'vmsplice fails with EFAULT: no page to take at the start of the range (a hole, VM_IO/VM_PFNMAP, no VM_READ, or no struct page)'); }
      return;
    }
    case 'pin': {
      const at = heldRange(st, s, 'pinned', out);
      if (!at) return;
      const r = s.readonly ? pin_longterm_ro(k, at.t, s.buf.name, at.start, at.pages, !!s.fast)
        : io_sqe_buffer_register(k, at.t, s.buf.name, at.start, at.pages);
      st.lastResult = step.result = r.errno ? ERRNO[r.errno] : 0;
      if (r.errno) {
        step.errno = r.errno;
        out(s.range, 'error', RUN_CODES.pin, `pin fails with ${r.errno}: ${PIN_ERRORS[s.readonly ? 'ro' : 'rw'][r.errno]}`);
      }
      return;
    }
    case 'fbdev':
      st.objects.set(s.name.name, fbdev_create(k, s.name.name, s.pages.value, s.backing, s.delay?.ms ?? 50, s.sorted));
      return;
    case 'pfnmap': st.objects.set(s.name.name, pfnmap_create(k, s.name.name, s.pages.value)); return;
    case 'process': {
      const t = k.createTask(s.name.name);
      st.pids.set(s.name.name, t.pid); st.tasksByName.set(s.name.name, t); st.labels.set(s.name.name, new Map());
      return;
    }
    case 'fork': {
      const parent = task(st, s.parent.name);
      if (!parent) return deadProc(st, s.parent.name, s.range, out);
      const child = do_fork(k, parent, s.child.name);
      st.pids.set(s.child.name, child.pid); st.tasksByName.set(s.child.name, child);
      const labs = new Map<string, LabelInfo>();
      for (const [n, l] of st.labels.get(s.parent.name) ?? []) labs.set(n, { ...l, proc: s.child.name });
      st.labels.set(s.child.name, labs);
      return;
    }
    case 'exit': {
      const t = task(st, s.proc.name);
      if (!t) return deadProc(st, s.proc.name, s.range, out);
      exit_mmap(k, t);
      return;
    }
    case 'mmap': {
      const t = task(st, s.proc.name);
      if (!t) return deadProc(st, s.proc.name, s.range, out);
      const obj = s.obj.name === 'anon' ? 'anon' : st.objects.get(s.obj.name);
      if (!obj) return;
      const r = do_mmap(k, t, obj, s.addr.value, s.pages.value, s.offset?.value ?? 0, s.shared, s.prot, s.label?.name);
      if (!r.ok) {
        step.errno = r.errno;
        if (s.label) st.failedLabels.add(`${s.proc.name}\0${s.label.name}`);
        const code = r.errno === 'EINVAL' ? RUN_CODES.einval : r.errno === 'ENOMEM' ? RUN_CODES.enomem : RUN_CODES.eexist;
        out(s.range, 'error', code, r.errno === 'EEXIST'
          ? `mmap refused: ${r.why} (mmscope never replaces a mapping silently)`
          : `mmap fails with ${r.errno}: ${r.why}`);
        return;
      }
      if (s.label) {
        st.labels.get(s.proc.name)!.set(s.label.name, {
          proc: s.proc.name, start: s.addr.value, pages: s.pages.value, obj: s.obj.name,
          pgoff: r.vma.pgoff, shared: s.shared,
        });
      }
      return;
    }
    case 'munmap': case 'mprotect': {
      const t = task(st, s.proc.name);
      if (!t) return deadProc(st, s.proc.name, s.range, out);
      const runs = mapSpecRuns(st, s.proc.name, s.spec);
      if (typeof runs === 'string') { if (runs) out(s.range, 'error', RUN_CODES.munmap, runs); return; }
      for (const r of runs) {
        if (s.kind === 'munmap') { do_munmap(k, t, r[0], r[1]); continue; }
        const res = do_mprotect(k, t, r[0], r[1], s.prot);
        if (!res.ok) {
          step.errno = res.why?.split(':')[0];
          out(s.range, 'error', RUN_CODES.mprotect, `mprotect fails with ${res.why}`);
          return;
        }
      }
      return;
    }
    case 'read': case 'write': {
      const t = task(st, s.proc.name);
      if (!t) return deadProc(st, s.proc.name, s.range, out);
      const range = resolveAddrRange(st, s.proc.name, s.pages);
      if (typeof range === 'string') { if (range) out(s.range, 'error', RUN_CODES.munmap, range); return; }
      const write = s.kind === 'write';
      if (!range.at) {
        // contiguous pages: userAccessRange() is userAccess() of each, in order
        if (userAccessRange(k, t, range.first, range.count, write) === 'oops') { t.killedByOops = true; exit_mmap(k, t); }
        return;
      }
      for (let i = 0; i < range.count; i++) {
        const r = userAccess(k, t, addrAt(range, i), write);
        if (r === 'oops') { t.killedByOops = true; exit_mmap(k, t); break; }
        if (!t.alive) break;
      }
      return;
    }
    case 'mkclean': {
      const obj = st.objects.get(s.page.kind === 'named' ? s.page.target.name : '');
      if (!obj) return;
      const [i] = pageRange(s.page);
      const r = folioMkcleanAt(k, obj, i);
      if (r.noFolio) {
        out(s.range, 'warning', RUN_CODES.noFolio, r.pfn ? `no struct page behind ${obj.name}[${i}] (pfn 0x${r.pfn.toString(16)}): nothing for folio_mkclean(); result 0`
          : `no folio at ${obj.name}[${i}] (not in the page cache): folio_mkclean() not called; result 0`);
      }
      st.lastResult = step.result = r.result;
      return;
    }
    case 'wrprotect': {
      const obj = st.objects.get(s.pages.kind === 'named' ? s.pages.target.name : '');
      if (!obj) return;
      const [i, j] = pageRange(s.pages);
      const pfn = k.pfnOf(obj, i);
      if (!pfn) out(s.range, 'warning', RUN_CODES.noFolio, `no page at ${obj.name}[${i}] (not in the page cache): pfn 0 matches no PTE`);
      st.lastResult = step.result = mappingWrprotectRange(k, obj, i, pfn, j - i + 1);
      return;
    }
    case 'pfn_mkclean': {
      const obj = st.objects.get(s.pages.kind === 'named' ? s.pages.target.name : '');
      const t = task(st, s.proc.name);
      if (!obj) return;
      if (!t) return deadProc(st, s.proc.name, s.range, out);
      const [i, j] = pageRange(s.pages);
      const lab = st.labels.get(s.proc.name)?.get(s.label.name);
      const vmas = t.mm.vmas.filter((v) => v.label === s.label.name);
      const vma = vmas.find((v) => v.file === obj && i >= v.pgoff && i <= v.lastPgoff) ?? vmas[0];
      if (!lab || !vma) { const m = missingLabel(st, s.proc.name, s.label.name); if (m) out(s.range, 'error', RUN_CODES.munmap, m); return; }
      const pfn = k.pfnOf(obj, i);
      const r = pfnMkcleanRange(k, pfn, j - i + 1, i, vma);
      if (r === null) {
        out(s.range, 'warning', RUN_CODES.efault, `${s.proc.name}:${s.label.name} does not map ${obj.name}[${i}]: vma_address() is -EFAULT (the kernel would hit VM_BUG_ON_VMA); result 0`);
        st.lastResult = step.result = 0;
      } else st.lastResult = step.result = r;
      return;
    }
    case 'writeback': {
      const obj = st.objects.get(s.obj.name);
      if (!obj) return;
      const first = s.first?.value ?? 0, last = s.last?.value ?? (s.first ? first : obj.sizePages - 1);
      st.lastResult = step.result = filemap_write_and_wait_range(k, obj, first, last);
      return;
    }
    case 'msync': {
      const t = task(st, s.proc.name);
      if (!t) return deadProc(st, s.proc.name, s.range, out);
      // the label's pages wherever mremap moved them (mapSpecRange follows the page labels)
      const r = mapSpecRange(st, s.proc.name, { kind: 'label', label: s.label, range: s.range });
      if (typeof r === 'string') { if (r) out(s.range, 'error', RUN_CODES.munmap, r); return; }
      st.lastResult = step.result = msyncRange(k, t, r[0], r[1]);
      return;
    }
    case 'unmap_range': {
      const obj = st.objects.get(s.pages.kind === 'named' ? s.pages.target.name : '');
      if (!obj) return;
      const [i, j] = pageRange(s.pages);
      st.lastResult = step.result = unmapMappingRange(k, obj, i, j - i + 1, false);
      return;
    }
    case 'flush': {
      const obj = st.objects.get(s.obj.name);
      const fb = fbDefioOf(obj);
      if (!fb) return;
      st.lastResult = step.result = flush_delayed_work(k, fb);
      return;
    }
    case 'clear_refs': {
      const t = task(st, s.proc.name);
      if (!t) return deadProc(st, s.proc.name, s.range, out);
      clear_refs_soft_dirty(k, t);
      return;
    }
    case 'wait': k.advance(s.duration.ms); return;
    case 'mremap': {
      const t = task(st, s.proc.name);
      if (!t) return deadProc(st, s.proc.name, s.range, out);
      const r = mapSpecRange(st, s.proc.name, s.spec);
      if (typeof r === 'string') { if (r) out(s.range, 'error', RUN_CODES.munmap, r); return; }
      const oldLen = r[1] - r[0];
      const newLen = s.newPages ? s.newPages.value * 4096 : oldLen;
      const res = do_mremap(k, t, r[0], oldLen, newLen, s.to?.value);
      if (!res.ok) {
        step.errno = res.errno;
        out(s.range, 'error', RUN_CODES.mremap, `mremap fails with ${res.errno}: ${res.why}`);
        return;
      }
      // labels resolve through the engine's page labels from now on (they move with their pages)
      for (const lab of st.labels.get(s.proc.name)?.values() ?? []) lab.moved = true;
      return;
    }
    default: return;
  }
}

/** include/uapi/asm-generic/errno-base.h: the errnos madvise, migrate and split return */
/** why a pin fails, for a long-term R/W pin (io_uring) and a R/O one (gup_test) */
const PIN_ERRORS: Record<'rw' | 'ro', Partial<Record<'EFAULT' | 'EOPNOTSUPP' | 'ENOMEM', string>>> = {
  rw: {
    EFAULT: 'a page could not be pinned for writing (a hole, VM_IO/VM_PFNMAP, no VM_WRITE, no struct page, or from 6.5 a shared file mapping whose dirtying the filesystem tracks); the pins taken were dropped',
    EOPNOTSUPP: 'before 6.5 io_uring refuses a buffer in a file mapping other than shmem (after pinning it; the pins were dropped)',
  },
  ro: {
    EFAULT: 'a page could not be pinned (a hole, VM_IO/VM_PFNMAP, no VM_READ, or no struct page); the pins taken were dropped',
    ENOMEM: 'a fault ran out of memory; the pins taken were dropped',
  },
};

const ERRNO = { ENOENT: 2, EAGAIN: 11, ENOMEM: 12, EFAULT: 14, EBUSY: 16, EINVAL: 22, EOPNOTSUPP: 95 } as const;

// /sys/kernel/mm/transparent_hugepage: the knob as the kernel's sysfs store sets it.
function sysctlThp(k: Kernel, s: Extract<Statement, { kind: 'sysctl_thp' }>): void {
  const t = k.thp;
  switch (s.knob) {
    case 'enabled': t.enabled = s.value as ThpSettings['enabled']; return;
    case 'shmem_enabled': t.shmemEnabled = s.value as ThpSettings['shmemEnabled']; return;
    case 'use_zero_page': t.useZeroPage = s.value === '1'; return;
    case 'anon': case 'shmem': {
      // hugepages-<size>/enabled exists from 6.8, hugepages-<size>/shmem_enabled from 6.11
      // (mm/huge_memory.c hugepage_init_sysfs(), thpsize_create()): before, there is no such
      // file, the write fails (ENOENT) and no knob changes — the checker reports it (MMS404)
      // where the scenario names the release; the oracle runs files without a kernel line
      if (!k.profile.has(s.knob === 'anon' ? 'anon-mthp' : 'shmem-mthp')) return;
      const order = sizeToOrder(s.size!.bytes);
      if (order === undefined) return;
      if (s.knob === 'anon') t.anon.set(order, s.value as ThpSizeEnabled);
      else t.shmem.set(order, s.value as ShmemSizeEnabled);
      return;
    }
  }
}

/** The process and the first contiguous run of a vmsplice's or pin's range (a warning when
 *  mremap left the label in pieces); undefined when there is none (reported). */
function heldRange(st: RunState, s: VmspliceStmt | PinStmt, verb: string, out: Out): { t: Task; start: number; pages: number } | undefined {
  const t = task(st, s.proc.name);
  if (!t) { deadProc(st, s.proc.name, s.range, out); return undefined; }
  const runs = mapSpecRuns(st, s.proc.name, s.spec);
  if (typeof runs === 'string') { if (runs) out(s.range, 'error', RUN_CODES.munmap, runs); return undefined; }
  const [a, b] = runs[0];
  if (runs.length > 1) out(s.range, 'warning', RUN_CODES.warn, `the label's pages are not contiguous (mremap moved some): only 0x${a.toString(16)}..0x${b.toString(16)} is ${verb}`);
  return { t, start: a, pages: (b - a) / 4096 };
}

/** A page of [start, end) of t whose folio a pipe or pinned buffer holds a reference to. */
function heldIn(k: Kernel, t: Task, start: number, end: number): PageHolder | undefined {
  if (!k.heldPfns.size) return undefined;
  for (let a = start; a < end; a += 4096) {
    if (!pte_present(t.mm.pteFlags(a))) continue;
    const pfn = t.mm.ptePfn(a);
    if (!k.memmap.pfnValid(pfn)) continue;
    const p = holderOf(k, k.memmap.head(pfn));
    if (p) return p;
  }
  return undefined;
}

// Split (can_split_folio), migration (folio_migrate_mapping's expected count), anonymous
// collapse (is_refcount_suitable) and reclaim (__remove_mapping's folio_ref_freeze, and
// try_to_unmap's refusal to unmap a maybe-pinned exclusive page) compare a folio's references
// with the ones they expect; with a pipe's or a pin's references among them the engine does
// not model them, and says so instead of guessing.
function holderRefused(st: RunState, range: Range, what: string, h: PageHolder | undefined, out: Out): boolean {
  if (!h) return false;
  const who = h.kind === 'pipe' ? `pipe ${h.name} holds a reference to` : `buffer ${h.name} pins`;
  out(range, 'error', RUN_CODES.pipeRefs, `${what} of a folio that ${who} is not modelled (the kernel's reference counts include the ${h.kind === 'pipe' ? 'pipe' : 'pin'}'s); the statement is not run`);
  return true;
}

function deadProc(st: RunState, name: string, range: Range, out: Out): void {
  const t = st.tasksByName.get(name);
  out(range, 'error', RUN_CODES.deadProcess, t?.killedByOops
    ? `process ${name} was killed by a kernel oops earlier in the scenario`
    : `process ${name} does not exist at this point`);
}
