// SPDX-License-Identifier: Apache-2.0
/*
 * Replaying what a syscall did to its process's fd table and working directory, from its
 * arguments, its captured memory and its result.  Only successful calls change state; a call
 * still pending at the end of the capture changed nothing yet.
 */
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "decode.h"
#include "event.h"
#include "fd_effects.h"
#include "state_alloc.h"

enum fx {
	FX_NONE = 0,
	FX_OPEN,      /* open(path, flags), creat(path) */
	FX_OPENAT,    /* openat(dirfd, path, flags), openat2(dirfd, path, how) */
	FX_SOCKET,
	FX_CONNECT,
	FX_BIND,
	FX_LISTEN,
	FX_ACCEPT,
	FX_CLOSE,
	FX_CLOSE_RANGE,
	FX_DUP,
	FX_DUP2,      /* dup2(old, new), dup3(old, new, flags) */
	FX_FCNTL,
	FX_PIPE,      /* pipe(fds), pipe2(fds, flags) */
	FX_SOCKETPAIR,
	FX_NEWFD,     /* eventfd, epoll_create, timerfd_create, ...: type from the table */
	FX_MEMFD,
	FX_CHDIR,
	FX_FCHDIR,
};

/* Calls that differ from the rest of their family in one detail. */
enum fx_variant { VAR_NONE = 0, VAR_CREAT, VAR_OPENAT2, VAR_ACCEPT4, VAR_DUP3 };

struct fx_rule {
	const char *name;
	uint8_t fx;
	uint8_t fd_type; /* FX_NEWFD */
	const char *label; /* FX_NEWFD: the name /proc shows for it */
	uint8_t variant;   /* enum fx_variant */
};

static const struct fx_rule rules[] = {
	{ "open", FX_OPEN, 0, NULL, VAR_NONE },        { "creat", FX_OPEN, 0, NULL, VAR_CREAT },
	{ "openat", FX_OPENAT, 0, NULL, VAR_NONE },    { "openat2", FX_OPENAT, 0, NULL, VAR_OPENAT2 },
	{ "socket", FX_SOCKET, 0, NULL, VAR_NONE },    { "connect", FX_CONNECT, 0, NULL, VAR_NONE },
	{ "bind", FX_BIND, 0, NULL, VAR_NONE },        { "listen", FX_LISTEN, 0, NULL, VAR_NONE },
	{ "accept", FX_ACCEPT, 0, NULL, VAR_NONE },    { "accept4", FX_ACCEPT, 0, NULL, VAR_ACCEPT4 },
	{ "close", FX_CLOSE, 0, NULL, VAR_NONE },      { "close_range", FX_CLOSE_RANGE, 0, NULL, VAR_NONE },
	{ "dup", FX_DUP, 0, NULL, VAR_NONE },          { "dup2", FX_DUP2, 0, NULL, VAR_NONE },
	{ "dup3", FX_DUP2, 0, NULL, VAR_DUP3 },        { "fcntl", FX_FCNTL, 0, NULL, VAR_NONE },
	{ "pipe", FX_PIPE, 0, NULL, VAR_NONE },        { "pipe2", FX_PIPE, 0, NULL, VAR_NONE },
	{ "socketpair", FX_SOCKETPAIR, 0, NULL, VAR_NONE },
	{ "eventfd", FX_NEWFD, TR_FD_EVENT, "anon_inode:[eventfd]", VAR_NONE },
	{ "eventfd2", FX_NEWFD, TR_FD_EVENT, "anon_inode:[eventfd]", VAR_NONE },
	{ "epoll_create", FX_NEWFD, TR_FD_EVENTPOLL, "anon_inode:[eventpoll]", VAR_NONE },
	{ "epoll_create1", FX_NEWFD, TR_FD_EVENTPOLL, "anon_inode:[eventpoll]", VAR_NONE },
	{ "timerfd_create", FX_NEWFD, TR_FD_TIMERFD, "anon_inode:[timerfd]", VAR_NONE },
	{ "signalfd", FX_NEWFD, TR_FD_SIGNALFD, "anon_inode:[signalfd]", VAR_NONE },
	{ "signalfd4", FX_NEWFD, TR_FD_SIGNALFD, "anon_inode:[signalfd]", VAR_NONE },
	{ "inotify_init", FX_NEWFD, TR_FD_INOTIFY, "anon_inode:inotify", VAR_NONE },
	{ "inotify_init1", FX_NEWFD, TR_FD_INOTIFY, "anon_inode:inotify", VAR_NONE },
	{ "pidfd_open", FX_NEWFD, TR_FD_PIDFD, "anon_inode:[pidfd]", VAR_NONE },
	{ "userfaultfd", FX_NEWFD, TR_FD_USERFAULTFD, "anon_inode:[userfaultfd]", VAR_NONE },
	{ "io_uring_setup", FX_NEWFD, TR_FD_IO_URING, "anon_inode:[io_uring]", VAR_NONE },
	{ "perf_event_open", FX_NEWFD, TR_FD_OTHER, "anon_inode:[perf_event]", VAR_NONE },
	{ "memfd_create", FX_MEMFD, 0, NULL, VAR_NONE },
	{ "chdir", FX_CHDIR, 0, NULL, VAR_NONE },      { "fchdir", FX_FCHDIR, 0, NULL, VAR_NONE },
};

static const struct fx_rule *rule_of[SR_SYSCALL_NR_MAX];
static pthread_once_t rules_once = PTHREAD_ONCE_INIT;

static void _build(void)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		int ids[8], cnt = sr_syscall__ids(rules[i].name, 1, ids, 8); /* both ABIs */

		for (int j = 0; j < cnt && j < 8; j++)
			rule_of[ids[j]] = &rules[i];
	}
}

static const struct fx_rule *_rule(const struct sr_evt *ev)
{
	uint64_t nr = ev->rec->ints[0];

	pthread_once(&rules_once, _build);
	return nr < SR_SYSCALL_NR_MAX ? rule_of[nr] : NULL;
}

static int64_t _arg(const struct sr_evt *ev, unsigned int i)
{
	return 4 + i < ev->rec->int_cnt ? (int64_t)ev->rec->ints[4 + i] : 0;
}

/* An fd argument: the low 32 bits, sign-extended (AT_FDCWD is -100). */
static int64_t _fd_arg(const struct sr_evt *ev, unsigned int i)
{
	return (int32_t)_arg(ev, i);
}

/* Join @base and @path and fold "." and ".." components: the absolute path the kernel used. */
static char *_resolve(const char *base, const char *path, size_t path_len)
{
	size_t blen = path_len && path[0] == '/' ? 0 : strlen(base);
	char *out = sr_xcalloc(1, blen + path_len + 2);
	size_t n = 0;

	memcpy(out, base, blen);
	out[blen] = '/';
	memcpy(out + blen + 1, path, path_len);
	out[blen + 1 + path_len] = '\0';
	if (out[0] != '/') /* an unknown base: keep the path as given */
		return memcpy(out, path, path_len), out[path_len] = '\0', out;
	/* Fold in place: components are copied left, "." dropped, ".." pops one. */
	for (char *p = out; *p;) {
		char *end;
		size_t len;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		end = strchr(p, '/');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len == 1 && p[0] == '.') {
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
		} else {
			out[n++] = '/';
			memmove(out + n, p, len);
			n += len;
		}
		p += len;
	}
	if (!n)
		out[n++] = '/';
	out[n] = '\0';
	return out;
}

/* The path of argument @i as the kernel resolved it against @dirfd (AT_FDCWD: the cwd). */
static char *_path_of(struct sr_evt *ev, unsigned int i, int64_t dirfd)
{
	const struct trace_blob *b = ev->arg_blob[i];
	const char *base = NULL;
	struct sr_proc *p = ev->thr ? ev->thr->proc : NULL;

	if (!b)
		return sr_xstrndup("", 0);
	if (dirfd == AT_FDCWD)
		base = p ? p->cwd : NULL;
	else if (sr_state__fd(p, dirfd))
		base = sr_state__fd(p, dirfd)->name;
	return _resolve(base && base[0] == '/' ? base : "", b->data, b->sz);
}

static bool _sockaddr(const struct sr_evt *ev, unsigned int i, struct sr_sockaddr *sa)
{
	const struct trace_blob *b = ev->arg_blob[i];

	return b && sr_sockaddr__parse(b->data, b->sz, sa);
}

/* The socket's addresses as the kernel had them after the call (blob tag 64), when the
 * recorder captured them: authoritative for ephemeral ports and accepted peers. */
#define TAG_SOCK_TUPLE 64

static bool _kernel_tuple(const struct sr_evt *ev, struct sr_fd *f)
{
	const struct trace_rec *rec = ev->rec;
	struct {
		uint16_t family, lport, rport, pad;
		uint8_t laddr[16], raddr[16];
	} t;

	for (unsigned int i = 0; i < rec->blob_cnt; i++) {
		if (rec->blobs[i].tag != TAG_SOCK_TUPLE || rec->blobs[i].sz < sizeof(t))
			continue;
		memcpy(&t, rec->blobs[i].data, sizeof(t));
		if (t.family != AF_INET && t.family != AF_INET6)
			return false;
		f->family = (uint8_t)t.family;
		f->lport = t.lport;
		f->rport = t.rport;
		memcpy(f->lip, t.laddr, sizeof(f->lip));
		memcpy(f->rip, t.raddr, sizeof(f->rip));
		sr_fd__name_tuple(f);
		return true;
	}
	return false;
}

/* One end of a socket from a sockaddr argument: the remote one (connect, sendto) or the
 * local one (bind). */
static void _set_end(struct sr_fd *f, const struct sr_sockaddr *sa, bool local)
{
	if (sa->family == AF_INET || sa->family == AF_INET6) {
		f->family = (uint8_t)sa->family;
		memcpy(local ? f->lip : f->rip, sa->addr, sizeof(f->lip));
		*(local ? &f->lport : &f->rport) = sa->port;
		sr_fd__name_tuple(f);
	} else if (sa->family == AF_UNIX) {
		sr_fd__set_name(f, sa->path, strlen(sa->path));
	}
}

static struct sr_fd *_socket(int64_t domain, int64_t type)
{
	uint8_t ft = domain == AF_INET ? TR_FD_IPV4 : domain == AF_INET6 ? TR_FD_IPV6 :
		     domain == AF_UNIX ? TR_FD_UNIX : domain == AF_NETLINK ? TR_FD_NETLINK :
		     TR_FD_SOCKET;
	struct sr_fd *f = sr_fd__new(ft, NULL, 0);
	int base = (int)(type & 0xf);

	if (ft == TR_FD_IPV4 || ft == TR_FD_IPV6)
		f->l4proto = base == SOCK_STREAM ? IPPROTO_TCP : base == SOCK_DGRAM ? IPPROTO_UDP : 0;
	f->cloexec = type & SOCK_CLOEXEC;
	return f;
}

static void _install_pair(struct sr_state *st, struct sr_proc *p, const struct trace_blob *b,
			  struct sr_fd *tmpl)
{
	int32_t fds[2];

	if (!b || b->sz < sizeof(fds)) {
		sr_fd__free(tmpl);
		return;
	}
	memcpy(fds, b->data, sizeof(fds));
	sr_state__fd_install(st, p, fds[1], sr_fd__dup(tmpl));
	sr_state__fd_install(st, p, fds[0], tmpl);
}

static void _set_cwd(struct sr_proc *p, const char *path)
{
	free(p->cwd);
	p->cwd = sr_xstrndup(path, strlen(path));
}

void sr_fd_effects__enter(struct sr_state *st, struct sr_evt *ev)
{
	const struct fx_rule *r = _rule(ev);
	const struct trace_rec *rec = ev->rec;
	struct sr_proc *p = ev->thr ? ev->thr->proc : NULL;
	int64_t ret = (int64_t)rec->ints[1];
	bool ok = !(rec->ints[3] & TR_SC_F_PENDING) && ret >= 0;
	struct sr_fd *f = NULL, *old;
	struct sr_sockaddr sa;
	char *path;

	/* The event's fd: the first fd argument; a call that makes an fd is about that one. */
	if (ev->sc) {
		for (int i = 0; i < ev->sc->nargs && i < SR_SYSCALL_MAX_ARGS; i++) {
			if (ev->sc->args[i].type == SR_PT_FD && _fd_arg(ev, i) >= 0) {
				ev->fd_num = _fd_arg(ev, i);
				break;
			}
		}
	}
	if (!r || !p)
		goto out;
	switch (r->fx) {
	case FX_OPEN:
	case FX_OPENAT:
		if (!ok)
			break;
		path = r->fx == FX_OPEN ? _path_of(ev, 0, AT_FDCWD) : _path_of(ev, 1, _fd_arg(ev, 0));
		f = sr_fd__new(TR_FD_FILE, path, strlen(path));
		free(path);
		if (r->variant == VAR_CREAT)
			f->flags = O_CREAT | O_WRONLY | O_TRUNC;
		else if (r->variant != VAR_OPENAT2) /* openat2 has its flags in a struct */
			f->flags = (uint32_t)_arg(ev, r->fx == FX_OPEN ? 1 : 2);
		if (f->flags & O_DIRECTORY)
			f->type = TR_FD_DIRECTORY;
		f->cloexec = f->flags & O_CLOEXEC;
		break;
	case FX_SOCKET:
		if (ok)
			f = _socket(_arg(ev, 0), _arg(ev, 1));
		break;
	case FX_ACCEPT: {
		/* The kernel's addresses of the new socket, when the recorder wrote them just
		 * before the call (an FD record for fd ret): kept. */
		struct sr_fd *known = ok ? sr_state__fd(p, ret) : NULL;

		old = sr_state__fd(p, _fd_arg(ev, 0));
		if (!ok)
			break;
		f = old ? sr_fd__dup(old) : sr_fd__new(TR_FD_SOCKET, NULL, 0);
		f->server = true;
		if (known && known->family && known->rport) {
			f->family = known->family;
			memcpy(f->lip, known->lip, sizeof(f->lip));
			memcpy(f->rip, known->rip, sizeof(f->rip));
			f->lport = known->lport;
			f->rport = known->rport;
			f->cloexec = r->variant == VAR_ACCEPT4 && (_arg(ev, 3) & SOCK_CLOEXEC);
			sr_fd__name_tuple(f);
			break;
		}
		f->cloexec = r->variant == VAR_ACCEPT4 && (_arg(ev, 3) & SOCK_CLOEXEC);
		if (!_kernel_tuple(ev, f) && _sockaddr(ev, 1, &sa))
			_set_end(f, &sa, false);
		break;
	}
	case FX_DUP:
	case FX_DUP2:
		old = sr_state__fd(p, _fd_arg(ev, 0));
		if (!ok || !old || (r->fx == FX_DUP2 && ret == _fd_arg(ev, 0)))
			break;
		f = sr_fd__dup(old);
		f->cloexec = r->variant == VAR_DUP3 && (_arg(ev, 2) & O_CLOEXEC);
		break;
	case FX_FCNTL:
		old = sr_state__fd(p, _fd_arg(ev, 0));
		if (!ok || !old)
			break;
		if (_arg(ev, 1) == F_DUPFD || _arg(ev, 1) == F_DUPFD_CLOEXEC) {
			f = sr_fd__dup(old);
			f->cloexec = _arg(ev, 1) == F_DUPFD_CLOEXEC;
		} else if (_arg(ev, 1) == F_SETFD) {
			old->cloexec = _arg(ev, 2) & FD_CLOEXEC;
		}
		break;
	case FX_NEWFD:
		if (ok) {
			f = sr_fd__new(r->fd_type, r->label, strlen(r->label));
			f->cloexec = true; /* most are made with *_CLOEXEC; exec rarely keeps them */
		}
		break;
	case FX_MEMFD:
		if (ok) {
			const struct trace_blob *b = ev->arg_blob[0];
			char name[300];
			int n = snprintf(name, sizeof(name), "/memfd:%.*s", b ? (int)(b->sz > 255 ? 255 : b->sz) : 0,
					 b ? (const char *)b->data : "");

			f = sr_fd__new(TR_FD_FILE, name, (size_t)n);
			f->cloexec = _arg(ev, 1) & 1; /* MFD_CLOEXEC */
		}
		break;
	case FX_PIPE:
		if (ok) {
			f = sr_fd__new(TR_FD_PIPE, "pipe", 4);
			f->cloexec = _arg(ev, 1) & O_CLOEXEC;
			_install_pair(st, p, ev->arg_blob[0], f);
			f = NULL;
		}
		break;
	case FX_SOCKETPAIR:
		if (ok) {
			f = _socket(_arg(ev, 0), _arg(ev, 1));
			_install_pair(st, p, ev->arg_blob[3], f);
			f = NULL;
		}
		break;
	case FX_CONNECT:
		old = sr_state__fd(p, _fd_arg(ev, 0));
		/* A non-blocking connect returns EINPROGRESS and completes later. */
		if (old && (ok || ret == -115)) {
			old->server = false;
			/* The recorder wrote the kernel's addresses just before: nothing to add. */
			if (!(old->rport && old->lport) && !_kernel_tuple(ev, old) &&
			    _sockaddr(ev, 1, &sa))
				_set_end(old, &sa, false);
			old->gen = sr_state__next_gen(st);
		}
		break;
	case FX_BIND:
		old = sr_state__fd(p, _fd_arg(ev, 0));
		if (old && ok) {
			if (!old->lport && !_kernel_tuple(ev, old) && _sockaddr(ev, 1, &sa))
				_set_end(old, &sa, true);
			old->gen = sr_state__next_gen(st);
		}
		break;
	case FX_LISTEN:
		old = sr_state__fd(p, _fd_arg(ev, 0));
		if (old && ok) {
			old->server = true;
			old->gen = sr_state__next_gen(st);
		}
		break;
	case FX_CHDIR:
		if (ok) {
			path = _path_of(ev, 0, AT_FDCWD);
			if (path[0] == '/')
				_set_cwd(p, path);
			free(path);
			p->gen = sr_state__next_gen(st);
		}
		break;
	case FX_FCHDIR:
		old = sr_state__fd(p, _fd_arg(ev, 0));
		if (ok && old && old->name[0] == '/') {
			_set_cwd(p, old->name);
			p->gen = sr_state__next_gen(st);
		}
		break;
	}
	if (f) {
		sr_state__fd_install(st, p, ret, f);
		ev->fd_num = ret;
		ev->fd_is_ret = true;
	}
out:
	ev->fd = p ? sr_state__fd(p, ev->fd_num) : NULL;
}

void sr_fd_effects__leave(struct sr_state *st, struct sr_evt *ev)
{
	const struct fx_rule *r = _rule(ev);
	struct sr_proc *p = ev->thr ? ev->thr->proc : NULL;
	const struct trace_rec *rec = ev->rec;

	if (!r || !p || (rec->ints[3] & TR_SC_F_PENDING))
		return;
	/* close() frees the fd even when it reports an error (EINTR, EIO), except EBADF. */
	if (r->fx == FX_CLOSE && (int64_t)rec->ints[1] != -9)
		sr_state__fd_remove(p, _fd_arg(ev, 0));
	if (r->fx == FX_CLOSE_RANGE && (int64_t)rec->ints[1] == 0) {
		uint64_t first = (uint32_t)_arg(ev, 0), last = (uint32_t)_arg(ev, 1);
		uint32_t cap = p->fdt ? p->fdt->cap : 0;

		if (_arg(ev, 2) & 4) /* CLOSE_RANGE_CLOEXEC: marks instead of closing */
			for (uint64_t i = first; i <= last && i < cap; i++) {
				if (p->fdt->fds[i])
					p->fdt->fds[i]->cloexec = true;
			}
		else
			for (uint64_t i = first; i <= last && i < cap; i++)
				sr_state__fd_remove(p, (int64_t)i);
	}
	(void)st;
}
