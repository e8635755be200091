#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# package.sh: what EXEC_PACKAGE_VERIFIED and EXEC_FIRST_SEEN cost: the index's build on this machine's dpkg database, the daemon's CPU per warm exec with and without them, the first sight of a big packaged binary (SHA-256 and MD5) against the SHA-256 alone. See bench/README.md.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
BUILD=$HERE/../build
ROUNDS=5
EXECS=5000
MIB=128
OUT=

usage() {
	cat <<EOF
usage: sudo bench/package.sh [--build DIR] [-r ROUNDS] [-n EXECS] [--mib MIB] [--out FILE]
  -r ROUNDS   storms per configuration, in rotating order (default $ROUNDS)
  -n EXECS    execs of /usr/bin/true per storm (default $EXECS)
  --mib MIB   size of the big packaged binary of the first-sight part (default $MIB;
              0: no first-sight part)
Prints a table and writes JSON (default bench/results/package-DATE-HOST.json).
EOF
	exit 2
}
die() { echo "package.sh: $*" >&2; exit 1; }
note() { echo "# $*" >&2; }

while [ $# -gt 0 ]; do
	case $1 in
	--build) BUILD=$2; shift ;;
	-r) ROUNDS=$2; shift ;;
	-n) EXECS=$2; shift ;;
	--mib) MIB=$2; shift ;;
	--out) OUT=$2; shift ;;
	*) usage ;;
	esac
	shift
done
[ "$(id -u)" = 0 ] || die "run me as root (the daemon loads BPF programs; the first-sight part installs a package)"
command -v jq >/dev/null || die "needs jq"
[[ $ROUNDS =~ ^[1-9][0-9]*$ && $EXECS =~ ^[1-9][0-9]*$ && $MIB =~ ^[0-9]+$ ]] || usage
BUILD=$(cd "$BUILD" && pwd)
TE=$BUILD/trace-execd
make -s -C "$BUILD" trace-execd bench/dpkg-bench bench/provenance-bench bench/exec-storm >/dev/null ||
	die "building in $BUILD failed"
[ -d /sys/kernel/tracing/events ] || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true

WORK=$(mktemp -d /tmp/te-pkgbench.XXXXXX)
chmod 0755 "$WORK"	# the storms' uid runs a file of it
SHM=$(mktemp -d /dev/shm/te-pkgbench.XXXXXX)
PKG="te-bench-$$"
DPID=
cleanup() {
	[ -z "$DPID" ] || { kill "$DPID" 2>/dev/null; wait "$DPID" 2>/dev/null || true; }
	dpkg-query -W "$PKG" >/dev/null 2>&1 && dpkg --purge "$PKG" >/dev/null 2>&1
	rm -rf "$WORK" "$SHM"
}
trap cleanup EXIT
U=64871
while getent passwd "$U" >/dev/null || pgrep -U "$U" >/dev/null; do U=$((U + 1)); done

# Wait until the daemon's CPU time stops growing (it read everything).
settle() {
	local a b i
	a=$(cpu_ns "$1")
	for ((i = 0; i < 240; i++)); do
		sleep 0.25
		b=$(cpu_ns "$1")
		[ $((b - a)) -lt 1500000 ] && return 0
		a=$b
	done
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# start NAME SETTINGS: the daemon, tracing uid $U only, JSON to a file in
# /dev/shm, with SETTINGS (lines of the settings map); its pid in DPID.
start() {
	local conf=$WORK/$1.yaml
	printf 'settings:\n  uid: %s\n  outputs: {journal: false, stdout: json}\n  hash_wait: 10s\n  hash_max_size: 4G\n  first_seen_file: %s\n%s\nrules: []\n' \
		"$U" "$WORK/$1.first-seen" "$2" > "$conf"
	rm -f "$WORK/$1.first-seen"
	"$TE" --foreground --config "$conf" > "$SHM/$1.json" 2> "$WORK/$1.err" &
	DPID=$!
	for ((i = 0; i < 400; i++)); do
		grep -qs "tracing execs" "$WORK/$1.err" && return 0
		kill -0 "$DPID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$WORK/$1.err" >&2
	die "trace-execd ($1) did not start"
}
stop() { kill -TERM "$DPID"; wait "$DPID" || true; DPID=; }
events_of() { grep -c -F "\"$2\"" "$SHM/$1.json" || true; }

# 4. The first sight of a big binary: a package of this run ships it (true
# padded to MIB MiB); the daemon's CPU to hash it with its MD5 (packaged),
# and the SHA-256 alone (package checks off; a copy no package owns).
first_sight() {
	note "first sight of a $MIB MiB binary"
	deb=$WORK/deb
	mkdir -p "$deb/DEBIAN" "$deb/usr/lib/$PKG"
	big=/usr/lib/$PKG/big
	cp /usr/bin/true "$deb$big"
	printf '%s\n' "$PKG" >> "$deb$big"
	truncate -s "${MIB}M" "$deb$big"
	chmod 0755 "$deb$big"
	printf 'Package: %s\nVersion: 1\nArchitecture: %s\nMaintainer: bench <bench@trace-execd.invalid>\nDescription: trace-execd bench\n' \
		"$PKG" "$(dpkg --print-architecture)" > "$deb/DEBIAN/control"
	dpkg-deb --root-owner-group --build "$deb" "$WORK/$PKG.deb" >/dev/null
	rm -rf "$deb"
	dpkg -i "$WORK/$PKG.deb" >/dev/null || die "dpkg -i of the bench package failed"
	copy=$WORK/big-copy
	cp "$big" "$copy"
	declare -A FS
	for ((r = 1; r <= 3; r++)); do
		for c in sha256_md5 sha256 unpackaged; do
			case $c in
			sha256_md5) s=$'  package_verify: true\n  first_seen: false'; p=$big ;;
			sha256) s=$'  package_verify: false\n  first_seen: false'; p=$big ;;
			unpackaged) s=$'  package_verify: true\n  first_seen: false'; p=$copy ;;
			esac
			start "fs-$c" "$s"
			cat "$p" > /dev/null	# in the page cache: CPU, not the disk
			settle "$DPID"
			c0=$(cpu_ns "$DPID")
			m="tepkgfs$$r$r$c"
			setpriv --reuid "$U" --regid "$U" --clear-groups "$p" "$m" || true
			for ((i = 0; i < 600; i++)); do [ "$(events_of "fs-$c" "$m")" -ge 1 ] && break; sleep 0.05; done
			settle "$DPID"
			c1=$(cpu_ns "$DPID")
			v=$(grep -F "\"$m\"" "$SHM/fs-$c.json" | jq -r '[.EXEC_PACKAGE_VERIFIED // "-", .EXEC_SHA256_UNAVAILABLE // "hashed"] | join(" ")')
			stop
			FS[$c]+="$(( (c1 - c0) / 1000 )) "
			note "first sight round $r, $c: $(( (c1 - c0) / 1000000 )) ms ($v)"
		done
	done
	fs_both=$(printf '%s\n' ${FS[sha256_md5]} | median)
	fs_sha=$(printf '%s\n' ${FS[sha256]} | median)
	fs_unp=$(printf '%s\n' ${FS[unpackaged]} | median)
	dpkg --purge "$PKG" >/dev/null
}

# 1. The index: built on this machine's database, its memory, a lookup.
note "index of /var/lib/dpkg"
INDEX=$("$BUILD/bench/dpkg-bench" -r 7)
# 2. What an exec seen before adds, in the loop's code (no storm noise).
note "the package verdict and first-seen of an exec seen before"
MICRO=$("$BUILD/bench/provenance-bench" -n 2000000 2>/dev/null)

# 3. Storms of /usr/bin/true (packaged: "yes" from the memo after the
# first exec): the daemon's CPU per exec with hashing alone, with the
# package verdict, with first-seen too.
declare -A SET=(
	[hash]=$'  package_verify: false\n  first_seen: false'
	[package]=$'  package_verify: true\n  first_seen: false'
	[package_first_seen]=$'  package_verify: true\n  first_seen: true'
)
CFGS=(hash package package_first_seen)
declare -A PER
for ((r = 1; r <= ROUNDS; r++)); do
	for ((k = 0; k < ${#CFGS[@]}; k++)); do
		c=${CFGS[$(( (k + r - 1) % ${#CFGS[@]} ))]}
		start "$c" "${SET[$c]}"
		m="tepkgwarm$$r$r$c"
		EXEC_STORM_MARKER="$m-w" "$BUILD/bench/exec-storm" -n 50 -w 2 -p /usr/bin/true -u "$U" >/dev/null
		settle "$DPID"
		c0=$(cpu_ns "$DPID")
		EXEC_STORM_MARKER="$m" "$BUILD/bench/exec-storm" -n "$EXECS" -w 2 -p /usr/bin/true -u "$U" >/dev/null
		for ((i = 0; i < 600; i++)); do [ "$(events_of "$c" "$m")" -ge "$EXECS" ] && break; sleep 0.05; done
		settle "$DPID"
		c1=$(cpu_ns "$DPID")
		n=$(events_of "$c" "$m")
		v=$(grep -m1 -F "\"$m\"" "$SHM/$c.json" | jq -r '.EXEC_PACKAGE_VERIFIED // "-"')
		stop
		[ "$n" = "$EXECS" ] || note "round $r $c: $n of $EXECS events"
		PER[$c]+="$(( (c1 - c0) / n )) "
		note "round $r $c: $(( (c1 - c0) / n )) ns of daemon CPU per exec (verdict: $v)"
		rm -f "$SHM/$c.json"
	done
done
for c in "${CFGS[@]}"; do
	eval "med_$c=$(printf '%s\n' ${PER[$c]} | median)"
done

fs_both=null fs_sha=null fs_unp=null
[ "$MIB" = 0 ] || first_sight
[ -n "$OUT" ] || OUT=$HERE/results/package-$(date +%Y%m%d-%H%M%S)-$(hostname -s).json
mkdir -p "$(dirname "$OUT")"
jq -n --argjson index "$INDEX" --argjson micro "$MICRO" \
	--argjson hash "$med_hash" --argjson pkg "$med_package" --argjson pkgfs "$med_package_first_seen" \
	--argjson rounds "$ROUNDS" --argjson execs "$EXECS" --argjson mib "$MIB" \
	--argjson both "$fs_both" --argjson sha "$fs_sha" --argjson unp "$fs_unp" \
	'{index: $index, warm_loop: $micro,
	  warm_storm: {rounds: $rounds, execs: $execs, daemon_ns_per_exec: {hash: $hash, package: $pkg, package_first_seen: $pkgfs},
	               package_added_ns: ($pkg - $hash), package_first_seen_added_ns: ($pkgfs - $hash)},
	  first_sight: (if $mib == 0 then null else
	                {mib: $mib, daemon_us: {sha256_md5: $both, sha256: $sha, unpackaged_sha256: $unp},
	                 ratio_packaged: (($both / $sha) * 100 | round / 100),
	                 ratio_unpackaged: (($unp / $sha) * 100 | round / 100)} end)}' > "$OUT"
jq -r '
  "index of this machine\u0027s dpkg database: \(.index.packages) packages, \(.index.entries) paths, \(.index.memory_bytes / 1048576 * 10 | round / 10) MiB, built in \(.index.build_ms_median) ms (median of \(.index.rounds)); a lookup \(.index.lookup_ns) ns",
  "exec seen before, in the loop: package verdict \(.warm_loop.warm_package_ns) ns, first-seen \(.warm_loop.warm_first_seen_host_ns) ns (host), \(.warm_loop.warm_first_seen_container_ns) ns (container)",
  "storms of \(.warm_storm.execs) execs, median of \(.warm_storm.rounds): daemon CPU per exec \(.warm_storm.daemon_ns_per_exec.hash) ns (hash only), \(.warm_storm.daemon_ns_per_exec.package) ns (+package: \(.warm_storm.package_added_ns)), \(.warm_storm.daemon_ns_per_exec.package_first_seen) ns (+first-seen: \(.warm_storm.package_first_seen_added_ns))",
  (.first_sight // empty | "first sight of a \(.mib) MiB binary: \(.daemon_us.sha256 / 1000 | round) ms SHA-256 alone, \(.daemon_us.sha256_md5 / 1000 | round) ms packaged (SHA-256 and MD5: x\(.ratio_packaged)), \(.daemon_us.unpackaged_sha256 / 1000 | round) ms unpackaged (x\(.ratio_unpackaged))")' "$OUT"
echo "JSON: $OUT"
