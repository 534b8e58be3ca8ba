#!/usr/bin/env bash
# Runs every Go fuzz target in the module for the given time each (default 10s).
# usage: scripts/fuzz.sh [DURATION]
set -euo pipefail
t=${1:-10s}
cd "$(dirname "$0")/.."
status=0
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    echo "fuzz $pkg $target ($t)"
    if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$t" -fuzzminimizetime 5s "$pkg" > /tmp/fuzz-$target.log 2>&1; then
      tail -30 /tmp/fuzz-$target.log; status=1
    fi
  done
done
exit $status
