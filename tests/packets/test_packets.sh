#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# record --packets end to end, root: a TCP exchange on the host's loopback and one inside a
# runc container (its own network namespace); the packets line up with the socket syscalls
# (4-tuples), carry the bytes the program sent, are tagged with their interface, direction
# and container; replay --pcap files (pcap and pcapng) are read by tshark, which sees the
# same bytes; --packet-filter at record and replay; drops are counted when the recorder
# cannot keep up (it is stopped while a flood fills the socket buffer); bad options refuse.
# Usage: test_packets.sh SYSREC PINGPONG_SOURCE [-v] [-k]
set -uo pipefail
sysrec=$1 src=$2
. "$(dirname "$0")/../lib/harness.sh"
harness_init packets "${3:-}" "${4:-}"
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (BPF, packet sockets, runc)"
	exit 77
fi
for t in gcc jq tshark; do
	command -v "$t" >/dev/null || { echo "SKIP: $t is missing"; exit 77; }
done
pp=$tmp/pingpong
gcc -static -O2 -o "$pp" "$src" || { echo "SKIP: cannot link a static binary"; exit 77; }
msg="hello sysrec $$"
hex=$(printf '%s' "$msg" | od -An -tx1 | tr -d ' \n')

# 1. the host's loopback
"$sysrec" record -o "$tmp/h.sysrec" --packets -- "$pp" tcp 18461 "$msg" >"$tmp/h.out" 2>"$tmp/h.err"
eq "pingpong answered" "$(cat "$tmp/h.out")" "pong:$msg"
grep -q 'packets from 1 network namespace; 0 lost' "$tmp/h.err" && ok ||
	bad "record's packet summary: $(cat "$tmp/h.err")"
t=$tmp/h.sysrec
port='(fd.sport=18461 or fd.dport=18461)'
n=$("$sysrec" replay -q --count "$t" "evt.type=packet and $port")
[ "$n" -ge 8 ] && ok || bad "a TCP exchange should give >= 8 packets on lo, got $n"
eq "interface and direction" "$("$sysrec" replay -q -p '%pkt.iface %pkt.dir %container.name' "$t" \
	"evt.type=packet and $port" | sort -u)" "lo in host"
# the payload the client wrote is in a packet to the server's port, and the answer back
eq "client payload" "$("$sysrec" replay -q -p '%pkt.payload' "$t" \
	"evt.type=packet and fd.dport=18461 and pkt.payload exists" | head -1)" "$msg"
eq "server answer" "$("$sysrec" replay -q -p '%pkt.payload' "$t" \
	"evt.type=packet and fd.sport=18461 and pkt.payload exists" | head -1)" "pong:$msg"
# 4-tuples: the client's connect names the same ports and addresses as its SYN packet
conn=$("$sysrec" replay -q -p '%fd.sip %fd.sport %fd.dip %fd.dport' "$t" \
	'evt.type=connect and fd.dport=18461')
syn=$("$sysrec" replay -q -p '%fd.sip %fd.sport %fd.dip %fd.dport' "$t" \
	"evt.type=packet and fd.dport=18461 and pkt.summary contains '[S]'")
eq "connect's 4-tuple is the SYN's" "$syn" "$conn"
[ -n "$conn" ] && ok || bad "no connect to port 18461 in the trace"
# the timeline: the SYN comes after connect entered and before it returned
syn_ts=$("$sysrec" replay -q -p '%evt.ts' "$t" "evt.type=packet and pkt.summary contains '[S]' and fd.dport=18461")
conn_end=$("$sysrec" replay -q -p '%evt.ts %evt.latency' "$t" 'evt.type=connect and fd.dport=18461')
awk -v s="$syn_ts" -v e="${conn_end% *}" -v l="${conn_end#* }" \
	'BEGIN { exit !(s <= e && s >= e - l) }' && ok ||
	bad "the SYN ($syn_ts) is not within connect ($conn_end)"
# text and JSON show a summary
"$sysrec" replay -q "$t" "evt.type=packet and $port" >"$tmp/h.txt"
grep -q "packet iface=lo dir=in len=[0-9]* pkt=TCP 127.0.0.1:[0-9]* > 127.0.0.1:18461 \[S\]" "$tmp/h.txt" && ok ||
	bad "text output: $(head -2 "$tmp/h.txt")"
"$sysrec" replay -q -j "$t" "evt.type=packet and $port" >"$tmp/h.json"
jq -e -s 'length >= 8 and all(.[]; ."evt.type" == "packet" and ."evt.args".iface == "lo" and
	(."evt.args".len | type) == "number" and (."evt.args".pkt | startswith("TCP 127.0.0.1:")))' \
	"$tmp/h.json" >/dev/null && ok || bad "JSON packets: $(head -c 300 "$tmp/h.json")"

# 2. export: tshark reads both formats and sees the bytes the application sent
for f in h.pcapng h.pcap; do
	"$sysrec" replay -q --pcap "$tmp/$f" "$t" "$port" 2>"$tmp/x.err" || bad "--pcap $f: $(cat "$tmp/x.err")"
	eq "$f: packets written" "$(cat "$tmp/x.err")" "sysrec: wrote $n packets to '$tmp/$f'"
	eq "$f: tshark counts" "$(tshark -r "$tmp/$f" 2>/dev/null | wc -l)" "$n"
	eq "$f: tshark sees the client's bytes" "$(tshark -r "$tmp/$f" -Y 'tcp.dstport == 18461 && tcp.len > 0' \
		-T fields -e tcp.payload 2>/dev/null | tr -d ':' | head -1)" "$hex"
	eq "$f: tshark sees the tuple" "$(tshark -r "$tmp/$f" -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' \
		-T fields -e ip.src -e tcp.srcport -e ip.dst -e tcp.dstport 2>/dev/null | tr '\t' ' ')" "$conn"
done
eq "pcapng: interface named" "$(tshark -r "$tmp/h.pcapng" -T fields -e frame.interface_name \
	-e frame.interface_description 2>/dev/null | sort -u | cut -d, -f1)" "$(printf 'lo\thost')"
# --packet-filter at replay, with a sysrec filter
eq "replay --packet-filter" "$("$sysrec" replay -q --count --packet-filter 'tcp[tcpflags] & tcp-syn != 0' \
	"$t" "evt.type=packet and $port")" 2

# 3. --packet-filter at record: only the matching port is kept
"$sysrec" record -o "$tmp/f.sysrec" --packets lo --packet-filter 'tcp port 18463' -- sh -c \
	"'$pp' tcp 18462 a >/dev/null && '$pp' tcp 18463 b >/dev/null" 2>"$tmp/f.err" ||
	bad "record --packet-filter: $(cat "$tmp/f.err")"
eq "record --packet-filter keeps only its port" "$("$sysrec" replay -q -p '%fd.sport %fd.dport' \
	"$tmp/f.sysrec" evt.type=packet | tr ' ' '\n' | grep -c -v '^18463$')" \
	"$("$sysrec" replay -q --count "$tmp/f.sysrec" evt.type=packet)"
[ "$("$sysrec" replay -q --count "$tmp/f.sysrec" 'evt.type=packet and (fd.sport=18462 or fd.dport=18462)')" = 0 ] &&
	[ "$("$sysrec" replay -q --count "$tmp/f.sysrec" 'evt.type=packet and fd.dport=18463')" -ge 4 ] && ok ||
	bad "record --packet-filter: the other port is kept, or this one is not"

# 4. a runc container: its own network namespace, its packets tagged with it
if command -v runc >/dev/null; then
	ctr=sysrec-packets-$$
	b=$tmp/bundle
	mkdir -p "$b/rootfs/bin" "$b/rootfs/proc"
	cp "$pp" "$b/rootfs/bin/pingpong"
	(cd "$b" && runc spec && jq --arg cg "/sysrec-packets/$ctr" '.process.terminal = false
		| .process.args = ["/bin/pingpong", "tcp", "18464", "in a container"]
		| .linux.cgroupsPath = $cg' config.json >c.json && mv c.json config.json)
	cleanups+=("runc delete -f $ctr" "rmdir /sys/fs/cgroup/*/sysrec-packets/$ctr /sys/fs/cgroup/*/sysrec-packets")
	# created first (its namespaces exist), recorded, then started: the exchange is inside
	runc create --bundle "$b" "$ctr" </dev/null >/dev/null 2>&1 || note "runc create failed"
	"$sysrec" record -o "$tmp/c.sysrec" --packets --container "$ctr" -d 3 2>"$tmp/c.err" &
	rec=$!
	sleep 1.5
	runc start "$ctr" >/dev/null 2>&1 || bad "runc start failed"
	wait "$rec" || bad "record --container --packets: $(cat "$tmp/c.err")"
	c=$tmp/c.sysrec
	eq "container: packets tagged with it" "$("$sysrec" replay -q -p '%container.name %pkt.iface' "$c" \
		'evt.type=packet and fd.dport=18464' | sort -u)" "$ctr lo"
	eq "container: its payload" "$("$sysrec" replay -q -p '%pkt.payload' "$c" \
		'evt.type=packet and fd.dport=18464 and pkt.payload exists' | head -1)" "in a container"
	eq "container: no host packets" "$("$sysrec" replay -q --count "$c" 'evt.type=packet and container.name=host')" 0
	"$sysrec" replay -q --pcap "$tmp/c.pcapng" "$c" "container.name=$ctr" 2>/dev/null
	tshark -r "$tmp/c.pcapng" -T fields -e frame.interface_description 2>/dev/null | sort -u >"$tmp/c.desc"
	grep -q "^container $ctr (" "$tmp/c.desc" && ok || bad "pcapng interface description: $(cat "$tmp/c.desc")"
	eq "container: tshark sees its bytes" "$(tshark -r "$tmp/c.pcapng" -Y 'tcp.dstport == 18464 && tcp.len > 0' \
		-T fields -e tcp.payload 2>/dev/null | tr -d ':' | head -1)" \
		"$(printf 'in a container' | od -An -tx1 | tr -d ' \n')"
	# a slice of the container's packets keeps their container
	"$sysrec" replay -q -w "$tmp/slice.sysrec" "$c" "evt.type=packet and container.name=$ctr"
	eq "slice: packets keep their container" "$("$sysrec" replay -q -p '%container.name' \
		"$tmp/slice.sysrec" evt.type=packet | sort -u)" "$ctr"
else
	note "runc is missing: the container part is skipped"
fi

# 5. drops: the recorder is stopped while 20000 datagrams of 1400 bytes (28 MB) are sent
# into its 1 MB socket buffer; what was not recorded is counted, nothing is lost silently
"$sysrec" record -o "$tmp/d.sysrec" --packets lo --packet-filter 'udp port 18465' --packet-buffer 1 \
	--packet-snaplen 1500 -d 4 2>"$tmp/d.err" &
rec=$!
sleep 1.5
kill -STOP $rec
"$pp" udp 18465 20000 1400 >"$tmp/d.out"
kill -CONT $rec
wait $rec || bad "record under a flood: $(cat "$tmp/d.err")"
got=$("$sysrec" replay -q --count "$tmp/d.sysrec" evt.type=packet)
lost=$(sed -n 's/.*packets (socket buffer or queue full) \([0-9]*\)/\1/p' <("$sysrec" info "$tmp/d.sysrec"))
[ "${lost:-0}" -gt 0 ] && ok || bad "no packet drops counted under a flood (got $got packets)"
[ $((got + ${lost:-0})) -ge 19900 ] && [ "$got" -gt 0 ] && ok ||
	bad "recorded $got + lost ${lost:-0} packets, sent $(cat "$tmp/d.out")"

# 6. bad options: one line, exit 2, before anything is loaded
for args in "--packet-filter 'tcp port'" "--packets bad/name" "--packet-snaplen 5" "--packet-buffer 0"; do
	rc=$(eval run_rc "$tmp/o" "$tmp/e" "$sysrec" record -o "$tmp/bad.sysrec" --packets $args -- true)
	eq "record $args: exit" "$rc" 2
	one_line "record $args" "$tmp/e" 'sysrec:'
done
rc=$(run_rc "$tmp/o" "$tmp/e" "$sysrec" replay --pcap "$tmp/x.pcap" --packet-filter 'port' "$t")
eq "replay bad --packet-filter: exit" "$rc" 2
one_line "replay bad --packet-filter" "$tmp/e" "bad packet filter"
rc=$(run_rc "$tmp/o" "$tmp/e" "$sysrec" replay --pcap /nonexistent/dir/x.pcap "$t")
eq "replay --pcap into a missing directory: exit" "$rc" 1
one_line "replay --pcap into a missing directory" "$tmp/e" "cannot create"

echo "$pass checks passed, $fail failed"
[ "$fail" = 0 ]
