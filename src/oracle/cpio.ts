// A writer for the "newc" cpio format (SVR4, no CRC), the format of Linux initramfs
// images. The oracle appends a one-file archive holding /oracle to the prebuilt
// base.cpio.gz: the kernel unpacks concatenated (separately compressed) archives in
// order, so the base image is never rebuilt.

import { gzipSync } from 'node:zlib';

export interface CpioEntry {
  /** path inside the archive, without a leading '/' */
  name: string;
  /** st_mode: type and permission bits, e.g. 0o100755 (file), 0o040755 (dir) */
  mode: number;
  data?: Uint8Array;
  uid?: number;
  gid?: number;
  mtime?: number;
  /** for a character or block device */
  rdevMajor?: number;
  rdevMinor?: number;
}

export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;

const MAGIC = '070701';
const TRAILER = 'TRAILER!!!';

function hex8(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`cpio: field out of range: ${n}`);
  return n.toString(16).padStart(8, '0');
}
const pad4 = (n: number): number => (4 - (n % 4)) % 4;

function header(e: CpioEntry, ino: number, size: number, nameLen: number): string {
  return MAGIC + [
    ino, e.mode, e.uid ?? 0, e.gid ?? 0, (e.mode & 0o170000) === S_IFDIR ? 2 : 1, e.mtime ?? 0, size,
    0, 0, e.rdevMajor ?? 0, e.rdevMinor ?? 0, nameLen, 0,
  ].map(hex8).join('');
}

/** The archive: each entry as header, name (NUL-terminated), data, 4-byte aligned; then the trailer. */
export function writeCpio(entries: readonly CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let off = 0;
  const push = (b: Buffer): void => { parts.push(b); off += b.length; };
  const entry = (e: CpioEntry, ino: number): void => {
    const name = Buffer.from(e.name.replace(/^\/+/, '') + '\0', 'utf8');
    const data = e.data ? Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength) : Buffer.alloc(0);
    push(Buffer.from(header(e, ino, data.length, name.length), 'ascii'));
    push(name);
    push(Buffer.alloc(pad4(off)));
    if (data.length) {
      push(data);
      push(Buffer.alloc(pad4(off)));
    }
  };
  entries.forEach((e, i) => entry(e, 1000 + i));
  entry({ name: TRAILER, mode: 0 }, 0);
  return Buffer.concat(parts);
}

/** writeCpio, gzip-compressed (what the kernel's initramfs unpacker takes). */
export function writeCpioGz(entries: readonly CpioEntry[]): Buffer {
  return gzipSync(writeCpio(entries), { level: 6 });
}

export interface CpioParsed { name: string; mode: number; data: Buffer; rdevMajor: number; rdevMinor: number }

/** Read a newc archive back (for tests and for checking an image). Stops at the trailer. */
export function readCpio(buf: Buffer): CpioParsed[] {
  const out: CpioParsed[] = [];
  let off = 0;
  while (off + 110 <= buf.length) {
    const magic = buf.toString('ascii', off, off + 6);
    if (magic !== MAGIC) throw new Error(`cpio: bad magic at ${off}: ${JSON.stringify(magic)}`);
    const field = (i: number): number => parseInt(buf.toString('ascii', off + 6 + i * 8, off + 14 + i * 8), 16);
    const mode = field(1), size = field(6), rdevMajor = field(9), rdevMinor = field(10), nameLen = field(11);
    let p = off + 110;
    const name = buf.toString('utf8', p, p + nameLen - 1);
    p += nameLen;
    p += pad4(p);
    const data = buf.subarray(p, p + size);
    p += size;
    p += pad4(p);
    off = p;
    if (name === TRAILER) break;
    out.push({ name, mode, data, rdevMajor, rdevMinor });
  }
  return out;
}
