#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# k8s-view.sh: execs in CRI-style containerd containers (a k8s.io bundle and a kubepods cgroup set up here,
# no kubelet): trace-exec --k8s shows K8S.NODE K8S.NAMESPACE K8S.PODNAME K8S.CONTAINERNAME, the --k8s-* filters
# select exactly their pod's execs, K8S_NODE is NODE_NAME or the host name in JSON and in the journal.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq setpriv sha256sum hostname
ensure_tracefs
start_journald
U=$(free_uid 65091)
STATE=/run/containerd	# trace-exec reads containerd's default state directory
TASKS=$STATE/io.containerd.runtime.v2.task/k8s.io
CREATED=()	# directories this test made, in the order made

cgroup_roots
trap 'remove_recorded; cleanup' EXIT

# pod NAMESPACE POD CONTAINER: a CRI container of containerd (its bundle's
# config.json with the CRI plugin's annotations and the cgroup it names,
# systemd driver); its cgroup path in POD_CG (no subshell: CREATED).
pod() {
	local id puid rel
	id=$(printf '%s' "$MARK-$2" | sha256sum | cut -c1-64)
	puid=$(printf '%s' "$MARK-pod-$2" | sha256sum | cut -c1-32)
	rel=/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod$puid.slice/cri-containerd-$id.scope
	mkdirs_recorded "$TASKS/$id" $(for r in "${ROOTS[@]}"; do echo "$r$rel"; done)
	cat >"$TASKS/$id/config.json" <<EOF
{"ociVersion": "1.0.2", "root": {"path": "rootfs"},
 "linux": {"cgroupsPath": "kubepods-besteffort-pod$puid.slice:cri-containerd:$id"},
 "annotations": {"io.kubernetes.cri.container-type": "container",
   "io.kubernetes.cri.container-name": "$3", "io.kubernetes.cri.sandbox-name": "$2",
   "io.kubernetes.cri.sandbox-namespace": "$1", "io.kubernetes.cri.image-name": "registry.example/$3:1"}}
EOF
	POD_CG=$rel
}

# run_in REL ARG: a shell moves itself into cgroup REL of every root, then
# runs /bin/echo ARG as the test's uid there.
run_in() {
	local root procs=()
	for root in "${ROOTS[@]}"; do procs+=("$root$1/cgroup.procs"); done
	sh -c 'for f; do echo $$ > "$f" || exit 1; done
	       exec setpriv --reuid '"$U"' --regid '"$U"' --clear-groups /bin/echo "$0"' \
		"$2" "${procs[@]}" >/dev/null || fail "could not run in $1"
}
host_run() { setpriv --reuid "$U" --regid "$U" --clear-groups /bin/echo "$1" >/dev/null; }

WEB_POD="web-$MARK"
DB_POD="db-$MARK"
pod shop "$WEB_POD" web
web=$POD_CG
pod data "$DB_POD" db
db=$POD_CG
NODE="node-${MARK,,}"
HOST=$(hostname)

# The filters and the table, each in its own trace-exec.
"$TRACE_EXEC" --k8s-namespace shop --host >/dev/null 2>"$WORK/excl.err" && fail "--k8s-namespace with --host was accepted"
CHECKS=$((CHECKS + 1))
grep -q "exclude --host" "$WORK/excl.err" || fail "no reason given: $(cat "$WORK/excl.err")"
start_trace_exec all --uid "$U"
start_trace_exec ns --uid "$U" --k8s-namespace shop
start_trace_exec podname --uid "$U" --k8s-podname "$DB_POD"
start_trace_exec cname --uid "$U" --k8s-containername web
NODE_NAME=$NODE start_trace_exec node --uid "$U"
# (COLUMNS: ARGS wide enough for the marks; the K8S.* columns keep their
# widths, and a value wider is cut with "…")
COLUMNS=400 "$TRACE_EXEC" --k8s --uid "$U" >"$WORK/table.txt" 2>"$WORK/table.err" &
BG_PIDS+=($!); PID_table=$!
COLUMNS=400 NODE_NAME=$NODE "$TRACE_EXEC" --uid "$U" >"$WORK/table-env.txt" 2>"$WORK/table-env.err" &
BG_PIDS+=($!); PID_tenv=$!
KUBERNETES_SERVICE_HOST=10.0.0.1 "$TRACE_EXEC" --uid "$U" --k8s=false >"$WORK/table-off.txt" 2>"$WORK/table-off.err" &
BG_PIDS+=($!); PID_toff=$!
for f in table table-env table-off; do
	wait_until 20 grep -q "tracing execs" "$WORK/$f.err" || fail "trace-exec ($f) did not start: $(cat "$WORK/$f.err")"
done
conf="$WORK/trace-execd.yaml"
write_config "$conf" "settings:
  uid: $U
  containers: {containerd_state: $STATE}"
start_daemon d "$conf"
NODE_NAME=$NODE start_daemon dn "$conf"

run_in "$web" "$MARK-web"
run_in "$db" "$MARK-db"
host_run "$MARK-host"
run_in "$web" "$MARK-end"
run_in "$db" "$MARK-end"

# Everything arrived where it goes (the last exec of each pod seen).
wait_json all ".EXEC_ARG[1] == \"$MARK-end\" and .K8S_POD == \"$DB_POD\"" 15 >/dev/null
wait_json all ".EXEC_ARG[1] == \"$MARK-end\" and .K8S_POD == \"$WEB_POD\"" 15 >/dev/null
wait_json ns ".EXEC_ARG[1] == \"$MARK-end\"" 15 >/dev/null
wait_json podname ".EXEC_ARG[1] == \"$MARK-end\"" 15 >/dev/null
wait_json cname ".EXEC_ARG[1] == \"$MARK-end\"" 15 >/dev/null
wait_json node ".EXEC_ARG[1] == \"$MARK-end\" and .K8S_POD == \"$DB_POD\"" 15 >/dev/null
for n in all ns podname cname node; do stop_trace_exec $n; done

# The pod's fields, attributed by containerd's own record.
ev=$(json_find all ".EXEC_ARG[1] == \"$MARK-web\"")
expect web_fields "$(jqv "$ev" '[.CONTAINER_RUNTIME, .K8S_NAMESPACE, .K8S_POD, .K8S_CONTAINER, .CONTAINER_NAME, .IMAGE_NAME, .K8S_NODE] | tojson')" \
	"[\"containerd\",\"shop\",\"$WEB_POD\",\"web\",\"web\",\"registry.example/web:1\",\"$HOST\"]"
ev=$(json_find all ".EXEC_ARG[1] == \"$MARK-host\"")
expect host_fields "$(jqv "$ev" '[has("K8S_POD"), has("K8S_NODE"), has("CONTAINER_UNVERIFIED")] | tojson')" '[false,false,false]'
# Filters: exactly their pod's execs, no host exec.
mine() { json_find "$1" ".EXEC_ARG[1] | tostring | startswith(\"$MARK-\")" | jq -r '.EXEC_ARG[1] + "@" + (.K8S_POD // "host")' | sort | tr '\n' ' '; }
expect ns_filter "$(mine ns)" "$MARK-end@$WEB_POD $MARK-web@$WEB_POD "
expect podname_filter "$(mine podname)" "$MARK-db@$DB_POD $MARK-end@$DB_POD "
expect cname_filter "$(mine cname)" "$MARK-end@$WEB_POD $MARK-web@$WEB_POD "
# NODE_NAME: every exec carries it, host processes too.
expect node_all "$(json_find node ".EXEC_ARG[1] | tostring | startswith(\"$MARK-\")" | jq -r .K8S_NODE | sort -u)" "$NODE"
expect node_count "$(json_find node ".EXEC_ARG[1] | tostring | startswith(\"$MARK-\")" | wc -l)" 5

# The table: IG's columns, in its order.
header='K8S.NODE K8S.NAMESPACE K8S.PODNAME K8S.CONTAINERNAME COMM PID TID PCOMM PPID ARGS ERROR USER LOGINUSER GROUP'
wait_until 10 grep -q "$MARK-end" "$WORK/table.txt" "$WORK/table-env.txt" "$WORK/table-off.txt" || fail "no end row in a table"
for p in $PID_table $PID_tenv $PID_toff; do kill -INT "$p"; wait "$p" || fail "trace-exec exited with $?"; done
expect header "$(head -1 "$WORK/table.txt" | tr -s ' ')" "$header"
expect header_env "$(head -1 "$WORK/table-env.txt" | tr -s ' ')" "$header"
expect header_off "$(head -1 "$WORK/table-off.txt" | awk '{ print $1, $2 }')" "RUNTIME.CONTAINERNAME COMM"
# cell W VALUE: VALUE as a column W wide shows it (ASCII): whole, or its
# first W-1 characters and "…"
cell() { if [ ${#2} -le "$1" ]; then printf '%s' "$2"; else printf '%s\342\200\246' "${2:0:$1-1}"; fi; }
expect web_row "$(grep -- "$MARK-web" "$WORK/table.txt" | awk '{ print $1, $2, $3, $4, $5, $11 }')" \
	"$(cell 12 "$HOST") shop $(cell 16 "$WEB_POD") web echo $MARK-web"
expect db_row_env "$(grep -- "$MARK-db" "$WORK/table-env.txt" | awk '{ print $1, $2, $3, $4, $5, $11 }')" \
	"$(cell 12 "$NODE") data $(cell 16 "$DB_POD") db echo $MARK-db"
# a host process: the node (NODE_NAME), empty pod columns
expect host_row_env "$(grep -- "$MARK-host" "$WORK/table-env.txt" | awk '{ print $1, $2, $8 }')" "$(cell 12 "$NODE") echo $MARK-host"

# The journal: K8S_NODE on the pod's entries; with NODE_NAME on all.
jq_node() { journal_json _PID="$1" EXEC_COMM=echo | jq -r --arg m "$MARK-" 'select(.EXEC_ARGV | tostring | contains($m)) | (.EXEC_ARG[1] // .EXEC_ARG) + "=" + (.K8S_NODE // "none")' | sort | tr '\n' ' '; }
journal_has_end() { [ "$(jq_node "$1" | grep -o "$MARK-end" | wc -l)" = 2 ]; }
for d in d dn; do
	eval "pid=\$PID_$d"
	JOURNAL_PID= wait_until 15 journal_has_end "$pid" || fail "the journal of $d lacks the end execs: $(JOURNAL_PID= jq_node "$pid")"
done
JOURNAL_PID=
expect journal_node "$(jq_node "$PID_d")" "$MARK-db=$HOST $MARK-end=$HOST $MARK-end=$HOST $MARK-host=none $MARK-web=$HOST "
expect journal_node_env "$(jq_node "$PID_dn")" "$MARK-db=$NODE $MARK-end=$NODE $MARK-end=$NODE $MARK-host=$NODE $MARK-web=$NODE "
stop_daemon d
stop_daemon dn
pass
