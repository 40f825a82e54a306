// SPDX-License-Identifier: Apache-2.0
/* Ring merge and conversion into the trace writer (see recorder.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mono_clock.h"
#include "containers.h"
#include "ifaces.h"
#include "users.h"
#include "convert.h"
#include "records.h"
#include "hmap.h"
#include "proc_syms.h"
#include "rec_filter.h"
#include "packets.h"
#include "event_table.h"
#include "recorder.h"
#include "sr_log.h"

#define PUBLISH_EVERY 4096 /* records between handing ring space back during a long pass */

struct ring_head {
	const struct sr_rb_hdr *rec; /* peeked, not yet consumed; NULL: none */
	uint32_t len;
};

struct recorder {
	struct bpf_driver *drv;
	struct trace_writer *w;
	struct containers *ctrs;
	struct users *users;
	struct ifaces *ifaces;
	struct ring *rings;
	size_t ring_cnt;
	struct ring_head *heads;
	uint64_t *drops, *drops_prev; /* [cpu * SR_DROP_KIND_CNT + kind] */
	uint64_t bad_cnt;
	struct trace_rec rec;
	struct rec_filter *filter; /* record -F, or NULL */
	struct packets *packets;   /* record --packets, or NULL */
	struct trace_rec pkt_rec;
	/* CPU time: the last total written per thread (tid -> total + 1); records of the
	 * iterator run before cpu_base_until only set the baseline. */
	struct sr_hmap cpu_last;
	uint64_t cpu_base_until;
	struct proc_syms *syms; /* --sample: mappings and symbols for the samples */
	/* The last exec's filename and arguments: the driver follows an EXEC record with the
	 * thread's new identity (THREAD), which gets them as its exe and args. */
	uint32_t exec_tid;
	uint8_t exec_buf[2 * SR_PATH_MAX];
	uint32_t exec_file_sz, exec_args_sz;
	char exec_exe[SR_PATH_MAX]; /* the file executed, when the filename does not say it */
	uint32_t exec_exe_sz;
	bool exec_args_cut;         /* the arguments were cut at SR_ARGS_MAX bytes */
	/* The EXEC record is held until that THREAD record is written: replay then shows the
	 * exec event with the new name and the container already known. */
	struct trace_rec exec_rec;
	bool exec_held;
	/* A connect/accept/bind is held until the socket's addresses (sock.bpf.c's record, just
	 * after it) are written before it, so the call itself shows the whole connection. */
	struct trace_rec sock_call;
	bool sock_held;
	uint8_t sock_buf[8192];
	/* The filename of each recent exec, for its execve/execveat record: the driver cannot
	 * read it at the call's exit (the old memory is gone), so replay would show
	 * <unreadable> and `evt.arg.filename` would not exist for a successful exec. */
	struct {
		uint32_t tid, len;
		char path[SR_PATH_MAX];
	} exec_names[8];
	uint32_t exec_name_next;
	uint8_t call_kind[SR_SYSCALL_NR_MAX]; /* enum call_kind by event id, both ABIs */
	char name_buf[CONVERT_NAME_MAX];      /* names convert_rb() builds for r->rec */
};

/* The syscalls the recorder completes or reorders. */
enum call_kind { CALL_OTHER = 0, CALL_EXECVE, CALL_EXECVEAT, CALL_CONNECT, CALL_ACCEPT_BIND };

static void _kinds_init(struct recorder *r)
{
	static const struct { const char *name; uint8_t kind; } kinds[] = {
		{ "execve", CALL_EXECVE }, { "execveat", CALL_EXECVEAT }, { "connect", CALL_CONNECT },
		{ "accept", CALL_ACCEPT_BIND }, { "accept4", CALL_ACCEPT_BIND },
		{ "bind", CALL_ACCEPT_BIND },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		int ids[4], cnt = sr_syscall__ids(kinds[i].name, 0, ids, 4);

		for (int j = 0; j < cnt && j < 4; j++)
			r->call_kind[ids[j]] = kinds[i].kind;
	}
}

static enum call_kind _call_kind(const struct recorder *r, const struct trace_rec *rec)
{
	if (rec->type != TR_SYSCALL || rec->int_cnt < 4 || rec->ints[0] >= SR_SYSCALL_NR_MAX)
		return CALL_OTHER;
	return r->call_kind[rec->ints[0]];
}

void recorder__set_filter(struct recorder *r, struct rec_filter *f)
{
	r->filter = f;
}

void recorder__set_packets(struct recorder *r, struct packets *p)
{
	r->packets = p;
}

int recorder__new(struct bpf_driver *drv, struct trace_writer *w, struct containers *ctrs,
		  struct users *users, struct ifaces *ifaces, struct recorder **out)
{
	struct recorder *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->drv = drv;
	r->w = w;
	r->ctrs = ctrs;
	r->users = users;
	r->ifaces = ifaces;
	_kinds_init(r);
	r->rings = bpf_driver__rings(drv, &r->ring_cnt);
	r->heads = calloc(r->ring_cnt, sizeof(*r->heads));
	r->drops = calloc(r->ring_cnt * SR_DROP_KIND_CNT, sizeof(*r->drops));
	r->drops_prev = calloc(r->ring_cnt * SR_DROP_KIND_CNT, sizeof(*r->drops_prev));
	if (!r->heads || !r->drops || !r->drops_prev) {
		recorder__free(r);
		return -ENOMEM;
	}
	*out = r;
	return 0;
}

void recorder__free(struct recorder *r)
{
	if (!r)
		return;
	free(r->heads);
	free(r->drops);
	free(r->drops_prev);
	sr_hmap__free(&r->cpu_last);
	free(r);
}

int recorder__cpu_baseline(struct recorder *r)
{
	int err = bpf_driver__cpu_times(r->drv);

	r->cpu_base_until = mono_ns();
	return err;
}

static int _emit(struct recorder *r, const struct trace_rec *rec)
{
	return r->filter ? rec_filter__record(r->filter, rec) : trace_writer__append(r->w, rec);
}

/*
 * A CPU record from the iterator: the time used since the thread's previous one.  A thread
 * with no previous one counts from zero if it was born during the capture; one that is older
 * (it was idle, or out of the selection, at the baseline) only sets its baseline now.
 * @return 1 to drop the record (a baseline, or no CPU used), 0 to write it, -ENOMEM.
 */
static int _cpu(struct recorder *r, struct trace_rec *rec)
{
	uint64_t tid = rec->ints[0], total = rec->ints[3], start = rec->ints[4];
	bool final = rec->ints[5];
	uintptr_t last = (uintptr_t)sr_hmap__get(&r->cpu_last, tid);
	uint64_t prev = last ? last - 1 : 0;

	rec->int_cnt = 4;
	if (final)
		sr_hmap__del(&r->cpu_last, tid);
	else if (sr_hmap__put(&r->cpu_last, tid, (void *)(uintptr_t)(total + 1)))
		return -ENOMEM;
	if (rec->ts <= r->cpu_base_until || (!last && start < r->cpu_base_until) || total <= prev)
		return 1;
	rec->ints[2] = total - prev;
	return 0;
}

/* A thread exits: a CPU record with what it used since the previous one, as far as the
 * scheduler has accounted; the final record (when the task is freed) adds the rest. */
static int _cpu_at_exit(struct recorder *r, const struct trace_rec *exit_rec)
{
	struct trace_rec rec = { .type = TR_CPU, .ts = exit_rec->ts, .tid = exit_rec->tid,
				 .cpu = exit_rec->cpu, .int_cnt = 4 };
	uintptr_t last;
	uint64_t prev;

	if (exit_rec->int_cnt < 5)
		return 0;
	last = (uintptr_t)sr_hmap__get(&r->cpu_last, exit_rec->ints[0]);
	prev = last ? last - 1 : 0;
	if (exit_rec->ints[4] <= prev)
		return 0;
	if (sr_hmap__put(&r->cpu_last, exit_rec->ints[0], (void *)(uintptr_t)(exit_rec->ints[4] + 1)))
		return -ENOMEM;
	rec.ints[0] = exit_rec->ints[0];
	rec.ints[1] = exit_rec->ints[1];
	rec.ints[2] = exit_rec->ints[4] - prev;
	rec.ints[3] = exit_rec->ints[4];
	return _emit(r, &rec);
}

/* Before a sample: the mappings and symbols it needs.  After an exec: the old ones are gone. */
static int _symbols(struct recorder *r, const struct trace_rec *rec)
{
	if (rec->type == TR_SAMPLE && rec->blob_cnt == 2)
		return proc_syms__sample(r->syms, r->w, rec->ts, (uint32_t)rec->ints[1],
					 rec->blobs[0].data, rec->blobs[0].sz / sizeof(uint64_t),
					 rec->blobs[1].data, rec->blobs[1].sz / sizeof(uint64_t));
	if (rec->type == TR_PROC_EXEC && rec->int_cnt >= 2)
		proc_syms__forget(r->syms, (uint32_t)rec->ints[1]);
	return 0;
}

void recorder__set_symbols(struct recorder *r, struct proc_syms *ps)
{
	r->syms = ps;
}

static const struct sr_rb_hdr *_head(struct recorder *r, size_t i)
{
	struct ring_head *h = &r->heads[i];

	if (!h->rec)
		h->rec = ring__peek(&r->rings[i], &h->len);
	return h->rec;
}

/* Remember the filename of an exec for the execve record that follows it. */
static void _exec_name_keep(struct recorder *r, const struct trace_rec *rec)
{
	uint32_t i = r->exec_name_next++ % (sizeof(r->exec_names) / sizeof(r->exec_names[0]));

	r->exec_names[i].tid = rec->tid;
	r->exec_names[i].len = rec->blobs[0].sz < SR_PATH_MAX ? rec->blobs[0].sz : SR_PATH_MAX;
	memcpy(r->exec_names[i].path, rec->blobs[0].data, r->exec_names[i].len);
}

/* The fd N of an exec's filename "/dev/fd/N[/PATH]" (an execveat relative to an fd, or
 * fexecve), the rest after it in @rest; -1 when the filename is not of that form. */
static long _fd_path(const char *name, uint32_t len, const char **rest)
{
	const char *p = name + 8, *end = name + len;
	long fd = 0;

	if (len <= 8 || memcmp(name, "/dev/fd/", 8))
		return -1;
	for (; p < end && *p >= '0' && *p <= '9' && fd < 1 << 20; p++)
		fd = fd * 10 + (*p - '0');
	if (p == name + 8 || (p < end && *p != '/'))
		return -1;
	*rest = p < end ? p + 1 : p;
	return fd;
}

/*
 * A successful execve/execveat without its filename: the one its exec recorded.  For an
 * execveat relative to a file descriptor the kernel names the file "/dev/fd/N[/PATH]": the
 * call's path argument is PATH ("" for fexecve's AT_EMPTY_PATH).  Without the entry program
 * (--no-latency) the driver cannot tell an execveat from an execve once it succeeded: a
 * "/dev/fd/N" filename still tells an fd-relative one.
 */
static void _exec_name_fill(struct recorder *r, struct trace_rec *rec)
{
	enum call_kind kind = _call_kind(r, rec);
	const char *path, *rest;
	uint32_t len;
	long fd;

	if ((kind != CALL_EXECVE && kind != CALL_EXECVEAT) || rec->ints[1] ||
	    rec->blob_cnt >= TRACE_REC_MAX_BLOBS)
		return;
	for (unsigned int i = 0; i < rec->blob_cnt; i++)
		if (rec->blobs[i].tag <= 1)
			return;
	for (size_t i = 0; i < sizeof(r->exec_names) / sizeof(r->exec_names[0]); i++) {
		if (r->exec_names[i].tid != rec->tid)
			continue;
		path = r->exec_names[i].path;
		len = r->exec_names[i].len;
		r->exec_names[i].tid = 0;
		fd = _fd_path(path, len, &rest);
		if (fd >= 0 && kind == CALL_EXECVE && (rec->ints[3] & TR_SC_F_NO_LATENCY)) {
			int ids[4], cnt = sr_syscall__ids("execveat", 0, ids, 4);
			const struct sr_syscall_info *was = sr_syscall__get((unsigned int)rec->ints[0]);

			for (int j = 0; j < cnt && j < 4 && was; j++)
				if (sr_syscall__get((unsigned int)ids[j])->abi == was->abi)
					rec->ints[0] = (uint64_t)ids[j];
			kind = _call_kind(r, rec);
			if (rec->int_cnt > 4)
				rec->ints[4] = (uint64_t)fd;
			rec->ints[7] = 0; /* envp, gone; the flags stay unknown */
			rec->int_cnt = 8;
		}
		if (kind == CALL_EXECVEAT && fd >= 0 && rec->int_cnt > 4 && (int32_t)rec->ints[4] == fd) {
			len -= (uint32_t)(rest - path);
			path = rest;
		}
		rec->blobs[rec->blob_cnt++] = (struct trace_blob){ path, len,
			kind == CALL_EXECVE ? 0 : 1, TRACE_BLOB_F_INTERN };
		return;
	}
}

/*
 * Complete a thread identity from the driver (which knows its comm and cgroup id): the
 * filename and arguments of the exec it follows, the cgroup path and the container, whose
 * CONTAINER record is written first.  Other records: remember an exec.  @return 0 or error.
 */
static int _enrich(struct recorder *r, struct trace_rec *rec)
{
	static const char empty[1];
	struct container_info *ci = NULL;
	const char *cg;
	bool exec;

	if (rec->type == TR_SYSCALL && rec->int_cnt >= 2) {
		_exec_name_fill(r, rec);
		return 0;
	}
	if (rec->type == TR_PROC_EXEC && rec->blob_cnt >= 1)
		_exec_name_keep(r, rec);
	if (rec->type == TR_PROC_EXEC && rec->blob_cnt >= 2 && rec->int_cnt >= 4 &&
	    rec->blobs[0].sz + rec->blobs[1].sz <= sizeof(r->exec_buf)) {
		r->exec_tid = rec->tid;
		r->exec_file_sz = rec->blobs[0].sz;
		r->exec_args_sz = rec->blobs[1].sz;
		memcpy(r->exec_buf, rec->blobs[0].data, r->exec_file_sz);
		memcpy(r->exec_buf + r->exec_file_sz, rec->blobs[1].data, r->exec_args_sz);
		r->exec_args_cut = rec->ints[TR_EXEC_FLAGS] & TR_EXEC_F_ARGS_CUT;
		r->exec_exe_sz = 0;
		if (rec->blob_cnt > 2 && rec->blobs[2].sz <= sizeof(r->exec_exe)) {
			r->exec_exe_sz = rec->blobs[2].sz;
			memcpy(r->exec_exe, rec->blobs[2].data, r->exec_exe_sz);
		}
		r->exec_rec = *rec;
		r->exec_rec.blob_cnt = 2;
		r->exec_rec.blobs[0].data = r->exec_buf;
		r->exec_rec.blobs[1].data = r->exec_buf + r->exec_file_sz;
		if (r->exec_exe_sz) /* the file the filename does not name */
			r->exec_rec.blobs[r->exec_rec.blob_cnt++] = (struct trace_blob){ r->exec_exe,
				r->exec_exe_sz, 2, TRACE_BLOB_F_INTERN };
		r->exec_held = true;
		return 1;
	}
	if (rec->type != TR_THREAD || rec->blob_cnt != 1)
		return 0;
	exec = rec->tid == r->exec_tid;
	r->exec_tid = 0;
	cg = containers__cgroup_path(r->ctrs, rec->ints[9]);
	if (cg)
		ci = containers__by_cgroup(r->ctrs, cg);
	if (ci) {
		int err = containers__emit(r->ctrs, ci, r->w, rec->ts);

		if (err)
			return err;
	}
	/* Names of this mount namespace's users: once its root is in place, again after a change. */
	int err = users__thread(r->users, r->w, rec->ts, (pid_t)rec->ints[1], rec->ints[12], exec);

	err = err ?: ifaces__write_ns(r->ifaces, r->w, rec->ts, (pid_t)rec->ints[1], rec->ints[14]);

	if (err)
		return err;
	if (exec && r->exec_exe_sz)
		rec->blobs[TR_THREAD_BLOB_EXE] = (struct trace_blob){ r->exec_exe, r->exec_exe_sz,
			TR_THREAD_BLOB_EXE, TRACE_BLOB_F_INTERN };
	else
		rec->blobs[TR_THREAD_BLOB_EXE] = (struct trace_blob){ exec ? (const void *)r->exec_buf : empty,
			exec ? r->exec_file_sz : 0, TR_THREAD_BLOB_EXE, TRACE_BLOB_F_INTERN };
	if (exec && r->exec_args_cut)
		rec->ints[TR_THREAD_FLAGS] |= TR_THREAD_F_ARGS_CUT;
	rec->blobs[2] = (struct trace_blob){ exec ? (const void *)(r->exec_buf + r->exec_file_sz) : empty,
		exec ? r->exec_args_sz : 0, 2, TRACE_BLOB_F_INTERN };
	rec->blobs[3] = (struct trace_blob){ empty, 0, 3, 0 }; /* cwd: not known to the driver */
	rec->blobs[4] = (struct trace_blob){ cg ? cg : empty, cg ? (uint32_t)strlen(cg) : 0, 4,
		TRACE_BLOB_F_INTERN };
	rec->blobs[5] = (struct trace_blob){ ci ? ci->id : empty, ci ? (uint32_t)strlen(ci->id) : 0,
		TR_THREAD_BLOB_CONTAINER_ID, TRACE_BLOB_F_INTERN };
	rec->blob_cnt = 6;
	return 0;
}

static bool _sock_call(const struct recorder *r, const struct trace_rec *rec)
{
	enum call_kind kind = _call_kind(r, rec);
	int64_t ret = (int64_t)rec->ints[1];

	return (kind == CALL_CONNECT && (ret >= 0 || ret == -115)) ||
	       (kind == CALL_ACCEPT_BIND && ret >= 0);
}

/* Keep a copy of @rec (its blobs too) to write after the next record. */
static bool _hold_sock_call(struct recorder *r, const struct trace_rec *rec)
{
	size_t off = 0;

	for (int i = 0; i < rec->blob_cnt; i++)
		off += rec->blobs[i].sz;
	if (off > sizeof(r->sock_buf))
		return false;
	r->sock_call = *rec;
	off = 0;
	for (int i = 0; i < rec->blob_cnt; i++) {
		memcpy(r->sock_buf + off, rec->blobs[i].data, rec->blobs[i].sz);
		r->sock_call.blobs[i].data = r->sock_buf + off;
		off += rec->blobs[i].sz;
	}
	r->sock_held = true;
	return true;
}

static int _flush_sock(struct recorder *r)
{
	r->sock_held = false;
	return _emit(r, &r->sock_call);
}

/* A record from the driver, after enrichment: CPU accounting and symbols, then the file. */
static int _write(struct recorder *r, struct trace_rec *rec)
{
	int err = 0;

	if (rec->type == TR_CPU)
		err = _cpu(r, rec);
	else if (rec->type == TR_PROC_EXIT)
		err = _cpu_at_exit(r, rec);
	else if (r->syms)
		err = _symbols(r, rec);
	if (err == 1)
		return 0;
	if (err)
		return err;
	/* The socket's addresses first, then the call they belong to. */
	if (r->sock_held) {
		bool addrs = rec->type == TR_FD && rec->int_cnt > 3 &&
			     (rec->ints[3] & TR_FD_F_ADDR_ONLY) && rec->tid == r->sock_call.tid;

		if (addrs) {
			err = _emit(r, rec);
			return err ?: _flush_sock(r);
		}
		/* Another CPU's records may fall between the call and its addresses (they are
		 * merged by time): those of other threads go first, for up to a millisecond. */
		if (rec->tid != r->sock_call.tid && !_sock_call(r, rec) &&
		    rec->ts < r->sock_call.ts + 1000000)
			return _emit(r, rec);
		err = _flush_sock(r);
		if (err)
			return err;
	}
	if (_sock_call(r, rec) && _hold_sock_call(r, rec))
		return 0;
	return _emit(r, rec);
}

static int _flush_exec(struct recorder *r)
{
	r->exec_held = false;
	return _write(r, &r->exec_rec);
}

int64_t recorder__drain(struct recorder *r, uint64_t until)
{
	int64_t n = 0;
	int err = 0;

	for (;;) {
		size_t best = r->ring_cnt;
		uint64_t best_ts = UINT64_MAX;

		for (size_t i = 0; i < r->ring_cnt; i++) {
			const struct sr_rb_hdr *h = _head(r, i);

			if (h && h->ts <= best_ts) {
				best = i;
				best_ts = h->ts;
			}
		}
		uint64_t pkt_ts;

		if (r->packets && packets__head(r->packets, &pkt_ts) && pkt_ts < best_ts &&
		    pkt_ts <= until) {
			packets__pop(r->packets, &r->pkt_rec);
			err = _write(r, &r->pkt_rec);
			if (err)
				break;
			n++;
			continue;
		}
		if (best == r->ring_cnt || best_ts > until)
			break;

		struct ring_head *h = &r->heads[best];
		int ret = convert_rb(h->rec, h->len, (uint16_t)best, &r->rec, r->name_buf);

		if (ret == 1) {
			bool after_exec = r->exec_held && r->rec.type == TR_THREAD &&
					  r->rec.tid == r->exec_rec.tid;

			err = _enrich(r, &r->rec);
			if (err == 1) { /* an EXEC, held */
				err = 0;
			} else {
				if (!err && r->exec_held && !after_exec)
					err = _flush_exec(r);
				err = err ?: _write(r, &r->rec);
				if (!err && after_exec)
					err = _flush_exec(r);
			}
		}
		else if (ret < 0 && !r->bad_cnt++)
			sr_warn("driver: malformed record of type %u on cpu %zu (reported once)",
				h->rec->type, best);
		ring__consume(&r->rings[best], h->len);
		h->rec = NULL;
		if (err)
			break;
		if (++n % PUBLISH_EVERY == 0)
			for (size_t i = 0; i < r->ring_cnt; i++)
				ring__publish(&r->rings[i]);
	}
	for (size_t i = 0; i < r->ring_cnt; i++)
		ring__publish(&r->rings[i]);
	if (!err && r->exec_held && until == UINT64_MAX)
		err = _flush_exec(r);
	if (!err && r->sock_held && until == UINT64_MAX)
		err = _flush_sock(r);
	return err ? err : n;
}

int recorder__note_drops(struct recorder *r, uint64_t ts)
{
	size_t cnt = r->ring_cnt * SR_DROP_KIND_CNT;
	int err = bpf_driver__drops(r->drv, r->drops, cnt);

	if (err)
		return err;
	for (size_t i = 0; i < cnt && !err; i++) {
		struct trace_rec rec = { .type = TR_DROPS, .ts = ts, .cpu = (uint16_t)(i / SR_DROP_KIND_CNT) };

		if (r->drops[i] == r->drops_prev[i])
			continue;
		r->drops_prev[i] = r->drops[i];
		rec.ints[TR_DROPS_CPU] = i / SR_DROP_KIND_CNT;
		rec.ints[TR_DROPS_KIND] = i % SR_DROP_KIND_CNT;
		rec.ints[TR_DROPS_COUNT] = r->drops[i];
		rec.int_cnt = 3;
		err = trace_writer__append(r->w, &rec);
	}
	return err;
}

uint64_t recorder__drops_total(struct recorder *r)
{
	uint64_t total = 0;

	for (size_t i = 0; i < r->ring_cnt * SR_DROP_KIND_CNT; i++)
		total += r->drops_prev[i];
	return total;
}

uint64_t recorder__bad_records(struct recorder *r)
{
	return r->bad_cnt;
}

bool recorder__rings_filling(struct recorder *r)
{
	for (size_t i = 0; i < r->ring_cnt; i++)
		if (ring__pending(&r->rings[i]) >= r->rings[i].data_sz / 4)
			return true;
	return false;
}
