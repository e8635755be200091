#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# trace-execd-journal-outage.sh: journald stopped while execs go on, then started again: the daemon keeps every entry in its backlog and delivers all of them, in order, with no loss.
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
# The daemon found journald gone (it says so once) and keeps the entries.
wait_until 10 grep -q "entries wait in the backlog" "$WORK/d.err" ||
	fail "the daemon did not notice journald was gone: $(tail -3 "$WORK/d.err")"
kill -0 "$pid_d" || fail "the daemon died while journald was down"
start_journald "$NS"
as_uid /bin/echo "$MARK-after" >/dev/null
wait_until 15 journal_has EXEC_ARG="$MARK-after" || fail "no entry after journald came back"
# Every entry made while journald was down is there, once, in order,
# before the one made after.
got=$(journal_json _PID="$pid_d" MESSAGE_ID=dae8ea1ec2964a42af0f34673ef7d561 |
	jq -r '.EXEC_ARG | if type == "array" then .[] else . end' | grep -- "^$MARK-")
want=$(printf '%s\n' "$MARK-before"; for i in $(seq $n); do printf '%s\n' "$MARK-during-$i"; done; printf '%s\n' "$MARK-after")
expect entries_in_order "$got" "$want"
wait_until 10 grep -q "takes entries again" "$WORK/d.err" || fail "no word that journald is back"
# No loss, so no lost-events entry and no lost line.
expect lost_entries "$(journal_json MESSAGE_ID=d333764d0c444f98b610d0f2e926ec92 _PID="$pid_d" | wc -l)" 0
stop_daemon d
expect lost_lines "$(grep -c "exec events lost" "$WORK/d.err")" 0
pass
