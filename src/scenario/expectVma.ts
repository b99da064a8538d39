// Language v2 expectations about VMAs and refusals: `expect vma`, `expect vmas`,
// `expect i_mmap`, `expect walk API ...` and `expect error`. A VMA is written
// `PROC:LABEL` by the label of its lowest page (`PROC:LABEL[I]` when the first page it
// holds is LABEL[I]).

import type { ExpectError, ExpectIMmap, ExpectVma, ExpectVmas, ExpectWalk, WalkEntry } from '../language/ast';
import { VM_READ, VM_SHARED, VM_SOFTDIRTY, VM_WRITE, type Vma } from '../engine/vma';
import { addrAt, expectedPages, type RunState } from './state';
import type { ExpectOutcome } from './expect';

const hex = (n: number) => '0x' + n.toString(16);
const pass = (message: string): ExpectOutcome => ({ ok: true, message });
const fail = (message: string): ExpectOutcome => ({ ok: false, message });
const list = (l: string[]) => (l.length ? l.join(', ') : 'none');

/** A VMA as the expectations name it: process, label of its lowest page and that page's index. */
interface Named { proc: string; label: string | undefined; index: number | undefined; skipped: boolean; id: number }

function procName(st: RunState, pid: number): string { return st.k.tasks.get(pid)?.name ?? String(pid); }

function named(st: RunState, v: Vma, skipped = false): Named {
  const at = v.mm.labels.at(v.start);
  return { proc: procName(st, v.mm.pid), label: at?.label, index: at?.index, skipped, id: v.id };
}

/** The text of a list, with `[I]` where a label names more than one entry. */
function texts(list: Named[]): string[] {
  const count = new Map<string, number>();
  for (const n of list) count.set(`${n.proc}:${n.label}`, (count.get(`${n.proc}:${n.label}`) ?? 0) + 1);
  return list.map((n) => {
    const base = `${n.skipped ? '~' : ''}${n.proc}:${n.label ?? `vma#${n.id}`}`;
    return (count.get(`${n.proc}:${n.label}`) ?? 0) > 1 && n.index !== undefined ? `${base}[${n.index}]` : base;
  });
}

function entryText(e: WalkEntry): string {
  return `${e.skipped ? '~' : ''}${e.proc.name}:${e.label.name}${e.index ? `[${e.index.value}]` : ''}`;
}

function matches(want: readonly WalkEntry[], got: Named[]): boolean {
  return want.length === got.length && want.every((e, i) => {
    const g = got[i];
    return e.skipped === g.skipped && e.proc.name === g.proc && e.label.name === g.label && (!e.index || e.index.value === g.index);
  });
}

export function expectIMmap(st: RunState, e: ExpectIMmap): ExpectOutcome {
  const obj = st.objects.get(e.obj.name);
  if (!obj) return fail(`no object ${e.obj.name}`);
  const got = obj.iMmap.inorder().map((v) => named(st, v));
  return matches(e.entries, got) ? pass(`i_mmap of ${obj.name}: ${list(texts(got))}`)
    : fail(`expected the i_mmap tree of ${obj.name} to be ${list(e.entries.map(entryText))} (in-order), found ${list(texts(got))}`);
}

/** `expect walk API ...` (and `expect walk` with `[I]` entries): the last walk of that API. */
export function expectWalkApi(st: RunState, e: ExpectWalk): ExpectOutcome {
  const w = e.api ? st.rec.lastWalkOf.get(e.api.name) : st.rec.lastWalk;
  const what = e.api ? `the last ${e.api.name} walk` : 'the last rmap walk';
  const got: Named[] = (w?.visits ?? []).map((v) => {
    const vma = st.k.tasks.get(v.pid)?.mm.vmas.find((x) => x.id === v.vma);
    return vma ? named(st, vma, v.skipped) : { proc: procName(st, v.pid), label: v.label, index: undefined, skipped: v.skipped, id: v.vma };
  });
  if (matches(e.entries, got)) return pass(`${what}: ${list(texts(got))}`);
  return fail(`expected ${what} to reach ${list(e.entries.map(entryText))}, found ${w ? list(texts(got)) : `that no ${e.api?.name ?? 'rmap'} walk has run`}`);
}

export function expectVmas(st: RunState, e: ExpectVmas): ExpectOutcome {
  const t = st.tasksByName.get(e.proc.name);
  const n = t && t.alive ? t.mm.vmas.length : 0;
  return n === e.value.value ? pass(`${e.proc.name} has ${n} VMAs`) : fail(`expected ${e.proc.name} to have ${e.value.value} VMAs, found ${n}`);
}

export function expectVma(st: RunState, e: ExpectVma): ExpectOutcome {
  const at = expectedPages(st, e.proc.name, e.pages);
  if (typeof at === 'string') return fail(at);
  const { t, range } = at;
  for (let n = 0; n < range.count; n++) {
    const a = addrAt(range, n);
    const v = t.alive ? t.mm.vma_lookup(a) : undefined;
    if (!v) return fail(`expected a VMA of ${e.proc.name} at ${hex(a)}, found none`);
    const desc = `${hex(v.start)}-${hex(v.end)} pgoff ${v.pgoff} ${v.has(VM_SHARED) ? 'shared' : 'private'} ${protText(v)}${v.has(VM_SOFTDIRTY) ? ' softdirty' : ''}${v.anonVma ? ' anon_vma' : ''}`;
    for (const f of e.flags) {
      let holds: boolean;
      switch (f.kind) {
        case 'start': holds = v.start === f.value.value; break;
        case 'end': holds = v.end === f.value.value; break;
        case 'pages': holds = v.pages === f.value.value; break;
        case 'pgoff': holds = v.pgoff === f.value.value; break;
        case 'shared': holds = v.has(VM_SHARED); break;
        case 'private': holds = !v.has(VM_SHARED); break;
        case 'read': holds = v.has(VM_READ); break;
        case 'write': holds = v.has(VM_WRITE); break;
        case 'none': holds = !v.has(VM_READ | VM_WRITE); break;
        case 'softdirty': holds = v.has(VM_SOFTDIRTY); break;
        case 'anon_vma': holds = !!v.anonVma; break;
      }
      if (holds === f.negated) {
        const flag = 'value' in f ? `${f.kind} ${f.value.text}` : f.kind;
        return fail(`expected the VMA of ${e.proc.name} at ${hex(a)} to be ${f.negated ? '!' : ''}${flag}, found ${desc}`);
      }
    }
  }
  return pass('VMA state holds');
}

function protText(v: Vma): string {
  return v.has(VM_READ | VM_WRITE) ? `${v.has(VM_READ) ? 'r' : '-'}${v.has(VM_WRITE) ? 'w' : '-'}` : 'none';
}

/** `expect error ERRNO`: the statement before it (the step before this one) was refused with ERRNO. */
export function expectError(st: RunState, e: ExpectError): ExpectOutcome {
  const steps = st.rec.steps;
  const prev = steps[steps.length - 2];
  const got = prev?.errno;
  if (got === e.errno.name) return pass(`refused with ${got}`);
  return fail(`expected the statement before to fail with ${e.errno.name}, found ${got ? `that it failed with ${got}` : 'that it succeeded'}`);
}
