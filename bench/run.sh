#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/run.sh: exec-storm benchmark of trace-execd against untraced, execsnoop and auditd; prints a table and writes JSON.
set -Eeuo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
# What the tests have: fail, wait_until, free_uid, start_journald,
# journald_pgrep. Its cleanup is replaced by the bench's own below; the
# bench's work directory is a te-bench.* one.
top_srcdir=$TOP
# shellcheck source=tests/lib.sh
. "$TOP/tests/lib.sh"
TEST_NAME=run.sh
rmdir "$WORK"
WORK=$(mktemp -d /tmp/te-bench.XXXXXX)

usage() {
	cat <<EOF
Usage: bench/run.sh [OPTIONS]
Run exec storms under each configuration, round by round, and report medians
and ranges as a table and as JSON (see bench/README.md). Run as root.

  -r, --rounds N        rounds (default 5)
  -n, --execs N         execs per storm (default 20000)
  -w, --workers LIST    worker counts, comma-separated (default 2,8)
  -c, --configs LIST    of untraced,journal,json,kill20,kill200,nohash,execsnoop,auditd (default: all;
                        execsnoop and auditd are skipped when not available)
  -b, --build DIR       build directory with trace-execd and bench/exec-storm
                        (default \$TE_BUILD, else $TOP/build)
  -p, --policy FILE     trace-execd configuration (default conf/trace-execd.yaml)
      --prog PATH       program the storm execs (default /bin/true)
      --journal MODE    ns: a private journald namespace "tebench" started here
                        (default; other processes' logging does not mix in);
                        system: the host's journald (started if none runs)
      --dgram-qlen N    net.unix.max_dgram_qlen while the run starts its journald
                        (default 512, what systemd sets at boot; 0: as it is)
      --json-sink WHERE tmpfs: the json configuration writes to a file in
                        /dev/shm and its events are counted by marker (default);
                        null: to /dev/null, delivery then comes from its counters
  -o, --out FILE        JSON results (default bench/results/DATE-HOST.json)
      --no-install      do not install missing packages
      --stall LIST      stall scenarios, seconds, comma-separated (e.g. 10,60):
                        for each, a storm of S+5 s as a uid of its own under
                        trace-execd while the run's journald is stopped
                        (SIGSTOP) for S s in the middle (with --journal
                        system, the host's: all its logging waits). With
                        --stall, the configurations run only if -c names them
      --stall-backlog LIST  journal_backlog of the stall scenarios, e.g.
                        default,4M (default: the policy's own)
      --smoke           100 execs, 1 round, 2 workers, no installs, and a 1 s
                        stall: checks that everything works end to end, not
                        how fast it is
      --resume RUNS     continue an interrupted run: keep the complete rounds
                        of RUNS (the runs.jsonl of its --keep work directory,
                        same options) and measure the rounds after them (stall
                        scenarios are not kept: they run in those rounds only)
      --first-sight MIB after the rounds: the daemon's CPU to hash a new
                        binary of MIB MiB the first time it runs, and again
  -k, --keep            keep the work directory (logs, configs)
  -h, --help            this help
EOF
}

ROUNDS=5
EXECS=20000
WORKERS=2,8
CONFIGS=untraced,journal,json,kill20,kill200,nohash,execsnoop,auditd
FIRST_SIGHT=
CONFIGS_GIVEN=0
BUILD=${TE_BUILD:-$TOP/build}
POLICY=$TOP/conf/trace-execd.yaml
PROG=/bin/true
JMODE=ns
DGRAM_QLEN=512
JSON_SINK=tmpfs
OUT=
INSTALL=1
SMOKE=0
KEEP=0
RESUME=
STALLS=
STALL_BACKLOGS=default

note() { echo "run.sh: $*" >&2; }

while [ $# -gt 0 ]; do
	case "$1" in
	-r|--rounds) ROUNDS=$2; shift ;;
	-n|--execs) EXECS=$2; shift ;;
	-w|--workers) WORKERS=$2; shift ;;
	-c|--configs) CONFIGS=$2; CONFIGS_GIVEN=1; shift ;;
	-b|--build) BUILD=$2; shift ;;
	-p|--policy) POLICY=$2; shift ;;
	--prog) PROG=$2; shift ;;
	--journal) JMODE=$2; shift ;;
	--dgram-qlen) DGRAM_QLEN=$2; shift ;;
	--json-sink) JSON_SINK=$2; shift ;;
	-o|--out) OUT=$2; shift ;;
	--no-install) INSTALL=0 ;;
	--stall) STALLS=$2; shift ;;
	--stall-backlog) STALL_BACKLOGS=$2; shift ;;
	--smoke) SMOKE=1 ;;
	--first-sight) FIRST_SIGHT=$2; shift ;;
	--resume) RESUME=$(readlink -f "$2"); shift ;;
	-k|--keep) KEEP=1 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
# Around the stall, the storm runs alone this long (ms): before, so that
# the daemon is busy when journald stops; after, so that execs go on while
# it catches up.
STALL_PRE_MS=2000
STALL_POST_MS=3000
if [ $SMOKE = 1 ]; then
	ROUNDS=1 EXECS=100 WORKERS=2 INSTALL=0
	STALLS=${STALLS:-1} STALL_PRE_MS=500 STALL_POST_MS=500
fi
# A stall run alone measures trace-execd's journal path, not the others.
[ -n "$STALLS" ] && [ $CONFIGS_GIVEN = 0 ] && [ $SMOKE = 0 ] && CONFIGS=
case "$JMODE" in ns|system) ;; *) fail "--journal: ns or system" ;; esac
case "$JSON_SINK" in tmpfs|null) ;; *) fail "--json-sink: tmpfs or null" ;; esac
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || fail "--rounds: a positive number"
[[ "$DGRAM_QLEN" =~ ^[0-9]+$ ]] || fail "--dgram-qlen: a number"
[[ "$EXECS" =~ ^[1-9][0-9]*$ ]] || fail "--execs: a positive number"
[[ "$FIRST_SIGHT" =~ ^([1-9][0-9]*)?$ ]] || fail "--first-sight: MiB, a positive number"
[[ "$WORKERS" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || fail "--workers: e.g. 2,8"
[[ "$STALLS" =~ ^([1-9][0-9]*(,[1-9][0-9]*)*)?$ ]] || fail "--stall: seconds, e.g. 10,60"
[[ "$STALL_BACKLOGS" =~ ^(default|[1-9][0-9]*[KMG]?)(,(default|[1-9][0-9]*[KMG]?))*$ ]] ||
	fail "--stall-backlog: default or sizes, e.g. default,4M"
[ "$(id -u)" = 0 ] || fail "run me as root (tracers load BPF programs, auditd needs root)"
# One run at a time: runs share the journald namespace, auditd and the
# BPF statistics switch. Exit status 75 says another run holds the lock.
# (fd 7: tests/lib.sh takes 8 and 9 for its own locks.)
exec 7>/run/trace-execd-bench.lock
flock -n 7 || { echo "run.sh: another bench/run.sh is running" >&2; exit 75; }
BUILD=$(cd "$BUILD" 2>/dev/null && pwd) || fail "no build directory (run quickstart.sh build, or give --build)"
POLICY=$(readlink -f "$POLICY")
[ -r "$POLICY" ] || fail "'$POLICY': no such policy"
[ -x "$PROG" ] || fail "'$PROG' is not executable"

# ---- what we need ----

install_missing() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ $INSTALL = 1 ] || return 1
	note "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; }
}

has_config() { [[ ",$CONFIGS," == *",$1,"* ]]; }
drop_config() {
	local c out=
	for c in ${CONFIGS//,/ }; do [ "$c" = "$1" ] || out+=${out:+,}$c; done
	CONFIGS=$out
}

for c in ${CONFIGS//,/ }; do
	case "$c" in untraced|journal|json|kill20|kill200|nohash|execsnoop|auditd) ;; *) fail "unknown configuration '$c'" ;; esac
done
command -v jq >/dev/null || install_missing jq || fail "needs jq"
if has_config execsnoop && ! command -v execsnoop >/dev/null; then
	install_missing libbpf-tools || true
	if ! command -v execsnoop >/dev/null; then
		[ $CONFIGS_GIVEN = 1 ] && [ $SMOKE = 0 ] && fail "execsnoop is not installed (libbpf-tools)"
		note "execsnoop not installed: skipping it"
		drop_config execsnoop
	fi
fi
AUDITD_BEFORE=$(pgrep -x auditd || true)
if has_config auditd && ! command -v auditd >/dev/null; then
	install_missing auditd || true
	# The package may start the service: that one is not ours to keep.
	for p in $(pgrep -x auditd || true); do
		[[ " $AUDITD_BEFORE " == *" $p "* ]] && continue
		note "stopping the auditd the package started (pid $p)"
		kill -TERM "$p" 2>/dev/null || true
	done
	sleep 0.5
fi
if has_config auditd; then
	if ! command -v auditd >/dev/null || ! command -v auditctl >/dev/null; then
		[ $CONFIGS_GIVEN = 1 ] && [ $SMOKE = 0 ] && fail "auditd is not installed"
		note "auditd not installed: skipping it"
		drop_config auditd
	elif [ -n "$(pgrep -x auditd || true)" ]; then
		note "an auditd already runs (pid $(pgrep -x auditd | head -1)): skipping the auditd configuration"
		drop_config auditd
	fi
fi
[ -n "$CONFIGS" ] || [ -n "$STALLS" ] || fail "no configuration left to run"
TE=$BUILD/trace-execd
STORM=$BUILD/bench/exec-storm
NOTIFY=$BUILD/bench/notify-ready
if [ ! -x "$STORM" ] || [ ! -x "$NOTIFY" ]; then
	make -s -C "$BUILD" bench/exec-storm bench/notify-ready >/dev/null ||
		fail "cannot build bench/exec-storm in $BUILD"
fi
if has_config journal || has_config json || has_config kill20 || has_config kill200 || has_config nohash || [ -n "$STALLS" ] || [ -n "$FIRST_SIGHT" ]; then
	[ -x "$TE" ] || fail "'$TE' not built"
fi
command -v bpftool >/dev/null || install_missing bpftool || true

# ---- state to restore, things to stop ----

SHM=$(mktemp -d /dev/shm/te-bench.XXXXXX)
STATS_BEFORE=$(sysctl -n kernel.bpf_stats_enabled)
AUDIT_ENABLED_BEFORE=
command -v auditctl >/dev/null &&
	AUDIT_ENABLED_BEFORE=$(auditctl -s 2>/dev/null | awk '$1 == "enabled" { print $2 }' || true)
JOURNALD_PID=
JOURNALD_OURS=0
JOURNALD_QLEN=null	# datagram queue length of journald's socket, if we started it
VOID=0			# the last measurement does not count (journald died)
TRACER_PID=		# the process measured (trace-execd, execsnoop, auditd)
WAIT_PID=		# what we started and must wait for
AUDITD_RUNNING=0
STALLED_PID=		# the journald we stopped with SIGSTOP
STORM_PID=		# a storm running in the background

stop_tracer() {
	local sig=${1:-TERM} rc=0
	[ -n "$WAIT_PID" ] || return 0
	kill -"$sig" "$WAIT_PID" 2>/dev/null || true
	wait "$WAIT_PID" 2>/dev/null || rc=$?
	# notify-ready waits for trace-execd, unless a signal ended it first (a
	# hangup: trace-execd takes that for a reload and runs on).
	[ "$TRACER_PID" = "$WAIT_PID" ] || kill -TERM "$TRACER_PID" 2>/dev/null || true
	WAIT_PID=
	TRACER_PID=
	return $rc
}

audit_reset() {
	auditctl -D >/dev/null 2>&1 || true
	if [ -n "$AUDIT_ENABLED_BEFORE" ] && [ "$AUDIT_ENABLED_BEFORE" != 2 ]; then
		auditctl -e "$AUDIT_ENABLED_BEFORE" >/dev/null 2>&1 || true
	fi
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	# A stopped journald would keep every writer waiting, and hold its SIGTERM.
	[ -z "$STALLED_PID" ] || kill -CONT "$STALLED_PID" 2>/dev/null || true
	if [ -n "$STORM_PID" ]; then	# its workers: it then reaps them and exits
		pkill -TERM -P "$STORM_PID" 2>/dev/null || true
		wait "$STORM_PID" 2>/dev/null || true
	fi
	stop_tracer TERM || true
	if [ $AUDITD_RUNNING = 1 ]; then
		audit_reset
		AUDITD_RUNNING=0
	fi
	if [ $JOURNALD_OURS = 1 ] && [ -n "$JOURNALD_PID" ]; then
		kill -TERM "$JOURNALD_PID" 2>/dev/null || true
		wait "$JOURNALD_PID" 2>/dev/null || true
		if [ "$JMODE" = ns ] && [ $KEEP = 0 ]; then
			rm -rf /run/log/journal/*.tebench /var/log/journal/*.tebench
		fi
	fi
	sysctl -q kernel.bpf_stats_enabled="$STATS_BEFORE" || true
	rm -rf "$SHM"
	if [ $KEEP = 1 ]; then note "work directory kept: $WORK"; else rm -rf "$WORK"; fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# A hangup too: when the parent of a run whose journald is stopped exits,
# the kernel sends one to all the run's processes.
trap 'exit 129' HUP
# set -e ends the run at a failed command: say which, never exit silently.
trap 'note "line $LINENO: a command failed (status $?)"' ERR

# ---- measuring ----


# The sum of CPU time of several processes (empty arguments ignored).
cpu_sum() {
	local p t=0
	for p; do [ -n "$p" ] && t=$((t + $(cpu_ns "$p"))); done
	echo $t
}

# BPF programs a process holds: "id run_time_ns run_cnt" per program.
bpf_progs() {
	local f
	for f in /proc/"$1"/fdinfo/*; do
		awk '/^prog_id:/ { id = $2 } /^run_time_ns:/ { t = $2 } /^run_cnt:/ { c = $2 }
		     END { if (id != "" && c != "") print id, t, c }' "$f" 2>/dev/null || true
	done | sort -un	# (a descriptor closed after the glob: awk exits 2)
}

# Totals over a process's programs: "time_ns execs_seen nprogs"; an exec is
# counted where its syscall exits (sys_exit_execve/execveat programs), else
# by the busiest program.
bpf_totals() {
	local pid=$1 names
	names=$(bpftool -j prog show 2>/dev/null | jq -r '.[] | "\(.id) \(.name)"' 2>/dev/null || true)
	bpf_progs "$pid" | awk -v names="$names" '
		BEGIN { n = split(names, l, "\n"); for (i = 1; i <= n; i++) { split(l[i], f, " "); nm[f[1]] = f[2] } }
		{ t += $2; k++; if ($3 > mx) mx = $3
		  if (nm[$1] ~ /exit_execve(at)?$/) { ex += $3; hasex = 1 } }
		END { printf "%d %d %d\n", t, hasex ? ex : mx, k }'
}

# CPU (ns) the given processes use per 250 ms when no storm runs: the
# host's other execs keep a tracer a little busy. Measured over 0.5 s.
SETTLE_BASE=0
baseline() {
	local a b
	a=$(cpu_sum "$@")
	sleep 0.5
	b=$(cpu_sum "$@")
	SETTLE_BASE=$(( (b - a) / 2 ))
}

# Wait until the CPU time of the given processes grows no faster than
# before the storm (the tracer and its helpers have caught up); at most 60 s.
settle() {
	local a b quiet=0 i limit
	limit=$(( 2 * SETTLE_BASE + 1000000 ))
	[ $limit -lt 2500000 ] && limit=2500000
	a=$(cpu_sum "$@")
	for ((i = 0; i < 240; i++)); do
		sleep 0.25
		b=$(cpu_sum "$@")
		if [ $((b - a)) -lt $limit ]; then
			quiet=$((quiet + 1))
			[ $quiet -ge 2 ] && return 0
		else
			quiet=0
		fi
		a=$b
	done
	note "tracer still busy after 60 s"
}

peak_rss_kib() { awk '/^VmHWM:/ { print $2 }' /proc/"$1"/status 2>/dev/null || echo null; }

# Resident KiB now, not counting BPF map mappings: a ring buffer's data
# pages are mapped (twice) into its reader and count in its RSS.
rss_no_maps_kib() {
	awk '/^[0-9a-f]+-[0-9a-f]+ / { skip = ($6 ~ /anon_inode:bpf-map/) }
	     /^Rss:/ && !skip { t += $2 } END { print t + 0 }' /proc/"$1"/smaps 2>/dev/null || echo null
}

# Names of the BPF tracing programs loaded on the host (other tracers slow
# every exec down, the untraced baseline included).
tracing_progs() {
	bpftool -j prog show 2>/dev/null | jq -c '[.[] | select(.type == "tracepoint" or
		.type == "tracing" or .type == "raw_tracepoint" or .type == "kprobe") | .name] | sort' 2>/dev/null ||
		echo null
}

# state_get FILE KEY: KEY's value in notify-ready's state file; nothing
# while the file is not there yet (sed would exit 2, and set -e with it).
state_get() { [ -r "$1" ] || return 0; sed -n "s/^$2=//p" "$1" | head -1; }

# Wait for the next STATUS= of trace-execd (sent every second).
seq_moved() { [ "$(state_get "$1" seq)" != "$2" ]; }
next_status() { wait_until 3 seq_moved "$1" "$(state_get "$1" seq)"; }
# A counter of the last STATUS= ("Tracing: N events, N written, ... N lost, N events/s").
status_num() {
	case "$2" in
	events) state_get "$1" status | sed -n 's/^Tracing: \([0-9][0-9]*\) events,.*/\1/p' ;;
	*) state_get "$1" status | sed -n "s/.*, \([0-9][0-9]*\) $2,.*/\1/p" ;;
	esac
}

JCTL=(journalctl --no-pager)
JSOCK=/run/systemd/journal/socket
JNS=	# the journald namespace of the run ("": the host's journald)
if [ "$JMODE" = ns ]; then
	JNS=tebench
	JCTL+=("--namespace=$JNS")
	JSOCK=/run/systemd/journal.$JNS/socket
fi

# journald_pid: the pid of the run's journald (nothing when none runs).
journald_pid() { { journald_pgrep "$JNS" || true; } | head -1; }

# ensure_journald: the run's journald answers; when none ran, it is
# started here (JOURNALD_OURS=1) with datagram queues of --dgram-qlen (a
# socket's queue length is fixed when it is created: systemd raises the
# kernel's default of 10 to 512 at boot, a PID 1 that is not systemd does
# not, and 10 entries is no room at all for a burst).
ensure_journald() {
	JOURNALD_PID=$(journald_pid)
	[ -n "$JOURNALD_PID" ] && [ -S "$JSOCK" ] && return 0
	JOURNALD_QLEN=$DGRAM_QLEN
	JOURNALD_DGRAM_QLEN=$DGRAM_QLEN
	if [ "$DGRAM_QLEN" = 0 ]; then
		JOURNALD_QLEN=$(sysctl -n net.unix.max_dgram_qlen)
		JOURNALD_DGRAM_QLEN=+0	# as it is
	fi
	start_journald "$JNS" 7>&-
	JOURNALD_PID=$(journald_pid)
	JOURNALD_OURS=1
	[ -n "$JOURNALD_PID" ] || fail "journald did not start"
}

# One JSON record per measurement.
RUNS=$WORK/runs.jsonl
: > "$RUNS"
FIRST_ROUND=1
if [ -n "$RESUME" ]; then
	[ -r "$RESUME" ] || fail "--resume: cannot read '$RESUME'"
	# The rounds that have every configuration for every W, renumbered 1..K.
	nw=$(tr ',' '\n' <<< "$WORKERS" | wc -l)
	nc=$(tr ',' '\n' <<< "$CONFIGS" | wc -l)
	jq -c --argjson want $((nw * nc)) -s '
		(map(select(.void != true)) | group_by(.round)
		 | map(select(length == $want)) | map(.[0].round)) as $full
		| [ .[] | select(.round as $r | $full | index($r)) ] as $keep
		| $keep[] | .round as $r | .round = ($full | index($r)) + 1' < <(cat "$RESUME") > "$RUNS"
	FIRST_ROUND=$(( $(jq -s 'map(.round) | max // 0' "$RUNS") + 1 ))
	note "resuming: $((FIRST_ROUND - 1)) complete round(s) kept from $RESUME"
fi

# The json configuration: the shipped policy with only the stdout output.
JSON_CONF=$WORK/json.yaml
sed -e '/^  outputs:/,/^  [a-z]/ { s/^\(    journal:\) *true/\1 false/; s/^\(    syslog:\) *true/\1 false/; s/^\(    stdout:\) *[a-z]*/\1 json/ }' \
	"$POLICY" > "$JSON_CONF"
grep -q '^    stdout: json' "$JSON_CONF" || fail "could not derive the json configuration from '$POLICY'"
# Without kill rules in the kernel: those of the policy only log.
sed -i 's/^\(    action:\) *kill/\1 log/' "$JSON_CONF"

# The kill20 and kill200 configurations: the json one with 20 (200) kill
# rules first, enforced, that no exec of the storm matches, of four shapes
# (container and upper layer with an image; a file prefix with uids; an
# exact exe and not: comm; any: a comm, or fileless with a cwd prefix): the
# kernel judges every exec by all of them (kernel cost of kill rules against
# none: killN / json).
kill_conf() {	# kill_conf N OUT
	{
		sed -n '1,/^rules:/p' "$JSON_CONF" | sed '/^  enforce:/d; s/^settings:/settings:\n  enforce: true/'
		for i in $(seq "$1"); do
			case $((i % 4)) in
			0) m="{container: true, upper_layer: true, image: \"bench-image-$i*\"}" ;;
			1) m="{file: \"/nonexistent-bench/k$i-*\", uid: [0, 1000]}" ;;
			2) m="{exe: /nonexistent-bench/bin/k$i, not: {comm: [sh, bash]}}" ;;
			3) m="{any: [{comm: kbench$i}, {fileless: true, cwd: \"/nonexistent-bench/$i/*\"}]}" ;;
			esac
			printf '  - name: bench-kill-%d\n    action: kill\n    match: %s\n' "$i" "$m"
		done
		sed -n '/^rules:/,$p' "$JSON_CONF" | tail -n +2
	} > "$2"
}
KILL_CONF=$WORK/kill20.yaml
KILL200_CONF=$WORK/kill200.yaml
kill_conf 20 "$KILL_CONF"
kill_conf 200 "$KILL200_CONF"

# The nohash configuration: json without EXEC_SHA256 (json has it, its
# cache warm after the storm's first exec): what hashing costs per event.
NOHASH_CONF=$WORK/nohash.yaml
sed -e '/^settings:/a\  hash_sha256: false' -e '/^ *hash_sha256:/d' "$JSON_CONF" > "$NOHASH_CONF"
grep -q '^  hash_sha256: false' "$NOHASH_CONF" || fail "could not derive the nohash configuration from '$POLICY'"

AUDIT_DIR=$WORK/audit
mkdir -p "$AUDIT_DIR/plugins.d"
if has_config auditd; then
	sed -e "s|^log_file *=.*|log_file = $AUDIT_DIR/audit.log|" \
	    -e 's/^log_group *=.*/log_group = root/' \
	    -e 's/^max_log_file_action *=.*/max_log_file_action = IGNORE/' \
	    -e 's/^\(space_left_action\|admin_space_left_action\|disk_full_action\|disk_error_action\) *=.*/\1 = IGNORE/' \
	    -e "s|^plugin_dir *=.*|plugin_dir = $AUDIT_DIR/plugins.d|" \
	    -e 's/^use_libwrap *=.*/use_libwrap = no/' \
	    /etc/audit/auditd.conf > "$AUDIT_DIR/auditd.conf"
	chmod 0640 "$AUDIT_DIR/auditd.conf"
fi

# start_te CONF SINK OUT: trace-execd under notify-ready (state in OUT.state,
# stderr in OUT.err), writing to the run's journald; returns at its READY=1
# and sets READY_MS, TRACER_PID and WAIT_PID.
READY_MS=
# ready_or_gone STATE PID: notify-ready has the READY=1 time (not negative),
# or PID is gone.
ready_or_gone() {
	local r
	r=$(state_get "$1" ready_ms)
	[ -n "$r" ] && [ "${r#-}" = "$r" ] || ! kill -0 "$2" 2>/dev/null
}
start_te() {
	local conf=$1 sink=$2 out=$3
	TRACE_EXECD_JOURNAL_SOCKET=$JSOCK "$NOTIFY" "$out.state" -- \
		"$TE" --foreground --config "$conf" >"$sink" 2>"$out.err" 7>&- &
	WAIT_PID=$!
	wait_until 30 ready_or_gone "$out.state" "$WAIT_PID" || true
	READY_MS=$(state_get "$out.state" ready_ms)
	if [ -z "$READY_MS" ] || [ "${READY_MS#-}" != "$READY_MS" ]; then
		cat "$out.err" >&2
		kill -0 "$WAIT_PID" 2>/dev/null || fail "trace-execd did not start"
		fail "trace-execd sent no READY=1 in 30 s"
	fi
	TRACER_PID=$(state_get "$out.state" pid)
}

# journal_count MARKER PID: the entries trace-execd PID wrote for MARKER's execs.
journal_count() {
	"${JCTL[@]}" "EXEC_ARG=$1" "_PID=$2" -o json --output-fields=MESSAGE_ID | wc -l
}

# journal_lost PID: "lost ringbuf journal", each summed over every lost
# report trace-execd PID wrote.
journal_lost() {
	"${JCTL[@]}" MESSAGE_ID=d333764d0c444f98b610d0f2e926ec92 "_PID=$1" -o json |
		jq -rs '[(map(.EXEC_LOST | tonumber? // 0) | add // 0),
			 (map(.EXEC_LOST_RINGBUF | tonumber? // 0) | add // 0),
			 (map(.EXEC_LOST_JOURNAL | tonumber? // 0) | add // 0)] | @tsv'
}

storm() {	# storm WORKERS MARKER -> the storm's JSON line
	EXEC_STORM_MARKER=$2 "$STORM" -n "$EXECS" -w "$1" -p "$PROG" 7>&-
}

# Run probe execs until every program of PID has run (all attached).
wait_attached() {
	local pid=$1 i a b
	for ((i = 0; i < 200; i++)); do
		a=$(bpf_progs "$pid")
		if [ -n "$a" ]; then
			"$PROG" probe >/dev/null 2>&1 || true
			b=$(bpf_progs "$pid")
			if [ "$(join <(echo "$a") <(echo "$b") | awk '$5 <= $3 { n++ } END { print n + 0 }')" = 0 ] &&
			   [ "$(echo "$a" | wc -l)" = "$(echo "$b" | wc -l)" ]; then
				return 0
			fi
		fi
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# measure ROUND WORKERS CONFIG: one storm under one configuration, one
# record in $RUNS. The measure_* functions it calls fill in its locals.
measure() {
	VOID=0
	local round=$1 w=$2 cfg=$3 marker sj out err
	local s0='' s1='' h0='' h1='' k0='' k1='' helper='' status=''
	local ready=null rss=null delivered=null dsrc=null seen=null lost=null
	local lost_rb=null lost_j=null tcpu=null hcpu=null kns=null
	local kseen=null nprogs=null rss2=null
	marker="tebench${round}w${w}${cfg}x$$r$RANDOM$RANDOM"
	out=$WORK/$cfg.r$round.w$w
	err=$out.err
	case "$cfg" in
	untraced) sj=$(storm "$w" "$marker") ;;
	journal|json|kill20|kill200|nohash) measure_te ;;
	execsnoop) measure_execsnoop ;;
	auditd) measure_auditd ;;
	esac
	[ -z "$s0" ] || tcpu=$(( s1 - s0 ))
	[ -z "$h0" ] || [ -z "$helper" ] || hcpu=$(( h1 - h0 ))
	kernel_figures
	run_record >> "$RUNS"
	printf '  round %s W=%s %-9s %8.1f execs/s  delivered %s/%s\n' "$round" "$w" "$cfg" \
		"$(echo "$sj" | jq .execs_per_sec)" "${delivered:-?}" "$EXECS" >&2
}

# measure_te: the storm under trace-execd (configuration $cfg of measure).
measure_te() {
	local conf=$JSON_CONF sink=/dev/null jpid_before='' tpid ev0 ev1 rc=0
	case "$cfg" in
	journal) conf=$POLICY ;;
	kill20) conf=$KILL_CONF ;;
	kill200) conf=$KILL200_CONF ;;
	nohash) conf=$NOHASH_CONF ;;
	esac
	if [ "$cfg" = journal ]; then
		ensure_journald
		jpid_before=$JOURNALD_PID
		helper=$JOURNALD_PID
	elif [ "$JSON_SINK" = tmpfs ]; then
		sink=$SHM/$cfg.out
	fi
	start_te "$conf" "$sink" "$out"
	ready=$READY_MS
	baseline "$TRACER_PID" "$helper"
	next_status "$out.state" || fail "trace-execd sends no STATUS="
	ev0=$(status_num "$out.state" events)
	s0=$(cpu_ns "$TRACER_PID"); h0=$(cpu_sum "$helper"); k0=$(bpf_totals "$TRACER_PID")
	sj=$(storm "$w" "$marker")
	settle "$TRACER_PID" "$helper"
	next_status "$out.state" || true
	ev1=$(status_num "$out.state" events)
	s1=$(cpu_ns "$TRACER_PID"); h1=$(cpu_sum "$helper"); k1=$(bpf_totals "$TRACER_PID")
	rss=$(peak_rss_kib "$TRACER_PID")
	rss2=$(rss_no_maps_kib "$TRACER_PID")
	seen=$((ev1 - ev0))
	tpid=$TRACER_PID
	stop_tracer TERM || rc=$?
	[ $rc = 0 ] || { cat "$err" >&2; fail "trace-execd exited with $rc"; }
	status=$(state_get "$out.state" status)
	lost=$(status_num "$out.state" lost)
	te_delivered "$tpid" "$sink" "$jpid_before"
}

# te_delivered TPID SINK JOURNALD_PID: what trace-execd TPID delivered of
# measure's storm (and lost, from the journal): counted in the journal (the
# measurement is void when journald changed), in its JSON output, or from
# its counters (--json-sink null).
te_delivered() {
	local tpid=$1 sink=$2 jpid=$3
	if [ "$cfg" = journal ]; then
		"${JCTL[@]}" --sync >/dev/null 2>&1 || true
		delivered=$(journal_count "$marker" "$tpid")
		dsrc='"journal"'
		read -r lost lost_rb lost_j < <(journal_lost "$tpid")
		if [ "$(journald_pid)" != "$jpid" ]; then
			note "journald restarted during round $round ($cfg, W=$w): measurement void"
			dsrc='"journald restarted"'
			VOID=1
		fi
	elif [ "$JSON_SINK" = tmpfs ]; then
		delivered=$(grep -c -F "\"$marker\"" "$sink" || true)
		dsrc='"json output"'
		rm -f "$sink"
	else
		delivered=$((EXECS - lost))
		[ $delivered -ge 0 ] || delivered=0
		dsrc='"counters"'
	fi
}

# measure_execsnoop: the storm under execsnoop.
measure_execsnoop() {
	local sink=$SHM/execsnoop.out
	execsnoop >"$sink" 2>"$err" 7>&- &
	WAIT_PID=$!
	TRACER_PID=$WAIT_PID
	wait_attached "$TRACER_PID" || { cat "$err" >&2; fail "execsnoop did not attach"; }
	baseline "$TRACER_PID"
	s0=$(cpu_ns "$TRACER_PID"); k0=$(bpf_totals "$TRACER_PID")
	sj=$(storm "$w" "$marker")
	settle "$TRACER_PID"
	s1=$(cpu_ns "$TRACER_PID"); k1=$(bpf_totals "$TRACER_PID")
	rss=$(peak_rss_kib "$TRACER_PID")
	rss2=$(rss_no_maps_kib "$TRACER_PID")
	seen=$(( $(echo "$k1" | cut -d' ' -f2) - $(echo "$k0" | cut -d' ' -f2) ))
	stop_tracer INT || true
	delivered=$(grep -c -w -F -- "$marker" "$sink" || true)
	dsrc='"execsnoop output"'
	lost=$(sed -n 's/.*[Ll]ost \([0-9][0-9]*\) events.*/\1/p' "$err" | awk '{ s += $1 } END { print s + 0 }')
	rm -f "$sink"
}

# auditd_up_or_gone PID: auditd PID is the kernel's audit daemon, or gone.
auditd_up_or_gone() {
	[ "$(auditctl -s 2>/dev/null | awk '$1 == "pid" { print $2 }')" = "$1" ] || ! kill -0 "$1" 2>/dev/null
}

# audit_lost: the kernel's count of audit records lost.
audit_lost() { auditctl -s | awk '$1 == "lost" { print $2 }'; }

# measure_auditd: the storm under auditd, its exec rule in the kernel.
measure_auditd() {
	local alost0 alost1 ev0 ev1 log=$AUDIT_DIR/audit.log
	: > "$log"
	chmod 0600 "$log"
	auditd -n -c "$AUDIT_DIR" >"$err" 2>&1 7>&- &
	WAIT_PID=$!
	TRACER_PID=$WAIT_PID
	AUDITD_RUNNING=1
	wait_until 10 auditd_up_or_gone "$TRACER_PID" || true
	kill -0 "$TRACER_PID" 2>/dev/null || { cat "$err" >&2; fail "auditd did not start"; }
	auditctl -D >/dev/null
	auditctl -b 8192 >/dev/null
	auditctl -a always,exit -F arch=b64 -S execve,execveat >/dev/null
	helper=$(pgrep -x kauditd | head -1)
	baseline "$TRACER_PID" "$helper"
	alost0=$(audit_lost)
	ev0=$(grep -c '^type=EXECVE' "$log" || true)
	s0=$(cpu_ns "$TRACER_PID"); h0=$(cpu_sum "$helper")
	sj=$(storm "$w" "$marker")
	settle "$TRACER_PID" "$helper"
	s1=$(cpu_ns "$TRACER_PID"); h1=$(cpu_sum "$helper")
	ev1=$(grep -c '^type=EXECVE' "$log" || true)
	alost1=$(audit_lost)
	rss=$(peak_rss_kib "$TRACER_PID")
	rss2=$(rss_no_maps_kib "$TRACER_PID")
	seen=$((ev1 - ev0))
	auditctl -D >/dev/null
	stop_tracer TERM || true
	audit_reset
	AUDITD_RUNNING=0
	delivered=$(grep -c -F "a1=\"$marker\"" "$log" || true)
	dsrc='"audit.log"'
	lost=$((alost1 - alost0))
}

# kernel_figures: from measure's bpf_totals before and after (k0, k1), the
# BPF programs' time, the execs they saw and how many there are.
kernel_figures() {
	local t0 e0 t1 e1 n1
	[ -n "$k0" ] || return 0
	read -r t0 e0 _ <<< "$k0"
	read -r t1 e1 n1 <<< "$k1"
	[ "$n1" -gt 0 ] || return 0
	kns=$((t1 - t0))
	kseen=$((e1 - e0))
	nprogs=$n1
}

# run_record: measure's figures as one JSON line.
run_record() {
	jq -cn --argjson s "$sj" --arg cfg "$cfg" --argjson round "$round" \
		--argjson ready "${ready:-null}" --argjson rss "${rss:-null}" \
		--argjson delivered "${delivered:-null}" --argjson dsrc "$dsrc" \
		--argjson seen "${seen:-null}" --argjson lost "${lost:-null}" \
		--argjson lost_rb "${lost_rb:-null}" --argjson lost_j "${lost_j:-null}" \
		--argjson tcpu "${tcpu:-null}" --argjson hcpu "${hcpu:-null}" \
		--argjson kns "${kns:-null}" --argjson kseen "${kseen:-null}" \
		--argjson nprogs "${nprogs:-null}" --argjson void "$VOID" --argjson rss2 "${rss2:-null}" --arg status "${status:-}" '
		def per(a; b): if a == null or b == null or b <= 0 then null else a / b end;
		{round: $round, workers: $s.workers, config: $cfg, marker: $s.marker,
		 execs: $s.execs, ok: $s.ok, failed: $s.failed, seconds: $s.seconds,
		 execs_per_sec: $s.execs_per_sec,
		 delivered: $delivered, delivered_source: $dsrc,
		 lost: $lost, lost_ringbuf: $lost_rb, lost_journal: $lost_j,
		 events_seen: $seen,
		 tracer_cpu_ns: $tcpu, helper_cpu_ns: $hcpu,
		 tracer_us_per_event: per($tcpu; $seen | if . == null then null else . * 1000 end),
		 helper_us_per_event: per($hcpu; $seen | if . == null then null else . * 1000 end),
		 kernel_ns: $kns, kernel_execs_seen: $kseen, kernel_progs: $nprogs,
		 kernel_us_per_exec: per($kns; $kseen | if . == null then null else . * 1000 end),
		 peak_rss_kib: $rss, rss_without_bpf_maps_kib: $rss2, ready_ms: $ready,
		 status: (if $status == "" then null else $status end),
		 void: ($void == 1)}'
}

# ---- the stall scenario ----

STALL_RUNS=$WORK/stall.jsonl
: > "$STALL_RUNS"
STALL_UID=

# stall_conf BACKLOG: the policy, tracing STALL_UID only, with this
# journal_backlog ("default": the policy's own); prints the file's name.
stall_conf() {
	local b=$1 f=$WORK/stall-$1.yaml drop='^  uid:' add="  uid: $STALL_UID"
	if [ "$b" != default ]; then
		drop='^  (uid|journal_backlog):'
		add+=$'\n'"  journal_backlog: $b"
	fi
	awk -v drop="$drop" -v add="$add" '
		/^[^ #]/ { in_settings = /^settings:/ }
		in_settings && $0 ~ drop { next }
		{ print }
		/^settings:/ { print add }' "$POLICY" > "$f"
	grep -q "^  uid: $STALL_UID\$" "$f" && "$TE" --check-config --config "$f" >/dev/null 2>&1 ||
		fail "could not derive a stall configuration (journal_backlog $b) from '$POLICY'"
	echo "$f"
}

# policy_size KEY DEFAULT: a size setting of the policy, as written there.
policy_size() {
	local v
	v=$(sed -n "s/^  $1: *\([0-9][0-9]*[KMG]\?\).*/\1/p" "$POLICY" | head -1)
	echo "${v:-$2}"
}

now_us() { echo "${EPOCHREALTIME//[!0-9]/}"; }
ms_to_s() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }
sleep_ms() { sleep "$(ms_to_s "$1")"; }

# The largest journal backlog seen in trace-execd's STATUS= lines so far.
BACKLOG_N=0 BACKLOG_B=0
sample_backlog() {
	local n b
	read -r n b < <(state_get "$1" status |
		sed -n 's/.*journal backlog: \([0-9]*\) entries, \([0-9]*\) bytes.*/\1 \2/p') || return 0
	[ "${n:-0}" -gt $BACKLOG_N ] && BACKLOG_N=$n
	[ "${b:-0}" -gt $BACKLOG_B ] && BACKLOG_B=$b
	return 0
}

# stall_for MS STATE: journald stays stopped this long; the backlog is
# sampled meanwhile (STATUS= comes once a second).
stall_for() {
	local end=$(( $(now_us) + $1 * 1000 )) left
	while left=$(( (end - $(now_us)) / 1000 )); [ $left -gt 0 ]; do
		sample_backlog "$2"
		sleep_ms $(( left < 250 ? left : 250 ))
	done
}

# wait_delivered MARKER PID TOTAL STATE: until MARKER's entries in the
# journal reach TOTAL or stop growing for 3 s (what is left is lost), at
# most 180 s.
wait_delivered() {
	local n last=-1 same=0 end=$((SECONDS + 180))
	while n=$(journal_count "$1" "$2"); [ "$n" -lt "$3" ] && [ $SECONDS -lt $end ]; do
		sample_backlog "$4"
		if [ "$n" = "$last" ]; then
			same=$((same + 1))
			[ $same -ge 3 ] && break
		else
			same=0 last=$n
		fi
		sleep 1
	done
}

# stall_storm WORKERS SECONDS MARKER OUT: the storm, with the run's
# journald stopped for SECONDS in its middle; sets STORM_JSON and
# OUTLASTED (whether the storm still ran when journald was continued).
STORM_JSON=''
OUTLASTED=false
stall_storm() {
	local w=$1 secs=$2 jpid=$JOURNALD_PID
	EXEC_STORM_MARKER=$3 "$STORM" -d "$(ms_to_s $((STALL_PRE_MS + secs * 1000 + STALL_POST_MS)))" \
		-w "$w" -p "$PROG" -u "$STALL_UID" -g "$STALL_UID" >"$4.storm" 7>&- &
	STORM_PID=$!
	sleep_ms $STALL_PRE_MS
	STALLED_PID=$jpid
	kill -STOP "$jpid" 2>/dev/null || true	# gone: the run is void
	stall_for $((secs * 1000)) "$4.state"
	OUTLASTED=false
	kill -0 "$STORM_PID" 2>/dev/null && OUTLASTED=true
	kill -CONT "$jpid" 2>/dev/null || true
	STALLED_PID=
	wait "$STORM_PID" || fail "exec-storm failed in the stall scenario"
	STORM_PID=
	STORM_JSON=$(cat "$4.storm")
}

# measure_stall ROUND WORKERS SECONDS BACKLOG: a storm as STALL_UID under
# trace-execd, journald stopped for SECONDS in its middle.
measure_stall() {
	VOID=0
	local round=$1 w=$2 secs=$3 backlog=$4 marker out conf jpid tpid execs
	local delivered lost lost_rb lost_j rss0 rss rc=0
	marker="tebench${round}w${w}stall${secs}x$$r$RANDOM$RANDOM"
	out=$WORK/stall$secs-$backlog.r$round.w$w
	conf=$(stall_conf "$backlog")
	ensure_journald
	jpid=$JOURNALD_PID
	start_te "$conf" /dev/null "$out"
	tpid=$TRACER_PID
	rss0=$(awk '/^VmRSS:/ { print $2 }' /proc/"$tpid"/status)
	BACKLOG_N=0 BACKLOG_B=0
	stall_storm "$w" "$secs" "$marker" "$out"
	execs=$(jq .execs <<< "$STORM_JSON")
	wait_delivered "$marker" "$tpid" "$execs" "$out.state"
	rss=$(peak_rss_kib "$tpid")
	stop_tracer TERM || rc=$?
	[ $rc = 0 ] || { cat "$out.err" >&2; fail "trace-execd exited with $rc"; }
	"${JCTL[@]}" --sync >/dev/null 2>&1 || true
	delivered=$(journal_count "$marker" "$tpid")
	read -r lost lost_rb lost_j < <(journal_lost "$tpid")
	if [ "$(journald_pid)" != "$jpid" ]; then
		note "journald restarted during the $secs s stall of round $round: measurement void"
		VOID=1
	fi
	if [ "$backlog" = default ]; then backlog=$(policy_size journal_backlog 64M); fi
	jq -cn --argjson s "$STORM_JSON" --argjson round "$round" --argjson stall "$secs" \
		--arg backlog "$backlog" --arg ringbuf "$(policy_size ringbuf_size 4M)" \
		--argjson delivered "$delivered" --argjson lost "$lost" \
		--argjson lost_rb "$lost_rb" --argjson lost_j "$lost_j" \
		--argjson outlasted "$OUTLASTED" --argjson rss0 "${rss0:-null}" --argjson rss "$rss" \
		--argjson bn "$BACKLOG_N" --argjson bb "$BACKLOG_B" \
		--argjson void "$VOID" --arg status "$(state_get "$out.state" status)" '
		{round: $round, workers: $s.workers, stall_s: $stall,
		 journal_backlog: $backlog, ringbuf_size: $ringbuf, marker: $s.marker,
		 execs: $s.execs, failed: $s.failed, seconds: $s.seconds,
		 execs_per_sec: $s.execs_per_sec, storm_outlasted_stall: $outlasted,
		 delivered: $delivered, lost: $lost, lost_ringbuf: $lost_rb,
		 lost_journal: $lost_j, accounted: ($delivered + $lost == $s.execs),
		 rss_before_kib: $rss0, peak_rss_kib: $rss,
		 backlog_peak_entries: $bn, backlog_peak_bytes: $bb,
		 status: (if $status == "" then null else $status end),
		 void: ($void == 1)}' >> "$STALL_RUNS"
	printf '  round %s W=%s stall %3s s backlog %-5s %6s execs: delivered %s, lost %s\n' \
		"$round" "$w" "$secs" "$backlog" "$execs" "$delivered" "$lost" >&2
}

# first_sight MIB: a binary of MIB MiB never seen (a copy of $PROG padded
# with zeros), run twice under trace-execd (json, hash_wait 10s): the
# daemon's CPU until the first entry has its EXEC_SHA256, then for the
# second (a cache hit). Prints the figures as JSON.
first_sight() {
	local mib=$1 bin=$WORK/big-prog conf=$WORK/first-sight.yaml sink=$SHM/first-sight.out
	local out=$WORK/first-sight m c0 c1 c2 sha t0 t1
	m="tebenchfirst$$r$RANDOM"
	cp "$PROG" "$bin" && truncate -s "${mib}M" "$bin" && chmod 0755 "$bin" || fail "could not make $bin"
	sed -e '/^settings:/a\  hash_wait: 10s' -e '/^ *hash_wait:/d' "$JSON_CONF" > "$conf"
	start_te "$conf" "$sink" "$out"
	baseline "$TRACER_PID"
	c0=$(cpu_ns "$TRACER_PID")
	t0=$(date +%s%N)
	"$bin" "$m-1" >/dev/null 2>&1 || true
	wait_until 60 grep -q -F "\"$m-1\"" "$sink" || true
	t1=$(date +%s%N)
	settle "$TRACER_PID"
	c1=$(cpu_ns "$TRACER_PID")
	"$bin" "$m-2" >/dev/null 2>&1 || true
	wait_until 60 grep -q -F "\"$m-2\"" "$sink" || true
	settle "$TRACER_PID"
	c2=$(cpu_ns "$TRACER_PID")
	sha=$(grep -F "\"$m-1\"" "$sink" | jq -r '.EXEC_SHA256 // .EXEC_SHA256_UNAVAILABLE')
	stop_tracer TERM || true
	[ "$sha" = "$(sha256sum "$bin" | cut -c1-64)" ] || note "first sight: EXEC_SHA256 '$sha' is not the binary's"
	rm -f "$bin" "$sink"
	jq -cn --argjson mib "$mib" --argjson c1 $(( (c1 - c0) / 1000 )) --argjson c2 $(( (c2 - c1) / 1000 )) \
		--argjson wall $(( (t1 - t0) / 1000 )) --arg sha "$sha" \
		'{mib: $mib, first_cpu_us: $c1, again_cpu_us: $c2, first_entry_after_us: $wall, sha256: $sha}'
}

# meta_json: the run's facts (the results' "meta", less void_runs, which
# bench/report.jq counts).
meta_json() {
	local load1
	read -r load1 _ < /proc/loadavg
	jq -n --arg started "$START" --arg finished "$(date -Is)" --arg host "$(hostname)" \
		--arg kernel "$(uname -r)" --argjson cpus "$(nproc)" \
		--arg cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" \
		--arg commit "$(git -C "$TOP" describe --always --dirty 2>/dev/null || echo unknown)" \
		--arg te_version "$("$TE" --version 2>/dev/null || echo none)" \
		--arg execsnoop "$(dpkg-query -W -f='${Version}' libbpf-tools 2>/dev/null || echo none)" \
		--arg auditd "$(dpkg-query -W -f='${Version}' auditd 2>/dev/null || echo none)" \
		--arg prog "$PROG" --arg policy "$POLICY" --arg jmode "$JMODE" --arg sink "$JSON_SINK" \
		--argjson execs "$EXECS" --argjson rounds "$ROUNDS" --argjson smoke "$SMOKE" \
		--arg load0 "$LOAD0" --arg load1 "$load1" \
		--argjson progs0 "$PROGS0" --argjson progs1 "$(tracing_progs)" \
		--argjson jqlen "$JOURNALD_QLEN" --argjson hostqlen "$(sysctl -n net.unix.max_dgram_qlen)" '
		{started: $started, finished: $finished, host: $host, kernel: $kernel, cpus: $cpus,
		 cpu: $cpu, commit: $commit, trace_execd: $te_version,
		 libbpf_tools: $execsnoop, auditd: $auditd, program: $prog,
		 policy: $policy, journal: $jmode, json_sink: $sink, execs: $execs,
		 rounds: $rounds, smoke: ($smoke == 1), loadavg_start: ($load0 | tonumber),
		 loadavg_end: ($load1 | tonumber),
		 other_tracing_progs_start: $progs0, other_tracing_progs_end: $progs1,
		 journald_dgram_qlen: $jqlen, host_dgram_qlen: $hostqlen}'
}

# ---- the run ----

[ -n "$OUT" ] || OUT=$HERE/results/$(date +%Y%m%d-%H%M%S)-$(hostname -s).json
mkdir -p "$(dirname "$OUT")"
sysctl -q kernel.bpf_stats_enabled=1
if has_config journal || [ -n "$STALLS" ]; then ensure_journald; fi
# A uid nothing else runs as: the stall policy traces only it, so that the
# host's execs (this script's too) are neither delivered nor lost in it.
[ -z "$STALLS" ] || STALL_UID=$(free_uid 64871)
read -r LOAD0 _ < /proc/loadavg
PROGS0=$(tracing_progs)
START=$(date -Is)
note "configs ${CONFIGS:-none}; workers $WORKERS; $EXECS execs; $ROUNDS rounds; journal: $JMODE${STALLS:+; stalls of $STALLS s, backlog $STALL_BACKLOGS}"
read -ra CFGS <<< "${CONFIGS//,/ }"
for ((r = FIRST_ROUND; r <= ROUNDS; r++)); do
	for w in ${WORKERS//,/ }; do
		# Alternate the order round by round so that drift spreads evenly.
		n=${#CFGS[@]}
		for ((i = 0; i < n; i++)); do
			c=${CFGS[$(( (i + r - 1) % n ))]}
			measure "$r" "$w" "$c"
			# journald was killed under it (by someone else): once more.
			[ $VOID = 1 ] && measure "$r" "$w" "$c"
			[ $VOID = 1 ] && note "round $r $c W=$w void twice: left out"
		done
		for st in ${STALLS//,/ }; do
			for b in ${STALL_BACKLOGS//,/ }; do
				measure_stall "$r" "$w" "$st" "$b"
				[ $VOID = 1 ] && measure_stall "$r" "$w" "$st" "$b"
				[ $VOID = 1 ] && note "round $r stall $st s W=$w void twice: left out"
			done
		done
	done
done
FS_JSON=null
if [ -n "$FIRST_SIGHT" ]; then
	FS_JSON=$(first_sight "$FIRST_SIGHT")
fi
# The results (bench/report.jq: summary, targets, kill_targets, stall),
# then the table from them.
jq -n -L "$HERE" --slurpfile runs "$RUNS" --slurpfile stall "$STALL_RUNS" \
	--argjson meta "$(meta_json)" --argjson first_sight "$FS_JSON" \
	--argjson stall_cfg "$(jq -n --argjson pre "$STALL_PRE_MS" --argjson post "$STALL_POST_MS" \
		--arg uid "$STALL_UID" '{pre_ms: $pre, post_ms: $post, uid: $uid}')" \
	'include "report"; results($runs; $stall; $meta; $stall_cfg; $first_sight)' > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
jq -r -L "$HERE" 'include "report"; table' "$OUT"
echo "results: $OUT"
if ! jq -e '.stall == null or (.stall.summary | all(.accounted))' "$OUT" >/dev/null; then
	note "stall scenario: delivered + lost is not the execs issued"
	exit 1
fi
