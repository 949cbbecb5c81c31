#!/usr/bin/env bash
# The deployment test's own test: each planted fault in the shipped files must make
# nspawn-deploy.sh fail, and its output must name the fault, so that the test cannot pass by
# looking at nothing. Run by `make test-systemd` after the clean run.
#
#   Tests/SystemTests/nspawn-faults.sh [BUILD_DIR]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-.build/release}
passed=0 failed=0
expect_fault() { # FAULT, text the output must contain
  local out rc
  out=$(bash "$here/nspawn-deploy.sh" --fault "$1" "$build" 2>&1); rc=$?
  if [ "$rc" -eq 1 ] && grep -qF -- "$2" <<< "$out"; then
    echo "ok - --fault $1: the deployment test fails and names it ($2)"; passed=$((passed + 1))
  else
    echo "not ok - --fault $1: exit $rc, expected 1 with \"$2\" in the output:"
    sed 's/^/#   /' <<< "$out" | tail -n 30
    failed=$((failed + 1))
  fi
}
expect_fault unknown-directive 'unknown directive "nspawn-fault-unknown-directive"'
expect_fault drop-setpriority 'status=31/SYS'
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
