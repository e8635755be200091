#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# trace-exec-failed.sh: a failed exec (ENOENT) with and without --ignore-failed.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq
ensure_tracefs

start_trace_exec failed --ignore-failed=false
start_trace_exec default
cd "$WORK"

# The shell's own exec fails: pid, comm and arguments are the caller's.
sh -c 'echo $$ > pid; exec /nonexistent/'"$MARK"' "$0" x' "$MARK-arg" 2>/dev/null
pid=$(cat pid)
ev=$(wait_json failed ".EXEC_ARG[0] == \"/nonexistent/$MARK\"")
expect error "$(field "$ev" EXEC_ERROR)" ENOENT
expect errno "$(field "$ev" ERRNO)" 2
expect pid "$(field "$ev" EXEC_PID)" "$pid"
expect tid "$(field "$ev" EXEC_TID)" "$pid"
expect comm "$(field "$ev" EXEC_COMM)" sh
expect ppid "$(field "$ev" EXEC_PPID)" "$$"
expect args "$(field "$ev" 'EXEC_ARG|@json')" "[\"/nonexistent/$MARK\",\"$MARK-arg\",\"x\"]"
expect argc "$(field "$ev" EXEC_ARGC)" 3
expect truncated "$(field "$ev" EXEC_ARGS_TRUNCATED)" 0
expect file "$(field "$ev" EXEC_FILE)" "/nonexistent/$MARK"
expect exe "$(field "$ev" EXEC_EXE)" "$(readlink -f /bin/sh)"
expect cwd "$(field "$ev" EXEC_CWD)" "$(pwd -P)"
expect file_upper "$(jqv "$ev" 'has("EXEC_FILE_UPPER_LAYER")')" false

# A relative name is shown joined to the working directory.
sh -c 'exec ./missing-'"$MARK" 2>/dev/null
ev=$(wait_json failed ".EXEC_ARG[0] == \"./missing-$MARK\"")
expect rel_file "$(field "$ev" EXEC_FILE)" "$(pwd -P)/missing-$MARK"

# A file that is not executable: EACCES.
touch "noexec-$MARK"
sh -c 'exec ./noexec-'"$MARK" 2>/dev/null
ev=$(wait_json failed ".EXEC_ARG[0] == \"./noexec-$MARK\"")
expect eacces "$(field "$ev" EXEC_ERROR)" EACCES
expect eacces_errno "$(field "$ev" ERRNO)" 13

# By default failed execs are not shown: a later successful exec is, the failed one is not.
/bin/echo "$MARK-sentinel" >/dev/null
wait_json default ".EXEC_ARG[1] == \"$MARK-sentinel\"" >/dev/null
expect hidden "$(json_find default 'has("EXEC_ERROR")' | wc -l)" 0
expect shown_success "$(json_find failed ".EXEC_ARG[1] == \"$MARK-sentinel\"" | wc -l)" 1

stop_trace_exec failed
stop_trace_exec default
pass
