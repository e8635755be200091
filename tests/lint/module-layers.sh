#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# module-layers.sh: daemon/'s folders include only the modules below them (no circle), only config/ includes libyaml, and trace-exec links no YAML parser (spdx.sh checks that every file says what it is for).
. "${top_srcdir:-.}/tests/lib.sh"

# What each module may include besides itself, lowest first. A module
# never includes one above it, so no two modules include each other.
declare -A may=(
	[core]=""
	[tracer]="core"
	[dpkg]="core"
	[enrich]="core dpkg"
	[policy]="core"
	[config]="core policy"
	[format]="core"
	[history]="core format"
	[sink]="core format"
	[pipeline]="core tracer dpkg enrich policy format sink"
	[trace-exec]="core tracer dpkg enrich policy format sink pipeline history"
	[trace-execd]="core tracer dpkg enrich policy config format sink pipeline"
)

cd "$top_srcdir/daemon" || fail "no daemon/"
for dir in */; do
	mod=${dir%/}
	CHECKS=$((CHECKS + 1))
	[ -n "${may[$mod]+set}" ] || fail "daemon/$mod/ is not a known module: add it to the table in module-layers.sh"
	for f in "$mod"/*.[ch]; do
		while read -r inc; do
			dep=${inc%%/*}
			CHECKS=$((CHECKS + 1))
			[ "$dep" = "$mod" ] && continue
			case " ${may[$mod]} " in
			*" $dep "*) ;;
			*) fail "$f includes \"$inc\": $mod may include only ${may[$mod]:-nothing of the project} and itself" ;;
			esac
		done < <(sed -n 's/^#include "\([a-z-]*\/[^"]*\)"/\1/p' "$f")
	done
done

# Only the configuration's reader parses YAML: evaluating rules needs no
# libyaml, and neither does anything but config/.
while read -r f; do
	CHECKS=$((CHECKS + 1))
	case $f in
	config/*) ;;
	*) fail "$f includes <yaml.h>: only config/ reads YAML" ;;
	esac
done < <(grep -l '^#include <yaml.h>' */*.[ch])

# trace-exec reads no configuration: it must not need libyaml.
if [ -x "$top_builddir/trace-exec" ] && command -v readelf >/dev/null; then
	CHECKS=$((CHECKS + 1))
	! readelf -d "$top_builddir/trace-exec" | grep -q 'NEEDED.*libyaml' ||
		fail "trace-exec links libyaml"
fi
pass
