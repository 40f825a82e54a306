// SPDX-License-Identifier: Apache-2.0
/*
 * proc_tree: the processes the trace saw, as a tree (parent -> children), each with its
 * command line, how long it ran within the trace, and how it ended (exit code or signal), like
 * `pstree -pa` for the whole capture.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "stock.h"

#define MAX_DEPTH 64

struct pnode {
	uint64_t pid, ppid;
	char *cmdline;
	uint64_t first_ns, last_ns;
	int64_t code, sig; /* -1: still running at the end of the trace */
	bool printed;
};

struct ptree {
	const struct sysrec_host *h;
	struct sysrec_ctx *ctx;
	const struct sysrec_field *pid, *ppid, *tid, *cmdline, *type, *code, *sig, *when;
	struct pnode *v;
	size_t cnt, cap;
	char err[96];
};

static int _init(struct sysrec_ctx *ctx, const struct sysrec_host *h, int argc, char **argv,
		 void **state)
{
	struct ptree *t = calloc(1, sizeof(*t));

	*state = t;
	if (!t)
		return -ENOMEM;
	t->h = h;
	t->ctx = ctx;
	if (argc) {
		snprintf(t->err, sizeof(t->err), "takes no arguments (use a filter)");
		return -EINVAL;
	}
	t->pid = h->field(ctx, "proc.pid");
	t->ppid = h->field(ctx, "proc.ppid");
	t->tid = h->field(ctx, "thread.tid");
	t->cmdline = h->field(ctx, "proc.cmdline");
	t->type = h->field(ctx, "evt.type");
	t->code = h->field(ctx, "evt.arg.exit_code");
	t->sig = h->field(ctx, "evt.arg.signal");
	t->when = h->field(ctx, "evt.rawtime");
	if (!t->pid || !t->ppid || !t->tid || !t->cmdline || !t->type || !t->code || !t->sig ||
	    !t->when)
		return -EINVAL;
	/* A thread's last CPU record comes after its exit: not a sign of life. */
	return h->set_filter(ctx, "evt.type != cpu");
}

static struct pnode *_node(struct ptree *t, uint64_t pid)
{
	struct pnode *n;

	for (size_t i = t->cnt; i-- > 0;) /* recent processes are looked up most */
		if (t->v[i].pid == pid && t->v[i].code < 0)
			return &t->v[i];
	if (t->cnt == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;

		n = realloc(t->v, cap * sizeof(*n));
		if (!n)
			return NULL;
		t->v = n;
		t->cap = cap;
	}
	n = &t->v[t->cnt++];
	memset(n, 0, sizeof(*n));
	n->pid = pid;
	n->code = n->sig = -1;
	return n;
}

static int _event(void *state, const struct sysrec_event *ev)
{
	struct ptree *t = state;
	uint64_t pid, ppid = 0, tid = 0, when = 0, v;
	const char *cmd, *type;
	struct pnode *n;

	if (!t->h->get_u64(ev, t->pid, &pid))
		return 0;
	n = _node(t, pid);
	if (!n) {
		snprintf(t->err, sizeof(t->err), "out of memory");
		return -ENOMEM;
	}
	if (t->h->get_u64(ev, t->ppid, &ppid))
		n->ppid = ppid;
	t->h->get_u64(ev, t->when, &when);
	if (!n->first_ns)
		n->first_ns = when;
	n->last_ns = when;
	if (t->h->get_text(ev, t->cmdline, &cmd) && (!n->cmdline || strcmp(n->cmdline, cmd))) {
		free(n->cmdline);
		n->cmdline = strdup(cmd);
	}
	/* The process ends when its leader exits. */
	if (t->h->get_text(ev, t->type, &type) && !strcmp(type, "procexit") &&
	    t->h->get_u64(ev, t->tid, &tid) && tid == pid) {
		n->code = t->h->get_u64(ev, t->code, &v) ? (int64_t)v : 0;
		n->sig = t->h->get_u64(ev, t->sig, &v) ? (int64_t)v : 0;
	}
	return 0;
}

static bool _has_parent(const struct ptree *t, const struct pnode *n)
{
	for (size_t i = 0; i < t->cnt; i++)
		if (t->v[i].pid == n->ppid && &t->v[i] != n && t->v[i].first_ns <= n->first_ns)
			return true;
	return false;
}

static void _print(struct ptree *t, FILE *f, struct pnode *n, int depth)
{
	char end[48];

	n->printed = true;
	if (n->sig > 0)
		snprintf(end, sizeof(end), "killed by signal %" PRId64, n->sig);
	else if (n->code >= 0)
		snprintf(end, sizeof(end), "exit %" PRId64, n->code);
	else
		snprintf(end, sizeof(end), "running");
	fprintf(f, "%*s%s%" PRIu64 " %s  [%s, %.3fs]\n", depth * 2, "", depth ? "`- " : "", n->pid,
		n->cmdline ? n->cmdline : "?", end, (double)(n->last_ns - n->first_ns) / 1e9);
	if (depth >= MAX_DEPTH)
		return;
	for (size_t i = 0; i < t->cnt; i++)
		if (!t->v[i].printed && t->v[i].ppid == n->pid && &t->v[i] != n &&
		    t->v[i].first_ns >= n->first_ns)
			_print(t, f, &t->v[i], depth + 1);
}

static void _end(void *state)
{
	struct ptree *t = state;
	FILE *f = t->h->out(t->ctx);

	for (size_t i = 0; i < t->cnt; i++)
		if (!t->v[i].printed && !_has_parent(t, &t->v[i]))
			_print(t, f, &t->v[i], 0);
}

static void _fini(void *state)
{
	struct ptree *t = state;

	for (size_t i = 0; t && i < t->cnt; i++)
		free(t->v[i].cmdline);
	if (t)
		free(t->v);
	free(t);
}

static const char *_error(void *state)
{
	struct ptree *t = state;

	return t && t->err[0] ? t->err : NULL;
}

const struct sysrec_chisel chisel_proc_tree = {
	.sz = sizeof(struct sysrec_chisel), .api_version = SYSREC_CHISEL_API_VERSION,
	.name = "proc_tree",
	.description = "the processes seen, as a tree, with command lines, run time and exit codes",
	.args = "", .init = _init, .on_event = _event, .on_end = _end, .fini = _fini,
	.last_error = _error,
};
