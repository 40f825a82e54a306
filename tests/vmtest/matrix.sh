#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The kernel matrix: fetch the kernels (cached), build the payload and the initramfs once,
# boot each kernel with it under qemu, and print one line per kernel:
#   vmtest: KERNEL passed|failed|skipped SECONDSs
# Guest output goes to CACHE_DIR/logs/NAME.log (the failures' last lines are printed too).
# Exit: 0 when no kernel failed; 1 otherwise.  A kernel that cannot be fetched is skipped,
# loudly (fetch_kernels.sh says why), never counted as passed.
# Usage: matrix.sh BUILD_DIR [CACHE_DIR]    (CACHE_DIR default /var/cache/sysrec-vmtest)
set -uo pipefail
build=$1 cache=${2:-/var/cache/sysrec-vmtest}
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v qemu-system-x86_64 >/dev/null; then
	echo "vmtest: SKIP all kernels: qemu-system-x86_64 is missing (scripts/install-deps.sh installs it)"
	exit 0
fi
mkdir -p "$cache/logs"
"$here/fetch_kernels.sh" "$cache" || true
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$here/make_payload.sh" "$build" "$tmp/payload" || { echo "vmtest: cannot build the payload"; exit 1; }
"$here/build_initramfs.sh" "$tmp/initrd.cpio" "$tmp/payload" || { echo "vmtest: cannot build the initramfs"; exit 1; }
failed=0
for name in 5.10 6.1 6.12 7.x; do
	dir=$cache/kernels/$name
	if [ ! -s "$dir/vmlinux" ]; then
		echo "vmtest: $name skipped 0s (not fetched)"
		continue
	fi
	start=$(date +%s)
	"$here/run_kernel.sh" "$dir/vmlinux" "$tmp/initrd.cpio" 240 >"$cache/logs/$name.log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	if [ $rc = 0 ]; then
		echo "vmtest: $(cat "$dir/version") passed ${secs}s"
	else
		failed=$((failed + 1))
		echo "vmtest: $(cat "$dir/version") failed ${secs}s (exit $rc; $cache/logs/$name.log):"
		grep -E '^(FAIL|vmtest:)' "$cache/logs/$name.log" | head -20 | sed 's/^/    /'
	fi
done
[ $failed = 0 ]
