#!/bin/sh
# The selftests' payload in the oracle's guest: the oracle's /init (src/oracle/guest/init.sh)
# mounts proc/sys/dev/tmp/debugfs, loads the modules and runs /oracle, which is this script
# here (src/selftests/guest.ts puts it and the static test binaries into the initramfs).
# It runs each test of /selftests/list in turn and prints its kselftest/TAP output on the
# serial console, each line prefixed "SELFTEST <test> ", then "SELFTEST-END <test> rc=N".
# Set-up, as tools/testing/selftests/mm/run_vmtests.sh does it for these tests:
#   - 2 MiB hugetlb pages reserved (cow.c's hugetlb cases, migration.c's *_htlb);
#   - the THP knobs are left as the kernel booted them (a guest of >= 512 MiB keeps
#     transparent_hugepage_flags, see /work/shared/docs/thp-on-the-oracle.md); the tests
#     that need THP write the knobs themselves (thp_settings.c) or use MADV_HUGEPAGE;
#   - a 48 MiB swap file on the scratch disk (MADV_PAGEOUT of anonymous memory);
#   - the working directory is /tmp (tmpfs); pagemap_ioctl and cow use files there.
# Each test runs with a guest-time limit (SELFTEST_TIMEOUT, seconds).
echo 1 > /proc/sys/kernel/printk
NR_HUGE=${SELFTEST_NR_HUGEPAGES:-64}
echo "$NR_HUGE" > /proc/sys/vm/nr_hugepages 2>/dev/null
# swap, so that cow.c's swapped-out cases run instead of skipping ("is swap enabled?"): a
# swap file on the scratch ext4 disk (/mnt, 64 MiB) as run_vmtests.sh would use a swap device
SWAPKB=0
if grep -q ' /mnt ' /proc/mounts && dd if=/dev/zero of=/mnt/swap bs=1M count=48 2>/dev/null &&
   chmod 600 /mnt/swap && mkswap /mnt/swap >/dev/null 2>&1 && swapon /mnt/swap 2>/dev/null; then
  SWAPKB=$(sed -n 's/^SwapTotal: *\([0-9]*\).*/\1/p' /proc/meminfo)
fi
echo "SELFTEST-INFO swapkb=$SWAPKB release=$(uname -r) nr_hugepages=$(cat /proc/sys/vm/nr_hugepages) thp=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null | tr ' ' ',') nodes=$(ls -d /sys/devices/system/node/node* 2>/dev/null | wc -l) cpus=$(grep -c ^processor /proc/cpuinfo) memkb=$(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo)"
cd /tmp || exit 1
LIMIT=${SELFTEST_TIMEOUT:-1200}
for t in $(cat /selftests/list); do
  echo "SELFTEST-BEGIN $t uptime=$(cut -d' ' -f1 /proc/uptime)"
  before=" $(ls -d /proc/[0-9]* | sed 's,/proc/,,' | tr '\n' ' ') "
  timeout "$LIMIT" "/selftests/$t" < /dev/null > /tmp/.out 2>&1
  rc=$?
  # processes a test leaves behind (migration.c's children after a failed assertion) would
  # run on and take the CPU from the next test: end every process that was not there before
  for p in $(ls -d /proc/[0-9]* | sed 's,/proc/,,'); do
    case "$before" in *" $p "*) ;; *) [ "$p" != "$$" ] && kill -9 "$p" 2>/dev/null;; esac
  done
  sed "s/^/SELFTEST $t /" /tmp/.out
  echo "SELFTEST-END $t rc=$rc uptime=$(cut -d' ' -f1 /proc/uptime)"
  # a test that leaves THP or hugetlb knobs changed must not change the next one's set-up
  echo "$NR_HUGE" > /proc/sys/vm/nr_hugepages 2>/dev/null
done
echo "SELFTEST-DONE"
