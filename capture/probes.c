// SPDX-License-Identifier: Apache-2.0
/* --probe: parsing specs, checking what the kernel allows, attaching; see probes.h. */
#include <bpf/bpf.h>
#include <gelf.h>
#include <libelf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpf_driver.h"
#include "kernel_features.h"
#include "kfunc.h"
#include "probes.h"
#include "record.h"
#include "root_open.h"
#include "usdt_note.h"

static const char *const tracefs_roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

struct probes {
	struct bpf_link **links;
	size_t cnt;
	struct kfunc_probe **kfuncs; /* fentry/fexit: an object each */
	size_t kfunc_cnt;
	struct probe_spec *specs;
	char **formats; /* tracepoint format text, by probe id */
	uint32_t *tp_ids;
	size_t spec_cnt;
};

static int _fail(char *err, size_t sz, const char *fmt, const char *a, const char *b)
{
	snprintf(err, sz, fmt, a, b ? b : "");
	return -EINVAL;
}

static const char *const regs[] = { "di", "si", "dx", "cx", "r8", "r9", "ax", "bx", "sp", "bp",
				    "ip" };

/* [NAME=]SOURCE[:TYPE] */
static int _arg(struct probe_spec *p, const char *word, char *err, size_t sz)
{
	char buf[128], *src = buf, *type, *eq;
	struct sr_probe_arg *a;
	const char *tname = "u64";

	if (p->arg_cnt == SR_PROBE_ARGS)
		return _fail(err, sz, "probe '%s': at most 8 arguments%s", p->text, NULL);
	snprintf(buf, sizeof(buf), "%s", word);
	a = &p->args[p->arg_cnt];
	eq = strchr(buf, '=');
	if (eq) {
		*eq = '\0';
		src = eq + 1;
	}
	type = strchr(src, ':');
	if (type) {
		*type++ = '\0';
		bool kfn = p->kind == PROBE_KPROBE || p->kind == PROBE_KRETPROBE ||
			   p->kind == PROBE_FENTRY || p->kind == PROBE_FEXIT;

		if (!strcmp(type, "string"))
			a->type = kfn ? SR_AT_KSTRING : SR_AT_STRING;
		else if (!strcmp(type, "ustring") && kfn)
			a->type = SR_AT_STRING;
		else if (strcmp(type, "u64") && strcmp(type, "s64") && strcmp(type, "x64") &&
			 strcmp(type, "u32") && strcmp(type, "s32"))
			return _fail(err, sz, "probe argument '%s': unknown type (u64, s64, x64, u32, "
				     "s32, string; ustring for kprobes)%s", word, NULL);
		tname = !strcmp(type, "ustring") ? "string" : type;
	}
	if (!strncmp(src, "$arg", 4) && src[4] >= '1' && src[4] <= '6' && !src[5]) {
		a->src = p->kind == PROBE_USDT ? SR_ARG_USDT : SR_ARG_REG;
		a->idx = (uint16_t)(src[4] - '1');
	} else if (!strcmp(src, "$retval")) {
		if (p->kind != PROBE_URETPROBE && p->kind != PROBE_KRETPROBE && p->kind != PROBE_FEXIT)
			return _fail(err, sz, "probe argument '%s': $retval is only known to a "
				     "uretprobe, kretprobe or fexit%s", word, NULL);
		a->src = SR_ARG_RETVAL;
	} else if (src[0] == '%' && p->kind != PROBE_USDT) {
		size_t i;

		for (i = 0; i < sizeof(regs) / sizeof(regs[0]) && strcmp(src + 1, regs[i]); i++)
			;
		if (i == sizeof(regs) / sizeof(regs[0]))
			return _fail(err, sz, "probe argument '%s': unknown register%s", word, NULL);
		a->src = SR_ARG_REG;
		a->idx = (uint16_t)i;
	} else {
		return _fail(err, sz, "probe argument '%s': expected $arg1..$arg6, $retval or "
			     "%%REG, optionally NAME= before and :TYPE after%s", word, NULL);
	}
	snprintf(p->arg_names[p->arg_cnt], sizeof(p->arg_names[0]), "%s:%s",
		 eq ? buf : src[0] == '$' ? src + 1 : src, tname);
	p->arg_cnt++;
	return 0;
}

int probe_spec__parse(const char *text, struct probe_spec *p, char *err, size_t sz)
{
	static const struct {
		const char *prefix;
		int kind;
	} kinds[] = {
		{ "tracepoint:", PROBE_TRACEPOINT }, { "uprobe:", PROBE_UPROBE },
		{ "uretprobe:", PROBE_URETPROBE },   { "usdt:", PROBE_USDT },
		{ "kprobe:", PROBE_KPROBE },         { "kretprobe:", PROBE_KRETPROBE },
		{ "fentry:", PROBE_FENTRY },         { "fexit:", PROBE_FEXIT },
	};
	char buf[4600], *words[SR_PROBE_ARGS + 2], *rest, *c1, *c2;
	size_t n = 0;

	memset(p, 0, sizeof(*p));
	snprintf(p->text, sizeof(p->text), "%s", text);
	snprintf(buf, sizeof(buf), "%s", text);
	for (char *w = strtok(buf, " \t"); w && n < SR_PROBE_ARGS + 2; w = strtok(NULL, " \t"))
		words[n++] = w;
	if (!n)
		return _fail(err, sz, "empty --probe%s%s", "", NULL);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strncmp(words[0], kinds[i].prefix, strlen(kinds[i].prefix)))
			p->kind = kinds[i].kind;
	if (!p->kind)
		return _fail(err, sz, "bad --probe '%s': expected tracepoint:, uprobe:, uretprobe:, "
			     "usdt:, kprobe:, kretprobe:, fentry: or fexit:%s", text, NULL);
	rest = strchr(words[0], ':') + 1;
	switch (p->kind) {
	case PROBE_TRACEPOINT:
		c1 = strchr(rest, ':');
		if (!c1 || !c1[1] || c1 == rest || strchr(c1 + 1, ':') || strchr(rest, '/'))
			return _fail(err, sz, "bad --probe '%s': expected tracepoint:CATEGORY:NAME%s",
				     text, NULL);
		*c1 = '\0';
		snprintf(p->target, sizeof(p->target), "%s", rest);
		snprintf(p->name, sizeof(p->name), "%s", c1 + 1);
		break;
	case PROBE_UPROBE:
	case PROBE_URETPROBE:
		c1 = strrchr(rest, ':');
		if (!c1 || c1 == rest || !c1[1] || rest[0] != '/')
			return _fail(err, sz, "bad --probe '%s': expected %sPATH:FUNC[+OFFSET] with "
				     "an absolute PATH", text, p->kind == PROBE_UPROBE ? "uprobe:" : "uretprobe:");
		*c1 = '\0';
		snprintf(p->target, sizeof(p->target), "%s", rest);
		c2 = strchr(c1 + 1, '+');
		if (c2) {
			char *end;

			*c2 = '\0';
			p->offset = strtoull(c2 + 1, &end, 0);
			if (*end || !c2[1])
				return _fail(err, sz, "bad --probe '%s': bad offset after '+'%s", text,
					     NULL);
		}
		snprintf(p->func, sizeof(p->func), "%s", c1 + 1);
		break;
	case PROBE_USDT:
		c2 = strrchr(rest, ':');
		c1 = c2 && c2 > rest ? memrchr(rest, ':', (size_t)(c2 - rest)) : NULL;
		if (!c1 || c1 == rest || rest[0] != '/' || !c2[1] || c2 == c1 + 1)
			return _fail(err, sz, "bad --probe '%s': expected usdt:PATH:PROVIDER:NAME with "
				     "an absolute PATH%s", text, NULL);
		*c1 = *c2 = '\0';
		snprintf(p->target, sizeof(p->target), "%s", rest);
		snprintf(p->func, sizeof(p->func), "%s", c1 + 1);
		snprintf(p->name, sizeof(p->name), "%s", c2 + 1);
		break;
	default: /* kernel functions */
		if (!rest[0] || strchr(rest, ':'))
			return _fail(err, sz, "bad --probe '%s': expected %sFUNCTION", text,
				     words[0]);
		snprintf(p->func, sizeof(p->func), "%s", rest);
	}
	for (size_t i = 1; i < n; i++)
		if (_arg(p, words[i], err, sz))
			return -EINVAL;
	if (n > SR_PROBE_ARGS + 1)
		return _fail(err, sz, "probe '%s': at most 8 arguments%s", text, NULL);
	return 0;
}

/* ---- USDT: the arguments of a probe given without any, from its SDT note ---- */

/* The arguments of a USDT probe given without any, from its note's "8@%rbp -4@%eax": 8-byte
 * arguments may be strings (recorded when they point to one), the others are numbers,
 * signed when the size is negative. */
static void _usdt_note_args(struct probe_spec *p, const char *args)
{
	for (const char *a = args; *a && p->arg_cnt < SR_PROBE_ARGS;) {
		long size = strtol(a, NULL, 10);
		struct sr_probe_arg *pa = &p->args[p->arg_cnt];

		pa->src = SR_ARG_USDT;
		pa->idx = (uint16_t)p->arg_cnt;
		pa->type = size == 8 ? SR_AT_MAYBE_STRING : SR_AT_U64;
		snprintf(p->arg_names[p->arg_cnt], sizeof(p->arg_names[0]), "arg%d:%s",
			 p->arg_cnt + 1, size == 8 ? "auto" : size < 0 ? "s64" : "u64");
		p->arg_cnt++;
		a = strchr(a, ' ');
		if (!a)
			break;
		while (*a == ' ')
			a++;
	}
}

/* The SDT notes of the binary at @path: the arguments of the probe @p names. */
static void _usdt_default_args(struct probe_spec *p, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	Elf *e;

	if (fd < 0)
		return;
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	while (e && (scn = elf_nextscn(e, scn)) && !p->arg_cnt) {
		Elf_Data *d;
		GElf_Nhdr nh;
		size_t off = 0, noff, doff;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE || !(d = elf_getdata(scn, NULL)))
			continue;
		while ((off = gelf_getnote(d, off, &nh, &noff, &doff)) > 0 && !p->arg_cnt) {
			size_t asz = gelf_getclass(e) == ELFCLASS64 ? 8 : 4;
			struct usdt_note n;

			if (nh.n_type != 3 || nh.n_namesz != 8 ||
			    memcmp((const char *)d->d_buf + noff, "stapsdt", 8) ||
			    usdt_note__parse((const char *)d->d_buf + doff, nh.n_descsz, asz, &n) ||
			    strcmp(n.provider, p->func) || strcmp(n.name, p->name))
				continue;
			_usdt_note_args(p, n.args);
		}
	}
	if (e)
		elf_end(e);
	close(fd);
}

/* ---- kernel functions: probe what this kernel allows ---- */

static int _kernel_fn(const struct probe_spec *p, char *err, size_t sz)
{
	static const char alt[] = "use a tracepoint (tracepoint:CAT:NAME; see "
				  "/sys/kernel/tracing/available_events) instead";
	bool fentry = p->kind == PROBE_FENTRY || p->kind == PROBE_FEXIT;
	const char *kind = p->kind == PROBE_KPROBE ? "kprobe" : p->kind == PROBE_KRETPROBE ?
			   "kretprobe" : fentry && p->kind == PROBE_FENTRY ? "fentry" : "fexit";
	char why[256];
	int ret;

	if (!fentry) {
		if (access("/sys/bus/event_source/devices/kprobe", F_OK)) {
			snprintf(err, sz, "%s:%s: this kernel has no kprobes (CONFIG_KPROBES is off); %s",
				 kind, p->func, alt);
			return -EOPNOTSUPP;
		}
		return 0; /* recorded */
	}
	/* A minimal program of that kind, loaded and attached: exactly what the kernel allows. */
	ret = feature__tracing_prog(p->func, p->kind == PROBE_FEXIT, why, sizeof(why));
	if (ret == -ENOENT) {
		snprintf(err, sz, "%s:%s: no such kernel function in the kernel's BTF", kind, p->func);
		return -ENOENT;
	}
	if (ret) {
		snprintf(err, sz, "%s:%s: the kernel refuses %s programs (%s); %s", kind, p->func,
			 kind, why, alt);
		return -EOPNOTSUPP;
	}
	return 0; /* recorded */
}

/* ---- kernel functions: their arguments as BTF types them ---- */

/* @id without typedefs and qualifiers; *@user is set when a "user" type tag is met (the
 * kernel's __user, in BTF since 5.17 when built with clang). */
static const struct btf_type *_resolve_type(const struct btf *b, uint32_t id, bool *user)
{
	const struct btf_type *t = btf__type_by_id(b, id);

	while (t && (btf_is_typedef(t) || btf_is_mod(t) || btf_kind(t) == BTF_KIND_TYPE_TAG)) {
		if (btf_kind(t) == BTF_KIND_TYPE_TAG && user &&
		    !strcmp(btf__name_by_offset(b, t->name_off), "user"))
			*user = true;
		t = btf__type_by_id(b, t->type);
	}
	return t;
}

/* The type of one argument (or the return value) of type @id, and its type name. */
static const char *_btf_arg(const struct btf *b, uint32_t id, struct sr_probe_arg *a)
{
	bool user = false;
	const struct btf_type *t = _resolve_type(b, id, &user), *to;

	a->type = SR_AT_U64;
	if (!t)
		return "x64";
	if (btf_is_ptr(t)) {
		to = _resolve_type(b, t->type, &user);
		if (to && btf_is_int(to) && to->size == 1) { /* char *: a string */
			a->type = user ? SR_AT_STRING : SR_AT_KSTRING;
			return "string";
		}
		return "x64";
	}
	if (btf_is_int(t) || btf_is_enum(t)) {
		bool sgn = btf_is_int(t) ? (btf_int_encoding(t) & BTF_INT_SIGNED) != 0 : false;

		if (t->size <= 4)
			return sgn ? "s32" : "u32";
		return sgn ? "s64" : "u64";
	}
	return "x64";
}

/* A kprobe given without arguments records those of the function (a kretprobe its return
 * value), named and typed from the kernel's BTF; no BTF, no arguments. */
static int _kfunc_default_args(struct probe_spec *p, char *err, size_t sz)
{
	struct btf *b = btf__load_vmlinux_btf();
	const struct btf_type *fn, *proto;
	const struct btf_param *params;
	int id;

	if (!b)
		return 0;
	id = btf__find_by_name_kind(b, p->func, BTF_KIND_FUNC);
	if (id < 0) {
		btf__free(b);
		snprintf(err, sz, "%s: no such kernel function in the kernel's BTF", p->text);
		return -ENOENT;
	}
	fn = btf__type_by_id(b, (uint32_t)id);
	proto = fn ? btf__type_by_id(b, fn->type) : NULL;
	if (!proto || !btf_is_func_proto(proto)) {
		btf__free(b);
		return 0;
	}
	params = btf_params(proto);
	/* the six argument registers (a kretprobe no longer has them) */
	for (int i = 0; i < btf_vlen(proto) && i < 6 && p->kind != PROBE_KRETPROBE; i++) {
		struct sr_probe_arg *a = &p->args[p->arg_cnt];
		const char *name = btf__name_by_offset(b, params[i].name_off);

		if (!params[i].type) /* variadic */
			break;
		a->src = SR_ARG_REG;
		a->idx = (uint16_t)i;
		snprintf(p->arg_names[p->arg_cnt], sizeof(p->arg_names[0]), "%.30s:%s",
			 name && name[0] ? name : "arg", _btf_arg(b, params[i].type, a));
		p->arg_cnt++;
	}
	if ((p->kind == PROBE_KRETPROBE || p->kind == PROBE_FEXIT) && proto->type) {
		struct sr_probe_arg *a = &p->args[p->arg_cnt];

		a->src = SR_ARG_RETVAL;
		snprintf(p->arg_names[p->arg_cnt], sizeof(p->arg_names[0]), "retval:%s",
			 _btf_arg(b, proto->type, a));
		p->arg_cnt++;
	}
	btf__free(b);
	return 0;
}

/* ---- tracepoints ---- */

static char *_read_file(const char *path)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	do {
		if (len + 4096 > cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 16384);

			if (!nb) {
				free(buf);
				close(fd);
				return NULL;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n > 0)
			len += (size_t)n;
	} while (n > 0);
	close(fd);
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* The format of CAT:NAME from tracefs, and the bytes and user strings to copy per hit. */
static int _tracepoint(struct probes *ps, size_t i, char *err, size_t sz)
{
	struct probe_spec *p = &ps->specs[i];
	char path[600], *fmt = NULL, *line;
	unsigned int end = 0;
	bool data_loc = false;

	for (size_t r = 0; r < sizeof(tracefs_roots) / sizeof(tracefs_roots[0]) && !fmt; r++) {
		snprintf(path, sizeof(path), "%s/events/%s/%s/format", tracefs_roots[r], p->target,
			 p->name);
		fmt = _read_file(path);
		if (fmt) {
			snprintf(path, sizeof(path), "%s/events/%s/%s/id", tracefs_roots[r], p->target,
				 p->name);
			char *id = _read_file(path);

			ps->tp_ids[i] = id ? (uint32_t)strtoul(id, NULL, 10) : 0;
			free(id);
		}
	}
	if (!fmt) {
		snprintf(err, sz, "%s: no such tracepoint (or tracefs is not mounted: mount -t tracefs "
			 "nodev /sys/kernel/tracing)", p->text);
		return -ENOENT;
	}
	ps->formats[i] = fmt;
	/* field:TYPE NAME;	offset:N;	size:N;	signed:N; */
	for (line = fmt; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		unsigned int off, size;
		const char *f = strstr(line, "field:"), *o = strstr(line, "offset:");
		const char *s = strstr(line, "size:"), *nl = strchr(line, '\n');

		if (!f || !o || !s || (nl && (o > nl || s > nl)))
			continue;
		off = (unsigned int)strtoul(o + 7, NULL, 10);
		size = (unsigned int)strtoul(s + 5, NULL, 10);
		end = off + size > end ? off + size : end;
		data_loc |= !strncmp(f + 6, "__data_loc", 10);
		/* A syscall's string argument is a user pointer: copy the string it names. */
		if (!strcmp(p->target, "syscalls") && size == 8 && p->arg_cnt < SR_PROBE_ARGS &&
		    (!strncmp(f + 6, "const char *", 12) || !strncmp(f + 6, "char *", 6))) {
			const char *name = strchr(f, '*') + 1, *semi = strchr(name, ';');

			while (*name == ' ')
				name++;
			p->args[p->arg_cnt] = (struct sr_probe_arg){ SR_ARG_TP_PTR, SR_AT_STRING,
								     (uint16_t)off };
			snprintf(p->arg_names[p->arg_cnt], sizeof(p->arg_names[0]), "%.*s:string",
				 (int)(semi ? semi - name : 0), name);
			p->arg_cnt++;
		}
	}
	/* Variable-length fields (__data_loc) follow the fixed part: keep some of them too. */
	if (data_loc)
		end += 512;
	ps->tp_ids[i] = ps->tp_ids[i] ?: 1;
	return end >= SR_PROBE_RAW_MAX ? SR_PROBE_RAW_MAX - 1 : (int)end;
}

/*
 * The binary of a uprobe or USDT probe.  With @root_pid (--container), PATH is resolved
 * inside that process's root (root_open.h) and @path becomes /proc/self/fd/N of the file
 * opened, so that libbpf and the kernel attach to that very file; the fd is returned (the
 * caller closes it after attaching).  Without, PATH is the host's: -1.  @return -errno with
 * one line in @err when the file cannot be used.
 */
static int _target(const struct probe_spec *p, pid_t root_pid, char *path, size_t path_sz,
		   char *err, size_t sz)
{
	int fd;

	if (root_pid <= 0) {
		snprintf(path, path_sz, "%s", p->target);
		if (access(path, R_OK)) {
			snprintf(err, sz, "%s: cannot read '%s': %s", p->text, path, strerror(errno));
			return -errno;
		}
		return -1;
	}
	fd = root_open__pid(root_pid, p->target, ROOT_OPEN_ELF_MAX, NULL);
	if (fd < 0) {
		snprintf(err, sz, "%s: cannot open '%s' inside the container's root: %s", p->text,
			 p->target, fd == -EINVAL ? "not a regular file" :
			 fd == -EOPNOTSUPP ? "openat2 is not available" : strerror(-fd));
		return fd;
	}
	snprintf(path, path_sz, "/proc/self/fd/%d", fd);
	return fd;
}

int probes__open(struct bpf_driver *drv, struct probe_spec *specs, size_t cnt, pid_t root_pid,
		 struct probes **out, char *err, size_t sz)
{
	struct probes *ps = calloc(1, sizeof(*ps));
	struct bpf_driver_probe_progs pg;
	int ret = 0;

	if (!ps || !(ps->links = calloc(cnt, sizeof(*ps->links))) ||
	    !(ps->kfuncs = calloc(cnt, sizeof(*ps->kfuncs))) ||
	    !(ps->formats = calloc(cnt, sizeof(*ps->formats))) ||
	    !(ps->tp_ids = calloc(cnt, sizeof(*ps->tp_ids)))) {
		probes__close(ps);
		return -ENOMEM;
	}
	ps->specs = specs;
	ps->spec_cnt = cnt;
	bpf_driver__probe_progs(drv, &pg);
	for (size_t i = 0; i < cnt && !ret; i++) {
		struct probe_spec *p = &specs[i];
		struct sr_probe_cfg cfg = {};
		uint32_t key = (uint32_t)i;
		char path[4200];
		struct bpf_link *l = NULL;
		int tfd = -1; /* the binary, opened inside the container's root */

		bool tracing = p->kind == PROBE_FENTRY || p->kind == PROBE_FEXIT;
		bool kfn = p->kind == PROBE_KPROBE || p->kind == PROBE_KRETPROBE || tracing;

		if (kfn) {
			ret = _kernel_fn(p, err, sz);
			if (!ret && kfn && !p->arg_cnt)
				ret = _kfunc_default_args(p, err, sz);
			if (ret)
				break;
		}
		if (kfn) {
			/* a kernel function: nothing to read in a file */
		} else if (p->kind == PROBE_TRACEPOINT) {
			int raw = _tracepoint(ps, i, err, sz);

			if (raw < 0) {
				ret = raw;
				break;
			}
			cfg.raw_sz = (uint16_t)raw;
		} else {
			tfd = _target(p, root_pid, path, sizeof(path), err, sz);
			if (tfd < -1) {
				ret = tfd;
				break;
			}
		}
		if (p->kind == PROBE_USDT && !p->arg_cnt)
			_usdt_default_args(p, path);
		cfg.arg_cnt = (uint8_t)p->arg_cnt;
		memcpy(cfg.args, p->args, sizeof(cfg.args));
		if (bpf_map_update_elem(pg.cfg_fd, &key, &cfg, BPF_ANY)) {
			ret = -errno;
			snprintf(err, sz, "%s: cannot configure the probe: %s", p->text, strerror(-ret));
			if (tfd >= 0)
				close(tfd);
			break;
		}
		if (p->kind == PROBE_TRACEPOINT) {
			LIBBPF_OPTS(bpf_tracepoint_opts, o, .bpf_cookie = pg.cookies ? i : 0);

			l = bpf_program__attach_tracepoint_opts(pg.tp, p->target, p->name, &o);
		} else if (p->kind == PROBE_USDT) {
			LIBBPF_OPTS(bpf_usdt_opts, o, .usdt_cookie = i);

			l = bpf_program__attach_usdt(pg.usdt, -1, path, p->func, p->name, &o);
		} else if (tracing) {
			ret = kfunc_probe__attach(drv, p->func, p->kind == PROBE_FEXIT, (uint32_t)i,
						  &ps->kfuncs[ps->kfunc_cnt], err, sz);
			if (ret)
				break;
			ps->kfunc_cnt++;
			continue;
		} else if (kfn) {
			LIBBPF_OPTS(bpf_kprobe_opts, o, .bpf_cookie = pg.cookies ? i : 0,
				    .retprobe = p->kind == PROBE_KRETPROBE);

			l = bpf_program__attach_kprobe_opts(p->kind == PROBE_KRETPROBE ? pg.kretprobe
											 : pg.kprobe,
							    p->func, &o);
		} else {
			LIBBPF_OPTS(bpf_uprobe_opts, o, .bpf_cookie = pg.cookies ? i : 0,
				    .func_name = p->func,
				    .retprobe = p->kind == PROBE_URETPROBE);

			l = bpf_program__attach_uprobe_opts(p->kind == PROBE_URETPROBE ? pg.uretprobe
										   : pg.uprobe, -1,
							    path, p->offset, &o);
		}
		if (!l)
			ret = -errno;
		if (tfd >= 0)
			close(tfd); /* attached: the kernel holds the file itself */
		if (!l) {
			snprintf(err, sz, "%s: cannot attach: %s%s", p->text, strerror(-ret),
				 p->kind == PROBE_USDT ? " (no such USDT probe in the binary?)" :
				 kfn ? " (no such kernel function, or one kprobes may not trace?)" :
				 p->kind != PROBE_TRACEPOINT ? " (no such function in the binary?)" : "");
			break;
		}
		ps->links[ps->cnt++] = l;
	}
	if (ret) {
		probes__close(ps);
		return ret;
	}
	*out = ps;
	return 0;
}

void probes__close(struct probes *ps)
{
	if (!ps)
		return;
	for (size_t i = 0; i < ps->cnt; i++)
		bpf_link__destroy(ps->links[i]);
	for (size_t i = 0; i < ps->kfunc_cnt; i++)
		kfunc_probe__detach(ps->kfuncs[i]);
	free(ps->kfuncs);
	for (size_t i = 0; ps->formats && i < ps->spec_cnt; i++)
		free(ps->formats[i]);
	free(ps->formats);
	free(ps->tp_ids);
	free(ps->links);
	free(ps);
}

int probes__write_defs(struct probes *ps, struct trace_writer *w, uint64_t ts)
{
	for (size_t i = 0; i < ps->spec_cnt; i++) {
		const struct probe_spec *p = &ps->specs[i];
		struct trace_rec rec = { .type = TR_PROBE_DEF, .ts = ts, .int_cnt = 3, .blob_cnt = 2 };
		char names[SR_PROBE_ARGS * 50] = "";
		size_t n = 0;
		int err;

		for (int a = 0; a < p->arg_cnt; a++)
			n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s", a ? " " : "",
					      p->arg_names[a]);
		rec.ints[0] = SR_PROBE_ID_BASE + i;
		rec.ints[1] = (uint64_t)p->kind;
		rec.ints[2] = 0;
		rec.blobs[0] = (struct trace_blob){ p->text, (uint32_t)strlen(p->text), 0, 0 };
		rec.blobs[1] = (struct trace_blob){ names, (uint32_t)strlen(names), 1, 0 };
		err = 0;
		/* The format first: the PROBE_DEF then says which of its fields are strings. */
		if (ps->formats[i]) {
			struct trace_rec f = { .type = TR_TP_FORMAT, .ts = ts, .int_cnt = 1, .blob_cnt = 2 };
			char name[400];

			snprintf(name, sizeof(name), "%s:%s", p->target, p->name);
			f.ints[0] = SR_PROBE_ID_BASE + i;
			f.blobs[0] = (struct trace_blob){ name, (uint32_t)strlen(name), 0, 0 };
			f.blobs[1] = (struct trace_blob){ ps->formats[i], (uint32_t)strlen(ps->formats[i]),
							  1, 0 };
			err = trace_writer__append(w, &f);
		}
		err = err ?: trace_writer__append(w, &rec);
		if (err)
			return err;
	}
	return 0;
}
