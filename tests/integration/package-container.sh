#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# package-container.sh: EXEC_PACKAGE_VERIFIED in podman containers of the system tier's Debian 12 root (its dpkg database, not the host's): an image binary yes with the image's version; a binary copied in unpackaged and in the upper layer; an image binary changed in the container modified; an md5sums file the container rewrote to match its binary gives no yes (container-database-changed), that package only; a busybox image has no database; EXEC_FIRST_SEEN=image for a SHA-256 the host ran first, once per image.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/system/lib.sh"
need_root
need_cmd podman runc jq journalctl debootstrap
ensure_tracefs
start_journald

base=$(sys_base_image) || fail "building or importing the system tier's root file system failed (see $SYS_CACHE/debootstrap.log)"
root=$(sys_rootfs) || fail "no root file system"
BUSYBOX=$("$top_srcdir/tests/podman-image.sh" 2>"$WORK/image.err" | tail -1) ||
	{ cat "$WORK/image.err" >&2; fail "could not build the busybox test image"; }
NAME="te-pkgct-$$"
trap 'podman rm -f -t 0 "$NAME" "$NAME-2" "$NAME-bb" >/dev/null 2>&1; cleanup' EXIT
# the image's own versions, from its database
admin="$root/var/lib/dpkg"
cu=$(dpkg-query --admindir="$admin" -W -f '${Version}' coreutils)
cua=$(dpkg-query --admindir="$admin" -W -f '${Architecture}' coreutils)
dv=$(dpkg-query --admindir="$admin" -W -f '${Version}' dpkg)
[ -n "$cu" ] && [ -n "$dv" ] || fail "no coreutils or dpkg in the image's database"

conf="$WORK/trace-execd.yaml"
write_config "$conf" "settings:
  hash_wait: 5s
  first_seen_file: $WORK/state/first-seen
rules: []"
start_daemon d "$conf"

prun() {
	podman run --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "$@"
}
prun -d --name "$NAME" "$base" sleep 600 >/dev/null || fail "podman run of $base failed"
N=0
# ct_run CTR CMD...: run CMD in container CTR with a unique last argument;
# its entry into $ev.
ct_run() {
	local ctr=$1 a
	shift
	N=$((N + 1))
	a="$MARK-$N"
	podman exec "$ctr" "$@" "$a" >/dev/null 2>&1
	ONE_ENTRY_WAIT=20 one_entry "exec-$N" EXEC_ARG="$a" CONTAINER_NAME="$ctr"
}
verdict() { jqv "$ev" '[.EXEC_PACKAGE_VERIFIED, .EXEC_PACKAGE, .EXEC_PACKAGE_VERSION, .EXEC_PACKAGE_ARCH, .EXEC_PACKAGE_UNKNOWN, .EXEC_UPPER_LAYER] | @json'; }

# 1. The image's binary, judged by the image's database (through the
# container's root, not the host's).
ct_run "$NAME" /usr/bin/true
expect image_true "$(verdict)" "[\"yes\",\"coreutils\",\"$cu\",\"$cua\",null,\"0\"]"
expect image_container "$(field "$ev" CONTAINER_NAME)" "$NAME"
ct_run "$NAME" /bin/true
expect image_bin_true "$(field "$ev" EXEC_PACKAGE_VERIFIED)" yes

# 2. A binary copied into the running container: unpackaged, and in the
# upper layer; in a packaged directory too.
podman exec "$NAME" sh -c "cp /usr/bin/true /usr/local/bin/mine && echo $MARK >> /usr/local/bin/mine &&
	cp /usr/local/bin/mine /usr/bin/mine" || fail "copying into the container failed"
ct_run "$NAME" /usr/local/bin/mine
expect copied "$(verdict)" '["unpackaged",null,null,null,null,"1"]'
ct_run "$NAME" /usr/bin/mine
expect copied_usr "$(verdict)" '["unpackaged",null,null,null,null,"1"]'

# 3. An image binary changed in the container: modified (the image's
# record), in the upper layer.
podman exec "$NAME" sh -c "printf x >> /usr/bin/env" || fail "changing /usr/bin/env failed"
ct_run "$NAME" /usr/bin/env --version
expect changed "$(verdict)" "[\"modified\",\"coreutils\",\"$cu\",\"$cua\",null,\"1\"]"

# 4. The container's root rewrites coreutils' md5sums to match a changed
# binary: the record is the container's, not the image's; no yes. dpkg's
# own files keep their verdict.
podman exec "$NAME" sh -c 'printf y >> /usr/bin/true &&
	sum=$(md5sum /usr/bin/true | cut -d" " -f1) &&
	sed -i "s|^[0-9a-f]*  \(usr/\)\?bin/true\$|$sum  bin/true|" /var/lib/dpkg/info/coreutils.md5sums &&
	grep -q "^$sum  bin/true\$" /var/lib/dpkg/info/coreutils.md5sums' ||
	fail "forging coreutils.md5sums in the container failed"
ct_run "$NAME" /usr/bin/true
expect forged "$(verdict)" "[\"unknown\",\"coreutils\",\"$cu\",\"$cua\",\"container-database-changed\",\"1\"]"
ct_run "$NAME" /usr/bin/dpkg --version
expect other_pkg "$(verdict)" "[\"yes\",\"dpkg\",\"$dv\",\"$cua\",null,\"0\"]"

# 5. An image without a dpkg database.
prun -d --name "$NAME-bb" "$BUSYBOX" sleep 600 >/dev/null || fail "podman run of $BUSYBOX failed"
ct_run "$NAME-bb" /bin/busybox true
expect busybox "$(verdict)" '["unknown",null,null,null,"no-database","0"]'

# 6. First seen: a SHA-256 the host ran first is "image" the first time
# it runs in a container of an image, once per image (by its id).
{ cat /usr/bin/true; printf '%s\n' "$MARK-fs"; } > "$WORK/fs"
chmod 0755 "$WORK/fs"
"$WORK/fs" "$MARK-host"
one_entry host EXEC_ARG="$MARK-host"
expect fs_host "$(field "$ev" EXEC_FIRST_SEEN)" host
podman cp "$WORK/fs" "$NAME:/fs" && podman cp "$WORK/fs" "$NAME-bb:/fs" || fail "podman cp failed"
ct_run "$NAME" /fs
expect fs_image "$(field "$ev" EXEC_FIRST_SEEN)" image
ct_run "$NAME" /fs
expect fs_image_again "$(field "$ev" EXEC_FIRST_SEEN)" null
prun -d --name "$NAME-2" "$base" sleep 600 >/dev/null || fail "podman run of a second container failed"
podman cp "$WORK/fs" "$NAME-2:/fs" || fail "podman cp failed"
ct_run "$NAME-2" /fs
expect fs_same_image "$(field "$ev" EXEC_FIRST_SEEN)" null
ct_run "$NAME-bb" /fs
expect fs_other_image "$(field "$ev" EXEC_FIRST_SEEN)" image

stop_daemon d
pass
