#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# flood-watchdog.sh: 4 threads failing execve with 32 KiB arguments for 15 s: the daemon keeps feeding the watchdog on time (WATCHDOG=1 every WATCHDOG_USEC/4, never 2 s late) and counts what the ring could not hold.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl
ensure_tracefs
NOTIFY="$top_builddir/bench/notify-ready"
[ -x "$NOTIFY" ] || skip "bench/notify-ready not built"
start_journald

U=$(free_uid 64791)
conf="$WORK/flood.yaml"
# As the shipped policy: failed execs are logged; but without the
# failed-exec budgets, which would fold the flood before it reaches the
# ring (hostile-failflood.sh tests them): the ring must overflow here.
write_config "$conf" "settings:
  uid: $U
  ignore_failed: false
  failed_exec_budget: 0
  failed_exec_budget_cgroup: 0
  lost_report_interval: 1s
rules:
  - name: all
    match: {}"
WD_USEC=4000000
state="$WORK/notify.state"
JOURNAL_SINCE=$(journal_now)
WATCHDOG_USEC=$WD_USEC "$NOTIFY" "$state" -- "$TRACE_EXECD" --foreground --config "$conf" \
	>"$WORK/d.out" 2>"$WORK/d.err" &
np=$!
BG_PIDS+=("$np")
ready() { grep -q '^ready_ms=[0-9]' "$state"; }
wait_until 20 ready || fail "no READY=1: $(cat "$WORK/d.err")"
JOURNAL_PID=$(sed -n 's/^pid=//p' "$state")

"$HELPERS/hostile-exec" failflood "$U" 4 15 32768 > "$WORK/flood.out" ||
	fail "the flood failed: $(cat "$WORK/flood.out")"
kill -TERM "$np"
wait "$np" || fail "trace-execd exited with $?: $(tail -3 "$WORK/d.err")"
# The longest gap between WATCHDOG=1, from READY=1 to the stop, as the
# kernel stamped their arrival (how many came depends on how long the run
# took, the gap does not). The daemon feeds the watchdog every
# WATCHDOG_USEC/4 (1 s here), late by at most one turn of its loop, whose
# work is bounded (a read of the ring ends after 50 ms). 2 s more leave
# room for a turn on a slow machine whose CPUs other tests share, under
# the sanitizer build (gaps of 1.1-1.7 s seen with both CPUs busy; 3.3-12 s
# while a read ended only after 64 records of 32 KiB), and a daemon that
# stops feeding it for WATCHDOG_USEC, when systemd kills it, fails.
gap=$(sed -n 's/^watchdog_max_gap_ms=//p' "$state")
kicks=$(sed -n 's/^watchdogs=//p' "$state")
every=$((WD_USEC / 4000))
limit=$((every + 2000))
echo "$(cat "$WORK/flood.out"); WATCHDOG=1 $kicks times, longest gap $gap ms (every $every ms, WATCHDOG_USEC $((WD_USEC / 1000)) ms)"
CHECKS=$((CHECKS + 1))
[ "$gap" -lt "$limit" ] ||
	fail "a gap of $gap ms between WATCHDOG=1: fed every $every ms, at most $limit ms apart (systemd kills at $((WD_USEC / 1000)) ms)"
# The flood overran the ring: the loss is counted and reported.
wait_until 10 journal_has MESSAGE_ID=d333764d0c444f98b610d0f2e926ec92 || fail "no lost-events entry"
lost=$(journal_json MESSAGE_ID=d333764d0c444f98b610d0f2e926ec92 | jq -s 'map(.EXEC_LOST_RINGBUF | tonumber) | add')
CHECKS=$((CHECKS + 1))
[ "$lost" -gt 0 ] || fail "the flood lost nothing: it did not overrun the ring"
pass
