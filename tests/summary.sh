#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# summary.sh: print automake test-suite.log totals as one "N passed, N failed, N skipped" line, after the end of each failed test's log.
log=${1:?usage: summary.sh test-suite.log}
[ -r "$log" ] || { echo "0 passed, 1 failed (no $log)"; exit 1; }
get() { sed -n "s/^# $1: *\([0-9]*\).*/\1/p" "$log" | head -1; }
pass=$(get PASS); skip=$(get SKIP); fail=$(get FAIL); err=$(get ERROR); xpass=$(get XPASS)
failed=$(( ${fail:-0} + ${err:-0} + ${xpass:-0} ))
# Why each failed test failed: the end of its log (CI shows only this part).
dir=$(dirname "$log")
for t in $(sed -n 's/^\(FAIL\|ERROR\|XPASS\): //p' "$log"); do
	f="$dir/${t%.sh}.log"
	[ -r "$f" ] || continue
	echo "---- $t: the end of ${f#"$dir"/}"
	grep -v '^ok ' "$f" | tail -n "${SUMMARY_LINES:-40}" | sed 's/^/  | /'
done
grep -E '^(FAIL|ERROR|SKIP): ' "$log" | sed 's/^/  /' || true
echo "${pass:-0} passed, $failed failed, ${skip:-0} skipped"
[ "$failed" -eq 0 ]
