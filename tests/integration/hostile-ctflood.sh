#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile-ctflood.sh: a container's flood of failed execs is folded by its own budget: 100 failed execs of the same uid on the host meanwhile are all in the journal as entries of their own; the container's folds name it.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd podman runc jq journalctl setpriv
ensure_tracefs
need_hostile_exec
start_journald

MSGID_FAILED=7709a7d283f54539a0009d14812ca56f
MSGID_FOLDED=dae883bca8d04a3ca0ca6d59e0ffc3c0
IMAGE=$("$top_srcdir/tests/podman-image.sh" 2>"$WORK/image.err" | tail -1) ||
	{ cat "$WORK/image.err" >&2; fail "could not build the test image"; }
NAME="test-ctflood-$$"
# The uid the container and the host share. uid 0 is the usual case (a
# root container), but the parallel suite's other tests run bursts of
# failed execs as the host's root, which would fold the probes below by
# the host's own budget: a uid of this test's own stands for it (the
# budget is by uid and by container alike for every uid).
U=$(free_uid 47600)
trap 'podman rm -f -t 0 "$NAME" >/dev/null 2>&1; cleanup' EXIT
mkdir -m 0777 "$WORK/go"
chmod 0755 "$WORK"

conf="$WORK/trace-execd.yaml"
# the shipped budgets (1M per uid, 4M per cgroup, a second)
write_config "$conf" "settings:
  ignore_failed: false
  uid: $U
rules:
  - name: all
    match: {}"
start_daemon d "$conf"

# The container waits for the go, then floods for 20 s (2 threads, 32 KiB
# arguments: far past 1 MiB a second).
podman run --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
	--name "$NAME" -d --user "$U:$U" -v "$HELPERS:/h:ro" -v "$WORK/go:/go" "$IMAGE" \
	/bin/sh -c 'while [ ! -e /go/now ]; do sleep 0.05; done; exec /h/hostile-exec failflood '"$U"' 2 20 32768' \
	>/dev/null || fail "podman run failed"
# its entry written, the daemon has verified the container and told the
# kernel (the way of an event: trace-execd(8))
wait_until 30 journal_has CONTAINER_NAME="$NAME" EXEC_UID="$U" || fail "container not seen"
touch "$WORK/go/now"
# folded by then: its first window closed past the budget
wait_until 30 journal_has MESSAGE_ID=$MSGID_FOLDED EXEC_FOLD_BY=uid CONTAINER_NAME="$NAME" ||
	fail "the container's flood was not folded"

# 100 failed execs of the same uid on the host, while the flood goes on.
setpriv --reuid "$U" --regid "$U" --clear-groups /bin/sh -c '
	i=0
	while [ $i -lt 100 ]; do
		i=$((i + 1))
		"/nonexistent-$0/p$i" 2>/dev/null
	done' "$MARK"
expect flood_still_on "$(podman inspect -f '{{.State.Running}}' "$NAME")" true
podman wait "$NAME" >/dev/null

probes() {
	journal_json MESSAGE_ID=$MSGID_FAILED EXEC_UID="$U" |
		jq -r --arg p "/nonexistent-$MARK/p" 'select(.EXEC_FILE | startswith($p)) | .EXEC_FILE' | sort -u | wc -l
}
all_probes() { [ "$(probes)" -ge 100 ]; }
wait_until 20 all_probes
expect probes "$(probes)" 100
expect probe_entries "$(journal_json MESSAGE_ID=$MSGID_FAILED EXEC_UID="$U" |
	jq -r --arg p "/nonexistent-$MARK/p" 'select(.EXEC_FILE | startswith($p)) | .EXEC_FILE' | wc -l)" 100
# no fold of the host's: the probes were the uid's only failed execs there
expect host_folds "$(journal_json MESSAGE_ID=$MSGID_FOLDED EXEC_FOLD_BY=uid EXEC_UID="$U" |
	jq -s 'map(select(.CONTAINER_NAME == null)) | length')" 0
# the container's folds name it
e=$(journal_json MESSAGE_ID=$MSGID_FOLDED EXEC_FOLD_BY=uid CONTAINER_NAME="$NAME" | head -1)
expect fold_file "$(jqv "$e" .EXEC_FOLD_FIRST_FILE)" /nonexistent/te-failflood
expect fold_runtime "$(jqv "$e" .CONTAINER_RUNTIME)" podman
stop_daemon d
pass
