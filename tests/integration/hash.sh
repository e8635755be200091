#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hash.sh: EXEC_SHA256 in journald equals sha256sum of what ran: a host binary exiting at once, a script (and its interpreter), a binary deleted after it started, a memfd exec, a binary in a podman container's upper layer, a binary changed at the same path; a script swapped by a directory rename, or rewritten in place while the worker is held, has no hash (mismatch); sha256 and sha256_file rules raise the priority of exactly the listed binaries; the unavailable reasons gone and too-large.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl sha256sum unshare setpriv
ensure_tracefs
start_journald
PY=/usr/bin/python3
[ -x $PY ] || skip "needs /usr/bin/python3"

cd "$WORK"
sum() { sha256sum "$1" | cut -c1-64; }
# unique binaries: a copy of a program with the run's marker appended (an
# ELF file runs with bytes after its end), so that no other exec shares it
mkbin() { cp "$2" "$1" && printf '%s\n' "$MARK-$(basename "$1")" >> "$1" && chmod 0755 "$1"; }
mkbin evil /usr/bin/true
mkbin listed /usr/bin/true
mkbin good /usr/bin/true
sum listed > hashes.txt
conf="$WORK/trace-execd.yaml"
config() {	# config [EXTRA SETTINGS]
	write_config "$conf" "settings:
  hash_wait: 2s
$1
rules:
  - name: evil-binary
    match:
      sha256: [$(sum evil | tr a-f A-F)]
    priority: crit
  - name: listed-binary
    match:
      sha256_file: $WORK/hashes.txt
    priority: err"
}
config ""
start_daemon d "$conf"
start_trace_exec live --sha256

# 1. A host binary that exits at once (gone before the daemon reads it):
# found at its path, checked against the kernel's identity. The deny rule
# matches it alone; the listed one matches the rule of the hash file.
for b in evil listed good; do
	"./$b" "$MARK-$b"
done
one_entry evil EXEC_ARG="$MARK-evil"
expect evil_sha "$(field "$ev" EXEC_SHA256)" "$(sum evil)"
expect evil_rule "$(field "$ev" POLICY_RULE)" evil-binary
expect evil_priority "$(field "$ev" PRIORITY)" 2
one_entry listed EXEC_ARG="$MARK-listed"
expect listed_sha "$(field "$ev" EXEC_SHA256)" "$(sum listed)"
expect listed_rule "$(field "$ev" POLICY_RULE)" listed-binary
expect listed_priority "$(field "$ev" PRIORITY)" 3
one_entry good EXEC_ARG="$MARK-good"
expect good_sha "$(field "$ev" EXEC_SHA256)" "$(sum good)"
expect good_rule "$(field "$ev" POLICY_RULE)" null
expect good_priority "$(field "$ev" PRIORITY)" 6
expect good_unavailable "$(field "$ev" EXEC_SHA256_UNAVAILABLE)" null
expect evil_only "$(journal_json POLICY_RULE=evil-binary | wc -l)" 1
# trace-exec --sha256: the same in its JSON
ev=$(wait_json live ".EXEC_ARG[1] == \"$MARK-good\"")
expect live_sha "$(field "$ev" EXEC_SHA256)" "$(sum good)"
stop_trace_exec live

# 2. A script: its own hash; the interpreter's in EXEC_EXE_SHA256.
printf '#!/bin/sh\n# %s\nexit 0\n' "$MARK" > script.sh
chmod 0755 script.sh
./script.sh "$MARK-script"
one_entry script EXEC_ARG="$MARK-script"
expect script_sha "$(field "$ev" EXEC_SHA256)" "$(sum script.sh)"
expect script_exe_sha "$(field "$ev" EXEC_EXE_SHA256)" "$(sum "$(readlink -f /bin/sh)")"
expect binary_no_exe_sha "$(journal_json EXEC_ARG="$MARK-good" | jq -r .EXEC_EXE_SHA256)" null

# 2b. The script's directory swapped right after the exec for one holding
# a benign script made before it (its ctime older than the exec): the
# daemon, stopped meanwhile, finds that file at the path. It is not the
# file that ran (the kernel's identity of it): no hash, mismatch.
mkdir evil-dir benign-dir
printf '#!/bin/sh
# benign %s
exit 0
' "$MARK" > benign-dir/s.sh
printf '#!/bin/sh
# evil %s
exit 0
' "$MARK" > evil-dir/s.sh
chmod 0755 benign-dir/s.sh evil-dir/s.sh
kill -STOP "$PID_d"
./evil-dir/s.sh "$MARK-swap"
mv evil-dir gone-dir && mv benign-dir evil-dir
kill -CONT "$PID_d"
one_entry swap EXEC_ARG="$MARK-swap"
expect swap_file "$(field "$ev" EXEC_FILE)" "$WORK/evil-dir/s.sh"
expect swap_sha "$(field "$ev" EXEC_SHA256)" null
expect swap_why "$(field "$ev" EXEC_SHA256_UNAVAILABLE)" mismatch

# 2c. The script rewritten in place (same inode, same size, its mtime put
# back) after the daemon opened it and before the worker read it (the
# worker held by TRACE_EXECD_TEST_HOLD_HASH; the daemon holding the file
# open shows it was opened; it follows one uid, so that no other exec's
# file waits before this one): no hash, mismatch.
printf '#!/bin/sh
# held %s
exit 0
' "$MARK" > held.sh
chmod 0755 held.sh
touch hold
JOURNAL_PID_D=$JOURNAL_PID
HU=$(free_uid 47500)
write_config "$WORK/held.yaml" "settings:
  uid: $HU
  hash_wait: 10s
rules: []"
TRACE_EXECD_TEST_HOLD_HASH=$WORK/hold start_daemon held "$WORK/held.yaml"
chmod 0755 "$WORK"
setpriv --reuid "$HU" --regid "$HU" --clear-groups ./held.sh "$MARK-held"
holds_it() { [ "$(find /proc/"$PID_held"/fd -lname "$WORK/held.sh" | wc -l)" -ge 1 ]; }
wait_until 20 holds_it || fail "the daemon did not open held.sh"
touch -r held.sh ref
printf '#!/bin/sh
# HELD %s
exit 0
' "$MARK" | dd of=held.sh conv=notrunc status=none
touch -r ref held.sh
rm hold
one_entry held EXEC_ARG="$MARK-held"
expect held_sha "$(field "$ev" EXEC_SHA256)" null
expect held_why "$(field "$ev" EXEC_SHA256_UNAVAILABLE)" mismatch
stop_daemon held
JOURNAL_PID=$JOURNAL_PID_D

# 3. A binary deleted right after it started.
mkbin del /usr/bin/sleep
want_del=$(sum del)
(exec -a "$MARK-del" ./del 30) &
dpid=$!
BG_PIDS+=($dpid)
# (no grep of the marker: its own exec would carry it)
started() { [ "$(tr '\0' ' ' < "/proc/$1/cmdline")" = "$MARK-del 30 " ]; }
wait_until 10 started $dpid || fail "the deleted binary did not start"
rm -f del
one_entry del EXEC_ARG="$MARK-del"
expect del_sha "$(field "$ev" EXEC_SHA256)" "$want_del"
kill $dpid

# 4. An exec of a memfd.
mpid=$($PY - "$MARK" <<'EOF'
import os, sys
fd = os.memfd_create("prog", 0)
os.write(fd, open("/usr/bin/sleep", "rb").read() + (sys.argv[1] + "-memfd\n").encode())
pid = os.fork()
if pid == 0:
    # not the command substitution's pipe: it would wait for the child
    os.dup2(os.open("/dev/null", os.O_WRONLY), 1)
    os.execve(fd, [sys.argv[1] + "-memfd", "30"], {})
print(pid)
EOF
)
BG_PIDS+=($mpid)
{ cat /usr/bin/sleep; printf '%s\n' "$MARK-memfd"; } > memfd.copy
one_entry memfd EXEC_ARG="$MARK-memfd"
expect memfd_sha "$(field "$ev" EXEC_SHA256)" "$(sum memfd.copy)"
expect memfd_unreachable "$(field "$ev" EXEC_EXE_UNREACHABLE)" 1
kill "$mpid"

# 5. The same path with new content: the new hash (the cache follows the
# file's size, mtime and ctime).
mkbin chg /usr/bin/true
sum1=$(sum chg)
./chg "$MARK-chg1"
one_entry chg1 EXEC_ARG="$MARK-chg1"
expect chg1_sha "$(field "$ev" EXEC_SHA256)" "$sum1"
ino=$(stat -c %i chg)
{ cat /usr/bin/false; printf '%s\n' "$MARK-v2"; } > chg	# same inode, rewritten
expect chg_same_inode "$(stat -c %i chg)" "$ino"
./chg "$MARK-chg2" || true
one_entry chg2 EXEC_ARG="$MARK-chg2"
expect chg2_sha "$(field "$ev" EXEC_SHA256)" "$(sum chg)"
[ "$sum1" != "$(sum chg)" ] || fail "the rewritten binary has the old hash"

# 6. No way left to the file: a short-lived binary on a mount of a private
# mount namespace (no container runtime knows it). The daemon is stopped
# until the process and its namespace are gone, so that it cannot read the
# event while the file is still there (a race a slow build lost).
kill -STOP "$PID_d"
unshare -m --propagation private sh -e -c '
	mkdir -p "$1/mnt"
	mount -t tmpfs tmpfs "$1/mnt"
	cp /usr/bin/true "$1/mnt/t"
	"$1/mnt/t" "$2-gone"
' sh "$WORK" "$MARK"
kill -CONT "$PID_d"
one_entry gone EXEC_ARG="$MARK-gone"
expect gone_reason "$(field "$ev" EXEC_SHA256_UNAVAILABLE)" gone
expect gone_sha "$(field "$ev" EXEC_SHA256)" null

# 6b. A lower-layer binary of an overlayfs whose layers are on two file
# systems (as a system container's root can be): the overlay reports it
# with a device number of its own, not the kernel's; found all the same.
mkdir -p ovl/low ovl/up ovl/merged
trap 'umount -l "$WORK/ovl/merged" "$WORK/ovl/up" "$WORK/ovl/low" 2>/dev/null; cleanup' EXIT
mount -t tmpfs tmpfs ovl/low && mount -t tmpfs tmpfs ovl/up || fail "tmpfs mounts failed"
mkdir ovl/up/u ovl/up/w
mkbin ovl/low/lowbin /usr/bin/true
mount -t overlay overlay -o "lowerdir=$WORK/ovl/low,upperdir=$WORK/ovl/up/u,workdir=$WORK/ovl/up/w" ovl/merged ||
	fail "overlay mount failed"
[ "$(stat -c %d ovl/merged/lowbin)" != "$(stat -c %d ovl/merged)" ] || fail "the overlay shares its device number"
ovl/merged/lowbin "$MARK-ovl"
one_entry ovl EXEC_ARG="$MARK-ovl"
expect ovl_sha "$(field "$ev" EXEC_SHA256)" "$(sum ovl/low/lowbin)"
umount ovl/merged ovl/up ovl/low
trap cleanup EXIT

# 7. A binary in a podman container's upper layer, exiting at once: found
# under the container's root file system.
if command -v podman >/dev/null && command -v runc >/dev/null &&
	IMAGE=$("$top_srcdir/tests/podman-image.sh" 2>"$WORK/image.err" | tail -1); then
	NAME="test-trace-exec-hash-$$"
	trap 'podman rm -f -t 0 "$NAME" >/dev/null 2>&1; cleanup' EXIT
	podman run --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
		--name "$NAME" -d "$IMAGE" /bin/sh -c \
		"cp /bin/busybox /bb-up && echo $MARK >> /bb-up && /bb-up true $MARK-up; sleep 600" >/dev/null ||
		fail "podman run failed"
	one_entry upper EXEC_ARG="$MARK-up"
	expect up_layer "$(field "$ev" EXEC_UPPER_LAYER)" 1
	expect up_container "$(field "$ev" CONTAINER_NAME)" "$NAME"
	expect up_sha "$(field "$ev" EXEC_SHA256)" \
		"$(podman exec "$NAME" /bin/busybox sha256sum /bb-up | cut -c1-64)"
	podman rm -f -t 0 "$NAME" >/dev/null
else
	echo "podman part skipped: $(cat "$WORK/image.err" 2>/dev/null)" >&2
fi
# 8. Over hash_max_size (a reload): not hashed.
config "  hash_max_size: 16K"
kill -HUP "$PID_d"
wait_until 10 grep -q "reloaded" "$WORK/d.err" || fail "no reload"
mkbin big /usr/bin/true
./big "$MARK-big"
one_entry big EXEC_ARG="$MARK-big"
expect big_reason "$(field "$ev" EXEC_SHA256_UNAVAILABLE)" too-large

stop_daemon d
pass
