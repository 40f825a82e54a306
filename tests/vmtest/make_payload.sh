#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The guests' payload: payload/run.sh, sysrec from BUILD_DIR with its shared libraries, and
# the static helpers the checks run (syscall_loop, probe_target).
# Usage: make_payload.sh BUILD_DIR OUT_DIR
set -euo pipefail
build=$(cd "$1" && pwd) out=$2
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
rm -rf "$out"
mkdir -p "$out/bin"
cp "$here/payload/run.sh" "$out/run.sh"
"$here/add_binary.sh" "$out" "$build/replay/sysrec"
gcc -static -O2 -o "$out/bin/syscall_loop" "$src/bench/syscall_loop.c"
gcc -static -O2 -fno-omit-frame-pointer -o "$out/bin/probe_target" "$src/bench/workloads/probe_target.c"
# ia32 syscalls from a 64-bit program (int 0x80): static, so its strings have 32-bit addresses
gcc -static -O1 -o "$out/bin/int80" "$src/tests/hostile/compat/int80.c"
