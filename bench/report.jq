# SPDX-License-Identifier: GPL-2.0-or-later
# bench/report.jq: the exec-storm benchmark's report (a jq module): the results JSON from run.sh's measurements, and the table from the results JSON.
#
# bench/run.sh collects, this presents:
#   jq -n -L bench 'include "report"; results($runs; $stall; $meta; $stall_cfg; $first_sight)' ...
#   jq -r -L bench 'include "report"; table' RESULTS.json
# (bench/README.md describes the fields and the columns).

# ---- statistics ----

def median: map(select(. != null)) | sort |
	if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
	else (.[length / 2 - 1] + .[length / 2]) / 2 end;
def stat: map(select(. != null)) |
	if length == 0 then null else {median: median, min: min, max: max, n: length} end;
# "4M" -> 4194304
def bytes: capture("^(?<n>[0-9]+)(?<u>[KMG]?)$")
	| (.n | tonumber) * {"": 1, K: 1024, M: 1048576, G: 1073741824}[.u];
def ratio($a; $b): if $a == null or $b == null or $b == 0 then null else $a / $b end;
def config_order: {untraced: 0, journal: 1, json: 2, kill20: 3, kill200: 4, nohash: 5, execsnoop: 6, auditd: 7}[.] // 9;

# ---- the results ----

# with_ratios: the measurements that count (not void), each with its
# throughput ratio to untraced in the same round, same workers, and the
# share of its execs delivered.
def with_ratios:
	map(select(.void != true)) as $runs
	| [ $runs[] | . as $x
	    | ($runs | map(select(.config == "untraced" and .round == $x.round and .workers == $x.workers)) | first) as $u
	    | . + {ratio: (if $u then .execs_per_sec / $u.execs_per_sec else null end),
		   delivered_ratio: (if .delivered == null then null else .delivered / .execs end)} ];

# summary_row: the figures of one configuration at one W (input: its runs).
def summary_row:
	{workers: .[0].workers, config: .[0].config, rounds: length,
	 execs_per_sec: (map(.execs_per_sec) | stat),
	 ratio: (map(.ratio) | stat),
	 delivered_ratio: (map(.delivered_ratio) | stat),
	 lost_total: (map(.lost) | map(select(. != null)) | if length == 0 then null else add end),
	 undelivered_total: (map(select(.delivered != null) | .execs - .delivered) | if length == 0 then null else add end),
	 tracer_us_per_event: (map(.tracer_us_per_event) | stat),
	 helper_us_per_event: (map(.helper_us_per_event) | stat),
	 kernel_us_per_exec: (map(.kernel_us_per_exec) | stat),
	 peak_rss_mib: (map(if .peak_rss_kib == null then null else .peak_rss_kib / 1024 end) | stat),
	 rss_without_bpf_maps_mib: (map(if .rss_without_bpf_maps_kib == null then null else .rss_without_bpf_maps_kib / 1024 end) | stat),
	 ready_ms: (map(.ready_ms) | stat)};

# summary($runs): one row per W and configuration, by W, then in the
# order of the configurations' table.
def summary($runs):
	[ ($runs | map(.workers) | unique)[] as $w | ($runs | map(.config) | unique)[] as $c
	  | ($runs | map(select(.workers == $w and .config == $c)))
	  | select(length > 0) | summary_row ]
	| sort_by(.workers, (.config | config_order));

# by_config($summary; $w): the summary rows of W, keyed by configuration.
def by_config($summary; $w): $summary | map(select(.workers == $w)) | map({key: .config, value: .}) | from_entries;

# targets($summary; $ws): the targets of trace-execd with journald, per W.
def targets($summary; $ws):
	[ $ws[] as $w | by_config($summary; $w) as $m
	  | select($m.journal) | ($m.journal) as $j
	  | {workers: $w,
	     throughput_ratio: {want: ">= 0.95", got: $j.ratio.median, ok: (if $j.ratio == null then null else $j.ratio.median >= 0.95 end)},
	     above_execsnoop: {got: $j.ratio.median, execsnoop: $m.execsnoop.ratio.median,
			       ok: (if $m.execsnoop.ratio == null or $j.ratio == null then null else $j.ratio.median > $m.execsnoop.ratio.median end)},
	     above_auditd: {got: $j.ratio.median, auditd: $m.auditd.ratio.median,
			    ok: (if $m.auditd.ratio == null or $j.ratio == null then null else $j.ratio.median > $m.auditd.ratio.median end)},
	     zero_lost: {want: 0, got: $j.undelivered_total, ok: ($j.undelivered_total == 0)},
	     kernel_us_per_exec: {want: "<= 5", got: $j.kernel_us_per_exec.median, ok: (if $j.kernel_us_per_exec == null then null else $j.kernel_us_per_exec.median <= 5 end)},
	     daemon_us_per_event: {want: "<= 10", got: $j.tracer_us_per_event.median, ok: (if $j.tracer_us_per_event == null then null else $j.tracer_us_per_event.median <= 10 end)},
	     peak_rss_mib: {want: "<= 16", got: $j.peak_rss_mib.max, ok: (if $j.peak_rss_mib == null then null else $j.peak_rss_mib.max <= 16 end)},
	     ready_ms: {want: "<= 300", got: $j.ready_ms.median, ok: (if $j.ready_ms == null then null else $j.ready_ms.median <= 300 end)}} ];

# kill_targets($summary; $runs; $ws): the kernel cost of kill rules: kernel
# us/exec of killN over json, in all rounds and in the quiet ones (the
# tracer saw at most 1.25 times the execs of the storm: the other execs of
# the host mix in).
def kill_targets($summary; $runs; $ws):
	[ $ws[] as $w | by_config($summary; $w) as $m
	  | select($m.json and ($m.kill20 or $m.kill200))
	  | def quiet($c): [ $runs[] | select(.workers == $w and .config == $c and .kernel_execs_seen != null
					  and .kernel_execs_seen <= 1.25 * .execs) | .kernel_us_per_exec ];
	    (quiet("json") | median) as $qj
	  | {workers: $w}
	    + ([ [["kill20", 1.10], ["kill200", 1.25]][] as [$c, $want]
		 | select($m[$c])
		 | ratio($m[$c].kernel_us_per_exec.median; $m.json.kernel_us_per_exec.median) as $r
		 | ratio(quiet($c) | median; $qj) as $q
		 | {"\($c)_kernel_ratio": {want: "<= \($want)", got: $r, ok: (if $r == null then null else $r <= $want end)},
		    "\($c)_kernel_ratio_quiet": {want: "<= \($want)", got: $q, ok: (if $q == null then null else $q <= $want end),
						  rounds: (quiet($c) | length), json_rounds: (quiet("json") | length)}} ]
	       | add) ];

# stall_summary: the stall scenarios, per W, stall and backlog (input: their runs).
def stall_summary:
	[ map(select(.void != true))
	  | group_by([.workers, .stall_s, (.journal_backlog | bytes)])[]
	  | {workers: .[0].workers, stall_s: .[0].stall_s,
	     journal_backlog: .[0].journal_backlog, ringbuf_size: .[0].ringbuf_size,
	     rounds: length, execs: (map(.execs) | stat),
	     execs_per_sec: (map(.execs_per_sec) | stat),
	     delivered: (map(.delivered) | stat), lost: (map(.lost) | stat),
	     lost_ringbuf: (map(.lost_ringbuf) | stat),
	     lost_journal: (map(.lost_journal) | stat),
	     accounted: (map(.accounted) | all),
	     storm_outlasted_stall: (map(.storm_outlasted_stall) | all),
	     rss_before_mib: (map(.rss_before_kib / 1024) | stat),
	     peak_rss_mib: (map(.peak_rss_kib / 1024) | stat),
	     backlog_peak_entries: (map(.backlog_peak_entries) | stat),
	     backlog_peak_mib: (map(.backlog_peak_bytes / 1048576) | stat)} ];

# results($all; $stall; $meta; $stall_cfg; $first_sight): the results JSON
# from run.sh's records: $all the storms' (runs.jsonl), $stall the stall
# scenarios' (stall.jsonl), $meta the run's facts (void_runs is added
# here), $stall_cfg {pre_ms, post_ms, uid}, $first_sight null or the
# figures of --first-sight.
def results($all; $stall; $meta; $stall_cfg; $first_sight):
	($all | with_ratios) as $runs
	| ($runs | map(.workers) | unique) as $ws
	| summary($runs) as $s
	| {meta: ($meta + {void_runs: ($all | map(select(.void == true)) | length)}),
	   summary: $s, runs: $runs,
	   targets: targets($s; $ws), kill_targets: kill_targets($s; $runs; $ws)}
	| if ($stall | length) == 0 then . else .stall = {
		pre_s: ($stall_cfg.pre_ms / 1000), post_s: ($stall_cfg.post_ms / 1000),
		uid: ($stall_cfg.uid | tonumber),
		summary: ($stall | stall_summary), runs: $stall} end
	| if $first_sight == null then . else . + {first_sight: $first_sight} end;

# ---- the table ----

# f(d): a number rounded to d decimals, "-" for none.
def f(d): if . == null then "-" else (. * pow(10; d) | round) / pow(10; d) | tostring end;
# m(d): a statistic as "median [min-max]".
def m(d): if . == null then "-" else "\(.median | f(d)) [\(.min | f(d))-\(.max | f(d))]" end;
# m1(d): as m, the median alone when there was one round.
def m1(d): if . == null then "-" elif .n > 1 then m(d) else .median | f(d) end;
# columns($w): a row (an array) as printf "%-W1s %-W2s ... %s" prints it:
# each field left-aligned in its width, the last as it is.
def columns($w):
	. as $row
	| [ range(0; $row | length) as $i
	    | ($row[$i] | tostring) as $v
	    | if $i < ($w | length) and ($v | length) < $w[$i] then $v + (" " * ($w[$i] - ($v | length))) else $v end ]
	| join(" ");
# verdicts: a targets entry as "name=got ok|MISS|n/a, ...".
def verdicts: [to_entries[]
	| "\(.key)=\(.value.got | f(3))\(if .value.rounds != null then " (rounds \(.value.rounds), json \(.value.json_rounds))" else "" end)\(if .value.ok == true then " ok" elif .value.ok == false then " MISS" else " n/a" end)"]
	| join(", ");

def main_table:
	[10, 19, 22, 25, 6, 19, 19, 19, 17, 6] as $w
	| select(.summary | length > 0)
	| .meta as $meta
	| "trace-execd exec-storm benchmark: \($meta.execs) execs of \($meta.program), \($meta.rounds) round(s), \($meta.cpus) CPUs, kernel \($meta.kernel), load \($meta.loadavg_start)->\($meta.loadavg_end)",
	  "medians [min-max] over rounds; ratio = execs/s over untraced in the same round;",
	  "delivered = events found by marker / execs; helper = journald (journal) or kauditd (auditd);",
	  "RSS = peak; -maps = resident without BPF map mappings (the ring buffer is mapped twice)",
	  (if ($meta.other_tracing_progs_start | length) > 0 then
	     "note: other BPF tracing programs were loaded at the start: \($meta.other_tracing_progs_start | group_by(.) | map("\(.[0]) x\(length)") | join(", "))" else empty end),
	  "",
	  (.summary | group_by(.workers)[] |
	   ("W=\(.[0].workers)",
	    (["config", "execs/s", "ratio", "delivered", "lost", "tracer us/ev", "helper us/ev", "kernel us/exec", "RSS MiB", "-maps", "READY ms"] | columns($w)),
	    (.[] | [.config, (.execs_per_sec | m(0)), (.ratio | m(3)),
		    (.delivered_ratio | m(4)), (.lost_total | f(0)),
		    (.tracer_us_per_event | m(1)), (.helper_us_per_event | m(1)),
		    (.kernel_us_per_exec | m(2)), (.peak_rss_mib | m(1)),
		    (.rss_without_bpf_maps_mib.median | f(1)), (.ready_ms | m(0))] | columns($w)),
	    "")),
	  (if (.targets | length) > 0 then "targets (trace-execd with journald):" else empty end),
	  (.targets[] | "  W=\(.workers): " + (del(.workers) | verdicts)),
	  (if (.kill_targets | length) > 0 then "kill rules, kernel us/exec over that of json:" else empty end),
	  (.kill_targets[] | "  W=\(.workers): " + (del(.workers) | verdicts));

# stall_table: the stall scenarios' table, if there were any.
def stall_table:
	[3, 8, 8, 5, 8, 8, 10, 8, 13, 10, 8] as $w
	| select(.stall) | .stall
	| "",
	  "journald stopped (SIGSTOP) for S s of a storm of \(.pre_s) + S + \(.post_s) s, traced as uid \(.uid);",
	  "lost = EXEC_LOST of the lost reports (ring buffer / journal); accounted: delivered + lost = execs",
	  (["W", "stall s", "backlog", "ring", "execs", "execs/s", "delivered", "lost",
	    "ring/journal", "accounted", "RSS MiB", "backlog peak"] | columns($w)),
	  (.summary[] | [.workers, .stall_s, .journal_backlog, .ringbuf_size,
		(.execs | m1(0)), (.execs_per_sec | m1(0)), (.delivered | m1(0)), (.lost | m1(0)),
		"\(.lost_ringbuf | m1(0))/\(.lost_journal | m1(0))",
		((if .accounted then "ok" else "MISMATCH" end) +
		 (if .storm_outlasted_stall then "" else " (storm too short)" end)),
		(.peak_rss_mib | m1(1)),
		"\(.backlog_peak_entries | m1(0)) entries, \(.backlog_peak_mib | m1(1)) MiB"] | columns($w));

# hashing_line: what EXEC_SHA256 costs: json (hashing on, cache warm) against nohash.
def hashing_line:
	.summary | group_by(.workers)[]
	| (map(select(.config == "json")) | first) as $on | (map(select(.config == "nohash")) | first) as $off
	| select($on != null and $off != null and $on.tracer_us_per_event != null and $off.tracer_us_per_event != null)
	| "hashing, cache warm, W=\($on.workers): \($on.tracer_us_per_event.median - $off.tracer_us_per_event.median | . * 100 | round / 100) us/event more daemon CPU than without (target <= 2)";

def first_sight_line:
	.first_sight // empty
	| "first sight of a \(.mib) MiB binary: \(.first_cpu_us / 1000 | round) ms of daemon CPU (entry \(.first_entry_after_us / 1000 | round) ms after the exec); again: \(.again_cpu_us) us";

# table: the text report of a results JSON (jq -r).
def table: main_table, stall_table, hashing_line, first_sight_line;
