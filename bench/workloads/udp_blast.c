// SPDX-License-Identifier: Apache-2.0
/*
 * The workload of bench/run_packets.sh: N UDP datagrams of SIZE bytes to 127.0.0.1:PORT, as
 * fast as sendto() goes, to a socket of this process that never reads (the kernel drops what
 * overflows it: no ICMP, no reader in the measurement).  Timed inside (CLOCK_MONOTONIC), so a
 * tracer's start-up is not counted.
 *   udp_blast PORT N SIZE    prints: packets=N seconds=S pps=P
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

static double _now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	long n = argc == 4 ? atol(argv[2]) : 0, sent = 0;
	size_t size = argc == 4 ? (size_t)atol(argv[3]) : 0;
	int rx, tx;
	char *buf;
	double t0, t;

	if (n <= 0 || !size || size > 65000) {
		fprintf(stderr, "usage: udp_blast PORT N SIZE\n");
		return 2;
	}
	a.sin_port = htons((uint16_t)atoi(argv[1]));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rx = socket(AF_INET, SOCK_DGRAM, 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	buf = calloc(1, size);
	if (rx < 0 || tx < 0 || !buf || bind(rx, (struct sockaddr *)&a, sizeof(a))) {
		perror("udp_blast");
		return 1;
	}
	t0 = _now();
	for (long i = 0; i < n; i++)
		sent += sendto(tx, buf, size, 0, (struct sockaddr *)&a, sizeof(a)) == (ssize_t)size;
	t = _now() - t0;
	printf("packets=%ld seconds=%.6f pps=%.0f\n", sent, t, (double)sent / t);
	free(buf);
	return 0;
}
