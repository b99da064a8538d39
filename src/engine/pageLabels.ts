// The scenario's names for pages of an address space (language v2: "a label keeps naming
// the pages it named, whatever VMA now holds them"). Not a kernel structure: the kernel
// names VMAs by address; the scenario names the pages a `mmap ... as LABEL` created, and
// those names follow the pages through splits, merges and mremap moves. A VMA is written
// by the label of its lowest page (Vma.label).

/** Pages [start, end) of the address space are pages first.. of LABEL. */
export interface LabelSeg { start: number; end: number; label: string; first: number }

export class PageLabels {
  /** sorted by start, never overlapping */
  private segs: LabelSeg[] = [];

  /** `mmap ... as LABEL`: pages [start, start + pages) are LABEL[0..pages-1]. */
  add(label: string, start: number, pages: number): void {
    this.clear(start, start + pages * 4096);
    this.insert({ start, end: start + pages * 4096, label, first: 0 });
  }

  /** The label and page index of the page at addr. */
  at(addr: number): { label: string; index: number } | undefined {
    const s = this.segs[this.indexOf(addr)];
    return s && s.start <= addr && addr < s.end ? { label: s.label, index: s.first + (addr - s.start) / 4096 } : undefined;
  }

  /** The address of LABEL[index], if that page is mapped under its label. */
  addrOf(label: string, index: number): number | undefined {
    const segs = this.byLabel(label);
    for (const s of segs) {
      if (index >= s.first && index < s.first + (s.end - s.start) / 4096) return s.start + (index - s.first) * 4096;
    }
    return undefined;
  }

  /** munmap: the pages in [start, end) lose their names. */
  clear(start: number, end: number): void {
    const i = this.indexOf(start);
    let j = i;
    const keep: LabelSeg[] = [];
    for (; j < this.segs.length && this.segs[j].start < end; j++) {
      const s = this.segs[j];
      if (s.start < start) keep.push({ ...s, end: start });
      if (s.end > end) keep.push({ ...s, start: end, first: s.first + (end - s.start) / 4096 });
    }
    if (j > i || keep.length) this.segs.splice(i, j - i, ...keep);
  }

  /** mremap: the names of [from, from + len) move to [to, to + len). */
  move(from: number, len: number, to: number): void {
    const moved: LabelSeg[] = [];
    for (const s of this.segs) {
      const a = Math.max(s.start, from), b = Math.min(s.end, from + len);
      if (a < b) moved.push({ label: s.label, start: a - from + to, end: b - from + to, first: s.first + (a - s.start) / 4096 });
    }
    this.clear(from, from + len);
    this.clear(to, to + len);
    for (const m of moved) this.insert(m);
  }

  /**
   * mremap growth: pages [at, at + pages) continue the label of the page before `at` when
   * that page is its label's highest (the mapping grew; its label names the new pages too).
   */
  extend(at: number, pages: number): void {
    const i = this.indexOf(at - 4096);
    const s = this.segs[i];
    if (!s || s.end !== at) return;
    const top = s.first + (s.end - s.start) / 4096 - 1;
    if (this.byLabel(s.label).some((o) => o.first + (o.end - o.start) / 4096 - 1 > top)) return;
    this.clear(at, at + pages * 4096);
    s.end = at + pages * 4096;
  }

  /** fork: the child names its copies as the parent does. */
  copyFrom(other: PageLabels): void { this.segs = other.segs.map((s) => ({ ...s })); }

  /** The segments of one label, in address order. */
  byLabel(label: string): LabelSeg[] { return this.segs.filter((s) => s.label === label); }

  /** Every segment, in address order (for the views). */
  all(): readonly LabelSeg[] { return this.segs; }

  private indexOf(addr: number): number {
    let lo = 0, hi = this.segs.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.segs[mid].end <= addr) lo = mid + 1; else hi = mid; }
    return lo;
  }
  private insert(s: LabelSeg): void { this.segs.splice(this.indexOf(s.start), 0, s); }
}
