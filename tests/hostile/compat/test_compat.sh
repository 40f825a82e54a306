#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# ia32 compat syscalls: a 32-bit static program and a 64-bit one using int 0x80
# are recorded with the real driver; strace is the oracle for the names, in order, of their
# calls, their decoded arguments and results.  -e selects compat calls by name, evt.arch
# says the ABI, the fd state follows them (fd.name of a read after an ia32 openat), and
# socketcall(2) is shown as the operation it performs (as strace does).  Root.
# Usage: test_compat.sh SYSREC IA32_SOURCE INT80_SOURCE
set -euo pipefail
sysrec=$1 ia32_src=$2 int80_src=$3
. "$(dirname "$0")/../../lib/harness.sh"
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (BPF)"
	exit 77
fi
harness_init compat "${VERBOSE:-}" "${KEEP:-}"
if ! echo 'int main(void){return 0;}' | gcc -m32 -static -x c -o "$tmp/probe32" - 2>/dev/null; then
	echo "SKIP: gcc -m32 -static does not work here (install gcc-multilib: scripts/install-deps.sh)"
	exit 77
fi
gcc -m32 -static -O1 -o "$tmp/ia32" "$ia32_src"
gcc -no-pie -O1 -o "$tmp/int80" "$int80_src"

# A listener for the ia32 program's connect (socketcall) and write.
python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
print(s.getsockname()[1], flush=True)
for _ in range(4):
    c, _ = s.accept(); c.recv(64); c.close()
' >"$tmp/port" &
cleanups+=("kill $!")
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(head -1 "$tmp/port")

# The names strace shows for a program's calls after its exec, in order, one per line
# (exit_group never returns: sysrec shows it as the procexit event).
strace_names()
{
	strace -qq -o "$tmp/strace.out" "$@" >/dev/null
	sed -n '/^execve(/,$p' "$tmp/strace.out" | sed -n '2,$p' | grep -v '^+++\|^---' |
		sed -E 's/^([a-z0-9_]+)\(.*/\1/' | grep -E '^[a-z0-9_]+$' | grep -vx exit_group
}
# The same from a recording: the syscalls of the process after its exec.
sysrec_names()
{
	"$sysrec" replay -q -p '%evt.type' "$1" "evt.type!=procexec and evt.type!=procexit and evt.type!=cpu and evt.type!=procfork and $2" |
		sed -n '/^execve$/,$p' | sed -n '2,$p'
}

# 1. ia32 static program: names in order, against strace
want=$(strace_names "$tmp/ia32" "$port")
"$sysrec" record -o "$tmp/ia32.sysrec" -- "$tmp/ia32" "$port" 2>"$tmp/err" ||
	bad "record ia32: $(cat "$tmp/err")"
got=$(sysrec_names "$tmp/ia32.sysrec" 'proc.name=ia32')
eq "ia32 program: syscall names in order, as strace shows them" "$got" "$want"
eq "ia32: every call after the exec is evt.arch=i386" \
	"$("$sysrec" replay -q -p '%evt.arch' "$tmp/ia32.sysrec" 'proc.name=ia32 and evt.type in (openat,read,_llseek,fcntl64,stat64,getpid,socket,connect,write,close,exit_group)' | sort -u)" "i386"
# arguments and results
args=$("$sysrec" replay -q -p '%evt.type %evt.args %evt.res %fd.name' "$tmp/ia32.sysrec" 'proc.name=ia32 and evt.arch=i386')
grep -q '^openat .*/etc/hostname' <<<"$args" && ok || bad "ia32 openat: no /etc/hostname in: $args"
grep -qE '^read .*SUCCESS /etc/hostname$' <<<"$args" && ok || bad "ia32 read: fd.name is not /etc/hostname: $args"
grep -qE '^fcntl64 .*SUCCESS' <<<"$args" && ok || bad "ia32 fcntl64: $args"
# the fd fcntl64 made names the same file
dupfd=$(awk '$1=="fcntl64" {for (i=1;i<=NF;i++) if ($i ~ /^res=/) {sub("res=","",$i); print $i}}' <<<"$args" | head -1)
grep -q '^stat64 .*/etc/passwd' <<<"$args" && ok || bad "ia32 stat64: no /etc/passwd in: $args"
grep -qE "^connect .*127\.0\.0\.1:$port" <<<"$args" && ok || bad "ia32 connect (socketcall): no 127.0.0.1:$port in: $args"
grep -qE "^write .*ia32-hello" <<<"$args" && ok || bad "ia32 write: no buffer in: $args"
grep -qE "^write .* 127\.0\.0\.1:[0-9]+->127\.0\.0\.1:$port" <<<"$args" && ok ||
	bad "ia32 write on the socketcall socket: fd.name is not the connection: $args"
# no ia32 call shown under its x86_64 meaning
grep -qE '^(preadv|writev|pwritev)\b' <<<"$args" && bad "an ia32 call shown with its x86_64 name: $args" || ok
# strace's results for the same calls
eq "ia32: the results of openat, fcntl64 and stat64, as strace saw them" \
	"$("$sysrec" replay -q -p '%evt.type %evt.rawres' "$tmp/ia32.sysrec" 'proc.name=ia32 and evt.type in (openat,fcntl64,stat64)' | tail -3)" \
	"$(grep -E '^(openat|fcntl64|stat64)\(' "$tmp/strace.out" | tail -3 | sed -E 's/^([a-z0-9_]+)\(.*= (-?[0-9]+).*/\1 \2/')"

# 2. -e selects compat calls by name (and socketcall's operations)
"$sysrec" record -e openat,connect -o "$tmp/e.sysrec" -- "$tmp/ia32" "$port" 2>"$tmp/err" ||
	bad "record -e openat,connect: $(cat "$tmp/err")"
eq "-e openat,connect on an ia32 program" \
	"$("$sysrec" replay -q -p '%evt.type %evt.arch' "$tmp/e.sysrec" 'proc.name=ia32 and evt.arch exists' | sort -u)" \
	"$(printf 'connect i386\nopenat i386')"

# 3. int 0x80 from a 64-bit program: ia32 numbers, not x86_64 ones
want=$(strace_names "$tmp/int80")
"$sysrec" record -o "$tmp/int80.sysrec" -- "$tmp/int80" 2>"$tmp/err" >/dev/null ||
	bad "record int80: $(cat "$tmp/err")"
got=$(sysrec_names "$tmp/int80.sysrec" 'proc.name=int80')
eq "int 0x80 program: syscall names in order, as strace shows them" "$got" "$want"
eq "int 0x80: the ia32 calls, with the results strace saw" \
	"$("$sysrec" replay -q -p '%evt.type %evt.rawres %fd.name' "$tmp/int80.sysrec" 'proc.name=int80 and evt.arch=i386' | sed -E 's/^getpid [0-9]+ <NA>/getpid PID/')" \
	"$(sed -n '/^openat(AT_FDCWD, "\/etc\/hostname"/,/^getpid(/p' "$tmp/strace.out" |
		sed -E -n 's/^(openat|read|close|getpid)\(.*= ([0-9]+).*/\1 \2/p' |
		sed -E 's/^getpid [0-9]+/getpid PID/; s/^(openat|read|close) ([0-9]+)$/\1 \2 \/etc\/hostname/')"
eq "int 0x80: no call shown under its x86_64 number's name (preadv, writev)" \
	"$("$sysrec" replay -q --count "$tmp/int80.sysrec" 'proc.name=int80 and evt.type in (preadv,writev)')" "0"
"$sysrec" replay -q -j "$tmp/int80.sysrec" 'proc.name=int80 and evt.type=openat and fd.name=/etc/hostname' >"$tmp/j"
eq "JSON of the int 0x80 openat: evt.arch and the path" \
	"$(jq -r '[."evt.arch" // .evt.arch // "?", (tostring | test("/etc/hostname"))] | @tsv' "$tmp/j" 2>/dev/null | head -1)" \
	"$(printf 'i386\ttrue')"

eq "text output marks the ia32 calls" \
	"$("$sysrec" replay -q "$tmp/int80.sysrec" 'proc.name=int80 and evt.type in (openat,getpid)' | grep -o ' [a-z]*\[i386\] [a-z]*=[A-Z_0-9a-z/]*' || true)" \
	"$(printf ' openat[i386] dfd=AT_FDCWD\n getpid[i386] =')"

echo "compat: $pass passed, $fail failed"
[ "$fail" = 0 ]
