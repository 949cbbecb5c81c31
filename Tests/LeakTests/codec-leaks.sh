#!/usr/bin/env bash
# Runs the codec over valid and hostile payloads under valgrind and fails on any leak of memory
# allocated by protobuf-c or the codec ("definitely" or "indirectly" lost). A control run that
# leaks one block on purpose must be caught, so a silent valgrind can never pass this check.
set -euo pipefail
bin=${1:?usage: codec-leaks.sh PATH/TO/dcr-codec-check}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# valgrind 3.19 cannot read the DWARF 5 the Swift toolchain writes; symbols stay, debug info goes.
objcopy --strip-debug "$bin" "$work/dcr-codec-check"
run() { valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=3 \
          --log-file="$work/log" "$work/dcr-codec-check" "$@"; }
passed=0 failed=0
if run 4000 >/dev/null; then
  grep -E "definitely lost|indirectly lost|ERROR SUMMARY" "$work/log" | sed 's/^==[0-9]*== /codec-leaks: /'
  passed=$((passed + 1))
else
  cat "$work/log"; echo "codec-leaks: leaks or memory errors in the codec" >&2; failed=$((failed + 1))
fi
if run 10 --leak-on-purpose >/dev/null; then
  echo "codec-leaks: the control leak was not detected; this check proves nothing" >&2; failed=$((failed + 1))
else
  echo "codec-leaks: control leak detected as expected"; passed=$((passed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
