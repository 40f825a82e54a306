// SPDX-License-Identifier: Apache-2.0
/* The flight recorder's control socket and `sysrec trigger`; see control.h. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "commands.h"
#include "control.h"

#define REQ_MAX 256

struct control {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static const char *_run_dir(void)
{
	const char *d = getenv("SYSREC_RUN_DIR");

	return d && *d ? d : "/run/sysrec";
}

/* The directory must be root's and closed to others: the socket's safety rests on it. */
static int _check_dir(const char *dir, char *err, size_t err_sz)
{
	struct stat st;

	if (mkdir(dir, 0700) && errno != EEXIST) {
		int e = errno;

		snprintf(err, err_sz, "cannot create '%s': %s", dir, strerror(e));
		return -e;
	}
	if (lstat(dir, &st)) {
		int e = errno;

		snprintf(err, err_sz, "'%s': %s", dir, strerror(e));
		return -e;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077)) {
		snprintf(err, err_sz, "'%s' is not a directory of this user with mode 0700; "
			 "not putting the control socket there", dir);
		return -EPERM;
	}
	return 0;
}

int control__open(struct control **out, char *err, size_t err_sz)
{
	struct control *c = calloc(1, sizeof(*c));
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *dir = _run_dir();
	int ret;

	if (!c)
		return -ENOMEM;
	c->fd = -1;
	ret = _check_dir(dir, err, err_sz);
	if (ret)
		goto fail;
	if ((size_t)snprintf(c->path, sizeof(c->path), "%s/record.%d.sock", dir, (int)getpid()) >=
	    sizeof(c->path)) {
		snprintf(err, err_sz, "'%s': the path is too long for a unix socket", dir);
		ret = -ENAMETOOLONG;
		goto fail;
	}
	unlink(c->path); /* a stale one of a crashed recorder with the same pid */
	memcpy(sa.sun_path, c->path, sizeof(c->path));
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    chmod(c->path, 0600) || listen(c->fd, 8)) {
		ret = -errno;
		snprintf(err, err_sz, "cannot listen on '%s': %s", c->path, strerror(errno));
		goto fail;
	}
	*out = c;
	return 0;
fail:
	control__close(c);
	return ret;
}

/* Read the request line (the client sends it at once; a slow one is dropped). */
static int _read_request(int fd, char *req, size_t sz)
{
	struct timeval tv = { 0, 200000 };
	size_t len = 0;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (len < sz - 1) {
		ssize_t n = read(fd, req + len, sz - 1 - len);

		if (n <= 0)
			return -1;
		len += (size_t)n;
		req[len] = '\0';
		if (strchr(req, '\n'))
			break;
	}
	req[len] = '\0';
	req[strcspn(req, "\n")] = '\0';
	return 0;
}

int control__poll(struct control *c, int *client, char *reason, size_t reason_sz)
{
	char req[REQ_MAX];
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	int fd;

	if (!c)
		return 0;
	fd = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return 0;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) || cred.uid != 0) {
		dprintf(fd, "error only root can trigger the flight recorder\n");
		close(fd);
		return 0;
	}
	if (_read_request(fd, req, sizeof(req)) || strncmp(req, "trigger", 7) ||
	    (req[7] && req[7] != ' ')) {
		dprintf(fd, "error expected 'trigger [REASON]'\n");
		close(fd);
		return 0;
	}
	snprintf(reason, reason_sz, "sysrec trigger (pid %d)%s%s", (int)cred.pid,
		 req[7] ? ": " : "", req[7] ? req + 8 : "");
	*client = fd;
	return 1;
}

void control__close(struct control *c)
{
	if (!c)
		return;
	if (c->fd >= 0) {
		close(c->fd);
		unlink(c->path);
	}
	free(c);
}

/* ---- the client ---- */

static const char trigger_usage[] =
	"USAGE\n"
	"  sysrec trigger [-p PID] [--timeout SECS] [REASON...]\n"
	"\n"
	"Ask a running `sysrec record --flight-recorder SIZE` to write its window (the last\n"
	"SIZE of trace, and --post seconds after the trigger) to a file named by the time of\n"
	"the trigger.  Waits until the file is written and prints its path.  REASON is stored\n"
	"in the file (flight.trigger).  Root only: the control socket is in /run/sysrec\n"
	"(or $SYSREC_RUN_DIR), mode 0700.\n"
	"\n"
	"OPTIONS\n"
	"  -p PID           the recorder to trigger, when several are running\n"
	"      --timeout SECS\n"
	"                   give up waiting for the file after SECS (default 600)\n"
	"  -h, --help       this text\n"
	"\n"
	"EXIT STATUS\n"
	"  0 the file was written; 1 no recorder, or the dump failed; 2 bad usage\n";

/* The socket of the one running recorder (or of @pid).  @return 0, or an exit code. */
static int _find_socket(int pid, char *path, size_t sz)
{
	const char *dir = _run_dir();
	struct dirent *de;
	int found = 0, first = 0;
	char pids[256] = "";
	DIR *d;

	if (pid) {
		snprintf(path, sz, "%s/record.%d.sock", dir, pid);
		if (!access(path, F_OK))
			return 0;
		cli_err("trigger: no flight recorder with pid %d (no %s)", pid, path);
		return EXIT_FAIL;
	}
	d = opendir(dir);
	if (!d) {
		if (errno == EACCES)
			cli_err("trigger: cannot read '%s': only root can trigger the flight recorder", dir);
		else
			cli_err("trigger: no flight recorder is running (no '%s')", dir);
		return EXIT_FAIL;
	}
	while ((de = readdir(d))) {
		int p;
		char tail[8];

		if (sscanf(de->d_name, "record.%d.%7s", &p, tail) != 2 || strcmp(tail, "sock"))
			continue;
		if (kill(p, 0) && errno == ESRCH)
			continue; /* left by a recorder that died */
		if (!found++)
			first = p;
		snprintf(pids + strlen(pids), sizeof(pids) - strlen(pids), " %d", p);
	}
	closedir(d);
	if (!found) {
		cli_err("trigger: no flight recorder is running (no socket in '%s')", dir);
		return EXIT_FAIL;
	}
	if (found > 1) {
		cli_err("trigger: %d flight recorders are running (pids%s); choose one with -p", found,
			pids);
		return EXIT_USAGE;
	}
	snprintf(path, sz, "%s/record.%d.sock", dir, first);
	return 0;
}

int cmd_trigger(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char req[REQ_MAX] = "trigger", reply[4096 + 64];
	double timeout = 600;
	size_t len = 0;
	int pid = 0, c, fd, rc;
	char *end;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			pid = (int)strtol(optarg, &end, 10);
			if (*end || pid <= 0) {
				cli_err("trigger: -p: '%s' is not a process id", optarg);
				return EXIT_USAGE;
			}
			break;
		case 't':
			timeout = strtod(optarg, &end);
			if (*end || timeout <= 0) {
				cli_err("trigger: --timeout: '%s' is not a positive number of seconds", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(trigger_usage, stdout);
			return EXIT_OK;
		default:
			cli_err("trigger: unknown option or missing value '%s' (see 'sysrec trigger --help')",
				argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	for (int i = optind; i < argc; i++) {
		size_t n = strlen(req);

		snprintf(req + n, sizeof(req) - n - 1, "%s%s", i == optind ? " " : " ", argv[i]);
	}
	req[strcspn(req, "\n")] = '\0';
	strcat(req, "\n");
	rc = _find_socket(pid, sa.sun_path, sizeof(sa.sun_path));
	if (rc)
		return rc;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		cli_err("trigger: cannot reach the recorder at '%s': %s%s", sa.sun_path, strerror(errno),
			errno == EACCES ? " (only root can trigger the flight recorder)" : "");
		if (fd >= 0)
			close(fd);
		return EXIT_FAIL;
	}
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		cli_err("trigger: cannot send to the recorder: %s", strerror(errno));
		close(fd);
		return EXIT_FAIL;
	}
	while (len < sizeof(reply) - 1 && !memchr(reply, '\n', len)) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, (int)(timeout * 1000)) <= 0) {
			cli_err("trigger: no answer from the recorder within %g s", timeout);
			close(fd);
			return EXIT_FAIL;
		}
		n = read(fd, reply + len, sizeof(reply) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	reply[len] = '\0';
	reply[strcspn(reply, "\n")] = '\0';
	if (!strncmp(reply, "ok ", 3)) {
		printf("%s\n", reply + 3);
		return EXIT_OK;
	}
	cli_err("trigger: %s", !strncmp(reply, "error ", 6) ? reply + 6 :
		len ? reply : "the recorder closed the connection without an answer");
	return EXIT_FAIL;
}
