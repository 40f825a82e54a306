// SPDX-License-Identifier: Apache-2.0
/*
 * The field table and its getters.  Every getter reads the event and the state engine's view
 * of it; strings point into the record, the state, or the event's scratch space, and stay
 * valid until the next event.
 */
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "decode.h"
#include "event.h"
#include "event_fmt.h"
#include "field_table.h"
#include "stack_fmt.h"
#include "probe_defs.h"
#include "symbols.h"

#define GETTER(fn) static bool fn(struct sr_evt *ev, const struct sr_field_ref *ref, \
				  struct sr_value *out)

static bool _u(struct sr_value *out, enum sr_ftype t, uint64_t v)
{
	out->type = t;
	out->u = v;
	return true;
}

static bool _i(struct sr_value *out, int64_t v)
{
	out->type = SR_FT_INT;
	out->i = v;
	return true;
}

static bool _s(struct sr_value *out, const char *p, size_t len)
{
	if (!p)
		return false;
	out->type = SR_FT_STR;
	out->s.p = p;
	out->s.len = len;
	return true;
}

static bool _cs(struct sr_value *out, const char *p)
{
	return p ? _s(out, p, strlen(p)) : false;
}

/* Text built by @fill into the event's scratch space. */
static bool _text(struct sr_evt *ev, struct sr_value *out, size_t cap,
		  void (*fill)(struct sr_evt *ev, struct sr_str *s, const void *ctx), const void *ctx)
{
	struct sr_str s = { .p = sr_evt__scratch(ev, cap), .cap = cap };

	if (!s.p)
		return false;
	s.p[0] = '\0';
	fill(ev, &s, ctx);
	ev->scratch_used -= cap - (s.len + 1); /* give back what was not used */
	return _s(out, s.p, s.len);
}

static bool _is_syscall(const struct sr_evt *ev)
{
	return ev->rec->type == TR_SYSCALL && ev->rec->int_cnt >= 4;
}

/* ---- evt.* ---- */

GETTER(_evt_num) { return _u(out, SR_FT_UINT, ev->num); }
GETTER(_evt_ts) { return _u(out, SR_FT_UINT, ev->rec->ts); }
GETTER(_evt_cpu) { return _u(out, SR_FT_UINT, ev->rec->cpu); }
GETTER(_evt_rawtime) { return _u(out, SR_FT_ABSTIME, ev->boot_time_ns + ev->rec->ts); }
GETTER(_evt_reltime)
{
	uint64_t wall = ev->boot_time_ns + ev->rec->ts;

	return _u(out, SR_FT_DURATION, wall > ev->start_wall ? wall - ev->start_wall : 0);
}
GETTER(_evt_type) { return _cs(out, sr_evt__type_name(ev)); }
GETTER(_evt_arch)
{
	return _is_syscall(ev) && ev->sc ? _cs(out, sr_abi__name(ev->sc->abi)) : false;
}

/* The date and clock of a second are formatted once (kept in the event): events come many
 * per second. */
static void _time_fill(struct sr_evt *ev, struct sr_str *s, const void *ctx)
{
	uint64_t ns = ev->boot_time_ns + ev->rec->ts;
	time_t secs = (time_t)(ns / 1000000000);
	uint32_t frac = (uint32_t)(ns % 1000000000);
	char digits[9];
	struct tm tm;

	if (secs != ev->time_secs || !ev->time_clock[0]) {
		localtime_r(&secs, &tm);
		snprintf(ev->time_date, sizeof(ev->time_date), "%04d-%02d-%02d ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday);
		snprintf(ev->time_clock, sizeof(ev->time_clock), "%02d:%02d:%02d.", tm.tm_hour,
			 tm.tm_min, tm.tm_sec);
		ev->time_secs = secs;
	}
	if (ctx)
		sr_str__puts(s, ev->time_date);
	sr_str__puts(s, ev->time_clock);
	for (int i = 8; i >= 0; i--, frac /= 10)
		digits[i] = (char)('0' + frac % 10);
	sr_str__putn(s, digits, 9);
}

GETTER(_evt_time) { return _text(ev, out, 40, _time_fill, NULL); }
GETTER(_evt_datetime) { return _text(ev, out, 48, _time_fill, ""); }

static void _args_fill(struct sr_evt *ev, struct sr_str *s, const void *ctx)
{
	sr_evt__args_text(ev, SR_BUF_DOTS, s);
}

GETTER(_evt_args) { return _text(ev, out, 8192, _args_fill, NULL); }

GETTER(_evt_arg)
{
	int i = ref->name[0] ? sr_evt__arg_index(ev, ref->name) : ref->idx;

	return sr_evt__arg_value(ev, i, out);
}

GETTER(_evt_rawres)
{
	if (!_is_syscall(ev) || (ev->rec->ints[3] & TR_SC_F_PENDING))
		return false;
	return _i(out, (int64_t)ev->rec->ints[1]);
}

GETTER(_evt_res)
{
	int64_t ret;
	const char *name;

	if (!_evt_rawres(ev, ref, out))
		return false;
	ret = out->i;
	if (ret < 0 && ret > -4096) {
		char *buf;

		name = sr_errno__name((int)-ret);
		if (name)
			return _cs(out, name);
		buf = sr_evt__scratch(ev, 16);
		return buf && _s(out, buf, (size_t)snprintf(buf, 16, "E%d", (int)-ret));
	}
	return _cs(out, "SUCCESS");
}

GETTER(_evt_failed)
{
	if (!_evt_rawres(ev, ref, out))
		return false;
	return _u(out, SR_FT_BOOL, out->i < 0 && out->i > -4096);
}

GETTER(_evt_latency)
{
	if (!_is_syscall(ev) || (ev->rec->ints[3] & TR_SC_F_NO_LATENCY))
		return false;
	return _u(out, SR_FT_DURATION, ev->rec->ints[2]);
}

GETTER(_evt_pending)
{
	if (!_is_syscall(ev))
		return false;
	return _u(out, SR_FT_BOOL, !!(ev->rec->ints[3] & TR_SC_F_PENDING));
}

/* I/O syscalls: bit 0 reads, bit 1 writes. */
static uint8_t io_kind[SR_SYSCALL_NR_MAX];
static pthread_once_t io_once = PTHREAD_ONCE_INIT;

static void _io_build(void)
{
	/* Copies between two fds count for the event's fd: the first one (copy_file_range
	 * and splice read from it; sendfile writes to it). */
	static const char *const rd[] = { "read", "pread64", "readv", "preadv", "preadv2",
		"recvfrom", "recvmsg", "recvmmsg", "copy_file_range", "splice", NULL };
	static const char *const wr[] = { "write", "pwrite64", "writev", "pwritev", "pwritev2",
		"sendto", "sendmsg", "sendmmsg", "sendfile", NULL };

	for (int pass = 0; pass < 2; pass++) {
		for (const char *const *name = pass ? wr : rd; *name; name++) {
			int ids[8], cnt = sr_syscall__ids(*name, 1, ids, 8); /* ia32 send, recv too */

			for (int i = 0; i < cnt && i < 8; i++)
				io_kind[ids[i]] |= pass ? 2 : 1;
		}
	}
}

static unsigned int _io(const struct sr_evt *ev)
{
	if (!_is_syscall(ev) || ev->rec->ints[0] >= SR_SYSCALL_NR_MAX)
		return 0;
	pthread_once(&io_once, _io_build);
	return io_kind[ev->rec->ints[0]];
}

GETTER(_evt_is_io) { return _is_syscall(ev) && _u(out, SR_FT_BOOL, _io(ev) != 0); }
GETTER(_evt_is_io_read) { return _is_syscall(ev) && _u(out, SR_FT_BOOL, _io(ev) & 1); }
GETTER(_evt_is_io_write) { return _is_syscall(ev) && _u(out, SR_FT_BOOL, (_io(ev) & 2) != 0); }

GETTER(_evt_buffer)
{
	if (!ev->sc)
		return false;
	for (int i = 0; i < ev->sc->nargs && i < SR_SYSCALL_MAX_ARGS; i++) {
		if (ev->sc->args[i].type == SR_PT_BUF && ev->arg_blob[i]) {
			out->type = SR_FT_BYTES;
			out->s.p = ev->arg_blob[i]->data;
			out->s.len = ev->arg_blob[i]->sz;
			return true;
		}
	}
	return false;
}

GETTER(_evt_buflen)
{
	int64_t ret;

	if (!_io(ev) || (ev->rec->ints[3] & TR_SC_F_PENDING))
		return false;
	ret = (int64_t)ev->rec->ints[1];
	return ret >= 0 && _u(out, SR_FT_UINT, (uint64_t)ret);
}

/* ---- proc.* and thread.* ---- */

static struct sr_proc *_proc(struct sr_evt *ev)
{
	return ev->thr ? ev->thr->proc : NULL;
}

/* A process's name: its leader's comm, else the exe's basename. */
static const char *_pname_of(struct sr_evt *ev, struct sr_proc *p)
{
	struct sr_thread *leader = p ? sr_state__thread(ev->st, p->pid) : NULL;
	const char *slash;

	if (leader && leader->comm[0])
		return leader->comm;
	if (!p || !p->exe || !p->exe[0])
		return NULL;
	slash = strrchr(p->exe, '/');
	return slash ? slash + 1 : p->exe;
}

GETTER(_proc_pid) { return _proc(ev) && _u(out, SR_FT_UINT, _proc(ev)->pid); }
GETTER(_proc_ppid) { return _proc(ev) && _u(out, SR_FT_UINT, _proc(ev)->ppid); }
GETTER(_proc_vpid) { return ev->thr && _u(out, SR_FT_UINT, ev->thr->vpid); }
GETTER(_thread_tid) { return _u(out, SR_FT_UINT, ev->rec->tid); }
GETTER(_thread_vtid) { return ev->thr && _u(out, SR_FT_UINT, ev->thr->vtid); }
GETTER(_proc_name) { return ev->thr && ev->thr->comm[0] ? _cs(out, ev->thr->comm) : false; }
GETTER(_proc_exe) { return _proc(ev) && _proc(ev)->exe && _cs(out, _proc(ev)->exe); }
GETTER(_proc_cwd) { return _proc(ev) && _proc(ev)->cwd && _cs(out, _proc(ev)->cwd); }

/* argv joined by spaces, from argument @from on. */
static void _argv_fill(struct sr_evt *ev, struct sr_str *s, const void *ctx)
{
	struct sr_proc *p = _proc(ev);
	size_t skip = *(const size_t *)ctx, k = 0;
	size_t start = 0;

	for (; start < p->args_len && k < skip; start++)
		if (!p->args[start])
			k++;
	if (k < skip)
		return;
	for (size_t i = start; i < p->args_len && !s->full; i++)
		sr_str__putn(s, p->args[i] ? &p->args[i] : " ", 1);
	if (p->args_cut) /* the driver keeps SR_ARGS_MAX bytes of them */
		sr_str__puts(s, SR_ARGS_CUT_MARK);
}

GETTER(_proc_cmdline)
{
	static const size_t zero = 0;

	return _proc(ev) && _proc(ev)->args && _text(ev, out, 4200, _argv_fill, &zero);
}

GETTER(_proc_args)
{
	static const size_t one = 1;

	return _proc(ev) && _proc(ev)->args && _text(ev, out, 4200, _argv_fill, &one);
}

/* The ancestor @n levels up (0: the process itself). */
static struct sr_proc *_ancestor(struct sr_evt *ev, int n)
{
	struct sr_proc *p = _proc(ev);

	for (int i = 0; i < n && p; i++)
		p = p->ppid && p->ppid != p->pid ? sr_state__proc(ev->st, p->ppid) : NULL;
	return p;
}

GETTER(_proc_pname) { return _cs(out, _pname_of(ev, _ancestor(ev, 1))); }
GETTER(_proc_aname) { return _cs(out, _pname_of(ev, _ancestor(ev, ref->idx < 0 ? 1 : ref->idx))); }
GETTER(_proc_apid)
{
	struct sr_proc *p = _ancestor(ev, ref->idx < 0 ? 1 : ref->idx);

	return p && _u(out, SR_FT_UINT, p->pid);
}

GETTER(_thread_cpu)
{
	return ev->rec->type == TR_CPU && ev->rec->int_cnt >= 3 &&
	       _u(out, SR_FT_DURATION, ev->rec->ints[2]);
}

GETTER(_thread_cpu_total)
{
	return ev->rec->type == TR_CPU && ev->rec->int_cnt >= 4 &&
	       _u(out, SR_FT_DURATION, ev->rec->ints[3]);
}

/* ---- user.* and group.* ---- */

GETTER(_user_uid) { return ev->thr && _u(out, SR_FT_UINT, ev->thr->uid); }
GETTER(_user_euid) { return ev->thr && _u(out, SR_FT_UINT, ev->thr->euid); }
GETTER(_user_name)
{
	const struct sr_user *u = ev->thr ? sr_state__user(ev->st, ev->thr->ns[SR_NS_MNT],
							    ev->thr->uid) : NULL;

	return u && _cs(out, u->name);
}
GETTER(_group_gid) { return ev->thr && _u(out, SR_FT_UINT, ev->thr->gid); }
GETTER(_group_name)
{
	const struct sr_group *g = ev->thr ? sr_state__group(ev->st, ev->thr->ns[SR_NS_MNT],
							     ev->thr->gid) : NULL;

	return g && _cs(out, g->name);
}

/* ---- fd.* ---- */

GETTER(_fd_num) { return ev->fd_num >= 0 && _i(out, ev->fd_num); }
GETTER(_fd_type) { return ev->fd && _cs(out, sr_fd_type__name(ev->fd->type)); }
GETTER(_fd_name) { return ev->fd && ev->fd->name[0] && _cs(out, ev->fd->name); }

static bool _is_path(const struct sr_fd *f)
{
	return f && (f->type == TR_FD_FILE || f->type == TR_FD_DIRECTORY) && f->name[0] == '/';
}

GETTER(_fd_directory)
{
	const char *slash;

	if (!_is_path(ev->fd))
		return false;
	if (ev->fd->type == TR_FD_DIRECTORY)
		return _cs(out, ev->fd->name);
	slash = strrchr(ev->fd->name, '/');
	return _s(out, ev->fd->name, slash == ev->fd->name ? 1 : (size_t)(slash - ev->fd->name));
}

GETTER(_fd_filename)
{
	if (!_is_path(ev->fd) || ev->fd->type == TR_FD_DIRECTORY)
		return false;
	return _cs(out, strrchr(ev->fd->name, '/') + 1);
}

static bool _ip(struct sr_value *out, const struct sr_fd *f, const uint8_t *a)
{
	if (!f || (f->family != AF_INET && f->family != AF_INET6))
		return false;
	out->type = SR_FT_IPADDR;
	out->ip.family = f->family;
	memcpy(out->ip.addr, a, 16);
	return true;
}

static bool _port(struct sr_value *out, const struct sr_fd *f, uint16_t port)
{
	if (!f || (f->family != AF_INET && f->family != AF_INET6))
		return false;
	return _u(out, SR_FT_UINT, port);
}

/* Source = the client end, destination = the server end of a connection. */
GETTER(_fd_sip) { const struct sr_fd *f = ev->fd; return _ip(out, f, f && f->server ? f->rip : f ? f->lip : NULL); }
GETTER(_fd_dip) { const struct sr_fd *f = ev->fd; return _ip(out, f, f && f->server ? f->lip : f ? f->rip : NULL); }
GETTER(_fd_sport) { const struct sr_fd *f = ev->fd; return _port(out, f, f && f->server ? f->rport : f ? f->lport : 0); }
GETTER(_fd_dport) { const struct sr_fd *f = ev->fd; return _port(out, f, f && f->server ? f->lport : f ? f->rport : 0); }
GETTER(_fd_lip) { return _ip(out, ev->fd, ev->fd ? ev->fd->lip : NULL); }
GETTER(_fd_rip) { return _ip(out, ev->fd, ev->fd ? ev->fd->rip : NULL); }
GETTER(_fd_lport) { return _port(out, ev->fd, ev->fd ? ev->fd->lport : 0); }
GETTER(_fd_rport) { return _port(out, ev->fd, ev->fd ? ev->fd->rport : 0); }
GETTER(_fd_l4proto) { return ev->fd && _cs(out, sr_l4proto__name(ev->fd->l4proto)); }

/* ---- pkt.* ---- */

static bool _is_packet(const struct sr_evt *ev)
{
	return ev->rec->type == TR_PACKET && ev->rec->int_cnt >= TR_PACKET_INT_CNT;
}

GETTER(_pkt_iface) { return _is_packet(ev) && sr_evt__arg_value(ev, 0, out); }
GETTER(_pkt_ifindex) { return _is_packet(ev) && _u(out, SR_FT_UINT, ev->rec->ints[TR_PACKET_IFINDEX]); }
GETTER(_pkt_dir) { return _is_packet(ev) && sr_evt__arg_value(ev, 1, out); }
GETTER(_pkt_len) { return _is_packet(ev) && _u(out, SR_FT_UINT, ev->rec->ints[TR_PACKET_WIRE_LEN]); }
GETTER(_pkt_caplen)
{
	return _is_packet(ev) && _u(out, SR_FT_UINT, ev->rec->blob_cnt ? ev->rec->blobs[0].sz : 0);
}
GETTER(_pkt_proto)
{
	if (!_is_packet(ev))
		return false;
	if (!ev->pkt.family)
		return _cs(out, ev->rec->ints[TR_PACKET_ETHERTYPE] == 0x0806 ? "arp" : "other");
	const char *name = sr_l4proto__name(ev->pkt.l4proto);

	return _cs(out, name ? name : "other");
}
GETTER(_pkt_payload)
{
	const struct trace_blob *b = _is_packet(ev) && ev->rec->blob_cnt ? &ev->rec->blobs[0] : NULL;

	size_t end;

	if (!b || !ev->pkt.family || ev->pkt.payload_off >= b->sz) /* none, or none kept */
		return false;
	/* what the headers count, not an Ethernet frame's padding after it */
	end = (size_t)ev->pkt.payload_off + ev->pkt.payload_len;
	if (end > b->sz)
		end = b->sz;
	if (end <= ev->pkt.payload_off)
		return false;
	out->type = SR_FT_BYTES;
	out->s.p = (const char *)b->data + ev->pkt.payload_off;
	out->s.len = end - ev->pkt.payload_off;
	return true;
}
GETTER(_pkt_summary) { return _is_packet(ev) && sr_evt__arg_value(ev, 3, out); }

/* ---- container.*, k8s.* ---- */

/* A packet's container is its network namespace's (see net_state.h). */
static const struct sr_container *_ctr(struct sr_evt *ev)
{
	if (ev->rec->type == TR_PACKET)
		return ev->pkt_ctr;
	return ev->thr ? ev->thr->ctr : NULL;
}

/* The event belongs to a container or to the host, and we know which. */
static bool _owned(const struct sr_evt *ev)
{
	return ev->rec->type == TR_PACKET ? ev->pkt_ctr_known : ev->thr != NULL;
}

GETTER(_ctr_id) { return _owned(ev) && _cs(out, _ctr(ev) ? _ctr(ev)->id : "host"); }
GETTER(_ctr_name) { return _owned(ev) && _cs(out, _ctr(ev) ? _ctr(ev)->name : "host"); }
GETTER(_ctr_image) { return _ctr(ev) && _ctr(ev)->image[0] && _cs(out, _ctr(ev)->image); }
GETTER(_ctr_type) { return _owned(ev) && _cs(out, _ctr(ev) ? _ctr(ev)->runtime : "host"); }
GETTER(_k8s_pod) { return _ctr(ev) && _ctr(ev)->pod_name[0] && _cs(out, _ctr(ev)->pod_name); }
GETTER(_k8s_ns) { return _ctr(ev) && _ctr(ev)->pod_namespace[0] && _cs(out, _ctr(ev)->pod_namespace); }
GETTER(_k8s_uid) { return _ctr(ev) && _ctr(ev)->pod_uid[0] && _cs(out, _ctr(ev)->pod_uid); }

/* ---- sample.* ---- */

static bool _is_sample(const struct sr_evt *ev)
{
	return ev->rec->type == TR_SAMPLE && ev->rec->int_cnt >= 4;
}

GETTER(_sample_event)
{
	return _is_sample(ev) &&
	       _cs(out, sr_symbols__event_name(sr_state__symbols(ev->st), ev->rec->ints[0]));
}
GETTER(_sample_value) { return _is_sample(ev) && _u(out, SR_FT_UINT, ev->rec->ints[2]); }
GETTER(_sample_period) { return _is_sample(ev) && _u(out, SR_FT_UINT, ev->rec->ints[3]); }
GETTER(_sample_func) { return _is_sample(ev) && _cs(out, sr_stack__leaf(ev)); }

struct stack_kind {
	int kinds;
	enum sr_stack_style style;
};

static void _stack_fill(struct sr_evt *ev, struct sr_str *s, const void *ctx)
{
	const struct stack_kind *k = ctx;

	sr_stack__text(ev, k->kinds, k->style, s);
}

#define STACK_GETTER(fn, kinds, style)                                                       \
	GETTER(fn)                                                                            \
	{                                                                                     \
		static const struct stack_kind k = { kinds, style };                          \
		return _is_sample(ev) && _text(ev, out, 16384, _stack_fill, &k) && out->s.len; \
	}
STACK_GETTER(_sample_stack, SR_STACK_USER | SR_STACK_KERNEL, SR_STACK_FOLDED)
STACK_GETTER(_sample_ustack, SR_STACK_USER, SR_STACK_LEAF_FIRST)
STACK_GETTER(_sample_kstack, SR_STACK_KERNEL, SR_STACK_LEAF_FIRST)

/* ---- probe.* ---- */

GETTER(_probe_name)
{
	const struct sr_probe_def *d;

	if (ev->rec->type != TR_PROBE_HIT || ev->rec->int_cnt < 1)
		return false;
	d = sr_state__probe(ev->st, ev->rec->ints[0]);
	return d && d->spec && _cs(out, d->spec);
}

GETTER(_probe_id)
{
	return ev->rec->type == TR_PROBE_HIT && ev->rec->int_cnt >= 1 &&
	       _u(out, SR_FT_UINT, ev->rec->ints[0]);
}

/* probe.arg.NAME, probe.arg[N] (N from 1; the probe itself is argument 0 of the event) */
GETTER(_probe_arg)
{
	if (ev->rec->type != TR_PROBE_HIT)
		return false;
	return sr_evt__arg_value(ev, ref->name[0] ? sr_evt__arg_index(ev, ref->name) : ref->idx,
				 out);
}

/* ---- ns.*, cgroup.* ---- */

#define NS_GETTER(fn, idx) \
	GETTER(fn) { return ev->thr && ev->thr->ns[idx] && _u(out, SR_FT_UINT, ev->thr->ns[idx]); }
NS_GETTER(_ns_mnt, SR_NS_MNT)
NS_GETTER(_ns_pid, SR_NS_PID)
NS_GETTER(_ns_thread_net, SR_NS_NET)

/* A packet's namespace is its interface's. */
GETTER(_ns_net)
{
	if (_is_packet(ev))
		return _u(out, SR_FT_UINT, ev->rec->ints[TR_PACKET_NETNS]);
	return _ns_thread_net(ev, ref, out);
}
NS_GETTER(_ns_uts, SR_NS_UTS)
NS_GETTER(_ns_ipc, SR_NS_IPC)
NS_GETTER(_ns_user, SR_NS_USER)
NS_GETTER(_ns_cgroup, SR_NS_CGROUP)
NS_GETTER(_ns_time, SR_NS_TIME)

GETTER(_cgroup_id) { return ev->thr && _u(out, SR_FT_UINT, ev->thr->cgroup_id); }
GETTER(_cgroup_path) { return ev->thr && ev->thr->cgroup && _cs(out, ev->thr->cgroup); }

#define F(n, t, a, fn, d) { n, t, a, d, fn }
const struct sr_field_def sr_field_table[] = {
	F("evt.num", SR_FT_UINT, SR_FARG_NONE, _evt_num, "number of the event in this replay, from 1"),
	F("evt.time", SR_FT_STR, SR_FARG_NONE, _evt_time, "local time of day the event ended, with ns (HH:MM:SS.nnnnnnnnn)"),
	F("evt.datetime", SR_FT_STR, SR_FARG_NONE, _evt_datetime, "local date and time the event ended (YYYY-MM-DD HH:MM:SS.nnnnnnnnn)"),
	F("evt.rawtime", SR_FT_ABSTIME, SR_FARG_NONE, _evt_rawtime, "time the event ended, in ns since the epoch"),
	F("evt.reltime", SR_FT_DURATION, SR_FARG_NONE, _evt_reltime, "time since the first record of the replay"),
	F("evt.ts", SR_FT_UINT, SR_FARG_NONE, _evt_ts, "time on the capture host's monotonic clock, in ns (as stored)"),
	F("evt.type", SR_FT_STR, SR_FARG_NONE, _evt_type, "syscall name, or procfork, procexec, procexit, cpu (CPU time used, every second and at exit), probe, sample, packet"),
	F("evt.arch", SR_FT_STR, SR_FARG_NONE, _evt_arch, "syscalls: the ABI the call was made in, x86_64 or i386 (a 32-bit program, or int 0x80 from a 64-bit one: its numbers and arguments are the ia32 ones)"),
	F("evt.cpu", SR_FT_UINT, SR_FARG_NONE, _evt_cpu, "CPU the event happened on"),
	F("evt.args", SR_FT_STR, SR_FARG_NONE, _evt_args, "all arguments as text: name=value ..."),
	F("evt.arg", SR_FT_DYN, SR_FARG_NAME_OR_INDEX, _evt_arg, "one argument by name (evt.arg.fd) or position (evt.arg[0]); its type follows the argument"),
	F("evt.res", SR_FT_STR, SR_FARG_NONE, _evt_res, "result: SUCCESS, or the errno name (ENOENT)"),
	F("evt.rawres", SR_FT_INT, SR_FARG_NONE, _evt_rawres, "return value of the syscall (a negative errno on failure)"),
	F("evt.failed", SR_FT_BOOL, SR_FARG_NONE, _evt_failed, "true when the syscall returned an error"),
	F("evt.latency", SR_FT_DURATION, SR_FARG_NONE, _evt_latency, "time from syscall entry to exit (absent without --latency data)"),
	F("evt.pending", SR_FT_BOOL, SR_FARG_NONE, _evt_pending, "true for a syscall still blocked when the capture stopped"),
	F("evt.is_io", SR_FT_BOOL, SR_FARG_NONE, _evt_is_io, "true for read/write/send/recv family syscalls"),
	F("evt.is_io_read", SR_FT_BOOL, SR_FARG_NONE, _evt_is_io_read, "true for read/recv family syscalls"),
	F("evt.is_io_write", SR_FT_BOOL, SR_FARG_NONE, _evt_is_io_write, "true for write/send family syscalls"),
	F("evt.buffer", SR_FT_BYTES, SR_FARG_NONE, _evt_buffer, "the I/O buffer as captured (up to the snaplen)"),
	F("evt.buflen", SR_FT_UINT, SR_FARG_NONE, _evt_buflen, "bytes an I/O syscall transferred (its return value)"),
	F("proc.pid", SR_FT_UINT, SR_FARG_NONE, _proc_pid, "process id (thread group id)"),
	F("proc.ppid", SR_FT_UINT, SR_FARG_NONE, _proc_ppid, "parent process id"),
	F("proc.vpid", SR_FT_UINT, SR_FARG_NONE, _proc_vpid, "process id as seen inside its pid namespace"),
	F("proc.name", SR_FT_STR, SR_FARG_NONE, _proc_name, "command name of the thread (comm, up to 16 characters)"),
	F("proc.exe", SR_FT_STR, SR_FARG_NONE, _proc_exe, "path of the executable, as exec resolved it"),
	F("proc.cmdline", SR_FT_STR, SR_FARG_NONE, _proc_cmdline, "full command line (argv joined by spaces)"),
	F("proc.args", SR_FT_STR, SR_FARG_NONE, _proc_args, "arguments after argv[0], joined by spaces"),
	F("proc.cwd", SR_FT_STR, SR_FARG_NONE, _proc_cwd, "current working directory"),
	F("proc.pname", SR_FT_STR, SR_FARG_NONE, _proc_pname, "name of the parent process"),
	F("proc.aname", SR_FT_STR, SR_FARG_INDEX, _proc_aname, "name of an ancestor: proc.aname[1] is the parent, [2] the grandparent, [0] the process itself"),
	F("proc.apid", SR_FT_UINT, SR_FARG_INDEX, _proc_apid, "pid of an ancestor, numbered as proc.aname"),
	F("thread.tid", SR_FT_UINT, SR_FARG_NONE, _thread_tid, "thread id"),
	F("thread.vtid", SR_FT_UINT, SR_FARG_NONE, _thread_vtid, "thread id as seen inside its pid namespace"),
	F("thread.cpu", SR_FT_DURATION, SR_FARG_NONE, _thread_cpu, "on a cpu event: CPU time the thread used since its previous one (or since the capture began)"),
	F("thread.cpu_total", SR_FT_DURATION, SR_FARG_NONE, _thread_cpu_total, "on a cpu event: CPU time the thread used since it started"),
	F("user.uid", SR_FT_UINT, SR_FARG_NONE, _user_uid, "real user id"),
	F("user.euid", SR_FT_UINT, SR_FARG_NONE, _user_euid, "effective user id"),
	F("user.name", SR_FT_STR, SR_FARG_NONE, _user_name, "user name of the real uid, from the passwd file the process sees (its container's)"),
	F("group.gid", SR_FT_UINT, SR_FARG_NONE, _group_gid, "real group id"),
	F("group.name", SR_FT_STR, SR_FARG_NONE, _group_name, "group name, from the group file the process sees"),
	F("fd.num", SR_FT_INT, SR_FARG_NONE, _fd_num, "the fd the event is about: its fd argument, or the fd it returned"),
	F("fd.type", SR_FT_STR, SR_FARG_NONE, _fd_type, "file, directory, ipv4, ipv6, unix, pipe, event, signalfd, eventpoll, inotify, timerfd, netlink, bpf, pidfd, io_uring, userfaultfd, socket, other"),
	F("fd.name", SR_FT_STR, SR_FARG_NONE, _fd_name, "absolute path, client->server tuple, unix socket path or kernel name of the fd"),
	F("fd.directory", SR_FT_STR, SR_FARG_NONE, _fd_directory, "directory of a file fd (the path itself for a directory)"),
	F("fd.filename", SR_FT_STR, SR_FARG_NONE, _fd_filename, "file name of a file fd, without its directory"),
	F("fd.sip", SR_FT_IPADDR, SR_FARG_NONE, _fd_sip, "source (client) IP address of a connection"),
	F("fd.dip", SR_FT_IPADDR, SR_FARG_NONE, _fd_dip, "destination (server) IP address of a connection"),
	F("fd.sport", SR_FT_UINT, SR_FARG_NONE, _fd_sport, "source (client) port"),
	F("fd.dport", SR_FT_UINT, SR_FARG_NONE, _fd_dport, "destination (server) port"),
	F("fd.lip", SR_FT_IPADDR, SR_FARG_NONE, _fd_lip, "local IP address of a socket"),
	F("fd.rip", SR_FT_IPADDR, SR_FARG_NONE, _fd_rip, "remote IP address of a socket"),
	F("fd.lport", SR_FT_UINT, SR_FARG_NONE, _fd_lport, "local port of a socket"),
	F("fd.rport", SR_FT_UINT, SR_FARG_NONE, _fd_rport, "remote port of a socket"),
	F("fd.l4proto", SR_FT_STR, SR_FARG_NONE, _fd_l4proto, "tcp, udp, icmp, raw"),
	F("pkt.iface", SR_FT_STR, SR_FARG_NONE, _pkt_iface, "on a packet: the interface it was seen on (eth0, lo; ifN when the trace has no name for it)"),
	F("pkt.ifindex", SR_FT_UINT, SR_FARG_NONE, _pkt_ifindex, "on a packet: the interface's index in its network namespace"),
	F("pkt.dir", SR_FT_STR, SR_FARG_NONE, _pkt_dir, "on a packet: in (received) or out (sent)"),
	F("pkt.len", SR_FT_UINT, SR_FARG_NONE, _pkt_len, "on a packet: its length on the wire from the IP header on"),
	F("pkt.caplen", SR_FT_UINT, SR_FARG_NONE, _pkt_caplen, "on a packet: bytes of it kept (the packet snaplen)"),
	F("pkt.proto", SR_FT_STR, SR_FARG_NONE, _pkt_proto, "on a packet: tcp, udp, icmp, icmpv6, ..., arp or other"),
	F("pkt.payload", SR_FT_BYTES, SR_FARG_NONE, _pkt_payload, "on a packet: the TCP/UDP payload bytes kept"),
	F("pkt.summary", SR_FT_STR, SR_FARG_NONE, _pkt_summary, "on a packet: a tcpdump-like line: TCP 10.0.0.1:80 > 10.0.0.2:5000 [P.] seq 1 ack 1 len 12"),
	F("container.id", SR_FT_STR, SR_FARG_NONE, _ctr_id, "container id, or host"),
	F("container.name", SR_FT_STR, SR_FARG_NONE, _ctr_name, "container name, or host"),
	F("container.image", SR_FT_STR, SR_FARG_NONE, _ctr_image, "container image"),
	F("container.type", SR_FT_STR, SR_FARG_NONE, _ctr_type, "runtime: docker, podman, containerd, cri-o, runc; or host"),
	F("k8s.pod.name", SR_FT_STR, SR_FARG_NONE, _k8s_pod, "Kubernetes pod name"),
	F("k8s.ns.name", SR_FT_STR, SR_FARG_NONE, _k8s_ns, "Kubernetes namespace"),
	F("k8s.pod.uid", SR_FT_STR, SR_FARG_NONE, _k8s_uid, "Kubernetes pod uid"),
	F("ns.mnt", SR_FT_UINT, SR_FARG_NONE, _ns_mnt, "mount namespace inode"),
	F("ns.pid", SR_FT_UINT, SR_FARG_NONE, _ns_pid, "pid namespace inode"),
	F("ns.net", SR_FT_UINT, SR_FARG_NONE, _ns_net, "network namespace inode"),
	F("ns.uts", SR_FT_UINT, SR_FARG_NONE, _ns_uts, "uts namespace inode"),
	F("ns.ipc", SR_FT_UINT, SR_FARG_NONE, _ns_ipc, "ipc namespace inode"),
	F("ns.user", SR_FT_UINT, SR_FARG_NONE, _ns_user, "user namespace inode"),
	F("ns.cgroup", SR_FT_UINT, SR_FARG_NONE, _ns_cgroup, "cgroup namespace inode"),
	F("ns.time", SR_FT_UINT, SR_FARG_NONE, _ns_time, "time namespace inode"),
	F("sample.event", SR_FT_STR, SR_FARG_NONE, _sample_event, "on a sample: the sampled event (cpu-clock, cycles, ...)"),
	F("sample.value", SR_FT_UINT, SR_FARG_NONE, _sample_value, "on a sample: the counter's value"),
	F("sample.period", SR_FT_UINT, SR_FARG_NONE, _sample_period, "on a sample: events (or ns, for clocks) the sample stands for"),
	F("sample.func", SR_FT_STR, SR_FARG_NONE, _sample_func, "on a sample: the function it interrupted (the kernel's, when in the kernel)"),
	F("sample.stack", SR_FT_STR, SR_FARG_NONE, _sample_stack, "on a sample: user and kernel stack folded, outermost first: main;work;hot;sys_read_[k]"),
	F("sample.ustack", SR_FT_STR, SR_FARG_NONE, _sample_ustack, "on a sample: the user stack, innermost first: hot <- work <- main"),
	F("sample.kstack", SR_FT_STR, SR_FARG_NONE, _sample_kstack, "on a sample: the kernel stack, innermost first"),
	F("probe.name", SR_FT_STR, SR_FARG_NONE, _probe_name, "on a probe hit: the probe as given to record --probe"),
	F("probe.id", SR_FT_UINT, SR_FARG_NONE, _probe_id, "on a probe hit: the probe's id in the trace"),
	F("probe.arg", SR_FT_DYN, SR_FARG_NAME_OR_INDEX, _probe_arg, "on a probe hit: an argument by name (a tracepoint field, a uprobe argument: probe.arg.filename, probe.arg.retval) or position from 1"),
	F("cgroup.id", SR_FT_UINT, SR_FARG_NONE, _cgroup_id, "cgroup v2 id of the thread's cgroup"),
	F("cgroup.path", SR_FT_STR, SR_FARG_NONE, _cgroup_path, "cgroup v2 path of the thread's cgroup"),
};
#undef F

const size_t sr_field_table_cnt = sizeof(sr_field_table) / sizeof(sr_field_table[0]);
