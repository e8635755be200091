#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# metrics-file.sh: metrics_file: the counters of systemctl status in Prometheus text format for node_exporter's
# textfile collector: exact counts, the exposition format, replaced whole every few seconds, a directory that
# is missing logged once and written once it exists, the final counts at exit, a bad path rejected.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd setpriv awk stat
ensure_tracefs
start_journald
U=$(free_uid 65291)	# loss-accounting.sh storms as 64991
N=30
dir="$WORK/node-exporter"
prom="$dir/trace-execd.prom"

# A bad path: the configuration check says where and why.
conf="$WORK/bad.yaml"
write_config "$conf" "settings:
  metrics_file: trace-execd.txt"
"$TRACE_EXECD" --check-config --config "$conf" >"$WORK/check.out" 2>&1 && fail "a relative metrics_file was accepted"
grep -q "^$conf:2:17: metrics_file 'trace-execd.txt' must be an absolute path ending in .prom" "$WORK/check.out" ||
	fail "no error at the value: $(cat "$WORK/check.out")"
CHECKS=$((CHECKS + 1))

conf="$WORK/trace-execd.yaml"
write_config "$conf" "settings:
  uid: $U
  metrics_file: $prom
rules:
  - name: drop-marked
    match: {args: '*$MARK-drop*'}
    action: drop
  - name: exec
    match: {}"
start_daemon d "$conf"
# The directory does not exist yet: said once, and the daemon traces on.
said_cannot() { grep -c "cannot write the metrics file $prom: No such file or directory" "$WORK/d.err"; }
said_cannot_once() { [ "$(said_cannot)" = 1 ]; }
wait_until 10 said_cannot_once || fail "no error about the missing directory: $(cat "$WORK/d.err")"
mkdir -p "$dir"
wait_until 10 test -f "$prom" || fail "the metrics file was not written once its directory existed"
expect said_once "$(said_cannot)" 1
expect said_again "$(grep -c "the metrics file $prom is written again" "$WORK/d.err")" 1

metric() { awk -v m="$1" '$1 == m { print $2 }' "$prom"; }
setpriv --reuid "$U" --regid "$U" --clear-groups /bin/sh -c \
	"i=0; while [ \$i -lt $N ]; do /bin/true $MARK-\$i; i=\$((i + 1)); done; for i in 1 2 3 4 5; do /bin/true $MARK-drop; done"
# N execs written; 5 dropped, and the shell (its script names MARK-drop)
events_are() { [ "$(metric trace_execd_events_total)" = "$1" ]; }
wait_until 20 events_are $((N + 6)) || fail "events_total is $(metric trace_execd_events_total), want $((N + 6))"
expect written "$(metric trace_execd_written_total)" "$N"
expect dropped "$(metric trace_execd_dropped_total)" 6
expect rate_limited "$(metric trace_execd_rate_limited_total)" 0
expect lost "$(grep -c '^trace_execd_lost_events_total{cause="[a-z]*"} 0$' "$prom")" 7
expect lost_causes "$(grep -o 'cause="[a-z]*"' "$prom" | tr '\n' ' ')" \
	'cause="ringbuf" cause="pending" cause="scratch" cause="decode" cause="journal" cause="syslog" cause="budget" '
expect backlog "$(metric trace_execd_journal_backlog_entries) $(metric trace_execd_journal_backlog_bytes)" "0 0"
expect syslog_backlog "$(metric trace_execd_syslog_backlog_entries) $(metric trace_execd_syslog_backlog_bytes)" "0 0"
# The exposition format, as node_exporter parses it.
expect format_errors "$(awk -f "$top_srcdir/tests/prom-check.awk" "$prom")" ""
expect ends_in_newline "$(tail -c 1 "$prom" | od -An -c | tr -d ' ')" '\n'
expect mode "$(stat -c %a "$prom")" 644
# Replaced whole (a rename: a new inode), no temporary file left beside it.
ino=$(stat -c %i "$prom")
new_inode() { [ "$(stat -c %i "$prom")" != "$ino" ]; }
wait_until 10 new_inode || fail "the metrics file was not rewritten in 10 s"
expect files "$(ls -A "$dir")" trace-execd.prom
# At exit: the final counts.
rm -f "$prom"
stop_daemon d
expect final_events "$(metric trace_execd_events_total)" $((N + 6))
expect final_format "$(awk -f "$top_srcdir/tests/prom-check.awk" "$prom")" ""
pass
