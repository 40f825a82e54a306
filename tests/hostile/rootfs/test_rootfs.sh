#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The recorder never reads a host file on behalf of a container, root (BPF, runc).
# Host files under $sec hold secret markers; runc containers (busybox-static and our static
# program) link to them with absolute symlinks: /etc/passwd, /etc/group, a uprobe target
# /usr/bin/x, a build-id debug file.  Each link also has a target *inside* the rootfs at the
# same path, with the container's own content: a link resolved inside the container's root
# finds that one (user "inroot", the container's binary, its own debug file).  Then:
#  1. `record --container`, three times: the root user is "inroot"; the probe attaches to the
#     container's binary (hits from it), a link to a file only the host has gives one clear
#     line; samples are named from the container's own debug file.
#  2. /etc/passwd a FIFO and /etc/group a link to /dev/zero (and the other way round): the
#     recorder finishes on its own (-d), says what it skipped, and the file stays small.
#  3. a whole-host recording while containers start: the same containers, and one running as
#     a uid only its own /etc/passwd names (regular files): user.name and group.name from it.
#  4. no marker in `replay -j`, `info -j`, the decompressed chunks or the raw bytes.
# The markers are built from pieces: this script's own text (bash reads it while the
# whole-host recording runs) must not hold them.
# Usage: test_rootfs.sh SYSREC PROG_SOURCE DUMP_CHUNKS [-v] [-k]
set -uo pipefail
sysrec=$1 src=$2 dump=$3
. "$(dirname "$0")/../../lib/harness.sh"
harness_init rootfs "${4:-}" "${5:-}"
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (BPF, runc)"
	exit 77
fi
for t in gcc jq runc strip readelf timeout; do
	command -v "$t" >/dev/null || { echo "SKIP: $t is missing"; exit 77; }
done
[ -x /bin/busybox ] && file -L /bin/busybox | grep -q 'statically linked' ||
	{ echo "SKIP: busybox-static is missing"; exit 77; }

M=SECRET
M+=MARKER # the markers are $M1 .. $M4
sec=$(mktemp -d /tmp/sysrec-secret-XXXXXX)
cleanups+=("rm -rf $sec")
cflags=(-static -O1 -g -fno-omit-frame-pointer -Wl,--build-id)
gcc "${cflags[@]}" -o "$tmp/prog" "$src" || { echo "SKIP: cannot link a static binary"; exit 77; }
strip -o "$tmp/prog.stripped" "$tmp/prog"
# the host's files the links point to: marked, and a binary whose functions bear the marker
gcc "${cflags[@]}" -Drootfs_target_fn="${M}3_fn" -Drootfs_spin_fn="${M}4_fn" -o "$sec/x" "$src"
cp "$sec/x" "$sec/y"
cp "$sec/x" "$sec/dbg.debug"
printf '%s1:x:0:0:%s1:/%s1:/bin/sh\n' "$M" "$M" "$M" >"$sec/passwd"
printf '%s2:x:0:\n' "$M" >"$sec/group"
bid=$(readelf -n "$tmp/prog.stripped" | awk '/Build ID:/ { print $3 }')
[ -n "$bid" ] || { echo "SKIP: no build-id in the test program"; exit 77; }
export SYSREC_RUN_DIR=$tmp/run

# ---- rootfs and bundles ----
base_rootfs() # DIR
{
	mkdir -p "$1/bin" "$1/proc" "$1/etc" "$1/tmp" "$1/usr/bin"
	cp /bin/busybox "$1/bin/busybox"
	ln -s busybox "$1/bin/sh"
	cp "$tmp/prog.stripped" "$1/bin/prog"
}

links_rootfs() # DIR: every file of interest an absolute link to the host's, with an in-root target
{
	local r=$1 d=usr/lib/debug/.build-id/${bid:0:2}
	base_rootfs "$r"
	mkdir -p "$r$sec" "$r/$d"
	ln -s "$sec/passwd" "$r/etc/passwd"
	ln -s "$sec/group" "$r/etc/group"
	ln -s "$sec/x" "$r/usr/bin/x"
	ln -s "$sec/y" "$r/usr/bin/y"
	ln -s "$sec/dbg.debug" "$r/$d/${bid:2}.debug"
	echo "inroot:x:0:0:inroot:/root:/bin/sh" >"$r$sec/passwd" # no group file inside
	cp "$tmp/prog" "$r$sec/x"
	cp "$tmp/prog" "$r$sec/dbg.debug" # the container's own debug file: names its samples
}

cgparent=sysrec-rootfs-$$
cleanups+=("rmdir /sys/fs/cgroup/*/$cgparent")
bundle() # NAME UID ARGS_JSON ROOTFS_MAKER: $tmp/NAME with rootfs and config.json
{
	local b=$tmp/$1
	mkdir -p "$b"
	"$4" "$b/rootfs"
	(cd "$b" && runc spec && jq --arg cg "/$cgparent/$1" --argjson uid "$2" --argjson args "$3" \
		'.process.terminal = false | .root.readonly = false | .process.args = $args
		| .linux.cgroupsPath = $cg
		| .process.user.uid = $uid | .process.user.gid = $uid' config.json >c.json &&
		mv c.json config.json)
	cleanups=("runc delete -f $1; rmdir /sys/fs/cgroup/*/$cgparent/$1" "${cleanups[@]}")
}

# regular files to start with (runc itself reads /etc/passwd: a FIFO would stop it); the
# container's command turns them into a FIFO and a link to /dev/zero (fifo_cmd, zero_cmd)
plain_rootfs()
{
	base_rootfs "$1"
	echo "before:x:0:0:before:/:/bin/sh" >"$1/etc/passwd"
	echo "beforegrp:x:0:" >"$1/etc/group"
}
fifo_cmd="rm /etc/passwd /etc/group && mkfifo /etc/passwd && ln -s /dev/zero /etc/group"
zero_cmd="rm /etc/passwd /etc/group && mkfifo /etc/group && ln -s /dev/zero /etc/passwd"
user_rootfs()
{
	base_rootfs "$1"
	echo "ctruser:x:4321:4321:ctr:/home:/bin/sh" >"$1/etc/passwd"
	echo "ctrgroup:x:4321:" >"$1/etc/group"
}

# wait_for FILE PATTERN: until FILE has a line matching PATTERN (at most 60 s)
wait_for()
{
	for _ in $(seq 600); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# wait_running NAME: until runc says the container runs (at most 30 s)
wait_running()
{
	for _ in $(seq 300); do
		[ "$(runc state "$1" 2>/dev/null | jq -r .status)" = running ] && return 0
		sleep 0.1
	done
	return 1
}

# wait_prog NAME: until the container's process is our program (at most 30 s)
wait_prog()
{
	local pid
	for _ in $(seq 300); do
		pid=$(runc state "$1" 2>/dev/null | jq -r .pid)
		[ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = prog ] && return 0
		sleep 0.1
	done
	return 1
}

# stop_recorder PID: SIGINT, then its exit status in $stop_rc (137 if it had to be killed
# after 120 s)
stop_recorder()
{
	kill -INT "$1" 2>/dev/null
	for _ in $(seq 1200); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$1" 2>/dev/null && kill -KILL "$1"
	stop_rc=0
	wait "$1" || stop_rc=$?
}

ctr=sysrec-rootfs-$$
wait_args='["/bin/sh", "-c", "/usr/bin/x --wait /go --call 50 && exec /bin/prog --wait /go2 --spin 1500"]'
bundle "$ctr-links" 0 "$wait_args" links_rootfs

# ---- 1. record --container: users, a probe and samples inside the container's root ----
runc run --bundle "$tmp/$ctr-links" "$ctr-links" </dev/null >"$tmp/links.out" 2>&1 &
links_pid=$!
wait_running "$ctr-links" || bad "container $ctr-links did not start: $(cat "$tmp/links.out")"

# users, from the snapshot of a running container
rc=$(run_rc "$tmp/plain.out" "$tmp/plain.err" timeout -s KILL 120 "$sysrec" record \
	-o "$tmp/plain.sysrec" --container "$ctr-links" -d 1)
eq "record --container of the container with links: exit 0" "$rc" 0
no_crash "record --container" "$tmp/plain.err"
eq "the root user's name is the container's (its link resolved inside its root)" \
	"$("$sysrec" replay -q -p '%user.name' "$tmp/plain.sysrec" "container.name=$ctr-links" |
	sort -u)" inroot

rc=$(run_rc "$tmp/y.out" "$tmp/y.err" timeout -s KILL 120 "$sysrec" record -o "$tmp/y.sysrec" \
	--container "$ctr-links" -d 1 --probe 'uprobe:/usr/bin/y:rootfs_target_fn')
[ "$rc" != 0 ] && [ "$rc" != 137 ] && ok || bad "a probe on a link to a host-only binary: exit $rc"
one_line "a probe on a link to a host-only binary" "$tmp/y.err" \
	"uprobe:/usr/bin/y:rootfs_target_fn: cannot open '/usr/bin/y' inside the container's root: No such file"
no_crash "probe refusal" "$tmp/y.err"

# a probe on /usr/bin/x, while the container calls it 50 times
"$sysrec" record -v -o "$tmp/probe.sysrec" --container "$ctr-links" \
	--probe 'uprobe:/usr/bin/x:rootfs_target_fn n=$arg1:s32' >"$tmp/rec1.out" 2>"$tmp/rec1.err" &
rec=$!
cleanups=("kill -KILL $rec" "${cleanups[@]}")
wait_for "$tmp/rec1.err" "recording" || bad "record --probe did not start: $(cat "$tmp/rec1.err")"
touch "$tmp/$ctr-links/rootfs/go"
wait_prog "$ctr-links" || bad "container $ctr-links: x did not finish"
stop_recorder "$rec"
eq "record --probe exits 0" "$stop_rc" 0
no_crash "record --probe" "$tmp/rec1.err"
f=$tmp/probe.sysrec
eq "the probe attached to the container's binary: every call" "$("$sysrec" replay -q --count "$f" \
	"evt.type=probe and container.name=$ctr-links")" 50
eq "the probe definition names the path as given" "$("$sysrec" replay -q -p '%probe.name' "$f" \
	"evt.type=probe" | sort -u)" 'uprobe:/usr/bin/x:rootfs_target_fn n=$arg1:s32'

# samples of the stripped program, named from its build-id debug file (a link)
"$sysrec" record -v -o "$tmp/samples.sysrec" --container "$ctr-links" --sample cpu-clock:499 \
	>"$tmp/rec2.out" 2>"$tmp/rec2.err" &
rec=$!
cleanups=("kill -KILL $rec" "${cleanups[@]}")
wait_for "$tmp/rec2.err" "recording" || bad "record --sample did not start: $(cat "$tmp/rec2.err")"
touch "$tmp/$ctr-links/rootfs/go2"
wait "$links_pid" || bad "container $ctr-links failed: $(cat "$tmp/links.out")"
stop_recorder "$rec"
eq "record --sample exits 0" "$stop_rc" 0
no_crash "record --sample" "$tmp/rec2.err"
"$sysrec" replay -q -c 'profile 0' "$tmp/samples.sysrec" >"$tmp/links.profile" 2>&1
grep -q rootfs_spin_fn "$tmp/links.profile" && ok ||
	bad "samples not named from the container's own debug file: $(head -5 "$tmp/links.profile")"
runc delete -f "$ctr-links" >/dev/null 2>&1

# ---- 2. a FIFO and /dev/zero as passwd and group: no hang, no bloat ----
for c in fifo zero; do
	cmd=${c}_cmd
	bundle "$ctr-$c" 0 "$(jq -cn --arg c "${!cmd} && exec /bin/prog --wait /go" \
		'["/bin/sh", "-c", $c]')" plain_rootfs
done
for c in fifo zero; do
	runc run --bundle "$tmp/$ctr-$c" "$ctr-$c" </dev/null >"$tmp/$c.out" 2>&1 &
	eval "${c}_pid=$!"
	wait_prog "$ctr-$c" || bad "container $ctr-$c: its program did not start: $(cat "$tmp/$c.out")"
done
rc=$(run_rc "$tmp/fz.out" "$tmp/fz.err" timeout -s KILL 120 "$sysrec" record -v \
	-o "$tmp/fz.sysrec" --container "$ctr-fifo,$ctr-zero" -d 2)
eq "record of containers with a FIFO and /dev/zero as passwd/group: ends on its own, exit 0" "$rc" 0
no_crash "record FIFO/zero" "$tmp/fz.err"
for what in "/etc/passwd not read: Invalid argument" "/etc/group not read: Invalid argument"; do
	[ "$(grep -c "$what" "$tmp/fz.err")" = 2 ] && ok ||
		bad "expected '$what' for both containers: $(grep 'not read' "$tmp/fz.err")"
done
[ "$(stat -c %s "$tmp/fz.sysrec")" -lt $((8 << 20)) ] && ok ||
	bad "fz.sysrec is $(stat -c %s "$tmp/fz.sysrec") bytes"
touch "$tmp/$ctr-fifo/rootfs/go" "$tmp/$ctr-zero/rootfs/go"
wait "$fifo_pid" "$zero_pid"
runc delete -f "$ctr-fifo" >/dev/null 2>&1
runc delete -f "$ctr-zero" >/dev/null 2>&1

# ---- 3. the whole host while containers start ----
# Each container's program waits for /go, made only once the recorder has stopped: its
# records are drained while the processes still live.  The FIFO and /dev/zero are made again
# by each container after its first exec (sh): what the recorder read then (if it was still
# regular) stays; read again at the program's exec, the files are refused.
for c in fifo zero; do
	cmd=${c}_cmd
	plain_rootfs "$tmp/$ctr-$c/rootfs.new"
	rm -rf "$tmp/$ctr-$c/rootfs"
	mv "$tmp/$ctr-$c/rootfs.new" "$tmp/$ctr-$c/rootfs"
	jq --arg c "${!cmd} && exec /bin/prog --call 3 --wait /go" '.process.args = ["/bin/sh", "-c", $c]' \
		"$tmp/$ctr-$c/config.json" >"$tmp/c.json" && mv "$tmp/c.json" "$tmp/$ctr-$c/config.json"
done
rm -f "$tmp/$ctr-links/rootfs/go" "$tmp/$ctr-links/rootfs/go2"
jq '.process.args = ["/bin/sh", "-c", "exec /bin/prog --call 3 --wait /go"]' \
	"$tmp/$ctr-links/config.json" >"$tmp/c.json" && mv "$tmp/c.json" "$tmp/$ctr-links/config.json"
bundle "$ctr-user" 4321 '["/bin/sh", "-c", "exec /bin/prog --call 3 --wait /go"]' user_rootfs
"$sysrec" record -v -o "$tmp/host.sysrec" >"$tmp/rec3.out" 2>"$tmp/rec3.err" &
rec=$!
cleanups=("kill -KILL $rec" "${cleanups[@]}")
wait_for "$tmp/rec3.err" "recording" || bad "whole-host record did not start: $(cat "$tmp/rec3.err")"
pids=()
for c in user links fifo zero; do
	runc run --bundle "$tmp/$ctr-$c" "$ctr-$c" </dev/null >"$tmp/$c.out" 2>&1 &
	pids+=($!)
	wait_prog "$ctr-$c" || bad "container $ctr-$c: its program did not start: $(cat "$tmp/$c.out")"
done
stop_recorder "$rec"
eq "whole-host record exits 0" "$stop_rc" 0
no_crash "whole-host record" "$tmp/rec3.err"
for c in user links fifo zero; do touch "$tmp/$ctr-$c/rootfs/go"; done
wait "${pids[@]}" || bad "a container failed: $(cat "$tmp"/{user,links,fifo,zero}.out)"
f=$tmp/host.sysrec
eq "a uid only the container's passwd names: user.name and group.name from its own files" \
	"$("$sysrec" replay -q -p '%user.uid %user.name %group.name' "$f" \
	"user.uid=4321 and proc.name=prog" | sort -u)" "4321 ctruser ctrgroup"
eq "a container's passwd link resolved inside its root" "$("$sysrec" replay -q -p '%user.name' "$f" \
	"container.name=$ctr-links and proc.name=prog" | sort -u)" inroot
for c in fifo zero; do
	[ "$("$sysrec" replay -q --count "$f" "container.name=$ctr-$c and proc.name=prog")" -gt 0 ] &&
		ok || bad "$c: no event of its program"
done
for what in "/etc/passwd not read: Invalid argument" "/etc/group not read: Invalid argument"; do
	[ "$(grep -c "$what" "$tmp/rec3.err")" -ge 2 ] && ok ||
		bad "whole host: expected '$what' for both containers: $(grep 'not read' "$tmp/rec3.err")"
done

# ---- 4. no marker anywhere ----
for f in "$tmp"/{plain,probe,samples,fz,host}.sysrec; do
	n=${f##*/}
	"$sysrec" replay -q -j "$f" >"$tmp/replay.json" 2>&1 || bad "$n: replay -j failed"
	"$sysrec" info -j "$f" >"$tmp/info.json" 2>&1 || bad "$n: info -j failed"
	"$dump" "$f" >"$tmp/chunks" 2>"$tmp/chunks.err" || bad "$n: no chunk: $(cat "$tmp/chunks.err")"
	[ "$(stat -c %s "$tmp/chunks")" -gt 1000 ] && ok || bad "$n: chunks decompress to almost nothing"
	[ -s "$tmp/replay.json" ] && ok || bad "$n: replay -j printed nothing"
	for what in replay.json info.json chunks; do
		if grep -aq "$M" "$tmp/$what"; then
			bad "$n: $what holds a marker: $(grep -ao "$M[0-9][^ ]\{0,40\}" "$tmp/$what" | tr -d "\0" | sort -u | head -5)"
		else
			ok
		fi
	done
	grep -aq "$M" "$f" && bad "$n: the raw file holds a marker" || ok
done

echo "rootfs: $pass checks passed, $fail failed"
[ "$fail" = 0 ]
