#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# loss-accounting.sh: with a 64K ring buffer and a stalled reader, events in the journal + reported losses == execs issued.
. "${top_srcdir:-.}/tests/lib.sh"
set -euo pipefail
trap 'set +e; cleanup' EXIT	# lib.sh's cleanup is not written for set -e

need_root
need_cmd jq journalctl
ensure_tracefs
STORM="$top_builddir/bench/exec-storm"
[ -x "$STORM" ] || skip "bench/exec-storm not built"
[ -x "$TRACE_EXECD" ] || skip "trace-execd not built"
start_journald

# A uid nothing else on the host runs as: the BPF uid filter keeps host
# noise out of the ring buffer and out of the kernel's lost counters.
STORM_UID=$(free_uid 64991)
CONF="$WORK/loss.yaml"
write_config "$CONF" "settings:
  uid: $STORM_UID
  ignore_failed: true
  ringbuf_size: 64K
  lost_report_interval: 1s
  outputs: {journal: true, syslog: false, stdout: none}
rules:
  - name: all
    match: {}
    priority: info"

# storm N: N execs of /bin/true MARK from 4 workers running as STORM_UID.
storm() {
	EXEC_STORM_MARKER=$MARK "$STORM" -n "$1" -w 4 -u "$STORM_UID" -g "$STORM_UID" \
		>>"$WORK/storm.json" || fail "exec-storm failed"
}

start_daemon loss "$CONF"
DPID=$PID_loss
# First a storm the reader keeps up with (or nearly), then one while the
# reader is stopped: 64K holds a few hundred events, the rest must be
# counted as lost by the kernel side.
storm 300
kill -STOP "$DPID"
storm 1500
kill -CONT "$DPID"
storm 200
# The daemon reports the loss while it runs (lost_report_interval: 1s),
# not only at its exit; the final report adds what came since.
wait_until 10 journal_has MESSAGE_ID=d333764d0c444f98b610d0f2e926ec92 "_PID=$DPID" ||
	fail "no lost-events entry while the daemon runs"
stop_daemon loss

ISSUED=$(jq -s 'map(.execs) | add' "$WORK/storm.json")
OK=$(jq -s 'map(.ok) | add' "$WORK/storm.json")
expect "execs issued" "$ISSUED" 2000
expect "execs that succeeded" "$OK" 2000

DELIVERED=$(journal_json "EXEC_ARG=$MARK" "_PID=$DPID" | wc -l)
journal_json MESSAGE_ID=d333764d0c444f98b610d0f2e926ec92 "_PID=$DPID" > "$WORK/lost.json"
REPORTS=$(wc -l < "$WORK/lost.json")
LOST=$(jq -s 'map(.EXEC_LOST | tonumber) | add // 0' "$WORK/lost.json")
PARTS=$(jq -s 'map((.EXEC_LOST_RINGBUF | tonumber) + (.EXEC_LOST_PENDING | tonumber)
	+ (.EXEC_LOST_SCRATCH | tonumber) + (.EXEC_LOST_DECODE | tonumber)
	+ (.EXEC_LOST_JOURNAL | tonumber) + (.EXEC_LOST_SYSLOG | tonumber)) | add // 0' "$WORK/lost.json")
RINGBUF=$(jq -s 'map(.EXEC_LOST_RINGBUF | tonumber) | add // 0' "$WORK/lost.json")
echo "issued $ISSUED, in the journal $DELIVERED, lost $LOST (ring buffer $RINGBUF) in $REPORTS report(s)"

CHECKS=$((CHECKS + 1))
[ "$LOST" -gt 0 ] || fail "no loss reported: the 64K ring buffer did not overflow"
CHECKS=$((CHECKS + 1))
[ "$DELIVERED" -gt 0 ] || fail "no event of the storm in the journal"
expect "EXEC_LOST is the sum of its parts" "$PARTS" "$LOST"
expect "delivered + lost" "$((DELIVERED + LOST))" "$ISSUED"
# Every entry of the storm is unique: no event was written twice.
UNIQUE=$(journal_json "EXEC_ARG=$MARK" "_PID=$DPID" | jq -r '.EXEC_PID' | sort -u | wc -l)
expect "distinct pids among delivered events" "$UNIQUE" "$DELIVERED"
pass
