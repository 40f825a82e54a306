/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * A --probe hit, shared by probes.bpf.c (tracepoints, uprobes, USDT, kprobes: one program per
 * kind, the probe's id in the BPF cookie) and kfunc.bpf.c (fentry/fexit: one object per
 * probe, the id in its rodata).  What to copy comes from probe_cfg[id]: a tracepoint's raw
 * record and the user strings its pointer fields name, the arguments a spec asked for (from
 * registers, USDT argument specs, or a traced function's own arguments) and the strings they
 * point to.  @kind is a constant at every call, so each program keeps only its own branches
 * (bpf_get_func_arg() is only allowed in tracing programs).
 */
#ifndef SYSREC_PROBE_HIT_BPF_H
#define SYSREC_PROBE_HIT_BPF_H

#include <bpf/usdt.bpf.h>

#include "event_kinds.h"
#include "helpers.bpf.h"

enum { SR_HIT_TRACEPOINT, SR_HIT_REGS, SR_HIT_KFUNC };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SR_MAX_PROBES);
	__type(key, __u32);
	__type(value, struct sr_probe_cfg);
} probe_cfg SEC(".maps") __weak;

struct sr_probe_scratch {
	__u8 buf[8192];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sr_probe_scratch);
} probe_scratch SEC(".maps") __weak;

#define STR_MAX 256

static __always_inline __u64 _reg(struct pt_regs *regs, __u16 idx)
{
	switch (idx) { /* the System V order of arguments, then the rest */
	case 0: return BPF_CORE_READ(regs, di);
	case 1: return BPF_CORE_READ(regs, si);
	case 2: return BPF_CORE_READ(regs, dx);
	case 3: return BPF_CORE_READ(regs, cx);
	case 4: return BPF_CORE_READ(regs, r8);
	case 5: return BPF_CORE_READ(regs, r9);
	case 6: return BPF_CORE_READ(regs, ax);
	case 7: return BPF_CORE_READ(regs, bx);
	case 8: return BPF_CORE_READ(regs, sp);
	case 9: return BPF_CORE_READ(regs, bp);
	case 10: return BPF_CORE_READ(regs, ip);
	}
	return 0;
}

/* Append a user (or, @kernel, a kernel) string as a data item at @off; returns the new
 * offset. */
static __always_inline __u32 _string(__u8 *buf, __u32 off, __u64 ptr, __u8 arg, bool kernel)
{
	struct sr_rb_data *d;
	long n;

	off &= 4095;
	d = (struct sr_rb_data *)(buf + off);
	n = kernel ? bpf_probe_read_kernel_str(buf + off + sizeof(*d), STR_MAX, (void *)ptr)
		   : bpf_probe_read_user_str(buf + off + sizeof(*d), STR_MAX, (void *)ptr);
	if (n <= 0)
		return off;
	d->sz = (__u16)(n - 1);
	d->arg = arg;
	d->kind = SR_PT_STR;
	d->pad = 0;
	return off + ((sizeof(*d) + (__u32)n - 1 + 7) & ~7u);
}

/* The common part: @ctx is the tracepoint record or the pt_regs of a probe. */
static __always_inline int _hit(void *ctx, struct pt_regs *regs, __u32 id, int kind)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), vals[SR_PROBE_ARGS] = {};
	__u32 tgid = pid_tgid >> 32, zero = 0, off, raw = 0;
	struct sr_probe_scratch *sc;
	struct sr_probe_cfg *cfg;
	struct sr_rb_probe *r;
	__u8 cnt = 0;
	void *ring;

	if (!sr_selected(tgid))
		return 0;
	cfg = bpf_map_lookup_elem(&probe_cfg, &id);
	sc = bpf_map_lookup_elem(&probe_scratch, &zero);
	if (!cfg || !sc)
		return 0;
	r = (struct sr_rb_probe *)sc->buf;
	off = sizeof(*r);
	if (kind == SR_HIT_TRACEPOINT) { /* its raw record first */
		raw = cfg->raw_sz & (SR_PROBE_RAW_MAX - 1);
		if (raw && bpf_probe_read_kernel(sc->buf + off, raw, ctx))
			raw = 0;
		off += (raw + 7) & ~7u;
	}
	for (int i = 0; i < SR_PROBE_ARGS; i++) {
		struct sr_probe_arg *a = &cfg->args[i];
		long v = 0;

		if (i >= cfg->arg_cnt)
			break;
		if (a->src == SR_ARG_REG && regs)
			v = (long)_reg(regs, a->idx);
		else if (a->src == SR_ARG_RETVAL && regs)
			v = (long)PT_REGS_RC(regs);
		else if (a->src == SR_ARG_USDT && regs)
			bpf_usdt_arg(regs, a->idx, &v);
		else if (a->src == SR_ARG_REG && kind == SR_HIT_KFUNC)
			bpf_get_func_arg(ctx, a->idx, (__u64 *)&v);
		else if (a->src == SR_ARG_RETVAL && kind == SR_HIT_KFUNC)
			bpf_get_func_ret(ctx, (__u64 *)&v);
		else if (a->src == SR_ARG_TP_PTR)
			bpf_probe_read_kernel(&v, sizeof(v), ctx + (a->idx & (SR_PROBE_RAW_MAX - 1)));
		vals[i] = (__u64)v;
		cnt++;
	}
	off &= 4095;
	__builtin_memcpy(sc->buf + off, vals, sizeof(vals));
	off += cnt * sizeof(__u64);
	r->data_cnt = 0;
	for (int i = 0; i < SR_PROBE_ARGS; i++) {
		__u32 next;

		if (i >= cnt)
			break;
		if (cfg->args[i].type != SR_AT_STRING && cfg->args[i].type != SR_AT_MAYBE_STRING &&
		    cfg->args[i].type != SR_AT_KSTRING)
			continue;
		/* a char * of a kernel function may hold a user address (BTF from gcc has no
		 * __user tags): the address says which (x86-64: user space ends at 2^47) */
		next = _string(sc->buf, off, vals[i], (__u8)i,
			       cfg->args[i].type == SR_AT_KSTRING && vals[i] >= 0xffff800000000000ull);
		r->data_cnt += next != off;
		off = next;
	}
	sr_hdr(&r->hdr, SR_RB_PROBE, (__u32)pid_tgid, bpf_ktime_get_ns(), off);
	r->pid = tgid;
	r->probe_id = (__u16)id;
	r->raw_sz = (__u16)raw;
	r->arg_cnt = cnt;
	__builtin_memset(r->pad, 0, sizeof(r->pad));
	ring = sr_ring();
	off &= sizeof(sc->buf) - 1;
	if (!ring || !off || bpf_ringbuf_output(ring, r, off, BPF_RB_NO_WAKEUP))
		sr_drop(SR_DROP_RING_FULL);
	return 0;
}

#endif
