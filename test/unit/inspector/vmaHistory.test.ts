// The inspector's VMA history (src/views/vmaHistory.ts): a merge, a split and a move show as
// what happened to each VMA at that step, with the i_mmap tree before and after it.

import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { InspectorSession } from '../../../src/views/inspectorService';
import type { StepDetail } from '../../../src/shared/inspectorView';

const TEXT = `file f pages 6
process a
process b
mmap a f at 0x10000000 pages 2 shared rw as x
mmap b f at 0x20000000 pages 6 shared rw as w
mmap a f at 0x10002000 pages 2 offset 2 shared rw as y
mprotect a y r
mremap a x to 0x30000000
read a y[0]
`;

function detail(step: number): StepDetail {
  const s = new InspectorSession(runText(TEXT), TEXT);
  const a = s.answer({ q: 'step', step });
  assert.ok(a.q === 'step');
  return a.detail;
}

describe('inspector: VMA history (split, merge, move) and i_mmap before/after', () => {
  it('a merge: x grew over y; i_mmap before has a:x before b:w, after behind it', () => {
    const d = detail(5);
    const a = d.procs.find((p) => p.name === 'a')!;
    assert.deepEqual(a.vmaChanges, [{ kind: 'grew', label: 'x', before: '0x10000000–0x10002000 pgoff 0', after: '0x10000000–0x10004000 pgoff 0' }]);
    const f = d.objects.find((o) => o.name === 'f')!;
    assert.deepEqual(f.iMmapBefore!.map((v) => `${v.proc}:${v.label}`), ['a:x', 'b:w']);
    assert.deepEqual(f.iMmap.map((v) => `${v.proc}:${v.label}`), ['b:w', 'a:x']);
    assert.equal(d.procs.find((p) => p.name === 'b')!.vmaChanges, undefined);
  });

  it('a split by mprotect of the upper half: split_vma(new_below) makes the lower piece new (x), the original shrinks to y', () => {
    const a = detail(6).procs.find((p) => p.name === 'a')!;
    assert.deepEqual(a.vmaChanges!.map((c) => `${c.kind} ${c.label}`), ['new x', 'shrank y']);
  });

  it('a move by mremap: a new VMA at the target, the old one removed; no history on a step that changed no VMA', () => {
    const a = detail(7).procs.find((p) => p.name === 'a')!;
    assert.deepEqual(a.vmaChanges!.map((c) => `${c.kind} ${c.label} ${c.after ?? c.before}`), ['new x 0x30000000–0x30002000 pgoff 0', 'removed x 0x10000000–0x10002000 pgoff 0']);
    const r = detail(8);
    assert.ok(r.procs.every((p) => !p.vmaChanges) && r.objects.every((o) => !o.iMmapBefore));
  });
});
