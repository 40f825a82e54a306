// SPDX-License-Identifier: Apache-2.0
/*
 * bench_format: throughput and size of the trace format on real syscall sequences.
 *
 * Each argument is a workload: a trace file made by strace_to_records from an strace log of a
 * real program (bench/workloads/record.sh).  It is loaded into memory in a compact form (as a
 * capture's ring buffer would hold it) and, for each workload, the program measures
 *
 *   size     the workload written once: file bytes per record; the column bytes before zstd;
 *            and a baseline: the same records as fixed-size little-endian structs (88 bytes:
 *            every field the format stores, plus an 80-byte slot per blob) compressed with
 *            zstd level 1 in 1 MiB pieces, as the format's chunks are;
 *   write    --records records (the workload repeated, each repetition shifted in time by its
 *            span) appended as fast as possible, open to close: records/s of wall time and CPU
 *            time per record (getrusage, so the writer's compression thread is included).
 *            The loop builds each struct trace_rec from the compact form, as the capture
 *            consumer will; "fill only" is the cost of that loop without appending;
 *   paced    the same records appended in bursts every millisecond at --paced-rate records/s
 *            for --paced-seconds: CPU time (both threads) over wall time, i.e. the share of one
 *            core the writer needs to keep up; late bursts say whether it did;
 *   read     the file of "write" decoded with trace_reader__next() on one thread: records/s.
 *
 * Timed figures are medians of --rounds rounds.  Nothing is asserted: this prints numbers.
 * Blobs are marked TRACE_BLOB_F_INTERN (the flag is a writer hint and is not stored in the
 * file) except the data buffers of I/O calls, as the capture driver's argument table will do.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#include "bytes.h"
#include "props.h"
#include "record.h"
#include "sr_error.h"
#include "trace_reader.h"
#include "trace_writer.h"

#define MAX_ROUNDS 101
#define RAW_FIXED_SZ 88
#define RAW_SLOT_SZ 80
#define RAW_PIECE_SZ (1u << 20)

struct wl_rec {
	uint64_t ts;
	uint32_t tid;
	uint16_t type;
	uint16_t cpu;
	uint8_t int_cnt;
	uint8_t blob_cnt;
	uint32_t int_off;  /* into workload.ints */
	uint32_t blob_off; /* into workload.blobs */
};

struct wl_blob {
	uint32_t off; /* into workload.bytes */
	uint32_t sz;
	uint16_t tag;
	uint16_t flags;
};

struct workload {
	const char *path;
	char name[64];
	struct wl_rec *rec;
	size_t cnt, cap;
	uint64_t *ints;
	size_t int_cnt, int_cap;
	struct wl_blob *blobs;
	size_t blob_cnt, blob_cap;
	uint8_t *bytes;
	size_t bytes_sz, bytes_cap;
	uint64_t period_ns; /* time shift between two repetitions */
	uint64_t syscall_cnt;
};

struct opts {
	uint64_t records;
	int rounds;
	double paced_rate;
	double paced_seconds;
	const char *dir;
	int print;
};

/* Variants of a workload for the size breakdown (never in timed runs). */
enum {
	V_NO_LATENCY = 1, /* TR_SYSCALL latency_ns set to 0 */
	V_NO_IO_BLOBS = 2, /* data buffers dropped (path and name strings kept) */
	V_NO_BLOBS = 4,    /* every blob dropped */
	V_FLAT_TS = 8,     /* timestamps evenly spaced (a diagnostic: never done for real) */
};

struct result {
	double bytes_per_rec, col_bytes_per_rec, raw_bytes_per_rec, raw_zstd_bytes_per_rec;
	double fill_ns;
	double write_rps, write_cpu_ns, write_stall_ms;
	double paced_cpu_pct, paced_rate;
	uint64_t paced_late, paced_bursts;
	double read_rps, read_cpu_ns;
	double big_bytes_per_rec;
	double variant_bytes_per_rec[5];
	double write_main_cpu_ns, paced_main_cpu_pct;
};

static const struct {
	int mask;
	const char *what;
} variants[] = {
	{ V_NO_LATENCY, "latency_ns 0" },
	{ V_NO_IO_BLOBS, "no data buffers" },
	{ V_NO_BLOBS, "no blobs" },
	{ V_NO_BLOBS | V_NO_LATENCY, "no blobs, latency_ns 0" },
	{ V_NO_BLOBS | V_NO_LATENCY | V_FLAT_TS, "and evenly spaced timestamps" },
};
#define VARIANT_CNT ((int)(sizeof(variants) / sizeof(variants[0])))

/* ---- time ---- */

static double _now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double _thread_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* user + system time of the whole process (all threads), seconds */
static double _proc_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int _dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double _median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), _dbl_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- loading a workload ---- */

static int _grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap ? *cap : 1024;
	void *n;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	n = realloc(*p, c * elem);
	if (!n)
		return -ENOMEM;
	*p = n;
	*cap = c;
	return 0;
}

/* x86_64 calls whose blob is a data buffer (read, write and friends): never interned. */
static bool _is_io_call(uint64_t nr)
{
	static const uint16_t io[] = { 0, 1, 17, 18, 19, 20, 44, 45, 46, 47, 295, 296, 299, 307, 327, 328 };

	for (size_t i = 0; i < sizeof(io) / sizeof(io[0]); i++)
		if (nr == io[i])
			return true;
	return false;
}

static int _wl_add(struct workload *w, const struct trace_rec *r)
{
	struct wl_rec *d;
	int err;

	err = _grow((void **)&w->rec, &w->cap, w->cnt + 1, sizeof(*w->rec));
	if (!err)
		err = _grow((void **)&w->ints, &w->int_cap, w->int_cnt + r->int_cnt, sizeof(*w->ints));
	if (!err)
		err = _grow((void **)&w->blobs, &w->blob_cap, w->blob_cnt + r->blob_cnt,
			    sizeof(*w->blobs));
	if (err)
		return err;
	d = &w->rec[w->cnt++];
	*d = (struct wl_rec){ .ts = r->ts, .tid = r->tid, .type = r->type, .cpu = r->cpu,
			      .int_cnt = r->int_cnt, .blob_cnt = r->blob_cnt,
			      .int_off = (uint32_t)w->int_cnt, .blob_off = (uint32_t)w->blob_cnt };
	memcpy(w->ints + w->int_cnt, r->ints, r->int_cnt * sizeof(*r->ints));
	w->int_cnt += r->int_cnt;
	for (int i = 0; i < r->blob_cnt; i++) {
		const struct trace_blob *b = &r->blobs[i];
		bool io = r->type == TR_SYSCALL && r->int_cnt && _is_io_call(r->ints[0]);

		err = _grow((void **)&w->bytes, &w->bytes_cap, w->bytes_sz + b->sz, 1);
		if (err)
			return err;
		memcpy(w->bytes + w->bytes_sz, b->data, b->sz);
		w->blobs[w->blob_cnt++] = (struct wl_blob){
			.off = (uint32_t)w->bytes_sz, .sz = b->sz, .tag = b->tag,
			.flags = io ? 0 : TRACE_BLOB_F_INTERN };
		w->bytes_sz += b->sz;
	}
	w->syscall_cnt += r->type == TR_SYSCALL;
	return 0;
}

static int _wl_load(struct workload *w, const char *path)
{
	struct trace_reader *r;
	struct trace_rec rec;
	struct sr_diag diag = { 0 };
	int err, ret;

	memset(w, 0, sizeof(*w));
	w->path = path;
	err = trace_reader__open(path, &r, &diag);
	if (err) {
		fprintf(stderr, "bench_format: '%s': %s\n", path,
			diag.msg[0] ? diag.msg : sr_strerror(err));
		return err;
	}
	const char *name = trace_props__str(trace_reader__props(r), "bench.workload", NULL);

	if (!name) {
		name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	}
	snprintf(w->name, sizeof(w->name), "%s", name);
	while ((ret = trace_reader__next(r, &rec)) == 1) {
		err = _wl_add(w, &rec);
		if (err)
			break;
	}
	if (ret < 0)
		err = ret;
	if (err) {
		const struct sr_diag *d = trace_reader__diag(r);

		fprintf(stderr, "bench_format: '%s': %s\n", path,
			d->err ? d->msg : sr_strerror(err));
	}
	trace_reader__close(r);
	if (err)
		return err;
	if (w->int_cnt > UINT32_MAX || w->blob_cnt > UINT32_MAX || w->bytes_sz > UINT32_MAX) {
		fprintf(stderr, "bench_format: '%s': workload too large\n", path);
		return -E2BIG;
	}
	if (!w->cnt) {
		fprintf(stderr, "bench_format: '%s': no records\n", path);
		return -EINVAL;
	}
	/* Repeat with the average gap between two records after the last one. */
	uint64_t span = w->rec[w->cnt - 1].ts - w->rec[0].ts;

	w->period_ns = span + (w->cnt > 1 ? span / (w->cnt - 1) : 1000);
	return 0;
}

static void _wl_free(struct workload *w)
{
	free(w->rec);
	free(w->ints);
	free(w->blobs);
	free(w->bytes);
}

/* A position in the endless repetition of a workload. */
struct wl_cur {
	size_t idx;      /* record of the workload */
	uint64_t ts_off; /* time shift of the current repetition */
};

/* Build the record at @cur in @out and advance @cur (no division: this is in the timed loop). */
static inline void _fill(const struct workload *w, struct wl_cur *cur, struct trace_rec *out)
{
	const struct wl_rec *s = &w->rec[cur->idx];
	const struct wl_blob *b = &w->blobs[s->blob_off];

	out->ts = s->ts + cur->ts_off;
	out->tid = s->tid;
	out->type = s->type;
	out->cpu = s->cpu;
	out->int_cnt = s->int_cnt;
	out->blob_cnt = s->blob_cnt;
	memcpy(out->ints, w->ints + s->int_off, s->int_cnt * sizeof(uint64_t));
	for (int k = 0; k < s->blob_cnt; k++)
		out->blobs[k] = (struct trace_blob){ .data = w->bytes + b[k].off, .sz = b[k].sz,
						     .tag = b[k].tag, .flags = b[k].flags };
	if (++cur->idx == w->cnt) {
		cur->idx = 0;
		cur->ts_off += w->period_ns;
	}
}

static void _print(const struct workload *w, int n)
{
	struct trace_rec r;
	struct wl_cur cur = { 0 };

	for (uint64_t i = 0; i < (uint64_t)n && i < w->cnt; i++) {
		_fill(w, &cur, &r);
		printf("%" PRIu64 " tid %u type %u ints", r.ts, r.tid, r.type);
		for (int k = 0; k < r.int_cnt; k++)
			printf(" %" PRIx64, r.ints[k]);
		for (int k = 0; k < r.blob_cnt; k++) {
			const uint8_t *p = r.blobs[k].data;

			printf(" | blob tag %u %s %u: ", r.blobs[k].tag,
			       r.blobs[k].flags ? "intern" : "data", r.blobs[k].sz);
			for (uint32_t j = 0; j < r.blobs[k].sz && j < 40; j++)
				putchar(p[j] >= 32 && p[j] < 127 ? p[j] : '.');
		}
		putchar('\n');
	}
}

/* ---- measurements ---- */

static void _apply_variant(struct trace_rec *r, int variant)
{
	if ((variant & V_NO_LATENCY) && r->type == TR_SYSCALL && r->int_cnt > 2)
		r->ints[2] = 0;
	if (variant & V_NO_BLOBS)
		r->blob_cnt = 0;
	if (variant & V_NO_IO_BLOBS) {
		int k = 0;

		for (int j = 0; j < r->blob_cnt; j++)
			if (r->blobs[j].flags & TRACE_BLOB_F_INTERN)
				r->blobs[k++] = r->blobs[j];
		r->blob_cnt = (uint8_t)k;
	}
}

static int _write_file(const struct workload *w, const char *path, uint64_t n, int variant,
		       struct trace_writer_stats *st)
{
	struct trace_writer *tw;
	struct trace_rec rec;
	struct wl_cur cur = { 0 };
	int err;

	memset(&rec, 0, sizeof(rec));
	err = trace_writer__open(path, NULL, NULL, &tw);
	if (err) {
		fprintf(stderr, "bench_format: '%s': %s\n", path, sr_strerror(err));
		return err;
	}
	for (uint64_t i = 0; i < n; i++) {
		_fill(w, &cur, &rec);
		if (variant)
			_apply_variant(&rec, variant);
		if (variant & V_FLAT_TS)
			rec.ts = w->rec[0].ts + i * (w->period_ns / w->cnt);
		err = trace_writer__append(tw, &rec);
		if (err)
			break;
	}
	if (st && !err)
		err = trace_writer__flush(tw, 1); /* so that the stats count every chunk */
	if (st)
		trace_writer__stats(tw, st);
	int cerr = trace_writer__close(tw);

	if (!err)
		err = cerr;
	if (err)
		fprintf(stderr, "bench_format: writing '%s': %s\n", path, sr_strerror(err));
	if (st && !err) {
		struct stat sb;

		if (stat(path, &sb) == 0)
			st->stored_sz = (uint64_t)sb.st_size; /* now including index and footer */
	}
	return err;
}

static double _fill_only_ns(const struct workload *w, uint64_t n)
{
	struct trace_rec rec;
	struct wl_cur cur = { 0 };
	volatile uint64_t sink = 0;
	double t0;

	memset(&rec, 0, sizeof(rec));
	t0 = _now();
	for (uint64_t i = 0; i < n; i++) {
		_fill(w, &cur, &rec);
		__asm__ volatile("" : : "r"(&rec) : "memory"); /* keep the stores */
		sink += rec.ts;
	}
	(void)sink;
	return (_now() - t0) * 1e9 / (double)n;
}

/* Bytes of the records as fixed-size structs, and compressed with zstd -1 in 1 MiB pieces. */
static int _raw_baseline(const struct workload *w, uint64_t *raw_sz, uint64_t *zstd_sz)
{
	size_t cap = RAW_PIECE_SZ + RAW_FIXED_SZ + TRACE_REC_MAX_BLOBS * RAW_SLOT_SZ;
	size_t dst_cap = ZSTD_compressBound(cap);
	uint8_t *buf = malloc(cap), *dst = malloc(dst_cap);
	ZSTD_CCtx *cctx = ZSTD_createCCtx();
	struct trace_rec r;
	struct wl_cur cur = { 0 };
	size_t len = 0;
	int err = 0;

	*raw_sz = *zstd_sz = 0;
	if (!buf || !dst || !cctx) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i <= w->cnt; i++) {
		if (len && (i == w->cnt || len >= RAW_PIECE_SZ)) {
			size_t z = ZSTD_compressCCtx(cctx, dst, dst_cap, buf, len, 1);

			if (ZSTD_isError(z)) {
				err = -EIO;
				goto out;
			}
			*raw_sz += len;
			*zstd_sz += z;
			len = 0;
		}
		if (i == w->cnt)
			break;
		_fill(w, &cur, &r);
		uint8_t *p = buf + len;

		/* ts, tid, cpu, type, nr, flags, blob count, ret, latency, arg0..5 */
		memset(p, 0, RAW_FIXED_SZ);
		put_le64(p, r.ts);
		put_le32(p + 8, r.tid);
		put_le16(p + 12, r.cpu);
		put_le16(p + 14, r.type);
		put_le32(p + 16, r.int_cnt > 0 ? (uint32_t)r.ints[0] : 0);
		put_le16(p + 20, r.int_cnt > 3 ? (uint16_t)r.ints[3] : 0);
		put_le16(p + 22, r.blob_cnt);
		for (int k = 1; k < r.int_cnt && k < 10; k++)
			put_le64(p + 24 + 8 * (k - 1), r.ints[k]);
		len += RAW_FIXED_SZ;
		for (int k = 0; k < r.blob_cnt; k++) {
			uint32_t sz = r.blobs[k].sz < RAW_SLOT_SZ ? r.blobs[k].sz : RAW_SLOT_SZ;

			memset(buf + len, 0, RAW_SLOT_SZ);
			memcpy(buf + len, r.blobs[k].data, sz);
			len += RAW_SLOT_SZ;
		}
	}
out:
	ZSTD_freeCCtx(cctx);
	free(buf);
	free(dst);
	return err;
}

static int _measure_size(const struct workload *w, const char *path, struct result *res)
{
	struct trace_writer_stats st;
	uint64_t raw_sz, zstd_sz;
	int err;

	err = _write_file(w, path, w->cnt, 0, &st);
	if (err)
		return err;
	res->bytes_per_rec = (double)st.stored_sz / (double)w->cnt;
	res->col_bytes_per_rec = (double)st.raw_sz / (double)w->cnt;
	for (int v = 0; v < VARIANT_CNT && !err; v++) {
		err = _write_file(w, path, w->cnt, variants[v].mask, &st);
		res->variant_bytes_per_rec[v] = (double)st.stored_sz / (double)w->cnt;
	}
	unlink(path);
	if (err)
		return err;
	err = _raw_baseline(w, &raw_sz, &zstd_sz);
	if (err)
		return err;
	res->raw_bytes_per_rec = (double)raw_sz / (double)w->cnt;
	res->raw_zstd_bytes_per_rec = (double)zstd_sz / (double)w->cnt;
	return 0;
}

static int _measure_write(const struct workload *w, const struct opts *o, const char *path,
			  struct result *res)
{
	double rps[MAX_ROUNDS], cpu[MAX_ROUNDS], main_cpu[MAX_ROUNDS], stall[MAX_ROUNDS];
	struct trace_writer_stats st;
	int err;

	for (int k = 0; k < o->rounds; k++) {
		double t0 = _now(), c0 = _proc_cpu(), m0 = _thread_cpu();

		err = _write_file(w, path, o->records, 0, &st);
		if (err)
			return err;
		double wall = _now() - t0, c = _proc_cpu() - c0, m = _thread_cpu() - m0;

		rps[k] = (double)o->records / wall;
		cpu[k] = c * 1e9 / (double)o->records;
		main_cpu[k] = m * 1e9 / (double)o->records;
		stall[k] = (double)st.stall_ns / 1e6;
		res->big_bytes_per_rec = (double)st.stored_sz / (double)o->records;
	}
	res->write_rps = _median(rps, o->rounds);
	res->write_cpu_ns = _median(cpu, o->rounds);
	res->write_main_cpu_ns = _median(main_cpu, o->rounds);
	res->write_stall_ms = _median(stall, o->rounds);
	return 0;
}

static int _measure_read(const char *path, const struct opts *o, struct result *res)
{
	double rps[MAX_ROUNDS], cpu[MAX_ROUNDS];
	uint64_t sum = 0;

	for (int k = 0; k < o->rounds; k++) {
		struct trace_reader *r;
		struct trace_rec rec;
		struct sr_diag diag = { 0 };
		uint64_t n = 0;
		int ret;
		double t0 = _now(), c0 = _thread_cpu();

		ret = trace_reader__open(path, &r, &diag);
		if (ret) {
			fprintf(stderr, "bench_format: '%s': %s\n", path,
				diag.msg[0] ? diag.msg : sr_strerror(ret));
			return ret;
		}
		while ((ret = trace_reader__next(r, &rec)) == 1) {
			sum += rec.ts ^ rec.ints[rec.int_cnt ? rec.int_cnt - 1 : 0];
			n++;
		}
		trace_reader__close(r);
		double wall = _now() - t0, c = _thread_cpu() - c0;

		if (ret < 0 || n != o->records) {
			fprintf(stderr, "bench_format: '%s': read %" PRIu64 " of %" PRIu64
				" records: %s\n", path, n, o->records, sr_strerror(ret));
			return ret < 0 ? ret : -EBADMSG;
		}
		rps[k] = (double)n / wall;
		cpu[k] = c * 1e9 / (double)n;
	}
	if (sum == 42)
		fputc(' ', stderr); /* keep the decoded values alive */
	res->read_rps = _median(rps, o->rounds);
	res->read_cpu_ns = _median(cpu, o->rounds);
	return 0;
}

static void _sleep_until(const struct timespec *t)
{
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, t, NULL) == EINTR)
		;
}

static int _measure_paced(const struct workload *w, const struct opts *o, const char *path,
			  struct result *res)
{
	double pct[MAX_ROUNDS], main_pct[MAX_ROUNDS], rate[MAX_ROUNDS];
	uint64_t late = 0, bursts = 0;
	uint64_t per_burst = (uint64_t)(o->paced_rate / 1000.0 + 0.5);
	uint64_t burst_cnt = (uint64_t)(o->paced_seconds * 1000.0 + 0.5);
	struct trace_rec rec;
	int err = 0;

	if (!per_burst)
		per_burst = 1;
	if (!burst_cnt)
		burst_cnt = 1;
	memset(&rec, 0, sizeof(rec));
	for (int k = 0; k < o->rounds; k++) {
		struct trace_writer *tw;
		struct timespec next;
		struct wl_cur cur = { 0 };
		uint64_t i = 0;

		err = trace_writer__open(path, NULL, NULL, &tw);
		if (err) {
			fprintf(stderr, "bench_format: '%s': %s\n", path, sr_strerror(err));
			return err;
		}
		double t0 = _now(), c0 = _proc_cpu(), m0 = _thread_cpu();

		clock_gettime(CLOCK_MONOTONIC, &next);
		for (uint64_t b = 0; b < burst_cnt && !err; b++) {
			for (uint64_t j = 0; j < per_burst && !err; j++, i++) {
				_fill(w, &cur, &rec);
				err = trace_writer__append(tw, &rec);
			}
			next.tv_nsec += 1000000;
			if (next.tv_nsec >= 1000000000) {
				next.tv_nsec -= 1000000000;
				next.tv_sec++;
			}
			struct timespec now;

			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec > next.tv_sec ||
			    (now.tv_sec == next.tv_sec && now.tv_nsec > next.tv_nsec))
				late++;
			bursts++;
			_sleep_until(&next);
		}
		int cerr = trace_writer__close(tw);

		if (!err)
			err = cerr;
		if (err) {
			fprintf(stderr, "bench_format: writing '%s': %s\n", path, sr_strerror(err));
			return err;
		}
		double wall = _now() - t0, c = _proc_cpu() - c0, m = _thread_cpu() - m0;

		pct[k] = 100.0 * c / wall;
		main_pct[k] = 100.0 * m / wall;
		rate[k] = (double)i / wall;
	}
	unlink(path);
	res->paced_cpu_pct = _median(pct, o->rounds);
	res->paced_main_cpu_pct = _median(main_pct, o->rounds);
	res->paced_rate = _median(rate, o->rounds);
	res->paced_late = late;
	res->paced_bursts = bursts;
	return 0;
}

static void _loadavg(char *buf, size_t sz)
{
	FILE *f = fopen("/proc/loadavg", "r");

	snprintf(buf, sz, "?");
	if (f) {
		if (fgets(buf, (int)sz, f))
			buf[strcspn(buf, " ")] = 0;
		fclose(f);
	}
}

static int _bench(const struct workload *w, const struct opts *o, struct result *res)
{
	char path[4096], load[64];
	int err;

	memset(res, 0, sizeof(*res));
	if ((size_t)snprintf(path, sizeof(path), "%s/bench_format-%d.sysrec", o->dir,
			     (int)getpid()) >= sizeof(path))
		return -ENAMETOOLONG;
	_loadavg(load, sizeof(load));
	printf("%s: %zu records (%" PRIu64 " syscalls) from %s; load average %s\n", w->name,
	       w->cnt, w->syscall_cnt, w->path, load);
	fflush(stdout);
	err = _measure_size(w, path, res);
	if (!err)
		res->fill_ns = _fill_only_ns(w, o->records);
	if (!err)
		err = _measure_write(w, o, path, res);
	if (!err)
		err = _measure_read(path, o, res);
	unlink(path);
	if (!err && o->paced_seconds > 0)
		err = _measure_paced(w, o, path, res);
	if (err)
		return err;
	printf("  size   %.3f B/record in the file (%.2f B of columns before zstd); "
	       "%.0f B as structs, %.3f B with zstd -1; %.3f B/record over %" PRIu64 " records\n",
	       res->bytes_per_rec, res->col_bytes_per_rec, res->raw_bytes_per_rec,
	       res->raw_zstd_bytes_per_rec, res->big_bytes_per_rec, o->records);
	printf("  size breakdown (B/record):");
	for (int v = 0; v < VARIANT_CNT; v++)
		printf("%s %s %.3f", v ? ";" : "", variants[v].what, res->variant_bytes_per_rec[v]);
	printf("\n");
	printf("  write  %.2f M records/s, %.1f ns CPU/record (both threads; appending thread "
	       "%.1f ns, of which building the record %.1f ns), stall %.1f ms\n",
	       res->write_rps / 1e6, res->write_cpu_ns, res->write_main_cpu_ns, res->fill_ns,
	       res->write_stall_ms);
	if (o->paced_seconds > 0)
		printf("  paced  %.2f M records/s for %.1f s: %.1f%% of one core (appending thread "
		       "%.1f%%); %" PRIu64 " of %" PRIu64 " bursts late\n",
		       res->paced_rate / 1e6, o->paced_seconds, res->paced_cpu_pct,
		       res->paced_main_cpu_pct, res->paced_late, res->paced_bursts);
	printf("  read   %.2f M records/s (%.1f ns CPU/record, one thread)\n", res->read_rps / 1e6,
	       res->read_cpu_ns);
	fflush(stdout);
	return 0;
}

static void _usage(FILE *f)
{
	fprintf(f,
		"usage: bench_format [options] WORKLOAD.sysrec...\n"
		"  -n, --records N        records per write/read round (default 10000000)\n"
		"  -r, --rounds N         rounds per measurement, median reported (default 5)\n"
		"      --paced-rate R     records/s of the paced run (default 3000000)\n"
		"      --paced-seconds S  length of one paced round; 0 skips it (default 5)\n"
		"  -d, --dir DIR          where to write (default /dev/shm, else /tmp)\n"
		"      --print N          print the first N records of each workload and exit\n");
}

static int _parse_num(const char *s, double min, double max, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || *out < min || *out > max) {
		fprintf(stderr, "bench_format: '%s': not a number in [%g, %g]\n", s, min, max);
		return -EINVAL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "records", required_argument, NULL, 'n' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "paced-rate", required_argument, NULL, 1 },
		{ "paced-seconds", required_argument, NULL, 2 },
		{ "dir", required_argument, NULL, 'd' },
		{ "print", required_argument, NULL, 3 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .records = 10000000, .rounds = 5, .paced_rate = 3e6,
			  .paced_seconds = 5, .dir = NULL };
	struct stat sb;
	double v;
	int opt, err = 0, wl_cnt;

	while ((opt = getopt_long(argc, argv, "n:r:d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			err = _parse_num(optarg, 1, 1e12, &v);
			o.records = (uint64_t)v;
			break;
		case 'r':
			err = _parse_num(optarg, 1, MAX_ROUNDS, &v);
			o.rounds = (int)v;
			break;
		case 1: err = _parse_num(optarg, 1000, 1e9, &o.paced_rate); break;
		case 2: err = _parse_num(optarg, 0, 3600, &o.paced_seconds); break;
		case 'd': o.dir = optarg; break;
		case 3:
			err = _parse_num(optarg, 1, 1e9, &v);
			o.print = (int)v;
			break;
		case 'h': _usage(stdout); return 0;
		default: _usage(stderr); return 2;
		}
		if (err)
			return 2;
	}
	if (optind >= argc) {
		_usage(stderr);
		return 2;
	}
	if (!o.dir)
		o.dir = stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) ? "/dev/shm" : "/tmp";

	wl_cnt = argc - optind;
	struct workload *wl = calloc((size_t)wl_cnt, sizeof(*wl));
	struct result *res = calloc((size_t)wl_cnt, sizeof(*res));

	if (!wl || !res) {
		free(wl);
		free(res);
		return 1;
	}
	for (int i = 0; i < wl_cnt && !err; i++) {
		err = _wl_load(&wl[i], argv[optind + i]);
		if (!err && o.print)
			_print(&wl[i], o.print);
	}
	if (!err && !o.print) {
		printf("bench_format: %" PRIu64 " records per round, median of %d rounds, files in "
		       "%s, paced run %.0f records/s for %.1f s\n",
		       o.records, o.rounds, o.dir, o.paced_rate, o.paced_seconds);
		for (int i = 0; i < wl_cnt && !err; i++)
			err = _bench(&wl[i], &o, &res[i]);
	}
	if (!err && !o.print) {
		printf("\n| workload | records | sysrec B/rec | structs + zstd -1 B/rec | "
		       "write M rec/s | write CPU ns/rec | CPU at %.0f M rec/s | read M rec/s |\n"
		       "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
		       o.paced_rate / 1e6);
		for (int i = 0; i < wl_cnt; i++)
			printf("| %s | %zu | %.2f | %.2f | %.1f | %.0f | %.1f%% | %.1f |\n",
			       wl[i].name, wl[i].cnt, res[i].bytes_per_rec,
			       res[i].raw_zstd_bytes_per_rec, res[i].write_rps / 1e6,
			       res[i].write_cpu_ns, res[i].paced_cpu_pct, res[i].read_rps / 1e6);
	}
	for (int i = 0; i < wl_cnt; i++)
		_wl_free(&wl[i]);
	free(wl);
	free(res);
	return err ? 1 : 0;
}
