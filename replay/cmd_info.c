// SPDX-License-Identifier: Apache-2.0
/*
 * `sysrec info FILE`: what a trace holds, from its header and index alone when the file was
 * closed cleanly, or by reading every chunk when it was not (then it also says where and why
 * the file ends).  Text for people, -j for scripts.
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "record.h"
#include "text_escape.h"
#include "trace_reader.h"

static const char info_usage[] =
	"USAGE\n"
	"  sysrec info [-j] FILE\n"
	"\n"
	"Print a trace's header (format version, machine, capture options), time span, record\n"
	"counts per type, lost events, chunk count, raw and stored sizes, and the containers and\n"
	"processes it has state for.  A file that was not closed cleanly (crash, kill -9, full\n"
	"disk) is read up to its last complete chunk; info then says where and why it stops and\n"
	"exits with status 1.\n"
	"\n"
	"OPTIONS\n"
	"  -j, --json   one JSON object on stdout\n"
	"  -h, --help   this text\n"
	"\n"
	"EXAMPLES\n"
	"  sysrec info trace.sysrec\n"
	"  sysrec info -j trace.sysrec | jq .records.syscall\n";

struct proc_ent {
	uint32_t pid, ppid;
	char comm[32];
	char exe[256];
	char container[80];
};

struct cont_ent {
	char id[80], name[128], image[256], runtime[32];
};

struct info_state {
	struct proc_ent *procs;
	size_t proc_cnt, proc_cap;
	struct cont_ent *conts;
	size_t cont_cnt, cont_cap;
};

static void _blob_str(const struct trace_rec *rec, int i, char *dst, size_t cap)
{
	size_t n = 0;

	if (i < rec->blob_cnt) {
		n = rec->blobs[i].sz < cap - 1 ? rec->blobs[i].sz : cap - 1;
		memcpy(dst, rec->blobs[i].data, n);
	}
	dst[n] = 0;
}

/* Room for a char array field once escaped. */
#define ESC_SZ(field) (sizeof(field) * SR_ESC_RATIO + 1)

/* The first @max bytes of @str (a value from the trace), terminal-safe, in @buf: cut before
 * escaping, so that a column width never splits an escape or a character. */
static const char *_esc(const char *str, size_t max, char *buf, size_t cap)
{
	size_t len = strnlen(str, max);

	sr_text_escape(buf, cap, str, len);
	return buf;
}

/* @str escaped into a new string (the caller frees it); NULL when out of memory. */
static char *_esc_dup(const char *str)
{
	size_t len = strlen(str), cap = len * SR_ESC_RATIO + 1;
	char *buf = malloc(cap);

	if (buf)
		sr_text_escape(buf, cap, str, len);
	return buf;
}

/* A string value of info -j, escaped as replay -j shows values: cJSON escapes control bytes but copies invalid UTF-8 as it is,
 * which no JSON parser accepts; values show as `replay -j` shows them. */
static void _json_str(cJSON *o, const char *key, const char *str)
{
	char *esc = sr_text_is_plain(str, strlen(str)) ? NULL : _esc_dup(str);

	cJSON_AddStringToObject(o, key, esc ? esc : str);
	free(esc);
}

static void *_grow(void *p, size_t *cap, size_t cnt, size_t elem)
{
	if (cnt < *cap)
		return p;
	size_t n = *cap ? *cap * 2 : 64;
	void *q = realloc(p, n * elem);

	if (q)
		*cap = n;
	return q;
}

/* Keep the latest state per pid and per container id. */
static int _note_state(const struct trace_rec *rec, void *ctx)
{
	struct info_state *st = ctx;

	if (rec->type == TR_THREAD && rec->int_cnt > TR_THREAD_PID &&
	    rec->ints[TR_THREAD_PID] == rec->ints[TR_THREAD_TID]) {
		struct proc_ent *p = NULL;

		for (size_t i = 0; i < st->proc_cnt && !p; i++)
			if (st->procs[i].pid == rec->ints[TR_THREAD_PID])
				p = &st->procs[i];
		if (!p) {
			void *n = _grow(st->procs, &st->proc_cap, st->proc_cnt, sizeof(*p));

			if (!n)
				return -1;
			st->procs = n;
			p = &st->procs[st->proc_cnt++];
			memset(p, 0, sizeof(*p));
		}
		p->pid = (uint32_t)rec->ints[TR_THREAD_PID];
		p->ppid = rec->int_cnt > TR_THREAD_PPID ? (uint32_t)rec->ints[TR_THREAD_PPID] : 0;
		_blob_str(rec, TR_THREAD_BLOB_COMM, p->comm, sizeof(p->comm));
		/* Identity updates (set*id, prctl) carry no exe: keep the one known. */
		if (rec->blob_cnt > TR_THREAD_BLOB_EXE && rec->blobs[TR_THREAD_BLOB_EXE].sz)
			_blob_str(rec, TR_THREAD_BLOB_EXE, p->exe, sizeof(p->exe));
		_blob_str(rec, TR_THREAD_BLOB_CONTAINER_ID, p->container, sizeof(p->container));
	} else if (rec->type == TR_CONTAINER) {
		struct cont_ent c, *slot = NULL;

		_blob_str(rec, TR_CONTAINER_BLOB_ID, c.id, sizeof(c.id));
		_blob_str(rec, TR_CONTAINER_BLOB_NAME, c.name, sizeof(c.name));
		_blob_str(rec, TR_CONTAINER_BLOB_IMAGE, c.image, sizeof(c.image));
		_blob_str(rec, TR_CONTAINER_BLOB_RUNTIME, c.runtime, sizeof(c.runtime));
		for (size_t i = 0; i < st->cont_cnt && !slot; i++)
			if (!strcmp(st->conts[i].id, c.id))
				slot = &st->conts[i];
		if (!slot) {
			void *n = _grow(st->conts, &st->cont_cap, st->cont_cnt, sizeof(c));

			if (!n)
				return -1;
			st->conts = n;
			slot = &st->conts[st->cont_cnt++];
		}
		*slot = c;
	}
	return 0;
}

static int _cmp_pid(const void *a, const void *b)
{
	const struct proc_ent *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Without an index, collect state records by reading the file (the summary already scanned
 * it once; state records are few, so this second pass is what `info` can afford). */
static int _collect_state(struct trace_reader *r, const struct trace_summary *s,
			  struct info_state *st)
{
	struct trace_rec rec;
	int ret;

	if (s->from_index)
		return trace_summary__catalog(s, _note_state, st);
	while ((ret = trace_reader__next(r, &rec)) == 1)
		if (rec.type >= TR_THREAD && _note_state(&rec, st))
			return -1;
	return 0; /* the reason a scan stopped is in the summary's scan_diag */
}

static void _fmt_wall(uint64_t boot_ns, uint64_t ts, char *buf, size_t cap)
{
	uint64_t wall = boot_ns + ts;
	time_t sec = (time_t)(wall / 1000000000ull);
	struct tm tm;

	gmtime_r(&sec, &tm);
	size_t n = strftime(buf, cap, "%Y-%m-%d %H:%M:%S", &tm);

	snprintf(buf + n, cap - n, ".%09llu UTC", (unsigned long long)(wall % 1000000000ull));
}

static void _fmt_size(uint64_t sz, char *buf, size_t cap)
{
	if (sz >= (1ull << 30))
		snprintf(buf, cap, "%.2f GiB", sz / 1073741824.0);
	else if (sz >= (1ull << 20))
		snprintf(buf, cap, "%.2f MiB", sz / 1048576.0);
	else if (sz >= 1024)
		snprintf(buf, cap, "%.1f KiB", sz / 1024.0);
	else
		snprintf(buf, cap, "%llu B", (unsigned long long)sz);
}

static const char *_type_name(unsigned int t, char *buf, size_t cap)
{
	const struct trace_rec_type_info *ti = trace_rec_type__get(t);

	if (ti)
		return ti->name;
	snprintf(buf, cap, t == TR_TYPE_MAX ? "type>=%u" : "type%u", t);
	return buf;
}

/* Property names and strings come from the file: escaped like any value from a trace. */
static void _print_prop(const struct trace_prop *p)
{
	char *name = _esc_dup(p->name), *str = NULL;

	if (!name)
		return;
	switch (p->kind) {
	case TF_PROP_U64:
		printf("  %-28s %" PRIu64 "\n", name, p->u64);
		break;
	case TF_PROP_I64:
		printf("  %-28s %" PRId64 "\n", name, (int64_t)p->u64);
		break;
	case TF_PROP_STR:
		str = _esc_dup(p->data);
		printf("  %-28s %s\n", name, str ? str : "?");
		break;
	default:
		printf("  %-28s <%u bytes>\n", name, p->sz);
		break;
	}
	free(str);
	free(name);
}

static void _print_text(const char *path, struct trace_reader *r, const struct trace_summary *s,
			struct info_state *st)
{
	const struct trace_props *props = trace_reader__props(r);
	uint64_t boot = trace_props__u64(props, "machine.boot_time_ns", 0);
	unsigned int major, minor;
	char a[64], b[64], tn[32];
	char *host, *release, *arch;
	uint64_t drops = 0;

	trace_reader__version(r, &major, &minor);
	_fmt_size(s->file_sz, a, sizeof(a));
	printf("file        %s (%s, format %u.%u, %s)\n", path, a, major, minor,
	       s->from_index ? "closed cleanly" : "no index: not closed cleanly");
	host = _esc_dup(trace_props__str(props, "machine.hostname", "?"));
	release = _esc_dup(trace_props__str(props, "machine.kernel_release", "?"));
	arch = _esc_dup(trace_props__str(props, "machine.arch", "?"));
	printf("machine     %s, linux %s %s, %" PRIu64 " cpus, page size %" PRIu64 "\n",
	       host ? host : "?", release ? release : "?", arch ? arch : "?",
	       trace_props__u64(props, "machine.cpu_cnt", 0),
	       trace_props__u64(props, "machine.page_sz", 0));
	free(host);
	free(release);
	free(arch);
	if (s->rec_cnt) {
		_fmt_wall(boot, s->min_ts, a, sizeof(a));
		_fmt_wall(boot, s->max_ts, b, sizeof(b));
		printf("time        %s .. %s (%.6f s)\n", a, b, (s->max_ts - s->min_ts) / 1e9);
	} else {
		printf("time        (no records)\n");
	}
	_fmt_size(s->raw_sz, a, sizeof(a));
	_fmt_size(s->stored_sz, b, sizeof(b));
	printf("records     %" PRIu64 " in %" PRIu64 " chunks; %s raw, %s stored",
	       s->rec_cnt, s->chunk_cnt, a, b);
	if (s->rec_cnt && s->stored_sz)
		printf(" (%.2fx, %.2f bytes/record)", (double)s->raw_sz / s->stored_sz,
		       (double)s->stored_sz / s->rec_cnt);
	printf("\n");
	for (unsigned int t = 0; t < TR_TYPE_MAX; t++)
		if (s->counts[t])
			printf("  %-12s %" PRIu64 "\n", _type_name(t, tn, sizeof(tn)), s->counts[t]);
	if (s->other_cnt)
		printf("  %-12s %" PRIu64 "\n", _type_name(TR_TYPE_MAX, tn, sizeof(tn)), s->other_cnt);
	for (size_t i = 0; i < s->drop_cnt; i++)
		drops += s->drops[i].count;
	printf("drops       %" PRIu64 "%s\n", drops, drops ? ":" : "");
	for (size_t i = 0; i < s->drop_cnt; i++) {
		/* kinds: the driver's (records.h), then user space's (record.h) */
		static const char *const kinds[] = { "ring full", "capture data", "packets" };
		const char *kind = s->drops[i].kind < 3 ? kinds[s->drops[i].kind] : "other";

		if (!s->drops[i].count)
			continue;
		if (s->drops[i].kind == TR_DROP_KIND_PACKET)
			printf("  packets (socket buffer or queue full) %" PRIu64 "\n", s->drops[i].count);
		else
			printf("  cpu %-4u %-12s %" PRIu64 "\n", s->drops[i].cpu, kind,
			       s->drops[i].count);
	}
	printf("properties\n");
	for (size_t i = 0; i < trace_props__cnt(props); i++)
		_print_prop(trace_props__at(props, i));
	printf("containers  %zu\n", st->cont_cnt);
	for (size_t i = 0; i < st->cont_cnt; i++) {
		const struct cont_ent *c = &st->conts[i];
		char id[ESC_SZ(c->id)], name[ESC_SZ(c->name)], image[ESC_SZ(c->image)];
		char runtime[ESC_SZ(c->runtime)];

		printf("  %s  %-20s %-30s %s\n", _esc(c->id, 12, id, sizeof(id)),
		       _esc(c->name, sizeof(c->name), name, sizeof(name)),
		       _esc(c->image, sizeof(c->image), image, sizeof(image)),
		       _esc(c->runtime, sizeof(c->runtime), runtime, sizeof(runtime)));
	}
	printf("processes   %zu\n", st->proc_cnt);
	if (st->proc_cnt)
		printf("  %7s %7s %-16s %-12s %s\n", "PID", "PPID", "COMM", "CONTAINER", "EXE");
	for (size_t i = 0; i < st->proc_cnt; i++) {
		const struct proc_ent *p = &st->procs[i];
		char comm[ESC_SZ(p->comm)], exe[ESC_SZ(p->exe)], ctr[ESC_SZ(p->container)];

		printf("  %7u %7u %-16s %-12s %s\n", p->pid, p->ppid,
		       _esc(p->comm, sizeof(p->comm), comm, sizeof(comm)),
		       _esc(p->container[0] ? p->container : "host", 12, ctr, sizeof(ctr)),
		       _esc(p->exe, sizeof(p->exe), exe, sizeof(exe)));
	}
}

static cJSON *_json_props(const struct trace_props *props)
{
	cJSON *o = cJSON_CreateObject();

	for (size_t i = 0; i < trace_props__cnt(props); i++) {
		const struct trace_prop *p = trace_props__at(props, i);

		if (p->kind == TF_PROP_STR)
			_json_str(o, p->name, p->data);
		else if (p->kind == TF_PROP_U64)
			cJSON_AddNumberToObject(o, p->name, (double)p->u64);
		else if (p->kind == TF_PROP_I64)
			cJSON_AddNumberToObject(o, p->name, (double)(int64_t)p->u64);
	}
	return o;
}

static void _print_json(const char *path, struct trace_reader *r, const struct trace_summary *s,
			struct info_state *st, const struct sr_diag *stop)
{
	cJSON *o = cJSON_CreateObject(), *recs, *arr;
	unsigned int major, minor;
	char tn[32];
	char *text;

	trace_reader__version(r, &major, &minor);
	cJSON_AddStringToObject(o, "file", path);
	cJSON_AddNumberToObject(o, "file_size", (double)s->file_sz);
	cJSON_AddNumberToObject(o, "format_major", major);
	cJSON_AddNumberToObject(o, "format_minor", minor);
	cJSON_AddBoolToObject(o, "closed_cleanly", s->from_index);
	cJSON_AddItemToObject(o, "properties", _json_props(trace_reader__props(r)));
	cJSON_AddNumberToObject(o, "first_ts", (double)s->min_ts);
	cJSON_AddNumberToObject(o, "last_ts", (double)s->max_ts);
	cJSON_AddNumberToObject(o, "record_count", (double)s->rec_cnt);
	cJSON_AddNumberToObject(o, "chunk_count", (double)s->chunk_cnt);
	cJSON_AddNumberToObject(o, "raw_size", (double)s->raw_sz);
	cJSON_AddNumberToObject(o, "stored_size", (double)s->stored_sz);
	recs = cJSON_AddObjectToObject(o, "records");
	for (unsigned int t = 0; t < TR_TYPE_MAX; t++)
		if (s->counts[t])
			cJSON_AddNumberToObject(recs, _type_name(t, tn, sizeof(tn)), (double)s->counts[t]);
	if (s->other_cnt)
		cJSON_AddNumberToObject(recs, _type_name(TR_TYPE_MAX, tn, sizeof(tn)), (double)s->other_cnt);
	arr = cJSON_AddArrayToObject(o, "chunks");
	for (uint64_t i = 0; i < s->chunk_cnt; i++) {
		cJSON *c = cJSON_CreateObject();

		cJSON_AddNumberToObject(c, "offset", (double)s->chunks[i].offset);
		cJSON_AddNumberToObject(c, "stored_size", (double)s->chunks[i].stored_sz);
		cJSON_AddNumberToObject(c, "raw_size", (double)s->chunks[i].raw_sz);
		cJSON_AddNumberToObject(c, "records", s->chunks[i].rec_cnt);
		cJSON_AddNumberToObject(c, "first_ts", (double)s->chunks[i].min_ts);
		cJSON_AddNumberToObject(c, "last_ts", (double)s->chunks[i].max_ts);
		cJSON_AddItemToArray(arr, c);
	}
	arr = cJSON_AddArrayToObject(o, "drops");
	for (size_t i = 0; i < s->drop_cnt; i++) {
		cJSON *d = cJSON_CreateObject();

		cJSON_AddNumberToObject(d, "cpu", s->drops[i].cpu);
		cJSON_AddNumberToObject(d, "kind", s->drops[i].kind);
		cJSON_AddNumberToObject(d, "count", (double)s->drops[i].count);
		cJSON_AddItemToArray(arr, d);
	}
	arr = cJSON_AddArrayToObject(o, "containers");
	for (size_t i = 0; i < st->cont_cnt; i++) {
		cJSON *c = cJSON_CreateObject();

		_json_str(c, "id", st->conts[i].id);
		_json_str(c, "name", st->conts[i].name);
		_json_str(c, "image", st->conts[i].image);
		_json_str(c, "runtime", st->conts[i].runtime);
		cJSON_AddItemToArray(arr, c);
	}
	arr = cJSON_AddArrayToObject(o, "processes");
	for (size_t i = 0; i < st->proc_cnt; i++) {
		cJSON *p = cJSON_CreateObject();

		cJSON_AddNumberToObject(p, "pid", st->procs[i].pid);
		cJSON_AddNumberToObject(p, "ppid", st->procs[i].ppid);
		_json_str(p, "comm", st->procs[i].comm);
		_json_str(p, "exe", st->procs[i].exe);
		_json_str(p, "container_id", st->procs[i].container);
		cJSON_AddItemToArray(arr, p);
	}
	if (stop->err) {
		cJSON *e = cJSON_AddObjectToObject(o, "error");

		cJSON_AddStringToObject(e, "message", stop->msg);
		cJSON_AddNumberToObject(e, "offset", (double)stop->pos);
	}
	text = cJSON_Print(o);
	if (text)
		puts(text);
	free(text);
	cJSON_Delete(o);
}

/* With -j, errors are also a JSON object on stdout, so scripts need not parse stderr. */
static void _print_json_error(const char *path, const char *msg, long long pos)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *e = cJSON_AddObjectToObject(o, "error");
	char *text;

	cJSON_AddStringToObject(o, "file", path);
	cJSON_AddStringToObject(e, "message", msg);
	cJSON_AddNumberToObject(e, "offset", (double)pos);
	text = cJSON_Print(o);
	if (text)
		puts(text);
	free(text);
	cJSON_Delete(o);
}

int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct info_state st = { 0 };
	const struct trace_summary *s;
	struct trace_reader *r;
	struct sr_diag diag = { 0 };
	int json = 0, c, err, rc = EXIT_OK;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'h':
			fputs(info_usage, stdout);
			return EXIT_OK;
		default:
			cli_err("info: unknown option '%s' (see 'sysrec info --help')", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		cli_err("info: expected one trace file (see 'sysrec info --help')");
		return EXIT_USAGE;
	}
	const char *path = argv[optind];

	err = trace_reader__open(path, &r, &diag);
	if (err) {
		const char *msg = diag.err ? diag.msg : sr_strerror(err);

		cli_err("cannot open '%s': %s", path, msg);
		if (json)
			_print_json_error(path, msg, diag.err ? diag.pos : -1);
		return EXIT_FAIL;
	}
	err = trace_reader__summary(r, &s);
	if (err) {
		cli_err("%s: %s", path, sr_strerror(err));
		trace_reader__close(r);
		return EXIT_FAIL;
	}
	if (_collect_state(r, s, &st) < 0) {
		cli_err("%s: catalog: %s", path, "malformed or out of memory");
		rc = EXIT_FAIL;
	}
	if (s->from_index && st.proc_cnt)
		qsort(st.procs, st.proc_cnt, sizeof(*st.procs), _cmp_pid);
	if (json)
		_print_json(path, r, s, &st, &s->scan_diag);
	else
		_print_text(path, r, s, &st);
	if (s->scan_diag.err) {
		cli_err("%s: %s (everything before it was read)", path, s->scan_diag.msg);
		rc = EXIT_FAIL;
	}
	free(st.procs);
	free(st.conts);
	trace_reader__close(r);
	return rc;
}
