#!/bin/sh
# build-kernel.sh NAME: an oracle kernel built from Debian's kernel source (apt), with a
# minimal config, everything built in. NAME is one of
#   series    the oracle's third kernel (docs/real-kernel.md, "The series kernel"):
#             linux-source-6.12 with the three upstream 6.15 patches of "expose mapping
#             wrprotect, fix fb_defio use" backported (scripts/oracle/series/*.patch), config
#             scripts/oracle/series/config (virtio, ext4, tmpfs, bochs DRM fbdev emulation,
#             kprobe events, BTF for the probe offsets);
#   gup-6.1, gup-6.12
#             linux-source-6.1 / -6.12, config scripts/oracle/gup/config: what the selftests'
#             guest needs plus CONFIG_GUP_TEST, for cow.c's R/O long-term pin cases
#             (docs/selftests.md, "The gup kernels"); 6.1 with gup_test's 6.2 ioctls backported
#             (scripts/oracle/gup/6.1/*.patch: the test device only, no mm code).
# Then runs src/oracle/guest/setup.sh NAME (initramfs; probes from the kernel's BTF if any).
#
#   scripts/oracle/build-kernel.sh series  # needs root the first time (apt-get install)
#   MMSCOPE_ORACLE_CACHE=DIR              # cache directory (default, as setup.sh: ${XDG_CACHE_HOME:-~/.cache}/mmscope/oracle)
#   MMSCOPE_JOBS=N                        # make -jN (default: number of cores)
#
# Idempotent: the build is kept in $CACHE/NAME/ with a stamp of the source package
# version, the patches and the config fragment; a second run only checks.
# The build runs under nice -n 10 (the machine may be shared).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${MMSCOPE_ORACLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmscope/oracle}
NAME=${1:-series}
case "$NAME" in
  series)   R=6.12; PATCHES="$HERE/series"; CONFIG="$HERE/series/config" ;;
  gup-6.1)  R=6.1;  PATCHES="$HERE/gup/6.1"; CONFIG="$HERE/gup/config" ;;
  gup-6.12) R=6.12; PATCHES="";             CONFIG="$HERE/gup/config $HERE/gup/config-6.12" ;;
  *) echo "build-kernel: unknown kernel $NAME (series, gup-6.1 or gup-6.12)" >&2; exit 2 ;;
esac
mkdir -p "$CACHE/$NAME"
CACHE=$(cd "$CACHE" && pwd)
D=$CACHE/$NAME
log() { echo "build-kernel $NAME: $*" >&2; }

need=""
for p in linux-source-$R bc bison flex libelf-dev libssl-dev dwarves gcc make xz-utils; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need="$need $p"
done
if [ -n "$need" ]; then
  log "installing$need"
  [ "$(id -u)" = 0 ] || { log "not root: apt-get install$need yourself"; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null; }
fi
SRCVER=$(dpkg-query -W -f='${Version}' "linux-source-$R")
TARBALL=/usr/src/linux-source-$R.tar.xz
[ -f "$TARBALL" ] || { log "no $TARBALL"; exit 1; }

patches() { [ -z "$PATCHES" ] || ls "$PATCHES"/*.patch; }
# the config fragments, one after the other
FRAG=$(mktemp)
trap 'rm -f "$FRAG"' EXIT
# shellcheck disable=SC2086
cat $CONFIG > "$FRAG"
STAMP="$SRCVER|$(cat $(patches) "$FRAG" | sha256sum | cut -c1-16)"
if [ -f "$D/bzImage" ] && [ "$(cat "$D/build.stamp" 2>/dev/null)" = "$STAMP" ]; then
  log "kernel up to date ($(cat "$D/kernelrelease"), linux-source-$R $SRCVER)"
else
  start=$(date +%s)
  S=$D/linux-source-$R
  rm -rf "$S" "$D/bzImage" "$D/build.stamp"
  log "unpacking $TARBALL"
  tar xJf "$TARBALL" -C "$D"
  for p in $(patches); do
    log "applying $(basename "$p")"
    patch -d "$S" -p1 -s --no-backup-if-mismatch < "$p"
  done
  cd "$S"
  make -s tinyconfig >/dev/null
  # the config fragment: one option per line, "NAME" (=y), "NAME=n" or "NAME=VALUE"; # comments;
  # "NAME?": only where the release has the option
  args=""
  while read -r opt; do
    opt=${opt%%#*}; opt=$(echo "$opt" | tr -d ' \t?'); [ -n "$opt" ] || continue
    case "$opt" in
      *=n) args="$args -d ${opt%%=*}" ;;
      *=*) args="$args --set-val ${opt%%=*} ${opt#*=}" ;;
      *) args="$args -e $opt" ;;
    esac
  done < "$FRAG"
  # shellcheck disable=SC2086
  ./scripts/config $args
  make -s olddefconfig
  # every option of the fragment must have survived olddefconfig (a missing dependency
  # silently drops one)
  bad=""
  while read -r opt; do
    opt=${opt%%#*}; opt=$(echo "$opt" | tr -d ' \t'); [ -n "$opt" ] || continue
    case "$opt" in *\?) opt=${opt%\?}; grep -rqs "^config ${opt%%=*}\$" --include='Kconfig*' . || continue;; esac
    name=${opt%%=*}; want=y; case "$opt" in *=*) want=${opt#*=};; esac
    got=$(./scripts/config --state "$name")
    [ "$got" = "$want" ] || bad="$bad $name($got)"
  done < "$FRAG"
  [ -z "$bad" ] || { log "options lost by olddefconfig:$bad"; exit 1; }
  jobs=${MMSCOPE_JOBS:-$(nproc)}
  log "make -j$jobs bzImage (nice -n 10)"
  nice -n 10 make -s -j"$jobs" bzImage
  cp arch/x86/boot/bzImage "$D/bzImage"
  make -s kernelrelease > "$D/kernelrelease"
  objcopy -O binary --only-section=.BTF vmlinux "$D/btf" 2>/dev/null || : > "$D/btf"
  cp .config "$D/config"
  secs=$(( $(date +%s) - start ))
  echo "$secs" > "$D/build.seconds"
  echo "$STAMP" > "$D/build.stamp"
  log "built $(cat "$D/kernelrelease") in ${secs} s (make -j$jobs, unpack and patch included)"
  # the sources are large (1.7 GiB); keep only what the oracle needs
  cd "$D" && rm -rf "$S"
fi

# a modules directory for setup.sh: nothing to load, every driver is built in
KVER=$(cat "$D/kernelrelease")
M=$D/mods/lib/modules/$KVER
rm -rf "$D/mods" && mkdir -p "$M"
: > "$M/modules.dep"
{
  for m in kernel/crypto/crc32c_generic.ko kernel/drivers/virtio/virtio_pci.ko kernel/drivers/block/virtio_blk.ko \
           kernel/fs/ext4/ext4.ko; do echo "$m"; done
  grep -q '^CONFIG_DRM_BOCHS=y' "$D/config" && echo kernel/drivers/gpu/drm/tiny/bochs.ko
} > "$M/modules.builtin"
case "$NAME" in
  series) echo "$KVER+series (linux-source-6.12 $SRCVER + 3 patches of 6.15)" ;;
  *) echo "$KVER+gup_test (linux-source-$R $SRCVER, minimal config with CONFIG_GUP_TEST)" ;;
esac > "$D/source"
MMSCOPE_ORACLE_CACHE="$CACHE" MMSCOPE_SERIES_DEBVER="$SRCVER" sh "$REPO/src/oracle/guest/setup.sh" "$NAME"
