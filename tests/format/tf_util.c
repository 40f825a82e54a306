// SPDX-License-Identifier: Apache-2.0
/* Helpers of the format tests (see tf_util.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "chunk_enc.h"
#include "crc32c.h"
#include "layout.h"
#include "tf_util.h"

int tf_temp_path(char *path, size_t path_sz)
{
	int fd;

	if (snprintf(path, path_sz, "/tmp/sysrec-test-XXXXXX") >= (int)path_sz)
		return -ENAMETOOLONG;
	fd = mkstemp(path);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

int tf_load(const char *path, uint8_t **buf, size_t *sz)
{
	struct stat st;
	uint8_t *p;
	size_t done = 0;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		goto out_close;
	}
	p = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!p) {
		err = -ENOMEM;
		goto out_close;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, p + done, (size_t)st.st_size - done);

		if (n <= 0) {
			err = n ? -errno : -EIO;
			free(p);
			goto out_close;
		}
		done += (size_t)n;
	}
	*buf = p;
	*sz = done;
out_close:
	close(fd);
	return err;
}

int tf_write(struct tf_file *f, const struct rec_gen_opts *go, uint64_t cnt,
	     const struct trace_writer_opts *wo, struct rec_vec *keep, struct rec_expect *exp)
{
	struct trace_writer *w = NULL;
	struct trace_props *props = NULL;
	struct trace_rec rec;
	struct rec_gen g;
	int err;

	memset(f, 0, sizeof(*f));
	err = rec_gen__init(&g, go);
	if (err)
		return err;
	err = tf_temp_path(f->path, sizeof(f->path));
	if (err)
		goto out_gen;
	err = trace_props__new(&props);
	if (!err)
		err = trace_props__set_str(props, "capture.comment", "tf_write");
	if (!err)
		err = trace_props__set_u64(props, "test.seed", go->seed);
	if (!err)
		err = trace_writer__open(f->path, props, wo, &w);
	if (err)
		goto out_props;
	for (uint64_t i = 0; i < cnt && !err; i++) {
		rec_gen__next(&g, &rec);
		err = trace_writer__append(w, &rec);
		if (!err && keep)
			err = rec_vec__push(keep, &rec);
		if (!err && exp)
			err = rec_expect__note(exp, &rec);
	}
	if (err)
		trace_writer__close(w);
	else
		err = trace_writer__close(w);
	if (!err)
		err = tf_load(f->path, &f->buf, &f->sz);
out_props:
	trace_props__free(props);
out_gen:
	rec_gen__release(&g);
	return err;
}

void tf_release(struct tf_file *f)
{
	if (f->path[0])
		unlink(f->path);
	free(f->buf);
	memset(f, 0, sizeof(*f));
}

int tf_open_mem(const void *buf, size_t sz, struct trace_reader **out, struct sr_diag *diag)
{
	struct trace_source *src;
	int err = trace_source__open_mem(buf, sz, &src);

	if (err)
		return err;
	return trace_reader__open_source(src, out, diag);
}

uint64_t tf_index_off(const uint8_t *buf, size_t sz)
{
	const uint8_t *f;

	if (sz < TF_FOOTER_SZ)
		return 0;
	f = buf + sz - TF_FOOTER_SZ;
	if (get_le32(f) != TF_BLOCK_MAGIC || get_le16(f + 4) != TF_BLOCK_FOOTER ||
	    memcmp(f + TF_BLOCK_HDR_SZ + 8, TF_FOOTER_MAGIC, 8))
		return 0;
	return get_le64(f + TF_BLOCK_HDR_SZ);
}

void tf_put_preamble(struct sr_wbuf *b, uint16_t major, uint16_t minor)
{
	uint8_t p[TF_PREAMBLE_SZ];

	memcpy(p, TF_MAGIC, TF_MAGIC_SZ);
	put_le16(p + 8, major);
	put_le16(p + 10, minor);
	put_le32(p + 12, crc32c(0, p, 12));
	sr_wbuf__bytes(b, p, sizeof(p));
}

void tf_put_block_header(struct sr_wbuf *b, uint16_t type, uint16_t flags, uint32_t stored_sz,
			 uint32_t raw_sz, uint32_t payload_crc)
{
	uint8_t h[TF_BLOCK_HDR_SZ];

	put_le32(h, TF_BLOCK_MAGIC);
	put_le16(h + 4, type);
	put_le16(h + 6, flags);
	put_le32(h + 8, stored_sz);
	put_le32(h + 12, raw_sz);
	put_le32(h + 16, payload_crc);
	put_le32(h + 20, crc32c(0, h, 20));
	sr_wbuf__bytes(b, h, sizeof(h));
}

void tf_put_block(struct sr_wbuf *b, uint16_t type, uint16_t flags, const void *payload,
		  uint32_t sz, uint32_t raw_sz)
{
	tf_put_block_header(b, type, flags, sz, raw_sz, crc32c(0, payload, sz));
	sr_wbuf__bytes(b, payload, sz);
}

int tf_put_header(struct sr_wbuf *b, const struct trace_props *props)
{
	struct sr_wbuf p = { 0 };
	int err = trace_props__encode(props, &p);

	if (!err)
		tf_put_block(b, TF_BLOCK_HEADER, 0, p.buf, (uint32_t)p.len, (uint32_t)p.len);
	sr_wbuf__release(&p);
	return err ? err : b->oom ? -ENOMEM : 0;
}

int tf_put_chunk(struct sr_wbuf *b, const struct trace_rec *recs, size_t cnt, uint32_t seq,
		 const struct tf_extra_col *extra, size_t extra_cnt)
{
	struct chunk_cols cols = { 0 };
	struct chunk_enc enc;
	struct sr_wbuf raw = { 0 }, payload = { 0 };
	unsigned int col_cnt = 0;
	size_t bound, zsz;
	uint8_t *pro;
	int err;

	err = chunk_enc__init(&enc);
	if (err)
		return err;
	chunk_enc__begin(&enc, &cols, seq);
	for (size_t i = 0; i < cnt; i++)
		chunk_enc__add(&enc, &recs[i]);

	/* The directory, by hand: the known columns, then the extra ones. */
	for (int s = 0; s < CHUNK_COL_SLOTS; s++)
		col_cnt += cols.col[s].len != 0;
	sr_wbuf__varint(&raw, col_cnt + extra_cnt);
	for (int s = 0; s < CHUNK_COL_SLOTS; s++) {
		if (!cols.col[s].len)
			continue;
		sr_wbuf__varint(&raw, chunk_slot_col_id(s));
		sr_wbuf__varint(&raw, cols.col[s].len);
	}
	for (size_t i = 0; i < extra_cnt; i++) {
		sr_wbuf__varint(&raw, extra[i].id);
		sr_wbuf__varint(&raw, extra[i].sz);
	}
	for (int s = 0; s < CHUNK_COL_SLOTS; s++)
		sr_wbuf__bytes(&raw, cols.col[s].buf, cols.col[s].len);
	for (size_t i = 0; i < extra_cnt; i++)
		sr_wbuf__bytes(&raw, extra[i].data, extra[i].sz);

	bound = ZSTD_compressBound(raw.len);
	err = sr_wbuf__reserve(&payload, TF_CHUNK_PROLOGUE_SZ + bound);
	if (err || raw.oom) {
		err = -ENOMEM;
		goto out;
	}
	pro = payload.buf;
	put_le32(pro, cols.rec_cnt);
	put_le32(pro + 4, seq);
	put_le64(pro + 8, cols.rec_cnt ? cols.min_ts : 0);
	put_le64(pro + 16, cols.max_ts);
	put_le64(pro + 24, cols.type_mask);
	zsz = ZSTD_compress(payload.buf + TF_CHUNK_PROLOGUE_SZ, bound, raw.buf, raw.len, 1);
	if (ZSTD_isError(zsz)) {
		err = -EIO;
		goto out;
	}
	payload.len = TF_CHUNK_PROLOGUE_SZ + zsz;
	tf_put_block(b, TF_BLOCK_CHUNK, TF_BLOCK_F_ZSTD, payload.buf, (uint32_t)payload.len,
		     (uint32_t)raw.len);
	err = b->oom ? -ENOMEM : 0;
out:
	sr_wbuf__release(&payload);
	sr_wbuf__release(&raw);
	chunk_cols__release(&cols);
	chunk_enc__release(&enc);
	return err;
}
