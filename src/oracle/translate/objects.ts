// What realises each object and process of a scenario on the guest. The driver creates
// every object before any process exists, so objects are decided before the first step.

import type { FbdevStmt, Scenario } from '../../language/ast';
import { cString } from './cSyntax';
import {
  DEFAULT_FB_PAGES, KERNEL_FB_DELAY_MS, ORACLE_LIMITS,
  type OracleObject, type OracleProcess, type TranslateOptions,
} from './types';

export function collectObjects(scn: Scenario, opts: TranslateOptions): OracleObject[] {
  const sIdx = opts.index ?? 0;
  const fbPages = opts.fbPages ?? DEFAULT_FB_PAGES;
  const objects: OracleObject[] = [];
  const seen = new Set<string>();
  let cObjIdx = 0;
  let haveFb = false;
  for (const st of scn.statements) {
    if (opts.invalid?.has(st)) continue;
    if (st.kind !== 'file' && st.kind !== 'shmem' && st.kind !== 'fbdev' && st.kind !== 'pfnmap') continue;
    if (seen.has(st.name.name)) continue;
    const o: OracleObject = {
      index: -1, name: st.name.name, kind: st.kind, pages: st.pages.value,
      cold: st.kind === 'file' && st.cold, line: st.range.start.line, realisable: true,
    };
    if (st.kind === 'pfnmap') {
      o.realisable = false;
      o.reason = 'no device in the guest maps raw PFNs with vmf_insert_pfn (not observable on a real kernel)';
    } else if (st.kind === 'fbdev') {
      const fb = st as FbdevStmt;
      o.scenarioDelayMs = fb.delay?.ms ?? 50;
      o.kernelDelayMs = KERNEL_FB_DELAY_MS;
      if (fb.backing !== 'vmalloc') {
        o.realisable = false;
        o.reason = `fbdev backing ${fb.backing} is not observable on a real kernel (only the DRM shadow buffer, backing vmalloc, exists)`;
      } else if (haveFb) {
        o.realisable = false;
        o.reason = 'the guest has a single /dev/fb0: a second fbdev is not observable on a real kernel';
      } else if (o.pages > fbPages) {
        o.realisable = false;
        o.reason = `/dev/fb0 has ${fbPages} pages, the scenario's fbdev ${o.pages}`;
      } else {
        haveFb = true;
        o.realisedAs = '/dev/fb0 (bochs-drm fbdev emulation, deferred I/O on a vmalloc shadow buffer)';
      }
    } else if (cObjIdx >= ORACLE_LIMITS.objects) {
      o.realisable = false;
      o.reason = `the oracle handles at most ${ORACLE_LIMITS.objects} objects per scenario`;
    } else if (st.kind === 'file' && o.pages > ORACLE_LIMITS.filePages) {
      o.realisable = false;
      o.reason = `a file of ${o.pages} pages does not fit the oracle's disk (at most ${ORACLE_LIMITS.filePages})`;
    } else if (st.kind === 'shmem' && o.pages > ORACLE_LIMITS.shmemPages) {
      o.realisable = false;
      o.reason = `a shmem object of ${o.pages} pages does not fit the guest's memory (at most ${ORACLE_LIMITS.shmemPages})`;
    } else if (st.kind === 'file' && st.folio && st.folio.bytes > 4096) {
      // the engine models a filesystem with large page-cache folios (XFS; ext4 only from 6.16)
      o.realisable = false;
      o.reason = `a file with folio ${st.folio.text}: the guest's files are on ext4, which has no large page-cache folios before 6.16`;
    } else if (st.kind === 'file') {
      o.realisedAs = `/mnt/mms${sIdx}-${cString(o.name)} (ext4 on virtio-blk)${o.cold ? ', dropped from the page cache' : ', written and fsynced'}`;
    } else if (st.kind === 'shmem' && st.huge && st.huge !== 'never') {
      o.huge = st.huge;
      o.realisedAs = `/tmp/huge-${st.huge}/mms${sIdx}-${cString(o.name)} (tmpfs huge=${st.huge})`;
    } else {
      o.realisedAs = `/tmp/mms${sIdx}-${cString(o.name)} (tmpfs)`;
    }
    if (o.realisable) o.index = cObjIdx++;
    objects.push(o);
    seen.add(o.name);
  }
  return objects;
}

/** every `process` and every `fork ... as CHILD`, in order, up to the guest's limit */
export function collectProcesses(scn: Scenario, opts: TranslateOptions): OracleProcess[] {
  const processes: OracleProcess[] = [];
  for (const st of scn.statements) {
    if (opts.invalid?.has(st)) continue;
    const n = st.kind === 'process' ? st.name.name : st.kind === 'fork' ? st.child.name : null;
    if (n === null || processes.some(p => p.name === n)) continue;
    if (processes.length >= ORACLE_LIMITS.processes) continue;
    processes.push({ index: processes.length, name: n, line: st.range.start.line, parent: st.kind === 'fork' ? st.parent.name : undefined });
  }
  return processes;
}
