// include/linux/fs.h: struct file_operations, as far as the model needs it. mm/ reaches a
// filesystem or a driver only through these and the vm_operations_struct its ->mmap installs:
// the core never names a driver (drivers/fbDefio.ts, drivers/pfnmap.ts; filemap.ts for ext4
// and tmpfs).

import type { AddressSpace } from './addressSpace';
import type { Kernel } from './kernel';
import type { VmOps } from './vmOps';

export interface FileOperations {
  /** the file_operations' name, e.g. fb_fops */
  readonly name: string;
  /** ->open() of one struct file (each scenario `mmap` is an open(2) first); returns its id, 0 when the object keeps no count */
  open?(k: Kernel, as: AddressSpace): number;
  /** ->mmap() of a new VMA with `vmFlags`: the vm_operations_struct it installs and the VM_* flags it adds */
  mmap(k: Kernel, as: AddressSpace, vmFlags: number): { ops: VmOps; flags: number };
  /** ->fsync() over [first, last]; absent: the generic writeback of the page cache */
  fsync?(k: Kernel, as: AddressSpace, first: number, last: number): number;
  /** ->release(): the last reference to a struct file went (fput of its last VMA) */
  release?(k: Kernel, as: AddressSpace): void;
}
