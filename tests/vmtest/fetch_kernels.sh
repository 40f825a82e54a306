#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Fetch the kernel matrix's Debian kernels into CACHE_DIR (never installed: `apt-get download`
# with a private apt configuration, then `dpkg -x`) and extract each one's uncompressed
# vmlinux (qemu boots it directly, PVH: seconds faster than a bzImage under TCG).
#   CACHE_DIR/kernels/NAME/vmlinux, CACHE_DIR/kernels/NAME/version
# Cached kernels need no network.  A kernel that cannot be fetched is reported as
# "vmtest: SKIP NAME: why" and left out; the exit status is 1 only when none is available.
# Usage: fetch_kernels.sh CACHE_DIR
set -euo pipefail
cache=$(mkdir -p "$1" && cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
apt_dir=$cache/apt

# NAME SUITE PACKAGE-PATTERN: the newest package whose name matches (SUITE: where it comes
# from, for the messages).  Pinned to
# what VMTEST.md found to download; the 7.x line takes the newest cloud kernel offered.
kernels=(
	"5.10 bullseye-security ^linux-image-5\.10\.0-[0-9]+-cloud-amd64-unsigned$"
	"6.1 bookworm-security ^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$"
	"6.12 bookworm-security ^linux-image-6\.12\.[0-9.]+\+deb12-cloud-amd64-unsigned$"
	"7.x trixie-backports ^linux-binary-7\.[0-9.]+\+deb13-cloud-amd64$"
)

apt_init()
{
	[ -f "$apt_dir/ready" ] && return 0
	mkdir -p "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/etc"
	cat >"$apt_dir/etc/sources.list" <<'LIST'
deb http://deb.debian.org/debian bullseye main
deb http://security.debian.org/debian-security bullseye-security main
deb http://deb.debian.org/debian bookworm main
deb http://security.debian.org/debian-security bookworm-security main
deb http://deb.debian.org/debian bookworm-backports main
deb http://deb.debian.org/debian trixie main
deb http://deb.debian.org/debian trixie-backports main
LIST
	: >"$apt_dir/state/status"
	apt_get update >/dev/null
	touch "$apt_dir/ready"
}

apt_get()
{
	apt-get -q -o Dir::Etc::sourcelist="$apt_dir/etc/sources.list" -o Dir::Etc::sourceparts=- \
		-o Dir::State="$apt_dir/state" -o Dir::State::status="$apt_dir/state/status" \
		-o Dir::Cache="$apt_dir/cache" -o APT::Architecture=amd64 \
		-o Acquire::Languages=none "$@"
}

apt_cache()
{
	apt-cache -o Dir::Etc::sourcelist="$apt_dir/etc/sources.list" -o Dir::Etc::sourceparts=- \
		-o Dir::State="$apt_dir/state" -o Dir::State::status="$apt_dir/state/status" \
		-o Dir::Cache="$apt_dir/cache" -o APT::Architecture=amd64 "$@"
}

# The packages whose name matches REGEX, newest first (names carry the ABI).  Some indexed
# versions are gone from the pool (404): the caller tries them in turn.
candidates()
{
	{ apt_cache pkgnames linux- 2>/dev/null || true; } | { grep -E "$1" || true; } | sort -V -r |
		head -20
}

got=0
for k in "${kernels[@]}"; do
	read -r name suite re <<<"$k"
	dir=$cache/kernels/$name
	if [ -s "$dir/vmlinux" ]; then
		got=$((got + 1))
		continue
	fi
	if ! apt_init 2>"$cache/apt-update.err"; then
		echo "vmtest: SKIP $name: the Debian mirror cannot be reached ($(tail -1 "$cache/apt-update.err"))"
		continue
	fi
	work=$(mktemp -d "$cache/fetch.XXXXXX")
	pkg=
	for c in $(candidates "$re"); do
		if (cd "$work" && apt_get download "$c" >/dev/null 2>"$work/err"); then
			pkg=$c
			break
		fi
	done
	if [ -z "$pkg" ]; then
		echo "vmtest: SKIP $name: no package matching $re in $suite could be downloaded" \
			"($(tail -1 "$work/err" 2>/dev/null || echo none indexed))"
		rm -rf "$work"
		continue
	fi
	dpkg -x "$work"/*.deb "$work/x"
	image=$(find "$work/x" \( -path '*/boot/vmlinuz-*' -o -path '*/usr/lib/modules/*/vmlinuz' \) | head -1)
	mkdir -p "$dir"
	if [ -z "$image" ] || ! "$here/extract_vmlinux.sh" "$image" >"$dir/vmlinux.tmp"; then
		echo "vmtest: SKIP $name: no kernel image could be extracted from $pkg"
		rm -rf "$work" "$dir"
		continue
	fi
	mv "$dir/vmlinux.tmp" "$dir/vmlinux"
	echo "$pkg" >"$dir/package"
	ver=$(find "$work/x" -maxdepth 4 -path '*/lib/modules/*' -type d | sed -n 's|.*/lib/modules/\([^/]*\)$|\1|p' | head -1)
	echo "${ver:-$pkg}" >"$dir/version"
	rm -rf "$work"
	got=$((got + 1))
done
[ "$got" -gt 0 ]
