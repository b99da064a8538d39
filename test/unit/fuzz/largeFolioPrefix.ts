// The set-up both large-folio fuzzers start each process with (thpInvariants, v2Invariants).
import fc from 'fast-check';

/** PMD-aligned (and one unaligned) addresses of the generated mappings. */
export const addr = fc.constantFrom('0x7f0000000000', '0x7f0000400000', '0x7f0000801000', '0x7f0000c00000');

/** Every process maps m0 (anon), m1 (f0), m2 (s0 shared) once: labels are unique,
 *  so the checker accepts every generated scenario and the engine runs all of it. */
export const prefix = fc.tuple(addr, addr, addr, fc.constantFrom(512, 1024), fc.boolean(), fc.boolean()).map(([a0, a1, a2, n, sh0, sh1]) => {
  const [x, y, z] = [...new Set([a0, a1, a2, '0x7f0000000000', '0x7f0000400000', '0x7f0000801000', '0x7f0000c00000'])];
  return (p: string) => [
    `mmap ${p} anon at ${x} pages ${n} ${sh0 ? 'shared' : 'private'} rw as m0`,
    `mmap ${p} f0 at ${y} pages 1024 ${sh1 ? 'shared' : 'private'} rw as m1`,
    `mmap ${p} s0 at ${z} pages 1024 shared rw as m2`,
  ];
});
