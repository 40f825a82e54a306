#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Install the Debian packages sysrec needs to build and test, and only those that are missing.
# Idempotent and silent when everything is there.  Installing never starts a service (a
# policy-rc.d that forbids it is in place for the duration, when there is none).
#
# Usage: scripts/install-deps.sh [--replay-only] [--only PACKAGE...]
#   --replay-only   no libbpf/bpftool (the replay-only build)
#   --only PKG...   install these packages instead of the build's (bench/setup.sh uses it)
set -eu

# Build: compiler, CMake, libraries.  Capture adds the BPF toolchain (libbpf, bpftool, clang).
pkgs="build-essential cmake pkg-config libzstd-dev libcjson-dev libpcap-dev libelf-dev zlib1g-dev"
# Tests: clang for libFuzzer and the sanitizer runtimes; jq, zstd and strace as oracles;
# runc, podman and busybox-static for real containers (a rootfs built locally: no registry);
# tshark reads the pcap files replay writes; qemu, cpio, lz4 and xz boot the kernel matrix
# (tests/vmtest).
pkgs="$pkgs clang libclang-rt-14-dev llvm jq zstd strace runc podman busybox-static tshark"
pkgs="$pkgs qemu-system-x86 cpio lz4 xz-utils"
# gcc-multilib builds the ia32 (-m32 -static) programs of tests/hostile (compat syscalls);
# python3 checks the text outputs of tests/hostile/terminal and serves tests/hostile/compat.
pkgs="$pkgs gcc-multilib python3"
case "${1:-}" in
--replay-only) ;;
--only) shift; pkgs="$*" ;;
*) pkgs="$pkgs libbpf-dev bpftool" ;;
esac

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "sysrec: missing packages:$missing; install them as root: apt-get install$missing" >&2
	exit 1
fi
echo "sysrec: installing$missing" >&2
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	own_policy=1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
if [ "$own_policy" = 1 ]; then
	rm -f "$policy"
fi
