#!/usr/bin/env bash
# Runs the whole test suite N times in a row while another process keeps one core busy, to find timing-sensitive
# tests before a busy CI machine does. Usage: scripts/loaded-tests.sh [runs=5] [log dir]
# Uses the first `node` on PATH (prepend another Node's bin folder to try that version). The busy loop is this
# script's own child, bounded by `timeout`, and is stopped on any exit.
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
logs="${2:-$(mktemp -d)}"
mkdir -p "$logs"

# One core busy for at most 2 hours; node so it runs wherever the suite runs.
timeout 7200 node -e 'for (;;) {}' &
busy=$!
trap 'kill "$busy" 2>/dev/null; wait "$busy" 2>/dev/null' EXIT

echo "node $(node --version), $runs runs with one core busy (pid $busy); logs in $logs"
failed=0
for i in $(seq 1 "$runs"); do
  started=$(date +%s)
  if npx vitest run --reporter=default >"$logs/run-$i.log" 2>&1; then
    echo "run $i: passed in $(($(date +%s) - started)) s"
  else
    failed=$((failed + 1))
    echo "run $i: FAILED in $(($(date +%s) - started)) s:"
    grep -E '(FAIL|×) ' "$logs/run-$i.log" | sed 's/\x1b\[[0-9;]*m//g' | sort -u | head -20
  fi
done
echo "$((runs - failed)) passed, $failed failed"
test "$failed" -eq 0
