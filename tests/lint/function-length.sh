#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# function-length.sh: no shell function of the benchmarks (bench/*.sh) is longer than 60 lines, from its "name() {" line to its closing "}".
. "${top_srcdir:-.}/tests/lib.sh"

MAX=60
cd "$top_srcdir" || fail "no $top_srcdir"
files=(bench/*.sh)
[ -e "${files[0]}" ] || fail "no bench/*.sh in $top_srcdir"

# One line per function: "FILE:LINE NAME LENGTH" (a function on one line
# is 1 long; "open" for one whose closing "}" at column 0 never comes).
awk '
	FNR == 1 { if (name != "") print file ":" start, name, "open"; name = "" }
	name == "" && /^[A-Za-z_][A-Za-z0-9_]*\(\)[ \t]*\{/ {
		file = FILENAME; start = FNR
		n = $0; sub(/\(\).*/, "", n)
		rest = $0; sub(/^[^{]*\{/, "", rest)
		if (rest ~ /\}[ \t;]*$/) print file ":" start, n, 1
		else name = n
		next
	}
	name != "" && /^\}/ { print file ":" start, name, FNR - start + 1; name = "" }
	END { if (name != "") print file ":" start, name, "open" }
' "${files[@]}" >"$WORK/functions" || fail "awk failed on ${files[*]}"
[ -s "$WORK/functions" ] || fail "no function found in ${files[*]}: is the pattern still right?"
CHECKS=$((CHECKS + $(wc -l <"$WORK/functions")))
open=$(awk '$3 == "open" { print $1, $2 }' "$WORK/functions")
[ -z "$open" ] || fail "functions with no closing \"}\" at column 0: $open"
long=$(awk -v max=$MAX '$3 > max { printf "%s %s (%d lines); ", $1, $2, $3 }' "$WORK/functions")
[ -z "$long" ] || fail "over $MAX lines (split them): $long"
pass
