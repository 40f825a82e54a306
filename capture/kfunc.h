/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fentry:/fexit: probes.  A tracing program is bound to its kernel function at load time, so
 * each probe loads its own copy of kfunc.bpf.c, sharing the driver's maps (the rings, the
 * selection, probe_cfg), with the probe's id in its rodata.
 */
#ifndef SYSREC_KFUNC_H
#define SYSREC_KFUNC_H

#include <stddef.h>
#include <stdint.h>

struct bpf_driver;
struct kfunc_probe;

/* Load and attach a probe on kernel function @func (@exit: fexit) with probe id @id.
 * @return 0, or -errno with one line in @err. */
int kfunc_probe__attach(struct bpf_driver *drv, const char *func, int exit, uint32_t id,
			struct kfunc_probe **out, char *err, size_t sz);
void kfunc_probe__detach(struct kfunc_probe *k);

#endif
