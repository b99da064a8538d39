// How values are written in the generated C.

import type { Prot } from '../../language/ast';

export const hex = (n: number): string => `0x${n.toString(16)}UL`;
export const cProt = (p: Prot): string => (p === 'rw' ? 'PROT_READ|PROT_WRITE' : p === 'r' ? 'PROT_READ' : p === 'w' ? 'PROT_WRITE' : 'PROT_NONE');
/** a name safe inside a C string literal and a guest path */
export const cString = (s: string): string => s.replace(/[^A-Za-z0-9_.\-/:]/g, '_');
