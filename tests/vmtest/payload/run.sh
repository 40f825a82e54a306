#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The kernel matrix's payload, run by the guest's /init (busybox sh, as root, no network):
# the capture checks that matter for portability, against known values.  One line per
# check: "ok NAME" / "FAIL NAME: why" / "skip NAME: why"; the exit status is the number of
# failures.  bin/ holds sysrec (with its libraries under rootlibs/) and static helpers.
PATH=/payload/bin:$PATH
fails=0
t=/tmp/t
mkdir -p $t
ok() { echo "ok $1"; }
bad() { echo "FAIL $1: $2"; fails=$((fails + 1)); }
skip() { echo "skip $1: $2"; }
# check NAME GOT WANT
check() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "got '$2', expected '$3'"; fi; }
R() { sysrec replay -q "$@" 2>&1; }
# every recording under a time limit: a kernel that hangs one fails that check, not the run
rec() { timeout 90 sysrec record "$@"; }

echo "kernel $(uname -r)"
sysrec record --features 2>&1
echo marker >/tmp/marker

# 1. a command's syscalls, decoded (the path, the fd it returned, the bytes it read)
if rec -o $t/cat.sysrec -- /bin/busybox cat /tmp/marker >$t/cat.out 2>$t/cat.err; then
	check "record: the command ran" "$(cat $t/cat.out)" marker
	check "decoded open" "$(R -p '%evt.type %fd.name %fd.num' $t/cat.sysrec \
		'evt.type in (open,openat) and fd.name=/tmp/marker')" "openat /tmp/marker 3"
	# 2. lifecycle: the exec, the exit with its code
	check "exec" "$(R -p '%proc.exe' $t/cat.sysrec evt.type=procexec | head -1)" /bin/busybox
	check "exit" "$(R --count $t/cat.sysrec 'evt.type=procexit and proc.name=busybox')" 1
	# 3. thread state: namespaces, uid
	check "namespaces" "$(R -p '%ns.pid %ns.mnt %ns.net' $t/cat.sysrec evt.type=procexec |
		awk '{ print ($1 > 0 && $2 > 0 && $3 > 0) }')" 1
	check "user" "$(R -p '%user.uid' $t/cat.sysrec evt.type=procexec)" 0
else
	bad record "$(tail -3 $t/cat.err)"
fi

# busybox cat may use sendfile: dd reads
rec -o $t/dd.sysrec -- /bin/busybox dd if=/tmp/marker of=/dev/null bs=64 count=1 2>$t/dd.err ||
	bad "dd record" "$(tail -2 $t/dd.err)"
check "decoded read" "$(R -p '%evt.buffer %evt.rawres' $t/dd.sysrec \
	'evt.type=read and fd.name=/tmp/marker and evt.rawres>0')" "marker. 7"

# 4. a process in a cgroup of its own is attributed to it
if mkdir -p /sys/fs/cgroup/vmtest 2>/dev/null && [ -e /sys/fs/cgroup/vmtest/cgroup.procs ]; then
	rec -o $t/cg.sysrec -- /bin/busybox sh -c \
		'echo $$ >/sys/fs/cgroup/vmtest/cgroup.procs && exec /bin/busybox cat /tmp/marker' \
		>/dev/null 2>$t/cg.err || bad "cgroup record" "$(tail -2 $t/cg.err)"
	check "cgroup attribution" "$(R -p '%cgroup.path' $t/cg.sysrec \
		'evt.type=openat and fd.name=/tmp/marker')" /vmtest
else
	skip cgroup "no cgroup2 here"
fi

# 5. drops are counted, not lost: a 1 MB ring against a burst of syscalls
rec -o $t/drop.sysrec --buffer-size 1 -- /payload/bin/syscall_loop -n 300000 getppid \
	>/dev/null 2>$t/drop.err || bad "drops record" "$(tail -2 $t/drop.err)"
made=300000
got=$(R --count $t/drop.sysrec evt.type=getppid)
lost=$(sed -n 's/.*; \([0-9]*\) events lost/\1/p' $t/drop.err)
if [ -n "$lost" ] && [ $((got + lost)) -ge $made ]; then ok "drops: $got recorded + $lost lost >= $made"
else bad drops "recorded $got, lost '${lost}', made $made"; fi

# 6. a tracepoint probe, its fields decoded by name
rec -o $t/tp.sysrec -e exit_group --probe tracepoint:syscalls:sys_enter_openat -- \
	/bin/busybox cat /tmp/marker >/dev/null 2>$t/tp.err || bad "tracepoint record" "$(tail -2 $t/tp.err)"
check "tracepoint probe" "$(R -p '%probe.arg.filename' $t/tp.sysrec \
	'evt.type=probe and probe.arg.filename=/tmp/marker')" /tmp/marker

# 7. a uprobe with an argument
rec -o $t/up.sysrec -e exit_group --probe 'uprobe:/payload/bin/probe_target:bench_probe_target $arg1' \
	-- /payload/bin/probe_target call 1000 >/dev/null 2>$t/up.err || bad "uprobe record" "$(tail -2 $t/up.err)"
check "uprobe hits" "$(R --count $t/up.sysrec evt.type=probe)" 1000

# 8. kernel functions: recorded where the kernel allows them, else one line
if [ -e /sys/bus/event_source/devices/kprobe ]; then
	rec -o $t/kp.sysrec -e exit_group --probe kprobe:do_sys_openat2 \
		--probe kretprobe:do_sys_openat2 -- /bin/busybox cat /tmp/marker >/dev/null 2>$t/kp.err ||
		bad "kprobe record" "$(tail -2 $t/kp.err)"
	check "kprobe: BTF-typed args" "$(R -p '%probe.arg.filename' $t/kp.sysrec \
		'evt.type=probe and probe.name startswith kprobe: and probe.arg.filename=/tmp/marker')" /tmp/marker
	check "kretprobe: the fd" "$(R -p '%probe.arg.retval' $t/kp.sysrec \
		'evt.type=probe and probe.name startswith kretprobe: and proc.name=busybox' | tail -1)" 3
else
	skip kprobe "no kprobes in this kernel"
fi
for spec in fentry:vfs_read fexit:vfs_read; do
	rc=0
	rec -o $t/fe.sysrec --probe $spec -- /bin/true 2>$t/fe.err || rc=$?
	if [ $rc != 0 ] && [ "$(wc -l <$t/fe.err)" = 1 ]; then ok "$spec: one line: $(cat $t/fe.err)"
	elif [ $rc = 0 ]; then ok "$spec recorded"
	else bad "$spec" "exit $rc: $(cat $t/fe.err)"; fi
done

echo "vmtest: $fails failed"
exit $fails
