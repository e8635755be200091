# SPDX-License-Identifier: GPL-2.0-or-later
# prom-check.awk: check a file against the Prometheus text exposition format
# (0.0.4, as node_exporter's textfile collector parses it) and promtool's
# lint rules for counters; prints one line per error, nothing when right.
function err(msg) { printf "line %d: %s: %s\n", NR, msg, $0; bad = 1 }
BEGIN { name_re = "^[a-zA-Z_:][a-zA-Z0-9_:]*$"; label_re = "^[a-zA-Z_][a-zA-Z0-9_]*$"
	value_re = "^([-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?|[-+]?Inf|NaN)$" }
/^#/ {
	if ($2 == "HELP" || $2 == "TYPE") {
		if ($3 !~ name_re) err("bad metric name")
		if ($2 == "TYPE") {
			if ($3 in type) err("second TYPE line")
			if ($3 in seen) err("TYPE after the samples")
			if ($4 !~ /^(counter|gauge|histogram|summary|untyped)$/ || NF != 4) err("bad type")
			type[$3] = $4
			if ($4 == "counter" && $3 !~ /_total$/) err("counter name without _total")
		} else {
			if ($3 in help) err("second HELP line")
			help[$3] = 1
			if (NF < 4) err("HELP without text")
		}
	}
	next
}
/^$/ { err("empty line"); next }
{
	line = $0
	if (match(line, /^[^ {]+/) == 0) { err("no metric name"); next }
	name = substr(line, 1, RLENGTH); rest = substr(line, RLENGTH + 1)
	if (name !~ name_re) err("bad metric name")
	labels = ""
	if (substr(rest, 1, 1) == "{") {
		end = index(rest, "}")
		if (!end) { err("no closing brace"); next }
		labels = substr(rest, 2, end - 2); rest = substr(rest, end + 1)
		n = split(labels, pairs, ",")
		for (i = 1; i <= n; i++) {
			if (pairs[i] !~ /^[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"$/) err("bad label " pairs[i])
		}
	}
	if (substr(rest, 1, 1) != " ") { err("no space before the value"); next }
	n = split(substr(rest, 2), parts, " ")
	if (n < 1 || n > 2 || parts[1] !~ value_re) err("bad value")
	if (n == 2 && parts[2] !~ /^-?[0-9]+$/) err("bad timestamp")
	if (!(name in type)) err("sample without a TYPE line")
	if (name != last && (name in seen)) err("samples of a family not together")
	if ((name "{" labels "}") in series) err("duplicate series")
	series[name "{" labels "}"] = 1; seen[name] = 1; last = name
}
END { if (NR == 0) { print "empty file"; bad = 1 } }
