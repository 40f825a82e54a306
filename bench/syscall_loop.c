// SPDX-License-Identifier: Apache-2.0
/*
 * The syscall microbenchmark of the capture-overhead benchmark (bench/run_capture.sh): tight
 * loops of one cheap syscall pattern each, timed with CLOCK_MONOTONIC (a vDSO call, so timing
 * adds no syscall), and the exact number of syscalls each loop made, so that a tracer's record
 * count can be checked against it.
 *
 *   getppid    syscall(SYS_getppid)                       1 syscall per iteration
 *   read1      read(fd, buf, 1) from /dev/zero             1
 *   write64    write(fd, buf, 64) to /dev/null             1
 *   openclose  openat(AT_FDCWD, PATH, O_RDONLY) + close    2
 *
 * The counts cover the loops only: the program's start-up (the dynamic loader, opening
 * /dev/zero and /dev/null) and its final printf make a few more calls of their own, but never
 * getppid, so a trace's getppid count must equal the getppid loop's iterations exactly.
 *
 * Usage: syscall_loop [-n N] [-r RATE] [-f PATH] MODE[:N]...
 *   -n N      iterations of a MODE given without :N (default 1000000)
 *   -r RATE   pace to about RATE syscalls/s: a burst of RATE/1000 loop syscalls every
 *             millisecond, against absolute deadlines (clock_nanosleep TIMER_ABSTIME: about
 *             1000 more syscalls per second, not counted in syscalls= and never a getppid);
 *             default unpaced
 *   -f PATH   file opened by openclose (default /etc/passwd)
 * Prints one line per mode, in order:
 *   mode=getppid iterations=N syscalls=N seconds=S ns_per_iter=X ns_per_syscall=Y
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_MODES 16

enum loop_mode {
	MODE_GETPPID,
	MODE_READ1,
	MODE_WRITE64,
	MODE_OPENCLOSE,
};

static const struct {
	const char *name;
	unsigned int calls_per_iter;
} mode_info[] = {
	[MODE_GETPPID] = { "getppid", 1 },
	[MODE_READ1] = { "read1", 1 },
	[MODE_WRITE64] = { "write64", 1 },
	[MODE_OPENCLOSE] = { "openclose", 2 },
};

struct loop_ctx {
	int zero_fd;
	int null_fd;
	const char *path;
	char buf[64];
};

static int _parse_u64(const char *s, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || end == s || *end || !*out)
		return -EINVAL;
	return 0;
}

static double _now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void _die(const char *what)
{
	fprintf(stderr, "syscall_loop: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* @n iterations of @mode; the loop bodies stay separate so that each is as tight as it gets. */
static void _run(enum loop_mode mode, struct loop_ctx *c, unsigned long long n)
{
	unsigned long long i;
	int fd;

	switch (mode) {
	case MODE_GETPPID:
		for (i = 0; i < n; i++)
			syscall(SYS_getppid); /* not getppid(): no libc caching can skip the call */
		break;
	case MODE_READ1:
		for (i = 0; i < n; i++)
			if (read(c->zero_fd, c->buf, 1) != 1)
				_die("read /dev/zero");
		break;
	case MODE_WRITE64:
		for (i = 0; i < n; i++)
			if (write(c->null_fd, c->buf, 64) != 64)
				_die("write /dev/null");
		break;
	case MODE_OPENCLOSE:
		for (i = 0; i < n; i++) {
			fd = openat(AT_FDCWD, c->path, O_RDONLY);
			if (fd < 0)
				_die(c->path);
			close(fd);
		}
		break;
	}
}

/* Unpaced: one run.  Paced: bursts of @rate/1000 syscalls, one per millisecond, against
 * absolute deadlines (a late burst is made up by the next ones).  Sleeping rather than
 * spinning leaves the CPU to the tracer, as a real program at that rate would. */
static void _run_paced(enum loop_mode mode, struct loop_ctx *c, unsigned long long n,
		       unsigned long long rate)
{
	unsigned long long burst, done = 0, chunk;
	struct timespec deadline;

	if (!rate) {
		_run(mode, c, n);
		return;
	}
	burst = rate / 1000 / mode_info[mode].calls_per_iter;
	if (!burst)
		burst = 1;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	while (done < n) {
		chunk = n - done < burst ? n - done : burst;
		_run(mode, c, chunk);
		done += chunk;
		deadline.tv_nsec += 1000000;
		if (deadline.tv_nsec >= 1000000000) {
			deadline.tv_nsec -= 1000000000;
			deadline.tv_sec++;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL) == EINTR)
			;
	}
}

static int _parse_mode(const char *arg, unsigned long long def_n, enum loop_mode *mode,
		       unsigned long long *n)
{
	const char *colon = strchr(arg, ':');
	size_t len = colon ? (size_t)(colon - arg) : strlen(arg);

	*n = def_n;
	if (colon && _parse_u64(colon + 1, n))
		return -EINVAL;
	for (size_t m = 0; m < sizeof(mode_info) / sizeof(mode_info[0]); m++) {
		if (strlen(mode_info[m].name) == len && !strncmp(arg, mode_info[m].name, len)) {
			*mode = (enum loop_mode)m;
			return 0;
		}
	}
	return -EINVAL;
}

static void _usage(void)
{
	fprintf(stderr, "usage: syscall_loop [-n N] [-r RATE] [-f PATH] MODE[:N]...\n"
			"  MODE: getppid | read1 | write64 | openclose\n");
}

int main(int argc, char **argv)
{
	struct loop_ctx c = { .path = "/etc/passwd" };
	unsigned long long def_n = 1000000ull, rate = 0, n[MAX_MODES];
	enum loop_mode modes[MAX_MODES];
	double secs[MAX_MODES];
	int opt, mode_cnt = 0;

	while ((opt = getopt(argc, argv, "n:r:f:h")) != -1) {
		switch (opt) {
		case 'n':
			if (_parse_u64(optarg, &def_n)) {
				fprintf(stderr, "syscall_loop: -n '%s': not a positive count\n", optarg);
				return 2;
			}
			break;
		case 'r':
			if (_parse_u64(optarg, &rate)) {
				fprintf(stderr, "syscall_loop: -r '%s': not a positive rate\n", optarg);
				return 2;
			}
			break;
		case 'f':
			c.path = optarg;
			break;
		default:
			_usage();
			return opt == 'h' ? 0 : 2;
		}
	}
	if (optind >= argc || argc - optind > MAX_MODES) {
		_usage();
		return 2;
	}
	for (int i = optind; i < argc; i++, mode_cnt++) {
		if (_parse_mode(argv[i], def_n, &modes[mode_cnt], &n[mode_cnt])) {
			fprintf(stderr, "syscall_loop: '%s': not MODE or MODE:N\n", argv[i]);
			_usage();
			return 2;
		}
	}
	c.zero_fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	c.null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (c.zero_fd < 0 || c.null_fd < 0)
		_die("/dev/zero or /dev/null");
	memset(c.buf, 'x', sizeof(c.buf));

	for (int i = 0; i < mode_cnt; i++) {
		double t0 = _now();

		_run_paced(modes[i], &c, n[i], rate);
		secs[i] = _now() - t0;
	}
	/* Printed at the end only, so that no write to stdout falls inside a timed loop. */
	for (int i = 0; i < mode_cnt; i++) {
		unsigned long long calls = n[i] * mode_info[modes[i]].calls_per_iter;

		printf("mode=%s iterations=%llu syscalls=%llu seconds=%.6f ns_per_iter=%.1f "
		       "ns_per_syscall=%.1f\n",
		       mode_info[modes[i]].name, n[i], calls, secs[i], secs[i] * 1e9 / (double)n[i],
		       secs[i] * 1e9 / (double)calls);
	}
	return 0;
}
