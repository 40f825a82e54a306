#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# docs/filters.md's field table is generated from the field registry (`sysrec fields
# --markdown`): this script rewrites the part between the markers, or with --check fails
# when the committed file differs (a ctest runs it, so the reference never goes stale).
# Usage: scripts/gen_filters_doc.sh SYSREC_BINARY [--check]
set -eu
sysrec=${1:?usage: gen_filters_doc.sh SYSREC_BINARY [--check]}
doc=$(dirname "$0")/../docs/filters.md
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
	sed '/<!-- fields:begin -->/q' "$doc"
	"$sysrec" fields --markdown
	sed -n '/<!-- fields:end -->/,$p' "$doc"
} >"$tmp"
if [ "${2:-}" = --check ]; then
	if ! diff -u "$doc" "$tmp"; then
		echo "docs/filters.md is stale: run scripts/gen_filters_doc.sh $sysrec" >&2
		exit 1
	fi
	exit 0
fi
cp "$tmp" "$doc"
