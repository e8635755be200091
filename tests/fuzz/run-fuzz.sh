#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run-fuzz.sh: bounded libFuzzer run of every fuzz target from its seed corpus (skipped unless built with --enable-fuzzing).
# FUZZ_SECONDS (default 30) bounds each target; FUZZ_TARGETS picks some.
. "${top_srcdir:-.}/tests/lib.sh"

secs=${FUZZ_SECONDS:-30}
targets=${FUZZ_TARGETS:-fuzz-config fuzz-decode fuzz-statefile fuzz-container fuzz-history fuzz-dpkg}
found=0
for t in $targets; do
	[ -x "$top_builddir/tests/fuzz/$t" ] && found=$((found + 1))
done
[ $found -gt 0 ] || skip "no fuzz target built (configure with CC=clang --enable-fuzzing)"

for t in $targets; do
	bin="$top_builddir/tests/fuzz/$t"
	seeds="$top_srcdir/tests/fuzz/corpus/$t"
	[ -x "$bin" ] || fail "$t was not built"
	[ -d "$seeds" ] || fail "no seed corpus $seeds"
	# New inputs go to a scratch corpus; the seeds in the tree stay as they are.
	mkdir -p "$WORK/$t.corpus" "$WORK/$t.artifacts"
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$WORK/$t.artifacts/" \
		"$WORK/$t.corpus" "$seeds" >"$WORK/$t.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$t.log")
	if [ $rc -ne 0 ] || ls "$WORK/$t.artifacts/"* >/dev/null 2>&1; then
		tail -n 60 "$WORK/$t.log" >&2
		for a in "$WORK/$t.artifacts/"*; do
			[ -f "$a" ] || continue
			echo "reproducer $(basename "$a") (base64):" >&2
			base64 -w 76 "$a" | head -n 40 >&2
		done
		fail "$t: finding after ${runs:-?} runs (exit $rc)"
	fi
	CHECKS=$((CHECKS + 1))
	echo "$t: ${runs:-?} runs in ${secs}s, $(find "$WORK/$t.corpus" -type f | wc -l) new inputs, no finding"
done
pass
