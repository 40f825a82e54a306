// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target for everything replay does with the records of a trace: the state engine
 * (threads, processes, fd tables, containers, users, interfaces and packet headers), the symbolizer (MAPPING and SYMBOLS
 * tables), probe definitions and tracepoint formats, the field getters, and the text and JSON
 * output.  The trace reader has its own target (fuzz_reader); a reader only passes records
 * whose chunks have valid checksums, so this one takes records directly: the input is decoded
 * as a stream of records (below), which lets the fuzzer build any sequence of them.
 *
 * Record encoding (every read past the end yields zeros, and stops after this record):
 *   u8 type (taken modulo 32), u8 tid (modulo 8; small, so records meet the same threads),
 *   u8 int_cnt (modulo 33), ints: u8 selector, then 1 byte (selector < 192) or 8 bytes,
 *   u8 blob_cnt (modulo 9), blobs: u8 tag, u8 len, len bytes.
 *
 * Built with -fsanitize=fuzzer as fuzz_state when clang and SYSREC_FUZZ are available, and
 * always with replay_driver.c as fuzz_state_replay, which ctest runs over the corpus.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "fields.h"
#include "output.h"
#include "state.h"

#define MAX_RECS 2000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct cur {
	const uint8_t *p, *end;
};

static uint8_t _u8(struct cur *c)
{
	return c->p < c->end ? *c->p++ : 0;
}

static uint64_t _int(struct cur *c)
{
	uint8_t sel = _u8(c);
	uint64_t v = 0;

	if (sel < 192)
		return _u8(c);
	for (int i = 0; i < 8; i++)
		v = v << 8 | _u8(c);
	return v;
}

static void _record(struct cur *c, struct trace_rec *rec, uint8_t *blob_buf)
{
	memset(rec, 0, sizeof(*rec));
	rec->type = _u8(c) % 32;
	rec->tid = _u8(c) % 8;
	rec->ts = (uint64_t)_u8(c) * 1000;
	rec->int_cnt = _u8(c) % (TRACE_REC_MAX_INTS + 1);
	for (int i = 0; i < rec->int_cnt; i++)
		rec->ints[i] = _int(c);
	rec->blob_cnt = _u8(c) % (TRACE_REC_MAX_BLOBS + 1);
	for (int i = 0; i < rec->blob_cnt; i++) {
		uint8_t *b = blob_buf + i * 256;
		uint8_t len;

		rec->blobs[i].tag = _u8(c);
		len = _u8(c);
		for (int k = 0; k < len; k++)
			b[k] = _u8(c);
		rec->blobs[i] = (struct trace_blob){ b, len, rec->blobs[i].tag, 0 };
	}
}

/* Fields whose getters do the most decoding. */
static const char *const fields[] = {
	"evt.args", "evt.arg[0]", "evt.arg.fd", "evt.res", "evt.buffer", "fd.name", "fd.sip",
	"fd.dport", "fd.directory", "proc.cmdline", "proc.aname[3]", "proc.exe", "user.name",
	"container.name", "sample.stack", "sample.func", "sample.event", "probe.name",
	"probe.arg[1]", "probe.arg.filename", "thread.cpu", "cgroup.path", "pkt.summary",
	"pkt.payload", "pkt.iface", "pkt.proto", "ns.net",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t blob_buf[TRACE_REC_MAX_BLOBS * 256];
	struct cur c = { data, data + size };
	struct sr_field_ref refs[sizeof(fields) / sizeof(fields[0])];
	struct sr_output *text = NULL, *json = NULL;
	struct sr_state *st = sr_state__new();
	struct sr_evt *ev = calloc(1, sizeof(*ev));
	FILE *null = fopen("/dev/null", "w");
	struct trace_rec rec;
	char err[256];

	if (!ev || !null || sr_output__new(null, false, NULL, SR_BUF_DOTS, &text, err, sizeof(err)) ||
	    sr_output__new(null, true, NULL, SR_BUF_ASCII, &json, err, sizeof(err)))
		abort();
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (sr_field__parse(fields[i], strlen(fields[i]), &refs[i], err, sizeof(err)))
			abort();
	for (int n = 0; n < MAX_RECS && c.p < c.end; n++) {
		struct sr_value v;

		_record(&c, &rec, blob_buf);
		ev->rec = &rec;
		ev->num = (uint64_t)n + 1;
		sr_state__enter(st, ev);
		if (rec.type < TR_THREAD) {
			sr_output__event(text, ev);
			sr_output__event(json, ev);
			for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
				sr_field__get(ev, &refs[i], &v);
		}
		sr_state__leave(st, ev);
	}
	sr_output__free(text);
	sr_output__free(json);
	fclose(null);
	free(ev);
	sr_state__free(st);
	return 0;
}
