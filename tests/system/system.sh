#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# system.sh: the system tier. Boots Debian 12 minbase (systemd-nspawn -b,
# real systemd and journald), installs the Debian package with apt, then
# checks what a user sees: the unit started by the package, exec entries in
# the journal, a fleet (a second booted node; both upload their journals
# to systemd-journal-remote on the host, where trace-exec -D reads them),
# reload, restarts without a gap (kill -9, systemctl restart, an upgrade
# of the package), the watchdog, the sandbox, a clean stop, forwarding to
# a SIEM collector through the shipped rsyslog snippet, loss counts across
# restarts, and a purge that leaves nothing behind.
# Prints "ok N - name" / "not ok N - name"; exits 1 if any scenario failed,
# 77 when this machine cannot boot a container.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/system/lib.sh"

trap 'sys_teardown; cleanup' EXIT
trap sys_interrupted INT TERM HUP

MSG_EXEC=dae8ea1ec2964a42af0f34673ef7d561
MSG_CONFIG_LOADED=cdf5c2b062a34ebc99399a391ddd2130
MSG_CONFIG_REJECTED=e52fd5c884ef43f88d7b255d1cfcec89
MSG_LOST=d333764d0c444f98b610d0f2e926ec92
UNIT=trace-execd.service
# The daemon's entries, by their sender as journald records it (fields no
# client can set): uid 0, from the kernel, and the unit. Never by
# SYSLOG_IDENTIFIER alone, which any local user can write.
DAEMON="_UID=0 _SYSTEMD_UNIT=$UNIT"
# The daemon's entries across a kill -9: journald reads the unit from the
# sender's /proc when it takes an entry and forgets a dead process after
# 5 s, so the entries still in its queue when the daemon was killed can
# come without it (journald stalled); the kernel's uid is always there.
# (No other uid 0 process of the booted system writes trace-execd's
# identifier; the forwarding scenario checks that a forged one of another
# uid is in the journal and never forwarded.)
DAEMON_ANY_PROCESS="_UID=0 SYSLOG_IDENTIFIER=trace-execd"
# The same daemon built with a BPF object that differs (its debug info):
# what an upgrade installs.
NEXT_DAEMON="$top_builddir/tests/system/trace-execd-next"
# Execs of each restart scenario; the restart comes after a quarter.
LOOP_EXECS=${TE_SYSTEM_LOOP_EXECS:-2000}
# The tracer's objects and the state memfd in systemd's fd store.
STORED_FDS=15
# Execs for the forwarding check: more than the container's journald lets
# through for a service without its own log rate limit (see
# sys_prepare_root), so a unit without it loses some.
FWD_EXECS=${TE_SYSTEM_FWD_EXECS:-3000}
# Journal entries written before them, more than imjournal's default rate
# limit (20000 per 10 min, counting every entry it reads): a snippet
# without Ratelimit.Interval="0" loses the execs that follow.
FLOOD_LINES=${TE_SYSTEM_FLOOD_LINES:-25000}
QUEUED_EXECS=${TE_SYSTEM_QUEUED_EXECS:-300}
ECS_EXECS=${TE_SYSTEM_ECS_EXECS:-500}
# The failed-exec flood: 4 threads of one uid, 32 KiB arguments, this long.
FAILFLOOD_SECS=${TE_SYSTEM_FAILFLOOD_SECS:-60}
T0=$(date +%s)

[ -x "$TRACE_EXECD" ] || skip "trace-execd is not built"
[ -f "$top_builddir/systemd/trace-execd.service" ] || skip "the unit is not generated (make all)"
sys_check_host
sys_prepare_root
sys_boot
sys_collector_config
sys_log "booted in $(( $(date +%s) - T0 )) s (leader pid $SYS_LEADER)"

# ---- helpers of the scenarios ----

# nonempty CMD...: CMD prints something (to poll with sys_wait).
nonempty() { [ -n "$("$@")" ]; }
# at_least N CMD...: CMD prints a number >= N.
at_least() { local n=$1; shift; [ "$("$@")" -ge "$n" ]; }
restarts_are() { [ "$(sys_show $UNIT NRestarts)" = "$1" ]; }
status_has_counters() {
	sys_run systemctl status --no-pager $UNIT |
		grep -Eq 'Status: "Tracing: [0-9]+ events, [0-9]+ written, [0-9]+ dropped by policy, [0-9]+ rate-limited, [0-9]+ lost, [0-9.]+ events/s"'
}

# exec_entries MARK [COMM]: the container journal's exec entries whose
# EXEC_ARGV contains MARK (optionally of one EXEC_COMM).
exec_entries() {
	sys_journal $DAEMON MESSAGE_ID=$MSG_EXEC ${2:+EXEC_COMM=$2} |
		jq -c --arg m "$1" 'select((.EXEC_ARGV | type) == "string" and (.EXEC_ARGV | contains($m)))'
}

# wait_entry MARK COMM [TIMEOUT]: wait for the exec entry, print it.
wait_entry() {
	local e
	sys_wait "${3:-15}" nonempty exec_entries "$1" "$2" ||
		fail "no exec entry for '$1' (EXEC_COMM=$2) in the container's journal"
	exec_entries "$1" "$2" | head -1
}

main_pid() { sys_show $UNIT MainPID; }
is_active() { [ "$(sys_show $UNIT ActiveState)" = active ] && [ "$(sys_show $UNIT SubState)" = running ]; }
# msg_count MSGID: how many entries of that MESSAGE_ID the journal has.
msg_count() { sys_journal $DAEMON MESSAGE_ID="$1" | grep -c .; }

# config_event MSGID COUNT: the newest entry of MSGID if there are more
# than COUNT of them (written since the count was taken).
config_event() {
	local all
	all=$(sys_journal $DAEMON MESSAGE_ID="$1")
	[ "$(printf '%s\n' "$all" | grep -c .)" -gt "$2" ] || return 0
	printf '%s\n' "$all" | tail -1
}

# lost_reports SINCE: the daemon's lost-events entries since then (epoch s).
lost_reports() { sys_journal $DAEMON MESSAGE_ID=$MSG_LOST --since "@$1"; }
reports_are() { [ "$(lost_reports "$1" | grep -c .)" -ge "$2" ]; }
reported_sum() { lost_reports "$1" | jq -s 'map(.EXEC_LOST | tonumber) | add // 0'; }
# status_lost: the losses systemctl status shows (all, reported or not).
status_lost() { sys_show $UNIT StatusText | sed -n 's/.*, \([0-9][0-9]*\) lost,.*/\1/p'; }
status_lost_is() { [ "$(status_lost)" = "$1" ]; }
# all_reported: every loss since the tier began is in a lost-events entry.
all_reported() { [ "$(status_lost)" = "$(reported_sum "$T0")" ]; }

set_policy() {	# set_policy YAML: the container's configuration file
	printf '%s\n' "$1" >"$SYS_ROOT$SYS_CONFIG"
	chmod 0644 "$SYS_ROOT$SYS_CONFIG"
}


# ---- The fleet: systemd-journal-upload on two nodes, systemd-journal-remote
# on the host, trace-exec -D there (trace-exec(8), COLLECTING A FLEET) ----

FLEET_EXECS=${TE_SYSTEM_FLEET_EXECS:-200}
remote_pid=
# at_collector ARGS...: trace-exec over the collector's directory, JSON.
at_collector() { "$TRACE_EXEC" -D "$WORK/remote" -o json "$@" 2>>"$WORK/fleet-tx.err"; }
# collected HOST MARK: the collected execs of true with MARK from HOST.
collected() { at_collector --since "@$FLEET_T0" --hostname "$1" --comm true | grep -c -- "$2"; }
collected_are() { [ "$(collected "$1" "$2")" -ge "$3" ]; }
# exec_fields: an entry's record fields (and its sender's), sorted by id.
exec_fields() {
	jq -c --arg m "$1" 'select((.EXEC_ARGV | type) == "string" and (.EXEC_ARGV | contains($m)))
		| with_entries(select(.key | test("^(EXEC_|CONTAINER_|POLICY_|ERRNO$|_UID$|_SYSTEMD_UNIT$|_HOSTNAME$|MESSAGE_ID$)")))
		| if (.EXEC_ARG | type) == "array" then .EXEC_ARG |= sort else . end' |
		jq -s -c -S 'sort_by(.EXEC_ID) | .[]'
}

fleet_stop() {
	sys_run systemctl stop systemd-journal-upload 2>/dev/null
	[ -n "$remote_pid" ] && kill "$remote_pid" 2>/dev/null
	sys_stop_second node-b
}

t_fleet() {
	local port b bdir mid cursor tree top
	trap fleet_stop EXIT
	FLEET_T0=$(date +%s)
	port=$(sys_free_port)
	mkdir -p "$WORK/remote"
	/lib/systemd/systemd-journal-remote --listen-http="127.0.0.1:$port" --output="$WORK/remote/" \
		>"$WORK/remote.log" 2>&1 &
	remote_pid=$!
	sys_wait 15 sh -c "ss -Hltn 'sport = :$port' | grep -q ." || fail "systemd-journal-remote does not listen on $port"
	# Node A, this tier's node: uploads its whole journal.
	printf '[Upload]\nURL=http://127.0.0.1:%s\n' "$port" >"$SYS_ROOT/etc/systemd/journal-upload.conf"
	sys_run systemctl start systemd-journal-upload || fail "systemd-journal-upload does not start on node A"
	# Node B: trace-execd in a journal namespace of its own, whose
	# directory alone is uploaded (trace-exec(8)'s recipe).
	b=$(sys_boot_second node-b te-node-b) || fail "node B did not boot"
	sys_log "node B booted (leader $b)"
	bsh() { SYS_LEADER=$b sys_sh "$1"; }
	bsh 'mkdir -p /etc/systemd/system/trace-execd.service.d &&
	     printf "[Service]\nLogNamespace=trace-execd\n" >/etc/systemd/system/trace-execd.service.d/namespace.conf' ||
		fail "node B: the namespace drop-in"
	SYS_LEADER=$b sys_apt install "$SYS_DEB_IN" >"$WORK/apt-b.log" 2>&1 ||
		{ tail -20 "$WORK/apt-b.log" >&2; fail "node B: apt install failed"; }
	expect node-b-namespace "$(SYS_LEADER=$b sys_show $UNIT LogNamespace)" trace-execd
	bdir=$(bsh 'for d in /var/log/journal /run/log/journal; do
		[ -d "$d/$(cat /etc/machine-id).trace-execd" ] && { echo "$d/$(cat /etc/machine-id).trace-execd"; break; }; done')
	[ -n "$bdir" ] || fail "node B has no journal directory of the namespace trace-execd"
	bsh "mkdir -p /etc/systemd/system/systemd-journal-upload.service.d &&
	     printf '[Upload]\nURL=http://127.0.0.1:$port\n' >/etc/systemd/journal-upload.conf &&
	     printf '[Service]\nExecStart=\nExecStart=/lib/systemd/systemd-journal-upload --save-state -D $bdir\n' \
		>/etc/systemd/system/systemd-journal-upload.service.d/namespace.conf &&
	     systemctl daemon-reload && systemctl start systemd-journal-upload" ||
		fail "node B: systemd-journal-upload does not start"
	# Marked execs on both nodes.
	sys_sh "for i in \$(seq $FLEET_EXECS); do /bin/true $MARK-fa-\$i; done" || fail "node A: the execs"
	bsh "for i in \$(seq $FLEET_EXECS); do /bin/true $MARK-fb-\$i; done" || fail "node B: the execs"
	# A tree on node B: a shell that runs a shell that runs true.
	bsh "/bin/sh -c '/bin/sh -c \"/bin/true $MARK-leaf; true\" $MARK-mid; true' $MARK-top" || fail "node B: the tree"
	sys_wait 120 collected_are te-node "$MARK-fa-" "$FLEET_EXECS" ||
		fail "node A's execs at the collector: $(collected te-node "$MARK-fa-") of $FLEET_EXECS"
	sys_wait 120 collected_are te-node-b "$MARK-fb-" "$FLEET_EXECS" ||
		fail "node B's execs at the collector: $(collected te-node-b "$MARK-fb-") of $FLEET_EXECS"
	sys_wait 60 collected_are te-node-b "$MARK-leaf" 1 || fail "node B's tree is not at the collector"
	expect node-a-execs "$(collected te-node "$MARK-fa-")" "$FLEET_EXECS"
	expect node-b-execs "$(collected te-node-b "$MARK-fb-")" "$FLEET_EXECS"
	# every field as the node's journal has it
	expect node-a-fields "$(journalctl -D "$WORK/remote" -o json _HOSTNAME=te-node MESSAGE_ID=$MSG_EXEC EXEC_COMM=true | exec_fields "$MARK-fa-" | md5sum)" \
		"$(sys_journal $DAEMON MESSAGE_ID=$MSG_EXEC EXEC_COMM=true | exec_fields "$MARK-fa-" | md5sum)"
	expect node-b-fields "$(journalctl -D "$WORK/remote" -o json _HOSTNAME=te-node-b MESSAGE_ID=$MSG_EXEC EXEC_COMM=true | exec_fields "$MARK-fb-" | md5sum)" \
		"$(SYS_LEADER=$b sys_run journalctl --namespace=trace-execd -o json --no-pager MESSAGE_ID=$MSG_EXEC EXEC_COMM=true | exec_fields "$MARK-fb-" | md5sum)"
	expect node-b-field-count "$(journalctl -D "$WORK/remote" -o json _HOSTNAME=te-node-b MESSAGE_ID=$MSG_EXEC EXEC_COMM=true | exec_fields "$MARK-fb-" | wc -l)" "$FLEET_EXECS"
	# node B sent its namespace alone (no entry of its systemd), node A all
	expect node-b-namespace-only "$(journalctl -D "$WORK/remote" -o json _HOSTNAME=te-node-b _PID=1 | wc -l)" 0
	[ "$(journalctl -D "$WORK/remote" -o json _HOSTNAME=te-node _PID=1 | wc -l)" -gt 0 ] ||
		fail "node A's whole journal is not at the collector (no entry of its systemd)"
	CHECKS=$((CHECKS + 1))
	# The tree of node B's process, from the collector.
	# (its id from node B's own trace-exec, in the namespace)
	top=$(SYS_LEADER=$b sys_run trace-exec --namespace trace-execd --since "@$FLEET_T0" --comm sh -o json |
		jq -r --arg m "$MARK-top" 'select(.EXEC_ARG[-1] == $m) | .EXEC_ID')
	[ -n "$top" ] && [ "$(printf '%s\n' "$top" | wc -l)" = 1 ] || fail "node B's trace-exec --namespace does not show the tree's top shell once: $top"
	tree=$(at_collector --hostname te-node-b --tree "$top" | jq -r '"\(.TREE_DEPTH) \(.EXEC_ID) \(._HOSTNAME) \(.EXEC_ARGV)"')
	mid=$(printf '%s\n' "$tree" | awk -v id="$top" '$2 == id { print NR; exit }')
	[ -n "$mid" ] || fail "the tree from the collector has not the top shell: $tree"
	# from the top shell down, depths counted from it (its ancestors, the
	# host's and nsenter's, vary)
	expect fleet-tree "$(printf '%s\n' "$tree" | tail -n +"$mid" | sed "s/$MARK/M/g" |
		awk 'NR == 1 { d = $1 } { $1 = $1 - d; $2 = ""; print }' | tr -s ' ')" \
		"0 te-node-b /bin/sh -c \"/bin/sh -c \\\"/bin/true M-leaf; true\\\" M-mid; true\" M-top
1 te-node-b /bin/sh -c \"/bin/true M-leaf; true\" M-mid
2 te-node-b /bin/true M-leaf"
	# the report across both nodes
	expect fleet-report "$(at_collector --report --since "@$FLEET_T0" --comm true --top 0 | jq -c '[.by_host[] | select(.value | startswith("te-node")) | .value] | sort')" \
		'["te-node","te-node-b"]'
	sys_log "fleet: $FLEET_EXECS execs of each node at the collector, $(du -sh "$WORK/remote" | cut -f1) of journal"
}

# ---- scenarios ----

# apt install ./trace-execd_*.deb on a minbase system: apt installs what
# the unit runs (procps: ExecReload=/bin/kill), the package enables and
# starts the service (active (running) once READY=1 came, with the STATUS=
# counters), the policy is a conffile, systemd's trigger put the catalog in.
t_start() {
	local out st id
	sys_run dpkg-query -W -f='${Status}' procps 2>/dev/null | grep -q "ok installed" &&
		fail "procps is installed before the package: the root is not minbase's"
	sys_apt install "$SYS_DEB_IN" >"$WORK/apt-install.log" 2>&1 ||
		{ tail -30 "$WORK/apt-install.log" >&2; fail "apt install $SYS_DEB_IN failed"; }
	expect package_status "$(sys_run dpkg-query -W -f='${Status} ${Version}' trace-execd)" \
		"install ok installed $(dpkg-deb -f "$SYS_DEB" Version)"
	expect procps_status "$(sys_run dpkg-query -W -f='${Status}' procps)" "install ok installed"
	sys_run test -x /bin/kill || fail "no /bin/kill after installing the package (ExecReload= runs it)"
	expect conffiles "$(sys_run dpkg-query -W -f='${Conffiles}' trace-execd | awk '{ print $1 }' | tr '\n' ' ')" \
		"$SYS_CONFIG "
	expect unit_path "$(sys_show $UNIT FragmentPath)" "$SYS_UNITDIR/$UNIT"
	for id in $MSG_EXEC 7709a7d283f54539a0009d14812ca56f d333764d0c444f98b610d0f2e926ec92 \
		$MSG_CONFIG_LOADED $MSG_CONFIG_REJECTED b22c1155a40d4359a68b2c5cae289d0e; do
		sys_run journalctl --list-catalog $id | grep -q "^$id trace-execd: " ||
			fail "catalog entry $id missing after the installation (systemd's catalog trigger)"
	done
	# Type=notify: the package's "systemctl start" returned once the
	# daemon said READY=1.
	is_active || { sys_run journalctl -u $UNIT --no-pager -n 30 >&2
		fail "not active (running) after apt install: $(sys_show $UNIT ActiveState)/$(sys_show $UNIT SubState)"; }
	expect type "$(sys_show $UNIT Type)" notify
	expect enabled "$(sys_run systemctl is-enabled $UNIT)" enabled
	[ "$(sys_show $UNIT StatusText)" != "" ] || fail "no STATUS= text after READY=1"
	# The counters come once a second.
	sys_wait 10 status_has_counters ||
		{ sys_run systemctl status --no-pager $UNIT >&2; fail "systemctl status shows no STATUS= counters"; }
	out=$(sys_run systemctl status --no-pager $UNIT)
	printf '%s\n' "$out" | grep -q "Active: active (running)" || fail "systemctl status: not active (running)"
	st=$(config_event $MSG_CONFIG_LOADED 0)
	[ -n "$st" ] || fail "no 'configuration loaded' entry at start-up"
	expect start_config_file "$(field "$st" CONFIG_FILE)" "$SYS_CONFIG"
	expect restarts "$(sys_show $UNIT NRestarts)" 0
}

# An exec inside the container: one entry, exact fields.
t_exec_fields() {
	local m="$MARK-exec" sh ev
	sys_sh "cd /var/log && /bin/true $m 'two words' '' && exit 0" || fail "running the command failed"
	ev=$(wait_entry "$m" true)
	sh=$(wait_entry "$m" sh)
	expect entries "$(exec_entries "$m" true | wc -l)" 1
	expect message_id "$(field "$ev" MESSAGE_ID)" $MSG_EXEC
	expect comm "$(field "$ev" EXEC_COMM)" true
	# journald keeps a repeated field as a set (no order): EXEC_ARGV has it.
	expect args "$(jqv "$ev" '.EXEC_ARG | sort | @json')" "[\"\",\"/bin/true\",\"$m\",\"two words\"]"
	expect argc "$(field "$ev" EXEC_ARGC)" 4
	expect argv "$(field "$ev" EXEC_ARGV)" "/bin/true $m \"two words\" \"\""
	expect file "$(field "$ev" EXEC_FILE)" /usr/bin/true
	expect exe "$(field "$ev" EXEC_EXE)" /usr/bin/true
	expect cwd "$(field "$ev" EXEC_CWD)" /var/log
	expect user "$(field "$ev" EXEC_USER)" root
	expect uid "$(field "$ev" EXEC_UID)" 0
	expect pcomm "$(field "$ev" EXEC_PCOMM)" sh
	expect ppid "$(field "$ev" EXEC_PPID)" "$(field "$sh" EXEC_PID)"
	expect tid "$(field "$ev" EXEC_TID)" "$(field "$ev" EXEC_PID)"
	expect parent_exe "$(field "$ev" EXEC_PARENT_EXE)" /usr/bin/dash
	expect priority "$(field "$ev" PRIORITY)" 6
	expect rule "$(field "$ev" POLICY_RULE)" exec
	expect ident "$(field "$ev" SYSLOG_IDENTIFIER)" trace-execd
	expect facility "$(field "$ev" SYSLOG_FACILITY)" 10
	expect unit "$(field "$ev" _SYSTEMD_UNIT)" $UNIT
	expect message "$(field "$ev" MESSAGE)" \
		"root ran /usr/bin/true: /bin/true $m \"two words\" \"\" [pid $(field "$ev" EXEC_PID), parent sh[$(field "$sh" EXEC_PID)], cwd /var/log, rule exec]"
	# journalctl -x: the catalog explains the entry.
	sys_run journalctl -x --no-pager $DAEMON MESSAGE_ID=$MSG_EXEC EXEC_PID="$(field "$ev" EXEC_PID)" |
		grep -q "Subject: root ran true (pid $(field "$ev" EXEC_PID)), rule exec" ||
		fail "journalctl -x does not show the catalog entry"
}

# systemctl reload: a new policy applies; a broken one is rejected and the
# old one stays in force, the service still active.
t_reload() {
	local pid c ev
	pid=$(main_pid)
	sys_sh "/bin/true $MARK-before"
	ev=$(wait_entry "$MARK-before" true)
	expect rule_before "$(field "$ev" POLICY_RULE)" exec
	set_policy "rules:
  - name: reload-marked
    match:
      args: '*$MARK-r*'
    priority: crit
    tags: [t_reload, T1059]
  - name: everything
    match: {}
    priority: info"
	c=$(msg_count $MSG_CONFIG_LOADED)
	sys_run systemctl reload $UNIT || fail "systemctl reload failed"
	sys_wait 15 nonempty config_event $MSG_CONFIG_LOADED "$c" || fail "no 'configuration loaded' entry after the reload"
	expect loaded_rules "$(field "$(config_event $MSG_CONFIG_LOADED "$c")" CONFIG_RULES)" 2
	sys_sh "/bin/true $MARK-r1"
	ev=$(wait_entry "$MARK-r1" true)
	expect rule_new "$(field "$ev" POLICY_RULE)" reload-marked
	expect priority_new "$(field "$ev" PRIORITY)" 2
	expect tags_new "$(field "$ev" POLICY_TAGS)" "t_reload,T1059"
	# A broken policy: rejected, the previous one stays.
	set_policy "rules:
  - name: broken
    match:
      no_such_key: 1
    priority: loudest"
	c=$(msg_count $MSG_CONFIG_REJECTED)
	sys_run systemctl reload $UNIT || fail "systemctl reload (broken policy) failed"
	sys_wait 15 nonempty config_event $MSG_CONFIG_REJECTED "$c" || fail "no 'configuration rejected' entry"
	ev=$(config_event $MSG_CONFIG_REJECTED "$c")
	[ "$(jqv "$ev" '.CONFIG_ERROR | if type == "array" then length else 1 end')" -ge 1 ] ||
		fail "the rejection has no CONFIG_ERROR"
	expect rejected_priority "$(field "$ev" PRIORITY)" 3
	# The old policy goes on, in the same process: an exec after the
	# rejection is logged by its rule, then the unit is still active.
	sys_sh "/bin/true $MARK-r2"
	ev=$(wait_entry "$MARK-r2" true)
	expect rule_kept "$(field "$ev" POLICY_RULE)" reload-marked
	is_active || fail "not active after a rejected reload"
	expect same_pid "$(main_pid)" "$pid"
}

# Put the shipped policy back after t_reload, whatever happened there (a
# restart checks the file with --check-config first).
# The shipped policy logs failed execs: four threads of one uid fail
# execve with 32 KiB arguments for FAILFLOOD_SECS. The loop reads the ring
# in bounded batches, so the watchdog (WatchdogSec=30s) is fed all along:
# no restart, the same daemon after it, and its losses reported.
t_failflood() {
	local pid n t0
	pid=$(main_pid)
	n=$(sys_show $UNIT NRestarts)
	t0=$(date +%s%6N)
	cp "$HELPERS/hostile-exec" "$SYS_ROOT/usr/local/bin/te-hostile-exec" ||
		fail "copying the flood helper into the container failed"
	sys_run /usr/local/bin/te-hostile-exec failflood 4243 4 "$FAILFLOOD_SECS" 32768 \
		>"$WORK/failflood.out" 2>&1 || fail "the flood failed: $(cat "$WORK/failflood.out")"
	expect restarts "$(sys_show $UNIT NRestarts)" "$n"
	expect same_daemon "$(main_pid)" "$pid"
	is_active || fail "not active after the flood"
	[ -z "$(sys_journal -u $UNIT _PID=1 | jq -r 'select(.MESSAGE | type == "string" and test("Watchdog timeout")) | .__REALTIME_TIMESTAMP' |
		awk -v t0="$t0" '$1 > t0')" ] || fail "systemd logged a watchdog timeout during the flood"
	sys_sh "/bin/true $MARK-failflood"
	wait_entry "$MARK-failflood" true >/dev/null
	sys_log "$(cat "$WORK/failflood.out") in $FAILFLOOD_SECS s: no restart, NRestarts $n"
}

# journald restarted in the middle of a loop: its socket is systemd's
# (systemd-journald.socket) and outlives it, the daemon's entries wait
# there or in the backlog: every exec once. (A journald started by hand
# takes its socket's queue with it: that case is not a restart.)
t_journald_restart() {
	local m="$MARK-jr"
	siem_policy
	mark_loop "$m" "$LOOP_EXECS" "systemctl restart systemd-journald"
	expect_once "$m" "$LOOP_EXECS"
	is_active || fail "trace-execd is not active after journald's restart"
	sys_log "journald restarted: $LOOP_EXECS execs exactly once"
}

restore_policy() {
	local c
	cmp -s "$WORK/shipped.yaml" "$SYS_ROOT$SYS_CONFIG" && return 0
	set_policy "$(cat "$WORK/shipped.yaml")"
	c=$(msg_count $MSG_CONFIG_LOADED)
	sys_run systemctl reload $UNIT
	sys_wait 15 nonempty config_event $MSG_CONFIG_LOADED "$c" ||
		sys_log "the shipped policy did not load again"
}

# ---- restarts without a gap ----

# mark_loop MARK N ACTION: N execs of /bin/true MARK-i as the traced user
# (host execs would fill the ring and journald: see siem_policy); once a
# quarter of them ran, ACTION (a kill, a restart) runs as root while the
# loop goes on.
mark_loop() {
	local flag="/tmp/te-quarter-$1" pid
	exec_loop "$1" "$2" "$flag" &
	pid=$!
	sys_wait 30 sys_run test -e "$flag" || { wait "$pid"; fail "the exec loop did not get a quarter through"; }
	sys_run /bin/sh -c "$3" || fail "'$3' failed"
	wait "$pid" || fail "the exec loop failed"
}

# loop_execs MARK: the loop's execs in the journal, each counted once.
# (By DAEMON_ANY_PROCESS, not the unit: see there.)
loop_execs() {
	sys_journal $DAEMON_ANY_PROCESS MESSAGE_ID=$MSG_EXEC EXEC_COMM=true |
		jq -r --arg m "$1" "$fwd_select | .EXEC_ARGV" | sort -u | wc -l
}

# expect_once MARK N: each of the loop's N execs has exactly one entry.
expect_once() {
	sys_wait 90 at_least "$2" loop_execs "$1" ||
		fail "$(loop_execs "$1") of the $2 execs of the loop are in the journal"
	expect entries "$(journal_count "$1")" "$2"
}

# daemon_said TEXT: the main process logged TEXT (a regex) on stderr (not
# an exec entry: the test's own commands, traced, contain the text).
daemon_said() {
	[ -n "$(sys_journal _PID="$(main_pid)" _TRANSPORT=stdout |
		jq -r --arg t "$1" 'select(.MESSAGE | type == "string" and test($t)) | .MESSAGE')" ]
}

# downtime_execs MARK: the loop's execs that ran while no daemon did:
# after systemd saw the old one end, before the new one said it took the
# tracer over (the same clock: the journal's realtime).
downtime_execs() {
	local t0 t1
	t1=$(sys_journal _PID="$(main_pid)" _TRANSPORT=stdout |
		jq -r 'select(.MESSAGE | type == "string" and test("took over the running tracer")) | .__REALTIME_TIMESTAMP' | head -1)
	[ -n "$t1" ] || { echo 0; return; }
	t0=$(sys_journal _PID=1 UNIT=$UNIT |
		jq -r --arg t1 "$t1" 'select((.MESSAGE | type == "string" and test("Main process exited|Deactivated successfully")) and (.__REALTIME_TIMESTAMP | tonumber) < ($t1 | tonumber)) | .__REALTIME_TIMESTAMP' | tail -1)
	[ -n "$t0" ] || { echo 0; return; }
	sys_journal $DAEMON_ANY_PROCESS MESSAGE_ID=$MSG_EXEC EXEC_COMM=true |
		jq -c --arg m "$1" --arg t0 "$t0" --arg t1 "$t1" "$fwd_select | select((.EXEC_TIMESTAMP_USEC | tonumber) > (\$t0 | tonumber) and (.EXEC_TIMESTAMP_USEC | tonumber) < (\$t1 | tonumber))" |
		wc -l
}

# expect_no_gap WHAT MARK: after WHAT during MARK's loop, the new process
# took the tracer over, each exec of the loop is in the journal exactly
# once, some of them ran while no daemon did, and the store holds the
# tracer again.
expect_no_gap() {
	local down
	sys_wait 10 daemon_said "took over the running tracer" || fail "the new process did not take the tracer over"
	expect_once "$2" "$LOOP_EXECS"
	down=$(downtime_execs "$2")
	[ "$down" -gt 0 ] || fail "no exec of the loop ran while no daemon did (the loop was too quick)"
	expect stored_fds "$(sys_show $UNIT NFileDescriptorStore)" $STORED_FDS
	sys_log "$1: $LOOP_EXECS execs exactly once, $down of them while no daemon ran"
}

new_main_pid() { local p; p=$(main_pid); [ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != "$1" ]; }
main_pid_is() { [ "$(main_pid)" = "$1" ]; }
stored_fds_are() { [ "$(sys_show $UNIT NFileDescriptorStore)" = "$1" ]; }

# kill -9 during a loop of execs: systemd restarts the service
# (Restart=on-failure, RestartSec=2s), the new process takes the tracer
# over from the fd store, and every exec is in the journal exactly once:
# those of the seconds without a daemon waited in the ring buffer, and so
# did those read but not yet sent when it died.
t_kill9() {
	local pid n m="$MARK-k9"
	siem_policy
	pid=$(main_pid)
	n=$(sys_show $UNIT NRestarts)
	sys_wait 10 stored_fds_are $STORED_FDS || fail "$(sys_show $UNIT NFileDescriptorStore) fds in the store, not $STORED_FDS"
	mark_loop "$m" "$LOOP_EXECS" "kill -9 $pid"
	sys_wait 30 restarts_are $((n + 1)) ||
		fail "no restart after kill -9 (NRestarts $(sys_show $UNIT NRestarts))"
	sys_wait 30 is_active || fail "not active again after kill -9"
	[ "$(main_pid)" != "$pid" ] || fail "same main pid after the restart"
	expect_no_gap "kill -9" "$m"
}

# systemctl restart during a loop of execs: the same.
t_restart() {
	local pid m="$MARK-rs"
	siem_policy
	pid=$(main_pid)
	mark_loop "$m" "$LOOP_EXECS" "systemctl restart --no-block $UNIT"
	sys_wait 30 new_main_pid "$pid" || fail "no new main process after systemctl restart"
	sys_wait 30 is_active || fail "not active again after systemctl restart"
	expect_no_gap "systemctl restart" "$m"
}

status_events() { sys_show $UNIT StatusText | sed -n 's/^Tracing: \([0-9][0-9]*\) events,.*/\1/p'; }
# status_backlog: the entries waiting for journald, as systemctl status shows.
status_backlog() { sys_show $UNIT StatusText | sed -n 's/.*journal backlog: \([0-9][0-9]*\) entries.*/\1/p'; }

# kill -9 while journald is stalled (SIGSTOP): the entries its queue did
# not take wait in the daemon's memory, and their records in the ring
# (given back only once handed over); the next process reads them again,
# and once journald goes on every exec is in the journal exactly once.
t_kill9_stalled() {
	local m="$MARK-st" n=1200 jpid ev0 pid restarts waiting
	siem_policy
	jpid=$(sys_show systemd-journald.service MainPID)
	[ -n "$jpid" ] && [ "$jpid" != 0 ] || fail "no journald main pid"
	sys_wait 10 nonempty status_events || fail "no STATUS= counters"
	ev0=$(status_events)
	sys_run kill -STOP "$jpid" || fail "kill -STOP journald failed"
	exec_loop "$m" $n
	if ! sys_wait 30 at_least $((ev0 + n)) status_events || ! sys_wait 10 at_least 100 status_backlog; then
		sys_run kill -CONT "$jpid"
		fail "the daemon did not read the execs, or nothing waited for journald ($(sys_show $UNIT StatusText))"
	fi
	waiting=$(status_backlog)
	pid=$(main_pid)
	restarts=$(sys_show $UNIT NRestarts)
	sys_run kill -KILL "$pid"
	sys_wait 30 restarts_are $((restarts + 1)) && sys_wait 30 is_active
	sys_run kill -CONT "$jpid" || fail "kill -CONT journald failed"
	is_active || fail "not active again after kill -9"
	sys_wait 10 daemon_said "took over the running tracer" || fail "the new process did not take the tracer over"
	expect_once "$m" $n
	sys_log "kill -9 with $waiting entries waiting for a stalled journald: $n execs exactly once"
	# Those journald took after it forgot the killed process have no unit
	# (the rsyslog snippet forwards them marked unverified: trace-execd(8),
	# SYSLOG).
	sys_log "$(sys_journal $DAEMON_ANY_PROCESS MESSAGE_ID=$MSG_EXEC EXEC_COMM=true |
		jq -c --arg m "$m" "$fwd_select | select(._SYSTEMD_UNIT == null)" | wc -l) of them without _SYSTEMD_UNIT"
}

# daemon_bpf_ids HOST_PID KIND: the ids of the BPF objects of KIND (prog,
# map, link) the process holds fds of (global ids of the kernel).
daemon_bpf_ids() {
	grep -h "^$2_id:" /proc/"$1"/fdinfo/* 2>/dev/null | awk '{ print $2 }' | sort -un
}

# bpf_gone KIND IDS...: none of these objects exists any more.
bpf_gone() {
	local kind=$1 id
	shift
	for id; do
		bpftool "$kind" show id "$id" >/dev/null 2>&1 && return 1
	done
	return 0
}

object_id() { "$1" --version | sed -n 's/.*BPF object \([0-9a-f]*\)).*/\1/p'; }
installed_version() { sys_run dpkg-query -W -f='${Version}' trace-execd; }

# next_package: the package again, one version up, with the daemon built
# from a BPF object that differs (NEXT_DAEMON): what an upgrade installs.
# Prints its path inside the container.
next_package() {
	local d="$WORK/next-deb" v out
	v="$(dpkg-deb -f "$SYS_DEB" Version)+next1"
	out="/srv/te-debs/trace-execd_${v}_$(dpkg-deb -f "$SYS_DEB" Architecture).deb"
	rm -rf "$d"
	dpkg-deb -R "$SYS_DEB" "$d" || return 1
	install -m 0755 "$NEXT_DAEMON" "$d$SYS_SBINDIR/trace-execd" || return 1
	sed -i "s/^Version: .*/Version: $v/" "$d/DEBIAN/control"
	(cd "$d" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z |
		xargs -0 md5sum) >"$d/DEBIAN/md5sums" || return 1
	dpkg-deb --root-owner-group -b "$d" "$SYS_ROOT$out" >/dev/null || return 1
	echo "$out"
}

# apt upgrades the package to one whose BPF object differs, during a loop
# of execs, with the policy changed locally: the package's "systemctl
# restart" (after the new files are in place) starts the new build, which
# switches over from the running tracer (its own programs on, the old ones
# off, two writes in a row) and reads the old ring first: every exec
# exactly once, nothing of the old tracer left, the local policy kept.
# Then back to the package under test (a downgrade), the same way.
t_upgrade() {
	local pid hpid m="$MARK-up" old new progs next v0 conf n
	[ -x "$NEXT_DAEMON" ] || fail "$NEXT_DAEMON is not built (make check-system builds it)"
	old=$(object_id "$SYS_ROOT$SYS_SBINDIR/trace-execd")
	new=$(object_id "$NEXT_DAEMON")
	[ -n "$new" ] && [ "$new" != "$old" ] || fail "the next build's BPF object is not another one ($new, $old)"
	next=$(next_package) || fail "making the next package failed"
	v0=$(installed_version)
	siem_policy	# the conffile, changed locally
	conf=$(md5sum <"$SYS_ROOT$SYS_CONFIG")
	pid=$(main_pid)
	n=$(sys_show $UNIT NRestarts)
	hpid=$(sys_host_pid "$pid") || fail "no host pid for main pid $pid"
	progs=$(daemon_bpf_ids "$hpid" prog)
	[ -n "$progs" ] || fail "the daemon holds no BPF programs"
	mark_loop "$m" "$LOOP_EXECS" \
		"DEBIAN_FRONTEND=noninteractive apt-get -q -y install $next >/var/log/te-upgrade.log 2>&1 ||
		 { tail -20 /var/log/te-upgrade.log >&2; exit 1; }"
	expect version "$(installed_version)" "$v0+next1"
	sys_wait 30 new_main_pid "$pid" || fail "no new main process after the upgrade"
	sys_wait 30 is_active || fail "not active after the upgrade"
	expect restarts "$(sys_show $UNIT NRestarts)" "$n"
	expect local_policy_kept "$(md5sum <"$SYS_ROOT$SYS_CONFIG")" "$conf"
	expect dpkg_leftovers "$(sys_sh 'ls /etc/trace-execd/ | grep -c dpkg')" 0
	sys_wait 10 daemon_said "loaded the tracer $new" || fail "the new build did not load its tracer"
	daemon_said "switched over from the earlier tracer" || fail "the new build did not switch over"
	daemon_said "reading first .* of tracer $old" || fail "the new build did not read the old ring"
	expect_once "$m" "$LOOP_EXECS"
	# the old ring leaves the store once read, the old programs go
	sys_wait 30 stored_fds_are $STORED_FDS ||
		fail "$(sys_show $UNIT NFileDescriptorStore) fds in the store after the upgrade, not $STORED_FDS"
	sys_wait 30 bpf_gone prog $progs || fail "programs of the old build still loaded"
	sys_log "apt upgrade $v0 -> $v0+next1 ($old -> $new): $LOOP_EXECS execs exactly once"
	pid=$(main_pid)
	sys_apt install --allow-downgrades "$SYS_DEB_IN" >"$WORK/apt-downgrade.log" 2>&1 ||
		{ tail -20 "$WORK/apt-downgrade.log" >&2; fail "apt install of the package under test (downgrade) failed"; }
	expect version_back "$(installed_version)" "$v0"
	sys_wait 30 new_main_pid "$pid" && sys_wait 30 is_active || fail "not active after the downgrade"
	sys_wait 10 daemon_said "switched over from the earlier tracer" || fail "no switch back to the package under test"
	expect local_policy_still "$(md5sum <"$SYS_ROOT$SYS_CONFIG")" "$conf"
}

# kill -STOP: the watchdog (WatchdogSec) kills and restarts it.
t_watchdog() {
	local pid n wd limit rs t0 t1 t2
	pid=$(main_pid)
	n=$(sys_show $UNIT NRestarts)
	wd=$(sys_show $UNIT WatchdogUSec)
	case "$wd" in
	*min*|*h*) fail "WatchdogSec $wd is too long for this test" ;;
	*s) limit=${wd%s} ;;
	*) fail "no watchdog set (WatchdogUSec=$wd)" ;;
	esac
	limit=${limit%%.*}
	t0=$(date +%s%6N)
	sys_run kill -STOP "$pid" || fail "kill -STOP failed"
	sys_wait $((limit + 60)) restarts_are $((n + 1)) ||
		fail "no restart $((limit + 60)) s after kill -STOP"
	sys_wait 30 is_active || fail "not active again after the watchdog restart"
	# When systemd acted, from its own journal entry (the same realtime
	# clock as ours): polling through nsenter under load would add its
	# own delay. Within WatchdogSec of the kill (the last ping came before
	# it), and a few seconds for a loaded PID 1 and journald.
	t1=$(sys_journal -u $UNIT _PID=1 |
		jq -r 'select(.MESSAGE | type == "string" and test("Watchdog timeout")) | .__REALTIME_TIMESTAMP' |
		tail -1)
	[ -n "$t1" ] || { sys_run journalctl -u $UNIT _PID=1 --no-pager -n 10 >&2
		fail "systemd did not log a watchdog timeout"; }
	[ "$t1" -gt "$t0" ] || fail "the watchdog timeout logged before the kill ($t1 < $t0)"
	[ $((t1 - t0)) -le $(((limit + 3) * 1000000)) ] ||
		fail "watchdog timeout $(((t1 - t0) / 1000)) ms after kill -STOP, WatchdogSec is ${limit} s"
	# And the restart scheduled RestartSec after it (same clock, a few
	# seconds of slack as above).
	rs=$(sys_show $UNIT RestartUSec)
	case "$rs" in *ms) rs=0 ;; *s) rs=${rs%s}; rs=${rs%%.*} ;; *) fail "RestartSec '$rs' not in seconds" ;; esac
	t2=$(sys_journal -u $UNIT _PID=1 |
		jq -r 'select(.MESSAGE | type == "string" and test("Scheduled restart job")) | .__REALTIME_TIMESTAMP' |
		tail -1)
	[ -n "$t2" ] || fail "systemd logged no scheduled restart after the watchdog timeout"
	[ "$t2" -ge "$t1" ] && [ $((t2 - t1)) -le $(((rs + 3) * 1000000)) ] ||
		fail "restart scheduled $(((t2 - t1) / 1000)) ms after the watchdog timeout, RestartSec is ${rs} s"
	sys_log "watchdog timeout $(((t1 - t0) / 1000)) ms after kill -STOP (WatchdogSec=${limit}s), restart $(((t2 - t1) / 1000)) ms later"
	[ "$(main_pid)" != "$pid" ] || fail "same main pid after the watchdog restart"
	sys_sh "/bin/true $MARK-wd"
	wait_entry "$MARK-wd" true >/dev/null
	# Stopped for WatchdogSec, the ring may have overflowed (the host's
	# execs are traced too): those losses are the new process' to report
	# (the counters came over with the tracer), at its first tick.
	sys_wait 20 all_reported || fail "systemctl status says $(status_lost) lost, the lost-events entries $(reported_sum "$T0")"
	[ "$(status_lost)" = 0 ] || sys_log "$(status_lost) execs lost while the daemon was stopped, and reported"
}

# The unit that scores <= 2.0 is the one running, and it traces.
t_sandbox() {
	local out score pid hpid st t0=$(date +%s)
	out=$(sys_run systemd-analyze security --no-pager $UNIT 2>&1) || true
	score=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	[ -n "$score" ] || { printf '%s\n' "$out" >&2; fail "no exposure level from systemd-analyze security"; }
	awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || fail "exposure $score > 2.0 for the running unit"
	sys_log "systemd-analyze security (live): $score"
	pid=$(main_pid)
	hpid=$(sys_host_pid "$pid") || fail "no host pid for main pid $pid"
	st=$(cat "/proc/$hpid/status")
	# CAP_SYS_PTRACE (bit 19) alone, for /proc/PID/exe (EXEC_SHA256)
	for c in CapEff CapPrm CapBnd; do
		expect "$c" "$(printf '%s\n' "$st" | awk -v k="$c:" '$1 == k { print $2 }')" 0000000000080000
	done
	expect CapAmb "$(printf '%s\n' "$st" | awk '$1 == "CapAmb:" { print $2 }')" 0000000000000000
	expect no_new_privs "$(printf '%s\n' "$st" | awk '$1 == "NoNewPrivs:" { print $2 }')" 1
	expect seccomp "$(printf '%s\n' "$st" | awk '$1 == "Seccomp:" { print $2 }')" 2
	# Private network: only loopback in the daemon's namespace.
	[ "$(readlink "/proc/$hpid/ns/net")" != "$(readlink /proc/self/ns/net)" ] || fail "PrivateNetwork= not in effect"
	# Still tracing, under that sandbox; a failed exec as well.
	sys_sh "/bin/true $MARK-sb; /nonexistent/$MARK-sb 2>/dev/null; exit 0"
	wait_entry "$MARK-sb" true >/dev/null
	sys_wait 15 nonempty sys_journal $DAEMON MESSAGE_ID=7709a7d283f54539a0009d14812ca56f EXEC_FILE="/nonexistent/$MARK-sb" ||
		fail "no failed-exec entry under the sandbox"
	expect lost "$(lost_reports "$t0" | wc -l)" 0
}

# pv_exec MARK COMM CMD: run the shell command CMD (it runs COMM with the
# argument MARK) until its entry has a hash and a package verdict that is
# not dpkg at work (a loaded machine's worker may not read a file within
# hash_wait: the next exec finds it); that entry.
pv_exec() {
	local m=$1 comm=$2 cmd=$3 i ev
	for i in 1 2 3 4 5; do
		sys_sh "$cmd $m-$i; exit 0"
		ev=$(wait_entry "$m-$i" "$comm")
		case "$(field "$ev" EXEC_PACKAGE_UNKNOWN) $(field "$ev" EXEC_SHA256_UNAVAILABLE)" in
		*timeout*|*dpkg-running*) sys_log "$comm: $(jqv "$ev" '[.EXEC_PACKAGE_UNKNOWN, .EXEC_SHA256_UNAVAILABLE] | @json'), once more"; sleep 1 ;;
		*) printf '%s\n' "$ev"; return 0 ;;
		esac
	done
	printf '%s\n' "$ev"
}

# Under the unit's sandbox: the host's dpkg database is read through PID
# 1's root (yes, the package and its version), a program no package
# installed is unpackaged (the shipped warning outside /usr/local) and
# first seen, a packaged binary changed is modified (the shipped crit
# rule), and the first sightings stay in the unit's state directory across
# a restart. The shipped rules without its drift rule: this system's root
# is an overlay, whose upper layer holds what the scenario writes.
t_provenance() {
	local ev pid m="$MARK-pv" v c rules
	rules=$(sed -n '/^  - name: package-file-modified$/,/^$/p; /^  - name: unpackaged-program$/,/^$/p' "$WORK/shipped.yaml")
	[ "$(printf '%s\n' "$rules" | grep -c '^  - name:')" = 2 ] || fail "the shipped rules package-file-modified and unpackaged-program are not in the shipped policy"
	set_policy "rules:
$rules
  - name: exec
    match: {}"
	c=$(msg_count $MSG_CONFIG_LOADED)
	sys_run systemctl reload $UNIT || fail "systemctl reload failed"
	sys_wait 15 nonempty config_event $MSG_CONFIG_LOADED "$c" || fail "the scenario's policy did not load"
	v=$(sys_run dpkg-query -W -f='${Version}' coreutils)
	ev=$(pv_exec "$m-true" true /bin/true)
	expect true_package "$(jqv "$ev" '[.EXEC_PACKAGE_VERIFIED, .EXEC_PACKAGE, .EXEC_PACKAGE_VERSION, .EXEC_PACKAGE_UNKNOWN] | @json')" \
		"[\"yes\",\"coreutils\",\"$v\",null]"
	sys_sh "mkdir -p /srv/pv && cp /usr/bin/true /srv/pv/tool && echo $m >> /srv/pv/tool" ||
		fail "copying true into /srv failed"
	ev=$(pv_exec "$m-srv" tool /srv/pv/tool)
	expect srv "$(jqv "$ev" '[.EXEC_PACKAGE_VERIFIED, .POLICY_RULE, .PRIORITY, .EXEC_FIRST_SEEN] | @json')" \
		'["unpackaged","unpackaged-program","4","host"]'
	sys_sh "cp -p /usr/bin/tac /root/tac.orig && printf x >> /usr/bin/tac" || fail "changing tac failed"
	ev=$(pv_exec "$m-tac" tac "tac /dev/null")
	sys_sh "cp /root/tac.orig /usr/bin/tac" || fail "putting tac back failed"
	expect tac "$(jqv "$ev" '[.EXEC_PACKAGE_VERIFIED, .EXEC_PACKAGE, .POLICY_RULE, .PRIORITY, .EXEC_PACKAGE_UNKNOWN] | @json')" \
		'["modified","coreutils","package-file-modified","2",null]'
	expect store "$(stat -c '%s %a' "$SYS_ROOT/var/lib/trace-execd/first-seen")" "$((64 + 16384 * 32)) 600"
	pid=$(main_pid)
	sys_run systemctl restart $UNIT
	sys_wait 30 new_main_pid "$pid" || fail "no new main process after systemctl restart"
	sys_wait 30 is_active || fail "not active again after systemctl restart"
	ev=$(pv_exec "$m-again" tool /srv/pv/tool)
	sys_sh "rm -rf /srv/pv"
	expect seen_before "$(jqv "$ev" '[.EXEC_PACKAGE_VERIFIED, .EXEC_FIRST_SEEN] | @json')" '["unpackaged",null]'
	restore_policy
}

# systemctl stop: exit 0, and nothing of the tracer stays: systemd closes
# the fd store once the unit is stopped with no job queued, so the
# programs, maps and links the daemon held (taken over from earlier
# processes by now) go; nothing is pinned either (a pinned one would stay).
t_stop() {
	local pid hpid progs maps links id
	pid=$(main_pid)
	hpid=$(sys_host_pid "$pid") || fail "no host pid for main pid $pid"
	progs=$(daemon_bpf_ids "$hpid" prog)
	maps=$(daemon_bpf_ids "$hpid" map)
	links=$(daemon_bpf_ids "$hpid" link)
	[ "$(printf '%s\n' "$progs" | grep -c .)" -ge 2 ] || fail "the daemon holds no BPF programs? ($progs)"
	[ -n "$maps" ] && [ -n "$links" ] || fail "the daemon holds no BPF maps or links? ($maps / $links)"
	for id in $progs; do
		bpftool prog show id "$id" 2>/dev/null | grep -q "name te_" || fail "program $id is not one of trace-execd's"
	done
	expect stored_fds_before "$(sys_show $UNIT NFileDescriptorStore)" $STORED_FDS
	sys_run systemctl stop $UNIT || fail "systemctl stop failed"
	expect active_state "$(sys_show $UNIT ActiveState)" inactive
	expect result "$(sys_show $UNIT Result)" success
	expect exit_status "$(sys_show $UNIT ExecMainStatus)" 0
	expect exit_code "$(sys_show $UNIT ExecMainCode)" 1	# CLD_EXITED
	! kill -0 "$hpid" 2>/dev/null || fail "the daemon is still running"
	sys_wait 10 stored_fds_are 0 || fail "$(sys_show $UNIT NFileDescriptorStore) fds still in the store"
	sys_wait 10 bpf_gone prog $progs ||
		fail "BPF programs still loaded after stop: $(for id in $progs; do bpftool prog show id "$id" 2>/dev/null; done)"
	sys_wait 10 bpf_gone map $maps || fail "BPF maps still there after stop"
	sys_wait 10 bpf_gone link $links || fail "BPF links still there after stop"
	[ -z "$(sys_sh 'ls -A /sys/fs/bpf 2>/dev/null')" ] || fail "objects pinned in the container's /sys/fs/bpf"
	# Start it again for the forwarding scenarios.
	sys_run systemctl start $UNIT || fail "start after stop failed"
	sys_wait 10 daemon_said "loaded the tracer" || fail "no new tracer loaded after stop and start"
}

# Kill rules live in the kernel with the tracer: enforced while the daemon
# runs, while it is dead and not yet restarted (kill -9, RestartSec=2s)
# and after; not once the service is stopped (the programs are detached).
t_kill_restart() {
	local pid n c st bin=/tmp/kill-me-$MARK
	set_policy "settings:
  uid: $SIEM_UID
  enforce: true
rules:
  - name: kill-restart
    action: kill
    match: {file: \"/tmp/kill-me-$MARK*\"}
  - name: exec
    match: {}"
	c=$(msg_count $MSG_CONFIG_LOADED)
	sys_run systemctl reload $UNIT || fail "systemctl reload failed"
	sys_wait 15 nonempty config_event $MSG_CONFIG_LOADED "$c" || fail "the kill policy did not load"
	sys_run cp /bin/true "$bin" || fail "cannot copy the binary"	# /tmp: the container's tmpfs
	run_bin() { sys_run setpriv --reuid=$SIEM_UID --regid=$SIEM_UID --clear-groups "$bin"; echo $?; }
	expect running "$(run_bin)" 137
	pid=$(main_pid)
	n=$(sys_show $UNIT NRestarts)
	sys_run kill -9 "$pid"
	sys_wait 5 main_pid_is 0 || fail "the main pid did not go away after kill -9"
	expect dead "$(run_bin)" 137
	expect dead_no_restart_yet "$(sys_show $UNIT NRestarts)" "$n"
	sys_wait 30 restarts_are $((n + 1)) || fail "no restart after kill -9"
	sys_wait 30 is_active || fail "not active again after kill -9"
	expect restarted "$(run_bin)" 137
	sys_run systemctl stop $UNIT || fail "systemctl stop failed"
	expect stopped "$(run_bin)" 0
	sys_run systemctl start $UNIT || fail "start after stop failed"
	sys_wait 30 is_active || fail "not active after start"
	expect started "$(run_bin)" 137
	sys_run rm -f "$bin"
}

# jq program: the exec records of MARK's loop, by EXEC_ARGV.
fwd_select='select(.EXEC_COMM == "true" and (.EXEC_ARGV | type) == "string" and (.EXEC_ARGV | startswith("/bin/true " + $m + "-")))'

# journal_count MARK: the loop's exec entries in the container's journal
# (see loop_execs).
journal_count() {
	sys_journal $DAEMON_ANY_PROCESS MESSAGE_ID=$MSG_EXEC EXEC_COMM=true | jq -c --arg m "$1" "$fwd_select" | wc -l
}

# suspensions: how often rsyslog reported the forwarding action suspended.
suspensions() {
	sys_run journalctl -u rsyslog -o cat --no-pager | grep -c "action 'trace-execd-siem' suspended"
}
more_than() { local n=$1; shift; [ "$("$@")" -gt "$n" ]; }

flood_count() { sys_run journalctl -o cat --no-pager -u "te-flood-$$" | grep -c '^te-flood '; }

fwd_count() {	# fwd_count MARK: matching records in the collector's file
	[ -f "$SYS_COLLECTOR_FILE" ] || { echo 0; return; }
	jq -c --arg m "$1" "$fwd_select | .EXEC_ARGV" "$SYS_COLLECTOR_FILE" 2>/dev/null | wc -l
}

# wait_forwarded MARK N TIMEOUT: exactly N records, all different.
# What a failed forwarding leaves to look at: the journal, the node's
# rsyslog, the connection, the collector.
forward_diagnostics() {
	{
		echo "journal entries of $1: $(journal_count "$1")"
		echo "node rsyslog: $(sys_run systemctl is-active rsyslog 2>&1)"
		sys_run journalctl -u rsyslog --no-pager -n 15 2>&1 | sed 's/^/  node: /'
		echo "connections to :$SYS_COLLECTOR_PORT: $(ss -Htn "dport = :$SYS_COLLECTOR_PORT or sport = :$SYS_COLLECTOR_PORT" | wc -l)"
		tail -n 15 "$WORK/collector.log" 2>&1 | sed 's/^/  collector: /'
		ls -la "$SYS_COLLECTOR_DIR" 2>&1 | sed 's/^/  collector dir: /'
	} >&2
}
wait_forwarded() {
	local m=$1 n=$2 got uniq
	sys_wait "$3" at_least "$n" fwd_count "$m" || {
		forward_diagnostics "$m"
		fail "$(fwd_count "$m") of $n records reached the collector"
	}
	sleep 2	# anything more (duplicates) would arrive now
	got=$(fwd_count "$m")
	uniq=$(jq -r --arg m "$m" "$fwd_select | .EXEC_ARGV" "$SYS_COLLECTOR_FILE" | sort -u | wc -l)
	expect records "$got" "$n"
	expect distinct_records "$uniq" "$n"
}

# The forwarding and restart scenarios count records, and the daemon in the
# container also sees every exec of the host (one kernel): other tests' exec
# storms would bury the test's records in the node's rsyslog, and fill the
# ring buffer and journald while the daemon restarts. So trace one user
# only (settings.uid, filtered in the kernel) and run the execs as that user.
SIEM_UID=4242
siem_policy() {
	local c policy="settings:
  uid: $SIEM_UID
rules:
  - name: exec
    match: {}
    priority: info"
	[ "$(cat "$SYS_ROOT$SYS_CONFIG")" = "$policy" ] && return 0
	set_policy "$policy"
	c=$(msg_count $MSG_CONFIG_LOADED)
	sys_run systemctl reload $UNIT || fail "systemctl reload failed"
	sys_wait 15 nonempty config_event $MSG_CONFIG_LOADED "$c" || fail "the uid $SIEM_UID policy did not load"
}

# exec_loop MARK N [FLAG]: N execs of /bin/true MARK-i as the traced user;
# with FLAG, that file is created once a quarter of them ran.
exec_loop() {
	sys_run setpriv --reuid=$SIEM_UID --regid=$SIEM_UID --clear-groups \
		/bin/sh -c "cd /; i=0; while [ \$i -lt $2 ]; do /bin/true $1-\$i; i=\$((i + 1)); [ -z '$3' ] || [ \$i -ne $(($2 / 4)) ] || : >'$3'; done" ||
		fail "the exec loop failed"
}

# N execs in the container: exactly N records at the collector, with the
# journal's fields.
t_forward() {
	local m="$MARK-fwd" n=$FWD_EXECS journal rec diff t0 since=$(date +%s)
	siem_policy
	sys_collector_start
	sys_node_rsyslog
	# Fill imjournal's rate-limit window with other entries (a unit of
	# their own without journald's limit; the snippet does not forward them).
	t0=$(date +%s)
	sys_run systemd-run --quiet --wait --unit="te-flood-$$" -p LogRateLimitIntervalSec=1s -p LogRateLimitBurst=1000000 \
		/bin/sh -c "seq 1 $FLOOD_LINES | sed 's/^/te-flood /'" || fail "the journal flood failed"
	sys_wait 60 at_least "$FLOOD_LINES" flood_count ||
		fail "the $FLOOD_LINES flood lines are not in the journal"
	sys_log "$FLOOD_LINES other journal entries in $(( $(date +%s) - t0 )) s"
	# An exec entry the traced user forges, with trace-execd's identifier
	# and message id: in the journal, never at the collector (it would be
	# one record more than the loop's: fwd_select takes its EXEC_ARGV).
	printf '%s\n' "MESSAGE=forged $m" "MESSAGE_ID=$MSG_EXEC" SYSLOG_IDENTIFIER=trace-execd \
		EXEC_COMM=true "EXEC_ARGV=/bin/true $m-forged" _SYSTEMD_UNIT=$UNIT _UID=0 |
		sys_run setpriv --reuid=$SIEM_UID --regid=$SIEM_UID --clear-groups logger --journald ||
		fail "the forged entry could not be written"
	forged=$(sys_journal SYSLOG_IDENTIFIER=trace-execd EXEC_ARGV="/bin/true $m-forged")
	expect forged_in_journal "$(jqv "$forged" '[.MESSAGE_ID, ._UID, ._SYSTEMD_UNIT == "trace-execd.service"] | tojson')" \
		"[\"$MSG_EXEC\",\"$SIEM_UID\",false]"
	t0=$(date +%s)
	exec_loop "$m" "$n"
	sys_log "$n execs in $(( $(date +%s) - t0 )) s"
	wait_forwarded "$m" "$n" 180
	expect forged_at_collector "$(grep -c "forged $m" "$SYS_COLLECTOR_FILE")" 0
	sys_log "$n records at the collector $(( $(date +%s) - t0 )) s after the first exec"
	expect journal_entries "$(journal_count "$m")" "$n"
	# One record against its journal entry: every field the same (a
	# repeated field, EXEC_ARG, arrives as its last value: imjournal).
	journal=$(sys_journal $DAEMON MESSAGE_ID=$MSG_EXEC EXEC_ARGV="/bin/true $m-7")
	rec=$(jq -c --arg a "/bin/true $m-7" 'select(.EXEC_ARGV == $a)' "$SYS_COLLECTOR_FILE")
	expect journal_match "$(printf '%s\n' "$journal" | grep -c .)" 1
	expect record_match "$(printf '%s\n' "$rec" | grep -c .)" 1
	diff=$(jq -n -c --argjson j "$journal" --argjson r "$rec" '
		[ $j | to_entries[] | select(.key | startswith("__") | not)
		  | select(if (.value | type) == "array" then $r[.key] != (.value | last) else $r[.key] != .value end)
		  | .key ]')
	expect differing_fields "$diff" "[]"
	expect field_count "$(jq -n --argjson j "$journal" --argjson r "$rec" \
		'[$j | keys[] | select(startswith("__") | not) | select(in($r) | not)] | length')" 0
	expect host "$(field "$rec" host)" te-node
	expect exec_argc "$(field "$rec" EXEC_ARGC)" 2
	expect exec_uid "$(field "$rec" EXEC_UID)" $SIEM_UID
	expect rule "$(field "$rec" POLICY_RULE)" exec
	[ -n "$(field "$rec" '["@timestamp"]')" ] || fail "no @timestamp in the record"
	# lineage and hash, forwarded as the journal has them (compared above),
	# and right: the hash of the container's /usr/bin/true, found by the
	# sandboxed daemon through PID 1's root after the exec ended
	[[ $(field "$rec" EXEC_ID) =~ ^[0-9a-f]{16}-[0-9]+-[0-9]+-[0-9]+$ ]] ||
		fail "no EXEC_ID in the record: $(field "$rec" EXEC_ID)"
	[ "$(field "$rec" EXEC_PARENT_ID)" != null ] || fail "no EXEC_PARENT_ID in the record"
	[ "$(field "$rec" EXEC_SHA256_UNAVAILABLE)" = null ] ||
		fail "no EXEC_SHA256: $(field "$rec" EXEC_SHA256_UNAVAILABLE) (EXEC_MNTNS $(field "$rec" EXEC_MNTNS), PID 1's $(readlink "/proc/$SYS_LEADER/ns/mnt"), exe $(field "$rec" EXEC_EXE), unreachable $(field "$rec" EXEC_EXE_UNREACHABLE); daemon: $(sys_run journalctl -u $UNIT -o cat --no-pager | grep -a "/proc/1" | head -3))"
	expect fwd_sha256 "$(field "$rec" EXEC_SHA256)" "$(sha256sum "$SYS_ROOT/usr/bin/true" | cut -c1-64)"
	expect lost "$(lost_reports "$since" | wc -l)" 0
}

# The collector goes away: records wait in the node's disk-assisted queue
# (across an rsyslog restart) and arrive once it is back.
t_forward_queued() {
	local m="$MARK-q" n=$QUEUED_EXECS spool="$SYS_ROOT/var/spool/rsyslog" n0
	[ -f "$SYS_ROOT/etc/rsyslog.d/60-trace-execd.conf" ] ||
		fail "the forwarding set-up of the previous scenario is missing"
	siem_policy
	[ -f "$WORK/collector.pid" ] || sys_collector_start
	n0=$(suspensions)
	sys_collector_stop
	! sys_collector_listening || fail "the collector still listens"
	# Plain TCP only notices that the collector went away when a send
	# fails: the record in flight then is lost, and may come twice later
	# (RELP has no such gap, see the snippet). Let one record find out,
	# and wait for rsyslog to suspend the action.
	exec_loop "$MARK-p" 1
	sys_wait 60 more_than "$n0" suspensions || fail "rsyslog did not suspend the forwarding action"
	exec_loop "$m" "$n"
	sys_wait 30 at_least "$n" journal_count "$m" ||
		fail "the $n execs are not in the container's journal"
	sleep 2	# imjournal reads them into the queue
	expect at_collector_while_down "$(fwd_count "$m")" 0
	# rsyslog stops with the collector still away: the queue goes to disk.
	sys_run systemctl stop syslog.socket rsyslog.service || fail "stopping rsyslog failed"
	ls "$spool"/trace-execd-fwd.* >/dev/null 2>&1 || fail "no disk queue (trace-execd-fwd.*) in /var/spool/rsyslog after the stop"
	sys_run systemctl start rsyslog || fail "starting rsyslog failed"
	sys_collector_start
	wait_forwarded "$m" "$n" 90
}

# The ECS template chosen on its one line: N execs in the container give
# exactly N ECS records at the collector, each right by the pinned table of
# ECS names and types (tests/ecs/).
ecs_select='select(.event.action == "exec" and (.process.command_line | startswith("/bin/true " + $m + "-")))'
ecs_count() {
	[ -f "$SYS_COLLECTOR_FILE" ] || { echo 0; return; }
	jq -c --arg m "$1" "$ecs_select" "$SYS_COLLECTOR_FILE" 2>/dev/null | wc -l
}
t_forward_ecs() {
	local m="$MARK-ecs" n=$ECS_EXECS conf="$SYS_ROOT/etc/rsyslog.d/60-trace-execd.conf" errors rec
	siem_policy
	[ -f "$WORK/collector.pid" ] || sys_collector_start
	[ -f "$conf" ] || sys_node_rsyslog
	sed -i 's|^\( *template=\)"trace-execd-json"$|\1"trace-execd-ecs"|' "$conf"
	expect chosen_lines "$(grep -c '^ *template="trace-execd-ecs"$' "$conf")" 1
	sys_run rsyslogd -N1 >"$WORK/rsyslog-check.log" 2>&1 ||
		{ cat "$WORK/rsyslog-check.log" >&2; fail "rsyslogd -N1 rejects the ECS template"; }
	sys_run systemctl restart rsyslog || fail "restarting rsyslog failed"
	exec_loop "$m" "$n"
	sys_wait 120 at_least "$n" ecs_count "$m" || {
		forward_diagnostics "$m"
		fail "$(ecs_count "$m") of $n ECS records reached the collector"
	}
	sleep 2	# anything more (duplicates) would arrive now
	expect ecs_records "$(ecs_count "$m")" "$n"
	expect distinct_ecs_records "$(jq -r --arg m "$m" "$ecs_select | .process.command_line" "$SYS_COLLECTOR_FILE" | sort -u | wc -l)" "$n"
	errors=$(jq -c --arg m "$m" "$ecs_select" "$SYS_COLLECTOR_FILE" |
		jq -c --rawfile table "$top_srcdir/tests/ecs/ecs-fields.tsv" -f "$top_srcdir/tests/ecs/ecs-check.jq" |
		grep -v '^\[\]$' | head -5)
	[ -z "$errors" ] || fail "records that are not ECS as pinned: $errors"
	rec=$(jq -c --arg a "/bin/true $m-7" 'select(.process.command_line? == $a)' "$SYS_COLLECTOR_FILE")
	expect record_7 "$(jqv "$rec" '[.process.args, .process.args_count, .user.id, .host.hostname, .rule.name, .event.outcome] | tojson')" \
		"[[\"/bin/true\",\"$m-7\"],2,\"$SIEM_UID\",\"te-node\",\"exec\",\"success\"]"
	sys_log "$n execs, $n ECS records at the collector"
	# Back to the journal's fields for what follows.
	sed -i 's|^\( *template=\)"trace-execd-ecs"$|\1"trace-execd-json"|' "$conf"
	sys_run systemctl restart rsyslog || fail "restarting rsyslog failed"
}

# metrics_file in node_exporter's textfile directory, under the unit's
# sandbox (ProtectSystem=strict, ReadWritePaths= of that directory): the
# counters of systemctl status, in the exposition format, readable by
# node_exporter's user.
t_metrics() {
	local dir=/var/lib/prometheus/node-exporter n=50 prom
	prom="$SYS_ROOT$dir/trace-execd.prom"
	mkdir -p "$SYS_ROOT$dir"
	set_policy "settings:
  uid: $SIEM_UID
  metrics_file: $dir/trace-execd.prom
rules:
  - name: exec
    match: {}
    priority: info"
	# ReadWritePaths= takes a directory that exists when the service starts
	sys_run systemctl restart $UNIT || fail "systemctl restart failed"
	sys_wait 15 test -f "$prom" || fail "no $dir/trace-execd.prom: $(sys_run journalctl -u $UNIT -n 5 --no-pager)"
	metric() { awk -v m="$1" '$1 == m { print $2 }' "$prom"; }
	exec_loop "$MARK-prom" $n
	# the loop's shell and its n execs (a restart starts the count anew)
	sys_wait 20 at_least $((n + 1)) metric trace_execd_events_total ||
		fail "events_total is $(metric trace_execd_events_total) after $n execs"
	expect written_is_events "$(metric trace_execd_written_total)" "$(metric trace_execd_events_total)"
	expect format_errors "$(awk -f "$top_srcdir/tests/prom-check.awk" "$prom")" ""
	expect mode_owner "$(stat -c '%a %U' "$prom")" "644 root"
	sys_log "metrics_file under the sandbox: $(metric trace_execd_events_total) events"
	restore_policy
	# the restart above counts towards the unit's start limit (5 in 10 s):
	# the next scenario restarts it as often again
	sys_run systemctl reset-failed $UNIT || fail "systemctl reset-failed failed"
}

# ---- loss counts across restarts ----


# overflow MARK: execs while the daemon is stopped (SIGSTOP), more than
# the small ring holds: the kernel counts the rest lost.
overflow() {
	local pid
	pid=$(main_pid)
	sys_run kill -STOP "$pid" || fail "kill -STOP failed"
	exec_loop "$1" 600
	sys_run kill -CONT "$pid" || fail "kill -CONT failed"
}

# Losses are reported once across a kill -9 and a systemctl restart: the
# kernel's counters stay with the tracer in the fd store, the reported
# counts with the state memfd, so each report after a restart counts only
# new losses, and the reports add up to the total systemctl status shows.
t_counters() {
	local t0 sum n
	set_policy "settings:
  uid: $SIEM_UID
  ringbuf_size: 64K
  lost_report_interval: 1s
rules:
  - name: exec
    match: {}
    priority: info"
	# the ring's size takes effect at a start, not at a restart
	sys_run systemctl stop $UNIT && sys_run systemctl start $UNIT || fail "stop and start failed"
	sys_wait 10 daemon_said "loaded the tracer" || fail "no new tracer after stop and start"
	t0=$(date +%s)
	overflow "$MARK-c1"
	sys_wait 30 reports_are "$t0" 1 || fail "no lost-events entry after the first overflow"
	n=$(sys_show $UNIT NRestarts)
	sys_run kill -KILL "$(main_pid)" || fail "kill -9 failed"
	sys_wait 30 restarts_are $((n + 1)) && sys_wait 30 is_active || fail "not active again after kill -9"
	overflow "$MARK-c2"
	sys_wait 30 reports_are "$t0" 2 || fail "no lost-events entry after the second overflow"
	sys_run systemctl restart $UNIT || fail "systemctl restart failed"
	overflow "$MARK-c3"
	sys_wait 30 reports_are "$t0" 3 || fail "no lost-events entry after the third overflow"
	lost_reports "$t0" | jq -e '(.EXEC_LOST | tonumber) > 0 and (.EXEC_LOST_RINGBUF | tonumber) > 0' >/dev/null ||
		fail "a lost-events entry without ring buffer losses"
	sum=$(reported_sum "$t0")
	sys_wait 10 status_lost_is "$sum" ||
		fail "the lost-events entries add up to $sum, systemctl status says $(status_lost) lost"
	expect reports "$(lost_reports "$t0" | grep -c .)" 3
	sys_log "losses reported once across kill -9 and restart: $(lost_reports "$t0" | jq -r .EXEC_LOST | tr '\n' ' ')(total $sum)"
	set_policy "$(cat "$WORK/shipped.yaml")"
	sys_run systemctl stop $UNIT && sys_run systemctl start $UNIT || fail "stop and start with the shipped configuration failed"
}

# apt purge: the service stopped, nothing of the tracer left (its
# programs, maps and links; nothing pinned), no unit, no file the package
# had (the policy included), no catalog entry. It runs last.
t_purge() {
	local pid hpid progs maps links files left
	pid=$(main_pid)
	hpid=$(sys_host_pid "$pid") || fail "no host pid for main pid $pid"
	progs=$(daemon_bpf_ids "$hpid" prog)
	maps=$(daemon_bpf_ids "$hpid" map)
	links=$(daemon_bpf_ids "$hpid" link)
	[ -n "$progs" ] && [ -n "$maps" ] && [ -n "$links" ] || fail "the daemon holds no BPF objects? ($progs / $maps / $links)"
	files=$(sys_run dpkg -L trace-execd) || fail "dpkg -L trace-execd failed"
	printf '%s\n' "$files" | grep -qx "$SYS_CONFIG" || fail "dpkg -L does not list $SYS_CONFIG"
	sys_apt purge trace-execd >"$WORK/apt-purge.log" 2>&1 ||
		{ tail -20 "$WORK/apt-purge.log" >&2; fail "apt purge trace-execd failed"; }
	! kill -0 "$hpid" 2>/dev/null || fail "the daemon still runs after the purge"
	expect package_state "$(sys_run dpkg-query -W -f='${Status}' trace-execd 2>/dev/null)" ""
	expect load_state "$(sys_show $UNIT LoadState)" not-found
	expect enablement "$(sys_sh "ls /etc/systemd/system/*.wants/ | grep -c trace-execd")" 0
	sys_wait 10 bpf_gone prog $progs ||
		fail "BPF programs still loaded after the purge: $(for id in $progs; do bpftool prog show id "$id" 2>/dev/null; done)"
	sys_wait 10 bpf_gone map $maps || fail "BPF maps still there after the purge"
	sys_wait 10 bpf_gone link $links || fail "BPF links still there after the purge"
	[ -z "$(sys_sh 'ls -A /sys/fs/bpf 2>/dev/null')" ] || fail "objects pinned in the container's /sys/fs/bpf"
	# Every path the package had that is not a directory others share.
	left=$(printf '%s\n' "$files" | while read -r f; do
		[ "$f" != /. ] && [ -e "$SYS_ROOT$f" ] || continue
		[ -d "$SYS_ROOT$f" ] && [ -n "$(sys_run dpkg -S "$f" 2>/dev/null)" ] && continue
		echo "$f"
	done)
	[ -z "$left" ] || fail "left after the purge: $(echo $left)"
	[ ! -e "$SYS_ROOT/etc/trace-execd" ] || fail "/etc/trace-execd is still there"
	[ ! -e "$SYS_ROOT/var/lib/trace-execd" ] || fail "/var/lib/trace-execd (the state) is still there"
	expect catalog "$(sys_run journalctl --list-catalog | grep -c ' trace-execd: ')" 0
	sys_log "apt purge: $(printf '%s\n' "$files" | wc -l) paths of the package, none left"
}

scenario enable-now-ready-status t_start
scenario exec-entry-exact-fields t_exec_fields
scenario fleet-journal-upload-remote t_fleet
cp "$SYS_ROOT$SYS_CONFIG" "$WORK/shipped.yaml"
scenario reload-policy-and-reject-broken t_reload
restore_policy
scenario kill-9-no-gap t_kill9
scenario restart-no-gap t_restart
scenario upgrade-switch-over t_upgrade
scenario kill-rules-across-restart t_kill_restart
scenario kill-9-journald-stalled t_kill9_stalled
scenario journald-restart-no-loss t_journald_restart
restore_policy
scenario failed-exec-flood-no-watchdog-restart t_failflood
scenario kill-stop-watchdog-restart t_watchdog
scenario sandbox-still-traces t_sandbox
scenario package-verdict-first-seen-sandboxed t_provenance
scenario stop-clean-no-bpf-left t_stop
scenario siem-forward-exact-records t_forward
scenario siem-queue-while-collector-down t_forward_queued
scenario siem-forward-ecs-records t_forward_ecs
scenario metrics-file-under-sandbox t_metrics
scenario losses-reported-once-across-restarts t_counters
scenario apt-purge-leaves-nothing t_purge

sys_log "system tier: $SYS_RAN scenarios, $SYS_FAILED failed, $(( $(date +%s) - T0 )) s"
[ "$SYS_FAILED" -eq 0 ] || exit 1
exit 0
