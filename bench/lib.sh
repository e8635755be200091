# SPDX-License-Identifier: GPL-2.0-or-later
# bench/lib.sh: what the benchmarks share (sourced by run.sh and package.sh).

# Total CPU time (ns) of a process, all its threads: user + system.
cpu_ns() {
	local f t=0 v
	for f in /proc/"$1"/task/*/schedstat; do
		read -r v _ < "$f" 2>/dev/null || continue
		t=$((t + v))
	done
	echo $t
}
