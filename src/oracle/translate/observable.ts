// Which expectation flags a real kernel lets the oracle see, with and without kprobes.

import type { OracleObjKind } from './types';

/**
 * PTE flags the oracle can see: pagemap + the zero page's PFN + kpageflags, and with the
 * kprobe events the PTE value itself (write, dirty, young: mms/vnp in a pagemap read).
 */
export function pteFlagObservable(kind: string, probes = true): boolean {
  if (probes && (kind === 'write' || kind === 'dirty' || kind === 'young')) return true;
  return kind === 'none' || kind === 'present' || kind === 'softdirty' || kind === 'special' || kind === 'maps' || kind === 'swap';
}
/**
 * Folio flags the oracle can see: mincore, kpageflags, kpagecount; with the kprobe events
 * also an fbdev page's own mapping and index fields (through a process's PTE of it).
 */
export function folioFlagObservable(kind: string, obj: OracleObjKind, probes = true): boolean {
  if (kind === 'cached') return obj !== 'fbdev';
  if (kind === 'mapping' || kind === 'index') return probes && obj === 'fbdev';
  return kind === 'dirty' || kind === 'writeback' || kind === 'mapcount';
}
