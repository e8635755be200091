#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-image.sh: build the local busybox test image (no registry needed) unless it exists; prints its name.
# busybox-static gives the applets; dash is /bin/sh so that applets run by
# name are real execs (busybox's own shell runs some of them in-process).
set -euo pipefail
IMAGE=localhost/trace-execd-test-busybox:1
if podman image exists "$IMAGE" 2>/dev/null; then
	echo "$IMAGE"
	exit 0
fi
bb=$(command -v busybox 2>/dev/null || true)
[ -n "$bb" ] && file -L "$bb" 2>/dev/null | grep -q static || bb=/bin/busybox
root=$(mktemp -d /tmp/te-image.XXXXXX)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,etc,tmp,root,home/app,lib64,lib/x86_64-linux-gnu}
chmod 1777 "$root/tmp"
cp "$bb" "$root/bin/busybox"
for a in $("$root/bin/busybox" --list); do
	[ "$a" = sh ] || [ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
done
cp "$(readlink -f /bin/dash)" "$root/bin/sh"
for lib in $(ldd /bin/dash | grep -o '/[^ ]*'); do
	cp "$(readlink -f "$lib")" "$root$lib"
done
cat > "$root/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
appuser:x:1000:1000:test user of the image:/home/app:/bin/sh
nobody:x:65534:65534:nobody:/:/bin/false
P
cat > "$root/etc/group" <<'G'
root:x:0:
appgroup:x:1000:
nogroup:x:65534:
G
tar -C "$root" -cf "$root.tar" .
podman import "$root.tar" "$IMAGE" >/dev/null
rm -f "$root.tar"
echo "$IMAGE"
