#!/bin/sh
# Prepare the real-kernel oracle (docs/real-kernel.md): Debian's 6.1 and 6.12 kernels
# (downloaded with apt-get download and unpacked, never installed), their modules, the
# kprobe definitions generated from each kernel's own BTF, a busybox initramfs per kernel,
# and an empty ext4 disk, all in the user's cache (~/.cache/mmscope/oracle). Idempotent: a
# second run only checks. `mmscope kernel` runs it (from dist/guest/) when root.
#
#   src/oracle/guest/setup.sh [6.1|6.12|all]   # default all
#   src/oracle/guest/setup.sh series           # after scripts/oracle/build-kernel.sh series (the patched 6.12)
#   src/oracle/guest/setup.sh gup-6.1|gup-6.12 # after scripts/oracle/build-kernel.sh gup-R (CONFIG_GUP_TEST)
#   MMSCOPE_KERNEL=/path/to/vmlinuz MMSCOPE_MODULES=/path/to/lib/modules/VERSION \
#     src/oracle/guest/setup.sh      # one user kernel instead (cache entry "user")
#   MMSCOPE_ORACLE_CACHE=DIR         # cache directory (default: ${XDG_CACHE_HOME:-~/.cache}/mmscope/oracle)
#   MMSCOPE_KPKG_6_1=linux-image-...-unsigned, MMSCOPE_KPKG_6_12=...  # pin a package
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${MMSCOPE_ORACLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmscope/oracle}
WHICH=${1:-all}
[ -n "${MMSCOPE_KERNEL:-}" ] && MMSCOPE_KERNEL=$(readlink -m "$MMSCOPE_KERNEL")
[ -n "${MMSCOPE_MODULES:-}" ] && MMSCOPE_MODULES=$(readlink -m "$MMSCOPE_MODULES")
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
cd "$CACHE"

log() { echo "oracle-setup: $*" >&2; }

# --- host packages ---------------------------------------------------------------
# dwarves: pahole reads struct offsets from the kernel's BTF; xz-utils/zstd/binutils:
# the vmlinux inside vmlinuz and its .BTF section
need=""
for p in qemu-system-x86 busybox-static cpio e2fsprogs kmod dwarves xz-utils zstd binutils; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need="$need $p"
done
if [ -n "$need" ]; then
  log "installing$need"
  if [ "$(id -u)" != 0 ]; then log "not root: install$need yourself"; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
fi
BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || BUSYBOX=$(command -v busybox)
"$BUSYBOX" --help 2>&1 | head -1 | grep -qi busybox || { log "no busybox"; exit 1; }
file_static() { ! (LC_ALL=C ldd "$1" 2>&1 | grep -q '=>'); }
file_static "$BUSYBOX" || { log "$BUSYBOX is not static (need busybox-static)"; exit 1; }

# --- disk (shared by every kernel; each boot gets a copy) -------------------------
# 4 KiB blocks, as on a usual root filesystem: mke2fs would pick 1 KiB for so small a
# disk, and then a swap file's extents are not page-aligned, so iomap_swapfile_activate()
# rounds a page off each one (fs/iomap/swapfile.c) and the file has fewer slots than pages
DISK_MKFS="-t ext4 -b 4096 -L oracle 64M"
if [ ! -f disk.img ] || [ "$(cat disk.stamp 2>/dev/null)" != "$DISK_MKFS" ]; then
  log "making disk.img (64 MiB ext4, 4 KiB blocks, sparse)"
  rm -rf diskroot disk.img && mkdir -p diskroot
  # shellcheck disable=SC2086
  set -- $DISK_MKFS
  /sbin/mke2fs -q -F -d diskroot "$1" "$2" "$3" "$4" "$5" "$6" disk.img "$7"
  rm -rf diskroot
  echo "$DISK_MKFS" > disk.stamp
fi
QEMU=$(command -v qemu-system-x86_64)

# newest package matching a pattern (apt-get update once if apt knows none)
newest_pkg() {
  p=$(apt-cache search --names-only "$1" | awk '{print $1}' | sort -V | tail -1)
  if [ -z "$p" ]; then apt-get update -qq; p=$(apt-cache search --names-only "$1" | awk '{print $1}' | sort -V | tail -1); fi
  echo "$p"
}

# vmlinuz -> the .BTF section of its vmlinux (for pahole); xz (6.1) or zstd (6.12) payload
extract_btf() { # extract_btf VMLINUZ OUT
  tmp=$(mktemp)
  for magic in '\3757zXZ\000:xz -dc' '\050\265\057\375:zstd -qdc' '\037\213\010:gzip -dc'; do
    m=${magic%%:*}; cmd=${magic#*:}
    for pos in $(LC_ALL=C grep -abo "$(printf "$m")" "$1" 2>/dev/null | cut -d: -f1); do
      tail -c+$((pos + 1)) "$1" | $cmd > "$tmp" 2>/dev/null || true
      if readelf -h "$tmp" >/dev/null 2>&1; then
        objcopy -O binary --only-section=.BTF "$tmp" "$2"
        rm -f "$tmp"
        [ -s "$2" ] && return 0
        log "no .BTF section in the vmlinux of $1"; return 1
      fi
    done
  done
  rm -f "$tmp"; log "no vmlinux payload found in $1"; return 1
}

# setup_kernel NAME PATTERN PIN  -> $CACHE/NAME/{kpkg,btf,probes.txt,base.cpio.gz,env.json}
setup_kernel() {
  NAME=$1; D=$CACHE/$NAME
  mkdir -p "$D"
  DEBVER=""; PATCHES=""
  if [ "$NAME" = series ] || [ "$NAME" = gup-6.1 ] || [ "$NAME" = gup-6.12 ]; then
    # built by build-kernel.sh from Debian's linux-source (series: + the 6.15 series), all built in
    [ -f "$D/bzImage" ] && [ -f "$D/kernelrelease" ] || { log "$NAME: no kernel in $D (run scripts/oracle/build-kernel.sh $NAME)"; exit 1; }
    KVER=$(cat "$D/kernelrelease"); KERNEL=$D/bzImage; MODDIR=$D/mods/lib/modules/$KVER
    SOURCE=$(cat "$D/source" 2>/dev/null || echo "series build"); DEBVER=${MMSCOPE_SERIES_DEBVER:-$(cat "$D/debversion" 2>/dev/null || true)}
    [ -n "$DEBVER" ] && echo "$DEBVER" > "$D/debversion"
    # the engine rule the three patches are (src/engine/versions.ts): the engine runs at the
    # release of the source package plus this rule
    [ "$NAME" = series ] && PATCHES='"mapping-wrprotect-range"'
    # CONFIG_HZ for run.ts (it reads config-KVER next to the kernel)
    cp "$D/config" "$D/config-$KVER"
  elif [ "$NAME" = user ]; then
    KERNEL=$(readlink -f "$MMSCOPE_KERNEL"); MODDIR=$(readlink -f "$MMSCOPE_MODULES")
    [ -f "$KERNEL" ] || { log "MMSCOPE_KERNEL: no file $KERNEL"; exit 1; }
    [ -d "$MODDIR" ] || { log "MMSCOPE_MODULES: no directory $MODDIR"; exit 1; }
    KVER=$(basename "$MODDIR"); SOURCE="user ($KERNEL)"
    if [ ! -f "$MODDIR/modules.dep" ]; then /sbin/depmod -b "$(dirname "$(dirname "$(dirname "$MODDIR")")")" "$KVER"; fi
  else
    PKG=$3
    [ -n "$PKG" ] || { [ -f "$D/kpkg.name" ] && PKG=$(cat "$D/kpkg.name"); } || true
    [ -n "$PKG" ] || PKG=$(newest_pkg "$2")
    [ -n "$PKG" ] || { log "no package matching $2 (apt-get update?)"; exit 1; }
    if [ ! -f "$D/kpkg/.done-$PKG" ]; then
      log "$NAME: downloading $PKG (70-80 MB; unpacked, not installed)"
      rm -rf "$D/kpkg" "$D/dl" && mkdir -p "$D/dl" "$D/kpkg"
      (cd "$D/dl" && apt-get -o APT::Sandbox::User=root download "$PKG" >/dev/null)
      dpkg-deb -f "$D"/dl/"$PKG"_*.deb Version > "$D/kpkg/.debversion"
      dpkg -x "$D"/dl/"$PKG"_*.deb "$D/kpkg"
      rm -rf "$D/dl" "$D/btf"
      touch "$D/kpkg/.done-$PKG"
    fi
    echo "$PKG" > "$D/kpkg.name"
    DEBVER=$(cat "$D/kpkg/.debversion" 2>/dev/null || true)
    KVER=$(ls "$D/kpkg/lib/modules" | head -1)
    KERNEL=$D/kpkg/boot/vmlinuz-$KVER
    MODDIR=$D/kpkg/lib/modules/$KVER
    [ -f "$MODDIR/modules.dep" ] || /sbin/depmod -b "$D/kpkg" "$KVER"
    SOURCE="debian $PKG"
  fi

  # probes from the kernel's own BTF (a missing .BTF leaves probes.txt with the reason)
  if [ ! -s "$D/btf" ]; then extract_btf "$KERNEL" "$D/btf" || : > "$D/btf"; fi
  if [ -s "$D/btf" ]; then sh "$HERE/gen-probes.sh" "$D/btf" > "$D/probes.txt"
  else echo "# unavailable all: the kernel has no BTF (CONFIG_DEBUG_INFO_BTF)" > "$D/probes.txt"; fi

  # module list, dependencies first
  ORDER=$(mktemp)
  add_mod() { grep -qxF "$1" "$ORDER" || echo "$1" >> "$ORDER"; }
  # zram (`sysctl swap pages N sync`) is optional: a kernel without it reports ENODEV at swapon
  for m in crc32c_generic virtio_pci virtio_blk ext4 bochs zram; do
    pat=$(echo "$m" | sed 's/[-_]/[-_]/g')
    line=$(grep -E "(^|/)${pat}\.ko(\.(xz|zst|gz))?:" "$MODDIR/modules.dep" | head -1 || true)
    if [ -z "$line" ]; then
      if grep -qE "/${pat}\.ko" "$MODDIR/modules.builtin" 2>/dev/null; then continue; fi
      if [ "$m" = zram ]; then log "$NAME: no zram module (a synchronous swap device is not available)"; continue; fi
      if [ "$m" = bochs ]; then log "$NAME: no bochs driver (framebuffer scenarios cannot run on it)"; continue; fi
      log "module $m not found in $MODDIR (neither modules.dep nor modules.builtin)"; exit 1
    fi
    for dep in $(echo "${line#*:}" | tr ' ' '\n' | grep . | tac); do add_mod "$dep"; done
    add_mod "${line%%:*}"
  done

  STAMP="$KERNEL|$MODDIR|$(tr '\n' ' ' < "$ORDER")|$(cat "$HERE/setup.sh" "$HERE/init.sh" "$D/probes.txt" | sha256sum | cut -c1-16)"
  if [ -f "$D/base.cpio.gz" ] && [ -f "$D/base.stamp" ] && [ "$(cat "$D/base.stamp")" = "$STAMP" ]; then
    log "$NAME: base.cpio.gz up to date"
  else
    log "$NAME: building base.cpio.gz"
    R=$D/root
    rm -rf "$R" && mkdir -p "$R/bin" "$R/sbin" "$R/proc" "$R/sys" "$R/dev" "$R/tmp" "$R/mnt" "$R/lib/modules" "$R/etc"
    cp "$BUSYBOX" "$R/bin/busybox"
    : > "$R/modules.order"
    while read -r rel; do
      name=$(basename "$rel")
      case "$name" in
        *.ko.xz)  xz -dc "$MODDIR/$rel" > "$R/lib/modules/${name%.xz}";  name=${name%.xz} ;;
        *.ko.zst) zstd -qdc "$MODDIR/$rel" > "$R/lib/modules/${name%.zst}"; name=${name%.zst} ;;
        *.ko.gz)  gzip -dc "$MODDIR/$rel" > "$R/lib/modules/${name%.gz}"; name=${name%.gz} ;;
        *)        cp "$MODDIR/$rel" "$R/lib/modules/$name" ;;
      esac
      echo "$name" >> "$R/modules.order"
    done < "$ORDER"
    cp "$HERE/init.sh" "$R/init"
    chmod 755 "$R/init"
    cp "$D/probes.txt" "$R/probes.txt"
    mknod -m 600 "$R/dev/console" c 5 1 2>/dev/null || true
    mknod -m 666 "$R/dev/null" c 1 3 2>/dev/null || true
    (cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -9 > "$D/base.cpio.gz.tmp"
    mv "$D/base.cpio.gz.tmp" "$D/base.cpio.gz"
    echo "$STAMP" > "$D/base.stamp"
    rm -rf "$R"
  fi
  cp "$ORDER" "$D/modules.list"; rm -f "$ORDER"
  cat > "$D/env.json" <<EOF
{
  "name": "$NAME",
  "kernelVersion": "$KVER",
  "kernelSource": "$SOURCE",
  "debianVersion": "$DEBVER",
  "patches": [$PATCHES],
  "kernel": "$KERNEL",
  "modules": "$MODDIR",
  "base": "$D/base.cpio.gz",
  "disk": "$CACHE/disk.img",
  "probes": "$D/probes.txt",
  "qemu": "$QEMU"
}
EOF
  echo "$NAME: kernel $KVER ($SOURCE${DEBVER:+, $DEBVER}); probes: $(grep -cE "^[a-z]+ [pr]:" "$D/probes.txt") defined, $(grep -c '^# unavailable' "$D/probes.txt" || true) unavailable"
}

if [ -n "${MMSCOPE_KERNEL:-}" ] || [ -n "${MMSCOPE_MODULES:-}" ]; then
  [ -n "${MMSCOPE_KERNEL:-}" ] && [ -n "${MMSCOPE_MODULES:-}" ] || { log "set both MMSCOPE_KERNEL and MMSCOPE_MODULES"; exit 1; }
  setup_kernel user "" ""
else
  case "$WHICH" in
    6.1|all) setup_kernel 6.1 '^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' "${MMSCOPE_KPKG_6_1:-${MMSCOPE_KPKG:-}}" ;;
  esac
  case "$WHICH" in
    6.12|all) setup_kernel 6.12 '^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' "${MMSCOPE_KPKG_6_12:-}" ;;
    6.1|series|gup-6.1|gup-6.12) ;;
    *) log "unknown kernel $WHICH (6.1, 6.12, all, series, gup-6.1 or gup-6.12)"; exit 2 ;;
  esac
  # the built kernels (build-kernel.sh, minutes of CPU) are never part of "all"
  case "$WHICH" in
    series|gup-6.1|gup-6.12) setup_kernel "$WHICH" "" "" ;;
  esac
fi
echo "cache: $CACHE"
