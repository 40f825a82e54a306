#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# End-to-end tests of `sysrec replay`: real programs (replay_workload.c, sh, cat, a container)
# are recorded with `sysrec record` and the real BPF driver, and what replay shows is checked
# against oracles that do not come from sysrec: strace run on the same processes, /proc of a
# live process, podman/runc's own view of a container, the bytes a workload left in a file,
# jq over replay's JSON, and counts the workload's code fixes.
#
# Usage: test_replay.sh SYSREC WORKLOAD SECTION
#   SECTION: state snapshot container filter output badinput slice merge
# Exit status: 0 pass, 1 a check failed, 77 skipped (not root, a tool missing, no container
# runtime works): every skip says why on stdout.
# RT_CONTAINER_RUNTIME=runc makes the container section use runc instead of podman; RT_KEEP=1
# keeps the temporary directory (traces, strace log) for a look after a failure; RT_VERBOSE=1
# shows the value of every comparison that passed.
set -Eeuo pipefail

sysrec=$(realpath "$1")
workload=$(realpath "$2")
section=$3

skip() { echo "SKIP: $*"; exit 77; }

[ "$(id -u)" = 0 ] || skip "replay end-to-end tests record with the BPF driver and need root; run them as root, as CI does"
for tool in jq strace od timeout; do
	command -v "$tool" >/dev/null || skip "'$tool' is not installed (the tests use it as an oracle)"
done

# shellcheck source=../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
harness_init replay "${RT_VERBOSE:-}" "${RT_KEEP:-}"

# replay ARGS...: sysrec replay, quiet; a non-zero exit here is a failure of the test.
replay() { "$sysrec" replay -q "$@"; }
# cnt FILE FILTER: number of matching events
cnt() { replay --count "$1" "$2"; }
# uniq_vals FILE FORMAT FILTER: the distinct lines of a -p output
uniq_vals() { replay -p "$2" "$1" "$3" | sort -u; }

# record OUT [RECORD OPTIONS] -- COMMAND...: sysrec record; its failure fails the test.
record()
{
	local out=$1
	shift
	if ! "$sysrec" record -o "$out" "$@" >"$out.stdout" 2>"$out.err"; then
		echo "FAIL: sysrec record $* failed: $(cat "$out.err")"
		exit 1
	fi
	if ! grep -q ' 0 events lost' "$out.err"; then
		echo "FAIL: the capture lost events, exact comparisons are impossible: $(cat "$out.err")"
		exit 1
	fi
}

# strace -f line of PID's last execve (maybe "<unfinished ...>"), and parts of it
execve_line() { grep -E "^$1 +execve\(" "$tmp/strace.log" | tail -n 1; }
execve_path() { execve_line "$1" | sed -E 's/^[0-9]+ +execve\("([^"]*)".*/\1/'; }
execve_argv() { execve_line "$1" | sed -E 's/^[0-9]+ +execve\("[^"]*", \[(.*)\], 0x.*/\1/; s/^"//; s/"$//; s/", "/ /g'; }

# The main workload under strace, recorded: $tmp/main.sysrec, $tmp/strace.log; sets P (the
# workload), SHP (its child, sh), CATP (the grandchild, cat), PORT, D (its directory).
record_main()
{
	D=$tmp/d
	mkdir "$D"
	(cd "$tmp" && record "$tmp/main.sysrec" -- strace -f -qq -s 512 -o "$tmp/strace.log" \
		"$workload" main "$D")
	PORT=$(sed -n 's/^port \([0-9]*\)$/\1/p' "$tmp/main.sysrec.stdout")
	P=$(grep -E "^[0-9]+ +execve\(\"$workload\"" "$tmp/strace.log" | awk '{print $1}')
	SHP=$(grep -E '^[0-9]+ +execve\("/bin/sh"' "$tmp/strace.log" | awk '{print $1}')
	CATP=$(grep -E '^[0-9]+ +execve\("[^"]*/cat", \["cat", "/etc/hostname"\]' "$tmp/strace.log" |
	       awk '{print $1}')
	if [ -z "$PORT" ] || [ -z "$P" ] || [ -z "$SHP" ] || [ -z "$CATP" ]; then
		echo "FAIL: the workload did not run as expected (port '$PORT', pids '$P' '$SHP' '$CATP')"
		exit 1
	fi
	M=$tmp/main.sysrec
}

# escapes FILE OFFSET LEN: bytes of FILE as -A shows them (\n \t \r \\ and \xHH)
escapes()
{
	local b
	for b in $(od -An -v -tu1 -j "$2" -N "$3" "$1"); do
		case $b in
		10) printf '\\n' ;; 9) printf '\\t' ;; 13) printf '\\r' ;; 92) printf '\\\\' ;;
		*) if [ "$b" -ge 32 ] && [ "$b" -lt 127 ]; then printf "\\$(printf %03o "$b")"
		   else printf '\\x%02x' "$b"; fi ;;
		esac
	done
}
dots()
{
	local b
	for b in $(od -An -v -tu1 -j "$2" -N "$3" "$1"); do
		if [ "$b" -ge 32 ] && [ "$b" -lt 127 ]; then printf "\\$(printf %03o "$b")"; else printf .; fi
	done
}
hexbytes() { od -An -v -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'; }

# ---------------------------------------------------------------------------------------------
# state: what the state engine knows about fds and processes, checked against strace

section_state()
{
	record_main
	local rel=$D/rel.txt n

	# fd.name after dup2(): the writes on fd 7 name the file openat() opened (relatively).
	n=$(grep -cE "^$P +write\(7, " "$tmp/strace.log" || true)
	eq "strace: writes through fd 7" "$n" 5
	eq "writes on fd 7 are recorded" "$(cnt "$M" "proc.pid=$P and evt.type=write and fd.num=7")" "$n"
	eq "fd.name/fd.type of fd 7 after dup2(3, 7)" \
		"$(uniq_vals "$M" '%fd.num %fd.type %fd.name' "proc.pid=$P and evt.type=write and fd.num=7")" \
		"7 file $(realpath "$rel")"

	# proc.cwd after chdir() and a relative openat() resolved against it
	grep -qE "^$P +chdir\(\"$D\"\) = 0" "$tmp/strace.log" && ok || bad "strace: chdir($D)"
	local fd
	fd=$(sed -nE "s/^$P +openat\(AT_FDCWD, \"sub\/..\/rel.txt\", .*\) = ([0-9]+)$/\1/p" "$tmp/strace.log")
	[ -n "$fd" ] && ok || bad "strace: openat(sub/../rel.txt) returned an fd"
	eq "relative openat: cwd, resolved fd.name, result" \
		"$(uniq_vals "$M" '%proc.cwd|%fd.name|%evt.rawres' "proc.pid=$P and evt.type=openat and evt.arg.filename=sub/../rel.txt")" \
		"$D|$(realpath "$rel")|$fd"
	eq "proc.cwd before the chdir is the directory the workload started in" \
		"$(replay -n 1 -p '%proc.cwd' "$M" "proc.pid=$P and proc.name=rworkload")" "$tmp"
	eq "proc.cwd after the chdir" \
		"$(uniq_vals "$M" '%proc.cwd' "proc.pid=$P and evt.type in (write, pipe2, connect)")" "$D"
	eq "cat inherits the cwd through two forks" "$(uniq_vals "$M" '%proc.cwd' "proc.pid=$CATP")" "$D"

	# fds inherited through fork and exec: the workload's stdout (set up by this script for
	# sysrec, which runs strace, which runs the workload) and sh's redirection for cat
	eq "stdout of the workload, inherited from two generations up" \
		"$(uniq_vals "$M" '%fd.name' "proc.pid=$P and evt.type=write and fd.num=1")" "$tmp/main.sysrec.stdout"
	grep -qE "^$SHP +dup2\([0-9]+, 1\) += 1" "$tmp/strace.log" && ok || bad "strace: sh's dup2(N, 1)"
	eq "cat's write to fd 1, which sh pointed at /dev/null before exec" \
		"$(uniq_vals "$M" '%fd.name' "proc.pid=$CATP and proc.name=cat and evt.type=write and fd.num=1")" /dev/null

	# pipe2(): its fds are known only if the capture keeps the fds the call wrote
	if [ "$(cnt "$M" "proc.pid=$P and fd.type=pipe")" = 0 ]; then
		note "pipe2() results are not captured (no pipe fds known for pid $P): the live pipe check is skipped; the 'snapshot' section checks fd.type=pipe for pipes that existed before the capture"
	else
		eq "write and read through the pipe2() fds are fd.type=pipe" \
			"$(cnt "$M" "proc.pid=$P and evt.type in (write, read) and fd.type=pipe")" 2
	fi

	# exec: proc.exe and proc.cmdline after exec, as strace saw the execve() calls
	local p pid name
	for p in "$P rworkload" "$SHP sh" "$CATP cat"; do
		read -r pid name <<<"$p"
		eq "proc.exe|proc.cmdline of $name (pid $pid) after exec" \
			"$(uniq_vals "$M" '%proc.exe|%proc.cmdline' "proc.pid=$pid and proc.name=$name")" \
			"$(execve_path "$pid")|$(execve_argv "$pid")"
	done
	eq "the forked child before its exec runs the parent's program" \
		"$(replay -n 1 -p '%proc.name|%proc.exe' "$M" "proc.pid=$SHP")" "rworkload|$workload"

	# ancestry of a child of a child: cat <- sh <- workload <- strace
	eq "cat's proc.ppid, proc.pname, proc.aname[1..3], proc.apid[2]" \
		"$(uniq_vals "$M" '%proc.ppid|%proc.pname|%proc.aname[1]|%proc.aname[2]|%proc.aname[3]|%proc.apid[2]' "proc.pid=$CATP and proc.name=cat")" \
		"$SHP|sh|sh|rworkload|strace|$P"
	eq "proc.aname[0] is the process itself" \
		"$(uniq_vals "$M" '%proc.aname[0]' "proc.pid=$CATP and proc.name=cat")" cat

	# every strace-visible syscall of the three processes after their exec, by type
	# (evt.pending exists: syscalls, not the other kinds of event)
	for p in "$P rworkload" "$SHP sh" "$CATP cat"; do
		read -r pid name <<<"$p"
		# rt_sigreturn is left out: the capture does not record it (strace does)
		eq "syscalls of $name (pid $pid) by type, against strace" \
			"$(replay -p '%evt.type' "$M" "proc.pid=$pid and proc.name=$name and evt.pending exists and not evt.type in (execve, rt_sigreturn)" | sort | uniq -c)" \
			"$(awk -v p="$pid" '$1 == p' "$tmp/strace.log" | sed -n '/execve(/,$p' | tail -n +2 |
			   grep -Ev '^[0-9]+ +(<\.\.\.|---|\+\+\+)' | sed -E 's/^[0-9]+ +([a-z0-9_]+)\(.*/\1/' |
			   grep -Ev '^(exit_group|rt_sigreturn)$' | sort | uniq -c)"
	done

	# users and containers: root on the host
	local all
	all=$(cnt "$M" "proc.pid in ($P, $SHP, $CATP)")
	eq "user.name/group.name of the workload's events" \
		"$(uniq_vals "$M" '%user.uid %user.name %group.name' "proc.pid in ($P, $SHP, $CATP)")" \
		"$(id -u) $(id -un) $(id -gn)"
	eq "every workload event has user.name=$(id -un)" \
		"$(cnt "$M" "proc.pid in ($P, $SHP, $CATP) and user.name=$(id -un)")" "$all"
	eq "container of host processes" \
		"$(uniq_vals "$M" '%container.name %container.id' "proc.pid in ($P, $SHP, $CATP)")" "host host"

	# sockets: the connect() and the write through the client fd
	grep -qE "^$P +connect\([0-9]+, \{sa_family=AF_INET, sin_port=htons\($PORT\), sin_addr=inet_addr\(\"127.0.0.1\"\)\}" \
		"$tmp/strace.log" && ok || bad "strace: connect() to 127.0.0.1:$PORT"
	eq "client socket: fd.type fd.l4proto fd.dip fd.dport, on connect and write" \
		"$(uniq_vals "$M" '%fd.type %fd.l4proto %fd.dip %fd.dport' "proc.pid=$P and evt.type in (connect, write) and fd.type in (ipv4, ipv6)")" \
		"ipv4 tcp 127.0.0.1 $PORT"
	uniq_vals "$M" '%fd.name' "proc.pid=$P and evt.type=connect" | grep -qE "^([0-9.]+:[0-9]+)?->127\.0\.0\.1:$PORT$" &&
		ok || bad "fd.name of the connected socket ends in ->127.0.0.1:$PORT"
	# The server end: accept() on a listener bound to port 0, whose port getsockname() told.
	eq "accepted socket: fd.type and fd.dport (the server's port) of its read" \
		"$(uniq_vals "$M" '%fd.type %fd.dport' "proc.pid=$P and evt.type=read and evt.buffer contains 'GET /replay'")" \
		"ipv4 $PORT"
}

# ---------------------------------------------------------------------------------------------
# snapshot: a process started before the capture, known from the /proc snapshot

section_snapshot()
{
	local hp port i fd link ino
	"$workload" hold "$tmp/held.log" >"$tmp/hold.out" &
	hp=$!
	cleanups+=("kill $hp")
	for i in $(seq 100); do grep -q '^port ' "$tmp/hold.out" && break; sleep 0.05; done
	port=$(sed -n 's/^port \([0-9]*\)$/\1/p' "$tmp/hold.out")
	[ -n "$port" ] || { echo "FAIL: the hold workload did not start"; exit 1; }

	# What /proc says, before and after the capture (the process does not change).
	local comm exe cmdline cwd a b
	comm=$(cat "/proc/$hp/comm")
	exe=$(readlink "/proc/$hp/exe")
	cmdline=$(tr '\0' ' ' <"/proc/$hp/cmdline" | sed 's/ $//')
	cwd=$(readlink "/proc/$hp/cwd")
	declare -A kind=() # fd -> "file PATH" | "pipe" | "tcp LPORT RPORT"
	for link in "/proc/$hp/fd/"*; do
		fd=${link##*/}
		link=$(readlink "$link") || continue
		case $link in
		pipe:*) kind[$fd]=pipe ;;
		socket:*)
			ino=${link#socket:[}
			ino=${ino%]}
			a=$(awk -v ino="$ino" '$10 == ino { split($2, l, ":"); print l[2] }' /proc/net/tcp)
			b=$(awk -v ino="$ino" '$10 == ino { split($3, r, ":"); print r[2] }' /proc/net/tcp)
			[ -z "$a" ] || kind[$fd]="tcp $((16#$a)) $((16#$b))" ;;
		/*) kind[$fd]="file $link" ;;
		esac
	done

	record "$tmp/hold.sysrec" -d 3 -p "$hp"
	kill "$hp"
	local H=$tmp/hold.sysrec all
	all=$(cnt "$H" "proc.pid=$hp")
	[ "$all" -gt 0 ] && ok || bad "events of the process started before the capture"
	eq "proc.name|proc.exe|proc.cmdline|proc.cwd from the snapshot, against /proc" \
		"$(uniq_vals "$H" '%proc.name|%proc.exe|%proc.cmdline|%proc.cwd' "proc.pid=$hp")" \
		"$comm|$exe|$cmdline|$cwd"
	eq "user.name from the snapshot" "$(uniq_vals "$H" '%user.name' "proc.pid=$hp")" "$(id -un)"

	# Its fds, only ever opened before the capture: as /proc showed them.
	local nfile=0 npipe=0 nsock=0 want got k
	for fd in $(replay -p '%fd.num' "$H" "proc.pid=$hp and evt.type in (read, write)" | sort -u); do
		k=${kind[$fd]:-}
		got=$(uniq_vals "$H" '%fd.type|%fd.name|%fd.sip|%fd.sport|%fd.dip|%fd.dport' "proc.pid=$hp and evt.type in (read, write) and fd.num=$fd")
		case $k in
		"file "*)
			nfile=$((nfile + 1))
			eq "fd $fd (a file opened before the capture)" "$got" "file|${k#file }|<NA>|<NA>|<NA>|<NA>" ;;
		pipe)
			npipe=$((npipe + 1))
			eq "fd $fd (a pipe made before the capture): fd.type" "${got%%|*}" pipe ;;
		"tcp "*)
			nsock=$((nsock + 1))
			read -r _ a b <<<"$k" # local and remote port
			if [ "$a" = "$port" ]; then # the accepted end: local port is the server's
				want="ipv4|127.0.0.1:$b->127.0.0.1:$a|127.0.0.1|$b|127.0.0.1|$a"
			else
				want="ipv4|127.0.0.1:$a->127.0.0.1:$b|127.0.0.1|$a|127.0.0.1|$b"
			fi
			eq "fd $fd (a TCP connection made before the capture, server port $port)" "$got" "$want" ;;
		*) bad "fd $fd of the events is not an fd /proc showed: '$k'" ;;
		esac
	done
	eq "fds seen in reads/writes: files, pipes, sockets" "$nfile $npipe $nsock" "1 2 2"
}

# ---------------------------------------------------------------------------------------------
# container: a process in a real container started before the capture

# Make a busybox rootfs for the container in $tmp/rootfs.
make_rootfs()
{
	local bb=/bin/busybox a
	[ -x "$bb" ] || skip "no $bb to build a container rootfs from (apt-get install busybox-static)"
	mkdir -p "$tmp/rootfs/bin" "$tmp/rootfs/etc" "$tmp/rootfs/proc" "$tmp/rootfs/dev" \
		"$tmp/rootfs/sys" "$tmp/rootfs/tmp"
	cp "$bb" "$tmp/rootfs/bin/busybox"
	for a in sh cat sleep; do ln -s busybox "$tmp/rootfs/bin/$a"; done
	# uid and gid 0 have other names than on the host: user.name must come from these files
	echo 'ctr-admin:x:0:0:root:/root:/bin/sh' >"$tmp/rootfs/etc/passwd"
	echo 'ctr-wheel:x:0:' >"$tmp/rootfs/etc/group"
	echo 'sysrec-ctr' >"$tmp/rootfs/etc/hostname"
}

CTR_LOOP='while true; do cat /etc/hostname >/dev/null; sleep 0.05; done'

# Start the container; sets CNAME, CID, CPID, CTYPE, CIMAGE, or returns 1.
start_podman()
{
	command -v podman >/dev/null || return 1
	local img=localhost/sysrec-replay-test-$$:latest
	CNAME=sysrec-replay-test-$$
	tar -C "$tmp/rootfs" -cf "$tmp/rootfs.tar" . &&
		podman import --change 'CMD ["/bin/sh"]' "$tmp/rootfs.tar" "$img" >/dev/null 2>"$tmp/podman.err" ||
		{ note "podman import failed: $(cat "$tmp/podman.err")"; return 1; }
	cleanups+=("podman rmi -f $img")
	podman --runtime runc run -d --name "$CNAME" --network none --ulimit nofile=1024:1024 \
		--ulimit nproc=4096:4096 "$img" sh -c "$CTR_LOOP" >/dev/null 2>"$tmp/podman.err" ||
		{ note "podman run failed: $(cat "$tmp/podman.err")"; podman rm -f -t 0 "$CNAME" >/dev/null 2>&1; return 1; }
	cleanups=("podman rm -f -t 0 $CNAME" "${cleanups[@]}")
	CID=$(podman inspect -f '{{.Id}}' "$CNAME")
	CPID=$(podman inspect -f '{{.State.Pid}}' "$CNAME")
	CIMAGE=$(podman inspect -f '{{.ImageName}}' "$CNAME")
	CTYPE=podman
}

start_runc()
{
	command -v runc >/dev/null || return 1
	CNAME=sysrec-replay-test-$$
	mkdir -p "$tmp/bundle"
	mv "$tmp/rootfs" "$tmp/bundle/rootfs"
	(cd "$tmp/bundle" && runc spec) || return 1
	jq --arg loop "$CTR_LOOP" --arg cg "/$CNAME" '.process.terminal = false |
		.process.args = ["sh", "-c", $loop] | .linux.cgroupsPath = $cg |
		.process.rlimits = [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}]' \
		"$tmp/bundle/config.json" >"$tmp/bundle/c.json" && mv "$tmp/bundle/c.json" "$tmp/bundle/config.json"
	(cd "$tmp/bundle" && runc run -d "$CNAME" </dev/null >/dev/null 2>"$tmp/runc.err") ||
		{ note "runc run failed: $(cat "$tmp/runc.err")"; runc delete -f "$CNAME" >/dev/null 2>&1; return 1; }
	cleanups=("runc delete -f $CNAME" "${cleanups[@]}")
	CID=$CNAME
	CPID=$(runc state "$CNAME" | jq -r .pid)
	CIMAGE=
	CTYPE=runc
}

section_container()
{
	make_rootfs
	case ${RT_CONTAINER_RUNTIME:-podman} in
	runc) start_runc || skip "no container could be started with runc (see the notes above)" ;;
	*) start_podman || start_runc ||
		skip "no container could be started with podman or runc (see the notes above)" ;;
	esac
	echo "container $CNAME ($CTYPE), id $CID, init pid $CPID"
	sleep 0.3 # let its loop run: the capture starts with it under way
	local cmdline exe
	cmdline=$(tr '\0' ' ' <"/proc/$CPID/cmdline" | sed 's/ $//')
	exe=$(readlink "/proc/$CPID/exe")

	record "$tmp/ctr.sysrec" -d 1.5 --container "$CNAME"
	local C=$tmp/ctr.sysrec all
	all=$(cnt "$C" "evt.num > 0")
	[ "$all" -gt 0 ] && ok || bad "events of the container"
	eq "container.name|id|type of every event" \
		"$(uniq_vals "$C" '%container.name|%container.id|%container.type' "evt.num > 0")" \
		"$CNAME|$CID|$CTYPE"
	eq "container.name=$CNAME selects all" "$(cnt "$C" "container.name=$CNAME")" "$all"
	eq "container.name=host selects none" "$(cnt "$C" "container.name=host")" 0
	[ -z "$CIMAGE" ] || eq "container.image" "$(uniq_vals "$C" '%container.image' "evt.num > 0")" "$CIMAGE"
	# The container's init process, started before the capture: from the snapshot.
	eq "init process (pid $CPID): proc.name|proc.vpid|proc.exe|proc.cmdline" \
		"$(uniq_vals "$C" '%proc.name|%proc.vpid|%proc.exe|%proc.cmdline' "proc.pid=$CPID")" \
		"sh|1|$exe|$cmdline"
	eq "user.name and group.name from the container's /etc/passwd and /etc/group" \
		"$(uniq_vals "$C" '%user.uid %user.name %group.name' "evt.num > 0")" "0 ctr-admin ctr-wheel"
	# cat, started during the capture by the init process, opens /etc/hostname.
	local n
	n=$(cnt "$C" "evt.type=openat and evt.arg.filename=/etc/hostname and evt.failed=false")
	[ "$n" -gt 0 ] && ok || bad "cat's openat(/etc/hostname) in the container"
	eq "cat's openat(/etc/hostname): fd.name, parent, container" \
		"$(uniq_vals "$C" '%fd.name|%proc.pname|%proc.apid[1]|%container.name' "evt.type=openat and evt.arg.filename=/etc/hostname and evt.failed=false")" \
		"/etc/hostname|sh|$CPID|$CNAME"
	# A slice of cat's events carries the container, its users and cat's parent along.
	local fmt='%evt.type|%evt.rawtime|%proc.name|%proc.pid|%proc.vpid|%proc.pname|%proc.exe|%proc.cmdline|%fd.name|%user.name|%group.name|%container.name|%container.id|%container.type|%container.image|%evt.args'
	replay -w "$tmp/ctr-slice.sysrec" "$C" proc.name=cat
	n=$(cnt "$C" proc.name=cat)
	[ "$n" -gt 0 ] && ok || bad "cat's events in the container"
	eq "slice of the container's cat events: the same fields" \
		"$(replay -p "$fmt" "$tmp/ctr-slice.sysrec")" "$(replay -p "$fmt" "$C" proc.name=cat)"
}

# ---------------------------------------------------------------------------------------------
# filter: every operator on real data, against strace and the workload's fixed behaviour

section_filter()
{
	record_main
	local s=$tmp/strace.log all n a b c t

	all=$(cnt "$M" "proc.pid=$P")
	[ "$all" -gt 50 ] && ok || bad "events of the workload: $all"
	# = and != and in
	for t in openat write read close dup2 connect; do
		eq "evt.type=$t (pid $P), against strace" "$(cnt "$M" "proc.pid=$P and proc.name=rworkload and evt.type=$t")" \
			"$(grep -cE "^$P +$t\(" "$s" || true)"
	done
	a=$(cnt "$M" "proc.pid=$P and evt.type=openat")
	b=$(cnt "$M" "proc.pid=$P and evt.type=close")
	eq "!= is the complement of =" "$(cnt "$M" "proc.pid=$P and evt.type!=openat")" "$((all - a))"
	eq "in (openat, close)" "$(cnt "$M" "proc.pid=$P and evt.type in (openat, close)")" "$((a + b))"
	eq "or, and parentheses" "$(cnt "$M" "proc.pid=$P and (evt.type=openat or evt.type=close)")" "$((a + b))"
	eq "not (...)" "$(cnt "$M" "proc.pid=$P and not (evt.type=openat or evt.type=close)")" "$((all - a - b))"
	c=$(cnt "$M" "evt.type=close")
	eq "'and' binds tighter than 'or'" "$(cnt "$M" "proc.pid=$P and evt.type=openat or evt.type=close")" "$((a + c))"
	eq "not binds tighter than and" "$(cnt "$M" "not evt.type=close and proc.pid=$P")" "$((all - b))"

	# evt.failed, evt.res, against strace's "= -1 E..." of the workload after its exec
	n=$(awk -v p="$P" '$1 == p' "$s" | sed -n '/execve(/,$p' | grep -cE '= -1 E[A-Z]+ ' || true)
	eq "strace: failed calls of the workload" "$n" 5
	eq "evt.failed=true" "$(cnt "$M" "proc.pid=$P and proc.name=rworkload and evt.failed=true")" "$n"
	eq "evt.failed=false is the rest of the syscalls" \
		"$(cnt "$M" "proc.pid=$P and evt.failed=false")" "$(cnt "$M" "proc.pid=$P and evt.rawres exists and evt.failed!=true")"
	local p
	for p in "$P" "$SHP" "$CATP"; do
		eq "openat = ENOENT of pid $p, against strace" \
			"$(cnt "$M" "proc.pid=$p and evt.type=openat and evt.res=ENOENT")" \
			"$(grep -cE "^$p +openat\(.*= -1 ENOENT " "$s" || true)"
	done
	eq "evt.res=ENOTDIR" "$(cnt "$M" "proc.pid=$P and evt.res=ENOTDIR")" 1
	eq "evt.rawres < 0 is evt.failed=true" "$(cnt "$M" "proc.pid=$P and proc.name=rworkload and evt.rawres < 0")" "$n"

	# evt.latency: every completed syscall has one, and it is > 0
	n=$(cnt "$M" "proc.pid=$P and evt.latency exists")
	[ "$n" -gt 50 ] && ok || bad "syscalls with a latency: $n"
	eq "evt.latency > 0" "$(cnt "$M" "proc.pid=$P and evt.latency > 0")" "$n"
	eq "evt.latency >= 0ns and < 1h" "$(cnt "$M" "proc.pid=$P and evt.latency >= 0ns and evt.latency < 1h")" "$n"

	# < <= > >= on evt.buflen of the writes through fd 7: sizes 12 100 1000 35 3 (strace agrees)
	eq "strace: the sizes written through fd 7" \
		"$(grep -E "^$P +write\(7, " "$s" | sed -E 's/.* = ([0-9]+)$/\1/' | tr '\n' ' ')" "12 100 1000 35 3 "
	local w="proc.pid=$P and evt.type=write and fd.num=7"
	eq "evt.buflen < 35" "$(cnt "$M" "$w and evt.buflen < 35")" 2
	eq "evt.buflen <= 35" "$(cnt "$M" "$w and evt.buflen <= 35")" 3
	eq "evt.buflen > 100" "$(cnt "$M" "$w and evt.buflen > 100")" 1
	eq "evt.buflen >= 100" "$(cnt "$M" "$w and evt.buflen >= 100")" 2
	eq "evt.buflen = 1000" "$(cnt "$M" "$w and evt.buflen = 1000")" 1
	eq "sum of evt.buflen is the file's size" \
		"$(replay -p '%evt.buflen' "$M" "$w" | awk '{s += $1} END {print s}')" "$(stat -c %s "$D/rel.txt")"

	# string operators on fd.name (the file is behind 9 events: openat, dup2, close of the fd
	# openat returned, 5 writes, close(7)) and on openat's path argument
	local rel
	rel=$(realpath "$D/rel.txt")
	eq "fd.name = PATH" "$(cnt "$M" "proc.pid=$P and fd.name=$rel")" 9
	eq "fd.name == PATH" "$(cnt "$M" "proc.pid=$P and fd.name==$rel")" 9
	eq "fd.name contains" "$(cnt "$M" "proc.pid=$P and fd.name contains /d/rel.t")" 9
	eq "fd.name icontains" "$(cnt "$M" "proc.pid=$P and fd.name icontains /D/REL.T")" 9
	eq "fd.name startswith" "$(cnt "$M" "proc.pid=$P and fd.name startswith $D/re")" 9
	eq "fd.name endswith" "$(cnt "$M" "proc.pid=$P and fd.name endswith /rel.txt")" 9
	eq "fd.name glob" "$(cnt "$M" "proc.pid=$P and fd.name glob '$D/r?l.*'")" 9
	eq "fd.directory / fd.filename" "$(uniq_vals "$M" '%fd.directory %fd.filename' "proc.pid=$P and fd.name=$rel")" "$D rel.txt"
	n=$(grep -cE "^$P +openat\(AT_FDCWD, \"missing-[0-9].txt\"" "$s" || true)
	eq "strace: openat of missing-N.txt" "$n" 3
	eq "evt.arg.filename glob missing-*.txt" "$(cnt "$M" "proc.pid=$P and evt.arg.filename glob 'missing-*.txt'")" "$n"
	eq "glob with a class" "$(cnt "$M" "proc.pid=$P and evt.arg.filename glob 'missing-[02].txt'")" 2
	eq "evt.arg.filename startswith" "$(cnt "$M" "proc.pid=$P and evt.arg.filename startswith missing-")" "$n"
	eq "evt.arg.filename icontains" "$(cnt "$M" "proc.pid=$P and evt.arg.filename icontains MISSING-1")" 1
	eq "evt.arg.filename endswith, and evt.failed" \
		"$(cnt "$M" "proc.pid=$P and evt.type=openat and evt.arg.filename endswith .txt and evt.failed=true")" 4
	eq "evt.arg[1] (openat's path by position)" "$(cnt "$M" "proc.pid=$P and evt.type=openat and evt.arg[1]=missing-0.txt")" 1
	eq "evt.arg[1] and evt.arg.filename agree" \
		"$(cnt "$M" "evt.type=openat and evt.arg[1] exists")" "$(cnt "$M" "evt.type=openat and evt.arg.filename exists")"
	eq "quoted value" "$(cnt "$M" "proc.pid=$P and evt.arg.filename='sub/../rel.txt'")" 1

	# exists: fd.name exists and its complement
	a=$(cnt "$M" "proc.pid=$P and fd.name exists")
	[ "$a" -gt 9 ] && ok || bad "fd.name exists: $a"
	eq "exists + not exists" "$((a + $(cnt "$M" "proc.pid=$P and not fd.name exists")))" "$all"

	# network fields on connect
	eq "fd.dport=PORT on connect" "$(cnt "$M" "proc.pid=$P and evt.type=connect and fd.dport=$PORT")" 1
	eq "fd.dip=127.0.0.1 on connect" "$(cnt "$M" "proc.pid=$P and evt.type=connect and fd.dip=127.0.0.1")" 1
	eq "fd.dip=127.0.0.0/8 on connect" "$(cnt "$M" "proc.pid=$P and evt.type=connect and fd.dip=127.0.0.0/8")" 1
	eq "fd.dip=10.0.0.0/8 on connect" "$(cnt "$M" "proc.pid=$P and evt.type=connect and fd.dip=10.0.0.0/8")" 0
	eq "fd.dport!=PORT on connect" "$(cnt "$M" "proc.pid=$P and evt.type=connect and fd.dport!=$PORT")" 0
	eq "fd.l4proto=tcp and fd.type=ipv4 on connect" "$(cnt "$M" "proc.pid=$P and evt.type=connect and fd.l4proto=tcp and fd.type=ipv4")" 1

	# evt.buffer on writes: RWMARK starts the buffer of 4 writes (the 3-byte one has "RWM")
	eq "evt.buffer contains RWMARK" "$(cnt "$M" "proc.pid=$P and evt.type=write and evt.buffer contains RWMARK")" 4
	eq "evt.buffer contains 'GET /replay' (the write and the read of it)" \
		"$(cnt "$M" "proc.pid=$P and evt.buffer contains 'GET /replay'")" 2
	eq "evt.is_io_write" "$(cnt "$M" "proc.pid=$P and evt.is_io_write=true")" "$(cnt "$M" "proc.pid=$P and evt.type=write")"
}

# ---------------------------------------------------------------------------------------------
# output: JSON, formats, buffer modes, limits, counts and time ranges

section_output()
{
	record_main
	local j=$tmp/all.json n

	# -j: every line is one JSON object with the documented keys and types
	replay -j "$M" >"$j"
	n=$(wc -l <"$j")
	eq "-j: one object per event" "$n" "$(cnt "$M" "evt.num > 0")"
	jq -e . "$j" >/dev/null && ok || bad "-j output does not parse with jq"
	eq "-j: objects" "$(jq -s 'map(select(type == "object")) | length' "$j")" "$n"
	eq "-j: key types" "$(jq -s '
		map(select(
			(.["evt.num"] | type) == "number" and (.["evt.rawtime"] | type) == "number" and
			(.["evt.cpu"] | type) == "number" and (.["evt.type"] | type) == "string" and
			(.["evt.args"] | type) == "object" and
			(.["evt.datetime"] | test("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{9}$")) and
			((.["proc.name"] // "") | type) == "string" and ((.["proc.pid"] // 0) | type) == "number" and
			((.["thread.tid"] // 0) | type) == "number" and
			((.["evt.res"] // "") | type) == "string" and ((.["evt.rawres"] // 0) | type) == "number" and
			((.["evt.latency"] // 0) | type) == "number" and ((.["fd.num"] // 0) | type) == "number" and
			((.["fd.name"] // "") | type) == "string" and (.["container.name"] | type) == "string"
		)) | length' "$j")" "$n"
	eq "-j: evt.num counts 1, 2, 3, ..." "$(jq -s '[.[]["evt.num"]] == [range(1; length + 1)]' "$j")" true
	eq "-j: every openat has evt.res" \
		"$(jq -s 'map(select(.["evt.type"] == "openat" and (has("evt.res") | not))) | length' "$j")" 0
	eq "-j: a failed openat" "$(jq -c -s --arg p "$P" 'map(select(.["proc.pid"] == ($p | tonumber) and .["evt.type"] == "openat" and .["evt.args"].filename == "missing-1.txt")) | map([.["evt.res"], .["evt.rawres"], has("fd.name")])' "$j")" \
		'[["ENOENT",-2,false]]'
	# the first write through fd 7, against the file's first 12 bytes
	local rel=$D/rel.txt first
	first=$(jq -c -s --arg p "$P" 'map(select(.["proc.pid"] == ($p | tonumber) and .["evt.type"] == "write" and .["fd.num"] == 7))[0] | [.["fd.name"], .["evt.rawres"], .["evt.args"].count, .["evt.args"].buf]' "$j")
	eq "-j: first write through fd 7 (fd.name, result, count, buffer with escapes)" "$first" \
		"$(jq -c -n --arg f "$(realpath "$rel")" --arg b "$(escapes "$rel" 0 12)" '[$f, 12, 12, $b]')"

	# a UTF-8 file name: as it is, in text and in JSON (JSON strings are Unicode)
	local cafe=$'caf\xc3\xa9.txt' uf
	uf="proc.pid=$P and evt.type=openat and evt.arg.filename=$cafe"
	[ -e "$D/$cafe" ] && ok || bad "the workload made $D/$cafe"
	eq "UTF-8 name, -p" "$(replay -p '%evt.arg.filename|%fd.name' "$M" "$uf")" "$cafe|$D/$cafe"
	eq "UTF-8 name, -j" "$(replay -j "$M" "$uf" | jq -r '.["evt.args"].filename + "|" + .["fd.name"]')" \
		"$cafe|$D/$cafe"

	# -j -p: only the named fields, null when absent
	eq "-j -p: named fields only, absent ones null" \
		"$(replay -j -p '%proc.name %fd.name %evt.type' "$M" "proc.pid=$SHP and evt.type=getppid" | jq -c .)" \
		'{"proc.name":"sh","fd.name":null,"evt.type":"getppid"}'

	# -p: <NA> for a field the event does not have; literal text and %%
	eq "-p: <NA> for a missing fd.name" \
		"$(replay -p '%proc.name %fd.name' "$M" "proc.pid=$SHP and evt.type=getppid")" "sh <NA>"
	eq "-p: literal text and %%" \
		"$(replay -p 'pid=%proc.pid 100%% %evt.type.' "$M" "proc.pid=$SHP and evt.type=getppid")" \
		"pid=$SHP 100% getppid."

	# buffers: default dots, -A escapes, -X hex; against the bytes in the file
	local f="proc.pid=$P and evt.type=write and fd.num=7 and evt.buflen=12"
	eq "buffer, default (dots)" "$(replay -p '%evt.buffer' "$M" "$f")" "$(dots "$rel" 0 12)"
	eq "buffer, -A" "$(replay -A -p '%evt.buffer' "$M" "$f")" "$(escapes "$rel" 0 12)"
	eq "buffer, -X" "$(replay -X -p '%evt.buffer' "$M" "$f")" "$(hexbytes "$rel" 0 12)"
	local snap
	snap=$("$sysrec" info -j "$M" | jq -r '.properties["capture.snaplen"]')
	eq "buffer of the 1000-byte write, -X: the first snaplen ($snap) bytes at offset 112" \
		"$(replay -X -p '%evt.buffer' "$M" "proc.pid=$P and evt.type=write and fd.num=7 and evt.buflen=1000")" \
		"$(hexbytes "$rel" 112 "$snap")"
	replay -A "$M" "$f" | grep -qF "buf=$(escapes "$rel" 0 12) count=12 = 12" && ok ||
		bad "-A in the default line: $(replay -A "$M" "$f")"

	# -n and --count
	local full
	full=$(replay -p '%evt.num %evt.type' "$M" "proc.pid=$P")
	eq "-n 5: the first 5" "$(replay -n 5 -p '%evt.num %evt.type' "$M" "proc.pid=$P")" "$(head -n 5 <<<"$full")"
	eq "--count" "$(cnt "$M" "proc.pid=$P")" "$(wc -l <<<"$full")"
	eq "--count with -n" "$(replay --count -n 3 "$M" "proc.pid=$P")" 3
	eq "--count of nothing" "$(cnt "$M" "proc.name=no-such-process")" 0

	# --from/--to, on a longer trace: relative, absolute date and time, time of day
	record "$tmp/ticks.sysrec" -- "$workload" ticks 200
	local T=$tmp/ticks.sysrec tj=$tmp/ticks.json r1 r2 d1 t2
	replay -j -p '%evt.reltime %evt.datetime %evt.time' "$T" >"$tj"
	n=$(wc -l <"$tj")
	[ "$n" -gt 400 ] && ok || bad "ticks trace: $n events"
	eq "--from +0.25s --to +0.75s" "$(replay --count --from +0.25s --to +0.75s "$T")" \
		"$(jq -s 'map(select(.["evt.reltime"] >= 250000000 and .["evt.reltime"] < 750000000)) | length' "$tj")"
	eq "--from 500ms" "$(replay --count --from 500ms "$T")" \
		"$(jq -s 'map(select(.["evt.reltime"] >= 500000000)) | length' "$tj")"
	# absolute: the date and time of event 101, the time of day of event 301
	d1=$(jq -r -s '.[100]["evt.datetime"]' "$tj")
	r1=$(jq -r -s '.[100]["evt.reltime"]' "$tj")
	t2=$(jq -r -s '.[300]["evt.time"]' "$tj")
	r2=$(jq -r -s '.[300]["evt.reltime"]' "$tj")
	eq "--from '$d1' --to '$t2'" "$(replay --count --from "$d1" --to "$t2" "$T")" \
		"$(jq -s --argjson a "$r1" --argjson b "$r2" 'map(select(.["evt.reltime"] >= $a and .["evt.reltime"] < $b)) | length' "$tj")"
	eq "--from DATETIME starts at that event" "$(replay -n 1 -p '%evt.datetime' --from "$d1" "$T")" "$d1"
	eq "--from and a filter" "$(replay --count --from "$d1" "$T" evt.type=getppid)" \
		"$(jq -s --argjson a "$r1" 'map(select(.["evt.reltime"] >= $a)) | length' \
			<(replay -j -p '%evt.reltime' "$T" evt.type=getppid))"
}

# ---------------------------------------------------------------------------------------------
# badinput: bad command lines and damaged files

section_badinput()
{
	local rc out=$tmp/out err=$tmp/err T

	# A trace of 3 chunks (the recorder ends a chunk every second).
	"$workload" hold "$tmp/held.log" >"$tmp/hold.out" &
	local hp=$! i
	cleanups+=("kill $hp")
	for i in $(seq 100); do grep -q '^port ' "$tmp/hold.out" && break; sleep 0.05; done
	record "$tmp/hold.sysrec" -d 3 -p "$hp"
	kill "$hp"
	T=$tmp/hold.sysrec

	# A bad filter is rejected before the file is read: a FIFO as the "file" would block.
	mkfifo "$tmp/fifo"
	rc=$(run_rc "$out" "$err" timeout 20 "$sysrec" replay "$tmp/fifo" proc.nmae=x)
	eq "bad filter, file never opened: exit" "$rc" 2
	one_line "bad filter" "$err" "^sysrec: filter: unknown field 'proc.nmae'.* at column 1$"
	rc=$(run_rc "$out" "$err" "$sysrec" replay "$T" 'proc.name=x and proc.nmae=y')
	eq "bad field further in: exit" "$rc" 2
	one_line "bad field further in" "$err" "unknown field 'proc.nmae'.* at column 17$"
	[ -s "$out" ] && bad "bad filter printed events" || ok
	rc=$(run_rc "$out" "$err" "$sysrec" replay "$T" 'proc.name=x and')
	eq "filter ends early: exit" "$rc" 2
	one_line "filter ends early" "$err" "^sysrec: filter: .*at column [0-9]*$"
	rc=$(run_rc "$out" "$err" "$sysrec" replay "$T" 'evt.type=open and (proc.name=x')
	eq "unbalanced parenthesis: exit" "$rc" 2
	one_line "unbalanced parenthesis" "$err" "^sysrec: filter: .*at column [0-9]*$"
	[ "$(grep -o 'at column' "$err" | wc -l)" = 1 ] && ok ||
		bad "unbalanced parenthesis: the column is given once: $(cat "$err")"
	rc=$(run_rc "$out" "$err" "$sysrec" replay "$T" 'evt.latency > 5parsecs')
	eq "bad duration: exit" "$rc" 2
	one_line "bad duration" "$err" "^sysrec: filter: "
	rc=$(run_rc "$out" "$err" "$sysrec" replay "$tmp/none.sysrec" proc.nmae=x)
	[ "$rc" = 1 ] || [ "$rc" = 2 ] && ok || bad "missing file and bad filter: exit $rc"
	one_line "missing file and bad filter" "$err" "^sysrec: cannot open '$tmp/none.sysrec': No such file or directory$"

	# Bad options and formats
	rc=$(run_rc "$out" "$err" "$sysrec" replay --bogus "$T")
	eq "unknown option: exit" "$rc" 2
	one_line "unknown option" "$err" "^sysrec: .*--bogus"
	rc=$(run_rc "$out" "$err" "$sysrec" replay -p '%proc.nmae' "$T")
	eq "bad format field: exit" "$rc" 2
	one_line "bad format field" "$err" "^sysrec: format: unknown field 'proc.nmae'"
	rc=$(run_rc "$out" "$err" "$sysrec" replay -n -3 "$T")
	eq "bad -n: exit" "$rc" 2
	one_line "bad -n" "$err" "^sysrec: replay: bad -n"
	rc=$(run_rc "$out" "$err" "$sysrec" replay --from yesterday "$T")
	eq "bad --from: exit" "$rc" 2
	one_line "bad --from" "$err" "^sysrec: replay: bad --from 'yesterday'"
	rc=$(run_rc "$out" "$err" "$sysrec" replay --redact "$T")
	eq "--redact without -w: exit" "$rc" 2
	one_line "--redact without -w" "$err" "only applies to -w"
	cp "$T" "$tmp/self.sysrec"
	rc=$(run_rc "$out" "$err" "$sysrec" replay -w "$tmp/self.sysrec" "$tmp/self.sysrec" evt.type=write)
	[ "$rc" != 0 ] && ok || bad "-w onto its own input: exit 0"
	one_line "-w onto its own input" "$err" "^sysrec: .*$tmp/self.sysrec"
	cmp -s "$T" "$tmp/self.sysrec" && ok || bad "-w onto its own input: the input trace was overwritten"
	rc=$(run_rc "$out" "$err" "$sysrec" replay -w "$tmp/no/such/dir/x.sysrec" "$T")
	eq "-w into a missing directory: exit" "$rc" 1
	one_line "-w into a missing directory" "$err" "^sysrec: cannot create '$tmp/no/such/dir/x.sysrec': No such file or directory$"
	rc=$(run_rc "$out" "$err" "$sysrec" replay)
	eq "no file: exit" "$rc" 2
	one_line "no file" "$err" "no trace file"

	# Files that are not traces
	rc=$(run_rc "$out" "$err" "$sysrec" replay "$tmp/none.sysrec")
	[ "$rc" = 1 ] || [ "$rc" = 2 ] && ok || bad "missing file: exit $rc"
	one_line "missing file" "$err" "^sysrec: cannot open '$tmp/none.sysrec': No such file or directory$"
	mkdir "$tmp/adir"
	rc=$(run_rc "$out" "$err" "$sysrec" replay "$tmp/adir")
	[ "$rc" != 0 ] && ok || bad "a directory: exit 0"
	one_line "a directory" "$err" "^sysrec: $tmp/adir: not a regular file (directory)$"
	: >"$tmp/empty.sysrec"
	rc=$(run_rc "$out" "$err" "$sysrec" replay "$tmp/empty.sysrec")
	eq "empty file: exit" "$rc" 1
	one_line "empty file" "$err" "not a sysrec trace"
	printf 'hello, not a trace\n' >"$tmp/text.sysrec"
	rc=$(run_rc "$out" "$err" "$sysrec" replay "$tmp/text.sysrec")
	eq "text file: exit" "$rc" 1
	one_line "text file" "$err" "not a sysrec trace"
	no_crash "text file" "$err"

	# Damaged traces: the events of the chunks before the damage, then one error line.
	local fmt='%evt.num %evt.ts %evt.type %fd.name' full=$tmp/full.txt chunks
	replay -p "$fmt" "$T" >"$full"
	"$sysrec" info -j "$T" >"$tmp/info.json"
	chunks=$(jq '.chunks | length' "$tmp/info.json")
	[ "$chunks" -ge 2 ] || { bad "the 3 s trace has $chunks chunk(s), need 2 or more"; return; }
	local last_off last_sz prev_ts want
	last_off=$(jq '.chunks[-1].offset' "$tmp/info.json")
	last_sz=$(jq '.chunks[-1].stored_size' "$tmp/info.json")
	prev_ts=$(jq '.chunks[-2].last_ts' "$tmp/info.json")
	want=$(awk -v t="$prev_ts" '$2 <= t' "$full" | wc -l)
	[ "$want" -gt 0 ] && ok || bad "events in the complete chunks: $want"

	head -c $((last_off + last_sz / 2)) "$T" >"$tmp/cut.sysrec"
	rc=$(run_rc "$out" "$err" "$sysrec" replay -p "$fmt" "$tmp/cut.sysrec")
	eq "truncated trace: exit" "$rc" 1
	one_line "truncated trace" "$err" "^sysrec: $tmp/cut.sysrec: .*truncated"
	no_crash "truncated trace" "$err"
	eq "truncated trace: the events of the complete chunks" "$(wc -l <"$out")" "$want"
	eq "truncated trace: the same events as the whole file" "$(cat "$out")" "$(head -n "$want" "$full")"
	rc=$(run_rc "$out" "$err" "$sysrec" replay --count "$tmp/cut.sysrec")
	eq "truncated trace, --count: exit" "$rc" 1
	eq "truncated trace, --count" "$(cat "$out")" "$want"
	rc=$(run_rc "$out" "$err" "$sysrec" replay -j "$tmp/cut.sysrec")
	eq "truncated trace, -j: exit" "$rc" 1
	eq "truncated trace, -j: every line parses" "$(jq -s length "$out")" "$want"

	# One byte changed in the middle of the last chunk
	cp "$T" "$tmp/bad.sysrec"
	local off=$((last_off + last_sz / 2)) byte
	byte=$(od -An -tu1 -j "$off" -N 1 "$T" | tr -d ' ')
	printf "\\$(printf %03o $(((byte + 1) % 256)))" |
		dd of="$tmp/bad.sysrec" bs=1 seek="$off" conv=notrunc status=none
	rc=$(run_rc "$out" "$err" "$sysrec" replay -p "$fmt" "$tmp/bad.sysrec")
	eq "corrupted byte: exit" "$rc" 1
	one_line "corrupted byte" "$err" "^sysrec: $tmp/bad.sysrec: "
	no_crash "corrupted byte" "$err"
	eq "corrupted byte: the events before the damaged chunk" "$(cat "$out")" "$(head -n "$want" "$full")"

	# Cut inside the header, at every 1/8 of the file, and in the index after the last chunk:
	# never a crash.  Before the end of the last chunk, the events of the complete chunks and
	# exit 1; after it, every event (the index and footer of a file that was not closed
	# cleanly are missing: docs/format.md, "Sequential reading").
	local sz i data_end rw=$tmp/rw.txt
	sz=$(stat -c %s "$T")
	data_end=$((last_off + 24 + last_sz))
	replay -p "$fmt" "$T" 'evt.type in (read, write)' >"$rw"
	for i in 16 $((sz / 8)) $((sz / 4)) $((sz * 3 / 8)) $((sz / 2)) $((sz * 5 / 8)) $((sz * 3 / 4)) \
		 $((sz * 7 / 8)) $((data_end - 1)) $((data_end + 1)) $((sz - 1)); do
		head -c "$i" "$T" >"$tmp/cut.sysrec"
		rc=$(run_rc "$out" "$err" "$sysrec" replay -p "$fmt" "$tmp/cut.sysrec" 'evt.type in (read, write)')
		no_crash "cut at byte $i" "$err"
		if [ "$i" -lt "$data_end" ]; then
			eq "cut at byte $i: exit" "$rc" 1
			one_line "cut at byte $i" "$err" "^sysrec: "
			# the events shown are the whole file's first ones
			[ "$(cat "$out")" = "$(head -n "$(wc -l <"$out")" "$rw")" ] &&
				ok || bad "cut at byte $i: the events shown are not the first ones of the whole file"
			# (all of them may be there: the chunks after the cut can hold other records
			# only, such as the CPU times and drop counts written at the stop)
			[ "$(wc -l <"$out")" -le "$(wc -l <"$rw")" ] && ok || bad "cut at byte $i: more events than the file has"
		else
			eq "cut at byte $i, after the last chunk: every event" "$(cat "$out")" "$(cat "$rw")"
		fi
	done
}

# ---------------------------------------------------------------------------------------------
# slice: replay -w writes a self-contained trace that replays like the original

section_slice()
{
	record_main
	local fmt='%evt.type|%evt.rawtime|%proc.name|%proc.pid|%proc.ppid|%proc.pname|%proc.aname[2]|%proc.aname[3]|%proc.exe|%proc.cmdline|%proc.cwd|%fd.num|%fd.type|%fd.name|%fd.dport|%user.name|%group.name|%container.name|%evt.res|%evt.latency|%evt.args'
	local f='proc.name in (rworkload, sh, cat)' S=$tmp/slice.sysrec n

	replay -w "$S" "$M" "$f"
	n=$(cnt "$M" "$f")
	[ "$n" -gt 100 ] && ok || bad "events of the slice: $n"
	eq "slice: the same events, fields and state as the original with the filter" \
		"$(replay -p "$fmt" "$S")" "$(replay -p "$fmt" "$M" "$f")"
	eq "slice: evt.num renumbered from 1" "$(replay -p '%evt.num' "$S" | tr '\n' ' ')" "$(seq -s ' ' 1 "$n") "
	eq "slice: the filter selects the same again" "$(cnt "$S" "$f")" "$n"
	local so ss
	so=$(stat -c %s "$M")
	ss=$(stat -c %s "$S")
	[ "$((ss * 2))" -lt "$so" ] && ok || bad "slice is not much smaller: $ss bytes of $so"
	eq "slice mode 0600" "$(stat -c %a "$S")" 600
	"$sysrec" info "$S" >"$tmp/info.txt" 2>&1 && ok || bad "sysrec info on the slice: $(cat "$tmp/info.txt")"
	grep -q 'closed cleanly' "$tmp/info.txt" && ok || bad "info: the slice was not closed cleanly"
	eq "info -j: record count of the slice" "$("$sysrec" info -j "$S" | jq '.records.syscall')" \
		"$(cnt "$S" 'evt.pending exists')"

	# A narrow slice: the writes and closes of one file; fd 7 (a dup2() of the fd openat()
	# returned, before the slice's first event) is named by the state the slice carries.
	local rel
	rel=$(realpath "$D/rel.txt")
	replay -w "$tmp/narrow.sysrec" "$M" "fd.name=$rel and evt.type in (write, close)"
	eq "narrow slice: fd state" "$(replay -p '%fd.num %fd.name %evt.type %proc.cwd %proc.pname' "$tmp/narrow.sysrec")" \
		"$(replay -p '%fd.num %fd.name %evt.type %proc.cwd %proc.pname' "$M" "fd.name=$rel and evt.type in (write, close)")"
	eq "narrow slice: 5 writes and 2 closes" "$(cnt "$tmp/narrow.sysrec" 'evt.num > 0')" 7
	[ "$(($(stat -c %s "$tmp/narrow.sysrec") * 4))" -lt "$so" ] && ok ||
		bad "narrow slice is not much smaller: $(stat -c %s "$tmp/narrow.sysrec") of $so"

	# A slice of nothing is a valid, empty trace.
	local rc
	replay -w "$tmp/none.sysrec" "$M" 'proc.name=no-such-process'
	eq "empty slice: no events" "$(cnt "$tmp/none.sysrec" 'evt.num > 0')" 0
	rc=$(run_rc "$tmp/info.out" "$tmp/info.err" "$sysrec" info "$tmp/none.sysrec")
	eq "info on an empty slice: exit" "$rc" 0
	no_crash "info on an empty slice" "$tmp/info.err"
	grep -q 'closed cleanly' "$tmp/info.out" && ok || bad "info on an empty slice: $(cat "$tmp/info.out" "$tmp/info.err")"

	# --redact: no buffers, no command-line arguments; paths stay
	local R=$tmp/redacted.sysrec
	replay -w "$R" --redact "$M" "$f"
	eq "redacted: the same events" "$(cnt "$R" 'evt.num > 0')" "$n"
	[ "$(cnt "$M" "$f and evt.buffer exists")" -gt 0 ] && ok || bad "the original has buffers"
	eq "redacted: evt.buffer absent" "$(cnt "$R" 'evt.buffer exists')" 0
	eq "redacted: JSON write buffers are null" \
		"$(replay -j "$R" 'evt.type=write' | jq -s 'map(select(.["evt.args"].buf != null)) | length')" 0
	eq "redacted: no command-line arguments" \
		"$(cnt "$R" 'proc.cmdline contains hostname or proc.cmdline contains main or proc.args exists and proc.args != ""')" 0
	eq "redacted: no exec arguments" \
		"$(replay -j "$R" 'evt.type=procexec' | jq -s 'map(select((.["evt.args"].args // "") | test("hostname|exit 0"))) | length')" 0
	eq "redacted: paths and fds kept" \
		"$(replay -p '%evt.type %evt.arg.filename %fd.name %proc.exe %proc.cwd' "$R" 'evt.type in (openat, chdir)')" \
		"$(replay -p '%evt.type %evt.arg.filename %fd.name %proc.exe %proc.cwd' "$M" "$f and evt.type in (openat, chdir)")"
	"$sysrec" info "$R" >/dev/null && ok || bad "sysrec info on the redacted slice"
}

# ---------------------------------------------------------------------------------------------
# merge: two recordings of the same host, replayed together in time order

boot_time() { "$sysrec" info "$1" | awk '$1 == "machine.boot_time_ns" {print $2}'; }

section_merge()
{
	local A=$tmp/a.sysrec B=$tmp/b.sysrec na nb
	# Two captures at once, each of its own command.
	record "$A" -- "$workload" ticks 60 &
	local pa=$!
	record "$B" -- "$workload" ticks 60
	wait "$pa" || { echo "FAIL: the first capture failed"; exit 1; }
	na=$(cnt "$A" 'evt.num > 0')
	nb=$(cnt "$B" 'evt.num > 0')
	eq "merged count is the sum" "$(replay --count "$A" "$B")" "$((na + nb))"
	replay -p '%evt.rawtime' "$A" "$B" >"$tmp/merged.txt"
	sort -n -c "$tmp/merged.txt" 2>"$tmp/sort.err" && ok ||
		bad "merged output is not in time order: $(cat "$tmp/sort.err")"
	eq "merged evt.rawtime = the two files' evt.rawtime, sorted" "$(cat "$tmp/merged.txt")" \
		"$( (replay -p '%evt.rawtime' "$A"; replay -p '%evt.rawtime' "$B") | sort -n)"
	eq "merged, the files in the other order" "$(replay -p '%evt.rawtime' "$B" "$A")" "$(cat "$tmp/merged.txt")"
	eq "evt.num runs over both files" "$(replay -p '%evt.num' "$A" "$B" | tail -n 1)" "$((na + nb))"
	# A filter over both: each workload slept 60 times for at least 5 ms.
	eq "clock_nanosleep >= 5ms in both" "$(replay --count "$A" "$B" 'evt.type=clock_nanosleep and evt.latency >= 5ms')" 120
	eq "getppid in both, one pid per file" \
		"$(replay -p '%proc.pid' "$A" "$B" 'evt.type=getppid' | sort | uniq -c | awk '{print $1}' | tr '\n' ' ')" "60 60 "
	# A slice of both files of one host: the same events at the same times.  Each file has its
	# own machine.boot_time_ns, computed when its capture started: they can differ by some ns.
	replay -w "$tmp/ab.sysrec" "$A" "$B" 'evt.type=getppid'
	[ "$(boot_time "$A")" != "$(boot_time "$B")" ] ||
		note "the two files have the same machine.boot_time_ns: this run cannot tell whether a slice of both keeps each file's times"
	eq "slice of two files (boot times: $(boot_time "$A") and $(boot_time "$B"))" \
		"$(replay -p '%evt.rawtime %proc.pid' "$tmp/ab.sysrec")" \
		"$(replay -p '%evt.rawtime %proc.pid' "$A" "$B" 'evt.type=getppid')"
}

case $section in
state | snapshot | container | filter | output | badinput | slice | merge) "section_$section" ;;
*) echo "usage: $0 SYSREC WORKLOAD state|snapshot|container|filter|output|badinput|slice|merge"; exit 2 ;;
esac

echo "$section: $pass passed, $fail failed"
if [ "$fail" != 0 ]; then exit 1; fi
