#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# journal-stall.sh: journald stopped for 10 s in a storm of 20000 execs loses nothing, in order, within the backlog's memory; with a small backlog and ring the loss is counted exactly. (A journald restarted in a storm: the system tier, where its socket is systemd's.)
. "${top_srcdir:-.}/tests/lib.sh"
set -euo pipefail
need_root
need_cmd jq journalctl
ensure_tracefs
STORM="$top_builddir/bench/exec-storm"
[ -x "$STORM" ] || skip "bench/exec-storm not built"
# A private journal namespace: stopping it must not disturb other tests.
NS="te-stall-$$"
start_journald "$NS"
export TRACE_EXECD_JOURNAL_SOCKET=/run/systemd/journal.$NS/socket
trap 'set +e; kill -CONT $(journald_pgrep "$NS") 2>/dev/null; stop_journald "$NS"; rm -rf /run/systemd/journal.$NS /run/systemd/journald@$NS.conf.d /run/log/journal/*.$NS; cleanup' EXIT
LOST_ID=d333764d0c444f98b610d0f2e926ec92

# A uid nothing else runs as: the uid filter keeps host noise out.
U=$(free_uid 64891)

# conf NAME EXTRA-SETTINGS: a policy that logs every exec of uid U.
conf() {
	write_config "$WORK/$1.yaml" "settings:
  uid: $U
  ignore_failed: true
  lost_report_interval: 1s
$2
rules:
  - name: all
    match: {}"
}
# storm N MARK: N execs of /bin/true MARK SEQ, one after the other, as U.
storm() {
	EXEC_STORM_MARKER=$2 "$STORM" -n "$1" -w 1 -s -u "$U" -g "$U" >>"$WORK/storm.json"
}
# entries MARK: the sequence numbers of MARK's entries, in journal order.
entries() {
	journal_json EXEC_ARG="$1" | jq -r '.EXEC_ARGV | split(" ")[2]'
}
count() { entries "$1" | wc -l; }
at_least() { [ "$(count "$1")" -ge "$2" ]; }
jpid() { journald_pgrep "$NS"; }
kb() { sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status"; }

# 1. journald stopped for 10 s in the middle of 20000 execs at full rate.
conf big ""
start_daemon big "$WORK/big.yaml"
storm 2000 "$MARK-warm"	# the ring's pages and the caches, touched once
wait_until 30 at_least "$MARK-warm" 2000 || fail "warm-up entries missing"
normal=$(kb "$PID_big" VmRSS)
N=20000
storm $N "$MARK-a" & sp=$!
wait_until 30 at_least "$MARK-a" 2000 || fail "no entry of the storm"
kill -STOP "$(jpid)"
sleep 10	# the stall itself: a duration, not a condition
CHECKS=$((CHECKS + 1))
kill -0 $sp 2>/dev/null || fail "the storm ended before the stall did: it was not in the middle"
kill -CONT "$(jpid)"
wait $sp || fail "exec-storm failed"
wait_until 60 at_least "$MARK-a" $N || fail "only $(count "$MARK-a") of $N entries after the stall"
expect entries_in_order "$(entries "$MARK-a" | tr '\n' ' ')" "$(seq 0 $((N - 1)) | tr '\n' ' ')"
peak=$(kb "$PID_big" VmHWM)
CHECKS=$((CHECKS + 1))
[ "$peak" -le $((normal + 64 * 1024)) ] ||
	fail "peak RSS ${peak} kB over the normal ${normal} kB plus the 64 MiB backlog"
echo "stall: $N entries in order; RSS normal ${normal} kB, peak ${peak} kB"
stop_daemon big
expect lost_reports "$(journal_json MESSAGE_ID=$LOST_ID | wc -l)" 0
expect lost_lines "$(grep -c 'exec events lost' "$WORK/big.err" || true)" 0

# 2. A small backlog and ring: the loss is what is missing, exactly.
conf small "  journal_backlog: 1M
  ringbuf_size: 64K"
start_daemon small "$WORK/small.yaml"
N=6000
storm $N "$MARK-b" & sp=$!
wait_until 30 at_least "$MARK-b" 200 || fail "no entry of the small storm"
kill -STOP "$(jpid)"
wait $sp || { kill -CONT "$(jpid)"; fail "exec-storm failed"; }
kill -CONT "$(jpid)"
stop_daemon small	# drains the backlog and reports the last losses
delivered=$(count "$MARK-b")
journal_json MESSAGE_ID=$LOST_ID > "$WORK/lost.json"
lost=$(jq -s 'map(.EXEC_LOST | tonumber) | add // 0' "$WORK/lost.json")
ring=$(jq -s 'map(.EXEC_LOST_RINGBUF | tonumber) | add // 0' "$WORK/lost.json")
echo "small: issued $N, delivered $delivered, lost $lost (ring buffer $ring)"
CHECKS=$((CHECKS + 1))
[ "$ring" -gt 0 ] || fail "the 64K ring never overflowed: the stall did not fill the 1M backlog"
expect lost_is_ringbuf "$ring" "$lost"
expect delivered_plus_lost "$((delivered + lost))" $N

pass
