// SPDX-License-Identifier: Apache-2.0
/*
 * The "spy" chisels, which print events as they happen rather than a summary:
 *   spy_users  every command run (exec), with its user, container and parent
 *   spy_file   every read and write on files: process, direction, bytes, path
 *   echo_fds   the data processes read and wrote, with a header per call
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stock.h"

enum spy_kind { SPY_USERS, SPY_FILE, SPY_ECHO };

#define F_TIME 0
#define F_USER 1
#define F_CTR 2
#define F_PID 3
#define F_PNAME 4
#define F_CMDLINE 5
#define F_NAME 6
#define F_TYPE 7
#define F_FD 8
#define F_LEN 9
#define F_BUF 10
#define F_READ 11
#define F_CNT 12

static const char *const field_names[F_CNT] = {
	"evt.time", "user.name", "container.name", "proc.pid", "proc.pname", "proc.cmdline",
	"proc.name", "evt.type", "fd.name", "evt.buflen", "evt.buffer", "evt.is_io_read",
};

struct spy {
	enum spy_kind kind;
	const struct sysrec_host *h;
	struct sysrec_ctx *ctx;
	const struct sysrec_field *f[F_CNT];
	char err[160];
};

static int _init(enum spy_kind kind, const char *filter, struct sysrec_ctx *ctx,
		 const struct sysrec_host *h, void **state)
{
	struct spy *s = calloc(1, sizeof(*s));

	*state = s;
	if (!s)
		return -ENOMEM;
	s->kind = kind;
	s->h = h;
	s->ctx = ctx;
	for (int i = 0; i < F_CNT; i++)
		if (!(s->f[i] = h->field(ctx, field_names[i])))
			return -EINVAL;
	return h->set_filter(ctx, filter);
}

static const char *_text(struct spy *s, const struct sysrec_event *ev, int f)
{
	const char *t;

	return s->h->get_text(ev, s->f[f], &t) ? t : "<NA>";
}

static int _event(void *state, const struct sysrec_event *ev)
{
	struct spy *s = state;
	FILE *out = s->h->out(s->ctx);
	uint64_t rd = 0;

	s->h->get_u64(ev, s->f[F_READ], &rd);
	switch (s->kind) {
	case SPY_USERS:
		fprintf(out, "%s %s %s %s (parent %s): %s\n", _text(s, ev, F_TIME),
			_text(s, ev, F_USER), _text(s, ev, F_CTR), _text(s, ev, F_PID),
			_text(s, ev, F_PNAME), _text(s, ev, F_CMDLINE));
		break;
	case SPY_FILE:
		fprintf(out, "%s %s(%s) %s %sB %s\n", _text(s, ev, F_TIME), _text(s, ev, F_NAME),
			_text(s, ev, F_PID), rd ? "R" : "W", _text(s, ev, F_LEN),
			_text(s, ev, F_FD));
		break;
	case SPY_ECHO:
		fprintf(out, "------ %s %sB %s %s (%s %s)\n", rd ? "Read" : "Write",
			_text(s, ev, F_LEN), rd ? "from" : "to", _text(s, ev, F_FD),
			_text(s, ev, F_NAME), _text(s, ev, F_PID));
		fprintf(out, "%s\n", _text(s, ev, F_BUF));
		break;
	}
	return 0;
}

static int _users_init(struct sysrec_ctx *ctx, const struct sysrec_host *h, int argc,
		       char **argv, void **state)
{
	int ret = _init(SPY_USERS, "evt.type=procexec", ctx, h, state);

	if (!ret && argc) {
		snprintf(((struct spy *)*state)->err, sizeof(((struct spy *)*state)->err),
			 "takes no arguments (use a filter)");
		return -EINVAL;
	}
	return ret;
}

/* spy_file [GLOB]: only files whose path matches GLOB. */
static int _file_init(struct sysrec_ctx *ctx, const struct sysrec_host *h, int argc,
		      char **argv, void **state)
{
	char filter[600];
	struct spy *s;

	if (argc > 1 || (argc == 1 && strchr(argv[0], '"'))) {
		s = calloc(1, sizeof(*s));
		*state = s;
		if (s)
			snprintf(s->err, sizeof(s->err), "expected at most one path pattern, e.g. '/etc/*'");
		return -EINVAL;
	}
	snprintf(filter, sizeof(filter), "evt.is_io and fd.type=file and evt.buflen exists%s%s%s",
		 argc ? " and fd.name glob \"" : "", argc ? argv[0] : "", argc ? "\"" : "");
	return _init(SPY_FILE, filter, ctx, h, state);
}

static int _echo_init(struct sysrec_ctx *ctx, const struct sysrec_host *h, int argc,
		      char **argv, void **state)
{
	int ret = _init(SPY_ECHO, "evt.is_io and evt.buffer exists", ctx, h, state);

	if (!ret && argc) {
		snprintf(((struct spy *)*state)->err, sizeof(((struct spy *)*state)->err),
			 "takes no arguments (use a filter, e.g. proc.name=curl)");
		return -EINVAL;
	}
	return ret;
}

static void _fini(void *state)
{
	free(state);
}

static const char *_error(void *state)
{
	struct spy *s = state;

	return s && s->err[0] ? s->err : NULL;
}

#define SPY(id, desc, argh, initfn)                                                           \
	const struct sysrec_chisel chisel_##id = {                                            \
		.sz = sizeof(struct sysrec_chisel), .api_version = SYSREC_CHISEL_API_VERSION, \
		.name = #id, .description = desc, .args = argh, .init = initfn,               \
		.on_event = _event, .fini = _fini, .last_error = _error,                      \
	};

SPY(spy_users, "every command run: time, user, container, pid, parent and command line", "",
    _users_init)
SPY(spy_file, "every read and write on files: process, R/W, bytes, path", "[PATH_GLOB]",
    _file_init)
SPY(echo_fds, "the data processes read and wrote (as captured, up to the snaplen)", "",
    _echo_init)
