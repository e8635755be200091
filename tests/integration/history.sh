#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# history.sh: trace-exec --since reads back the daemon's exec entries from the journal: the exact fields journald holds, each filter selecting exactly the marked execs it should, only the daemon's sender (a forged entry is skipped and counted), --until, and --follow across a storm that straddles the end of the history, every exec exactly once.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl setpriv
ensure_tracefs
start_journald
STORM="$top_builddir/bench/exec-storm"
[ -x "$STORM" ] || skip "bench/exec-storm not built"

# The daemon and trace-exec run from a directory of this test's own: the
# entries of this daemon are those with its _EXE (the parallel tests'
# daemons, of the build tree, trace the same execs), and trace-exec takes
# the trace-execd beside it as the daemon by default.
chmod 0755 "$WORK"
SBIN="$WORK/sbin"
mkdir -p "$SBIN" "$WORK/bin"
cp "$TRACE_EXECD" "$SBIN/trace-execd"
cp "$TRACE_EXEC" "$SBIN/trace-exec"
TRACE_EXECD="$SBIN/trace-execd"
TX="$SBIN/trace-exec"
U1=$(free_uid 47700)
U2=$(free_uid $((U1 + 1)))
# Programs of this run, short names: their command names are this run's.
A="$WORK/bin/ha$$"; B="$WORK/bin/hb$$"; K="$WORK/bin/hk$$"; S="$WORK/bin/hs$$"
for p in "$A" "$B" "$K" "$S"; do cp /bin/true "$p"; done
chmod -R a+rX "$WORK/bin" "$SBIN"

conf="$WORK/trace-execd.yaml"
write_config "$conf" "settings:
  ignore_failed: false
  enforce: false
  ringbuf_size: 16M
rules:
  - name: would-$MARK
    action: kill
    tags: [drift, $MARK]
    match:
      exe: \"$WORK/bin/hk*\"
  - name: tagged-$MARK
    tags: [t1-$MARK, t2-$MARK]
    match:
      exe: \"$WORK/bin/ha*\"
  - name: exec
    match: {}"
start_daemon d1 "$conf"
T0=$JOURNAL_SINCE
ours() { journalctl --sync; journalctl -o json --no-pager --since "$T0" _UID=0 _EXE="$TRACE_EXECD" "$@"; }
# mine: this run's marked execs of its programs (not setpriv's, whose
# arguments carry the mark too)
MINE='select((.EXEC_ARGV | type) == "string" and (.EXEC_ARGV | contains($m)) and ((.EXEC_FILE // "") | startswith($d)))'
marked() { ours "$@" | jq -c --arg m "$MARK" --arg d "$WORK/bin/" "$MINE"; }
marked_count() { [ "$(marked "${@:2}" | wc -l)" -ge "$1" ]; }
# hist ARGS...: trace-exec's history of this test's daemon, JSON, the
# marked execs' EXEC_ARGV sorted.
hist() {
	"$TX" --since "$T0" -o json "$@" 2>"$WORK/hist.err" |
		jq -r --arg m "$MARK" --arg d "$WORK/bin/" "$MINE | .EXEC_ARGV" |
		sed "s|$WORK/bin/||g" | sort | tr '\n' ' '
}

# 1. Marked execs before the query: two users, a tagged rule, a would-kill
# rule, a failed exec.
setpriv --reuid "$U1" --regid "$U1" --clear-groups "$A" "$MARK-a1"
setpriv --reuid "$U1" --regid "$U1" --clear-groups "$A" "$MARK-a2"
setpriv --reuid "$U2" --regid "$U2" --clear-groups "$B" "$MARK-b1"
"$K" "$MARK-k1"
setpriv --reuid "$U1" --regid "$U1" --clear-groups "$WORK/bin/missing$$" "$MARK-f1" 2>/dev/null
wait_until 20 marked_count 5 || fail "the daemon did not log the 5 marked execs"
MID=$(journal_now)
"$S" "$MARK-s1"
wait_until 20 marked_count 6 || fail "the daemon did not log the sixth marked exec"

# The exact fields: each marked exec as journald holds it and as the
# history shows it (numbers as JSON numbers there, EXEC_ARG in order).
"$TX" --since "$T0" -o json --ignore-failed=false >"$WORK/all.json" 2>"$WORK/all.err" || fail "trace-exec --since failed: $(cat "$WORK/all.err")"
declare -A argv0=([a1]="$A" [b1]="$B" [k1]="$K" [f1]="$WORK/bin/missing$$")
for m in a1 b1 k1 f1; do
	j=$(marked EXEC_ARG="$MARK-$m")
	expect "journal-$m" "$(printf '%s\n' "$j" | grep -c .)" 1
	h=$(jq -c --arg m "$MARK-$m" --arg d "$WORK/bin/" "$MINE" "$WORK/all.json")
	expect "history-$m" "$(printf '%s\n' "$h" | grep -c .)" 1
	# every field of the entry but the journal's own and EXEC_ARGS_JSON
	want=$(printf '%s' "$j" | jq -cS 'with_entries(select((.key | test("^(EXEC_|CONTAINER_|POLICY_|K8S_|IMAGE_NAME$|ERRNO$)")) and .key != "EXEC_ARGS_JSON" and .key != "EXEC_ARG")) | map_values(tostring)')
	got=$(printf '%s' "$h" | jq -cS 'del(._HOSTNAME, .EXEC_ARG) | map_values(tostring)')
	expect "fields-$m" "$got" "$want"
	expect "args-$m" "$(printf '%s' "$h" | jq -c .EXEC_ARG)" "[\"${argv0[$m]}\",\"$MARK-$m\"]"
	expect "host-$m" "$(printf '%s' "$h" | jq -r ._HOSTNAME)" "$(printf '%s' "$j" | jq -r ._HOSTNAME)"
done
expect a1-policy "$(jq -r --arg m "$MARK-a1" --arg d "$WORK/bin/" "$MINE"' | "\(.POLICY_RULE) \(.POLICY_TAGS) \(.EXEC_UID)"' "$WORK/all.json")" "tagged-$MARK t1-$MARK,t2-$MARK $U1"
expect k1-action "$(jq -r --arg m "$MARK-k1" --arg d "$WORK/bin/" "$MINE"' | "\(.EXEC_ACTION) \(.POLICY_RULE)"' "$WORK/all.json")" "would-kill would-$MARK"
expect f1-error "$(jq -r --arg m "$MARK-f1" --arg d "$WORK/bin/" "$MINE"' | "\(.EXEC_ERROR) \(.ERRNO) \(.EXEC_FILE)"' "$WORK/all.json")" "ENOENT 2 $WORK/bin/missing$$"
grep -q "^trace-exec: [0-9]* execs shown; [0-9]* entries of other senders skipped (not _UID=0 with unit trace-execd.service or executable ${sbindir:-/usr/sbin}/trace-execd or $TRACE_EXECD)\$" "$WORK/all.err" ||
	fail "no count of the execs shown and the entries skipped: $(cat "$WORK/all.err")"
CHECKS=$((CHECKS + 1))

# 2. Each filter selects exactly the marked execs it should.
expect all "$(hist)" "ha$$ $MARK-a1 ha$$ $MARK-a2 hb$$ $MARK-b1 hk$$ $MARK-k1 hs$$ $MARK-s1 "
expect failed-too "$(hist --ignore-failed=false)" "ha$$ $MARK-a1 ha$$ $MARK-a2 hb$$ $MARK-b1 hk$$ $MARK-k1 hs$$ $MARK-s1 missing$$ $MARK-f1 "
expect uid "$(hist --uid "$U1")" "ha$$ $MARK-a1 ha$$ $MARK-a2 "
expect uid-failed "$(hist --uid "$U1" --ignore-failed=false)" "ha$$ $MARK-a1 ha$$ $MARK-a2 missing$$ $MARK-f1 "
expect exe "$(hist --exe "$B")" "hb$$ $MARK-b1 "
expect exe-glob "$(hist --exe "$WORK/bin/h[ab]*")" "ha$$ $MARK-a1 ha$$ $MARK-a2 hb$$ $MARK-b1 "
expect comm "$(hist --comm "hk$$")" "hk$$ $MARK-k1 "
expect comm-glob "$(hist --comm "h?$$" --uid "$U2")" "hb$$ $MARK-b1 "
expect rule "$(hist --rule "tagged-$MARK")" "ha$$ $MARK-a1 ha$$ $MARK-a2 "
expect tag "$(hist --tag "t2-$MARK")" "ha$$ $MARK-a1 ha$$ $MARK-a2 "
expect tag-whole "$(hist --tag "t2-")" ""
expect action "$(hist --action would-kill)" "hk$$ $MARK-k1 "
expect action-none "$(hist --action killed)" ""
expect host "$(hist --host)" "ha$$ $MARK-a1 ha$$ $MARK-a2 hb$$ $MARK-b1 hk$$ $MARK-k1 hs$$ $MARK-s1 "
expect containers-only "$(hist --containers-only)" ""
expect containername "$(hist --containername "web-$MARK")" ""
expect until "$(hist --until "$MID")" "ha$$ $MARK-a1 ha$$ $MARK-a2 hb$$ $MARK-b1 hk$$ $MARK-k1 "
expect since-mid "$(hist --since "$MID")" "hs$$ $MARK-s1 "
# --containers-only and --host are decided on the event: nothing of a
# host exec under --containers-only, at all
expect containers-only-none "$("$TX" --since "$T0" -o json --containers-only 2>/dev/null | jq -c 'select(.CONTAINER_ID == null)' | wc -l)" 0
# the table, with the path columns
# (every value whole: the columns get the room; off a terminal they keep
# their own widths and cut what is wider)
COLUMNS=400 "$TX" --since "$T0" --uid "$U2" --paths >"$WORK/table" 2>/dev/null
expect table-header "$(head -1 "$WORK/table" | tr -s ' ')" "RUNTIME.CONTAINERNAME COMM PID TID PCOMM PPID ARGS ERROR USER LOGINUSER GROUP CWD FILE EXEPATH"
expect table-row "$(sed -n 2p "$WORK/table" | awk '{ print $1, $6, $7, $8, $(NF-1), $NF }')" "hb$$ $B $MARK-b1 uid:$U2 $B $B"
expect table-rows "$(wc -l < "$WORK/table")" 2
# options of the live view alone, or that exclude each other: exit 2
for bad in "--sha256" "--follow --until now" "--tree x --report" "--tree x --uid 0" "--since never"; do
	"$TX" --since "$T0" $bad >/dev/null 2>&1
	expect "bad-$bad" $? 2
done
"$TX" --rule x >/dev/null 2>&1
expect rule-without-history $? 2

# 3. Only the daemon's entries: an exec entry written as trace-execd by
# a user, and by root from another program, each with this run's mark,
# are in the journal and not in the history, and counted as skipped.
forge="$WORK/forged.entry"
for who in user root; do
	printf 'MESSAGE_ID=dae8ea1ec2964a42af0f34673ef7d561\nSYSLOG_IDENTIFIER=trace-execd\nMESSAGE=forged %s %s\nEXEC_ARGV=%s\nEXEC_COMM=hf%s\nEXEC_UID=%s\nEXEC_TIMESTAMP_USEC=1\n' \
		"$who" "$MARK" "$A forged-$who-$MARK" "$$" "$U1" >"$forge"
	chmod 0644 "$forge"
	if [ $who = user ]; then
		send_held "forged $who $MARK" "$forge" setpriv --reuid "$U1" --regid "$U1" --clear-groups /usr/bin/python3
	else
		send_held "forged $who $MARK" "$forge" /usr/bin/python3
	fi
done
expect forged-not-shown "$(hist --comm "hf$$")" ""
n=$(sed -n 's/^trace-exec: 0 execs shown; \([0-9]*\) entries of other senders skipped.*/\1/p' "$WORK/hist.err")
[ -n "$n" ] && [ "$n" -ge 2 ] || fail "the two forged entries are not counted as skipped: $(cat "$WORK/hist.err")"
CHECKS=$((CHECKS + 1))
# the same forged entries with the forger's program named as the daemon:
# root's is taken then, the user's still is not (its _UID is not 0)
py=$(readlink -f /usr/bin/python3)
expect forged-sender-exe "$("$TX" --since "$T0" -o json --comm "hf$$" --sender-exe "$py" 2>/dev/null | jq -r .EXEC_ARGV)" "$A forged-root-$MARK"

# The live view takes --exe and --comm too (its table, where the kernel
# collects the paths for --exe alone).
COLUMNS=400 "$TRACE_EXEC" --exe "$WORK/bin/h[bk]*" --comm "h?$$" >"$WORK/live.table" 2>"$WORK/live.err" &
live=$!
BG_PIDS+=($live)
wait_until 20 grep -q "tracing execs" "$WORK/live.err" || fail "trace-exec --exe did not start"
"$A" "$MARK-live"; "$B" "$MARK-live"; "$K" "$MARK-live"; "$S" "$MARK-live"
wait_until 10 grep -q "hk$$ .*$MARK-live" "$WORK/live.table" || fail "the live view did not show $K"
kill -INT $live
wait $live || fail "trace-exec --exe exited with $?"
expect live-exe-comm "$(grep -- "$MARK-live" "$WORK/live.table" | awk '{ print $1 }' | tr '\n' ' ')" "hb$$ hk$$ "

# 4. --follow: a storm that starts before the query and goes on after the
# history ended: every exec once.
N=1500
EXEC_STORM_MARKER="$MARK-storm" "$STORM" -n $N -w 2 -p "$S" >"$WORK/storm.out" &
storm_pid=$!
BG_PIDS+=($storm_pid)
wait_until 20 marked_count 10 EXEC_COMM="hs$$" || fail "the storm did not start"
"$TX" --since "$T0" -f -o json --comm "hs$$" >"$WORK/follow.json" 2>"$WORK/follow.err" &
follow_pid=$!
BG_PIDS+=($follow_pid)
wait "$storm_pid" || fail "exec-storm failed"
stormed() { [ "$(marked EXEC_COMM="hs$$" | grep -c -- "$MARK-storm")" -ge "$1" ]; }
wait_until 60 stormed $N || fail "the daemon did not log the $N storm execs"
followed() { [ "$(grep -c -- "$MARK-storm" "$WORK/follow.json")" -ge "$1" ]; }
wait_until 30 followed $N || fail "--follow showed $(grep -c -- "$MARK-storm" "$WORK/follow.json") of the $N storm execs"
# one more exec after the storm: shown too, and after it nothing twice
"$S" "$MARK-after"
wait_until 20 grep -q -- "$MARK-after" "$WORK/follow.json" || fail "--follow did not show the exec after the storm"
kill -INT $follow_pid
wait $follow_pid || fail "trace-exec --follow exited with $?"
expect follow-storm "$(grep -c -- "$MARK-storm" "$WORK/follow.json")" $N
expect follow-distinct "$(jq -r --arg m "$MARK-storm" 'select(.EXEC_ARG[-1] == $m) | .EXEC_ID' "$WORK/follow.json" | sort -u | wc -l)" $N
expect follow-journal "$(marked EXEC_COMM="hs$$" | grep -c -- "$MARK-storm")" $N
expect follow-s1 "$(grep -c -- "$MARK-s1" "$WORK/follow.json")" 1
expect follow-after "$(grep -c -- "$MARK-after" "$WORK/follow.json")" 1
# the order is the journal's
expect follow-order "$(jq -r .EXEC_ID "$WORK/follow.json" | tr '\n' ' ')" "$(ours EXEC_COMM="hs$$" | jq -r .EXEC_ID | tr '\n' ' ')"
stop_daemon d1
pass
