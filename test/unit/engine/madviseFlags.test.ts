// mm/madvise.c: the advices that only change VMA flags (src/engine/madviseFlags.ts), one rule
// per test, named for the kernel function: MADV_DONTFORK / MADV_DOFORK (madvise_vma_behavior
// → madvise_update_vma) and what dup_mmap() does with VM_DONTCOPY.

import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { VM_DONTCOPY } from '../../../src/engine/vma';
import { BASE, task } from './helpers';

const SRC = `kernel 6.12\nprocess p\nmmap p anon at ${BASE} pages 8 private rw as m\nwrite p m[0..7]\n`;
const vmaFlags = (r: ReturnType<typeof runText>, proc: string) => task(r, proc).mm.vmas.map((v) => [(v.start - BASE) / 4096, (v.end - BASE) / 4096, (v.flags & VM_DONTCOPY) !== 0]);

describe('mm/madvise.c: MADV_DONTFORK / MADV_DOFORK', () => {
  it('madvise_vma_behavior: DONTFORK sets VM_DONTCOPY on the range only, splitting the VMA (madvise_update_vma → vma_modify_flags)', () => {
    const r = runText(`${SRC}madvise p m[2..5] dontfork`);
    assert.equal(r.exitStatus, 0, JSON.stringify(r.diagnostics));
    assert.deepEqual(vmaFlags(r, 'p'), [[0, 2, false], [2, 6, true], [6, 8, false]]);
  });

  it('dup_mmap: a fork does not copy a VM_DONTCOPY VMA; the child faults there with SIGSEGV', () => {
    const r = runText(`${SRC}madvise p m[4..7] dontfork\nfork p as c\nexpect vmas c 1\nexpect pte c m[0] present same p m[0]\nread c m[4]\nexpect signal c SIGSEGV\n`);
    assert.deepEqual([r.passed, r.failed, r.exitStatus], [3, 0, 0], JSON.stringify(r.diagnostics));
    assert.deepEqual(vmaFlags(r, 'c'), [[0, 4, false]]);
  });

  it('madvise_vma_behavior: DOFORK clears VM_DONTCOPY and the parts merge back into one VMA', () => {
    const r = runText(`${SRC}madvise p m[2..5] dontfork\nmadvise p m[0..7] dofork\nfork p as c\nexpect pte c m[4] present same p m[4]\n`);
    assert.deepEqual([r.passed, r.failed], [1, 0], JSON.stringify(r.diagnostics));
    assert.deepEqual(vmaFlags(r, 'p'), [[0, 8, false]]);
  });

  it('madvise_vma_behavior: DOFORK of a VM_IO mapping (a remap_pfn_range device) fails with EINVAL; DONTFORK of it works', () => {
    const dev = `pfnmap d pages 2\nprocess a\nmmap a d at ${BASE} pages 2 shared rw as m\n`;
    const ok = runText(`${dev}madvise a m[0..1] dontfork\n`);
    assert.equal(ok.exitStatus, 0, JSON.stringify(ok.diagnostics));
    const r = runText(`${dev}madvise a m[0..1] dofork\nexpect error EINVAL\n`);
    assert.deepEqual([r.passed, r.failed], [1, 0], JSON.stringify(r.diagnostics));
  });

  it('madvise_walk_vmas: a hole in the range gives ENOMEM after the mapped parts were changed', () => {
    const r = runText(`${SRC}mmap p anon at ${BASE + 12 * 4096} pages 2 private rw as n\nmadvise p ${BASE} pages 14 dontfork\nexpect error ENOMEM\nfork p as c\nexpect vmas c 0\n`);
    assert.deepEqual([r.passed, r.failed], [2, 0], JSON.stringify(r.diagnostics));
  });
});
