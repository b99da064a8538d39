#!/bin/sh
# npm run fuzz:kernel -- --count N --seed S [--real 6.1,6.12] ...: bundle scripts/oracle/fuzz-kernel.ts
# and run it (see there). Needs the oracle set up (src/oracle/guest/setup.sh; mmscope kernel does it as root).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
cd "$REPO"
OUT=${TMPDIR:-/tmp}/mmscope-fuzz-kernel-$$.js
npx esbuild scripts/oracle/fuzz-kernel.ts --bundle --platform=node --target=node20 --log-level=warning --outfile="$OUT"
rc=0
MMSCOPE_ORACLE_RUNTIME=${MMSCOPE_ORACLE_RUNTIME:-$REPO/src/oracle/guest} node "$OUT" "$@" || rc=$?
rm -f "$OUT"
exit $rc
