#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# trace-execd-syslog.sh: the direct RFC 5424 route: one line per exec, fields as structured data, nothing forged.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd /usr/bin/python3 setpriv
ensure_tracefs
# Only this uid's execs are traced: the listener's datagram queue (the
# kernel's 10) would overflow with every exec of the parallel tests.
U=$(free_uid 64691)

sock="$WORK/log.sock"
/usr/bin/python3 - "$sock" "$WORK/syslog.txt" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "ab", buffering=0) as out:
    while True:
        out.write(s.recv(1 << 20) + b"\n")
PY
BG_PIDS+=($!)
wait_until 10 test -S "$sock" || fail "listener did not start"

conf="$WORK/trace-execd.yaml"
write_config "$conf" "settings:
  uid: $U
  ignore_failed: false
  syslog_facility: local3
  outputs: {journal: false, syslog: true}
rules:
  - name: everything
    match: {}
    priority: notice"
TRACE_EXECD_SYSLOG_SOCKET="$sock" start_daemon d "$conf"

# An argument that tries to end the structured data and forge a field and a line.
setpriv --reuid $U --regid $U --clear-groups /bin/echo "$MARK" 'x"] EXEC_USER="forged' "$(printf 'line\nEXEC_UID=0')" >/dev/null
# (the echo's message: the test's own commands carry the mark too, and
# their messages can come first)
echo_seen() { grep -a "$MARK" "$WORK/syslog.txt" | grep -aq 'EXEC_COMM="echo"'; }
wait_until 10 echo_seen || fail "no syslog message"
line=$(grep -a "$MARK" "$WORK/syslog.txt" | grep -a 'EXEC_COMM="echo"' | head -1)
pri=$(( 19 * 8 + 5 ))	# local3.notice
case "$line" in "<$pri>1 "*" trace-execd $PID_d dae8ea1ec2964a42af0f34673ef7d561 [exec@32473 "*) CHECKS=$((CHECKS + 1)) ;;
	*) fail "bad header: $line" ;; esac
expect one_message "$(grep -a "$MARK" "$WORK/syslog.txt" | grep -ac 'EXEC_COMM="echo"')" 1
# every message is one line: none was broken by an argument's newline
expect no_broken_lines "$(grep -avc '^<[0-9]*>1 ' "$WORK/syslog.txt")" 0
expect users "$(printf '%s' "$line" | grep -o 'EXEC_USER="[^"]*"')" "EXEC_USER=\"uid:$U\""
expect argv "$(printf '%s' "$line" | grep -o 'EXEC_ARGV="[^]]*\] ' | head -1 | wc -l)" 1
case "$line" in *'\"\] EXEC_USER=\"forged'*) CHECKS=$((CHECKS + 1)) ;; *) fail "quote or bracket not escaped: $line" ;; esac
case "$line" in *'line\\nEXEC_UID=0'*) CHECKS=$((CHECKS + 1)) ;; *) fail "newline not escaped: $line" ;; esac
# 32 KiB of backslashes: escaped twice over in three fields, too big for
# one message: it comes in the short form, marked, and nothing is lost.
big=$(head -c 32768 /dev/zero | tr '\0' '\\')
setpriv --reuid $U --regid $U --clear-groups /bin/echo "$MARK-big" "$big" >/dev/null
wait_until 10 grep -q "$MARK-big" "$WORK/syslog.txt" || fail "no syslog message for the 32 KiB argument"
line=$(grep -a "$MARK-big" "$WORK/syslog.txt" | grep -a 'EXEC_COMM="echo"' | head -1)
case "$line" in *' SYSLOG_TRUNCATED="1"] '*) CHECKS=$((CHECKS + 1)) ;; *) fail "no short form: ${line:0:300}" ;; esac
CHECKS=$((CHECKS + 1))
[ "${#line}" -le 65536 ] || fail "the short form has ${#line} bytes"
stop_daemon d
expect lost_lines "$(grep -c 'exec events lost' "$WORK/d.err" || true)" 0
pass
