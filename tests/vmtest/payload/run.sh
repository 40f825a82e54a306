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
sysrec record --features >$t/features 2>&1
cat $t/features
fentry=0
grep -q '^fentry  *yes' $t/features && fentry=1
echo marker >/tmp/marker

# One recording for most checks: loading the driver is what costs in an emulated guest
# (the verifier), so the workload runs everything in turn under one `record`.  The applets
# run through their /bin links, so that each has its own name (comm).
mkdir -p /sys/fs/cgroup/vmtest 2>/dev/null
probes="--probe tracepoint:syscalls:sys_enter_openat"
probes="$probes --probe uprobe:/payload/bin/probe_target:bench_probe_target"
kp=0
if [ -e /sys/bus/event_source/devices/kprobe ]; then
	kp=1
	probes="$probes --probe kprobe:do_sys_openat2 --probe kretprobe:do_sys_openat2"
fi
[ $fentry = 1 ] && probes="$probes --probe fentry:do_sys_openat2 --probe fexit:do_sys_openat2"
cat >$t/work.sh <<'WORK'
/bin/cat /tmp/marker
/bin/dd if=/tmp/marker of=/dev/null bs=64 count=1 2>/dev/null
/bin/busybox sh -c 'echo $$ >/sys/fs/cgroup/vmtest/cgroup.procs && exec /bin/head -c 3 /tmp/marker2'
/payload/bin/probe_target call 1000 >/dev/null
/payload/bin/int80 >/dev/null
WORK
echo second >/tmp/marker2
# shellcheck disable=SC2086
if rec -o $t/all.sysrec $probes -- /bin/busybox sh $t/work.sh >$t/all.out 2>$t/all.err; then
	a=$t/all.sysrec
	check "record: the workload ran" "$(head -1 $t/all.out)" marker
	# 1. syscalls decoded: the path, the fd it returned, the bytes read
	check "decoded open" "$(R -p '%evt.type %fd.name %fd.num' $a \
		'evt.type in (open,openat) and fd.name=/tmp/marker and proc.name=cat')" "openat /tmp/marker 3"
	check "decoded read" "$(R -p '%evt.buffer %evt.rawres' $a \
		'evt.type=read and fd.name=/tmp/marker and proc.name=dd and evt.rawres>0')" "marker. 7"
	# 2. lifecycle: execs and exits
	check "exec" "$(R -p '%proc.name %proc.args' $a 'evt.type=procexec and proc.name=cat')" "cat /tmp/marker"
	check "exit" "$(R --count $a 'evt.type=procexit and proc.name=dd')" 1
	# 3. thread state: namespaces, uid
	check "namespaces" "$(R -p '%ns.pid %ns.mnt %ns.net' $a 'evt.type=procexec and proc.name=cat' |
		awk '{ print ($1 > 0 && $2 > 0 && $3 > 0) }')" 1
	check "user" "$(R -p '%user.uid' $a 'evt.type=procexec and proc.name=cat')" 0
	# 4. a process moved into a cgroup of its own is attributed to it
	if [ -e /sys/fs/cgroup/vmtest/cgroup.procs ]; then
		check "cgroup attribution" "$(R -p '%cgroup.path' $a \
			'evt.type=openat and fd.name=/tmp/marker2')" /vmtest
	else
		skip cgroup "no cgroup2 here"
	fi
	# 5b. ia32 syscalls (int 0x80) under their own names and arguments, not x86_64's
	check "compat: ia32 calls decoded" "$(R -p '%evt.type %evt.arg.filename' $a \
		'proc.name=int80 and evt.arch=i386 and evt.type in (openat,getpid,preadv,writev)')" \
		"$(printf 'openat /etc/hostname\ngetpid <NA>')"
	# 6. a tracepoint probe, its fields decoded by name
	check "tracepoint probe" "$(R -p '%probe.arg.filename' $a \
		'evt.type=probe and probe.name startswith tracepoint and probe.arg.filename=/tmp/marker' | head -1)" /tmp/marker
	# 7. a uprobe
	check "uprobe hits" "$(R --count $a 'evt.type=probe and probe.name startswith uprobe')" 1000
	# 8. kernel functions with BTF-typed arguments, where the kernel has kprobes
	if [ $kp = 1 ]; then
		check "kprobe: BTF-typed args" "$(R -p '%probe.arg.filename' $a \
			'evt.type=probe and probe.name startswith kprobe: and proc.name=cat')" /tmp/marker
		check "kretprobe: the fd" "$(R -p '%probe.arg.retval' $a \
			'evt.type=probe and probe.name startswith kretprobe: and proc.name=cat')" 3
	else
		skip kprobe "no kprobes in this kernel"
	fi
	if [ $fentry = 1 ]; then
		check "fentry: BTF-typed args" "$(R -p '%probe.arg.filename' $a \
			'evt.type=probe and probe.name startswith fentry: and proc.name=cat')" /tmp/marker
		check "fexit: args and the fd" "$(R -p '%probe.arg.filename %probe.arg.retval' $a \
			'evt.type=probe and probe.name startswith fexit: and proc.name=cat')" "/tmp/marker 3"
	fi
else
	bad record "$(tail -3 $t/all.err)"
fi

# 5. drops are counted, not lost: a 1 MB ring against a burst of syscalls
rec -o $t/drop.sysrec --buffer-size 1 -e getppid,exit_group -- /payload/bin/syscall_loop -n 300000 getppid \
	>/dev/null 2>$t/drop.err || bad "drops record" "$(tail -2 $t/drop.err)"
made=300000
got=$(R --count $t/drop.sysrec evt.type=getppid)
lost=$(sed -n 's/.*; \([0-9]*\) events lost/\1/p' $t/drop.err)
if [ -n "$lost" ] && [ $((got + lost)) -ge $made ]; then ok "drops: $got recorded + $lost lost >= $made"
else bad drops "recorded $got, lost '${lost}', made $made"; fi

# without tracing programs (lockdown), fentry: gives one line and the alternative
if [ $fentry = 0 ]; then
	rc=0
	rec -o $t/fe.sysrec --probe fentry:vfs_read -- /bin/true 2>$t/fe.err || rc=$?
	if [ $rc != 0 ] && [ "$(wc -l <$t/fe.err)" = 1 ]; then ok "fentry refused in one line: $(cat $t/fe.err)"
	else bad fentry "exit $rc: $(cat $t/fe.err)"; fi
fi

echo "vmtest: $fails failed"
exit $fails
