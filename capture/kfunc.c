// SPDX-License-Identifier: Apache-2.0
/* fentry:/fexit: probes, one kfunc.bpf.c object each (see kfunc.h). */
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_driver.h"
#include "kfunc.h"
#include "records.h" /* the skeleton's rodata types */
#include "kfunc.skel.h"

struct kfunc_probe {
	struct kfunc_bpf *skel;
	struct bpf_link *link;
};

int kfunc_probe__attach(struct bpf_driver *drv, const char *func, int exit, uint32_t id,
			struct kfunc_probe **out, char *err, size_t sz)
{
	struct kfunc_probe *k = calloc(1, sizeof(*k));
	struct bpf_program *prog;
	int ret;

	if (!k || !(k->skel = kfunc_bpf__open())) {
		free(k);
		snprintf(err, sz, "%s: cannot open the fentry/fexit program", func);
		return -ENOMEM;
	}
	prog = exit ? k->skel->progs.kfunc_exit : k->skel->progs.kfunc_entry;
	bpf_program__set_autoload(exit ? k->skel->progs.kfunc_entry : k->skel->progs.kfunc_exit,
				  false);
	k->skel->rodata->kfunc_probe_id = id;
	ret = bpf_program__set_attach_target(prog, 0, func);
	ret = ret ?: bpf_driver__share_with(drv, k->skel->obj, (uint32_t *)&k->skel->rodata->self_tgid,
					     (uint32_t *)&k->skel->rodata->select_mode,
					     (uint32_t *)&k->skel->rodata->cgroup_cnt);
	ret = ret ?: kfunc_bpf__load(k->skel);
	if (ret) {
		snprintf(err, sz, "%s%s: cannot load the program: %s (bpf_get_func_arg needs Linux "
			 "5.17)", exit ? "fexit:" : "fentry:", func, strerror(-ret));
		kfunc_probe__detach(k);
		return ret;
	}
	k->link = bpf_program__attach(prog);
	if (!k->link) {
		ret = -errno;
		snprintf(err, sz, "%s%s: cannot attach: %s", exit ? "fexit:" : "fentry:", func,
			 strerror(errno));
		kfunc_probe__detach(k);
		return ret;
	}
	*out = k;
	return 0;
}

void kfunc_probe__detach(struct kfunc_probe *k)
{
	if (!k)
		return;
	bpf_link__destroy(k->link);
	kfunc_bpf__destroy(k->skel);
	free(k);
}
