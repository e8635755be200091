#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# history-report.sh: trace-exec --report's exact counts on a prepared journal (export format written into a journal file by systemd-journal-remote), and on it the container, Kubernetes, host, uid and time filters of the history, each exactly; only the daemon's sender counts, the unverified one marked.
. "${top_srcdir:-.}/tests/lib.sh"
need_cmd jq
REMOTE=/lib/systemd/systemd-journal-remote
[ -x "$REMOTE" ] || skip "needs systemd-journal-remote (Debian package systemd-journal-remote)"

# entry PID MSGID EXE USER UID CONTAINER|- RULE TAGS ACTION|- ERROR|- [SENDER]:
# one exec entry in the export format, at second PID of 2025-12-01 UTC
# (SENDER: daemon, exe, user, root-other, unverified).
T0=1764547200
entry() {
	local pid=$1 msg=$2 exe=$3 user=$4 uid=$5 ct=$6 rule=$7 tags=$8 act=$9 err=${10} who=${11:-daemon}
	local t=$(( (T0 + pid) * 1000000 ))
	printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=%s\n_BOOT_ID=0b5e7c2a9d8f4e6a8c1b2d3e4f5a6b7c\n' "$t" "$pid"
	printf 'MESSAGE_ID=%s\nSYSLOG_IDENTIFIER=trace-execd\nMESSAGE=x\nEXEC_TIMESTAMP_USEC=%s\n' "$msg" "$t"
	printf 'EXEC_PID=%s\nEXEC_TID=%s\nEXEC_PPID=1\nEXEC_COMM=%s\nEXEC_PCOMM=sh\n' "$pid" "$pid" "${exe##*/}"
	printf 'EXEC_ARGV=%s run-%s\nEXEC_ARGC=2\nEXEC_ARGS_TRUNCATED=0\n' "$exe" "$pid"
	printf 'EXEC_UID=%s\nEXEC_USER=%s\nEXEC_GID=%s\nEXEC_GROUP=%s\n' "$uid" "$user" "$uid" "$user"
	printf 'EXEC_LOGINUID=4294967295\nEXEC_LOGINUSER=uid:4294967295\nEXEC_SESSIONID=4294967295\nEXEC_TTY=\n'
	printf 'EXEC_CWD=/\nEXEC_FILE=%s\nEXEC_EXE=%s\nEXEC_UPPER_LAYER=0\nEXEC_PARENT_UPPER_LAYER=0\nEXEC_MNTNS=1\n' "$exe" "$exe"
	[ "$err" = - ] && printf 'EXEC_ID=b-1-%s-1\nEXEC_SHA256=%064d\n' "$pid" "${#exe}" ||
		printf 'EXEC_ERROR=%s\nERRNO=%s\n' "$err" "$([ "$err" = ENOENT ] && echo 2 || echo 13)"
	if [ "$ct" != - ]; then
		printf 'CONTAINER_ID=%012d\nCONTAINER_ID_FULL=%064d\nCONTAINER_NAME=%s\nCONTAINER_RUNTIME=containerd\nIMAGE_NAME=app:1\n' "${#ct}" "${#ct}" "$ct"
		printf 'K8S_NAMESPACE=ns-%s\nK8S_POD=pod-%s\nK8S_CONTAINER=c-%s\n' "$ct" "$ct" "$ct"
	fi
	[ "$rule" = - ] || printf 'POLICY_RULE=%s\nPOLICY_TAGS=%s\n' "$rule" "$tags"
	[ "$act" = - ] || printf 'EXEC_ACTION=%s\n' "$act"
	printf '_HOSTNAME=node-%s\n_PID=700\n_TRANSPORT=journal\n' "$((pid % 2))"
	case $who in
	daemon) printf '_UID=0\n_GID=0\n_COMM=trace-execd\n_EXE=/usr/sbin/trace-execd\n_SYSTEMD_UNIT=trace-execd.service\n' ;;
	exe) printf '_UID=0\n_GID=0\n_COMM=trace-execd\n_EXE=/opt/te/trace-execd\n' ;;
	user) printf '_UID=1000\n_GID=1000\n_COMM=trace-execd\n_EXE=/usr/sbin/trace-execd\n_SYSTEMD_UNIT=trace-execd.service\n' ;;
	root-other) printf '_UID=0\n_GID=0\n_COMM=trace-execd\n_EXE=/tmp/trace-execd\n_SYSTEMD_UNIT=session-2.scope\n' ;;
	unverified) printf '_UID=0\n_GID=0\n' ;;
	esac
	printf '\n'
}
E=dae8ea1ec2964a42af0f34673ef7d561 F=7709a7d283f54539a0009d14812ca56f
K=cdf4dede5e3a46d0abed64cc33b42009 W=01277ebbe5414a4790ab64a676845f01
{
	entry 1 $E /usr/bin/ls root 0 - exec "" - -
	entry 2 $E /usr/bin/ls root 0 web shell "mitre_execution,T1059" - -
	entry 3 $E /usr/bin/ls alice 1000 web shell "mitre_execution,T1059" - -
	entry 4 $E /usr/bin/curl alice 1000 web net "mitre_discovery" - -
	entry 5 $E /usr/bin/curl alice 1000 db net "mitre_discovery" - -
	entry 6 $K /tmp/x root 0 web drift "container_drift" killed -
	entry 7 $W /tmp/y root 0 - drift "container_drift" would-kill -
	entry 8 $F /usr/bin/sh alice 1000 - exec "" - ENOENT
	entry 9 $F /usr/bin/sh alice 1000 web exec "" - ENOENT
	entry 10 $F /usr/bin/sh bob 1001 - exec "" - EACCES
	entry 11 $E /usr/bin/id bob 1001 - - "" - - exe
	entry 12 $E /usr/bin/id bob 1001 db - "" - - unverified
	# not the daemon's: each is skipped and counted
	entry 13 $E /usr/bin/evil root 0 web shell "" - - user
	entry 14 $E /usr/bin/evil root 0 web shell "" - - root-other
	# a lost-events report and a fold of the daemon's
	printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=15\n_BOOT_ID=0b5e7c2a9d8f4e6a8c1b2d3e4f5a6b7c\nMESSAGE_ID=d333764d0c444f98b610d0f2e926ec92\nEXEC_LOST=5\n_UID=0\n_SYSTEMD_UNIT=trace-execd.service\n_HOSTNAME=node-1\n\n' $(( (T0 + 15) * 1000000 ))
	printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=16\n_BOOT_ID=0b5e7c2a9d8f4e6a8c1b2d3e4f5a6b7c\nMESSAGE_ID=dae883bca8d04a3ca0ca6d59e0ffc3c0\nEXEC_FOLDED_COUNT=40\nEXEC_UID=1000\n_UID=0\n_SYSTEMD_UNIT=trace-execd.service\n_HOSTNAME=node-0\n\n' $(( (T0 + 16) * 1000000 ))
} >"$WORK/entries.export"
J="$WORK/prepared.journal"
"$REMOTE" --output="$J" - <"$WORK/entries.export" 2>"$WORK/remote.err" || fail "systemd-journal-remote: $(cat "$WORK/remote.err")"
TX() { "$TRACE_EXEC" --file "$J" --sender-exe /usr/sbin/trace-execd --sender-exe /opt/te/trace-execd "$@"; }

# The report: exact counts.
TX --report -o json --top 0 >"$WORK/report.json" 2>"$WORK/report.err" || fail "trace-exec --report failed: $(cat "$WORK/report.err")"
r() { jq -c "$1" "$WORK/report.json"; }
expect totals "$(r '[.execs, .failed, .failed_folded, .lost, .skipped_other_senders, .unverified_sender]')" "[9,3,40,5,2,1]"
expect first-last "$(r '[.first_usec, .last_usec]')" "[$(( (T0 + 1) * 1000000 )),$(( (T0 + 12) * 1000000 ))]"
list() { r "[.$1[] | \"\\(.value)=\\(.count)\"] | join(\" \")" | tr -d '"'; }
expect by-exe "$(list by_executable)" "/usr/bin/ls=3 /usr/bin/curl=2 /usr/bin/id=2 /tmp/x=1 /tmp/y=1"
expect by-user "$(list by_user)" "root=4 alice=3 bob=2"
expect by-container "$(list by_container)" "web=4 (host)=3 db=2"
expect by-host "$(list by_host)" "node-1=5 node-0=4"
expect by-rule "$(list by_rule)" "(none)=2 drift=2 net=2 shell=2 exec=1"
expect by-tag "$(list by_tag)" "T1059=2 container_drift=2 mitre_discovery=2 mitre_execution=2"
expect by-action "$(list by_action)" "(none)=7 killed=1 would-kill=1"
expect by-error "$(list failed_by_error)" "ENOENT=2 EACCES=1"
expect kills "$(r '[.kill_verdicts[] | "\(.action) \(.rule) \(.executable) \(.count)"] | join("|")')" \
	'"killed drift /tmp/x 1|would-kill drift /tmp/y 1"'
expect first-seen "$(r '[.first_seen[] | "\(.executable)@\(.first_host)=\(.count)"] | join(" ")')" \
	'"/usr/bin/ls@node-1=3 /usr/bin/curl@node-0=2 /tmp/x@node-0=1 /tmp/y@node-1=1 /usr/bin/id@node-1=2"'
# a range, and a filter (the lost and fold entries then do not count)
TX --report -o json --since "@$((T0 + 3))" --until "@$((T0 + 9))" >"$WORK/report.json" 2>/dev/null
expect range "$(r '[.execs, .failed, .lost, .failed_folded]')" "[5,2,0,0]"
TX --report -o json --containername web >"$WORK/report.json" 2>/dev/null
expect filtered "$(r '[.execs, .failed, .lost, .failed_folded]')" "[4,1,0,0]"
expect filtered-user "$(list by_user)" "alice=2 root=2"
# the table for people: the same numbers
TX --report --top 2 >"$WORK/report.txt" 2>/dev/null
expect table-totals "$(sed -n 2p "$WORK/report.txt")" "9 execs, 3 failed, 40 failed folded past a budget, 5 lost; 2 entries of other senders skipped, 1 of unverified sender counted"
expect table-users "$(sed -n '/^Execs by user/,/^$/p' "$WORK/report.txt" | tr -s ' ' | tr '\n' '|')" "Execs by user (3):| COUNT USER| 4 root| 3 alice| ... 1 more||"

# The history's filters on the same journal, each exactly.
pids() { TX -o json --ignore-failed=false "$@" 2>"$WORK/h.err" | jq -r .EXEC_PID | tr '\n' ' '; }
expect all "$(pids)" "1 2 3 4 5 6 7 8 9 10 11 12 "
expect containername "$(pids --containername web)" "2 3 4 6 9 "
expect containers-only "$(pids --containers-only)" "2 3 4 5 6 9 12 "
expect host "$(pids --host)" "1 7 8 10 11 "
expect k8s-namespace "$(pids --k8s-namespace ns-db)" "5 12 "
expect k8s-pod "$(pids --k8s-podname pod-web --uid 1000)" "3 4 9 "
expect k8s-container "$(pids --k8s-containername c-db)" "5 12 "
expect uid "$(pids --uid 1001)" "10 11 12 "
expect ignore-failed "$(TX -o json --uid 1001 2>/dev/null | jq -r .EXEC_PID | tr '\n' ' ')" "11 12 "
expect since-until "$(pids --since "@$((T0 + 4))" --until "@$((T0 + 6))")" "4 5 6 "
expect skipped-said "$(cat "$WORK/h.err")" "trace-exec: 3 execs shown; 0 entries of other senders skipped (not _UID=0 with unit trace-execd.service or executable /usr/sbin/trace-execd or /opt/te/trace-execd)"
pids --containername web >/dev/null
expect skipped-web "$(head -1 "$WORK/h.err")" "trace-exec: 5 execs shown; 2 entries of other senders skipped (not _UID=0 with unit trace-execd.service or executable /usr/sbin/trace-execd or /opt/te/trace-execd)"
# the unverified one, marked in JSON and said
expect unverified "$(TX -o json --uid 1001 2>"$WORK/u.err" | jq -r 'select(.trace_execd_sender == "unverified") | .EXEC_PID')" 12
grep -q "1 entries of uid 0 with trace-execd's identifier whose sender journald no longer knew" "$WORK/u.err" ||
	fail "the unverified entry is not said: $(cat "$WORK/u.err")"
CHECKS=$((CHECKS + 1))
# the HOST column of a collected journal
expect host-column "$(TX --uid 1001 2>/dev/null | awk 'NR > 1 { print $1 }' | tr '\n' ' ')" "node-1 node-0 "
pass
