#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kill-reload.sh: reloads between two kill rule sets during a storm of execs: each exec is judged by exactly one set (what happened to it and the rule its entry names agree), and none by no set.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl
ensure_tracefs
start_journald

N=300
pre=/tmp/kill-me-$MARK
conf="$WORK/trace-execd.yaml"
# Set A lets x run (an earlier rule) and kills z; set B kills both.
set_a="settings:
  enforce: true
rules:
  - name: a-allow-$MARK
    match:
      file: $pre-x
  - name: a-kill-$MARK
    action: kill
    match:
      file: \"$pre-*\""
set_b="settings:
  enforce: true
rules:
  - name: b-kill-$MARK
    action: kill
    match:
      file: \"$pre-*\""
install_config() {	# whole files only: the daemon may read at any time
	printf '%s\n' "$1" > "$conf.tmp"
	chmod 0644 "$conf.tmp"
	mv "$conf.tmp" "$conf"
}
trap 'rm -f "$pre"-*; cleanup' EXIT
for b in x z; do cp /usr/bin/true "$pre-$b"; done

install_config "$set_a"
start_daemon d "$conf"
(
	i=0
	while [ ! -e "$WORK/stop" ]; do
		if [ $((i % 2)) = 0 ]; then install_config "$set_b"; else install_config "$set_a"; fi
		kill -HUP "$PID_d"
		i=$((i + 1))
		sleep 0.01
	done
	echo "$i" > "$WORK/reloads"
) &
BG_PIDS+=($!)
for i in $(seq $N); do
	for b in x z; do
		"$pre-$b" "$MARK-$b-$i" 2>/dev/null
		echo "$b $i $?"
	done
done > "$WORK/status" 2>/dev/null  # no "Killed" lines
touch "$WORK/stop"
wait_until 10 test -e "$WORK/reloads" || fail "the reloads did not stop"
[ "$(cat "$WORK/reloads")" -ge 5 ] || fail "only $(cat "$WORK/reloads") reloads during the storm"
wait_until 20 journal_has EXEC_ARG="$MARK-z-$N" || fail "no entry of the last exec"

# What the journal says of each exec: "b i RULE ACTION".
# (two queries: after a "+" journalctl would not apply this daemon's _PID)
{ journal_json EXEC_FILE="$pre-x"; journal_json EXEC_FILE="$pre-z"; } |
	jq -r 'select(.EXEC_ARG | type == "array") |
		(.EXEC_ARG[1] | split("-")) as $a |
		"\($a[1]) \($a[2]) \(.POLICY_RULE // "-") \(.EXEC_ACTION // "-")"' |
	awk '{print $1"-"$2, $3, $4}' | sort > "$WORK/judged"
expect entries "$(wc -l < "$WORK/judged")" $((2 * N))
# What the kernel did decides: x ran (set A: its earlier rule lets it) or
# was killed by B's rule, never by A's kill rule (half of set A); z was
# killed by one set's rule, never ran (no set). The entry of an x that ran
# names A's rule, or B's with "undecided" when the reload came between
# the exec and the daemon's reading it (the entry is the current policy's).
awk '{print $1"-"$2, $3}' "$WORK/status" | sort > "$WORK/ran"
join "$WORK/ran" "$WORK/judged" > "$WORK/both"
expect joined "$(wc -l < "$WORK/both")" $((2 * N))
bad=$(awk -v m="$MARK" '
	$1 ~ /^x-/ && $2 == 0 && $3 == "a-allow-" m && $4 == "-" { next }
	$1 ~ /^x-/ && $2 == 0 && $3 == "b-kill-" m && $4 == "undecided" { next }
	$1 ~ /^x-/ && $2 == 137 && $3 == "b-kill-" m && $4 == "killed" { next }
	$1 ~ /^z-/ && $2 == 137 && $3 == "a-kill-" m && $4 == "killed" { next }
	$1 ~ /^z-/ && $2 == 137 && $3 == "b-kill-" m && $4 == "killed" { next }
	{ print }' "$WORK/both")
[ -z "$bad" ] || fail "execs judged by no set or by a mix: $(echo "$bad" | head -5)"
CHECKS=$((CHECKS + 1))
# both sets judged execs of x
expect x_ran "$(awk '$1 ~ /^x-/ && $2 == 0' "$WORK/both" | wc -l | awk '{print ($1 > 0)}')" 1
expect x_killed "$(awk '$1 ~ /^x-/ && $2 == 137' "$WORK/both" | wc -l | awk '{print ($1 > 0)}')" 1
stop_daemon d
pass
