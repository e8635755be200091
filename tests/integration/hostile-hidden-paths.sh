#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile-hidden-paths.sh: programs hidden from path rules (deep under /tmp, on a detached mount, outside the root) raise the shipped policy's warning, and a path allow-list cannot drop them.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl python3 unshare
ensure_tracefs
[ -x "$HELPERS/execveat-run" ] || skip "tests/helpers/execveat-run not built"
start_journald

# d: the shipped policy as it is installed. allow: an allow-list that drops
# every exec of a system binary, then logs the rest.
shipped="$WORK/shipped.yaml"
cp "$top_srcdir/conf/trace-execd.yaml" "$shipped"
chmod 0644 "$shipped"
allow="$WORK/allow.yaml"
write_config "$allow" "rules:
  - name: system-binaries
    match: {exe: [/usr/bin/*, /bin/*]}
    action: drop
  - name: everything
    match: {}"
start_daemon d "$shipped"
start_daemon allow "$allow"
cd "$WORK"

# Each exec is told apart by its EXEC_ARGV, "true MARK-KIND".
run_plain() { (exec -a true /bin/true "$MARK-plain"); }
# A copy of true 140 directories deep under /tmp, each name 30 bytes: more
# than the kernel side keeps, so its path has a gap (its root side and its
# file side are kept). It runs by a relative
# name from depth 70 (an absolute name would be longer than PATH_MAX), so
# the working directory is whole and only the file is cut.
run_deep() {
	python3 - "$WORK" "$MARK" <<'PY'
import os, shutil, sys
work, mark = sys.argv[1], sys.argv[2]
comps = ["c%03d" % i + "x" * 26 for i in range(140)]
os.chdir(work)
for c in comps:
    os.mkdir(c)
    os.chdir(c)
shutil.copy("/bin/true", "true")
os.chdir("/".join([".."] * 70))
pid = os.fork()
if pid == 0:
    os.execv("./" + "/".join(comps[70:]) + "/true", ["true", mark + "-deep"])
os.waitpid(pid, 0)
PY
}
run_detached() { "$HELPERS/execveat-run" detached /bin/true - true "$MARK-detached"; }
run_chroot() {
	mkdir -p "$WORK/root"
	unshare -m sh -c 'mount --rbind / "$1" && exec "$2" chroot /bin/true "$1" true "$3"' \
		sh "$WORK/root" "$HELPERS/execveat-run" "$MARK-chroot"
}
for kind in plain deep detached chroot; do
	"run_$kind" || fail "running the $kind program failed"
done

# The entries of each daemon for each exec (the shipped policy logs all).
for d in d allow; do
	JOURNAL_PID=$(eval "echo \$PID_$d")
	for kind in plain deep detached chroot; do
		[ "$d.$kind" = allow.plain ] && continue
		wait_until 10 journal_has EXEC_ARGV="true $MARK-$kind" ||
			fail "$d: no entry for the $kind program"
	done
done
# entry DAEMON KIND: the journal entry of that daemon for that exec.
entry() {
	JOURNAL_PID=$(eval "echo \$PID_$1")
	journal_json EXEC_ARGV="true $MARK-$2"
}

ev=$(entry d plain)
expect plain_rule "$(field "$ev" POLICY_RULE)" exec
expect plain_priority "$(field "$ev" PRIORITY)" 6
for kind in deep detached chroot; do
	ev=$(entry d "$kind")
	expect "${kind}_rule" "$(field "$ev" POLICY_RULE)" path-cut-or-unreachable
	expect "${kind}_priority" "$(field "$ev" PRIORITY)" 4
	expect "${kind}_cwd_whole" "$(jqv "$ev" '[.EXEC_CWD_TRUNCATED, .EXEC_CWD_UNREACHABLE]|@json')" '[null,null]'
	case $kind in
	deep)
		expect deep_cut "$(jqv "$ev" '[.EXEC_FILE_TRUNCATED, .EXEC_EXE_TRUNCATED]|@json')" '["1","1"]'
		expect deep_mark "$(jqv "$ev" ".EXEC_EXE|startswith(\"$WORK/c000\") and contains(\"/\u2026/\")")" true
		expect deep_kept "$(jqv "$ev" '.EXEC_EXE|endswith("/c139xxxxxxxxxxxxxxxxxxxxxxxxxx/true")')" true ;;
	*)
		expect "${kind}_unreachable" "$(jqv "$ev" '[.EXEC_FILE_UNREACHABLE, .EXEC_EXE_UNREACHABLE]|@json')" '["1","1"]' ;;
	esac
done
expect detached_exe "$(field "$(entry d detached)" EXEC_EXE)" /bin/prog
expect chroot_exe "$(field "$(entry d chroot)" EXEC_EXE)" "$(readlink -f /bin/true)"

# The allow-list drops /bin/true, but what a cut or unreachable path might
# be never drops an event: the three hidden programs are logged.
for kind in deep detached chroot; do
	expect "allow_${kind}_rule" "$(field "$(entry allow "$kind")" POLICY_RULE)" everything
done
JOURNAL_PID=$PID_allow
expect allow_plain_dropped "$(journal_json EXEC_ARGV="true $MARK-plain" | wc -l)" 0

# A process that entered a new mount namespace can no longer reach its
# own executable: the failed exec of unshare -m carries
# EXEC_EXE_UNREACHABLE, but that exe is the caller's, not what the exec
# was about, so it raises no warning.
unshare -m "/nonexistent/$MARK-unshared" 2>/dev/null
JOURNAL_PID=$PID_d
wait_until 10 journal_has EXEC_ARGV="/nonexistent/$MARK-unshared" ||
	fail "no entry for the failed exec after unshare -m"
ev=$(journal_json EXEC_ARGV="/nonexistent/$MARK-unshared")
expect unshared_exe "$(jqv "$ev" '[.EXEC_EXE_UNREACHABLE, .EXEC_ERROR]|@json')" '["1","ENOENT"]'
expect unshared_rule "$(field "$ev" POLICY_RULE)" exec

stop_daemon d
stop_daemon allow
pass
