#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile-ratelimit.sh: a uid flooding a rule rate-limited per uid does not silence another uid's exec; a limit per rule does, and each summary says whose events it suppressed.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl setpriv
ensure_tracefs
need_hostile_exec
start_journald

# Two uids nothing else runs as: the flooder and the victim.
F=$(free_uid 64901)
V=$(free_uid $((F + 1)))
N=200

# The windows (1 minute) outlast the test: the summaries are written when
# the daemon stops, with every count final.
conf="$WORK/trace-execd.yaml"
write_config "$conf" "rules:
  - name: per-uid
    match: {uid: [$F, $V], file: '*/true'}
    priority: notice
    rate_limit: {burst: 3, interval: 1m, per: uid}
  - name: per-rule
    match: {uid: [$F, $V], file: '*/echo'}
    priority: notice
    rate_limit: {burst: 3, interval: 1m}
  - name: rest
    match: {}
    action: drop"
start_daemon d "$conf"
cd "$WORK"

"$HX" flood "$F" "$N" /bin/true > flood-true.out 2>&1 || { cat flood-true.out >&2; fail "flood of true failed"; }
"$HX" flood "$F" "$N" /bin/echo > flood-echo.out 2>&1 || { cat flood-echo.out >&2; fail "flood of echo failed"; }
as_victim() { setpriv --reuid "$V" --regid "$V" --clear-groups "$@"; }
as_victim /bin/true "$MARK-victim"
as_victim /bin/echo "$MARK-victim" >/dev/null
wait_until 10 journal_has EXEC_UID="$V" EXEC_ARG="$MARK-victim" ||
	fail "the victim's exec was suppressed by the flood of another uid"
stop_daemon d

# The victim's true was written (its own window), its echo was not (the
# flooder had used up the rule's only window).
expect victim_true "$(journal_json EXEC_UID="$V" EXEC_ARG="$MARK-victim" | jq -r .EXEC_FILE)" "$(readlink -f /bin/true)"
expect victim_echo "$(journal_json EXEC_UID="$V" EXEC_ARG="$MARK-victim" EXEC_FILE="$(readlink -f /bin/echo)" | wc -l)" 0
expect flood_true_written "$(journal_json EXEC_UID="$F" POLICY_RULE=per-uid | wc -l)" 3
expect flood_echo_written "$(journal_json EXEC_UID="$F" POLICY_RULE=per-rule | wc -l)" 3

# One summary per window: the flooder's (per uid), none for the victim;
# the rule's own window counts the victim's echo too.
sums="$WORK/summaries.json"
journal_json MESSAGE_ID=b22c1155a40d4359a68b2c5cae289d0e > "$sums"
s=$(jq -c 'select(.POLICY_RULE == "per-uid")' "$sums")
expect uid_summaries "$(printf '%s\n' "$s" | grep -c .)" 1
expect uid_per "$(field "$s" POLICY_RATE_PER)" uid
expect uid_key "$(field "$s" POLICY_RATE_KEY)" "$F"
expect uid_suppressed "$(field "$s" POLICY_SUPPRESSED)" $((N - 3))
expect uid_message "$(field "$s" MESSAGE | sed 's/ in [0-9.]* s$//')" \
	"rule per-uid: $((N - 3)) events of uid $F suppressed by its rate limit"
expect uid_priority "$(field "$s" PRIORITY)" 4
s=$(jq -c 'select(.POLICY_RULE == "per-rule")' "$sums")
expect rule_summaries "$(printf '%s\n' "$s" | grep -c .)" 1
expect rule_suppressed "$(field "$s" POLICY_SUPPRESSED)" $((N - 3 + 1))
expect rule_no_key "$(jqv "$s" '[.POLICY_RATE_PER, .POLICY_RATE_KEY]|@json')" '[null,null]'
expect rule_message "$(field "$s" MESSAGE | sed 's/ in [0-9.]* s$//')" \
	"rule per-rule: $((N - 2)) events suppressed by its rate limit"
pass
