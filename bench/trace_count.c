// SPDX-License-Identifier: Apache-2.0
/*
 * Count the syscall records of a trace file, for the lost-event checks of
 * bench/run_capture.sh: how many calls of some syscall numbers a trace holds from the threads
 * of one program, to compare with the exact count the program made (bench/syscall_loop.c).
 *
 * A thread is matched by the comm of its last THREAD record (so a child forked by a shell and
 * then exec'ed is counted under its new name); the counts are kept per thread and summed at
 * the end.  Lost events are the summary's drop counters: kind 0 (the ring was full: records
 * lost) and kind 1 (records written without some of their data) are reported apart.
 *
 * Usage: trace_count [-c COMM] [-e NR]... FILE
 * Prints key=value lines: syscalls (all syscall records), matched (syscall records with one
 * of the -e numbers, or any number without -e, from threads named COMM, or any thread without
 * -c), threads_matched, lost, incomplete, file_size.  Exit status 1 if the file cannot be
 * read to its end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_reader.h"

#define MAX_NRS 8
#define COMM_SZ 16

struct thread_cnt {
	uint32_t tid;
	uint64_t matched;
	char comm[COMM_SZ];
};

struct count_state {
	struct thread_cnt *threads;
	size_t thread_cnt, thread_cap;
	size_t last; /* index of the last thread found: records come in runs of one thread */
};

static struct thread_cnt *_thread(struct count_state *st, uint32_t tid)
{
	struct thread_cnt *t;

	if (st->thread_cnt && st->threads[st->last].tid == tid)
		return &st->threads[st->last];
	for (size_t i = 0; i < st->thread_cnt; i++) {
		if (st->threads[i].tid == tid) {
			st->last = i;
			return &st->threads[i];
		}
	}
	if (st->thread_cnt == st->thread_cap) {
		size_t cap = st->thread_cap ? 2 * st->thread_cap : 64;
		struct thread_cnt *n = realloc(st->threads, cap * sizeof(*n));

		if (!n)
			return NULL;
		st->threads = n;
		st->thread_cap = cap;
	}
	t = &st->threads[st->thread_cnt];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	st->last = st->thread_cnt++;
	return t;
}

static int _parse_nr(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || end == s || *end || *out > 4096)
		return -EINVAL;
	return 0;
}

int main(int argc, char **argv)
{
	const char *comm = NULL, *path = NULL;
	uint64_t nrs[MAX_NRS], syscalls = 0, matched = 0, lost = 0, incomplete = 0;
	size_t nr_cnt = 0, threads_matched = 0;
	struct count_state st = { 0 };
	const struct trace_summary *sum;
	struct trace_reader *r;
	struct trace_rec rec;
	struct sr_diag diag = { 0 };
	int err, ret = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-c") && i + 1 < argc) {
			comm = argv[++i];
		} else if (!strcmp(argv[i], "-e") && i + 1 < argc && nr_cnt < MAX_NRS) {
			if (_parse_nr(argv[++i], &nrs[nr_cnt++])) {
				fprintf(stderr, "trace_count: -e '%s': not a syscall number\n", argv[i]);
				return 2;
			}
		} else if (argv[i][0] != '-' && !path) {
			path = argv[i];
		} else {
			path = NULL;
			break;
		}
	}
	if (!path) {
		fprintf(stderr, "usage: trace_count [-c COMM] [-e NR]... FILE\n");
		return 2;
	}
	err = trace_reader__open(path, &r, &diag);
	if (err) {
		fprintf(stderr, "trace_count: '%s': %s\n", path, diag.err ? diag.msg : sr_strerror(err));
		return 1;
	}
	while ((err = trace_reader__next(r, &rec)) == 1) {
		struct thread_cnt *t;
		bool hit = !nr_cnt;

		if (rec.type != TR_SYSCALL && rec.type != TR_THREAD)
			continue;
		t = _thread(&st, rec.type == TR_THREAD ? (uint32_t)rec.ints[TR_THREAD_TID] : rec.tid);
		if (!t) {
			err = -ENOMEM;
			break;
		}
		if (rec.type == TR_THREAD) {
			const struct trace_blob *b = &rec.blobs[TR_THREAD_BLOB_COMM];

			if (rec.blob_cnt > TR_THREAD_BLOB_COMM) {
				size_t len = b->sz < COMM_SZ - 1 ? b->sz : COMM_SZ - 1;

				memcpy(t->comm, b->data, len);
				t->comm[len] = '\0';
			}
			continue;
		}
		syscalls++;
		for (size_t k = 0; k < nr_cnt && !hit; k++)
			hit = rec.ints[0] == nrs[k];
		if (hit)
			t->matched++;
	}
	if (err < 0) {
		const struct sr_diag *d = trace_reader__diag(r);

		fprintf(stderr, "trace_count: '%s': %s\n", path, d->err ? d->msg : sr_strerror(err));
		ret = 1;
	}
	for (size_t i = 0; i < st.thread_cnt; i++) {
		if (comm && strcmp(st.threads[i].comm, comm))
			continue;
		matched += st.threads[i].matched;
		threads_matched += st.threads[i].matched > 0;
	}
	if (!trace_reader__summary(r, &sum)) {
		for (size_t i = 0; i < sum->drop_cnt; i++) {
			if (sum->drops[i].kind == 0)
				lost += sum->drops[i].count;
			else
				incomplete += sum->drops[i].count;
		}
		printf("syscalls=%llu\nmatched=%llu\nthreads_matched=%zu\nlost=%llu\nincomplete=%llu\n"
		       "file_size=%llu\n",
		       (unsigned long long)syscalls, (unsigned long long)matched, threads_matched,
		       (unsigned long long)lost, (unsigned long long)incomplete,
		       (unsigned long long)sum->file_sz);
	} else {
		ret = 1;
	}
	trace_reader__close(r);
	free(st.threads);
	return ret;
}
