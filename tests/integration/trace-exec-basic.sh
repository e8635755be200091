#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# trace-exec-basic.sh: exact fields of a plain exec, execveat, a script, a thread exec, uid filter, login uid.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq setpriv
ensure_tracefs

start_trace_exec all
start_trace_exec nobody --uid 65534
cd "$WORK"
t0=$(date +%s%6N)

# 1. A plain exec with a known pid, parent and arguments.
sh -c 'echo $$ > pid; exec /bin/echo "$0" "two words"' "$MARK-plain" >/dev/null
pid=$(cat pid)
ev=$(wait_json all ".EXEC_ARG[1] == \"$MARK-plain\"")
t1=$(date +%s%6N)
expect comm "$(field "$ev" EXEC_COMM)" echo
expect pid "$(field "$ev" EXEC_PID)" "$pid"
expect tid "$(field "$ev" EXEC_TID)" "$pid"
expect ppid "$(field "$ev" EXEC_PPID)" "$$"
expect pcomm "$(field "$ev" EXEC_PCOMM)" "$(cat /proc/$$/comm)"
expect args "$(field "$ev" 'EXEC_ARG|@json')" "[\"/bin/echo\",\"$MARK-plain\",\"two words\"]"
expect argv "$(field "$ev" EXEC_ARGV)" "/bin/echo $MARK-plain \"two words\""
expect argc "$(field "$ev" EXEC_ARGC)" 3
expect truncated "$(field "$ev" EXEC_ARGS_TRUNCATED)" 0
expect uid "$(field "$ev" EXEC_UID)" 0
expect user "$(field "$ev" EXEC_USER)" root
expect gid "$(field "$ev" EXEC_GID)" 0
expect group "$(field "$ev" EXEC_GROUP)" root
loginuid=$(cat /proc/self/loginuid)
expect loginuid "$(field "$ev" EXEC_LOGINUID)" "$loginuid"
if [ "$loginuid" = 4294967295 ]; then lu="uid:4294967295"; else lu=$(id -nu "$loginuid" 2>/dev/null || echo "uid:$loginuid"); fi
expect loginuser "$(field "$ev" EXEC_LOGINUSER)" "$lu"
expect sessionid "$(field "$ev" EXEC_SESSIONID)" "$(cat /proc/self/sessionid)"
tty=$(ps -o tty= -p $$ | tr -d ' '); [ "$tty" = "?" ] && tty=""
expect tty "$(field "$ev" EXEC_TTY)" "$tty"
expect error "$(jqv "$ev" 'has("EXEC_ERROR")')" false
expect cwd "$(field "$ev" EXEC_CWD)" "$(pwd -P)"
expect file "$(field "$ev" EXEC_FILE)" "$(readlink -f /bin/echo)"
expect exe "$(field "$ev" EXEC_EXE)" "$(readlink -f /bin/echo)"
expect parent_exe "$(field "$ev" EXEC_PARENT_EXE)" "$(readlink /proc/$$/exe)"
expect upper "$(field "$ev" EXEC_UPPER_LAYER)" 0
expect parent_upper "$(field "$ev" EXEC_PARENT_UPPER_LAYER)" 0
expect file_upper "$(field "$ev" EXEC_FILE_UPPER_LAYER)" 0
expect mntns "$(field "$ev" EXEC_MNTNS)" "$(stat -L -c %i /proc/self/ns/mnt)"
expect cgroup "$(field "$ev" EXEC_CGROUP)" "$(sed -n 's/^0:://p' /proc/self/cgroup)"
ts=$(field "$ev" EXEC_TIMESTAMP_USEC)
CHECKS=$((CHECKS + 1))
[ "$ts" -ge "$t0" ] && [ "$ts" -le "$t1" ] || fail "timestamp $ts not within [$t0, $t1]"
expect count "$(json_find all ".EXEC_ARG[1] == \"$MARK-plain\"" | wc -l)" 1

# 2. execveat with a directory fd and a relative name.
"$HELPERS/execveat-run" dir /usr/bin true true "$MARK-at"
ev=$(wait_json all ".EXEC_ARG[1] == \"$MARK-at\"")
expect at_comm "$(field "$ev" EXEC_COMM)" true
expect at_file "$(field "$ev" EXEC_FILE)" /usr/bin/true
expect at_args "$(field "$ev" 'EXEC_ARG|@json')" "[\"true\",\"$MARK-at\"]"

# 3. A script with a shebang: FILE is the script, EXE the interpreter.
printf '#!/bin/sh\nexit 0\n' > "$WORK/script.sh"
chmod +x "$WORK/script.sh"
./script.sh "$MARK-script"
ev=$(wait_json all ".EXEC_ARG[2] == \"$MARK-script\"")
expect script_comm "$(field "$ev" EXEC_COMM)" script.sh
expect script_file "$(field "$ev" EXEC_FILE)" "$(pwd -P)/script.sh"
expect script_exe "$(field "$ev" EXEC_EXE)" "$(readlink -f /bin/sh)"
expect script_args "$(field "$ev" 'EXEC_ARG|@json')" "[\"/bin/sh\",\"./script.sh\",\"$MARK-script\"]"
expect script_argc "$(field "$ev" EXEC_ARGC)" 3

# 4. An exec from a secondary thread: reported once, as the thread group leader.
read -r tpid ttid < <("$HELPERS/exec-thread" /bin/echo "$MARK-thread")
ev=$(wait_json all ".EXEC_ARG[1] == \"$MARK-thread\"")
CHECKS=$((CHECKS + 1)); [ "$tpid" != "$ttid" ] || fail "helper exec'ed from the leader"
expect thread_pid "$(field "$ev" EXEC_PID)" "$tpid"
expect thread_tid "$(field "$ev" EXEC_TID)" "$tpid"
expect thread_comm "$(field "$ev" EXEC_COMM)" echo

# 5. A login uid set by a child through /proc/self/loginuid.
"$HELPERS/set-loginuid" 1 /bin/echo "$MARK-login" >/dev/null
ev=$(wait_json all ".EXEC_ARG[1] == \"$MARK-login\"")
expect login_uid "$(field "$ev" EXEC_LOGINUID)" 1
expect login_user "$(field "$ev" EXEC_LOGINUSER)" "$(id -nu 1)"

# 6. The uid filter: only uid 65534 reaches the filtered tracer.
setpriv --reuid 65534 --regid 65534 --clear-groups /bin/echo "$MARK-nobody" >/dev/null
/bin/echo "$MARK-root" >/dev/null
setpriv --reuid 65534 --regid 65534 --clear-groups /bin/echo "$MARK-end" >/dev/null
ev=$(wait_json nobody ".EXEC_ARG[1] == \"$MARK-end\"")
ev=$(wait_json nobody ".EXEC_ARG[1] == \"$MARK-nobody\"")
expect nobody_uid "$(field "$ev" EXEC_UID)" 65534
expect nobody_user "$(field "$ev" EXEC_USER)" "$(id -nu 65534)"
expect filtered "$(json_find nobody ".EXEC_UID != 65534" | wc -l)" 0
wait_json all ".EXEC_ARG[1] == \"$MARK-root\"" >/dev/null

stop_trace_exec all
stop_trace_exec nobody
pass
