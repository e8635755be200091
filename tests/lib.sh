# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh: shared functions of the integration tests (sourced; needs top_builddir/top_srcdir).
# Exit codes follow automake: 0 pass, 1 fail, 77 skip, 99 hard error.

: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
TRACE_EXEC="$top_builddir/trace-exec"
TRACE_EXECD="$top_builddir/trace-execd"
HELPERS="$top_builddir/tests/helpers"
TEST_NAME=$(basename "$0" .sh)
WORK=$(mktemp -d "/tmp/te-$TEST_NAME.XXXXXX")
MARK="m$$x$RANDOM$RANDOM"
CHECKS=0
BG_PIDS=()

cleanup() {
	local p
	for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${BG_PIDS[@]}"; do wait "$p" 2>/dev/null; done
	[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $TEST_NAME: $*" >&2; exit 1; }
skip() { echo "SKIP: $TEST_NAME: $*" >&2; exit 77; }
pass() { echo "PASS: $TEST_NAME: $CHECKS checks"; exit 0; }

need_root() { [ "$(id -u)" = 0 ] || skip "needs root (loads BPF programs)"; }
need_cmd() { local c; for c; do command -v "$c" >/dev/null || skip "needs $c"; done; }

ensure_tracefs() {
	[ -d /sys/kernel/tracing/events ] || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
}

# wait_until TIMEOUT_S CMD...: poll CMD every 50 ms until it succeeds.
wait_until() {
	local end=$((SECONDS + $1))
	shift
	# by the clock: a slow condition (a journal query) must not stretch it
	while ! "$@" 2>/dev/null; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.05
	done
	return 0
}

# start_trace_exec NAME ARGS...: run trace-exec -o json in the background
# into $WORK/NAME.json until it says it is tracing.
start_trace_exec() {
	local name=$1
	shift
	"$TRACE_EXEC" -o json "$@" >"$WORK/$name.json" 2>"$WORK/$name.err" &
	local pid=$!
	BG_PIDS+=("$pid")
	eval "PID_$name=$pid"
	wait_until 20 grep -q "tracing execs" "$WORK/$name.err" ||
		{ cat "$WORK/$name.err" >&2; fail "trace-exec $* did not start"; }
}

# stop_trace_exec NAME: Ctrl-C it and check it exits 0.
stop_trace_exec() {
	local pid
	eval "pid=\$PID_$1"
	kill -INT "$pid"
	wait "$pid" || fail "trace-exec ($1) exited with $?"
}

# json_find NAME JQ_FILTER: lines of $WORK/NAME.json selected by the filter.
json_find() {
	jq -c "select($2)" "$WORK/$1.json" 2>/dev/null
}

# wait_json NAME JQ_FILTER [TIMEOUT]: wait for a matching line, print it.
json_has() { [ -n "$(json_find "$1" "$2" | head -1)" ]; }
wait_json() {
	wait_until "${3:-10}" json_has "$1" "$2" ||
		fail "no event matching '$2' in $1 output"
	json_find "$1" "$2" | head -1
}

# free_uid START: the first uid from START that has no passwd entry and no
# process (a uid of this test's own).
free_uid() {
	local u=$1
	while getent passwd "$u" >/dev/null || pgrep -U "$u" >/dev/null; do
		u=$((u + 1))
	done
	echo "$u"
}

# expect LABEL GOT WANT
expect() {
	CHECKS=$((CHECKS + 1))
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# field EVENT_JSON KEY: a field as jq prints it raw.
field() { printf '%s' "$1" | jq -r ".$2"; }
# jqv EVENT_JSON JQ_EXPR: any jq expression over the event.
jqv() { printf "%s" "$1" | jq -r "$2"; }

# start_journald [NS]: make sure a systemd-journald answers on its socket,
# with no rate limit (started by hand: PID 1 here is not systemd). With NS,
# a private journal namespace (socket /run/systemd/journal.NS/socket) that
# this test alone uses; journal_json then reads it ($JOURNAL_NS).
# One it starts gets datagram queues of $JOURNALD_DGRAM_QLEN (as dgram_queue
# takes it; default +512).
start_journald() {
	local ns=${1:-} dir=/run/systemd/journal conf=/run/systemd/journald.conf.d
	if [ -n "$ns" ]; then
		dir=/run/systemd/journal.$ns
		conf=/run/systemd/journald@$ns.conf.d
		JOURNAL_NS=$ns
	fi
	if [ ! -f "$conf/90-trace-execd-tests.conf" ]; then
		mkdir -p "$conf"
		printf '[Journal]\nRateLimitIntervalSec=0\nStorage=volatile\n' > "$conf/90-trace-execd-tests.conf"
	fi
	mkdir -p /run/lock
	exec 9>"/run/lock/te-journald${ns:+.$ns}.lock"
	flock -w 120 9 || fail "another test holds /run/lock/te-journald${ns:+.$ns}.lock"  # tests run in parallel: start it once
	if journald_running "$ns" && [ -S "$dir/socket" ]; then
		exec 9>&-
		return 0
	fi
	[ -x /lib/systemd/systemd-journald ] || skip "needs /lib/systemd/systemd-journald"
	mkdir -p "$dir"
	rm -f "$dir/socket"	# a stale one would look ready
	# Its socket's datagram queue: systemd sets 512 at boot, the kernel's
	# default of 10 overflows when parallel tests' daemons all log a burst
	# (entries then fail, counted as lost).
	# 9>&-: journald must not inherit the lock, or it holds it for good and
	# every later test waits in flock above.
	start_journald_now() {
		setsid /lib/systemd/systemd-journald $ns </dev/null >/dev/null 2>&1 9>&- &
		wait_until 10 test -S "$dir/socket"
	}
	dgram_queue "${JOURNALD_DGRAM_QLEN:-+512}" start_journald_now || fail "journald $ns did not start"
	wait_until 10 journalctl ${ns:+--namespace=$ns} --sync || fail "journald $ns does not answer"
	exec 9>&-
}

# dgram_queue N CMD...: run CMD, which creates datagram sockets and
# returns once they exist, with net.unix.max_dgram_qlen at N (+N: at
# least N), then put the setting back: a socket's queue is sized when it
# is created. The setting is the host's: one lock for every test, so that
# no two restore each other's value. What CMD starts in the background
# does not inherit the lock (fd 8).
dgram_queue() {
	local want=$1 qlen0 r
	shift
	exec 8>/run/lock/te-dgram-qlen.lock
	flock -w 120 8 || fail "another test holds /run/lock/te-dgram-qlen.lock"
	qlen0=$(sysctl -n net.unix.max_dgram_qlen)
	case $want in +*) want=${want#+}; [ "$qlen0" -lt "$want" ] || want=$qlen0 ;; esac
	[ "$want" = "$qlen0" ] || sysctl -q net.unix.max_dgram_qlen="$want"
	"$@" 8>&-
	r=$?
	sysctl -q net.unix.max_dgram_qlen="$qlen0"
	exec 8>&-
	return $r
}

# big_dgram_queue CMD...: CMD with datagram queues of at least 512: the
# kernel's default of 10 overflows under a burst (a sender that does not
# wait then loses what it sends).
big_dgram_queue() { dgram_queue +512 "$@"; }

# The journalds of this pid namespace only: a booted test container's
# (tests/system) shows the same command line from here.
journald_pgrep() { pgrep --ns $$ --nslist pid -f "^/lib/systemd/systemd-journald${1:+ $1}\$"; }
journald_running() { journald_pgrep "${1:-}" >/dev/null; }
journald_stopped() { ! journald_running "${1:-}"; }

# stop_journald [NS]: stop the journald that start_journald started.
stop_journald() {
	local p
	for p in $(journald_pgrep "${1:-}"); do kill "$p" 2>/dev/null; done
	wait_until 10 journald_stopped "${1:-}" ||
		fail "journald ${1:-} did not stop"
}

# journal_json FILTER...: journal entries as JSON lines (after a sync).
# Only the entries of this test's daemon ($JOURNAL_PID, set by start_daemon):
# other tests' daemons, running in parallel, log the same execs. Only those
# written since this test's first daemon started ($JOURNAL_SINCE): pids wrap
# (pid_max is 32768 here, a full check uses more), so an earlier daemon with
# the same pid may have logged an exec with the same EXEC_PID. (Not
# --after-cursor: with matches, journalctl 252 skips the first match.)
journal_json() {
	journalctl ${JOURNAL_NS:+--namespace=$JOURNAL_NS} --sync 2>/dev/null || true
	journalctl ${JOURNAL_NS:+--namespace=$JOURNAL_NS} -o json --no-pager \
		${JOURNAL_SINCE:+--since=$JOURNAL_SINCE} \
		${JOURNAL_PID:+_PID=$JOURNAL_PID} "$@" 2>/dev/null
}

# journal_any FILTER...: as journal_json, but the entries of every sender
# (forged ones too), not only this test's daemon's.
journal_any() { JOURNAL_PID= journal_json "$@"; }
journal_any_has() { [ -n "$(journal_any "$@" | head -1)" ]; }

# JOURNAL_SEND_PY: python3 code that sends the journal entry on its
# standard input (KEY=VALUE lines) to the journal socket named by its
# argument, as this process, then waits to be killed: journald reads the
# sender's _EXE, _COMM, _SYSTEMD_UNIT from /proc when it takes the entry,
# and has none of them for a sender that is gone by then.
JOURNAL_SEND_PY='import signal, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(sys.stdin.buffer.read(), sys.argv[1])
signal.pause()'

# send_held MESSAGE ENTRY_FILE CMD...: run CMD -c "$JOURNAL_SEND_PY" (CMD
# runs a python3, as whoever and from wherever the caller says; a program,
# not a shell function: it is killed by its pid) with the entry in
# ENTRY_FILE, until the journal has the entry whose MESSAGE is MESSAGE;
# that entry (JSON) is in $ev.
send_held() {
	local msg=$1 file=$2 pid
	shift 2
	"$@" -c "$JOURNAL_SEND_PY" "/run/systemd/journal${JOURNAL_NS:+.$JOURNAL_NS}/socket" <"$file" &
	pid=$!
	wait_until 15 journal_any_has MESSAGE="$msg" || { kill "$pid"; wait "$pid"; fail "no journal entry '$msg' from $*"; }
	kill "$pid"
	wait "$pid" 2>/dev/null
	ev=$(journal_any MESSAGE="$msg")
	expect "entries of '$msg'" "$(printf '%s\n' "$ev" | grep -c .)" 1
}

# journal_now: the time now, as journalctl --since takes it (microseconds).
journal_now() {
	date +@%s.%6N
}

# start_daemon NAME CONFIG [ARGS...]: run trace-execd in the foreground
# until it says it is tracing; its pid is in $PID_NAME.
start_daemon() {
	local name=$1 conf=$2
	shift 2
	[ -n "${JOURNAL_SINCE:-}" ] || JOURNAL_SINCE=$(journal_now)
	"$TRACE_EXECD" --foreground --config "$conf" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
	local pid=$!
	BG_PIDS+=("$pid")
	eval "PID_$name=$pid"
	JOURNAL_PID=$pid
	wait_until 20 grep -q "tracing execs" "$WORK/$name.err" ||
		{ cat "$WORK/$name.err" >&2; fail "trace-execd did not start"; }
}

# stop_daemon NAME: SIGTERM; it must exit 0.
stop_daemon() {
	local pid
	eval "pid=\$PID_$1"
	kill -TERM "$pid"
	wait "$pid" || fail "trace-execd ($1) exited with $?"
}

# map_dump PID NAME: bpftool's JSON dump of the BPF map NAME (or one whose
# name ends in NAME, such as .bss) that process PID holds; nothing when it
# holds none.
map_dump() {
	local fd id name
	for fd in /proc/"$1"/fd/*; do
		[ "$(readlink "$fd" 2>/dev/null)" = anon_inode:bpf-map ] || continue
		id=$(sed -n 's/^map_id:[[:space:]]*//p' "/proc/$1/fdinfo/${fd##*/}")
		[ -n "$id" ] || continue
		name=$(bpftool -j map show id "$id" | jq -r .name)
		[ "$name" = "$2" ] || [ "${name%"$2"}" != "$name" ] || continue
		bpftool -j map dump id "$id"
		return 0
	done
}

# write_config FILE YAML: a root-owned, 0644 configuration file.
write_config() {
	printf '%s\n' "$2" > "$1"
	chmod 0644 "$1"
}

# journal_has FILTER...: true when the journal has a matching entry (for wait_until).
journal_has() { [ -n "$(journal_json "$@" | head -1)" ]; }

# cgroup_roots: ROOTS=() the cgroup hierarchies a made-up container cgroup
# goes in: the v2 tree (else the pids v1 one, which the tracer reads then)
# and the name=systemd one. Skips when there is none.
cgroup_roots() {
	local v2 sysd pids
	v2=$(awk '$3 == "cgroup2" {print $2; exit}' /proc/self/mounts)
	sysd=$(awk '$3 == "cgroup" && $4 ~ /(^|,)name=systemd(,|$)/ {print $2; exit}' /proc/self/mounts)
	pids=$(awk '$3 == "cgroup" && $4 ~ /(^|,)pids(,|$)/ {print $2; exit}' /proc/self/mounts)
	ROOTS=()
	[ -n "$v2" ] && ROOTS+=("$v2") || { [ -n "$pids" ] && ROOTS+=("$pids"); }
	[ -n "$sysd" ] && ROOTS+=("$sysd")
	[ ${#ROOTS[@]} -gt 0 ] || skip "no cgroup hierarchy to make a container's cgroup in"
}

# mkdirs_recorded DIR...: mkdir -p each DIR, appending what it made to
# CREATED (call it in the test's shell, not a subshell).
mkdirs_recorded() {
	local dir part path
	for path; do
		dir=
		for part in ${path//\// }; do
			dir=$dir/$part
			[ -d "$dir" ] && continue
			mkdir "$dir" || fail "mkdir $dir"
			CREATED+=("$dir")
		done
	done
}

# remove_recorded: remove what mkdirs_recorded made, innermost first; a
# cgroup once its processes are gone.
remove_recorded() {
	local i
	for ((i = ${#CREATED[@]} - 1; i >= 0; i--)); do
		case "${CREATED[i]}" in
		/sys/fs/cgroup/*) wait_until 10 rmdir "${CREATED[i]}" || echo "could not remove ${CREATED[i]}" >&2 ;;
		*) rm -rf "${CREATED[i]}" ;;
		esac
	done
}

# need_hostile_exec: HX, the hostile exec helper (tests/helpers/hostile-exec),
# or skip when it is not built.
need_hostile_exec() {
	HX="$HELPERS/hostile-exec"
	[ -x "$HX" ] || skip "tests/helpers/hostile-exec not built"
}

# one_entry NAME FILTER...: the single journal entry matching FILTER, into
# $ev, waited for ONE_ENTRY_WAIT seconds (default 15).
one_entry() {
	local name=$1
	shift
	wait_until "${ONE_ENTRY_WAIT:-15}" journal_has "$@" || fail "$name: no journal entry for $*"
	ev=$(journal_json "$@")
	expect "$name-entries" "$(printf '%s\n' "$ev" | wc -l)" 1
}
