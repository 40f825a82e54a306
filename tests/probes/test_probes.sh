#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# record --probe on real programs: a tracepoint's fields (a syscall's filename, an exec's
# __data_loc filename), bash's readline through a uretprobe in a scripted interactive
# session, Python function names through USDT, a uprobe on a binary that exists only in a
# container; kernel-function probes and bad specs give one clear line.  Root.
# Usage: test_probes.sh SYSREC HOT_SOURCE
set -euo pipefail
sysrec=$1 src=$2
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (BPF)"
	exit 77
fi
tmp=$(mktemp -d /tmp/sysrec-probes.XXXXXX)
ctr=sysrec-probes-$$
cleanup()
{
	runc delete -f "$ctr" >/dev/null 2>&1 || true
	rmdir /sys/fs/cgroup/*/sysrec-probes/"$ctr" /sys/fs/cgroup/*/sysrec-probes \
		/sys/fs/cgroup/sysrec-probes 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
# tracepoints need tracefs
[ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true

# 1. tracepoints: a syscall's user string, and an exec's __data_loc string
"$sysrec" record -o "$tmp/tp.sysrec" --probe tracepoint:syscalls:sys_enter_openat \
	--probe tracepoint:sched:sched_process_exec -- cat /etc/hostname >/dev/null 2>"$tmp/err" ||
	bad "record with tracepoints: $(cat "$tmp/err")"
out=$("$sysrec" replay -q -p '%probe.arg.dfd %probe.arg.filename' "$tmp/tp.sysrec" \
	'probe.name=tracepoint:syscalls:sys_enter_openat and proc.name=cat')
grep -qx -- '-100 /etc/hostname' <<<"$out" || bad "openat tracepoint: no '-100 /etc/hostname' in: $out"
# strace as the oracle: the same number of openat calls
strace -f -qq -e trace=openat -o "$tmp/strace" cat /etc/hostname >/dev/null
[ "$(wc -l <<<"$out")" = "$(grep -c 'openat(' "$tmp/strace")" ] ||
	bad "openat tracepoint hits: $(wc -l <<<"$out"), strace: $(grep -c 'openat(' "$tmp/strace")"
exe=$("$sysrec" replay -q -p '%probe.arg.filename' "$tmp/tp.sysrec" 'probe.name contains sched_process_exec')
[ "$exe" = "$(command -v cat)" ] || [ "$exe" = "$(readlink -f "$(command -v cat)")" ] ||
	bad "sched_process_exec filename: '$exe'"

# 2. bash's readline, in an interactive session on a pty (script)
if command -v script >/dev/null; then
	printf 'echo typed-one\nls / >/dev/null\nexit\n' >"$tmp/cmds"
	"$sysrec" record -o "$tmp/rl.sysrec" --probe 'uretprobe:/bin/bash:readline $retval:string' -- \
		script -qc 'bash --norc --noprofile -i' /dev/null <"$tmp/cmds" >/dev/null 2>"$tmp/err" ||
		bad "record readline: $(cat "$tmp/err")"
	typed=$("$sysrec" replay -q -p '%probe.arg.retval' "$tmp/rl.sysrec" 'evt.type=probe and probe.arg.retval exists')
	grep -qx 'echo typed-one' <<<"$typed" && grep -qx 'ls / >/dev/null' <<<"$typed" ||
		bad "readline: the typed commands are not there: $typed"
else
	echo "note: no 'script' to drive an interactive bash: readline check skipped"
fi

# 3. USDT: Python function names (3.11 fires function__entry while a profile hook is set)
if [ -x /usr/bin/python3.11 ]; then
	printf 'import sys\nsys.setprofile(lambda *a: None)\ndef fancy_probe_fn(n):\n    return n + 1\nfor i in range(3):\n    fancy_probe_fn(i)\n' >"$tmp/t.py"
	"$sysrec" record -o "$tmp/py.sysrec" --probe 'usdt:/usr/bin/python3.11:python:function__entry' -- \
		/usr/bin/python3.11 "$tmp/t.py" 2>"$tmp/err" || bad "record usdt: $(cat "$tmp/err")"
	n=$("$sysrec" replay -q --count "$tmp/py.sysrec" 'evt.type=probe and probe.arg.arg2=fancy_probe_fn')
	[ "$n" = 3 ] || bad "usdt: fancy_probe_fn entered $n times, expected 3"
	line=$("$sysrec" replay -q -n 1 -p '%probe.arg.arg1:%probe.arg.arg3' "$tmp/py.sysrec" \
		'evt.type=probe and probe.arg.arg2=fancy_probe_fn')
	[ "$line" = "$tmp/t.py:3" ] || bad "usdt: file:line is '$line', expected $tmp/t.py:3"
else
	echo "note: no /usr/bin/python3.11: USDT check skipped"
fi

# 4. a uprobe on a binary that exists only in a container
b=$tmp/bundle
mkdir -p "$b/rootfs/bin" "$b/rootfs/proc"
if command -v runc >/dev/null && gcc -static -O2 -o "$b/rootfs/bin/hot" "$src" 2>/dev/null; then
	(cd "$b" && runc spec && jq --arg cg "/sysrec-probes/$ctr" '.process.terminal = false
		| .process.args = ["/bin/hot", "3"] | .linux.cgroupsPath = $cg' config.json >c.json &&
		mv c.json config.json)
	if runc run -d --bundle "$b" "$ctr" </dev/null >/dev/null 2>&1; then
		sleep 0.3
		[ ! -e /bin/hot ] || bad "/bin/hot exists on the host: the check proves nothing"
		"$sysrec" record -o "$tmp/u.sysrec" --container "$ctr" -d 1 \
			--probe 'uprobe:/bin/hot:container_only_caller $arg1:u64' 2>"$tmp/err" ||
			bad "record uprobe in a container: $(cat "$tmp/err")"
		n=$("$sysrec" replay -q --count "$tmp/u.sysrec" "evt.type=probe and proc.name=hot and container.name=$ctr")
		[ "$n" -gt 0 ] || bad "uprobe in the container: no hits"
	else
		echo "note: runc cannot start a container: container uprobe check skipped"
	fi
else
	echo "note: no runc or no static linking: container uprobe check skipped"
fi

# 5. kernel functions: one line that names what is missing and the alternative
for spec in fentry:vfs_read fexit:vfs_read kprobe:vfs_read kretprobe:vfs_read; do
	rc=0
	"$sysrec" record -o "$tmp/k.sysrec" --probe "$spec" -- true 2>"$tmp/err" || rc=$?
	if [ "$rc" = 0 ]; then
		echo "note: $spec is recorded on this kernel"
		continue
	fi
	[ "$rc" = 1 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "tracepoint" "$tmp/err" ||
		bad "$spec: exit $rc, $(cat "$tmp/err")"
done

# 5b. record --features agrees with what loads: the needed features are there (this test
# records), and fentry is "yes" exactly when an fentry probe is not refused for lack of it
"$sysrec" record --features >"$tmp/feat" 2>&1 || bad "record --features: exit $?: $(cat "$tmp/feat")"
for f in btf tp_btf ringbuf; do
	grep -q "^$f  *yes" "$tmp/feat" || bad "--features: $f should be yes: $(grep "^$f " "$tmp/feat")"
done
rc=0
"$sysrec" record -o "$tmp/k.sysrec" --probe fentry:vfs_read -- true 2>"$tmp/err" || rc=$?
if grep -q "refuses fentry" "$tmp/err"; then
	grep -q "^fentry  *no " "$tmp/feat" || bad "--features says fentry works, the probe was refused"
else
	grep -q "^fentry  *yes" "$tmp/feat" || bad "--features says no fentry: $(grep '^fentry' "$tmp/feat")"
fi

# 6. bad specs (exit 2), and what cannot be found (exit 1): one line each
for spec in 'uprobe:relative:fn' 'tracepoint:onlyone' 'usdt:/bin/true:prov' 'nosuch:x' \
	'uprobe:/bin/bash:readline $arg9' 'uprobe:/bin/bash:readline $arg1:float' \
	'uprobe:/bin/bash:readline $retval'; do
	rc=0
	"$sysrec" record --probe "$spec" -- true 2>"$tmp/err" || rc=$?
	[ "$rc" = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] || bad "--probe '$spec': exit $rc, $(cat "$tmp/err")"
done
for spec in 'uprobe:/nonexistent/bin:fn' 'uprobe:/bin/bash:no_such_function_here' \
	'tracepoint:nosuch:event' 'usdt:/bin/bash:nosuch:probe'; do
	rc=0
	"$sysrec" record --probe "$spec" -- true 2>"$tmp/err" || rc=$?
	[ "$rc" = 1 ] && [ "$(wc -l <"$tmp/err")" = 1 ] || bad "--probe '$spec': exit $rc, $(cat "$tmp/err")"
done

if [ "$fails" -gt 0 ]; then
	echo "$fails checks failed"
	exit 1
fi
echo "all probe checks passed"
