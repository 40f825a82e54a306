// SPDX-License-Identifier: Apache-2.0
#include "chisel_run.h"
#include "stock.h"

static const struct sysrec_chisel *const stock[] = {
	&chisel_echo_fds,
	&chisel_errors,
	&chisel_fdbytes_by,
	&chisel_flamegraph,
	&chisel_iobytes,
	&chisel_netstat,
	&chisel_proc_tree,
	&chisel_profile,
	&chisel_spy_file,
	&chisel_spy_users,
	&chisel_syscall_stats,
	&chisel_topconns,
	&chisel_topcontainers_cpu,
	&chisel_topcontainers_file,
	&chisel_topcontainers_net,
	&chisel_topfiles_bytes,
	&chisel_topfiles_time,
	&chisel_topprocs_cpu,
	&chisel_topprocs_file,
	&chisel_topprocs_net,
};

const struct sysrec_chisel *const *chisels__stock(size_t *cnt)
{
	*cnt = sizeof(stock) / sizeof(stock[0]);
	return stock;
}
