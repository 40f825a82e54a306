// SPDX-License-Identifier: Apache-2.0
/*
 * strace_to_records: turn an strace log of a real program into a sysrec trace file, so that the
 * format benchmarks (bench_format.c) run on real syscall sequences before the BPF capture
 * driver exists.
 *
 * The log must come from strace 6.1 run as bench/workloads/record.sh does:
 *
 *   strace -f -qq -X raw -e raw='!PATHCALLS' -Y --timestamps=unix,ns --syscall-times=ns
 *          -s 80 -xx -e trace=all -e signal=none -e read=all -e write=all -o LOG ...
 *
 * That gives, per call: the pid and comm, the entry time in ns, the syscall name, the raw
 * register value of every argument (hex), the return value and the latency in ns; the I/O
 * buffers as hex dumps after the call (the first 80 bytes are kept); and for the calls in
 * PATHCALLS (those that take path names) the decoded arguments, so that the strings are there.
 * strace cannot print a string and its address together: for those arguments the address is
 * synthesized (see _fake_ptr()), which is the one approximation of this converter.
 *
 * Each call becomes a TR_SYSCALL record: ints = nr, ret, latency_ns, flags (0), then the
 * arguments strace printed (the syscall's arity); blobs = path strings (tag = argument index,
 * TRACE_BLOB_F_INTERN) and the first 80 bytes of I/O buffers (tag = argument index, not
 * interned).  A TR_THREAD record (tid, pid, ppid; comm) precedes the first call of each thread;
 * pid and ppid come from the clone/fork calls seen in the log.  strace gives no cpu: it is 0.
 *
 * strace slows the traced program down 10-50 times, which stretches the time between calls.
 * --rate, --unit-rate or --duration rescale every time offset and latency by one factor so that
 * the calls arrive at the rate the program reaches without strace; results stay integers in ns
 * (they are scaled, never rounded to a coarser unit).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "props.h"
#include "record.h"
#include "sr_error.h"
#include "trace_writer.h"

#define BUF_KEEP 80     /* bytes of a string or buffer kept, as a capture with snaplen 80 */
#define EV_MAX_BLOBS 3
#define NAME_MAX_LEN 31
#define CLONE_THREAD_FLAG 0x00010000ull

/* A syscall-name or errno-name table entry. */
struct name_num {
	char name[NAME_MAX_LEN + 1];
	int num;
};

struct name_tab {
	struct name_num *ent;
	size_t cnt, cap;
};

struct ev_blob {
	uint32_t off; /* in conv.arena */
	uint16_t sz;
	uint16_t tag;
	uint16_t flags;
};

/* One complete call. */
struct ev {
	uint64_t ts; /* entry, ns since the epoch as strace printed it */
	uint64_t lat_ns;
	int64_t ret;
	uint64_t args[6];
	uint32_t tid;
	uint32_t seq; /* line order, to keep the sort stable */
	int32_t nr;
	uint8_t arg_cnt;
	uint8_t blob_cnt;
	struct ev_blob blobs[EV_MAX_BLOBS];
};

/* A short byte string: a kept buffer prefix. */
struct sbuf {
	uint8_t data[BUF_KEEP];
	uint16_t sz;
	uint16_t tag;
	bool used;
};

/* A call printed as "<unfinished ...>" whose "<... resumed>" line has not come yet. */
struct pending {
	uint32_t tid;
	bool used;
	uint64_t ts;
	char name[NAME_MAX_LEN + 1];
	char *args; /* the argument text printed so far */
	struct sbuf dump;
};

struct thread {
	uint32_t tid;   /* 0: free slot */
	uint32_t pid;
	uint32_t ppid;
	bool from_clone; /* pid/ppid known from a clone in the log */
	bool emitted;
	char comm[16];
};

struct conv {
	struct name_tab sys, err;
	struct ev *ev;
	size_t ev_cnt, ev_cap;
	uint8_t *arena;
	size_t arena_sz, arena_cap;
	struct pending *pend;
	size_t pend_cnt;
	struct thread *thr;
	size_t thr_cap; /* power of two */
	/* where the next hex-dump lines go */
	struct sbuf dump;      /* for a complete call: flushed into ev[dump_ev] */
	ssize_t dump_ev;
	struct pending *dump_pend; /* for an unfinished call */
	uint32_t default_tid;
	const char *default_comm;
	uint64_t line_no;
	uint64_t bad_lines, unknown_names, pending_left;
};

static void _usage(FILE *f)
{
	fprintf(f,
		"usage: strace_to_records [options] -o OUT.sysrec STRACE.LOG\n"
		"  -o, --output PATH     trace file to write\n"
		"  -n, --name NAME       workload name, stored as property bench.workload\n"
		"      --tid TID         thread id for lines without a pid prefix (default 1)\n"
		"      --comm NAME       comm for lines without a pid prefix (default \"unknown\")\n"
		"      --rate R          rescale time so calls arrive at R per second\n"
		"      --unit-rate R --units U\n"
		"                        the log covers U units of work (requests, loop turns) and the\n"
		"                        untraced program does R units per second: rescale to that\n"
		"      --duration S      rescale time so the log spans S seconds\n"
		"      --base-ns NS      timestamp of the first record (default 1000000000000)\n"
		"      --unistd PATH     syscall numbers (default the system's asm/unistd_64.h)\n"
		"      --errno PATH      errno names; may be given several times (default the\n"
		"                        system's asm-generic/errno-base.h and errno.h)\n");
}

/* ---- name tables, read from the kernel's uapi headers ---- */

static int _tab_add(struct name_tab *t, const char *name, size_t len, int num)
{
	if (len > NAME_MAX_LEN)
		return 0;
	if (t->cnt == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 512;
		void *n = realloc(t->ent, cap * sizeof(*t->ent));

		if (!n)
			return -ENOMEM;
		t->ent = n;
		t->cap = cap;
	}
	memcpy(t->ent[t->cnt].name, name, len);
	t->ent[t->cnt].name[len] = 0;
	t->ent[t->cnt].num = num;
	t->cnt++;
	return 0;
}

static int _tab_find(const struct name_tab *t, const char *name, size_t len)
{
	for (size_t i = 0; i < t->cnt; i++)
		if (strlen(t->ent[i].name) == len && !memcmp(t->ent[i].name, name, len))
			return t->ent[i].num;
	return -1;
}

/* Read "#define <prefix>NAME NUMBER" lines of @path into @t, as NAME (or <prefix>NAME when
 * @keep_prefix). */
static int _tab_load(struct name_tab *t, const char *path, const char *prefix, bool keep_prefix)
{
	size_t plen = strlen(prefix);
	char line[512];
	FILE *f = fopen(path, "r");
	int err = 0;

	if (!f) {
		err = -errno;
		fprintf(stderr, "strace_to_records: '%s': %s\n", path, strerror(errno));
		return err;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end;
		long v;

		if (strncmp(p, "#define", 7) || (p[7] != ' ' && p[7] != '\t'))
			continue;
		p += 7;
		p += strspn(p, " \t");
		if (strncmp(p, prefix, plen))
			continue;
		size_t nlen = strcspn(p + plen, " \t\n");
		char *num = p + plen + nlen + strspn(p + plen + nlen, " \t");

		if (!keep_prefix)
			p += plen;
		else
			nlen += plen;

		errno = 0;
		v = strtol(num, &end, 10);
		if (errno || end == num || v < 0 || v > INT_MAX)
			continue; /* an alias such as EWOULDBLOCK EAGAIN */
		err = _tab_add(t, p, nlen, (int)v);
		if (err)
			break;
	}
	fclose(f);
	return err;
}

/* Kernel-internal codes that strace prints by name but uapi headers do not define. */
static int _tab_add_kernel_errnos(struct name_tab *t)
{
	static const struct name_num extra[] = {
		{ "ERESTARTSYS", 512 },	 { "ERESTARTNOINTR", 513 },	   { "ERESTARTNOHAND", 514 },
		{ "ENOIOCTLCMD", 515 },	 { "ERESTART_RESTARTBLOCK", 516 }, { "EPROBE_DEFER", 517 },
		{ "EOPENSTALE", 518 },	 { "ENOPARAM", 519 },		   { "EBADHANDLE", 521 },
		{ "ENOTSYNC", 522 },	 { "EBADCOOKIE", 523 },		   { "ENOTSUPP", 524 },
		{ "ETOOSMALL", 525 },	 { "ESERVERFAULT", 526 },	   { "EBADTYPE", 527 },
		{ "EJUKEBOX", 528 },	 { "EIOCBQUEUED", 529 },	   { "ERECALLCONFLICT", 530 },
	};

	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		int err = _tab_add(t, extra[i].name, strlen(extra[i].name), extra[i].num);

		if (err)
			return err;
	}
	return 0;
}

/* ---- small parsing helpers ---- */

static int _hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode a C string literal as strace prints it (-xx: every byte as \xNN) starting at the
 * opening quote @s.  Keeps the first BUF_KEEP bytes in @out; returns the position after the
 * closing quote.
 */
static const char *_decode_str(const char *s, struct sbuf *out)
{
	const char *p = s + 1;

	out->sz = 0;
	while (*p && *p != '"') {
		int c = (unsigned char)*p++;

		if (c == '\\' && *p) {
			int e = (unsigned char)*p++;

			switch (e) {
			case 'x':
				c = 0;
				for (int i = 0; i < 2 && _hexval(*p) >= 0; i++)
					c = c * 16 + _hexval(*p++);
				break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'v': c = '\v'; break;
			case 'f': c = '\f'; break;
			default:
				if (e >= '0' && e <= '7') {
					c = e - '0';
					for (int i = 0; i < 2 && *p >= '0' && *p <= '7'; i++)
						c = c * 8 + (*p++ - '0');
				} else {
					c = e;
				}
			}
		}
		if (out->sz < BUF_KEEP)
			out->data[out->sz++] = (uint8_t)c;
	}
	return *p == '"' ? p + 1 : p;
}

/*
 * The end of the text of one argument starting at @s: the next ',' or ')' at nesting depth 0
 * outside quotes and comments, or the end of the string.
 */
static const char *_arg_end(const char *s)
{
	int depth = 0;

	for (const char *p = s; *p; p++) {
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				return p;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");

			if (!e)
				return p + strlen(p);
			p = e + 1;
		} else if (*p == '{' || *p == '[' || *p == '(') {
			depth++;
		} else if (*p == '}' || *p == ']' || (*p == ')' && depth > 0)) {
			depth--;
		} else if (depth == 0 && (*p == ',' || *p == ')')) {
			return p;
		}
	}
	return s + strlen(s);
}

static uint64_t _fnv64(const void *data, size_t sz)
{
	const uint8_t *p = data;
	uint64_t h = 14695981039346656037ull;

	for (size_t i = 0; i < sz; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

/*
 * The address of an argument strace printed decoded (a string, a struct, an array), which it
 * does not show: a heap-like address per distinct string, a stack-like one per (thread,
 * syscall, argument) for structs and arrays.  Real addresses are reused as often or more.
 */
static uint64_t _fake_ptr(const struct ev *e, int arg, const struct sbuf *str)
{
	if (str)
		return 0x55d000000000ull + ((_fnv64(str->data, str->sz) & 0xffffffull) << 4);
	return 0x7ffc00000000ull | (uint64_t)(e->tid & 0xfff) << 20 |
	       (uint64_t)(e->nr & 0x3ff) << 6 | (uint64_t)arg << 3;
}

static int _arena_add(struct conv *c, const void *data, size_t sz, uint32_t *off)
{
	if (c->arena_sz + sz > c->arena_cap) {
		size_t cap = c->arena_cap ? c->arena_cap * 2 : (1u << 20);
		void *n;

		while (cap < c->arena_sz + sz)
			cap *= 2;
		n = realloc(c->arena, cap);
		if (!n)
			return -ENOMEM;
		c->arena = n;
		c->arena_cap = cap;
	}
	if (c->arena_sz > UINT32_MAX - sz)
		return -E2BIG;
	memcpy(c->arena + c->arena_sz, data, sz);
	*off = (uint32_t)c->arena_sz;
	c->arena_sz += sz;
	return 0;
}

static int _ev_add_blob(struct conv *c, struct ev *e, const struct sbuf *b, uint16_t flags)
{
	struct ev_blob *eb;
	int err;

	if (e->blob_cnt == EV_MAX_BLOBS)
		return 0;
	eb = &e->blobs[e->blob_cnt];
	err = _arena_add(c, b->data, b->sz, &eb->off);
	if (err)
		return err;
	eb->sz = b->sz;
	eb->tag = b->tag;
	eb->flags = flags;
	e->blob_cnt++;
	return 0;
}

/* Parse the argument text @args (everything after "name(") and the result after it. */
static int _parse_call(struct conv *c, struct ev *e, const char *args)
{
	const char *p = args;
	int err;

	while (*p == ' ')
		p++;
	/* "restart_syscall(<... resuming interrupted read ...>)" */
	if (!strncmp(p, "<...", 4)) {
		p = strstr(p, "...>");
		if (!p)
			return -EBADMSG;
		p += 4;
	}
	while (*p && *p != ')') {
		const char *end = _arg_end(p);
		char *num_end;

		while (*p == ' ')
			p++;
		if (e->arg_cnt < 6) {
			int a = e->arg_cnt;
			uint64_t v = 0;

			if (*p == '"') {
				struct sbuf s = { .tag = (uint16_t)a };

				_decode_str(p, &s);
				v = _fake_ptr(e, a, &s);
				err = _ev_add_blob(c, e, &s, TRACE_BLOB_F_INTERN);
				if (err)
					return err;
			} else if (*p == '{' || *p == '[') {
				v = _fake_ptr(e, a, NULL);
			} else if (!strncmp(p, "NULL", 4)) {
				v = 0;
			} else {
				errno = 0;
				if (*p == '-')
					v = (uint64_t)strtoll(p, &num_end, 0);
				else
					v = strtoull(p, &num_end, 0);
				if (num_end == p || errno)
					v = 0; /* a name strace did not turn into a number */
			}
			e->args[a] = v;
			e->arg_cnt++;
		}
		p = end;
		if (*p == ',')
			p++;
	}
	if (*p != ')')
		return -EBADMSG;
	p++;
	p = strstr(p, " = ");
	if (!p)
		return -EBADMSG;
	p += 3;
	if (*p == '?') {
		e->ret = 0; /* exit and exit_group do not return */
	} else if (!strncmp(p, "-1 E", 4)) {
		const char *name = p + 3;
		size_t len = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
		int no = _tab_find(&c->err, name, len);

		e->ret = no > 0 ? -no : -1;
	} else {
		char *num_end;

		errno = 0;
		if (*p == '-')
			e->ret = strtoll(p, &num_end, 0);
		else
			e->ret = (int64_t)strtoull(p, &num_end, 0);
		if (num_end == p)
			return -EBADMSG;
	}
	/* latency: " <S.NNNNNNNNN>" at the end */
	const char *lt = strrchr(p, '<');

	if (lt && lt[1] >= '0' && lt[1] <= '9') {
		char *dot;
		uint64_t sec = strtoull(lt + 1, &dot, 10), ns = 0;
		int digits = 0;

		if (*dot == '.')
			for (const char *q = dot + 1; *q >= '0' && *q <= '9' && digits < 9; q++, digits++)
				ns = ns * 10 + (uint64_t)(*q - '0');
		for (; digits < 9; digits++)
			ns *= 10;
		e->lat_ns = sec * 1000000000ull + ns;
	}
	return 0;
}

/* ---- threads ---- */

static struct thread *_thread(struct conv *c, uint32_t tid)
{
	size_t mask = c->thr_cap - 1;

	for (size_t i = (tid * 2654435761u) & mask;; i = (i + 1) & mask)
		if (c->thr[i].tid == tid || !c->thr[i].tid)
			return &c->thr[i];
}

/* Find or add @tid; NULL when the table is full (it is sized for the log's threads). */
static struct thread *_thread_get(struct conv *c, uint32_t tid)
{
	struct thread *t = _thread(c, tid);

	if (!t->tid) {
		static const size_t max_threads = 1u << 16;
		size_t used = 0;

		for (size_t i = 0; i < c->thr_cap; i++)
			used += c->thr[i].tid != 0;
		if (used >= max_threads / 2)
			return NULL;
		t->tid = tid;
		t->pid = tid;
	}
	return t;
}

/* ---- lines ---- */

static struct pending *_pending_find(struct conv *c, uint32_t tid, bool create)
{
	struct pending *free_slot = NULL;

	for (size_t i = 0; i < c->pend_cnt; i++) {
		if (c->pend[i].used && c->pend[i].tid == tid)
			return &c->pend[i];
		if (!c->pend[i].used && !free_slot)
			free_slot = &c->pend[i];
	}
	if (!create)
		return NULL;
	if (!free_slot) {
		void *n = realloc(c->pend, (c->pend_cnt + 16) * sizeof(*c->pend));

		if (!n)
			return NULL;
		c->pend = n;
		memset(c->pend + c->pend_cnt, 0, 16 * sizeof(*c->pend));
		free_slot = &c->pend[c->pend_cnt];
		c->pend_cnt += 16;
	}
	memset(free_slot, 0, sizeof(*free_slot));
	free_slot->used = true;
	free_slot->tid = tid;
	return free_slot;
}

static int _flush_dump(struct conv *c)
{
	int err = 0;

	if (c->dump.used && c->dump_ev >= 0)
		err = _ev_add_blob(c, &c->ev[c->dump_ev], &c->dump, 0);
	c->dump.used = false;
	c->dump.sz = 0;
	c->dump_ev = -1;
	c->dump_pend = NULL;
	return err;
}

/* " | 00000  7f 45 4c 46 02 01 01 03  00 00 ...  .ELF...... |" */
static void _dump_line(struct conv *c, const char *line)
{
	struct sbuf *b = c->dump_pend ? &c->dump_pend->dump : &c->dump;

	if (!c->dump_pend && c->dump_ev < 0)
		return;
	if (!b->used) {
		b->used = true;
		b->sz = 0;
		b->tag = 1; /* the buffer of every call strace dumps is argument 1 */
	}
	for (int i = 0; i < 16 && b->sz < BUF_KEEP; i++) {
		size_t col = 10 + 3 * (size_t)i + (i >= 8);
		int hi, lo;

		if (strlen(line) < col + 2)
			break;
		hi = _hexval(line[col]);
		lo = _hexval(line[col + 1]);
		if (hi < 0 || lo < 0)
			break;
		b->data[b->sz++] = (uint8_t)(hi << 4 | lo);
	}
}

static int _push_ev(struct conv *c, const struct ev *e)
{
	if (c->ev_cnt == c->ev_cap) {
		size_t cap = c->ev_cap ? c->ev_cap * 2 : 65536;
		void *n = realloc(c->ev, cap * sizeof(*c->ev));

		if (!n)
			return -ENOMEM;
		c->ev = n;
		c->ev_cap = cap;
	}
	c->ev[c->ev_cnt] = *e;
	c->ev[c->ev_cnt].seq = (uint32_t)c->ev_cnt;
	c->ev_cnt++;
	return 0;
}

static int _complete(struct conv *c, uint32_t tid, uint64_t ts, const char *name, size_t name_len,
		     const char *args, const struct sbuf *entry_dump)
{
	struct ev e = { .ts = ts, .tid = tid };
	int err;

	e.nr = _tab_find(&c->sys, name, name_len);
	if (e.nr < 0) {
		c->unknown_names++;
		return 0;
	}
	err = _parse_call(c, &e, args);
	if (err == -EBADMSG) {
		c->bad_lines++;
		return 0;
	}
	if (err)
		return err;
	if (entry_dump && entry_dump->used) {
		err = _ev_add_blob(c, &e, entry_dump, 0);
		if (err)
			return err;
	}
	err = _push_ev(c, &e);
	if (err)
		return err;
	c->dump_ev = (ssize_t)c->ev_cnt - 1;
	return 0;
}

/* "PID<comm> " or "[pid PID<comm>] " before the timestamp; absent with a single tracee. */
static const char *_parse_prefix(struct conv *c, const char *p, uint32_t *tid)
{
	const char *tok_end = p + strcspn(p, " ");
	struct sbuf comm = { 0 };
	char *end;
	unsigned long v;
	bool bracket = !strncmp(p, "[pid", 4);

	if (bracket) {
		p += 4;
		p += strspn(p, " ");
		tok_end = p + strcspn(p, "]");
	} else if (memchr(p, '.', (size_t)(tok_end - p))) {
		*tid = c->default_tid;
		return p; /* no prefix: this is the timestamp */
	}
	errno = 0;
	v = strtoul(p, &end, 10);
	if (errno || end == p || v == 0 || v > UINT32_MAX)
		return NULL;
	*tid = (uint32_t)v;
	if (*end == '<') {
		const char *close = strchr(end, '>');
		char tmp[400];
		size_t len = close ? (size_t)(close - end - 1) : 0;

		if (len >= sizeof(tmp) - 2)
			len = sizeof(tmp) - 3;
		tmp[0] = '"';
		memcpy(tmp + 1, end + 1, len);
		tmp[len + 1] = '"';
		tmp[len + 2] = 0;
		_decode_str(tmp, &comm);
	}
	struct thread *t = _thread_get(c, *tid);

	if (t && !t->comm[0] && comm.sz) {
		size_t n = comm.sz < sizeof(t->comm) - 1 ? comm.sz : sizeof(t->comm) - 1;

		memcpy(t->comm, comm.data, n);
		t->comm[n] = 0;
	}
	p = tok_end;
	if (bracket && *p == ']')
		p++;
	return p + strspn(p, " ");
}

static int _line(struct conv *c, char *line)
{
	uint32_t tid;
	uint64_t sec, nsec = 0;
	char *end;
	const char *p;
	int err;

	line[strcspn(line, "\n")] = 0;
	if (!strncmp(line, " | ", 3)) {
		_dump_line(c, line);
		return 0;
	}
	if (!strncmp(line, " * ", 3))
		return 0; /* " * 12 bytes in buffer 0" before each iovec's dump */
	err = _flush_dump(c);
	if (err)
		return err;
	if (!line[0])
		return 0;
	p = _parse_prefix(c, line, &tid);
	if (!p)
		goto out_bad;
	errno = 0;
	sec = strtoull(p, &end, 10);
	if (end == p || *end != '.')
		goto out_bad;
	p = end + 1;
	nsec = strtoull(p, &end, 10);
	if (end - p != 9 || *end != ' ')
		goto out_bad;
	p = end + 1;
	uint64_t ts = sec * 1000000000ull + nsec;

	if (*p == '+' || *p == '-')
		return 0; /* "+++ exited +++", "--- SIGCHLD ---" (normally filtered out) */
	if (_thread_get(c, tid) == NULL)
		return -E2BIG;

	if (!strncmp(p, "<... ", 5)) {
		const char *name = p + 5;
		size_t name_len = strcspn(name, " ");
		const char *rest = strstr(name, " resumed>");
		struct pending *pd = _pending_find(c, tid, false);

		if (!rest || !pd || strlen(pd->name) != name_len ||
		    memcmp(pd->name, name, name_len)) {
			if (pd) {
				free(pd->args);
				pd->args = NULL;
				pd->used = false;
			}
			goto out_bad;
		}
		rest += strlen(" resumed>");
		size_t alen = strlen(pd->args), rlen = strlen(rest);
		char *full = malloc(alen + rlen + 1);

		if (!full)
			return -ENOMEM;
		memcpy(full, pd->args, alen);
		memcpy(full + alen, rest, rlen + 1);
		struct sbuf dump = pd->dump;

		err = _complete(c, tid, pd->ts, name, name_len, full, &dump);
		free(full);
		free(pd->args);
		pd->args = NULL;
		pd->used = false;
		return err;
	}

	const char *paren = strchr(p, '(');

	if (!paren || paren - p > NAME_MAX_LEN)
		goto out_bad;
	size_t name_len = (size_t)(paren - p);
	const char *unf = strstr(paren, " <unfinished ...>");

	if (unf) {
		struct pending *pd = _pending_find(c, tid, true);

		if (!pd)
			return -ENOMEM;
		free(pd->args);
		memset(pd, 0, sizeof(*pd));
		pd->used = true;
		pd->tid = tid;
		pd->ts = ts;
		memcpy(pd->name, p, name_len);
		pd->name[name_len] = 0;
		pd->args = strndup(paren + 1, (size_t)(unf - paren - 1));
		if (!pd->args)
			return -ENOMEM;
		c->dump_pend = pd;
		return 0;
	}
	return _complete(c, tid, ts, p, name_len, paren + 1, NULL);

out_bad:
	c->bad_lines++;
	if (c->bad_lines <= 5)
		fprintf(stderr, "strace_to_records: line %" PRIu64 " not understood: %.120s\n",
			c->line_no, line);
	return 0;
}

/* ---- output ---- */

static int _ev_cmp(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* pid and ppid of threads created by a clone, fork or vfork seen in the log. */
static void _link_threads(struct conv *c, const struct name_tab *sys)
{
	int nr_clone = _tab_find(sys, "clone", 5), nr_clone3 = _tab_find(sys, "clone3", 6);
	int nr_fork = _tab_find(sys, "fork", 4), nr_vfork = _tab_find(sys, "vfork", 5);

	for (size_t i = 0; i < c->ev_cnt; i++) {
		const struct ev *e = &c->ev[i];

		if (e->ret <= 0 || e->ret > UINT32_MAX ||
		    (e->nr != nr_clone && e->nr != nr_clone3 && e->nr != nr_fork && e->nr != nr_vfork))
			continue;
		struct thread *parent = _thread_get(c, e->tid);
		struct thread *child = _thread_get(c, (uint32_t)e->ret);

		if (!parent || !child)
			continue;
		bool is_thread = e->nr == nr_clone && e->arg_cnt && (e->args[0] & CLONE_THREAD_FLAG);

		child->pid = is_thread ? parent->pid : child->tid;
		child->ppid = is_thread ? parent->ppid : parent->pid;
		child->from_clone = true;
		if (!child->comm[0])
			memcpy(child->comm, parent->comm, sizeof(child->comm));
	}
}

/* t * num / den without overflow (num <= den for a slow-down, any for a speed-up) */
static uint64_t _scale(uint64_t t, uint64_t num, uint64_t den)
{
	return (uint64_t)((unsigned __int128)t * num / den);
}

static int _write(struct conv *c, const char *out, const char *name, uint64_t base_ns,
		  uint64_t span_num, uint64_t span_den)
{
	struct trace_props *props = NULL;
	struct trace_writer *w = NULL;
	struct trace_rec rec;
	int err;

	err = trace_props__new(&props);
	if (err)
		return err;
	err = trace_props__set_machine(props);
	if (!err)
		err = trace_props__set_str(props, "bench.workload", name);
	if (!err)
		err = trace_props__set_str(props, "bench.source", "strace");
	if (!err)
		err = trace_props__set_u64(props, "bench.time_scale_num", span_num);
	if (!err)
		err = trace_props__set_u64(props, "bench.time_scale_den", span_den);
	if (err)
		goto out_props;
	err = trace_writer__open(out, props, NULL, &w);
	if (err) {
		fprintf(stderr, "strace_to_records: '%s': %s\n", out, sr_strerror(err));
		goto out_props;
	}
	uint64_t t0 = c->ev_cnt ? c->ev[0].ts : 0;

	for (size_t i = 0; i < c->ev_cnt && !err; i++) {
		const struct ev *e = &c->ev[i];
		uint64_t ts = base_ns + _scale(e->ts - t0, span_num, span_den);
		struct thread *t = _thread_get(c, e->tid);

		if (t && !t->emitted) {
			const char *comm = t->comm[0] ? t->comm : c->default_comm;

			t->emitted = true;
			memset(&rec, 0, sizeof(rec));
			rec.type = TR_THREAD;
			rec.ts = ts;
			rec.tid = t->tid;
			rec.int_cnt = 3;
			rec.ints[TR_THREAD_TID] = t->tid;
			rec.ints[TR_THREAD_PID] = t->pid;
			rec.ints[TR_THREAD_PPID] = t->ppid;
			rec.blob_cnt = 1;
			rec.blobs[TR_THREAD_BLOB_COMM] = (struct trace_blob){
				.data = comm, .sz = (uint32_t)strlen(comm),
				.tag = TR_THREAD_BLOB_COMM, .flags = TRACE_BLOB_F_INTERN };
			err = trace_writer__append(w, &rec);
			if (err)
				break;
		}
		memset(&rec, 0, sizeof(rec));
		rec.type = TR_SYSCALL;
		rec.ts = ts;
		rec.tid = e->tid;
		rec.int_cnt = (uint8_t)(4 + e->arg_cnt);
		rec.ints[0] = (uint64_t)e->nr;
		rec.ints[1] = (uint64_t)e->ret;
		rec.ints[2] = _scale(e->lat_ns, span_num, span_den);
		rec.ints[3] = 0;
		for (int a = 0; a < e->arg_cnt; a++)
			rec.ints[4 + a] = e->args[a];
		rec.blob_cnt = e->blob_cnt;
		for (int b = 0; b < e->blob_cnt; b++)
			rec.blobs[b] = (struct trace_blob){ .data = c->arena + e->blobs[b].off,
							    .sz = e->blobs[b].sz,
							    .tag = e->blobs[b].tag,
							    .flags = e->blobs[b].flags };
		err = trace_writer__append(w, &rec);
	}
	int cerr = trace_writer__close(w);

	if (!err)
		err = cerr;
	if (err)
		fprintf(stderr, "strace_to_records: writing '%s': %s\n", out, sr_strerror(err));
out_props:
	trace_props__free(props);
	return err;
}

static int _parse_double(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || !(*out > 0)) {
		fprintf(stderr, "strace_to_records: '%s': not a positive number\n", s);
		return -EINVAL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' }, { "name", required_argument, NULL, 'n' },
		{ "tid", required_argument, NULL, 1 },      { "comm", required_argument, NULL, 2 },
		{ "rate", required_argument, NULL, 3 },     { "unit-rate", required_argument, NULL, 4 },
		{ "units", required_argument, NULL, 5 },    { "duration", required_argument, NULL, 6 },
		{ "base-ns", required_argument, NULL, 7 },  { "unistd", required_argument, NULL, 8 },
		{ "errno", required_argument, NULL, 9 },    { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *name = "workload";
	const char *unistd = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h";
	const char *errno_files[8];
	int errno_cnt = 0;
	double rate = 0, unit_rate = 0, units = 0, duration = 0;
	uint64_t base_ns = 1000000000000ull;
	struct conv c = { .dump_ev = -1, .default_tid = 1, .default_comm = "unknown" };
	char *end, *line = NULL;
	size_t line_cap = 0;
	int opt, err = 0;
	FILE *in;

	while ((opt = getopt_long(argc, argv, "o:n:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'n': name = optarg; break;
		case 1:
			errno = 0;
			c.default_tid = (uint32_t)strtoul(optarg, &end, 10);
			if (errno || *end || !c.default_tid) {
				fprintf(stderr, "strace_to_records: --tid '%s': not a thread id\n", optarg);
				return 2;
			}
			break;
		case 2: c.default_comm = optarg; break;
		case 3: err = _parse_double(optarg, &rate); break;
		case 4: err = _parse_double(optarg, &unit_rate); break;
		case 5: err = _parse_double(optarg, &units); break;
		case 6: err = _parse_double(optarg, &duration); break;
		case 7:
			errno = 0;
			base_ns = strtoull(optarg, &end, 10);
			if (errno || *end)
				err = -EINVAL;
			break;
		case 8: unistd = optarg; break;
		case 9:
			if (errno_cnt == 8) {
				fprintf(stderr, "strace_to_records: too many --errno files\n");
				return 2;
			}
			errno_files[errno_cnt++] = optarg;
			break;
		case 'h': _usage(stdout); return 0;
		default: _usage(stderr); return 2;
		}
		if (err)
			return 2;
	}
	if (!out || optind != argc - 1 || (unit_rate > 0) != (units > 0)) {
		_usage(stderr);
		return 2;
	}
	if (!errno_cnt) {
		errno_files[errno_cnt++] = "/usr/include/asm-generic/errno-base.h";
		errno_files[errno_cnt++] = "/usr/include/asm-generic/errno.h";
	}
	err = _tab_load(&c.sys, unistd, "__NR_", false);
	for (int i = 0; i < errno_cnt && !err; i++)
		err = _tab_load(&c.err, errno_files[i], "E", true);
	if (!err)
		err = _tab_add_kernel_errnos(&c.err);
	if (err)
		return 1;
	if (!c.sys.cnt) {
		fprintf(stderr, "strace_to_records: '%s': no syscall numbers found\n", unistd);
		return 1;
	}
	c.thr_cap = 1u << 16;
	c.thr = calloc(c.thr_cap, sizeof(*c.thr));
	if (!c.thr)
		return 1;

	in = fopen(argv[optind], "r");
	if (!in) {
		fprintf(stderr, "strace_to_records: '%s': %s\n", argv[optind], strerror(errno));
		return 1;
	}
	while (getline(&line, &line_cap, in) > 0) {
		c.line_no++;
		err = _line(&c, line);
		if (err)
			break;
	}
	if (!err)
		err = _flush_dump(&c);
	fclose(in);
	free(line);
	for (size_t i = 0; i < c.pend_cnt; i++) {
		if (c.pend[i].used)
			c.pending_left++;
		free(c.pend[i].args);
	}
	if (err) {
		fprintf(stderr, "strace_to_records: '%s': %s\n", argv[optind], sr_strerror(err));
		return 1;
	}
	if (!c.ev_cnt) {
		fprintf(stderr, "strace_to_records: '%s': no system calls found\n", argv[optind]);
		return 1;
	}

	qsort(c.ev, c.ev_cnt, sizeof(*c.ev), _ev_cmp);
	_link_threads(&c, &c.sys);

	/*
	 * One factor for all times: span_num / span_den.  The busy span starts when the first
	 * call returns: a tracer attached to an idle server finds it blocked in epoll_wait until
	 * the load starts.
	 */
	const struct ev *first = &c.ev[0], *last = &c.ev[c.ev_cnt - 1];
	uint64_t busy_start = first->ts + first->lat_ns < last->ts ? first->ts + first->lat_ns
								    : first->ts;
	uint64_t span = last->ts - busy_start, target = span;

	if (unit_rate > 0)
		rate = unit_rate * (double)c.ev_cnt / units;
	if (rate > 0 && c.ev_cnt > 1)
		target = (uint64_t)((double)(c.ev_cnt - 1) * 1e9 / rate);
	if (duration > 0)
		target = (uint64_t)(duration * 1e9);
	if (!span || !target)
		span = target = 1;

	err = _write(&c, out, name, base_ns, target, span);
	printf("%s: %zu syscalls, %.3f s in the log (%.0f/s), %.3f s after rescaling (%.0f/s), "
	       "time factor %.5f; %" PRIu64 " lines not understood, %" PRIu64
	       " unknown syscall names, %" PRIu64 " calls left unfinished\n",
	       name, c.ev_cnt, (double)span / 1e9, (double)c.ev_cnt * 1e9 / (double)span,
	       (double)target / 1e9, (double)c.ev_cnt * 1e9 / (double)target,
	       (double)target / (double)span, c.bad_lines, c.unknown_names, c.pending_left);

	free(c.ev);
	free(c.arena);
	free(c.pend);
	free(c.thr);
	free(c.sys.ent);
	free(c.err.ent);
	return err ? 1 : 0;
}
