#!/bin/bash
# trace-execd-journal-outage.sh: journald stopped while execs go on: the daemon lives and reports the exact loss.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl setpriv
ensure_tracefs
# A private journal namespace: stopping it must not disturb other tests.
NS="te-outage-$$"
start_journald "$NS"
export TRACE_EXECD_JOURNAL_SOCKET=/run/systemd/journal.$NS/socket
trap 'stop_journald "$NS" 2>/dev/null; rm -rf /run/systemd/journal.$NS /run/systemd/journald@$NS.conf.d /run/log/journal/*.$NS; cleanup' EXIT

uid=4242	# a dedicated uid keeps the host's own execs out of the counts
conf="$WORK/trace-execd.yaml"
write_config "$conf" "settings:
  uid: $uid
  lost_report_interval: 1s
rules:
  - name: everything
    match: {}"
start_daemon d "$conf"
pid_d=$PID_d
as_uid() { setpriv --reuid $uid --regid $uid --clear-groups "$@"; }

as_uid /bin/echo "$MARK-before" >/dev/null
wait_until 10 journal_has EXEC_ARG="$MARK-before" || fail "no entry before the outage"

stop_journald "$NS"
n=25
for i in $(seq $n); do as_uid /bin/echo "$MARK-during-$i" >/dev/null; done
# The daemon has read them all once its periodic report (to stderr: the
# journal is away) counts all n as lost.
wait_until 10 grep -qE "(^|[^0-9])$n exec events lost" "$WORK/d.err" ||
	fail "the daemon did not count the $n entries as lost: $(tail -3 "$WORK/d.err")"
kill -0 "$pid_d" || fail "the daemon died while journald was down"
start_journald "$NS"
as_uid /bin/echo "$MARK-after" >/dev/null
wait_until 15 journal_has EXEC_ARG="$MARK-after" || fail "no entry after journald came back"
wait_until 15 journal_has MESSAGE_ID=d333764d0c444f98b610d0f2e926ec92 _PID="$pid_d" ||
	fail "no lost-events entry"
ev=$(journal_json MESSAGE_ID=d333764d0c444f98b610d0f2e926ec92 _PID="$pid_d")
expect reports "$(printf '%s\n' "$ev" | wc -l)" 1
expect lost "$(field "$ev" EXEC_LOST)" $n
expect lost_journal "$(field "$ev" EXEC_LOST_JOURNAL)" $n
expect lost_ringbuf "$(field "$ev" EXEC_LOST_RINGBUF)" 0
expect priority "$(field "$ev" PRIORITY)" 4
expect during "$(journal_json _PID="$pid_d" | grep -c "$MARK-during")" 0
stop_daemon d
pass
