#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# trace-execd-journal.sh: journal entries with exact fields, policy effects, reload, capabilities, SIGTERM.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl python3
ensure_tracefs
start_journald

conf="$WORK/trace-execd.yaml"
policy() {	# policy PRIORITY_OF_MARKED_RULE
	write_config "$conf" "settings:
  ignore_failed: false
rules:
  - name: marked
    match:
      args: '*$MARK-crit*'
    priority: $1
    tags: [t1, T1059]
  - name: dropped
    match:
      args: '*$MARK-drop*'
    action: drop
  - name: everything
    match: {}
    priority: info"
}
policy crit
start_daemon d "$conf"
pid_d=$PID_d
cd "$WORK"

# 1. A plain exec with odd bytes in its arguments.
python3 - "$MARK" <<'PY'
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(b"/bin/true", [b"/bin/true", sys.argv[1].encode() + b"-plain", b"two words", b"new\nline", b"\xff\xfe", b""])
os.waitpid(pid, 0)
open("plain.pid", "w").write(str(pid))
PY
pid=$(cat plain.pid)
wait_until 10 journal_has MESSAGE_ID=dae8ea1ec2964a42af0f34673ef7d561 EXEC_ARG="$MARK-plain" ||
	fail "no journal entry for pid $pid"
ev=$(journal_json MESSAGE_ID=dae8ea1ec2964a42af0f34673ef7d561 EXEC_ARG="$MARK-plain")
expect entries "$(printf '%s\n' "$ev" | wc -l)" 1
expect pid "$(field "$ev" EXEC_PID)" "$pid"
# journald keeps repeated fields unordered and de-duplicated: compare as a
# set; EXEC_ARGV holds them in order, exactly (unescaped below).
expect arg_set "$(jqv "$ev" '[.EXEC_ARG[]|tojson]|sort|join(" ")')" \
	"$(printf '%s' "[\"/bin/true\",\"$MARK-plain\",\"two words\",\"new\\nline\",[255,254],\"\"]" | jq -r '[.[]|tojson]|sort|join(" ")')"
expect argv_exact "$(field "$ev" EXEC_ARGV | "$top_srcdir/tests/unescape-argv.py")" \
	"$(printf '%s\0' /bin/true "$MARK-plain" "two words" "new
line" "$(printf '\xff\xfe')" "" | od -An -tx1 | tr -d ' \n')"
expect argc "$(field "$ev" EXEC_ARGC)" 6
expect argv "$(field "$ev" EXEC_ARGV)" "/bin/true $MARK-plain \"two words\" \"new\\nline\" \"\\xff\\xfe\" \"\""
expect comm "$(field "$ev" EXEC_COMM)" true
expect tid "$(field "$ev" EXEC_TID)" "$pid"
expect priority "$(field "$ev" PRIORITY)" 6
expect ident "$(field "$ev" SYSLOG_IDENTIFIER)" trace-execd
expect facility "$(field "$ev" SYSLOG_FACILITY)" 10
expect rule "$(field "$ev" POLICY_RULE)" everything
expect tags "$(field "$ev" POLICY_TAGS)" ""
expect user "$(field "$ev" EXEC_USER)" root
expect exe "$(field "$ev" EXEC_EXE)" /usr/bin/true
expect upper "$(field "$ev" EXEC_UPPER_LAYER)" 0
expect message "$(field "$ev" MESSAGE)" "root ran /usr/bin/true: /bin/true $MARK-plain \"two words\" \"new\\nline\" \"\\xff\\xfe\" \"\" [pid $pid, parent python3[$(field "$ev" EXEC_PPID)], cwd $(pwd -P), rule everything]"

# 2. A failed exec.
sh -c 'echo $$ > failed.pid; exec /nonexistent/'"$MARK"' a' 2>/dev/null
pid=$(cat failed.pid)
wait_until 10 journal_has MESSAGE_ID=7709a7d283f54539a0009d14812ca56f EXEC_ARG="/nonexistent/$MARK" ||
	fail "no failed-exec entry for pid $pid"
ev=$(journal_json MESSAGE_ID=7709a7d283f54539a0009d14812ca56f EXEC_ARG="/nonexistent/$MARK")
expect f_entries "$(printf '%s\n' "$ev" | wc -l)" 1
expect f_pid "$(field "$ev" EXEC_PID)" "$pid"
expect f_error "$(field "$ev" EXEC_ERROR)" ENOENT
expect f_errno "$(field "$ev" ERRNO)" 2
expect f_args "$(jqv "$ev" '.EXEC_ARG|sort|@json')" "[\"/nonexistent/$MARK\",\"a\"]"
expect f_argv "$(field "$ev" EXEC_ARGV)" "/nonexistent/$MARK a"
expect f_file "$(field "$ev" EXEC_FILE)" "/nonexistent/$MARK"

# 3. A rule's priority and tags; a drop rule writes nothing.
/bin/echo "$MARK-crit" >/dev/null
/bin/echo "$MARK-drop" >/dev/null
/bin/echo "$MARK-sentinel" >/dev/null
wait_until 10 journal_has EXEC_ARG="$MARK-sentinel" || fail "sentinel not in the journal"
ev=$(journal_json EXEC_ARG="$MARK-crit" | grep -v '"EXEC_COMM":"jq"' | head -1)
expect crit_priority "$(field "$ev" PRIORITY)" 2
expect crit_rule "$(field "$ev" POLICY_RULE)" marked
expect crit_tags "$(field "$ev" POLICY_TAGS)" "t1,T1059"
expect dropped "$(journal_json EXEC_ARG="$MARK-drop" EXEC_COMM=echo | wc -l)" 0

# 4. The running daemon holds no capability at all.
st=/proc/$pid_d/status
# but CAP_SYS_PTRACE (bit 19), for /proc/PID/exe of EXEC_SHA256
expect capeff "$(awk '/^CapEff:/ {print $2}' $st)" 0000000000080000
expect capprm "$(awk '/^CapPrm:/ {print $2}' $st)" 0000000000080000
expect capbnd "$(awk '/^CapBnd:/ {print $2}' $st)" 0000000000080000
expect capamb "$(awk '/^CapAmb:/ {print $2}' $st)" 0000000000000000
expect nonewprivs "$(awk '/^NoNewPrivs:/ {print $2}' $st)" 1

# 5. SIGHUP with a changed policy takes effect.
loaded() { journal_json MESSAGE_ID=cdf5c2b062a34ebc99399a391ddd2130 CONFIG_FILE="$conf" | wc -l; }
more_loaded() { [ "$(loaded)" -gt "$before" ]; }
before=$(loaded)
policy alert
kill -HUP "$pid_d"
wait_until 10 more_loaded || fail "no configuration-loaded entry after SIGHUP"
/bin/echo "$MARK-crit-2" >/dev/null
wait_until 10 journal_has EXEC_ARG="$MARK-crit-2" EXEC_COMM=echo || fail "no entry after reload"
expect reload_priority "$(field "$(journal_json EXEC_ARG="$MARK-crit-2" EXEC_COMM=echo)" PRIORITY)" 1

# 6. SIGHUP with a broken policy is rejected; the old policy keeps working.
write_config "$conf" "rules:
  - name: broken
    priority: hgih
    match: {comn: x}"
kill -HUP "$pid_d"
wait_until 10 journal_has MESSAGE_ID=e52fd5c884ef43f88d7b255d1cfcec89 CONFIG_FILE="$conf" ||
	fail "no configuration-rejected entry"
ev=$(journal_json MESSAGE_ID=e52fd5c884ef43f88d7b255d1cfcec89 CONFIG_FILE="$conf" | tail -1)
errs=$(jqv "$ev" '[.CONFIG_ERROR]|flatten|join("|")')
case "$errs" in *"$conf:3:15: "*"hgih"*) CHECKS=$((CHECKS + 1)) ;; *) fail "rejection errors: $errs" ;; esac
case "$errs" in *"$conf:4:13: "*"comn"*) CHECKS=$((CHECKS + 1)) ;; *) fail "rejection errors: $errs" ;; esac
/bin/echo "$MARK-crit-3" >/dev/null
wait_until 10 journal_has EXEC_ARG="$MARK-crit-3" EXEC_COMM=echo || fail "no entry after a rejected reload"
expect old_policy "$(field "$(journal_json EXEC_ARG="$MARK-crit-3" EXEC_COMM=echo)" PRIORITY)" 1
kill -0 "$pid_d" || fail "daemon died on a bad reload"

# 7. SIGTERM: exit status 0.
stop_daemon d
pass
