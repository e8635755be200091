# SPDX-License-Identifier: GPL-2.0-or-later
# tests/system/lib.sh: boot a Debian 12 system container with a real systemd
# (systemd-nspawn -b), install the build into it and drive it from outside.
# Sourced after tests/lib.sh; needs root, debootstrap and systemd-container.
# The daemon comes as the Debian package (mk/build-deb.sh builds it), which
# the scenarios install with apt inside the booted system.

SYS_SUITE=${SYS_SUITE:-bookworm}
SYS_CACHE=${TRACE_EXECD_TEST_CACHE:-/var/cache/trace-execd-tests}
# What the booted system needs: a real systemd and journald, rsyslog for
# the forwarding tests, systemd-journal-upload for the fleet's (package
# systemd-journal-remote), and the package's shared libraries.
SYS_PACKAGES="systemd,systemd-sysv,dbus,rsyslog,rsyslog-relp,systemd-journal-remote,libbpf1,libsystemd0,libyaml-0-2,libcap2,libjson-c5,libelf1,zlib1g"
# What the package depends on beyond those: downloaded into apt's cache
# (with the package lists), not installed, so that "apt install ./*.deb"
# must install it from its Depends: (procps: ExecReload= runs /bin/kill,
# which a minbase system lacks), with no network at test time.
SYS_PRELOAD="procps"
# Bump when the way the root file system is made changes: a new cache key
# makes the next run build a new one.
SYS_ROOTFS_VERSION=2
SYS_HOST_PACKAGES="debootstrap systemd-container rsyslog jq bpftool util-linux debhelper dpkg-dev systemd-journal-remote"

SYS_NSPAWN_PID=
SYS_LEADER=
SYS_ROOT=
SYS_MOUNTED=

sys_log() { printf '# %s %s\n' "$(date +%T)" "$*" >&2; }

# sys_host_packages: install what the host needs (CI starts from a bare
# Debian 12: nothing installed by hand survives).
sys_host_packages() {
	local p missing=()
	for p in $SYS_HOST_PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	command -v apt-get >/dev/null || return 1
	sys_log "installing ${missing[*]} on the host"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; }
}

# The Debian mirror the host's apt is configured with, for debootstrap;
# nothing (debootstrap's own default) when the host names none.
sys_mirror() {
	local m
	m=$(sed -n 's/^URIs: *\([^ ]*\/debian\)\/*$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
	[ -n "$m" ] || m=$(awk '$1 == "deb" && $2 !~ /^\[/ && $2 ~ /\/debian\/?$/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
	echo "$m"
}

sys_rootfs_key() {
	printf '%s %s %s %s\n' "$SYS_ROOTFS_VERSION" "$SYS_SUITE" "$SYS_PACKAGES" "$SYS_PRELOAD" | md5sum | cut -c1-12
}

# sys_rootfs: print the pristine root file system directory, building it
# with debootstrap when it is missing (under a lock: parallel runs share it).
sys_rootfs() {
	local key dir tmp mirror
	key=$(sys_rootfs_key)
	mirror=$(sys_mirror)
	dir="$SYS_CACHE/rootfs-$SYS_SUITE-$key"
	mkdir -p "$SYS_CACHE"
	(
		flock -w 600 9 || { echo "timed out waiting for the rootfs lock" >&2; exit 1; }
		[ -f "$dir/.trace-execd-rootfs" ] && exit 0
		tmp="$SYS_CACHE/.build-$key.$$"
		rm -rf "$tmp" "$dir"
		sys_log "building the $SYS_SUITE root file system in $dir (debootstrap, a few minutes)"
		# A download can fail for a moment: up to three attempts.
		for try in 1 2 3; do
			rm -rf "$tmp"
			timeout 600 debootstrap --variant=minbase --include="$SYS_PACKAGES" \
				"$SYS_SUITE" "$tmp" ${mirror:+"$mirror"} >"$SYS_CACHE/debootstrap.log" 2>&1 && break
			sys_log "debootstrap failed (attempt $try of 3):"
			tail -20 "$SYS_CACHE/debootstrap.log" >&2
			[ "$try" = 3 ] && { rm -rf "$tmp"; exit 1; }
			sleep 10
		done
		sys_rootfs_setup "$tmp" || { rm -rf "$tmp"; exit 1; }
		date -u +%FT%TZ > "$tmp/.trace-execd-rootfs"
		mv "$tmp" "$dir"
		# Older caches are of no use any more, once no run used them for
		# a day (a run of another branch may have one mounted now).
		find "$SYS_CACHE" -maxdepth 1 -name "rootfs-$SYS_SUITE-*" ! -name "rootfs-$SYS_SUITE-$key" \
			-mmin +1440 -exec rm -rf {} + 2>/dev/null
		exit 0
	) 9>"$SYS_CACHE/.lock" || return 1
	touch "$dir"
	echo "$dir"
}

# One-time settings of the pristine tree: a quiet, quick boot.
sys_rootfs_setup() {
	local r=$1 u
	rm -f "$r/etc/machine-id" "$r/var/lib/dbus/machine-id"
	: > "$r/etc/machine-id"
	echo te-node > "$r/etc/hostname"
	# No consoles to log in on, nothing that waits for a network.
	for u in console-getty.service getty@.service serial-getty@.service getty-static.service \
		systemd-networkd-wait-online.service apt-daily.timer apt-daily-upgrade.timer \
		e2scrub_all.timer e2scrub_reap.service fstrim.timer man-db.timer; do
		ln -sf /dev/null "$r/etc/systemd/system/$u"
	done
	rm -rf "$r/var/cache/apt/archives/"*.deb 2>/dev/null
	# The package lists and SYS_PRELOAD's packages, for apt install of
	# the .deb without a network.
	systemd-nspawn --quiet --register=no --keep-unit --directory="$r" \
		/bin/sh -c "apt-get update -qq && apt-get install -qq --download-only -y $SYS_PRELOAD" \
		>>"$SYS_CACHE/debootstrap.log" 2>&1 ||
		{ sys_log "apt-get update / download of $SYS_PRELOAD in the root failed:"; tail -20 "$SYS_CACHE/debootstrap.log" >&2; return 1; }
	return 0
}

# sys_base_image: print the podman image of the pristine root file system
# (sys_rootfs), imported once (no registry is reachable here): a Debian 12
# with its dpkg database.
sys_base_image() {
	local root base tmp
	root=$(sys_rootfs) || return 1
	base="localhost/trace-execd-test-base:${root##*/rootfs-}"
	if ! podman image exists "$base"; then
		tmp=$(mktemp "$SYS_CACHE/.base-XXXXXX.tar") || return 1
		tar -C "$root" --numeric-owner -cf "$tmp" . &&
			podman import "$tmp" "$base" >/dev/null 2>&1 || { rm -f "$tmp"; return 1; }
		rm -f "$tmp"
	fi
	echo "$base"
}

# sys_check_host: skip (77) when this machine cannot boot a container.
sys_check_host() {
	need_root
	sys_host_packages || skip "cannot install the host packages: $SYS_HOST_PACKAGES"
	need_cmd systemd-nspawn debootstrap nsenter unshare flock jq bpftool rsyslogd ss
	[ -r /sys/kernel/btf/vmlinux ] || skip "the kernel has no BTF (/sys/kernel/btf/vmlinux)"
	[ -d /sys/fs/cgroup ] && [ -n "$(ls /sys/fs/cgroup 2>/dev/null)" ] ||
		skip "no cgroup file system: systemd-nspawn cannot boot a container here"
	unshare --mount --pid --uts --ipc --fork true 2>/dev/null ||
		skip "cannot create namespaces here (unshare failed): no container can boot"
	grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null ||
		grep -qw overlay /proc/filesystems || skip "no overlayfs for the per-run root"
}

# sys_package: the Debian package of the tree (built once, shared with
# tests/package/deb.sh: mk/build-deb.sh reuses a build of the same files).
sys_package() {
	SYS_DEB=$("$top_srcdir/mk/build-deb.sh" "$top_builddir" 2>"$WORK/build-deb.err") ||
		{ tail -30 "$WORK/build-deb.err" >&2; fail "building the Debian package failed"; }
	sys_log "package: $SYS_DEB"
}

# sys_prepare_root: a fresh writable root (overlay over the pristine
# cache) with the package under /srv/te-debs/ (to install with apt once
# booted: its maintainer scripts need a running systemd).
sys_prepare_root() {
	local lower
	lower=$(sys_rootfs) || fail "building the root file system failed (see $SYS_CACHE/debootstrap.log)"
	sys_package
	SYS_ROOT="$WORK/root"
	mkdir -p "$WORK/upper" "$WORK/ovl-work" "$SYS_ROOT"
	mount -t overlay overlay -o "lowerdir=$lower,upperdir=$WORK/upper,workdir=$WORK/ovl-work" "$SYS_ROOT" ||
		fail "mounting the overlay root failed"
	SYS_MOUNTED=1
	# Readable by apt's sandbox user (_apt) too.
	install -d -m 0755 "$SYS_ROOT/srv/te-debs"
	install -m 0644 "$SYS_DEB" "$SYS_ROOT/srv/te-debs/"
	SYS_DEB_IN="/srv/te-debs/$(basename "$SYS_DEB")"
	# Where the package puts them (debian/rules, dh_auto_configure).
	SYS_SBINDIR=/usr/sbin
	SYS_CONFIG=/etc/trace-execd/trace-execd.yaml
	SYS_RSYSLOGDIR=/usr/share/trace-execd/rsyslog
	SYS_UNITDIR=$(dpkg-deb -c "$SYS_DEB" | awk '{ print $NF }' | sed -n 's|^\.\(.*\)/trace-execd\.service$|\1|p')
	[ -n "$SYS_UNITDIR" ] || fail "the package has no trace-execd.service"
	# journald stricter than its default (10000 per 30 s, times a factor
	# for free disk space): a service without a rate limit of its own
	# loses entries after a few hundred, at any exec rate.
	mkdir -p "$SYS_ROOT/etc/systemd/journald.conf.d"
	printf '[Journal]\nRateLimitIntervalSec=10min\nRateLimitBurst=200\n' \
		>"$SYS_ROOT/etc/systemd/journald.conf.d/50-trace-execd-tests.conf"
}

# sys_apt ARGS...: apt inside the booted system, quiet and unattended.
sys_apt() {
	sys_run env DEBIAN_FRONTEND=noninteractive apt-get -q -y "$@"
}

# sys_boot: boot the root with systemd-nspawn -b and wait for the system
# to be up. The container shares the host's network (the collector is on
# the host's loopback) and may use bpf(2) and perf_event_open(2).
sys_boot() {
	local i state
	SYS_MACHINE="te-node-$$"
	systemd-nspawn --quiet --register=no --keep-unit --boot --directory="$SYS_ROOT" \
		--machine="$SYS_MACHINE" --hostname=te-node --console=pipe \
		--capability=all --system-call-filter='bpf perf_event_open' \
		</dev/null >"$WORK/nspawn.log" 2>&1 &
	SYS_NSPAWN_PID=$!
	# The container's PID 1 is the child of systemd-nspawn.
	sys_wait 30 sys_find_leader || { tail -20 "$WORK/nspawn.log" >&2; fail "the container did not start"; }
	# Up to 3 minutes: the other tests load the machine meanwhile.
	for i in $(seq 1 360); do
		state=$(sys_run systemctl is-system-running 2>"$WORK/boot-wait.err")
		case "$state" in running|degraded) break ;; esac
		kill -0 "$SYS_NSPAWN_PID" 2>/dev/null || { tail -20 "$WORK/nspawn.log" >&2; fail "systemd-nspawn exited"; }
		# The first child seen may have been nspawn's own helper.
		[ -n "$state" ] || sys_find_leader
		sleep 0.5
	done
	case "$state" in
	running) ;;
	degraded) sys_log "booted, degraded: $(sys_run systemctl --failed --plain --no-legend | tr '\n' ' ')" ;;
	*) tail -20 "$WORK/nspawn.log" >&2
	   tail -5 "$WORK/boot-wait.err" >&2
	   ps -o pid,ppid,stat,comm --ppid "$SYS_NSPAWN_PID" >&2
	   fail "the system did not finish booting (state '$state', leader $SYS_LEADER)" ;;
	esac
}

sys_find_leader() {
	local c
	c=$(cat /proc/"$SYS_NSPAWN_PID"/task/*/children 2>/dev/null | awk '{ print $1; exit }')
	[ -n "$c" ] && [ -e "/proc/$c/ns/pid" ] || return 1
	# Still nspawn's own fork until it execs systemd.
	[ "$(readlink "/proc/$c/ns/pid")" != "$(readlink /proc/self/ns/pid)" ] || return 1
	SYS_LEADER=$c
}

# sys_wait TIMEOUT CMD...: poll CMD (slow ones too: nsenter, journalctl)
# until it succeeds or TIMEOUT seconds have passed.
sys_wait() {
	local end=$((SECONDS + $1))
	shift
	until "$@" 2>/dev/null; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.2
	done
	return 0
}

# sys_run CMD...: run a command inside the booted container (all of its
# namespaces, its root), with a clean environment; none runs for more than
# SYS_RUN_TIMEOUT seconds.
SYS_RUN_TIMEOUT=${SYS_RUN_TIMEOUT:-300}
sys_run() {
	timeout -k 5 "$SYS_RUN_TIMEOUT" nsenter --target "$SYS_LEADER" --all -- /usr/bin/env -i \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 SYSTEMD_COLORS=0 \
		SYSTEMD_PAGER= SYSTEMD_LESS= "$@"
}

# sys_sh SCRIPT: sh -c SCRIPT inside the container.
sys_sh() { sys_run /bin/sh -c "$1"; }

# sys_host_pid CONTAINER_PID: the host's pid of a process of the container.
sys_host_pid() {
	local ns p
	ns=$(readlink "/proc/$SYS_LEADER/ns/pid")
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$ns" ] || continue
		if [ "$(awk '/^NSpid:/ { print $NF }' "$p/status" 2>/dev/null)" = "$1" ]; then
			echo "${p#/proc/}"
			return 0
		fi
	done
	return 1
}

# sys_journal FILTER...: the container's journal as JSON lines.
sys_journal() {
	sys_run journalctl --sync 2>/dev/null
	sys_run journalctl -o json --no-pager "$@" 2>/dev/null
}

# sys_show UNIT PROPERTY: one property of a unit, as systemctl shows it.
sys_show() { sys_run systemctl show -P "$2" "$1"; }

# ---- The collector: rsyslog on the host's loopback, shipped config ----

sys_free_port() {
	local p
	while :; do
		p=$(( 20000 + RANDOM % 40000 ))
		ss -Htan "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
	done
}

# sys_collector_config: the shipped collector snippet, on a loopback port,
# writing under $WORK/collector, under a private rsyslogd.
sys_collector_config() {
	SYS_COLLECTOR_PORT=${SYS_COLLECTOR_PORT:-$(sys_free_port)}
	SYS_COLLECTOR_DIR="$WORK/collector"
	mkdir -p "$SYS_COLLECTOR_DIR/spool"
	{
		echo "global(workDirectory=\"$SYS_COLLECTOR_DIR/spool\")"
		sed -e "s|port=\"10514\"|port=\"$SYS_COLLECTOR_PORT\" address=\"127.0.0.1\"|" \
		    -e "s|/var/log/trace-execd/|$SYS_COLLECTOR_DIR/|" \
		    "$top_srcdir/conf/rsyslog-collector.conf"
	} >"$WORK/collector.conf"
	grep -q "port=\"$SYS_COLLECTOR_PORT\"" "$WORK/collector.conf" ||
		fail "the collector snippet has no port=\"10514\" to set"
	rsyslogd -N1 -f "$WORK/collector.conf" >"$WORK/collector-check.log" 2>&1 ||
		{ cat "$WORK/collector-check.log" >&2; fail "the collector configuration is invalid"; }
	SYS_COLLECTOR_FILE="$SYS_COLLECTOR_DIR/127.0.0.1.json"
}

sys_collector_listening() { ss -Hltn "sport = :$SYS_COLLECTOR_PORT" | grep -q .; }

sys_collector_start() {
	rm -f "$WORK/collector.pid"
	rsyslogd -n -f "$WORK/collector.conf" -i "$WORK/collector.pid" >>"$WORK/collector.log" 2>&1 &
	sys_wait 15 sys_collector_listening || fail "the collector rsyslogd does not listen on $SYS_COLLECTOR_PORT"
}

# The collector may have been started by a scenario's subshell: its pid
# is in its pid file.
sys_collector_stop() {
	local pid
	pid=$(cat "$WORK/collector.pid" 2>/dev/null)
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	sys_wait 15 sh -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null
	rm -f "$WORK/collector.pid"
}

# sys_node_rsyslog: the shipped snippet into the container's rsyslog, with
# the collector filled in where it says EDIT.
sys_node_rsyslog() {
	local src="$SYS_ROOT$SYS_RSYSLOGDIR/rsyslog-trace-execd.conf"
	[ -f "$src" ] || fail "the rsyslog snippet is not installed ($SYS_RSYSLOGDIR)"
	sed -e 's|target="siem.example.com"|target="127.0.0.1"|' \
	    -e "s|port=\"10514\"|port=\"$SYS_COLLECTOR_PORT\"|" \
	    "$src" >"$SYS_ROOT/etc/rsyslog.d/60-trace-execd.conf"
	grep -q 'target="127.0.0.1"' "$SYS_ROOT/etc/rsyslog.d/60-trace-execd.conf" ||
		fail "the rsyslog snippet has no target=\"siem.example.com\" to set"
	sys_run rsyslogd -N1 >"$WORK/rsyslog-check.log" 2>&1 ||
		{ cat "$WORK/rsyslog-check.log" >&2; fail "rsyslogd -N1 rejects the snippet"; }
	# As on a node that forwarded all along: imjournal goes on from the
	# journal's end (its state file), not from the start of this boot (the
	# scenarios before wrote tens of thousands of exec entries).
	sys_run journalctl -n 0 --show-cursor | sed -n 's/^-- cursor: //p' | tr -d '\n' \
		>"$SYS_ROOT/var/spool/rsyslog/trace-execd-imjournal.state"
	[ -s "$SYS_ROOT/var/spool/rsyslog/trace-execd-imjournal.state" ] || fail "no journal cursor for imjournal"
	sys_run systemctl restart rsyslog || fail "restarting rsyslog in the container failed"
}

# ---- A node of an integration test: the shipped snippet in an rsyslogd
# of the test's own, reading the host's journal ----

# sys_local_node_start NAME TEMPLATE: an rsyslogd (work directory
# $WORK/NAME, log $WORK/NAME.log) with the shipped snippet, the collector
# filled in where it says EDIT, TEMPLATE chosen on the line that says
# CHOOSE, and the line that says SENDER in its form for a daemon without a
# unit (these tests run it by hand): the built daemon's executable. As on a
# node that forwarded all along, imjournal goes on from the journal's end.
sys_local_node_start() {
	local name=$1 tpl=$2 conf="$WORK/$1.conf" exe diffs
	local sender='^\( *if \)\$!_SYSTEMD_UNIT == "trace-execd.service"'
	exe=$(readlink -f "$TRACE_EXECD")
	mkdir -p "$WORK/$name"
	{
		echo "global(workDirectory=\"$WORK/$name\")"
		sed -e 's|target="siem.example.com"|target="127.0.0.1"|' \
		    -e "s|port=\"10514\"|port=\"$SYS_COLLECTOR_PORT\"|" \
		    -e "s|^\\( *template=\\)\"trace-execd-json\"\$|\\1\"$tpl\"|" \
		    -e "s|$sender|\\1\$!_EXE == \"$exe\"|" \
		    "$top_srcdir/conf/rsyslog-trace-execd.conf"
	} >"$conf"
	diffs=$(diff "$top_srcdir/conf/rsyslog-trace-execd.conf" "$conf" | grep '^> ')
	expect "$name-sender_line" "$(printf '%s\n' "$diffs" | grep -cF "if \$!_EXE == \"$exe\" then set \$.te!sender = \"daemon\";")" 1
	expect "$name-template_line" "$(printf '%s\n' "$diffs" | grep -c "^> *template=\"$tpl\"\$")" \
		"$([ "$tpl" = trace-execd-json ] && echo 0 || echo 1)"
	rsyslogd -N1 -f "$conf" >"$WORK/$name-check.log" 2>&1 ||
		{ cat "$WORK/$name-check.log" >&2; fail "rsyslogd -N1 rejects the snippet ($name)"; }
	journalctl --sync
	journalctl -n 0 --show-cursor | sed -n 's/^-- cursor: //p' | tr -d '\n' >"$WORK/$name/trace-execd-imjournal.state"
	[ -s "$WORK/$name/trace-execd-imjournal.state" ] || fail "no journal cursor for imjournal"
	rsyslogd -n -f "$conf" -i "$WORK/$name.pid" >"$WORK/$name.log" 2>&1 &
	wait_until 15 test -s "$WORK/$name.pid" || fail "the rsyslogd of node $name did not start"
}

# sys_local_node_stop NAME: stop that rsyslogd, if it runs.
sys_local_node_stop() {
	local pid
	pid=$(cat "$WORK/$1.pid" 2>/dev/null) || return 0
	kill -TERM "$pid" 2>/dev/null
	wait_until 15 sh -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null
	rm -f "$WORK/$1.pid"
}

# ---- A second node (the fleet scenario): booted from the same pristine
# root, its own overlay, its own host name. Its pid and mount are kept in
# files, so that sys_teardown stops it whatever scenario subshell started
# it. ----

# sys_boot_second NAME HOSTNAME: boot it; its leader pid to stdout.
sys_boot_second() {
	local name=$1 host=$2 lower root pid leader i state
	lower=$(sys_rootfs) || return 1
	root="$WORK/$name-root"
	mkdir -p "$WORK/$name-upper" "$WORK/$name-work" "$root"
	mount -t overlay overlay -o "lowerdir=$lower,upperdir=$WORK/$name-upper,workdir=$WORK/$name-work" "$root" || return 1
	echo "$root" >"$WORK/$name.mount"
	echo "$host" >"$root/etc/hostname"
	install -d -m 0755 "$root/srv/te-debs"
	install -m 0644 "$SYS_DEB" "$root/srv/te-debs/"
	mkdir -p "$root/etc/systemd/journald.conf.d"
	cp "$SYS_ROOT/etc/systemd/journald.conf.d/50-trace-execd-tests.conf" "$root/etc/systemd/journald.conf.d/"
	systemd-nspawn --quiet --register=no --keep-unit --boot --directory="$root" \
		--machine="$name-$$" --hostname="$host" --console=pipe \
		--capability=all --system-call-filter='bpf perf_event_open' \
		</dev/null >"$WORK/$name-nspawn.log" 2>&1 &
	pid=$!
	echo "$pid" >"$WORK/$name.nspawn"
	for i in $(seq 1 600); do
		leader=$(cat /proc/"$pid"/task/*/children 2>/dev/null | awk '{ print $1; exit }')
		if [ -n "$leader" ] && [ "$(readlink "/proc/$leader/ns/pid")" != "$(readlink /proc/self/ns/pid)" ]; then
			state=$(SYS_LEADER=$leader sys_run systemctl is-system-running 2>/dev/null)
			case "$state" in running|degraded) echo "$leader"; return 0 ;; esac
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.3
	done
	tail -20 "$WORK/$name-nspawn.log" >&2
	return 1
}

# sys_stop_second NAME: power it off (or kill it) and unmount its root.
sys_stop_second() {
	local name=$1 pid root i
	pid=$(cat "$WORK/$name.nspawn" 2>/dev/null)
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null
		for i in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL "$pid" 2>/dev/null
	fi
	rm -f "$WORK/$name.nspawn"
	root=$(cat "$WORK/$name.mount" 2>/dev/null)
	[ -n "$root" ] && { umount "$root" 2>/dev/null || umount -l "$root" 2>/dev/null; }
	rm -f "$WORK/$name.mount"
}

# ---- Teardown: always, even after a failure ----

sys_teardown() {
	local i
	for i in "$WORK"/*.nspawn; do
		[ -e "$i" ] && sys_stop_second "$(basename "$i" .nspawn)"
	done
	sys_collector_stop
	if [ -n "$SYS_NSPAWN_PID" ] && kill -0 "$SYS_NSPAWN_PID" 2>/dev/null; then
		# SIGTERM: nspawn asks the container's systemd to power off.
		kill -TERM "$SYS_NSPAWN_PID" 2>/dev/null
		for i in $(seq 1 100); do
			kill -0 "$SYS_NSPAWN_PID" 2>/dev/null || break
			sleep 0.2
		done
		if kill -0 "$SYS_NSPAWN_PID" 2>/dev/null; then
			[ -n "$SYS_LEADER" ] && kill -KILL "$SYS_LEADER" 2>/dev/null
			kill -KILL "$SYS_NSPAWN_PID" 2>/dev/null
		fi
		wait "$SYS_NSPAWN_PID" 2>/dev/null
	fi
	SYS_NSPAWN_PID=
	if [ -n "$SYS_MOUNTED" ]; then
		umount "$SYS_ROOT" 2>/dev/null || umount -l "$SYS_ROOT" 2>/dev/null
		SYS_MOUNTED=
	fi
}

# ---- TAP-like reporting: every scenario runs, failures are counted ----

SYS_SCENARIO_PID=

# INT/TERM/HUP: stop the running scenario, then exit (teardown on EXIT).
sys_interrupted() {
	[ -n "$SYS_SCENARIO_PID" ] && kill -TERM "$SYS_SCENARIO_PID" 2>/dev/null
	echo "# interrupted" >&2
	exit 1
}

SYS_FAILED=0
SYS_RAN=0

# scenario NAME FUNCTION: run FUNCTION in a subshell (its fail/expect end
# only the scenario) and print ok / not ok.
scenario() {
	local name=$1 fn=$2 t0 rc
	# TE_SYSTEM_ONLY="name ...": run only these (when working on one).
	if [ -n "${TE_SYSTEM_ONLY:-}" ] && ! printf ' %s ' "$TE_SYSTEM_ONLY" | grep -q " $name "; then
		return 0
	fi
	t0=$(date +%s)
	SYS_RAN=$((SYS_RAN + 1))
	# In the background: "wait" lets a signal (a harness' timeout) through
	# at once, and sys_interrupted stops the scenario before tearing down.
	( "$fn" ) 2>"$WORK/scenario-$name.err" &
	SYS_SCENARIO_PID=$!
	wait "$SYS_SCENARIO_PID"
	rc=$?
	SYS_SCENARIO_PID=
	if [ $rc -eq 0 ]; then
		echo "ok $SYS_RAN - $name ($(( $(date +%s) - t0 )) s)"
		grep '^# ' "$WORK/scenario-$name.err"
	else
		SYS_FAILED=$((SYS_FAILED + 1))
		echo "not ok $SYS_RAN - $name ($(( $(date +%s) - t0 )) s)"
		sed 's/^/#   /' "$WORK/scenario-$name.err" | tail -40
	fi
	return 0
}
