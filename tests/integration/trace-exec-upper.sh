#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# trace-exec-upper.sh: overlayfs upper-layer flags of exe, parent exe and file.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq unshare
ensure_tracefs
grep -qw overlay /proc/filesystems || skip "no overlayfs in this kernel"

start_trace_exec upper
mkdir -p "$WORK/ovl"
# A private mount namespace, as a container runtime would make.
unshare -m --propagation private sh -e -c '
	cd "$1"
	mount -t tmpfs tmpfs .
	mkdir lower upper work merged
	cp /usr/bin/true lower/true-low
	cp "$(readlink -f /bin/sh)" lower/sh-low
	mount -t overlay overlay -o lowerdir=lower,upperdir=upper,workdir=work merged
	cp /usr/bin/true merged/true-up
	cp "$(readlink -f /bin/sh)" merged/sh-up
	readlink /proc/self/ns/mnt > ../mntns
	merged/true-low "$2-low"
	merged/true-up "$2-up"
	merged/sh-up -c "/usr/bin/true $2-child-of-up; :"
	merged/sh-low -c "/usr/bin/true $2-child-of-low; :"
' sh "$WORK/ovl" "$MARK"
mntns=$(sed 's/.*\[\(.*\)\]/\1/' "$WORK/mntns")

ev=$(wait_json upper ".EXEC_ARG[1] == \"$MARK-low\"")
expect low_upper "$(field "$ev" EXEC_UPPER_LAYER)" 0
expect low_file_upper "$(field "$ev" EXEC_FILE_UPPER_LAYER)" 0
expect low_exe "$(field "$ev" EXEC_EXE)" "$WORK/ovl/merged/true-low"
expect low_mntns "$(field "$ev" EXEC_MNTNS)" "$mntns"

ev=$(wait_json upper ".EXEC_ARG[1] == \"$MARK-up\"")
expect up_upper "$(field "$ev" EXEC_UPPER_LAYER)" 1
expect up_file_upper "$(field "$ev" EXEC_FILE_UPPER_LAYER)" 1
expect up_parent_upper "$(field "$ev" EXEC_PARENT_UPPER_LAYER)" 0
expect up_exe "$(field "$ev" EXEC_EXE)" "$WORK/ovl/merged/true-up"

ev=$(wait_json upper ".EXEC_ARG[1] == \"$MARK-child-of-up\"")
expect child_upper "$(field "$ev" EXEC_UPPER_LAYER)" 0
expect child_parent_upper "$(field "$ev" EXEC_PARENT_UPPER_LAYER)" 1
expect child_parent_exe "$(field "$ev" EXEC_PARENT_EXE)" "$WORK/ovl/merged/sh-up"

ev=$(wait_json upper ".EXEC_ARG[1] == \"$MARK-child-of-low\"")
expect child_low_parent_upper "$(field "$ev" EXEC_PARENT_UPPER_LAYER)" 0

stop_trace_exec upper
pass
