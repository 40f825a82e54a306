/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What this kernel allows the recorder to use, probed (never assumed from a version number):
 * `sysrec record --features` prints it, and the probes and the driver ask the same questions
 * at start-up.  Each check loads or creates the smallest object of its kind and says why not.
 */
#ifndef SYSREC_KERNEL_FEATURES_H
#define SYSREC_KERNEL_FEATURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A tracing program (fentry/fexit) for kernel function @func loads.
 * @return 0, or a negative errno with the reason in @why. */
int feature__tracing_prog(const char *func, bool fexit, char *why, size_t sz);

/* Print every feature, one per line: NAME yes|no [why].  @return the number missing that
 * `sysrec record` needs (BTF, tp_btf, ring buffer). */
int features__print(FILE *out);

#endif
