// SPDX-License-Identifier: Apache-2.0
/* fd state from /proc for the snapshot at capture start (see fd_snapshot.h). */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd_snapshot.h"
#include "record.h"

struct sock_ent {
	uint64_t ino;
	uint8_t family, l4proto;
	uint16_t sport, dport;
	uint8_t sip[16], dip[16];
	char path[108];
};

struct sock_table {
	uint64_t netns;
	struct sock_ent *v;
	size_t cnt, cap;
};

struct fd_snapshot {
	struct sock_table *tables;
	size_t cnt, cap;
};

int fd_snapshot__new(struct fd_snapshot **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void fd_snapshot__free(struct fd_snapshot *fs)
{
	if (!fs)
		return;
	for (size_t i = 0; i < fs->cnt; i++)
		free(fs->tables[i].v);
	free(fs->tables);
	free(fs);
}

static struct sock_ent *_sock_add(struct sock_table *t)
{
	if (t->cnt == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		void *n = realloc(t->v, cap * sizeof(*t->v));

		if (!n)
			return NULL;
		t->v = n;
		t->cap = cap;
	}
	memset(&t->v[t->cnt], 0, sizeof(t->v[0]));
	return &t->v[t->cnt++];
}

/* "0100007F:1F90": an address printed as native 32-bit words of network-order bytes. */
static int _parse_addr(const char *s, uint8_t *out, int words, uint16_t *port)
{
	char *end;

	for (int w = 0; w < words; w++) {
		char word[9];
		uint32_t v;

		memcpy(word, s + 8 * w, 8);
		word[8] = 0;
		v = (uint32_t)strtoul(word, &end, 16);
		if (end != word + 8)
			return -1;
		memcpy(out + 4 * w, &v, 4); /* the kernel printed the __be32 as a host u32 */
	}
	if (s[8 * words] != ':')
		return -1;
	*port = (uint16_t)strtoul(s + 8 * words + 1, &end, 16);
	return 0;
}

/* The local end of @s is the server: it listens, or a socket listens on its local port. */
static bool _is_server(const struct sock_table *t, const struct sock_ent *s)
{
	if (!s->dport)
		return true;
	for (size_t i = 0; i < t->cnt; i++) {
		const struct sock_ent *l = &t->v[i];

		if (l->dport == 0 && l->sport == s->sport && l->l4proto == s->l4proto &&
		    l->family == s->family && l->ino != s->ino)
			return true;
	}
	return false;
}

/* /proc/PID/net/{tcp,udp}[6] */
static void _read_inet(struct sock_table *t, pid_t pid, const char *file, uint8_t family,
		       uint8_t l4proto)
{
	char path[64], line[512], local[64], remote[64];
	int words = family == AF_INET ? 1 : 4;
	unsigned long long ino;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/net/%s", pid, file);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		struct sock_ent *e;

		if (sscanf(line, " %*d: %63s %63s %*x %*s %*s %*s %*d %*d %llu", local, remote, &ino) != 3)
			continue; /* the header line */
		e = _sock_add(t);
		if (!e)
			break;
		e->ino = ino;
		e->family = family;
		e->l4proto = l4proto;
		if (_parse_addr(local, e->sip, words, &e->sport) ||
		    _parse_addr(remote, e->dip, words, &e->dport))
			t->cnt--;
	}
	fclose(f);
}

static void _read_unix(struct sock_table *t, pid_t pid)
{
	char path[64], line[512], upath[108];
	unsigned long long ino;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/net/unix", pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		struct sock_ent *e;
		int n;

		upath[0] = 0;
		n = sscanf(line, "%*s %*s %*s %*s %*s %*s %llu %107s", &ino, upath);
		if (n < 1)
			continue;
		e = _sock_add(t);
		if (!e)
			break;
		e->ino = ino;
		e->family = AF_UNIX;
		snprintf(e->path, sizeof(e->path), "%s", upath);
	}
	fclose(f);
}

static struct sock_table *_table(struct fd_snapshot *fs, pid_t pid, uint64_t netns)
{
	struct sock_table *t;

	for (size_t i = 0; i < fs->cnt; i++)
		if (fs->tables[i].netns == netns)
			return &fs->tables[i];
	if (fs->cnt == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 8;
		void *n = realloc(fs->tables, cap * sizeof(*fs->tables));

		if (!n)
			return NULL;
		fs->tables = n;
		fs->cap = cap;
	}
	t = &fs->tables[fs->cnt++];
	memset(t, 0, sizeof(*t));
	t->netns = netns;
	_read_inet(t, pid, "tcp", AF_INET, IPPROTO_TCP);
	_read_inet(t, pid, "tcp6", AF_INET6, IPPROTO_TCP);
	_read_inet(t, pid, "udp", AF_INET, IPPROTO_UDP);
	_read_inet(t, pid, "udp6", AF_INET6, IPPROTO_UDP);
	_read_unix(t, pid);
	return t;
}

static const struct sock_ent *_sock(const struct sock_table *t, uint64_t ino)
{
	for (size_t i = 0; t && i < t->cnt; i++)
		if (t->v[i].ino == ino)
			return &t->v[i];
	return NULL;
}

/* The type of an anonymous inode from its link text, "anon_inode:[eventfd]" and the like. */
static uint8_t _anon_type(const char *what)
{
	static const struct {
		const char *name;
		uint8_t type;
	} anon[] = {
		{ "eventfd", TR_FD_EVENT }, { "signalfd", TR_FD_SIGNALFD },
		{ "eventpoll", TR_FD_EVENTPOLL }, { "inotify", TR_FD_INOTIFY },
		{ "timerfd", TR_FD_TIMERFD }, { "bpf", TR_FD_BPF }, { "pidfd", TR_FD_PIDFD },
		{ "io_uring", TR_FD_IO_URING }, { "userfaultfd", TR_FD_USERFAULTFD },
	};

	for (size_t i = 0; i < sizeof(anon) / sizeof(anon[0]); i++)
		if (strstr(what, anon[i].name))
			return anon[i].type;
	return TR_FD_OTHER;
}

static void _addr_str(const struct sock_ent *s, const uint8_t *ip, uint16_t port, char *out, size_t cap)
{
	char a[INET6_ADDRSTRLEN] = "?";

	inet_ntop(s->family, ip, a, sizeof(a));
	snprintf(out, cap, s->family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, port);
}

int fd_snapshot__write(struct fd_snapshot *fs, struct trace_writer *w, uint64_t ts, pid_t pid,
		       uint64_t netns, uint32_t *cnt)
{
	char dir[64], path[128], link[4096], name[4200], info[512];
	struct dirent *de;
	DIR *d;
	int err = 0;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	d = opendir(dir);
	if (!d)
		return 0; /* gone, or a kernel thread */
	while (!err && (de = readdir(d))) {
		struct trace_rec rec = { .type = TR_FD, .ts = ts, .tid = (uint32_t)pid };
		const struct sock_ent *s = NULL;
		uint64_t flags = 0, ino = 0, server = 0;
		uint8_t type = TR_FD_OTHER;
		struct stat st;
		ssize_t n;
		char *end;
		long fd;
		FILE *f;

		fd = strtol(de->d_name, &end, 10);
		if (*end || end == de->d_name)
			continue;
		snprintf(path, sizeof(path), "%s/%ld", dir, fd);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = 0;
		snprintf(name, sizeof(name), "%s", link);
		if (!strncmp(link, "socket:[", 8)) {
			ino = strtoull(link + 8, NULL, 10);
			s = _sock(_table(fs, pid, netns), ino);
			type = !s ? TR_FD_SOCKET : s->family == AF_INET ? TR_FD_IPV4
			     : s->family == AF_INET6 ? TR_FD_IPV6 : TR_FD_UNIX;
			if (s && s->family != AF_UNIX) {
				char src[64], dst[64];

				server = _is_server(_table(fs, pid, netns), s);
				_addr_str(s, s->sip, s->sport, src, sizeof(src));
				_addr_str(s, s->dip, s->dport, dst, sizeof(dst));
				if (s->dport) /* client->server, as replay names connections */
					snprintf(name, sizeof(name), "%s->%s", server ? dst : src,
						 server ? src : dst);
				else
					snprintf(name, sizeof(name), "%s", src);
			} else if (s && s->path[0]) {
				snprintf(name, sizeof(name), "%s", s->path);
			}
		} else if (!strncmp(link, "pipe:[", 6)) {
			type = TR_FD_PIPE;
			ino = strtoull(link + 6, NULL, 10);
		} else if (!strncmp(link, "anon_inode:", 11)) {
			type = _anon_type(link + 11);
		} else if (link[0] == '/') {
			type = !stat(path, &st) && S_ISDIR(st.st_mode) ? TR_FD_DIRECTORY : TR_FD_FILE;
			ino = type == TR_FD_FILE || type == TR_FD_DIRECTORY ? st.st_ino : 0;
		}
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%ld", pid, fd);
		f = fopen(path, "re");
		while (f && fgets(info, sizeof(info), f))
			if (!strncmp(info, "flags:", 6))
				flags = strtoull(info + 6, NULL, 8);
		if (f)
			fclose(f);

		const uint64_t v[] = { (uint64_t)pid, (uint64_t)fd, type, flags,
				       s ? s->l4proto : 0, s ? s->sport : 0, s ? s->dport : 0, ino,
				       server };
		uint32_t alen = s && s->family == AF_INET ? 4 : s && s->family == AF_INET6 ? 16 : 0;

		memcpy(rec.ints, v, sizeof(v));
		rec.int_cnt = sizeof(v) / sizeof(v[0]);
		rec.blobs[0] = (struct trace_blob){ name, (uint32_t)strlen(name), 0, TRACE_BLOB_F_INTERN };
		rec.blobs[1] = (struct trace_blob){ s ? s->sip : NULL, alen, 1, 0 };
		rec.blobs[2] = (struct trace_blob){ s ? s->dip : NULL, alen, 2, 0 };
		rec.blob_cnt = 3;
		err = trace_writer__append(w, &rec);
		if (!err && cnt)
			(*cnt)++;
	}
	closedir(d);
	return err;
}
