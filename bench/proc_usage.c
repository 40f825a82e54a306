// SPDX-License-Identifier: Apache-2.0
/*
 * Run a command (a tracer, in bench/run_capture.sh) and report the CPU time and memory of that
 * process alone, without its children: `sysrec record -- CMD` and `perf record -- CMD` have the
 * traced workload as a child, so the rusage that wait4() or /usr/bin/time give mixes the two.
 *
 * How: every -i milliseconds, /proc/PID/status (VmHWM, RssAnon, RssFile, RssShmem: maxima are
 * kept) and /proc/PID/stat (utime, stime: the process's own, all threads).  When the command
 * exits it is left a zombie for a moment (waitid(WNOWAIT)) so that its final utime/stime and
 * cutime/cstime can still be read from /proc/PID/stat, then it is reaped.  "steady" is the CPU
 * share between the first sample at least -s seconds after the start and the last sample
 * before the exit, which leaves out start-up (BPF load, /proc snapshot) and the final drain.
 * CPU times come in clock ticks (10 ms here).
 *
 * SIGINT and SIGTERM are passed on to the command, so a script can stop a tracer through this
 * wrapper.
 *
 * Usage: proc_usage [-m] [-i MS] [-s SECS] -o OUT -- CMD [ARG...]
 *   -m  also read /proc/PID/smaps at each sample: peak resident memory of BPF map mappings
 *       (the ring buffers, whose data pages are mapped twice) and of everything else
 * Writes key=value lines to OUT (wall_s, user_s, sys_s, cpu_pct, steady_cpu_pct,
 * steady_window_s, child_user_s, child_sys_s, max_rss_kb, max_rss_anon_kb, max_rss_file_kb,
 * max_rss_shmem_kb, with -m max_rss_bpf_maps_kb and max_rss_other_kb, status) and exits with the command's status (128 + signal if killed).
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct usage_sample {
	double t;
	unsigned long long utime, stime, cutime, cstime; /* clock ticks */
};

struct usage_max {
	unsigned long long hwm_kb, anon_kb, file_kb, shmem_kb;
	unsigned long long bpf_kb, nonbpf_kb; /* -m: BPF map mappings (ring buffers) and the rest */
};

static volatile pid_t child_pid;

static void _forward(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

static double _now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Fields 14-17 of /proc/PID/stat; the command name (field 2) may hold spaces and parens. */
static int _read_stat(pid_t pid, struct usage_sample *s)
{
	char path[64], buf[1024], *p;
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	p = strrchr(buf, ')');
	if (!p)
		return -EBADMSG;
	/* after ')': state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
	 * cmajflt(13) utime(14) stime cutime cstime */
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu",
		   &s->utime, &s->stime, &s->cutime, &s->cstime) != 4)
		return -EBADMSG;
	s->t = _now();
	return 0;
}

static void _read_status(pid_t pid, struct usage_max *m)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{ "VmHWM:", offsetof(struct usage_max, hwm_kb) },
		{ "RssAnon:", offsetof(struct usage_max, anon_kb) },
		{ "RssFile:", offsetof(struct usage_max, file_kb) },
		{ "RssShmem:", offsetof(struct usage_max, shmem_kb) },
	};
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			size_t klen = strlen(keys[k].key);
			unsigned long long v, *dst;

			if (strncmp(line, keys[k].key, klen))
				continue;
			v = strtoull(line + klen, NULL, 10);
			dst = (unsigned long long *)((char *)m + keys[k].off);
			if (v > *dst)
				*dst = v;
		}
	}
	fclose(f);
}

/* -m: resident memory of BPF map mappings (a BPF ring buffer's data pages are mapped twice,
 * so an N-byte ring shows as 2N) and of everything else, from /proc/PID/smaps. */
static void _read_smaps(pid_t pid, struct usage_max *m)
{
	unsigned long long bpf = 0, total = 0, v;
	char path[64], line[512];
	int in_bpf = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Rss:", 4)) {
			v = strtoull(line + 4, NULL, 10);
			total += v;
			if (in_bpf)
				bpf += v;
		} else if (strchr(line, '-') && strchr(line, ' ') && line[0] != ' ' &&
			   strspn(line, "0123456789abcdef") == (size_t)(strchr(line, '-') - line)) {
			in_bpf = strstr(line, "anon_inode:bpf-map") != NULL;
		}
	}
	fclose(f);
	if (!total)
		return;
	if (bpf > m->bpf_kb)
		m->bpf_kb = bpf;
	if (total - bpf > m->nonbpf_kb)
		m->nonbpf_kb = total - bpf;
}

static int _parse_num(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || *out < 0)
		return -EINVAL;
	return 0;
}

int main(int argc, char **argv)
{
	struct usage_sample steady0 = { 0 }, last = { 0 }, fin = { 0 };
	struct usage_max mx = { 0 };
	struct sigaction sa = { .sa_handler = _forward };
	double interval = 100, skip = 1.0, t0;
	const char *out = NULL;
	int opt, status = 0, have_steady = 0, have_last = 0, smaps = 0;
	long tck = sysconf(_SC_CLK_TCK);
	siginfo_t si;
	pid_t pid;
	FILE *f;

	while ((opt = getopt(argc, argv, "+i:s:o:m")) != -1) {
		switch (opt) {
		case 'i':
			if (_parse_num(optarg, &interval) || interval < 1) {
				fprintf(stderr, "proc_usage: -i '%s': not a number of ms\n", optarg);
				return 2;
			}
			break;
		case 's':
			if (_parse_num(optarg, &skip)) {
				fprintf(stderr, "proc_usage: -s '%s': not a number of seconds\n", optarg);
				return 2;
			}
			break;
		case 'o':
			out = optarg;
			break;
		case 'm':
			smaps = 1;
			break;
		default:
			fprintf(stderr, "usage: proc_usage [-m] [-i MS] [-s SECS] -o OUT -- CMD [ARG...]\n");
			return 2;
		}
	}
	if (!out || optind >= argc) {
		fprintf(stderr, "usage: proc_usage [-m] [-i MS] [-s SECS] -o OUT -- CMD [ARG...]\n");
		return 2;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	t0 = _now();
	pid = fork();
	if (pid < 0) {
		perror("proc_usage: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "proc_usage: cannot run '%s': %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	child_pid = pid;
	for (;;) {
		struct timespec ts = { (time_t)(interval / 1000),
				       (long)((interval - 1000 * (time_t)(interval / 1000)) * 1e6) };
		struct usage_sample s;

		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) && errno != EINTR) {
			perror("proc_usage: waitid");
			return 1;
		}
		if (si.si_pid == pid)
			break;
		_read_status(pid, &mx);
		if (smaps)
			_read_smaps(pid, &mx);
		if (!_read_stat(pid, &s)) {
			if (!have_steady && s.t - t0 >= skip) {
				steady0 = s;
				have_steady = 1;
			}
			last = s;
			have_last = 1;
		}
		nanosleep(&ts, NULL);
	}
	/* A zombie now: its own and its children's final times are still in /proc/PID/stat. */
	if (_read_stat(pid, &fin)) {
		fprintf(stderr, "proc_usage: cannot read the final times of %d\n", (int)pid);
		fin = last;
		fin.t = _now();
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	f = fopen(out, "w");
	if (!f) {
		fprintf(stderr, "proc_usage: '%s': %s\n", out, strerror(errno));
		return 1;
	}
	{
		double wall = fin.t - t0;
		double cpu = (double)(fin.utime + fin.stime) / (double)tck;

		fprintf(f, "wall_s=%.3f\nuser_s=%.2f\nsys_s=%.2f\ncpu_pct=%.1f\n", wall,
			(double)fin.utime / (double)tck, (double)fin.stime / (double)tck,
			wall > 0 ? 100.0 * cpu / wall : 0.0);
		if (have_steady && have_last && last.t - steady0.t > 0.5) {
			double w = last.t - steady0.t;
			double c = (double)(last.utime + last.stime - steady0.utime - steady0.stime) /
				   (double)tck;

			fprintf(f, "steady_cpu_pct=%.1f\nsteady_window_s=%.2f\n", 100.0 * c / w, w);
		} else {
			fprintf(f, "steady_cpu_pct=NA\nsteady_window_s=0\n");
		}
		fprintf(f, "child_user_s=%.2f\nchild_sys_s=%.2f\n", (double)fin.cutime / (double)tck,
			(double)fin.cstime / (double)tck);
		fprintf(f, "max_rss_kb=%llu\nmax_rss_anon_kb=%llu\nmax_rss_file_kb=%llu\n"
			   "max_rss_shmem_kb=%llu\n",
			mx.hwm_kb, mx.anon_kb, mx.file_kb, mx.shmem_kb);
		if (smaps)
			fprintf(f, "max_rss_bpf_maps_kb=%llu\nmax_rss_other_kb=%llu\n", mx.bpf_kb,
				mx.nonbpf_kb);
		fprintf(f, "status=%d\n",
			WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	}
	fclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
