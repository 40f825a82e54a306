// SPDX-License-Identifier: Apache-2.0
/*
 * The trace reader.  A struct rd_stream walks blocks from one offset onward; the reader has one
 * for next() and makes a temporary one to build a summary without moving next().  Blocks are
 * checked in this order before anything is allocated or decompressed: header bytes present,
 * magic, header CRC, sizes within limits and within the file, then the payload CRC.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zstd.h>

#include "bytes.h"
#include "chunk_dec.h"
#include "crc32c.h"
#include "layout.h"
#include "sr_log.h"
#include "trace_reader.h"

struct rd_block {
	uint64_t off;
	uint16_t type, flags;
	uint32_t stored_sz, raw_sz, payload_crc;
};

struct rd_stream {
	uint64_t pos; /* next block */
	struct sr_wbuf stored;
	uint8_t *raw;
	size_t raw_cap;
	struct chunk_dec dec;
	int in_chunk;
	int done; /* 1: clean end; <0: sticky error */
	struct trace_chunk_info chunk;
	struct sr_diag diag;
};

struct trace_reader {
	struct trace_source *src;
	uint64_t file_sz;
	unsigned int major, minor;
	struct trace_props *props;
	uint64_t data_off;  /* first block after the header block */
	int index_state;    /* 0: not looked for yet, 1: present, -1: absent */
	uint64_t index_off; /* valid when index_state == 1 */
	ZSTD_DCtx *dctx;
	struct rd_stream main;
	trace_chunk_filter_fn filter;
	void *filter_ctx;
	struct trace_summary *summary;
	uint8_t *summary_raw; /* decompressed index the summary points into */
	struct trace_chunk_info *summary_chunks;
};

static int _read_exact(struct trace_reader *r, void *buf, size_t sz, uint64_t off,
		       struct sr_diag *diag)
{
	ssize_t n = r->src->pread(r->src, buf, sz, off);

	if (n < 0)
		return sr_diag__set(diag, (int)n, (long long)off, "cannot read %zu bytes at offset %llu: %s",
				    sz, (unsigned long long)off, sr_strerror((int)n));
	if ((size_t)n != sz)
		return sr_diag__set(diag, -SR_ERR_TRUNCATED, (long long)off,
				    "trace is truncated at offset %llu: %zu bytes expected, %zd present",
				    (unsigned long long)off, sz, n);
	return 0;
}

/* True when every byte from @off to the end is zero: what a file system leaves when a crash
 * comes after the file grew but before its data was written. */
static bool _zeros_to_end(struct trace_reader *r, uint64_t off)
{
	uint8_t buf[4096];

	while (off < r->file_sz) {
		size_t n = r->file_sz - off < sizeof(buf) ? (size_t)(r->file_sz - off) : sizeof(buf);

		if (_read_exact(r, buf, n, off, NULL))
			return false;
		for (size_t i = 0; i < n; i++)
			if (buf[i])
				return false;
		off += n;
	}
	return true;
}

/* Read and check the block header at @off.  @return 0, 1 when @off is the end of the file,
 * or an error with @diag filled. */
static int _block_at(struct trace_reader *r, uint64_t off, struct rd_block *b, struct sr_diag *diag)
{
	uint8_t h[TF_BLOCK_HDR_SZ];
	int err;

	if (off == r->file_sz)
		return 1;
	if (r->file_sz - off < TF_BLOCK_HDR_SZ)
		return sr_diag__set(diag, -SR_ERR_TRUNCATED, (long long)off,
				    "trace is truncated at offset %llu: the file ends inside a block header (%llu of %d bytes)",
				    (unsigned long long)off, (unsigned long long)(r->file_sz - off),
				    TF_BLOCK_HDR_SZ);
	err = _read_exact(r, h, sizeof(h), off, diag);
	if (err)
		return err;
	if (get_le32(h) != TF_BLOCK_MAGIC) {
		if (_zeros_to_end(r, off))
			return sr_diag__set(diag, -SR_ERR_TRUNCATED, (long long)off,
					    "trace is truncated at offset %llu: the rest of the file is zeros (a crash before the data reached the disk)",
					    (unsigned long long)off);
		return sr_diag__set(diag, -EBADMSG, (long long)off,
				    "no block at offset %llu (bad block magic)", (unsigned long long)off);
	}
	if (get_le32(h + 20) != crc32c(0, h, 20))
		return sr_diag__set(diag, -SR_ERR_CHECKSUM, (long long)off,
				    "block header at offset %llu: checksum mismatch", (unsigned long long)off);
	b->off = off;
	b->type = get_le16(h + 4);
	b->flags = get_le16(h + 6);
	b->stored_sz = get_le32(h + 8);
	b->raw_sz = get_le32(h + 12);
	b->payload_crc = get_le32(h + 16);
	if (b->stored_sz > TF_MAX_STORED_SZ)
		return sr_diag__set(diag, -EBADMSG, (long long)off,
				    "block at offset %llu: size %u exceeds the format's limit",
				    (unsigned long long)off, b->stored_sz);
	if (b->stored_sz > r->file_sz - off - TF_BLOCK_HDR_SZ)
		return sr_diag__set(diag, -SR_ERR_TRUNCATED, (long long)off,
				    "trace is truncated at offset %llu: the block there needs %u bytes, the file ends after %llu",
				    (unsigned long long)off, TF_BLOCK_HDR_SZ + b->stored_sz,
				    (unsigned long long)(r->file_sz - off));
	return 0;
}

/* A payload that fails its checksum, ends in zeros, and is followed only by zeros is the tail of
 * a file cut by a crash, not corruption. */
static bool _ends_in_zeros(struct trace_reader *r, const struct rd_block *b, const struct sr_wbuf *buf)
{
	const size_t tail = 16;

	if (buf->len < tail)
		return false;
	for (size_t i = buf->len - tail; i < buf->len; i++)
		if (buf->buf[i])
			return false;
	return _zeros_to_end(r, b->off + TF_BLOCK_HDR_SZ + b->stored_sz);
}

/* Read a block's payload into @buf and verify its checksum. */
static int _block_payload(struct trace_reader *r, const struct rd_block *b, struct sr_wbuf *buf,
			  struct sr_diag *diag)
{
	uint32_t crc;
	int err;

	buf->len = 0;
	err = sr_wbuf__reserve(buf, b->stored_sz);
	if (err)
		return err;
	err = _read_exact(r, buf->buf, b->stored_sz, b->off + TF_BLOCK_HDR_SZ, diag);
	if (err)
		return err;
	buf->len = b->stored_sz;
	crc = crc32c(0, buf->buf, b->stored_sz);
	if (crc != b->payload_crc && _ends_in_zeros(r, b, buf))
		return sr_diag__set(diag, -SR_ERR_TRUNCATED, (long long)b->off,
				    "trace is truncated at offset %llu: the block there ends in zeros (a crash before its data reached the disk)",
				    (unsigned long long)b->off);
	if (crc != b->payload_crc)
		return sr_diag__set(diag, -SR_ERR_CHECKSUM, (long long)b->off,
				    "block at offset %llu: checksum mismatch (stored 0x%08x, computed 0x%08x)",
				    (unsigned long long)b->off, b->payload_crc, crc);
	return 0;
}

/* Decompress @src into @raw (grown as needed) expecting exactly @raw_sz bytes. */
static int _decompress(struct trace_reader *r, const struct rd_block *b, const void *src,
		       size_t src_sz, uint8_t **raw, size_t *raw_cap, struct sr_diag *diag)
{
	size_t n;

	if (b->raw_sz > TF_MAX_RAW_SZ)
		return sr_diag__set(diag, -EBADMSG, (long long)b->off,
				    "block at offset %llu: decompressed size %u exceeds the format's limit",
				    (unsigned long long)b->off, b->raw_sz);
	if (*raw_cap < b->raw_sz || !*raw) {
		/* CHUNK_DEC_PAD zero bytes after the data, for the column decoder */
		uint8_t *p = realloc(*raw, (size_t)b->raw_sz + CHUNK_DEC_PAD);

		if (!p)
			return -ENOMEM;
		*raw = p;
		*raw_cap = b->raw_sz;
	}
	memset(*raw + b->raw_sz, 0, CHUNK_DEC_PAD);
	n = ZSTD_decompressDCtx(r->dctx, *raw, b->raw_sz, src, src_sz);
	if (ZSTD_isError(n))
		return sr_diag__set(diag, -EBADMSG, (long long)b->off,
				    "block at offset %llu: cannot decompress: %s",
				    (unsigned long long)b->off, ZSTD_getErrorName(n));
	if (n != b->raw_sz)
		return sr_diag__set(diag, -EBADMSG, (long long)b->off,
				    "block at offset %llu: decompressed to %zu bytes, header says %u",
				    (unsigned long long)b->off, n, b->raw_sz);
	return 0;
}

static int _chunk_prologue(const struct rd_block *b, const uint8_t *p, struct trace_chunk_info *ci,
			   struct sr_diag *diag)
{
	if (b->stored_sz < TF_CHUNK_PROLOGUE_SZ || !(b->flags & TF_BLOCK_F_ZSTD))
		return sr_diag__set(diag, -EBADMSG, (long long)b->off,
				    "chunk at offset %llu: malformed prologue", (unsigned long long)b->off);
	ci->offset = b->off;
	ci->stored_sz = b->stored_sz;
	ci->raw_sz = b->raw_sz;
	ci->rec_cnt = get_le32(p);
	ci->seq = get_le32(p + 4);
	ci->min_ts = get_le64(p + 8);
	ci->max_ts = get_le64(p + 16);
	ci->type_mask = get_le64(p + 24);
	/* Every record takes at least 5 bytes (type, ts, cpu, tid, shape). */
	if (ci->rec_cnt > b->raw_sz / 5)
		return sr_diag__set(diag, -EBADMSG, (long long)b->off,
				    "chunk at offset %llu: %u records cannot fit in %u bytes",
				    (unsigned long long)b->off, ci->rec_cnt, b->raw_sz);
	return 0;
}

/* Where sequential reading stops: the index block when there is one. */
static uint64_t _data_end(struct trace_reader *r)
{
	return r->index_state == 1 ? r->index_off : r->file_sz;
}

/* Move @st to the next chunk worth decoding.  @return 1 when one is open, 0 at the end, or an
 * error (sticky in st->done and st->diag). */
static int _stream_open_chunk(struct trace_reader *r, struct rd_stream *st, bool use_filter)
{
	struct rd_block b;
	int err;

	for (;;) {
		if (st->pos >= _data_end(r) && r->index_state == 1)
			return 0;
		err = _block_at(r, st->pos, &b, &st->diag);
		if (err == 1)
			return 0;
		if (err)
			return err;
		if (b.type == TF_BLOCK_INDEX || b.type == TF_BLOCK_FOOTER)
			return 0;
		if (b.type != TF_BLOCK_CHUNK) {
			sr_debug("trace '%s': skipping block of unknown type %u at offset %llu",
				 r->src->name, b.type, (unsigned long long)b.off);
			st->pos = b.off + TF_BLOCK_HDR_SZ + b.stored_sz;
			continue;
		}
		/* The payload is read and its checksum verified before the prologue is believed,
		 * also by the chunk filter; what skipping saves is zstd and decoding. */
		err = _block_payload(r, &b, &st->stored, &st->diag);
		if (!err)
			err = _chunk_prologue(&b, st->stored.buf, &st->chunk, &st->diag);
		if (err)
			return err;
		st->pos = b.off + TF_BLOCK_HDR_SZ + b.stored_sz;
		if (use_filter && r->filter && !r->filter(&st->chunk, r->filter_ctx))
			continue;
		err = _decompress(r, &b, st->stored.buf + TF_CHUNK_PROLOGUE_SZ,
					  b.stored_sz - TF_CHUNK_PROLOGUE_SZ, &st->raw, &st->raw_cap,
					  &st->diag);
		if (!err)
			err = chunk_dec__begin(&st->dec, st->raw, b.raw_sz, st->chunk.rec_cnt,
					       (long long)b.off, &st->diag);
		if (err)
			return err;
		st->in_chunk = 1;
		return 1;
	}
}

static int _stream_next(struct trace_reader *r, struct rd_stream *st, struct trace_rec *rec,
			bool use_filter)
{
	int ret;

	if (st->done)
		return st->done < 0 ? st->done : 0;
	for (;;) {
		if (!st->in_chunk) {
			ret = _stream_open_chunk(r, st, use_filter);
			if (ret <= 0)
				break;
		}
		ret = chunk_dec__next(&st->dec, rec, &st->diag);
		if (ret)
			break;
		st->in_chunk = 0;
	}
	if (ret < 0) {
		if (!st->diag.err)
			sr_diag__set(&st->diag, ret, (long long)st->pos, "%s", sr_strerror(ret));
		st->done = ret;
	} else if (ret == 0) {
		st->done = 1;
	}
	return ret;
}

static void _stream_init(struct rd_stream *st, uint64_t pos)
{
	memset(st, 0, sizeof(*st));
	chunk_dec__init(&st->dec);
	st->pos = pos;
	st->diag.pos = -1;
}

static void _stream_release(struct rd_stream *st)
{
	chunk_dec__release(&st->dec);
	sr_wbuf__release(&st->stored);
	free(st->raw);
}

/* Look for a valid footer at the end; its absence is normal (a capture that did not finish). */
static void _find_index(struct trace_reader *r)
{
	uint8_t f[TF_FOOTER_SZ];
	uint64_t off;

	r->index_state = -1;
	if (r->file_sz < r->data_off + TF_FOOTER_SZ)
		return;
	off = r->file_sz - TF_FOOTER_SZ;
	if (_read_exact(r, f, sizeof(f), off, NULL))
		return;
	if (get_le32(f) != TF_BLOCK_MAGIC || get_le32(f + 20) != crc32c(0, f, 20) ||
	    get_le16(f + 4) != TF_BLOCK_FOOTER || get_le32(f + 8) != TF_FOOTER_PAYLOAD_SZ ||
	    get_le32(f + 16) != crc32c(0, f + TF_BLOCK_HDR_SZ, TF_FOOTER_PAYLOAD_SZ) ||
	    memcmp(f + TF_BLOCK_HDR_SZ + 8, TF_FOOTER_MAGIC, 8))
		return;
	r->index_off = get_le64(f + TF_BLOCK_HDR_SZ);
	if (r->index_off < r->data_off || r->index_off > off - TF_BLOCK_HDR_SZ) {
		sr_warn("trace '%s': footer points outside the file; ignoring the index", r->src->name);
		return;
	}
	r->index_state = 1;
}

static int _open_header(struct trace_reader *r, struct sr_diag *diag)
{
	uint8_t pre[TF_PREAMBLE_SZ];
	struct sr_wbuf payload = { 0 };
	struct rd_block b;
	int err;

	size_t have = r->file_sz < TF_PREAMBLE_SZ ? (size_t)r->file_sz : TF_PREAMBLE_SZ;

	if (!r->file_sz)
		return sr_diag__set(diag, -SR_ERR_MAGIC, 0, "empty file, not a sysrec trace");
	err = _read_exact(r, pre, have, 0, diag);
	if (err)
		return err;
	/* The magic first: a short text file is "not a trace", a short prefix of one "truncated". */
	if (memcmp(pre, TF_MAGIC, have < TF_MAGIC_SZ ? have : TF_MAGIC_SZ))
		return sr_diag__set(diag, -SR_ERR_MAGIC, 0, "not a sysrec trace (bad magic)");
	if (have < TF_PREAMBLE_SZ)
		return sr_diag__set(diag, -SR_ERR_TRUNCATED, (long long)have,
				    "trace is truncated at offset %zu: the preamble needs %d bytes", have,
				    TF_PREAMBLE_SZ);
	if (get_le32(pre + 12) != crc32c(0, pre, 12))
		return sr_diag__set(diag, -SR_ERR_CHECKSUM, 12, "file preamble: checksum mismatch");
	r->major = get_le16(pre + 8);
	r->minor = get_le16(pre + 10);
	if (r->major != TF_VERSION_MAJOR)
		return sr_diag__set(diag, -SR_ERR_VERSION, 8,
				    "trace format %u.%u is not supported by this reader (%d.%d)",
				    r->major, r->minor, TF_VERSION_MAJOR, TF_VERSION_MINOR);
	err = _block_at(r, TF_PREAMBLE_SZ, &b, diag);
	if (err == 1)
		return sr_diag__set(diag, -SR_ERR_TRUNCATED, TF_PREAMBLE_SZ,
				    "trace is truncated at offset %d: no header block", TF_PREAMBLE_SZ);
	if (err)
		return err;
	if (b.type != TF_BLOCK_HEADER || b.stored_sz > TF_MAX_HEADER_SZ || b.flags)
		return sr_diag__set(diag, -EBADMSG, TF_PREAMBLE_SZ,
				    "block at offset %d is not a valid header block", TF_PREAMBLE_SZ);
	err = _block_payload(r, &b, &payload, diag);
	if (!err)
		err = trace_props__decode(payload.buf, payload.len, TF_PREAMBLE_SZ + TF_BLOCK_HDR_SZ,
					  &r->props, diag);
	sr_wbuf__release(&payload);
	r->data_off = TF_PREAMBLE_SZ + TF_BLOCK_HDR_SZ + b.stored_sz;
	return err;
}

int trace_reader__open_source(struct trace_source *src, struct trace_reader **out,
			      struct sr_diag *diag)
{
	struct trace_reader *r;
	int64_t sz;
	int err;

	r = calloc(1, sizeof(*r));
	if (!r) {
		trace_source__close(src);
		return -ENOMEM;
	}
	r->src = src;
	sz = src->size(src);
	if (sz < 0) {
		err = sr_diag__set(diag, (int)sz, -1, "cannot get the size of '%s': %s", src->name,
				   sr_strerror((int)sz));
		goto out_close;
	}
	r->file_sz = (uint64_t)sz;
	r->dctx = ZSTD_createDCtx();
	if (!r->dctx) {
		err = -ENOMEM;
		goto out_close;
	}
	err = _open_header(r, diag);
	if (err)
		goto out_close;
	_find_index(r);
	_stream_init(&r->main, r->data_off);
	*out = r;
	return 0;
out_close:
	trace_reader__close(r);
	return err;
}

/* What @path is, for the message about a path that is not a regular file. */
static const char *_kind(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return "cannot be read";
	if (S_ISDIR(st.st_mode))
		return "directory";
	if (S_ISFIFO(st.st_mode))
		return "FIFO or pipe";
	if (S_ISCHR(st.st_mode))
		return "character device";
	if (S_ISBLK(st.st_mode))
		return "block device";
	if (S_ISSOCK(st.st_mode))
		return "socket";
	return "special file";
}

int trace_reader__open(const char *path, struct trace_reader **out, struct sr_diag *diag)
{
	struct trace_source *src;
	int err = trace_source__open_file(path, &src);

	if (err == -EISDIR || err == -ESPIPE)
		return sr_diag__set(diag, err, -1, "not a regular file (%s)", _kind(path));
	if (err)
		return sr_diag__set(diag, err, -1, "%s", sr_strerror(err));
	return trace_reader__open_source(src, out, diag);
}

static void _free_summary(struct trace_reader *r)
{
	if (r->summary)
		free(r->summary->drops);
	free(r->summary);
	free(r->summary_raw);
	free(r->summary_chunks);
	r->summary = NULL;
	r->summary_raw = NULL;
	r->summary_chunks = NULL;
}

void trace_reader__close(struct trace_reader *r)
{
	if (!r)
		return;
	_stream_release(&r->main);
	_free_summary(r);
	trace_props__free(r->props);
	ZSTD_freeDCtx(r->dctx);
	trace_source__close(r->src);
	free(r);
}

const struct trace_props *trace_reader__props(const struct trace_reader *r)
{
	return r->props;
}

void trace_reader__version(const struct trace_reader *r, unsigned int *major, unsigned int *minor)
{
	*major = r->major;
	*minor = r->minor;
}

int trace_reader__next(struct trace_reader *r, struct trace_rec *rec)
{
	return _stream_next(r, &r->main, rec, true);
}

const struct sr_diag *trace_reader__diag(const struct trace_reader *r)
{
	return &r->main.diag;
}

bool trace_reader__has_index(struct trace_reader *r)
{
	return r->index_state == 1;
}

void trace_reader__set_chunk_filter(struct trace_reader *r, trace_chunk_filter_fn fn, void *ctx)
{
	r->filter = fn;
	r->filter_ctx = ctx;
}

const struct trace_chunk_info *trace_reader__chunk(const struct trace_reader *r)
{
	return &r->main.chunk;
}

static void _reposition(struct trace_reader *r, uint64_t pos)
{
	r->main.pos = pos;
	r->main.in_chunk = 0;
	r->main.done = 0;
	memset(&r->main.diag, 0, sizeof(r->main.diag));
	r->main.diag.pos = -1;
}

int trace_reader__rewind(struct trace_reader *r)
{
	_reposition(r, r->data_off);
	return 0;
}

/* ---- summary ---- */

static void _drop_note(struct trace_summary *s, size_t *cap, uint32_t cpu, uint32_t kind,
		       uint64_t count)
{
	for (size_t i = 0; i < s->drop_cnt; i++) {
		if (s->drops[i].cpu == cpu && s->drops[i].kind == kind) {
			s->drops[i].count = count;
			return;
		}
	}
	if (s->drop_cnt == *cap) {
		size_t n = *cap ? *cap * 2 : 16;
		void *p = realloc(s->drops, n * sizeof(*s->drops));

		if (!p)
			return;
		s->drops = p;
		*cap = n;
	}
	s->drops[s->drop_cnt++] = (struct trace_drop_count){ cpu, kind, count };
}

static void _count(struct trace_summary *s, unsigned int type, uint64_t n)
{
	if (type < TR_TYPE_MAX)
		s->counts[type] += n;
	else
		s->other_cnt += n;
}

/* Parse the index sections into @s; @raw stays alive as long as the summary. */
static int _parse_index(struct trace_reader *r, const uint8_t *raw, size_t sz, uint64_t off,
			struct trace_summary *s, struct sr_diag *diag)
{
	struct sr_rcur c;
	size_t drop_cap = 0;
	uint32_t seen = 0; /* sections met so far, by id */

	sr_rcur__init(&c, raw, sz);
	while (sr_rcur__left(&c)) {
		uint32_t id = sr_rcur__le32(&c), len = sr_rcur__le32(&c);
		const uint8_t *body = sr_rcur__bytes(&c, len);
		struct sr_rcur b;

		if (!body)
			goto out_bad;
		sr_rcur__init(&b, body, len);
		switch (id) {
		case TF_IDX_CHUNKS:
			if (len % TF_IDX_CHUNK_ENTRY_SZ || r->summary_chunks)
				goto out_bad;
			s->chunk_cnt = len / TF_IDX_CHUNK_ENTRY_SZ;
			r->summary_chunks = calloc(s->chunk_cnt ? s->chunk_cnt : 1, sizeof(*r->summary_chunks));
			if (!r->summary_chunks)
				return -ENOMEM;
			for (uint64_t i = 0; i < s->chunk_cnt; i++) {
				struct trace_chunk_info *ci = &r->summary_chunks[i];

				ci->offset = sr_rcur__le64(&b);
				ci->stored_sz = sr_rcur__le32(&b);
				ci->raw_sz = sr_rcur__le32(&b);
				ci->rec_cnt = sr_rcur__le32(&b);
				ci->seq = sr_rcur__le32(&b);
				ci->min_ts = sr_rcur__le64(&b);
				ci->max_ts = sr_rcur__le64(&b);
				ci->type_mask = sr_rcur__le64(&b);
				if (ci->offset < r->data_off || ci->offset >= r->index_off)
					goto out_bad;
			}
			s->chunks = r->summary_chunks;
			break;
		case TF_IDX_TOTALS:
			s->rec_cnt = sr_rcur__le64(&b);
			s->min_ts = sr_rcur__le64(&b);
			s->max_ts = sr_rcur__le64(&b);
			s->raw_sz = sr_rcur__le64(&b);
			s->stored_sz = sr_rcur__le64(&b);
			break;
		case TF_IDX_COUNTS:
			if (seen & 1u << TF_IDX_COUNTS)
				goto out_bad;
			while (sr_rcur__left(&b) >= 12) {
				uint32_t type = sr_rcur__le32(&b);

				_count(s, type, sr_rcur__le64(&b));
			}
			break;
		case TF_IDX_DROPS:
			if (seen & 1u << TF_IDX_DROPS)
				goto out_bad;
			while (sr_rcur__left(&b) >= 16) {
				uint32_t cpu = sr_rcur__le32(&b), kind = sr_rcur__le32(&b);

				_drop_note(s, &drop_cap, cpu, kind, sr_rcur__le64(&b));
			}
			break;
		case TF_IDX_CATALOG:
			s->catalog_rec_cnt = sr_rcur__le32(&b);
			s->catalog = b.p;
			s->catalog_sz = sr_rcur__left(&b);
			break;
		default: /* a section from a newer writer */
			break;
		}
		if (b.bad)
			goto out_bad;
		if (id < 32)
			seen |= 1u << id;
	}
	if (c.bad)
		goto out_bad;
	return 0;
out_bad:
	return sr_diag__set(diag, -EBADMSG, (long long)off, "index at offset %llu is malformed",
			    (unsigned long long)off);
}

static int _summary_from_index(struct trace_reader *r, struct trace_summary *s,
			       struct sr_diag *diag)
{
	struct sr_wbuf stored = { 0 };
	struct rd_block b;
	size_t raw_cap = 0;
	int err;

	err = _block_at(r, r->index_off, &b, diag);
	if (err == 1 || (!err && (b.type != TF_BLOCK_INDEX || !(b.flags & TF_BLOCK_F_ZSTD))))
		err = sr_diag__set(diag, -EBADMSG, (long long)r->index_off,
				   "no index block at offset %llu", (unsigned long long)r->index_off);
	if (!err)
		err = _block_payload(r, &b, &stored, diag);
	if (!err)
		err = _decompress(r, &b, stored.buf, stored.len, &r->summary_raw, &raw_cap, diag);
	if (!err)
		err = _parse_index(r, r->summary_raw, b.raw_sz, r->index_off, s, diag);
	sr_wbuf__release(&stored);
	s->from_index = true;
	return err;
}

/* No index: read every chunk (the catalog stays empty; callers list state from records). */
static int _summary_by_scan(struct trace_reader *r, struct trace_summary *s)
{
	struct rd_stream st;
	struct trace_rec rec;
	struct trace_summary bases = { 0 };
	size_t drop_cap = 0, base_cap = 0, chunk_cap = 0;
	uint64_t last_chunk = UINT64_MAX;
	int ret;

	_stream_init(&st, r->data_off);
	s->min_ts = UINT64_MAX;
	while ((ret = _stream_next(r, &st, &rec, false)) == 1) {
		if (st.chunk.offset != last_chunk) {
			last_chunk = st.chunk.offset;
			if (s->chunk_cnt == chunk_cap) {
				size_t n = chunk_cap ? chunk_cap * 2 : 64;
				void *p = realloc(r->summary_chunks, n * sizeof(*r->summary_chunks));

				if (!p) {
					ret = -ENOMEM;
					break;
				}
				r->summary_chunks = p;
				chunk_cap = n;
			}
			r->summary_chunks[s->chunk_cnt++] = st.chunk;
			s->raw_sz += st.chunk.raw_sz;
			s->stored_sz += st.chunk.stored_sz + TF_BLOCK_HDR_SZ;
		}
		s->rec_cnt++;
		_count(s, rec.type, 1);
		if (rec.ts < s->min_ts)
			s->min_ts = rec.ts;
		if (rec.ts > s->max_ts)
			s->max_ts = rec.ts;
		if (rec.type == TR_DROPS && rec.int_cnt > TR_DROPS_COUNT) {
			bool base = rec.int_cnt > TR_DROPS_FLAGS &&
				    (rec.ints[TR_DROPS_FLAGS] & TR_DROPS_F_BASELINE);

			/* Baselines (the count when a rotated file began) go to their own list. */
			_drop_note(base ? &bases : s, base ? &base_cap : &drop_cap,
				   (uint32_t)rec.ints[TR_DROPS_CPU], (uint32_t)rec.ints[TR_DROPS_KIND],
				   rec.ints[TR_DROPS_COUNT]);
		}
	}
	/* The index holds the drops of the file itself: so does the scan. */
	for (size_t i = 0; i < bases.drop_cnt; i++)
		for (size_t k = 0; k < s->drop_cnt; k++)
			if (s->drops[k].cpu == bases.drops[i].cpu &&
			    s->drops[k].kind == bases.drops[i].kind)
				s->drops[k].count -= s->drops[k].count >= bases.drops[i].count ?
						     bases.drops[i].count : s->drops[k].count;
	free(bases.drops);
	if (!s->rec_cnt)
		s->min_ts = 0;
	s->chunks = r->summary_chunks;
	if (ret < 0)
		s->scan_diag = st.diag;
	_stream_release(&st);
	return ret == -ENOMEM ? ret : 0;
}

int trace_reader__summary(struct trace_reader *r, const struct trace_summary **out)
{
	struct sr_diag diag = { 0 };
	int err;

	if (r->summary) {
		*out = r->summary;
		return 0;
	}
	r->summary = calloc(1, sizeof(*r->summary));
	if (!r->summary)
		return -ENOMEM;
	r->summary->file_sz = r->file_sz;
	if (r->index_state == 1) {
		err = _summary_from_index(r, r->summary, &diag);
		if (err == -ENOMEM)
			goto out_free;
		if (err) {
			/* A damaged index does not make the chunks unreadable: scan instead. */
			sr_warn("trace '%s': %s; reading every chunk instead", r->src->name, diag.msg);
			_free_summary(r);
			r->index_state = -1;
			return trace_reader__summary(r, out);
		}
	} else {
		err = _summary_by_scan(r, r->summary);
		if (err)
			goto out_free;
	}
	*out = r->summary;
	return 0;
out_free:
	_free_summary(r);
	return err;
}

int trace_summary__catalog(const struct trace_summary *s,
			   int (*fn)(const struct trace_rec *rec, void *ctx), void *ctx)
{
	struct chunk_dec dec;
	struct trace_rec rec;
	int ret;

	if (!s->catalog)
		return 0;
	chunk_dec__init(&dec);
	ret = chunk_dec__begin(&dec, s->catalog, s->catalog_sz, s->catalog_rec_cnt, -1, NULL);
	if (ret)
		goto out;
	while ((ret = chunk_dec__next(&dec, &rec, NULL)) == 1) {
		ret = fn(&rec, ctx);
		if (ret)
			break;
	}
out:
	chunk_dec__release(&dec);
	return ret;
}

int trace_reader__seek_time(struct trace_reader *r, uint64_t ts)
{
	const struct trace_summary *s;
	int err = trace_reader__summary(r, &s);

	if (err)
		return err;
	for (uint64_t i = 0; i < s->chunk_cnt; i++) {
		if (s->chunks[i].max_ts >= ts) {
			_reposition(r, s->chunks[i].offset);
			return 0;
		}
	}
	/* Nothing that late: position at the end so next() returns 0 (or the scan's error). */
	_reposition(r, s->chunk_cnt ? s->chunks[s->chunk_cnt - 1].offset : r->data_off);
	r->main.done = s->scan_diag.err ? s->scan_diag.err : 1;
	r->main.diag = s->scan_diag;
	return 0;
}
