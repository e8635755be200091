#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kill-host.sh: kill rules on host execs: a path prefix kills only what matches, before it runs; a uid rule only that uid; an earlier rule wins; protected paths run, a pid namespace's PID 1 is judged like any exec; enforce: false runs and says would-kill; --check-config refuses a kill rule with args; with a uid filter the kill rules still judge every uid.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl setpriv
[ -x "$HELPERS/ns-exec" ] || skip "tests/helpers/ns-exec not built"
ensure_tracefs
start_journald

KILLED_ID=cdf4dede5e3a46d0abed64cc33b42009
WOULD_ID=01277ebbe5414a4790ab64a676845f01
U=$(free_uid 47100)
pre=/tmp/kill-me-$MARK
conf="$WORK/trace-execd.yaml"
config() {	# config ENFORCE [SETTING]
	write_config "$conf" "settings:
  enforce: $1
  ${2:-}
  protect: [$pre-protected]
rules:
  - name: allow-$MARK
    match:
      file: $pre-allowed
    priority: notice
  - name: kill-prefix-$MARK
    action: kill
    priority: crit
    tags: [drift, $MARK]
    match:
      file: \"$pre-*\"
  - name: kill-uid-$MARK
    action: kill
    match:
      uid: $U
      exe: \"$WORK/*\""
}
reloads() { journal_json MESSAGE_ID=cdf5c2b062a34ebc99399a391ddd2130 CONFIG_FILE="$conf" | wc -l; }
more_reloads() { [ "$(reloads)" -gt "$1" ]; }

# run NAME [PREFIX...]: copy touch to NAME and run it to create NAME.marker;
# prints its exit status.
run() {
	local bin=$1
	shift
	cp /usr/bin/touch "$bin"
	chmod 0755 "$bin"
	"$@" "$bin" "$WORK/m/$(basename "$bin").marker" 2>/dev/null
	echo $?
}
made() { [ -e "$WORK/m/$(basename "$1").marker" ] && echo yes || echo no; }
entry() { journal_json EXEC_FILE="$1" | tail -1; }
mkdir -m 1777 "$WORK/m"
chmod 0755 "$WORK"
trap 'rm -f "$pre"-*; cleanup' EXIT

# --check-config names the key a kill rule cannot use, and where it is.
write_config "$WORK/bad.yaml" "rules:
  - name: kill-args
    action: kill
    match:
      comm: sh
      args: \"*-c*\""
out=$("$TRACE_EXECD" --check-config --config "$WORK/bad.yaml" 2>&1) && fail "kill with args accepted"
case "$out" in
*"$WORK/bad.yaml:6:7: 'args' cannot be decided in the kernel"*) CHECKS=$((CHECKS + 1)) ;;
*) fail "--check-config said: $out" ;;
esac

config true
"$TRACE_EXECD" --check-config --config "$conf" >/dev/null 2>&1 || fail "good kill configuration refused"
start_daemon d "$conf"
# attached after the daemon's: its program sees the SIGKILL pending
start_trace_exec view
# (COLUMNS: ARGS wide enough for the whole command line; a value wider
# than its column is cut)
COLUMNS=400 "$TRACE_EXEC" >"$WORK/view.table" 2>/dev/null &
BG_PIDS+=($!)
wait_until 10 test -s "$WORK/view.table" || fail "trace-exec wrote no table header"

expect killed_status "$(run "$pre-a")" 137
expect killed_no_marker "$(made "$pre-a")" no
expect other_status "$(run "/tmp/kill-not-$MARK")" 0
expect other_marker "$(made "/tmp/kill-not-$MARK")" yes
expect allowed_status "$(run "$pre-allowed")" 0
expect allowed_marker "$(made "$pre-allowed")" yes
expect protected_status "$(run "$pre-protected")" 0
# the process is PID 1 of its pid namespace: judged like any exec (only
# the host's init is never killed)
expect pid1_status "$(run "$pre-pid1" "$HELPERS/ns-exec" -p)" 137
expect pid1_marker "$(made "$pre-pid1")" no
expect uid_status "$(run "$WORK/uid-bin" setpriv --reuid "$U" --regid "$U" --clear-groups)" 137
expect uid_no_marker "$(made "$WORK/uid-bin")" no
expect uid_other_status "$(run "$WORK/uid-bin2" setpriv --reuid "$((U + 1))" --regid "$U" --clear-groups)" 0

wait_until 10 journal_has EXEC_FILE="$WORK/uid-bin2" || fail "no entry of the last exec"
e=$(entry "$pre-a")
expect a_msgid "$(jqv "$e" .MESSAGE_ID)" $KILLED_ID
expect a_action "$(jqv "$e" .EXEC_ACTION)" killed
expect a_rule "$(jqv "$e" .POLICY_RULE)" "kill-prefix-$MARK"
expect a_tags "$(jqv "$e" .POLICY_TAGS)" "drift,$MARK"
expect a_prio "$(jqv "$e" .PRIORITY)" 2
expect a_exe "$(jqv "$e" .EXEC_EXE)" "$pre-a"
expect a_argv "$(jqv "$e" .EXEC_ARGV)" "$pre-a $WORK/m/kill-me-$MARK-a.marker"
expect a_message "$(jqv "$e" .MESSAGE | grep -c "was killed at the exec of $pre-a")" 1
e=$(wait_json view ".EXEC_FILE == \"$pre-a\"")
expect view_action "$(jqv "$e" .EXEC_ACTION)" killed
wait_until 10 grep -q "kill-me-$MARK-a " "$WORK/view.table" || fail "no table row of the killed exec"
expect view_table "$(grep "kill-me-$MARK-a " "$WORK/view.table" | grep -c " KILLED ")" 1
e=$(wait_json view ".EXEC_FILE == \"/tmp/kill-not-$MARK\"")
expect view_other "$(jqv "$e" '.EXEC_ACTION // "none"')" none
e=$(entry "/tmp/kill-not-$MARK")
expect other_action "$(jqv "$e" '.EXEC_ACTION // "none"')" none
e=$(entry "$pre-allowed")
expect allowed_rule "$(jqv "$e" .POLICY_RULE)" "allow-$MARK"
expect allowed_action "$(jqv "$e" '.EXEC_ACTION // "none"')" none
e=$(entry "$pre-protected")
expect protected_action "$(jqv "$e" .EXEC_ACTION)" protected
e=$(entry "$pre-pid1")
expect pid1_action "$(jqv "$e" .EXEC_ACTION)" killed
e=$(entry "$WORK/uid-bin")
expect uid_rule "$(jqv "$e" .POLICY_RULE)" "kill-uid-$MARK"
expect uid_action "$(jqv "$e" .EXEC_ACTION)" killed
e=$(entry "$WORK/uid-bin2")
expect uid_other_action "$(jqv "$e" '.EXEC_ACTION // "none"')" none

# Dry run: the program runs, the entry says what enforcing would do.
n=$(reloads)
config false
kill -HUP "$PID_d"
wait_until 10 more_reloads "$n" || fail "no reload entry"
expect dry_status "$(run "$pre-b")" 0
expect dry_marker "$(made "$pre-b")" yes
wait_until 10 journal_has EXEC_FILE="$pre-b" || fail "no entry of the dry run"
e=$(entry "$pre-b")
expect dry_msgid "$(jqv "$e" .MESSAGE_ID)" $WOULD_ID
expect dry_action "$(jqv "$e" .EXEC_ACTION)" would-kill
expect dry_rule "$(jqv "$e" .POLICY_RULE)" "kill-prefix-$MARK"
stop_daemon d

# Tracing one uid only: the kill rules still judge every uid's execs, and
# what they kill is recorded; the other execs of unfollowed uids are not.
config true "uid: $((U + 1))"
start_daemon d2 "$conf"
expect filtered_killed_status "$(run "$pre-c")" 137
expect filtered_killed_marker "$(made "$pre-c")" no
expect filtered_other_status "$(run "/tmp/kill-not2-$MARK")" 0
expect followed_status "$(run "$WORK/uid-bin3" setpriv --reuid "$((U + 1))" --regid "$U" --clear-groups)" 0
wait_until 10 journal_has EXEC_FILE="$WORK/uid-bin3" || fail "no entry of the followed uid's exec"
wait_until 10 journal_has EXEC_FILE="$pre-c" || fail "no entry of the kill of an unfollowed uid's exec"
e=$(entry "$pre-c")
expect filtered_action "$(jqv "$e" .EXEC_ACTION)" killed
expect filtered_uid "$(jqv "$e" .EXEC_UID)" 0
expect filtered_other_entries "$(journal_json EXEC_FILE="/tmp/kill-not2-$MARK" | wc -l)" 0
stop_daemon d2
pass
