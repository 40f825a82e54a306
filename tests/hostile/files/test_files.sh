#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Output files and signals on a hostile host, root (BPF):
#  1. record -o, replay -w and replay --pcap never write through a symbolic link (a planted
#     link to a file, a dangling one), nor onto a FIFO, a device or a directory, nor over
#     another user's file or a hard-linked one: one line, exit 1, the target untouched
#     (content and mode), no hang; an existing regular file of ours is overwritten (mode
#     0600, a valid trace); -w onto an input (same name, ./name, a hard link) is bad usage.
#  2. SIGTERM, SIGHUP, SIGQUIT and SIGPIPE to the recorder, and the loss of its terminal
#     (a pty whose master goes away), each end with a cleanly closed file that replays.
#     replay into a pipe closed early ends by SIGPIPE (141), silently.
#  3. replay of a FIFO, /dev/zero, /dev/stdin fed by a pipe and a directory: one line that
#     names what it is, exit 1, no hang.
# Usage: test_files.sh SYSREC [-v] [-k]
set -uo pipefail
sysrec=$(realpath "$1")
. "$(dirname "$0")/../../lib/harness.sh"
harness_init files "${2:-}" "${3:-}"
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (BPF)"
	exit 77
fi
cd "$tmp"
T=(timeout 60) # a refusal must not hang: a hang fails the check instead of the whole test

# A small trace to replay: a command that opens a file a few times.
rc=$(run_rc rec.out rec.err "$sysrec" record -o in.sysrec -- sh -c 'for i in 1 2 3; do cat /etc/hostname; done')
eq "record a small trace" "$rc" 0

# untouched NAME: a file keeps the content and mode it had when planted
plant() { printf 'not yours %s\n' "$1" >"$1"; chmod 0644 "$1"; }
untouched()
{
	eq "$1: content untouched" "$(cat "$1" 2>&1)" "not yours $1"
	eq "$1: mode untouched" "$(stat -c %a "$1")" 644
}

# refused DESC PATTERN CMD...: exit 1, one line on stderr matching PATTERN
refused()
{
	local desc=$1 pat=$2 rc
	shift 2
	rc=$(run_rc out err "${T[@]}" "$@")
	eq "$desc: exit status" "$rc" 1
	one_line "$desc" err "$pat"
	no_crash "$desc" err
}

# ---- 1. output files ----
plant victim
ln -s "$tmp/victim" lnk
ln -s "$tmp/nothing-here" dangling
refused "record -o symlink" "cannot create 'lnk': it is a symbolic link" \
	"$sysrec" record -o lnk -- true
refused "replay -w symlink" "cannot create 'lnk': it is a symbolic link" \
	"$sysrec" replay -w lnk in.sysrec
refused "replay --pcap symlink" "cannot create 'lnk': it is a symbolic link" \
	"$sysrec" replay --pcap lnk in.sysrec
untouched victim
refused "record -o dangling symlink" "it is a symbolic link" "$sysrec" record -o dangling -- true
refused "replay -w dangling symlink" "it is a symbolic link" "$sysrec" replay -w dangling in.sysrec
[ ! -e nothing-here ] && ok || bad "a dangling link's target was created"

mkfifo fifo
refused "record -o FIFO" "cannot create 'fifo': it is a FIFO, not a regular file" \
	"$sysrec" record -o fifo -- true
refused "replay -w FIFO" "it is a FIFO, not a regular file" "$sysrec" replay -w fifo in.sysrec
refused "replay --pcap FIFO" "it is a FIFO, not a regular file" "$sysrec" replay --pcap fifo in.sysrec
refused "replay -w /dev/null" "it is a character device, not a regular file" \
	"$sysrec" replay -w /dev/null in.sysrec
mkdir adir
refused "record -o directory" "cannot create 'adir': it is a directory" \
	"$sysrec" record -o adir -- true

# another user's file, and a file with a second hard link: refused, untouched
plant theirs
chown nobody theirs
refused "record -o another user's file" "it belongs to uid $(id -u nobody)" \
	"$sysrec" record -o theirs -- true
untouched theirs
plant linked
ln linked linked2
refused "replay -w hard-linked file" "it has 2 hard links" "$sysrec" replay -w linked in.sysrec
untouched linked

# an existing regular file of ours is overwritten: mode 0600, a complete trace
for kind in record replay; do
	plant "old-$kind"
	if [ $kind = record ]; then
		rc=$(run_rc out err "${T[@]}" "$sysrec" record -o "old-$kind" -- true)
	else
		rc=$(run_rc out err "${T[@]}" "$sysrec" replay -w "old-$kind" in.sysrec)
	fi
	eq "$kind over an existing file of ours: exit status" "$rc" 0
	eq "$kind over an existing file: mode" "$(stat -c %a "old-$kind")" 600
	"$sysrec" info "old-$kind" >info 2>&1 && grep -q "closed cleanly" info && ok ||
		bad "$kind over an existing file: info: $(head -3 info)"
done
plant old-pcap
rc=$(run_rc out err "${T[@]}" "$sysrec" replay --pcap old-pcap in.sysrec)
eq "--pcap over an existing file of ours: exit status" "$rc" 0
eq "--pcap over an existing file: mode" "$(stat -c %a old-pcap)" 600
grep -q "not yours" old-pcap && bad "--pcap: old content left in the file" || ok

# -w or --pcap onto an input: bad usage, by device and inode
cp in.sysrec in2.sysrec
ln in2.sysrec in2.hard
sum=$(sha256sum <in2.sysrec)
for w in in2.sysrec ./in2.sysrec "$tmp/in2.sysrec" in2.hard; do
	rc=$(run_rc out err "$sysrec" replay -w "$w" in2.sysrec)
	eq "-w $w onto the input: exit status" "$rc" 2
	one_line "-w $w onto the input" err "is one of the input files"
done
rc=$(run_rc out err "$sysrec" replay --pcap in2.hard in.sysrec in2.sysrec)
eq "--pcap onto the second input: exit status" "$rc" 2
eq "the input is intact" "$(sha256sum <in2.sysrec)" "$sum"

# ---- 2. signals ----
# start_rec NAME [PREFIX...]: a whole-host recorder writing NAME.sysrec; $rec_pid is its pid
# (or of PREFIX, which execs it), once it records (its -v line says so).
start_rec()
{
	local name=$1 i
	shift
	"$@" "$sysrec" record -v -o "$name.sysrec" 2>"$name.err" &
	rec_pid=$!
	cleanups+=("kill -KILL $rec_pid")
	for ((i = 0; i < 300; i++)); do
		grep -qs "recording the host" "$name.err" && return 0
		sleep 0.1
	done
	bad "$name: the recorder did not start: $(cat "$name.err")"
	return 1
}

# closed_cleanly NAME: the file has its index and replays with exit 0
closed_cleanly()
{
	"$sysrec" info "$1.sysrec" >"$1.info" 2>&1 && grep -q "closed cleanly" "$1.info" && ok ||
		bad "$1: info: $(head -3 "$1.info")"
	rc=$(run_rc /dev/null "$1.rerr" "$sysrec" replay -q "$1.sysrec")
	eq "$1: replay exit status" "$rc" 0
	no_crash "$1: record" "$1.err"
}

for sig in TERM HUP QUIT PIPE; do
	start_rec "sig$sig" || continue
	sleep 0.5
	kill -"$sig" "$rec_pid"
	wait "$rec_pid"
	eq "SIG$sig: recorder exit status" "$?" 0
	closed_cleanly "sig$sig"
done

# A lost terminal: the recorder leads a session on a pty (script(1)); killing script closes
# the master, the kernel hangs the terminal up and sends SIGHUP.
if command -v script >/dev/null; then
	setsid script -qfec "echo \$\$ >pty.pid; exec $sysrec record -v -o pty.sysrec 2>pty.err" \
		/dev/null </dev/null >/dev/null 2>&1 &
	script_pid=$!
	cleanups+=("kill -KILL $script_pid")
	for ((i = 0; i < 300; i++)); do
		grep -qs "recording the host" pty.err && break
		sleep 0.1
	done
	rec_pid=$(cat pty.pid 2>/dev/null)
	kill -KILL "$script_pid" 2>/dev/null || true
	wait "$script_pid" 2>/dev/null || true
	for ((i = 0; i < 300; i++)); do
		kill -0 "$rec_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$rec_pid" 2>/dev/null && bad "lost terminal: the recorder still runs" || ok
	grep -q "^sysrec: wrote [0-9]* records to 'pty.sysrec'" pty.err && ok ||
		bad "lost terminal: the recorder did not finish: $(cat pty.err)"
	closed_cleanly pty
else
	note "no script(1): the lost-terminal case is not run"
fi

# replay into a pipe closed early: SIGPIPE (141), silently; a -w file is still complete.
# A trace whose text is far larger than a pipe's buffer, so replay cannot finish first.
"$sysrec" record -o big.sysrec -- dd if=/dev/zero of=/dev/null bs=1 count=20000 2>big.err ||
	bad "record big.sysrec: $(cat big.err)"
rc=$("$sysrec" replay -q big.sysrec 2>pipe.err | head -n 1 >/dev/null; echo "${PIPESTATUS[0]}")
eq "replay | head -n 1: exit status" "$rc" 141
eq "replay | head -n 1: stderr" "$(cat pipe.err)" ""
rc=$("$sysrec" replay -q -j big.sysrec 2>pipe.err | head -c 100 >/dev/null; echo "${PIPESTATUS[0]}")
eq "replay -j | head -c 100: exit status" "$rc" 141
eq "replay -j | head -c 100: stderr" "$(cat pipe.err)" ""
rc=$("$sysrec" replay -q -w slice.sysrec sigTERM.sysrec 2>&1 | true; echo "${PIPESTATUS[0]}")
eq "replay -w, stdout and stderr a closed pipe: exit status" "$rc" 0
"$sysrec" info slice.sysrec >info 2>&1 && grep -q "closed cleanly" info && ok ||
	bad "-w into a closed pipe: info: $(head -3 info)"

# ---- 3. inputs that are not regular files ----
refused "replay of a FIFO without writer" "^sysrec: fifo: not a regular file (FIFO or pipe)$" \
	"$sysrec" replay fifo
refused "replay /dev/zero" "^sysrec: /dev/zero: not a regular file (character device)$" \
	"$sysrec" replay /dev/zero
rc=$(cat in.sysrec | "${T[@]}" "$sysrec" replay /dev/stdin 2>err >/dev/null; echo $?)
eq "replay /dev/stdin fed by a pipe: exit status" "$rc" 1
one_line "replay /dev/stdin fed by a pipe" err "^sysrec: /dev/stdin: not a regular file (FIFO or pipe)$"
refused "replay of a directory" "^sysrec: adir: not a regular file (directory)$" \
	"$sysrec" replay adir
refused "replay of a file then a directory" "^sysrec: adir: not a regular file (directory)$" \
	"$sysrec" replay in.sysrec adir

echo "files: $pass passed, $fail failed"
[ "$fail" = 0 ]
