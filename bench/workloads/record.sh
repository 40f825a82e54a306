#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Record the benchmark workloads from real programs with strace and convert them to trace
# files (bench/strace_to_records.c says what is kept and how):
#
#   nginx    nginx (Debian's, default configuration, access log on) serving a 612-byte page on
#            127.0.0.1 to wrk; its worker processes are traced
#   getppid  a loop of getppid(2) (bench_getppid_loop)
#   build    make -j2 -B of the C files of this repository's format/ (bench/workloads/build.mk)
#
# strace slows programs down by 10-50x, so the untraced speed of each is measured first and
# the converter rescales time to it: nginx to wrk's requests/s without strace times the calls
# per request seen under strace; getppid to the loop's calls/s; build to its untraced duration.
#
# Usage: bench/workloads/record.sh BUILD_DIR [OUT_DIR]   (OUT_DIR default /tmp/sysrec-bench)
# Leaves OUT_DIR/{nginx,getppid,build}.sysrec, the strace logs and rates.txt.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$(cd "${1:?usage: record.sh BUILD_DIR [OUT_DIR]}" && pwd)
out=${2:-/tmp/sysrec-bench}
conv="$build/bench/strace_to_records"
loop="$build/bench/bench_getppid_loop"
# shellcheck source=../common.sh
. "$here/../common.sh"

for f in "$conv" "$loop"; do
	[ -x "$f" ] || { echo "record.sh: '$f' missing: build first" >&2; exit 1; }
done
"$here/../setup.sh"
mkdir -p "$out"
rates="$out/rates.txt"
: >"$rates"

# Calls that take path names are decoded (strace prints their strings); all others raw (strace
# prints every argument register in hex).  read=all/write=all dump the I/O buffers.
pathcalls=open,openat,openat2,creat,stat,lstat,newfstatat,statx,access,faccessat,faccessat2
pathcalls=$pathcalls,readlink,readlinkat,execve,execveat,unlink,unlinkat,mkdir,mkdirat,rmdir
pathcalls=$pathcalls,rename,renameat,renameat2,chdir,chroot,chmod,fchmodat,chown,lchown
pathcalls=$pathcalls,fchownat,utimensat,utimes,utime,futimesat,link,linkat,symlink,symlinkat
pathcalls=$pathcalls,truncate,statfs,mknod,mknodat,getxattr,lgetxattr,setxattr,lsetxattr
pathcalls=$pathcalls,listxattr,llistxattr,removexattr,lremovexattr,inotify_add_watch
strace_opts=(-qq -X raw -e "raw=!$pathcalls" -Y --timestamps=unix,ns --syscall-times=ns
	-s 80 -xx -e trace=all -e signal=none -e read=all -e write=all)

# ---- nginx under wrk ----
ngx="$out/nginx"
chmod 755 "$out"
nginx_start "$ngx" || { echo "record.sh: nginx did not start (see $ngx/error.log)" >&2; exit 1; }
master=$nginx_master
workers=$nginx_workers
url=$nginx_url
cleanup()
{
	kill "$master" 2>/dev/null || true
	wait "$master" 2>/dev/null || true
}
trap cleanup EXIT

wrk_opts=(-t1 -c16)
wrk "${wrk_opts[@]}" -d2s "$url" >/dev/null # warm up
wait_quiet
for _ in 1 2 3; do
	wrk "${wrk_opts[@]}" -d3s "$url" | awk '/^Requests\/sec:/ { print $2 }'
done >"$out/nginx-untraced-rps.txt"
rps=$(median <"$out/nginx-untraced-rps.txt")

pflags=()
for p in $workers; do
	pflags+=(-p "$p")
done
strace "${strace_opts[@]}" -o "$out/nginx.strace" "${pflags[@]}" &
tracer=$!
sleep 1 # attach
wrk "${wrk_opts[@]}" -d4s "$url" >"$out/nginx-traced-wrk.txt"
kill -INT "$tracer"
wait "$tracer" || true
reqs=$(awk '/requests in/ { print $1 }' "$out/nginx-traced-wrk.txt")
cleanup
trap - EXIT
echo "nginx: untraced $rps requests/s (median of 3 runs of wrk ${wrk_opts[*]} -d3s);" \
	"$reqs requests under strace" | tee -a "$rates"
"$conv" --name nginx --unit-rate "$rps" --units "$reqs" -o "$out/nginx.sysrec" \
	"$out/nginx.strace" | tee -a "$rates"

# ---- getppid loop ----
"$loop" 1000000 >/dev/null # warm up
wait_quiet
for _ in 1 2 3; do
	"$loop" 20000000 | awk '{ print $(NF - 1) }'
done >"$out/getppid-untraced.txt"
cps=$(median <"$out/getppid-untraced.txt")
strace "${strace_opts[@]}" -o "$out/getppid.strace" "$loop" 300000 >/dev/null
echo "getppid: untraced $cps calls/s (median of 3 runs of 20M calls)" | tee -a "$rates"
"$conv" --name getppid --rate "$cps" --comm bench_getppid_l -o "$out/getppid.sysrec" \
	"$out/getppid.strace" | tee -a "$rates"

# ---- make -j2 -B of format/ ----
mk=(make -k -s -f "$here/build.mk" -B -j2 SRC="$repo/format" OBJ="$out/build-objs")
"${mk[@]}" >/dev/null 2>&1 || true # warm the page cache
wait_quiet
for _ in 1 2 3; do
	t0=$(date +%s.%N)
	"${mk[@]}" >/dev/null 2>&1 || true
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
done >"$out/build-untraced-s.txt"
secs=$(median <"$out/build-untraced-s.txt")
strace -f "${strace_opts[@]}" -o "$out/build.strace" "${mk[@]}" >/dev/null 2>&1 || true
echo "build: untraced $secs s (median of 3 runs of ${mk[*]})" | tee -a "$rates"
"$conv" --name build --duration "$secs" -o "$out/build.sysrec" "$out/build.strace" |
	tee -a "$rates"
