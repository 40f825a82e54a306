// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Samples of perf events (record --sample): one program, attached to a perf event per CPU
 * and --sample event, the event's index as the attachment's cookie.  A sample carries the
 * counter, the period, and the user and kernel stacks of the task it interrupted.
 *
 * It can interrupt the syscall programs on the same CPU (cpu-clock fires from a timer, the
 * hardware events from an NMI), so it builds its record in a scratch buffer of its own.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "helpers.bpf.h"

struct sr_sample_scratch {
	__u8 buf[sizeof(struct sr_rb_sample) + 2 * SR_STACK_MAX * sizeof(__u64)];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sr_sample_scratch);
} sample_scratch SEC(".maps");

SEC("perf_event")
int sample(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, tid = (__u32)id, zero = 0;
	struct bpf_perf_event_value v = {};
	struct sr_sample_scratch *sc;
	struct sr_rb_sample *r;
	long un, kn;
	void *ring;
	__u32 len;

	if (!tid || !sr_selected(tgid)) /* the idle task, or not selected */
		return 0;
	sc = bpf_map_lookup_elem(&sample_scratch, &zero);
	if (!sc)
		return 0;
	r = (struct sr_rb_sample *)sc->buf;
	sr_hdr(&r->hdr, SR_RB_SAMPLE, tid, bpf_ktime_get_ns(), 0);
	r->pid = tgid;
	r->event_id = has_cookie ? (__u32)bpf_get_attach_cookie(ctx) : 0; /* one event then */
	bpf_perf_prog_read_value(ctx, &v, sizeof(v));
	r->value = v.counter;
	r->period = ctx->sample_period;
	r->pad = 0;
	un = bpf_get_stack(ctx, r->ips, SR_STACK_MAX * sizeof(__u64), BPF_F_USER_STACK);
	if (un < 0)
		un = 0;
	un &= 2047; /* a power-of-two bound the verifier can follow; clamped next */
	if (un > SR_STACK_MAX * sizeof(__u64))
		un = SR_STACK_MAX * sizeof(__u64);
	kn = bpf_get_stack(ctx, (void *)r->ips + un, SR_STACK_MAX * sizeof(__u64), 0);
	if (kn < 0)
		kn = 0;
	if (kn > SR_STACK_MAX * sizeof(__u64))
		kn = SR_STACK_MAX * sizeof(__u64);
	r->ustack_cnt = (__u16)(un / sizeof(__u64));
	r->kstack_cnt = (__u16)(kn / sizeof(__u64));
	len = sizeof(*r) + (__u32)un + (__u32)kn;
	r->hdr.len = (__u16)len;
	if (len > sizeof(sc->buf))
		return 0;
	ring = sr_ring();
	if (!ring || bpf_ringbuf_output(ring, r, len, BPF_RB_NO_WAKEUP))
		sr_drop(SR_DROP_RING_FULL);
	return 0;
}
