#!/bin/sh
# npm run selftests [-- --rerun [6.1|6.12|all]] [--markdown|--json]: see scripts/selftests/cli.ts
set -eu
REPO=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO"
OUT=${TMPDIR:-/tmp}/mmscope-selftests-$$.js
trap 'rm -f "$OUT"' EXIT
npx esbuild scripts/selftests/cli.ts --bundle --platform=node --target=node20 --log-level=warning --outfile="$OUT"
node "$OUT" "$@"
