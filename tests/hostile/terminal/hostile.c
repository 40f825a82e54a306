// SPDX-License-Identifier: Apache-2.0
/*
 * A workload that attacks the analyst's terminal through the trace: its name,
 * the files it makes, its child's argv, the bytes it writes and a unix socket's path hold
 * escape sequences (a window title, clear screen, a C1 CSI), BEL, newlines, a DEL and bytes
 * that are not UTF-8.  Every text output of sysrec must show them escaped.
 *
 *   hostile DIR      the workload: works in DIR, then execs its child, DIR/ex\e[2Jec (a
 *                    copy of this program: the test puts it there)
 *   (child)          argv[0] is "child": spins a little (for samples) and exits 3
 *
 * It prints nothing itself: every byte on the terminal during the test comes from sysrec.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* comm: 12 bytes of the 15 the kernel keeps; "hx" and "[31m" are the printable parts */
#define COMM "hx\x1b[31m\x07\n\xff\xc2\x9b"

static const char *const names[] = {
	"\x1b]0;pwned\x07",           /* xterm: set the window title */
	"\x1b[2J",                    /* clear the screen */
	"new\nline",                  /* forge a line of output */
	"bad\xff\xfe",                /* not UTF-8 */
	"c1\xc2\x9b" "31m",           /* C1 CSI: an escape sequence without ESC */
	"back\\x1b",                  /* a literal backslash: must not read as an escape */
	"del\x7f\r\t",
};

static const char buf[] = "\x1b]0;pwned\x07\x1b[2J\r\nline2\xff\xfe\xc2\x9b" "31m\x7f\\x1b end";

static void _spin(int ms)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static void _files(void)
{
	char got[sizeof(buf)];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int fd = open(names[i], O_CREAT | O_TRUNC | O_RDWR, 0600);

		if (fd < 0)
			continue;
		if (write(fd, buf, sizeof(buf) - 1) < 0 || pread(fd, got, sizeof(got), 0) < 0)
			_spin(0);
		close(fd);
	}
}

static void _pipe(void)
{
	char got[sizeof(buf)];
	int p[2];

	if (pipe(p))
		return;
	if (write(p[1], buf, sizeof(buf) - 1) < 0 || read(p[0], got, sizeof(got)) < 0)
		_spin(0);
	close(p[0]);
	close(p[1]);
}

static void _unix_socket(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int srv, cli, conn;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", "sock\x1b[2J\x07\xff");
	unlink(sa.sun_path);
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	cli = socket(AF_UNIX, SOCK_STREAM, 0);
	if (srv < 0 || cli < 0 || bind(srv, (struct sockaddr *)&sa, sizeof(sa)) || listen(srv, 1) ||
	    connect(cli, (struct sockaddr *)&sa, sizeof(sa)))
		return;
	conn = accept(srv, NULL, NULL);
	if (write(cli, buf, sizeof(buf) - 1) < 0)
		_spin(0);
	close(conn);
	close(cli);
	close(srv);
}

int main(int argc, char **argv)
{
	/* the child: an executable with a hostile name, run with hostile arguments */
	char *const child_argv[] = { "child", "\x1b]0;pwned\x07", "two\nlines", "\xff\xfe",
				     "\xc2\x9b" "31m", NULL };
	const char *exe = "ex\x1b[2Jec";

	if (!strcmp(argv[0], "child")) {
		_spin(200);
		return 3;
	}
	if (argc != 2 || chdir(argv[1]))
		return 2;
	prctl(PR_SET_NAME, COMM, 0, 0, 0);
	_files();
	_pipe();
	_unix_socket();
	_spin(200); /* samples of the hostile comm */
	execv(exe, child_argv);
	return 1;
}
