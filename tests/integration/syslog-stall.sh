#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# syslog-stall.sh: the direct syslog output loses nothing: a real rsyslogd on a socket with the kernel's default 10-datagram queue, stopped for 5 s in a storm of 2000 execs, gets 2000 messages in order and no loss is reported; stopped and started again, it gets what waited meanwhile (the status line and the metrics file say what waits); with a small backlog and ring the loss is counted exactly.
. "${top_srcdir:-.}/tests/lib.sh"
set -euo pipefail
need_root
need_cmd rsyslogd sysctl
ensure_tracefs
STORM="$top_builddir/bench/exec-storm"
[ -x "$STORM" ] || skip "bench/exec-storm not built"
trap 'set +e; rs_stop; cleanup' EXIT
LOST_ID=d333764d0c444f98b610d0f2e926ec92
U=$(free_uid 65391)	# only this uid's execs are traced
SOCK="$WORK/log.sock"	# rsyslogd's, not the machine's /dev/log
OUT="$WORK/messages"	# what rsyslogd received, one message a line

# The rsyslogd: imuxsock on SOCK alone (not the system socket), no rate
# limit, messages as they came (%rawmsg%), in order (one worker), into OUT.
mkdir -p "$WORK/rs"
cat >"$WORK/rsyslog.conf" <<EOF
global(workDirectory="$WORK/rs" maxMessageSize="64k")
main_queue(queue.workerThreads="1")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$SOCK" RateLimit.Interval="0")
template(name="raw" type="string" string="%rawmsg%\n")
if \$rawmsg contains "[exec@32473 " then action(type="omfile" file="$OUT" template="raw")
EOF
rsyslogd -N1 -f "$WORK/rsyslog.conf" >"$WORK/rs-check.log" 2>&1 ||
	{ cat "$WORK/rs-check.log" >&2; fail "rsyslogd -N1 rejects the configuration"; }

# rs_start: rsyslogd, its socket made while net.unix.max_dgram_qlen is the
# kernel's default of 10 (the queue is sized when the socket is made).
rs_start_now() {
	rm -f "$SOCK" "$WORK/rs.pid"
	rsyslogd -n -f "$WORK/rsyslog.conf" -i "$WORK/rs.pid" >>"$WORK/rs.log" 2>&1 &
	RS_PID=$!
	wait_until 15 test -S "$SOCK"
}
rs_start() { dgram_queue 10 rs_start_now || fail "rsyslogd did not make $SOCK: $(cat "$WORK/rs.log")"; }
# rs_stop: SIGTERM (after a SIGCONT), until it is gone.
rs_stop() {
	[ -n "${RS_PID:-}" ] || return 0
	kill -CONT "$RS_PID" 2>/dev/null
	kill -TERM "$RS_PID" 2>/dev/null
	wait "$RS_PID" 2>/dev/null
	RS_PID=
}

# conf NAME EXTRA-SETTINGS: syslog only, every exec of uid U.
conf() {
	write_config "$WORK/$1.yaml" "settings:
  uid: $U
  ignore_failed: true
  lost_report_interval: 1s
  metrics_file: $WORK/$1.prom
  outputs: {journal: false, syslog: true}
$2
rules:
  - name: all
    match: {}"
}
# storm N MARK [ARGS...]: N execs of /bin/true MARK SEQ as U, one after the other.
storm() {
	local n=$1 m=$2
	shift 2
	EXEC_STORM_MARKER=$m "$STORM" -n "$n" -w 1 -s -u "$U" -g "$U" "$@" >>"$WORK/storm.json"
}
# seqs MARK: the sequence numbers of MARK's exec messages, in the order received.
seqs() { grep -a -o "EXEC_ARGV=\"/bin/true $1 [0-9]*\"" "$OUT" | sed 's/.* \([0-9]*\)"$/\1/'; }
count() { seqs "$1" | wc -l; }
at_least() { [ "$(count "$1")" -ge "$2" ]; }
status_has() { grep -q "$2" "$WORK/$1.status"; }
metric() { awk -v m="$2" '$1 == m { print $2 }' "$WORK/$1.prom" 2>/dev/null; }
metric_is() { [ "$(metric "$1" "$2")" = "$3" ]; }

rs_start
conf big ""
TRACE_EXECD_SYSLOG_SOCKET="$SOCK" start_daemon big "$WORK/big.yaml" --status-file "$WORK/big.status"

# 1. rsyslogd stopped for 5 s in a storm of 2000 execs at 200 a second.
N=2000
storm $N "$MARK-a" -r 200 & sp=$!
wait_until 30 at_least "$MARK-a" 20 || fail "no message of the storm"
kill -STOP "$RS_PID"
wait_until 5 status_has big "syslog backlog: [0-9]* messages" ||
	fail "the status line does not say what waits for syslog: $(cat "$WORK/big.status")"
CHECKS=$((CHECKS + 1))
sleep 5	# the stall itself: a duration, not a condition
CHECKS=$((CHECKS + 1))
kill -0 $sp 2>/dev/null || fail "the storm ended before the stall did: it was not in the middle"
kill -CONT "$RS_PID"
wait $sp || fail "exec-storm failed"
wait_until 30 at_least "$MARK-a" $N || fail "only $(count "$MARK-a") of $N messages after the stall"
expect messages_in_order "$(seqs "$MARK-a" | tr '\n' ' ')" "$(seq 0 $((N - 1)) | tr '\n' ' ')"
echo "stall: $N messages in order"

# 2. rsyslogd gone (its socket too): what comes meanwhile waits, shown in
# the status line and the metrics file, and goes once it is back.
rs_stop
K=50
storm $K "$MARK-b"
wait_until 10 grep -q "syslog's socket '$SOCK': .*; messages wait in the backlog" "$WORK/big.err" ||
	fail "the daemon did not say syslog was gone: $(tail -3 "$WORK/big.err")"
wait_until 5 status_has big "syslog backlog: $K messages, [0-9]* bytes" ||
	fail "the status line does not say $K messages wait: $(cat "$WORK/big.status")"
CHECKS=$((CHECKS + 1))
wait_until 10 metric_is big trace_execd_syslog_backlog_entries $K ||
	fail "trace_execd_syslog_backlog_entries is $(metric big trace_execd_syslog_backlog_entries), want $K"
CHECKS=$((CHECKS + 1))
rs_start
wait_until 15 at_least "$MARK-b" $K || fail "only $(count "$MARK-b") of $K messages after rsyslogd came back"
expect waited_in_order "$(seqs "$MARK-b" | tr '\n' ' ')" "$(seq 0 $((K - 1)) | tr '\n' ' ')"
wait_until 10 grep -q "syslog's socket '$SOCK' takes messages again" "$WORK/big.err" ||
	fail "no word that syslog is back"
CHECKS=$((CHECKS + 1))
wait_until 5 sh -c "! grep -q 'syslog backlog' '$WORK/big.status'" ||
	fail "the status line still shows a backlog: $(cat "$WORK/big.status")"
CHECKS=$((CHECKS + 1))
stop_daemon big
expect once_each "$(count "$MARK-a") $(count "$MARK-b")" "$N $K"
expect lost_reports "$(grep -c "$LOST_ID" "$OUT" || true)" 0
expect lost_lines "$(grep -c 'exec events lost' "$WORK/big.err" || true)" 0

# 3. A small backlog and ring: rsyslogd stopped for a whole storm; the
# ring is not read while the backlog is full, so the kernel loses (and
# counts) what the ring cannot hold, and delivered plus lost is the storm.
conf small "  syslog_backlog: 1M
  ringbuf_size: 64K"
TRACE_EXECD_SYSLOG_SOCKET="$SOCK" start_daemon small "$WORK/small.yaml"
N=3000
kill -STOP "$RS_PID"
storm $N "$MARK-c" || { kill -CONT "$RS_PID"; fail "exec-storm failed"; }
kill -CONT "$RS_PID"
stop_daemon small	# drains the backlog and reports the last losses
lost_field() { grep -a "$LOST_ID" "$OUT" | grep -a -o " $1=\"[0-9]*\"" | tr -dc '0-9\n' | awk '{ s += $1 } END { print s + 0 }'; }
# rsyslogd writes what the daemon handed it before it exited
all_there() { [ $(($(count "$MARK-c") + $(lost_field EXEC_LOST))) -ge $N ]; }
wait_until 10 all_there || true
delivered=$(count "$MARK-c")
lost=$(lost_field EXEC_LOST)
ring=$(lost_field EXEC_LOST_RINGBUF)
echo "small: issued $N, delivered $delivered, lost $lost (ring buffer $ring)"
CHECKS=$((CHECKS + 1))
[ "$ring" -gt 0 ] || fail "the 64K ring never overflowed: the stall did not fill the 1M backlog"
expect lost_is_ringbuf "$ring" "$lost"
expect syslog_lost "$(lost_field EXEC_LOST_SYSLOG)" 0
expect delivered_plus_lost "$((delivered + lost))" $N
expect small_in_order "$(seqs "$MARK-c" | sort -n -c -u && echo sorted)" sorted
pass
