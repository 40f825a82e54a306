// SPDX-License-Identifier: Apache-2.0
/*
 * Writes the seed corpus of the trace reader fuzzer: a handful of small, valid (or validly
 * damaged) traces that reach every part of the reader.
 *
 *	make_corpus OUTDIR        (OUTDIR is normally tests/fuzz/corpus/reader)
 *
 *   empty.sysrec       header, no records, index and footer
 *   every_type.sysrec  every known record type and a few unknown ones, several chunks,
 *                      interned blobs, a catalog, drop counters, index and footer
 *   no_index.sysrec    every_type.sysrec without its index and footer (a killed capture)
 *   truncated.sysrec   every_type.sysrec cut in the middle of its last chunk
 *
 * The output is deterministic (no machine properties), so regenerating after a format change
 * gives a reviewable diff.  Built by CMake, not run by ctest.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "layout.h"
#include "rec_gen.h"
#include "sr_error.h"
#include "trace_reader.h"
#include "trace_writer.h"

static const struct trace_writer_opts wopts = { .sz = sizeof(wopts), .chunk_sz = 1024 };

static int _save(const char *dir, const char *name, const uint8_t *buf, size_t sz)
{
	char path[4096];
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, sz, f) != sz || fclose(f)) {
		fprintf(stderr, "make_corpus: cannot write '%s': %s\n", path, strerror(errno));
		return -EIO;
	}
	printf("%s: %zu bytes\n", path, sz);
	return 0;
}

static int _load(const char *path, uint8_t **buf, size_t *sz)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -EIO;
	}
	*buf = malloc(n ? (size_t)n : 1);
	if (!*buf || fread(*buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*sz = (size_t)n;
	return 0;
}

/* One record of @type with @int_cnt ints and @blob_cnt blobs named after their position. */
static int _append(struct trace_writer *w, uint16_t type, uint64_t ts, uint32_t tid,
		   unsigned int int_cnt, unsigned int blob_cnt)
{
	static const char *const words[] = { "bash", "/usr/bin/bash", "-c ls", "/home/user",
					     "/sys/fs/cgroup/user.slice", "c0ffee", "label=x",
					     "" };
	struct trace_rec rec = { .type = type, .ts = ts, .tid = tid, .cpu = (uint16_t)(ts % 3) };

	rec.int_cnt = (uint8_t)int_cnt;
	rec.blob_cnt = (uint8_t)blob_cnt;
	for (unsigned int i = 0; i < int_cnt; i++)
		rec.ints[i] = i == 0 ? tid : (uint64_t)(i * 1000 + type) ^ (i % 3 ? 0 : UINT64_MAX);
	for (unsigned int i = 0; i < blob_cnt; i++) {
		const char *s = words[(i + type) % 8];

		rec.blobs[i] = (struct trace_blob){ s, (uint32_t)strlen(s), (uint16_t)i,
						    i % 2 ? 0 : TRACE_BLOB_F_INTERN };
	}
	return trace_writer__append(w, &rec);
}

static int _names(const char *const *v)
{
	int n = 0;

	while (v && v[n])
		n++;
	return n;
}

static int _write_every_type(const char *path)
{
	const struct rec_gen_opts go = { .seed = 2024, .small = true, .monotonic_ts = true };
	struct trace_props *props = NULL;
	struct trace_writer *w = NULL;
	const struct trace_rec_type_info *types;
	struct trace_rec rec;
	struct rec_gen g;
	size_t type_cnt;
	uint64_t ts = 1000;
	int err;

	err = rec_gen__init(&g, &go);
	if (err)
		return err;
	err = trace_props__new(&props);
	err = err ?: trace_props__set_str(props, "machine.hostname", "corpus");
	err = err ?: trace_props__set_u64(props, "machine.cpu_cnt", 4);
	err = err ?: trace_props__set_i64(props, "test.negative", -1);
	err = err ?: trace_props__set_bytes(props, "test.bytes", "\0\1\2", 3);
	err = err ?: trace_writer__open(path, props, &wopts, &w);
	types = trace_rec_type__all(&type_cnt);
	for (int round = 0; round < 2 && !err; round++) {
		for (size_t i = 0; i < type_cnt && !err; i++) {
			int ints = _names(types[i].int_names), blobs = _names(types[i].blob_names);

			err = _append(w, types[i].type, ts += 10, 100 + round, ints,
				      blobs > TRACE_REC_MAX_BLOBS ? TRACE_REC_MAX_BLOBS : blobs);
		}
		/* a process leader (pid == tid) and a plain thread, a container, drops */
		err = err ?: _append(w, TR_THREAD, ts += 10, 200, 2, 6);
		err = err ?: _append(w, TR_CONTAINER, ts += 10, 0, 2, 8);
		err = err ?: _append(w, TR_DROPS, ts += 10, 0, 3, 0);
		/* types no table knows, at the largest shape */
		err = err ?: _append(w, 40, ts += 10, 7, TRACE_REC_MAX_INTS, TRACE_REC_MAX_BLOBS);
		err = err ?: _append(w, 1000, ts += 10, 7, 1, 1);
		err = err ?: _append(w, 65535, ts += 10, 7, 0, 0);
		for (int k = 0; k < 60 && !err; k++) {
			rec_gen__next(&g, &rec);
			err = trace_writer__append(w, &rec);
		}
	}
	if (w) {
		int cerr = trace_writer__close(w);

		err = err ?: cerr;
	}
	trace_props__free(props);
	rec_gen__release(&g);
	return err;
}

static int _write_empty(const char *path)
{
	struct trace_props *props = NULL;
	struct trace_writer *w = NULL;
	int err = trace_props__new(&props);

	err = err ?: trace_props__set_str(props, "capture.comment", "no records");
	err = err ?: trace_writer__open(path, props, &wopts, &w);
	err = err ?: trace_writer__close(w);
	trace_props__free(props);
	return err;
}

int main(int argc, char **argv)
{
	char tmp[] = "/tmp/sysrec-corpus-XXXXXX";
	struct trace_reader *r = NULL;
	const struct trace_summary *s;
	uint8_t *buf = NULL;
	size_t sz = 0;
	uint64_t last_end;
	int fd, err;

	if (argc != 2) {
		fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
		return 2;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		perror("make_corpus: mkstemp");
		return 1;
	}
	close(fd);

	err = _write_empty(tmp);
	err = err ?: _load(tmp, &buf, &sz);
	err = err ?: _save(argv[1], "empty.sysrec", buf, sz);
	free(buf);
	buf = NULL;

	err = err ?: _write_every_type(tmp);
	err = err ?: _load(tmp, &buf, &sz);
	err = err ?: _save(argv[1], "every_type.sysrec", buf, sz);
	err = err ?: trace_reader__open(tmp, &r, NULL);
	err = err ?: trace_reader__summary(r, &s);
	if (!err && (!s->from_index || s->chunk_cnt < 3)) {
		fprintf(stderr, "make_corpus: every_type.sysrec should have an index and chunks\n");
		err = -EINVAL;
	}
	if (!err) {
		const struct trace_chunk_info *c = &s->chunks[s->chunk_cnt - 1];

		last_end = c->offset + TF_BLOCK_HDR_SZ + c->stored_sz;
		/* the index block follows the last chunk */
		err = _save(argv[1], "no_index.sysrec", buf, last_end);
		err = err ?: _save(argv[1], "truncated.sysrec", buf,
				   c->offset + (last_end - c->offset) / 2);
	}
	trace_reader__close(r);
	free(buf);
	unlink(tmp);
	if (err) {
		fprintf(stderr, "make_corpus: %s\n", sr_strerror(err));
		return 1;
	}
	return 0;
}
