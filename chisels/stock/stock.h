/* SPDX-License-Identifier: Apache-2.0 */
/* The stock chisels (one file each, or a family per file), listed in stock.c. */
#ifndef SYSREC_STOCK_H
#define SYSREC_STOCK_H

#include <stdio.h>

#include "sysrec_chisel.h"

extern const struct sysrec_chisel chisel_echo_fds;
extern const struct sysrec_chisel chisel_errors;
extern const struct sysrec_chisel chisel_fdbytes_by;
extern const struct sysrec_chisel chisel_flamegraph;
extern const struct sysrec_chisel chisel_iobytes;
extern const struct sysrec_chisel chisel_netstat;
extern const struct sysrec_chisel chisel_proc_tree;
extern const struct sysrec_chisel chisel_profile;
extern const struct sysrec_chisel chisel_spy_file;
extern const struct sysrec_chisel chisel_spy_users;
extern const struct sysrec_chisel chisel_syscall_stats;
extern const struct sysrec_chisel chisel_topconns;
extern const struct sysrec_chisel chisel_topcontainers_cpu;
extern const struct sysrec_chisel chisel_topcontainers_file;
extern const struct sysrec_chisel chisel_topcontainers_net;
extern const struct sysrec_chisel chisel_topfiles_bytes;
extern const struct sysrec_chisel chisel_topfiles_time;
extern const struct sysrec_chisel chisel_topprocs_cpu;
extern const struct sysrec_chisel chisel_topprocs_file;
extern const struct sysrec_chisel chisel_topprocs_net;

#endif
