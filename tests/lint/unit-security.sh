#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# unit-security.sh: the generated unit's sandbox scores an exposure of 2.0
# or lower in "systemd-analyze security", "systemd-analyze verify" finds
# nothing wrong with it, and it keeps what the daemon needs.
. "${top_srcdir:-.}/tests/lib.sh"
need_cmd systemd-analyze

src="$top_builddir/systemd/trace-execd.service"
[ -f "$src" ] || fail "$src is not generated (run make)"
# A copy under its own name: verify looks at files next to it.
mkdir -p "$WORK/units"
unit="$WORK/units/trace-execd.service"
cp "$src" "$unit"

# 1. The exposure level (offline: this host's PID 1 need not be systemd).
out=$(systemd-analyze security --offline=yes --no-pager "$unit" 2>&1)
case "$out" in
*"unrecognized option"*|*"Unknown command"*)
	skip "this systemd-analyze has no 'security --offline' (needs systemd >= 250)" ;;
esac
score=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9][0-9.]*\).*/\1/p')
[ -n "$score" ] || { printf '%s\n' "$out" >&2; fail "no 'Overall exposure level' line"; }
CHECKS=$((CHECKS + 1))
awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' ||
	{ printf '%s\n' "$out" | grep '✗' >&2; fail "exposure level $score is above 2.0"; }
echo "exposure level: $score"

# 2. verify: no complaint about the unit, except that the binary is not
# installed at its final path on this machine.
out=$(systemd-analyze verify --man=no "$unit" 2>&1)
bad=$(printf '%s\n' "$out" | grep -F "trace-execd.service" |
	grep -v "Command .*/trace-execd is not executable: No such file or directory" || true)
CHECKS=$((CHECKS + 1))
[ -z "$bad" ] || { printf '%s\n' "$out" >&2; fail "systemd-analyze verify: $bad"; }

# 3. What the service contract needs (a lost line would pass 1 and 2).
has() {
	CHECKS=$((CHECKS + 1))
	grep -Eq "^$1\$" "$unit" || fail "the unit has no line matching '$1'"
}
has 'Type=notify'
has 'NotifyAccess=main'
has 'WatchdogSec=[0-9]+s'
has 'ExecReload=/bin/kill -HUP \$MAINPID'
has 'Restart=on-failure'
has 'Documentation=man:trace-execd\(8\) man:trace-execd\.yaml\(5\)'
has 'ExecStart=/.*/trace-execd --foreground .*'
has 'LogRateLimitBurst=[0-9]+'
# Start-up needs these capabilities and system calls under the sandbox.
for c in CAP_BPF CAP_PERFMON CAP_SETPCAP; do
	has "CapabilityBoundingSet=.*\\b$c\\b.*"
done
has 'SystemCallFilter=.*\bbpf\b.*'
has 'SystemCallFilter=.*\bperf_event_open\b.*'
# CAP_SYS_PTRACE stays while running (EXEC_SHA256): no way to use it on a
# process's memory.
has 'CapabilityBoundingSet=.*\bCAP_SYS_PTRACE\b.*'
has 'SystemCallFilter=~process_vm_readv process_vm_writev'
# No @placeholder@ left by the substitution.
CHECKS=$((CHECKS + 1))
! grep -q '@[a-z_]*@' "$unit" || fail "unsubstituted placeholder: $(grep '@[a-z_]*@' "$unit")"
pass
