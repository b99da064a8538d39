// Hover text from a run: for a statement, what the kernel did for that line (the call
// paths the engine took, rmap walks with the VMAs reached and skipped, fb_defio events)
// with links to the kernel source; for a name, its declaration and its state at that
// line (the PTE behind `m[2]` after that step). Pure: returns markdown.

import { formatPteFlags } from '../engine/pte';
import { PG_NAMES } from '../engine/memmap';
import type { Statement } from '../language/ast';
import type { CheckResult, SymbolInfo } from '../language/checker';
import { expectationDoc, statementDoc } from '../language/keywords';
import { DEFAULT_KERNEL, differencesFrom, parseRelease } from '../engine/versions';
import type { RunResult } from './run';
import type { Step, TraceEvent } from './trace';

const hex = (n: number) => '0x' + n.toString(16);

/** Kernel source file of the functions the engine names in its traces (elixir paths). */
export const KERNEL_SOURCE_FILES: Readonly<Record<string, string>> = {
  do_user_addr_fault: 'arch/x86/mm/fault.c', bad_area: 'arch/x86/mm/fault.c', bad_area_access_error: 'arch/x86/mm/fault.c',
  do_sigbus: 'arch/x86/mm/fault.c', spurious_fault: 'arch/x86/mm/fault.c',
  handle_mm_fault: 'mm/memory.c', do_anonymous_page: 'mm/memory.c', do_read_fault: 'mm/memory.c', do_cow_fault: 'mm/memory.c',
  do_shared_fault: 'mm/memory.c', do_fault_around: 'mm/memory.c', __do_fault: 'mm/memory.c', finish_fault: 'mm/memory.c',
  do_page_mkwrite: 'mm/memory.c', fault_dirty_shared_page: 'mm/memory.c', do_wp_page: 'mm/memory.c', wp_page_copy: 'mm/memory.c',
  wp_page_reuse: 'mm/memory.c', wp_page_shared: 'mm/memory.c', wp_pfn_shared: 'mm/memory.c', finish_mkwrite_fault: 'mm/memory.c',
  wp_can_reuse_anon_folio: 'mm/memory.c', copy_user_highpage: 'include/linux/highmem.h', vmf_insert_pfn: 'mm/memory.c',
  unmap_mapping_range: 'mm/memory.c', copy_page_range: 'mm/memory.c',
  filemap_map_pages: 'mm/filemap.c', do_sync_mmap_readahead: 'mm/filemap.c', do_async_mmap_readahead: 'mm/filemap.c',
  lock_folio_maybe_drop_mmap: 'mm/filemap.c', filemap_write_and_wait_range: 'mm/filemap.c', file_update_time: 'fs/inode.c',
  folio_mkclean: 'mm/rmap.c', page_mkclean: 'include/linux/rmap.h', rmap_walk_file: 'mm/rmap.c', __rmap_walk_file: 'mm/rmap.c',
  rmap_walk_anon: 'mm/rmap.c', mapping_wrprotect_range: 'mm/rmap.c', pfn_mkclean_range: 'mm/rmap.c',
  folio_move_anon_rmap: 'mm/rmap.c', invalid_mkclean_vma: 'mm/rmap.c', page_vma_mkclean_one: 'mm/rmap.c',
  folio_clear_dirty_for_io: 'mm/page-writeback.c', vfs_fsync_range: 'fs/sync.c',
  shmem_alloc_and_add_folio: 'mm/shmem.c', dup_mmap: 'mm/mmap.c', vmalloc_to_page: 'mm/vmalloc.c',
  schedule_delayed_work: 'include/linux/workqueue.h', flush_delayed_work: 'kernel/workqueue.c',
  fb_deferred_io_track_page: 'drivers/video/fbdev/core/fb_defio.c', fb_deferred_io_fault: 'drivers/video/fbdev/core/fb_defio.c',
  fb_deferred_io_mkwrite: 'drivers/video/fbdev/core/fb_defio.c', fb_deferred_io_work: 'drivers/video/fbdev/core/fb_defio.c',
  fb_deferred_io_fsync: 'drivers/video/fbdev/core/fb_defio.c',
  pfn_to_page: 'include/asm-generic/memory_model.h',
};

/** The kernel function a trace path entry names (entries may carry a note: `folio_mkclean: ...`). */
export function functionOf(entry: string): string | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(entry);
  if (!m) return undefined;
  return m[1] === 'VM_FAULT_RETRY' || m[1] === 'spurious' || m[1] === 'folio' || m[1] === 'page' ? undefined : m[1];
}

/** An elixir.bootlin.com link for a kernel function at `version` (e.g. '6.15'). */
export function kernelSourceUrl(fn: string, version: string): string {
  const file = KERNEL_SOURCE_FILES[fn];
  const v = `v${version}`;
  return file ? `https://elixir.bootlin.com/linux/${v}/source/${file}` : `https://elixir.bootlin.com/linux/${v}/A/ident/${fn}`;
}

const FAULT_OUTCOME: Record<string, string> = {
  minor: 'minor fault', major: 'major fault', retry: 'VM_FAULT_RETRY', sigsegv: 'SIGSEGV', sigbus: 'SIGBUS',
  oops: 'oops', 'nopage-loop': 'no progress',
};

interface Names { proc(pid: number): string; obj(id: number): string }

function names(r: RunResult): Names {
  const p = new Map<number, string>();
  for (const [n, pid] of r.pids) p.set(pid, n);
  const o = new Map<number, string>();
  for (const [n, as] of r.objects) o.set(as.id, n);
  return { proc: (pid) => p.get(pid) ?? `pid ${pid}`, obj: (id) => o.get(id) ?? `mapping ${id}` };
}

/** One markdown line per event (the ones a reader of the hover cares about). */
export function describeEvent(e: TraceEvent, n: Names): string | undefined {
  switch (e.t) {
    case 'fault':
      return `\`#PF ${hex(e.err)}\` ${n.proc(e.pid)} @ \`${hex(e.addr)}\` → ${e.path.map((f) => `\`${f}\``).join(' → ') || '(no path)'}`
        + (e.outcome ? ` → **${FAULT_OUTCOME[e.outcome] ?? e.outcome}**` : '');
    case 'hw': return `${n.proc(e.pid)} @ \`${hex(e.addr)}\`: no fault, the CPU sets ${e.write ? 'A and D' : 'A'}`;
    case 'pte': return `PTE ${n.proc(e.pid)} @ \`${hex(e.addr)}\`: \`${formatPteFlags(e.before.flags, e.before.pfn)}\` → \`${formatPteFlags(e.after.flags, e.after.pfn)}\`${e.after.pfn ? ` pfn ${hex(e.after.pfn)}` : ''} (${e.why})`;
    case 'folio': {
      if (e.field !== 'flags') return `folio pfn ${hex(e.pfn)}: ${e.field} ${e.before} → ${e.after}`;
      const diff = PG_NAMES.filter(([bit]) => (e.before ^ e.after) & bit).map(([bit, name]) => `${e.after & bit ? '+' : '−'}PG_${name}`);
      return `folio pfn ${hex(e.pfn)}: ${diff.join(' ') || 'flags unchanged'}`;
    }
    case 'walk': {
      const vmas = e.visits.map((v) => {
        const who = `${n.proc(v.pid)}:${v.label ?? `vma${v.vma}`}`;
        if (v.skipped) return `~${who} (skipped${v.reason ? `: ${v.reason}` : ''})`;
        const counted = v.ptes.filter((p) => p.counted).length;
        return `${who} @ \`${hex(v.address)}\` (${v.ptes.length} PTE${v.ptes.length === 1 ? '' : 's'}, ${counted} counted)`;
      });
      return `rmap walk \`${e.api}\` over ${n.obj(e.mapping)} pgoff ${e.pgoff}${e.nr > 1 ? `..${e.pgoff + e.nr - 1}` : ''}`
        + (e.path.length ? ` → ${e.path.map((f) => `\`${f}\``).join(' → ')}` : '')
        + `; VMAs: ${vmas.length ? vmas.join(', ') : 'none reached'}` + (e.result !== undefined ? `; result ${e.result}` : '');
    }
    case 'defio': return `fb_defio ${n.obj(e.obj)}: **${e.ev}**${e.page >= 0 ? ` page ${e.page}` : ''} at ${e.time} ms`;
    case 'signal': return `${n.proc(e.pid)} gets **${e.sig}**`;
    case 'oops': return `**kernel oops**: ${e.message}`;
    case 'call': return `\`${e.fn}\``;
    case 'warn': return `warning: ${e.message}`;
    case 'vmas': return undefined;
  }
}

/** The kernel functions a step went through, in first-seen order. */
export function stepFunctions(step: Step): string[] {
  const out: string[] = [];
  const add = (s: string) => { const f = functionOf(s); if (f && !out.includes(f)) out.push(f); };
  for (const e of step.events) {
    if (e.t === 'fault' || e.t === 'walk') { if (e.t === 'walk') add(e.api); e.path.forEach(add); }
    else if (e.t === 'call') add(e.fn);
    else if (e.t === 'defio') add(e.ev === 'track' || e.ev === 'track-again' ? 'fb_deferred_io_track_page' : 'fb_deferred_io_work');
  }
  return out;
}

const stepIndex = new WeakMap<RunResult, Map<number, Step>>();
/** The step that ran the statement on `line`, if it ran. */
export function stepAtLine(r: RunResult, line: number): Step | undefined {
  let m = stepIndex.get(r);
  if (!m) {
    m = new Map();
    for (const s of r.steps) if (s.line >= 0) m.set(s.line, s);
    stepIndex.set(r, m);
  }
  return m.get(line);
}

export interface HoverOptions { /** most events listed */ maxEvents?: number; /** most source links */ maxLinks?: number }

/** Markdown for a hover on the statement at `line`, from the run's trace. */
export function statementHover(r: RunResult, line: number, opts: HoverOptions = {}): string | undefined {
  const stmt = r.scenario.statements.find((s) => s.range.start.line === line);
  if (!stmt) return undefined;
  const maxEvents = opts.maxEvents ?? 12, maxLinks = opts.maxLinks ?? 6;
  const version = r.kernel.toString();
  const parts: string[] = [];
  const kwDoc = stmt.kind.startsWith('expect_') ? expectationDoc(stmt.kind.slice(7).replace(/_.*/, '')) : statementDoc(stmt.kind);
  if (kwDoc) parts.push(`**${kwDoc.syntax}**: ${kwDoc.doc}`);
  if (stmt.kind === 'kernel') {
    const diffs = differencesFrom(r.kernel.version, parseRelease(DEFAULT_KERNEL)!);
    parts.push(diffs.length ? `Linux ${version}, unlike the default ${DEFAULT_KERNEL}:\n\n${diffs.map((d) => `- ${d}`).join('\n')}` : `Linux ${version} follows the same modelled rules as the default ${DEFAULT_KERNEL}.`);
  }
  const step = stepAtLine(r, line);
  if (!step) { parts.push('_Not run (an earlier error stopped the run)._'); return parts.join('\n\n'); }
  if (step.skipped) { parts.push('_Not run: this line has an error._'); return parts.join('\n\n'); }
  if (step.expect) parts.push(`${step.expect.ok ? '✓ holds' : '✗ fails'}: ${step.expect.message}`);
  const n = names(r);
  const lines: string[] = [];
  let shown = 0, hidden = 0;
  for (const e of step.events) {
    const d = describeEvent(e, n);
    if (!d) continue;
    if (shown < maxEvents) { lines.push(`- ${d}`); shown++; } else hidden++;
  }
  if (hidden) lines.push(`- … and ${hidden} more events (Export Trace as JSON for all of them)`);
  if (lines.length) parts.push(`**Linux ${version}** did, at t = ${step.time} ms:\n\n${lines.join('\n')}`);
  else if (!step.expect) parts.push(`Linux ${version}: nothing happened in the kernel for this line.`);
  if (step.result !== undefined) parts.push(`Result: **${step.result}**`);
  const fns = stepFunctions(step).slice(0, maxLinks);
  if (fns.length) parts.push('Source: ' + fns.map((f) => `[${f}](${kernelSourceUrl(f, version)})`).join(' · '));
  return parts.join('\n\n');
}

/** The PTE for (pid, addr) after `step` ran, from the trace's PTE changes. */
export function pteAfterStep(r: RunResult, pid: number, addr: number, stepIdx: number): { flags: number; pfn: number } | undefined {
  let found: { flags: number; pfn: number } | undefined;
  for (const s of r.steps) {
    if (s.index > stepIdx) break;
    for (const e of s.events) if (e.t === 'pte' && e.pid === pid && e.addr === addr) found = e.after;
  }
  return found;
}

function procOfStatement(s: Statement): string | undefined {
  return 'proc' in s && s.proc ? s.proc.name : undefined;
}

/** Markdown for a name's declaration alone (no run needed). */
export function declarationHover(sym: SymbolInfo): string {
  const declLine = sym.decl.start.line + 1;
  switch (sym.kind) {
    case 'process': return `**process ${sym.name}**${sym.parent ? ` (forked from ${sym.parent})` : ''}, declared on line ${declLine}`;
    case 'object': return `**${sym.objKind ?? 'object'} ${sym.name}**${sym.pages !== undefined ? `, ${sym.pages} pages` : ''}, declared on line ${declLine}`;
    case 'label': return `**mapping ${sym.name}** of ${sym.proc ?? '?'}: ${sym.shared ? 'shared' : 'private'} ${sym.mapsObject ?? '?'}`
      + `${sym.pages !== undefined ? `, ${sym.pages} pages` : ''}, declared on line ${declLine}`;
  }
}

/** Markdown for a hover on a name (declaration, and its state at that line). */
export function symbolHover(r: RunResult, sym: SymbolInfo, line: number, character: number): string {
  const parts: string[] = [declarationHover(sym)];
  if (sym.declInvalid) parts.push('_Its declaration has an error: it may not exist at run time._');
  const stmt = r.scenario.statements.find((s) => s.range.start.line === line);
  const step = stepAtLine(r, line);
  if (sym.kind === 'label' && stmt && step) {
    const proc = procOfStatement(stmt);
    const spec = 'pages' in stmt && typeof stmt.pages === 'object' && stmt.pages && 'kind' in stmt.pages ? stmt.pages
      : 'page' in stmt ? stmt.page : undefined;
    const lab = proc ? r.labels.get(proc)?.get(sym.name) : undefined;
    const pid = proc ? r.pids.get(proc) : undefined;
    if (spec && spec.kind === 'named' && spec.target.name === sym.name && lab && pid !== undefined
      && character >= spec.range.start.character && character <= spec.range.end.character) {
      const first = spec.first.value, last = spec.last?.value ?? first;
      const rows: string[] = [];
      for (let i = first; i <= Math.min(last, first + 7); i++) {
        const addr = lab.start + i * 4096;
        const pte = pteAfterStep(r, pid, addr, step.index);
        rows.push(`- \`${sym.name}[${i}]\` @ \`${hex(addr)}\`: ${pte && (pte.flags || pte.pfn) ? `\`${formatPteFlags(pte.flags, pte.pfn)}\` pfn \`${hex(pte.pfn)}\`` : 'no PTE (`pte_none`)'}`);
      }
      if (last > first + 7) rows.push(`- … ${last - first - 7} more pages`);
      parts.push(`PTE in ${proc} after line ${line + 1}:\n\n${rows.join('\n')}`);
    } else if (lab) {
      parts.push(`at \`${hex(lab.start)}\`, vm_pgoff ${lab.pgoff}`);
    }
  } else if (sym.kind === 'process' && step) {
    const pid = r.pids.get(sym.name);
    let faults = 0;
    for (const s of r.steps) {
      if (s.index > step.index) break;
      for (const e of s.events) if (e.t === 'fault' && e.pid === pid && e.outcome !== 'retry') faults++;
    }
    if (pid !== undefined) parts.push(`pid ${pid}; ${faults} page fault${faults === 1 ? '' : 's'} handled up to line ${line + 1}`);
  }
  return parts.join('\n\n');
}

/** The hover at a position: a name's if the position is on one, else the statement's. */
export function hoverAt(r: RunResult, line: number, character: number): string | undefined {
  const sym = r.check.symbolAt(line, character);
  if (sym) return symbolHover(r, sym, line, character);
  return statementHover(r, line);
}

/**
 * The hover of a document too big to run on the editor's thread: declarations and the
 * statement's documentation, without what the kernel did.
 */
export function staticHover(check: CheckResult, lineText: string, line: number, character: number): string | undefined {
  const sym = check.symbolAt(line, character);
  if (sym) return declarationHover(sym);
  const words = lineText.replace(/#.*$/, '').trim().split(/\s+/);
  const doc = words[0] === 'expect' ? expectationDoc(words[1] ?? '') : statementDoc(words[0] ?? '');
  return doc ? `**${doc.syntax}**: ${doc.doc}\n\n_Large scenario: it runs off the editor's thread; open the inspector to see what the kernel did for this line._` : undefined;
}
