#!/bin/busybox sh
# /init of the oracle's initramfs (built into base.cpio.gz by setup.sh).
# Kernel command line options read here:
#   oracle.fab=N       write N to /sys/kernel/debug/fault_around_bytes before /oracle
#   oracle.args=a,b,c  arguments for /oracle (commas become spaces)
#   oracle.skipmod=a,b module files (without .ko) not to load
#   oracle.kallsyms    print KALLSYMS lines for the fb_defio / rmap symbols
#   oracle.dmesg       print the kernel log (DMESG lines) at the end
#   oracle.noprobes    do not register the kprobe events of /probes.txt (the baseline
#                      that shows the probes change nothing user space sees)
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
exec </dev/console >/dev/console 2>&1
echo 1 > /proc/sys/kernel/printk
CMDLINE=$(cat /proc/cmdline)
opt() { echo " $CMDLINE " | sed -n "s/.* oracle\.$1=\([^ ]*\) .*/\1/p"; }
has() { case " $CMDLINE " in *" oracle.$1 "*) return 0;; esac; return 1; }
ARGS=$(opt args | tr ',' ' ')
SKIP=" $(opt skipmod | tr ',' ' ') "

# load modules; retry a few passes so an order mistake is not fatal
pending=""
for m in $(cat /modules.order); do
  case "$SKIP" in *" ${m%.ko} "*) continue;; esac
  pending="$pending $m"
done
for pass in 1 2 3; do
  left=""
  for m in $pending; do insmod /lib/modules/$m 2>/dev/null || left="$left $m"; done
  pending=$left
  [ -z "$pending" ] && break
done
[ -n "$pending" ] && echo "ORACLE {\"t\":\"init\",\"err\":\"insmod failed:$pending\"}"

echo 0 > /proc/sys/vm/dirty_writeback_centisecs   # no periodic flusher: no surprise mkclean
echo 0 > /proc/sys/kernel/randomize_va_space      # fixed layout: scenario addresses stay free

# waits are bounded by guest time, not by a count of sleeps: under a loaded host a TCG guest
# gets little CPU, and a device may take many seconds to probe
up() { cut -d. -f1 /proc/uptime; }
until_up() { t=$(( $(up) + $1 )); while ! eval "$2" && [ "$(up)" -lt $t ]; do sleep 0.05; done; }
until_up 120 '[ -b /dev/vda ]'
mount -t ext4 /dev/vda /mnt || echo "ORACLE {\"t\":\"init\",\"err\":\"mount /dev/vda failed\"}"
if [ -e /sys/class/drm/card0 ] || ls /sys/class/drm 2>/dev/null | grep -q card; then
  until_up 60 '[ -c /dev/fb0 ]'
fi
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
FAB=$(opt fab)
[ -n "$FAB" ] && echo "$FAB" > /sys/kernel/debug/fault_around_bytes
if has kallsyms; then
  grep -E ' (folio_mkclean|pfn_mkclean_range|mapping_wrprotect_range|fb_deferred_io_work|fb_deferred_io_mkwrite|fb_deferred_io_fsync|folio_referenced|try_to_unmap|try_to_migrate|remove_migration_ptes|rmap_walk|rmap_walk_locked)$' /proc/kallsyms |
    while read -r a t s; do echo "ORACLE {\"t\":\"kallsyms\",\"sym\":\"$s\"}"; done
fi
# kprobe events (/probes.txt, made by gen-probes.sh from this kernel's BTF): each one is
# registered and reported (ok, or why not); /oracle reads trace_pipe and toggles mms/vnp
T=/sys/kernel/tracing
if [ -f /probes.txt ] && ! has noprobes; then
  mount -t tracefs tracefs $T 2>/dev/null || T=/sys/kernel/debug/tracing
  echo 8192 > $T/buffer_size_kb
  : > $T/kprobe_events
  failed=""
  while IFS= read -r line; do
    case "$line" in
      '# unavailable '*) ev=${line#'# unavailable '}; why=${ev#*: }; ev=${ev%%:*}
        echo "ORACLE {\"t\":\"probe\",\"ev\":\"$ev\",\"ok\":0,\"why\":\"$(echo "$why" | tr -d '"\\')\"}"; continue ;;
      ''|'#'*) continue ;;
    esac
    ev=${line%% *}; def=${line#* }
    if echo "$def" >> $T/kprobe_events 2>/dev/null; then
      echo "ORACLE {\"t\":\"probe\",\"ev\":\"$ev\",\"ok\":1}"
    else
      fn=$(echo "$def" | cut -d' ' -f2)
      failed="$failed $ev:$fn"
      why=$(tail -n 2 $T/error_log 2>/dev/null | tr -d '"\\' | tr '\n' ' ')
      echo "ORACLE {\"t\":\"probe\",\"ev\":\"$ev\",\"ok\":0,\"fn\":\"$fn\",\"why\":\"${why:-registration refused}\"}"
    fi
  done < /probes.txt
  # why a function could not be probed: one pass over kallsyms (inlined or renamed: no symbol)
  for f in $failed; do
    fn=${f#*:}
    n=$(awk -v s="$fn" '$3 == s { n++ } END { print n + 0 }' /proc/kallsyms)
    c=$(awk -v s="$fn" 'index($3, s ".") == 1 { n++ } END { print n + 0 }' /proc/kallsyms)
    echo "ORACLE {\"t\":\"probesym\",\"ev\":\"${f%%:*}\",\"fn\":\"$fn\",\"kallsyms\":$n,\"clones\":$c}"
  done
  for e in $T/events/mms/*/enable; do case "$e" in */vnp/enable|*/vnpret/enable) ;; *) echo 1 > "$e" ;; esac; done
  echo mono > $T/trace_clock
  echo 1 > $T/tracing_on
fi
echo "ORACLE {\"t\":\"boot\",\"uptime\":$(cut -d' ' -f1 /proc/uptime),\"release\":\"$(uname -r)\"}"
/oracle $ARGS
echo "ORACLE {\"t\":\"done\",\"uptime\":$(cut -d' ' -f1 /proc/uptime),\"rc\":$?}"
has dmesg && dmesg | sed 's/"/\\"/g; s/^/ORACLE {"t":"dmesg","line":"/; s/$/"}/'
sync
umount /mnt 2>/dev/null
poweroff -f
