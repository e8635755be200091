#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# history-report.sh: times trace-exec --report over N exec entries (one million by default) and the history of one container, on a journal that systemd-journal-remote writes from bench/history-gen.py's export stream.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
N=1000000
BUILD="$here/../build"
DIR=/var/tmp/trace-execd-bench-history
ROUNDS=3
usage() { echo "usage: $0 [-n ENTRIES] [-r ROUNDS] [--build DIR] [--dir DIR] [--keep]" >&2; exit 2; }
KEEP=
while [ $# -gt 0 ]; do
	case $1 in
	-n) N=$2; shift 2 ;;
	-r) ROUNDS=$2; shift 2 ;;
	--build) BUILD=$2; shift 2 ;;
	--dir) DIR=$2; shift 2 ;;
	--keep) KEEP=1; shift ;;
	*) usage ;;
	esac
done
TX="$BUILD/trace-exec"
REMOTE=/lib/systemd/systemd-journal-remote
[ -x "$TX" ] || { echo "no $TX: build first (./quickstart.sh build)" >&2; exit 1; }
[ -x "$REMOTE" ] || { echo "needs $REMOTE (apt-get install systemd-journal-remote)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

# The journal: made once per N and kept (--keep) or removed at the end.
J="$DIR/n$N"
if [ ! -f "$J/.done" ]; then
	rm -rf "$J"
	mkdir -p "$J"
	t0=$(date +%s.%N)
	/usr/bin/python3 "$here/history-gen.py" "$N" | "$REMOTE" --output="$J/bench.journal" - 2>"$J/remote.log"
	touch "$J/.done"
	printf 'wrote %d entries in %.1f s: %s\n' "$N" "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" "$(du -sh "$J" | cut -f1)"
fi
[ -n "$KEEP" ] || trap 'rm -rf "$J"' EXIT

# time_it NAME CMD...: the best of ROUNDS runs, wall and CPU (user+sys).
time_it() {
	local name=$1 best= r out
	shift
	for r in $(seq "$ROUNDS"); do
		/usr/bin/time -o "$DIR/time.out" -f '%e %U %S' "$@" >/dev/null 2>&1 ||
			{ echo "failed: $* ($(cat "$DIR/time.out"))" >&2; exit 1; }
		read -r wall user sys <"$DIR/time.out"
		cpu=$(awk -v a="$user" -v b="$sys" 'BEGIN { print a + b }')
		if [ -z "$best" ] || awk -v a="$wall" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then best="$wall $cpu"; fi
	done
	printf '%-36s wall %6.2f s  cpu %6.2f s  (best of %d)\n' "$name" ${best} "$ROUNDS"
}
X=("$TX" -D "$J" --sender-exe /usr/sbin/trace-execd)
echo "trace-exec over $N entries ($(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg))"
time_it "--report" "${X[@]}" --report
time_it "--report -o json" "${X[@]}" --report -o json
# a container's history: journal matches (CONTAINER_NAME=), a thirtieth of a third
time_it "--containername web-07 -o json" "${X[@]}" --containername web-07 -o json --ignore-failed=false
time_it "--uid 1007 --containername web-07" "${X[@]}" --uid 1007 --containername web-07
# the whole history as JSON, for scale
time_it "all, -o json" "${X[@]}" -o json
"${X[@]}" --report -o json | jq -c '{execs, failed, by_host: [.by_host[] | "\(.value)=\(.count)"]}'
