#!/usr/bin/env bash
# Runs the codec over valid and hostile payloads under valgrind and fails on any leak of memory
# allocated by protobuf-c or the codec ("definitely" or "indirectly" lost).
set -euo pipefail
bin=${1:?usage: codec-leaks.sh PATH/TO/dcr-codec-check}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=3 \
  --log-file="$log" "$bin" 4000 || { cat "$log"; echo "codec-leaks: valgrind found errors" >&2; exit 1; }
grep -E "definitely lost|indirectly lost|ERROR SUMMARY" "$log" | sed 's/^==[0-9]*== /codec-leaks: /'
grep -q "ERROR SUMMARY: 0 errors" "$log"
echo "1 passed, 0 failed"
