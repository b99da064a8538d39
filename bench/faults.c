// Kernel side of mmscope's "engine vs kernel" figure (scripts/bench.mjs): take N write
// faults on a shared memfd mapping, one per page, and print the nanoseconds they took.
// Usage: faults N   → prints "<wall ns> <CPU ns>" on stdout (CPU: CLOCK_PROCESS_CPUTIME_ID,
// the fault handling is system time of this process).
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static long long clock_ns(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 200000;
  long page = sysconf(_SC_PAGESIZE);
  int fd = memfd_create("mmscope-bench", 0);
  if (fd < 0) { perror("memfd_create"); return 1; }
  if (ftruncate(fd, (off_t)n * page) < 0) { perror("ftruncate"); return 1; }
  volatile char *p = mmap(NULL, (size_t)n * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) { perror("mmap"); return 1; }
  long long t0 = now_ns(), c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
  for (long i = 0; i < n; i++) p[i * page] = 1;   // one write fault per page
  long long t1 = now_ns(), c1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
  printf("%lld %lld\n", t1 - t0, c1 - c0);
  munmap((void *)p, (size_t)n * page);
  close(fd);
  return 0;
}
