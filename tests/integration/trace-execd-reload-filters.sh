#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# trace-execd-reload-filters.sh: SIGHUP pushes the kernel-side filters (uid, ignore_failed) into the BPF program.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl setpriv
ensure_tracefs
start_journald

conf="$WORK/trace-execd.yaml"
config() {	# config UID IGNORE_FAILED
	write_config "$conf" "settings:
  uid: $1
  ignore_failed: $2
rules:
  - name: everything
    match: {}"
}
reloads() { journal_json MESSAGE_ID=cdf5c2b062a34ebc99399a391ddd2130 CONFIG_FILE="$conf" _PID="$PID_d" | wc -l; }
reload() {	# reload UID IGNORE_FAILED: SIGHUP and wait for the loaded entry
	local n
	n=$(reloads)
	config "$1" "$2"
	kill -HUP "$PID_d"
	wait_until 10 test_more "$n" || fail "no reload entry"
}
test_more() { [ "$(reloads)" -gt "$1" ]; }
as() { setpriv --reuid "$1" --regid "$1" --clear-groups "${@:2}"; }

config 4243 true
start_daemon d "$conf"
as 4243 /bin/echo "$MARK-1" >/dev/null
as 4244 /bin/echo "$MARK-2" >/dev/null
as 4243 sh -c "exec /nonexistent-$MARK-3" 2>/dev/null
as 4243 /bin/echo "$MARK-s1" >/dev/null
wait_until 10 journal_has EXEC_ARG="$MARK-s1" || fail "sentinel 1 missing"
expect uid_4243 "$(journal_json EXEC_ARG="$MARK-1" EXEC_COMM=echo | wc -l)" 1
expect uid_4244 "$(journal_json EXEC_ARG="$MARK-2" EXEC_COMM=echo | wc -l)" 0
expect failed_ignored "$(journal_json EXEC_ARG="/nonexistent-$MARK-3" | wc -l)" 0

reload 4244 false
as 4243 /bin/echo "$MARK-4" >/dev/null
as 4244 /bin/echo "$MARK-5" >/dev/null
as 4244 sh -c "exec /nonexistent-$MARK-6" 2>/dev/null
as 4244 /bin/echo "$MARK-s2" >/dev/null
wait_until 10 journal_has EXEC_ARG="$MARK-s2" || fail "sentinel 2 missing"
expect after_4243 "$(journal_json EXEC_ARG="$MARK-4" EXEC_COMM=echo | wc -l)" 0
expect after_4244 "$(journal_json EXEC_ARG="$MARK-5" EXEC_COMM=echo | wc -l)" 1
wait_until 10 journal_has MESSAGE_ID=7709a7d283f54539a0009d14812ca56f EXEC_ARG="/nonexistent-$MARK-6" ||
	fail "failed exec not recorded after ignore_failed: false"
stop_daemon d
pass
