#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# quickstart.sh: install what is missing, build, then run the daemon live (default) or the test suite (check).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build="$here/build"
mode=${1:-run}

# Debian packages the build and the tests need.
BUILD_PKGS="autoconf automake make gcc clang llvm pkg-config libbpf-dev bpftool
	libsystemd-dev libyaml-dev libcap-dev libjson-c-dev libssl-dev"
TEST_PKGS="mandoc man-db jq systemd procps util-linux podman runc catatonit busybox-static
	debootstrap systemd-container rsyslog rsyslog-relp iproute2 libclang-rt-14-dev
	debhelper dpkg-dev lintian python3-yaml systemd-journal-remote"

die() { echo "quickstart: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run me as root (the tracer loads BPF programs): sudo $0 $*"
case "$mode" in run|check|build) ;; *) die "usage: $0 [check]";; esac

install_missing() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "quickstart: installing ${missing[*]}"
	if [ ! -e /var/lib/apt/periodic/update-success-stamp ] && [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
		apt-get update -qq
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
		|| { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
}

# shellcheck disable=SC2086
install_missing $BUILD_PKGS
# shellcheck disable=SC2086
[ "$mode" = check ] && install_missing $TEST_PKGS

# Syscall tracepoints are found through tracefs.
if [ ! -d /sys/kernel/tracing/events ]; then
	mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
fi

cd "$here"
if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; then
	autoreconf -fi >/dev/null
fi
mkdir -p "$build"
cd "$build"
if [ ! -f Makefile ] || [ ../configure -nt config.status ]; then
	../configure -q --prefix=/usr --sysconfdir=/etc --localstatedir=/var
fi
make -s -j"$(nproc)"

case "$mode" in
build)
	exit 0 ;;
run)
	# The journal: under systemd it is there; on a bare machine start one.
	if [ ! -S /run/systemd/journal/socket ] || ! journalctl --sync 2>/dev/null; then
		# Its socket's datagram queue is sized when it is created: give it
		# the 512 entries systemd sets at boot (the kernel's default is 10,
		# too few for a burst of execs), then put the setting back.
		qlen0=$(sysctl -n net.unix.max_dgram_qlen)
		[ "$qlen0" -ge 512 ] || sysctl -q net.unix.max_dgram_qlen=512
		mkdir -p /run/systemd/journal
		setsid /lib/systemd/systemd-journald </dev/null >/dev/null 2>&1 &
		for _ in $(seq 50); do journalctl --sync 2>/dev/null && break; sleep 0.1; done
		sysctl -q net.unix.max_dgram_qlen="$qlen0"
	fi
	# The daemon refuses a policy file that is not root's or is writable by
	# others (as a checkout by another user may be): run a root-owned copy.
	conf=/run/trace-execd-quickstart.yaml
	install -m 0644 -o root -g root "$here/conf/trace-execd.yaml" "$conf"
	# The daemon's entries by their sender, which no other process can
	# fake (SYSLOG_IDENTIFIER can be anyone's): uid 0 and this pid, which
	# the exec below keeps.
	echo "quickstart: trace-execd --foreground --config $conf --echo=table (Ctrl-C stops;" \
		"entries: journalctl -o json _UID=0 _PID=$$)" >&2
	exec ./trace-execd --foreground --config "$conf" --echo=table ;;
check)
	rc=0
	install_missing strace	# tests/integration/hostile-privilege.sh
	make -s -j"$(nproc)" check || rc=$?
	# A second build with ASan+UBSan runs the unit and integration tests
	# again, and the libFuzzer targets for FUZZ_SECONDS each (clang).
	"$here/tests/sanitize.sh" "$build/sanitize" || rc=1
	"$here/tests/summary.sh" "$build/test-suite.log" || rc=1
	exit $rc ;;
esac
