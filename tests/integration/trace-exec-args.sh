#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# trace-exec-args.sh: argument counts, truncation and exact bytes of odd arguments.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq python3
ensure_tracefs

start_trace_exec args --ignore-failed=false
start_trace_exec small --max-args-bytes 1024
cd "$WORK"

# Many short arguments within the default 32 KiB: all kept.
python3 - "$MARK" <<'PY'
import os, sys
os.execv("/bin/true", ["/bin/true", sys.argv[1] + "-many"] + ["a%d" % i for i in range(3000)])
PY
ev=$(wait_json args ".EXEC_ARG[1] == \"$MARK-many\"")
expect many_argc "$(field "$ev" EXEC_ARGC)" 3002
expect many_n "$(field "$ev" 'EXEC_ARG|length')" 3002
expect many_last "$(field "$ev" 'EXEC_ARG[3001]')" a2999
expect many_trunc "$(field "$ev" EXEC_ARGS_TRUNCATED)" 0

# More argument bytes than the limit: the true count, a flag, the kept prefix exact.
python3 - "$MARK" <<'PY'
import os, sys
os.execv("/bin/true", ["/bin/true", sys.argv[1] + "-over"] + ["arg%06d" % i for i in range(10000)])
PY
ev=$(wait_json args ".EXEC_ARG[1] == \"$MARK-over\"")
expect over_argc "$(field "$ev" EXEC_ARGC)" 10002
expect over_trunc "$(field "$ev" EXEC_ARGS_TRUNCATED)" 1
expect over_a2 "$(field "$ev" 'EXEC_ARG[2]')" arg000000
n=$(field "$ev" 'EXEC_ARG|length')
CHECKS=$((CHECKS + 1)); [ "$n" -lt 10002 ] && [ "$n" -gt 3000 ] || fail "kept $n arguments"
bytes=$(jqv "$ev" '[.EXEC_ARG[]|length+1]|add')
CHECKS=$((CHECKS + 1)); [ "$bytes" -le 32769 ] && [ "$bytes" -ge 32760 ] || fail "kept $bytes bytes"

# One argument longer than the limit.
python3 - "$MARK" <<'PY'
import os, sys
os.execv("/bin/true", ["/bin/true", sys.argv[1] + "-long", "x" * 100000])
PY
ev=$(wait_json args ".EXEC_ARG[1] == \"$MARK-long\"")
expect long_argc "$(field "$ev" EXEC_ARGC)" 3
expect long_trunc "$(field "$ev" EXEC_ARGS_TRUNCATED)" 1
expect long_prefix "$(field "$ev" 'EXEC_ARG[2]|test("^x+$")')" true

# The limit is a setting.
ev=$(wait_json small ".EXEC_ARG[1] == \"$MARK-over\"")
expect small_trunc "$(field "$ev" EXEC_ARGS_TRUNCATED)" 1
expect small_argc "$(field "$ev" EXEC_ARGC)" 10002
bytes=$(jqv "$ev" '[.EXEC_ARG[]|length+1]|add')
CHECKS=$((CHECKS + 1)); [ "$bytes" -le 1025 ] || fail "kept $bytes bytes with a 1024 limit"

# Special bytes round-trip exactly, on success and on failure.
python3 - "$MARK" <<'PY'
import os, sys
args = [b"/bin/true", sys.argv[1].encode() + b"-odd", b"new\nline", b"tab\there", b"q\"uo'te",
        b"back\\slash", b"", b"\xff\xfeinvalid", b"\x1b[2Jesc", b"caf\xc3\xa9", b"$(rm -rf /);`x`|&>"]
pid = os.fork()
if pid == 0:
    try:
        os.execv(b"/nonexistent-odd", args)
    except OSError:
        os._exit(0)
os.waitpid(pid, 0)
os.execv(b"/bin/true", args)
PY
want='["/bin/true","'"$MARK"'-odd","new\nline","tab\there","q\"uo'"'"'te","back\\slash","",[255,254,105,110,118,97,108,105,100],"\u001b[2Jesc","café","$(rm -rf /);`x`|&>"]'
want=$(printf '%s' "$want" | jq -c .)
ev=$(wait_json args ".EXEC_ARG[1] == \"$MARK-odd\" and (has(\"EXEC_ERROR\")|not)")
expect odd_args "$(field "$ev" 'EXEC_ARG|@json')" "$want"
expect odd_argc "$(field "$ev" EXEC_ARGC)" 11
expect odd_argv "$(field "$ev" EXEC_ARGV)" '/bin/true '"$MARK"'-odd "new\nline" "tab\there" "q\"uo'"'"'te" "back\\slash" "" "\xff\xfeinvalid" "\e[2Jesc" café "$(rm -rf /);`x`|&>"'
ev=$(wait_json args ".EXEC_ARG[1] == \"$MARK-odd\" and has(\"EXEC_ERROR\")")
expect odd_failed_args "$(field "$ev" 'EXEC_ARG|@json')" "$want"
expect odd_failed_argc "$(field "$ev" EXEC_ARGC)" 11
expect odd_events "$(json_find args ".EXEC_ARG[1] == \"$MARK-odd\"" | wc -l)" 2

# C1 and bidi controls (U+202E RLO, U+0085 NEL) are written as \uXXXX in
# the JSON itself, never raw: a viewer shows the line as it is.
python3 - "$MARK" <<'PY'
import os, sys
os.execv("/bin/true", ["/bin/true", sys.argv[1] + "-bidi", "a\u202eb\u0085c"])
PY
ev=$(wait_json args ".EXEC_ARG[1] == \"$MARK-bidi\"")
expect bidi_arg "$(field "$ev" 'EXEC_ARG[2]|explode|@json')" '[97,8238,98,133,99]'
line=$(grep -a -- "\"$MARK-bidi\"" "$WORK/args.json" | head -1)
expect bidi_raw_rlo "$(printf '%s' "$line" | LC_ALL=C grep -c $'\xe2\x80\xae')" 0
expect bidi_raw_nel "$(printf '%s' "$line" | LC_ALL=C grep -c $'\xc2\x85')" 0
expect bidi_escaped "$(printf '%s' "$line" | grep -o '"a\\u202Eb\\u0085c"' | head -1)" '"a\u202Eb\u0085c"'

stop_trace_exec args
stop_trace_exec small
# Every line is one whole JSON object: no argument broke a line.
expect lines "$(jq -c . "$WORK/args.json" | wc -l)" "$(wc -l < "$WORK/args.json")"
pass
