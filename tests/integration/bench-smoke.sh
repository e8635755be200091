#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench-smoke.sh: bench/run.sh --smoke works end to end: a table on stdout, valid and complete JSON results, and its 1 s journald stall accounts for every exec.
. "${top_srcdir:-.}/tests/lib.sh"
set -euo pipefail
trap 'set +e; cleanup' EXIT	# lib.sh's cleanup is not written for set -e

need_root
need_cmd jq journalctl
ensure_tracefs
[ -x "$TRACE_EXECD" ] || skip "trace-execd not built"
[ -x /lib/systemd/systemd-journald ] || skip "needs /lib/systemd/systemd-journald"

OUT="$WORK/results.json"
AUDITD_BEFORE=$(pgrep -x auditd || true)
STATS_BEFORE=$(sysctl -n kernel.bpf_stats_enabled)
rc=0
TE_BUILD=$top_builddir bash "$top_srcdir/bench/run.sh" --smoke --out "$OUT" \
	>"$WORK/table.txt" 2>"$WORK/run.err" || rc=$?
[ $rc = 75 ] && skip "another bench/run.sh is running"
[ $rc = 0 ] || { cat "$WORK/run.err" "$WORK/table.txt" >&2; fail "bench/run.sh --smoke exited with $rc"; }
cat "$WORK/table.txt"

# The table: a header, the untraced baseline and both trace-execd rows.
grep -q '^config ' "$WORK/table.txt" || fail "no table header"
for c in untraced journal json; do
	grep -q "^$c " "$WORK/table.txt" || fail "no '$c' row in the table"
	CHECKS=$((CHECKS + 1))
done
grep -q '^targets' "$WORK/table.txt" || fail "no targets section"

# The JSON: parses, and holds one run per configuration with sane figures.
jq -e . "$OUT" >/dev/null || fail "results are not valid JSON"
expect "smoke flag" "$(jq -r .meta.smoke "$OUT")" true
expect "untraced ratio" "$(jq -r '.runs[] | select(.config == "untraced") | .ratio' "$OUT")" 1
for c in journal json; do
	expect "$c runs" "$(jq "[.runs[] | select(.config == \"$c\")] | length" "$OUT")" 1
	expect "$c: every exec delivered" \
		"$(jq ".runs[] | select(.config == \"$c\") | .delivered == .execs" "$OUT")" true
	expect "$c: figures present" \
		"$(jq ".runs[] | select(.config == \"$c\") | [.ratio, .tracer_us_per_event, .kernel_us_per_exec, .peak_rss_kib, .ready_ms] | all(. != null and . > 0)" "$OUT")" true
done
expect "journald figure present" \
	"$(jq '.runs[] | select(.config == "journal") | .helper_us_per_event != null' "$OUT")" true
expect "targets evaluated" "$(jq '.targets | length' "$OUT")" 1

# The stall: journald stopped for a second in a storm that outlasted it,
# and every exec either in the journal or counted lost.
grep -q '^journald stopped' "$WORK/table.txt" || fail "no stall table"
expect "stall runs" "$(jq '.stall.runs | length' "$OUT")" 1
expect "stall: storm outlasted the stall" "$(jq '.stall.runs[0].storm_outlasted_stall' "$OUT")" true
expect "stall: delivered + lost = execs" "$(jq '.stall.runs[0].accounted' "$OUT")" true
expect "stall: figures present" \
	"$(jq '.stall.runs[0] | [.execs, .delivered, .peak_rss_kib] | all(. != null and . > 0)' "$OUT")" true

# Nothing left behind: no tracer, storm or auditd of the run, no audit
# rule, BPF statistics as they were.
pgrep -f '/tmp/te-bench[.]|notify-ready[.]' >/dev/null && fail "a process of the run is left"
pgrep -U "$(jq .stall.uid "$OUT")" >/dev/null && fail "a storm process of the stall is left"
if [ -z "$AUDITD_BEFORE" ]; then
	pgrep -x auditd >/dev/null && fail "auditd left running"
	CHECKS=$((CHECKS + 1))
fi
if command -v auditctl >/dev/null; then
	expect "audit rules left" "$(auditctl -l 2>/dev/null | grep -c execve || true)" 0
fi
expect "kernel.bpf_stats_enabled" "$(sysctl -n kernel.bpf_stats_enabled)" "$STATS_BEFORE"
pass
