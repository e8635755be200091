#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kill-container.sh: a real podman container (runc): a binary written into the running container is killed before it runs, the image's own binaries and the same binary on the host run; enforce: false runs it and says would-kill; the kernel lets a removed container go and knows its successor; the shipped drift rule, enforced, kills a dropped binary run through the dynamic loader, and one a container runs before the daemon verified it.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd podman runc jq journalctl bpftool /usr/bin/python3
ensure_tracefs
start_journald

KILLED_ID=cdf4dede5e3a46d0abed64cc33b42009
WOULD_ID=01277ebbe5414a4790ab64a676845f01
IMAGE=$("$top_srcdir/tests/podman-image.sh" 2>"$WORK/image.err" | tail -1) ||
	{ cat "$WORK/image.err" >&2; fail "could not build the test image"; }
NAME="test-kill-$$"
trap 'podman rm -f -t 0 "$NAME" >/dev/null 2>&1; cleanup' EXIT

conf="$WORK/trace-execd.yaml"
config() {	# config ENFORCE: kill what runs from this container's upper layer
	write_config "$conf" "settings:
  enforce: $1
rules:
  - name: drift-$MARK
    action: kill
    priority: crit
    tags: [container_drift]
    match:
      container: true
      upper_layer: true
      container_name: $NAME"
}
reloads() { journal_json MESSAGE_ID=cdf5c2b062a34ebc99399a391ddd2130 CONFIG_FILE="$conf" | wc -l; }
more_reloads() { [ "$(reloads)" -gt "$1" ]; }
in_ctr() { podman exec "$NAME" "$@"; }

config true
start_daemon d "$conf"
podman run --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
	--name "$NAME" -d "$IMAGE" /bin/sleep 600 >/dev/null || fail "podman run failed"
# the daemon verified the container: the kernel knows its mount namespace
wait_until 20 journal_has CONTAINER_NAME="$NAME" EXEC_COMM=sleep || fail "container not seen"

# The image's own binaries run; a copy written into the container does not.
in_ctr /bin/cp /bin/busybox /tmp/touch || fail "cp in the container failed"
in_ctr /bin/touch "/tmp/image-$MARK"
expect image_bin "$(in_ctr /bin/ls "/tmp/image-$MARK")" "/tmp/image-$MARK"
in_ctr /tmp/touch "/tmp/drift-$MARK" 2>/dev/null
expect drift_status $? 137
in_ctr /bin/ls "/tmp/drift-$MARK" >/dev/null 2>&1
expect drift_no_marker $? 1
# the same binary on the host
podman cp "$NAME:/tmp/touch" "$WORK/touch" || fail "podman cp failed"
"$WORK/touch" "$WORK/host-$MARK"
expect host_status $? 0
expect host_marker "$(ls "$WORK/host-$MARK")" "$WORK/host-$MARK"

wait_until 10 journal_has EXEC_FILE="$WORK/touch" || fail "no entry of the host run"
e=$(journal_json CONTAINER_NAME="$NAME" EXEC_FILE=/tmp/touch | tail -1)
expect drift_msgid "$(jqv "$e" .MESSAGE_ID)" $KILLED_ID
expect drift_action "$(jqv "$e" .EXEC_ACTION)" killed
expect drift_rule "$(jqv "$e" .POLICY_RULE)" "drift-$MARK"
expect drift_upper "$(jqv "$e" .EXEC_UPPER_LAYER)" 1
expect drift_prio "$(jqv "$e" .PRIORITY)" 2
expect drift_argv "$(jqv "$e" .EXEC_ARGV)" "/tmp/touch /tmp/drift-$MARK"
e=$(journal_json CONTAINER_NAME="$NAME" EXEC_ARG="/tmp/image-$MARK" EXEC_COMM=touch | tail -1)
expect image_rule "$(jqv "$e" .EXEC_FILE)" /bin/busybox
expect image_action "$(jqv "$e" '.EXEC_ACTION // "none"')" none
e=$(journal_json EXEC_FILE="$WORK/touch" | tail -1)
expect host_action "$(jqv "$e" '.EXEC_ACTION // "none"')" none

# Dry run.
n=$(reloads)
config false
kill -HUP "$PID_d"
wait_until 10 more_reloads "$n" || fail "no reload entry"
in_ctr /tmp/touch "/tmp/dry-$MARK"
expect dry_status $? 0
expect dry_marker "$(in_ctr /bin/ls "/tmp/dry-$MARK")" "/tmp/dry-$MARK"
wait_until 10 journal_has CONTAINER_NAME="$NAME" EXEC_FILE=/tmp/touch EXEC_ARG="/tmp/dry-$MARK" || fail "no dry-run entry"
e=$(journal_json CONTAINER_NAME="$NAME" EXEC_FILE=/tmp/touch EXEC_ARG="/tmp/dry-$MARK" | tail -1)
expect dry_msgid "$(jqv "$e" .MESSAGE_ID)" $WOULD_ID
expect dry_action "$(jqv "$e" .EXEC_ACTION)" would-kill
expect dry_rule "$(jqv "$e" .POLICY_RULE)" "drift-$MARK"

# The kernel's table of verified containers (the daemon's .bss) holds the
# container while it runs, by the id of its mount namespace, and never the
# namespace podman and runc init run in; once the container is removed a
# reload takes it back (so does a sweep every minute, or a full table).
kct_ids() {
	map_dump "$PID_d" .bss | jq -r '.[0].formatted.value[".bss"][] | select(has("kcts")) |
		.kcts[] | select(.mntns != 0 and .mntns < 1e19) | .mntns'
}
ns_id() {	# ns_id PID: the id of its mount namespace (NS_GET_MNTNS_ID)
	/usr/bin/python3 -c 'import fcntl, os, struct, sys
fd = os.open("/proc/%s/ns/mnt" % sys.argv[1], os.O_RDONLY)
print(struct.unpack("Q", fcntl.ioctl(fd, 0x8008b705, bytes(8)))[0])' "$1"
}
ctr_ns() { ns_id "$(podman inspect -f '{{.State.Pid}}' "$NAME")"; }
reload() {
	local n
	n=$(reloads)
	kill -HUP "$PID_d"
	wait_until 10 more_reloads "$n" || fail "no reload entry"
}
ns=$(ctr_ns) || skip "no NS_GET_MNTNS_ID (Linux 6.8) to name the container's mount namespace"
expect table_running "$(kct_ids | grep -cx "$ns")" 1
expect table_not_host "$(kct_ids | grep -cx "$(ns_id $$)")" 0
podman rm -f -t 0 "$NAME" >/dev/null || fail "podman rm failed"
config true
reload
expect table_removed "$(kct_ids | grep -cx "$ns")" 0

# A new container of that name is verified and judged afresh.
podman run --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
	--name "$NAME" -d "$IMAGE" /bin/sleep 600 >/dev/null || fail "podman run failed"
ns=$(ctr_ns) || fail "no mount namespace of the new $NAME"
sleeps() { [ "$(journal_json CONTAINER_NAME="$NAME" EXEC_COMM=sleep | wc -l)" -ge 2 ]; }
wait_until 20 sleeps || fail "new container not seen"
expect table_new "$(kct_ids | grep -cx "$ns")" 1
in_ctr /bin/cp /bin/busybox /tmp/touch || fail "cp in the new container failed"
in_ctr /tmp/touch "/tmp/again-$MARK" 2>/dev/null
expect again_status $? 137
wait_until 10 journal_has CONTAINER_NAME="$NAME" EXEC_ARG="/tmp/again-$MARK" || fail "no entry of the new container's drift"
e=$(journal_json CONTAINER_NAME="$NAME" EXEC_ARG="/tmp/again-$MARK" | tail -1)
expect again_action "$(jqv "$e" .EXEC_ACTION)" killed
stop_daemon d

# The shipped policy, enforced: its drift rule covers the dynamic loader
# run with a dropped program (the exec is of the loader, from the image).
# The rule as shipped, but for one uid of this test's own, which its
# containers run as: enforced as shipped it would kill any upper-layer
# binary on this host, other tests' too (the system tier's root is an
# overlay).
CU=$(free_uid 47700)
/usr/bin/python3 - "$top_srcdir/conf/trace-execd.yaml" "$conf" "$CU" <<'PY' || fail "could not enforce the shipped policy"
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
c["settings"]["enforce"] = True
r = [r for r in c["rules"] if r["name"] == "modified-binary-in-container"][0]
r["match"] = dict(uid=int(sys.argv[3]), **r["match"])
yaml.safe_dump(c, open(sys.argv[2], "w"), sort_keys=False)
PY
chmod 0644 "$conf"
JOURNAL_SINCE=
start_daemon shipped "$conf"
podman rm -f -t 0 "$NAME" >/dev/null 2>&1
podman run --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
	--name "$NAME" -d --user "$CU:$CU" "$IMAGE" /bin/sleep 600 >/dev/null || fail "podman run failed"
wait_until 20 journal_has CONTAINER_NAME="$NAME" EXEC_COMM=sleep || fail "container not seen by the shipped policy's daemon"
in_ctr /bin/cp /bin/sh /tmp/dropped || fail "cp in the container failed"
in_ctr /lib64/ld-linux-x86-64.so.2 /tmp/dropped -c "echo $MARK-loader" >/dev/null 2>&1
expect loader_status $? 137
one_entry loader CONTAINER_NAME="$NAME" EXEC_ARG="echo $MARK-loader" EXEC_LOADER=1
expect loader_action "$(jqv "$ev" .EXEC_ACTION)" killed
expect loader_rule "$(jqv "$ev" .POLICY_RULE)" modified-binary-in-container
expect loader_upper "$(jqv "$ev" .EXEC_UPPER_LAYER)" 0
expect loader_argv "$(jqv "$ev" .EXEC_ARGV)" "/lib64/ld-linux-x86-64.so.2 /tmp/dropped -c \"echo $MARK-loader\""
# ldd's first step checks the file and runs nothing: not a loader run
in_ctr /lib64/ld-linux-x86-64.so.2 --verify /bin/sh
expect verify_status $? 0
# the image's programs run
expect image_status "$(in_ctr /bin/sh -c "echo $MARK-image")" "$MARK-image"
podman rm -f -t 0 "$NAME" >/dev/null 2>&1

# A container that runs a dropped binary at once, before the daemon can
# have verified it: an upper-layer binary is drift wherever it runs.
podman run --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
	--name "$NAME" --rm --user "$CU:$CU" "$IMAGE" /bin/sh -c "cp /bin/busybox /tmp/x && exec /tmp/x echo $MARK-first" \
	>/dev/null 2>&1
expect first_status $? 137
one_entry first EXEC_ARG="$MARK-first" EXEC_FILE=/tmp/x
expect first_action "$(jqv "$ev" .EXEC_ACTION)" killed
expect first_rule "$(jqv "$ev" .POLICY_RULE)" modified-binary-in-container
stop_daemon shipped
pass
