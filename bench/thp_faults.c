// Kernel side of mmscope's large-folio figure (scripts/bench.mjs): write every page of a
// 2 MiB-aligned private anonymous mapping of N pages with MADV_HUGEPAGE (so a machine with
// transparent_hugepage/enabled = madvise or always maps PMD THPs: one fault per 2 MiB), and
// print "<wall ns> <CPU ns> <faults>" (faults: minor + major from getrusage). Mode "64k"
// (second argument) leaves out MADV_HUGEPAGE, so with enabled = madvise and
// hugepages-64kB/enabled = always the faults map 64 KiB anon folios (6.8+). It writes no
// sysfs knob itself: the bench prints the machine's settings beside the figure.
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static long long clock_ns(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000000;
  long page = sysconf(_SC_PAGESIZE);
  size_t len = (size_t)n * page, huge = 2UL << 20;
  char *raw = mmap(NULL, len + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) { perror("mmap"); return 1; }
  volatile char *p = (volatile char *)(((uintptr_t)raw + huge - 1) & ~(uintptr_t)(huge - 1));
  int pmd = !(argc > 2 && argv[2][0] == '6');
  if (pmd && madvise((void *)p, len, MADV_HUGEPAGE) < 0) { perror("madvise"); return 1; }
  struct rusage r0, r1;
  getrusage(RUSAGE_SELF, &r0);
  long long t0 = clock_ns(CLOCK_MONOTONIC), c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
  for (long i = 0; i < n; i++) p[i * page] = 1;
  long long t1 = clock_ns(CLOCK_MONOTONIC), c1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
  getrusage(RUSAGE_SELF, &r1);
  printf("%lld %lld %ld\n", t1 - t0, c1 - c0, (r1.ru_minflt - r0.ru_minflt) + (r1.ru_majflt - r0.ru_majflt));
  munmap(raw, len + huge);
  return 0;
}
