#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile-args.sh: the largest argument lists execve accepts (many tiny arguments, one huge one): exact counts, truncation flags, no crash.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl python3
ensure_tracefs
need_hostile_exec
start_journald

# The bisection below runs as another uid: the tracers, kept to uid 0,
# see only the final runs (which run as root).
U=$(free_uid 64811)
start_trace_exec def --uid 0
start_trace_exec big --uid 0 --max-args-bytes 1048576
conf="$WORK/trace-execd.yaml"
write_config "$conf" "settings:
  uid: 0
  max_args_bytes: 1048576
rules:
  - name: everything
    match: {}"
start_daemon d "$conf"
cd "$WORK"

# The kernel's limit, found by bisection (the helper checks that one more
# argument or byte is refused); the last run is told apart by argv[1].
argc=$("$HX" argmax tiny "$MARK" /bin/true "$U" | sed -n 's/^argc //p')
[ -n "$argc" ] || fail "argmax tiny failed"
arglen=$("$HX" argmax huge "$MARK" /bin/true "$U" | sed -n 's/^arglen //p')
[ -n "$arglen" ] || fail "argmax huge failed"
CHECKS=$((CHECKS + 1))
[ "$argc" -gt 100000 ] || fail "only $argc arguments accepted"
expect max_arg_strlen "$arglen" 131071	# MAX_ARG_STRLEN - 1
echo "kernel limits: $argc tiny arguments, one argument of $arglen bytes"

# Many tiny arguments: /bin/true MARK-tiny "" "" ...; 32 KiB keep a prefix.
ev=$(wait_json def ".EXEC_ARG[1] == \"$MARK-tiny\"" 30)
expect def_tiny_argc "$(field "$ev" EXEC_ARGC)" "$argc"
expect def_tiny_trunc "$(field "$ev" EXEC_ARGS_TRUNCATED)" 1
kept=$((32768 - 10 - ${#MARK} - 6 + 2))	# every "" is one byte
expect def_tiny_kept "$(field "$ev" 'EXEC_ARG|length')" "$kept"
expect def_tiny_empty "$(jqv "$ev" '[.EXEC_ARG[2:][]|select(. != "")]|length')" 0
expect def_tiny_head "$(jqv "$ev" '.EXEC_ARG[0:2]|@json')" "[\"/bin/true\",\"$MARK-tiny\"]"
# With a 1 MiB limit the whole list fits.
ev=$(wait_json big ".EXEC_ARG[1] == \"$MARK-tiny\"" 30)
expect big_tiny_argc "$(field "$ev" EXEC_ARGC)" "$argc"
expect big_tiny_trunc "$(field "$ev" EXEC_ARGS_TRUNCATED)" 0
expect big_tiny_kept "$(field "$ev" 'EXEC_ARG|length')" "$argc"

# One huge argument.
ev=$(wait_json def ".EXEC_ARG[1] == \"$MARK-huge\"" 30)
expect def_huge_argc "$(field "$ev" EXEC_ARGC)" 3
expect def_huge_trunc "$(field "$ev" EXEC_ARGS_TRUNCATED)" 1
expect def_huge_len "$(field "$ev" 'EXEC_ARG[2]|length')" $((32768 - 10 - ${#MARK} - 6))
expect def_huge_bytes "$(field "$ev" 'EXEC_ARG[2]|test("^h+$")')" true
ev=$(wait_json big ".EXEC_ARG[1] == \"$MARK-huge\"" 30)
expect big_huge_argc "$(field "$ev" EXEC_ARGC)" 3
expect big_huge_trunc "$(field "$ev" EXEC_ARGS_TRUNCATED)" 0
expect big_huge_len "$(field "$ev" 'EXEC_ARG[2]|length')" "$arglen"

# The journal: at most 768 EXEC_ARG fields (EXEC_ARG_OMITTED counts the
# rest) so that journald keeps the entry; EXEC_ARGV holds every argument.
wait_until 30 journal_has EXEC_ARG="$MARK-tiny" || fail "no journal entry for the tiny arguments"
journal_json --all EXEC_ARG="$MARK-tiny" > tiny.journal
expect j_tiny_entries "$(wc -l < tiny.journal)" 1
ev=$(cat tiny.journal)
expect j_tiny_argc "$(field "$ev" EXEC_ARGC)" "$argc"
expect j_tiny_trunc "$(field "$ev" EXEC_ARGS_TRUNCATED)" 0
expect j_tiny_omitted "$(field "$ev" EXEC_ARG_OMITTED)" $((argc - 768))
expect j_tiny_set "$(jqv "$ev" '[.EXEC_ARG[]]|unique|@json')" "[\"\",\"/bin/true\",\"$MARK-tiny\"]"
want=$(python3 -c 'import sys; n = int(sys.argv[1]); print(("00" * (n - 2)) + "", end="")' "$argc")
got=$(field "$ev" EXEC_ARGV | python3 "$top_srcdir/tests/unescape-argv.py")
expect j_tiny_argv "$got" "$(printf '%s\0%s\0' /bin/true "$MARK-tiny" | od -An -tx1 | tr -d ' \n')$want"
wait_until 30 journal_has EXEC_ARG="$MARK-huge" || fail "no journal entry for the huge argument"
ev=$(journal_json --all EXEC_ARG="$MARK-huge")
expect j_huge_argc "$(field "$ev" EXEC_ARGC)" 3
expect j_huge_trunc "$(field "$ev" EXEC_ARGS_TRUNCATED)" 0
expect j_huge_arg "$(jqv "$ev" '[.EXEC_ARG[]|select(test("^h+$"))|length]|@json')" "[$arglen]"
expect j_huge_argv "$(field "$ev" EXEC_ARGV | wc -c)" $((10 + ${#MARK} + 6 + arglen + 1))

# Nothing crashed; every JSON line is whole.
kill -0 "$PID_d" || fail "trace-execd died"
stop_trace_exec def
stop_trace_exec big
stop_daemon d
for n in def big; do
	expect "${n}_lines" "$(jq -c . "$WORK/$n.json" | wc -l)" "$(wc -l < "$WORK/$n.json")"
done
pass
