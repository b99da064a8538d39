#!/bin/sh
# CI step: every example and every shared scenario on the real kernels (Debian 6.1 and
# 6.12 under QEMU/TCG, one boot each, with the kprobe events), compared step by step with
# the engine run as each kernel.
# Fails (exit 1) on any difference in an observable outcome, 2 on setup errors.
#   scripts/oracle/ci.sh                 # needs root the first time (apt, see src/oracle/guest/setup.sh)
#   MMSCOPE_SCENARIOS=DIR scripts/oracle/ci.sh   # shared scenarios (default ../shared/scenarios)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
cd "$REPO"
SCN=${MMSCOPE_SCENARIOS:-$REPO/../shared/scenarios}
start=$(date +%s)
sh src/oracle/guest/setup.sh all
node scripts/build.mjs >/dev/null
files=$(ls examples/*.mms)
if ls "$SCN"/*.mms >/dev/null 2>&1; then files="$files $(ls "$SCN"/*.mms)"; else echo "oracle-ci: no shared scenarios in $SCN" >&2; fi
rc=0
# shellcheck disable=SC2086
node dist/cli.js kernel --real all $files || rc=$?
echo "oracle-ci: exit $rc, wall $(( $(date +%s) - start )) s (setup + compile + one boot per kernel)" >&2
exit $rc
