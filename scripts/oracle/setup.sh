#!/bin/sh
# Prepare the real-kernel oracle (docs/real-kernel.md): a Debian 6.1 kernel, its
# modules, a busybox initramfs with /init, and an empty ext4 disk, all in
# .cache/oracle/ (git-ignored). Idempotent: a second run only checks.
#
#   MMSCOPE_KERNEL=/path/to/vmlinuz MMSCOPE_MODULES=/path/to/lib/modules/VERSION \
#     scripts/oracle/setup.sh        # use another kernel instead of Debian's 6.1
#   MMSCOPE_ORACLE_CACHE=DIR         # cache directory (default: <repo>/.cache/oracle)
#   MMSCOPE_KPKG=linux-image-...-unsigned   # pin the Debian package
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${MMSCOPE_ORACLE_CACHE:-$REPO/.cache/oracle}
# user paths are relative to where we were started
[ -n "${MMSCOPE_KERNEL:-}" ] && MMSCOPE_KERNEL=$(readlink -m "$MMSCOPE_KERNEL")
[ -n "${MMSCOPE_MODULES:-}" ] && MMSCOPE_MODULES=$(readlink -m "$MMSCOPE_MODULES")
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
cd "$CACHE"

log() { echo "oracle-setup: $*" >&2; }

# --- host packages ---------------------------------------------------------------
need=""
for p in qemu-system-x86 busybox-static cpio e2fsprogs kmod; do
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

# --- kernel + modules ------------------------------------------------------------
if [ -n "${MMSCOPE_KERNEL:-}" ] || [ -n "${MMSCOPE_MODULES:-}" ]; then
  [ -n "${MMSCOPE_KERNEL:-}" ] && [ -n "${MMSCOPE_MODULES:-}" ] || { log "set both MMSCOPE_KERNEL and MMSCOPE_MODULES"; exit 1; }
  KERNEL=$(readlink -f "$MMSCOPE_KERNEL")
  MODDIR=$(readlink -f "$MMSCOPE_MODULES")
  [ -f "$KERNEL" ] || { log "MMSCOPE_KERNEL: no file $KERNEL"; exit 1; }
  [ -d "$MODDIR" ] || { log "MMSCOPE_MODULES: no directory $MODDIR"; exit 1; }
  KVER=$(basename "$MODDIR")
  SOURCE="user ($KERNEL)"
  if [ ! -f "$MODDIR/modules.dep" ]; then
    BASE=$(dirname "$(dirname "$(dirname "$MODDIR")")")
    /sbin/depmod -b "$BASE" "$KVER"
  fi
else
  PKG=${MMSCOPE_KPKG:-}
  if [ -z "$PKG" ]; then
    if [ -f kpkg.name ]; then PKG=$(cat kpkg.name); else
      PKG=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' | awk '{print $1}' | sort -V | tail -1)
      if [ -z "$PKG" ]; then apt-get update -qq; PKG=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' | awk '{print $1}' | sort -V | tail -1); fi
    fi
  fi
  [ -n "$PKG" ] || { log "no linux-image-6.1.0-*-amd64-unsigned package found (apt-get update?)"; exit 1; }
  if [ ! -f "kpkg/.done-$PKG" ]; then
    log "downloading $PKG (about 70 MB; not installed system-wide)"
    rm -rf kpkg dl && mkdir -p dl kpkg
    (cd dl && apt-get -o APT::Sandbox::User=root download "$PKG" >/dev/null)
    dpkg -x dl/"$PKG"_*.deb kpkg
    rm -rf dl
    touch "kpkg/.done-$PKG"
  fi
  echo "$PKG" > kpkg.name
  KVER=$(ls kpkg/lib/modules | head -1)
  KERNEL=$CACHE/kpkg/boot/vmlinuz-$KVER
  MODDIR=$CACHE/kpkg/lib/modules/$KVER
  [ -f "$MODDIR/modules.dep" ] || /sbin/depmod -b "$CACHE/kpkg" "$KVER"
  SOURCE="debian $PKG"
fi

# --- module list, dependencies first ----------------------------------------------
WANT="crc32c_generic virtio_pci virtio_blk ext4 bochs"
ORDER=$(mktemp)
add_mod() { grep -qxF "$1" "$ORDER" || echo "$1" >> "$ORDER"; }
for m in $WANT; do
  pat=$(echo "$m" | sed 's/[-_]/[-_]/g')
  line=$(grep -E "(^|/)${pat}\.ko(\.(xz|zst|gz))?:" "$MODDIR/modules.dep" | head -1 || true)
  if [ -z "$line" ]; then
    if grep -qE "/${pat}\.ko" "$MODDIR/modules.builtin" 2>/dev/null; then continue; fi
    log "module $m not found in $MODDIR (neither modules.dep nor modules.builtin)"; exit 1
  fi
  # modules.dep lists the full closure, the one to load first last
  for d in $(echo "${line#*:}" | tr ' ' '\n' | grep . | tac); do add_mod "$d"; done
  add_mod "${line%%:*}"
done

STAMP="$KERNEL|$MODDIR|$(cat "$ORDER" | tr '\n' ' ')|$(cat "$HERE/setup.sh" "$HERE/init.sh" | sha256sum | cut -c1-16)"
if [ -f base.cpio.gz ] && [ -f base.stamp ] && [ "$(cat base.stamp)" = "$STAMP" ]; then
  log "base.cpio.gz up to date"
else
  log "building base.cpio.gz"
  rm -rf root && mkdir -p root/bin root/sbin root/proc root/sys root/dev root/tmp root/mnt root/lib/modules root/etc
  cp "$BUSYBOX" root/bin/busybox
  : > root/modules.order
  while read -r rel; do
    name=$(basename "$rel")
    case "$name" in
      *.ko.xz)  xz -dc "$MODDIR/$rel" > "root/lib/modules/${name%.xz}";  name=${name%.xz} ;;
      *.ko.zst) zstd -qdc "$MODDIR/$rel" > "root/lib/modules/${name%.zst}"; name=${name%.zst} ;;
      *.ko.gz)  gzip -dc "$MODDIR/$rel" > "root/lib/modules/${name%.gz}"; name=${name%.gz} ;;
      *)        cp "$MODDIR/$rel" "root/lib/modules/$name" ;;
    esac
    echo "$name" >> root/modules.order
  done < "$ORDER"
  cp "$HERE/init.sh" root/init
  chmod 755 root/init
  mknod -m 600 root/dev/console c 5 1 2>/dev/null || true
  mknod -m 666 root/dev/null c 1 3 2>/dev/null || true
  (cd root && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -9 > base.cpio.gz.tmp
  mv base.cpio.gz.tmp base.cpio.gz
  echo "$STAMP" > base.stamp
  rm -rf root
fi
cp "$ORDER" modules.list; rm -f "$ORDER"

# --- disk --------------------------------------------------------------------------
if [ ! -f disk.img ]; then
  log "making disk.img (64 MiB ext4, sparse)"
  rm -rf diskroot && mkdir -p diskroot
  /sbin/mke2fs -q -t ext4 -F -d diskroot -L oracle disk.img 64M
  rm -rf diskroot
fi

QEMU=$(command -v qemu-system-x86_64)
cat > env.json <<EOF
{
  "kernelVersion": "$KVER",
  "kernelSource": "$SOURCE",
  "kernel": "$KERNEL",
  "modules": "$MODDIR",
  "base": "$CACHE/base.cpio.gz",
  "disk": "$CACHE/disk.img",
  "qemu": "$QEMU"
}
EOF
echo "kernel $KVER ($SOURCE)"
echo "modules: $(sed "s|.*/||" "$CACHE/modules.list" | tr "\n" " ")"
echo "cache: $CACHE"
