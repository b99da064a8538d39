// The checker (src/language/checker.ts) at edges its other tests do not reach: which names
// become symbols (a refused name never does, so hover and rename never offer it), the
// fields a symbol and a diagnostic carry, single-page ranges `I..I`, and the statement
// each refusal names (docs/language.md, "Diagnostic codes").

import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import { check } from '../../../src/language/checker';

/** `LINE:COL-ENDCOL CODE message` of parse + check (1-based). */
function diags(text: string): string[] {
  const { scenario, diagnostics } = parse(text);
  return [...diagnostics, ...check(scenario).diagnostics].map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.character + 1} ${d.code} ${d.message}`);
}
const symbols = (text: string) => check(parse(text).scenario).symbols;

describe('checker: symbols, diagnostics and ranges at their edges', () => {
  it('a name the checker refuses is not declared: keywords, reserved names, duplicates, keyword and duplicate labels', () => {
    const s = symbols('process mmap\nfile anon pages 1\nshmem zero pages 1\nprocess p\nprocess p\nfile p pages 1\n' +
      'mmap p anon at 0x1000000 pages 1 private rw as write\nmmap p anon at 0x2000000 pages 1 private rw as m\nmmap p anon at 0x3000000 pages 1 private rw as m\n');
    assert.deepEqual(s.map((x) => `${x.kind} ${x.name} L${x.decl.start.line + 1}`), ['process p L4', 'label m L8']);
  });

  it('a broken declaration still declares its name for the lines after it, except anon and zero', () => {
    const s = symbols('file anon pages\nfile zero pages\nfile f pages\n');
    assert.deepEqual(s.map((x) => `${x.kind} ${x.name} ${x.declInvalid}`), ['object f true']);
  });

  it('a symbol has only the fields it knows: no size for an object or mapping of pages 0', () => {
    const s = symbols('file g pages 0\nprocess p\nmmap p anon at 0x1000000 pages 0 private rw as t\n');
    assert.deepEqual(s.map((x) => Object.keys(x).sort().join(',')), [
      'decl,declInvalid,kind,name,objKind,refs',
      'decl,kind,name,refs',
      'decl,declInvalid,kind,mapsObject,name,proc,refs,shared',
    ]);
  });

  it('a mapping of pages 0 has no size: a later page of it is not reported past its end', () => {
    assert.deepEqual(diags('process p\nmmap p anon at 0x1000000 pages 0 private rw as t\nwrite p t[0]\n'), [
      "2:32-33 MMS302 mmap: 'pages 0' is empty; give at least 1 page",
    ]);
  });

  it('a diagnostic without related information has no related field', () => {
    const d = check(parse('process p\nwrite p m[0]\n').scenario).diagnostics;
    assert.deepEqual(d.map((x) => Object.keys(x).sort().join(',')), ['code,message,range,severity']);
  });

  it('a range of one page I..I is not reversed, for an object and for a mapping', () => {
    assert.deepEqual(diags('file f pages 2\nprocess p\nmmap p f at 0x1000000 pages 2 shared rw as s\nwriteback f[1..1]\nwrite p s[1..1]\nunmap_range f[1..1]\n'), []);
  });

  it('munmap, mprotect and madvise of a label check the label and its pages', () => {
    assert.deepEqual(diags('process p\nmmap p anon at 0x1000000 pages 2 private rw as m\nmunmap p nosuch\nmprotect p m[2] r\nmadvise p nosuch dontneed\nmadvise p m[0..2] dontneed\n'), [
      "3:10-16 MMS203 process 'p' has no mapping labelled 'nosuch'",
      "4:14-15 MMS305 page 2 is past the end of mapping 'm' of 'p' (2 pages: 0..1, counted from the mapping's original start)",
      "5:11-17 MMS203 process 'p' has no mapping labelled 'nosuch'",
      "6:16-17 MMS305 page 2 is past the end of mapping 'm' of 'p' (2 pages: 0..1, counted from the mapping's original start)",
    ]);
  });

  it('the statements that take a range of object pages say so when given an address, and accept I..J', () => {
    assert.deepEqual(diags('kernel 6.15\nfile f pages 2\nprocess p\nmmap p f at 0x1000000 pages 2 shared rw as s\n' +
      'unmap_range 0x1000000\nwrprotect 0x1000000\npfn_mkclean 0x1000000 p s\nunmap_range f[0..1]\nwrprotect f[0..1]\npfn_mkclean f[0..1] p s\n'), [
      "5:13-22 MMS211 unmap_range takes an object's page-cache index (OBJ[I] or OBJ[I..J]), not an address",
      "6:11-20 MMS211 wrprotect takes an object's page-cache index (OBJ[I] or OBJ[I..J]), not an address",
      "7:13-22 MMS211 pfn_mkclean takes an object's page-cache index (OBJ[I] or OBJ[I..J]), not an address",
    ]);
  });

  it('each statement names itself when it is given anon or zero where it needs an object', () => {
    assert.deepEqual(diags('kernel 6.15\nprocess p\nmmap p anon at 0x1000000 pages 1 shared rw as s\n' +
      'unmap_range anon[0]\nwrprotect zero[0]\npfn_mkclean anon[0] p s\nwriteback anon\nexpect defio zero pending 0\nmmap p zero at 0x5000000 pages 1 private r as z\n'), [
      "4:13-17 MMS210 unmap_range needs an object (file, shmem, fbdev or pfnmap); 'anon' is anonymous memory, not an object",
      "5:11-15 MMS210 wrprotect needs an object (file, shmem, fbdev or pfnmap); 'zero' is the zero page, not an object",
      "6:13-17 MMS210 pfn_mkclean needs an object (file, shmem, fbdev or pfnmap); 'anon' is anonymous memory, not an object",
      "7:11-15 MMS210 writeback needs an object (file, shmem, fbdev or pfnmap); 'anon' is anonymous memory, not an object",
      "8:14-18 MMS210 expect defio needs an fbdev; 'zero' is the zero page, not an object",
      "9:8-12 MMS210 mmap needs an object (file, shmem, fbdev or pfnmap); 'zero' is the zero page, not an object",
    ]);
  });

  it('expect pte maps / same name the flag when given a process', () => {
    assert.deepEqual(diags('file f pages 2\nprocess p\nmmap p f at 0x1000000 pages 2 shared rw as s\nexpect pte p s[0] maps p[0]\nexpect pte p s[0] same p[0]\n'), [
      "4:24-25 MMS208 'maps' needs an object; 'p' is a process",
      "5:24-25 MMS208 'same' needs an object; 'p' is a process",
    ]);
  });

  it('a device mapping: a range past the device is reported at the offset when the offset is past it, else at the pages; pages 0 only as empty', () => {
    assert.deepEqual(diags('fbdev fb pages 2\nprocess p\nmmap p fb at 0x5000000 pages 0 offset 4 shared rw as u\n' +
      'mmap p fb at 0x6000000 pages 1 offset 4 shared rw as w\nmmap p fb at 0x7000000 pages 3 offset 0 shared rw as x\nmmap p fb at 0x8000000 pages 2 offset 1 shared rw as y\n'), [
      "3:30-31 MMS302 mmap: 'pages 0' is empty; give at least 1 page",
      "4:39-40 MMS502 mmap: pages 4..4 run past the end of fbdev 'fb' (2 pages): the kernel refuses the mapping with EINVAL",
      "5:30-31 MMS502 mmap: pages 0..2 run past the end of fbdev 'fb' (2 pages): the kernel refuses the mapping with EINVAL",
      "6:30-31 MMS502 mmap: pages 1..2 run past the end of fbdev 'fb' (2 pages): the kernel refuses the mapping with EINVAL",
    ]);
  });
});
