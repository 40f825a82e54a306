// SPDX-License-Identifier: Apache-2.0
/*
 * The event table, built once from syscall_table.inc.  Each argument gets its parameter type
 * from its C type and name (the rules below, in order), then the families whose user memory
 * is captured get explicit rules (read, write, connect, ...) that say where a buffer's length
 * comes from and whether it is input or output.
 */
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include "event_table.h"

struct raw_arg {
	const char *name;
	const char *ctype;
};

struct raw_syscall {
	int nr;
	const char *name;
	int nargs;
	struct raw_arg args[SR_SYSCALL_MAX_ARGS];
};

#define ARG(n, t) { #n, t }
#define SYSCALL(nr, name, nargs, ...) { nr, #name, nargs, { __VA_ARGS__ } },
static const struct raw_syscall raw_syscalls[] = {
#include "syscall_table.inc"
};
static const struct raw_syscall raw_syscalls_i386[] = {
#include "syscall_table_i386.inc"
};
#undef SYSCALL
#undef ARG

#define ARRAY_CNT(a) (sizeof(a) / sizeof((a)[0]))

/* ia32 syscalls that do what an x86_64 one does under another name: they share its fd
 * effects, I/O class and capture rules.  (*_time64 and *32 names are matched by rule.) */
static const char *const i386_bases[][2] = {
	{ "fcntl64", "fcntl" },        { "_llseek", "lseek" },         { "mmap2", "mmap" },
	{ "sendfile64", "sendfile" },  { "truncate64", "truncate" },   { "ftruncate64", "ftruncate" },
	{ "stat64", "stat" },          { "lstat64", "lstat" },         { "fstat64", "fstat" },
	{ "fstatat64", "newfstatat" }, { "statfs64", "statfs" },       { "fstatfs64", "fstatfs" },
	{ "oldstat", "stat" },         { "oldlstat", "lstat" },        { "oldfstat", "fstat" },
	{ "_newselect", "select" },    { "send", "sendto" },           { "recv", "recvfrom" },
	{ "ugetrlimit", "getrlimit" }, { "waitpid", "wait4" },         { "sigaction", "rt_sigaction" },
	{ "sigprocmask", "rt_sigprocmask" }, { "sigreturn", "rt_sigreturn" },
	{ "sigsuspend", "rt_sigsuspend" },   { "sigpending", "rt_sigpending" },
	{ "umount", "umount2" },       { "fadvise64_64", "fadvise64" },
};

static struct sr_syscall_info table[SR_SYSCALL_NR_MAX];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static int _in(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

/* The type of an argument from its C type and name. */
static uint8_t _type_of(const char *name, const char *ctype)
{
	static const char *const fd_names[] = { "fd", "oldfd", "newfd", "dfd", "olddfd", "newdfd",
		"out_fd", "in_fd", "fd_in", "fd_out", "epfd", "kernel_fd", "initrd_fd", "pidfd",
		"fildes", "from_dfd", "to_dfd", "ufd", NULL };
	static const char *const path_names[] = { "filename", "pathname", "path", "oldname",
		"newname", "oldpath", "newpath", "specialfile", "library", "dir_name", "dev_name",
		"name_user", "old", "new", "put_old", "new_root", NULL };
	int ptr = strchr(ctype, '*') != NULL;

	if ((!strcmp(ctype, "const char *") || !strcmp(ctype, "char *")) && _in(name, path_names))
		return SR_PT_PATH;
	if (ptr)
		return SR_PT_HEX;
	if (_in(name, fd_names))
		return SR_PT_FD;
	if (!strcmp(ctype, "pid_t"))
		return SR_PT_PID;
	if (!strcmp(ctype, "uid_t") || !strcmp(ctype, "qid_t"))
		return SR_PT_UID;
	if (!strcmp(ctype, "gid_t"))
		return SR_PT_GID;
	if (!strcmp(ctype, "umode_t") || !strcmp(name, "mode"))
		return SR_PT_MODE;
	if (!strcmp(name, "sig"))
		return SR_PT_SIGNAL;
	if (!strcmp(name, "addr") || !strcmp(name, "start") || !strcmp(name, "brk") ||
	    !strcmp(name, "old_addr") || !strcmp(name, "new_addr") || !strcmp(name, "flag"))
		return SR_PT_HEX;
	if (strstr(name, "flags") || !strcmp(name, "prot") || !strcmp(name, "cmd") ||
	    !strcmp(name, "op") || !strcmp(name, "how") || !strcmp(name, "mask"))
		return SR_PT_HEX;
	if (!strncmp(ctype, "unsigned", 8) || !strcmp(ctype, "size_t") || !strcmp(ctype, "u32") ||
	    !strcmp(ctype, "u64") || !strcmp(ctype, "__u32") || !strcmp(ctype, "const __u32"))
		return SR_PT_UINT;
	return SR_PT_INT;
}

static uint8_t _is_wide(const char *ctype)
{
	return strstr(ctype, "long") || strstr(ctype, "64") || strstr(ctype, "size_t") ||
	       strstr(ctype, "off_t") || strchr(ctype, '*');
}

/* Captured buffers and addresses: (syscall, argument) -> type, length rule, direction. */
struct cap_rule {
	const char *syscall;
	uint8_t arg, type, len_src, len_arg, dir;
};

static const struct cap_rule cap_rules[] = {
	{ "read", 1, SR_PT_BUF, SR_LEN_RET, 0, SR_DIR_OUT },
	{ "pread64", 1, SR_PT_BUF, SR_LEN_RET, 0, SR_DIR_OUT },
	{ "write", 1, SR_PT_BUF, SR_LEN_ARG, 2, SR_DIR_IN },
	{ "pwrite64", 1, SR_PT_BUF, SR_LEN_ARG, 2, SR_DIR_IN },
	{ "recvfrom", 1, SR_PT_BUF, SR_LEN_RET, 0, SR_DIR_OUT },
	{ "recvfrom", 4, SR_PT_SOCKADDR, SR_LEN_ARG_PTR, 5, SR_DIR_OUT },
	{ "sendto", 1, SR_PT_BUF, SR_LEN_ARG, 2, SR_DIR_IN },
	{ "sendto", 4, SR_PT_SOCKADDR, SR_LEN_ARG, 5, SR_DIR_IN },
	{ "connect", 1, SR_PT_SOCKADDR, SR_LEN_ARG, 2, SR_DIR_IN },
	{ "bind", 1, SR_PT_SOCKADDR, SR_LEN_ARG, 2, SR_DIR_IN },
	{ "accept", 1, SR_PT_SOCKADDR, SR_LEN_ARG_PTR, 2, SR_DIR_OUT },
	{ "accept4", 1, SR_PT_SOCKADDR, SR_LEN_ARG_PTR, 2, SR_DIR_OUT },
	{ "getsockname", 1, SR_PT_SOCKADDR, SR_LEN_ARG_PTR, 2, SR_DIR_OUT },
	{ "getpeername", 1, SR_PT_SOCKADDR, SR_LEN_ARG_PTR, 2, SR_DIR_OUT },
	{ "readlink", 1, SR_PT_BUF, SR_LEN_RET, 0, SR_DIR_OUT },
	{ "readlinkat", 2, SR_PT_BUF, SR_LEN_RET, 0, SR_DIR_OUT },
	{ "getcwd", 0, SR_PT_STR, SR_LEN_NONE, 0, SR_DIR_OUT },
	{ "setxattr", 1, SR_PT_STR, SR_LEN_NONE, 0, SR_DIR_IN },
	{ "lsetxattr", 1, SR_PT_STR, SR_LEN_NONE, 0, SR_DIR_IN },
	{ "fsetxattr", 1, SR_PT_STR, SR_LEN_NONE, 0, SR_DIR_IN },
	{ "getxattr", 1, SR_PT_STR, SR_LEN_NONE, 0, SR_DIR_IN },
	{ "lgetxattr", 1, SR_PT_STR, SR_LEN_NONE, 0, SR_DIR_IN },
	{ "fgetxattr", 1, SR_PT_STR, SR_LEN_NONE, 0, SR_DIR_IN },
	{ "mount", 2, SR_PT_STR, SR_LEN_NONE, 0, SR_DIR_IN },   /* fs type */
	{ "memfd_create", 0, SR_PT_STR, SR_LEN_NONE, 0, SR_DIR_IN },
	{ "sethostname", 0, SR_PT_BUF, SR_LEN_ARG, 1, SR_DIR_IN },
	{ "pipe", 0, SR_PT_FDPAIR, SR_LEN_FIXED, 8, SR_DIR_OUT },
	{ "pipe2", 0, SR_PT_FDPAIR, SR_LEN_FIXED, 8, SR_DIR_OUT },
	{ "socketpair", 3, SR_PT_FDPAIR, SR_LEN_FIXED, 8, SR_DIR_OUT },
};

static void _apply_rule(const struct cap_rule *r)
{
	for (int nr = 0; nr < SR_SYSCALL_NR_MAX; nr++) {
		struct sr_syscall_info *s = &table[nr];

		if (!s->name || strcmp(s->base, r->syscall) || r->arg >= s->nargs)
			continue;
		s->args[r->arg].type = r->type;
		s->args[r->arg].len_src = r->len_src;
		s->args[r->arg].len_arg = r->len_arg;
		s->args[r->arg].dir = r->dir;
	}
}

/* The x86_64 syscall whose effects the ia32 syscall @name has (in static storage). */
static const char *_i386_base(const char *name)
{
	static char trimmed[64][32];
	static int trimmed_cnt;
	size_t len = strlen(name);

	for (size_t i = 0; i < ARRAY_CNT(i386_bases); i++)
		if (!strcmp(name, i386_bases[i][0]))
			return i386_bases[i][1];
	/* getuid32 -> getuid, clock_gettime64 -> clock_gettime, futex_time64 -> futex */
	if ((len > 2 && !strcmp(name + len - 2, "32")) || (len > 7 && !strcmp(name + len - 7, "_time64"))) {
		size_t cut = name[len - 1] == '2' ? 2 : 7;

		if (len - cut >= sizeof(trimmed[0]) || trimmed_cnt == ARRAY_CNT(trimmed))
			return name;
		memcpy(trimmed[trimmed_cnt], name, len - cut);
		trimmed[trimmed_cnt][len - cut] = '\0';
		return trimmed[trimmed_cnt++];
	}
	return name;
}

static void _add(const struct raw_syscall *raw, int base_id, uint8_t abi)
{
	struct sr_syscall_info *s;
	int id = base_id + raw->nr;

	if (raw->nr < 0 || id >= SR_SYSCALL_NR_MAX)
		return;
	s = &table[id];
	s->name = raw->name;
	s->base = abi == SR_ABI_I386 ? _i386_base(raw->name) : raw->name;
	s->abi = abi;
	s->nargs = (int8_t)raw->nargs;
	for (int a = 0; a < raw->nargs && a < SR_SYSCALL_MAX_ARGS; a++) {
		s->args[a].name = raw->args[a].name;
		s->args[a].ctype = raw->args[a].ctype;
		s->args[a].type = _type_of(raw->args[a].name, raw->args[a].ctype);
		/* every ia32 argument is a 32-bit register */
		s->args[a].wide = abi == SR_ABI_X86_64 && _is_wide(raw->args[a].ctype);
	}
}

static void _build(void)
{
	for (size_t i = 0; i < ARRAY_CNT(raw_syscalls); i++)
		_add(&raw_syscalls[i], 0, SR_ABI_X86_64);
	for (size_t i = 0; i < ARRAY_CNT(raw_syscalls_i386); i++)
		_add(&raw_syscalls_i386[i], SR_COMPAT_BASE, SR_ABI_I386);
	for (size_t i = 0; i < ARRAY_CNT(cap_rules); i++)
		_apply_rule(&cap_rules[i]);
}

const struct sr_syscall_info *sr_syscall__get(unsigned int nr)
{
	pthread_once(&table_once, _build);
	if (nr >= SR_SYSCALL_NR_MAX || !table[nr].name)
		return NULL;
	return &table[nr];
}

int sr_syscall__nr(const char *name)
{
	pthread_once(&table_once, _build);
	for (int nr = 0; nr < SR_COMPAT_BASE; nr++)
		if (table[nr].name && !strcmp(table[nr].name, name))
			return nr;
	return -1;
}

int sr_syscall__ids(const char *name, int by_base, int *ids, int max)
{
	int cnt = 0;

	pthread_once(&table_once, _build);
	for (int id = 0; id < SR_SYSCALL_NR_MAX; id++) {
		const struct sr_syscall_info *s = &table[id];

		if (!s->name || strcmp(by_base ? s->base : s->name, name))
			continue;
		if (cnt < max)
			ids[cnt] = id;
		cnt++;
	}
	return cnt;
}

int sr_syscall__via_socketcall(int id)
{
	int nr = id - SR_COMPAT_BASE;

	return (nr >= 359 && nr <= 373) || nr == 337 || nr == 345 || (nr >= 500 && nr <= 502);
}

const char *sr_abi__name(unsigned int abi)
{
	return abi == SR_ABI_I386 ? "i386" : "x86_64";
}

const char *sr_param_type__name(unsigned int type)
{
	static const char *const names[SR_PT_CNT] = {
		[SR_PT_INT] = "int",     [SR_PT_UINT] = "uint",     [SR_PT_HEX] = "hex",
		[SR_PT_FD] = "fd",       [SR_PT_PID] = "pid",       [SR_PT_UID] = "uid",
		[SR_PT_GID] = "gid",     [SR_PT_MODE] = "mode",     [SR_PT_SIGNAL] = "signal",
		[SR_PT_PATH] = "path",   [SR_PT_STR] = "string",    [SR_PT_BUF] = "buffer",
		[SR_PT_SOCKADDR] = "sockaddr", [SR_PT_FDPAIR] = "fdpair",
	};

	return type < SR_PT_CNT ? names[type] : "?";
}
