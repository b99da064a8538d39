// The numbers a kernel hands out for its objects (VMAs, anon_vmas, address_spaces): one
// allocator per Kernel, so two engines never share a counter and a run is deterministic.
export class Ids {
  vma = 1;
  anonVma = 1;
  mapping = 1;
}
