#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile-privilege.sh: no capability once running, configuration files others could write are refused (check, start-up, reload), and no file-system write at all.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl strace
ensure_tracefs
start_journald

U=$(free_uid 64761)
conf="$WORK/trace-execd.yaml"
good="rules:
  - name: everything
    match: {}"

# refused FILE MESSAGE: --check-config and start-up both refuse the
# configuration, saying why, and start nothing.
refused() {
	local out rc
	out=$("$TRACE_EXECD" --check-config --config "$conf" 2>&1)
	rc=$?
	expect "check_rc ($2)" "$rc" 1
	case "$out" in *"$1"*) CHECKS=$((CHECKS + 1)) ;; *) fail "--check-config said: $out" ;; esac
	out=$(timeout 20 "$TRACE_EXECD" --foreground --config "$conf" 2>&1)
	rc=$?
	CHECKS=$((CHECKS + 1))
	[ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "start-up with $2 exited $rc"
	case "$out" in *"$1"*"configuration not loaded"*) CHECKS=$((CHECKS + 1)) ;; *) fail "start-up said: $out" ;; esac
	case "$out" in *"tracing execs"*) fail "started tracing with $2" ;; esac
}

# 1. Owned by another user.
write_config "$conf" "$good"
chown "$U" "$conf"
refused "'$conf': owned by uid $U, not by root or uid 0, refusing" "a file owned by uid $U"
chown 0 "$conf"
# 2. Group- or world-writable.
chmod 0664 "$conf"
refused "'$conf': group/world-writable (mode 0664), refusing" "mode 0664"
chmod 0646 "$conf"
refused "'$conf': group/world-writable (mode 0646), refusing" "mode 0646"
chmod 0644 "$conf"
# 3. A drop-in that others could have written.
mkdir -p "$WORK/rules.d"
write_config "$WORK/rules.d/10-x.yaml" "$good"
chmod 0666 "$WORK/rules.d/10-x.yaml"
refused "'$WORK/rules.d/10-x.yaml': group/world-writable (mode 0666), refusing" "a writable drop-in"
rm "$WORK/rules.d/10-x.yaml"
out=$("$TRACE_EXECD" --check-config --config "$conf" 2>&1) || fail "good configuration refused: $out"

# 4. The running daemon, under strace from start to stop: no capability
# left, and not one call that could write to the file system (outside a
# runtime directory of its own, which it does not need today).
# LeakSanitizer cannot run under ptrace: a sanitizer build skips it here.
JOURNAL_SINCE=$(journal_now)
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -qq -o "$WORK/strace.txt" -e trace=%file,memfd_create \
	"$TRACE_EXECD" --foreground --config "$conf" >"$WORK/d.out" 2>"$WORK/d.err" &
PID_d=$!
BG_PIDS+=("$PID_d")
wait_until 20 grep -q "tracing execs" "$WORK/d.err" || { cat "$WORK/d.err" >&2; fail "trace-execd did not start under strace"; }
dpid=$(pgrep -P "$PID_d" -x trace-execd)
[ -n "$dpid" ] || fail "no trace-execd under strace"
st=/proc/$dpid/status
# but CAP_SYS_PTRACE (bit 19), for /proc/PID/exe of EXEC_SHA256
expect capeff "$(awk '/^CapEff:/ {print $2}' "$st")" 0000000000080000
expect capprm "$(awk '/^CapPrm:/ {print $2}' "$st")" 0000000000080000
expect capinh "$(awk '/^CapInh:/ {print $2}' "$st")" 0000000000000000
expect capbnd "$(awk '/^CapBnd:/ {print $2}' "$st")" 0000000000080000
expect capamb "$(awk '/^CapAmb:/ {print $2}' "$st")" 0000000000000000
expect nonewprivs "$(awk '/^NoNewPrivs:/ {print $2}' "$st")" 1
/bin/true "$MARK-ran"
JOURNAL_PID=$dpid
wait_until 10 journal_has EXEC_ARG="$MARK-ran" || fail "no entry from the traced daemon"
# A reload of a file that became world-writable is refused; the old policy stays.
chmod 0666 "$conf"
kill -HUP "$dpid"
wait_until 10 journal_has MESSAGE_ID=e52fd5c884ef43f88d7b255d1cfcec89 || fail "no configuration-rejected entry"
errs=$(journal_json MESSAGE_ID=e52fd5c884ef43f88d7b255d1cfcec89 | jq -r '[.CONFIG_ERROR] | flatten | join("|")')
expect reload_refused "$errs" "'$conf': group/world-writable (mode 0666), refusing"
chmod 0644 "$conf"
/bin/true "$MARK-after"
wait_until 10 journal_has EXEC_ARG="$MARK-after" || fail "no entry after the refused reload"
kill -HUP "$dpid"
wait_until 10 journal_has MESSAGE_ID=cdf5c2b062a34ebc99399a391ddd2130 CONFIG_FILE="$conf" || fail "no reload"
kill -TERM "$dpid"
wait "$PID_d" || fail "trace-execd under strace exited with $?"

# Calls that create, change or remove files, or open them for writing.
writes=$(grep -E '^[0-9]+ +(open|openat|openat2|creat|mkdir|mkdirat|unlink|unlinkat|rmdir|rename|renameat|renameat2|link|linkat|symlink|symlinkat|truncate|chmod|fchmodat|fchmodat2|chown|lchown|fchownat|mknod|mknodat|utime|utimes|utimensat|futimesat|setxattr|lsetxattr|removexattr|lremovexattr|mount|umount2|acct|swapon|quotactl)\(' "$WORK/strace.txt" |
	grep -vE '^[0-9]+ +(open|openat|openat2)\(' |
	grep -vE "\"(/run|/var/run|${localstatedir:-/var}/lib)/trace-execd[/\"]" |
	grep -vE '^[0-9]+ +mkdir\(.* = -1 EEXIST' ;	# the sanitizers' log_path
	grep -E '^[0-9]+ +(open|openat|openat2|creat)\(' "$WORK/strace.txt" |
	grep -E 'O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND|^[0-9]+ +creat\(' |
	grep -vE "\"(/run|/var/run)/trace-execd/|\"${localstatedir:-/var}/lib/trace-execd/first-seen\"|\"/dev/null\"")
[ -z "$writes" ] || fail "writes outside the runtime directory and the first-seen store: $writes"
CHECKS=$((CHECKS + 1))
expect opened_files "$(grep -cE '^[0-9]+ +(open|openat|openat2)\(' "$WORK/strace.txt" | awk '{print ($1 > 0)}')" 1
pass
