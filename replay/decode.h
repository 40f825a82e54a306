/* SPDX-License-Identifier: Apache-2.0 */
/* Decoding captured values: socket addresses, errno and signal names, fd type names. */
#ifndef SYSREC_DECODE_H
#define SYSREC_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sr_sockaddr {
	uint16_t family; /* AF_INET, AF_INET6, AF_UNIX, or another AF_* */
	uint16_t port;   /* host order */
	uint8_t addr[16]; /* network order */
	char path[109];  /* AF_UNIX; "@name" for the abstract namespace */
};

/* Parse @len bytes of a struct sockaddr_*.  @return false when it is too short. */
bool sr_sockaddr__parse(const void *p, size_t len, struct sr_sockaddr *out);

/* "1.2.3.4:80", "[::1]:80", the unix path, or "family N".  @return the length. */
size_t sr_sockaddr__str(const struct sr_sockaddr *sa, char *buf, size_t sz);

/* "1.2.3.4" or "::1" for a 4- or 16-byte address; @return the length. */
size_t sr_ip__str(uint8_t family, const uint8_t *addr, char *buf, size_t sz);

/* "ENOENT", or NULL when unknown. */
const char *sr_errno__name(int err);
/* "SIGKILL", or NULL when unknown. */
const char *sr_signal__name(int sig);
/* "file", "ipv4", ... for enum tr_fd_type. */
const char *sr_fd_type__name(unsigned int type);
/* "tcp", "udp", ... for an IPPROTO_*; NULL for 0. */
const char *sr_l4proto__name(unsigned int proto);

#endif
