#!/usr/bin/env bash
# Builds everything and runs every test through ctest: the lit suite
# (FileCheck tests of the dialect, the front end and the nasc driver) and the
# GoogleTest binaries. Prints lit's and GoogleTest's summaries, then ctest's;
# on a failure, the whole ctest log.
set -uo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
scripts/build.sh || exit 1
log="$BUILD_DIR/ctest.log"
ctest --test-dir "$BUILD_DIR" --output-on-failure -V >"$log" 2>&1
status=$?
if [ $status -ne 0 ]; then
  cat "$log"
  exit $status
fi
grep -E '^[0-9]+: +(Total Discovered Tests|Passed|Failed|Unsupported)|\[  PASSED  \]|\[  FAILED  \]|Test +#[0-9]+:' "$log"
grep -E 'tests passed, [0-9]+ tests failed' "$log"
