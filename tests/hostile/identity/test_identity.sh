#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Exec, clone and fd identity, recorded with the real driver, strace as the
# oracle: execveat and fexecve as execveat with dirfd, path and flags, and proc.exe the file
# that ran (a deleted file and a memfd say so); clone, clone3, fork and vfork flags; a
# socketpair's ends and a new pipe named by their inodes as strace -yy names them, and the
# fds received with SCM_RIGHTS named as the files that were sent; a 5000-argument argv cut
# visibly in text, -p and JSON.  Root.
# Usage: test_identity.sh SYSREC SOURCE_DIR
set -euo pipefail
sysrec=$1 src=$2
. "$(dirname "$0")/../../lib/harness.sh"
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (BPF)"
	exit 77
fi
harness_init identity "${VERBOSE:-}" "${KEEP:-}"
for p in execs fdpass threads; do gcc -O1 -pthread -o "$tmp/$p" "$src/$p.c"; done
sleep_bin=$(readlink -f "$(command -v sleep)")

# 1. execs that do not name their file
strace -f -qq -e trace=execve,execveat -o "$tmp/ex.strace" "$tmp/execs" "$sleep_bin" 0.1 "$tmp"
"$sysrec" record -o "$tmp/ex.sysrec" -- "$tmp/execs" "$sleep_bin" 0.1 "$tmp" 2>"$tmp/err" ||
	bad "record execs: $(cat "$tmp/err")"
# strace: execveat(4, "", [...], 0x... /* N vars */, AT_EMPTY_PATH) -> "execveat 4 '' AT_EMPTY_PATH"
want=$(sed -nE 's/^[0-9]+ +execveat\(([0-9]+), "([^"]*)", .*\/\* [0-9]+ vars \*\/, ([A-Z_0-9]+)\) = 0$/execveat \1 \2 \3/p' "$tmp/ex.strace")
got=$("$sysrec" replay -q -p '%evt.type %evt.arg.fd %evt.arg.filename %evt.arg.flags' "$tmp/ex.sysrec" 'evt.type=execveat' |
	sed -E 's/ (0x1000|4096)$/ AT_EMPTY_PATH/; s/ 0x0$/ 0/; s/  / /g')
eq "execveat and fexecve: dirfd, path and flags as strace shows them" "$got" "$(sed 's/  / /g' <<<"$want")"
eq "execveat/fexecve are not shown as execve" \
	"$("$sysrec" replay -q --count "$tmp/ex.sysrec" 'evt.type=execve and proc.name!=execs')" "0"
eq "proc.exe is the file that ran: fexecve, execveat on a dirfd, an unlinked file, a memfd" \
	"$("$sysrec" replay -q -p '%proc.exe' "$tmp/ex.sysrec" 'evt.type=procexit and proc.args=0.1')" \
	"$(printf '%s\n%s\n%s\n%s' "$sleep_bin" "$sleep_bin" "$tmp/gone (deleted)" "/memfd:innocent (deleted)")"

# a /proc magic link (busybox applets re-exec /proc/self/exe): the file behind it
"$sysrec" record -o "$tmp/pse.sysrec" -- /bin/sh -c 'exec /proc/self/exe -c "exit 0"' 2>"$tmp/err" ||
	bad "record /proc/self/exe: $(cat "$tmp/err")"
eq "an exec of /proc/self/exe: proc.exe is the file behind it" \
	"$("$sysrec" replay -q -p '%proc.exe' "$tmp/pse.sysrec" 'evt.type=procexit' | tail -1)" "$(readlink -f /bin/sh)"

# 2. clone flags, against strace's raw flags
strace -f -qq -X raw -e trace=clone,clone3,vfork -o "$tmp/th.strace" "$tmp/threads"
want=$(sed -nE 's/^[0-9]+ +clone3\(\{flags=(0x[0-9a-f]+),.*exit_signal=([0-9]+),.*/\1 \2/p;
	s/^[0-9]+ +clone\(.*flags=(0x[0-9a-f]+)\|([0-9]+),.*/\1 \2/p;
	s/^[0-9]+ +vfork\(\).*/0x4100 17/p' "$tmp/th.strace" |
	while read -r f s; do printf '0x%x\n' $((f | s)); done)
"$sysrec" record -o "$tmp/th.sysrec" -- "$tmp/threads" 2>"$tmp/err" || bad "record threads: $(cat "$tmp/err")"
got=$("$sysrec" replay -q -p '%evt.arg.clone_flags' "$tmp/th.sysrec" 'evt.type=procfork and proc.name=threads' |
	while read -r f; do printf '0x%x\n' "$f"; done)
eq "clone3 (thread), clone (fork) and vfork flags, as strace shows them" "$got" "$want"

# 3. fd identity: strace -yy's names, with inode numbers replaced by their order of appearance
strace -f -qq -yy -e trace=socketpair,pipe,pipe2,sendmsg,recvmsg,read,write,newfstatat,fstat \
	-o "$tmp/fd.strace" "$tmp/fdpass" /etc/hostname
"$sysrec" record -o "$tmp/fd.sysrec" -- "$tmp/fdpass" /etc/hostname 2>"$tmp/err" ||
	bad "record fdpass: $(cat "$tmp/err")"
# "call fd name" for the calls on the fds of interest, each inode number replaced by a label
# given in the order the lines sort with their numbers masked (call and fd decide it): the
# same structure gives the same text, whatever numbers the kernel handed out
normalize()
{
	local in k=0 n script=""
	in=$(sort -u | awk '{ key = $0; gsub(/[0-9][0-9][0-9][0-9]+/, "N", key); print key "\t" $0 }' |
		sort | cut -f2-)
	for n in $(grep -oE '[0-9]{4,}' <<<"$in" | awk '!seen[$0]++'); do
		k=$((k + 1))
		script+="s/\\b$n\\b/I$k/g;"
	done
	sed -E "$script" <<<"$in"
}
want=$(sed -nE 's/^[0-9]+ +(sendmsg|recvmsg|read|write)\(([0-9]+)<((UNIX-STREAM|pipe):\[[0-9]+(->[0-9]+)?\]|\/etc\/hostname)>.*/\1 \2 \3/p' \
	"$tmp/fd.strace" | normalize)
got=$("$sysrec" replay -q -p '%evt.type %fd.num %fd.name' "$tmp/fd.sysrec" \
	'proc.name=fdpass and evt.type in (sendmsg,recvmsg,read,write) and (fd.name startswith UNIX or fd.name startswith pipe or fd.name=/etc/hostname)' | normalize)
eq "socketpair, pipe and SCM_RIGHTS fds named as strace -yy names them" "$got" "$want"
eq "the pair and the pipe, as made" \
	"$("$sysrec" replay -q -p '%evt.type %evt.args' "$tmp/fd.sysrec" 'proc.name=fdpass and evt.type in (socketpair,pipe,pipe2)' |
		sed -E 's/^([a-z0-9]+) .*(usockvec|fildes)=(\[[0-9]+,[0-9]+\]).*/\1 \3/')" \
	"$(sed -nE 's/^[0-9]+ +(socketpair|pipe2?)\(.*\[([0-9]+)<[^,]*>, ([0-9]+)<.*/\1 [\2,\3]/p' "$tmp/fd.strace")"

# 4. a process that moves itself into another cgroup (as runc's init is moved) is in that
# cgroup from the move on, not only after its next exec or set*id
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -n "$cg2" ] && mkdir "$cg2/sysrec-identity-$$" 2>/dev/null; then
	cleanups+=("rmdir $cg2/sysrec-identity-$$")
	"$sysrec" record -o "$tmp/cg.sysrec" -- /bin/sh -c \
		"echo \$\$ >$cg2/sysrec-identity-$$/cgroup.procs && read x </etc/hostname" 2>"$tmp/err" ||
		bad "record cgroup move: $(cat "$tmp/err")"
	eq "a read after moving itself into a cgroup: that cgroup" \
		"$("$sysrec" replay -q -p '%cgroup.path' "$tmp/cg.sysrec" 'evt.type=openat and fd.name=/etc/hostname')" \
		"/sysrec-identity-$$"
else
	note "no cgroup2 hierarchy to move a process into: cgroup move check skipped"
fi

# 4b. /proc/PID/cgroup over 4 KiB (long paths in the v1 hierarchies of a hybrid host, the
# cgroup2 line last): the snapshot still finds the process's cgroup2 path
long=$(printf 'sysrec-long-%0200d/%0200d/%0200d/%0200d/%0200d/%0200d/%0200d/%0200d' 0 1 2 3 4 5 6 7)
v1s=""
for h in pids blkio freezer devices; do
	[ -d "/sys/fs/cgroup/$h" ] && [ "$cg2" != "/sys/fs/cgroup" ] && mkdir -p "/sys/fs/cgroup/$h/$long" 2>/dev/null &&
		v1s="$v1s /sys/fs/cgroup/$h/$long"
done
if [ -n "$cg2" ] && [ -n "$v1s" ] && mkdir -p "$cg2/sysrec-cglong-$$"; then
	/bin/sh -c 'while :; do read x </etc/hostname; sleep 0.05; done' &
	spid=$!
	for d in $v1s "$cg2/sysrec-cglong-$$"; do echo "$spid" >"$d/cgroup.procs"; done
	cleanups+=("kill $spid" "rmdir $cg2/sysrec-cglong-$$" "for h in pids blkio freezer devices; do d=/sys/fs/cgroup/\$h/$long; while [ \"\$d\" != /sys/fs/cgroup/\$h ]; do rmdir \$d; d=\${d%/*}; done; done")
	n=$(wc -c </proc/$spid/cgroup)
	[ "$n" -gt 4096 ] && ok || bad "/proc/$spid/cgroup is $n bytes, the check needs > 4096"
	"$sysrec" record -o "$tmp/cglong.sysrec" -d 0.3 -p "$spid" 2>"$tmp/err" || bad "record -p: $(cat "$tmp/err")"
	eq "a /proc/PID/cgroup of $n bytes: the snapshot's cgroup2 path" \
		"$("$sysrec" replay -q -p '%cgroup.path' "$tmp/cglong.sysrec" "proc.pid=$spid and evt.type=openat" | sort -u)" "/sysrec-cglong-$$"
	kill "$spid"; wait "$spid" 2>/dev/null || true
else
	note "no cgroup v1 hierarchies here: the long /proc/PID/cgroup check is skipped"
fi

# 5. a long argv: cut at 4096 bytes, and it says so
"$sysrec" record -o "$tmp/argv.sysrec" -- /bin/echo $(seq 1 5000) >/dev/null 2>"$tmp/err" ||
	bad "record echo: $(cat "$tmp/err")"
"$sysrec" replay -q -p '%proc.cmdline' "$tmp/argv.sysrec" 'evt.type=procexit and proc.name=echo' | grep -q 'truncated' &&
	ok || bad "-p %proc.cmdline of a cut argv: no marker"
"$sysrec" replay -q "$tmp/argv.sysrec" 'evt.type=procexec and proc.name=echo' | grep -q 'truncated' &&
	ok || bad "text procexec of a cut argv: no marker: $("$sysrec" replay -q "$tmp/argv.sysrec" 'evt.type=procexec' | tail -c 200)"
eq "JSON procexec of a cut argv: flags and the whole size" \
	"$("$sysrec" replay -q -j "$tmp/argv.sysrec" 'evt.type=procexec and proc.name=echo' | jq -r '[.["evt.args"].flags, .["evt.args"].args_len] | @tsv')" \
	"$(printf '1\t%d' $(( $(seq 1 5000 | wc -c) + $(printf '/bin/echo' | wc -c) + 1 )))"

echo "identity: $pass passed, $fail failed"
[ "$fail" = 0 ]
