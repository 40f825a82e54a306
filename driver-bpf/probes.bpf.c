// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * --probe: one program per kind (tracepoint, uprobe, uretprobe, kprobe, kretprobe, USDT),
 * attached once per probe with the probe's id as the BPF cookie; the hit is probe_hit.bpf.h's.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "probe_hit.bpf.h"

/* The probe that fired: its BPF cookie, or where the kernel has none (5.15), the one probe of
 * this program's kind. */
static __always_inline __u32 _id(void *ctx, int kind)
{
	return has_cookie ? (__u32)bpf_get_attach_cookie(ctx) : probe_id_of_kind[kind & 7];
}

SEC("tracepoint")
int probe_tp(void *ctx)
{
	return _hit(ctx, NULL, _id(ctx, 2), SR_HIT_TRACEPOINT);
}

SEC("uprobe")
int probe_uprobe(struct pt_regs *ctx)
{
	return _hit(ctx, ctx, _id(ctx, 3), SR_HIT_REGS);
}

SEC("uretprobe")
int probe_uretprobe(struct pt_regs *ctx)
{
	return _hit(ctx, ctx, _id(ctx, 4), SR_HIT_REGS);
}

/* kernel functions (where the kernel has kprobes): the same registers as a uprobe */
SEC("kprobe")
int probe_kprobe(struct pt_regs *ctx)
{
	return _hit(ctx, ctx, _id(ctx, 6), SR_HIT_REGS);
}

SEC("kretprobe")
int probe_kretprobe(struct pt_regs *ctx)
{
	return _hit(ctx, ctx, _id(ctx, 7), SR_HIT_REGS);
}

SEC("usdt")
int probe_usdt(struct pt_regs *ctx)
{
	return _hit(ctx, ctx, (__u32)bpf_usdt_cookie(ctx), SR_HIT_REGS);
}
