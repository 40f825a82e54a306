#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Install the Debian packages sysrec needs to build and test, and only those that are missing.
# Idempotent and silent when everything is there.  Usage: scripts/install-deps.sh [--replay-only]
set -eu

# Build: compiler, CMake, libraries.  Capture adds the BPF toolchain (libbpf, bpftool, clang).
pkgs="build-essential cmake pkg-config libzstd-dev libcjson-dev libpcap-dev libelf-dev zlib1g-dev"
# Tests: clang for libFuzzer and the sanitizer runtimes; jq, zstd and strace as oracles.
pkgs="$pkgs clang libclang-rt-14-dev llvm jq zstd strace"
if [ "${1:-}" != "--replay-only" ]; then
	pkgs="$pkgs libbpf-dev bpftool"
fi

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
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
