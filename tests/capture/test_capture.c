// SPDX-License-Identifier: Apache-2.0
/*
 * test_capture: `sysrec record` with the real BPF driver, on real programs (workload.c), checked
 * against known values and against strace.  Needs root (the cases skip, loudly, without it);
 * a kernel that refuses the driver is a failure, not a skip: CI's machine runs these for real.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "event_table.h"
#include "test.h"
#include "trace_reader.h"

struct run {
	int status; /* exit code, or 128 + signal */
	char err[8192];
};

/* Run @argv with stdout to /dev/null and stderr collected; @return its exit code. */
static int _run(char *const argv[], struct run *out)
{
	int p[2], st;
	pid_t pid;
	size_t len = 0;
	ssize_t n;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, 1);
		dup2(p[1], 2);
		close(p[0]);
		execv(argv[0], argv);
		_exit(126);
	}
	close(p[1]);
	while ((n = read(p[0], out->err + len, sizeof(out->err) - 1 - len)) > 0)
		len += (size_t)n;
	out->err[len] = 0;
	close(p[0]);
	waitpid(pid, &st, 0);
	out->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return out->status;
}

/* A trace loaded into memory, blobs copied. */
struct tr {
	struct trace_rec *v;
	uint8_t **blobs; /* v[i]'s blob b is blobs[i * TRACE_REC_MAX_BLOBS + b] */
	size_t cnt;
	uint64_t drops;
	int end; /* what next() returned last */
};

static void _tr_free(struct tr *t)
{
	for (size_t i = 0; t->blobs && i < t->cnt * TRACE_REC_MAX_BLOBS; i++)
		free(t->blobs[i]);
	free(t->blobs);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static bool _tr_load(const char *path, struct tr *t)
{
	struct trace_reader *r;
	const struct trace_summary *s;
	struct sr_diag d = { 0 };
	struct trace_rec rec;
	size_t cap = 0;

	memset(t, 0, sizeof(*t));
	if (!ASSERT_OK(trace_reader__open(path, &r, &d), "open trace"))
		return false;
	while ((t->end = trace_reader__next(r, &rec)) == 1) {
		if (t->cnt == cap) {
			cap = cap ? cap * 2 : 1024;
			t->v = realloc(t->v, cap * sizeof(*t->v));
			t->blobs = realloc(t->blobs, cap * TRACE_REC_MAX_BLOBS * sizeof(*t->blobs));
		}
		for (int b = 0; b < TRACE_REC_MAX_BLOBS; b++) {
			uint8_t *copy = NULL;

			if (b < rec.blob_cnt) {
				copy = malloc(rec.blobs[b].sz + 1);
				memcpy(copy, rec.blobs[b].data, rec.blobs[b].sz);
				copy[rec.blobs[b].sz] = 0;
				rec.blobs[b].data = copy;
			}
			t->blobs[t->cnt * TRACE_REC_MAX_BLOBS + b] = copy;
		}
		t->v[t->cnt++] = rec;
	}
	if (!trace_reader__summary(r, &s))
		for (size_t i = 0; i < s->drop_cnt; i++)
			t->drops += s->drops[i].count;
	trace_reader__close(r);
	return true;
}

/* The blob of @rec with tag (argument index) @arg, NUL-terminated copy, or NULL. */
static const char *_arg_blob(const struct trace_rec *rec, int arg, uint32_t *sz)
{
	for (int b = 0; b < rec->blob_cnt; b++) {
		if (rec->blobs[b].tag == arg) {
			if (sz)
				*sz = rec->blobs[b].sz;
			return rec->blobs[b].data;
		}
	}
	return NULL;
}

static bool _is_syscall(const struct trace_rec *rec, const char *name)
{
	return rec->type == TR_SYSCALL && (int)rec->ints[0] == sr_syscall__nr(name);
}

static char tmpdir[256];

static bool _need_root(void)
{
	if (geteuid() == 0)
		return true;
	test__skip("capture tests need root (BPF); run them as root, as CI does");
	return false;
}

static bool _mktmp(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/sysrec-capture-XXXXXX");
	return ASSERT_OK_PTR(mkdtemp(tmpdir), "mkdtemp");
}

static void _rmtmp(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", tmpdir);
}

/* ---- cases ---- */

/* The workload's two file names (the temporary directory's name is random: match the files). */
static bool _is_marker(const char *s)
{
	return strstr(s, "/capture-marker.txt") || strstr(s, "/capture-missing.txt");
}

/* The errno value of a name strace prints ("ENOENT ..."), for the errors the workload meets. */
static long _errno_of(const char *name)
{
	static const struct { const char *name; long value; } names[] = {
		{ "ENOENT", ENOENT }, { "EACCES", EACCES }, { "EEXIST", EEXIST },
		{ "EBADF", EBADF }, { "EINVAL", EINVAL }, { "EPERM", EPERM },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strncmp(name, names[i].name, strlen(names[i].name)))
			return names[i].value;
	return 1000; /* unknown: never matches */
}

/* strace's view of the marker-file calls: "name|path|ret" lines. */
static size_t _strace_marker_calls(const char *log, char out[][600], size_t cap)
{
	FILE *f = fopen(log, "r");
	char line[1024];
	size_t n = 0;

	if (!f)
		return 0;
	while (n < cap && fgets(line, sizeof(line), f)) {
		char *name = strchr(line, ' '), *paren, *q1, *q2, *eq, *end;

		if (!name || !_is_marker(line))
			continue;
		while (*name == ' ') /* strace pads the pid column */
			name++;
		paren = strchr(name, '(');
		q1 = paren ? strchr(paren, '"') : NULL;
		q2 = q1 ? strchr(q1 + 1, '"') : NULL;
		eq = strstr(line, ") = ");
		if (!paren || !q2 || !eq)
			continue;
		long ret = strtol(eq + 4, &end, 10);

		/* strace shows a failure as "-1 ENOENT (...)"; the kernel returned -ENOENT */
		if (ret == -1)
			ret = -_errno_of(end + 1);
		snprintf(out[n++], 600, "%.*s|%.*s|%ld", (int)(paren - name), name, (int)(q2 - q1 - 1),
			 q1 + 1, ret);
	}
	fclose(f);
	return n;
}

static void test_capture__files_match_strace(void)
{
	char trace[300], log[300], want[16][600], got[16][600];
	size_t want_cnt, got_cnt = 0;
	struct run run;
	struct tr t = { 0 };
	bool wrote = false, read_back = false;

	if (!_need_root() || !_mktmp())
		return;
	snprintf(trace, sizeof(trace), "%s/files.sysrec", tmpdir);
	snprintf(log, sizeof(log), "%s/files.strace", tmpdir);
	char *rec_argv[] = { SYSREC_BIN, "record", "-o", trace, "--", WORKLOAD_BIN, "files", tmpdir, NULL };
	char *st_argv[] = { "/usr/bin/strace", "-f", "-qq", "-o", log, WORKLOAD_BIN, "files", tmpdir, NULL };

	if (!ASSERT_EQ(_run(rec_argv, &run), 0, run.err) || !ASSERT_EQ(_run(st_argv, &run), 0, run.err))
		goto out;
	want_cnt = _strace_marker_calls(log, want, 16);
	if (!ASSERT_EQ(want_cnt, 4, "strace saw 2 opens, 1 failed open and 1 unlink of the marker files"))
		goto out;
	if (!_tr_load(trace, &t))
		goto out;
	for (size_t i = 0; i < t.cnt && got_cnt < 16; i++) {
		const struct trace_rec *r = &t.v[i];
		const struct sr_syscall_info *info;
		const char *path;
		uint32_t sz;

		if (r->type != TR_SYSCALL)
			continue;
		info = sr_syscall__get(r->ints[0]);
		for (int a = 0; a < r->int_cnt - 4; a++) {
			path = _arg_blob(r, a, NULL);
			if (path && info && info->args[a].type == SR_PT_PATH && _is_marker(path)) {
				snprintf(got[got_cnt++], 600, "%s|%s|%lld", info->name, path, (long long)r->ints[1]);
				break;
			}
		}
		/* Parameter 1: buf, with the bytes the program wrote and read. */
		if (_is_syscall(r, "write") && (path = _arg_blob(r, 1, &sz)) && sz == 13 &&
		    !memcmp(path, "hello sysrec\n", 13) && (int64_t)r->ints[1] == 13 && r->ints[6] == 13)
			wrote = true;
		if (_is_syscall(r, "read") && (path = _arg_blob(r, 1, &sz)) && sz == 13 &&
		    !memcmp(path, "hello sysrec\n", 13) && (int64_t)r->ints[1] == 13)
			read_back = true;
	}
	ASSERT_EQ(got_cnt, want_cnt, "marker calls in the trace vs strace");
	for (size_t i = 0; i < want_cnt && i < got_cnt; i++)
		ASSERT_STREQ(got[i], want[i], "call (name|path|result) as strace saw it");
	ASSERT_TRUE(wrote, "write(fd, \"hello sysrec\\n\", 13) = 13 recorded with its buffer");
	ASSERT_TRUE(read_back, "read(fd, \"hello sysrec\\n\") = 13 recorded with its buffer");
out:
	_tr_free(&t);
	_rmtmp();
}

static void test_capture__net_loopback(void)
{
	char trace[300];
	struct run run;
	struct tr t = { 0 };
	int connects = 0, accepts = 0, ping = 0, pong = 0;

	if (!_need_root() || !_mktmp())
		return;
	snprintf(trace, sizeof(trace), "%s/net.sysrec", tmpdir);
	char *argv[] = { SYSREC_BIN, "record", "-o", trace, "--", WORKLOAD_BIN, "net", NULL };

	if (!ASSERT_EQ(_run(argv, &run), 0, run.err) || !_tr_load(trace, &t))
		goto out;
	for (size_t i = 0; i < t.cnt; i++) {
		const struct trace_rec *r = &t.v[i];
		uint32_t sz;
		const uint8_t *sa;

		/* connect: Parameter 2: uservaddr, an AF_INET sockaddr for 127.0.0.1 */
		if (_is_syscall(r, "connect") && (sa = (const uint8_t *)_arg_blob(r, 1, &sz)) &&
		    sz >= 8 && sa[0] == 2 && sa[1] == 0 && sa[4] == 127 && sa[7] == 1 && r->ints[1] == 0)
			connects++;
		if (_is_syscall(r, "accept") && (int64_t)r->ints[1] >= 0)
			accepts++;
		if (_is_syscall(r, "write") && (sa = (const uint8_t *)_arg_blob(r, 1, &sz)) && sz == 4 &&
		    !memcmp(sa, "ping", 4))
			ping++;
		if (_is_syscall(r, "recvfrom") && (sa = (const uint8_t *)_arg_blob(r, 1, &sz)) && sz == 4 &&
		    !memcmp(sa, "pong", 4) && (int64_t)r->ints[1] == 4)
			pong++;
	}
	ASSERT_EQ(connects, 1, "connect() to 127.0.0.1 with its sockaddr");
	ASSERT_EQ(accepts, 1, "accept()");
	ASSERT_EQ(ping, 1, "write(\"ping\")");
	ASSERT_EQ(pong, 1, "recvfrom() = 4, \"pong\"");
out:
	_tr_free(&t);
	_rmtmp();
}

static void test_capture__lifecycle(void)
{
	char trace[300];
	struct run run;
	struct tr t = { 0 };
	int forks = 0, exit7 = 0, exit3 = 0, exit5 = 0, execs = 0;
	uint32_t sz;

	if (!_need_root() || !_mktmp())
		return;
	snprintf(trace, sizeof(trace), "%s/life.sysrec", tmpdir);
	char *argv[] = { SYSREC_BIN, "record", "-o", trace, "--", WORKLOAD_BIN, "lifecycle", NULL };

	if (!ASSERT_EQ(_run(argv, &run), 5, "sysrec exits with the command's status") ||
	    !_tr_load(trace, &t))
		goto out;
	for (size_t i = 0; i < t.cnt; i++) {
		const struct trace_rec *r = &t.v[i];
		const char *args;

		if (r->type == TR_PROC_FORK)
			forks++;
		if (r->type == TR_PROC_EXIT && r->ints[0] == r->ints[1]) {
			exit7 += r->ints[2] == 7;
			exit3 += r->ints[2] == 3;
			exit5 += r->ints[2] == 5;
		}
		/* exec: filename, then the NUL-separated arguments */
		if (r->type == TR_PROC_EXEC && r->blob_cnt == 2 && r->blobs[0].sz == 7 &&
		    !memcmp(r->blobs[0].data, "/bin/sh", 7) && (args = _arg_blob(r, 1, &sz)) &&
		    sz == 12 && !memcmp(args, "sh\0-c\0exit 3", 12))
			execs++;
	}
	ASSERT_EQ(forks, 2, "two forks");
	ASSERT_EQ(execs, 1, "exec of /bin/sh with its arguments");
	ASSERT_EQ(exit7, 1, "a process exits 7");
	ASSERT_EQ(exit3, 1, "a process exits 3");
	ASSERT_EQ(exit5, 1, "the command exits 5");
out:
	_tr_free(&t);
	_rmtmp();
}

static uint64_t _ns_of(const char *ns)
{
	char path[64], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", ns);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = 0;
	return strtoull(strchr(link, '[') + 1, NULL, 10);
}

static void test_capture__thread_state(void)
{
	char trace[300];
	struct run run;
	struct tr t = { 0 };
	const struct trace_rec *th = NULL;

	if (!_need_root() || !_mktmp())
		return;
	snprintf(trace, sizeof(trace), "%s/state.sysrec", tmpdir);
	char *argv[] = { SYSREC_BIN, "record", "-o", trace, "--", WORKLOAD_BIN, "loop", "10", NULL };

	if (!ASSERT_EQ(_run(argv, &run), 0, run.err) || !_tr_load(trace, &t))
		goto out;
	/* The last identity of the workload's thread: after its exec, with the new name. */
	for (size_t i = 0; i < t.cnt; i++)
		if (t.v[i].type == TR_THREAD && t.v[i].blob_cnt && t.v[i].blobs[0].sz >= 8 &&
		    !memcmp(t.v[i].blobs[0].data, "workload", 8))
			th = &t.v[i];
	if (!ASSERT_OK_PTR(th, "THREAD record named after the workload"))
		goto out;
	ASSERT_EQ(th->int_cnt, 20, "THREAD ints");
	ASSERT_EQ(th->ints[0], th->ints[1], "a single-threaded process: tid == pid");
	ASSERT_EQ(th->ints[3], th->ints[0], "vtid == tid in the initial pid namespace");
	ASSERT_EQ(th->ints[5], 0, "uid 0");
	ASSERT_EQ(th->ints[12], _ns_of("mnt"), "mnt namespace = the test's");
	ASSERT_EQ(th->ints[13], _ns_of("pid"), "pid namespace = the test's");
	ASSERT_EQ(th->ints[14], _ns_of("net"), "net namespace = the test's");
	ASSERT_GT(th->ints[9], 0, "cgroup id");
	ASSERT_GT(th->ints[11], 0, "start time");
	int getppids = 0;

	for (size_t i = 0; i < t.cnt; i++)
		getppids += _is_syscall(&t.v[i], "getppid") && t.v[i].tid == th->tid &&
			    (int64_t)t.v[i].ints[1] == (int64_t)th->ints[2] && t.v[i].ints[2] > 0;
	ASSERT_EQ(getppids, 10, "10 getppid() returning the recorded ppid, with a latency");
out:
	_tr_free(&t);
	_rmtmp();
}

static void test_capture__preexisting_process(void)
{
	char trace[300], pidarg[32];
	struct run run;
	struct tr t = { 0 };
	pid_t pid;
	bool snap = false, child_open = false;

	if (!_need_root() || !_mktmp())
		return;
	snprintf(trace, sizeof(trace), "%s/pre.sysrec", tmpdir);
	/* A shell that exists before the capture and starts a child during it. */
	pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, 1);
		execl("/bin/sh", "sh", "-c", "sleep 0.6; exec cat /etc/hostname", (char *)NULL);
		_exit(127);
	}
	usleep(100000);
	snprintf(pidarg, sizeof(pidarg), "%d", pid);
	char *argv[] = { SYSREC_BIN, "record", "-o", trace, "-d", "1.5", "-p", pidarg, NULL };

	ASSERT_EQ(_run(argv, &run), 0, run.err);
	waitpid(pid, NULL, 0);
	if (!_tr_load(trace, &t))
		goto out;
	for (size_t i = 0; i < t.cnt; i++) {
		const struct trace_rec *r = &t.v[i];
		uint32_t sz = 0;
		const char *s;

		/* The snapshot: exe and args of the shell, read from /proc at start. */
		if (r->type == TR_THREAD && r->ints[0] == (uint64_t)pid && (r->ints[10] & TR_THREAD_F_SNAPSHOT) &&
		    r->blob_cnt >= 4 && (s = _arg_blob(r, 2, &sz)) && sz >= 5 && !memcmp(s, "sh\0-c", 5) &&
		    (s = _arg_blob(r, 1, NULL)) && strstr(s, "sh"))
			snap = true;
		if (_is_syscall(r, "openat") && (s = _arg_blob(r, 1, NULL)) && !strcmp(s, "/etc/hostname") &&
		    (int64_t)r->ints[1] >= 0)
			child_open = true;
	}
	ASSERT_TRUE(snap, "snapshot THREAD record with exe and args of a process started before");
	ASSERT_TRUE(child_open, "its later exec'd child's openat(\"/etc/hostname\") is recorded");
out:
	_tr_free(&t);
	_rmtmp();
}

static void test_capture__drops_counted(void)
{
	char trace[300];
	struct run run;
	struct tr t = { 0 };
	uint64_t writes = 0;
	const long n = 200000;

	if (!_need_root() || !_mktmp())
		return;
	snprintf(trace, sizeof(trace), "%s/drops.sysrec", tmpdir);
	/* 4 KiB records into a 1 MiB ring: likely to overflow between two passes. */
	char *argv[] = { SYSREC_BIN, "record", "-o", trace, "-s", "4096", "--buffer-size", "1",
			 "-e", "write", "--", WORKLOAD_BIN, "writes", "200000", "4096", NULL };

	if (!ASSERT_EQ(_run(argv, &run), 0, run.err) || !_tr_load(trace, &t))
		goto out;
	for (size_t i = 0; i < t.cnt; i++)
		writes += _is_syscall(&t.v[i], "write") && t.v[i].ints[6] == 4096;
	ASSERT_LE(writes, (uint64_t)n, "never more writes than made");
	ASSERT_GE(writes + t.drops, (uint64_t)n, "every write recorded or counted as lost");
	ASSERT_TRUE(strstr(run.err, "events lost"), "record reports lost events at the end");
	printf("  %llu of %ld writes recorded, %llu lost\n", (unsigned long long)writes, n,
	       (unsigned long long)t.drops);
out:
	_tr_free(&t);
	_rmtmp();
}

static void test_capture__kill9_leaves_readable_file(void)
{
	char trace[300];
	struct tr t = { 0 };
	struct stat st;
	pid_t pid;

	if (!_need_root() || !_mktmp())
		return;
	snprintf(trace, sizeof(trace), "%s/kill.sysrec", tmpdir);
	pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, 2);
		execl(SYSREC_BIN, SYSREC_BIN, "record", "-o", trace, (char *)NULL);
		_exit(126);
	}
	/* Wait (up to 20 s) for the first flushed chunk, then kill -9. */
	for (int i = 0; i < 200; i++) {
		if (!stat(trace, &st) && st.st_size > 4096)
			break;
		usleep(100000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (!_tr_load(trace, &t))
		goto out;
	ASSERT_GT(t.cnt, 0, "records before the kill are readable");
	ASSERT_TRUE(t.end == 0 || t.end == -SR_ERR_TRUNCATED, "ends cleanly or as truncated");
out:
	_tr_free(&t);
	_rmtmp();
}

static void test_capture__full_disk(void)
{
	char dir[300], trace[400];
	struct run run;
	struct tr t = { 0 };

	if (!_need_root() || !_mktmp())
		return;
	snprintf(dir, sizeof(dir), "%s/small", tmpdir);
	mkdir(dir, 0700);
	if (mount("tmpfs", dir, "tmpfs", 0, "size=512k")) {
		test__skip("cannot mount a small tmpfs: %s", strerror(errno));
		goto out_rm;
	}
	snprintf(trace, sizeof(trace), "%s/full.sysrec", dir);
	char *argv[] = { SYSREC_BIN, "record", "-o", trace, "-s", "4096", "--", WORKLOAD_BIN,
			 "writes", "300000", "4096", NULL };

	_run(argv, &run);
	ASSERT_TRUE(strstr(run.err, "No space left on device"), "one clear line about the full disk");
	if (_tr_load(trace, &t))
		ASSERT_GT(t.cnt, 0, "the file is readable up to its last complete chunk");
	_tr_free(&t);
	umount(dir);
out_rm:
	_rmtmp();
}

static void test_capture__bad_usage(void)
{
	struct run run;
	char *bad_syscall[] = { SYSREC_BIN, "record", "-e", "nosuchcall", "--", "/bin/true", NULL };
	char *bad_snaplen[] = { SYSREC_BIN, "record", "-s", "99999", "--", "/bin/true", NULL };

	ASSERT_EQ(_run(bad_syscall, &run), 2, "unknown syscall: exit 2");
	ASSERT_TRUE(strstr(run.err, "unknown syscall 'nosuchcall'"), run.err);
	ASSERT_EQ(_run(bad_snaplen, &run), 2, "bad snaplen: exit 2");
	char *bad_filter[] = { SYSREC_BIN, "record", "-F", "proc.nmae=x", "--", "/bin/true", NULL };

	ASSERT_EQ(_run(bad_filter, &run), 2, "bad -F filter: exit 2, before anything is loaded");
	ASSERT_TRUE(strstr(run.err, "filter: unknown field 'proc.nmae' (did you mean proc.name?) at column 1"),
		    run.err);
	if (geteuid() != 0 || !_mktmp())
		return;
	/* Not root: one line, exit 1.  The build tree may be private (a 0700 clone), so the
	 * unprivileged user runs a copy from a directory it can reach. */
	char copy[300], cmd[700];

	snprintf(copy, sizeof(copy), "%s/sysrec", tmpdir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && chmod 755 '%s' '%s'", SYSREC_BIN, copy, tmpdir, copy);
	if (!ASSERT_EQ(system(cmd), 0, "copy sysrec where nobody can run it"))
		goto out;
	pid_t pid = fork();

	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, 2);
		if (setgid(65534) || setuid(65534))
			_exit(99);
		char *argv[] = { copy, "record", "-o", "/tmp/never.sysrec", "--", "/bin/true", NULL };

		execv(argv[0], argv);
		_exit(126);
	}
	int st;

	waitpid(pid, &st, 0);
	ASSERT_EQ(WEXITSTATUS(st), 1, "not root: exit 1");
out:
	_rmtmp();
}

/*
 * record -F keeps only the matching events, yet they show fd names and paths that come from
 * calls it dropped: sh's chdir (the cwd for a relative open) and its dup2 of fd 1.
 */
static void test_capture__filter_at_capture(void)
{
	char trace[300], cmd[900], line[512];
	bool opened = false, stdout_named = false;
	size_t lines = 0;
	FILE *p;

	if (!_need_root() || !_mktmp())
		return;
	snprintf(trace, sizeof(trace), "%s/f.sysrec", tmpdir);
	char *argv[] = { SYSREC_BIN, "record", "-o", trace, "-F", "proc.name=cat", "--", "/bin/sh",
			 "-c", "cd /etc && exec 1>/dev/null && cat hostname", NULL };
	struct run run;

	if (!ASSERT_EQ(_run(argv, &run), 0, run.err))
		goto out;
	ASSERT_TRUE(strstr(run.err, "-F kept"), "record reports how many events it kept");
	snprintf(cmd, sizeof(cmd), "%s replay -q -p '%%proc.name|%%evt.type|%%fd.name' %s", SYSREC_BIN,
		 trace);
	p = popen(cmd, "r");
	if (!ASSERT_OK_PTR(p, "popen replay"))
		goto out;
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = 0;
		lines++;
		if (strncmp(line, "cat|", 4)) {
			TEST_FAIL("an event of another process was kept: %s", line);
			break;
		}
		opened |= !strcmp(line, "cat|openat|/etc/hostname");
		stdout_named |= strstr(line, "|/dev/null") != NULL;
	}
	ASSERT_EQ(pclose(p), 0, "replay of the -F trace exits 0");
	ASSERT_GT(lines, 10, "cat's events are there");
	ASSERT_TRUE(opened, "the relative open is resolved against the cwd of a dropped chdir");
	ASSERT_TRUE(stdout_named, "fd 1 is named by the state of a dropped dup2");
out:
	_rmtmp();
}

static void test_capture__pending_call(void)
{
	char trace[300], pidarg[32];
	struct run run;
	struct tr t = { 0 };
	pid_t pid;
	int pending = 0;

	if (!_need_root() || !_mktmp())
		return;
	snprintf(trace, sizeof(trace), "%s/pending.sysrec", tmpdir);
	/* Sleeps 5 s from 1.5 s into a 2.5 s capture: blocked when it stops.  (The recorder
	 * attaches after its start-up, a few hundred ms under the sanitizers: the call must
	 * begin after that for its entry to be seen.) */
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "sleep 1.5; exec sleep 5", (char *)NULL);
		_exit(127);
	}
	usleep(50000);
	snprintf(pidarg, sizeof(pidarg), "%d", pid);
	char *argv[] = { SYSREC_BIN, "record", "-o", trace, "-d", "2.5", "-p", pidarg, NULL };

	ASSERT_EQ(_run(argv, &run), 0, run.err);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (!_tr_load(trace, &t))
		goto out;
	for (size_t i = 0; i < t.cnt; i++) {
		const struct trace_rec *r = &t.v[i];

		/* clock_nanosleep: pending, no result, blocked for most of the capture so far */
		if (_is_syscall(r, "clock_nanosleep") && (r->ints[3] & TR_SC_F_PENDING) &&
		    r->tid == (uint32_t)pid && r->ints[1] == 0 && r->ints[2] > 300000000ull &&
		    r->ints[2] < 2000000000ull)
			pending++;
	}
	ASSERT_EQ(pending, 1, "the blocked clock_nanosleep recorded as pending");
out:
	_tr_free(&t);
	_rmtmp();
}

static void test_capture__fd_snapshot(void)
{
	char trace[300], pidarg[32], line[64] = "";
	struct run run;
	struct tr t = { 0 };
	unsigned int port = 0;
	int p[2], file = 0, pipes = 0, listening = 0, connected = 0;
	pid_t pid;

	if (!_need_root() || !_mktmp() || !ASSERT_OK(pipe(p), "pipe"))
		return;
	snprintf(trace, sizeof(trace), "%s/fds.sysrec", tmpdir);
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		execl(WORKLOAD_BIN, WORKLOAD_BIN, "hold", "/etc/hostname", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], line, sizeof(line) - 1) <= 0 || sscanf(line, "port %u", &port) != 1)
		TEST_FAIL("the workload did not report its port");
	close(p[0]);
	snprintf(pidarg, sizeof(pidarg), "%d", pid);
	char *argv[] = { SYSREC_BIN, "record", "-o", trace, "-d", "0.3", "-p", pidarg, NULL };

	ASSERT_EQ(_run(argv, &run), 0, run.err);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (!port || !_tr_load(trace, &t))
		goto out;
	for (size_t i = 0; i < t.cnt; i++) {
		const struct trace_rec *r = &t.v[i];
		const uint8_t lo[4] = { 127, 0, 0, 1 };
		uint32_t sz;
		const char *name;

		if (r->type != TR_FD || r->ints[0] != (uint64_t)pid || r->int_cnt < 8)
			continue;
		name = _arg_blob(r, 0, NULL);
		if (r->ints[2] == TR_FD_FILE && name && !strcmp(name, "/etc/hostname"))
			file++;
		if (r->ints[2] == TR_FD_PIPE)
			pipes++;
		/* sockets: l4proto TCP, ports, and the addresses as 4 bytes */
		if (r->ints[2] == TR_FD_IPV4 && r->ints[4] == 6 && r->ints[5] == port && r->ints[6] == 0)
			listening++;
		if (r->ints[2] == TR_FD_IPV4 && r->ints[4] == 6 && (r->ints[5] == port || r->ints[6] == port) &&
		    r->ints[6] != 0 && _arg_blob(r, 1, &sz) && sz == 4 && !memcmp(_arg_blob(r, 2, NULL), lo, 4))
			connected++;
	}
	ASSERT_EQ(file, 1, "the open file, by path");
	ASSERT_GE(pipes, 2, "both ends of the pipe");
	ASSERT_EQ(listening, 1, "the listening socket, with its port");
	ASSERT_EQ(connected, 2, "both ends of the connection, with addresses and ports");
out:
	_tr_free(&t);
	_rmtmp();
}

/* ---- fidelity against strace on real programs ---- */

/* "name|path|result" of every call that takes a path (its first path argument), leaving out
 * successful execs (their arguments are gone at exit; the EXEC record has them). */
#define CALLS_MAX 8192
struct calls {
	char (*v)[300];
	size_t cnt;
};

static void _calls_add(struct calls *c, const char *name, const char *path, long long ret)
{
	if (c->cnt < CALLS_MAX && !((!strcmp(name, "execve") || !strcmp(name, "execveat")) && ret == 0))
		snprintf(c->v[c->cnt++], 300, "%s|%s|%lld", name, path, ret);
}

static int _cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

static long _errno_named(const char *name)
{
	for (int e = 1; e < 200; e++) {
		const char *n = strerrorname_np(e);

		if (n && !strncmp(name, n, strlen(n)) && (name[strlen(n)] == ' ' || !name[strlen(n)]))
			return e;
	}
	return 10000;
}

/* The last " = " of an strace line: the result follows (strace pads before it). */
static char *_result_sep(char *line)
{
	char *eq = NULL;

	for (char *x = strstr(line, " = "); x; x = strstr(x + 1, " = "))
		eq = x;
	return eq;
}

/* From `strace -f -s 4096 -o LOG`: the first quoted string of calls with a path argument.
 * Calls interrupted by another process's line come in two halves, "NAME(args <unfinished ...>"
 * and "<... NAME resumed>...) = RET", joined here by pid. */
static void _calls_from_strace(const char *log, struct calls *c)
{
	static struct {
		long pid;
		char line[4096];
	} open_calls[64];
	FILE *f = fopen(log, "r");
	char line[16384];

	memset(open_calls, 0, sizeof(open_calls));
	while (f && fgets(line, sizeof(line), f)) {
		char name[64], joined[16384], *p = line, *q1, *q2, *eq, *end;
		const struct sr_syscall_info *info;
		bool has_path = false;
		long pid = strtol(line, &end, 10);
		long long ret;
		int nr;

		p = end;
		while (*p == ' ')
			p++;
		if (strstr(p, "<unfinished ...>")) {
			for (size_t i = 0; i < 64; i++)
				if (!open_calls[i].pid) {
					open_calls[i].pid = pid;
					snprintf(open_calls[i].line, sizeof(open_calls[i].line), "%s", p);
					break;
				}
			continue;
		}
		if (!strncmp(p, "<... ", 5)) {
			char *tail = strstr(p, "resumed>");

			for (size_t i = 0; tail && i < 64; i++)
				if (open_calls[i].pid == pid) {
					*strstr(open_calls[i].line, "<unfinished ...>") = 0;
					snprintf(joined, sizeof(joined), "%s%s", open_calls[i].line, tail + 8);
					open_calls[i].pid = 0;
					p = joined;
					break;
				}
			if (p != joined)
				continue;
		}
		if (sscanf(p, "%63[a-z0-9_](", name) != 1 || (nr = sr_syscall__nr(name)) < 0)
			continue;
		info = sr_syscall__get(nr);
		for (int a = 0; info && a < info->nargs; a++)
			has_path |= info->args[a].type == SR_PT_PATH;
		eq = _result_sep(p);
		q1 = strchr(p, '"');
		q2 = q1 ? strchr(q1 + 1, '"') : NULL;
		if (!has_path || !eq || !q1 || !q2 || q1 > eq)
			continue;
		ret = strtoll(eq + 3, &end, 10);
		if (ret == -1)
			ret = -_errno_named(end + 1);
		*q2 = 0;
		_calls_add(c, name, q1 + 1, ret);
	}
	if (f)
		fclose(f);
}

static void _calls_from_trace(const struct tr *t, struct calls *c)
{
	for (size_t i = 0; i < t->cnt; i++) {
		const struct trace_rec *r = &t->v[i];
		const struct sr_syscall_info *info;

		if (r->type != TR_SYSCALL || (r->ints[3] & TR_SC_F_PENDING))
			continue;
		info = sr_syscall__get(r->ints[0]);
		for (int a = 0; info && a < info->nargs; a++) {
			if (info->args[a].type != SR_PT_PATH)
				continue;
			const char *path = _arg_blob(r, a, NULL);

			if (path)
				_calls_add(c, info->name, path, (long long)r->ints[1]);
			break;
		}
	}
}

/* Record @cmd with sysrec and with strace; their path calls must be the same calls, with the
 * same results.  The sysrec run starts in sysrec's child before the exec; the PATH search of
 * execvp there makes failed execve calls that strace (which runs the exec'd file directly)
 * does not make, so both sides start at the program's first call after its exec. */
static void _fidelity(char *const cmd[])
{
	char trace[300], log[300];
	struct calls want = { calloc(CALLS_MAX, 300), 0 }, got = { calloc(CALLS_MAX, 300), 0 };
	struct tr t = { 0 };
	struct run run;
	size_t w = 0, g = 0, shown = 0;
	char *rec_argv[32] = { SYSREC_BIN, "record", "-o", trace, "--" };
	char *st_argv[32] = { "/usr/bin/strace", "-f", "-qq", "-s", "4096", "-o", log };

	snprintf(trace, sizeof(trace), "%s/fidelity.sysrec", tmpdir);
	snprintf(log, sizeof(log), "%s/fidelity.strace", tmpdir);
	for (int i = 0; cmd[i] && i < 24; i++) {
		rec_argv[5 + i] = cmd[i];
		st_argv[7 + i] = cmd[i];
	}
	_run(rec_argv, &run);
	_run(st_argv, &run);
	if (!_tr_load(trace, &t))
		goto out;
	_calls_from_strace(log, &want);
	/* sysrec's side: from the command's exec on (the EXEC record of its first process). */
	struct tr from = t;

	for (size_t i = 0; i < t.cnt; i++)
		if (t.v[i].type == TR_PROC_EXEC) {
			from.v = t.v + i;
			from.cnt = t.cnt - i;
			break;
		}
	_calls_from_trace(&from, &got);
	qsort(want.v, want.cnt, 300, _cmp_str);
	qsort(got.v, got.cnt, 300, _cmp_str);
	ASSERT_GT(want.cnt, 0, "strace saw path calls");
	ASSERT_EQ(got.cnt, want.cnt, cmd[0]);
	while (w < want.cnt || g < got.cnt) {
		int c = w == want.cnt ? 1 : g == got.cnt ? -1 : strcmp(want.v[w], got.v[g]);

		if (c && shown++ < 8)
			TEST_FAIL("%s: %s only in %s", cmd[0], c < 0 ? want.v[w] : got.v[g], c < 0 ? "strace" : "sysrec");
		w += c <= 0;
		g += c >= 0;
	}
	printf("  %s: %zu path calls, %zu differ\n", cmd[0], want.cnt, shown);
out:
	_tr_free(&t);
	free(want.v);
	free(got.v);
}

static void test_capture__fidelity_vs_strace(void)
{
	char *ls[] = { "/bin/ls", "-l", "/etc/hostname", "/etc/passwd", "/nonexistent", NULL };
	char *cat[] = { "/bin/cat", "/etc/hostname", "/etc/os-release", NULL };
	char *tar[] = { "/bin/tar", "-C", "/etc", "-cf", "/dev/null", "hostname", "passwd", "group", NULL };
	char *pipeline[] = { "/bin/sh", "-c", "cat /etc/hostname | wc -c; ls /etc >/dev/null", NULL };
	char *py[] = { "/usr/bin/python3", "-S", "-c", "open('/etc/hostname').read()", NULL };

	if (!_need_root() || !_mktmp())
		return;
	_fidelity(ls);
	_fidelity(cat);
	_fidelity(tar);
	_fidelity(pipeline);
	if (access(py[0], X_OK))
		printf("  note: /usr/bin/python3 is not installed; its comparison is left out\n");
	else
		_fidelity(py);
	_rmtmp();
}

/* ---- a real container: runc with a busybox rootfs built here ---- */

static char ctr_id[64];

/* Make a bundle under tmpdir and start container ctr_id running a loop that reads
 * /etc/hostname.  @return true when it runs. */
static bool _start_runc(void)
{
	char cmd[2048];

	if (access("/usr/sbin/runc", X_OK) || access("/bin/busybox", X_OK)) {
		test__skip("runc or busybox-static missing (scripts/install-deps.sh installs them)");
		return false;
	}
	snprintf(ctr_id, sizeof(ctr_id), "sysrec-test-%d", getpid());
	snprintf(cmd, sizeof(cmd),
		 "set -e; b='%s/bundle'; mkdir -p \"$b/rootfs/bin\" \"$b/rootfs/etc\" \"$b/rootfs/proc\"; "
		 "cp /bin/busybox \"$b/rootfs/bin/\"; for a in sh cat sleep; do ln -s busybox \"$b/rootfs/bin/$a\"; done; "
		 "echo container-host > \"$b/rootfs/etc/hostname\"; "
		 "echo 'ctruser:x:4321:4321:in the container:/home/ctr:/bin/sh' > \"$b/rootfs/etc/passwd\"; "
		 "cd \"$b\"; runc spec; "
		 "jq '.process.terminal=false | .process.args=[\"sh\",\"-c\",\"while true; do cat /etc/hostname >/dev/null; sleep 0.1; done\"] "
		 "| .linux.cgroupsPath=\"/sysrec-test/%s\" | .annotations={\"org.opencontainers.image.ref.name\":\"sysrec-test-image\"}' "
		 "config.json > c.json && mv c.json config.json; runc run -d %s </dev/null >/dev/null 2>&1",
		 tmpdir, ctr_id, ctr_id);
	return ASSERT_EQ(system(cmd), 0, "start a runc container");
}

static void _stop_runc(void)
{
	char cmd[256];

	/* runc removes the container's cgroups, not their parent: rmdir it where it is empty */
	snprintf(cmd, sizeof(cmd), "runc delete -f %s >/dev/null 2>&1; "
		 "rmdir /sys/fs/cgroup/*/sysrec-test /sys/fs/cgroup/sysrec-test 2>/dev/null; true",
		 ctr_id);
	if (system(cmd))
		fprintf(stderr, "cannot delete container %s\n", ctr_id);
}

/* Is @rec a THREAD record of a thread in container ctr_id? */
static bool _in_ctr(const struct trace_rec *rec)
{
	const char *id = _arg_blob(rec, TR_THREAD_BLOB_CONTAINER_ID, NULL);

	return rec->type == TR_THREAD && id && !strcmp(id, ctr_id);
}

static void test_capture__runc_container(void)
{
	char trace[300], trace2[300], cmd[256];
	struct run run;
	struct tr t = { 0 };
	uint32_t ctr_tids[4096];
	size_t tid_cnt = 0;
	int containers = 0, opens = 0, host_threads = 0, exec_opens = 0;

	if (!_need_root() || !_mktmp())
		return;
	if (!_start_runc())
		goto out_rm;
	snprintf(trace, sizeof(trace), "%s/host.sysrec", tmpdir);
	snprintf(trace2, sizeof(trace2), "%s/ctr.sysrec", tmpdir);

	/* The whole host: the container's processes carry its id. */
	char *host_argv[] = { SYSREC_BIN, "record", "-o", trace, "-d", "1", NULL };

	if (!ASSERT_EQ(_run(host_argv, &run), 0, run.err) || !_tr_load(trace, &t))
		goto out;
	for (size_t i = 0; i < t.cnt; i++) {
		const struct trace_rec *r = &t.v[i];
		const char *s;

		if (r->type == TR_CONTAINER && (s = _arg_blob(r, 0, NULL)) && !strcmp(s, ctr_id)) {
			containers++;
			ASSERT_STREQ(_arg_blob(r, 3, NULL), "runc", "runtime");
			ASSERT_STREQ(_arg_blob(r, 2, NULL), "sysrec-test-image", "image, from the annotation");
			ASSERT_GT(r->ints[0], 1, "the container's cgroup id");
		}
		if (_in_ctr(r) && tid_cnt < 4096)
			ctr_tids[tid_cnt++] = r->tid;
		for (size_t k = 0; k < tid_cnt; k++)
			if (r->tid == ctr_tids[k] && _is_syscall(r, "openat") &&
			    (s = _arg_blob(r, 1, NULL)) && !strcmp(s, "/etc/hostname"))
				opens++;
	}
	/* Its users come from its own /etc/passwd, keyed by its mount namespace. */
	uint64_t ctr_mnt = 0;
	int users = 0;

	for (size_t i = 0; i < t.cnt; i++)
		if (_in_ctr(&t.v[i]) && t.v[i].int_cnt > 12)
			ctr_mnt = t.v[i].ints[12];
	for (size_t i = 0; i < t.cnt; i++) {
		const struct trace_rec *r = &t.v[i];
		const char *name = _arg_blob(r, 0, NULL);

		if (r->type == TR_USER && r->ints[0] == 4321 && r->ints[2] == ctr_mnt && name &&
		    !strcmp(name, "ctruser"))
			users++;
	}
	/* Its network namespace's interfaces: runc gives it one with only a loopback. */
	uint64_t ctr_net = 0;
	int ctr_ifaces = 0;

	for (size_t i = 0; i < t.cnt; i++)
		if (_in_ctr(&t.v[i]) && t.v[i].int_cnt > 14)
			ctr_net = t.v[i].ints[14];
	for (size_t i = 0; i < t.cnt; i++) {
		const struct trace_rec *r = &t.v[i];
		const char *name = _arg_blob(r, 0, NULL);

		if (r->type == TR_IFACE && r->ints[1] == ctr_net)
			ctr_ifaces += name && !strcmp(name, "lo") ? 1 : 100;
	}
	ASSERT_NEQ(ctr_net, _ns_of("net"), "the container has its own network namespace");
	ASSERT_EQ(ctr_ifaces, 1, "IFACE 'lo', the only interface of the container's namespace");
	ASSERT_NEQ(ctr_mnt, _ns_of("mnt"), "the container has its own mount namespace");
	ASSERT_EQ(users, 1, "USER 4321 'ctruser' from the container's /etc/passwd");
	ASSERT_EQ(containers, 1, "one CONTAINER record for the runc container");
	ASSERT_GT(tid_cnt, 0, "threads attributed to the container");
	ASSERT_GT(opens, 0, "its openat(\"/etc/hostname\") calls, by its threads");
	_tr_free(&t);

	/* --container: only the container; a process started in it meanwhile is recorded too. */
	pid_t pid = fork();

	/* Well after the recorder has attached (its start-up, loading and verifying the BPF
	 * programs, takes a few hundred ms under the sanitizers), well before it stops. */
	if (pid == 0) {
		usleep(1500000);
		snprintf(cmd, sizeof(cmd), "runc exec %s cat /proc/self/cgroup >/dev/null 2>&1", ctr_id);
		_exit(system(cmd) ? 1 : 0);
	}
	char *ctr_argv[] = { SYSREC_BIN, "record", "-o", trace2, "-d", "3", "--container", ctr_id, NULL };

	ASSERT_EQ(_run(ctr_argv, &run), 0, run.err);
	int st;

	waitpid(pid, &st, 0);
	ASSERT_EQ(WEXITSTATUS(st), 0, "runc exec during the capture");
	if (!_tr_load(trace2, &t))
		goto out;
	for (size_t i = 0; i < t.cnt; i++) {
		const struct trace_rec *r = &t.v[i];
		const char *s;

		if (r->type == TR_THREAD && !_in_ctr(r))
			host_threads++;
		if (_is_syscall(r, "openat") && (s = _arg_blob(r, 1, NULL)) && !strcmp(s, "/proc/self/cgroup"))
			exec_opens++;
	}
	ASSERT_EQ(host_threads, 0, "--container records no thread outside the container");
	ASSERT_EQ(exec_opens, 1, "the process started by runc exec during the capture");
out:
	_tr_free(&t);
	_stop_runc();
out_rm:
	_rmtmp();
}

static void test_capture__podman_container(void)
{
	char trace[300], cmd[2048], name[64], image[96];
	struct run run;
	struct tr t = { 0 };
	int containers = 0, opens = 0, others = 0;
	uint32_t tids[4096];
	size_t tid_cnt = 0;

	if (!_need_root() || !_mktmp())
		return;
	if (access("/usr/bin/podman", X_OK) || access("/bin/busybox", X_OK)) {
		test__skip("podman or busybox-static missing (scripts/install-deps.sh installs them)");
		goto out_rm;
	}
	snprintf(name, sizeof(name), "sysrec-test-%d", getpid());
	snprintf(image, sizeof(image), "localhost/sysrec-test-%d:latest", getpid());
	/* An image from a rootfs made here (no registry), run with runc and lowered ulimits
	 * (root here lacks CAP_SYS_RESOURCE; crun fails on hybrid cgroups). */
	snprintf(cmd, sizeof(cmd),
		 "set -e; r='%s/rootfs'; mkdir -p \"$r/bin\" \"$r/etc\"; cp /bin/busybox \"$r/bin/\"; "
		 "for a in sh cat sleep; do ln -s busybox \"$r/bin/$a\"; done; "
		 "tar -C \"$r\" -cf '%s/rootfs.tar' .; "
		 "podman import --change 'CMD [\"/bin/sh\"]' '%s/rootfs.tar' %s >/dev/null 2>&1; "
		 "podman --runtime runc run -d --name %s --network none --ulimit nofile=1024:1024 "
		 "--ulimit nproc=4096:4096 %s sh -c 'while true; do cat /etc/hostname >/dev/null; sleep 0.1; done' "
		 ">/dev/null 2>&1", tmpdir, tmpdir, tmpdir, image, name, image);
	if (!ASSERT_EQ(system(cmd), 0, "start a podman container"))
		goto out;
	snprintf(trace, sizeof(trace), "%s/podman.sysrec", tmpdir);
	char *argv[] = { SYSREC_BIN, "record", "-o", trace, "-d", "1", "--container", name, NULL };

	if (!ASSERT_EQ(_run(argv, &run), 0, run.err) || !_tr_load(trace, &t))
		goto out;
	for (size_t i = 0; i < t.cnt; i++) {
		const struct trace_rec *r = &t.v[i];
		const char *s;

		/* CONTAINER: id (64 hex), name, image and runtime from podman's own storage */
		if (r->type == TR_CONTAINER) {
			containers++;
			ASSERT_EQ(r->blobs[0].sz, 64, "a 64-hex container id");
			ASSERT_STREQ(_arg_blob(r, 1, NULL), name, "the podman name");
			ASSERT_STREQ(_arg_blob(r, 2, NULL), image, "the image name");
			ASSERT_STREQ(_arg_blob(r, 3, NULL), "podman", "runtime");
		}
		if (r->type == TR_THREAD) {
			s = _arg_blob(r, TR_THREAD_BLOB_CONTAINER_ID, NULL);
			if (s && strlen(s) == 64 && tid_cnt < 4096)
				tids[tid_cnt++] = r->tid;
			else
				others++;
		}
		for (size_t k = 0; k < tid_cnt; k++)
			if (r->tid == tids[k] && _is_syscall(r, "openat") && (s = _arg_blob(r, 1, NULL)) &&
			    !strcmp(s, "/etc/hostname"))
				opens++;
	}
	ASSERT_EQ(containers, 1, "one CONTAINER record");
	ASSERT_EQ(others, 0, "--container: no thread outside the container");
	ASSERT_GT(opens, 0, "the container's openat(\"/etc/hostname\")");
out:
	_tr_free(&t);
	snprintf(cmd, sizeof(cmd), "podman rm -f %s >/dev/null 2>&1; podman rmi -f %s >/dev/null 2>&1",
		 name, image);
	if (system(cmd))
		fprintf(stderr, "cannot remove container %s\n", name);
out_rm:
	_rmtmp();
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_capture__files_match_strace),
		TEST_CASE(test_capture__net_loopback),
		TEST_CASE(test_capture__lifecycle),
		TEST_CASE(test_capture__thread_state),
		TEST_CASE(test_capture__preexisting_process),
		TEST_CASE(test_capture__drops_counted),
		TEST_CASE(test_capture__kill9_leaves_readable_file),
		TEST_CASE(test_capture__full_disk),
		TEST_CASE(test_capture__bad_usage),
		TEST_CASE(test_capture__pending_call),
		TEST_CASE(test_capture__filter_at_capture),
		TEST_CASE(test_capture__fd_snapshot),
		TEST_CASE(test_capture__fidelity_vs_strace),
		TEST_CASE(test_capture__runc_container),
		TEST_CASE(test_capture__podman_container),
	};

	return test_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
