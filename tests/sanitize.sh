#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# sanitize.sh: a second build with ASan+UBSan (clang, with the libFuzzer targets when it has libFuzzer) runs the unit and integration tests and the fuzz smoke; any sanitizer report fails.
# usage: tests/sanitize.sh [BUILDDIR]  (default: build/sanitize in the source tree); FUZZ_SECONDS bounds each fuzz target (default 30).
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build/sanitize}
jobs=$(nproc 2>/dev/null || echo 2)

say() { echo "sanitize: $*"; }
die() { echo "sanitize: $*" >&2; exit 1; }

# clang with libFuzzer builds the fuzz targets too; otherwise the default
# compiler builds the sanitizer run alone.
probe=$(mktemp -d /tmp/te-sanitize-probe.XXXXXX)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d && n > 1 && d[0] == 1; }\n' > "$probe/f.c"
opts="--enable-sanitizers"
cc=
if command -v clang >/dev/null &&
   clang -fsanitize=fuzzer,address,undefined "$probe/f.c" -o "$probe/f" 2>/dev/null; then
	cc=clang
	opts="$opts --enable-fuzzing"
else
	say "clang with libFuzzer not found (Debian: apt-get install clang libclang-rt-14-dev): no fuzz smoke"
fi

# LeakSanitizer needs ptrace of its own threads; some containers forbid it.
printf '#include <stdlib.h>\nvoid *p;\nint main(void) { p = malloc(7); p = 0; return 0; }\n' > "$probe/leak.c"
leaks=0
if ${cc:-cc} -fsanitize=address -g "$probe/leak.c" -o "$probe/leak" 2>/dev/null &&
   ASAN_OPTIONS=detect_leaks=1 "$probe/leak" 2>&1 | grep -q "detected memory leaks"; then
	leaks=1
else
	say "LeakSanitizer does not work here: leak detection off"
fi

# Configure (again when the options or the build system changed) and build.
[ -x "$src/configure" ] || (cd "$src" && autoreconf -fi >/dev/null) || die "autoreconf failed"
mkdir -p "$build" || die "cannot create $build"
cd "$build" || die "cannot enter $build"
want="$opts CC=${cc:-default}"
if [ ! -f Makefile ] || [ "$src/configure" -nt config.status ] ||
   [ "$(cat .sanitize-opts 2>/dev/null)" != "$want" ]; then
	say "configuring $build ($want)"
	# shellcheck disable=SC2086
	"$src/configure" -q --prefix=/usr --sysconfdir=/etc --localstatedir=/var \
		$opts ${cc:+CC=$cc} || die "configure failed"
	echo "$want" > .sanitize-opts
fi
make -s -j"$jobs" >build.log 2>&1 || { tail -n 40 build.log >&2; die "build failed (see $build/build.log)"; }

# The tests: the unit, integration and fuzz tiers of mk/tests.am (not the
# static checks, which run none of our code, nor the package and system
# tiers, which install a package built without the sanitizers).
tests=$(printf 'print-tests:\n\t@echo $(UNIT_TESTS) $(INTEGRATION_TESTS) $(FUZZ_TESTS)\n' |
	make -s -f Makefile -f - print-tests)
[ -n "$tests" ] || die "no tests found in $build/Makefile"

# Every report goes to a file under logs/ (the tests' own output may be
# thrown away); the first error stops the process.
logs="$build/sanitizer-logs"
rm -rf "$logs"
mkdir -p "$logs"
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=$leaks:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:log_path=$logs/asan"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan"
export LSAN_OPTIONS="log_path=$logs/lsan"
export FUZZ_SECONDS=${FUZZ_SECONDS:-30}
start=$(date +%s)
say "running $(echo $tests | wc -w) tests with ASan+UBSan${cc:+ (fuzz smoke ${FUZZ_SECONDS}s per target)}"
make -s -j"$jobs" check TESTS="$tests" >/dev/null 2>&1
rc=$?
"$src/tests/summary.sh" "$build/test-suite.log" | sed 's/^/sanitize: /'
reports=$(find "$logs" -type f | sort)
if [ -n "$reports" ]; then
	for f in $reports; do
		echo "==== $f" >&2
		head -n 60 "$f" >&2
	done
	say "$(echo "$reports" | wc -l) sanitizer report(s): FAILED"
	rc=1
fi
say "$( [ $rc -eq 0 ] && echo passed || echo FAILED ) in $(( $(date +%s) - start ))s"
exit $rc
