#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The uncompressed kernel (an ELF vmlinux) inside a bzImage, on stdout: find each compressor's
# magic in the image and decompress from there until the result is an ELF (the approach of
# the kernel's scripts/extract-vmlinux).
# Usage: extract_vmlinux.sh BZIMAGE > vmlinux
set -uo pipefail
img=$1
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

is_elf() { [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; }

# MAGIC (printf escapes) and the command that decompresses stdin
try()
{
	local magic=$1 pos
	shift
	for pos in $(LC_ALL=C grep -obUaP "$magic" "$img" 2>/dev/null | cut -d: -f1 | head -20); do
		tail -c +$((pos + 1)) "$img" | "$@" >"$tmp" 2>/dev/null
		if is_elf "$tmp"; then
			cat "$tmp"
			exit 0
		fi
	done
}

try '\x1f\x8b\x08' gunzip
try '\xfd\x37\x7a\x58\x5a\x00' unxz
try '\x28\xb5\x2f\xfd' zstd -dc
try '\x02\x21\x4c\x18' lz4 -dc
try 'BZh' bunzip2
try '\x5d\x00\x00\x00' unlzma
echo "extract_vmlinux: no compressed ELF kernel found in $img" >&2
exit 1
