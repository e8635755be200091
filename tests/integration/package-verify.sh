#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# package-verify.sh: EXEC_PACKAGE_VERIFIED on the host's real dpkg database, with a tiny .deb of this run (dpkg-deb, dpkg -i, purged at the end): its binary yes with its exact name, version and architecture; a file version first run by a hard link (unpackaged) then by its path (yes); a byte appended: modified (the shipped crit rule); a copy in /usr/local/bin and one in /srv: unpackaged (the shipped warning outside /usr/local); /bin/true and /usr/bin/true both yes of coreutils, a file the package ships under /bin too; a symbolic link judged at its target; a conffile; a diversion (dpkg-divert --rename): the package's file where it went, the administrator's at the path; a memfd; EXEC_FIRST_SEEN=host once, not again, not after a restart.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl dpkg dpkg-deb dpkg-divert dpkg-query /usr/bin/python3
ensure_tracefs
start_journald

PKG="te-pv-$$-$RANDOM"		# a package name of this run alone
BIN=/usr/bin/$PKG
LOW=/bin/$PKG-b			# shipped as /bin/..., merged into /usr/bin
CONF=/etc/$PKG.sh		# a conffile that runs
COPY=/usr/local/bin/$PKG-copy
HARD=/usr/local/bin/$PKG-hard	# a hard link of the package's file
SRV=/srv/$PKG
ARCH=$(dpkg --print-architecture)
LOCK=/run/lock/te-dpkg.lock	# this suite's tests, one dpkg at a time

# dpkg_do ARGS...: dpkg, waiting for another dpkg or apt to let go of the
# database's lock (dpkg has no wait of its own); this suite's own runs
# take turns on $LOCK.
dpkg_do() {
	local i out
	for i in $(seq 1 120); do
		out=$(flock -w 300 "$LOCK" dpkg "$@" 2>&1) && return 0
		case $out in
		*"lock"*) sleep 1 ;;
		*) printf '%s\n' "$out" >&2; return 1 ;;
		esac
	done
	printf '%s\n' "$out" >&2
	return 1
}
teardown() {
	rm -f "$COPY" "$HARD" "$WORK/link"
	rm -rf "$SRV"
	if [ -n "$(dpkg-divert --list "$BIN" 2>/dev/null)" ]; then
		rm -f "$BIN"
		dpkg-divert --quiet --local --rename --remove "$BIN" >/dev/null 2>&1
	fi
	dpkg-query -W "$PKG" >/dev/null 2>&1 && dpkg_do --purge "$PKG" >/dev/null
	cleanup
}
trap teardown EXIT
mkdir -p /run/lock

# The package: a binary unique to the run (true with a marker after its
# end), one under /bin, a conffile script.
deb="$WORK/deb"
mkdir -p "$deb/DEBIAN" "$deb/usr/bin" "$deb/bin" "$deb/etc"
{ cat /usr/bin/true; printf '%s\n' "$MARK-pkg"; } > "$deb$BIN"
{ cat /usr/bin/true; printf '%s\n' "$MARK-low"; } > "$deb$LOW"
printf '#!/bin/sh\n# %s\nexit 0\n' "$MARK" > "$deb$CONF"
chmod 0755 "$deb$BIN" "$deb$LOW" "$deb$CONF"
printf '%s\n' "$CONF" > "$deb/DEBIAN/conffiles"
cat > "$deb/DEBIAN/control" <<EOF
Package: $PKG
Version: 1.2-3
Architecture: $ARCH
Maintainer: trace-execd tests <tests@trace-execd.invalid>
Description: a package of trace-execd's package-verify test
EOF
dpkg-deb --root-owner-group --build "$deb" "$WORK/$PKG.deb" >/dev/null || fail "dpkg-deb --build failed"

# The shipped policy, its hash waited for longer, a first-seen store of
# its own.
conf="$WORK/trace-execd.yaml"
sed -e "s|^settings:|settings:\n  first_seen_file: $WORK/state/first-seen|" \
	-e "s|^  hash_wait: .*|  hash_wait: 5s|" "$top_srcdir/conf/trace-execd.yaml" > "$conf"
chmod 0644 "$conf"
start_daemon d "$conf"
grep -q "dpkg database: [0-9]* packages" "$WORK/d.err" || fail "the daemon indexed no dpkg database: $(cat "$WORK/d.err")"
indexed() { grep -c "dpkg database: [0-9]* packages" "$WORK/d.err"; }
indexed_more_than() { [ "$(indexed)" -gt "$1" ]; }
# after_dpkg CMD...: CMD changes the database; wait for the daemon to
# index it again
after_dpkg() {
	local n
	n=$(indexed)
	"$@" || fail "$* failed"
	wait_until 30 indexed_more_than "$n" || fail "the daemon did not index the database again after $*"
}

N=0
# run LABEL CMD...: run CMD with a unique last argument and wait for its
# entry into $ev; an exec during another process's dpkg run (unknown,
# dpkg-running) is done again.
run() {
	local label=$1 i a
	shift
	for i in 1 2 3 4 5 6 7 8 9 10; do
		N=$((N + 1))
		a="$MARK-$label-$N"
		"$@" "$a" >/dev/null 2>&1
		ONE_ENTRY_WAIT=20 one_entry "$label" EXEC_ARG="$a"
		[ "$(field "$ev" EXEC_PACKAGE_UNKNOWN)" = dpkg-running ] || return 0
		sleep 1
	done
	fail "$label: dpkg kept running"
}
verdict() { jqv "$ev" '[.EXEC_PACKAGE_VERIFIED, .EXEC_PACKAGE, .EXEC_PACKAGE_VERSION, .EXEC_PACKAGE_ARCH, .EXEC_PACKAGE_UNKNOWN] | @json'; }

after_dpkg dpkg_do -i "$WORK/$PKG.deb"

# 1. Its binary: yes, the exact package, version and architecture; first
# seen on the host (a SHA-256 of this run), then not again.
run pkg "$BIN"
expect pkg_verdict "$(verdict)" "[\"yes\",\"$PKG\",\"1.2-3\",\"$ARCH\",null]"
expect pkg_exe "$(field "$ev" EXEC_EXE)" "$BIN"
expect pkg_first "$(field "$ev" EXEC_FIRST_SEEN)" host
expect pkg_rule "$(field "$ev" POLICY_RULE)" exec
run pkg_again "$BIN"
expect pkg_again_verdict "$(field "$ev" EXEC_PACKAGE_VERIFIED)" yes
expect pkg_again_first "$(field "$ev" EXEC_FIRST_SEEN)" null

# 1b. The same file version first run by a path no package owns (a hard
# link in /usr/local: unpackaged there, its MD5 not read), then by the
# package's path: the MD5 read then, yes.
ln "/usr$LOW" "$HARD" || fail "hard link of /usr$LOW failed"
run hard "$HARD"
expect hard_verdict "$(verdict)" '["unpackaged",null,null,null,null]'
expect hard_rule "$(field "$ev" POLICY_RULE)" exec

# 2. Merged /usr: coreutils lists /bin/true, the kernel walks
# /usr/bin/true; both names, and a file of ours shipped as /bin/...
cu=$(dpkg-query -W -f '${Version}' coreutils)
cua=$(dpkg-query -W -f '${Architecture}' coreutils)
for p in /bin/true /usr/bin/true; do
	run "true${p//\//_}" "$p"
	expect "true${p//\//_}_verdict" "$(verdict)" "[\"yes\",\"coreutils\",\"$cu\",\"$cua\",null]"
	expect "true${p//\//_}_exe" "$(field "$ev" EXEC_EXE)" /usr/bin/true
done
for p in "$LOW" "/usr$LOW"; do
	run "low${p//\//_}" "$p"
	expect "low${p//\//_}_verdict" "$(verdict)" "[\"yes\",\"$PKG\",\"1.2-3\",\"$ARCH\",null]"
done

# 3. A symbolic link in a directory of the user's: judged where the
# kernel walked, the package's file.
ln -s "$BIN" "$WORK/link"
run link "$WORK/link"
expect link_exe "$(field "$ev" EXEC_EXE)" "$BIN"
expect link_verdict "$(field "$ev" EXEC_PACKAGE_VERIFIED)" yes

# 4. Copies no package owns: in /usr/local (local software: the shipped
# warning leaves it), in /srv (it warns), from memory.
cp "$BIN" "$COPY"
run copy "$COPY"
expect copy_verdict "$(verdict)" '["unpackaged",null,null,null,null]'
expect copy_rule "$(field "$ev" POLICY_RULE)" exec
mkdir -p "$SRV"
{ cat /usr/bin/true; printf '%s\n' "$MARK-srv"; } > "$SRV/tool"
chmod 0755 "$SRV/tool"
run srv "$SRV/tool"
expect srv_verdict "$(field "$ev" EXEC_PACKAGE_VERIFIED)" unpackaged
expect srv_rule "$(field "$ev" POLICY_RULE)" unpackaged-program
expect srv_priority "$(field "$ev" PRIORITY)" 4
expect srv_tags "$(field "$ev" POLICY_TAGS)" "mitre_execution,mitre_persistence,T1204,unpackaged"
# (the marker in the environment: python's own exec must not carry it)
memfd_run() {
	M="$1" /usr/bin/python3 - "$BIN" <<'EOF'
import os, sys
fd = os.memfd_create("prog", 0)
os.write(fd, open(sys.argv[1], "rb").read())
pid = os.fork()
if pid == 0:
    os.execve(fd, ["memfd", os.environ["M"]], {})
os.waitpid(pid, 0)
EOF
}
run memfd memfd_run
expect memfd_verdict "$(verdict)" '["unpackaged",null,null,null,null]'

# 5. The conffile: checked against the status file's MD5; edited, it is
# modified (and a conffile).
run conf "$CONF"
expect conf_verdict "$(verdict)" "[\"yes\",\"$PKG\",\"1.2-3\",\"$ARCH\",null]"
expect conf_conffile "$(field "$ev" EXEC_PACKAGE_CONFFILE)" 1
expect conf_exe "$(field "$ev" EXEC_EXE)" "$(readlink -f /bin/sh)"

# 6. A diversion (dpkg-divert --rename): the package's file is where the
# diversion put it, yes; the path diverted from holds the
# administrator's file: unpackaged. Then put back.
after_dpkg dpkg-divert --quiet --local --rename --divert "$BIN.distrib" --add "$BIN"
[ -f "$BIN.distrib" ] && [ ! -e "$BIN" ] || fail "dpkg-divert --rename did not move the file"
run diverted "$BIN.distrib"
expect diverted_verdict "$(verdict)" "[\"yes\",\"$PKG\",\"1.2-3\",\"$ARCH\",null]"
{ cat /usr/bin/true; printf '%s\n' "$MARK-admin"; } > "$BIN"
chmod 0755 "$BIN"
run admin "$BIN"
expect admin_verdict "$(verdict)" '["unpackaged",null,null,null,null]'
rm -f "$BIN"
after_dpkg dpkg-divert --quiet --local --rename --remove "$BIN"
run undiverted "$BIN"
expect undiverted_verdict "$(field "$ev" EXEC_PACKAGE_VERIFIED)" yes

# 7. A byte appended to the installed binary: modified, the shipped crit
# rule; the conffile edited.
printf 'x' >> "$BIN"
run modified "$BIN"
expect modified_verdict "$(verdict)" "[\"modified\",\"$PKG\",\"1.2-3\",\"$ARCH\",null]"
expect modified_rule "$(field "$ev" POLICY_RULE)" package-file-modified
expect modified_priority "$(field "$ev" PRIORITY)" 2
expect modified_tags "$(field "$ev" POLICY_TAGS)" "mitre_persistence,mitre_defense_evasion,T1554,package_modified"
expect modified_first "$(field "$ev" EXEC_FIRST_SEEN)" host
printf '# edited\n' >> "$CONF"
run conf_edited "$CONF"
expect conf_edited_verdict "$(field "$ev" EXEC_PACKAGE_VERIFIED)" modified
expect conf_edited_conffile "$(field "$ev" EXEC_PACKAGE_CONFFILE)" 1

# 8. First seen across a restart: a new binary is host once, then not
# again, also not after the daemon restarted (its store is a file).
{ cat /usr/bin/true; printf '%s\n' "$MARK-new"; } > "$WORK/new"
chmod 0755 "$WORK/new"
run new1 "$WORK/new"
expect new1_first "$(field "$ev" EXEC_FIRST_SEEN)" host
run new2 "$WORK/new"
expect new2_first "$(field "$ev" EXEC_FIRST_SEEN)" null
stop_daemon d
[ -s "$WORK/state/first-seen" ] || fail "no first-seen store in $WORK/state"
expect store_size "$(stat -c %s "$WORK/state/first-seen")" $((64 + 16384 * 32))
start_daemon d2 "$conf"
run new3 "$WORK/new"
expect new3_first "$(field "$ev" EXEC_FIRST_SEEN)" null
{ cat /usr/bin/true; printf '%s\n' "$MARK-newer"; } > "$WORK/newer"
chmod 0755 "$WORK/newer"
run newer "$WORK/newer"
expect newer_first "$(field "$ev" EXEC_FIRST_SEEN)" host
stop_daemon d2
pass
