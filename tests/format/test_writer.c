// SPDX-License-Identifier: Apache-2.0
/*
 * Writer errors and guarantees: a full file system (RLIMIT_FSIZE) gives a sticky -EFBIG and a
 * file readable up to its last complete chunk; bad options and records are refused; a flush
 * makes records readable by another reader before close (what survives a kill -9).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "format_tests.h"
#include "tf_util.h"
#include "test.h"

#define FSIZE_LIMIT (64 * 1024)

/* In a child: write until the file size limit bites; exit 0 when everything went as expected. */
static void _efbig_child(const char *path, const struct rec_gen_opts *go)
{
	const struct trace_writer_opts wo = { .sz = sizeof(wo), .chunk_sz = 4096 };
	const struct rlimit rl = { FSIZE_LIMIT, FSIZE_LIMIT };
	struct trace_writer *w = NULL;
	struct trace_rec rec;
	struct rec_gen g;
	int err = 0;

	signal(SIGXFSZ, SIG_IGN);
	if (!ASSERT_OK(setrlimit(RLIMIT_FSIZE, &rl) ? -errno : 0, "setrlimit") ||
	    !ASSERT_OK(rec_gen__init(&g, go), "gen init"))
		goto out;
	if (!ASSERT_OK(trace_writer__open(path, NULL, &wo, &w), "open"))
		goto out_gen;
	for (int i = 0; i < 1000000 && !err; i++) {
		rec_gen__next(&g, &rec);
		err = trace_writer__append(w, &rec);
		if (!err && i % 1000 == 999)
			err = trace_writer__flush(w, 0);
	}
	ASSERT_EQ(err, -EFBIG, "append or flush fails with EFBIG");
	rec_gen__next(&g, &rec);
	ASSERT_EQ(trace_writer__append(w, &rec), -EFBIG, "append after: sticky");
	ASSERT_EQ(trace_writer__flush(w, 0), -EFBIG, "flush after: sticky");
	ASSERT_EQ(trace_writer__flush(w, 1), -EFBIG, "flush and wait after: sticky");
	ASSERT_EQ(trace_writer__close(w), -EFBIG, "close: sticky");
out_gen:
	rec_gen__release(&g);
out:
	fflush(NULL);
	_exit(test__failed() ? 1 : 0);
}

void test_writer__efbig(void)
{
	const struct rec_gen_opts go = { .seed = 4242, .small = true };
	struct trace_reader *r = NULL;
	struct trace_rec rec, want;
	struct rec_gen g;
	struct tf_file f = { 0 };
	char why[128];
	uint64_t n = 0;
	int status = 0, ret;
	pid_t pid;

	if (!ASSERT_OK(tf_temp_path(f.path, sizeof(f.path)), "mkstemp"))
		return;
	fflush(NULL);
	pid = fork();
	if (!ASSERT_GE(pid, 0, "fork"))
		goto out;
	if (!pid)
		_efbig_child(f.path, &go);
	if (!ASSERT_EQ(waitpid(pid, &status, 0), pid, "waitpid"))
		goto out;
	if (!ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child's checks")) {
		TEST_FAIL("child status 0x%x", status);
		goto out;
	}
	if (!ASSERT_OK(tf_load(f.path, &f.buf, &f.sz), "load"))
		goto out;
	ASSERT_LE(f.sz, FSIZE_LIMIT, "file size within the limit");
	if (!ASSERT_OK(tf_open_mem(f.buf, f.sz, &r, NULL), "open what was written"))
		goto out;
	ASSERT_FALSE(trace_reader__has_index(r), "no index");
	if (!ASSERT_OK(rec_gen__init(&g, &go), "gen init"))
		goto out;
	while ((ret = trace_reader__next(r, &rec)) == 1) {
		rec_gen__next(&g, &want);
		if (!rec_equal(&rec, &want, why, sizeof(why))) {
			TEST_FAIL("record %llu: %s", (unsigned long long)n, why);
			break;
		}
		n++;
	}
	rec_gen__release(&g);
	ASSERT_TRUE(ret == 0 || ret == -SR_ERR_TRUNCATED, "the end is clean or truncated");
	ASSERT_GT(n, 1000, "the complete chunks read");
out:
	trace_reader__close(r);
	tf_release(&f);
}

void test_writer__bad_opts(void)
{
	struct {
		struct trace_writer_opts o;
		uint64_t tail[2];
	} big = { 0 };
	struct trace_writer_opts o;
	struct trace_writer *w = NULL;
	char path[64];
	int fd;

	if (!ASSERT_OK(tf_temp_path(path, sizeof(path)), "mkstemp"))
		return;
#define EXPECT_EINVAL(what)                                                                       \
	do {                                                                                      \
		w = NULL;                                                                         \
		ASSERT_EQ(trace_writer__open(path, NULL, &o, &w), -EINVAL, what);                  \
		ASSERT_TRUE(w == NULL, what);                                                     \
	} while (0)
	o = (struct trace_writer_opts){ .sz = sizeof(o), .chunk_sz = (16u << 20) + 1 };
	EXPECT_EINVAL("chunk_sz over 16 MiB");
	o = (struct trace_writer_opts){ .sz = sizeof(o), .zstd_level = 1000 };
	EXPECT_EINVAL("zstd level 1000");
	o = (struct trace_writer_opts){ .sz = sizeof(o), .zstd_level = -1000000 };
	EXPECT_EINVAL("zstd level -1000000");
	o = (struct trace_writer_opts){ .sz = sizeof(o), .queue_depth = 1000000 };
	EXPECT_EINVAL("queue depth 1000000");
	o = (struct trace_writer_opts){ .sz = sizeof(o), .zstd_workers = -1 };
	EXPECT_EINVAL("negative zstd workers");
	o = (struct trace_writer_opts){ .sz = 0 };
	EXPECT_EINVAL("sz 0");
#undef EXPECT_EINVAL
	/* a larger struct from a newer caller: fine when the unknown tail is zero */
	big.o.sz = sizeof(big);
	big.tail[1] = 1;
	ASSERT_EQ(trace_writer__open(path, NULL, &big.o, &w), -EINVAL, "non-zero unknown tail");
	big.tail[1] = 0;
	if (ASSERT_OK(trace_writer__open(path, NULL, &big.o, &w), "zero unknown tail"))
		ASSERT_OK(trace_writer__close(w), "close");
	/* a smaller struct from an older caller */
	o = (struct trace_writer_opts){ .sz = sizeof(size_t) + sizeof(int), .zstd_level = 3 };
	if (ASSERT_OK(trace_writer__open(path, NULL, &o, &w), "older, smaller opts"))
		ASSERT_OK(trace_writer__close(w), "close");
	/* the fd variant owns the fd even when it fails */
	fd = dup(1);
	o = (struct trace_writer_opts){ .sz = sizeof(o), .chunk_sz = UINT32_MAX };
	ASSERT_EQ(trace_writer__open_fd(fd, NULL, &o, &w), -EINVAL, "open_fd with bad opts");
	ASSERT_EQ(close(fd), -1, "open_fd closed the fd");
	/* paths */
	ASSERT_EQ(trace_writer__open("/tmp", NULL, NULL, &w), -EISDIR, "a directory");
	ASSERT_EQ(trace_writer__open("/nonexistent-dir/x.sysrec", NULL, NULL, &w), -ENOENT,
		  "a missing directory");
	ASSERT_OK(trace_writer__close(NULL), "close(NULL)");
	unlink(path);
}

void test_writer__bad_records(void)
{
	struct trace_writer *w = NULL;
	struct trace_reader *r = NULL;
	struct trace_rec rec = { .type = TR_SYSCALL, .ts = 5, .tid = 1, .int_cnt = 1 };
	struct trace_rec got;
	uint8_t *big = calloc(1, TRACE_BLOB_MAX_SZ + 1);
	char path[64] = "";
	int ret;

	if (!ASSERT_OK_PTR(big, "calloc") || !ASSERT_OK(tf_temp_path(path, sizeof(path)), "tmp") ||
	    !ASSERT_OK(trace_writer__open(path, NULL, NULL, &w), "open"))
		goto out;
	rec.int_cnt = TRACE_REC_MAX_INTS + 1;
	ASSERT_EQ(trace_writer__append(w, &rec), -EINVAL, "33 ints");
	rec.int_cnt = 1;
	rec.blob_cnt = TRACE_REC_MAX_BLOBS + 1;
	ASSERT_EQ(trace_writer__append(w, &rec), -EINVAL, "9 blobs");
	rec.blob_cnt = 1;
	rec.blobs[0] = (struct trace_blob){ big, TRACE_BLOB_MAX_SZ + 1, 0, 0 };
	ASSERT_EQ(trace_writer__append(w, &rec), -SR_ERR_RECORD_SIZE, "blob over the limit");
	rec.blob_cnt = 2;
	rec.blobs[0].sz = TRACE_BLOB_MAX_SZ / 2 + 1;
	rec.blobs[1] = (struct trace_blob){ big, TRACE_BLOB_MAX_SZ / 2, 0, 0 };
	ASSERT_EQ(trace_writer__append(w, &rec), -SR_ERR_RECORD_SIZE, "blobs over the limit");
	/* the refusals are not sticky; the largest record is fine */
	rec.blob_cnt = 1;
	rec.blobs[0].sz = TRACE_BLOB_MAX_SZ;
	ASSERT_OK(trace_writer__append(w, &rec), "a blob of exactly the limit");
	rec.blob_cnt = 0;
	rec.int_cnt = TRACE_REC_MAX_INTS;
	ASSERT_OK(trace_writer__append(w, &rec), "32 ints");
	ASSERT_OK(trace_writer__close(w), "close");
	w = NULL;
	if (!ASSERT_OK(trace_reader__open(path, &r, NULL), "reader"))
		goto out;
	ASSERT_EQ(trace_reader__next(r, &got), 1, "the big record");
	ASSERT_TRUE(got.blob_cnt == 1 && got.blobs[0].sz == TRACE_BLOB_MAX_SZ, "its blob");
	ASSERT_EQ(trace_reader__next(r, &got), 1, "the 32-int record");
	ASSERT_EQ(got.int_cnt, TRACE_REC_MAX_INTS, "its ints");
	ret = trace_reader__next(r, &got);
	ASSERT_EQ(ret, 0, "nothing else");
out:
	trace_reader__close(r);
	trace_writer__close(w);
	free(big);
	if (path[0])
		unlink(path);
}

/* Read @path as another process would, expecting the first @cnt records of @go. */
static void _expect_readable(const char *path, const struct rec_gen_opts *go, uint64_t cnt,
			     bool index)
{
	struct trace_reader *r = NULL;
	const struct trace_summary *s;
	struct trace_rec rec, want;
	struct rec_gen g;
	char why[128];
	uint64_t n = 0;
	int ret;

	if (!ASSERT_OK(trace_reader__open(path, &r, NULL), "open while writing"))
		return;
	if (!ASSERT_OK(rec_gen__init(&g, go), "gen"))
		goto out;
	ASSERT_EQ(trace_reader__has_index(r), index, "has_index");
	while ((ret = trace_reader__next(r, &rec)) == 1) {
		rec_gen__next(&g, &want);
		if (!rec_equal(&rec, &want, why, sizeof(why))) {
			TEST_FAIL("record %llu: %s", (unsigned long long)n, why);
			break;
		}
		n++;
	}
	rec_gen__release(&g);
	ASSERT_EQ(ret, 0, "a clean end after the flushed records");
	ASSERT_EQ(n, cnt, "every flushed record");
	if (ASSERT_OK(trace_reader__summary(r, &s), "summary")) {
		ASSERT_EQ(s->rec_cnt, cnt, "summary rec_cnt");
		ASSERT_EQ(s->from_index, index, "summary from_index");
	}
out:
	trace_reader__close(r);
}

void test_writer__flush_then_read(void)
{
	const struct rec_gen_opts go = { .seed = 99 };
	struct trace_writer *w = NULL;
	struct trace_rec rec;
	struct rec_gen g;
	char path[64] = "";
	uint64_t n = 0;

	if (!ASSERT_OK(rec_gen__init(&g, &go), "gen"))
		return;
	if (!ASSERT_OK(tf_temp_path(path, sizeof(path)), "tmp") ||
	    !ASSERT_OK(trace_writer__open(path, NULL, NULL, &w), "open"))
		goto out;
	_expect_readable(path, &go, 0, false);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 1000 + round * 700; i++, n++) {
			rec_gen__next(&g, &rec);
			if (!ASSERT_OK(trace_writer__append(w, &rec), "append"))
				goto out;
		}
		if (!ASSERT_OK(trace_writer__flush(w, 1), "flush and wait"))
			goto out;
		/* as after a kill -9 now: the file holds the flushed chunks and no index */
		_expect_readable(path, &go, n, false);
	}
	ASSERT_OK(trace_writer__flush(w, 1), "a flush with nothing new");
	ASSERT_OK(trace_writer__close(w), "close");
	w = NULL;
	_expect_readable(path, &go, n, true);
out:
	trace_writer__close(w);
	rec_gen__release(&g);
	if (path[0])
		unlink(path);
}

static int _drops_rec(struct trace_writer *w, uint64_t count, bool baseline)
{
	struct trace_rec r = { .type = TR_DROPS, .ts = 1, .int_cnt = baseline ? 4 : 3 };

	r.ints[TR_DROPS_CPU] = 99;
	r.ints[TR_DROPS_KIND] = 1;
	r.ints[TR_DROPS_COUNT] = count;
	r.ints[TR_DROPS_FLAGS] = baseline ? TR_DROPS_F_BASELINE : 0;
	return trace_writer__append(w, &r);
}

static uint64_t _drops_of(const struct trace_summary *s)
{
	for (size_t i = 0; i < s->drop_cnt; i++)
		if (s->drops[i].cpu == 99 && s->drops[i].kind == 1)
			return s->drops[i].count;
	return UINT64_MAX;
}

/* trace_writer__rotate: two complete files, each with its own records, index and drops (the
 * second counts from its baseline, from the index and from a scan alike). */
void test_writer__rotate(void)
{
	const struct rec_gen_opts go = { .seed = 7 };
	struct trace_writer *w = NULL;
	struct trace_reader *r = NULL;
	const struct trace_summary *s;
	struct trace_rec rec, want;
	struct rec_gen g, check;
	char p1[64] = "", p2[64] = "", why[128];
	uint8_t *buf = NULL;
	size_t sz = 0;
	uint64_t n;
	int fd, ret;

	if (!ASSERT_OK(rec_gen__init(&g, &go), "gen"))
		return;
	if (!ASSERT_OK(tf_temp_path(p1, sizeof(p1)), "tmp") ||
	    !ASSERT_OK(tf_temp_path(p2, sizeof(p2)), "tmp") ||
	    !ASSERT_OK(trace_writer__open(p1, NULL, NULL, &w), "open"))
		goto out;
	for (int i = 0; i < 1500; i++) {
		rec_gen__next(&g, &rec);
		if (!ASSERT_OK(trace_writer__append(w, &rec), "append"))
			goto out;
	}
	ASSERT_OK(_drops_rec(w, 5, false), "drops");
	fd = open(p2, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (!ASSERT_TRUE(fd >= 0, "open the second file") ||
	    !ASSERT_OK(trace_writer__rotate(w, fd, NULL), "rotate"))
		goto out;
	ASSERT_OK(_drops_rec(w, 5, true), "baseline");
	for (int i = 0; i < 1000; i++) {
		rec_gen__next(&g, &rec);
		if (!ASSERT_OK(trace_writer__append(w, &rec), "append"))
			goto out;
	}
	ASSERT_OK(_drops_rec(w, 12, false), "drops");
	ASSERT_OK(trace_writer__close(w), "close");
	w = NULL;

	/* each file: its records in order, then its drops; an index; the right drop count */
	if (!ASSERT_OK(rec_gen__init(&check, &go), "gen"))
		goto out;
	for (int f = 0; f < 2; f++) {
		uint64_t want_cnt = f ? 1002 : 1501;

		if (!ASSERT_OK(trace_reader__open(f ? p2 : p1, &r, NULL), "open a rotated file"))
			break;
		ASSERT_TRUE(trace_reader__has_index(r), "closed cleanly");
		n = 0;
		while ((ret = trace_reader__next(r, &rec)) == 1) {
			n++;
			if (rec.type == TR_DROPS && rec.ints[TR_DROPS_CPU] == 99)
				continue; /* ours, not the generator's */
			rec_gen__next(&check, &want);
			if (!rec_equal(&rec, &want, why, sizeof(why))) {
				TEST_FAIL("file %d record %llu: %s", f + 1, (unsigned long long)n, why);
				break;
			}
		}
		ASSERT_EQ(ret, 0, "a clean end");
		ASSERT_EQ(n, want_cnt, "records of the file");
		if (ASSERT_OK(trace_reader__summary(r, &s), "summary")) {
			ASSERT_EQ(s->rec_cnt, want_cnt, "summary rec_cnt");
			ASSERT_EQ(_drops_of(s), f ? 7 : 5, "drops of the file (index)");
		}
		trace_reader__close(r);
		r = NULL;
	}
	rec_gen__release(&check);
	/* the second file without its index: the scan counts from the baseline too */
	if (ASSERT_OK(tf_load(p2, &buf, &sz), "load") && ASSERT_TRUE(tf_index_off(buf, sz) > 0, "index") &&
	    ASSERT_OK(tf_open_mem(buf, tf_index_off(buf, sz), &r, NULL), "open without the index") &&
	    ASSERT_OK(trace_reader__summary(r, &s), "summary by scan")) {
		ASSERT_TRUE(!s->from_index, "scanned");
		ASSERT_EQ(_drops_of(s), 7, "drops of the file (scan)");
	}
out:
	trace_reader__close(r);
	trace_writer__close(w);
	rec_gen__release(&g);
	free(buf);
	if (p1[0])
		unlink(p1);
	if (p2[0])
		unlink(p2);
}
