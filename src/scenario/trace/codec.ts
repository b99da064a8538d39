// The byte log's encoding (recorder.ts): op codes and flag bits of a record, and the
// number codings of its fields (varints of zigzag deltas; PTE and PG_* words folded so the
// common ones take one byte).

import type { FaultOutcome, FolioField } from '../../engine/trace';

// ---- op codes (low 3 bits of the op byte) ----------------------------------------------
export const OP_FAULT = 0, OP_HW = 1, OP_PTE = 2, OP_FOLIO = 3, OP_RARE = 4, OP_CALL = 5;
/** a pte record from none to the previous pfn with the previous pte record's flags and reason */
export const OP_PTE_REP = 6;
/** a folio 'flags' record on the previous pfn with the previous flags record's before and change */
export const OP_FLAGS_REP = 7;
export const M_SAMEPID = 1 << 3;   // pid equals the previous record's pid (fault/hw/pte)
export const M_SAMEADDR = 1 << 4;  // address equals the previous record's (no delta follows)
export const M_WRITE = 1 << 5;     // hw: write access
export const M_BNONE = 1 << 5;     // pte: before is none (0/0)
export const M_APSAME = 1 << 6;    // pte: after pfn equals before pfn
export const M_APLAST = 1 << 7;    // pte: after pfn equals the previous record's pfn
export const M_ERRSAME = 1 << 5;   // fault: error code equals the previous fault's
export const M_B0 = 1 << 6;        // folio: before is 0
// Run records: OP_CALL with a run kind in bits 3-4 (a plain call record has them 0). A run
// stands for n records of one kind on consecutive pages, decoded one by one (the readers
// see exactly the records the engine would have made page by page):
/** n pte records at addr + i pages: before (BF, BP + i) or none, after (AF, AP + i) or none, one reason */
export const RUN_PTE = 1;
/** n hw records at addr + i pages */
export const RUN_HW = 2;
/** n folio 'flags' records on pfn + i, each with the same before and change */
export const RUN_FLAGS = 3;
export const RUN_SHIFT = 3;
export const MR_BNONE = 1 << 5;    // pte run: before is none
export const MR_SAMEPID = 1 << 6;  // pte and hw run: pid equals the previous record's
export const MR_ANONE = 1 << 7;    // pte run: after is none
export const MR_WRITE = 1 << 5;    // hw run: write accesses
// (flags run: M_B0, before is 0)
// folio: field in bits 4-5
export const FIELDS: FolioField[] = ['flags', 'mapping', 'index', 'cached'];
export const OUTCOMES: (FaultOutcome | undefined)[] = [undefined, 'minor', 'major', 'retry', 'sigsegv', 'sigbus', 'oops', 'nopage-loop'];
export const OUTCOME_CODE = new Map<FaultOutcome, number>(OUTCOMES.map((o, i) => [o!, i] as [FaultOutcome, number]).slice(1));

export const CHUNK = 1 << 20;
export const CHUNK_SLACK = 64; // the longest record is < 64 bytes

/** x86 PTE flags with NX (bit 31) rotated to bit 1 and the JS sign (the engine passes
 *  both int32 and uint32 words) in bit 0, so common flag words take 2 bytes and decode
 *  to exactly the number the engine passed. */
export const encFlags = (f: number) => ((f >>> 0) & 0x7fffffff) * 4 + ((f >>> 31) << 1) + (f < 0 ? 1 : 0);
export const decFlags = (v: number) => {
  const neg = v % 2, nx = ((v - neg) / 2) % 2;
  const w = ((v - neg - nx * 2) / 4) | (nx << 31);
  return neg ? w : w >>> 0;
};
/** folio PG_* words with PG_allocated (bit 15) rotated to bit 0: one byte for most. */
export const encPg = (f: number) => Math.floor(f / 65536) * 65536 + (f % 32768) * 2 + (Math.floor(f / 32768) % 2);
export const decPg = (v: number) => { const lo = v % 65536; return v - lo + (lo >>> 1) + (lo & 1) * 32768; };
export const zig = (v: number) => (v >= 0 ? v * 2 : -v * 2 - 1);
export const unzig = (z: number) => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);
