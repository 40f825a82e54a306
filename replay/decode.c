// SPDX-License-Identifier: Apache-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "decode.h"
#include "record.h"

bool sr_sockaddr__parse(const void *p, size_t len, struct sr_sockaddr *out)
{
	sa_family_t fam;

	memset(out, 0, sizeof(*out));
	if (len < sizeof(fam))
		return false;
	memcpy(&fam, p, sizeof(fam));
	out->family = fam;
	if (fam == AF_INET) {
		struct sockaddr_in in;

		if (len < sizeof(in))
			return false;
		memcpy(&in, p, sizeof(in));
		out->port = ntohs(in.sin_port);
		memcpy(out->addr, &in.sin_addr, 4);
	} else if (fam == AF_INET6) {
		struct sockaddr_in6 in6;

		if (len < sizeof(in6))
			return false;
		memcpy(&in6, p, sizeof(in6));
		out->port = ntohs(in6.sin6_port);
		memcpy(out->addr, &in6.sin6_addr, 16);
	} else if (fam == AF_UNIX) {
		const char *path = (const char *)p + sizeof(fam);
		size_t n = len - sizeof(fam);

		if (n > sizeof(out->path) - 2)
			n = sizeof(out->path) - 2;
		if (n && !path[0]) { /* abstract: "@name", NULs inside kept as '@' */
			out->path[0] = '@';
			for (size_t i = 1; i < n; i++)
				out->path[i] = path[i] ? path[i] : '@';
			out->path[n] = '\0';
		} else {
			memcpy(out->path, path, n);
			out->path[n] = '\0';
			out->path[strnlen(out->path, n)] = '\0';
		}
	}
	return true;
}

size_t sr_ip__str(uint8_t family, const uint8_t *addr, char *buf, size_t sz)
{
	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, buf, (socklen_t)sz)) {
		snprintf(buf, sz, "?");
		return strlen(buf);
	}
	return strlen(buf);
}

size_t sr_sockaddr__str(const struct sr_sockaddr *sa, char *buf, size_t sz)
{
	char ip[INET6_ADDRSTRLEN];
	int n;

	switch (sa->family) {
	case AF_INET:
		sr_ip__str(AF_INET, sa->addr, ip, sizeof(ip));
		n = snprintf(buf, sz, "%s:%u", ip, sa->port);
		break;
	case AF_INET6:
		sr_ip__str(AF_INET6, sa->addr, ip, sizeof(ip));
		n = snprintf(buf, sz, "[%s]:%u", ip, sa->port);
		break;
	case AF_UNIX:
		n = snprintf(buf, sz, "%s", sa->path);
		break;
	default:
		n = snprintf(buf, sz, "family %u", sa->family);
	}
	if (n < 0)
		n = 0;
	return (size_t)n < sz ? (size_t)n : sz ? sz - 1 : 0;
}

const char *sr_errno__name(int err)
{
	/* The kernel's own codes, which only a tracer sees (a call interrupted by a signal). */
	static const char *const kernel[] = {
		[512 - 512] = "ERESTARTSYS", [513 - 512] = "ERESTARTNOINTR",
		[514 - 512] = "ERESTARTNOHAND", [515 - 512] = "ENOIOCTLCMD",
		[516 - 512] = "ERESTART_RESTARTBLOCK", [517 - 512] = "EPROBE_DEFER",
		[518 - 512] = "EOPENSTALE", [519 - 512] = "ENOPARAM",
	};

	if (err >= 512 && err < 512 + (int)(sizeof(kernel) / sizeof(kernel[0])))
		return kernel[err - 512];
	return err > 0 && err < 4096 ? strerrorname_np(err) : NULL;
}

const char *sr_signal__name(int sig)
{
	static __thread char buf[16];
	const char *abbrev = sig > 0 && sig < 65 ? sigabbrev_np(sig) : NULL;

	if (!abbrev)
		return NULL;
	snprintf(buf, sizeof(buf), "SIG%s", abbrev);
	return buf;
}

const char *sr_fd_type__name(unsigned int type)
{
	static const char *const names[] = {
		[TR_FD_OTHER] = "other",         [TR_FD_FILE] = "file",
		[TR_FD_DIRECTORY] = "directory", [TR_FD_IPV4] = "ipv4",
		[TR_FD_IPV6] = "ipv6",           [TR_FD_UNIX] = "unix",
		[TR_FD_PIPE] = "pipe",           [TR_FD_EVENT] = "event",
		[TR_FD_SIGNALFD] = "signalfd",   [TR_FD_EVENTPOLL] = "eventpoll",
		[TR_FD_INOTIFY] = "inotify",     [TR_FD_TIMERFD] = "timerfd",
		[TR_FD_NETLINK] = "netlink",     [TR_FD_BPF] = "bpf",
		[TR_FD_PIDFD] = "pidfd",         [TR_FD_IO_URING] = "io_uring",
		[TR_FD_USERFAULTFD] = "userfaultfd", [TR_FD_SOCKET] = "socket",
	};

	return type < sizeof(names) / sizeof(names[0]) && names[type] ? names[type] : "other";
}

const char *sr_l4proto__name(unsigned int proto)
{
	switch (proto) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_ICMP: return "icmp";
	case IPPROTO_ICMPV6: return "icmpv6";
	case IPPROTO_RAW: return "raw";
	}
	return NULL;
}
