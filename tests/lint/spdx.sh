#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# spdx.sh: every source file opens with its SPDX-License-Identifier line (after a #! line), the license debian/copyright gives it, then a line saying what the file is for.
. "${top_srcdir:-.}/tests/lib.sh"

PROJECT=GPL-2.0-or-later	# debian/copyright: "Files: *", GPL-2+
# Files under another license, each with a "Files:" paragraph of its own in
# debian/copyright.
declare -A other=(
	[bpf/trace_exec.h]="(LGPL-2.1-only OR BSD-2-Clause)"
)
# Files that carry no license line: documentation, packaging metadata
# whose format has no comments, test data (debian/copyright covers them).
exempt() {
	case $1 in
	*.md | LICENSE | .gitignore | */.gitkeep | debian/changelog | debian/control | \
	debian/copyright | debian/source/format | debian/*.docs | \
	tests/unit/fixtures/* | tests/fuzz/corpus/*) return 0 ;;
	esac
	return 1
}

# The files: git's (tracked, and new ones not ignored) in a checkout;
# otherwise (a distribution) the tree without what autotools generate and
# without build directories.
cd "$top_srcdir" || fail "no $top_srcdir"
if [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$(pwd -P)" ]; then
	git ls-files -z --cached --others --exclude-standard >"$WORK/files"
else
	find . -type d \( -name .git -o -name autom4te.cache -o -name build-aux -o -name _build \
		-o -name build -o -name 'build-*' -o -name deb \) -prune -o -type f ! -name '*~' -print0 |
		sed -z 's|^\./||' | grep -zv '^\(configure\|aclocal\.m4\|Makefile\.in\|autoconfig\.h\.in\)$' \
		>"$WORK/files"
fi
[ -s "$WORK/files" ] || fail "no files found in $top_srcdir"

# spdx_line FILE LICENSE: set want to the line FILE must open with, in its
# comment syntax.
spdx_line() {
	local tag="SPDX-License-Identifier: $2"
	case $1 in
	*.c) want="// $tag" ;;
	*.h) want="/* $tag */" ;;
	configure.ac) want="dnl $tag" ;;
	man/*.[0-9]) want=".\\\" $tag" ;;
	*) want="# $tag" ;;
	esac
}

# The first three lines of every file but the exempt ones, read at once.
declare -A lines
list=()
while IFS= read -r -d '' f; do
	exempt "$f" || { [ -f "$f" ] && list+=("$f"); }	# (a deleted file is still in git's list)
done <"$WORK/files"
files=${#list[@]}
[ "$files" -gt 0 ] || fail "no source files found in $top_srcdir"
while IFS=$'\t' read -r f n line; do
	lines[$f:$n]=$line
done < <(printf '%s\0' "${list[@]}" |
	xargs -0 awk 'FNR <= 3 { print FILENAME "\t" FNR "\t" $0 } FNR == 3 { nextfile }')

c_purpose='^/\* [a-zA-Z0-9_./-]+: .+\*/$'
purpose='^(#|dnl|\.\\") [^ ]+: .+'
for f in "${list[@]}"; do
	n=1
	[[ ${lines[$f:1]} == "#!"* ]] && n=2
	spdx_line "$f" "${other[$f]:-$PROJECT}"
	CHECKS=$((CHECKS + 1))
	[ "${lines[$f:$n]}" = "$want" ] ||
		fail "$f: line $n is not '$want' (every source file opens with it; data files go in the exempt list and debian/copyright)"
	# Then what the file is for: "/* NAME: ... */" in C, "# NAME: ..." (or
	# dnl, .\") elsewhere.
	line=${lines[$f:$((n + 1))]}
	re=$purpose
	[[ $f == *.[ch] ]] && re=$c_purpose
	CHECKS=$((CHECKS + 1))
	[[ $line =~ $re ]] ||
		fail "$f: line $((n + 1)) does not say what the file is for ('NAME: what it does', as a comment)"
done
echo "$files source files"
[ "$files" -gt 100 ] || fail "only $files source files found: is the list right?"

# debian/copyright agrees: the project's license for "Files: *", a paragraph
# of its own for each file under another one.
copyright="$top_srcdir/debian/copyright"
CHECKS=$((CHECKS + 1))
awk '/^Files: \*$/ { f = 1; next } f && /^License:/ { print; exit }' "$copyright" | grep -qx 'License: GPL-2+' ||
	fail "debian/copyright: the \"Files: *\" paragraph is not GPL-2+ ($PROJECT)"
for f in "${!other[@]}"; do
	CHECKS=$((CHECKS + 1))
	grep -qE "^Files:(.* )?$f( |\$)" "$copyright" ||
		fail "debian/copyright has no \"Files:\" paragraph for $f (${other[$f]})"
done
# LICENSE holds the GPL's text.
CHECKS=$((CHECKS + 1))
head -2 "$top_srcdir/LICENSE" | tr -s ' ' | grep -q 'Version 2, June 1991' ||
	fail "LICENSE is not the text of the GNU GPL version 2"
pass
