#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile-kill.sh: an unprivileged user cannot walk around a kill rule on a directory with the default protect list: own pid namespace (PID 1 is judged), a script by a relative path, a memfd, a binary 200 directories deep, a ".." path under a protected prefix, an own mount namespace against "container: false" (also from a cgroup named like a runtime's scope): each killed (137), each entry EXEC_ACTION=killed.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl setpriv python3
ensure_tracefs
start_journald
for h in ns-exec; do
	[ -x "$HELPERS/$h" ] || skip "tests/helpers/$h not built"
done
# unprivileged user namespaces (Debian's default)
[ "$(sysctl -n kernel.unprivileged_userns_clone 2>/dev/null || echo 1)" = 1 ] ||
	skip "unprivileged user namespaces are off"

U=$(free_uid 47300)
KZ=/tmp/killzone-$MARK		# the kill rules' directory
HO=/tmp/hostzone-$MARK		# a "container: false" rule's directory
CREATED=()
trap 'rm -rf "$KZ" "$HO"; remove_recorded; cleanup' EXIT
mkdir -m 0755 "$KZ" "$HO"
chmod 0755 "$WORK"
conf="$WORK/trace-execd.yaml"
# the default protect list (trace-execd.yaml(5)): no "protect:" here. It
# follows the user's execs only (the kill rules judge every uid's all the
# same), so that the parallel suite's floods cannot fill its ring.
write_config "$conf" "settings:
  enforce: true
  uid: $U
  ringbuf_size: 64M
rules:
  - name: cwd-$MARK
    action: kill
    match: {cwd: $KZ}
  - name: exe-$MARK
    action: kill
    match: {exe: \"$KZ/*\"}
  - name: file-$MARK
    action: kill
    match: {file: \"$KZ/*\"}
  - name: host-$MARK
    action: kill
    match: {container: false, cwd: $HO}"
start_daemon d "$conf"

as_u() { setpriv --reuid "$U" --regid "$U" --clear-groups "$@"; }
# killed NAME RULE FILTER...: of the user's execs of FILTER (the marker is
# also in the argv of the commands that start them), exactly one was
# killed, by RULE, and it is the one whose comm is NAME's program.
killed() {
	local name=$1 rule=$2
	shift 2
	one_entry "$name" EXEC_UID="$U" EXEC_ACTION=killed "$@"
	expect "$name-rule" "$(jqv "$ev" .POLICY_RULE)" "$rule-$MARK"
	expect "$name-msgid" "$(jqv "$ev" .MESSAGE_ID)" cdf4dede5e3a46d0abed64cc33b42009
}

# 1. PID 1 of the user's own pid namespace is judged like any exec.
expect pidns_status "$(as_u "$HELPERS/ns-exec" -U -p -C "$KZ" /bin/echo "$MARK-pidns" >/dev/null; echo $?)" 137
killed pidns cwd EXEC_ARG="$MARK-pidns"

# 2. A script by a relative path: its file is the one the kernel opened.
printf '#!/bin/sh\necho "$@"\n' > "$KZ/s"
chmod 0755 "$KZ/s"
expect relative_status "$(as_u sh -c 'cd "$1" && ./s "$2" >/dev/null; echo $?' sh "$KZ" "$MARK-rel")" 137
killed relative cwd EXEC_ARG="$MARK-rel"
expect relative_file "$(jqv "$ev" .EXEC_FILE)" "$KZ/s"
expect relative_exe "$(jqv "$ev" .EXEC_EXE)" "$(readlink -f /bin/sh)"

# 3. A memfd: its path is unreachable, which never protects.
expect memfd_status "$(as_u /usr/bin/python3 -c '
import os, subprocess, sys
os.chdir(sys.argv[1])
fd = os.memfd_create("payload", 0)
os.write(fd, open("/bin/echo", "rb").read())
p = subprocess.run(["/proc/self/fd/%d" % fd, sys.argv[2]], pass_fds=[fd],
                   stdout=subprocess.DEVNULL)
print(128 - p.returncode if p.returncode < 0 else p.returncode)' "$KZ" "$MARK-memfd")" 137
killed memfd cwd EXEC_ARG="$MARK-memfd"
expect memfd_unreachable "$(jqv "$ev" .EXEC_EXE_UNREACHABLE)" 1

# 4. A binary 200 directories deep (4200 bytes of path): the kernel walks
# to the root and keeps its root side, so "$KZ/*" decides.
# deep KZ [ARG]: without ARG, make the tree (as root); with it, walk down
# to it and run ./prog ARG, printing its status as a shell would.
deep() {
	/usr/bin/python3 - "$@" <<'PY'
import os, shutil, subprocess, sys
os.chdir(sys.argv[1])
for i in range(200):
    d = "d%03d" % i + "x" * 16
    if len(sys.argv) == 2:
        os.mkdir(d, 0o755)
    os.chdir(d)
if len(sys.argv) == 2:
    shutil.copy("/bin/echo", "prog")
    os.chmod("prog", 0o755)
else:
    r = subprocess.run(["./prog", sys.argv[2]], stdout=subprocess.DEVNULL).returncode
    print(128 - r if r < 0 else r)
PY
}
deep "$KZ" || fail "making the deep directory"
expect deep_status "$(as_u bash -c "$(declare -f deep); deep \"\$@\"" sh "$KZ" "$MARK-deep")" 137
killed deep exe EXEC_ARG="$MARK-deep"
expect deep_cut "$(jqv "$ev" .EXEC_EXE_TRUNCATED)" 1
case "$(jqv "$ev" .EXEC_EXE)" in
"$KZ/d000"*"/…/"*"/d199xxxxxxxxxxxxxxxx/prog") CHECKS=$((CHECKS + 1)) ;;
*) fail "deep_exe: $(jqv "$ev" .EXEC_EXE)" ;;
esac

# 5. ".." under a protected prefix (/usr/lib/apt/methods/*): the script's
# file is judged by where it is, not by the string exec was given.
up=/usr/lib/apt/methods/../../../..$KZ/s
[ -d /usr/lib/apt/methods ] || up=/usr/lib/../..$KZ/s
expect dotdot_status "$(as_u sh -c 'cd / && "$1" "$2" >/dev/null; echo $?' sh "$up" "$MARK-dotdot")" 137
killed dotdot file EXEC_ARG="$MARK-dotdot"
expect dotdot_file "$(jqv "$ev" .EXEC_FILE)" "$KZ/s"

# 6. An own mount namespace is a host exec: "container: false" holds.
expect mntns_status "$(as_u "$HELPERS/ns-exec" -U -m -C "$HO" /bin/echo "$MARK-mntns" >/dev/null; echo $?)" 137
killed mntns host EXEC_ARG="$MARK-mntns"

# 7. The same from a cgroup named like a runtime's container scope: a
# claim no runtime confirms decides nothing.
cgroup_roots
fake=$(printf '%s' "fake-$MARK" | sha256sum | cut -c1-64)
rel=/te-hostile-kill-$$/libpod-$fake.scope
mkdirs_recorded "${ROOTS[@]/%/$rel}"
procs=()
for root in "${ROOTS[@]}"; do procs+=("$root$rel/cgroup.procs"); done
st=$(sh -c 'u=$1 ns=$2 ho=$3 m=$4; shift 4
	for f; do echo $$ > "$f" || exit 1; done
	setpriv --reuid "$u" --regid "$u" --clear-groups "$ns" -U -m -C "$ho" /bin/echo "$m" >/dev/null
	echo $?' sh "$U" "$HELPERS/ns-exec" "$HO" "$MARK-scope" "${procs[@]}")
expect scope_status "$st" 137
killed scope host EXEC_ARG="$MARK-scope"
expect scope_unverified "$(jqv "$ev" .CONTAINER_UNVERIFIED)" "$fake"

stop_daemon d
pass
