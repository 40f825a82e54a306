/* SPDX-License-Identifier: Apache-2.0 */
/*
 * record --sample EVENT[:HZ]: perf events opened on every CPU at a frequency, each with the
 * driver's sample program attached (the event's index as the BPF cookie).  A machine without
 * a hardware PMU (this kind of VM) gets one notice and cpu-clock instead, as perf does.
 */
#ifndef SYSREC_SAMPLER_H
#define SYSREC_SAMPLER_H

#include <stddef.h>
#include <stdint.h>

#include "trace_writer.h"

#define SAMPLER_MAX_EVENTS 8
#define SAMPLER_DEFAULT_HZ 99

struct bpf_program;
struct sampler;

struct sample_event {
	char name[24];   /* "cycles", "cpu-clock", ... */
	uint32_t type;   /* PERF_TYPE_HARDWARE or PERF_TYPE_SOFTWARE */
	uint64_t config; /* PERF_COUNT_* */
	uint32_t hz;
};

/* Parse "EVENT[:HZ]".  @return 0, or -EINVAL with a one-line reason in @err. */
int sample_event__parse(const char *spec, struct sample_event *out, char *err, size_t err_sz);

/*
 * sampler__open - open @cnt events on every online CPU and attach @prog to each.  Hardware
 * events the machine lacks fall back to cpu-clock (one notice on stderr; @evs is updated).
 * @return 0 and *@out; -errno with a one-line reason in @err.
 */
int sampler__open(struct bpf_program *prog, struct sample_event *evs, size_t cnt,
		  struct sampler **out, char *err, size_t err_sz);
void sampler__close(struct sampler *s);

/* One PROBE_DEF record per event (kind TR_PROBE_SAMPLE), naming the ids of the samples. */
int sampler__write_defs(const struct sample_event *evs, size_t cnt, struct trace_writer *w,
			uint64_t ts);

#endif
