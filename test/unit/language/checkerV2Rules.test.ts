// The checker's language-v2 rules (src/language/checker.ts; the spec's "Language v2"
// sections) with their full messages: the swap device swapon would refuse, `expect error`
// placement and errnos, rmap-walk APIs, folio and THP sizes, madvise address refusals,
// split/migrate of one page, the flags `expect folio` and `expect vma` check for conflicts,
// and a mapping grown by mremap.

import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import { check } from '../../../src/language/checker';

/** `LINE:COL-ENDCOL CODE message` of parse + check (1-based). */
function diags(text: string): string[] {
  const { scenario, diagnostics } = parse(text);
  return [...diagnostics, ...check(scenario).diagnostics].map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.character + 1} ${d.code} ${d.message}`);
}

const PM = 'process p\nmmap p anon at 0x1000000 pages 4 private rw as m\n';
const APIS = 'folio_mkclean, mapping_wrprotect_range, pfn_mkclean_range, unmap_mapping_range, rmap_walk_anon, try_to_unmap, try_to_migrate, remove_migration_ptes, folio_referenced, retract_page_tables';

const CASES: [string, string[]][] = [
  // mm/swapfile.c sys_swapon(): the header page plus at least one slot
  ['sysctl swap pages 1', ['1:19-20 MMS306 a swap device of 1 page has no slot after its header page: swapon refuses it (EINVAL)']],
  ['sysctl swap pages 0', ['1:19-20 MMS306 a swap device of 0 pages has no slot after its header page: swapon refuses it (EINVAL)']],
  ['sysctl swap pages 2', []],
  ['sysctl swap pages 8\nprocess p\nsysctl swap pages 8', ['3:8-12 MMS306 a second swap device: mmscope models one (the first is at line 1)']],
  // a refused device is none: the next sysctl swap is the first
  ['sysctl swap pages 1\nsysctl swap pages 8', ['1:19-20 MMS306 a swap device of 1 page has no slot after its header page: swapon refuses it (EINVAL)']],
  // expect error: right after the statement it expects to fail
  ['expect error EINVAL', ["1:1-13 MMS217 'expect error' goes right after the statement it expects to fail (mmap, mremap, mprotect, ...)"]],
  ['kernel 6.15\nexpect error EINVAL', ["2:1-13 MMS217 'expect error' goes right after the statement it expects to fail (mmap, mremap, mprotect, ...)"]],
  [`${PM}expect vmas p 1\nexpect error EINVAL`, ["4:1-13 MMS217 'expect error' goes right after the statement it expects to fail (mmap, mremap, mprotect, ...)"]],
  [`${PM}mprotect p m r\nexpect error EINVAL`, []],
  [`${PM}mprotect p m r\nexpect error EWHAT`, [
    "4:14-19 MMS216 unknown errno 'EWHAT' (expected EINVAL, ENOMEM, EFAULT, EEXIST, EACCES, EBUSY, EAGAIN, EPERM, ENOENT, EIO, EHWPOISON, EOPNOTSUPP)",
  ]],
  // expect walk API: a known API, a near one, an unknown one; the entries' pages
  [`${PM}expect walk folio_mkclean p:m`, []],
  [`${PM}expect walk folio_mkclen p:m`, [`3:13-25 MMS215 unknown rmap-walk API 'folio_mkclen' (did you mean 'folio_mkclean'? expected ${APIS})`]],
  [`${PM}expect walk zzzz p:m`, [`3:13-17 MMS215 unknown rmap-walk API 'zzzz' (expected ${APIS})`]],
  [`${PM}expect walk p:m[3]\nexpect walk p:m[4]`, [
    "4:17-18 MMS305 page 4 is past the end of mapping 'm' of 'p' (4 pages: 0..3, counted from the mapping's original start)",
  ]],
  // folio sizes: 8K..2M powers of two; THP sizes: 16K..2M
  ['file f pages 4 folio 8K\nfile g pages 512 folio 2M', []],
  ['file g pages 4 folio 12K', ['1:22-25 MMS310 folio 12K: a folio size is a power of two from 8K to 2M']],
  ['file h pages 4 folio 4K', ['1:22-24 MMS310 folio 4K: a folio size is a power of two from 8K to 2M']],
  ['file i pages 1024 folio 4M', ['1:25-27 MMS310 folio 4M: a folio size is a power of two from 8K to 2M']],
  ['sysctl thp anon 16K always\nsysctl thp anon 2M always\nsysctl thp shmem 64K always', []],
  ['sysctl thp anon 8K always', ['1:17-19 MMS310 no hugepages-8K directory: a THP size is a power of two from 16K to 2M']],
  ['sysctl thp shmem 4M always', ['1:18-20 MMS310 no hugepages-4M directory: a THP size is a power of two from 16K to 2M']],
  // madvise refuses addresses as mprotect does, and says madvise
  [`${PM}madvise p 0x1000001 pages 1 dontneed`, ['3:11-20 MMS301 madvise: address 0x1000001 is not page-aligned (the kernel refuses it with EINVAL)']],
  [`${PM}madvise p 0x800000000000 pages 1 dontneed`, ['3:11-25 MMS501 madvise: address 0x800000000000 is outside the 47-bit user address space (TASK_SIZE 0x7ffffffff000): ENOMEM']],
  // split and migrate: one page of an object, or a page of a mapping
  ['file f pages 4\nsplit f[0..1]\nmigrate f[0..1]\nsplit f[3]\nmigrate f[3]', [
    '2:9-13 MMS307 split takes one page (OBJ[I]), not a range', '3:11-15 MMS307 migrate takes one page (OBJ[I]), not a range',
  ]],
  [`${PM}split p m[4]\nmigrate p m[4]\nsplit p m[3]\nmigrate p m[3]`, [
    "3:11-12 MMS305 page 4 is past the end of mapping 'm' of 'p' (4 pages: 0..3, counted from the mapping's original start)",
    "4:13-14 MMS305 page 4 is past the end of mapping 'm' of 'p' (4 pages: 0..3, counted from the mapping's original start)",
  ]],
  // expect folio of a process's page; order and folio_mapcount are values, not flags in conflict
  [`${PM}expect folio p m[4] dirty\nexpect folio p m[0] order 1 order 2 folio_mapcount 1 folio_mapcount 2 dirty !dirty`, [
    "3:18-19 MMS305 page 4 is past the end of mapping 'm' of 'p' (4 pages: 0..3, counted from the mapping's original start)",
    "4:77-83 MMS308 '!dirty' contradicts 'dirty' earlier on this line: the expectation can never hold",
  ]],
  [`${PM}expect vma p m[0] write !write\nexpect vma p m[0] write write`, [
    "3:25-31 MMS308 '!write' contradicts 'write' earlier on this line: the expectation can never hold",
    "4:25-30 MMS308 flag 'write' is given twice",
  ]],
  // mremap growing a mapping: its label names the pages gained; shrinking keeps the original count
  [`${PM}mremap p m pages 8\nwrite p m[7]\nwrite p m[8]`, [
    "5:11-12 MMS305 page 8 is past the end of mapping 'm' of 'p' (8 pages: 0..7, counted from the mapping's original start)",
  ]],
  [`${PM}mremap p m pages 2\nwrite p m[3]`, []],
  // mremap: an empty range or new size is named mremap
  [`${PM}mremap p 0x1000000 pages 0 to 0x5000000\nmremap p m pages 0`, [
    "3:26-27 MMS302 mremap: 'pages 0' is empty; give at least 1 page", "4:18-19 MMS302 mremap: 'pages 0' is empty; give at least 1 page",
  ]],
  // expect vma: flags with a value (pages, pgoff, start, end) are not checked for conflicts
  [`${PM}expect vma p m[0] pages 2 pages 3 pgoff 0 pgoff 1`, []],
  // the statement named where an object is needed
  [`${PM}expect i_mmap anon p:m\nexpect defio zero written 0`, [
    "3:15-19 MMS210 expect i_mmap needs an object (file, shmem, fbdev or pfnmap); 'anon' is anonymous memory, not an object",
    "4:14-18 MMS210 expect defio needs an fbdev; 'zero' is the zero page, not an object",
  ]],
  // expect pte same PROC LABEL[I]: the other process's label is checked
  ['file f pages 2\nprocess p\nprocess q\nmmap p f at 0x1000000 pages 2 shared rw as m\nmmap q f at 0x2000000 pages 2 shared rw as n\n' +
    'expect pte p m[0] same q n[0]\nexpect pte p m[0] same q zz[0]\nexpect pte p m[0] same zz n[0]', [
    "7:26-28 MMS203 process 'q' has no mapping labelled 'zz'",
    "8:24-26 MMS201 unknown process 'zz'",
  ]],
  // the walks, VMAs and i_mmap an exited process had stay nameable (as its faults and signal)
  [`file f pages 2\n${PM}mmap p f at 0x2000000 pages 2 shared rw as s\nexit p\nexpect vmas p 0\nexpect walk p:m\nexpect i_mmap f p:s`, []],
  // the folio an exited process maps: it maps none (MMS209, as expect pte)
  [`${PM}write p m[0]\nexit p\nexpect folio p m[0] !large`, ["5:14-15 MMS209 process 'p' has exited"]],
  // mTHP knobs before their release: the file each lacks, with the kernel line as related information
  ['kernel 6.1\nsysctl thp anon 64K always\nsysctl thp shmem 64K always', [
    '2:1-7 MMS404 sysctl thp anon 64K: /sys/kernel/mm/transparent_hugepage/hugepages-<size>/enabled exists only from Linux 6.8 (multi-size anonymous THP); this scenario is for 6.1',
    '3:1-7 MMS404 sysctl thp shmem 64K: /sys/kernel/mm/transparent_hugepage/hugepages-<size>/shmem_enabled exists only from Linux 6.11 (shmem mTHP); this scenario is for 6.1',
  ]],
];

describe('checker: language v2 rules with their messages', () => {
  it('an mTHP knob before its release points at the kernel line that selected the release', () => {
    const d = check(parse('kernel 6.1\nsysctl thp anon 64K always\n').scenario).diagnostics;
    assert.deepEqual(d.map((x) => x.related?.map((r) => `${r.message}@${r.range.start.line + 1}`)), [['kernel 6.1 selected here@1']]);
  });

  for (const [text, want] of CASES) {
    it(text.replace(/\n/g, ' ⏎ '), () => { assert.deepEqual(diags(text), want); });
  }
});
