// The user-space interface the checker and the engine share: x86-64 page and address-space
// sizes, and the argument checks by which mmap(2), munmap(2) and mprotect(2) refuse a call
// with an errno before any VMA is looked at. Pure functions; imports nothing.

/** x86-64 base page size. */
export const PAGE_SIZE = 4096;
/** x86-64 TASK_SIZE_MAX without LA57: 2^47 minus the guard page (arch/x86 page_64_types.h). */
export const TASK_SIZE = 0x7fff_ffff_f000;

/** io_uring/rsrc.c io_buffer_validate(): a registered buffer may be at most SZ_1G long (EFAULT). */
export const IO_BUFFER_MAX_BYTES = 1 << 30;
/** pipe_buffers of a new pipe (include/linux/pipe_fs_i.h PIPE_DEF_BUFFERS): what one vmsplice can fill. */
export const PIPE_DEF_BUFFERS = 16;

export type Errno = 'EINVAL' | 'ENOMEM';

/** Why a call is refused; `arg` names the argument the refusal is about. */
export interface Refusal {
  errno: Errno;
  reason: 'unaligned' | 'zero-length' | 'beyond-task-size' | 'end-beyond-task-size' | 'device-range' | 'pfnmap-private';
  arg: 'addr' | 'pages' | 'offset' | 'shared';
  why: string;
}

export function pageAligned(addr: number): boolean { return addr % PAGE_SIZE === 0; }

/** The user address space check: `addr` at or above TASK_SIZE, or the range past it. */
function taskSizeRefusal(addr: number, pages: number, errno: Errno): Refusal | undefined {
  if (addr < 0 || addr >= TASK_SIZE) {
    return { errno, reason: 'beyond-task-size', arg: 'addr', why: 'outside the 47-bit user address space (TASK_SIZE)' };
  }
  if (pages > Math.floor((TASK_SIZE - addr) / PAGE_SIZE)) {
    return { errno, reason: 'end-beyond-task-size', arg: 'pages', why: 'runs past the end of the 47-bit user address space (TASK_SIZE)' };
  }
  return undefined;
}

/**
 * mm/mmap.c: do_mmap() / __get_unmapped_area() for a fixed mapping: a length of 0 and an
 * unaligned address are EINVAL, a range that does not end at or below TASK_SIZE is ENOMEM
 * ("if (addr > TASK_SIZE - len) return -ENOMEM"). Every refusal that applies, the first
 * one being the errno the engine returns.
 */
export function mmapArgRefusals(addr: number, pages: number): Refusal[] {
  const out: Refusal[] = [];
  if (!pageAligned(addr)) out.push({ errno: 'EINVAL', reason: 'unaligned', arg: 'addr', why: 'address not page aligned' });
  if (pages <= 0) out.push({ errno: 'EINVAL', reason: 'zero-length', arg: 'pages', why: 'zero length' });
  const t = taskSizeRefusal(addr, pages, 'ENOMEM');
  if (t) out.push(t);
  return out;
}

export type DeviceKind = 'fbdev' | 'pfnmap';

/**
 * The device's ->mmap: a range past the device's pages is EINVAL; a pfnmap (VM_PFNMAP via
 * remap_pfn_range) must not be a private COW mapping (EINVAL).
 */
export function deviceMmapRefusals(kind: DeviceKind, devicePages: number, pgoff: number, pages: number, shared: boolean): Refusal[] {
  const out: Refusal[] = [];
  if (kind === 'pfnmap' && !shared) {
    out.push({ errno: 'EINVAL', reason: 'pfnmap-private', arg: 'shared', why: 'a VM_PFNMAP mapping must not be a COW (private) mapping' });
  }
  if (pgoff + pages > devicePages) {
    out.push({ errno: 'EINVAL', reason: 'device-range', arg: pgoff >= devicePages ? 'offset' : 'pages', why: `the device has ${devicePages} pages; the mapping ends at page ${pgoff + pages}` });
  }
  return out;
}

/** munmap(2): a range outside the user address space is EINVAL. */
export function munmapArgRefusal(addr: number, pages: number): Refusal | undefined {
  return taskSizeRefusal(addr, pages, 'EINVAL');
}

/** mprotect(2): a range outside the user address space is ENOMEM. */
export function mprotectArgRefusal(addr: number, pages: number): Refusal | undefined {
  return taskSizeRefusal(addr, pages, 'ENOMEM');
}
