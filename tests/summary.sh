#!/bin/bash
# summary.sh: print automake test-suite.log totals as one "N passed, N failed, N skipped" line.
log=${1:?usage: summary.sh test-suite.log}
[ -r "$log" ] || { echo "0 passed, 1 failed (no $log)"; exit 1; }
get() { sed -n "s/^# $1: *\([0-9]*\).*/\1/p" "$log" | head -1; }
pass=$(get PASS); skip=$(get SKIP); fail=$(get FAIL); err=$(get ERROR); xpass=$(get XPASS)
failed=$(( ${fail:-0} + ${err:-0} + ${xpass:-0} ))
grep -E '^(FAIL|ERROR|SKIP): ' "$log" | sed 's/^/  /' || true
echo "${pass:-0} passed, $failed failed, ${skip:-0} skipped"
[ "$failed" -eq 0 ]
