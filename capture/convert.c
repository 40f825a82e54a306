// SPDX-License-Identifier: Apache-2.0
/* Ring record -> trace record, one function per record type. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <stdbool.h>
#include <string.h>

#include "convert.h"
#include "event_table.h"
#include "records.h"

static void _rec_init(struct trace_rec *rec, uint16_t type, const struct sr_rb_hdr *h, uint16_t cpu)
{
	rec->type = type;
	rec->ts = h->ts;
	rec->tid = h->tid;
	rec->cpu = cpu;
	rec->int_cnt = 0;
	rec->blob_cnt = 0;
}

static void _blob(struct trace_rec *rec, const void *data, uint32_t sz, uint16_t tag, uint16_t flags)
{
	rec->blobs[rec->blob_cnt++] = (struct trace_blob){ data, sz, tag, flags };
}

static int _syscall(const uint8_t *p, uint32_t len, uint16_t cpu, struct trace_rec *rec)
{
	const struct sr_rb_syscall *s = (const void *)p;
	const struct sr_syscall_info *info;
	uint32_t off = sizeof(*s);
	int nargs;

	if (len < sizeof(*s))
		return -EBADMSG;
	info = sr_syscall__get(s->nr);
	nargs = info && info->nargs >= 0 ? info->nargs : 6;
	_rec_init(rec, TR_SYSCALL, &s->hdr, cpu);
	rec->ints[0] = s->nr;
	rec->ints[1] = (uint64_t)s->ret;
	rec->ints[2] = s->latency_ns;
	rec->ints[3] = (s->flags & SR_SC_F_NO_LATENCY ? TR_SC_F_NO_LATENCY : 0) |
		       (s->flags & SR_SC_F_PENDING ? TR_SC_F_PENDING : 0);
	memcpy(&rec->ints[4], s->args, nargs * sizeof(uint64_t));
	rec->int_cnt = (uint8_t)(4 + nargs);
	for (int i = 0; i < s->data_cnt && i < TRACE_REC_MAX_BLOBS; i++) {
		const struct sr_rb_data *d = (const void *)(p + off);

		if (off + sizeof(*d) > len || off + sizeof(*d) + d->sz > len)
			return -EBADMSG;
		_blob(rec, d + 1, d->sz, d->arg,
		      d->kind == SR_PT_PATH || d->kind == SR_PT_STR ? TRACE_BLOB_F_INTERN : 0);
		off += (sizeof(*d) + d->sz + 7) & ~7u;
	}
	return 1;
}

static int _thread(const uint8_t *p, uint32_t len, uint16_t cpu, struct trace_rec *rec)
{
	const struct sr_rb_thread *t = (const void *)p;
	const uint64_t v[] = {
		t->hdr.tid, t->pid, t->ppid, t->vtid, t->vpid, t->uid, t->gid, t->euid, t->egid,
		t->cgroup_id, 0 /* flags */, t->start_ns, t->ns_mnt, t->ns_pid, t->ns_net, t->ns_uts,
		t->ns_ipc, t->ns_user, t->ns_cgroup, t->ns_time,
	};

	if (len < sizeof(*t))
		return -EBADMSG;
	_rec_init(rec, TR_THREAD, &t->hdr, cpu);
	memcpy(rec->ints, v, sizeof(v));
	rec->int_cnt = sizeof(v) / sizeof(v[0]);
	_blob(rec, t->comm, (uint32_t)strnlen(t->comm, sizeof(t->comm)), TR_THREAD_BLOB_COMM,
	      TRACE_BLOB_F_INTERN);
	return 1;
}

static int _fork_rec(const uint8_t *p, uint32_t len, uint16_t cpu, struct trace_rec *rec)
{
	const struct sr_rb_fork *f = (const void *)p;

	if (len < sizeof(*f))
		return -EBADMSG;
	_rec_init(rec, TR_PROC_FORK, &f->hdr, cpu);
	rec->ints[0] = f->child_tid;
	rec->ints[1] = f->hdr.tid;
	rec->ints[2] = f->child_pid;
	rec->ints[3] = f->clone_flags;
	rec->int_cnt = 4;
	return 1;
}

/* A path from the driver's components (innermost first, one per CONVERT_NAME_SLOT-byte
 * slot, each ending with a NUL; SR_EXE_F_* @flags), as d_path writes it: "/usr/bin/true",
 * "/memfd:x (deleted)".  @return its length in @out, 0 when there are none or it does not fit. */
static uint32_t convert_path_join(const uint8_t *comp, uint32_t sz, uint64_t flags, char *out, size_t cap)
{
	static const char deleted[] = " (deleted)", cut[] = "/...";
	size_t n = 0;

	if (!sz || sz % CONVERT_NAME_SLOT)
		return 0;
	if (flags & SR_EXE_F_CUT && cap > sizeof(cut))
		n = (size_t)snprintf(out, cap, "%s", cut);
	for (uint32_t i = sz / CONVERT_NAME_SLOT; i-- > 0;) { /* the outermost is last */
		const char *name = (const char *)comp + i * CONVERT_NAME_SLOT;
		size_t len = strnlen(name, CONVERT_NAME_SLOT - 1);

		if (n + 1 + len + sizeof(deleted) > cap)
			return 0;
		out[n++] = '/';
		memcpy(out + n, name, len);
		n += len;
	}
	if (flags & SR_EXE_F_DELETED) {
		memcpy(out + n, deleted, sizeof(deleted) - 1);
		n += sizeof(deleted) - 1;
	}
	return (uint32_t)n;
}

static int _exec_rec(const uint8_t *p, uint32_t len, uint16_t cpu, struct trace_rec *rec,
		     char *name)
{
	const struct sr_rb_exec *e = (const void *)p;
	const uint8_t *exe = (const uint8_t *)(e + 1), *file, *args;
	uint32_t args_sz;

	if (len < sizeof(*e) || sizeof(*e) + (uint32_t)e->exe_sz + e->filename_sz + e->args_sz > len)
		return -EBADMSG;
	file = exe + e->exe_sz;
	args = file + e->filename_sz;
	args_sz = e->args_sz;
	_rec_init(rec, TR_PROC_EXEC, &e->hdr, cpu);
	rec->ints[0] = e->hdr.tid;
	rec->ints[1] = e->pid;
	rec->ints[TR_EXEC_FLAGS] = e->args_len > e->args_sz ? TR_EXEC_F_ARGS_CUT : 0;
	rec->ints[TR_EXEC_ARGS_LEN] = e->args_len;
	rec->int_cnt = 4;
	/* NUL-separated, without the final NUL (as the /proc snapshot stores them) */
	if (args_sz && !args[args_sz - 1])
		args_sz--;
	_blob(rec, file, e->filename_sz, 0, TRACE_BLOB_F_INTERN);
	_blob(rec, args, args_sz, 1, TRACE_BLOB_F_INTERN);
	/* The file that runs, when the filename does not name it: its path, joined. */
	if (e->exe_sz) {
		uint32_t n = convert_path_join(exe, e->exe_sz, e->exe_flags, name, CONVERT_NAME_MAX);

		if (n)
			_blob(rec, name, n, 2, TRACE_BLOB_F_INTERN);
	}
	return 1;
}

static int _exit_rec(const uint8_t *p, uint32_t len, uint16_t cpu, struct trace_rec *rec)
{
	const struct sr_rb_exit *x = (const void *)p;

	if (len < sizeof(*x))
		return -EBADMSG;
	_rec_init(rec, TR_PROC_EXIT, &x->hdr, cpu);
	rec->ints[0] = x->hdr.tid;
	rec->ints[1] = x->pid;
	rec->ints[2] = ((uint32_t)x->exit_code >> 8) & 0xff;
	rec->ints[3] = (uint32_t)x->exit_code & 0x7f;
	rec->ints[4] = x->cpu_ns;
	rec->int_cnt = 5;
	return 1;
}

/* The total only: the recorder turns it into the CPU time since the previous record. */
static int _cpu_rec(const uint8_t *p, uint32_t len, uint16_t cpu, struct trace_rec *rec)
{
	const struct sr_rb_cpu *c = (const void *)p;

	if (len < sizeof(*c))
		return -EBADMSG;
	_rec_init(rec, TR_CPU, &c->hdr, cpu);
	rec->ints[0] = c->hdr.tid;
	rec->ints[1] = c->pid;
	rec->ints[2] = 0;
	rec->ints[3] = c->cpu_ns;
	rec->ints[4] = c->start_ns; /* for the recorder only: it writes 4 ints */
	rec->ints[5] = c->pad;      /* final */
	rec->int_cnt = 6;
	return 1;
}

static int _sample_rec(const uint8_t *p, uint32_t len, uint16_t cpu, struct trace_rec *rec)
{
	const struct sr_rb_sample *x = (const void *)p;
	uint32_t n;

	if (len < sizeof(*x))
		return -EBADMSG;
	n = (uint32_t)x->ustack_cnt + x->kstack_cnt;
	if (x->ustack_cnt > SR_STACK_MAX || x->kstack_cnt > SR_STACK_MAX ||
	    sizeof(*x) + n * sizeof(uint64_t) > len)
		return -EBADMSG;
	_rec_init(rec, TR_SAMPLE, &x->hdr, cpu);
	rec->ints[0] = x->event_id;
	rec->ints[1] = x->pid;
	rec->ints[2] = x->value;
	rec->ints[3] = x->period;
	rec->int_cnt = 4;
	_blob(rec, x->ips, x->ustack_cnt * (uint32_t)sizeof(uint64_t), 0, 0);
	_blob(rec, x->ips + x->ustack_cnt, x->kstack_cnt * (uint32_t)sizeof(uint64_t), 1, 0);
	return 1;
}

/* ints: probe id, pid, the argument values; blobs: the tracepoint record (tag 0), the
 * strings of string arguments (tag 16 + the argument's index). */
static int _probe_rec(const uint8_t *p, uint32_t len, uint16_t cpu, struct trace_rec *rec)
{
	const struct sr_rb_probe *x = (const void *)p;
	uint32_t off = sizeof(*x) + ((x->raw_sz + 7u) & ~7u);

	if (len < sizeof(*x) || x->arg_cnt > SR_PROBE_ARGS || off + x->arg_cnt * 8u > len)
		return -EBADMSG;
	_rec_init(rec, TR_PROBE_HIT, &x->hdr, cpu);
	rec->ints[0] = SR_PROBE_ID_BASE + x->probe_id;
	rec->ints[1] = x->pid;
	memcpy(&rec->ints[2], p + off, x->arg_cnt * sizeof(uint64_t));
	rec->int_cnt = (uint8_t)(2 + x->arg_cnt);
	if (x->raw_sz)
		_blob(rec, x + 1, x->raw_sz, 0, 0);
	off += x->arg_cnt * 8u;
	for (int i = 0; i < x->data_cnt && rec->blob_cnt < TRACE_REC_MAX_BLOBS; i++) {
		const struct sr_rb_data *d = (const void *)(p + off);

		if (off + sizeof(*d) > len || off + sizeof(*d) + d->sz > len)
			return -EBADMSG;
		_blob(rec, d + 1, d->sz, (uint16_t)(16 + d->arg), TRACE_BLOB_F_INTERN);
		off += (sizeof(*d) + d->sz + 7) & ~7u;
	}
	return 1;
}

static bool _is_accept(unsigned int id)
{
	const struct sr_syscall_info *info = sr_syscall__get(id);

	return info && !strncmp(info->base, "accept", 6);
}


/* The kernel's addresses of a socket: an FD record that updates only those. */
static int _sock_rec(const uint8_t *p, uint32_t len, uint16_t cpu, struct trace_rec *rec)
{
	const struct sr_rb_sock *x = (const void *)p;
	uint32_t alen = x->family == 10 ? 16 : 4;

	if (len < sizeof(*x))
		return -EBADMSG;
	_rec_init(rec, TR_FD, &x->hdr, cpu);
	rec->ints[0] = x->pid;
	rec->ints[1] = (uint64_t)(int64_t)x->fd;
	rec->ints[2] = x->family == 10 ? TR_FD_IPV6 : TR_FD_IPV4;
	rec->ints[3] = TR_FD_F_ADDR_ONLY;
	rec->ints[4] = 0;
	rec->ints[5] = x->lport;
	rec->ints[6] = x->rport;
	rec->ints[7] = 0;
	rec->ints[8] = _is_accept(x->nr); /* accept: this end is the server */
	rec->int_cnt = 9;
	_blob(rec, "", 0, 0, 0);
	_blob(rec, x->laddr, alen, 1, 0);
	_blob(rec, x->raddr, alen, 2, 0);
	return 1;
}

/* The name of a unix socket by its inodes, as strace -yy shows it: UNIX-STREAM:[a->b]. */
static uint32_t _unix_name(const struct sr_rb_fdinfo *x, char *out, size_t cap)
{
	const char *kind = x->sock_type == SOCK_STREAM ? "STREAM" : x->sock_type == SOCK_DGRAM ?
			   "DGRAM" : x->sock_type == SOCK_SEQPACKET ? "SEQPACKET" : "SOCKET";
	int n = x->peer_ino ? snprintf(out, cap, "UNIX-%s:[%llu->%llu]", kind,
				       (unsigned long long)x->ino, (unsigned long long)x->peer_ino)
			    : snprintf(out, cap, "UNIX-%s:[%llu]", kind, (unsigned long long)x->ino);

	return n > 0 && (size_t)n < cap ? (uint32_t)n : 0;
}

/*
 * The identity of an fd a pipe, pipe2 or socketpair made, or recvmsg received: a whole FD
 * record (it replaces what the call itself installed), named as /proc names the fd (pipe:[N],
 * a path, anon_inode:[eventfd]) or, for a unix socket, by its two ends.
 */
static int _fdinfo_rec(const uint8_t *p, uint32_t len, uint16_t cpu, struct trace_rec *rec,
		       char *name)
{
	const struct sr_rb_fdinfo *x = (const void *)p;
	uint32_t name_len = 0, alen = 0, type = TR_FD_OTHER, l4 = 0, fmt = x->mode & S_IFMT;

	if (len < sizeof(*x) || sizeof(*x) + x->path_sz > len)
		return -EBADMSG;
	if (fmt == S_IFIFO) {
		type = TR_FD_PIPE;
		name_len = (uint32_t)snprintf(name, CONVERT_NAME_MAX, "pipe:[%llu]", (unsigned long long)x->ino);
	} else if (fmt == S_IFSOCK && x->family == AF_UNIX) {
		type = TR_FD_UNIX;
		name_len = _unix_name(x, name, CONVERT_NAME_MAX);
	} else if (fmt == S_IFSOCK && (x->family == AF_INET || x->family == AF_INET6)) {
		type = x->family == AF_INET ? TR_FD_IPV4 : TR_FD_IPV6;
		alen = x->family == AF_INET ? 4 : 16;
		l4 = x->sock_type == SOCK_STREAM ? IPPROTO_TCP : x->sock_type == SOCK_DGRAM ? IPPROTO_UDP : 0;
	} else if (fmt == S_IFSOCK) {
		type = x->family == AF_NETLINK ? TR_FD_NETLINK : TR_FD_SOCKET;
		name_len = (uint32_t)snprintf(name, CONVERT_NAME_MAX, "socket:[%llu]", (unsigned long long)x->ino);
	} else if (!fmt) { /* an anonymous inode: its dentry is named "[eventfd]", ... */
		const uint8_t *comp = x->path_sz ? (const uint8_t *)(x + 1) : NULL;

		name_len = comp ? (uint32_t)snprintf(name, CONVERT_NAME_MAX, "anon_inode:%.*s",
						    (int)strnlen((const char *)comp, x->path_sz), comp) : 0;
	} else {
		type = fmt == S_IFDIR ? TR_FD_DIRECTORY : TR_FD_FILE;
		name_len = convert_path_join((const uint8_t *)(x + 1), x->path_sz, x->path_flags,
					     name, CONVERT_NAME_MAX);
	}
	_rec_init(rec, TR_FD, &x->hdr, cpu);
	rec->ints[0] = x->pid;
	rec->ints[1] = (uint64_t)(int64_t)x->fd;
	rec->ints[2] = type;
	rec->ints[3] = x->cloexec ? O_CLOEXEC : 0;
	rec->ints[4] = l4;
	rec->ints[5] = x->lport;
	rec->ints[6] = x->rport;
	rec->ints[7] = x->ino;
	rec->ints[8] = 0;
	rec->int_cnt = 9;
	_blob(rec, name, name_len < CONVERT_NAME_MAX ? name_len : 0, 0, TRACE_BLOB_F_INTERN);
	_blob(rec, x->laddr, alen, 1, 0);
	_blob(rec, x->raddr, alen, 2, 0);
	return 1;
}

int convert_rb(const void *raw, uint32_t len, uint16_t cpu, struct trace_rec *rec,
	       char name[CONVERT_NAME_MAX])
{
	const struct sr_rb_hdr *h = raw;

	if (len < sizeof(*h) || h->len > len)
		return -EBADMSG;
	switch (h->type) {
	case SR_RB_SYSCALL:
		return _syscall(raw, len, cpu, rec);
	case SR_RB_THREAD:
		return _thread(raw, len, cpu, rec);
	case SR_RB_FORK:
		return _fork_rec(raw, len, cpu, rec);
	case SR_RB_EXEC:
		return _exec_rec(raw, len, cpu, rec, name);
	case SR_RB_EXIT:
		return _exit_rec(raw, len, cpu, rec);
	case SR_RB_CPU:
		return _cpu_rec(raw, len, cpu, rec);
	case SR_RB_SAMPLE:
		return _sample_rec(raw, len, cpu, rec);
	case SR_RB_PROBE:
		return _probe_rec(raw, len, cpu, rec);
	case SR_RB_SOCK:
		return _sock_rec(raw, len, cpu, rec);
	case SR_RB_FDINFO:
		return _fdinfo_rec(raw, len, cpu, rec, name);
	}
	return 0;
}
