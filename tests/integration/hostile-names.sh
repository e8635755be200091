#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile-names.sh: file names, working directories and arguments with newlines, escapes, invalid UTF-8 and shell metacharacters round-trip exactly and forge nothing in JSON, the journal or syslog.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl python3
ensure_tracefs
start_journald

# The daemon sends a burst of two dozen messages without waiting: the
# listener's socket gets a queue that holds them (big_dgram_queue).
sock="$WORK/log.sock"
start_listener() {
	python3 - "$sock" "$WORK/syslog.bin" <<'PY' &
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind(sys.argv[1])
with open(sys.argv[2], "ab", buffering=0) as out:
    while True:
        m = s.recv(1 << 22)
        out.write(struct.pack("<I", len(m)) + m)	# length-prefixed: a newline inside stays visible
PY
	BG_PIDS+=($!)
	wait_until 10 test -S "$sock"
}
big_dgram_queue start_listener || fail "syslog listener did not start"

start_trace_exec te --ignore-failed=false
conf="$WORK/trace-execd.yaml"
write_config "$conf" "settings:
  ignore_failed: false
  outputs: {journal: true, syslog: true}
rules:
  - name: everything
    match: {args: '*$MARK*'}
    priority: info
  - name: others
    match: {}
    action: drop"	# a datagram socket queues a few messages only: no host noise
TRACE_EXECD_SYSLOG_SOCKET="$sock" start_daemon d "$conf"

# Programs and directories with hostile names, run with hostile arguments;
# manifest.json records what each exec was, byte for byte (hex).
python3 - "$WORK" "$MARK" <<'PY'
import json, os, shutil, sys
work, mark = sys.argv[1].encode(), sys.argv[2].encode()
names = [
    b"nl\nEXEC_UID=4242\nPRIORITY=0",
    b"esc\x1b[31mred\x1b[0m\x07\x08",
    b"bad\xff\xfe\xc0\xafutf8",
    b"meta$(id);`id`|&<>*?'\" ]x\\",
    b"\xe2\x80\xaebidi\xc2\x85c1\xe2\x80\xa8ls",
    b"cr\rMESSAGE=forged",
]
args = [
    b"a\nEXEC_UID=4242",
    b"\nPRIORITY=0\n",
    b"x\"] [exec@32473 EXEC_UID=\"0\"",
    b"\r\nMESSAGE=forged",
    b"\x1b]0;title\x07\x1b[2J",
    b"\xff\xfe\xfd",
    b"\xed\xa0\x80surrogate",
    b"$(rm -rf /); `x` | & > < * ? ~ ! # %",
    b"caf\xc3\xa9 \xe2\x80\xae\xe2\x80\x8b",
    b"",
    b" ",
    b"\\x41\\n\\\"",
    b"EXEC_ARG=forged",
]
cwd = os.path.join(work, b"cwd\nEXEC_CWD=/forged\x1b[2J\xff")
os.makedirs(cwd)
os.chdir(cwd)
# The parent's name shows as EXEC_PCOMM.
with open("/proc/self/comm", "wb") as f:
    f.write(b"p\nEXEC_PPID=1\x1b")
runs = []
for i, n in enumerate(names):
    path = os.path.join(cwd, n)
    shutil.copy("/bin/true", path)
    argv = [path, mark + b"-n%d" % i] + args
    pid = os.fork()
    if pid == 0:
        os.execv(path, argv)
    os.waitpid(pid, 0)
    runs.append({"pid": pid, "args": [a.hex() for a in argv], "file": path.hex(),
                 "cwd": cwd.hex(), "failed": False})
    # The same as a failed exec: a name that is not there.
    pid = os.fork()
    if pid == 0:
        try:
            os.execv(path + b".missing", [path + b".missing", mark + b"-f%d" % i] + args)
        except OSError:
            os._exit(0)
    os.waitpid(pid, 0)
    runs.append({"pid": pid, "args": [(path + b".missing").hex(), (mark + b"-f%d" % i).hex()] +
                 [a.hex() for a in args], "file": (path + b".missing").hex(),
                 "cwd": cwd.hex(), "failed": True})
json.dump(runs, open(os.path.join(work, b"manifest.json"), "w"))
PY
[ $? -eq 0 ] || fail "running the hostile programs failed"
npid=$(jq length "$WORK/manifest.json")
expect runs "$npid" 12
last=$(jq -r '.[-1].pid' "$WORK/manifest.json")
wait_json te ".EXEC_PID == $last" 10 >/dev/null
wait_until 10 journal_has EXEC_PID="$last" || fail "no journal entry for pid $last"
wait_until 10 grep -aq "EXEC_PID=\"$last\"" "$WORK/syslog.bin" || fail "no syslog message for pid $last"
stop_trace_exec te
journal_json --all MESSAGE_ID=dae8ea1ec2964a42af0f34673ef7d561 > "$WORK/journal.json"
journal_json --all MESSAGE_ID=7709a7d283f54539a0009d14812ca56f >> "$WORK/journal.json"

# Every expectation, checked byte for byte.
out=$(python3 - "$WORK" "$top_srcdir/tests/unescape-argv.py" <<'PY'
import json, os, re, subprocess, sys
work, unescape = sys.argv[1], sys.argv[2]
runs = json.load(open(os.path.join(work, "manifest.json")))
checks = 0
def fail(msg):
    print("FAIL " + msg)
    sys.exit(0)
def check(label, got, want):
    global checks
    checks += 1
    if got != want:
        fail("%s: got %r, want %r" % (label, got, want))

ESCAPED = lambda cp: (0x80 <= cp <= 0x9f or cp == 0x061c or 0x200b <= cp <= 0x200f or
                      0x2028 <= cp <= 0x202e or 0x2060 <= cp <= 0x2069 or cp == 0xfeff)
SIMPLE = {10: "n", 9: "t", 13: "r", 7: "a", 8: "b", 12: "f", 11: "v", 27: "e"}
def escape_text(b):
    """escape.c's escape_text(): one printable UTF-8 line."""
    out, i = [], 0
    while i < len(b):
        c = b[i]
        if c < 0x80:
            if c >= 0x20 and c != 0x7f:
                out.append(chr(c))
            elif c in SIMPLE:
                out.append("\\" + SIMPLE[c])
            else:
                out.append("\\x%02x" % c)
            i += 1
            continue
        n = 2 if 0xc2 <= c <= 0xdf else 3 if 0xe0 <= c <= 0xef else 4 if 0xf0 <= c <= 0xf4 else 0
        try:
            ch = b[i:i + n].decode("utf-8") if n else None
        except UnicodeDecodeError:
            ch = None
        if ch is None or len(ch) != 1:
            out.append("\\x%02x" % c)
            i += 1
            continue
        out.append("\\u%04X" % ord(ch) if ESCAPED(ord(ch)) else ch)
        i += n
    return "".join(out)

def jbytes(v):
    """A JSON string, or an array of byte values, as bytes."""
    if isinstance(v, list):
        return bytes(v)
    return v.encode("utf-8")

def one_line(label, s):
    global checks
    checks += 1
    if any(ord(c) < 0x20 or ord(c) == 0x7f for c in s):
        fail("%s is not one printable line: %r" % (label, s))

def argv_bytes(s):
    hexes = subprocess.run([sys.executable, unescape], input=s.encode(), capture_output=True,
                           check=True).stdout.decode().strip()
    return hexes

SCHEMA = {"EXEC_TIMESTAMP_USEC", "EXEC_COMM", "EXEC_PID", "EXEC_TID", "EXEC_PPID", "EXEC_PCOMM",
          "EXEC_ARGV", "EXEC_ARG", "EXEC_ARGC", "EXEC_ARGS_TRUNCATED", "EXEC_UID", "EXEC_USER",
          "EXEC_GID", "EXEC_GROUP", "EXEC_LOGINUID", "EXEC_LOGINUSER", "EXEC_SESSIONID", "EXEC_TTY",
          "EXEC_ERROR", "ERRNO", "EXEC_CWD", "EXEC_FILE", "EXEC_EXE", "EXEC_PARENT_EXE",
          "EXEC_UPPER_LAYER", "EXEC_PARENT_UPPER_LAYER", "EXEC_FILE_UPPER_LAYER", "EXEC_MNTNS",
          "EXEC_CGROUP", "POLICY_RULE", "POLICY_TAGS", "EXEC_ID", "EXEC_PARENT_ID",
          "EXEC_PARENT_ID_INFERRED", "EXEC_SHA256", "EXEC_EXE_SHA256", "EXEC_SHA256_UNAVAILABLE",
          "EXEC_PACKAGE", "EXEC_PACKAGE_ARCH", "EXEC_PACKAGE_VERSION", "EXEC_PACKAGE_VERIFIED",
          "EXEC_PACKAGE_UNKNOWN", "EXEC_PACKAGE_CONFFILE", "EXEC_FIRST_SEEN"}
JOURNAL = SCHEMA | {"MESSAGE", "MESSAGE_ID", "PRIORITY", "SYSLOG_IDENTIFIER", "SYSLOG_FACILITY",
                    "EXEC_ARGS_JSON"}

def args_json_ok(value, args):
    """EXEC_ARGS_JSON: one JSON array, each UTF-8 argument exact, any other
    as EXEC_ARGV writes it (quoted, escaped)."""
    arr = json.loads(value)
    if not isinstance(arr, list) or len(arr) != len(args):
        return False
    for a, want in zip(arr, args):
        try:
            if a != want.decode("utf-8"):
                return False
        except UnicodeDecodeError:
            if argv_bytes(a) != want.hex() + "00":
                return False
    return True

# 1. trace-exec -o json: one object per line, exact ordered arguments and paths.
te = {}
with open(os.path.join(work, "te.json"), "rb") as f:
    for line in f:
        ev = json.loads(line)
        if "EXEC_PID" not in ev:
            continue	# a fold of another test's flood of failed execs
        te.setdefault(ev["EXEC_PID"], []).append(ev)
# 2. The journal.
jr = {}
for line in open(os.path.join(work, "journal.json"), "rb"):
    ev = json.loads(line)
    jr.setdefault(int(ev["EXEC_PID"]), []).append(ev)
# 3. syslog datagrams.
sl = {}
data = open(os.path.join(work, "syslog.bin"), "rb").read()
pos = 0
while pos < len(data):
    n = int.from_bytes(data[pos:pos + 4], "little")
    msg = data[pos + 4:pos + 4 + n]
    pos += 4 + n
    m = re.search(rb' EXEC_PID="(\d+)"', msg)
    if m:
        sl.setdefault(int(m.group(1)), []).append(msg)

def sd_params(msg):
    s = msg.decode("utf-8")	# must be valid UTF-8
    one_line("syslog message", s)
    head = " [exec@32473 "
    i = s.index(head) + len(head)
    params = []
    while True:
        eq = s.index("=", i)
        name = s[i:eq]
        if s[eq + 1] != '"':
            fail("syslog: no quote after %s" % name)
        j, val = eq + 2, []
        while s[j] != '"':
            if s[j] == "\\":
                if s[j + 1] not in '"\\]':
                    fail("syslog: bad escape in %s" % name)
                val.append(s[j + 1])
                j += 2
            else:
                if s[j] == "]":
                    fail("syslog: bare ] in %s" % name)
                val.append(s[j])
                j += 1
        params.append((name, "".join(val)))
        if s[j + 1] == "]":
            return params
        if s[j + 1] != " ":
            fail("syslog: junk after %s" % name)
        i = j + 2

for r in runs:
    pid = r["pid"]
    args = [bytes.fromhex(a) for a in r["args"]]
    file = bytes.fromhex(r["file"])
    cwd = bytes.fromhex(r["cwd"])
    tag = "pid %d (%s)" % (pid, "failed" if r["failed"] else "ran")
    # JSON
    evs = te.get(pid, [])
    check(tag + " json events", len(evs), 1)
    ev = evs[0]
    check(tag + " json args", [jbytes(a) for a in ev["EXEC_ARG"]], args)
    check(tag + " json argc", ev["EXEC_ARGC"], len(args))
    check(tag + " json file", jbytes(ev["EXEC_FILE"]), file)
    check(tag + " json cwd", jbytes(ev["EXEC_CWD"]), cwd)
    check(tag + " json pcomm", jbytes(ev["EXEC_PCOMM"]), b"p\nEXEC_PPID=1\x1b")
    if not r["failed"]:
        check(tag + " json exe", jbytes(ev["EXEC_EXE"]), file)
        check(tag + " json comm", jbytes(ev["EXEC_COMM"]), os.path.basename(file)[:15])
    check(tag + " json argv", argv_bytes(ev["EXEC_ARGV"]), "".join(a.hex() + "00" for a in args))
    one_line(tag + " json EXEC_ARGV", ev["EXEC_ARGV"])
    # journal
    evs = jr.get(pid, [])
    check(tag + " journal entries", len(evs), 1)
    ev = evs[0]
    for k, v in ev.items():
        if k.startswith("_"):
            continue
        if k not in JOURNAL:
            fail("%s: forged journal field %s=%r" % (tag, k, v))
        multi = isinstance(v, list) and v and not isinstance(v[0], int)
        if k != "EXEC_ARG" and multi:
            fail("%s: journal field %s repeated: %r" % (tag, k, v))
    check(tag + " journal uid", ev["EXEC_UID"], "0")
    check(tag + " journal priority", ev["PRIORITY"], "6")
    check(tag + " journal pid", ev["EXEC_PID"], str(pid))
    check(tag + " journal arg set", sorted(set(jbytes(a) for a in ev["EXEC_ARG"])), sorted(set(args)))
    check(tag + " journal argv", argv_bytes(ev["EXEC_ARGV"]), "".join(a.hex() + "00" for a in args))
    if args:
        check(tag + " journal args json", args_json_ok(ev["EXEC_ARGS_JSON"], args), True)
    check(tag + " journal file", jbytes(ev["EXEC_FILE"]), file)
    check(tag + " journal cwd", jbytes(ev["EXEC_CWD"]), cwd)
    check(tag + " journal pcomm", jbytes(ev["EXEC_PCOMM"]), b"p\nEXEC_PPID=1\x1b")
    msg = ev["MESSAGE"]
    if isinstance(msg, list):
        fail("%s: MESSAGE is not text: %r" % (tag, msg))
    one_line(tag + " MESSAGE", msg)
    check(tag + " MESSAGE cwd", msg.endswith(", cwd %s, rule everything]" % escape_text(cwd)), True)
    # syslog
    msgs = sl.get(pid, [])
    check(tag + " syslog messages", len(msgs), 1)
    params = sd_params(msgs[0])
    names = [p[0] for p in params]
    for k in set(names):
        if k not in JOURNAL:
            fail("%s: forged syslog param %s" % (tag, k))
        if k != "EXEC_ARG" and names.count(k) != 1:
            fail("%s: syslog param %s repeated" % (tag, k))
    d = dict(params)
    check(tag + " syslog uid", d["EXEC_UID"], "0")
    check(tag + " syslog pid", d["EXEC_PID"], str(pid))
    check(tag + " syslog args", [v for k, v in params if k == "EXEC_ARG"], [escape_text(a) for a in args])
    check(tag + " syslog file", d["EXEC_FILE"], escape_text(file))
    check(tag + " syslog cwd", d["EXEC_CWD"], escape_text(cwd))
    check(tag + " syslog argv", argv_bytes(d["EXEC_ARGV"]), "".join(a.hex() + "00" for a in args))
print("OK %d" % checks)
PY
)
case "$out" in
OK\ *) CHECKS=$((CHECKS + ${out#OK })) ;;
*) fail "${out#FAIL }" ;;
esac

# No line of the JSON output was broken by a name or an argument.
expect json_lines "$(jq -c . "$WORK/te.json" | wc -l)" "$(wc -l < "$WORK/te.json")"
stop_daemon d
pass
