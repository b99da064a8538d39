// The translation of each statement kind to C. A kind with no user-space trigger on a real
// kernel maps to noCounterpart: reported as not observable, its effect taints later steps.

import type { EmitterTable } from '../context';
import { access } from './accesses';
import { expectFolio, expectPte, fromCounts, fromTrace } from './expectations';
import { clearRefs, mkclean, msync, wait, writebackOrFlush } from './kernelOps';
import { mmap, unmapOrProtect } from './mappings';
import { exit, fork, newProcess } from './processes';
import { noCounterpart } from './notObservable';
import { madvise, migrate } from './madvise';
import { kernel, object, sysctl } from './setup';
import { expectError, expectVmaOrVmas, mremapOrNot, vmaNotObserved } from './vmas';
import { split } from './largeFolios';
import { sysctlThp } from './thpKnobs';
import { expectPin, expectPipe, pin, vmsplice } from './heldPages';

export const EMITTERS: EmitterTable = {
  kernel, sysctl,
  file: object, shmem: object, fbdev: object, pfnmap: object,
  process: newProcess, fork, exit,
  mmap, munmap: unmapOrProtect, mprotect: unmapOrProtect,
  read: access, write: access,
  writeback: writebackOrFlush, flush: writebackOrFlush, msync, clear_refs: clearRefs, wait, mkclean,
  expect_pte: expectPte, expect_folio: expectFolio,
  expect_result: fromTrace, expect_walk: fromTrace, expect_defio_pending: fromTrace, expect_defio_written: fromTrace,
  expect_faults: fromCounts, expect_signal: fromCounts,
  madvise, migrate,
  wrprotect: noCounterpart, pfn_mkclean: noCounterpart, unmap_range: noCounterpart, expect_oops: noCounterpart,
  mremap: mremapOrNot, expect_vma: expectVmaOrVmas, expect_vmas: expectVmaOrVmas, expect_i_mmap: vmaNotObserved, expect_error: expectError,
  sysctl_thp: sysctlThp, split,
  vmsplice, expect_pipe: expectPipe, pin, expect_pin: expectPin,
};
