#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile-forged-entries.sh: only the daemon's entries are records. Entries an unprivileged user forges with trace-execd's SYSLOG_IDENTIFIER, exec MESSAGE_ID and EXEC_* fields are in the journal (through each of journald's sockets, from a program named trace-execd, from a program at the daemon's own path in namespaces of the user's own), and so is one of another root process; the shipped rsyslog snippet in a real rsyslogd forwards none of them, with either template, and every marked exec of the daemon exactly once.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/system/lib.sh"
need_root
need_cmd rsyslogd jq logger systemd-cat setpriv unshare mount ss journalctl /usr/bin/python3
ensure_tracefs
trap 'sys_local_node_stop json; sys_local_node_stop ecs; sys_collector_stop; cleanup' EXIT
N=20
MSG_EXEC=dae8ea1ec2964a42af0f34673ef7d561
MSG_CONFIG_LOADED=cdf5c2b062a34ebc99399a391ddd2130
F=$(free_uid 64920)		# the forger
D=$(free_uid $((F + 1)))	# the user whose execs the daemon records
EXE=$(readlink -f "$TRACE_EXECD")
PY=$(readlink -f /usr/bin/python3)
FORGER=(setpriv --reuid "$F" --regid "$F" --clear-groups)
chmod 0755 "$WORK"

JOURNAL_SINCE=$(journal_now)
start_journald
sys_collector_config
sys_collector_start
# Two nodes, the shipped snippet with each template, sending to the one
# collector: a JSON record has the journal's fields at the top, an ECS
# record under "trace_execd".
sys_local_node_start json trace-execd-json
sys_local_node_start ecs trace-execd-ecs
conf="$WORK/trace-execd.yaml"
write_config "$conf" "settings:
  uid: $D
rules:
  - name: exec
    match: {}
    priority: info"
start_daemon d "$conf"

# forged K: an exec entry as the daemon writes one, with the sender
# fields of the daemon too (journald drops every field a client sends
# whose name starts with "_"). Its EXEC_ARGV reads like one of the marked
# execs below, so a forwarded forgery also breaks their count.
forged() {
	cat <<EOF
MESSAGE=uid:0 ran /usr/bin/true: /bin/true $MARK-forged-$1 [pid 1, rule exec]
MESSAGE_ID=$MSG_EXEC
SYSLOG_IDENTIFIER=trace-execd
SYSLOG_FACILITY=10
PRIORITY=6
EXEC_COMM=true
EXEC_ARGV=/bin/true $MARK-real-forged-$1
EXEC_ARGC=2
EXEC_PID=1
EXEC_UID=0
EXEC_USER=root
POLICY_RULE=exec
_SYSTEMD_UNIT=trace-execd.service
_UID=0
_PID=$PID_d
_EXE=$EXE
_COMM=trace-execd
EOF
}
# expect_sender NAME UID COMM EXE TRANSPORT: the trusted fields of $ev.
expect_sender() {
	expect "$1-identifier" "$(field "$ev" SYSLOG_IDENTIFIER)" trace-execd
	expect "$1-uid" "$(field "$ev" _UID)" "$2"
	expect "$1-comm" "$(field "$ev" _COMM)" "$3"
	expect "$1-exe" "$(field "$ev" _EXE)" "$4"
	expect "$1-transport" "$(field "$ev" _TRANSPORT)" "$5"
	expect "$1-unit" "$(field "$ev" _SYSTEMD_UNIT)" null
}
msg() { forged "$1" | sed -n 's/^MESSAGE=//p'; }
for k in 1 2 3 6; do forged $k >"$WORK/forged-$k"; done
mkdir -m 0755 "$WORK/bin"
cp "$PY" "$WORK/bin/trace-execd"

# 1. logger --journald, the native protocol: the message id and fields.
"${FORGER[@]}" logger --journald <"$WORK/forged-1" || fail "logger --journald failed"
wait_until 15 journal_any_has MESSAGE="$(msg 1)" || fail "the forged entry 1 is not in the journal"
ev=$(journal_any MESSAGE="$(msg 1)")
expect forged1_msgid "$(field "$ev" MESSAGE_ID)" "$MSG_EXEC"
expect forged1_argv "$(field "$ev" EXEC_ARGV)" "/bin/true $MARK-real-forged-1"
expect forged1_uid_unit "$(jqv "$ev" '[._UID, ._SYSTEMD_UNIT] | tojson')" "[\"$F\",null]"
# 2. A program named trace-execd: _COMM says "trace-execd".
send_held "$(msg 2)" "$WORK/forged-2" "${FORGER[@]}" "$WORK/bin/trace-execd"
expect_sender forged2 "$F" trace-execd "$WORK/bin/trace-execd" journal
expect forged2_msgid "$(field "$ev" MESSAGE_ID)" "$MSG_EXEC"
# 3. A program at the daemon's own path: a user namespace and a mount
# namespace of the forger's own, a bind mount over the daemon's path.
# _EXE and _COMM are the daemon's; only _UID is the forger's.
send_held "$(msg 3)" "$WORK/forged-3" "${FORGER[@]}" unshare -Urm \
	sh -c 'mount --bind "$1" "$2" || exit 1; p=$2; shift 2; exec "$p" "$@"' sh "$PY" "$EXE"
expect_sender forged3 "$F" trace-execd "$EXE" journal
expect forged3_msgid "$(field "$ev" MESSAGE_ID)" "$MSG_EXEC"
# 4. The syslog socket, 5. a stdout stream: the identifier.
m4="$MARK-forged-4 uid:0 ran /usr/bin/true"
"${FORGER[@]}" logger -u /run/systemd/journal/dev-log -t trace-execd "$m4" || fail "logger to dev-log failed"
wait_until 15 journal_any_has MESSAGE="$m4" || fail "the forged entry 4 is not in the journal"
ev=$(journal_any MESSAGE="$m4")
expect forged4_identifier "$(field "$ev" SYSLOG_IDENTIFIER)" trace-execd
expect forged4_uid_transport "$(jqv "$ev" '[._UID, ._TRANSPORT] | join(" ")')" "$F syslog"
m5="$MARK-forged-5 uid:0 ran /usr/bin/true"
echo "$m5" | "${FORGER[@]}" systemd-cat -t trace-execd || fail "systemd-cat failed"
wait_until 15 journal_any_has MESSAGE="$m5" || fail "the forged entry 5 is not in the journal"
ev=$(journal_any MESSAGE="$m5")
expect forged5_identifier "$(field "$ev" SYSLOG_IDENTIFIER)" trace-execd
expect forged5_uid_transport "$(jqv "$ev" '[._UID, ._TRANSPORT] | join(" ")')" "$F stdout"
# 6. Another root process (not the daemon): uid 0, its own executable.
send_held "$(msg 6)" "$WORK/forged-6" "$PY"
expect_sender forged6 0 "$(basename "$PY")" "$PY" journal

# The daemon's own: N marked execs, then the last one. imjournal reads
# the journal in order and each node forwards in order, so once a node's
# record of the last exec is at the collector, that node has passed on
# whatever it was going to of the forged entries before it.
setpriv --reuid "$D" --regid "$D" --clear-groups /bin/sh -c \
	"i=0; while [ \$i -lt $N ]; do /bin/true $MARK-real-\$i; i=\$((i + 1)); done; /bin/true $MARK-last" ||
	fail "the exec loop failed"
# records TEXT JQ_SELECT: the records at the collector that hold TEXT and
# match (a line still being written is skipped). Other tests' daemons of
# this build trace every uid: their records of this test's commands
# arrive too, from their pids.
records() {
	[ -f "$SYS_COLLECTOR_FILE" ] || return 0
	grep -F -- "$1" "$SYS_COLLECTOR_FILE" |
		jq -cR --arg pid "$PID_d" --arg exe "$EXE" --argjson forged "$forged_msgs" "fromjson? | select($2)"
}
has_record() { [ -n "$(records "$1" "$2" | head -1)" ]; }
# The forged entries' records, by their exact MESSAGE, in either shape.
forged_msgs=$(for k in 1 2 3 6; do msg $k; done | jq -R . | jq -sc '. + $m' --argjson m "[\"$m4\", \"$m5\"]")
forged='(.MESSAGE // .message) as $m | any($forged[]; . == $m)'
last_arrived() {
	wait_until 120 has_record "$MARK-last" "$1 == \"/bin/true $MARK-last\"" ||
		{ tail "$WORK/$2.log" "$WORK/collector.log" >&2
		  fail "the $2 record of the last exec did not arrive ($(records "$MARK-forged" "$forged" | wc -l) forged records did)"; }
}
last_arrived .EXEC_ARGV json
last_arrived .process.command_line ecs

# Not one forged record, whatever its shape.
expect forged_records "$(records "$MARK-forged" "$forged" | wc -l)" 0
# Every marked exec once, in each shape, from the daemon.
real="._PID == \$pid and (.EXEC_ARGV // \"\" | startswith(\"/bin/true $MARK-real-\"))"
expect json_records "$(records "$MARK-real" "$real" | wc -l)" "$N"
expect json_distinct "$(records "$MARK-real" "$real" | jq -r .EXEC_ARGV | sort -u | wc -l)" "$N"
real=".trace_execd._PID == \$pid and (.process.command_line // \"\" | startswith(\"/bin/true $MARK-real-\"))"
expect ecs_records "$(records "$MARK-real" "$real" | wc -l)" "$N"
expect ecs_distinct "$(records "$MARK-real" "$real" | jq -r .process.command_line | sort -u | wc -l)" "$N"
# The daemon's other entries too: its configuration loaded, in each shape.
expect json_config "$(records $MSG_CONFIG_LOADED ".MESSAGE_ID == \"$MSG_CONFIG_LOADED\" and ._PID == \$pid" | wc -l)" 1
expect ecs_config "$(records $MSG_CONFIG_LOADED ".trace_execd.MESSAGE_ID == \"$MSG_CONFIG_LOADED\" and .trace_execd._PID == \$pid" | wc -l)" 1
# Nothing at the collector but entries of uid 0 from the daemon's
# executable: this test's daemon's, and other tests' of this build.
expect other_senders "$(records "" '(.trace_execd // .) | ._UID != "0" or ._EXE != $exe' | wc -l)" 0
expect daemon_records "$(records "" '(.trace_execd // .) | ._PID == $pid and ._UID == "0" and ._EXE == $exe' |
	wc -l | awk -v n=$((2 * (N + 2))) '{ print ($1 >= n) }')" 1
stop_daemon d
pass
