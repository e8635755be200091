#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test-scripts.sh: every test is registered in mk/tests.am, in its folder's tier, and nowhere else; every test script opens the same way.
. "${top_srcdir:-.}/tests/lib.sh"

cd "$top_srcdir" || fail "no $top_srcdir"
registry=mk/tests.am
[ -f "$registry" ] || fail "no $registry"

# The tiers' lists in the registry, one "TIER path" a line.
awk '
	/^[A-Z]+_TESTS \+?= / { tier = $1; sub(/_TESTS$/, "", tier); cont = 1; $1 = $2 = "" }
	cont {
		line = $0
		more = sub(/\\$/, "", line)
		n = split(line, w, /[ \t]+/)
		for (i = 1; i <= n; i++) if (w[i] != "") print tier, w[i]
		cont = more
	}' "$registry" >"$WORK/registered"
[ -s "$WORK/registered" ] || fail "no tier lists (TIER_TESTS = ...) in $registry"

# Each folder's tests, and the tier they belong to.
{
	for f in tests/unit/test-*.c; do echo "UNIT ${f%.c}"; done
	for f in tests/lint/*.sh; do echo "LINT $f"; done
	for f in tests/integration/*.sh; do echo "INTEGRATION $f"; done
	for f in tests/fuzz/*.sh; do echo "FUZZ $f"; done
	for f in tests/package/*.sh; do echo "PACKAGE $f"; done
	for f in tests/system/*.sh; do [ "$f" = tests/system/lib.sh ] || echo "SYSTEM $f"; done
} | sort >"$WORK/present"
sort "$WORK/registered" >"$WORK/registered.sorted"
CHECKS=$((CHECKS + $(wc -l <"$WORK/present")))
missing=$(comm -23 "$WORK/present" "$WORK/registered.sorted")
[ -z "$missing" ] || fail "not registered in $registry (tier, test): $(echo $missing)"
extra=$(comm -13 "$WORK/present" "$WORK/registered.sorted")
[ -z "$extra" ] || fail "registered in $registry but not in that tier's folder (tier, test): $(echo $extra)"
dups=$(awk '{ print $2 }' "$WORK/registered" | sort | uniq -d)
[ -z "$dups" ] || fail "registered twice in $registry: $dups"

# Nowhere else: no other build file adds to TESTS.
CHECKS=$((CHECKS + 1))
elsewhere=$(grep -lE '^[[:space:]]*TESTS[[:space:]]*\+?=' Makefile.am mk/*.am | grep -vx "$registry" || true)
[ -z "$elsewhere" ] || fail "TESTS is set outside $registry: $elsewhere (register tests in $registry)"

# The opening of every test script: #!/bin/bash, the license, "# NAME.sh:
# what it tests", maybe more comment lines, then tests/lib.sh.
scripts=(tests/lint/*.sh tests/integration/*.sh tests/fuzz/*.sh tests/package/*.sh
	tests/system/system.sh tests/soak/*.sh)
CHECKS=$((CHECKS + 4 * ${#scripts[@]}))
bad=$(awk -v lib='. "${top_srcdir:-.}/tests/lib.sh"' '
	FNR == 1 { n = split(FILENAME, p, "/"); name = p[n]; why = "" }
	FNR == 1 && $0 != "#!/bin/bash" { why = "line 1 is not #!/bin/bash" }
	FNR == 2 && $0 != "# SPDX-License-Identifier: GPL-2.0-or-later" { why = "line 2 is not its SPDX-License-Identifier" }
	FNR == 3 && (index($0, "# " name ": ") != 1 || length($0) <= length(name) + 4) {
		why = "line 3 is not \"# " name ": what it tests\""
	}
	FNR > 3 && !/^#/ && !why && $0 != lib {
		why = "the first line after the opening comments is not \"" lib "\" but \"" $0 "\""
	}
	why || (FNR > 3 && !/^#/) { if (why) print FILENAME ": " why; done[FILENAME] = 1; nextfile }
	END { for (i = 1; i < ARGC; i++) if (!(ARGV[i] in done)) print ARGV[i] ": no \"" lib "\" line" }
' "${scripts[@]}") || fail "awk failed on the test scripts"
[ -z "$bad" ] || fail "$bad"
pass
