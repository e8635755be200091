#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# lineage.sh: EXEC_ID / EXEC_PARENT_ID in journald: a shell's children point at it, exec in place keeps the parent, 10000 execs have 10000 ids, and ids are the same after a daemon restart.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl
ensure_tracefs
start_journald
STORM="$top_builddir/bench/exec-storm"
[ -x "$STORM" ] || skip "bench/exec-storm not built"

conf="$WORK/trace-execd.yaml"
write_config "$conf" "settings:
  ringbuf_size: 64M
rules: []"
start_daemon d1 "$conf"
# (COLUMNS: ARGS wide enough for the marks; a value wider than its column
# is cut)
COLUMNS=400 "$TRACE_EXEC" --lineage >"$WORK/table" 2>"$WORK/table.err" &
BG_PIDS+=($!)
wait_until 20 grep -q "tracing execs" "$WORK/table.err" || fail "trace-exec --lineage did not start"
cd "$WORK"

ONE_ENTRY_WAIT=10	# one_entry (tests/lib.sh)

# 1. A shell running three commands: each child's parent id is the shell's id.
sh -c 'echo $$ > sh.pid; /bin/true "$1-a"; /bin/true "$1-b"; /bin/true "$1-c"' sh "$MARK" >/dev/null
shpid=$(cat sh.pid)
one_entry shell EXEC_PID="$shpid" EXEC_COMM=sh
shid=$(field "$ev" EXEC_ID)
[[ $shid =~ ^[0-9a-f]{16}-[0-9]+-$shpid-[0-9]+$ ]] || fail "shell EXEC_ID '$shid' is not BOOT-START-$shpid-N"
expect boot_part "${shid%%-*}" "$(tr -d -- '-\n' </proc/sys/kernel/random/boot_id | cut -c1-16)"
expect shell_not_inferred "$(field "$ev" EXEC_PARENT_ID_INFERRED)" null
[ "$(field "$ev" EXEC_PARENT_ID)" != null ] || fail "the shell has no EXEC_PARENT_ID"
ids=()
for c in a b c; do
	one_entry "child-$c" EXEC_ARG="$MARK-$c"
	expect "child-$c-ppid" "$(field "$ev" EXEC_PPID)" "$shpid"
	expect "child-$c-parent" "$(field "$ev" EXEC_PARENT_ID)" "$shid"
	ids+=("$(field "$ev" EXEC_ID)")
done
expect children_distinct "$(printf '%s\n' "${ids[@]}" "$shid" | sort -u | wc -l)" 4

# The same ids in trace-exec --lineage's last two columns.
row() { awk -v m="$MARK-a" '$0 ~ m { print $(NF-1), $NF; exit }' "$WORK/table"; }
wait_until 10 test -n "$(row)" || fail "no --lineage row for $MARK-a"
expect table_header "$(head -1 "$WORK/table" | awk '{ print $(NF-1), $NF }')" "EXEC_ID PARENT_ID"
expect table_ids "$(row)" "${ids[0]} $shid"

# The chain recipe of trace-execd(8) (EXAMPLES), as the page has it: from
# the third child, its line, then the shell's, then up to an exec the
# journal does not hold (or one with no parent id).
sed -n '/^\.\\" tree-recipe/,/^\.fi/p' "$top_srcdir/man/trace-execd.8" |
	sed -e '1,/^\.RS/d' -e '/^\.RE/,$d' -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" > tree.sh
[ "$(wc -l < tree.sh)" -ge 5 ] || fail "no chain recipe in trace-execd.8"
# Its selection of the daemon's entries in the form for a daemon without
# a unit (this one runs by hand): uid 0 and the daemon's executable.
expect recipe_selection "$(grep -c '^te="_UID=0 _SYSTEMD_UNIT=trace-execd.service"$' tree.sh)" 1
sed -i "s|^te=.*|te=\"_UID=0 _EXE=$(readlink -f "$TRACE_EXECD")\"|" tree.sh
chain=$(JOURNAL_PID= timeout 60 bash tree.sh "${ids[2]}") || fail "the chain recipe failed"
expect chain_first "$(printf '%s\n' "$chain" | sed -n 1p)" "${ids[2]} root /bin/true $MARK-c"
expect chain_second "$(printf '%s\n' "$chain" | sed -n 2p | cut -d' ' -f1-2)" "$shid root"
[ "$(printf '%s\n' "$chain" | wc -l)" -ge 3 ] || fail "the chain stops at the shell: $chain"

# 2. sh -c 'exec /bin/true': two execs of one process, two ids, one parent.
sh -c 'echo $$ > ex.pid; exec /bin/true "$1-exec"' sh "$MARK"
expid=$(cat ex.pid)
one_entry ex-sh EXEC_PID="$expid" EXEC_COMM=sh
id1=$(field "$ev" EXEC_ID) parent1=$(field "$ev" EXEC_PARENT_ID)
one_entry ex-true EXEC_ARG="$MARK-exec"
expect ex-pid "$(field "$ev" EXEC_PID)" "$expid"
id2=$(field "$ev" EXEC_ID)
[ "$id1" != "$id2" ] || fail "exec in place kept EXEC_ID $id1"
expect ex-parent "$(field "$ev" EXEC_PARENT_ID)" "$parent1"
# the same process (boot, start, pid), its exec count one more
expect ex-count "${id2%-*}-$(( ${id1##*-} + 1 ))" "$id2"

# 3. 10000 execs, 10000 distinct ids (pids wrap at 32768: the start time
# and count keep a reused pid's ids apart).
N=10000
EXEC_STORM_MARKER="$MARK-storm" "$STORM" -n $N -w 2 >/dev/null || fail "exec-storm failed"
count_storm() { [ "$(journal_json EXEC_ARG="$MARK-storm" | wc -l)" -ge $N ]; }
wait_until 60 count_storm || fail "not all $N storm execs were logged: $(journal_json EXEC_ARG="$MARK-storm" | wc -l)"
storm=$(journal_json EXEC_ARG="$MARK-storm" | jq -r .EXEC_ID)
expect storm_entries "$(printf '%s\n' "$storm" | wc -l)" $N
expect storm_distinct_ids "$(printf '%s\n' "$storm" | sort -u | wc -l)" $N
expect storm_no_missing "$(printf '%s\n' "$storm" | grep -c '^null$')" 0

# 4. A daemon restart: the same process gets the same ids. A shell waits
# on a fifo across the restart, then runs a child.
mkfifo go
sh -c 'echo $$ > long.pid; read x < go; /bin/true "$1-after"' sh "$MARK" &
BG_PIDS+=($!)
wait_until 10 test -s long.pid || fail "the waiting shell did not start"
lpid=$(cat long.pid)
one_entry long-sh EXEC_PID="$lpid" EXEC_COMM=sh
lid=$(field "$ev" EXEC_ID)
stop_daemon d1
start_daemon d2 "$conf"
echo go > go
one_entry after EXEC_ARG="$MARK-after"
expect after_parent "$(field "$ev" EXEC_PARENT_ID)" "$lid"
expect after_not_inferred "$(field "$ev" EXEC_PARENT_ID_INFERRED)" null
stop_daemon d2
pass
