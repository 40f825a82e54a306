// SPDX-License-Identifier: Apache-2.0
/* A thread (glibc: clone3 with CLONE_VM|CLONE_THREAD|...), a fork and a vfork, each waited
 * for: their clone flags are compared with strace's. */
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

static void *noop(void *arg)
{
	return arg;
}

int main(void)
{
	pthread_t t;
	pid_t pid;

	if (pthread_create(&t, NULL, noop, NULL) || pthread_join(t, NULL))
		return 1;
	pid = fork();
	if (!pid)
		_exit(0);
	waitpid(pid, NULL, 0);
	pid = vfork();
	if (!pid)
		_exit(0);
	waitpid(pid, NULL, 0);
	return 0;
}
