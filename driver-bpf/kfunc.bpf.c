// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * fentry:/fexit: probes.  A tracing program is bound to its kernel function when it is
 * loaded, so this object is loaded once per such probe (capture/kfunc.c), sharing the main
 * object's maps; the probe's id is in its rodata, the function's arguments (and, at exit,
 * its return value) come from bpf_get_func_arg()/bpf_get_func_ret() (Linux 5.17).
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "probe_hit.bpf.h"

const volatile __u32 kfunc_probe_id = 0;

SEC("fentry")
int kfunc_entry(void *ctx)
{
	return _hit(ctx, NULL, kfunc_probe_id, SR_HIT_KFUNC);
}

SEC("fexit")
int kfunc_exit(void *ctx)
{
	return _hit(ctx, NULL, kfunc_probe_id, SR_HIT_KFUNC);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
