#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# update-configmap.sh: copy conf/trace-execd.yaml into the DaemonSet's ConfigMap
# (deploy/kubernetes/trace-execd.yaml), which tests/package/podman-daemonset.sh
# requires to be the same policy.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
manifest=$top/deploy/kubernetes/trace-execd.yaml
tmp=$manifest.tmp
# The policy is the block after "  trace-execd.yaml: |" up to the next "---".
awk -v conf="$top/conf/trace-execd.yaml" '
	skip && /^---/ { skip = 0 }
	skip { next }
	{ print }
	/^  trace-execd.yaml: \|$/ {
		while ((getline line < conf) > 0)
			print (line == "" ? "" : "    " line)
		skip = 1
	}' "$manifest" >"$tmp"
mv "$tmp" "$manifest"
