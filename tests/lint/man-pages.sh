#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# man-pages.sh: every man page is clean troff (mandoc lint) and documents every option the programs accept and every field they write.
. "${top_srcdir:-.}/tests/lib.sh"
need_cmd mandoc

for page in "$top_srcdir"/man/*.[0-9]; do
	out=$(mandoc -T lint -W warning "$page" 2>&1)
	CHECKS=$((CHECKS + 1))
	[ -z "$out" ] || fail "mandoc -T lint $page: $out"
	if command -v man >/dev/null; then
		out=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
		CHECKS=$((CHECKS + 1))
		[ -z "$out" ] || fail "man --warnings $page: $out"
	fi
done

# Every long option a program accepts (its getopt table) is in its page;
# so is every one its --help names, when it is built ("make check-unit"
# builds no program).
for prog in trace-exec trace-execd; do
	src="$top_srcdir/daemon/$prog/main.c"
	opts=$(sed -n 's/^[[:space:]]*{ "\([a-z0-9-]*\)", *\(no\|required\|optional\)_argument,.*/--\1/p' "$src")
	[ "$(printf '%s\n' "$opts" | wc -w)" -ge 3 ] || fail "no getopt table found in $src (moved? update this test)"
	[ -x "$top_builddir/$prog" ] && opts="$opts $("$top_builddir/$prog" --help | grep -o -- '--[a-z-]*')"
	for opt in $(printf '%s\n' $opts | sort -u); do
		CHECKS=$((CHECKS + 1))
		grep -q -- "${opt//-/\\\\-}" "$top_srcdir/man/$prog.8" ||
			grep -q -- "$opt" "$top_srcdir/man/$prog.8" || fail "$prog.8 does not document $opt"
	done
done

# Every journal field the daemon can write is in trace-execd(8); every JSON key in trace-exec(8).
fields=$(grep -oh '"\(EXEC\|CONTAINER\|IMAGE\|K8S\|POLICY\|CONFIG\)_[A-Z_]*"\|"ERRNO"' \
	-r --include="*.c" "$top_srcdir"/daemon | tr -d '"' | sort -u)
for f in $fields; do
	CHECKS=$((CHECKS + 1))
	grep -q "${f//_/\\\\_}\|$f" "$top_srcdir/man/trace-execd.8" || fail "trace-execd.8 does not document $f"
done
schema="$top_srcdir/daemon/format/fields.c"	# the event schema: every JSON key
[ -f "$schema" ] || fail "$schema is missing (moved? update this test)"
for f in $(grep -oh '"\(EXEC\|CONTAINER\|IMAGE\|K8S\)_[A-Z_]*"\|"ERRNO"' "$schema" | tr -d '"' | sort -u); do
	CHECKS=$((CHECKS + 1))
	grep -q "$f" "$top_srcdir/man/trace-exec.8" || fail "trace-exec.8 does not document $f"
done
pass
