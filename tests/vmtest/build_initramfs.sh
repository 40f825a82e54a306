#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The guests' initramfs: a base cpio (busybox-static and /init) followed by a second cpio
# with PAYLOAD_DIR under /payload (the kernel unpacks concatenated archives in order), plus
# vm_exit.  Dynamic binaries of the payload bring their libraries (add_binary.sh).
# Usage: build_initramfs.sh OUT.cpio PAYLOAD_DIR
set -euo pipefail
out=$1 payload=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
bb=$(command -v busybox || true)
[ -n "$bb" ] && file -L "$bb" 2>/dev/null | grep -q 'statically linked' || bb=/bin/busybox
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/base/bin" "$tmp/base/dev" "$tmp/pl/payload"
cp "$bb" "$tmp/base/bin/busybox"
cp "$here/init.sh" "$tmp/base/init"
(cd "$tmp/base" && find . | cpio -o -H newc --quiet) >"$tmp/base.cpio"

cp -a "$payload/." "$tmp/pl/payload/"
gcc -static -O2 -o "$tmp/pl/payload/vm_exit" "$here/vm_exit.c"
(cd "$tmp/pl" && find . | cpio -o -H newc --quiet) >"$tmp/pl.cpio"
cat "$tmp/base.cpio" "$tmp/pl.cpio" >"$out"
