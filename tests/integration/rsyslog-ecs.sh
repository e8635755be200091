#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# rsyslog-ecs.sh: the shipped rsyslog snippet with its ECS template chosen, in a real rsyslogd reading a
# real journald, forwards trace-execd's entries to the shipped collector as Elastic Common Schema records:
# every record checked against the pinned table of ECS names and types (tests/ecs/), exact values, fields
# an entry lacks left out, N execs as N records.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/system/lib.sh"
need_root
need_cmd rsyslogd jq setpriv unshare mount ss journalctl /usr/bin/python3
ensure_tracefs
trap 'sys_collector_stop; sys_local_node_stop node; cleanup' EXIT
N=40
U=$(free_uid 64891)
TABLE="$top_srcdir/tests/ecs/ecs-fields.tsv"
CHECK="$top_srcdir/tests/ecs/ecs-check.jq"

start_journald
sys_collector_config
sys_collector_start

# The node: the shipped snippet, the collector filled in where it says
# EDIT, the ECS template chosen on the one line that says CHOOSE, the
# daemon (run by hand, no unit) named by its executable where it says
# SENDER.
sys_local_node_start node trace-execd-ecs

conf="$WORK/trace-execd.yaml"
write_config "$conf" "settings:
  uid: $U
  ignore_failed: false
rules:
  - name: ecs-tagged
    match: {args: '*$MARK-tag*'}
    priority: warning
    tags: [mitre_execution, T1059]
  - name: exec
    match: {}
    priority: info"
start_daemon d "$conf"

as_u() { setpriv --reuid "$U" --regid "$U" --clear-groups "$@"; }
as_u /bin/echo "$MARK-tag" "a b" 'q"x' >/dev/null
as_u "/nonexistent-$MARK" 2>/dev/null
as_u /bin/sh -c "i=0; while [ \$i -lt $N ]; do /bin/true $MARK-n-\$i; i=\$((i + 1)); done"
# An entry with every optional field, lineage ids and hash included, as
# trace-execd writes it for a process in a Kubernetes pod. The snippet
# forwards the daemon's entries only (uid 0, the daemon's executable):
# root, which can, sends it from a program at the daemon's path (a bind
# mount in a mount namespace of its own).
cat >"$WORK/synthetic" <<EOF
MESSAGE=ecs synthetic $MARK
MESSAGE_ID=dae8ea1ec2964a42af0f34673ef7d561
SYSLOG_IDENTIFIER=trace-execd
PRIORITY=2
EXEC_TIMESTAMP_USEC=1700000000012345
EXEC_COMM=sh
EXEC_PID=4242
EXEC_TID=4243
EXEC_PPID=1
EXEC_PCOMM=init
EXEC_ARGV=/bin/sh -c "echo hi"
EXEC_ARGS_JSON=["/bin/sh","-c","echo hi"]
EXEC_ARGC=3
EXEC_UID=1000
EXEC_USER=alice
EXEC_GID=1000
EXEC_GROUP=alice
EXEC_CWD=/home/alice
EXEC_EXE=/usr/bin/dash
EXEC_PARENT_EXE=/sbin/init
EXEC_ID=ZXhlYy00MjQy
EXEC_PARENT_ID=ZXhlYy0x
EXEC_SHA256=4f0b5e0e1c3c4b2e9e6f0d3b9a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c
CONTAINER_ID=0123456789ab
CONTAINER_ID_FULL=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
CONTAINER_NAME=web
CONTAINER_RUNTIME=containerd
IMAGE_NAME=docker.io/library/nginx:1.25
K8S_NAMESPACE=shop
K8S_POD=web-5d9c7
K8S_CONTAINER=web
EXEC_PACKAGE=dash
EXEC_PACKAGE_ARCH=amd64
EXEC_PACKAGE_VERSION=0.5.12-2
EXEC_PACKAGE_VERIFIED=modified
EXEC_FIRST_SEEN=image
POLICY_RULE=exec
POLICY_TAGS=
EOF
exe=$(readlink -f "$TRACE_EXECD")
send_held "ecs synthetic $MARK" "$WORK/synthetic" unshare -m \
	sh -c 'mount --bind "$1" "$2" || exit 1; p=$2; shift 2; exec "$p" "$@"' sh "$(readlink -f /usr/bin/python3)" "$exe"
expect synthetic_sender "$(jqv "$ev" '[._UID, ._EXE] | join(" ")')" "0 $exe"

# The records of this test: its daemon's (other tests' daemons write to
# the same journal) and the synthetic one.
mine() {
	[ -f "$SYS_COLLECTOR_FILE" ] || return 0
	jq -c --arg pid "$PID_d" --arg m "$MARK" \
		'select(.trace_execd._PID == $pid or .message == "ecs synthetic " + $m)' "$SYS_COLLECTOR_FILE"
}
loop_records() {
	mine | jq -r --arg p "/bin/true $MARK-n-" 'select(.process.command_line // "" | startswith($p)) | .process.command_line'
}
loop_count() { loop_records | wc -l; }
at_n() { [ "$(loop_count)" -ge "$N" ]; }
have() { [ -n "$(mine | jq -c "select($1)")" ]; }
wait_until 60 at_n || { tail "$WORK/node.log" "$WORK/collector.log" >&2; fail "$(loop_count) of $N loop records reached the collector"; }
wait_until 20 have '.process.name == "echo"' || fail "no record of the echo"
wait_until 20 have '.event.outcome == "failure"' || fail "no record of the failed exec"
wait_until 20 have '.message | contains("synthetic")' || fail "no record of the synthetic entry"
sleep 1	# duplicates would come now
expect loop_records "$(loop_count)" "$N"
expect distinct_loop_records "$(loop_records | sort -u | wc -l)" "$N"

# Every record against the pinned table of ECS names and types.
records=$(mine | wc -l)
[ "$records" -ge $((N + 4)) ] || fail "only $records records"
errors=$(mine | jq -c --rawfile table "$TABLE" -f "$CHECK" | grep -v '^\[\]$' | head -5)
[ -z "$errors" ] || fail "records that are not ECS as pinned: $errors"
CHECKS=$((CHECKS + records))

# The echo, field by field against its journal entry.
rec=$(mine | jq -c 'select(.process.name == "echo")')
journal=$(journal_json MESSAGE_ID=dae8ea1ec2964a42af0f34673ef7d561 EXEC_COMM=echo | jq -c --arg m "$MARK-tag" 'select(.EXEC_ARGV | tostring | contains($m))')
expect echo_records "$(printf '%s\n' "$rec" | grep -c .)" 1
expect echo_entries "$(printf '%s\n' "$journal" | grep -c .)" 1
expect args "$(jqv "$rec" '.process.args | tojson')" "[\"/bin/echo\",\"$MARK-tag\",\"a b\",\"q\\\"x\"]"
expect args_count "$(jqv "$rec" '.process.args_count | tojson')" 4
expect command_line "$(jqv "$rec" .process.command_line)" "$(jqv "$journal" .EXEC_ARGV)"
expect pid "$(jqv "$rec" '.process.pid | tojson')" "$(jqv "$journal" .EXEC_PID)"
expect tid "$(jqv "$rec" '.process.thread.id | tojson')" "$(jqv "$journal" .EXEC_TID)"
expect ppid "$(jqv "$rec" '.process.parent.pid | tojson')" "$(jqv "$journal" .EXEC_PPID)"
expect parent_name "$(jqv "$rec" .process.parent.name)" "$(jqv "$journal" .EXEC_PCOMM)"
expect executable "$(jqv "$rec" .process.executable)" "$(jqv "$journal" .EXEC_EXE)"
expect parent_executable "$(jqv "$rec" .process.parent.executable)" "$(jqv "$journal" .EXEC_PARENT_EXE)"
expect cwd "$(jqv "$rec" .process.working_directory)" "$(jqv "$journal" .EXEC_CWD)"
expect user_id "$(jqv "$rec" '.user.id | tojson')" "\"$U\""
expect user_name "$(jqv "$rec" .user.name)" "uid:$U"
expect group_id "$(jqv "$rec" '.group.id | tojson')" "\"$U\""
expect event "$(jqv "$rec" '[.event.kind, .event.category, .event.type, .event.action, .event.outcome] | tojson')" \
	'["event",["process"],["start"],"exec","success"]'
expect rule "$(jqv "$rec" .rule.name)" ecs-tagged
expect tags "$(jqv "$rec" '.tags | tojson')" '["mitre_execution","T1059"]'
expect log_level "$(jqv "$rec" .log.level)" warning
expect hostname "$(jqv "$rec" .host.hostname)" "$(jqv "$journal" ._HOSTNAME)"
us=$(jqv "$journal" .EXEC_TIMESTAMP_USEC)
expect timestamp "$(jqv "$rec" '.["@timestamp"]')" "$(date -u -d "@$((us / 1000000))" +%Y-%m-%dT%H:%M:%S).$(printf %06d $((us % 1000000)))Z"
# The journal's fields as they are, under one key.
expect raw_argv "$(jqv "$rec" .trace_execd.EXEC_ARGV)" "$(jqv "$journal" .EXEC_ARGV)"
expect raw_rule "$(jqv "$rec" .trace_execd.POLICY_RULE)" ecs-tagged
# A host process: no container, orchestrator or error key at all (not empty).
expect host_exec_keys "$(jqv "$rec" '[has("container"), has("orchestrator"), has("error")] | tojson')" '[false,false,false]'
# Lineage ids and hash: mapped exactly when the entry has them.
expect entity_ids "$(jqv "$rec" '[.process.entity_id, .process.parent.entity_id, .process.hash.sha256] | tojson')" \
	"$(jqv "$rec" '[.trace_execd.EXEC_ID, .trace_execd.EXEC_PARENT_ID, .trace_execd.EXEC_SHA256] | tojson')"

# The package of /bin/echo, where ECS has it; the verdict in the journal's
# fields, as they are.
expect package "$(jqv "$rec" '.package | tojson')" \
	"$(jqv "$journal" '{name: .EXEC_PACKAGE, type: "deb", version: .EXEC_PACKAGE_VERSION, architecture: .EXEC_PACKAGE_ARCH} | tojson')"
expect package_owner "$(jqv "$rec" .package.name)" coreutils
expect package_verdict "$(jqv "$rec" .trace_execd.EXEC_PACKAGE_VERIFIED)" yes

# The failed exec.
rec=$(mine | jq -c --arg f "/nonexistent-$MARK" 'select(.event.outcome == "failure" and (.process.command_line | contains($f)))')
expect failed_records "$(printf '%s\n' "$rec" | grep -c .)" 1
expect failed_error "$(jqv "$rec" .error.code)" ENOENT
expect failed_type "$(jqv "$rec" '[.event.action, .event.type] | tojson')" '["exec",["start"]]'
expect failed_rule_tags "$(jqv "$rec" '[.rule.name, has("tags"), has("package")] | tojson')" '["exec",false,false]'

# The synthetic entry: every optional field where ECS has it.
rec=$(mine | jq -c 'select(.message | contains("synthetic"))')
expect synthetic_records "$(printf '%s\n' "$rec" | grep -c .)" 1
expect synthetic_package "$(jqv "$rec" '[.package, .trace_execd.EXEC_PACKAGE_VERIFIED, .trace_execd.EXEC_FIRST_SEEN] | tojson')" \
	'[{"name":"dash","type":"deb","version":"0.5.12-2","architecture":"amd64"},"modified","image"]'
expect synthetic "$(jqv "$rec" '{t: .["@timestamp"], l: .log.level, p: .process, u: .user, g: .group, c: .container, o: .orchestrator, r: .rule, tags: has("tags")} | tojson')" \
'{"t":"2023-11-14T22:13:20.012345Z","l":"crit","p":{"pid":4242,"thread":{"id":4243},"name":"sh","executable":"/usr/bin/dash","args":["/bin/sh","-c","echo hi"],"args_count":3,"command_line":"/bin/sh -c \"echo hi\"","working_directory":"/home/alice","entity_id":"ZXhlYy00MjQy","hash":{"sha256":"4f0b5e0e1c3c4b2e9e6f0d3b9a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c"},"parent":{"pid":1,"name":"init","executable":"/sbin/init","entity_id":"ZXhlYy0x"}},"u":{"id":"1000","name":"alice"},"g":{"id":"1000","name":"alice"},"c":{"id":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","name":"web","image":{"name":"docker.io/library/nginx:1.25"},"runtime":"containerd"},"o":{"type":"kubernetes","namespace":"shop","resource":{"type":"pod","name":"web-5d9c7"}},"r":{"name":"exec"},"tags":false}'

# The daemon's own entry (configuration loaded): ECS too, no process.
rec=$(mine | jq -c 'select(.trace_execd.MESSAGE_ID == "cdf5c2b062a34ebc99399a391ddd2130")')
expect config_records "$(printf '%s\n' "$rec" | grep -c .)" 1
expect config_event "$(jqv "$rec" '[.event.action, has("process")] | tojson')" '["config-loaded",false]'
stop_daemon d
pass
