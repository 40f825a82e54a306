// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target for the filter compiler: compile the bytes (up to the first NUL) as a filter
 * and, when they compile, evaluate the filter on a fixed event (a nginx read() on a TCP
 * socket, with a buffer, through the real state engine).  Besides "no crash, no leak" (run
 * it under ASan/UBSan), it checks what the compiler promises:
 *   - success gives a filter and every jump goes forward, inside the program or to its end;
 *   - failure is -EINVAL with a message and a column inside the text (+1 for "the end"),
 *     or -ENOMEM, and gives no filter;
 *   - `not (TEXT)` compiles too (unless that is one level too deep) and matches the event
 *     exactly when TEXT does not.
 *
 * Built with -fsanitize=fuzzer as fuzz_filter when clang and SYSREC_FUZZ are available, and
 * always linked with replay_driver.c as fuzz_filter_replay, which ctest runs over the corpus.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "filter.h"
#include "filter_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_filter: invariant violated: %s (%s:%d)\n", #cond,    \
				__FILE__, __LINE__);                                               \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* Longer filters add nothing the fuzzer cannot find with short ones. */
#define MAX_LEN 4096

static struct sr_state *st;
static struct sr_evt *ev;
static struct trace_rec recs[3];

static const uint8_t ip_srv[4] = {10, 0, 0, 5}, ip_cli[4] = {192, 168, 1, 10};
static const char req[] = "GET /index.html HTTP/1.1\r\nHost: example.com\r\n";

static void _add(struct trace_rec *r, uint64_t v)
{
	r->ints[r->int_cnt++] = v;
}

static void _blob(struct trace_rec *r, uint16_t tag, const void *p, size_t sz)
{
	r->blobs[r->blob_cnt].data = p;
	r->blobs[r->blob_cnt].sz = (uint32_t)sz;
	r->blobs[r->blob_cnt++].tag = tag;
}

/* The event every filter is tried on (state lives for the whole run). */
static void _setup(void)
{
	struct trace_rec *t = &recs[0], *fd = &recs[1], *sc = &recs[2];

	t->type = TR_THREAD;
	t->tid = 100;
	for (uint64_t v = 0; v < 13; v++) /* tid pid ppid vtid vpid uid gid euid egid cg ... */
		_add(t, v == 0 || v == 1 ? 100 : v == 2 ? 1 : v == 10 ? TR_THREAD_F_SNAPSHOT : v);
	_blob(t, 0, "nginx", 5);
	_blob(t, 1, "/usr/sbin/nginx", 15);
	_blob(t, 2, "nginx\0-g\0daemon off;", 20);
	_blob(t, 3, "/srv/www", 8);

	/* pid fd type flags l4proto lport rport ino; name sip dip */
	fd->type = TR_FD;
	_add(fd, 100);
	_add(fd, 3);
	_add(fd, TR_FD_IPV4);
	_add(fd, 2);
	_add(fd, 6);
	_add(fd, 80);
	_add(fd, 43210);
	_add(fd, 1234);
	_blob(fd, 0, "", 0);
	_blob(fd, 1, ip_srv, 4);
	_blob(fd, 2, ip_cli, 4);

	/* nr ret latency flags, then read(fd, buf, count) */
	sc->type = TR_SYSCALL;
	sc->tid = 100;
	sc->ts = 2000000000;
	_add(sc, (uint64_t)sr_syscall__nr("read"));
	_add(sc, sizeof(req) - 1);
	_add(sc, 2500000);
	_add(sc, 0);
	_add(sc, 3);
	_add(sc, 0x7f0000001000);
	_add(sc, 4096);
	_blob(sc, 1, req, sizeof(req) - 1);

	st = sr_state__new();
	ev = calloc(1, sizeof(*ev));
	CHECK(st && ev);
	ev->boot_time_ns = 1700000000000000000ull;
	ev->start_wall = ev->boot_time_ns + sc->ts;
	for (int i = 0; i < 3; i++) {
		ev->rec = &recs[i];
		ev->num = 1;
		sr_state__enter(st, ev);
		if (i < 2)
			sr_state__leave(st, ev);
	}
}

static void _check_prog(const struct sr_filter *f)
{
	for (uint32_t i = 0; i < f->cnt; i++) {
		CHECK(f->insns[i].jt > i && f->insns[i].jt <= FLT_REJECT(f));
		CHECK(f->insns[i].jf > i && f->insns[i].jf <= FLT_REJECT(f));
		CHECK(f->insns[i].ref.def != NULL);
	}
}

static bool _match(const struct sr_filter *f)
{
	ev->scratch_used = 0; /* getters format into it; the replay resets it per event */
	return sr_filter__match(f, ev);
}

static bool _blank(const char *s)
{
	for (; *s; s++)
		if (!strchr(" \t\n\r\v\f", *s))
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sr_filter *f = NULL, *nf = NULL;
	struct sr_filter_err err;
	char dump[256], *text, *neg;
	size_t len;
	int ret;

	if (!st)
		_setup();
	if (size > MAX_LEN)
		return 0;
	text = malloc(size + 1);
	neg = malloc(size + 8);
	CHECK(text && neg);
	memcpy(text, data, size);
	text[size] = '\0';
	len = strlen(text);

	ret = sr_filter__compile(text, &f, &err);
	if (ret) {
		CHECK(ret == -EINVAL || ret == -ENOMEM);
		CHECK(f == NULL);
		CHECK(err.msg[0] != '\0');
		CHECK(err.column >= 1 && err.column <= len + 1);
		goto out;
	}
	CHECK(f != NULL);
	_check_prog(f);
	CHECK(sr_filter__dump(f, dump, sizeof(dump)) > 0);
	if (_blank(text)) {
		CHECK(f->cnt == 0 && _match(f));
		goto out;
	}
	snprintf(neg, size + 8, "not (%s)", text);
	ret = sr_filter__compile(neg, &nf, &err);
	if (ret) {
		CHECK(ret == -EINVAL && strstr(err.msg, "too deeply nested"));
		goto out;
	}
	CHECK(nf->cnt == f->cnt);
	CHECK(_match(f) != _match(nf));
out:
	sr_filter__free(f);
	sr_filter__free(nf);
	free(text);
	free(neg);
	return 0;
}
