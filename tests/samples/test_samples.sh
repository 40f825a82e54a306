#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# record --sample on real programs: a CPU-bound binary that exists only in a runc container's
# rootfs is sampled; after the container and its rootfs are deleted, replay (on a copy of the
# trace, elsewhere) still names its functions.  Also: the cpu-clock fallback without a PMU,
# kernel frames, the sample fields and JSON, flamegraph/profile output, bad specs.  Root.
# Usage: test_samples.sh SYSREC HOT_SOURCE
set -euo pipefail
sysrec=$1 src=$2
fails=0
ok() { :; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (BPF, runc)"
	exit 77
fi
for t in runc gcc jq; do
	command -v "$t" >/dev/null || { echo "SKIP: $t is missing"; exit 77; }
done
tmp=$(mktemp -d /tmp/sysrec-samples.XXXXXX)
ctr=sysrec-samples-$$
cleanup()
{
	runc delete -f "$ctr" >/dev/null 2>&1 || true
	rmdir "/sys/fs/cgroup/unified/sysrec-samples/$ctr" /sys/fs/cgroup/*/sysrec-samples/"$ctr" \
		/sys/fs/cgroup/*/sysrec-samples /sys/fs/cgroup/sysrec-samples 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# 1. a binary only the container has
b=$tmp/bundle
mkdir -p "$b/rootfs/bin" "$b/rootfs/proc"
if ! gcc -static -O2 -fno-omit-frame-pointer -o "$b/rootfs/bin/hot" "$src" 2>"$tmp/gcc.err"; then
	echo "SKIP: cannot link a static binary: $(head -1 "$tmp/gcc.err")"
	exit 77
fi
(cd "$b" && runc spec && jq --arg cg "/sysrec-samples/$ctr" '.process.terminal = false
	| .process.args = ["/bin/hot", "4"] | .linux.cgroupsPath = $cg' config.json >c.json &&
	mv c.json config.json)
runc run -d --bundle "$b" "$ctr" </dev/null >/dev/null 2>&1 || { echo "SKIP: runc cannot start a container"; exit 77; }
sleep 0.3
"$sysrec" record -o "$tmp/c.sysrec" --sample cpu-clock:499 --container "$ctr" -d 2 2>"$tmp/rec.err" ||
	bad "record --sample --container: $(cat "$tmp/rec.err")"
runc delete -f "$ctr" >/dev/null 2>&1
rm -rf "$b"
mkdir "$tmp/elsewhere"
mv "$tmp/c.sysrec" "$tmp/elsewhere/copy.sysrec"
t=$tmp/elsewhere/copy.sysrec
[ ! -e "$b/rootfs/bin/hot" ] || bad "the rootfs is still there"

n=$("$sysrec" replay -q --count "$t" evt.type=sample)
[ "$n" -ge 400 ] && ok || bad "2 s at 499 Hz of a busy process gave $n samples (expected about 1000)"
"$sysrec" replay -q -c 'profile 0' "$t" >"$tmp/profile"
self=$(awk '$3 == "container_only_hot_fn" { sub("%", "", $2); print $2 }' "$tmp/profile")
[ -n "$self" ] && awk -v s="$self" 'BEGIN { exit !(s >= 80) }' && ok ||
	bad "profile: container_only_hot_fn should be >= 80% self: $(head -5 "$tmp/profile")"
grep -q ' main$' "$tmp/profile" && ok || bad "profile: main is not named"
"$sysrec" replay -q -c "flamegraph svg=$tmp/flame.svg" "$t" >"$tmp/folded"
top=$(sort -k2 -n -r "$tmp/folded" | head -1 || true) # head closes the pipe early
case "$top" in
# a leaf function without a frame of its own hides its caller from frame-pointer unwinding
hot\;*main\;container_only_caller\;container_only_hot_fn\ *|hot\;*main\;container_only_hot_fn\ *) ok ;;
*) bad "flamegraph: the hottest stack is '$top'" ;;
esac
sum=$(awk '{ s += $NF } END { print s }' "$tmp/folded")
[ "$sum" = "$n" ] && ok || bad "flamegraph: the folded counts add up to $sum, not the $n samples"
head -c 200 "$tmp/flame.svg" | grep -q '<svg' && tail -c 20 "$tmp/flame.svg" | grep -q '</svg>' &&
	grep -q 'container_only_hot_fn' "$tmp/flame.svg" && ok || bad "flamegraph: no proper SVG"
"$sysrec" replay -q -c topcontainers_cpu "$t" >"$tmp/topc"
grep -q " $ctr\$" "$tmp/topc" && ok || bad "topcontainers_cpu does not show the container"

# 1b. --symfs: a stripped binary (its symbols are in a debug file elsewhere, as on a production
# host) is recorded and deleted; replay names its functions only from DIR/PATH or from
# DIR/.build-id/xx/rest.debug, and refuses a file with another build-id
mkdir -p "$tmp/run" "$tmp/symfs$tmp/run" "$tmp/dbg" "$tmp/other$tmp/run"
gcc -static -O2 -fno-omit-frame-pointer -Wl,--build-id -o "$tmp/hot.full" "$src"
strip -o "$tmp/run/hot" "$tmp/hot.full"
cp "$tmp/hot.full" "$tmp/symfs$tmp/run/hot"
bid=$(readelf -n "$tmp/run/hot" | awk '/Build ID/ { print $3 }')
mkdir -p "$tmp/dbg/.build-id/${bid:0:2}"
objcopy --only-keep-debug "$tmp/hot.full" "$tmp/dbg/.build-id/${bid:0:2}/${bid:2}.debug"
gcc -static -O2 -fno-omit-frame-pointer -DOTHER_BUILD=1 -Wl,--build-id -o "$tmp/other$tmp/run/hot" "$src"
"$sysrec" record -o "$tmp/s.sysrec" --sample cpu-clock:499 -- "$tmp/run/hot" 1 2>"$tmp/s.err" ||
	bad "record of a stripped static binary: $(cat "$tmp/s.err")"
rm "$tmp/run/hot"
hot_self() { awk '$3 == "container_only_hot_fn" { sub("%", "", $2); print $2 }' "$1"; }
"$sysrec" replay -q -c 'profile 0' "$tmp/s.sysrec" >"$tmp/s.none"
[ -z "$(hot_self "$tmp/s.none")" ] && ok || bad "a stripped binary was named without --symfs"
for dir in "$tmp/symfs" "$tmp/dbg"; do
	"$sysrec" replay -q --symfs "$dir" -c 'profile 0' "$tmp/s.sysrec" >"$tmp/s.prof"
	self=$(hot_self "$tmp/s.prof")
	[ -n "$self" ] && awk -v s="$self" 'BEGIN { exit !(s >= 80) }' && ok ||
		bad "--symfs $dir: container_only_hot_fn should be >= 80% self: $(head -4 "$tmp/s.prof")"
done
"$sysrec" replay -q --symfs "$tmp/other" -c 'profile 0' "$tmp/s.sysrec" >"$tmp/s.other"
[ -z "$(hot_self "$tmp/s.other")" ] && ok || bad "--symfs used a binary with another build-id"

# 2. fields, JSON, the fallback notice, kernel frames
"$sysrec" record -o "$tmp/k.sysrec" --sample cycles:999 -- dd if=/dev/zero of=/dev/null bs=1 \
	count=300000 2>"$tmp/k.err" >/dev/null
if grep -q 'no hardware PMU' "$tmp/k.err"; then
	[ "$("$sysrec" replay -q -p '%sample.event' "$tmp/k.sysrec" evt.type=sample | sort -u)" = cpu-clock ] &&
		ok || bad "without a PMU the samples should be of cpu-clock"
else
	echo "note: this machine has a PMU: cycles sampled for real"
fi
# (outputs go to files first: grep -q would end a pipe early, and pipefail counts that)
"$sysrec" replay -q -p '%sample.kstack' "$tmp/k.sysrec" 'evt.type=sample and sample.kstack exists' \
	>"$tmp/kstacks"
grep -q '_\[k\]' "$tmp/kstacks" && ok || bad "no kernel frame named in a syscall-heavy run"
grep -Eq 'entry_SYSCALL_64|do_syscall_64|__x64_sys_' "$tmp/kstacks" && ok ||
	bad "kernel stacks of dd do not pass through the syscall entry"
"$sysrec" replay -q -j -n 20 "$tmp/k.sysrec" 'evt.type=sample and proc.name=dd' >"$tmp/k.json"
jq -e -s 'length > 0 and all(.[]; (."evt.args".event | type) == "string" and
	(."evt.args".value | type) == "number" and (."evt.args".stack | type) == "string")' \
	"$tmp/k.json" >/dev/null && ok || bad "JSON samples: $(head -c 300 "$tmp/k.json")"

# 3. bad specs: one line, exit 2, before anything is loaded
for spec in nosuch cpu-clock:0 cpu-clock:x cycles:200000; do
	rc=0
	"$sysrec" record --sample "$spec" -- true 2>"$tmp/bad.err" || rc=$?
	[ "$rc" = 2 ] && [ "$(wc -l <"$tmp/bad.err")" = 1 ] && ok ||
		bad "--sample $spec: exit $rc, $(cat "$tmp/bad.err")"
done

if [ "$fails" -gt 0 ]; then
	echo "$fails checks failed"
	exit 1
fi
echo "all sample checks passed"
