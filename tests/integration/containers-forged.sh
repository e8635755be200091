#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# containers-forged.sh: a host process in a cgroup named after a running podman container, or after made-up ids, is no container's: CONTAINER_UNVERIFIED, no container fields.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd podman runc jq journalctl setpriv getent
ensure_tracefs
start_journald

IMAGE=$("$top_srcdir/tests/podman-image.sh" 2>"$WORK/image.err" | tail -1) ||
	{ cat "$WORK/image.err" >&2; fail "could not build the test image"; }
NAME="test-forged-$$"
USER_SLICE=/user.slice/user-4242.slice/user@4242.service/app.slice
CREATED=()	# cgroup directories this test made, in the order made

# The hierarchies a forged scope goes in. The tracer reads a process's
# cgroup v2 path (bpf/trace_exec.bpf.c; the pids v1 one when that is the
# root); systemd-run --user --scope on a hybrid host puts the scope in the
# v2 tree and in the name=systemd one alike.
cgroup_roots

# Parallel runs of this test would share the user-4242 cgroups: one at a time.
mkdir -p /run/lock
exec 7>/run/lock/te-containers-forged.lock
flock -w 300 7 || fail "another run holds /run/lock/te-containers-forged.lock"

# mkcg REL: mkdir -p REL under every root, remembering what it made.
mkcg() { mkdirs_recorded "${ROOTS[@]/%/$1}"; }

trap 'podman rm -f -t 0 "$NAME" >/dev/null 2>&1; remove_recorded; cleanup' EXIT

# forged_exec REL ARG: a shell moves itself into cgroup REL of every root,
# then runs /bin/echo ARG as uid 1000 there.
forged_exec() {
	local root procs=()
	mkcg "$1"
	for root in "${ROOTS[@]}"; do procs+=("$root$1/cgroup.procs"); done
	sh -c 'for f; do echo $$ > "$f" || exit 1; done
	       exec setpriv --reuid 1000 --regid 1000 --clear-groups /bin/echo "$0"' \
		"$2" "${procs[@]}" >/dev/null || fail "could not run in $1"
}

conf="$WORK/trace-execd.yaml"
write_config "$conf" 'rules:
  - name: forged
    match: {container_unverified: true}
    priority: warning
  - name: rest
    match: {}
    action: drop'
start_daemon d "$conf"
start_trace_exec all
start_trace_exec named --containername "$NAME"
start_trace_exec ctrs --containers-only

podman run --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
	--name "$NAME" -d --rm "$IMAGE" /bin/sleep 600 >"$WORK/cid" || fail "podman run"
cid=$(cat "$WORK/cid")
pid=$(podman inspect -f '{{.State.Pid}}' "$NAME")
real_cg=$(awk -F: '$1 == 0 {print $3}' "/proc/$pid/cgroup")
[ -n "$real_cg" ] || real_cg=$(awk -F: '$2 == "pids" {print $3}' "/proc/$pid/cgroup")
host_user=$(getent passwd 1000 | cut -d: -f1)
: "${host_user:=uid:1000}"

# 1. The real container's exec keeps every field.
podman exec "$NAME" /bin/true "$MARK-real" || fail "podman exec"
ev=$(wait_json all ".EXEC_ARG[1] == \"$MARK-real\"" 15)
expect real_cgroup "$(field "$ev" EXEC_CGROUP)" "$real_cg"
expect real_name "$(field "$ev" CONTAINER_NAME)" "$NAME"
expect real_id "$(field "$ev" CONTAINER_ID)" "${cid:0:12}"
expect real_idfull "$(field "$ev" CONTAINER_ID_FULL)" "$cid"
expect real_runtime "$(field "$ev" CONTAINER_RUNTIME)" podman
expect real_image "$(field "$ev" IMAGE_NAME)" "$IMAGE"
expect real_user "$(field "$ev" EXEC_USER)" root
expect real_unverified "$(field "$ev" CONTAINER_UNVERIFIED)" null
wait_json named ".EXEC_ARG[1] == \"$MARK-real\"" >/dev/null
wait_json ctrs ".EXEC_ARG[1] == \"$MARK-real\"" >/dev/null

# 2. Host processes in cgroups named after it, and after made-up ids.
fake1=$(printf '%s' "fake-docker-$MARK" | sha256sum | cut -c1-64)
fake2=$(printf '%s' "fake-crio-$MARK" | sha256sum | cut -c1-64)
declare -A claims=(
	[lib]="$USER_SLICE/libpod-$cid.scope $cid"
	[libbare]="$USER_SLICE/$(basename "$real_cg") $cid"
	[libroot]="/forged-$$/libpod-$cid $cid"
	[docker]="$USER_SLICE/docker-$fake1.scope $fake1"
	[crio]="$USER_SLICE/crio-$fake2.scope $fake2"
)
for k in "${!claims[@]}"; do
	read -r rel id <<<"${claims[$k]}"
	forged_exec "$rel" "$MARK-$k"
	ev=$(wait_json all ".EXEC_ARG[1] == \"$MARK-$k\"" 15)
	expect "${k}_cgroup" "$(field "$ev" EXEC_CGROUP)" "$rel"
	expect "${k}_unverified" "$(field "$ev" CONTAINER_UNVERIFIED)" "$id"
	expect "${k}_no_fields" "$(jqv "$ev" '[.CONTAINER_NAME, .CONTAINER_ID,
		.CONTAINER_ID_FULL, .CONTAINER_RUNTIME, .IMAGE_NAME, .K8S_NAMESPACE] |
		map(select(. != null)) | length')" 0
	expect "${k}_uid" "$(field "$ev" EXEC_UID)" 1000
	expect "${k}_user" "$(field "$ev" EXEC_USER)" "$host_user"	# not the image's appuser
	wait_until 10 journal_has EXEC_ARG="$MARK-$k" POLICY_RULE=forged ||
		fail "$k: no journal entry of the container_unverified rule"
	ev=$(journal_json EXEC_ARG="$MARK-$k" POLICY_RULE=forged | head -1)
	expect "${k}_journal_unverified" "$(field "$ev" CONTAINER_UNVERIFIED)" "$id"
	expect "${k}_journal_message" "$(jqv "$ev" '.MESSAGE | test("unverified container [0-9a-f]{12}")')" true
done

# 3. Nothing forged reached the container selections, nor the container's rule.
expect named_only_real "$(json_find named ".EXEC_ARG[1] // \"\" | startswith(\"$MARK\")" | wc -l)" 1
expect ctrs_only_real "$(json_find ctrs ".EXEC_ARG[1] // \"\" | startswith(\"$MARK\")" | wc -l)" 1
expect real_not_forged "$(journal_json EXEC_ARG="$MARK-real" | wc -l)" 0

stop_trace_exec all
stop_trace_exec named
stop_trace_exec ctrs
stop_daemon d
pass
