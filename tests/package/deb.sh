#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# deb.sh: the Debian package builds with dpkg-buildpackage (mk/build-deb.sh, as "make deb"), lintian finds no error, and it holds what a host needs.
# The package is installed, upgraded and purged under a real systemd in the
# system tier (tests/system/system.sh), which shares this build.
. "${top_srcdir:-.}/tests/lib.sh"
need_cmd dpkg-buildpackage dh lintian dpkg-deb flock

t0=$(date +%s)
deb=$("$top_srcdir/mk/build-deb.sh" "$top_builddir" 2>"$WORK/build.err") ||
	{ tail -30 "$WORK/build.err" >&2; fail "building the package failed"; }
echo "package: $deb (built or reused in $(( $(date +%s) - t0 )) s)"
dir=$(dirname "$deb")

# 1. Its name and version: configure.ac's AC_INIT and debian/changelog agree.
version=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$top_builddir/autoconfig.h")
[ -n "$version" ] || fail "no PACKAGE_VERSION in autoconfig.h"
expect changelog_version "$(dpkg-parsechangelog -l "$top_srcdir/debian/changelog" -S Version)" "$version"
expect deb_name "$(basename "$deb")" "trace-execd_${version}_$(dpkg --print-architecture).deb"
expect package "$(dpkg-deb -f "$deb" Package)" trace-execd
expect version "$(dpkg-deb -f "$deb" Version)" "$version"

# 2. lintian: no error (warnings and notes are printed for the log).
lintian --tag-display-limit 0 --show-overrides -EvIL +pedantic "$dir/trace-execd_${version}_$(dpkg --print-architecture).changes" \
	>"$WORK/lintian.out" 2>&1
grep -v '^N:\|running with root privileges' "$WORK/lintian.out" || true
echo "lintian: $(grep -c '^E:' "$WORK/lintian.out") errors, $(grep -c '^W:' "$WORK/lintian.out") warnings," \
	"$(grep -c '^I:' "$WORK/lintian.out") notes, $(grep -c '^P:' "$WORK/lintian.out") pedantic," \
	"$(grep -c '^O:' "$WORK/lintian.out") overridden"
expect lintian_errors "$(grep -c '^E:' "$WORK/lintian.out")" 0

# 3. What it installs: the programs, the unit, the catalog, the man pages,
# the policy, the rsyslog snippets; the policy is a conffile.
dpkg-deb -c "$deb" | awk '{ print $NF }' | sed 's|^\.||' >"$WORK/contents"
unit=$(grep '/systemd/system/trace-execd\.service$' "$WORK/contents")
[ -n "$unit" ] || fail "no trace-execd.service in the package"
for f in /usr/sbin/trace-execd /usr/sbin/trace-exec /usr/lib/systemd/catalog/trace-execd.catalog \
	/usr/share/man/man8/trace-execd.8.gz /usr/share/man/man8/trace-exec.8.gz \
	/usr/share/man/man5/trace-execd.yaml.5.gz /etc/trace-execd/trace-execd.yaml \
	/usr/share/trace-execd/rsyslog/rsyslog-trace-execd.conf \
	/usr/share/trace-execd/rsyslog/rsyslog-collector.conf /usr/share/doc/trace-execd/copyright /usr/share/lintian/overrides/trace-execd \
	/usr/libexec/trace-execd/liveness-probe; do
	CHECKS=$((CHECKS + 1))
	grep -qx "$f" "$WORK/contents" || fail "$f is not in the package"
done
expect files "$(grep -cv '/$' "$WORK/contents")" 15
dpkg-deb -e "$deb" "$WORK/control"
expect conffiles "$(cat "$WORK/control/conffiles")" /etc/trace-execd/trace-execd.yaml
mkdir "$WORK/root"
dpkg-deb -x "$deb" "$WORK/root"
cmp -s "$top_srcdir/conf/trace-execd.yaml" "$WORK/root/etc/trace-execd/trace-execd.yaml" ||
	fail "the packaged policy is not conf/trace-execd.yaml"

# 4. Depends: the libraries (shlibs) and what the unit runs. Every program
# an Exec*= line names is in the package or in a package it depends on.
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for p in libbpf1 libsystemd0 libyaml-0-2 libcap2 libjson-c5 libc6 procps; do
	CHECKS=$((CHECKS + 1))
	printf ', %s,' "$depends" | grep -Eq ", $p( \([^)]*\))?," || fail "Depends lacks $p ($depends)"
done
for prog in $(sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\([^ ]*\).*/\1/p' "$WORK/root$unit" | sort -u); do
	CHECKS=$((CHECKS + 1))
	case "$prog" in /*) ;; *) fail "the unit runs '$prog', not an absolute path" ;; esac
	grep -qx "$prog" "$WORK/contents" && continue
	owner=$(dpkg -S "$prog" 2>/dev/null | cut -d: -f1)
	[ -n "$owner" ] || fail "the unit runs $prog, which no package on this host has"
	printf ', %s,' "$depends" | grep -Eq ", $owner( \([^)]*\))?," ||
		fail "the unit runs $prog (package $owner), which Depends lacks ($depends)"
	echo "the unit runs $prog: $owner is in Depends"
done

# 5. The maintainer scripts (dh_installsystemd): enable and start on
# installation, restart (never stop first) on upgrade so that the new
# process takes the tracer over, stop on removal, purge the state.
postinst="$WORK/control/postinst" prerm="$WORK/control/prerm" postrm="$WORK/control/postrm"
for f in "$postinst" "$prerm" "$postrm"; do [ -f "$f" ] || fail "no $(basename "$f") in the package"; done
grep -q "deb-systemd-helper enable 'trace-execd.service'" "$postinst" || fail "postinst does not enable the unit"
grep -q '_dh_action=restart' "$postinst" && grep -q '_dh_action=start' "$postinst" &&
	grep -q "deb-systemd-invoke \$_dh_action 'trace-execd.service'" "$postinst" ||
	fail "postinst does not start (install) / restart (upgrade) the unit"
grep -q "\"\$1\" = remove ] .*deb-systemd-invoke stop\|\"\$1\" = remove ] && \[ -d /run/systemd/system \] ; then" "$prerm" &&
	[ "$(grep -c 'deb-systemd-invoke stop' "$prerm")" = 1 ] || fail "prerm does not stop the unit on removal only"
grep -q 'upgrade' "$prerm" && fail "prerm acts on upgrade (the restart comes after the upgrade)"
grep -q "deb-systemd-helper purge 'trace-execd.service'" "$postrm" || fail "postrm does not purge the unit's state"
grep -q 'rm -rf /etc/trace-execd/rules.d' "$postrm" || fail "postrm does not remove the policy's drop-ins on purge"
grep -q 'rm -rf /var/lib/trace-execd' "$postrm" || fail "postrm does not remove the state directory on purge"
CHECKS=$((CHECKS + 8))

# 6. The package build leaves nothing in the source tree that git sees.
if [ -d "$top_srcdir/.git" ] || [ -f "$top_srcdir/.git" ]; then
	left=$(git -C "$top_srcdir" status --porcelain --untracked-files=all -- debian deb 2>/dev/null | grep '^??' || true)
	expect untracked_in_tree "$left" ""
fi
pass
