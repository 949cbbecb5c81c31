#!/usr/bin/env bash
# Runs one libFuzzer target of Fuzz/ (built by `make fuzz-build`).
#
#   Fuzz/scripts/fuzz.sh decode|session|config runs N [SEED]   bounded: N executions (make test-fuzz)
#   Fuzz/scripts/fuzz.sh decode|session|config time S          S seconds, the corpus kept (make fuzz)
#
# The committed seeds (Fuzz/corpus/TARGET) are read, never written: new inputs go to a work
# corpus (a temporary one for bounded runs, .build-fuzz/corpus/TARGET for long ones). Every
# committed crash input (Fuzz/regressions/TARGET) is replayed first and must pass. A crash leaves
# its input in .build-fuzz/findings/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${1:?decode, session or config}
mode=${2:?runs or time}
amount=${3:?how many executions or seconds}
seed=${4:-1}
bin=${FUZZ_BIN:-.build-fuzz/release}
case "$target" in
  decode) exe=FuzzDecode; dict=wire ;;
  session) exe=FuzzSession; dict=wire ;;
  config) exe=FuzzConfig; dict=config ;;
  *) echo "fuzz.sh: unknown target $target (decode, session, config)" >&2; exit 2 ;;
esac
[ -x "$bin/$exe" ] || { echo "fuzz.sh: $bin/$exe is not built; run 'make fuzz-build'" >&2; exit 2; }
# Allocation stacks off: collecting one per malloc was the largest single cost of an execution.
# To see them for a finding, rerun its input with ASAN_OPTIONS= (empty).
export ASAN_OPTIONS=${ASAN_OPTIONS-malloc_context_size=0}
# The Swift runtime's own backtracer reads memory ASan has poisoned: libFuzzer reports crashes.
export SWIFT_BACKTRACE=${SWIFT_BACKTRACE-enable=no}
findings=.build-fuzz/findings
mkdir -p "$findings"
common=(-dict="Fuzz/dict/$dict.dict" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$findings/$target-")

if compgen -G "Fuzz/regressions/$target/*" >/dev/null; then
  "$bin/$exe" "${common[@]}" Fuzz/regressions/"$target"/* 2>&1 | tail -n 2
fi

case "$mode" in
  runs)
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    "$bin/$exe" "${common[@]}" -runs="$amount" -seed="$seed" "$work" "Fuzz/corpus/$target"
    ;;
  time)
    work=.build-fuzz/corpus/$target
    mkdir -p "$work"
    "$bin/$exe" "${common[@]}" -max_total_time="$amount" -seed="$seed" "$work" "Fuzz/corpus/$target"
    ;;
  *) echo "fuzz.sh: mode must be runs or time" >&2; exit 2 ;;
esac
