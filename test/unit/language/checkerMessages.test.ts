// Every checker diagnostic code with its full message, range and related information
// (docs/language.md, "Diagnostic codes"): what the user reads is pinned, one scenario per
// case. Mutation testing showed the codes alone let a changed or emptied message pass.

import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import { check } from '../../../src/language/checker';

/** `LINE:COL-ENDCOL severity CODE message [related: message@LINE:COL, ...]` of parse + check (1-based). */
function diags(text: string): string[] {
  const { scenario, diagnostics } = parse(text);
  return [...diagnostics, ...check(scenario).diagnostics].map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.character + 1} ${d.severity} ${d.code} ${d.message}` +
    (d.related ? ` [related: ${d.related.map((x) => `${x.message}@${x.range.start.line + 1}:${x.range.start.character + 1}`).join(', ')}]` : ''));
}

const CASES: [string, string[]][] = [
  ["write p h[0]", [
    "1:7-8 error MMS201 unknown process 'p'",
  ]],
  ["process pa\nwrite pb h[0]", [
    "2:7-9 error MMS201 unknown process 'pb' (did you mean 'pa'?)",
  ]],
  ["process p\nfile f pages 1\nmmap p fx at 0x1000 pages 1 shared rw as m", [
    "3:8-10 error MMS202 unknown object 'fx' (did you mean 'f'?)",
  ]],
  ["process p\nmmap p anon at 0x1000 pages 1 private rw as m\nmkclean m[0]", [
    "3:9-10 error MMS202 unknown object 'm' ('m' is a mapping label of 'p')",
  ]],
  ["process p\nmmap p anon at 0x1000 pages 1 private rw as m\nwrite p n[0]", [
    "3:9-10 error MMS203 process 'p' has no mapping labelled 'n'",
  ]],
  ["process p\nfile p pages 1", [
    "2:6-7 error MMS204 'p' is already declared as a process [related: declared here@1:9]",
  ]],
  ["process p\nprocess p", [
    "2:9-10 error MMS204 'p' is already declared as a process [related: declared here@1:9]",
  ]],
  ["process mmap", [
    "1:9-13 error MMS206 'mmap' is a keyword and cannot name a process",
  ]],
  ["file anon pages 1", [
    "1:6-10 error MMS207 'anon' is reserved (anonymous memory) and cannot name an object",
  ]],
  ["file zero pages 1", [
    "1:6-10 error MMS207 'zero' is reserved (the zero page) and cannot name an object",
  ]],
  ["process p\nfile f pages 1\nwrite f h[0]", [
    "3:7-8 error MMS208 'f' is a file, not a process [related: declared here@2:6]",
  ]],
  ["process p\nexit p\nwrite p h[0]", [
    "3:7-8 error MMS209 process 'p' has exited [related: exited here@2:1]",
    "3:9-10 error MMS203 process 'p' has no mapping labelled 'h'",
  ]],
  ["mkclean anon[0]", [
    "1:9-13 error MMS210 mkclean needs an object (file, shmem, fbdev or pfnmap); 'anon' is anonymous memory, not an object",
  ]],
  ["process p\nmkclean p[0]", [
    "2:9-10 error MMS208 mkclean needs an object; 'p' is a process [related: declared here@1:9]",
  ]],
  ["mkclean 0x1000", [
    "1:9-15 error MMS211 mkclean takes an object's page-cache index (OBJ[I]), not an address",
  ]],
  ["sysctl nosuch 1", [
    "1:8-14 error MMS212 unknown sysctl 'nosuch' (expected fault_around_bytes, swap, thp)",
  ]],
  ["process p\nclear_refs p all", [
    "2:14-17 error MMS213 clear_refs mode 'all' is not in language v1 (expected softdirty: writing 4 to /proc/PID/clear_refs)",
  ]],
  ["process p\nmmap p anon at 0x1001 pages 1 private rw as m", [
    "2:16-22 error MMS301 mmap: address 0x1001 is not page-aligned (a multiple of 4096 = 0x1000); the kernel refuses a fixed mapping there with EINVAL",
  ]],
  ["file f pages 0", [
    "1:14-15 error MMS302 file: 'pages 0' is empty; give at least 1 page",
  ]],
  ["process p\nmmap p anon at 0x1000 pages 0 private rw as m", [
    "2:29-30 error MMS302 mmap: 'pages 0' is empty; give at least 1 page",
  ]],
  ["file f pages 4\nmkclean f[3..1]", [
    "2:11-15 error MMS307 mkclean takes one page (OBJ[I]), not a range",
    "2:11-15 error MMS303 page range 3..1 is reversed (the first page must not come after the last)",
  ]],
  ["file f pages 4\nmkclean f[4]", [
    "2:11-12 error MMS304 page 4 is past the end of 'f' (4 pages: 0..3)",
  ]],
  ["file f pages 1\nmkclean f[1]", [
    "2:11-12 error MMS304 page 1 is past the end of 'f' (1 page: 0..0)",
  ]],
  ["process p\nmmap p anon at 0x1000 pages 2 private rw as m\nwrite p m[2]", [
    "3:11-12 error MMS305 page 2 is past the end of mapping 'm' of 'p' (2 pages: 0..1, counted from the mapping's original start) [related: mapped here@2:45]",
  ]],
  ["process p\nmmap p anon at 0x1000 pages 1 private rw as m\nwrite p m[1..0]", [
    "3:11-15 error MMS303 page range 1..0 is reversed (the first page must not come after the last)",
    "3:11-12 error MMS305 page 1 is past the end of mapping 'm' of 'p' (1 page: 0..0, counted from the mapping's original start) [related: mapped here@2:45]",
  ]],
  ["sysctl fault_around_bytes 0", [
    "1:27-28 warning MMS306 fault_around_bytes 0 is not a power of two of pages: the kernel rounds it down to 4096 (fault-around off)",
  ]],
  ["sysctl fault_around_bytes 5000", [
    "1:27-31 warning MMS306 fault_around_bytes 5000 is not a power of two of pages: the kernel rounds it down to 4096 (fault-around off)",
  ]],
  ["sysctl fault_around_bytes 4194304", [
    "1:27-34 error MMS306 fault_around_bytes 4194304 is larger than 2097152 (PTRS_PER_PTE pages): the kernel refuses it with EINVAL",
  ]],
  ["file f pages 4\nmkclean f[0..1]", [
    "2:11-15 error MMS307 mkclean takes one page (OBJ[I]), not a range",
  ]],
  ["process p\nmmap p anon at 0x1000 pages 1 private rw as m\nexpect pte p m[0] present !present", [
    "3:27-35 error MMS308 '!present' contradicts 'present' earlier on this line: the expectation can never hold [related: first given here@3:19]",
  ]],
  ["process p\nmmap p anon at 0x1000 pages 1 private rw as m\nexpect pte p m[0] present present", [
    "3:27-34 warning MMS308 flag 'present' is given twice [related: first given here@3:19]",
  ]],
  ["process p\nmmap p anon at 0x1000 pages 1 offset 3 private rw as m", [
    "2:38-39 warning MMS309 offset is ignored for anonymous memory (vm_pgoff is address >> 12 for private anon)",
  ]],
  ["kernel 6.14\nfile f pages 1\nwrprotect f[0]", [
    "3:1-10 error MMS401 wrprotect: mapping_wrprotect_range() exists only from Linux 6.15; this scenario is for 6.14 [related: kernel 6.14 selected here@1:1]",
  ]],
  ["kernel 5.15\nprocess p", [
    "1:8-12 error MMS402 Linux 5.15 is not modelled: mmscope models Linux 6.1 and later",
  ]],
  ["process p\nmmap p anon at 0x7ffffffff000 pages 2 private rw as m", [
    "2:16-30 error MMS501 mmap: address 0x7ffffffff000 is outside the 47-bit user address space (TASK_SIZE 0x7ffffffff000): the kernel refuses it with ENOMEM",
  ]],
  ["pfnmap d pages 2\nprocess p\nmmap p d at 0x1000 pages 1 private rw as m", [
    "3:28-35 error MMS502 mmap: a private mapping of pfnmap 'd' fails with EINVAL (a VM_PFNMAP mapping cannot be copied on write)",
  ]],
  ["fbdev fb pages 2\nprocess p\nmmap p fb at 0x1000 pages 3 shared rw as m", [
    "3:27-28 error MMS502 mmap: pages 0..2 run past the end of fbdev 'fb' (2 pages): the kernel refuses the mapping with EINVAL",
  ]],
  ["fbdev fb pages 2\nprocess p\nmmap p fb at 0x1000 pages 1 offset 2 shared rw as m", [
    "3:36-37 error MMS502 mmap: pages 2..2 run past the end of fbdev 'fb' (2 pages): the kernel refuses the mapping with EINVAL",
  ]],
  ["process p\nmunmap p 0x1001 pages 1", [
    "2:10-16 error MMS301 munmap: address 0x1001 is not page-aligned (the kernel refuses it with EINVAL)",
  ]],
  ["process p\nmunmap p 0x800000000000 pages 1", [
    "2:10-24 error MMS502 munmap: address 0x800000000000 is outside the 47-bit user address space (TASK_SIZE 0x7ffffffff000): EINVAL",
  ]],
  ["process p\nmprotect p 0x800000000000 pages 1 r", [
    "2:12-26 error MMS501 mprotect: address 0x800000000000 is outside the 47-bit user address space (TASK_SIZE 0x7ffffffff000): ENOMEM",
  ]],
  ["file f pages 1\nflush f", [
    "2:7-8 error MMS208 flush needs an fbdev; 'f' is a file [related: declared here@1:6]",
  ]],
  ["process p\nflush p", [
    "2:7-8 error MMS208 flush needs an fbdev; 'p' is a process [related: declared here@1:9]",
  ]],
  ["file f pages 1\nfile g pages 1\nprocess p\nmmap p g at 0x1000 pages 1 shared rw as m\npfn_mkclean f[0] p m", [
    "5:20-21 warning MMS214 mapping 'm' of 'p' maps 'g', not 'f': pfn_mkclean_range() will not find these pages there [related: mapped here@4:41]",
  ]],
  ["process p\nmmap p anon at 0x1000 pages 1 private rw as m\nmmap p anon at 0x2000 pages 1 private rw as m", [
    "3:45-46 error MMS205 process 'p' already has a mapping labelled 'm'; labels are unique per process [related: declared here@2:45]",
  ]],
  ["process p\nmmap p anon at 0x1000 pages 1 private rw as m\nfork p as c\nmmap c anon at 0x2000 pages 1 private rw as m", [
    "4:45-46 error MMS205 process 'c' already has a mapping labelled 'm' (inherited from 'p' by fork); labels are unique per process [related: declared here@2:45]",
  ]],
  ["process p\nmmap p anon at 0x1000 pages 1 private rw as m\nwrite p f[0]", [
    "3:9-10 error MMS203 process 'p' has no mapping labelled 'f'",
  ]],
  ["process p\nmmap p anon at 0x1000 pages 1 private rw as m\nexpect folio m[0] dirty", [
    "3:14-15 error MMS202 unknown object 'm' ('m' is a mapping label of 'p')",
  ]],
  ["file f pages 1\nexpect folio f[0] mapping g", [
    "2:27-28 error MMS202 unknown object 'g'",
  ]],
  ["process p\nexpect faults q 1", [
    "2:15-16 error MMS201 unknown process 'q'",
  ]],
  ["process pp\nwrite p h[0]", [
    "2:7-8 error MMS201 unknown process 'p'",
  ]],
  ["file data pages 1\nmkclean dta[0]", [
    "2:9-12 error MMS202 unknown object 'dta' (did you mean 'data'?)",
  ]],
  ["process p\nmmap p anon at 0x1000 pages 1 private rw as m\nprocess q\nwrite q m[0]", [
    "4:9-10 error MMS203 process 'q' has no mapping labelled 'm'",
  ]],
  ["file f pages 100000000", [
    "1:14-23 error MMS601 file 'f' has 100000000 pages; the limit is 4194304 pages (maxPagesPerObject)",
  ]],
  ["process p\nmmap p anon at 0x1000 pages 100000000 private rw as m", [
    "2:29-38 error MMS602 mmap: 100000000 pages is more than the limit of 4194304 pages for one mapping (maxMappingPages)",
  ]],
  ["kernel 6.15\nkernel 6.14", [
    "2:1-12 error MMS119 'kernel' may appear only once; this scenario already models Linux 6.15 [related: first kernel statement@1:1]",
  ]],
  ["kernel 6.0\nprocess p", [
    "1:8-11 error MMS402 Linux 6.0 is not modelled: mmscope models Linux 6.1 and later",
  ]],
  ["kernel 6.1\nprocess p", []],
  ["sysctl fault_around_bytes 2097152", []],
  ["sysctl fault_around_bytes 2097153", [
    "1:27-34 warning MMS306 fault_around_bytes 2097153 is not a power of two of pages: the kernel rounds it down to 2097152",
  ]],
  ["sysctl fault_around_bytes 2101248", [
    "1:27-34 error MMS306 fault_around_bytes 2101248 is larger than 2097152 (PTRS_PER_PTE pages): the kernel refuses it with EINVAL",
  ]],
  ["sysctl fault_around_bytes 12288", [
    "1:27-32 warning MMS306 fault_around_bytes 12288 is not a power of two of pages: the kernel rounds it down to 8192",
  ]],
  ["sysctl fault_around_bytes 8192", []],
  ["sysctl fault_around_bytes 4096", []],
  ["process p\nmmap p anon at 0x7fffffffe000 pages 1 private rw as m", []],
  ["process p\nmmap p anon at 0x7fffffffe000 pages 2 private rw as m", [
    "2:37-38 error MMS501 mmap: 2 pages at 0x7fffffffe000 run past the end of the 47-bit user address space (TASK_SIZE 0x7ffffffff000): the kernel refuses it with ENOMEM",
  ]],
  ["process p\nmunmap p 0x7fffffffe000 pages 1", []],
  ["process p\nmprotect p 0x7fffffffe000 pages 2 r", [
    "2:33-34 error MMS501 mprotect: 2 pages at 0x7fffffffe000 run past the end of the 47-bit user address space (TASK_SIZE 0x7ffffffff000): ENOMEM",
  ]],
  ["process p\nmmap p anon at 0x1000 pages 1 private rw as m\nexpect folio 0x1000 dirty", [
    "3:14-20 error MMS211 expect folio takes an object's page-cache index (OBJ[I]), not an address",
  ]],
  ["file f pages 2\nprocess p\nmmap p f at 0x1000 pages 2 shared rw as m\nexit p\nexpect faults p 0\nexpect signal p none\nwrite p m[0]", [
    "7:7-8 error MMS209 process 'p' has exited [related: exited here@4:1]",
  ]],
  ["process p\nfile f pages 1\nmmap p anon at 0x1000 pages 1 private rw as m\nwrite p f[0]", [
    "4:9-10 error MMS203 process 'p' has no mapping labelled 'f' ('f' is a file; name a mapping by its label or use an address)",
  ]],
  ["file f pages 2\nexpect folio f[0] dirty !dirty writeback writeback", [
    "2:25-31 error MMS308 '!dirty' contradicts 'dirty' earlier on this line: the expectation can never hold [related: first given here@2:19]",
    "2:42-51 warning MMS308 flag 'writeback' is given twice [related: first given here@2:32]",
  ]],
];

describe('checker: every diagnostic, message and range as the user reads it', () => {
  for (const [text, want] of CASES) {
    it(`${want.map((w) => w.split(' ')[2]).join('+') || 'no diagnostic'}: ${text.split('\n').pop()}`, () => {
      assert.deepEqual(diags(text), want);
    });
  }
});
