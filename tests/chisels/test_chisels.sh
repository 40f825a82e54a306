#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 'COND && ok || bad ...' is meant throughout: ok never fails.
# shellcheck disable=SC2015
#
# End-to-end tests of the chisels: every stock chisel runs on a real recorded workload
# (chisel_workload.c, whose I/O sizes, failures, children and exit codes are fixed by its code)
# and its numbers are checked against what the workload is known to have done, against strace
# run on a second copy of the same program (-f -yy: per-syscall counts, errors and file bytes
# per path and process), against the spinner's own CLOCK_PROCESS_CPUTIME_ID, and against a real
# container doing known work.  External chisels are built here from C (chisels/examples/opens.c
# and ABI variants) and loaded as .so files.
#
# Usage: test_chisels.sh SYSREC WORKLOAD [SECTION]
#   SECTION: files net cpu syscalls procs abi args containers (default: all of them in turn)
# The main trace and the strace log are recorded once and kept next to WORKLOAD
# (chisels-cache/, re-recorded when sysrec, the workload or this script change); sections that
# run at once wait for each other's recording.
# Exit status: 0 pass, 1 a check failed, 77 skipped (not root, a tool missing, no container
# runtime works): every skip says why on stdout.
# CH_KEEP=1 keeps the temporary directory; CH_VERBOSE=1 shows every comparison that passed;
# CH_CONTAINER_RUNTIME=runc uses runc rather than podman for the container section.
set -Eeuo pipefail

sysrec=$(realpath "$1")
workload=$(realpath "$2")
section=${3:-all}
self=$(realpath "${BASH_SOURCE[0]}")
here=$(dirname "$self")
src=$(realpath "$here/../..")
sections="files net cpu syscalls procs abi args containers"

if [ "$section" = all ]; then
	rc_all=0
	for s in $sections; do
		rc=0
		"$self" "$sysrec" "$workload" "$s" || rc=$?
		case $rc in 0 | 77) ;; *) rc_all=1 ;; esac
	done
	exit "$rc_all"
fi
case " $sections " in *" $section "*) ;; *)
	echo "usage: $0 SYSREC WORKLOAD [$(echo "$sections" | tr ' ' '|')]"; exit 2 ;;
esac

skip() { echo "SKIP: $section: $*"; exit 77; }

[ "$(id -u)" = 0 ] || skip "chisel end-to-end tests record with the BPF driver and need root; run them as root, as CI does"
for tool in strace flock md5sum awk "${CC:-cc}"; do
	command -v "$tool" >/dev/null || skip "'$tool' is not installed (the tests need it)"
done

# shellcheck source=../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
harness_init chisels "${CH_VERBOSE:-}" "${CH_KEEP:-}"
# within DESCRIPTION GOT WANT PERCENT: |GOT - WANT| <= PERCENT% of WANT (integers)
within()
{
	if awk -v g="$2" -v w="$3" -v p="$4" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(d <= w * p / 100) }'; then
		ok
		[ -z "${CH_VERBOSE:-}" ] || echo "ok: $1: $2 within $4% of $3"
	else
		bad "$1: $2 is not within $4% of $3"
	fi
}

# ch SPEC [FILE] [FILTER...]: the output of `sysrec replay -c SPEC`, which must succeed quietly.
ch()
{
	local spec=$1 rc
	shift
	rc=$(run_rc "$tmp/ch.out" "$tmp/ch.err" "$sysrec" replay -q -c "$spec" "${@:-$T}")
	if [ "$rc" != 0 ] || [ -s "$tmp/ch.err" ]; then
		bad "replay -c '$spec' $*: exit $rc: $(head -c 2000 "$tmp/ch.err")"
	fi
	cat "$tmp/ch.out"
}
# The rows of a chisel's table (without the two header lines), blanks squeezed.
rows() { tail -n +3 | tr -s ' ' | sed 's/^ //; s/ $//'; }
replay() { "$sysrec" replay -q "$@"; }

# hb BYTES: BYTES as the chisels print them (chisels/stock/agg.c agg__bytes: binary units)
hb()
{
	awk -v v="$1" 'BEGIN { d = v + 0; u = 0; while (d >= 1024 && u < 6) { d /= 1024; u++ }
		if (u == 0) printf "%sB\n", v; else printf "%.2f%sB\n", d, substr("KMGTPE", u, 1) }'
}
# dur NS: a duration as the chisels print it (agg__duration)
dur()
{
	awk -v v="$1" 'BEGIN { if (v < 1000) printf "%dns\n", v; else if (v < 1e6) printf "%.2fus\n", v / 1e3;
		else if (v < 1e9) printf "%.2fms\n", v / 1e6; else printf "%.3fs\n", v / 1e9 }'
}
# ns TEXT: "601.74ms" (a duration the chisels printed) back to ns (rounded)
ns()
{
	awk -v t="$1" 'BEGIN { n = t + 0; u = t; sub(/^[0-9.]+/, "", u)
		m = u == "s" ? 1e9 : u == "ms" ? 1e6 : u == "us" ? 1e3 : 1; printf "%.0f\n", n * m }'
}

# record OUT [RECORD OPTIONS] -- COMMAND...: sysrec record; its failure fails the test.
record()
{
	local out=$1
	shift
	if ! "$sysrec" record -o "$out" "$@" >"$out.stdout" 2>"$out.err" 9>&-; then
		echo "FAIL: sysrec record $* failed: $(cat "$out.err")"
		exit 1
	fi
	if ! grep -q ' 0 events lost' "$out.err"; then
		echo "FAIL: the capture lost events, exact comparisons are impossible: $(cat "$out.err")"
		exit 1
	fi
}

# strace_calls LOG: every completed syscall of an `strace -f -yy` log, one a line:
# "PID NAME FDPATH RESULT ERRNO" (FDPATH and ERRNO "-" when there are none); unfinished calls
# are joined with their resumption.
strace_calls()
{
	awk '{
		pid = $1; line = $0; sub(/^[0-9]+ +/, "", line)
		if (line ~ /^<\.\.\. [a-z0-9_]+ resumed>/) {
			sub(/^<\.\.\. [a-z0-9_]+ resumed>/, "", line)
			line = pend[pid] line
			delete pend[pid]
		} else if (line ~ /<unfinished \.\.\.>$/) {
			sub(/ *<unfinished \.\.\.>$/, "", line)
			pend[pid] = line
			next
		}
		if (line !~ /^[a-z0-9_]+\(/) next
		name = line; sub(/\(.*/, "", name)
		path = "-"
		if (match(line, /^[a-z0-9_]+\([0-9]+<[^>]*>/)) {
			path = substr(line, RSTART, RLENGTH); sub(/^[^<]*</, "", path); sub(/>$/, "", path)
		}
		n = split(line, parts, / = /)
		if (n < 2) next
		split(parts[n], r, " ")
		if (r[2] ~ /^ERESTART/) next   # interrupted by a signal and restarted: timing, not code
		print pid, name, path, r[1], (r[2] ~ /^E[A-Z0-9_]+$/ ? r[2] : "-")
	}' "$1"
}

# ---------------------------------------------------------------------------------------------
# The main workload: recorded once ($T, its directory $D), and run once more under strace
# ($SL, its directory $D2).  Pids by role: P SP CP SPIN E0 E3 K9 ECHO (of the recorded run),
# and the same roles of the strace run in S_PID[role].

prepare()
{
	local cache stamp
	cache=$(dirname "$workload")/chisels-cache
	mkdir -p "$cache"
	exec 9>"$cache/.lock"
	flock 9
	stamp=$(cat "$sysrec" "$workload" "$self" | md5sum | cut -d ' ' -f 1)
	if [ "$(cat "$cache/stamp" 2>/dev/null || true)" != "$stamp" ] || [ ! -s "$cache/t.sysrec" ]; then
		rm -rf "$cache/d" "$cache/d2" "$cache/t.sysrec"* "$cache/strace.log" "$cache/stamp"
		mkdir "$cache/d" "$cache/d2"
		(cd "$cache" && record "$cache/t.sysrec" -- "$workload" main "$cache/d")
		(cd "$cache" && strace -f -qq -yy -o "$cache/strace.log" "$workload" main "$cache/d2" 9>&-) ||
			{ echo "FAIL: the workload failed under strace"; exit 1; }
		rm -f "$cache/d/big.dat" "$cache/d2/big.dat" # 10 MiB each; only the names matter
		echo "$stamp" >"$cache/stamp"
	fi
	flock -u 9
	exec 9>&-
	T=$cache/t.sysrec
	D=$cache/d
	D2=$cache/d2
	SL=$cache/strace.log
	pid_of() { awk -v r="$2" '$1 == r { print $2 }' "$1/pids"; }
	P=$(pid_of "$D" main) SP=$(pid_of "$D" server) CP=$(pid_of "$D" client)
	SPIN=$(pid_of "$D" spin) E0=$(pid_of "$D" exit0) E3=$(pid_of "$D" exit3)
	K9=$(pid_of "$D" kill9) ECHO=$(pid_of "$D" echo)
	if [ -z "$P" ] || [ -z "$ECHO" ] || [ -z "$(pid_of "$D2" echo)" ]; then
		echo "FAIL: the workload did not write its pids: $(cat "$D/pids" "$D2/pids" 2>&1)"
		exit 1
	fi
	declare -gA S_PID=() ROLE_OF=()
	local role
	for role in main server client spin exit0 exit3 kill9 echo; do
		S_PID[$role]=$(pid_of "$D2" "$role")
		ROLE_OF[${S_PID[$role]}]=$role
		ROLE_OF[$(pid_of "$D" "$role")]=$role
	done
	strace_calls "$SL" >"$tmp/calls.txt"
}

# role_map: replaces the pids of both runs in stdin with their roles ("main", "echo", ...)
role_map()
{
	local args=() p
	for p in "${!ROLE_OF[@]}"; do args+=(-e "s/\\b$p\\b/${ROLE_OF[$p]}/g"); done
	sed "${args[@]}"
}

# ---------------------------------------------------------------------------------------------
# files: topfiles_bytes, topfiles_time, topprocs_file, fdbytes_by, iobytes, spy_file, echo_fds

section_files()
{
	prepare
	local big=$D/big.dat out want

	# strace -yy: bytes per file (resolved path, the strace run's directory named as the
	# recorded one's) and per process, of read/write/pread64/pwrite64/readv/writev
	awk -v d2="$D2/" -v d="$D/" '$2 ~ /^(read|write|pread64|pwrite64|readv|writev)$/ && $3 ~ /^\// && $4 >= 0 {
		p = $3; if (index(p, d2) == 1) p = d substr(p, length(d2) + 1); bytes[p] += $4; byproc[$1] += $4 }
		END { for (p in bytes) print "F", bytes[p], p; for (p in byproc) print "P", byproc[p], p }' \
		"$tmp/calls.txt" >"$tmp/file_bytes.txt"
	eq "strace: bytes of the workload on big.dat" "$(awk -v f="$big" '$1 == "F" && $3 == f { print $2 }' "$tmp/file_bytes.txt")" \
		$((2 * 10 * 1048576))

	# topfiles_bytes: the 10 MiB written and read back is the top row, 20.00MB; every row is
	# what strace counted for that file in the other run
	out=$(ch 'topfiles_bytes 0' | rows)
	eq "topfiles_bytes: top row" "$(head -n 1 <<<"$out")" "20.00MB $big"
	eq "topfiles_bytes: every file, against strace -yy (resolved paths)" \
		"$(while read -r v f; do echo "$v $(realpath -m "$f")"; done <<<"$out" | sort -k 2)" \
		"$(awk '$1 == "F" { print $2, $3 }' "$tmp/file_bytes.txt" | while read -r v f; do echo "$(hb "$v") $f"; done | sort -k 2)"
	eq "topfiles_bytes: marker.txt, pids, spin.cpu, echo.out: their sizes on disk" \
		"$(grep -E " $D/(marker.txt|pids|spin.cpu|echo.out)$" <<<"$out" | sort -k 2)" \
		"$(for f in echo.out marker.txt pids spin.cpu; do echo "$(stat -c %s "$D/$f")B $D/$f"; done)"
	eq "topfiles_bytes 2: two rows" "$(ch 'topfiles_bytes 2' | rows | wc -l)" 2
	eq "topfiles_bytes (default 10): at most 10 rows" "$(ch topfiles_bytes | rows | wc -l)" \
		"$(($(wc -l <<<"$out") < 10 ? $(wc -l <<<"$out") : 10))"
	eq "topfiles_bytes with a filter: the main process's files" \
		"$(ch topfiles_bytes "$T" "proc.pid=$P and fd.name startswith $D/" | rows)" \
		"20.00MB $big
$(stat -c %s "$D/pids")B $D/pids
11B $D/marker.txt"
	eq "topfiles_bytes: header" "$(ch topfiles_bytes | head -n 1 | tr -s ' ')" "Bytes Filename"

	# fdbytes_by fd.name agrees with topfiles_bytes on files; by proc.pid, with topprocs_file
	out=$(ch 'fdbytes_by fd.name 0' | rows)
	eq "fdbytes_by fd.name: big.dat" "$(grep " $big\$" <<<"$out")" "20.00MB $big"
	eq "fdbytes_by fd.name: the files are topfiles_bytes's rows" \
		"$(grep -E ' /' <<<"$out" | sort -k 2)" "$(ch 'topfiles_bytes 0' | rows | sort -k 2)"
	eq "fdbytes_by fd.name: header names the field" "$(ch 'fdbytes_by fd.name' | head -n 1 | tr -s ' ')" "Bytes fd.name"
	eq "fdbytes_by proc.pid on big.dat" "$(ch 'fdbytes_by proc.pid' "$T" "fd.name=$big" | rows)" "20.00MB $P"
	eq "fdbytes_by evt.type on big.dat: 10 MiB each way" \
		"$(ch 'fdbytes_by evt.type' "$T" "fd.name=$big" | rows | sort)" "10.00MB read
10.00MB write"
	eq "fdbytes_by fd.name 1: one row" "$(ch 'fdbytes_by fd.name 1' | rows)" "20.00MB $big"

	# topprocs_file: per process, against strace's per-process file bytes (by role)
	eq "topprocs_file: every process, against strace -yy (pids as roles)" \
		"$(ch 'topprocs_file 0' | rows | role_map | sort -k 2)" \
		"$(awk '$1 == "P" { print $2, $3 }' "$tmp/file_bytes.txt" | role_map |
		   while read -r v r; do echo "$(hb "$v") $r $([ "$r" = echo ] && echo echo || echo chworkload)"; done | sort -k 2)"
	eq "topprocs_file: the main process is the top row, 20.00MB" "$(ch topprocs_file | rows | head -n 1)" "20.00MB $P chworkload"

	# topfiles_time: big.dat's time is the sum of the latencies of the calls on it
	local lat
	lat=$(replay -p '%evt.latency' "$T" "fd.name=$big and evt.latency exists" | awk '{ s += $1 } END { print s }')
	out=$(ch 'topfiles_time 0' | rows)
	eq "topfiles_time: big.dat, sum of evt.latency of its $(replay --count "$T" "fd.name=$big and evt.latency exists") calls" \
		"$(grep " $big\$" <<<"$out")" "$(dur "$lat") $big"
	eq "topfiles_time: big.dat's calls: 2 openat, 160 write, 160 read, 2 close" \
		"$(replay -p '%evt.type' "$T" "fd.name=$big and evt.latency exists" | sort | uniq -c | tr -s ' ' | sed 's/^ //')" \
		"2 close
2 openat
160 read
160 write"
	eq "topfiles_time: header" "$(ch topfiles_time | head -n 1 | tr -s ' ')" "Time Filename"
	# every row: the sum of its latencies
	want=$(replay -p '%evt.latency %fd.name' "$T" 'fd.type in (file, directory) and evt.latency exists' |
	       awk '{ t[$2] += $1 } END { for (f in t) print t[f], f }' | while read -r v f; do echo "$(dur "$v") $f"; done | sort -k 2)
	eq "topfiles_time 0: every row is the sum of evt.latency of its file" "$(sort -k 2 <<<"$out")" "$want"

	# iobytes: totals (file bytes against strace; the net bytes are the exchange's, both ends)
	local fr fw
	fr=$(awk '$2 ~ /^(read|pread64|readv)$/ && $3 ~ /^\// && $4 > 0 { s += $4 } END { print s }' "$tmp/calls.txt")
	fw=$(awk '$2 ~ /^(write|pwrite64|writev)$/ && $3 ~ /^\// && $4 > 0 { s += $4 } END { print s }' "$tmp/calls.txt")
	local net=$((1048576 + 65536))
	eq "iobytes: header and total (file read/write from strace, net: 1 MiB + 64 KiB each way)" \
		"$(ch iobytes | tr -s ' ' | sed 's/^ //')" \
		"file read file write net read net write
total $(hb "$fr") $(hb "$fw") $(hb "$net") $(hb "$net")"
	eq "iobytes with a filter: big.dat only" "$(ch iobytes "$T" "fd.name=$big" | tail -n 1 | tr -s ' ')" \
		"total 10.00MB 10.00MB 0B 0B"
	# per interval: each line is the bytes of the events in that 0.25 s of wall time (aligned
	# to multiples of 0.25 s), computed here from the events; the total is unchanged
	out=$(ch 'iobytes 0.25' | tr -s ' ' | sed 's/^ //')
	eq "iobytes 0.25: the same total" "$(tail -n 1 <<<"$out")" "$(ch iobytes | tail -n 1 | tr -s ' ' | sed 's/^ //')"
	want=$(replay -p '%evt.rawtime %evt.buflen %fd.type %evt.is_io_read' "$T" 'evt.is_io and fd.type in (file, ipv4, ipv6, unix)' |
	       awk '{ s = substr($1, 1, length($1) - 9) + 0; n = substr($1, length($1) - 8) + 0
		      b = s * 4 + int(n / 250000000); if (base == "") base = b; b -= base; last = b
		      k = ($3 == "file" ? 0 : 2) + ($4 == "true" ? 0 : 1); v[b, k] += $2 }
		    END { for (b = 0; b <= last; b++) print v[b, 0] + 0, v[b, 1] + 0, v[b, 2] + 0, v[b, 3] + 0 }' |
	       while read -r a b c d; do echo "$(hb "$a") $(hb "$b") $(hb "$c") $(hb "$d")"; done)
	eq "iobytes 0.25: one line per 0.25 s from the first event to the last, the bytes of its events" \
		"$(sed -n '2,$p' <<<"$out" | sed '$d' | cut -d ' ' -f 2-)" "$want"
	local bad_labels
	bad_labels=$(sed -n '2,$p' <<<"$out" | sed '$d' | grep -cvE '^[0-9]{2}:[0-9]{2}:[0-9]{2} ' || true)
	eq "iobytes 0.25: every line is labelled with a time of day" "$bad_labels" 0

	# spy_file with a glob: exactly the 160 writes and 160 reads of 64 KiB, in that order
	out=$(ch "spy_file '*/big.dat'")
	eq "spy_file '*/big.dat': lines" "$(wc -l <<<"$out")" 320
	eq "spy_file '*/big.dat': process, R/W, bytes, path, in order" \
		"$(cut -d ' ' -f 2- <<<"$out" | uniq -c | tr -s ' ' | sed 's/^ //')" \
		"160 chworkload($P) W 65536B $big
160 chworkload($P) R 65536B $big"
	eq "strace: reads and writes on big.dat" \
		"$(awk -v f="$D2/big.dat" '$3 == f && $2 ~ /^(read|write)$/ { print $2, $4 }' "$tmp/calls.txt" | uniq -c | tr -s ' ' | sed 's/^ //')" \
		"160 write 65536
160 read 65536"
	eq "spy_file: the spinner's one write" "$(ch spy_file "$T" "proc.pid=$SPIN" | cut -d ' ' -f 2-)" \
		"chworkload($SPIN) W $(stat -c %s "$D/spin.cpu")B $D/spin.cpu"
	eq "spy_file with a glob that matches nothing" "$(ch "spy_file '/nonexistent/*'")" ""
	eq "spy_file: every line starts with a time" \
		"$(ch spy_file "$T" "proc.pid=$P" | grep -cvE '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9} ' || true)" 0

	# echo_fds: the marker, and what echo wrote
	eq "echo_fds on marker.txt" "$(ch echo_fds "$T" "fd.name=$D/marker.txt")" \
		"------ Write 11B to $D/marker.txt (chworkload $P)
marker-7f3a"
	eq "echo_fds of echo's write" "$(ch echo_fds "$T" "proc.pid=$ECHO and evt.type=write")" \
		"------ Write 13B to $D/echo.out (echo $ECHO)
hello-chisel\\n"
	eq "echo_fds: the data of big.dat, cut at the snaplen (80)" \
		"$(ch echo_fds "$T" "fd.name=$big" | sed -n '1,2p')" \
		"------ Write 65536B to $big (chworkload $P)
$(printf 'C%.0s' $(seq 80))"
	eq "echo_fds: a header and a data line per call on big.dat" "$(ch echo_fds "$T" "fd.name=$big" | grep -c '^------ ')" 320
}

# ---------------------------------------------------------------------------------------------
# net: topprocs_net, topconns, netstat, fdbytes_by on sockets, iobytes on the exchange

section_net()
{
	prepare
	local up=1048576 down=65536 port conn out
	port=$(replay -p '%fd.lport' "$T" "proc.pid=$SP and evt.type=listen")
	[[ $port =~ ^[0-9]+$ ]] && ok || bad "the server's listen(): port '$port'"
	conn=$(replay -p '%fd.name' "$T" "proc.pid=$CP and evt.type=connect")
	[[ $conn =~ ^127\.0\.0\.1:[0-9]+-\>127\.0\.0\.1:$port$ ]] && ok || bad "the client's connection: '$conn'"
	eq "strace: the client sent 1 MiB and received 64 KiB, the server the reverse" \
		"$(awk -v c="${S_PID[client]}" -v s="${S_PID[server]}" '$2 ~ /^(read|write)$/ && $3 ~ /^TCP:/ && $4 > 0 && ($1 == c || $1 == s) {
			b[($1 == c ? "client " : "server ") $2] += $4 } END { for (k in b) print k, b[k] }' "$tmp/calls.txt" | sort)" \
		"client read $down
client write $up
server read $up
server write $down"

	eq "topprocs_net: the two ends, 1 MiB + 64 KiB each" "$(ch 'topprocs_net 0' | rows | sort -k 2)" \
		"$(for p in "$SP" "$CP"; do echo "$(hb $((up + down))) $p chworkload"; done | sort -k 2)"
	eq "topprocs_net: header" "$(ch topprocs_net | head -n 1 | tr -s ' ')" "Bytes PID Process"

	eq "topconns of the client: its connection, 1 MiB + 64 KiB" "$(ch topconns "$T" "proc.pid=$CP" | rows)" \
		"$(hb $((up + down))) $conn"
	eq "topconns: both ends of the connection under one name" "$(ch topconns | rows)" "$(hb $((2 * (up + down)))) $conn"
	eq "topconns: header" "$(ch topconns | head -n 1 | tr -s ' ')" "Bytes Connection (client->server)"

	out=$(ch netstat | tr -s ' ')
	eq "netstat: listener, server and client ends: roles, bytes each way, state, process" "$out" \
		"Proto Connection (client->server) Role Sent Received State PID/Program
tcp 127.0.0.1:$port LISTEN 0B 0B closed $SP/chworkload
tcp $conn server $(hb $down) $(hb $up) closed $SP/chworkload
tcp $conn client $(hb $up) $(hb $down) closed $CP/chworkload"
	eq "netstat with a filter: the client only" "$(ch netstat "$T" "proc.pid=$CP" | tail -n +2 | tr -s ' ')" \
		"tcp $conn client $(hb $up) $(hb $down) closed $CP/chworkload"

	eq "fdbytes_by fd.dport: the server's port" "$(ch 'fdbytes_by fd.dport' "$T" 'fd.type=ipv4' | rows)" \
		"$(hb $((2 * (up + down)))) $port"
	eq "fdbytes_by evt.type on sockets" "$(ch 'fdbytes_by evt.type' "$T" 'fd.type=ipv4' | rows | sort -k 2)" \
		"$(hb $((up + down))) read
$(hb $((up + down))) write"
	eq "fdbytes_by proc.pid on sockets" "$(ch 'fdbytes_by proc.pid' "$T" 'fd.type=ipv4' | rows | sort -k 2)" \
		"$(for p in "$SP" "$CP"; do echo "$(hb $((up + down))) $p"; done | sort -k 2)"
	eq "iobytes of the server" "$(ch iobytes "$T" "proc.pid=$SP" | tail -n 1 | tr -s ' ')" \
		"total 0B 0B $(hb $up) $(hb $down)"
	eq "iobytes of the client" "$(ch iobytes "$T" "proc.pid=$CP" | tail -n 1 | tr -s ' ')" \
		"total 0B 0B $(hb $down) $(hb $up)"
	eq "topcontainers_net: all on the host" "$(ch topcontainers_net | rows)" "$(hb $((2 * (up + down)))) host"
}

# ---------------------------------------------------------------------------------------------
# cpu: topprocs_cpu against the spinner's own measurement; topcontainers_cpu on the host

section_cpu()
{
	prepare
	local oracle row pct time span first last sum
	oracle=$(cat "$D/spin.cpu")
	[ "$oracle" -ge 600000000 ] && ok || bad "the spinner's CLOCK_PROCESS_CPUTIME_ID: $oracle ns"
	row=$(ch topprocs_cpu "$T" "proc.pid=$SPIN" | rows)
	read -r pct time _ <<<"$row"
	eq "topprocs_cpu of the spinner: one row, its pid and name" "$(cut -d ' ' -f 3- <<<"$row")" "$SPIN chworkload"
	time=${time#(}
	time=${time%)}
	within "topprocs_cpu: the spinner's CPU time ($time) against its CLOCK_PROCESS_CPUTIME_ID" "$(ns "$time")" "$oracle" 10
	# CPU % is of one CPU over the whole trace
	first=$("$sysrec" info "$T" | sed -nE 's/^time .*\(([0-9.]+) s\)$/\1/p')
	span=$(awk -v s="$first" 'BEGIN { printf "%.0f\n", s * 1e9 }')
	last=$(awk -v t="$(ns "$time")" -v s="$span" 'BEGIN { printf "%.2f\n", 100 * t / s }')
	awk -v p="$pct" -v e="$last" 'BEGIN { d = p - e; exit !(d <= 0.15 && d >= -0.15) }' && ok ||
		bad "topprocs_cpu: CPU% of the spinner ($pct) should be its time over the trace's $first s ($last)"
	eq "topprocs_cpu: the spinner is the top row" "$(ch topprocs_cpu | rows | head -n 1 | cut -d ' ' -f 3-)" \
		"$SPIN chworkload"
	eq "topprocs_cpu: header" "$(ch topprocs_cpu | head -n 1 | tr -s ' ')" "CPU% (time) PID Process"
	# every row: the sum of thread.cpu of its cpu events
	eq "topprocs_cpu 0: every row is the sum of its thread.cpu" \
		"$(ch 'topprocs_cpu 0' | rows | cut -d ' ' -f 2- | tr -d '()' | sort -k 2)" \
		"$(replay -p '%proc.pid %proc.name %thread.cpu' "$T" 'evt.type=cpu' |
		   awk '{ t[$1 " " $2] += $3 } END { for (k in t) print t[k], k }' |
		   while read -r v p n; do echo "$(dur "$v") $p $n"; done | sort -k 2)"
	# The spinner measured its CPU time, then opened, wrote and closed spin.cpu and exited:
	# its CPU time in the trace (up to its exit) is more than what it measured.
	local spin_ns
	spin_ns=$(replay -p '%thread.cpu' "$T" "proc.pid=$SPIN and evt.type=cpu" | awk '{ s += $1 } END { print s + 0 }')
	[ "$spin_ns" -gt "$oracle" ] && ok ||
		bad "the spinner's CPU time in the trace ($spin_ns ns) should exceed what it measured before its last syscalls ($oracle ns)"
	# Every process of the workload ran, so each used some CPU and has a cpu event (the last
	# one at its exit), even those that lived for microseconds.
	eq "cpu events: every process of the workload, with its CPU time" \
		"$(replay -p '%proc.pid' "$T" 'evt.type=cpu and thread.cpu > 0' | sort -u | role_map | sort | tr '\n' ' ')" \
		"client echo exit0 exit3 kill9 main server spin "
	sum=$(replay -p '%thread.cpu' "$T" 'evt.type=cpu' | awk '{ s += $1 } END { print s }')
	eq "topcontainers_cpu: one row, host, with all the CPU time" \
		"$(ch topcontainers_cpu | rows | sed -E 's/^[0-9.]+ \(([^)]*)\)/\1/')" "$(dur "$sum") host"
	[ "$sum" -ge "$oracle" ] && ok || bad "the host's CPU time $sum < the spinner's $oracle"
}

# ---------------------------------------------------------------------------------------------
# syscalls: syscall_stats and errors against strace

section_syscalls()
{
	prepare
	local m=${S_PID[main]} out want skip_re='^(execve|exit_group|rt_sigreturn)$'

	# Calls and errors per syscall of the main process (after its exec).
	want=$(awk -v p="$m" -v s="$skip_re" '$1 == p && $2 !~ s { c[$2]++; if ($5 != "-") e[$2]++ }
		END { for (k in c) print k, c[k], e[k] + 0 }' "$tmp/calls.txt" | sort)
	out=$(ch syscall_stats "$T" "proc.pid=$P and proc.name=chworkload and not evt.type in (execve, exit_group, rt_sigreturn) and not evt.res startswith ERESTART")
	eq "syscall_stats of the main process: calls and errors per syscall, against strace -f" \
		"$(rows <<<"$out" | grep -v '^total ' | cut -d ' ' -f 1-3 | sort)" "$want"
	eq "syscall_stats: write 162, read 162, openat 16 with 10 errors (the workload's code)" \
		"$(rows <<<"$out" | awk '$1 ~ /^(write|read|openat)$/ { print $1, $2, $3 }' | sort)" \
		"openat 16 10
read 162 0
write 162 0"
	eq "syscall_stats: the total row" "$(rows <<<"$out" | grep '^total ')" \
		"$(awk '{ c += $2; e += $3 } END { print "total", c, e }' <<<"$want")"
	eq "syscall_stats: header" "$(head -n 1 <<<"$out" | tr -s ' ')" "syscall calls errors total (ms) min (us) avg (us) max (us)"
	# latencies: the one 100 ms sleep; min <= avg <= max; total = avg * calls
	local row
	row=$(rows <<<"$out" | grep '^clock_nanosleep ')
	read -r _ c e tot mn avg mx <<<"$row"
	eq "syscall_stats: clock_nanosleep calls, errors" "$c $e" "1 0"
	awk -v t="$tot" -v a="$mn" -v b="$avg" -v x="$mx" 'BEGIN { exit !(a >= 100000 && a < 1000000 && a == b && b == x && t * 1000 - a < 1 && a - t * 1000 < 1) }' &&
		ok || bad "syscall_stats: the 100 ms nanosleep: total $tot ms, min/avg/max $mn/$avg/$mx us"
	awk '$1 != "total" && NF == 7 && $4 != "-" { d = $4 * 1000 - $6 * $2; if (d < 0) d = -d
		if (!($5 <= $6 + 0.001 && $6 <= $7 + 0.001 && d <= $2 * 0.0005 + 0.6)) { print; bad = 1 } } END { exit bad }' \
		<<<"$(rows <<<"$out")" >"$tmp/lat.bad" && ok ||
		bad "syscall_stats: rows where min <= avg <= max or total = avg * calls fails: $(cat "$tmp/lat.bad")"

	# hist: one log2 bucket for the sleep's latency; the buckets of write add up to its calls
	out=$(ch 'syscall_stats hist' "$T" "proc.pid=$P and proc.name=chworkload and evt.type in (clock_nanosleep, write)")
	local lat b lo hi
	lat=$(replay -p '%evt.latency' "$T" "proc.pid=$P and evt.type=clock_nanosleep")
	b=$(awk -v l="$lat" 'BEGIN { b = 0; while (b < 39 && l >= 2 ^ (b + 1)) b++; print b }')
	lo=$(awk -v b="$b" 'BEGIN { printf "%.0f\n", 2 ^ b }')
	hi=$(awk -v b="$b" 'BEGIN { printf "%.0f\n", 2 ^ (b + 1) - 1 }')
	eq "syscall_stats hist: the sleep ($lat ns) in bucket $lo -> $hi" \
		"$(sed -n '/^clock_nanosleep /,/^[a-z]/p' <<<"$out" | grep ' ns : ' | tr -s ' ' | sed 's/^ //')" \
		"$lo -> $hi ns : 1 |****************************************|"
	eq "syscall_stats hist: write's buckets add up to its 162 calls" \
		"$(sed -n '/^write /,/^total/p' <<<"$out" | grep ' ns : ' | awk '{ s += $6 } END { print s }')" 162
	eq "syscall_stats hist: the buckets of write, against evt.latency" \
		"$(sed -n '/^write /,/^total/p' <<<"$out" | grep ' ns : ' | awk '{ print $1, $3, $6 }')" \
		"$(replay -p '%evt.latency' "$T" "proc.pid=$P and proc.name=chworkload and evt.type=write" |
		   awk '{ b = 0; while (b < 39 && $1 >= 2 ^ (b + 1)) b++; n[b]++ }
			END { for (b = 0; b < 40; b++) if (n[b]) printf "%.0f %.0f %d\n", b ? 2 ^ b : 0, 2 ^ (b + 1) - 1, n[b] }')"

	# errors: every failed call of the workload's processes, by errno, syscall, process
	want=$(awk '$5 != "-" { print $5, $2, $1 }' "$tmp/calls.txt" | sort | uniq -c |
	       awk '{ print $1, $2, $3, $4 }' | role_map | sort)
	out=$(ch 'errors 0' "$T" 'not proc.name=sysrec and not evt.res startswith ERESTART')
	eq "errors: every failed call of the workload, against strace -f (pids as roles)" \
		"$(rows <<<"$out" | awk '{ print $1, $2, $3, $5 }' | role_map | sort)" "$want"
	eq "errors of the main process: ENOENT openat 7, EISDIR openat 3" \
		"$(rows <<<"$out" | awk -v p="$P" '$5 == p && $3 == "openat"')" \
		"7 ENOENT openat chworkload $P
3 EISDIR openat chworkload $P"
	eq "errors: header" "$(head -n 1 <<<"$out" | tr -s ' ' | sed 's/^ //')" "Count Error Syscall Process PID"
	eq "errors 1: one row, the most frequent" "$(ch 'errors 1' "$T" 'not proc.name=sysrec' | rows)" "$(rows <<<"$out" | head -n 1)"
	eq "errors with a filter: the main process only" "$(ch errors "$T" "proc.pid=$P and proc.name=chworkload" | rows | awk '{ print $5 }' | sort -u)" "$P"
}

# ---------------------------------------------------------------------------------------------
# procs: proc_tree and spy_users

section_procs()
{
	prepare
	local out want p role t
	out=$(ch proc_tree)
	# the main process at the root, its seven children one level down, each as it ended
	want="$P $workload main $D  [exit 0,
  \`- $SP $workload main $D  [exit 0,
  \`- $CP $workload main $D  [exit 0,
  \`- $SPIN $workload main $D  [exit 0,
  \`- $E0 $workload main $D  [exit 0,
  \`- $E3 $workload main $D  [exit 3,
  \`- $K9 $workload main $D  [killed by signal 9,
  \`- $ECHO echo hello-chisel  [exit 0,"
	eq "proc_tree: the tree, command lines, exit codes and the signal" \
		"$(sed -E 's/ [0-9]+\.[0-9]{3}s\]$//' <<<"$out")" "$want"
	# time in the trace: the spinner burnt 0.6 s of CPU, the main process waited for it and
	# slept 0.1 s
	t=$(sed -nE "s/^  \`- $SPIN .* ([0-9.]+)s\]$/\1/p" <<<"$out")
	awk -v t="$t" 'BEGIN { exit !(t >= 0.6 && t < 30) }' && ok || bad "proc_tree: the spinner's time in the trace: '$t' s"
	t=$(sed -nE "s/^$P .* ([0-9.]+)s\]$/\1/p" <<<"$out")
	awk -v t="$t" 'BEGIN { exit !(t >= 0.7 && t < 30) }' && ok || bad "proc_tree: the main process's time in the trace: '$t' s"
	eq "proc_tree with a filter: only the processes that match" \
		"$(ch proc_tree "$T" "proc.pid in ($E3, $K9)" | sed -E 's/ [0-9]+\.[0-9]{3}s\]$//')" \
		"$E3 $workload main $D  [exit 3,
$K9 $workload main $D  [killed by signal 9,"

	# spy_users: the two execs (the workload, then echo)
	out=$(ch spy_users)
	eq "spy_users: two commands" "$(wc -l <<<"$out")" 2
	p="^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9} $(id -un) host"
	grep -qE "$p $P \(parent [^)]*\): $workload main $D\$" <<<"$out" && ok ||
		bad "spy_users: the workload's exec: $out"
	eq "spy_users: the exec of echo" "$(sed -n 2p <<<"$out" | grep -cE "$p $ECHO \(parent chworkload\): echo hello-chisel\$" || true)" 1
	eq "spy_users with a filter" "$(ch spy_users "$T" 'proc.name=echo' | cut -d ' ' -f 2-)" \
		"$(id -un) host $ECHO (parent chworkload): echo hello-chisel"
	for role in main echo; do
		eq "strace: one exec of the $role process" "$(awk -v p="${S_PID[$role]}" '$1 == p && $2 == "execve" && $4 == 0' "$tmp/calls.txt" | wc -l)" 1
	done
}

# ---------------------------------------------------------------------------------------------
# abi: external chisels built here: the example, and structs of other ABI versions and sizes

abi_src()
{
	cat <<'EOF'
/* A test chisel: prints each event's type and, at the end, the count.  Macros change its
 * struct: SZ, VERSION, FUTURE (a non-zero pointer after the known callbacks), NO_ENTRY,
 * NULL_ENTRY, FAIL_INIT. */
#include <stddef.h>
#include <sysrec_chisel.h>

#ifndef SZ
#define SZ sizeof(struct sysrec_chisel)
#endif
#ifndef VERSION
#define VERSION SYSREC_CHISEL_API_VERSION
#endif
#ifndef FUTURE
#define FUTURE 0
#endif

static const struct sysrec_host *host;
static struct sysrec_ctx *ctx0;
static const struct sysrec_field *type;
static unsigned long n;

static int init(struct sysrec_ctx *ctx, const struct sysrec_host *h, int argc, char **argv,
		void **state)
{
	(void)argv;
	*state = &n; /* static: an old struct has no fini() to free anything */
	host = h;
	ctx0 = ctx;
#ifdef FAIL_INIT
	return -1;
#endif
	type = h->field(ctx, "evt.type");
	return argc || !type;
}

static int on_event(void *state, const struct sysrec_event *ev)
{
	const char *t;

	(void)state;
	if (host->get_text(ev, type, &t))
		fprintf(host->out(ctx0), "event %s\n", t);
	n++;
	return 0;
}

static void on_end(void *state)
{
	(void)state;
	fprintf(host->out(ctx0), "end: %lu events\n", n);
}

static const char *last_error(void *state)
{
	(void)state;
	return "the abi test chisel refuses to start";
}

static const struct {
	struct sysrec_chisel c;
	const void *future[2];
} chisel __attribute__((used)) = {
	.c = { .sz = SZ, .api_version = VERSION, .name = "abi_test", .description = "test",
	       .args = "", .init = init, .on_event = on_event, .on_end = on_end,
	       .last_error = last_error },
	.future = { FUTURE, 0 },
};

#ifndef NO_ENTRY
__attribute__((visibility("default"))) const struct sysrec_chisel *sysrec_chisel_entry(void)
{
#ifdef NULL_ENTRY
	return NULL;
#else
	return &chisel.c;
#endif
}
#endif
EOF
}

# so NAME SOURCE [CFLAGS...]: build $tmp/NAME.so
so()
{
	local name=$1 source=$2
	shift 2
	"${CC:-cc}" -std=c11 -Wall -Wextra -Werror -shared -fPIC -I"$src/chisels" "$@" -o "$tmp/$name.so" \
		"$source" 2>"$tmp/cc.err" || { bad "building $name.so: $(cat "$tmp/cc.err")"; return 1; }
}

# refused DESCRIPTION SPEC PATTERN: `replay -c SPEC` exits 2 with one line matching PATTERN
refused()
{
	local rc
	rc=$(run_rc "$tmp/r.out" "$tmp/r.err" "$sysrec" replay -q -c "$2" "$T")
	eq "$1: exit status" "$rc" 2
	one_line "$1" "$tmp/r.err" "$3"
	no_crash "$1" "$tmp/r.err"
	eq "$1: no output" "$(cat "$tmp/r.out")" ""
}

section_abi()
{
	prepare
	local out want f="proc.pid=$P and proc.name=chworkload and evt.type=clock_nanosleep"

	# The example chisel, built as the documentation says, against the trace
	so opens "$src/chisels/examples/opens.c" || return 0
	out=$(ch "$tmp/opens.so" "$T" "proc.pid=$P")
	want=$(replay -p '%proc.name opened %fd.name' "$T" "proc.pid=$P and evt.type in (open, openat, openat2) and not evt.failed")
	eq "opens.so: every open of the main process, as the trace has them" "$out" \
		"$want
$(wc -l <<<"$want") opens"
	eq "opens.so: the count of successful opens, against strace" "$(tail -n 1 <<<"$out")" \
		"$(awk -v p="${S_PID[main]}" '$1 == p && $2 ~ /^open(at|at2)?$/ && $5 == "-"' "$tmp/calls.txt" | wc -l) opens"
	eq "opens.so: the workload's files" "$(grep " $D/" <<<"$out")" \
		"chworkload opened $D/marker.txt
chworkload opened $D/big.dat
chworkload opened $D/big.dat
chworkload opened $D/pids"
	eq "opens.so on the whole trace: the count" "$(ch "$tmp/opens.so" | tail -n 1)" \
		"$(replay --count "$T" 'evt.type in (open, openat, openat2) and not evt.failed') opens"
	refused "opens.so with an argument (its init() refuses)" "$tmp/opens.so extra" \
		"^sysrec: chisel opens: cannot start with these arguments"
	# the same .so by a relative path
	eq "opens.so by a relative path" "$(cd "$tmp" && "$sysrec" replay -q -c ./opens.so "$T" "proc.pid=$P" 2>&1 | tail -n 1)" \
		"$(tail -n 1 <<<"$out")"

	abi_src >"$tmp/abi.c"
	local ok_out="event clock_nanosleep
end: 1 events"
	so abi "$tmp/abi.c" && eq "a chisel of this ABI" "$(ch "$tmp/abi.so" "$T" "$f")" "$ok_out"
	so v99 "$tmp/abi.c" -DVERSION=99 &&
		refused "api_version 99" "$tmp/v99.so" "^sysrec: chisel '$tmp/v99.so' was built for another sysrec chisel ABI (version 99, .*this sysrec has version 1,"
	so noentry "$tmp/abi.c" -DNO_ENTRY &&
		refused "no sysrec_chisel_entry()" "$tmp/noentry.so" "^sysrec: '$tmp/noentry.so' is not a sysrec chisel: it has no sysrec_chisel_entry()"
	so nullentry "$tmp/abi.c" -DNULL_ENTRY &&
		refused "sysrec_chisel_entry() returns NULL" "$tmp/nullentry.so" "^sysrec: '$tmp/nullentry.so': sysrec_chisel_entry() returned NULL"
	# newer (larger) structs: accepted when the bytes this sysrec does not know are zero
	so newer0 "$tmp/abi.c" '-DSZ=sizeof(chisel)' &&
		eq "a newer, larger struct with a zero tail" "$(ch "$tmp/newer0.so" "$T" "$f")" "$ok_out"
	so newer "$tmp/abi.c" '-DSZ=sizeof(chisel)' '-DFUTURE=(const void *)&n' &&
		refused "a newer, larger struct with a non-zero tail" "$tmp/newer.so" "^sysrec: chisel '$tmp/newer.so' needs a newer sysrec"
	# an older struct that ends before on_interval: no on_end (nor fini) is called
	so older "$tmp/abi.c" '-DSZ=offsetof(struct sysrec_chisel, on_interval)' &&
		eq "an older, smaller struct (up to on_event): its missing callbacks are not called" \
			"$(ch "$tmp/older.so" "$T" "$f")" "event clock_nanosleep"
	so tiny "$tmp/abi.c" '-DSZ=offsetof(struct sysrec_chisel, on_event)' &&
		refused "a struct too small to hold on_event" "$tmp/tiny.so" "^sysrec: chisel '$tmp/tiny.so' was built for another sysrec chisel ABI"
	so failinit "$tmp/abi.c" -DFAIL_INIT &&
		refused "init() fails: its last_error()" "$tmp/failinit.so" "^sysrec: chisel abi_test: the abi test chisel refuses to start$"
	echo 'not an ELF file' >"$tmp/text.so"
	refused "a .so that cannot be loaded" "$tmp/text.so" "^sysrec: cannot load chisel '$tmp/text.so': .*$tmp/text.so"
	refused "a .so that does not exist" "$tmp/none.so" "^sysrec: cannot load chisel '$tmp/none.so': .*No such file"
}

# ---------------------------------------------------------------------------------------------
# args: bad chisel arguments and option combinations: one line, exit 2, nothing read

section_args()
{
	prepare
	local spec
	refused "topfiles_bytes abc" "topfiles_bytes abc" "^sysrec: chisel topfiles_bytes: .*'abc'"
	refused "topfiles_bytes 5 6" "topfiles_bytes 5 6" "^sysrec: chisel topfiles_bytes: .*'6'"
	refused "fdbytes_by without a field" "fdbytes_by" "^sysrec: chisel fdbytes_by: .*field"
	refused "fdbytes_by fd.nme" "fdbytes_by fd.nme" "^sysrec: chisel fdbytes_by: .*'fd.nme'.*fd.name"
	refused "fdbytes_by fd.name x" "fdbytes_by fd.name x" "^sysrec: chisel fdbytes_by: .*'x'"
	refused "syscall_stats foo" "syscall_stats foo" "^sysrec: chisel syscall_stats: .*'foo'"
	refused "an unknown chisel" "no_such_chisel" "^sysrec: unknown chisel 'no_such_chisel'"
	refused "iobytes 0" "iobytes 0" "^sysrec: chisel iobytes: "
	refused "iobytes abc" "iobytes abc" "^sysrec: chisel iobytes: "
	refused "errors x" "errors x" "^sysrec: chisel errors: "
	for spec in netstat proc_tree spy_users echo_fds; do
		refused "$spec with an argument" "$spec x" "^sysrec: chisel $spec: "
	done
	refused "spy_file with two patterns" "spy_file a b" "^sysrec: chisel spy_file: "
	refused "flamegraph bogus" "flamegraph bogus" "^sysrec: chisel flamegraph: .*'bogus'"
	refused "profile x" "profile x" "^sysrec: chisel profile: "
	refused "an unbalanced quote" "spy_file 'abc" "^sysrec: bad chisel "
	refused "an empty chisel" "" "^sysrec: bad chisel "
	local rc o
	for o in -j '-p %evt.type' --count "-w $tmp/x.sysrec"; do
		# shellcheck disable=SC2086 # the option and its value are two words
		rc=$(run_rc "$tmp/r.out" "$tmp/r.err" "$sysrec" replay -q -c topfiles_bytes $o "$T")
		eq "-c with $o: exit" "$rc" 2
		one_line "-c with $o" "$tmp/r.err" "^sysrec: replay: -c .*"
	done
	[ ! -e "$tmp/x.sysrec" ] && ok || bad "-c with -w wrote a file"
	# Checked before the trace is read: a file that is no trace gives the chisel's error
	echo 'not a trace' >"$tmp/garbage"
	rc=$(run_rc "$tmp/r.out" "$tmp/r.err" "$sysrec" replay -q -c 'topfiles_bytes abc' "$tmp/garbage")
	eq "a bad chisel argument before a bad file: exit" "$rc" 2
	one_line "a bad chisel argument before a bad file" "$tmp/r.err" "^sysrec: chisel topfiles_bytes: "
	rc=$(run_rc "$tmp/r.out" "$tmp/r.err" "$sysrec" replay -q -c topfiles_bytes "$tmp/garbage")
	eq "a good chisel on a file that is no trace: exit" "$rc" 1
	no_crash "a good chisel on a file that is no trace" "$tmp/r.err"
	rc=$(run_rc "$tmp/r.out" "$tmp/r.err" "$sysrec" replay -q -c topfiles_bytes "$T" 'evt.type=')
	eq "a chisel with a bad filter: exit" "$rc" 2
	one_line "a chisel with a bad filter" "$tmp/r.err" "^sysrec: filter: "
	# flamegraph and profile (checked on samples in tests/samples) on a trace without samples
	eq "flamegraph without samples: no stacks" "$(ch flamegraph)" ""
	eq "profile without samples: an empty table" "$(ch profile | tr -s ' ')" "Total Self Function (0 samples)"
	# good arguments that look odd
	eq "topfiles_bytes '1' (quoted)" "$(ch "topfiles_bytes '1'" | rows)" "20.00MB $D/big.dat"
	eq "spy_file with a quoted pattern holding a blank: no match, no error" "$(ch "spy_file '/no such/*'")" ""
	eq "sysrec chisels: every stock chisel" "$("$sysrec" chisels | awk '{ print $1 }' | tr '\n' ' ')" \
		"echo_fds errors fdbytes_by flamegraph iobytes netstat proc_tree profile spy_file spy_users syscall_stats topconns topcontainers_cpu topcontainers_file topcontainers_net topfiles_bytes topfiles_time topprocs_cpu topprocs_file topprocs_net "
}

# ---------------------------------------------------------------------------------------------
# containers: a real container doing known work (chisel_workload ctr, built static)

CTR_LOOP='while true; do sleep 1; done'

make_rootfs()
{
	local bb=/bin/busybox a
	[ -x "$bb" ] || skip "no $bb to build a container rootfs from (apt-get install busybox-static)"
	mkdir -p "$tmp/rootfs/bin" "$tmp/rootfs/etc" "$tmp/rootfs/proc" "$tmp/rootfs/dev" \
		"$tmp/rootfs/sys" "$tmp/rootfs/tmp"
	cp "$bb" "$tmp/rootfs/bin/busybox"
	for a in sh sleep; do ln -s busybox "$tmp/rootfs/bin/$a"; done
	# uid 0 has another name than on the host: spy_users must name the container's user
	echo 'ctr-admin:x:0:0:root:/root:/bin/sh' >"$tmp/rootfs/etc/passwd"
	echo 'ctr-wheel:x:0:' >"$tmp/rootfs/etc/group"
	"${CC:-cc}" -static -O1 -o "$tmp/rootfs/chw" "$here/chisel_workload.c" 2>"$tmp/cc.err" ||
		skip "cannot link the workload statically for the container: $(cat "$tmp/cc.err")"
}

# Start the container; sets CNAME and CEXEC (how to run a command in it), or returns 1.
start_podman()
{
	command -v podman >/dev/null || return 1
	local img=localhost/sysrec-chisels-test-$$:latest
	CNAME=sysrec-chisels-test-$$
	tar -C "$tmp/rootfs" -cf "$tmp/rootfs.tar" . &&
		podman import --change 'CMD ["/bin/sh"]' "$tmp/rootfs.tar" "$img" >/dev/null 2>"$tmp/podman.err" ||
		{ note "podman import failed: $(cat "$tmp/podman.err")"; return 1; }
	cleanups+=("podman rmi -f $img")
	podman --runtime runc run -d --name "$CNAME" --network none --ulimit nofile=1024:1024 \
		--ulimit nproc=4096:4096 "$img" sh -c "$CTR_LOOP" >/dev/null 2>"$tmp/podman.err" ||
		{ note "podman run failed: $(cat "$tmp/podman.err")"; podman rm -f -t 0 "$CNAME" >/dev/null 2>&1; return 1; }
	cleanups=("podman rm -f -t 0 $CNAME" "${cleanups[@]}")
	CEXEC=(podman exec "$CNAME")
}

start_runc()
{
	command -v runc >/dev/null && command -v jq >/dev/null || return 1
	CNAME=sysrec-chisels-test-$$
	mkdir -p "$tmp/bundle"
	rm -rf "$tmp/bundle/rootfs"
	cp -a "$tmp/rootfs" "$tmp/bundle/rootfs"
	(cd "$tmp/bundle" && rm -f config.json && runc spec) || return 1
	jq --arg loop "$CTR_LOOP" --arg cg "/$CNAME" '.process.terminal = false | .root.readonly = false |
		.process.args = ["sh", "-c", $loop] | .linux.cgroupsPath = $cg |
		.process.rlimits = [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}]' \
		"$tmp/bundle/config.json" >"$tmp/bundle/c.json" && mv "$tmp/bundle/c.json" "$tmp/bundle/config.json"
	(cd "$tmp/bundle" && runc run -d "$CNAME" </dev/null >/dev/null 2>"$tmp/runc.err") ||
		{ note "runc run failed: $(cat "$tmp/runc.err")"; runc delete -f "$CNAME" >/dev/null 2>&1; return 1; }
	cleanups=("runc delete -f $CNAME" "${cleanups[@]}")
	CEXEC=(runc exec "$CNAME")
}

section_containers()
{
	make_rootfs
	case ${CH_CONTAINER_RUNTIME:-podman} in
	runc) start_runc || skip "no container could be started with runc (see the notes above)" ;;
	*) start_podman || start_runc ||
		skip "no container could be started with podman or runc (see the notes above)" ;;
	esac
	echo "container $CNAME (${CEXEC[0]})"

	# Record the container while the workload runs in it (started once the capture is on).
	local C=$tmp/ctr.sysrec rp oracle
	"$sysrec" record -v -o "$C" --container "$CNAME" >"$C.stdout" 2>"$C.err" &
	rp=$!
	cleanups=("kill -INT $rp" "${cleanups[@]}")
	for _ in $(seq 200); do grep -q '^sysrec: recording' "$C.err" && break; sleep 0.05; done
	grep -q '^sysrec: recording' "$C.err" || { echo "FAIL: the container capture did not start: $(cat "$C.err")"; exit 1; }
	oracle=$("${CEXEC[@]}" /chw ctr /tmp 2>"$tmp/exec.err") ||
		{ echo "FAIL: the workload failed in the container: $(cat "$tmp/exec.err")"; exit 1; }
	kill -INT "$rp"
	wait "$rp" || { echo "FAIL: the container capture failed: $(cat "$C.err")"; exit 1; }
	cleanups=("${cleanups[@]:1}") # the capture has ended: no more kill of its pid
	grep -q ' 0 events lost' "$C.err" || { echo "FAIL: the capture lost events: $(cat "$C.err")"; exit 1; }
	[[ $oracle =~ ^[0-9]+$ ]] && [ "$oracle" -ge 800000000 ] && ok || bad "the container workload's CPU time: '$oracle'"

	local row pct time
	row=$(ch topcontainers_cpu "$C" | rows)
	eq "topcontainers_cpu: one row, the container" "$(wc -l <<<"$row") $(awk '{ print $3 }' <<<"$row")" "1 $CNAME"
	read -r pct time _ <<<"$row"
	time=${time#(}
	time=${time%)}
	# the container's CPU: the spinner's own time, plus a little (its shell, the exec)
	within "topcontainers_cpu: the container's CPU time ($time, $pct%) against the workload's own" "$(ns "$time")" "$oracle" 10

	local ctr_bytes=$((48 * 65536)) net=$(((524288 + 32768) * 2))
	eq "fdbytes_by container.name on the file it wrote: 3 MiB" \
		"$(ch 'fdbytes_by container.name' "$C" 'fd.name=/tmp/ctr.dat' | rows)" "$(hb "$ctr_bytes") $CNAME"
	row=$(ch topcontainers_file "$C" | rows)
	eq "topcontainers_file: one row, the container, its 3 MiB (and the little its shell and exec read)" \
		"$row" "$(hb "$(replay -p '%evt.buflen' "$C" 'evt.is_io and fd.type in (file, directory)' | awk '{ s += $1 } END { print s + 0 }')") $CNAME"
	eq "topcontainers_file: 3.00MB" "${row%% *}" "$(hb "$ctr_bytes")"
	eq "topcontainers_net: one row, the container, both ends of its exchange" \
		"$(ch topcontainers_net "$C" | rows)" "$(hb "$net") $CNAME"
	eq "topcontainers_net on the host side: nothing" "$(ch topcontainers_net "$C" 'container.name=host' | rows)" ""
	# spy_users: the command run in the container (by runc exec, whose Go runtime's threads
	# exit in the exec): the container's user (its /etc/passwd) and the container's name
	eq "spy_users: the command run in the container: user and container" \
		"$(ch spy_users "$C" | grep ': /chw ctr /tmp$' | cut -d ' ' -f 2-3)" "ctr-admin $CNAME"
}

"section_$section"
echo "$section: $pass passed, $fail failed"
if [ "$fail" != 0 ]; then exit 1; fi
