// SPDX-License-Identifier: Apache-2.0
/* State objects as records; see state_records.h. */
#include <string.h>

#include "state_records.h"

static void _blob(struct trace_rec *r, const char *p, size_t len, uint16_t tag)
{
	r->blobs[r->blob_cnt++] = (struct trace_blob){ p ? p : "", p ? (uint32_t)len : 0, tag,
		TRACE_BLOB_F_INTERN };
}

static void _cblob(struct trace_rec *r, const char *p, uint16_t tag)
{
	_blob(r, p, p ? strlen(p) : 0, tag);
}

void sr_rec__container(struct trace_rec *r, const struct sr_container *c)
{
	r->type = TR_CONTAINER;
	r->ints[0] = c->cgroup_id;
	r->ints[1] = 0;
	r->int_cnt = 2;
	r->blob_cnt = 0;
	_cblob(r, c->id, 0);
	_cblob(r, c->name, 1);
	_cblob(r, c->image, 2);
	_cblob(r, c->runtime, 3);
	_cblob(r, c->pod_name, 4);
	_cblob(r, c->pod_namespace, 5);
	_cblob(r, c->pod_uid, 6);
	_blob(r, c->labels, c->labels_len, 7);
}

void sr_rec__user(struct trace_rec *r, const struct sr_user *u)
{
	r->type = TR_USER;
	r->ints[0] = u->uid;
	r->ints[1] = u->gid;
	r->ints[2] = u->ns_mnt;
	r->int_cnt = 3;
	r->blob_cnt = 0;
	_cblob(r, u->name, 0);
	_cblob(r, u->home, 1);
	_cblob(r, u->shell, 2);
}

void sr_rec__group(struct trace_rec *r, const struct sr_group *g)
{
	r->type = TR_GROUP;
	r->ints[0] = g->gid;
	r->ints[1] = g->ns_mnt;
	r->int_cnt = 2;
	r->blob_cnt = 0;
	_cblob(r, g->name, 0);
}

void sr_rec__thread(struct trace_rec *r, const struct sr_thread *t, const struct sr_proc *p,
		    bool redact, uint64_t flags)
{
	const char *comm = t ? t->comm : NULL;

	if (!comm && p->exe) /* an exited leader: its exe's name */
		comm = strrchr(p->exe, '/') ? strrchr(p->exe, '/') + 1 : p->exe;
	r->type = TR_THREAD;
	if (p->args_cut && !redact)
		flags |= TR_THREAD_F_ARGS_CUT;
	if (t) {
		const uint64_t v[] = { t->tid, p->pid, p->ppid, t->vtid, t->vpid, t->uid, t->gid,
			t->euid, t->egid, t->cgroup_id, flags, t->start_ts, t->ns[0], t->ns[1],
			t->ns[2], t->ns[3], t->ns[4], t->ns[5], t->ns[6], t->ns[7] };

		memcpy(r->ints, v, sizeof(v));
		r->int_cnt = sizeof(v) / sizeof(v[0]);
	} else {
		r->ints[0] = p->pid;
		r->ints[1] = p->pid;
		r->ints[2] = p->ppid;
		r->int_cnt = 3;
	}
	r->blob_cnt = 0;
	_blob(r, comm, comm ? strnlen(comm, 16) : 0, 0);
	_cblob(r, p->exe, 1);
	_blob(r, redact ? NULL : p->args, p->args_len, 2);
	_cblob(r, p->cwd, 3);
	_cblob(r, t ? t->cgroup : NULL, 4);
	_cblob(r, t && t->ctr ? t->ctr->id : NULL, 5);
}

void sr_rec__fd(struct trace_rec *r, uint32_t pid, const struct sr_fd *f, bool addr_only)
{
	size_t alen = f->family == 10 /* AF_INET6 */ ? 16 : 4;

	r->type = TR_FD;
	r->ints[0] = pid;
	r->ints[1] = (uint64_t)f->num;
	r->ints[2] = f->type;
	r->ints[3] = addr_only ? TR_FD_F_ADDR_ONLY :
		     f->flags | (f->cloexec ? 02000000 /* O_CLOEXEC */ : 0);
	r->ints[4] = addr_only ? 0 : f->l4proto;
	r->ints[5] = f->lport;
	r->ints[6] = f->rport;
	r->ints[7] = addr_only ? 0 : f->ino;
	r->ints[8] = f->server;
	r->int_cnt = 9;
	r->blob_cnt = 0;
	_cblob(r, addr_only ? "" : f->name, 0);
	if (f->family || addr_only) {
		_blob(r, (const char *)f->lip, alen, 1);
		_blob(r, (const char *)f->rip, alen, 2);
	}
}
