#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile-threads.sh: hundreds of threads racing to exec and processes killed mid-exec: each exec reported once, none twice; the pending-exec map does not leak.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl bpftool
ensure_tracefs
need_hostile_exec
start_journald

# pending_entries PID: entries in the "pending" map of that tracer process.
pending_entries() {
	local n
	n=$(map_dump "$1" pending | jq length)
	echo "${n:-no pending map}"
}
pending_empty() { [ "$(pending_entries "$1")" = 0 ]; }

# Failed execs are what the pending map is for: trace them. 200 execs of
# 32 KiB of arguments come in a burst: a ring that holds them all, in both
# tracers, so that a slow reader (a sanitizer build, a journal busy with
# the parallel tests' entries) loses none, and no failed-exec budget
# (the burst is past 1 MiB a second: it would be folded, which
# hostile-failflood.sh tests; here every exec is to be seen). Root's
# execs only: another test's flood of another uid is not this test's.
start_trace_exec te --ignore-failed=false --ringbuf-size 67108864 \
	--failed-exec-budget 0 --failed-exec-budget-cgroup 0 --uid 0
conf="$WORK/trace-execd.yaml"
write_config "$conf" "settings:
  ignore_failed: false
  ringbuf_size: 64M
  uid: 0
  failed_exec_budget: 0
  failed_exec_budget_cgroup: 0
rules:
  - name: everything
    match: {}"
start_daemon d "$conf"
cd "$WORK"

# 1. Four processes of 300 threads each; all threads of a process call
# execve at once. One exec per process wins; a loser that was inside
# execve when the winner's exec killed it is a failed exec of its thread.
"$HX" threads 4 300 "$MARK-t" /bin/true > threads.out || fail "threads helper failed"
expect threads_exited "$(sed -n 's/^exited-ok //p' threads.out)" 4
# 2. 200 processes killed 0-3 ms into an exec that copies 1 MiB of
# arguments. The kernel renames a process past exec's point of no return,
# so the helper says from the zombie's comm whether the exec happened.
"$HX" kill 200 1048576 "$MARK-k" "$HX" > kill.out || fail "kill helper failed"
expect kill_children "$(grep -c '^child ' kill.out)" 200

# Wait for the last events, then check every process.
/bin/echo "$MARK-sentinel" >/dev/null
wait_json te ".EXEC_ARG[1] == \"$MARK-sentinel\"" >/dev/null
wait_until 10 journal_has EXEC_ARG="$MARK-sentinel" || fail "sentinel not in the journal"
journal_json EXEC_ARG="$MARK-sentinel" >/dev/null
# 3. No pending entry is left behind (other execs on the host pass through
# it too: it must drain to 0 once they finish).
wait_until 10 pending_empty "$PID_te" || fail "trace-exec's pending map keeps $(pending_entries "$PID_te") entries"
wait_until 10 pending_empty "$PID_d" || fail "trace-execd's pending map keeps $(pending_entries "$PID_d") entries"
CHECKS=$((CHECKS + 2))
kill -0 "$PID_d" || fail "trace-execd died"
# Stopped, both state what they lost (the daemon otherwise says it only
# every 10 s): a count below that misses an event is then explained.
stop_trace_exec te
stop_daemon d
# A process killed past its exec's point of no return has a failed event
# without arguments (EXEC_ARGS_UNAVAILABLE): select those by pid and comm
# (pids wrap within minutes while other tests run: only such events).
kpids=$(sed -n 's/^child [0-9]* \([0-9]*\) .*/\1/p' kill.out | jq -s -c .)
mine="has(\"EXEC_ARGS_UNAVAILABLE\") and .EXEC_COMM == \"hostile-exec\" and ((.EXEC_PID | tonumber) as \$p | $kpids | any(.[]; . == \$p))"
jq -c "select((.EXEC_ARG[1] // \"\" | tostring | startswith(\"$MARK-t\")) or (.EXEC_ARG[2] // \"\" | tostring | startswith(\"$MARK-k\")) or ($mine))" \
	te.json > te.sel
journal_json --all | jq -c "select(((.EXEC_ARG // [] | if type == \"array\" then . else [.] end) | map(tostring) | any(startswith(\"$MARK-t\") or startswith(\"$MARK-k\"))) or ($mine))" > j.sel

# check SOURCE: per process, as the journal writes numbers as strings.
check() {
	local src=$1 n
	n=$(jq -rs --slurpfile th <(sed -n 's/^child \([0-9]*\) \([0-9]*\)$/\2/p' threads.out | jq -s .) \
		--slurpfile kl <(sed -n 's/^child [0-9]* \([0-9]*\) \(.*\)$/{"pid":\1,"state":"\2"}/p' kill.out | jq -s .) '
	def num: tonumber;
	map(.EXEC_PID |= num | .EXEC_TID |= num) as $ev |
	def of($p): $ev | map(select(.EXEC_PID == $p));
	def ok: map(select(has("EXEC_ERROR") | not));
	def bad: map(select(has("EXEC_ERROR")));
	[
	  # racing threads: exactly one success per process, by the winner
	  ($th[0][] as $p | of($p) |
	    if (ok | length) != 1 then "pid \($p): \(ok | length) successful execs"
	    elif (ok[0].EXEC_TID != $p) then "pid \($p): success from tid \(ok[0].EXEC_TID)"
	    elif ([.[].EXEC_TID] | length) != ([.[].EXEC_TID] | unique | length) then "pid \($p): a thread reported twice"
	    elif ([.[].EXEC_ARGV] | length) != ([.[].EXEC_ARGV] | unique | length) then "pid \($p): an exec reported twice"
	    elif (bad | map(select(.EXEC_TID == $p)) | length) > 0 then "pid \($p): failed event from the winner tid"
	    else empty end),
	  # killed mid-exec: never more than one event; exactly one once past the point of no return
	  ($kl[0][] as $k | of($k.pid) |
	    if length > 1 then "pid \($k.pid): \(length) events"
	    elif $k.state == "execed" and length != 1 then "pid \($k.pid): exec happened, \(length) events"
	    elif $k.state == "not-execed" and (ok | length) > 0 then "pid \($k.pid): exec did not happen, yet reported"
	    elif $k.state != "execed" and (map(select(has("EXEC_ARGS_UNAVAILABLE"))) | length) > 0 then "pid \($k.pid): arguments unavailable before the point of no return"
	    elif (map(select(has("EXEC_ARGS_UNAVAILABLE") and (has("EXEC_ERROR") | not))) | length) > 0 then "pid \($k.pid): EXEC_ARGS_UNAVAILABLE on a successful exec"
	    else empty end),
	  # a failed exec names its error consistently (no stale buffer)
	  ($ev | bad[] | select((.EXEC_ERROR | test("^E[A-Z0-9]+$") | not) or
	    ((.EXEC_ERROR | test("^E[0-9]+$")) and .EXEC_ERROR != "E\(.ERRNO)")) |
	    "pid \(.EXEC_PID): EXEC_ERROR \(.EXEC_ERROR | tojson) with ERRNO \(.ERRNO)")
	] | if length == 0 then "OK" else join("; ") end' "$src")
	# (a missing event may be a lost one: the other tests' floods run too)
	[ "$n" = OK ] || fail "$src: $n; losses reported: $(cat "$WORK"/te.err "$WORK"/d.err | grep "exec events lost" | tail -2)"
	CHECKS=$((CHECKS + 1))
}
check te.sel
check j.sel
echo "threads: $(jq -s 'map(select(.EXEC_ERROR == null and (.EXEC_ARG[1]|tostring|startswith("'"$MARK"'-t")))) | length' te.sel) successful execs," \
	"$(jq -s 'map(select(.EXEC_ERROR != null and (.EXEC_ARG[1]|tostring|startswith("'"$MARK"'-t")))) | length' te.sel) losing threads reported failed;" \
	"killed: $(grep -c ' execed$' kill.out) past the point of no return, $(jq -s 'map(select(.EXEC_ARG[2]|tostring|startswith("'"$MARK"'-k"))) | length' te.sel) events"

pass
