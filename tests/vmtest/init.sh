#!/bin/busybox sh
# SPDX-License-Identifier: Apache-2.0
# /init of the vmtest guests: mount what the recorder needs, run /payload/run.sh, and end
# the VM with its exit status (tests/vmtest/vm_exit.c).
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mkdir -p /proc /sys /dev /tmp /run
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
mkdir -p /sys/fs/cgroup && mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
ulimit -l unlimited
ip link set lo up 2>/dev/null
# dynamic binaries of the payload: their libraries, at their own paths
[ -d /payload/rootlibs ] && cp -a /payload/rootlibs/. /
cd /payload
sh ./run.sh
rc=$?
echo "vmtest: payload exit $rc"
/payload/vm_exit "$rc"
