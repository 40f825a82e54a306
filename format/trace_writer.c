// SPDX-License-Identifier: Apache-2.0
/*
 * The trace writer.  Two threads share one struct trace_writer:
 *
 *   the caller     encodes records into the open chunk's columns (chunk_enc), keeps the
 *                  summary (counts, drops, catalog) and hands full chunks to the queue;
 *   the writer     pops chunks, compresses them (zstd), checksums and writes them, records
 *                  their index entries, and returns the column buffers to the free list.
 *
 * Everything under `mu` is shared; the rest belongs to one side, as marked.  The index and
 * footer are written by trace_writer__close() after the writer thread has been joined.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#include "bytes.h"
#include "chunk_enc.h"
#include "crc32c.h"
#include "layout.h"
#include "sr_error.h"
#include "sr_log.h"
#include "trace_writer.h"

#define DEFAULT_CHUNK_SZ (1u << 20)
#define MAX_CHUNK_SZ (16u << 20)
#define DEFAULT_QUEUE_DEPTH 8
#define MAX_QUEUE_DEPTH 1024
#define CATALOG_MAX_SZ (8u << 20)
/* Seal a chunk whose worst-case size reaches this: one more record (at most
 * TRACE_BLOB_MAX_SZ of blobs plus its varints) still keeps it under TF_MAX_RAW_SZ. */
#define CHUNK_HARD_SZ (TF_MAX_RAW_SZ - TRACE_BLOB_MAX_SZ - (8u << 20))

struct chunk_entry {
	uint64_t offset;
	uint32_t stored_sz, raw_sz, rec_cnt, seq;
	uint64_t min_ts, max_ts, type_mask;
};

struct drop_entry {
	uint32_t cpu, kind;
	uint64_t count;
	uint64_t base; /* the count when this file began (a baseline record), 0 otherwise */
};

struct trace_writer {
	int fd;
	struct trace_writer_opts opts;
	trace_writer_observer_fn observer;
	void *observer_ctx;

	/* caller side */
	struct chunk_enc enc;
	struct chunk_cols *cur;
	uint32_t next_seq;
	uint64_t rec_cnt;
	uint64_t stall_ns;
	uint64_t counts[TR_TYPE_MAX];
	uint64_t other_cnt;
	struct drop_entry *drops;
	size_t drop_cnt, drop_cap;
	struct chunk_enc cat_enc;
	struct chunk_cols cat_cols;
	int cat_full;

	/* shared, under mu */
	pthread_mutex_t mu;
	pthread_cond_t cv_work; /* queue not empty, or stop */
	pthread_cond_t cv_free; /* a chunk buffer was returned */
	struct chunk_cols **queue; /* ring of queue_depth + 1: every buffer but the open one fits */
	uint32_t q_head, q_cnt;
	struct chunk_cols **free_list;
	uint32_t free_cnt, alloc_cnt;
	uint64_t queued, written; /* chunks handed over / finished by the writer thread */
	int stop;
	int err;             /* sticky; also mirrored in err_flag for a lock-free check */
	atomic_int err_flag;
	uint64_t st_chunk_cnt, st_raw_sz, st_stored_sz;

	/* writer thread side (and close, after join) */
	pthread_t thread;
	int thread_started;
	ZSTD_CCtx *cctx;
	struct sr_wbuf dir, out;
	uint64_t file_off;
	struct chunk_entry *index;
	size_t index_cnt, index_cap;
};

static uint64_t _now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int _write_all(int fd, const void *buf, size_t sz)
{
	const uint8_t *p = buf;

	while (sz) {
		ssize_t n = write(fd, p, sz);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		sz -= (size_t)n;
	}
	return 0;
}

/* Fill a block header in front of a payload whose checksum is @payload_crc. */
static void _block_header(uint8_t *h, uint16_t type, uint16_t flags, uint32_t stored_sz,
			  uint32_t raw_sz, uint32_t payload_crc)
{
	put_le32(h, TF_BLOCK_MAGIC);
	put_le16(h + 4, type);
	put_le16(h + 6, flags);
	put_le32(h + 8, stored_sz);
	put_le32(h + 12, raw_sz);
	put_le32(h + 16, payload_crc);
	put_le32(h + 20, crc32c(0, h, 20));
}

/* Write one block whose payload is already at out->buf + TF_BLOCK_HDR_SZ. */
static int _write_block(struct trace_writer *w, struct sr_wbuf *out, uint16_t type,
			uint16_t flags, uint32_t raw_sz)
{
	uint32_t stored_sz = (uint32_t)(out->len - TF_BLOCK_HDR_SZ);
	int err;

	_block_header(out->buf, type, flags, stored_sz, raw_sz,
		      crc32c(0, out->buf + TF_BLOCK_HDR_SZ, stored_sz));
	err = _write_all(w->fd, out->buf, out->len);
	if (!err)
		w->file_off += out->len;
	return err;
}

static size_t _zstd_check(size_t r, int *err)
{
	if (ZSTD_isError(r)) {
		sr_err("zstd: %s", ZSTD_getErrorName(r));
		*err = -EIO;
	}
	return r;
}

/* Writer thread: compress and write one chunk, and remember its index entry. */
static int _write_chunk(struct trace_writer *w, struct chunk_cols *c)
{
	const size_t pre = TF_BLOCK_HDR_SZ + TF_CHUNK_PROLOGUE_SZ;
	uint64_t raw_sz;
	ZSTD_outBuffer ob;
	int err;

	w->dir.len = 0;
	err = chunk_cols__directory(c, &w->dir);
	if (err)
		return err;
	raw_sz = w->dir.len;
	for (int s = 0; s < CHUNK_COL_SLOTS; s++)
		raw_sz += c->col[s].len;
	if (raw_sz > TF_MAX_RAW_SZ)
		return -SR_ERR_RECORD_SIZE;

	w->out.len = 0;
	err = sr_wbuf__reserve(&w->out, pre + ZSTD_compressBound(raw_sz));
	if (err)
		return err;
	ob = (ZSTD_outBuffer){ w->out.buf + pre, w->out.cap - pre, 0 };
	ZSTD_CCtx_reset(w->cctx, ZSTD_reset_session_only);
	_zstd_check(ZSTD_CCtx_setPledgedSrcSize(w->cctx, raw_sz), &err);
	for (int s = -1; s < CHUNK_COL_SLOTS && !err; s++) {
		const struct sr_wbuf *src = s < 0 ? &w->dir : &c->col[s];
		ZSTD_inBuffer ib = { src->buf, src->len, 0 };

		while (ib.pos < ib.size && !err)
			_zstd_check(ZSTD_compressStream2(w->cctx, &ob, &ib, ZSTD_e_continue), &err);
	}
	if (!err) {
		ZSTD_inBuffer none = { NULL, 0, 0 };

		while (!err && _zstd_check(ZSTD_compressStream2(w->cctx, &ob, &none, ZSTD_e_end), &err))
			;
	}
	if (err)
		return err;

	uint8_t *pro = w->out.buf + TF_BLOCK_HDR_SZ;

	put_le32(pro, c->rec_cnt);
	put_le32(pro + 4, c->seq);
	put_le64(pro + 8, c->rec_cnt ? c->min_ts : 0);
	put_le64(pro + 16, c->max_ts);
	put_le64(pro + 24, c->type_mask);
	w->out.len = pre + ob.pos;

	if (w->index_cnt == w->index_cap) {
		size_t cap = w->index_cap ? w->index_cap * 2 : 256;
		void *n = realloc(w->index, cap * sizeof(*w->index));

		if (!n)
			return -ENOMEM;
		w->index = n;
		w->index_cap = cap;
	}
	uint64_t offset = w->file_off;

	err = _write_block(w, &w->out, TF_BLOCK_CHUNK, TF_BLOCK_F_ZSTD, (uint32_t)raw_sz);
	if (err)
		return err;
	w->index[w->index_cnt++] = (struct chunk_entry){
		.offset = offset,
		.stored_sz = (uint32_t)(w->out.len - TF_BLOCK_HDR_SZ),
		.raw_sz = (uint32_t)raw_sz,
		.rec_cnt = c->rec_cnt,
		.seq = c->seq,
		.min_ts = c->rec_cnt ? c->min_ts : 0,
		.max_ts = c->max_ts,
		.type_mask = c->type_mask,
	};
	pthread_mutex_lock(&w->mu);
	w->st_chunk_cnt++;
	w->st_raw_sz += raw_sz;
	w->st_stored_sz = w->file_off;
	pthread_mutex_unlock(&w->mu);
	return 0;
}

static void *_writer_thread(void *arg)
{
	struct trace_writer *w = arg;
	int err = 0;

	for (;;) {
		struct chunk_cols *c;

		pthread_mutex_lock(&w->mu);
		while (!w->q_cnt && !w->stop)
			pthread_cond_wait(&w->cv_work, &w->mu);
		if (!w->q_cnt) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		c = w->queue[w->q_head];
		w->q_head = (w->q_head + 1) % (w->opts.queue_depth + 1);
		w->q_cnt--;
		pthread_mutex_unlock(&w->mu);

		if (!err)
			err = _write_chunk(w, c);

		pthread_mutex_lock(&w->mu);
		w->free_list[w->free_cnt++] = c;
		w->written++;
		if (err && !w->err) {
			w->err = err;
			atomic_store_explicit(&w->err_flag, err, memory_order_relaxed);
		}
		pthread_cond_broadcast(&w->cv_free);
		pthread_mutex_unlock(&w->mu);
	}
	return NULL;
}

/* Caller side: a buffer for the next chunk; waits when all are queued (and counts the stall). */
static int _take_cols(struct trace_writer *w, struct chunk_cols **out)
{
	uint64_t t0 = 0;
	int err = 0;

	pthread_mutex_lock(&w->mu);
	while (!w->free_cnt && w->alloc_cnt > w->opts.queue_depth && !w->err) {
		if (!t0)
			t0 = _now_ns();
		pthread_cond_wait(&w->cv_free, &w->mu);
	}
	if (w->err) {
		err = w->err;
	} else if (w->free_cnt) {
		*out = w->free_list[--w->free_cnt];
	} else {
		*out = calloc(1, sizeof(**out));
		if (*out)
			w->alloc_cnt++;
		else
			err = -ENOMEM;
	}
	pthread_mutex_unlock(&w->mu);
	if (t0)
		w->stall_ns += _now_ns() - t0;
	return err;
}

/* Caller side: make @err the sticky error (unless there is one). */
static void _stick(struct trace_writer *w, int err)
{
	pthread_mutex_lock(&w->mu);
	if (!w->err) {
		w->err = err;
		atomic_store_explicit(&w->err_flag, err, memory_order_relaxed);
	}
	pthread_mutex_unlock(&w->mu);
}

/* Caller side: queue the open chunk (if it has records) and open a new one. */
static int _seal(struct trace_writer *w)
{
	struct chunk_cols *c = w->cur;
	int err;

	if (c && !c->rec_cnt)
		return 0;
	if (c) {
		pthread_mutex_lock(&w->mu);
		w->queue[(w->q_head + w->q_cnt) % (w->opts.queue_depth + 1)] = c;
		w->q_cnt++;
		w->queued++;
		pthread_cond_signal(&w->cv_work);
		pthread_mutex_unlock(&w->mu);
		w->cur = NULL;
	}
	err = _take_cols(w, &w->cur);
	if (err) {
		/* No open chunk now (the encoder still points at the queued one): no record can
		 * be taken any more, so the error is sticky like the writer thread's. */
		_stick(w, err);
		return err;
	}
	chunk_enc__begin(&w->enc, w->cur, w->next_seq++);
	return 0;
}

static int _check_opts(const struct trace_writer_opts *in, struct trace_writer_opts *o)
{
	memset(o, 0, sizeof(*o));
	if (in) {
		if (in->sz < sizeof(size_t))
			return -EINVAL;
		/* Accept a smaller struct from an older caller; a larger one only if zero-filled. */
		for (size_t i = sizeof(*o); i < in->sz; i++)
			if (((const uint8_t *)in)[i])
				return -EINVAL;
		memcpy(o, in, in->sz < sizeof(*o) ? in->sz : sizeof(*o));
	}
	o->sz = sizeof(*o);
	if (!o->zstd_level)
		o->zstd_level = 1;
	if (!o->chunk_sz)
		o->chunk_sz = DEFAULT_CHUNK_SZ;
	if (!o->queue_depth)
		o->queue_depth = DEFAULT_QUEUE_DEPTH;
	if (o->chunk_sz > MAX_CHUNK_SZ || o->queue_depth > MAX_QUEUE_DEPTH || o->zstd_workers < 0 ||
	    o->zstd_level < ZSTD_minCLevel() || o->zstd_level > ZSTD_maxCLevel())
		return -EINVAL;
	return 0;
}

/* The preamble and the header block, in one write: a kill leaves a file with a whole header
 * or (most likely) none of it. */
static int _write_header(struct trace_writer *w, const struct trace_props *props)
{
	const size_t pre = TF_PREAMBLE_SZ + TF_BLOCK_HDR_SZ;
	struct sr_wbuf b = { 0 };
	uint32_t sz;
	int err;

	err = sr_wbuf__reserve(&b, pre);
	if (err)
		return err;
	memset(b.buf, 0, pre);
	memcpy(b.buf, TF_MAGIC, TF_MAGIC_SZ);
	put_le16(b.buf + 8, TF_VERSION_MAJOR);
	put_le16(b.buf + 10, TF_VERSION_MINOR);
	put_le32(b.buf + 12, crc32c(0, b.buf, 12));
	b.len = pre;
	err = trace_props__encode(props, &b);
	sz = (uint32_t)(b.len - pre);
	if (!err && b.len - pre > TF_MAX_HEADER_SZ)
		err = -E2BIG;
	if (!err) {
		_block_header(b.buf + TF_PREAMBLE_SZ, TF_BLOCK_HEADER, 0, sz, sz,
			      crc32c(0, b.buf + pre, sz));
		err = _write_all(w->fd, b.buf, b.len);
	}
	if (!err)
		w->file_off = b.len;
	sr_wbuf__release(&b);
	return err;
}

static void _free(struct trace_writer *w)
{
	if (w->cur)
		chunk_cols__release(w->cur);
	free(w->cur);
	for (uint32_t i = 0; i < w->free_cnt; i++) {
		chunk_cols__release(w->free_list[i]);
		free(w->free_list[i]);
	}
	free(w->free_list);
	free(w->queue);
	chunk_enc__release(&w->enc);
	chunk_enc__release(&w->cat_enc);
	chunk_cols__release(&w->cat_cols);
	free(w->drops);
	free(w->index);
	sr_wbuf__release(&w->dir);
	sr_wbuf__release(&w->out);
	ZSTD_freeCCtx(w->cctx);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv_work);
	pthread_cond_destroy(&w->cv_free);
	if (w->fd >= 0)
		close(w->fd);
	free(w);
}

int trace_writer__open_fd(int fd, const struct trace_props *props,
			  const struct trace_writer_opts *opts, struct trace_writer **out)
{
	struct trace_writer *w;
	int err;

	w = calloc(1, sizeof(*w));
	if (!w) {
		close(fd);
		return -ENOMEM;
	}
	w->fd = fd;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv_work, NULL);
	pthread_cond_init(&w->cv_free, NULL);
	err = _check_opts(opts, &w->opts);
	if (err)
		goto out_free;
	w->queue = calloc(w->opts.queue_depth + 1, sizeof(*w->queue));
	w->free_list = calloc(w->opts.queue_depth + 1, sizeof(*w->free_list));
	w->cctx = ZSTD_createCCtx();
	err = -ENOMEM;
	if (!w->queue || !w->free_list || !w->cctx)
		goto out_free;
	err = chunk_enc__init(&w->enc);
	if (err)
		goto out_free;
	err = chunk_enc__init(&w->cat_enc);
	if (err)
		goto out_free;
	chunk_enc__begin(&w->cat_enc, &w->cat_cols, 0);
	err = -EINVAL;
	if (ZSTD_isError(ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_compressionLevel, w->opts.zstd_level)))
		goto out_free;
	if (w->opts.zstd_workers &&
	    ZSTD_isError(ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_nbWorkers, w->opts.zstd_workers)))
		goto out_free;
	err = _write_header(w, props);
	if (err)
		goto out_free;
	err = _seal(w); /* opens the first chunk */
	if (err)
		goto out_free;
	err = -pthread_create(&w->thread, NULL, _writer_thread, w);
	if (err)
		goto out_free;
	w->thread_started = 1;
	*out = w;
	return 0;
out_free:
	_free(w);
	return err;
}

/* What a path that is neither a regular file, a directory nor a link is, for messages. */
static const char *_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "a special file";
}

/* The file @fd, opened at a path that lstat() gave @lst: overwrite it only if it is still
 * that plain file, ours, and not linked elsewhere. */
static int _take_existing(int fd, const struct stat *lst, struct sr_diag *diag)
{
	struct stat st;
	int err;

	if (fstat(fd, &st)) {
		err = -errno;
		return sr_diag__set(diag, err, -1, "%s", sr_strerror(err));
	}
	if (!S_ISREG(st.st_mode) || st.st_dev != lst->st_dev || st.st_ino != lst->st_ino)
		return sr_diag__set(diag, -EEXIST, -1, "it was replaced while being opened");
	if (st.st_uid != geteuid())
		return sr_diag__set(diag, -EPERM, -1,
				    "it belongs to uid %u (only our own files are overwritten)",
				    (unsigned int)st.st_uid);
	if (st.st_nlink != 1)
		return sr_diag__set(diag, -EMLINK, -1, "it has %lu hard links (not overwritten)",
				    (unsigned long)st.st_nlink);
	/* Traces hold secrets (buffers, environment): owner-only, even over an existing file. */
	if (ftruncate(fd, 0) || fchmod(fd, 0600) || fcntl(fd, F_SETFL, 0)) {
		err = -errno;
		return sr_diag__set(diag, err, -1, "%s", sr_strerror(err));
	}
	return 0;
}

/* @path exists: open it for overwriting if it is a plain file of ours, else say why not.
 * @return 0 and *@out, -ENOENT when it is gone meanwhile, or the refusal. */
static int _open_existing(const char *path, int *out, struct sr_diag *diag)
{
	static const char link_msg[] = "it is a symbolic link (output files never follow links)";
	struct stat lst;
	int fd, err;

	if (lstat(path, &lst)) {
		err = -errno;
		return sr_diag__set(diag, err, -1, "%s", sr_strerror(err));
	}
	if (S_ISLNK(lst.st_mode))
		return sr_diag__set(diag, -ELOOP, -1, link_msg);
	if (S_ISDIR(lst.st_mode))
		return sr_diag__set(diag, -EISDIR, -1, "it is a directory");
	if (!S_ISREG(lst.st_mode))
		return sr_diag__set(diag, -EEXIST, -1, "it is %s, not a regular file",
				    _kind(lst.st_mode));
	/* O_NONBLOCK and O_NOCTTY: if it was swapped for a FIFO or a tty since, opening must not
	 * hang or take a terminal; _take_existing() then refuses it. */
	fd = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		return sr_diag__set(diag, err, -1, "%s", err == -ELOOP ? link_msg : sr_strerror(err));
	}
	err = _take_existing(fd, &lst, diag);
	if (err) {
		close(fd);
		return err;
	}
	*out = fd;
	return 0;
}

int trace_writer__create_file(const char *path, int *out, struct sr_diag *diag)
{
	for (int tries = 0; tries < 8; tries++) {
		/* A new file is the common case; O_EXCL never follows a link nor opens what exists. */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		int err;

		if (fd >= 0) {
			*out = fd;
			return 0;
		}
		err = -errno;
		if (err != -EEXIST)
			return sr_diag__set(diag, err, -1, "%s", sr_strerror(err));
		err = _open_existing(path, out, diag);
		if (err != -ENOENT) /* ENOENT: removed between the two opens, create it again */
			return err;
	}
	return sr_diag__set(diag, -EEXIST, -1, "it keeps being replaced");
}

int trace_writer__create(const char *path, const struct trace_props *props,
			 const struct trace_writer_opts *opts, struct trace_writer **out,
			 struct sr_diag *diag)
{
	int fd, err;

	err = trace_writer__create_file(path, &fd, diag);
	if (err)
		return err;
	err = trace_writer__open_fd(fd, props, opts, out);
	if (err)
		sr_diag__set(diag, err, -1, "%s", sr_strerror(err));
	return err;
}

int trace_writer__open(const char *path, const struct trace_props *props,
		       const struct trace_writer_opts *opts, struct trace_writer **out)
{
	return trace_writer__create(path, props, opts, out, NULL);
}

static void _note_drops(struct trace_writer *w, const struct trace_rec *rec)
{
	uint32_t cpu = (uint32_t)rec->ints[TR_DROPS_CPU], kind = (uint32_t)rec->ints[TR_DROPS_KIND];

	bool base = rec->int_cnt > TR_DROPS_FLAGS && (rec->ints[TR_DROPS_FLAGS] & TR_DROPS_F_BASELINE);

	for (size_t i = 0; i < w->drop_cnt; i++) {
		if (w->drops[i].cpu == cpu && w->drops[i].kind == kind) {
			w->drops[i].count = rec->ints[TR_DROPS_COUNT];
			if (base)
				w->drops[i].base = rec->ints[TR_DROPS_COUNT];
			return;
		}
	}
	if (w->drop_cnt == w->drop_cap) {
		size_t cap = w->drop_cap ? w->drop_cap * 2 : 16;
		void *n = realloc(w->drops, cap * sizeof(*w->drops));

		if (!n)
			return; /* the summary loses one counter; the records still hold it */
		w->drops = n;
		w->drop_cap = cap;
	}
	w->drops[w->drop_cnt++] = (struct drop_entry){ cpu, kind, rec->ints[TR_DROPS_COUNT],
						       base ? rec->ints[TR_DROPS_COUNT] : 0 };
}

/* Summary bookkeeping that the index carries; cheap for the common event types. */
static void _note_summary(struct trace_writer *w, const struct trace_rec *rec)
{
	if (rec->type < TR_TYPE_MAX)
		w->counts[rec->type]++;
	else
		w->other_cnt++;
	if (rec->type < TR_THREAD)
		return;
	if (rec->type == TR_DROPS && rec->int_cnt > TR_DROPS_COUNT)
		_note_drops(w, rec);
	if (w->cat_full)
		return;
	if ((rec->type == TR_THREAD && rec->int_cnt > TR_THREAD_PID &&
	     rec->ints[TR_THREAD_PID] == rec->ints[TR_THREAD_TID]) ||
	    rec->type == TR_CONTAINER) {
		chunk_enc__add(&w->cat_enc, rec);
		if (w->cat_cols.raw_max > CATALOG_MAX_SZ) {
			w->cat_full = 1;
			sr_warn("trace writer: catalog is full; `sysrec info` lists the first %u entries",
				w->cat_cols.rec_cnt);
		}
	}
}

int trace_writer__append(struct trace_writer *w, const struct trace_rec *rec)
{
	uint64_t blob_sz = 0;
	int err;

	err = atomic_load_explicit(&w->err_flag, memory_order_relaxed);
	if (err)
		return err;
	if (rec->int_cnt > TRACE_REC_MAX_INTS || rec->blob_cnt > TRACE_REC_MAX_BLOBS)
		return -EINVAL;
	for (int i = 0; i < rec->blob_cnt; i++) /* u32 sizes: the sum cannot overflow */
		blob_sz += rec->blobs[i].sz;
	if (blob_sz > TRACE_BLOB_MAX_SZ)
		return -SR_ERR_RECORD_SIZE;

	chunk_enc__add(&w->enc, rec);
	w->rec_cnt++;
	_note_summary(w, rec);
	if (w->observer)
		w->observer(rec, w->observer_ctx);
	if (w->cur->raw_sz >= w->opts.chunk_sz || w->cur->raw_max >= CHUNK_HARD_SZ)
		return _seal(w);
	return 0;
}

void trace_writer__set_observer(struct trace_writer *w, trace_writer_observer_fn fn, void *ctx)
{
	w->observer = fn;
	w->observer_ctx = ctx;
}

void trace_writer__get_observer(const struct trace_writer *w, trace_writer_observer_fn *fn,
				void **ctx)
{
	*fn = w->observer;
	*ctx = w->observer_ctx;
}

int trace_writer__flush(struct trace_writer *w, int wait)
{
	/* _seal() has nothing to do for an empty chunk: check the sticky error first. */
	int err = atomic_load_explicit(&w->err_flag, memory_order_relaxed);

	if (!err)
		err = _seal(w);
	if (err || !wait)
		return err;
	pthread_mutex_lock(&w->mu);
	while (w->written < w->queued && !w->err)
		pthread_cond_wait(&w->cv_free, &w->mu);
	err = w->err;
	pthread_mutex_unlock(&w->mu);
	return err;
}

static void _section(struct sr_wbuf *b, uint32_t id, const struct sr_wbuf *body)
{
	sr_wbuf__le32(b, id);
	sr_wbuf__le32(b, (uint32_t)body->len);
	sr_wbuf__bytes(b, body->buf, body->len);
}

static int _build_index(struct trace_writer *w, struct sr_wbuf *idx)
{
	struct sr_wbuf s = { 0 };
	uint64_t rec_cnt = 0, min_ts = UINT64_MAX, max_ts = 0, raw = 0, stored = 0;
	int err;

	for (size_t i = 0; i < w->index_cnt; i++) {
		const struct chunk_entry *e = &w->index[i];

		sr_wbuf__le64(&s, e->offset);
		sr_wbuf__le32(&s, e->stored_sz);
		sr_wbuf__le32(&s, e->raw_sz);
		sr_wbuf__le32(&s, e->rec_cnt);
		sr_wbuf__le32(&s, e->seq);
		sr_wbuf__le64(&s, e->min_ts);
		sr_wbuf__le64(&s, e->max_ts);
		sr_wbuf__le64(&s, e->type_mask);
		rec_cnt += e->rec_cnt;
		raw += e->raw_sz;
		stored += e->stored_sz + TF_BLOCK_HDR_SZ;
		if (e->rec_cnt && e->min_ts < min_ts)
			min_ts = e->min_ts;
		if (e->rec_cnt && e->max_ts > max_ts)
			max_ts = e->max_ts;
	}
	_section(idx, TF_IDX_CHUNKS, &s);

	s.len = 0;
	sr_wbuf__le64(&s, rec_cnt);
	sr_wbuf__le64(&s, rec_cnt ? min_ts : 0);
	sr_wbuf__le64(&s, max_ts);
	sr_wbuf__le64(&s, raw);
	sr_wbuf__le64(&s, stored);
	_section(idx, TF_IDX_TOTALS, &s);

	s.len = 0;
	for (uint32_t t = 0; t < TR_TYPE_MAX; t++) {
		if (!w->counts[t])
			continue;
		sr_wbuf__le32(&s, t);
		sr_wbuf__le64(&s, w->counts[t]);
	}
	if (w->other_cnt) { /* types >= TR_TYPE_MAX are summed under TR_TYPE_MAX */
		sr_wbuf__le32(&s, TR_TYPE_MAX);
		sr_wbuf__le64(&s, w->other_cnt);
	}
	_section(idx, TF_IDX_COUNTS, &s);

	s.len = 0;
	for (size_t i = 0; i < w->drop_cnt; i++) {
		sr_wbuf__le32(&s, w->drops[i].cpu);
		sr_wbuf__le32(&s, w->drops[i].kind);
		/* Lost while this file was written: a rotated file counts from its baseline. */
		sr_wbuf__le64(&s, w->drops[i].count - w->drops[i].base);
	}
	_section(idx, TF_IDX_DROPS, &s);

	s.len = 0;
	sr_wbuf__le32(&s, w->cat_cols.rec_cnt);
	err = chunk_cols__flatten(&w->cat_cols, &s);
	if (!err)
		_section(idx, TF_IDX_CATALOG, &s);
	sr_wbuf__release(&s);
	if (err)
		return err;
	return idx->oom || s.oom ? -ENOMEM : 0;
}

/* After the writer thread is joined: index block, then footer block. */
static int _write_index(struct trace_writer *w)
{
	struct sr_wbuf idx = { 0 };
	uint64_t idx_off = w->file_off;
	size_t bound;
	int err;

	err = _build_index(w, &idx);
	if (err)
		goto out;
	if (idx.len > TF_MAX_RAW_SZ) {
		/* Only a capture of about a million chunks gets here; its chunks stay readable. */
		sr_warn("trace writer: index of %zu bytes exceeds the format's limit; writing none (use rotation for captures this long)",
			idx.len);
		err = 0;
		goto out;
	}
	bound = ZSTD_compressBound(idx.len);
	w->out.len = 0;
	err = sr_wbuf__reserve(&w->out, TF_BLOCK_HDR_SZ + bound);
	if (err)
		goto out;
	size_t zsz = ZSTD_compress(w->out.buf + TF_BLOCK_HDR_SZ, bound, idx.buf, idx.len,
				   w->opts.zstd_level);
	if (ZSTD_isError(zsz)) {
		sr_err("zstd: %s", ZSTD_getErrorName(zsz));
		err = -EIO;
		goto out;
	}
	w->out.len = TF_BLOCK_HDR_SZ + zsz;
	err = _write_block(w, &w->out, TF_BLOCK_INDEX, TF_BLOCK_F_ZSTD, (uint32_t)idx.len);
	if (err)
		goto out;

	w->out.len = TF_BLOCK_HDR_SZ;
	sr_wbuf__le64(&w->out, idx_off);
	sr_wbuf__bytes(&w->out, TF_FOOTER_MAGIC, 8);
	err = _write_block(w, &w->out, TF_BLOCK_FOOTER, 0, TF_FOOTER_PAYLOAD_SZ);
out:
	sr_wbuf__release(&idx);
	return err;
}

int trace_writer__close(struct trace_writer *w)
{
	int err;

	if (!w)
		return 0;
	err = w->err_flag;
	if (!err)
		err = _seal(w);
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->cv_work);
	pthread_mutex_unlock(&w->mu);
	if (w->thread_started)
		pthread_join(w->thread, NULL);
	if (!err)
		err = w->err;
	if (!err)
		err = _write_index(w);
	if (close(w->fd) && !err)
		err = -errno;
	w->fd = -1;
	_free(w);
	return err;
}

int trace_writer__rotate(struct trace_writer *w, int fd, const struct trace_props *props)
{
	int err = trace_writer__flush(w, 1), cerr;

	/* The writer thread is idle now (nothing queued): its side may be used from here. */
	if (!err)
		err = _write_index(w);
	cerr = close(w->fd) ? -errno : 0;
	w->fd = fd;
	err = err ?: cerr;
	if (!err) {
		w->index_cnt = 0;
		memset(w->counts, 0, sizeof(w->counts));
		w->other_cnt = 0;
		w->drop_cnt = 0;
		chunk_enc__begin(&w->cat_enc, &w->cat_cols, 0);
		w->cat_full = 0;
		chunk_enc__begin(&w->enc, w->cur, 0); /* the open chunk is empty after the flush */
		w->next_seq = 1;
		err = _write_header(w, props);
		pthread_mutex_lock(&w->mu);
		w->st_stored_sz = w->file_off;
		pthread_mutex_unlock(&w->mu);
	}
	if (err)
		_stick(w, err);
	return err;
}

void trace_writer__stats(struct trace_writer *w, struct trace_writer_stats *st)
{
	pthread_mutex_lock(&w->mu);
	st->chunk_cnt = w->st_chunk_cnt;
	st->raw_sz = w->st_raw_sz;
	st->stored_sz = w->st_stored_sz;
	pthread_mutex_unlock(&w->mu);
	st->rec_cnt = w->rec_cnt;
	st->stall_ns = w->stall_ns;
}
