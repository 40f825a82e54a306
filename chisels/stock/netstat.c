// SPDX-License-Identifier: Apache-2.0
/*
 * netstat: the connections and listening sockets the trace saw, like `netstat -tunp` for the
 * whole capture: protocol, client->server tuple, the process on this end and its role, the
 * bytes it sent and received on the connection, and whether it was closed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "stock.h"

enum { V_SENT, V_RECV, V_CLOSED, V_ROLE }; /* agg counters; role: 1 client, 2 server, 3 listen */

struct netstat {
	const struct sysrec_host *h;
	struct sysrec_ctx *ctx;
	const struct sysrec_field *name, *proto, *type, *pname, *pid, *len, *rd, *lport, *rport,
		*sport;
	struct agg agg;
	char err[96];
};

static int _init(struct sysrec_ctx *ctx, const struct sysrec_host *h, int argc, char **argv,
		 void **state)
{
	struct netstat *n = calloc(1, sizeof(*n));

	*state = n;
	if (!n)
		return -ENOMEM;
	n->h = h;
	n->ctx = ctx;
	if (argc) {
		snprintf(n->err, sizeof(n->err), "takes no arguments (use a filter)");
		return -EINVAL;
	}
	n->name = h->field(ctx, "fd.name");
	n->proto = h->field(ctx, "fd.l4proto");
	n->type = h->field(ctx, "evt.type");
	n->pname = h->field(ctx, "proc.name");
	n->pid = h->field(ctx, "proc.pid");
	n->len = h->field(ctx, "evt.buflen");
	n->rd = h->field(ctx, "evt.is_io_read");
	n->lport = h->field(ctx, "fd.lport");
	n->rport = h->field(ctx, "fd.rport");
	n->sport = h->field(ctx, "fd.sport");
	if (!n->name || !n->proto || !n->type || !n->pname || !n->pid || !n->len || !n->rd ||
	    !n->lport || !n->rport || !n->sport)
		return -EINVAL;
	return h->set_filter(ctx, "fd.type in (ipv4, ipv6) and fd.name exists and "
			     "(evt.type in (listen, connect, accept, accept4, close) or evt.is_io)");
}

static int _event(void *state, const struct sysrec_event *ev)
{
	struct netstat *n = state;
	const char *name, *proto, *type, *pname, *pid;
	uint64_t lport = 0, rport = 0, sport = 0, len = 0, rd = 0;
	struct agg_ent *e;
	char key[400];
	int k, role;

	if (!n->h->get_text(ev, n->name, &name) || !n->h->get_text(ev, n->type, &type))
		return 0;
	if (!n->h->get_text(ev, n->proto, &proto))
		proto = "?";
	if (!n->h->get_text(ev, n->pname, &pname))
		pname = "?";
	if (!n->h->get_text(ev, n->pid, &pid))
		pid = "?";
	n->h->get_u64(ev, n->lport, &lport);
	n->h->get_u64(ev, n->rport, &rport);
	n->h->get_u64(ev, n->sport, &sport);
	/* One row per (process, socket tuple, role): both ends may be in one process. */
	role = !rport ? 3 : sport == lport ? 1 : 2;
	k = snprintf(key, sizeof(key), "%s\x1f%s\x1f%d\x1f%s/%s", proto, name, role, pid, pname);
	e = agg__get(&n->agg, key, agg__key_len(key, sizeof(key), k));
	if (!e) {
		snprintf(n->err, sizeof(n->err), "out of memory");
		return -ENOMEM;
	}
	e->v[V_ROLE] = (uint64_t)role;
	if (!strcmp(type, "close"))
		e->v[V_CLOSED] = 1;
	else if (n->h->get_u64(ev, n->len, &len))
		e->v[n->h->get_u64(ev, n->rd, &rd) && rd ? V_RECV : V_SENT] += len;
	return 0;
}

static void _end(void *state)
{
	static const char *const roles[] = { "?", "client", "server", "LISTEN" };
	struct netstat *n = state;
	FILE *f = n->h->out(n->ctx);
	struct agg_ent **v;
	size_t cnt;

	v = agg__sorted(&n->agg, V_ROLE, &cnt);
	if (!v)
		return;
	fprintf(f, "%-5s %-46s %-7s %10s %10s %-7s %s\n", "Proto", "Connection (client->server)",
		"Role", "Sent", "Received", "State", "PID/Program");
	for (size_t i = 0; i < cnt; i++) {
		char *proto = v[i]->key, *name = strchr(proto, '\x1f'), *role, *proc;
		char s[24], r[24];

		if (!name || !(role = strchr(name + 1, '\x1f')) || !(proc = strchr(role + 1, '\x1f')))
			continue;
		*name++ = '\0';
		*role = '\0';
		proc++;
		fprintf(f, "%-5s %-46s %-7s %10s %10s %-7s %s\n", proto, name,
			roles[v[i]->v[V_ROLE] & 3], agg__bytes(v[i]->v[V_SENT], s, sizeof(s)),
			agg__bytes(v[i]->v[V_RECV], r, sizeof(r)),
			v[i]->v[V_ROLE] == 3 ? (v[i]->v[V_CLOSED] ? "closed" : "listen")
					     : v[i]->v[V_CLOSED] ? "closed" : "open",
			proc);
	}
	free(v);
}

static void _fini(void *state)
{
	struct netstat *n = state;

	if (n)
		agg__release(&n->agg);
	free(n);
}

static const char *_error(void *state)
{
	struct netstat *n = state;

	return n && n->err[0] ? n->err : NULL;
}

const struct sysrec_chisel chisel_netstat = {
	.sz = sizeof(struct sysrec_chisel), .api_version = SYSREC_CHISEL_API_VERSION,
	.name = "netstat",
	.description = "connections and listening sockets seen: tuple, role, bytes, process",
	.args = "", .init = _init, .on_event = _event, .on_end = _end, .fini = _fini,
	.last_error = _error,
};
