// SPDX-License-Identifier: MIT
/*
 * ropin_unshare: does a long-term R/O pin unshare what it pins? mmscope's own probe (not a
 * kernel selftest), run with cow.c on the gup kernels (docs/selftests.md, "The gup kernels").
 *
 * cow.c's R/O pin tests hold a pin with gup_test's PIN_LONGTERM_TEST_START, which 6.1's
 * gup_test does not have (added in 6.2), so they skip there. The mechanism they test is
 * older: pin_user_pages(FOLL_LONGTERM) without FOLL_WRITE unshares a read-only page that is
 * not exclusively the process's anonymous page (gup_must_unshare → FAULT_FLAG_UNSHARE). 6.1's
 * gup_test has PIN_LONGTERM_BENCHMARK, which takes such pins (gup_flags 0 | FOLL_LONGTERM)
 * and drops them again; whether the page was unshared is then seen in /proc/self/pagemap:
 * an unshared page is anonymous (bit 61 clear) and exclusively mapped (bit 56), and no
 * longer the zero page.
 *
 * Each case: "# [RUN] <case>", then "ok N unshared" or "not ok N not unshared" (kselftest
 * TAP, as src/selftests/tap.ts reads it). Exit 0.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "mm/gup_test.h"

#define PM_PRESENT (1ULL << 63)
#define PM_FILE (1ULL << 61)
#define PM_EXCLUSIVE (1ULL << 56)
#define PM_PFN ((1ULL << 55) - 1)

static int gup_fd, nr;
static long pagesize;

static uint64_t pagemap(const void *addr)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0 || pread(fd, &e, sizeof(e), (uintptr_t)addr / pagesize * sizeof(e)) != sizeof(e))
		e = 0;
	if (fd >= 0)
		close(fd);
	return e;
}

/* PIN_LONGTERM_BENCHMARK: pin_user_pages(addr, 1, FOLL_LONGTERM) (R/O), then unpin */
static int ro_longterm_pin(void *addr)
{
	struct gup_test gup = { .addr = (uintptr_t)addr, .size = pagesize, .nr_pages_per_call = 1, .gup_flags = 0 };

	return ioctl(gup_fd, PIN_LONGTERM_BENCHMARK, &gup);
}

static void report(const char *name, void *mem, uint64_t zero_pfn, int want_unshared)
{
	uint64_t before = pagemap(mem), after;
	int unshared;

	printf("# [RUN] %s\n", name);
	if (ro_longterm_pin(mem)) {
		printf("not ok %d PIN_LONGTERM_BENCHMARK failed\n", ++nr);
		return;
	}
	after = pagemap(mem);
	unshared = (after & PM_PRESENT) && !(after & PM_FILE) && (after & PM_EXCLUSIVE) &&
		   (after & PM_PFN) != zero_pfn;
	printf("# pagemap before 0x%llx after 0x%llx\n", (unsigned long long)before, (unsigned long long)after);
	printf("%s %d %s\n", unshared == want_unshared ? "ok" : "not ok", ++nr,
	       want_unshared ? "unshared" : "not unshared");
}

int main(void)
{
	char *zero, *anon, *priv, *shared, tmp;
	uint64_t zero_pfn;
	int comm[2], memfd;
	pid_t child;

	pagesize = sysconf(_SC_PAGESIZE);
	printf("TAP version 13\n");
	gup_fd = open("/sys/kernel/debug/gup_test", O_RDWR);
	if (gup_fd < 0) {
		printf("1..0 # SKIP gup_test not available\n");
		return 0;
	}
	printf("1..4\n");

	/* the shared zero page in a private writable mapping: unshared from 6.2 */
	zero = mmap(NULL, pagesize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	tmp = *(volatile char *)zero;
	zero_pfn = pagemap(zero) & PM_PFN;
	report("R/O long-term pin of the shared zeropage in a private mapping", zero, zero_pfn, 1);

	/* a page-cache page in a private writable mapping of a memfd: unshared from 6.2 */
	memfd = memfd_create("ropin", 0);
	if (memfd < 0 || fallocate(memfd, 0, 0, pagesize))
		return 1;
	priv = mmap(NULL, pagesize, PROT_READ | PROT_WRITE, MAP_PRIVATE, memfd, 0);
	tmp += *(volatile char *)priv;
	report("R/O long-term pin of a page-cache page in a private memfd mapping", priv, zero_pfn, 1);

	/* the same page in a shared mapping: never unshared (not a COW mapping) */
	shared = mmap(NULL, pagesize, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	tmp += *(volatile char *)shared;
	report("R/O long-term pin of a page-cache page in a shared memfd mapping", shared, zero_pfn, 0);

	/* an anonymous page shared with a child: unshared (copied) at both releases (5.19) */
	anon = mmap(NULL, pagesize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(anon, 1, pagesize);
	if (pipe(comm))
		return 1;
	child = fork();
	if (!child) {
		read(comm[0], &tmp, 1);
		_exit(0);
	}
	report("R/O long-term pin of an anonymous page shared with a child", anon, zero_pfn, 1);
	write(comm[1], "0", 1);
	waitpid(child, NULL, 0);
	return tmp == 42 ? 0 : 0;
}
