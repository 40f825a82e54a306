// SPDX-License-Identifier: Apache-2.0
/*
 * fd identity: a socketpair, a pipe made during the recording, and an open file, a pipe's
 * read end and one end of the pair sent over the pair with SCM_RIGHTS to a forked child,
 * which uses each fd it received (fstat, read, write) so that replay shows its name.
 * Usage: fdpass FILE
 */
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int send_fds(int sock, const int *fds, int n)
{
	char byte = 'x', ctl[CMSG_SPACE(3 * sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			      .msg_controllen = CMSG_SPACE(n * sizeof(int)) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(c), fds, n * sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fds(int sock, int *fds, int n)
{
	char byte, ctl[CMSG_SPACE(3 * sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			      .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;

	if (recvmsg(sock, &msg, 0) != 1 || !(c = CMSG_FIRSTHDR(&msg)) || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(fds, CMSG_DATA(c), n * sizeof(int));
	return 0;
}

int main(int argc, char **argv)
{
	int sp[2], pp[2], sent[3], got[3];
	struct stat st;
	char buf[16];
	pid_t pid;

	if (argc < 2 || socketpair(AF_UNIX, SOCK_STREAM, 0, sp) || pipe(pp))
		return 2;
	sent[0] = open(argv[1], O_RDONLY);
	sent[1] = pp[0];
	sent[2] = sp[0];
	pid = fork();
	if (pid == 0) {
		close(sp[0]);
		if (recv_fds(sp[1], got, 3))
			_exit(1);
		fstat(got[0], &st);                       /* the file */
		if (read(got[0], buf, sizeof(buf)) < 0 || read(got[1], buf, 4) != 4)  /* the pipe */
			_exit(1);
		if (write(got[2], "back", 4) != 4)        /* the pair's other end */
			_exit(1);
		_exit(0);
	}
	close(sp[1]);
	if (write(pp[1], "pipe", 4) != 4 || send_fds(sp[0], sent, 3))
		return 1;
	waitpid(pid, NULL, 0);
	return 0;
}
