#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generate driver-bpf/syscall_table.inc: every x86_64 syscall with its number, name and the
names and C types of its arguments, from the kernel's syscall tracepoint formats in tracefs
and the numbers in <asm/unistd_64.h>.  Run it on a recent kernel when syscalls are added;
the output is committed, so builds need neither tracefs nor new headers.

Usage: scripts/gen_syscall_table.py > driver-bpf/syscall_table.inc
       scripts/gen_syscall_table.py --i386 > driver-bpf/syscall_table_i386.inc

--i386 writes the ia32 table (compat syscalls of 32-bit programs and of `int 0x80`), numbered
as in <asm/unistd_32.h>.  A syscall that x86_64 has too, with the same argument layout, takes
its arguments from the same tracepoint format; the ia32-only ones (and those whose 64-bit
arguments are split into two registers) are described in I386 below, from the kernel's
arch/x86 and compat SYSCALL_DEFINEs.  Every ia32 argument is 32 bits wide.
"""
import os
import re
import sys

UNISTD = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
TRACEFS = "/sys/kernel/tracing/events/syscalls"
# Numbers newer than the installed headers may know (x86_64, from the kernel's syscall_64.tbl).
EXTRA = {
    335: "uretprobe", 451: "cachestat", 452: "fchmodat2", 453: "map_shadow_stack",
    454: "futex_wake", 455: "futex_wait", 456: "futex_requeue", 457: "statmount",
    458: "listmount", 459: "lsm_get_self_attr", 460: "lsm_set_self_attr",
    461: "lsm_list_modules", 462: "mseal", 463: "setxattrat", 464: "getxattrat",
    465: "listxattrat", 466: "removexattrat", 467: "open_tree_attr", 468: "file_getattr",
    469: "file_setattr",
}
# Syscalls whose tracepoint has another name than the syscall.
ALIASES = {"stat": "newstat", "fstat": "newfstat", "lstat": "newlstat", "uname": "newuname",
           "sendfile": "sendfile64", "umount2": "umount"}
# Syscalls without a tracepoint on the generating kernel (configured out), from their
# SYSCALL_DEFINE in the kernel sources.
KNOWN = {
    "init_module": [("umod", "void *"), ("len", "unsigned long"), ("uargs", "const char *")],
    "delete_module": [("name_user", "const char *"), ("flags", "unsigned int")],
    "finit_module": [("fd", "int"), ("uargs", "const char *"), ("flags", "int")],
    "kexec_load": [("entry", "unsigned long"), ("nr_segments", "unsigned long"),
                   ("segments", "struct kexec_segment *"), ("flags", "unsigned long")],
    "kexec_file_load": [("kernel_fd", "int"), ("initrd_fd", "int"), ("cmdline_len", "unsigned long"),
                        ("cmdline_ptr", "const char *"), ("flags", "unsigned long")],
    "map_shadow_stack": [("addr", "unsigned long"), ("size", "unsigned long"), ("flags", "unsigned int")],
    "set_thread_area": [("u_info", "struct user_desc *")],
    "get_thread_area": [("u_info", "struct user_desc *")],
}


UNISTD_32 = "/usr/include/x86_64-linux-gnu/asm/unistd_32.h"
# ia32 numbers newer than the installed headers (the shared range of syscall_32.tbl).
EXTRA_I386 = {
    451: "cachestat", 452: "fchmodat2", 454: "futex_wake", 455: "futex_wait",
    456: "futex_requeue", 457: "statmount", 458: "listmount", 459: "lsm_get_self_attr",
    460: "lsm_set_self_attr", 461: "lsm_list_modules", 462: "mseal", 463: "setxattrat",
    464: "getxattrat", 465: "listxattrat", 466: "removexattrat", 467: "open_tree_attr",
    468: "file_getattr", 469: "file_setattr",
}
# Pseudo numbers for the socketcall(2) operations that have no ia32 syscall of their own: the
# driver unpacks socketcall into the operation it names (docs/format.md).
PSEUDO_I386 = {500: "accept", 501: "send", 502: "recv"}
U, I, P, S = "unsigned int", "int", "void *", "const char *"
# ia32 syscalls x86_64 lacks, or whose arguments are laid out differently.
I386 = {
    "waitpid": [("pid", "pid_t"), ("stat_addr", "int *"), ("options", I)],
    "oldstat": [("filename", S), ("statbuf", "struct __old_kernel_stat *")],
    "oldfstat": [("fd", U), ("statbuf", "struct __old_kernel_stat *")],
    "oldlstat": [("filename", S), ("statbuf", "struct __old_kernel_stat *")],
    "umount": [("name", S)],
    "stime": [("tptr", "old_time32_t *")],
    "nice": [("increment", I)],
    "signal": [("sig", I), ("handler", "__sighandler_t")],
    "sigaction": [("sig", I), ("act", "const struct old_sigaction *"), ("oact", "struct old_sigaction *")],
    "sgetmask": [],
    "ssetmask": [("newmask", I)],
    "sigsuspend": [("unused1", I), ("unused2", I), ("mask", "old_sigset_t")],
    "sigpending": [("set", "old_sigset_t *")],
    "sigprocmask": [("how", I), ("nset", "old_sigset_t *"), ("oset", "old_sigset_t *")],
    "sigreturn": [],
    "readdir": [("fd", U), ("dirent", "struct old_linux_dirent *"), ("count", U)],
    "mmap": [("arg", "struct mmap_arg_struct32 *")],
    "select": [("arg", "struct sel_arg_struct *")],
    "_newselect": [("n", I), ("inp", "fd_set *"), ("outp", "fd_set *"), ("exp", "fd_set *"), ("tvp", "struct old_timeval32 *")],
    "socketcall": [("call", I), ("args", "unsigned long *")],
    "ipc": [("call", U), ("first", I), ("second", "unsigned long"), ("third", "unsigned long"), ("ptr", P), ("fifth", "long")],
    "olduname": [("name", "struct oldold_utsname *")],
    "_llseek": [("fd", U), ("offset_high", "unsigned long"), ("offset_low", "unsigned long"), ("result", "loff_t *"), ("whence", U)],
    "ugetrlimit": [("resource", U), ("rlim", "struct rlimit *")],
    "mmap2": [("addr", "unsigned long"), ("len", "unsigned long"), ("prot", "unsigned long"), ("flags", "unsigned long"), ("fd", "unsigned long"), ("pgoff", "unsigned long")],
    "truncate64": [("filename", S), ("length_lo", U), ("length_hi", U)],
    "ftruncate64": [("fd", U), ("length_lo", U), ("length_hi", U)],
    "stat64": [("filename", S), ("statbuf", "struct stat64 *")],
    "lstat64": [("filename", S), ("statbuf", "struct stat64 *")],
    "fstat64": [("fd", U), ("statbuf", "struct stat64 *")],
    "fstatat64": [("dfd", I), ("filename", S), ("statbuf", "struct stat64 *"), ("flag", I)],
    "fcntl64": [("fd", U), ("cmd", U), ("arg", "unsigned long")],
    "sendfile64": [("out_fd", I), ("in_fd", I), ("offset", "loff_t *"), ("count", "size_t")],
    "statfs64": [("pathname", S), ("sz", "size_t"), ("buf", "struct statfs64 *")],
    "fstatfs64": [("fd", U), ("sz", "size_t"), ("buf", "struct statfs64 *")],
    "pread64": [("fd", U), ("buf", "char *"), ("count", U), ("pos_lo", U), ("pos_hi", U)],
    "pwrite64": [("fd", U), ("buf", S), ("count", U), ("pos_lo", U), ("pos_hi", U)],
    "readahead": [("fd", I), ("offset_lo", U), ("offset_hi", U), ("count", "size_t")],
    "fadvise64": [("fd", I), ("offset_lo", U), ("offset_hi", U), ("len", "size_t"), ("advice", I)],
    "fadvise64_64": [("fd", I), ("offset_lo", U), ("offset_hi", U), ("len_lo", U), ("len_hi", U), ("advice", I)],
    "fallocate": [("fd", I), ("mode", I), ("offset_lo", U), ("offset_hi", U), ("len_lo", U), ("len_hi", U)],
    "sync_file_range": [("fd", I), ("off_lo", U), ("off_hi", U), ("n_lo", U), ("n_hi", U), ("flags", U)],
    "clone": [("clone_flags", "unsigned long"), ("newsp", "unsigned long"), ("parent_tidptr", "int *"), ("tls", "unsigned long"), ("child_tidptr", "int *")],
    "vm86old": [("user_vm86", "struct vm86_struct *")],
    "vm86": [("cmd", "unsigned long"), ("arg", "unsigned long")],
    "accept": [("fd", I), ("upeer_sockaddr", "struct sockaddr *"), ("upeer_addrlen", "int *")],
    "send": [("fd", I), ("buff", P), ("len", "size_t"), ("flags", U)],
    "recv": [("fd", I), ("ubuf", P), ("size", "size_t"), ("flags", U)],
}
for n in ("lchown32", "chown32"):
    I386[n] = [("filename", S), ("user", "uid_t"), ("group", "gid_t")]
I386["fchown32"] = [("fd", U), ("user", "uid_t"), ("group", "gid_t")]
for n in ("getuid32", "getgid32", "geteuid32", "getegid32"):
    I386[n] = []
I386["setuid32"] = [("uid", "uid_t")]
I386["setgid32"] = [("gid", "gid_t")]
I386["setfsuid32"] = [("uid", "uid_t")]
I386["setfsgid32"] = [("gid", "gid_t")]
I386["setreuid32"] = [("ruid", "uid_t"), ("euid", "uid_t")]
I386["setregid32"] = [("rgid", "gid_t"), ("egid", "gid_t")]
I386["setresuid32"] = [("ruid", "uid_t"), ("euid", "uid_t"), ("suid", "uid_t")]
I386["setresgid32"] = [("rgid", "gid_t"), ("egid", "gid_t"), ("sgid", "gid_t")]
I386["getresuid32"] = [("ruidp", "uid_t *"), ("euidp", "uid_t *"), ("suidp", "uid_t *")]
I386["getresgid32"] = [("rgidp", "gid_t *"), ("egidp", "gid_t *"), ("sgidp", "gid_t *")]
I386["getgroups32"] = [("gidsetsize", I), ("grouplist", "gid_t *")]
I386["setgroups32"] = [("gidsetsize", I), ("grouplist", "gid_t *")]


def numbers_i386():
    nrs = {}
    for line in open(UNISTD_32):
        m = re.match(r"#define __NR_(\w+)\s+(\d+)", line)
        if m:
            nrs[int(m.group(2))] = m.group(1)
    for nr, name in list(EXTRA_I386.items()) + list(PSEUDO_I386.items()):
        nrs.setdefault(nr, name)
    return nrs


def numbers():
    nrs = {}
    for line in open(UNISTD):
        m = re.match(r"#define __NR_(\w+)\s+(\d+)", line)
        if m:
            nrs[int(m.group(2))] = m.group(1)
    for nr, name in EXTRA.items():
        nrs.setdefault(nr, name)
    return nrs


def args_of(name):
    path = os.path.join(TRACEFS, "sys_enter_" + ALIASES.get(name, name), "format")
    try:
        text = open(path).read()
    except OSError:
        return KNOWN.get(name)
    args = []
    for m in re.finditer(r"field:([^;]+);\s*offset:(\d+);", text):
        decl, off = m.group(1).strip(), int(m.group(2))
        if off < 16:  # common fields and __syscall_nr
            continue
        am = re.match(r"(.*?)\s*\b(\w+)$", decl)
        args.append((am.group(2), " ".join(am.group(1).split())))
    return args


def main():
    i386 = sys.argv[1:] == ["--i386"]
    if not os.path.isdir(TRACEFS):
        sys.exit("gen_syscall_table: %s missing (mount -t tracefs nodev /sys/kernel/tracing)" % TRACEFS)
    out = sys.stdout
    out.write("/* SPDX-License-Identifier: Apache-2.0 */\n")
    out.write("/* Generated by scripts/gen_syscall_table.py from the syscall tracepoint formats of\n")
    out.write(" * linux %s (%s); do not edit.  SYSCALL(nr, name, nargs, args...) with\n"
              % (os.uname().release, "ia32, <asm/unistd_32.h>" if i386 else "x86_64"))
    out.write(" * ARG(name, \"C type\") per argument; nargs -1: no tracepoint, arguments unknown. */\n")
    for nr, name in sorted((numbers_i386() if i386 else numbers()).items()):
        args = I386[name] if i386 and name in I386 else args_of(name)
        if args is None and i386 and name.endswith("_time64"):  # 64-bit time_t variants
            args = args_of(name[:-len("_time64")])
        if args is None:
            out.write("SYSCALL(%d, %s, -1)\n" % (nr, name))
            continue
        parts = ", ".join('ARG(%s, "%s")' % (a, t) for a, t in args)
        out.write("SYSCALL(%d, %s, %d%s)\n" % (nr, name, len(args), ", " + parts if parts else ""))


main()
