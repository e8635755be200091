#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# history-tree.sh: trace-exec --tree shows a three-level tree of scripts exactly: its ancestor, the exec asked for, every descendant in order, as JSON depths and as the drawn tree; an unknown id fails.
. "${top_srcdir:-.}/tests/lib.sh"
need_root
need_cmd jq journalctl
ensure_tracefs
start_journald

# The daemon from a directory of this test's own (its entries are those
# with its _EXE); trace-exec beside it takes it as the daemon.
chmod 0755 "$WORK"
SBIN="$WORK/sbin"
D="$WORK/t"
mkdir -p "$SBIN" "$D"
cp "$TRACE_EXECD" "$SBIN/trace-execd"
cp "$TRACE_EXEC" "$SBIN/trace-exec"
TRACE_EXECD="$SBIN/trace-execd"
TX="$SBIN/trace-exec"
conf="$WORK/trace-execd.yaml"
write_config "$conf" "settings:
  ignore_failed: false
rules: []"
start_daemon d1 "$conf"

# top.sh runs mid1.sh (which runs true and echo, and a program that is
# not there) and mid2.sh (which runs true); a shell runs top.sh.
printf '#!/bin/sh\n"$0.d/mid1.sh" "$1-m1"\n"$0.d/mid2.sh" "$1-m2"\n' >"$D/top.sh"
mkdir "$D/top.sh.d"
printf '#!/bin/sh\n/bin/true "$1-l1"\n/bin/echo "$1-l2" >/dev/null\n/nonexistent-%s "$1-l3" 2>/dev/null\ntrue\n' "$MARK" >"$D/top.sh.d/mid1.sh"
printf '#!/bin/sh\n/bin/true "$1-l4"\ntrue\n' >"$D/top.sh.d/mid2.sh"
chmod 0755 "$D/top.sh" "$D/top.sh.d/"*.sh
/bin/sh -c '"$1" "$2"; true' sh "$D/top.sh" "$MARK"
mine() { journalctl --sync; journalctl -o json --no-pager --since "$JOURNAL_SINCE" _UID=0 _EXE="$TRACE_EXECD" "$@"; }
logged() { [ "$(mine EXEC_ARG="$MARK-m1-l1" | wc -l)" = 1 ] && [ "$(mine EXEC_ARG="$MARK-m2-l4" | wc -l)" = 1 ] &&
	   [ "$(mine EXEC_ARG="$MARK-m1-l3" | wc -l)" = 1 ]; }
wait_until 20 logged || fail "the daemon did not log the tree's execs"
top=$(mine EXEC_ARG="$D/top.sh" EXEC_COMM=top.sh | jq -r .EXEC_ID)
mid1=$(mine EXEC_ARG="$MARK-m1" EXEC_COMM=mid1.sh | jq -r .EXEC_ID)
[ -n "$top" ] && [ -n "$mid1" ] || fail "no EXEC_ID of top.sh or mid1.sh"

# JSON: each exec with its depth, in the tree's order.
shape() { "$TX" --tree "$1" -o json "${@:2}" | jq -r '"\(.TREE_DEPTH) \(.EXEC_ARGV)"' | sed "s|$D/||g; s|$MARK|M|g"; }
expect json-top "$(shape "$top")" "0 /bin/sh -c \"\\\"\$1\\\" \\\"\$2\\\"; true\" sh top.sh M
1 /bin/sh top.sh M
2 /bin/sh top.sh.d/mid1.sh M-m1
3 /bin/true M-m1-l1
3 /bin/echo M-m1-l2
2 /bin/sh top.sh.d/mid2.sh M-m2
3 /bin/true M-m2-l4"
# failed execs as leaves, with --ignore-failed=false
expect json-failed "$(shape "$mid1" --ignore-failed=false | tr '\n' '|')" "0 /bin/sh -c \"\\\"\$1\\\" \\\"\$2\\\"; true\" sh top.sh M|1 /bin/sh top.sh M|2 /bin/sh top.sh.d/mid1.sh M-m1|3 /bin/true M-m1-l1|3 /bin/echo M-m1-l2|3 /nonexistent-M M-m1-l3|"
# every field of the live view's JSON, and the host
expect json-fields "$("$TX" --tree "$mid1" -o json | jq -r 'select(.TREE_DEPTH == 2) | "\(.EXEC_ID) \(.EXEC_PARENT_ID) \(.EXEC_COMM) \(._HOSTNAME)"')" \
	"$mid1 $top mid1.sh $(hostname)"

# The drawn tree: the exec asked for marked, the branches.
"$TX" --tree "$mid1" >"$WORK/tree" 2>"$WORK/tree.err" || fail "trace-exec --tree failed: $(cat "$WORK/tree.err")"
expect tree-header "$(head -1 "$WORK/tree" | tr -s ' ')" " TIME USER CONTAINER EXEC"
drawn=$(tail -n +2 "$WORK/tree" | cut -c1-2,58- | sed "s|$D/||g; s|$MARK|M|g")
expect tree-drawn "$drawn" "  /bin/sh -c \"\\\"\$1\\\" \\\"\$2\\\"; true\" sh top.sh M
  └─ /bin/sh top.sh M
*    └─ /bin/sh top.sh.d/mid1.sh M-m1
        ├─ /bin/true M-m1-l1
        └─ /bin/echo M-m1-l2"
expect tree-user "$(sed -n 2p "$WORK/tree" | awk '{ print $3 }')" root
"$TX" --tree "$top" >"$WORK/tree2" 2>/dev/null
expect tree2-drawn "$(tail -n +2 "$WORK/tree2" | cut -c1-2,58- | sed "s|$D/||g; s|$MARK|M|g" | tail -6)" "* └─ /bin/sh top.sh M
     ├─ /bin/sh top.sh.d/mid1.sh M-m1
     │  ├─ /bin/true M-m1-l1
     │  └─ /bin/echo M-m1-l2
     └─ /bin/sh top.sh.d/mid2.sh M-m2
        └─ /bin/true M-m2-l4"

# An id the journal does not hold: exit 1, said.
"$TX" --tree "0000000000000000-1-1-1" >/dev/null 2>"$WORK/none.err"
expect unknown-status $? 1
expect unknown-said "$(cat "$WORK/none.err")" "trace-exec: no exec of trace-execd's with EXEC_ID 0000000000000000-1-1-1 in the journal"
stop_daemon d1
pass
