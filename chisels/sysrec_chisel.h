/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The sysrec chisel ABI: how a chisel (a small analysis plugin, compiled in or loaded from a
 * .so) sees a trace.  `sysrec replay -c 'NAME|PATH.so [ARG...]' FILE [FILTER]` runs one.
 *
 * A chisel is one constant struct sysrec_chisel: its size, the ABI version it was built
 * against, its name and help, and callbacks.  A .so exports it through one function,
 * sysrec_chisel_entry() (SYSREC_CHISEL_DEFINE() writes it).  sysrec accepts a struct from an
 * older chisel (a smaller size: the callbacks it lacks are treated as NULL) and from a newer
 * one only if the bytes this sysrec does not know are all zero.
 *
 * The chisel calls back into sysrec through struct sysrec_host, handed to init(): it resolves
 * fields once by name ("fd.name", "evt.arg.fd", "proc.aname[2]": the names of `sysrec
 * fields` and of filters) and reads them per event with typed getters.
 *
 * Text: get() hands out raw values, the bytes the traced programs chose (a process name or a
 * file name may hold ESC sequences, newlines or invalid UTF-8); filters compare those.  What a
 * chisel prints for people should be terminal-safe: get_text() returns values escaped
 * already, and escape() escapes any bytes the same way, as every text output of sysrec does
 * (it was appended to struct sysrec_host: check for it with SYSREC_HOST_HAS()).
 *
 * Memory contract: the chisel owns its state (allocated in init(), freed in fini()).  Event
 * pointers and every string a getter returns are borrowed: valid until the callback that
 * received the event returns (copy what you keep).  Fields returned by host->field() live
 * as long as the chisel.  Strings the chisel hands to sysrec
 * (last_error()) must stay valid until the chisel's next callback.
 *
 * Callbacks run on one thread, in this order: init, then on_event for each event that
 * matches the filters (the user's and the chisel's, combined with "and") in time order,
 * on_interval whenever the trace time crosses an interval boundary (if one was set), on_end
 * once at the end of the trace (print the report here), fini.
 */
#ifndef SYSREC_CHISEL_H
#define SYSREC_CHISEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SYSREC_CHISEL_API_VERSION 1

struct sysrec_ctx;   /* sysrec's side of one running chisel (opaque) */
struct sysrec_event; /* one event (opaque; borrowed during on_event) */
struct sysrec_field; /* a resolved field (opaque) */

/* Value types, as `sysrec fields` names them. */
enum sysrec_type {
	SYSREC_T_UINT = 1,
	SYSREC_T_INT,
	SYSREC_T_STR,
	SYSREC_T_BYTES,
	SYSREC_T_BOOL,
	SYSREC_T_IPADDR,
	SYSREC_T_DURATION, /* ns */
	SYSREC_T_ABSTIME,  /* ns since the epoch */
};

struct sysrec_value {
	enum sysrec_type type;
	union {
		uint64_t u; /* UINT, BOOL, DURATION, ABSTIME */
		int64_t i;  /* INT */
		struct {
			const char *p; /* not NUL-terminated; may hold NULs (BYTES) */
			size_t len;
		} s;        /* STR, BYTES */
		struct {
			uint8_t family;   /* AF_INET or AF_INET6 */
			uint8_t addr[16]; /* network order */
		} ip;       /* IPADDR */
	};
};

/* What sysrec offers a chisel.  Handed to init(); valid until fini() returns. */
struct sysrec_host {
	size_t sz;            /* sizeof(struct sysrec_host) of this sysrec */
	uint32_t api_version; /* SYSREC_CHISEL_API_VERSION of this sysrec */

	/*
	 * field - resolve a field by name, once (in init()).
	 * @return the field, or NULL for an unknown name: sysrec has printed why (with a
	 *         suggestion); init() should then fail.
	 */
	const struct sysrec_field *(*field)(struct sysrec_ctx *ctx, const char *name);

	/* get - the value of @f for @ev.  @return false when the event does not have it. */
	bool (*get)(const struct sysrec_event *ev, const struct sysrec_field *f,
		    struct sysrec_value *out);

	/* get_u64 - a number, bool, duration or time as u64 (an INT below 0 gives false). */
	bool (*get_u64)(const struct sysrec_event *ev, const struct sysrec_field *f,
			uint64_t *out);

	/* get_text - any value as text (numbers in decimal, addresses as text, strings and
	 * buffers terminal-safe: escaped as escape() does); NUL-terminated, valid until the
	 * callback returns. */
	bool (*get_text)(const struct sysrec_event *ev, const struct sysrec_field *f,
			 const char **out);

	/*
	 * set_filter - keep only events that match @filter (the language of `sysrec replay`),
	 * in addition to the user's filter.  Only in init().
	 * @return 0, or -EINVAL: sysrec has printed the error with its column.
	 */
	int (*set_filter)(struct sysrec_ctx *ctx, const char *filter);

	/* set_interval - call on_interval every @ns of trace time (0: never).  Only in init(). */
	void (*set_interval)(struct sysrec_ctx *ctx, uint64_t ns);

	/* out - where reports go (stdout, or what the user redirected). */
	FILE *(*out)(struct sysrec_ctx *ctx);

	/* span - the time the traces cover, ns since the epoch (0, 0 when unknown; known from
	 * the first on_event() on). */
	void (*span)(struct sysrec_ctx *ctx, uint64_t *start_ns, uint64_t *end_ns);

	/*
	 * escape - @len bytes of @p as terminal-safe text into @dst, NUL-terminated when
	 * @dst_sz > 0: printable ASCII and valid UTF-8 as they are; \\ \n \t \r; \xNN for
	 * each other control byte, DEL, C1 control, bidi override, and each byte of invalid
	 * UTF-8 (docs/chisels.md).  The result is at most 4 times as long as the input; text
	 * that does not fit is cut between two escapes.  Added after the other members: call
	 * it only when SYSREC_HOST_HAS(host, escape).
	 * @return the length of the whole escaped text, as snprintf() does (cut when >= @dst_sz).
	 */
	size_t (*escape)(const char *p, size_t len, char *dst, size_t dst_sz);
};

/* True when @host (a const struct sysrec_host *) has the member @fn: hosts only ever grow at
 * the end, so a chisel built against a newer header can run on an older sysrec. */
#define SYSREC_HOST_HAS(host, fn)                                                             \
	((host)->sz >= offsetof(struct sysrec_host, fn) + sizeof((host)->fn) && (host)->fn)

struct sysrec_chisel {
	size_t sz;            /* sizeof(struct sysrec_chisel) the chisel was built with */
	uint32_t api_version; /* SYSREC_CHISEL_API_VERSION it was built with */
	const char *name;     /* [a-z0-9_]+ */
	const char *description; /* one line */
	const char *args;     /* usage of the arguments, e.g. "FIELD [TOP_N]", or "" */

	/*
	 * init - Required: yes.  Parse @argc/@argv (the words after the chisel's name), resolve
	 * fields, optionally set a filter and an interval, allocate the state.
	 * @return 0 and *@state; non-zero to stop (say why through last_error(), or print
	 *         nothing if host->field()/set_filter() already did).
	 */
	int (*init)(struct sysrec_ctx *ctx, const struct sysrec_host *host, int argc,
		    char **argv, void **state);

	/* on_event - Required: yes.  One matching event.  @return 0, or non-zero to stop the
	 * replay (an error: say why through last_error()). */
	int (*on_event)(void *state, const struct sysrec_event *ev);

	/* on_interval - Required: no.  The trace time passed an interval boundary: @start_ns
	 * and @end_ns (ns since the epoch) delimit the interval just finished. */
	void (*on_interval)(void *state, uint64_t start_ns, uint64_t end_ns);

	/* on_end - Required: no.  The trace ended: print the report. */
	void (*on_end)(void *state);

	/* fini - Required: no.  Free the state. */
	void (*fini)(void *state);

	/* last_error - Required: no.  Why init() or on_event() failed, one line. */
	const char *(*last_error)(void *state);
};

/* The entry point a chisel .so exports. */
#define SYSREC_CHISEL_ENTRY "sysrec_chisel_entry"
typedef const struct sysrec_chisel *(*sysrec_chisel_entry_fn)(void);

/* In a chisel .so: SYSREC_CHISEL_DEFINE(my_chisel); where my_chisel is its struct. */
#define SYSREC_CHISEL_DEFINE(c)                                                               \
	__attribute__((visibility("default"))) const struct sysrec_chisel *sysrec_chisel_entry(void) \
	{                                                                                     \
		return &(c);                                                                  \
	}

#ifdef __cplusplus
}
#endif

#endif
