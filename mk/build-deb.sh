#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# mk/build-deb.sh: build the Debian package from the tree's distribution files in a scratch copy; prints the .deb.
# Usage: mk/build-deb.sh BUILDDIR. The files "make distdir" gathers (the
# tree as it is, edits included) are copied under BUILDDIR/deb/, where
# dpkg-buildpackage -us -uc -b runs; the package lands in
# BUILDDIR/deb/KEY/, KEY a hash of those files: a second call with the same
# files (the system tier and the package test) reuses it. Nothing is
# written into the source tree.
set -eu

b=${1:?usage: build-deb.sh BUILDDIR}
for c in dpkg-buildpackage dh dpkg-parsechangelog flock; do
	command -v "$c" >/dev/null ||
		{ echo "build-deb: $c not found (Debian: apt-get install debhelper dpkg-dev)" >&2; exit 1; }
done
cd "$b"
mkdir -p deb
exec 9>deb/.lock
flock -w 900 9 || { echo "build-deb: timed out waiting for deb/.lock" >&2; exit 1; }
rm -rf deb/.src
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory distdir \
	distdir=deb/.src top_distdir=deb/.src >deb/.distdir.log 2>&1 ||
	{ cat deb/.distdir.log >&2; echo "build-deb: make distdir failed" >&2; exit 1; }
key=$(cd deb/.src && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum | md5sum | cut -c1-12)
version=$(dpkg-parsechangelog -l deb/.src/debian/changelog -S Version)
deb="deb/$key/trace-execd_${version}_$(dpkg --print-architecture).deb"
if [ ! -f "$deb" ]; then
	rm -rf "deb/$key"
	mkdir "deb/$key"
	mv deb/.src "deb/$key/src"
	if ! (cd "deb/$key/src" && dpkg-buildpackage -us -uc -b) >"deb/$key/build.log" 2>&1; then
		tail -30 "deb/$key/build.log" >&2
		echo "build-deb: dpkg-buildpackage failed (deb/$key/build.log)" >&2
		exit 1
	fi
	rm -rf "deb/$key/src"
	# Earlier builds are of no use any more.
	find deb -mindepth 1 -maxdepth 1 -type d ! -name "$key" ! -name .src -exec rm -rf {} +
fi
rm -rf deb/.src
echo "$PWD/$deb"
