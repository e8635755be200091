#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# containers-podman.sh: real podman containers: attribution, selection, in-container names, upper layer and the crit rule.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd podman runc jq journalctl
ensure_tracefs
start_journald

IMAGE=$("$top_srcdir/tests/podman-image.sh" 2>"$WORK/image.err" | tail -1) ||
	{ cat "$WORK/image.err" >&2; fail "could not build the test image"; }
NAME="test-trace-exec-$$"
run() { podman run --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "$@"; }
cleanup_containers() { podman rm -f -t 0 "$NAME" "$NAME-rm" "$NAME-up" "$NAME-user" >/dev/null 2>&1 || true; }
trap 'cleanup_containers; cleanup' EXIT

conf="$WORK/trace-execd.yaml"
cp "$top_srcdir/conf/trace-execd.yaml" "$conf"
chmod 0644 "$conf"
start_daemon d "$conf"
start_trace_exec named --containername "$NAME"
"$TRACE_EXEC" --containername "$NAME" >"$WORK/named.table" 2>/dev/null &
BG_PIDS+=($!)
start_trace_exec host --host
start_trace_exec ctrs --containers-only
# The table's header is written once the tracer is attached.
wait_until 10 test -s "$WORK/named.table" || fail "trace-exec --containername wrote no header"

# 1. The seed's scenario: true, whoami and sleep rows of one named container, nothing else.
run --name "$NAME" -d --rm "$IMAGE" /bin/sh -c 'while /bin/true ; do whoami ; /bin/sleep 3 ; done' > "$WORK/cid"
cid=$(cat "$WORK/cid")
for comm in true whoami sleep; do
	ev=$(wait_json named ".EXEC_COMM == \"$comm\"" 15)
	expect "$comm-name" "$(field "$ev" CONTAINER_NAME)" "$NAME"
	expect "$comm-pcomm" "$(field "$ev" EXEC_PCOMM)" sh
	expect "$comm-user" "$(field "$ev" EXEC_USER)" root
	expect "$comm-id" "$(field "$ev" CONTAINER_ID)" "${cid:0:12}"
	expect "$comm-idfull" "$(field "$ev" CONTAINER_ID_FULL)" "$cid"
	expect "$comm-runtime" "$(field "$ev" CONTAINER_RUNTIME)" podman
	expect "$comm-image" "$(field "$ev" IMAGE_NAME)" "$IMAGE"
done
expect only_named "$(json_find named ".CONTAINER_NAME != \"$NAME\"" | wc -l)" 0
expect host_sees_none "$(json_find host ".CONTAINER_ID_FULL == \"$cid\"" | wc -l)" 0
wait_json ctrs ".CONTAINER_ID_FULL == \"$cid\" and .EXEC_COMM == \"whoami\"" >/dev/null
# the table (not a terminal: the columns' preferred widths, the name fits
# the 25 of RUNTIME.CONTAINERNAME): name in the first column
expect table_header "$(head -1 "$WORK/named.table" | awk '{print $1, $2, $5}')" "RUNTIME.CONTAINERNAME COMM PCOMM"
expect table_row "$(awk '$2 == "whoami" {print $1, $2, $5; exit}' "$WORK/named.table")" "$NAME whoami sh"
podman rm -f -t 0 "$NAME" >/dev/null

# 2. A --rm container running one short command: attributed although gone at once.
run --name "$NAME-rm" --rm --cidfile "$WORK/cid-rm" "$IMAGE" /bin/true "$MARK-rm"
cid=$(cat "$WORK/cid-rm")
ev=$(wait_json ctrs ".EXEC_ARG[1] == \"$MARK-rm\"")
expect rm_id "$(field "$ev" CONTAINER_ID_FULL)" "$cid"
expect rm_name "$(field "$ev" CONTAINER_NAME)" "$NAME-rm"
expect rm_host "$(json_find host ".EXEC_ARG[1] == \"$MARK-rm\"" | wc -l)" 0

# 3. Names from the container's own /etc/passwd and /etc/group.
run --name "$NAME-user" --rm --user 1000:1000 "$IMAGE" /bin/true "$MARK-user"
ev=$(wait_json ctrs ".EXEC_ARG[1] == \"$MARK-user\"")
expect user_uid "$(field "$ev" EXEC_UID)" 1000
expect user_name "$(field "$ev" EXEC_USER)" appuser
expect group_name "$(field "$ev" EXEC_GROUP)" appgroup

# 4. A binary copied inside the container: upper layer, and the shipped crit rule fires.
run --name "$NAME-up" --rm "$IMAGE" /bin/sh -c '
	cp /bin/busybox /tmp/busybox && cp /bin/sh /tmp/sh-up &&
	/tmp/busybox echo "$0-up" && /bin/busybox echo "$0-low" &&
	/tmp/sh-up -c "/bin/true $0-child; :"' "$MARK" >/dev/null
ev=$(wait_json ctrs ".EXEC_ARG[2] == \"$MARK-up\"")
expect up_upper "$(field "$ev" EXEC_UPPER_LAYER)" 1
expect up_file_upper "$(field "$ev" EXEC_FILE_UPPER_LAYER)" 1
expect up_exe "$(field "$ev" EXEC_EXE)" /tmp/busybox
ev=$(wait_json ctrs ".EXEC_ARG[2] == \"$MARK-low\"")
expect low_upper "$(field "$ev" EXEC_UPPER_LAYER)" 0
expect low_file_upper "$(field "$ev" EXEC_FILE_UPPER_LAYER)" 0
ev=$(wait_json ctrs ".EXEC_ARG[1] == \"$MARK-child\"")
expect child_upper "$(field "$ev" EXEC_UPPER_LAYER)" 0
expect child_parent_upper "$(field "$ev" EXEC_PARENT_UPPER_LAYER)" 1
wait_until 10 journal_has EXEC_ARG="$MARK-up" POLICY_RULE=modified-binary-in-container ||
	fail "the crit rule did not fire in the journal"
ev=$(journal_json EXEC_ARG="$MARK-up" POLICY_RULE=modified-binary-in-container)
expect crit_priority "$(field "$ev" PRIORITY)" 2
expect crit_tags "$(field "$ev" POLICY_TAGS)" "mitre_persistence,T1036,container_drift"
expect crit_name "$(field "$ev" CONTAINER_NAME)" "$NAME-up"
expect crit_upper "$(field "$ev" EXEC_UPPER_LAYER)" 1
ev=$(journal_json EXEC_ARG="$MARK-low" EXEC_COMM=busybox)
CHECKS=$((CHECKS + 1))
[ "$(field "$ev" POLICY_RULE)" != modified-binary-in-container ] || fail "the lower-layer binary matched the crit rule"

stop_trace_exec named
stop_trace_exec host
stop_trace_exec ctrs
stop_daemon d
pass
