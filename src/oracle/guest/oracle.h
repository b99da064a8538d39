/* oracle.h — runtime for the C programs that src/oracle/translate.ts generates.
 *
 * One guest binary runs scenario after scenario. For each scenario, main() forks a
 * *driver*; the driver creates the objects, then forks one process per `process`
 * statement and drives every process in lock-step over pipes: it sends a step
 * number, the process runs that one step and acknowledges. Observation (pagemap,
 * kpageflags, kpagecount, smaps, mincore) is done by the driver through
 * /proc/PID/..., so the observed processes run nothing but their own steps.
 *
 * Output: one JSON object per line, prefixed "ORACLE ", written with a single
 * write(2) (no stdio, fork-safe). Record types ("t"): run, scn, st, acc, op, pm, sm,
 * obj, objinit, flt, cal, err, scn_end. src/oracle/run.ts parses them.
 *
 * Fault accounting: ru_minflt + ru_majflt around one volatile access, after warm()
 * (stack, statics and the signal path pre-touched) so the window contains nothing
 * but the access. SIGSEGV/SIGBUS raised by the access are caught with
 * sigsetjmp/siglongjmp and reported.
 */
#ifndef MMSCOPE_ORACLE_H
#define MMSCOPE_ORACLE_H
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <unistd.h>
#include <linux/fb.h>
#include <linux/io_uring.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

#define O_MAXP 64           /* processes per scenario */
#define O_MAXOBJ 32         /* objects per scenario */
#define O_STEP_TIMEOUT_MS 30000
#define PAGE 4096UL

/* ------------------------------------------------------------------------- output */
static char o_buf[1 << 17];
static size_t o_len;

static void ob_reset(void) { memcpy(o_buf, "ORACLE ", 7); o_len = 7; }
static void ob_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void ob_vprintf(const char *fmt, va_list ap)
{
  size_t room = sizeof(o_buf) - o_len - 2;
  int n = vsnprintf(o_buf + o_len, room, fmt, ap);
  if (n > 0) o_len += (size_t)n < room ? (size_t)n : room - 1;
}
static void ob_printf(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  ob_vprintf(fmt, ap);
  va_end(ap);
}
static void ob_flush(void)
{
  o_buf[o_len++] = '\n';
  size_t off = 0;
  while (off < o_len) {
    ssize_t w = write(1, o_buf + off, o_len - off);
    if (w < 0) { if (errno == EINTR) continue; break; }
    off += (size_t)w;
  }
  o_len = 0;
}
/* out("{\"t\":\"x\",...}") — one whole line */
static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
  ob_reset();
  va_list ap;
  va_start(ap, fmt);
  ob_vprintf(fmt, ap);
  va_end(ap);
  ob_flush();
}

/* ------------------------------------------------------------------- kprobe trace
 * When /init registered the kprobe events (src/oracle/guest/gen-probes.sh), the driver
 * marks every step in the trace (trace_marker "mms st STEP"), turns the mms/vnp event
 * on only around the pagemap reads of an `expect pte`, and copies the trace
 * (trace_pipe, clock mono) to the console as "ORACLE-K <line>" lines: before each step
 * and at the end of the scenario. src/oracle/kprobes.ts parses them. */
static int o_tr_pipe = -1, o_tr_mark_fd = -1, o_tr_vnp = -1, o_tr_vnpret = -1;
static char o_tr_buf[1 << 16];
static void o_tr_init(void)
{
  o_tr_pipe = open("/sys/kernel/tracing/trace_pipe", O_RDONLY | O_NONBLOCK);
  if (o_tr_pipe < 0) return;
  o_tr_mark_fd = open("/sys/kernel/tracing/trace_marker", O_WRONLY);
  o_tr_vnp = open("/sys/kernel/tracing/events/mms/vnp/enable", O_WRONLY);
  o_tr_vnpret = open("/sys/kernel/tracing/events/mms/vnpret/enable", O_WRONLY);
}
/* copy what the trace holds now to the console (emit=0: drop it) */
static void o_tr_drain(int emit)
{
  if (o_tr_pipe < 0) return;
  size_t have = 0;
  for (;;) {
    ssize_t r = read(o_tr_pipe, o_tr_buf + have, sizeof o_tr_buf - have - 1);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    have += (size_t)r;
    char *s = o_tr_buf, *end = o_tr_buf + have, *nl;
    while ((nl = memchr(s, '\n', (size_t)(end - s)))) {
      if (emit) {
        memcpy(o_buf, "ORACLE-K ", 9); o_len = 9;
        size_t n = (size_t)(nl - s);
        if (n > sizeof o_buf - 16) n = sizeof o_buf - 16;
        memcpy(o_buf + o_len, s, n); o_len += n;
        ob_flush();
      }
      s = nl + 1;
    }
    have = (size_t)(end - s);
    memmove(o_tr_buf, s, have);
    if (have >= sizeof o_tr_buf - 2) have = 0;   /* a line longer than the buffer: dropped */
  }
}
static void o_tr_mark(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void o_tr_mark(const char *fmt, ...)
{
  if (o_tr_mark_fd < 0) return;
  char b[96];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(b, sizeof b, fmt, ap);
  va_end(ap);
  if (n > 0 && write(o_tr_mark_fd, b, (size_t)n) < 0) {}
}
/* the PTE values and struct pages a pagemap read looks at (vm_normal_page) */
static void o_vnp(int on)
{
  if (o_tr_vnp >= 0 && write(o_tr_vnp, on ? "1" : "0", 1) < 0) {}
  if (o_tr_vnpret >= 0 && write(o_tr_vnpret, on ? "1" : "0", 1) < 0) {}
}

/* ------------------------------------------------------------------ clocks, faults */
static struct timespec o_t0;            /* scenario start */
static double o_ms(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (t.tv_sec - o_t0.tv_sec) * 1e3 + (t.tv_nsec - o_t0.tv_nsec) / 1e6;
}
static struct rusage o_ru;
static long minflt(void) { getrusage(RUSAGE_SELF, &o_ru); return o_ru.ru_minflt; }
static long majflt(void) { getrusage(RUSAGE_SELF, &o_ru); return o_ru.ru_majflt; }
static void msleep(long ms)
{
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
}

/* -------------------------------------------------------------- process bookkeeping */
struct o_proc {
  int pid, pidfd, pagemap;
  int cmd[2], ack[2];
  int alive;
  long faults;        /* sum of measured-access faults since the process started */
  int lastsig;
};
struct o_ack { int32_t step, sig, child_pid, err; int64_t faults; };

static struct o_proc P[O_MAXP];
static int o_nprocs;
static int o_me = -1;                   /* -1: the driver */
static long o_faults;                   /* in a process: its cumulative count */
static int o_lastsig;
static int32_t o_child_pid;
static int o_step_err;
typedef void (*o_step_fn)(int step);
static o_step_fn o_steps;
static int o_scn;                       /* scenario number in the batch */
static int o_failed;                    /* the driver gave up on this scenario */

struct o_obj { int fd; int kind; long pages; char path[96]; };
enum { OBJ_FILE = 1, OBJ_SHMEM = 2, OBJ_FB = 3 };
static struct o_obj OBJ[O_MAXOBJ];
static long o_fab_default = 65536;

static int read_full(int fd, void *b, size_t n)
{
  size_t off = 0;
  while (off < n) {
    ssize_t r = read(fd, (char *)b + off, n - off);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    off += (size_t)r;
  }
  return 0;
}
static int write_full(int fd, const void *b, size_t n)
{
  size_t off = 0;
  while (off < n) {
    ssize_t r = write(fd, (const char *)b + off, n - off);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    off += (size_t)r;
  }
  return 0;
}

/* -------------------------------------------------------------- measured accesses */
static sigjmp_buf o_jb;
static volatile sig_atomic_t o_armed;
static struct rusage o_r0, o_r1;
static struct timespec o_a0, o_a1;
static volatile int o_sig;
static char *o_guard;                   /* one PROT_NONE page: warms the signal path */

static void o_on_fault(int sig, siginfo_t *si, void *uc)
{
  (void)si; (void)uc;
  if (o_armed) siglongjmp(o_jb, sig);
  signal(sig, SIG_DFL);
  raise(sig);
}

/* Touch everything a measured window writes: stack, statics, the signal frame. */
static void __attribute__((noinline)) o_access_raw(volatile char *p, int w);
static void __attribute__((noinline)) warm(void)
{
  volatile char stack[65536];
  for (size_t i = 0; i < sizeof stack; i += 512) stack[i] = (char)i;
  memset(&o_r0, 0, sizeof o_r0); memset(&o_r1, 0, sizeof o_r1);
  memset(&o_a0, 0, sizeof o_a0); memset(&o_a1, 0, sizeof o_a1);
  memset(&o_jb, 0, sizeof o_jb); memset(&o_ru, 0, sizeof o_ru);
  o_sig = 0; o_armed = 0;
  for (size_t i = 0; i < sizeof o_buf; i += 4096) o_buf[i] = 0;
  minflt(); majflt(); o_ms();
  if (o_guard) o_access_raw(o_guard, 0);   /* SIGSEGV once, caught */
  minflt(); o_ms();
}

/* The access itself, between two getrusage samples. Returns the signal (0 if none). */
static void __attribute__((noinline)) o_access_raw(volatile char *p, int w)
{
  clock_gettime(CLOCK_MONOTONIC, &o_a0);
  getrusage(RUSAGE_SELF, &o_r0);
  o_armed = 1;
  o_sig = sigsetjmp(o_jb, 1);
  if (o_sig == 0) {
    if (w) *p = (char)w; else (void)*p;
  }
  o_armed = 0;
  getrusage(RUSAGE_SELF, &o_r1);
  clock_gettime(CLOCK_MONOTONIC, &o_a1);
}

/* read/write one page of the scenario: prints {"t":"acc",...}. A write stores a byte that
 * differs from step to step (never 0: a page stays not all-zero), so a pipe that references
 * the page shows whether a later write reached it (o_pipe_check). */
static void o_acc(int step, unsigned long addr, int w, int page)
{
  o_access_raw((volatile char *)addr, w ? 1 + step % 255 : 0);
  long dmin = o_r1.ru_minflt - o_r0.ru_minflt, dmaj = o_r1.ru_majflt - o_r0.ru_majflt;
  double us = (o_a1.tv_sec - o_a0.tv_sec) * 1e6 + (o_a1.tv_nsec - o_a0.tv_nsec) / 1e3;
  o_faults += dmin + dmaj;
  o_lastsig = o_sig;
  out("{\"t\":\"acc\",\"s\":%d,\"p\":%d,\"a\":%lu,\"i\":%d,\"w\":%d,\"min\":%ld,\"maj\":%ld,\"sig\":%d,\"us\":%.1f,\"ms\":%.3f}",
      step, o_me, addr, page, w, dmin, dmaj, (int)o_sig, us, o_ms());
}

/* ----------------------------------------------------------- operations in a process */
static void o_op(int step, const char *op, long ret, int err, double us)
{
  out("{\"t\":\"op\",\"s\":%d,\"p\":%d,\"op\":\"%s\",\"ret\":%ld,\"errno\":%d,\"us\":%.1f}", step, o_me, op, ret, err, us);
  if (ret < 0) o_step_err = err ? err : -1;
}
#define O_TIMED(expr, retv, errv, usv) do { double _t = o_ms(); errno = 0; retv = (long)(expr); errv = retv < 0 ? errno : 0; usv = (o_ms() - _t) * 1e3; } while (0)

static void o_mmap(int step, unsigned long addr, unsigned long len, int prot, int flags, int fd, unsigned long off)
{
  long r; int e; double us;
  void *p;
  { double _t = o_ms(); errno = 0;
    p = mmap((void *)addr, len, prot, flags | MAP_FIXED_NOREPLACE, fd, (off_t)off);
    e = p == MAP_FAILED ? errno : 0; us = (o_ms() - _t) * 1e3; }
  if (p != MAP_FAILED && (unsigned long)p != addr) { munmap(p, len); e = EEXIST; p = MAP_FAILED; }
  r = p == MAP_FAILED ? -1 : 0;
  /* no MADV_NOHUGEPAGE: the THP knobs are the engine's (o_thp_defaults), VM_NOHUGEPAGE is not */
  o_op(step, "mmap", r, e, us);
}
static void o_munmap(int step, unsigned long addr, unsigned long len)
{ long r; int e; double us; O_TIMED(munmap((void *)addr, len), r, e, us); o_op(step, "munmap", r, e, us); }
static void o_mprotect(int step, unsigned long addr, unsigned long len, int prot)
{ long r; int e; double us; O_TIMED(mprotect((void *)addr, len, prot), r, e, us); o_op(step, "mprotect", r, e, us); }
#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE 1
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED 2
#endif
/* mremap(2) in the process: to != 0 moves (MREMAP_MAYMOVE|MREMAP_FIXED), else in place
 * (flags 0: growing fails with ENOMEM where the next range is taken) */
static void o_mremap(int step, unsigned long addr, unsigned long len, unsigned long newlen, unsigned long to)
{
  long r; int e; double us;
  O_TIMED(syscall(SYS_mremap, addr, len, newlen, to ? MREMAP_MAYMOVE | MREMAP_FIXED : 0, to), r, e, us);
  o_op(step, "mremap", r < 0 ? -1 : 0, e, us);
}
#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE 101
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
/* madvise in the process; the faults it takes (MADV_POPULATE_*: get_user_pages faults are
 * the task's own, counted by mm_account_fault) join the process's count */
static void o_madvise(int step, unsigned long addr, unsigned long len, int advice)
{
  long r; int e; double us;
  struct rusage r0, r1;
  getrusage(RUSAGE_SELF, &r0);
  O_TIMED(madvise((void *)addr, len, advice), r, e, us);
  getrusage(RUSAGE_SELF, &r1);
  o_faults += (r1.ru_minflt - r0.ru_minflt) + (r1.ru_majflt - r0.ru_majflt);
  o_op(step, "madvise", r, e, us);
}
/* `vmsplice PROC SPEC as PIPE`: pipe(2), then vmsplice(2) of the range into it (a new pipe
 * takes at most 16 pages: iter_to_pipe stops when its buffers are full). The process keeps
 * both ends (a child forked later inherits them) and a copy of what the pipe held then,
 * read through tee(2) into a scratch pipe so that the pipe itself keeps its buffers. */
#define O_MAXPIPE 64
static struct { int fd[2]; long len; unsigned char snap[16 * 4096]; } PIPES[O_MAXPIPE];
static unsigned char o_peekbuf[16 * 4096];
static long o_pipe_peek(int slot, unsigned char *buf)
{
  int t[2];
  if (PIPES[slot].len <= 0) return 0;
  if (pipe(t) < 0) return -1;
  long n = tee(PIPES[slot].fd[0], t[1], (size_t)PIPES[slot].len, SPLICE_F_NONBLOCK), got = 0;
  while (n > 0 && got < n) {
    ssize_t r = read(t[0], buf + got, (size_t)(n - got));
    if (r <= 0) break;
    got += r;
  }
  close(t[0]); close(t[1]);
  return n < 0 ? -1 : got;
}
static void o_vmsplice(int step, int slot, unsigned long addr, unsigned long len)
{
  long r; int e; double us;
  struct rusage r0, r1;
  PIPES[slot].len = 0;
  if (pipe(PIPES[slot].fd) < 0) { o_op(step, "pipe", -1, errno, 0); return; }
  struct iovec iov = { (void *)addr, len };
  getrusage(RUSAGE_SELF, &r0);
  O_TIMED(vmsplice(PIPES[slot].fd[1], &iov, 1, 0), r, e, us);
  getrusage(RUSAGE_SELF, &r1);
  o_faults += (r1.ru_minflt - r0.ru_minflt) + (r1.ru_majflt - r0.ru_majflt);   /* the GUP's faults */
  o_op(step, "vmsplice", r, e, us);
  PIPES[slot].len = r > 0 ? r : 0;
  o_pipe_peek(slot, PIPES[slot].snap);
}
/* `expect pipe PIPE ...`: does the pipe still hold what it held after the splice? op "pipe",
 * ret 1 when its data changed, 0 when not, -1 (errno) when it could not be read */
static void o_pipe_check(int step, int slot)
{
  long n = o_pipe_peek(slot, o_peekbuf);
  int err = n < 0 ? errno : 0;
  long changed = n < 0 ? -1 : (n != PIPES[slot].len || memcmp(o_peekbuf, PIPES[slot].snap, (size_t)n) != 0);
  out("{\"t\":\"op\",\"s\":%d,\"p\":%d,\"op\":\"pipe\",\"ret\":%ld,\"errno\":%d,\"us\":0}", step, o_me, changed, err);
}

/* `pin PROC SPEC as BUF`: io_uring_setup(2) of a one-entry ring, then
 * io_uring_register(IORING_REGISTER_BUFFERS) of the range (io_pin_pages: pin_user_pages with
 * FOLL_WRITE | FOLL_LONGTERM), by raw syscalls. The ring is mapped where the kernel puts it
 * (6.12's io_uring_get_unmapped_area refuses an address), outside the scenario's ranges; a
 * child forked later inherits ring and mappings. What the pinned pages hold is read with an
 * IORING_OP_WRITE_FIXED of the whole buffer into a memfd (the pins' pages, not the process's
 * page tables), hashed (FNV-1a): once after registering, again at `expect pin`. */
#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425
#define __NR_io_uring_enter 426
#define __NR_io_uring_register 427
#endif
#define O_MAXPIN 64
static struct {
  int fd, mfd, ro; unsigned long addr, len; uint64_t snap;
  unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
  struct io_uring_sqe *sqes; struct io_uring_cqe *cqes;
} PINS[O_MAXPIN];
static uint64_t o_fnv(const unsigned char *p, unsigned long n, uint64_t x)
{
  for (unsigned long j = 0; j < n; j++) x = (x ^ p[j]) * 1099511628211ULL;
  return x;
}
/* mm/gup_test.h (6.2+; the gup-6.1 kernel has them backported) */
struct o_pin_longterm_test { uint64_t addr; uint64_t size; uint32_t flags; };
#define O_PIN_LONGTERM_TEST_START _IOW('g', 7, struct o_pin_longterm_test)
#define O_PIN_LONGTERM_TEST_READ _IOW('g', 9, uint64_t)
/* a R/O pin's pages through PIN_LONGTERM_TEST_READ (kmap of each pinned page): hash in *h */
static int o_ropin_read(int slot, uint64_t *h)
{
  __typeof__(PINS[0]) *b = &PINS[slot];
  unsigned char *buf = malloc(b->len);
  if (!buf) return -ENOMEM;
  uint64_t to = (uintptr_t)buf;
  int r = ioctl(b->fd, O_PIN_LONGTERM_TEST_READ, &to) < 0 ? -errno : 0;
  if (!r) *h = o_fnv(buf, b->len, 1469598103934665603ULL);
  free(buf);
  return r;
}
/* `pin PROC SPEC as BUF readonly [fast]`: gup_test's PIN_LONGTERM_TEST_START (pin_user_pages
 * or, with `fast`, pin_user_pages_fast, FOLL_LONGTERM without FOLL_WRITE) through
 * /sys/kernel/debug/gup_test, which the process keeps open (a child forked later inherits it;
 * the last close drops the pin, gup_test_release). One such pin at a time (gup_test's). */
static void o_ropin(int step, int slot, unsigned long addr, unsigned long len, int fast)
{
  __typeof__(PINS[0]) *b = &PINS[slot];
  b->fd = -1; b->ro = 1; b->addr = addr; b->len = len;
  int fd = open("/sys/kernel/debug/gup_test", O_RDWR);
  if (fd < 0) { o_op(step, "pin_setup", -1, errno, 0); return; }
  struct o_pin_longterm_test args = { addr, len, fast ? 2u : 0u };
  long r; int e; double us;
  struct rusage r0, r1;
  getrusage(RUSAGE_SELF, &r0);
  O_TIMED(ioctl(fd, O_PIN_LONGTERM_TEST_START, &args), r, e, us);
  getrusage(RUSAGE_SELF, &r1);
  o_faults += (r1.ru_minflt - r0.ru_minflt) + (r1.ru_majflt - r0.ru_majflt);   /* the GUP's faults */
  o_op(step, "pin", r, e, us);
  if (r < 0) { close(fd); return; }
  b->fd = fd;
  int rr = o_ropin_read(slot, &b->snap);
  if (rr < 0) { b->fd = -1; o_op(step, "pin_read", -1, -rr, 0); }
}
/* the pinned pages' data through WRITE_FIXED: its FNV-1a hash in *h; 0, or -errno */
static int o_pin_read(int slot, uint64_t *h)
{
  __typeof__(PINS[0]) *b = &PINS[slot];
  if (b->ro) return o_ropin_read(slot, h);
  unsigned tail = *b->sq_tail, i = tail & *b->sq_mask;
  struct io_uring_sqe *q = &b->sqes[i];
  memset(q, 0, sizeof *q);
  q->opcode = IORING_OP_WRITE_FIXED; q->fd = b->mfd; q->addr = b->addr; q->len = (unsigned)b->len; q->off = 0; q->buf_index = 0;
  b->sq_array[i] = i;
  __atomic_store_n(b->sq_tail, tail + 1, __ATOMIC_RELEASE);
  if (syscall(__NR_io_uring_enter, b->fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0) return -errno;
  unsigned head = __atomic_load_n(b->cq_head, __ATOMIC_ACQUIRE);
  if (head == __atomic_load_n(b->cq_tail, __ATOMIC_ACQUIRE)) return -EAGAIN;
  int res = b->cqes[head & *b->cq_mask].res;
  __atomic_store_n(b->cq_head, head + 1, __ATOMIC_RELEASE);
  if (res < 0) return res;
  if ((unsigned long)res != b->len) return -EIO;
  uint64_t x = 1469598103934665603ULL;
  for (unsigned long off = 0; off < b->len; ) {
    ssize_t r = pread(b->mfd, o_peekbuf, sizeof o_peekbuf < b->len - off ? sizeof o_peekbuf : b->len - off, (off_t)off);
    if (r <= 0) return r < 0 ? -errno : -EIO;
    x = o_fnv((const unsigned char *)o_peekbuf, (unsigned long)r, x);
    off += (unsigned long)r;
  }
  *h = x;
  return 0;
}
static void o_pin(int step, int slot, unsigned long addr, unsigned long len)
{
  __typeof__(PINS[0]) *b = &PINS[slot];
  struct io_uring_params p;
  memset(&p, 0, sizeof p);
  b->fd = -1; b->ro = 0;
  int fd = (int)syscall(__NR_io_uring_setup, 1, &p);
  if (fd < 0) { o_op(step, "pin_setup", -1, errno, 0); return; }
  size_t sqsz = p.sq_off.array + p.sq_entries * sizeof(unsigned), cqsz = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
  if (cqsz > sqsz) sqsz = cqsz;
  char *ring = mmap(NULL, sqsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
  void *sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
  int mfd = memfd_create("mms-pin", 0);
  if (!(p.features & IORING_FEAT_SINGLE_MMAP) || ring == MAP_FAILED || sqes == MAP_FAILED || mfd < 0 || ftruncate(mfd, (off_t)len) < 0) {
    o_op(step, "pin_setup", -1, errno ? errno : EINVAL, 0); close(fd); return;
  }
  b->sq_tail = (unsigned *)(ring + p.sq_off.tail); b->sq_mask = (unsigned *)(ring + p.sq_off.ring_mask);
  b->sq_array = (unsigned *)(ring + p.sq_off.array); b->cq_head = (unsigned *)(ring + p.cq_off.head);
  b->cq_tail = (unsigned *)(ring + p.cq_off.tail); b->cq_mask = (unsigned *)(ring + p.cq_off.ring_mask);
  b->cqes = (struct io_uring_cqe *)(ring + p.cq_off.cqes); b->sqes = sqes;
  b->mfd = mfd; b->addr = addr; b->len = len;
  long r; int e; double us;
  struct rusage r0, r1;
  struct iovec iov = { (void *)addr, len };
  getrusage(RUSAGE_SELF, &r0);
  O_TIMED(syscall(__NR_io_uring_register, fd, IORING_REGISTER_BUFFERS, &iov, 1), r, e, us);
  getrusage(RUSAGE_SELF, &r1);
  o_faults += (r1.ru_minflt - r0.ru_minflt) + (r1.ru_majflt - r0.ru_majflt);   /* the GUP's faults */
  o_op(step, "pin", r, e, us);
  if (r < 0) {   /* nothing stays registered: drop the ring, its mappings and the memfd */
    munmap(ring, sqsz); munmap(sqes, p.sq_entries * sizeof(struct io_uring_sqe)); close(mfd); close(fd);
    return;
  }
  b->fd = fd;
  int rr = o_pin_read(slot, &b->snap);
  if (rr < 0) { b->fd = -1; o_op(step, "pin_read", -1, -rr, 0); }
}
/* `expect pin BUF ...`: do the pinned pages still hold what they held after registering?
 * op "pinchk", ret 1 when their data changed, 0 when not, -1 (errno) when it could not be read */
static void o_pin_check(int step, int slot)
{
  uint64_t h = 0;
  int rr = PINS[slot].fd < 0 ? -EBADF : o_pin_read(slot, &h);
  long changed = rr < 0 ? -1 : h != PINS[slot].snap;
  out("{\"t\":\"op\",\"s\":%d,\"p\":%d,\"op\":\"pinchk\",\"ret\":%ld,\"errno\":%d,\"us\":0}", step, o_me, changed, rr < 0 ? -rr : 0);
}

/* `migrate PROC LABEL[I]`: migrate_pages() of the folio that maps addr, started as
 * move_pages(2) does (mm/migrate.c do_pages_move → add_page_for_migration → migrate_pages(
 * MIGRATE_SYNC, MR_SYSCALL)): the whole folio, to the guest's other NUMA node (the guest has
 * two, run.ts), MPOL_MF_MOVE_ALL so a folio other processes map moves too (root). The page's
 * node is asked first (nodes NULL). op "migrate": 0, or -1 with the page's status errno
 * (-EBUSY: not isolated from the LRU, -ENOENT: no page, -EFAULT: the zero page or no
 * migratable VMA), EBUSY when migrate_pages() left it (move_pages returns a count > 0). */
#ifndef MPOL_MF_MOVE_ALL
#define MPOL_MF_MOVE_ALL (1 << 2)
#endif
static void o_migrate(int step, unsigned long addr)
{
  long r; int e; double us;
  void *pages[1] = { (void *)addr };
  int status[1] = { -1 }, node[1] = { 1 };
  if (syscall(SYS_move_pages, 0, 1L, pages, NULL, status, 0) == 0 && status[0] >= 0) node[0] = status[0] == 0 ? 1 : 0;
  O_TIMED(syscall(SYS_move_pages, 0, 1L, pages, node, status, MPOL_MF_MOVE_ALL), r, e, us);
  if (r == 0 && status[0] < 0) { r = -1; e = -status[0]; }
  else if (r > 0) { r = -1; e = EBUSY; }
  o_op(step, "migrate", r, e, us);
}
/* `split PROC LABEL[I]`: split_folio() of the folio that maps addr, through debugfs
 * (mm/huge_memory.c split_huge_pages_pid(): every THP the range [addr, addr + PAGE)
 * reaches is split with split_huge_page() / split_folio_to_order(folio, 0)); the process
 * names itself. `split OBJ[I]`: split_huge_pages_in_file() over page-cache index I. */
static void o_split_write(int step, const char *what)
{
  long r; int e; double us;
  int fd = open("/sys/kernel/debug/split_huge_pages", O_WRONLY);
  O_TIMED(fd < 0 ? -1 : write(fd, what, strlen(what)), r, e, us);
  if (fd >= 0) close(fd);
  o_op(step, "split", r < 0 ? r : 0, e, us);
}
static void o_split(int step, unsigned long addr)
{
  char b[96];
  snprintf(b, sizeof b, "%d,0x%lx,0x%lx", (int)getpid(), addr, addr + PAGE);
  o_split_write(step, b);
}
static void o_split_file(int step, int o, long index)
{
  char b[160];
  snprintf(b, sizeof b, "%s,0x%lx,0x%lx", OBJ[o].path, index, index + 1);
  o_split_write(step, b);
}
static void o_msync(int step, unsigned long addr, unsigned long len)
{ long r; int e; double us; O_TIMED(msync((void *)addr, len, MS_SYNC), r, e, us); o_op(step, "msync", r, e, us); }
static void clear_refs(const char *what)
{
  int fd = open("/proc/self/clear_refs", O_WRONLY);
  if (fd >= 0) { if (write(fd, what, strlen(what)) < 0) {} close(fd); }
}
static void o_clear_refs(int step, const char *what)
{
  long r; int e; double us;
  int fd = open("/proc/self/clear_refs", O_WRONLY);
  O_TIMED(fd < 0 ? -1 : write(fd, what, strlen(what)), r, e, us);
  if (fd >= 0) close(fd);
  warm();                               /* runtime pages were write-protected too */
  o_op(step, "clear_refs", r, e, us);
}

/* ---------------------------------------- `sysctl swap pages N [sync]`: a swap file on /mnt,
 * or (sync) the zram device /dev/zram0, which swapon() marks SWP_SYNCHRONOUS_IO */
static char o_swapfile[64];
static int o_swapzram;
static int o_sysfs_write(const char *path, const char *v)
{
  int fd = open(path, O_WRONLY);
  if (fd < 0) return -1;
  long n = write(fd, v, strlen(v));
  int e = errno;
  close(fd);
  errno = e;
  return n == (long)strlen(v) ? 0 : -1;
}
static void o_swapoff(void)
{
  if (!o_swapfile[0]) return;
  if (syscall(SYS_swapoff, o_swapfile) < 0) o_op(-1, "swapoff", -1, errno, 0);
  if (o_swapzram) o_sysfs_write("/sys/block/zram0/reset", "1");   /* frees what it stored */
  else unlink(o_swapfile);
  o_swapfile[0] = 0; o_swapzram = 0;
}
/* mkswap: version 1, last_page = pages - 1, "SWAPSPACE2" at the end of page 0; every
 * block written (a swap file may have no holes). zram: disksize pages * PAGE, the header
 * page only (a zram page never written reads as zeroes). */
/* a swapon that failed before the syscall: the step's op with the errno, no device */
static void o_swapon_failed(int step, int e)
{
  o_tr_mark("mms st %d", step);
  o_op(step, "swapon", -1, e, 0);
  o_swapfile[0] = 0; o_swapzram = 0;
}
static void o_swapon(int step, long pages, int zram)
{
  static unsigned char pg[PAGE];
  long r = -1; int e = 0; double us = 0;
  o_tr_mark("mms teardown");            /* writing the swap space is the oracle's set-up, no step's */
  o_swapoff();
  int fd;
  if (zram) {
    char size[32];
    snprintf(size, sizeof size, "%ld", pages * PAGE);
    snprintf(o_swapfile, sizeof o_swapfile, "/dev/zram0");
    if (access("/sys/block/zram0", F_OK) < 0) { o_swapon_failed(step, ENODEV); return; }
    o_sysfs_write("/sys/block/zram0/reset", "1");
    if (o_sysfs_write("/sys/block/zram0/disksize", size) < 0) { o_swapon_failed(step, errno); return; }
    o_swapzram = 1;
    fd = open(o_swapfile, O_RDWR);
  } else {
    snprintf(o_swapfile, sizeof o_swapfile, "/mnt/mms%d-swap", o_scn);
    fd = open(o_swapfile, O_RDWR | O_CREAT | O_TRUNC, 0600);
  }
  if (fd < 0) { o_swapon_failed(step, errno); return; }
  for (long i = 0; i < (zram ? 1 : pages); i++) {
    memset(pg, 0, sizeof pg);
    if (i == 0) {
      uint32_t *info = (uint32_t *)(pg + 1024);
      info[0] = 1; info[1] = (uint32_t)(pages - 1); info[2] = 0;
      memcpy(pg + PAGE - 10, "SWAPSPACE2", 10);
    }
    if (write(fd, pg, PAGE) != PAGE) { e = errno ? errno : EIO; break; }
  }
  fsync(fd); close(fd);
  o_tr_mark("mms st %d", step);
  if (!e) O_TIMED(syscall(SYS_swapon, o_swapfile, 0), r, e, us);
  o_op(step, "swapon", r, e, us);
  if (r == 0) {
    /* what the kernel made of it: /proc/swaps "Size" (KiB) is si->pages, the usable slots
     * (the header page excluded); si->flags' SWP_SYNCHRONOUS_IO is not shown, so report
     * which device it is */
    long kb = -1; char line[256];
    FILE *f = fopen("/proc/swaps", "r");
    if (f) {
      while (fgets(line, sizeof line, f)) {
        char name[128]; long size;
        if (sscanf(line, "%127s %*s %ld", name, &size) == 2 && strcmp(name, o_swapfile) == 0) kb = size;
      }
      fclose(f);
    }
    out("{\"t\":\"op\",\"s\":%d,\"p\":-1,\"op\":\"%s\",\"ret\":%ld,\"errno\":0,\"us\":0}", step,
        o_swapzram ? "swap_pages_zram" : "swap_pages_file", kb < 0 ? -1 : kb / (PAGE / 1024));
  }
  if (r < 0) {
    if (o_swapzram) o_sysfs_write("/sys/block/zram0/reset", "1"); else unlink(o_swapfile);
    o_swapfile[0] = 0; o_swapzram = 0;
  }
}

/* ------------------------------------------------------------- process life cycle */
static void o_send_ack(int self, int step)
{
  struct o_ack a = { step, o_lastsig, o_child_pid, o_step_err, o_faults };
  write_full(P[self].ack[1], &a, sizeof a);
}
static void __attribute__((noreturn)) o_serve(int self)
{
  for (;;) {
    int32_t k;
    if (read_full(P[self].cmd[0], &k, sizeof k) < 0 || k < 0) _exit(0);
    o_child_pid = 0; o_step_err = 0;
    o_steps(k);
    o_send_ack(self, k);
  }
}
static void o_calibrate(void)
{
  long f0 = o_faults;
  o_access_raw((volatile char *)&o_sig, 0);
  long empty = (o_r1.ru_minflt - o_r0.ru_minflt) + (o_r1.ru_majflt - o_r0.ru_majflt);
  o_access_raw(o_guard, 0);
  long sig = (o_r1.ru_minflt - o_r0.ru_minflt) + (o_r1.ru_majflt - o_r0.ru_majflt);
  o_faults = f0;
  out("{\"t\":\"cal\",\"p\":%d,\"empty\":%ld,\"sig\":%ld,\"signo\":%d}", o_me, empty, sig, (int)o_sig);
}
static void o_become(int self)
{
  o_me = self; o_faults = 0; o_lastsig = 0;
  warm();
  o_calibrate();
  struct o_ack hello = { -1, 0, getpid(), 0, 0 };
  write_full(P[self].ack[1], &hello, sizeof hello);
  o_serve(self);
}
/* `fork PARENT as CHILD`, run in PARENT */
static void o_fork(int step, int child)
{
  double t = o_ms();
  pid_t pid = fork();
  if (pid == 0) o_become(child);
  double us = (o_ms() - t) * 1e3;
  warm();                               /* fork write-protected our own pages too */
  o_child_pid = pid;
  o_op(step, "fork", pid, pid < 0 ? errno : 0, us);
}
static void __attribute__((noreturn)) o_exit(int step) { (void)step; _exit(0); }

/* --------------------------------------------------------------------- the driver */
static void o_err(int step, int p, const char *what, int e)
{
  out("{\"t\":\"err\",\"s\":%d,\"p\":%d,\"what\":\"%s\",\"errno\":%d}", step, p, what, e);
}
static void o_open_pagemap(int p)
{
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/pagemap", P[p].pid);
  P[p].pagemap = open(path, O_RDONLY);
}
/* wait for an ack of process p (or its death); 0 on success */
static int o_wait_ack(int step, int p, struct o_ack *a)
{
  struct pollfd fds[2] = { { P[p].ack[0], POLLIN, 0 }, { P[p].pidfd, POLLIN, 0 } };
  int n = poll(fds, P[p].pidfd >= 0 ? 2 : 1, O_STEP_TIMEOUT_MS);
  if (n <= 0) { o_err(step, p, "timeout", 0); return -1; }
  if (fds[0].revents & POLLIN) return read_full(P[p].ack[0], a, sizeof *a);
  o_err(step, p, "process died", 0);
  P[p].alive = 0;
  return -1;
}
static int o_adopt(int step, int p)
{
  struct o_ack a;
  P[p].pidfd = -1;
  struct pollfd fd = { P[p].ack[0], POLLIN, 0 };
  if (poll(&fd, 1, O_STEP_TIMEOUT_MS) <= 0 || read_full(P[p].ack[0], &a, sizeof a) < 0) {
    o_err(step, p, "no hello", 0); return -1;
  }
  P[p].pid = a.child_pid;
  P[p].pidfd = (int)syscall(SYS_pidfd_open, P[p].pid, 0);
  P[p].alive = 1; P[p].faults = 0; P[p].lastsig = 0;
  o_open_pagemap(p);
  out("{\"t\":\"pid\",\"s\":%d,\"p\":%d,\"pid\":%d}", step, p, P[p].pid);
  return 0;
}
/* `process NAME` */
static void o_spawn(int step, int p)
{
  pid_t pid = fork();
  if (pid == 0) o_become(p);
  if (pid < 0) { o_err(step, p, "fork", errno); return; }
  o_adopt(step, p);
}
/* run one step in process p and wait for it */
static void o_run(int step, int p)
{
  if (o_failed) return;
  if (!P[p].alive) { o_err(step, p, "not alive", 0); return; }
  int32_t k = step;
  write_full(P[p].cmd[1], &k, sizeof k);
  struct o_ack a;
  if (o_wait_ack(step, p, &a) < 0) { o_failed = 1; return; }
  P[p].faults = a.faults; P[p].lastsig = a.sig;
}
static void o_run_fork(int step, int p, int child)
{
  if (o_failed) return;
  o_run(step, p);
  if (!o_failed) o_adopt(step, child);
}
static void o_run_exit(int step, int p)
{
  if (o_failed || !P[p].alive) return;
  int32_t k = step;
  write_full(P[p].cmd[1], &k, sizeof k);
  struct pollfd fd = { P[p].pidfd, POLLIN, 0 };
  if (P[p].pidfd < 0 || poll(&fd, 1, O_STEP_TIMEOUT_MS) <= 0) o_err(step, p, "exit timeout", 0);
  P[p].alive = 0;
  if (P[p].pagemap >= 0) close(P[p].pagemap);
  P[p].pagemap = -1;
}

/* step marker and per-step fault counts */
static void o_step(int step, int line)
{
  o_tr_drain(1);
  o_tr_mark("mms st %d", step);
  out("{\"t\":\"st\",\"s\":%d,\"l\":%d,\"ms\":%.3f}", step, line, o_ms());
}
static void o_faults_line(int step)
{
  ob_reset();
  ob_printf("{\"t\":\"flt\",\"s\":%d,\"n\":[", step);
  for (int p = 0; p < o_nprocs; p++) ob_printf("%s%ld", p ? "," : "", P[p].alive ? P[p].faults : -1L);
  ob_printf("],\"sig\":[");
  for (int p = 0; p < o_nprocs; p++) ob_printf("%s%d", p ? "," : "", P[p].lastsig);
  ob_printf("],\"ms\":%.3f}", o_ms());
  ob_flush();
}

/* ----------------------------------------------------------------- page state */
static int o_kpf = -1, o_kpc = -1;
static uint64_t kpageflags(uint64_t pfn)
{
  uint64_t v = 0;
  if (o_kpf < 0) o_kpf = open("/proc/kpageflags", O_RDONLY);
  if (pread(o_kpf, &v, 8, (off_t)(pfn * 8)) != 8) return 0;
  return v & ((1ULL << 53) - 1);
}
static uint64_t kpagecount(uint64_t pfn)
{
  uint64_t v = 0;
  if (o_kpc < 0) o_kpc = open("/proc/kpagecount", O_RDONLY);
  if (pread(o_kpc, &v, 8, (off_t)(pfn * 8)) != 8) return 0;
  return v;
}
/* pagemap bits -> compact flags: 1 present, 2 swapped, 4 file/shared-anon,
 * 8 exclusive, 16 soft-dirty, 32 uffd-wp */
static int pm_flags(uint64_t e)
{
  return (int)(((e >> 63) & 1) | (((e >> 62) & 1) << 1) | (((e >> 61) & 1) << 2) |
               (((e >> 56) & 1) << 3) | (((e >> 55) & 1) << 4) | (((e >> 57) & 1) << 5));
}
static uint64_t o_pm[4096];
/* pagemap of n pages of process p at addr: {"t":"pm",...} */
static void snap(int step, int p, unsigned long addr, int n, int m)
{
  if (!P[p].alive || P[p].pagemap < 0) return;
  if (n > 4096) n = 4096;
  ssize_t r = pread(P[p].pagemap, o_pm, (size_t)n * 8, (off_t)((addr / PAGE) * 8));
  if (r != (ssize_t)n * 8) { o_err(step, p, "pagemap", errno); return; }
  ob_reset();
  ob_printf("{\"t\":\"pm\",\"s\":%d,\"p\":%d,\"m\":%d,\"a\":%lu,\"f\":[", step, p, m, addr);
  for (int i = 0; i < n; i++) ob_printf("%s%d", i ? "," : "", pm_flags(o_pm[i]));
  ob_printf("],\"pfn\":[");
  for (int i = 0; i < n; i++) ob_printf("%s%llu", i ? "," : "", (unsigned long long)((o_pm[i] >> 63) ? o_pm[i] & ((1ULL << 55) - 1) : 0));
  ob_printf("],\"kf\":[");
  for (int i = 0; i < n; i++) {
    uint64_t pfn = (o_pm[i] >> 63) ? o_pm[i] & ((1ULL << 55) - 1) : 0;
    ob_printf("%s%llu", i ? "," : "", (unsigned long long)(pfn ? kpageflags(pfn) : 0));
  }
  ob_printf("],\"mc\":[");
  for (int i = 0; i < n; i++) {
    uint64_t pfn = (o_pm[i] >> 63) ? o_pm[i] & ((1ULL << 55) - 1) : 0;
    ob_printf("%s%llu", i ? "," : "", (unsigned long long)(pfn ? kpagecount(pfn) : 0));
  }
  ob_printf("]}");
  ob_flush();
}
/* pagemap of the calling process for one address (PFN needs CAP_SYS_ADMIN) */
static uint64_t pagemap_self(unsigned long addr)
{
  uint64_t e = 0;
  int fd = open("/proc/self/pagemap", O_RDONLY);
  if (fd >= 0) { if (pread(fd, &e, 8, (off_t)((addr / PAGE) * 8)) != 8) e = 0; close(fd); }
  return e;
}

/* smaps of process p: every VMA inside [addr, addr+n pages) */
static char o_smaps[1 << 20];
static long smaps_field(const char *vma, const char *end, const char *name)
{
  size_t nl = strlen(name);
  for (const char *l = vma; l && l < end; ) {
    if (!strncmp(l, name, nl) && l[nl] == ':') return strtol(l + nl + 1, NULL, 10);
    l = memchr(l, '\n', (size_t)(end - l));
    if (l) l++;
  }
  return -1;
}
static int smaps_is_header(const char *l) { return (*l >= '0' && *l <= '9') || (*l >= 'a' && *l <= 'f'); }
static void smaps(int step, int p, unsigned long addr, int n, int m)
{
  if (!P[p].alive) return;
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/smaps", P[p].pid);
  int fd = open(path, O_RDONLY);
  if (fd < 0) return;
  size_t len = 0;
  for (;;) {
    ssize_t r = read(fd, o_smaps + len, sizeof o_smaps - 1 - len);
    if (r <= 0) break;
    len += (size_t)r;
  }
  close(fd);
  o_smaps[len] = 0;
  unsigned long lo = addr, hi = addr + (unsigned long)n * PAGE;
  ob_reset();
  ob_printf("{\"t\":\"sm\",\"s\":%d,\"p\":%d,\"m\":%d,\"v\":[", step, p, m);
  int first = 1;
  char *end = o_smaps + len, *s = o_smaps;
  while (s < end) {
    /* s: a header line; body: its field lines, up to the next header */
    char *nl = memchr(s, '\n', (size_t)(end - s));
    char *body = nl ? nl + 1 : end, *next = body;
    while (next < end && !smaps_is_header(next)) {
      char *q = memchr(next, '\n', (size_t)(end - next));
      next = q ? q + 1 : end;
    }
    unsigned long a = 0, b = 0, off = 0, ino = 0;
    char pr[8] = "";
    if (smaps_is_header(s) && sscanf(s, "%lx-%lx %7s %lx %*s %lu", &a, &b, pr, &off, &ino) >= 2 && a < hi && b > lo) {
      char vf[160] = "";
      for (char *l = body; l < next; ) {
        char *q = memchr(l, '\n', (size_t)(next - l));
        if (!strncmp(l, "VmFlags:", 8)) {
          const char *v = l + 8;
          while (*v == ' ') v++;
          size_t k = 0;
          while (v + k < next && v[k] != '\n' && k < sizeof vf - 1) { vf[k] = v[k]; k++; }
          while (k && vf[k - 1] == ' ') k--;
          vf[k] = 0;
        }
        l = q ? q + 1 : next;
      }
      ob_printf("%s{\"a\":%lu,\"e\":%lu,\"rss\":%ld,\"pss\":%ld,\"sc\":%ld,\"sd\":%ld,\"pc\":%ld,\"pd\":%ld,\"ref\":%ld,\"anon\":%ld,\"vf\":\"%s\",\"pr\":\"%s\",\"off\":%lu,\"ino\":%lu}",
                first ? "" : ",", a, b,
                smaps_field(body, next, "Rss"), smaps_field(body, next, "Pss"),
                smaps_field(body, next, "Shared_Clean"), smaps_field(body, next, "Shared_Dirty"),
                smaps_field(body, next, "Private_Clean"), smaps_field(body, next, "Private_Dirty"),
                smaps_field(body, next, "Referenced"), smaps_field(body, next, "Anonymous"), vf, pr, off, ino);
      first = 0;
    }
    s = next;
  }
  ob_printf("]}");
  ob_flush();
}

/* State of object page i (page cache / fb page), seen from the driver through a
 * one-page mapping of its own that exists only for this probe: residency by
 * mincore (a page not resident is never touched, so nothing is read in or
 * allocated), then a read to learn the PFN, then kpageflags/kpagecount once the
 * probe mapping is gone. {"t":"obj",...} */
static void objpage(int step, int o, long i)
{
  if (OBJ[o].fd < 0) return;
  void *m = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, OBJ[o].fd, (off_t)(i * PAGE));
  if (m == MAP_FAILED) { o_err(step, -1, "objpage mmap", errno); return; }
  unsigned char vec = 0;
  int res = mincore(m, PAGE, &vec) == 0 ? (vec & 1) : -1;
  if (OBJ[o].kind == OBJ_FB) res = -1;            /* no page cache: mincore says nothing */
  uint64_t pfn = 0;
  if (res == 1 || OBJ[o].kind == OBJ_FB) {
    o_access_raw((volatile char *)m, 0);
    if (!o_sig) { uint64_t e = pagemap_self((unsigned long)m); if (e >> 63) pfn = e & ((1ULL << 55) - 1); }
  }
  munmap(m, PAGE);
  out("{\"t\":\"obj\",\"s\":%d,\"o\":%d,\"i\":%ld,\"res\":%d,\"pfn\":%llu,\"kf\":%llu,\"mc\":%llu}", step, o, i, res,
      (unsigned long long)pfn, (unsigned long long)(pfn ? kpageflags(pfn) : 0), (unsigned long long)(pfn ? kpagecount(pfn) : 0));
}

/* ------------------------------------------------------------------- objects */
static void drop_caches(void)
{
  sync();
  int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
  if (fd >= 0) { if (write(fd, "3", 1) < 0) {} close(fd); }
}
static int o_write_str(const char *path, const char *s)
{
  int fd = open(path, O_WRONLY);
  if (fd < 0) return -errno;
  int r = write(fd, s, strlen(s)) < 0 ? -errno : 0;
  close(fd);
  return r;
}
static long o_read_long(const char *path)
{
  char b[64] = "";
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, b, sizeof b - 1);
  close(fd);
  if (n <= 0) return -1;
  b[n] = 0;
  return strtol(b, NULL, 10);
}
static int resident_pages(int fd, long pages)
{
  if (pages <= 0) return 0;
  void *m = mmap(NULL, (size_t)pages * PAGE, PROT_READ, MAP_SHARED, fd, 0);
  if (m == MAP_FAILED) return -1;
  static unsigned char vec[1 << 16];
  int n = 0;
  if (pages <= (long)sizeof vec && mincore(m, (size_t)pages * PAGE, vec) == 0)
    for (long i = 0; i < pages; i++) n += vec[i] & 1;
  else n = -1;
  munmap(m, (size_t)pages * PAGE);
  return n;
}
/* a fresh file: written and fsynced (clean, cached), or dropped from the cache (cold) */
static int fresh_file(const char *path, long pages, int cold)
{
  unlink(path);
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return -1;
  static char page[PAGE];
  for (long i = 0; i < pages; i++) {
    memset(page, 'A' + (int)(i % 26), sizeof page);
    if (write_full(fd, page, sizeof page) < 0) { close(fd); return -1; }
  }
  fsync(fd);
  if (cold) posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  return fd;
}
static void obj_file(int o, const char *name, long pages, int cold)
{
  snprintf(OBJ[o].path, sizeof OBJ[o].path, "/mnt/mms%d-%s", o_scn, name);
  OBJ[o].kind = OBJ_FILE; OBJ[o].pages = pages;
  OBJ[o].fd = fresh_file(OBJ[o].path, pages, cold);
  if (OBJ[o].fd < 0) { o_err(-1, -1, "file create", errno); o_failed = 1; return; }
  out("{\"t\":\"objinit\",\"o\":%d,\"kind\":\"file\",\"pages\":%ld,\"cold\":%d,\"resident\":%d}", o, pages, cold,
      resident_pages(OBJ[o].fd, pages));
}
/* huge: a tmpfs mount option huge=HUGE, on a mount of its own (/tmp/huge-HUGE, mounted once) */
static void obj_shmem(int o, const char *name, long pages, const char *huge)
{
  if (huge[0]) {
    char dir[64], opt[64];
    snprintf(dir, sizeof dir, "/tmp/huge-%s", huge);
    snprintf(opt, sizeof opt, "huge=%s", huge);
    if (mkdir(dir, 0755) == 0 && mount("tmpfs", dir, "tmpfs", 0, opt) < 0) { o_err(-1, -1, "mount tmpfs huge=", errno); o_failed = 1; }
    snprintf(OBJ[o].path, sizeof OBJ[o].path, "%s/mms%d-%s", dir, o_scn, name);
  } else snprintf(OBJ[o].path, sizeof OBJ[o].path, "/tmp/mms%d-%s", o_scn, name);
  OBJ[o].kind = OBJ_SHMEM; OBJ[o].pages = pages;
  unlink(OBJ[o].path);
  OBJ[o].fd = open(OBJ[o].path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (OBJ[o].fd < 0 || ftruncate(OBJ[o].fd, (off_t)(pages * PAGE)) < 0) { o_err(-1, -1, "shmem create", errno); o_failed = 1; return; }
  out("{\"t\":\"objinit\",\"o\":%d,\"kind\":\"shmem\",\"pages\":%ld,\"resident\":%d}", o, pages, resident_pages(OBJ[o].fd, pages));
}
static void obj_fb(int o, long pages)
{
  OBJ[o].kind = OBJ_FB; OBJ[o].pages = pages;
  snprintf(OBJ[o].path, sizeof OBJ[o].path, "/dev/fb0");
  OBJ[o].fd = open("/dev/fb0", O_RDWR);
  if (OBJ[o].fd < 0) { o_err(-1, -1, "open /dev/fb0", errno); o_failed = 1; return; }
  struct fb_fix_screeninfo fix;
  memset(&fix, 0, sizeof fix);
  ioctl(OBJ[o].fd, FBIOGET_FSCREENINFO, &fix);
  fsync(OBJ[o].fd);                     /* no deferred work left over from before */
  msleep(60);
  out("{\"t\":\"objinit\",\"o\":%d,\"kind\":\"fbdev\",\"pages\":%ld,\"id\":\"%.16s\",\"smem\":%u}", o, pages, fix.id, fix.smem_len);
  if ((unsigned long)pages * PAGE > fix.smem_len) { o_err(-1, -1, "fbdev larger than /dev/fb0", 0); o_failed = 1; }
}

/* --------------------------------------------------------- operations of the driver */
static void o_fsync(int step, int o, int settle_ms)
{
  double t = o_ms();
  errno = 0;
  long r = fsync(OBJ[o].fd);
  int e = r < 0 ? errno : 0;
  double us = (o_ms() - t) * 1e3;
  if (settle_ms) msleep(settle_ms);
  out("{\"t\":\"op\",\"s\":%d,\"p\":-1,\"op\":\"fsync\",\"ret\":%ld,\"errno\":%d,\"us\":%.1f}", step, r, e, us);
}
static void o_sync_range(int step, int o, long first, long last)
{
  double t = o_ms();
  errno = 0;
  long r = sync_file_range(OBJ[o].fd, (off_t)(first * PAGE), (off_t)((last - first + 1) * PAGE),
                           SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
  int e = r < 0 ? errno : 0;
  out("{\"t\":\"op\",\"s\":%d,\"p\":-1,\"op\":\"sync_file_range\",\"ret\":%ld,\"errno\":%d,\"us\":%.1f}", step, r, e, (o_ms() - t) * 1e3);
}
static void o_sleep(int step, long ms)
{
  double t = o_ms();
  msleep(ms);
  out("{\"t\":\"op\",\"s\":%d,\"p\":-1,\"op\":\"sleep\",\"ret\":%ld,\"errno\":0,\"us\":%.1f}", step, ms, (o_ms() - t) * 1e3);
}
static void o_set_fab(int step, long v)
{
  char b[32];
  snprintf(b, sizeof b, "%ld", v);
  int r = o_write_str("/sys/kernel/debug/fault_around_bytes", b);
  out("{\"t\":\"op\",\"s\":%d,\"p\":-1,\"op\":\"fault_around_bytes\",\"ret\":%ld,\"errno\":%d,\"us\":0}", step,
      o_read_long("/sys/kernel/debug/fault_around_bytes"), r < 0 ? -r : 0);
}

/* THP knobs (/sys/kernel/mm/transparent_hugepage). o_thp_defaults() writes the engine's
 * defaults (src/engine/thp.ts) at each scenario's start and end: a guest below 512 MiB boots
 * with every THP flag zeroed (hugepage_init), use_zero_page 0 included, and a batched
 * scenario must not inherit another's knobs. khugepaged (not modelled) is put to sleep and
 * limited to ranges no scenario leaves. */
#define O_THP "/sys/kernel/mm/transparent_hugepage/"
static void o_thp_defaults(void)
{
  o_write_str(O_THP "enabled", "never");
  o_write_str(O_THP "defrag", "madvise");
  o_write_str(O_THP "use_zero_page", "1");
  o_write_str(O_THP "shmem_enabled", "never");
  o_write_str(O_THP "khugepaged/scan_sleep_millisecs", "3600000");
  o_write_str(O_THP "khugepaged/alloc_sleep_millisecs", "3600000");
  /* khugepaged cannot be kept from scanning: its thread starts with every `enabled` write that
   * turns THP on, and the first mm put on its empty list wakes it for a pass at a moment the
   * scenario does not control (measured on both kernels: full_scans grew in the middle of
   * scenarios). So what a pass may collapse is narrowed to nothing a scenario leaves: no
   * pte_none or zero-page PTE, no swap entry, no shared page in the range
   * (hpage_collapse_scan_pmd, hpage_collapse_scan_file: limits for khugepaged only,
   * MADV_COLLAPSE ignores them). */
  o_write_str(O_THP "khugepaged/max_ptes_none", "0");
  o_write_str(O_THP "khugepaged/max_ptes_swap", "0");
  o_write_str(O_THP "khugepaged/max_ptes_shared", "0");
  DIR *d = opendir(O_THP);
  struct dirent *e;
  while (d && (e = readdir(d))) {
    if (strncmp(e->d_name, "hugepages-", 10)) continue;
    char path[320];
    const char *v = strcmp(e->d_name, "hugepages-2048kB") ? "never" : "inherit";
    snprintf(path, sizeof path, O_THP "%s/enabled", e->d_name);
    o_write_str(path, v);
    snprintf(path, sizeof path, O_THP "%s/shmem_enabled", e->d_name);
    o_write_str(path, v);
  }
  if (d) closedir(d);
}
/* `sysctl thp ...`: one knob; ENOENT where the kernel has no such file (per-size knobs before 6.8/6.11) */
static void o_thp(int step, const char *knob, const char *v)
{
  char path[320];
  snprintf(path, sizeof path, O_THP "%s", knob);
  int r = o_write_str(path, v);
  out("{\"t\":\"op\",\"s\":%d,\"p\":-1,\"op\":\"thp\",\"ret\":%d,\"errno\":%d,\"us\":0}", step, r, r < 0 ? -r : 0);
}

/* ------------------------------------------------------------- scenario frame */
static void o_scenario_begin(int scn, const char *name, int nprocs)
{
  o_scn = scn; o_nprocs = nprocs; o_failed = 0;
  clock_gettime(CLOCK_MONOTONIC, &o_t0);
  signal(SIGCHLD, SIG_IGN);             /* exited processes are reaped by the kernel */
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  char b[32];
  snprintf(b, sizeof b, "%ld", o_fab_default);
  o_write_str("/sys/kernel/debug/fault_around_bytes", b);
  o_thp_defaults();
  /* automatic NUMA balancing (not modelled; on by default on the two-node guest) turns PTEs of
   * a task that ran for a second into PROT_NONE hinting entries (task_numa_work →
   * change_prot_numa): a scenario that writes tens of MB under TCG saw its shared anonymous
   * PTEs lose the write bit (test/selftests/mremap_test.mms, 6.12.118) */
  o_write_str("/proc/sys/kernel/numa_balancing", "0");
  for (int p = 0; p < nprocs; p++) {
    P[p].pid = 0; P[p].pidfd = -1; P[p].pagemap = -1; P[p].alive = 0;
    if (pipe(P[p].cmd) < 0 || pipe(P[p].ack) < 0) { o_err(-1, p, "pipe", errno); o_failed = 1; }
  }
  for (int o = 0; o < O_MAXOBJ; o++) OBJ[o].fd = -1;
  o_tr_drain(0);                        /* what the trace holds from before this scenario */
  out("{\"t\":\"scn\",\"n\":%d,\"name\":\"%s\",\"procs\":%d,\"pid\":%d,\"t0\":%ld.%09ld}", scn, name, nprocs,
      (int)getpid(), (long)o_t0.tv_sec, o_t0.tv_nsec);
}
static void o_scenario_end(int scn)
{
  o_tr_mark("mms teardown");            /* what the teardown makes the kernel do is no step's */
  for (int p = 0; p < o_nprocs; p++) {
    if (!P[p].alive) continue;
    int32_t k = -1;
    write_full(P[p].cmd[1], &k, sizeof k);
    struct pollfd fd = { P[p].pidfd, POLLIN, 0 };
    if (P[p].pidfd >= 0 && poll(&fd, 1, 5000) <= 0) kill(P[p].pid, SIGKILL);
    P[p].alive = 0;
  }
  for (int o = 0; o < O_MAXOBJ; o++) {
    if (OBJ[o].fd < 0) continue;
    close(OBJ[o].fd);
    if (OBJ[o].kind != OBJ_FB) unlink(OBJ[o].path);
  }
  o_swapoff();
  o_thp_defaults();
  o_tr_drain(1);
  out("{\"t\":\"scn_end\",\"n\":%d,\"ms\":%.3f,\"failed\":%d}", scn, o_ms(), o_failed);
}

/* ------------------------------------------------------------------- main */
typedef void (*o_scenario_fn)(void);
static unsigned long o_zero_pfn(void)
{
  char *m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) return 0;
  (void)*(volatile char *)m;
  uint64_t e = pagemap_self((unsigned long)m);
  munmap(m, PAGE);
  return (e >> 63) ? (unsigned long)(e & ((1ULL << 55) - 1)) : 0;
}
static int o_main(int argc, char **argv, o_scenario_fn *fns, const char *const *names, int n)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = o_on_fault;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGBUS, &sa, NULL);
  o_guard = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  o_tr_init();
  long fab = o_read_long("/sys/kernel/debug/fault_around_bytes");
  if (fab > 0) o_fab_default = fab;
  struct utsname u;
  uname(&u);
  int fb = open("/dev/fb0", O_RDWR);
  struct fb_fix_screeninfo fix;
  memset(&fix, 0, sizeof fix);
  if (fb >= 0) { ioctl(fb, FBIOGET_FSCREENINFO, &fix); close(fb); }
  long hz = sysconf(_SC_CLK_TCK);
  out("{\"t\":\"run\",\"release\":\"%s\",\"version\":\"%s\",\"zero_pfn\":%lu,\"fab\":%ld,\"fb\":\"%.16s\",\"smem\":%u,\"scenarios\":%d,\"user_hz\":%ld}",
      u.release, u.version, o_zero_pfn(), o_fab_default, fb >= 0 ? fix.id : "", fix.smem_len, n, hz);
  for (int i = 0; i < n; i++) {
    int want = argc <= 1;
    for (int a = 1; a < argc; a++) if (atoi(argv[a]) == i) want = 1;
    if (!want) continue;
    pid_t pid = fork();
    if (pid == 0) { fns[i](); _exit(0); }
    int st = 0;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
      out("{\"t\":\"err\",\"s\":-1,\"p\":-1,\"what\":\"driver of scenario %d (%s) ended with status %d\",\"errno\":0}", i, names[i], st);
    drop_caches();
  }
  return 0;
}
#endif
