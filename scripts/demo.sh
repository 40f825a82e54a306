#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# `make demo`: record a real workload with the BPF recorder (several processes, file I/O, a TCP
# exchange on 127.0.0.1), show what the trace holds, then show that a trace cut short (a crash,
# a full disk) still reads up to its last complete chunk.  Needs root.
# Usage: scripts/demo.sh BUILD_DIR   (the trace stays in BUILD_DIR/demo/)
set -euo pipefail

build=$(cd "${1:?usage: demo.sh BUILD_DIR}" && pwd)
sysrec=$build/replay/sysrec
net=$build/tests/capture/workload
out=$build/demo
mkdir -p "$out"
work=$(mktemp -d /tmp/sysrec-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT

cat >"$work/workload.sh" <<'EOS'
# files: make some, archive them, checksum the archive
mkdir -p "$1/data"
for i in 1 2 3; do head -c 200000 /dev/urandom >"$1/data/file$i"; done
tar -C "$1" -czf "$1/data.tgz" data
sha256sum "$1/data.tgz" >/dev/null
ls -l "$1/data" >/dev/null
cat /etc/hostname /nonexistent >/dev/null 2>&1 || true
sleep 1.2 # the recorder writes a chunk every second: the network part goes in another
# network: a TCP exchange with itself on 127.0.0.1
"$2" net >/dev/null
EOS

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "sysrec record -o $out/demo.sysrec -- sh workload.sh   (a real workload, recorded with BPF)"
"$sysrec" record -o "$out/demo.sysrec" -- sh "$work/workload.sh" "$work" "$net"

step "sysrec info $out/demo.sysrec"
"$sysrec" info "$out/demo.sysrec"

step "the same as JSON, through jq: records per type"
"$sysrec" info -j "$out/demo.sysrec" | jq -c .records

# Cut the file in the middle of its last chunk, as a crash or a full disk would leave it.
read -r size cut < <("$sysrec" info -j "$out/demo.sysrec" |
	jq -r '[.file_size, (.chunks[-1] | .offset + .stored_size / 2 | floor)] | @tsv')
head -c "$cut" "$out/demo.sysrec" >"$out/demo-cut.sysrec"
step "a copy cut at byte $cut of $size, inside its last chunk, as a crash would leave it"
"$sysrec" info "$out/demo-cut.sysrec" | head -4 || true

step "done: the traces are in $out/"
