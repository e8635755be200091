#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile-failflood.sh: one uid's 60 s flood of failed execs (threads, small and 32 KiB arguments) is folded past its budget, and while the daemon is behind (stopped 8 s): every exec of another uid meanwhile is in the journal, and the folds account for every failed exec of the flood.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl setpriv
ensure_tracefs
need_hostile_exec
start_journald

MSGID_FAILED=7709a7d283f54539a0009d14812ca56f
MSGID_FOLDED=dae883bca8d04a3ca0ca6d59e0ffc3c0
MSGID_LOST=d333764d0c444f98b610d0f2e926ec92
UA=$(free_uid 64811)		# floods failed execs
UB=$(free_uid $((UA + 1)))	# runs marked execs meanwhile
SECS=60
NB=100

# count FILTER...: the journal entries of this test's daemon that match.
count() {
	journalctl --sync 2>/dev/null || true
	journalctl -q --no-pager -o cat --output-fields=EXEC_TID --since="$JOURNAL_SINCE" \
		"_PID=$JOURNAL_PID" "$@" 2>/dev/null | grep -c .
}
# folds_sum JQ_FIELD: the sum of a field over the folds of uid A.
folds_sum() {
	jq -s "map(.$1 | tonumber) | add // 0" "$WORK/folds.json"
}
# accounted: the failed execs of A in the journal, as events or folded,
# plus what was reported lost, reach what the flood made.
accounted() {
	journal_json MESSAGE_ID=$MSGID_FOLDED EXEC_FOLD_BY=uid EXEC_UID="$UA" > "$WORK/folds.json"
	journal_json MESSAGE_ID=$MSGID_LOST > "$WORK/lost.json"
	SENT=$(count MESSAGE_ID=$MSGID_FAILED EXEC_UID="$UA")
	FOLDED=$(folds_sum EXEC_FOLDED_COUNT)
	LOST=$(jq -s 'map(.EXEC_LOST | tonumber) | add // 0' "$WORK/lost.json")
	[ $((SENT + FOLDED + LOST)) -ge "$TRIES" ]
}

# The shipped budgets (failed_exec_budget: 1M, failed_exec_budget_cgroup:
# 4M of ring buffer a second): not set here.
conf="$WORK/trace-execd.yaml"
write_config "$conf" "settings:
  ignore_failed: false
  lost_report_interval: 1s
rules:
  - name: everything
    match: {}"
start_daemon d "$conf"
cd "$WORK"

# Four threads of uid A in two processes, one with a small argument, one
# with 32 KiB, fail to exec for 60 s.
"$HX" failflood "$UA" 2 "$SECS" 16 > small.out 2>&1 &
FS=$!
"$HX" failflood "$UA" 2 "$SECS" 32768 > big.out 2>&1 &
FB=$!
BG_PIDS+=("$FS" "$FB")
# Meanwhile uid B runs 100 distinct marked execs, spread over the flood:
# exec i at 0.42 s x i from the start by the clock (not a sleep after each,
# whose exec time adds up on a loaded machine), none waited for when late.
# From exec 40 to 60 (8 s) the daemon is stopped, as a daemon that falls
# behind (a loaded or slow host): the flood's failed execs, within their
# budget, would fill the 4 MiB ring in 4 s and B's execs would be lost;
# past half of it they are folded (EXEC_FOLD_BEHIND), B's land.
t0=${EPOCHREALTIME/./}
for i in $(seq 1 "$NB"); do
	[ "$i" != 40 ] || kill -STOP "$PID_d"
	[ "$i" != 60 ] || kill -CONT "$PID_d"
	setpriv --reuid "$UB" --regid "$UB" --clear-groups /bin/true "$MARK-b-$i" ||
		fail "exec $i of uid $UB failed"
	left=$(( t0 + i * 420000 - ${EPOCHREALTIME/./} ))
	[ "$left" -le 0 ] || sleep "$((left / 1000000)).$(printf '%06d' $((left % 1000000)))"
done
CHECKS=$((CHECKS + 1))
kill -0 "$FS" 2>/dev/null && kill -0 "$FB" 2>/dev/null ||
	fail "the flood ended before uid $UB's last exec: raise SECS"
wait "$FS" || fail "failflood (small) failed: $(cat small.out)"
wait "$FB" || fail "failflood (32 KiB) failed: $(cat big.out)"
TRIES=$(( $(sed -n 's/^failed execs: //p' small.out) + $(sed -n 's/^failed execs: //p' big.out) ))
CHECKS=$((CHECKS + 1))
[ "$TRIES" -gt $((SECS * 100 * 2)) ] || fail "only $TRIES failed execs: no flood"

# 1. Every exec of uid B is in the journal, once.
# (else say what is there and what the daemon reported lost)
wait_until 30 journal_has EXEC_ARG="$MARK-b-$NB" ||
	fail "uid $UB's last exec is not in the journal: $(count EXEC_UID="$UB") of uid $UB's $NB there; lost reports: $(journal_json MESSAGE_ID=$MSGID_LOST |
		jq -sc 'map({lost: .EXEC_LOST, ringbuf: .EXEC_LOST_RINGBUF, journal: .EXEC_LOST_JOURNAL})')"
for i in $(seq 1 "$NB"); do
	expect "exec $i of uid $UB" "$(count EXEC_ARG="$MARK-b-$i" EXEC_UID="$UB")" 1
done

# 2. The folds of uid A account for every failed exec the events do not:
# events + folded (+ lost, reported) = the flood's failed execs.
wait_until 30 accounted || fail "uid $UA: $SENT events + $FOLDED folded + $LOST lost < $TRIES failed execs"
echo "uid $UA: $TRIES failed execs: $SENT events, $FOLDED folded in $(wc -l < folds.json) folds, $LOST lost (any uid)"
expect "events + folded (nothing lost)" "$((SENT + FOLDED))" "$((TRIES - LOST))"
CHECKS=$((CHECKS + 1))
[ "$FOLDED" -gt $((TRIES * 9 / 10)) ] || fail "only $FOLDED of $TRIES failed execs folded"
# One fold per window of one second, each past the budget of 1 MiB of
# records (with the records in flight on other CPUs when the budget ran
# out: well below twice it).
NF=$(wc -l < folds.json)
CHECKS=$((CHECKS + 1))
[ "$NF" -ge $((SECS - 5)) ] && [ "$NF" -le $((SECS + 2)) ] || fail "$NF folds in $SECS s"
expect "one fold per window" "$(jq -r .EXEC_FOLD_WINDOW_START_USEC folds.json | sort -u | wc -l)" "$NF"
# (or, while the daemon was stopped, folded within it)
expect "windows past 1 MiB or behind" \
	"$(jq -r '(.EXEC_FOLD_SENT_BYTES | tonumber) >= 1048576 or (.EXEC_FOLD_BEHIND // "0" | tonumber) > 0' folds.json | sort -u)" true
CHECKS=$((CHECKS + 1))
[ "$(jq -r 'select(.EXEC_FOLD_BEHIND) | 1' folds.json | wc -l)" -ge 2 ] ||
	fail "no window folded behind while the daemon was stopped for 8 s"
expect "windows below twice the budget" \
	"$(jq -r '(.EXEC_FOLD_SENT_BYTES | tonumber) < 2 * 1048576' folds.json | sort -u)" true
CHECKS=$((CHECKS + 1))
[ "$(folds_sum EXEC_FOLD_SENT)" -le "$SENT" ] || fail "the folds say $(folds_sum EXEC_FOLD_SENT) events were sent, the journal has $SENT"
# The fields say whose, what and when.
for f in EXEC_FOLD_BY=uid EXEC_UID="$UA" PRIORITY=4 \
	 EXEC_FOLD_FIRST_ERROR=ENOENT EXEC_FOLD_LAST_ERROR=ENOENT \
	 EXEC_FOLD_FIRST_FILE=/nonexistent/te-failflood \
	 EXEC_FOLD_LAST_FILE=/nonexistent/te-failflood; do
	expect "folds with $f" "$(jq -r "select(.${f%%=*} == \"${f#*=}\") | 1" folds.json | wc -l)" "$NF"
done
expect "windows of 1 s" "$(jq -r '(.EXEC_FOLD_WINDOW_END_USEC | tonumber) - (.EXEC_FOLD_WINDOW_START_USEC | tonumber)' folds.json | sort -u)" 1000000
expect "first and last folded exec within the window" \
	"$(jq -r '[.EXEC_FOLD_WINDOW_START_USEC, .EXEC_FOLD_FIRST_USEC, .EXEC_FOLD_LAST_USEC, .EXEC_FOLD_WINDOW_END_USEC]
		| map(tonumber) | .[0] <= .[1] and .[1] <= .[2] and .[2] <= .[3]' folds.json | sort -u)" true
first=$(head -1 folds.json)
expect "MESSAGE" "$(jqv "$first" .MESSAGE)" \
	"uid $UA: $(jqv "$first" .EXEC_FOLDED_COUNT) failed execs folded past the budget, $(jqv "$first" .EXEC_FOLD_SENT) sent in $(jqv "$first" .EXEC_FOLD_SENT_BYTES) bytes (first ENOENT /nonexistent/te-failflood, last ENOENT /nonexistent/te-failflood)"
# Successful execs are never folded: no fold names uid B.
expect "folds of uid $UB" "$(count MESSAGE_ID=$MSGID_FOLDED EXEC_UID="$UB")" 0
kill -0 "$PID_d" || fail "trace-execd died"
stop_daemon d

# 3. trace-exec reports folds the same way, as JSON lines of their own.
start_trace_exec te --ignore-failed=false --uid "$UA" --failed-exec-budget 20000
"$HX" failflood "$UA" 2 3 16 > te-flood.out 2>&1 || fail "failflood for trace-exec failed"
N=$(sed -n 's/^failed execs: //p' te-flood.out)
tsum() { jq -s "map(select(.EXEC_UID == $UA) | $1) | add // 0" "$WORK/te.json"; }
wait_until 10 test "$(tsum '.EXEC_FOLDED_COUNT // 0')" -gt 0 || fail "trace-exec showed no fold"
stop_trace_exec te
TE_EVENTS=$(jq -s "map(select(.EXEC_UID == $UA and .EXEC_ERROR == \"ENOENT\")) | length" te.json)
TE_FOLDED=$(tsum '.EXEC_FOLDED_COUNT // 0')
echo "trace-exec: $N failed execs: $TE_EVENTS events, $TE_FOLDED folded"
expect "trace-exec: events + folded" "$((TE_EVENTS + TE_FOLDED))" "$N"
expect "trace-exec: windows past 20000 bytes" "$(jq -r "select(.EXEC_FOLD_SENT) | .EXEC_FOLD_SENT_BYTES >= 20000" te.json | sort -u)" true
pass
