#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# replay's packet modules, no root: test_pcap_out checks decoding, filters and the writers
# (reading its files back with libpcap) and writes OUT.pcap and OUT.pcapng; then tshark, an
# oracle that shares no code with sysrec, reads both: interface names and descriptions
# (pcapng), SLL2 interface index, packet type and direction, addresses, ports, payload bytes,
# lengths and nanosecond stamps must be those test_pcap_out wrote (its _make_pkts()).
# Usage: test_pcap.sh TEST_PCAP_OUT [-v] [-k]
# Exit status: 0 pass, 1 a check failed (a FAIL: line each), 77 tshark is missing.
set -uo pipefail
bin=$1
# shellcheck source=../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
harness_init pcap "${2:-}" "${3:-}"

if ! "$bin" "$tmp/out.pcap" "$tmp/out.pcapng"; then
	echo "FAIL: test_pcap_out failed (its report is above)"
	exit 1
fi
for t in tshark capinfos; do
	command -v "$t" >/dev/null || { echo "SKIP: $t is missing"; exit 77; }
done
hex=$(printf 'hello sysrec' | od -An -tx1 | tr -d ' \n')

fields=(frame.interface_name frame.interface_description frame.packet_flags_direction
	sll.ifindex sll.hatype sll.pkttype ip.src ipv6.src tcp.srcport tcp.dstport tcp.flags.str
	udp.dstport icmp.type frame.len frame.time_epoch tcp.payload data.data)
# fields FILE: one line per packet, '|' between fields
fields()
{
	local args=() f
	for f in "${fields[@]}"; do args+=(-e "$f"); done
	tshark -r "$1" -T fields -E separator='|' -E occurrence=f "${args[@]}" 2>"$tmp/tshark.err"
}

# the SLL2 and IP part, the same in both files: _make_pkts() in test_pcap_out.c
sll=(
	"1|772|4|127.0.0.1||41234|8080|··········S·|||60|1700000000.123456789||"
	"1|772|4|127.0.0.1||41234|8080|·······AP···|||72|1700000000.123457789|$hex|"
	"2|1|0|10.88.0.1||50000|8080|·······AP···|||72|1700000000.123458789|$hex|"
	"2|1|4|10.88.0.2||||||8|48|1700000000.123459789||"
	"1|772|4||fd00::2||||40001||80|1700000000.123460789||$hex"
)
# pcapng adds the interface (name, description) and the direction (epb_flags: 1 inbound,
# 2 outbound)
ng=(
	"lo|host|0x00000002"
	"lo|host|0x00000002"
	"eth0|container web (1a2b3c4d5e6f)|0x00000001"
	"eth0|container web (1a2b3c4d5e6f)|0x00000002"
	"if1||0x00000002"
)
want_pcap="" want_ng=""
for i in "${!sll[@]}"; do
	want_pcap+="|||${sll[$i]}"$'\n'
	want_ng+="${ng[$i]}|${sll[$i]}"$'\n'
done

for f in "$tmp/out.pcap" "$tmp/out.pcapng"; do
	if tshark -r "$f" >/dev/null 2>"$tmp/tshark.err"; then ok; else
		bad "tshark -r $f: $(cat "$tmp/tshark.err")"; fi
	if capinfos "$f" >"$tmp/capinfos" 2>&1; then ok; else
		bad "capinfos $f: $(cat "$tmp/capinfos")"; fi
	eq "$(basename "$f") mode" "$(stat -c %a "$f")" 600
	grep -q 'Linux cooked-mode capture v2' "$tmp/capinfos" && ok ||
		bad "$(basename "$f"): capinfos does not see LINUX_SLL2: $(cat "$tmp/capinfos")"
	grep -qE '^Number of packets: +5$' "$tmp/capinfos" && ok ||
		bad "$(basename "$f"): capinfos does not count 5 packets: $(cat "$tmp/capinfos")"
done
eq "out.pcap as tshark reads it" "$(fields "$tmp/out.pcap")" "${want_pcap%$'\n'}"
eq "out.pcapng as tshark reads it" "$(fields "$tmp/out.pcapng")" "${want_ng%$'\n'}"
capinfos "$tmp/out.pcapng" >"$tmp/capinfos" 2>&1
grep -qE '^Capture application: +sysrec$' "$tmp/capinfos" && ok ||
	bad "out.pcapng: shb_userappl is not 'sysrec': $(cat "$tmp/capinfos")"
grep -qE '^Number of interfaces in file: +3$' "$tmp/capinfos" && ok ||
	bad "out.pcapng: 3 interface blocks expected: $(cat "$tmp/capinfos")"
grep -q 'Time precision = nanoseconds (9)' "$tmp/capinfos" && ok ||
	bad "out.pcapng: interfaces should have nanosecond stamps: $(cat "$tmp/capinfos")"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && exit 0
exit 1
