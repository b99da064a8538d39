// Writes test/selftests/cow-thp-<SIZE>k.mms: cow.c's "Basic COW after fork()" tests
// (test_cow_in_parent, test_cow_in_parent_mprotect), its four vmsplice() tests
// (test_vmsplice_in_child[_mprotect], test_vmsplice_before_fork, test_vmsplice_after_fork) and
// its two io_uring fixed-buffer tests (test_iouring_ro, test_iouring_fork) and its six R/O
// long-term pin tests (test_ro_pin_on_shared, test_ro_fast_pin_on_shared,
// test_ro_pin_on_ro_previously_shared, ..._fast_..., test_ro_pin_on_ro_exclusive, ..._fast_...)
// on large folios, one section per do_run_with_thp() variant; test/selftests/
// cow-vmsplice-base-page.mms, cow-iouring-base-page.mms and cow-ropin-base-page.mms (those
// tests with run_with_base_page[_swap]); and cow-ropin-non-anon.mms (test_ro_pin and
// test_ro_fast_pin with the shared zeropage, a memfd, a tmpfile and the huge zeropage), as
// tools/testing/selftests/mm/cow.c of Linux 6.12.118 does them. They need language v2 (THP
// knobs, madvise, mremap, swap, `same`) and the extensions `vmsplice` / `expect pipe` and
// `pin [readonly [fast]]` / `expect pin`.
//   node scripts/selftests/gen-cow-v2.mjs
// Not generated (not expressible): the hugetlb runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(root, 'test/selftests');
mkdirSync(out, { recursive: true });

const PMD_KB = 2048;
const SIZES_KB = [16, 32, 64, 128, 256, 512, 1024, 2048];
const TESTS = [
  { desc: 'Basic COW after fork()', fn: 'test_cow_in_parent', mprotect: false },
  { desc: 'Basic COW after fork() with mprotect() optimization', fn: 'test_cow_in_parent_mprotect', mprotect: true },
  { desc: 'vmsplice() + unmap in child', fn: 'test_vmsplice_in_child', mprotect: false, vmsplice: 'child' },
  { desc: 'vmsplice() + unmap in child with mprotect() optimization', fn: 'test_vmsplice_in_child_mprotect', mprotect: true, vmsplice: 'child' },
  { desc: 'vmsplice() before fork(), unmap in parent after fork()', fn: 'test_vmsplice_before_fork', mprotect: false, vmsplice: 'before' },
  { desc: 'vmsplice() + unmap in parent after fork()', fn: 'test_vmsplice_after_fork', mprotect: false, vmsplice: 'after' },
  { desc: 'R/O-mapping a page registered as iouring fixed buffer', fn: 'test_iouring_ro', iouring: 'ro' },
  { desc: 'fork() with an iouring fixed buffer', fn: 'test_iouring_fork', iouring: 'fork' },
  ...['shared', 'previously-shared', 'exclusive'].flatMap((ropin) => [false, true].map((fast) => (
    { desc: `R/O GUP${fast ? '-fast' : ''} pin on R/O-mapped ${ropin} page`, fn: `test_ro${fast ? '_fast' : ''}_pin_on_${ropin === 'shared' ? '' : 'ro_'}${ropin.replace('-', '_')}`, ropin, fast }))),
];

/**
 * The body of a R/O pin test on pages first..last of label m of process P (cow.c
 * do_test_ro_pin): the page shared with a child that stays alive, or previously shared (the
 * child has quit), or exclusive but mapped R/O (mprotect(PROT_READ), clear_softdirty(),
 * mprotect(PROT_READ | PROT_WRITE)); then PIN_LONGTERM_TEST_START takes a long-term R/O pin
 * ("This should trigger unsharing"), memset(mem, 0xff) and PIN_LONGTERM_TEST_READ must read
 * what the process wrote: "Longterm R/O pin is reliable".
 */
function roPinBody(t, P, C, B, first, last) {
  const r = `m[${first}..${last}]`;
  return [
    ...(t.ropin === 'exclusive'
      ? [`mprotect ${P} ${r} r`, `clear_refs ${P} softdirty       # clear_softdirty(): no mprotect() write upgrade`, `mprotect ${P} ${r} rw`]
      : [`fork ${P} as ${C}`, ...(t.ropin === 'shared' ? [] : [`exit ${C}                        # the child quits; the parent wait()s`])]),
    `pin ${P} ${r} as ${B} readonly${t.fast ? ' fast' : ''}   # PIN_LONGTERM_TEST_START: ${t.fast ? 'pin_user_pages_fast' : 'pin_user_pages'}(FOLL_LONGTERM), R/O`,
    `write ${P} ${r}               # memset(mem, 0xff, size)`,
    `expect pin ${B} changed      # PIN_LONGTERM_TEST_READ reads what the process wrote: the pin is reliable`,
    ...(t.ropin === 'shared' ? [`exit ${C}`] : []), `exit ${P}`, ''];
}

/**
 * The body of an io_uring test on pages first..last of label m of process P (cow.c
 * do_test_iouring): io_uring_register_buffers() pins the range (FOLL_WRITE | FOLL_LONGTERM);
 * then either fork() with the child kept alive, or mprotect(PROT_READ), clear_refs
 * (soft-dirty) and mprotect(PROT_READ | PROT_WRITE) to map it R/O; memset(mem, 0xff) and an
 * IORING_OP_WRITE_FIXED from the buffer must store what the process wrote: "Longterm R/W pin
 * is reliable".
 */
function iouringBody(t, P, C, B, first, last) {
  const r = `m[${first}..${last}]`;
  return [`pin ${P} ${r} as ${B}               # io_uring_register_buffers(): FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM`,
    ...(t.iouring === 'fork' ? [`fork ${P} as ${C}                   # the child stays alive until the check`]
      : [`mprotect ${P} ${r} r`, `clear_refs ${P} softdirty       # clear_softdirty(): no mprotect() write upgrade`, `mprotect ${P} ${r} rw`]),
    `write ${P} ${r}               # memset(mem, 0xff, size)`,
    `expect pin ${B} changed      # WRITE_FIXED stores what the process wrote: the pin is reliable`,
    ...(t.iouring === 'fork' ? [`exit ${C}`] : []), `exit ${P}`, ''];
}

/**
 * The body of a vmsplice test on pages first..last of label m of process P (cow.c
 * child_vmsplice_memcmp_fn / do_test_vmsplice_in_parent): memcpy(old, mem, size) reads the
 * range, vmsplice() takes references to (at most 16 of) its pages, the splicing side
 * unmaps the range, the other side writes it (memset 0xff), and the pipe must still read
 * the old data: "No leak from parent into child" / "No leak from child into parent".
 */
function vmspliceBody(t, P, C, V, first, last) {
  const r = `m[${first}..${last}]`;
  if (t.vmsplice === 'child') {
    return [`fork ${P} as ${C}`,
      `read ${C} ${r}                # the child's memcpy(old, mem, size)`,
      `vmsplice ${C} ${r} as ${V}    # R/O GUP: references to the first 16 pages at most`,
      `munmap ${C} ${r}`,
      ...(t.mprotect ? [`mprotect ${P} ${r} r`, `mprotect ${P} ${r} rw`] : []),
      `write ${P} ${r}               # memset(mem, 0xff, size)`,
      `expect pipe ${V} unchanged    # the child reads the pipe: no leak from parent into child`,
      `exit ${C}`, `exit ${P}`, ''];
  }
  const splice = `vmsplice ${P} ${r} as ${V}`;
  return [`read ${P} ${r}                # memcpy(old, mem, size)`,
    ...(t.vmsplice === 'before' ? [splice, `fork ${P} as ${C}`] : [`fork ${P} as ${C}`, splice]),
    `munmap ${P} ${r}`,
    `write ${C} ${r}               # the child's memset(mem, 0xff, size)`,
    `exit ${C}`,
    `expect pipe ${V} unchanged    # the parent reads the pipe: no leak from child into parent`,
    `exit ${P}`, ''];
}
// [RUN] title, cow.c function, kind
const VARIANTS = [
  { title: (kb) => `THP (${kb} kB)`, run: 'THP_RUN_PMD', pmdOnly: true, swap: false, kind: 'pmd' },
  { title: (kb) => `swapped-out THP (${kb} kB)`, run: 'THP_RUN_PMD_SWAPOUT', pmdOnly: true, swap: true, kind: 'pmd' },
  { title: (kb) => `PTE-mapped THP (${kb} kB)`, run: 'THP_RUN_PTE', swap: false, kind: 'pte' },
  { title: (kb) => `swapped-out, PTE-mapped THP (${kb} kB)`, run: 'THP_RUN_PTE_SWAPOUT', swap: true, kind: 'pte' },
  { title: (kb) => `single PTE of THP (${kb} kB)`, run: 'THP_RUN_SINGLE_PTE', swap: false, kind: 'single' },
  { title: (kb) => `single PTE of swapped-out THP (${kb} kB)`, run: 'THP_RUN_SINGLE_PTE_SWAPOUT', swap: true, kind: 'single' },
  { title: (kb) => `partially mremap()'ed THP (${kb} kB)`, run: 'THP_RUN_PARTIAL_MREMAP', swap: false, kind: 'mremap' },
  { title: (kb) => `partially shared THP (${kb} kB)`, run: 'THP_RUN_PARTIAL_SHARED', swap: false, kind: 'shared' },
];

const hex = (n) => '0x' + n.toString(16);

// The io_uring and R/O pin tests go in files of their own (cow-iouring-thp-<SIZE>k.mms,
// cow-ropin[-fast]-thp-<SIZE>k.mms): with them the THP files would hold more processes than
// the oracle's guest runs in one scenario (64).
const GROUPS = [
  { prefix: '', tests: TESTS.filter((x) => !x.iouring && !x.ropin), about: 'test_cow_in_parent() / test_cow_in_parent_mprotect()' },
  { prefix: 'iouring-', tests: TESTS.filter((x) => x.iouring), about: 'test_iouring_ro() / test_iouring_fork() (do_test_iouring()).' },
  { prefix: 'ropin-', tests: TESTS.filter((x) => x.ropin && !x.fast), about: 'the three R/O GUP pin tests (do_test_ro_pin(), pin_user_pages()).' },
  { prefix: 'ropin-fast-', tests: TESTS.filter((x) => x.ropin && x.fast), about: 'the three R/O GUP-fast pin tests (do_test_ro_pin(), pin_user_pages_fast()).' },
];
for (const [kb, g] of SIZES_KB.flatMap((x) => GROUPS.map((g) => [x, g]))) {
  const iouring = g.prefix !== '';
  const n = kb / 4;                       // pages per THP
  const lines = [
    `# tools/testing/selftests/mm/cow.c, Linux 6.12.118 (not in 6.1's tree): run_anon_test_case() ->`,
    `# do_run_with_thp(fn, THP_RUN_*, ${kb} KiB) with ${g.about}`,
    iouring ? '# Generated by scripts/selftests/gen-cow-v2.mjs.' : '# (do_test_cow_in_parent()) and the vmsplice tests. Generated by scripts/selftests/gen-cow-v2.mjs.',
    `# mmap 2 * thpsize, use the thpsize-aligned half (pages ${n}..${2 * n - 1} of the label), MADV_HUGEPAGE,`,
    '# write the first page (a THP is populated if the last page is present; the selftest skips',
    '# otherwise), memset the whole THP; then the variant; then fork, the parent writes the range',
    '# (memset 0xff) and the child compares: "No leak from parent into child", stated as',
    '# "parent and child no longer map the same page" at the first and last page of the range.',
    '# Knobs as cow.c sets them: hugepages-<size>kB always, the PMD size never (for the PMD size:',
    '# always); the top-level `enabled` as the guest boots it (always). 6.1 has no per-size knobs.',
    '',
    'sysctl thp enabled always',
  ];
  if (kb !== PMD_KB) lines.push('sysctl thp anon 2M never', `sysctl thp anon ${kb}K always`);
  lines.push('sysctl swap pages 12288                  # the guest\'s 48 MiB swap file', '');
  let sec = 0;
  for (const t of g.tests) {
    for (const v of VARIANTS) {
      if (v.pmdOnly && kb !== PMD_KB) continue;
      const P = `p${sec}`, C = `c${sec}`, V = `${t.iouring || t.ropin ? 'b' : 'v'}${sec}`;
      const base = 0x7e0000000000 + sec * 0x1000000;
      sec++;
      const first = n;
      let size = n;
      lines.push(`# selftest: cow ${t.desc} ... with ${v.title(kb)}`);
      lines.push(`process ${P}`);
      lines.push(`mmap ${P} anon at ${hex(base)} pages ${2 * n} private rw as m`);
      lines.push(`madvise ${P} m[${first}..${2 * n - 1}] hugepage`);
      lines.push(`write ${P} m[${first}]                     # mem[0] = 1`);
      lines.push(`expect pte ${P} m[${2 * n - 1}] present        # a THP was populated`);
      lines.push(`write ${P} m[${first}..${2 * n - 1}]             # memset(mem, 1, thpsize)`);
      if (v.kind === 'pte') {
        lines.push(`mprotect ${P} m[${first + 1}..${first + 1}] r          # PTE-map the THP`);
        lines.push(`mprotect ${P} m[${first + 1}..${first + 1}] rw`);
      } else if (v.kind === 'single') {
        lines.push(`madvise ${P} m[${first + 1}..${2 * n - 1}] dontneed   # keep a single PTE`);
        size = 1;
      } else if (v.kind === 'shared') {
        const S = `s${sec - 1}`;
        lines.push(`madvise ${P} m[${first + 1}..${2 * n - 1}] dontfork   # share only the first page with a child`);
        lines.push(`fork ${P} as ${S}`, `exit ${S}                        # the child quits; the parent wait()s`);
        lines.push(`madvise ${P} m[${first + 1}..${2 * n - 1}] dofork     # allow sharing all pages again`);
      } else if (v.kind === 'mremap') {
        const half = n / 2;
        lines.push(`mremap ${P} m[${first + half}..${2 * n - 1}] to ${hex(base + 0x800000)}   # remap the upper half`);
        size = half;
      }
      const last = first + size - 1;
      if (v.swap) {
        lines.push(`madvise ${P} m[${first}..${last}] pageout`);
        lines.push(`expect pte ${P} m[${first}..${last}] swap          # range_is_swapped()`);
      }
      if (t.vmsplice) { lines.push(...vmspliceBody(t, P, C, V, first, last)); continue; }
      if (t.iouring) { lines.push(...iouringBody(t, P, C, V, first, last)); continue; }
      if (t.ropin) { lines.push(...roPinBody(t, P, C, V, first, last)); continue; }
      lines.push(`fork ${P} as ${C}`);
      if (t.mprotect) {
        lines.push(`mprotect ${P} m[${first}..${last}] r`);
        lines.push(`mprotect ${P} m[${first}..${last}] rw`);
      }
      lines.push(`write ${P} m[${first}..${last}]               # memset(mem, 0xff, size)`);
      lines.push(`read ${C} m[${first}..${last}]                # the child's memcmp()`);
      lines.push(`expect pte ${P} m[${first}] present write !same ${C} m[${first}]`);
      if (last !== first) lines.push(`expect pte ${P} m[${last}] present write !same ${C} m[${last}]`);
      lines.push(`exit ${C}`, `exit ${P}`, '');
    }
  }
  writeFileSync(join(out, `cow-${g.prefix}thp-${kb}k.mms`), lines.join('\n'));
}

// run_with_base_page() / run_with_base_page_swap(): one private anonymous page, MADV_NOHUGEPAGE,
// memset 1, (MADV_PAGEOUT, and it must be swapped), then the test.
function basePageFile(file, about, tests, letter, body) {
  const lines = [
    '# tools/testing/selftests/mm/cow.c, Linux 6.12.118 (Debian linux-source-6.12; not in 6.1\'s tree,',
    '# its 6.12 file was run on the 6.1 kernel too): run_with_base_page() and run_with_base_page_swap()',
    ...about.map((l) => `# ${l}`),
    '',
    'sysctl swap pages 12288                  # the guest\'s 48 MiB swap file',
    '',
  ];
  let sec = 0;
  for (const t of tests) {
    for (const swap of [false, true]) {
      const P = `p${sec}`, C = `c${sec}`, V = `${letter}${sec}`;
      lines.push(`# selftest: cow ${t.desc} ... with ${swap ? 'swapped out base page' : 'base page'}`,
        `process ${P}`,
        `mmap ${P} anon at ${hex(0x7e0000000000 + sec * 0x100000)} pages 1 private rw as m`,
        `madvise ${P} m nohugepage`,
        `write ${P} m[0]                     # memset(mem, 1, pagesize)`);
      if (swap) lines.push(`madvise ${P} m pageout`, `expect pte ${P} m[0] swap          # pagemap_is_swapped()`);
      lines.push(...body(t, P, C, V, 0, 0));
      sec++;
    }
  }
  writeFileSync(join(out, file), lines.join('\n'));
}
basePageFile('cow-vmsplice-base-page.mms', [
  'with the four vmsplice() tests (child_vmsplice_memcmp_fn, do_test_vmsplice_in_parent).',
  'Generated by scripts/selftests/gen-cow-v2.mjs. The pipe\'s references keep the write on the',
  'other side from reusing the page (wp_can_reuse_anon_folio counts them), so the pipe still',
  'reads the old data.',
], TESTS.filter((x) => x.vmsplice), 'v', vmspliceBody);
basePageFile('cow-iouring-base-page.mms', [
  'with the two io_uring tests (do_test_iouring). Generated by scripts/selftests/gen-cow-v2.mjs.',
  'Registering the buffer pins the page for a write (swapping it in, exclusive); fork then copies',
  'the pinned page into the child at once (copy_present_page), and the R/O-mapped page is reused',
  'on the write fault (PageAnonExclusive), so the process writes to the pinned page.',
], TESTS.filter((x) => x.iouring), 'b', iouringBody);
basePageFile('cow-ropin-base-page.mms', [
  'with the six R/O pin tests (do_test_ro_pin). Generated by scripts/selftests/gen-cow-v2.mjs.',
  'A R/O long-term pin of an anonymous page that is not exclusive unshares it first',
  '(gup_must_unshare → FAULT_FLAG_UNSHARE: reused if no one else holds it, else copied, and',
  'mapped R/O either way), so the write that follows reuses the pinned page.',
], TESTS.filter((x) => x.ropin), 'b', roPinBody);

// run_non_anon_test_cases() with test_ro_pin / test_ro_fast_pin: a private writable mapping
// `mem` and a second read-only one `smem` of the same thing, both read (populated); then the
// R/O pin of mem, memset(mem, 0xff), and the pin must read the write. Not anonymous pages, so
// only 6.2+ unshares them (versions.ts ro-longterm-pin-unshares-cow-mappings): at 6.1 the pin
// keeps the zero page or the page-cache page while the write goes to a new anonymous copy,
// and the selftest fails.
{
  const lines = [
    '# tools/testing/selftests/mm/cow.c, Linux 6.12.118 (not in 6.1\'s tree; its 6.12 file was',
    '# also run on the 6.1 kernel): run_non_anon_test_cases() with test_ro_pin() and',
    '# test_ro_fast_pin() (do_test_ro_pin(RO_PIN_TEST)), via run_with_zeropage(), run_with_memfd(),',
    '# run_with_tmpfile() and run_with_huge_zeropage(). Generated by scripts/selftests/gen-cow-v2.mjs.',
    '# The pages are not anonymous: 6.2+ unshares them before pinning (an anonymous copy mapped',
    '# R/O; the write then reuses it); 6.1 pins them as they are, the write COWs away from the',
    '# pinned page, and the selftest fails ("Longterm R/O pin is reliable" does not hold).',
    '# tmpfile() creates its file in /tmp, tmpfs in the oracle\'s guest (a shmem file).',
    '',
    'sysctl thp enabled always',
    '',
  ];
  let sec = 0;
  for (const fast of [false, true]) {
    const desc = `R/O longterm GUP${fast ? '-fast' : ''} pin`;
    for (const v of ['shared zeropage', 'memfd', 'tmpfile', 'huge zeropage']) {
      const P = `p${sec}`, B = `b${sec}`, base = 0x7e0000000000 + sec * 0x1000000;
      lines.push(`# selftest: cow ${desc} ... with ${v}`, `process ${P}`);
      let r = 'mem[0..0]';
      if (v === 'shared zeropage') {
        lines.push(`mmap ${P} anon at ${hex(base)} pages 1 private rw as mem`, `mmap ${P} anon at ${hex(base + 0x100000)} pages 1 private r as smem`,
          `read ${P} mem[0]`, `read ${P} smem[0]`, `expect pte ${P} mem[0] present !write maps zero`);
      } else if (v === 'huge zeropage') {
        lines.push(`mmap ${P} anon at ${hex(base)} pages 1024 private rw as mem`, `mmap ${P} anon at ${hex(base + 0x400000)} pages 1024 private r as smem`,
          `madvise ${P} mem[512..1023] hugepage`, `madvise ${P} smem[512..1023] hugepage`,
          `read ${P} mem[512]`, `read ${P} smem[512]`,
          `expect pte ${P} mem[513] present huge maps zero      # populated by the huge zero page`);
        r = 'mem[512..1023]';
      } else {
        const F = `${v === 'memfd' ? 'memfd' : 'tmpf'}${sec}`;
        lines.push(`shmem ${F} pages 1                      # ${v === 'memfd' ? 'memfd_create() + fallocate(): one page' : 'tmpfile() in tmpfs, fallocate() one page'}`,
          `mmap ${P} ${F} at ${hex(base)} pages 1 private rw as mem`, `mmap ${P} ${F} at ${hex(base + 0x100000)} pages 1 shared r as smem`,
          `read ${P} mem[0]`, `read ${P} smem[0]`, `expect pte ${P} mem[0] present !write maps ${F}[0]`);
      }
      lines.push(`pin ${P} ${r} as ${B} readonly${fast ? ' fast' : ''}   # PIN_LONGTERM_TEST_START: R/O, FOLL_LONGTERM`,
        `write ${P} ${r}               # memset(mem, 0xff, size)`,
        `expect pin ${B} changed      # PIN_LONGTERM_TEST_READ reads what the process wrote: the pin is reliable`,
        `exit ${P}`, '');
      sec++;
    }
  }
  writeFileSync(join(out, 'cow-ropin-non-anon.mms'), lines.join('\n'));
}
console.log(`gen-cow-v2: ${GROUPS.length * SIZES_KB.length + 4} files in ${out}`);
