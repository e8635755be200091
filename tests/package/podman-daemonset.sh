#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-daemonset.sh: deploy/Containerfile builds an image from the Debian package, the DaemonSet's pod runs under podman kube play and traces the host and other containers into the host's journal.
# The base image is the system tier's Debian 12 root file system, imported
# (no registry is reachable here). podman 4.3 plays Pods, not DaemonSets:
# the DaemonSet's pod template becomes a Pod, with its ConfigMap; what
# else is changed for podman is said where it is done. The pod's journal is
# a journald namespace of this test, mounted where the DaemonSet mounts the
# node's /run/systemd/journal.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/system/lib.sh"
need_root
need_cmd podman runc catatonit jq bpftool journalctl debootstrap dpkg-buildpackage /usr/bin/python3
/usr/bin/python3 -c 'import yaml' 2>/dev/null || skip "needs python3-yaml"
ensure_tracefs
NS="tekube$$"
start_journald "$NS"

YAML="$top_srcdir/deploy/kubernetes/trace-execd.yaml"
POD="te-kube-$$"
CTR="$POD-trace-execd"
OTHER="te-kube-other-$$"
# podman's runtime here: runc (crun refuses hybrid cgroups), low ulimits.
cat >"$WORK/containers.conf" <<'C'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
C
export CONTAINERS_CONF="$WORK/containers.conf"
teardown() {
	podman pod rm -f -t 5 "$POD" >/dev/null 2>&1
	podman rm -f -t 0 "$OTHER" >/dev/null 2>&1
	stop_journald "$NS" 2>/dev/null
	rm -rf "/run/systemd/journal.$NS" "/run/systemd/journald@$NS.conf.d"
	cleanup
}
trap teardown EXIT

# 1. The DaemonSet as written: what it asks for, statically.
/usr/bin/python3 - "$YAML" "$top_srcdir/conf/trace-execd.yaml" >"$WORK/static.out" <<'PY' || { cat "$WORK/static.out" >&2; fail "the DaemonSet's manifest"; }
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
kinds = [d["kind"] for d in docs]
assert kinds == ["Namespace", "ConfigMap", "DaemonSet"], kinds
ns, cm, ds = docs
assert cm["data"]["trace-execd.yaml"] == open(sys.argv[2]).read(), "the ConfigMap's policy is not conf/trace-execd.yaml (run deploy/update-configmap.sh)"
spec = ds["spec"]["template"]["spec"]
assert spec["hostPID"] is True
c, = spec["containers"]
sc = c["securityContext"]
assert sc["privileged"] is False and sc["allowPrivilegeEscalation"] is False
assert sc["capabilities"]["drop"] == ["ALL"], sc
assert sorted(sc["capabilities"]["add"]) == ["BPF", "NET_ADMIN", "PERFMON", "SETPCAP", "SYSLOG", "SYS_PTRACE"], sc
env = {e["name"]: e for e in c["env"]}
assert env["NODE_NAME"]["valueFrom"]["fieldRef"]["fieldPath"] == "spec.nodeName"
for k in ("requests", "limits"):
    assert set(c["resources"][k]) == {"cpu", "memory"}, c["resources"]
assert c["livenessProbe"]["exec"]["command"] == ["/usr/libexec/trace-execd/liveness-probe", "/run/trace-execd/status"]
vols = {v["name"]: v for v in spec["volumes"]}
mounts = {m["mountPath"]: vols[m["name"]] for m in c["volumeMounts"]}
assert mounts["/run/systemd/journal"]["hostPath"]["path"] == "/run/systemd/journal"
assert mounts["/sys/kernel/tracing"]["hostPath"]["path"] == "/sys/kernel/tracing"
assert mounts["/etc/trace-execd"]["configMap"]["name"] == cm["metadata"]["name"]
assert mounts["/var/lib/trace-execd"]["hostPath"]["path"] == "/var/lib/trace-execd"
assert ds["metadata"]["namespace"] == cm["metadata"]["namespace"] == ns["metadata"]["name"]
print("manifest ok")
PY
CHECKS=$((CHECKS + 1))

# 2. The image: the system tier's root as the base, the package on it.
t0=$(date +%s)
base=$(sys_base_image) || fail "building or importing the root file system failed (see $SYS_CACHE/debootstrap.log)"
deb=$("$top_srcdir/mk/build-deb.sh" "$top_builddir" 2>"$WORK/build-deb.err") ||
	{ tail -30 "$WORK/build-deb.err" >&2; fail "building the package failed"; }
IMAGE="localhost/trace-execd:test-$(basename "$(dirname "$deb")")"
mkdir "$WORK/ctx"
cp "$top_srcdir/deploy/Containerfile" "$deb" "$WORK/ctx/"
podman build -q --build-arg BASE="$base" -t "$IMAGE" -f "$WORK/ctx/Containerfile" "$WORK/ctx" \
	>"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log" >&2; fail "podman build failed"; }
# Images of earlier packages and bases are of no use any more (one in use
# by a running test is refused, and stays).
podman images --format '{{.Repository}}:{{.Tag}}' |
	grep -E '^localhost/trace-execd(-test-base)?:' | grep -vxF -e "$IMAGE" -e "$base" |
	xargs -r podman rmi >/dev/null 2>&1 || true
size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
bsize=$(podman image inspect --format '{{.Size}}' "$base")
echo "image $IMAGE: $((size / 1000000)) MB (its base $((bsize / 1000000)) MB, the package's layer $(((size - bsize) / 1000000)) MB), built in $(( $(date +%s) - t0 )) s"
expect image_version "$(podman run --rm "$IMAGE" --version | awk '{ print $2 }')" "$(dpkg-deb -f "$deb" Version)"

# 3. The pod template as a Pod, with its ConfigMap. Changed for podman:
# the image (this test's), the journal (this test's journald namespace),
# the first-seen store (a directory of the test), the pod's name;
# NODE_NAME's value, which podman cannot take from
# spec.nodeName (no node: the host's name, as a kubelet names its node by
# default); podman 4.3 reads a pod's seccomp profile only from the
# annotation Kubernetes used before securityContext.seccompProfile.
mkdir -p "$WORK/state"
/usr/bin/python3 - "$YAML" "$IMAGE" "/run/systemd/journal.$NS" "$POD" "$(hostname)" "$WORK/state" >"$WORK/pod.yaml" <<'PY' || fail "making the Pod failed"
import sys, yaml
ns, cm, ds = yaml.safe_load_all(open(sys.argv[1]))
tpl = ds["spec"]["template"]
spec = tpl["spec"]
c = spec["containers"][0]
c["image"] = sys.argv[2]
for e in c["env"]:
    if e["name"] == "NODE_NAME":
        e.pop("valueFrom")
        e["value"] = sys.argv[5]
for v in spec["volumes"]:
    if v.get("hostPath", {}).get("path") == "/run/systemd/journal":
        v["hostPath"]["path"] = sys.argv[3]
    if v.get("hostPath", {}).get("path") == "/var/lib/trace-execd":
        v["hostPath"]["path"] = sys.argv[6]
del cm["metadata"]["namespace"]
ann = {"seccomp.security.alpha.kubernetes.io/pod": "unconfined"}
pod = {"apiVersion": "v1", "kind": "Pod",
       "metadata": {"name": sys.argv[4], "labels": tpl["metadata"]["labels"], "annotations": ann},
       "spec": spec}
yaml.safe_dump_all([cm, pod], sys.stdout, sort_keys=False)
PY
JOURNAL_SINCE=$(journal_now)
# (from $WORK: podman looks for a directory named as the image to build it from)
(cd "$WORK" && podman kube play "$WORK/pod.yaml") >"$WORK/play.log" 2>&1 || { cat "$WORK/play.log" >&2; fail "podman kube play failed"; }
daemon_up() { podman logs "$CTR" 2>&1 | grep -q "tracing execs"; }
wait_until 60 daemon_up || { podman logs "$CTR" 2>&1 | tail -20 >&2; fail "the pod's trace-execd did not start"; }
hpid=$(podman inspect --format '{{.State.Pid}}' "$CTR")
[ -n "$hpid" ] && [ "$hpid" != 0 ] || fail "no pid for $CTR"
expect daemon_comm "$(cat /proc/"$hpid"/comm)" trace-execd
expect node_name "$(tr '\0' '\n' </proc/"$hpid"/environ | sed -n 's/^NODE_NAME=//p')" "$(hostname)"
expect caps_after_start "$(awk '/^CapEff:/ { print $2 }' /proc/"$hpid"/status)" 0000000000080000  # CAP_SYS_PTRACE alone (EXEC_SHA256)
JOURNAL_PID=$hpid
progs=$(grep -h '^prog_id:' /proc/"$hpid"/fdinfo/* | awk '{ print $2 }' | sort -un)
maps=$(grep -h '^map_id:' /proc/"$hpid"/fdinfo/* | awk '{ print $2 }' | sort -un)
links=$(grep -h '^link_id:' /proc/"$hpid"/fdinfo/* | awk '{ print $2 }' | sort -un)
[ -n "$progs" ] && [ -n "$maps" ] && [ -n "$links" ] || fail "the pod's daemon holds no BPF objects"

# 4. An exec of the host and one of another container: in the host's
# journal, from the pod's daemon, the container's with CONTAINER_* fields.
/bin/true "$MARK-host"
wait_until 15 journal_has MESSAGE_ID=dae8ea1ec2964a42af0f34673ef7d561 EXEC_ARGV="/bin/true $MARK-host" ||
	{ podman logs "$CTR" 2>&1 | tail -20 >&2; fail "the host's exec is not in the journal"; }
ev=$(journal_json EXEC_ARGV="/bin/true $MARK-host" | head -1)
expect host_comm "$(field "$ev" EXEC_COMM)" true
expect host_rule "$(field "$ev" POLICY_RULE)" exec
expect host_no_container "$(field "$ev" CONTAINER_ID)" null
expect host_pid "$(field "$ev" _PID)" "$hpid"
# How a node selects the pod's entries (no unit: README.md, "Kubernetes";
# the rsyslog snippet's SENDER line): uid 0 and the daemon's executable,
# as the node's journald sees them.
expect host_sender "$(jqv "$ev" '[._UID, ._EXE] | join(" ")')" "0 /usr/sbin/trace-execd"
expect host_by_sender "$(JOURNAL_PID= journal_json _UID=0 _EXE=/usr/sbin/trace-execd EXEC_ARGV="/bin/true $MARK-host" | wc -l)" 1
BUSYBOX=$("$top_srcdir/tests/podman-image.sh" 2>"$WORK/image.err" | tail -1) ||
	{ cat "$WORK/image.err" >&2; fail "could not build the busybox test image"; }
podman run --name "$OTHER" --rm --cidfile "$WORK/other.cid" "$BUSYBOX" /bin/true "$MARK-ctr" ||
	fail "the other container did not run"
cid=$(cat "$WORK/other.cid")
wait_until 15 journal_has EXEC_ARGV="/bin/true $MARK-ctr" || fail "the other container's exec is not in the journal"
ev=$(journal_json EXEC_ARGV="/bin/true $MARK-ctr" | head -1)
expect ctr_name "$(field "$ev" CONTAINER_NAME)" "$OTHER"
expect ctr_id "$(field "$ev" CONTAINER_ID)" "${cid:0:12}"
expect ctr_id_full "$(field "$ev" CONTAINER_ID_FULL)" "$cid"
expect ctr_runtime "$(field "$ev" CONTAINER_RUNTIME)" podman
expect ctr_image "$(field "$ev" IMAGE_NAME)" "$BUSYBOX"
expect ctr_entries "$(journal_json EXEC_ARGV="/bin/true $MARK-ctr" | wc -l)" 1

# 4b. trace-exec inside the pod shows Inspektor Gadget's Kubernetes
# columns by default (NODE_NAME is set), the node's name in K8S.NODE (cut
# with "…" past its 12 columns; COLUMNS: ARGS wide enough for the mark).
(podman exec -e COLUMNS=400 "$CTR" timeout -s INT 20 trace-exec >"$WORK/pod-view.table" 2>"$WORK/pod-view.err" &)
wait_until 15 test -s "$WORK/pod-view.table" || { cat "$WORK/pod-view.err" >&2; fail "trace-exec in the pod wrote no header"; }
expect pod_view_header "$(head -1 "$WORK/pod-view.table" | awk '{ print $1, $2, $3, $4, $5 }')" \
	"K8S.NODE K8S.NAMESPACE K8S.PODNAME K8S.CONTAINERNAME COMM"
view_row() { /bin/true "$MARK-view"; grep -q "$MARK-view" "$WORK/pod-view.table"; }
wait_until 15 view_row || fail "no row of a host exec in the pod's trace-exec"
node=$(hostname)
[ ${#node} -le 12 ] || node=$(printf '%s\342\200\246' "${node:0:11}")
expect pod_view_node "$(grep -m1 "$MARK-view" "$WORK/pod-view.table" | awk '{ print $1 }')" "$node"
podman exec "$CTR" pkill -INT -x trace-exec 2>/dev/null || true

# 5. The liveness probe (podman's health check): healthy while the daemon
# traces; with the daemon stopped (SIGSTOP), the second probe after it
# fails (the first may still see the execs of the one before); healthy
# again once it goes on.
health() { podman healthcheck run "$CTR" >"$WORK/health.out" 2>&1; }
[ -n "$(podman inspect --format '{{.Config.Healthcheck}}' "$CTR" | grep -o 'liveness-probe')" ] ||
	fail "the liveness probe is not the container's health check"
wait_until 10 test -s "/proc/$hpid/root/run/trace-execd/status" || fail "the daemon wrote no status file"
health || { cat "$WORK/health.out" >&2; podman inspect --format "{{json .Config.Healthcheck}}" "$CTR" >&2; fail "the probe fails while the daemon traces"; }
wait_until 10 health || fail "the probe fails while the daemon traces (second run)"
kill -STOP "$hpid"
health
if health; then kill -CONT "$hpid"; fail "the probe passes with the daemon stopped"; fi
kill -CONT "$hpid"
wait_until 10 health || fail "the probe still fails after the daemon went on"
CHECKS=$((CHECKS + 3))

# 6. The pod's stop: the daemon exits and nothing of its tracer stays.
podman logs "$CTR" >"$WORK/logs.before" 2>&1
podman pod stop -t 30 "$POD" >/dev/null 2>"$WORK/stop.err" ||
	{ cat "$WORK/stop.err" >&2; fail "podman pod stop failed"; }
wait_until 30 sh -c "! kill -0 $hpid 2>/dev/null" || fail "the pod's daemon still runs"
code=$(podman inspect --format '{{.State.ExitCode}}' "$CTR")
[ "$code" = 0 ] || { grep -v 'healthcheck' "$WORK/stop.err" >&2
	podman logs "$CTR" 2>&1 | diff "$WORK/logs.before" - | tail -20 >&2
	fail "the pod's daemon exited with $code at the pod's stop, not 0"; }
CHECKS=$((CHECKS + 1))
gone() { local kind=$1 id; shift; for id; do bpftool "$kind" show id "$id" >/dev/null 2>&1 && return 1; done; return 0; }
wait_until 10 gone prog $progs || fail "BPF programs of the pod's daemon still loaded"
wait_until 10 gone map $maps || fail "BPF maps of the pod's daemon still there"
wait_until 10 gone link $links || fail "BPF links of the pod's daemon still there"
CHECKS=$((CHECKS + 3))
pass
