// SPDX-License-Identifier: Apache-2.0
/*
 * Execs that do not name the file they run: fexecve of an open file (execveat(fd, "",
 * AT_EMPTY_PATH)), execveat relative to a directory fd, fexecve of a file unlinked after it
 * was opened, and of a memfd holding a copy of a program (fileless).  Each child runs
 * PROG ARG and is waited for.
 * Usage: execs PROG ARG TMPDIR
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void run(int how, const char *prog, char *arg, const char *tmp)
{
	char *argv[] = { "child", arg, NULL }, copy[4096];
	const char *base = strrchr(prog, '/') + 1;
	struct stat st;
	pid_t pid = fork();
	int fd, src;

	if (pid) {
		waitpid(pid, NULL, 0);
		return;
	}
	switch (how) {
	case 0: /* fexecve */
		fd = open(prog, O_RDONLY);
		fexecve(fd, argv, environ);
		break;
	case 1: /* execveat relative to the program's directory */
		snprintf(copy, sizeof(copy), "%.*s", (int)(base - prog), prog);
		fd = open(copy, O_RDONLY | O_DIRECTORY);
		syscall(SYS_execveat, fd, base, argv, environ, 0);
		break;
	case 2: /* a copy, unlinked while open */
		snprintf(copy, sizeof(copy), "%s/gone", tmp);
		src = open(prog, O_RDONLY);
		fstat(src, &st);
		fd = open(copy, O_RDWR | O_CREAT | O_TRUNC, 0700);
		sendfile(fd, src, NULL, st.st_size);
		close(fd);
		fd = open(copy, O_RDONLY);
		unlink(copy);
		fexecve(fd, argv, environ);
		break;
	case 3: /* fileless: a memfd */
		src = open(prog, O_RDONLY);
		fstat(src, &st);
		fd = memfd_create("innocent", MFD_CLOEXEC);
		sendfile(fd, src, NULL, st.st_size);
		fexecve(fd, argv, environ);
		break;
	}
	perror("exec");
	_exit(127);
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	for (int how = 0; how < 4; how++)
		run(how, argv[1], argv[2], argv[3]);
	return 0;
}
