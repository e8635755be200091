#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# soak.sh: steady exec load and configuration reloads for SOAK_SECONDS; RSS, descriptors and BPF map entries stay flat, no event is lost ("make soak").
# SOAK_SECONDS (600), SOAK_RELOADS (100), SOAK_RATE (execs/s, 50), SOAK_RSS_SLACK_KB (2048).
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl bpftool
ensure_tracefs
HX="$HELPERS/hostile-exec"
[ -x "$HX" ] || skip "tests/helpers/hostile-exec not built (make check TESTS= first)"
SECS=${SOAK_SECONDS:-600}
RELOADS=${SOAK_RELOADS:-100}
RATE=${SOAK_RATE:-50}
SLACK=${SOAK_RSS_SLACK_KB:-2048}

# A journal namespace of its own: tens of thousands of entries stay out of
# the system journal, and nothing else writes there.
NS="te-soak-$$"
start_journald "$NS"
export TRACE_EXECD_JOURNAL_SOCKET=/run/systemd/journal.$NS/socket
trap 'stop_journald "$NS" 2>/dev/null; rm -rf /run/systemd/journal.$NS /run/systemd/journald@$NS.conf.d /run/log/journal/*.$NS; cleanup' EXIT

conf="$WORK/trace-execd.yaml"
policy() {	# policy N: two alternating policies, so every reload compiles something new
	write_config "$conf" "settings:
  ignore_failed: false
  lost_report_interval: 1s
rules:
  - name: soak-$(( $1 % 2 ))
    match:
      args: '*$MARK-*'
      not: {comm: [nothing-$1, 'x*y']}
    priority: notice
    tags: [soak, r$1]
  - name: shells
    match: {comm: [sh, bash, dash]}
    rate_limit: {burst: 5, interval: 1s}
  - name: everything
    match: {}"
}
policy 0
start_daemon d "$conf"
pid=$PID_d

pending_map_id() {
	local fd id
	for fd in /proc/"$pid"/fd/*; do
		[ "$(readlink "$fd" 2>/dev/null)" = anon_inode:bpf-map ] || continue
		id=$(sed -n 's/^map_id:[[:space:]]*//p' "/proc/$pid/fdinfo/${fd##*/}")
		[ "$(bpftool -j map show id "$id" | jq -r .name)" = pending ] && { echo "$id"; return; }
	done
}
map=$(pending_map_id)
[ -n "$map" ] || fail "no pending map"
sample() {	# "SECONDS RSS_KB FDS PENDING BPF_MAPS"
	local rss fds pend maps
	rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
	fds=$(ls "/proc/$pid/fd" | wc -l)
	pend=$(bpftool -j map dump id "$map" | jq length)
	maps=$(for f in /proc/"$pid"/fd/*; do readlink "$f"; done | grep -c 'anon_inode:bpf-map')
	echo "$(( $(date +%s) - t0 )) $rss $fds $pend $maps"
}

t0=$(date +%s)
"$HX" rate "$RATE" "$SECS" "$MARK" /bin/true > "$WORK/load.out" &
load=$!
BG_PIDS+=("$load")
sample > "$WORK/samples"
next_reload=$(( SECS * 1000 / RELOADS ))
reloads=0
while kill -0 "$load" 2>/dev/null; do
	sleep 1
	now=$(( ( $(date +%s) - t0 ) * 1000 ))
	if [ $reloads -lt $RELOADS ] && [ "$now" -ge $(( (reloads + 1) * next_reload - next_reload / 2 )) ]; then
		reloads=$((reloads + 1))
		policy "$reloads"
		kill -HUP "$pid"
	fi
	[ $(( $(date +%s) - t0 )) -ge $(( $(wc -l < "$WORK/samples") * 10 )) ] && sample >> "$WORK/samples"
done
wait "$load" || fail "load generator: $(cat "$WORK/load.out")"
while [ $reloads -lt $RELOADS ]; do	# a short run: the rest now
	reloads=$((reloads + 1))
	policy "$reloads"
	kill -HUP "$pid"
	sleep 0.2
done
/bin/true "$MARK-end"
wait_until 30 journal_has EXEC_ARG="$MARK-end" || fail "the last exec never reached the journal"
wait_until 10 eval '[ "$(bpftool -j map dump id "$map" | jq length)" = 0 ]' || fail "pending entries left behind"
sample >> "$WORK/samples"
kill -0 "$pid" || fail "trace-execd died"

issued=$(sed -n 's/^execs \([0-9]*\) failed 0 .*/\1/p' "$WORK/load.out")
[ -n "$issued" ] || fail "load generator: $(cat "$WORK/load.out")"
journal_json --output-fields=EXEC_ARG,MESSAGE_ID,EXEC_LOST,CONFIG_RULES > "$WORK/journal.json"
logged=$(jq -r "select(.MESSAGE_ID == \"dae8ea1ec2964a42af0f34673ef7d561\") | .EXEC_ARG | if type == \"array\" then .[1] else empty end | select(type == \"string\" and test(\"^$MARK-[0-9]+\$\"))" "$WORK/journal.json" | sort -u | wc -l)
entries=$(jq -r "select(.MESSAGE_ID == \"dae8ea1ec2964a42af0f34673ef7d561\") | .EXEC_ARG | if type == \"array\" then .[1] else empty end | select(type == \"string\" and test(\"^$MARK-[0-9]+\$\"))" "$WORK/journal.json" | wc -l)
loaded=$(jq -r 'select(.MESSAGE_ID == "cdf5c2b062a34ebc99399a391ddd2130") | .MESSAGE_ID' "$WORK/journal.json" | wc -l)
lost=$(jq -s '[.[] | select(.MESSAGE_ID == "d333764d0c444f98b610d0f2e926ec92") | .EXEC_LOST | tonumber] | add // 0' "$WORK/journal.json")
stop_daemon d

# The figures.
echo "soak: ${SECS}s, $issued execs at ${RATE}/s, $reloads reloads"
echo "  journal: $entries entries for $logged distinct execs, $loaded configurations loaded, $lost events lost"
echo "  samples (s, RSS kB, fds, pending entries, BPF maps):"
sed 's/^/    /' "$WORK/samples"
expect logged "$logged" "$issued"
expect once_each "$entries" "$issued"
expect loaded "$loaded" $((reloads + 1))
expect lost "$lost" 0
# Flat: descriptors and maps never change; RSS settles after the first
# tenth of the run and then grows by less than the slack.
read -r _ rss0 fds0 _ maps0 < "$WORK/samples"
n=$(wc -l < "$WORK/samples")
warm=$(awk -v t=$((SECS / 10)) '$1 >= t {print $2; exit}' "$WORK/samples")
max=$(awk '{if ($2 > m) m = $2} END {print m}' "$WORK/samples")
expect fds_flat "$(awk '{print $3}' "$WORK/samples" | sort -u | wc -l)" 1
expect maps_flat "$(awk '{print $5}' "$WORK/samples" | sort -u | wc -l)" 1
expect pending_bounded "$(awk '{if ($4 > 64) n++} END {print n + 0}' "$WORK/samples")" 0
CHECKS=$((CHECKS + 1))
[ "$max" -le $((warm + SLACK)) ] || fail "RSS grew from $warm kB to $max kB"
echo "  RSS: ${rss0} kB at start, ${warm} kB after warm-up, ${max} kB at most; $fds0 descriptors, $maps0 BPF maps throughout ($n samples)"
pass
