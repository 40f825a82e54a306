// SPDX-License-Identifier: Apache-2.0
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "record.h"
#include "sampler.h"

struct sampler {
	struct bpf_link **links;
	int *fds;
	size_t cnt;
};

static const struct {
	const char *name;
	uint32_t type;
	uint64_t config;
} known[] = {
	{ "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	{ "cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
	{ "branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
	{ "cpu-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK },
	{ "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
};

int sample_event__parse(const char *spec, struct sample_event *out, char *err, size_t err_sz)
{
	const char *colon = strchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
	char *end;

	memset(out, 0, sizeof(*out));
	out->hz = SAMPLER_DEFAULT_HZ;
	if (colon) {
		unsigned long hz = strtoul(colon + 1, &end, 10);

		if (*end || !colon[1] || !hz || hz > 100000) {
			snprintf(err, err_sz, "bad --sample '%s': the frequency must be 1 to 100000 Hz",
				 spec);
			return -EINVAL;
		}
		out->hz = (uint32_t)hz;
	}
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (strlen(known[i].name) != len || strncmp(known[i].name, spec, len))
			continue;
		snprintf(out->name, sizeof(out->name), "%s", known[i].name);
		out->type = known[i].type;
		out->config = known[i].config;
		return 0;
	}
	snprintf(err, err_sz, "bad --sample '%s': unknown event (cycles, instructions, cache-misses, "
		 "branch-misses, cpu-clock, task-clock)", spec);
	return -EINVAL;
}

static int _perf_open(const struct sample_event *ev, int cpu)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = ev->type,
		.config = ev->config,
		.sample_freq = ev->hz,
		.freq = 1,
	};

	return (int)syscall(__NR_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

static void _to_cpu_clock(struct sample_event *ev)
{
	uint32_t hz = ev->hz;

	sample_event__parse("cpu-clock", ev, NULL, 0);
	ev->hz = hz;
}

int sampler__open(struct bpf_program *prog, struct sample_event *evs, size_t cnt,
		  struct sampler **out, char *err, size_t err_sz)
{
	int ncpu = libbpf_num_possible_cpus();
	struct sampler *s = calloc(1, sizeof(*s));
	int ret = 0;

	if (!s || ncpu <= 0)
		return free(s), -ENOMEM;
	s->links = calloc(cnt * (size_t)ncpu, sizeof(*s->links));
	s->fds = calloc(cnt * (size_t)ncpu, sizeof(*s->fds));
	if (!s->links || !s->fds) {
		sampler__close(s);
		return -ENOMEM;
	}
	for (size_t e = 0; e < cnt; e++) {
		for (int cpu = 0; cpu < ncpu; cpu++) {
			LIBBPF_OPTS(bpf_perf_event_opts, opts, .bpf_cookie = e);
			int fd = _perf_open(&evs[e], cpu);

			if (fd < 0 && errno == ENODEV)
				continue; /* a possible CPU that is offline */
			if (fd < 0 && evs[e].type == PERF_TYPE_HARDWARE && cpu == 0 &&
			    (errno == ENOENT || errno == EOPNOTSUPP)) {
				fprintf(stderr, "sysrec: notice: no hardware PMU for '%s': sampling "
					"cpu-clock instead\n", evs[e].name);
				_to_cpu_clock(&evs[e]);
				fd = _perf_open(&evs[e], cpu);
			}
			if (fd < 0) {
				ret = -errno;
				snprintf(err, err_sz, "cannot sample '%s' on cpu %d: %s", evs[e].name,
					 cpu, strerror(errno));
				goto fail;
			}
			s->fds[s->cnt] = fd;
			s->links[s->cnt] = bpf_program__attach_perf_event_opts(prog, fd, &opts);
			s->cnt++;
			if (!s->links[s->cnt - 1]) {
				ret = -errno;
				snprintf(err, err_sz, "cannot attach the sample program to '%s': %s",
					 evs[e].name, strerror(errno));
				goto fail;
			}
		}
	}
	*out = s;
	return 0;
fail:
	sampler__close(s);
	return ret;
}

void sampler__close(struct sampler *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cnt; i++) {
		bpf_link__destroy(s->links[i]);
		if (s->fds[i] > 0)
			close(s->fds[i]);
	}
	free(s->links);
	free(s->fds);
	free(s);
}

int sampler__write_defs(const struct sample_event *evs, size_t cnt, struct trace_writer *w,
			uint64_t ts)
{
	for (size_t i = 0; i < cnt; i++) {
		struct trace_rec rec = { .type = TR_PROBE_DEF, .ts = ts, .int_cnt = 3, .blob_cnt = 1 };
		int err;

		rec.ints[0] = i;
		rec.ints[1] = TR_PROBE_SAMPLE;
		rec.ints[2] = evs[i].hz;
		rec.blobs[0] = (struct trace_blob){ evs[i].name, (uint32_t)strlen(evs[i].name), 0, 0 };
		err = trace_writer__append(w, &rec);
		if (err)
			return err;
	}
	return 0;
}
