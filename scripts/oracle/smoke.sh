#!/bin/sh
# Boot the real kernel once and run scenarios through the oracle (default: the
# shared-file write-notify scenario); prints the observations and timings.
#   scripts/oracle/smoke.sh [--json] [--keep] [--fab N] [FILE.mms ...]
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
cd "$REPO"
sh src/oracle/guest/setup.sh 6.1
OUT=${TMPDIR:-/tmp}/mmscope-oracle-cli.js
# the bundle runs from $TMPDIR: tell it where the guest files are
export MMSCOPE_ORACLE_RUNTIME="$REPO/src/oracle/guest"
npx esbuild scripts/oracle/oracle-cli.ts --bundle --platform=node --target=node20 --log-level=warning --outfile="$OUT"
has_file=0
for a in "$@"; do case "$a" in *.mms) has_file=1;; esac; done
if [ $has_file = 0 ]; then
  set -- "$@" "${MMSCOPE_SCENARIOS:-$REPO/../shared/scenarios}/shared-file-writenotify.mms"
fi
start=$(date +%s.%N)
rc=0
node "$OUT" "$@" || rc=$?
echo "smoke: wall $(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $start }") s" >&2
exit $rc
