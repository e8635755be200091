#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile-flood.sh: a flood that overflows the ring buffer: trace-exec states the exact lost count and exits 0; the daemon recovers.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl setpriv
ensure_tracefs
need_hostile_exec
start_journald

# A uid nothing else runs as: the kernel-side uid filter keeps host noise
# out of the ring buffer and out of the lost counters.
U=$(free_uid 64871)
N=1000

# 1. trace-exec with the smallest ring buffer (one page), stopped while
# N execs run: all but the few that fit are lost, and it says how many.
start_trace_exec te --ringbuf-size 4096 --uid "$U"
kill -STOP "$PID_te"
"$HX" flood "$U" "$N" /bin/true > "$WORK/flood.out" 2>&1 || { cat "$WORK/flood.out" >&2; fail "flood failed"; }
kill -CONT "$PID_te"
wait_until 10 grep -q "events lost" "$WORK/te.err" || fail "no lost report: $(cat "$WORK/te.err")"
# At its stop trace-exec reads what the ring buffer still holds, then the totals.
stop_trace_exec te
got=$(jq -c "select(.EXEC_UID == $U and .EXEC_ARG == [\"/bin/true\"])" "$WORK/te.json" | wc -l)
final=$(grep "total: " "$WORK/te.err")
lost=$(printf '%s' "$final" | sed -n 's/.*total: \([0-9]*\) exec events lost (ring buffer full: \([0-9]*\), pending map full: 0, no scratch slot: 0)$/\1 \2/p')
[ -n "$lost" ] || fail "final report: '$final'"
set -- $lost
expect lost_is_ringbuf "$1" "$2"
expect delivered_plus_lost "$((got + $1))" "$N"
CHECKS=$((CHECKS + 1))
[ "$got" -gt 0 ] && [ "$1" -gt 0 ] || fail "delivered $got, lost $1"
echo "trace-exec: $N execs, $got delivered, $1 lost (ring buffer of 4096 bytes)"
expect json_lines "$(jq -c . "$WORK/te.json" | wc -l)" "$(wc -l < "$WORK/te.json")"

# 2. The daemon, stopped through a flood, then running on: it reports the
# loss and logs every later exec exactly once.
conf="$WORK/trace-execd.yaml"
write_config "$conf" "settings:
  uid: $U
  ringbuf_size: 64K
  lost_report_interval: 1s
rules:
  - name: everything
    match: {}"
start_daemon d "$conf"
kill -STOP "$PID_d"
"$HX" flood "$U" 2000 /bin/true > "$WORK/flood2.out" 2>&1 || { cat "$WORK/flood2.out" >&2; fail "second flood failed"; }
kill -CONT "$PID_d"
wait_until 15 journal_has MESSAGE_ID=d333764d0c444f98b610d0f2e926ec92 || fail "no lost-events entry"
lost=$(journal_json MESSAGE_ID=d333764d0c444f98b610d0f2e926ec92 | jq -s 'map(.EXEC_LOST_RINGBUF | tonumber) | add')
CHECKS=$((CHECKS + 1))
[ "$lost" -gt 0 ] || fail "the daemon lost nothing from a stopped 64K ring buffer"
for i in $(seq 1 20); do
	setpriv --reuid "$U" --regid "$U" --clear-groups /bin/true "$MARK-after-$i"
done
wait_until 10 journal_has EXEC_ARG="$MARK-after-20" || fail "the daemon did not recover"
for i in $(seq 1 20); do
	expect "after_$i" "$(journal_json EXEC_ARG="$MARK-after-$i" | wc -l)" 1
done
kill -0 "$PID_d" || fail "trace-execd died"
stop_daemon d
pass
