// SPDX-License-Identifier: Apache-2.0
/* /proc walk for the initial state: one THREAD record per thread of each selected process. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containers.h"
#include "fd_snapshot.h"
#include "ifaces.h"
#include "users.h"
#include "proc_snapshot.h"
#include "record.h"

/* Read a small file; @return bytes read (NUL-terminated in @buf), or -1. */
#define CG_FILE_MAX (64 * 1024)

static ssize_t _read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while ((size_t)total < cap - 1 && (n = read(fd, buf + total, cap - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = 0;
	return total;
}

int proc_status_last_num(const char *status, const char *name, uint64_t *out)
{
	size_t nlen = strlen(name);

	for (const char *line = status; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (strncmp(line, name, nlen) || line[nlen] != ':')
			continue;
		const char *p = line + nlen + 1, *last = NULL;
		char *end;

		for (;;) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p < '0' || *p > '9')
				break;
			last = p;
			strtoull(p, &end, 10);
			p = end;
		}
		if (!last)
			return -EINVAL;
		errno = 0;
		*out = strtoull(last, &end, 10);
		return errno ? -EINVAL : 0;
	}
	return -EINVAL;
}

/* The nth (0-based) number of a "Uid:" style line. */
static uint64_t _status_nth(const char *status, const char *name, int nth)
{
	char key[32];
	const char *p;

	snprintf(key, sizeof(key), "\n%s:", name);
	p = strstr(status, key);
	if (!p)
		return 0;
	p += strlen(key);
	for (int i = 0;; i++) {
		char *end;
		uint64_t v = strtoull(p, &end, 10);

		if (end == p)
			return 0;
		if (i == nth)
			return v;
		p = end;
	}
}

static uint64_t _ns_inum(const char *task_dir, const char *ns)
{
	char path[128], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/ns/%s", task_dir, ns);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = 0;
	const char *b = strchr(link, '[');

	return b ? strtoull(b + 1, NULL, 10) : 0;
}

struct snap_ctx {
	struct trace_writer *w;
	struct containers *ctrs;
	struct container_info *ctr; /* of the process being read, NULL: host */
	struct fd_snapshot *fds;
	struct users *users;
	struct ifaces *ifaces;
	uint64_t ts;
	const char *cg_root;
	long clk_tck;
	char status[4096];
	char exe[4096], cwd[4096], args[4096], cgroup[4096], comm[64], stat[1024];
	/* /proc/PID/cgroup: one line per v1 hierarchy, each up to a path, so it can be long
	 * (a systemd-style kubepods path on a hybrid host is 2 KiB) */
	char cg_file[CG_FILE_MAX], cg_dir[4096 + 256];
	ssize_t exe_len, cwd_len, args_len, cgroup_len;
	bool args_cut;
	uint64_t cgroup_id;
};

/* The cgroup2 path in the text of /proc/PID/cgroup ("0::/path"), its length in *@len. */
static const char *_cgroup2_line(const char *file, size_t *len)
{
	const char *v2 = strstr(file, "0::");

	while (v2 && v2 != file && v2[-1] != '\n')
		v2 = strstr(v2 + 1, "0::");
	if (!v2)
		return NULL;
	v2 += 3;
	*len = strcspn(v2, "\n");
	return v2;
}

/* Process-wide facts shared by its threads: exe, cwd, args, cgroup path and id. */
static void _read_process(struct snap_ctx *c, pid_t pid)
{
	char path[64];
	struct stat st;
	const char *v2;
	size_t len;

	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	c->exe_len = readlink(path, c->exe, sizeof(c->exe));
	snprintf(path, sizeof(path), "/proc/%d/cwd", pid);
	c->cwd_len = readlink(path, c->cwd, sizeof(c->cwd));
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	c->args_len = _read_file(path, c->args, sizeof(c->args));
	c->args_cut = c->args_len == (ssize_t)sizeof(c->args) - 1; /* there may be more */
	if (c->args_len > 0 && c->args[c->args_len - 1] == 0)
		c->args_len--; /* NUL-separated, without the final NUL */
	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	c->cgroup_len = 0;
	c->cgroup_id = 0;
	c->ctr = NULL;
	if (_read_file(path, c->cg_file, sizeof(c->cg_file)) > 0 &&
	    (v2 = _cgroup2_line(c->cg_file, &len)) && len < sizeof(c->cgroup)) {
		memcpy(c->cgroup, v2, len);
		c->cgroup[len] = 0;
		c->cgroup_len = (ssize_t)len;
		snprintf(c->cg_dir, sizeof(c->cg_dir), "%s%s", c->cg_root, c->cgroup);
		if (!stat(c->cg_dir, &st))
			c->cgroup_id = st.st_ino;
		c->ctr = containers__by_cgroup(c->ctrs, c->cgroup);
	}
}

static int _write_thread(struct snap_ctx *c, pid_t pid, pid_t tid)
{
	char dir[64], path[96];
	struct trace_rec rec = { 0 };
	uint64_t vtid = tid, vpid = pid, ppid = 0, start = 0;
	ssize_t comm_len;

	snprintf(dir, sizeof(dir), "/proc/%d/task/%d", pid, tid);
	snprintf(path, sizeof(path), "%s/status", dir);
	c->status[0] = '\n';
	if (_read_file(path, c->status + 1, sizeof(c->status) - 1) <= 0)
		return 0; /* gone */
	snprintf(path, sizeof(path), "%s/comm", dir);
	comm_len = _read_file(path, c->comm, sizeof(c->comm));
	if (comm_len > 0 && c->comm[comm_len - 1] == '\n')
		comm_len--;
	proc_status_last_num(c->status + 1, "PPid", &ppid);
	proc_status_last_num(c->status + 1, "NSpid", &vtid);
	proc_status_last_num(c->status + 1, "NStgid", &vpid);
	snprintf(path, sizeof(path), "%s/stat", dir);
	if (_read_file(path, c->stat, sizeof(c->stat)) > 0) {
		/* Field 22, counted after the ")" that ends the comm (which may hold spaces). */
		const char *p = strrchr(c->stat, ')');
		int field = 2;

		while (p && *p && field < 22) {
			p = strchr(p + 1, ' ');
			field++;
		}
		if (p)
			start = strtoull(p + 1, NULL, 10) * (1000000000ull / (uint64_t)c->clk_tck);
	}

	rec.type = TR_THREAD;
	rec.ts = c->ts;
	rec.tid = (uint32_t)tid;
	const uint64_t v[] = {
		(uint64_t)tid, (uint64_t)pid, ppid, vtid, vpid,
		_status_nth(c->status, "Uid", 0), _status_nth(c->status, "Gid", 0),
		_status_nth(c->status, "Uid", 1), _status_nth(c->status, "Gid", 1),
		c->cgroup_id, TR_THREAD_F_SNAPSHOT | (c->args_cut ? TR_THREAD_F_ARGS_CUT : 0), start,
		_ns_inum(dir, "mnt"), _ns_inum(dir, "pid"), _ns_inum(dir, "net"),
		_ns_inum(dir, "uts"), _ns_inum(dir, "ipc"), _ns_inum(dir, "user"),
		_ns_inum(dir, "cgroup"), _ns_inum(dir, "time"),
	};
	memcpy(rec.ints, v, sizeof(v));
	rec.int_cnt = sizeof(v) / sizeof(v[0]);
	rec.blobs[TR_THREAD_BLOB_COMM] = (struct trace_blob){ c->comm, comm_len > 0 ? (uint32_t)comm_len : 0, TR_THREAD_BLOB_COMM, TRACE_BLOB_F_INTERN };
	rec.blobs[TR_THREAD_BLOB_EXE] = (struct trace_blob){ c->exe, c->exe_len > 0 ? (uint32_t)c->exe_len : 0, TR_THREAD_BLOB_EXE, TRACE_BLOB_F_INTERN };
	rec.blobs[2] = (struct trace_blob){ c->args, c->args_len > 0 ? (uint32_t)c->args_len : 0, 2, TRACE_BLOB_F_INTERN };
	rec.blobs[3] = (struct trace_blob){ c->cwd, c->cwd_len > 0 ? (uint32_t)c->cwd_len : 0, 3, TRACE_BLOB_F_INTERN };
	rec.blobs[4] = (struct trace_blob){ c->cgroup, (uint32_t)c->cgroup_len, 4, TRACE_BLOB_F_INTERN };
	rec.blob_cnt = 5;
	if (c->ctr) {
		int err = containers__emit(c->ctrs, c->ctr, c->w, c->ts);

		if (err)
			return err;
		rec.blobs[TR_THREAD_BLOB_CONTAINER_ID] = (struct trace_blob){ c->ctr->id,
			(uint32_t)strlen(c->ctr->id), TR_THREAD_BLOB_CONTAINER_ID, TRACE_BLOB_F_INTERN };
		rec.blob_cnt = 6;
	}
	return trace_writer__append(c->w, &rec);
}

static bool _numeric(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int proc_snapshot__write(struct trace_writer *w, uint64_t ts, proc_select_fn sel, void *ctx,
			 struct containers *ctrs, struct users *users, struct ifaces *ifaces,
			 struct proc_snapshot_stats *st)
{
	struct snap_ctx *c = calloc(1, sizeof(*c));
	struct dirent *de;
	DIR *proc;
	int err = 0;

	if (!c)
		return -ENOMEM;
	err = fd_snapshot__new(&c->fds);
	if (err) {
		free(c);
		return err;
	}
	c->w = w;
	c->ctrs = ctrs;
	c->users = users;
	c->ifaces = ifaces;
	c->cg_root = containers__cgroup_root(ctrs);
	c->ts = ts;
	c->clk_tck = sysconf(_SC_CLK_TCK) > 0 ? sysconf(_SC_CLK_TCK) : 100;
	proc = opendir("/proc");
	if (!proc) {
		err = -errno;
		fd_snapshot__free(c->fds);
		free(c);
		return err;
	}
	while (!err && (de = readdir(proc))) {
		pid_t pid;
		char path[64];
		DIR *tasks;
		struct dirent *te;

		if (!_numeric(de->d_name))
			continue;
		pid = (pid_t)strtol(de->d_name, NULL, 10);
		if (sel && !sel(pid, ctx))
			continue;
		_read_process(c, pid);
		snprintf(path, sizeof(path), "/proc/%d", pid);
		err = users__write_ns(c->users, w, ts, pid, _ns_inum(path, "mnt"));
		err = err ?: ifaces__write_ns(c->ifaces, w, ts, pid, _ns_inum(path, "net"));
		if (err)
			break;
		snprintf(path, sizeof(path), "/proc/%d/task", pid);
		tasks = opendir(path);
		if (!tasks)
			continue; /* exited meanwhile */
		if (st)
			st->proc_cnt++;
		while (!err && (te = readdir(tasks))) {
			if (!_numeric(te->d_name))
				continue;
			err = _write_thread(c, pid, (pid_t)strtol(te->d_name, NULL, 10));
			if (!err && st)
				st->thread_cnt++;
		}
		closedir(tasks);
		snprintf(path, sizeof(path), "/proc/%d", pid);
		if (!err)
			err = fd_snapshot__write(c->fds, w, ts, pid, _ns_inum(path, "net"),
						 st ? &st->fd_cnt : NULL);
	}
	closedir(proc);
	fd_snapshot__free(c->fds);
	free(c);
	return err;
}

size_t proc_snapshot__descendants(pid_t root, pid_t *out, size_t cap)
{
	size_t cnt = 0, done = 0;

	/* Breadth first over /proc/PID/task/TID/children. */
	if (cap)
		out[cnt++] = root;
	while (done < cnt) {
		pid_t pid = out[done++];
		char path[64], buf[4096];
		DIR *tasks;
		struct dirent *te;

		snprintf(path, sizeof(path), "/proc/%d/task", pid);
		tasks = opendir(path);
		if (!tasks)
			continue;
		while ((te = readdir(tasks))) {
			char cpath[96];

			if (!_numeric(te->d_name))
				continue;
			snprintf(cpath, sizeof(cpath), "/proc/%d/task/%s/children", pid, te->d_name);
			if (_read_file(cpath, buf, sizeof(buf)) <= 0)
				continue;
			for (char *p = buf, *end; *p; p = end) {
				long child = strtol(p, &end, 10);

				if (end == p)
					break;
				if (cnt < cap)
					out[cnt++] = (pid_t)child;
			}
		}
		closedir(tasks);
	}
	return cnt;
}

int proc_cgroup_path(pid_t pid, char *out, size_t cap)
{
	char path[64], *buf = malloc(CG_FILE_MAX);
	const char *v2;
	size_t len;
	int err = -ENOENT;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	if (!buf)
		return -ENOMEM;
	if (_read_file(path, buf, CG_FILE_MAX) > 0 && (v2 = _cgroup2_line(buf, &len)) && len < cap) {
		memcpy(out, v2, len);
		out[len] = 0;
		err = 0;
	}
	free(buf);
	return err;
}
