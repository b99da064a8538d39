// The guest's serial console as QEMU writes it to its stdout pipe: a few bytes per read, tens
// of MB for THP scenarios. One buffer that doubles when full, not a Buffer object per read
// (millions of them filled a 4 GB heap while a long run was still booting).

export class ConsoleLog {
  private buf = Buffer.allocUnsafe(1 << 20);
  private len = 0;

  append(b: Buffer): void {
    if (this.len + b.length > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.len + b.length));
      this.buf.copy(grown, 0, 0, this.len);
      this.buf = grown;
    }
    b.copy(this.buf, this.len);
    this.len += b.length;
  }

  get bytes(): number { return this.len; }

  /** Everything so far as UTF-8 (a character split across two reads is whole here). */
  text(): string { return this.buf.toString('utf8', 0, this.len); }
}
