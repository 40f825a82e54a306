#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# `make demo`: record a real host for a few seconds with the BPF recorder while a runc
# container (busybox, built here: no registry) and a workload (several processes, file I/O, a
# TCP exchange on 127.0.0.1) run; show what the trace holds; then show that a trace cut short
# (a crash, a full disk) still reads up to its last complete chunk.  Needs root.
# Usage: scripts/demo.sh BUILD_DIR   (the traces stay in BUILD_DIR/demo/)
set -euo pipefail

build=$(cd "${1:?usage: demo.sh BUILD_DIR}" && pwd)
sysrec=$build/replay/sysrec
net=$build/tests/capture/workload
out=$build/demo
mkdir -p "$out"
work=$(mktemp -d /tmp/sysrec-demo.XXXXXX)
ctr=sysrec-demo-$$
cleanup()
{
	runc delete -f "$ctr" >/dev/null 2>&1 || true
	# runc removes the container's cgroups, not their parent
	rmdir /sys/fs/cgroup/*/sysrec-demo /sys/fs/cgroup/sysrec-demo 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "a runc container '$ctr' (busybox rootfs built here) that reads a file in a loop"
b=$work/bundle
mkdir -p "$b/rootfs/bin" "$b/rootfs/etc" "$b/rootfs/proc"
cp /bin/busybox "$b/rootfs/bin/"
for a in sh cat sleep; do ln -s busybox "$b/rootfs/bin/$a"; done
echo demo-container >"$b/rootfs/etc/hostname"
(cd "$b" && runc spec && jq --arg cg "/sysrec-demo/$ctr" '.process.terminal = false
	| .process.args = ["sh", "-c", "while true; do cat /etc/hostname >/dev/null; sleep 0.2; done"]
	| .linux.cgroupsPath = $cg
	| .annotations = {"org.opencontainers.image.ref.name": "busybox-demo"}' \
	config.json >c.json && mv c.json config.json && runc run -d "$ctr" </dev/null >/dev/null 2>&1)
runc list

cat >"$work/workload.sh" <<'EOS'
# files: make some, archive them, checksum the archive
mkdir -p "$1/data"
for i in 1 2 3; do head -c 200000 /dev/urandom >"$1/data/file$i"; done
tar -C "$1" -czf "$1/data.tgz" data
sha256sum "$1/data.tgz" >/dev/null
ls -l "$1/data" >/dev/null
cat /etc/hostname /nonexistent >/dev/null 2>&1 || true
# network: a TCP exchange with itself on 127.0.0.1
"$2" net >/dev/null
EOS

step "sysrec record -d 3 --packets lo -o $out/demo.sysrec   (the whole host, while the workload runs)"
"$sysrec" record -d 3 --packets lo -o "$out/demo.sysrec" &
rec=$!
sleep 1
sh "$work/workload.sh" "$work" "$net"
wait "$rec"

step "sysrec info $out/demo.sysrec   (first lines and the container)"
"$sysrec" info "$out/demo.sysrec" | sed -n '1,11p;/^containers/,/^processes/p'

step "the same as JSON, through jq: records per type, the container, its processes"
"$sysrec" info -j "$out/demo.sysrec" | jq -c '.records, .containers,
	[.processes[] | select(.container_id != "") | {pid, comm, exe}][:4]'
step "processes of the workload, from the host"
"$sysrec" info -j "$out/demo.sysrec" |
	jq -r '.processes[] | select(.comm | test("^(tar|gzip|sha256sum|workload)$")) | "\(.pid) \(.comm) \(.exe)"'

step "sysrec replay: what the container did (its process started before the capture)"
"$sysrec" replay -q -n 6 "$out/demo.sysrec" "container.name=$ctr and evt.type in (openat, execve, procexec)"

step "sysrec replay -p: files the workload's tar and sha256sum opened (fd state rebuilt)"
"$sysrec" replay -q -p '%evt.time %proc.name (%proc.pid, parent %proc.pname) %evt.res %fd.name' \
	"$out/demo.sysrec" 'proc.name in (tar, sha256sum) and evt.type=openat and fd.name startswith /tmp'

step "sysrec replay: failed opens of the workload's cat"
"$sysrec" replay -q -n 3 "$out/demo.sysrec" \
	'proc.name=cat and evt.failed=true and evt.type=openat and not proc.cmdline contains while'

step "sysrec replay: the workload's TCP exchange on 127.0.0.1 (socket fds rebuilt from the calls)"
"$sysrec" replay -q -n 8 "$out/demo.sysrec" \
	'proc.name=workload and evt.type in (socket, bind, listen, connect, accept, accept4, sendto, recvfrom, write, read)'

step "the same exchange's packets on lo, on the same timeline (fd.* gives their 4-tuple)"
port=$("$sysrec" replay -q -p '%fd.dport' "$out/demo.sysrec" 'proc.name=workload and evt.type=connect' | head -1)
"$sysrec" replay -q -n 6 "$out/demo.sysrec" "(proc.name=workload and evt.type in (connect, accept, accept4)) or (evt.type=packet and (fd.sport=$port or fd.dport=$port))"
"$sysrec" replay -q --pcap "$out/workload.pcapng" "$out/demo.sysrec" "evt.type=packet and (fd.sport=$port or fd.dport=$port)"
if command -v tshark >/dev/null; then
	echo "tshark -r $out/workload.pcapng:"
	tshark -r "$out/workload.pcapng" 2>/dev/null | head -4
fi

step "sysrec replay -j | jq: syscalls per process of the workload, slowest first by total latency"
"$sysrec" replay -q -j -p '%proc.name %evt.latency' "$out/demo.sysrec" 'proc.name in (tar, gzip, sha256sum) and evt.latency exists' |
	jq -s -c 'group_by(."proc.name") | map({proc: .[0]."proc.name", calls: length,
		ms: ((map(."evt.latency") | add) / 1e6 | floor)}) | sort_by(-.ms)'

step "chisels: syscall_stats of the workload's tar, the process tree, top processes by CPU"
"$sysrec" replay -q -c syscall_stats "$out/demo.sysrec" proc.name=tar | head -8
"$sysrec" replay -q -c proc_tree "$out/demo.sysrec" "container.name=host and proc.aname[1] exists" |
	grep -A12 'workload.sh' || true
"$sysrec" replay -q -c 'topprocs_cpu 5' "$out/demo.sysrec"

step "sysrec replay -w: the container's events alone, in a self-contained file"
"$sysrec" replay -q -w "$out/container.sysrec" "$out/demo.sysrec" "container.name=$ctr"
"$sysrec" info "$out/container.sysrec" | sed -n '1,4p;/^containers/,$p' | head -12

# Cut the file in the middle of its last chunk, as a crash or a full disk would leave it.
read -r size cut < <("$sysrec" info -j "$out/demo.sysrec" |
	jq -r '[.file_size, (.chunks[-1] | .offset + .stored_size / 2 | floor)] | @tsv')
head -c "$cut" "$out/demo.sysrec" >"$out/demo-cut.sysrec"
step "a copy cut at byte $cut of $size, inside its last chunk, as a crash would leave it"
"$sysrec" info "$out/demo-cut.sysrec" | sed -n '1,4p' || true

step "done: the traces are in $out/"
