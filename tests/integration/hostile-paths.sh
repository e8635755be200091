#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile-paths.sh: paths longer than the kernel side keeps show their root side and their leaf side around a gap mark (never wrong), at any depth; deleted and fileless (memfd) programs show as /proc/PID/exe shows them; programs outside the process's root are flagged unreachable.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl python3
ensure_tracefs
need_hostile_exec
[ -x "$HELPERS/execveat-run" ] || skip "tests/helpers/execveat-run not built"
start_journald

start_trace_exec te --ignore-failed=false
conf="$WORK/trace-execd.yaml"
write_config "$conf" "settings:
  ignore_failed: false
rules:
  - name: everything
    match: {}"
start_daemon d "$conf"
cd "$WORK"

# 1. A program at the end of a 5000-byte path (20 components of 249 bytes),
# run by a relative name from there; 2. one in a 200-deep directory; 3. one
# 1200 deep. expect.json holds what the kernel side keeps of each path (see
# bpf/trace_exec.h): the components nearest the leaf while they fit in
# 4096 - 512 - 256 bytes (a name taking up to 256), then, of the rest, the
# components nearest the root that fit in 512 bytes (at most 64); when
# some were left out, "…" stands for them.
python3 - "$WORK" "$MARK" <<'PY' || fail "running the deep programs failed"
import json, os, shutil, sys
work, mark = sys.argv[1], sys.argv[2]
TE_PATH_BUF, TE_NAME_MAX, TE_ROOT_RESERVE, TE_ROOT_RING = 4096, 256, 512, 64
def kept(comps):
    """The text of what the kernel-side walk keeps, and whether it has a gap."""
    leaf, pos = [], 0
    rest = list(reversed(comps))
    while rest and pos + TE_NAME_MAX <= TE_PATH_BUF - TE_ROOT_RESERVE - TE_NAME_MAX:
        c = rest.pop(0)
        leaf.append(c)
        pos += len(c.encode()) + 1
    root, size = [], 0
    for c in reversed(rest[-TE_ROOT_RING:]):
        if size + len(c.encode()) + 1 > TE_ROOT_RESERVE:
            break
        root.append(c)
        size += len(c.encode()) + 1
    if len(root) == len(rest):
        return "/" + "/".join(root + list(reversed(leaf))), False
    return "/" + "/".join(root + ["\u2026"] + list(reversed(leaf))), True
want = {}
for kind, comps in (("long", ["L%03d" % i + "x" * 245 for i in range(20)]),
                    ("deep", ["d%d" % i for i in range(200)]),
                    ("deeper", ["e%d" % i for i in range(1200)])):
    os.chdir(work)
    os.mkdir(kind)
    os.chdir(kind)
    for c in comps:
        os.mkdir(c)
        os.chdir(c)
    shutil.copy("/bin/true", "prog")
    full = [c for c in os.getcwd().split("/") if c]
    pid = os.fork()
    if pid == 0:
        os.execv("./prog", ["./prog", mark + "-" + kind])
    os.waitpid(pid, 0)
    cwd, gap = kept(full)
    want[kind] = {"pid": pid, "cwd": cwd, "file": kept(full + ["prog"])[0],
                  "cut": 1 if gap else None, "real": os.getcwd() + "/prog"}
json.dump(want, open(os.path.join(work, "expect.json"), "w"))
PY
for kind in long deep deeper; do
	w() { jq -r ".$kind.$1" expect.json; }
	pid=$(w pid)
	# pid and marker: pids wrap within minutes while other tests run
	ev=$(wait_json te ".EXEC_PID == $pid and .EXEC_ARG[1] == \"$MARK-$kind\"")
	expect "${kind}_cwd" "$(field "$ev" EXEC_CWD)" "$(w cwd)"
	expect "${kind}_file" "$(field "$ev" EXEC_FILE)" "$(w file)"
	expect "${kind}_exe" "$(field "$ev" EXEC_EXE)" "$(w file)"
	cut=$(w cut)
	expect "${kind}_cut" "$(jqv "$ev" '[.EXEC_CWD_TRUNCATED, .EXEC_FILE_TRUNCATED, .EXEC_EXE_TRUNCATED]|@json')" "[$cut,$cut,$cut]"
	expect "${kind}_not_cut" "$(jqv "$ev" '.EXEC_PARENT_EXE_TRUNCATED')" null
	# "never wrong": what is kept is the start and the end of the real path.
	real=$(w real)
	expect "${kind}_ends" "$(jqv "$ev" '.EXEC_EXE' | python3 -c '
import sys
real, got = sys.argv[1], sys.stdin.read().rstrip("\n")
head, _, tail = got.partition("/\u2026/")
print(real.startswith(head) and real.endswith("/" + tail) if tail else real == got)' "$real")" True
	wait_until 10 journal_has EXEC_PID="$pid" EXEC_ARG="$MARK-$kind" || fail "no journal entry for the $kind program"
	ev=$(journal_json --all EXEC_PID="$pid" EXEC_ARG="$MARK-$kind")
	expect "j_${kind}_cwd" "$(field "$ev" EXEC_CWD)" "$(w cwd)"
	expect "j_${kind}_exe" "$(field "$ev" EXEC_EXE)" "$(w file)"
	[ "$cut" = null ] && want='[null,null,null]' || want='["1","1","1"]'
	expect "j_${kind}_cut" "$(jqv "$ev" '[.EXEC_CWD_TRUNCATED, .EXEC_FILE_TRUNCATED, .EXEC_EXE_TRUNCATED]|@json')" "$want"
done

# 3. A failed exec of a name longer than PATH_MAX: the kernel side keeps
# its first 4095 bytes and says it cut it.
long="/$(printf 'n%.0s' $(seq 5000))"
python3 - "$long" "$MARK-toolong" <<'PY'
import os, sys
pid = os.fork()
if pid == 0:
    try:
        os.execv(sys.argv[1], [sys.argv[1], sys.argv[2]])
    except OSError:
        os._exit(0)
os.waitpid(pid, 0)
PY
ev=$(wait_json te ".EXEC_ARG[1] == \"$MARK-toolong\"")
expect toolong_error "$(field "$ev" EXEC_ERROR)" ENAMETOOLONG
expect toolong_file "$(field "$ev" EXEC_FILE)" "${long:0:4095}"
expect toolong_cut "$(field "$ev" EXEC_FILE_TRUNCATED)" 1
expect toolong_cwd_cut "$(field "$ev" EXEC_CWD_TRUNCATED)" null

# 4. A binary deleted before it is run through its fd (fexecve), and a
# fileless exec from a memfd: EXEC_FILE and EXEC_EXE read like /proc/PID/exe.
cp "$HX" "$WORK/del-prog"
"$HX" fexec-deleted "$WORK/del-prog" del-prog idle "$MARK-del" &
del=$!
BG_PIDS+=($del)
"$HELPERS/execveat-run" memfd "$HX" - memfd-prog idle "$MARK-memfd" &
mem=$!
BG_PIDS+=($mem)
for p in "$del:del-prog" "$mem:memfd-prog"; do
	argv0=${p#*:}
	p=${p%:*}
	ev=$(wait_json te ".EXEC_PID == $p and .EXEC_ARG[0] == \"$argv0\"")
	exe=$(readlink "/proc/$p/exe")
	expect "exe_$p" "$(field "$ev" EXEC_EXE)" "$exe"
	expect "file_$p" "$(field "$ev" EXEC_FILE)" "$exe"
	expect "exe_cut_$p" "$(field "$ev" EXEC_EXE_TRUNCATED)" null
	# a memfd has no path anyone can open: unreachable; a deleted file was
	# reachable when it ran
	want=null
	[ "$argv0" = memfd-prog ] && want=1
	expect "exe_unreachable_$p" "$(field "$ev" EXEC_EXE_UNREACHABLE)" "$want"
	expect "file_unreachable_$p" "$(field "$ev" EXEC_FILE_UNREACHABLE)" "$want"
	expect "cwd_unreachable_$p" "$(field "$ev" EXEC_CWD_UNREACHABLE)" null
	wait_until 10 journal_has EXEC_PID="$p" EXEC_ARG="$argv0" || fail "no journal entry for pid $p"
	expect "j_exe_$p" "$(journal_json EXEC_PID="$p" | jq -r "select(.EXEC_ARGV == \"$argv0 idle $MARK-${argv0%-prog}\").EXEC_EXE")" "$exe"
done
expect deleted_exe "$(readlink "/proc/$del/exe")" "$WORK/del-prog (deleted)"
expect memfd_exe "$(readlink "/proc/$mem/exe")" "/memfd:te-memfd (deleted)"

# 5. A program whose own binary was deleted while it ran starts another:
# the parent's exe is shown deleted.
cp /bin/bash "$WORK/del-bash"
"$WORK/del-bash" -c 'rm "$0"; readlink /proc/$$/exe > "$0.exe"; /bin/true "$1"; :' "$WORK/del-bash" "$MARK-parent"
ev=$(wait_json te ".EXEC_ARG[1] == \"$MARK-parent\"")
expect parent_exe "$(field "$ev" EXEC_PARENT_EXE)" "$(cat "$WORK/del-bash.exe")"
expect parent_exe_is "$(field "$ev" EXEC_PARENT_EXE)" "$WORK/del-bash (deleted)"

# 6. A binary on a detached mount (a tmpfs made with fsmount(2), never
# attached) run through its fd, and 7. a binary outside the process's root
# (opened, then chroot into a bind of /, then run through its fd): each is
# walked to the root of a mount the process cannot reach. The text looks
# like a path ("/bin/prog", "/usr/bin/true"); the flag says it is none.
"$HELPERS/execveat-run" detached /bin/true - true "$MARK-detached" ||
	fail "execveat-run detached failed"
mkdir "$WORK/root"
unshare -m sh -c 'mount --rbind / "$1" && exec "$2" chroot /bin/true "$1" true "$3"' \
	sh "$WORK/root" "$HELPERS/execveat-run" "$MARK-chroot" || fail "execveat-run chroot failed"
for c in "detached:/bin/prog" "chroot:$(readlink -f /bin/true)"; do
	kind=${c%%:*}
	ev=$(wait_json te ".EXEC_ARG == [\"true\", \"$MARK-$kind\"]")
	expect "${kind}_exe" "$(field "$ev" EXEC_EXE)" "${c#*:}"
	expect "${kind}_unreachable" "$(jqv "$ev" '[.EXEC_FILE_UNREACHABLE, .EXEC_EXE_UNREACHABLE, .EXEC_CWD_UNREACHABLE, .EXEC_EXE_TRUNCATED]|@json')" "[1,1,null,null]"
	wait_until 10 journal_has EXEC_ARGV="true $MARK-$kind" || fail "no journal entry for the $kind program"
	ev=$(journal_json EXEC_ARGV="true $MARK-$kind")
	expect "j_${kind}_unreachable" "$(jqv "$ev" '[.EXEC_FILE_UNREACHABLE, .EXEC_EXE_UNREACHABLE]|@json')" '["1","1"]'
done

kill "$del" "$mem"
stop_trace_exec te
stop_daemon d
pass
