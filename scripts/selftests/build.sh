#!/bin/bash
# Build the kernel's own mm selftests that mmscope compares with (issue #18), from
# Debian's linux-source-<R> packages, static, into .cache/selftests/<R>/bin/.
#
#   scripts/selftests/build.sh [6.1|6.12|all]     (default all; idempotent)
#
# Per release R: apt-get download linux-source-R (never installed: the tarball inside is
# unpacked into .cache/selftests/src-R), `make headers` for the uapi headers the tests
# include (PAGEMAP_SCAN, MADV_POPULATE_*, ...), then each listed test is compiled as
# tools/testing/selftests/mm/Makefile does (-O2 -U_FORTIFY_SOURCE, vm_util.c and
# thp_settings.c where the release has them, -luring when liburing is there, -lnuma for
# migration) plus -static. The directory is vm/ in 6.1 (renamed mm/ in 6.3). A test file
# the release does not have is recorded in .cache/selftests/<R>/missing.txt
# ("not in this release"). Needs: gcc make xz-utils libnuma-dev liburing-dev (Debian).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${MMSCOPE_SELFTESTS_CACHE:-$ROOT/.cache/selftests}
TESTS="cow mkdirty soft-dirty mremap_test uffd-wp-mremap pfnmap rmap migration madv_populate pagemap_ioctl"
WHICH=${1:-all}
case "$WHICH" in all) RELEASES="6.1 6.12";; 6.1|6.12) RELEASES=$WHICH;; *) echo "usage: $0 [6.1|6.12|all]" >&2; exit 2;; esac

need=""
for p in gcc make xz-utils libnuma-dev liburing-dev; do dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"; done
if [ -n "$need" ]; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y $need; else echo "selftests-build: missing Debian packages:$need (sudo apt-get install$need)" >&2; exit 2; fi
fi

mkdir -p "$CACHE/deb"
for R in $RELEASES; do
  SRC=$CACHE/src-$R
  if [ ! -f "$SRC/Makefile" ]; then
    deb=$(ls "$CACHE"/deb/linux-source-"${R}"_*.deb 2>/dev/null | tail -1 || true)
    if [ -z "$deb" ]; then
      echo "selftests-build: $R: apt-get download linux-source-$R (140-160 MB)"
      (cd "$CACHE/deb" && apt-get download "linux-source-$R" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
      deb=$(ls "$CACHE"/deb/linux-source-"${R}"_*.deb | tail -1)
    fi
    echo "selftests-build: $R: unpacking $(basename "$deb")"
    mkdir -p "$SRC"
    dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/linux-source-$R.tar.xz" | nice -n 10 tar -xJ -C "$SRC" --strip-components=1
  fi
  deb=$(ls "$CACHE"/deb/linux-source-"${R}"_*.deb | tail -1)
  VERSION=$(dpkg-deb -f "$deb" Version)
  if [ ! -f "$SRC/usr/include/linux/mman.h" ]; then
    echo "selftests-build: $R: make headers"
    (cd "$SRC" && nice -n 10 make -s headers >/dev/null)
  fi
  ST=$SRC/tools/testing/selftests
  DIR=$ST/mm; [ -d "$DIR" ] || DIR=$ST/vm
  OUT=$CACHE/$R; mkdir -p "$OUT/bin"; : > "$OUT/missing.txt"
  (cd "$DIR" && sh ./check_config.sh gcc 2>/dev/null) || true
  helpers=""
  for h in vm_util.c thp_settings.c; do [ -f "$DIR/$h" ] && helpers="$helpers $h"; done
  uring=""; grep -q HAVE_LIBURING "$DIR/local_config.h" 2>/dev/null && uring=-luring
  for t in $TESTS; do
    if [ ! -f "$DIR/$t.c" ]; then echo "$t not in this release" >> "$OUT/missing.txt"; continue; fi
    libs="-lrt -lpthread -lm"
    case $t in migration) libs="$libs -lnuma";; cow) libs="$libs $uring";; esac
    if [ ! -x "$OUT/bin/$t" ] || [ "$DIR/$t.c" -nt "$OUT/bin/$t" ]; then
      # shellcheck disable=SC2086
      (cd "$DIR" && nice -n 10 gcc -Wall -O2 -U_FORTIFY_SOURCE -no-pie -static -I "$SRC" \
        -isystem "$SRC/usr/include" -isystem "$SRC/tools/include/uapi" \
        -o "$OUT/bin/$t" "$t.c" $helpers $libs 2> "$OUT/$t.build.log") ||
        { echo "selftests-build: $R: $t failed to build:" >&2; cat "$OUT/$t.build.log" >&2; exit 1; }
    fi
  done
  # mmscope's own probes (scripts/selftests/probes/*.c; not kernel selftests), built the same way
  # against this release's headers (mm/gup_test.h)
  for p in "$ROOT"/scripts/selftests/probes/*.c; do
    t=$(basename "$p" .c)
    if [ ! -x "$OUT/bin/$t" ] || [ "$p" -nt "$OUT/bin/$t" ]; then
      nice -n 10 gcc -Wall -O2 -no-pie -static -I "$SRC" -isystem "$SRC/usr/include" -o "$OUT/bin/$t" "$p" 2> "$OUT/$t.build.log" ||
        { echo "selftests-build: $R: probe $t failed to build:" >&2; cat "$OUT/$t.build.log" >&2; exit 1; }
    fi
  done
  printf '{"release":"%s","debianVersion":"%s","dir":"%s","built":[%s],"missing":[%s]}\n' "$R" "$VERSION" \
    "${DIR#"$SRC"/}" "$(ls "$OUT/bin" | sed 's/.*/"&"/' | paste -sd,)" "$(cut -d' ' -f1 "$OUT/missing.txt" | sed 's/.*/"&"/' | paste -sd,)" > "$OUT/build.json"
  echo "selftests-build: $R ($VERSION): built $(ls "$OUT/bin" | paste -sd' '); not in this release: $(cut -d' ' -f1 "$OUT/missing.txt" | paste -sd' ')"
done
