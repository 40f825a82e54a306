/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What replay needs to name the addresses of samples, written just before the first sample
 * that needs it: the executable mappings of the sampled process (MAPPING records, read from
 * /proc/PID/maps when a process is first sampled, after it execs, and when an address falls
 * outside what is known, e.g. after a dlopen), the symbol table of every object mapped
 * (SYMBOLS, once per object: read through /proc/PID/map_files, so a binary that exists only
 * in a container's image, or was deleted, is found), and the kernel functions the kernel
 * stacks pass through (SYMBOLS of kind kernel, from /proc/kallsyms, only those seen).
 */
#ifndef SYSREC_PROC_SYMS_H
#define SYSREC_PROC_SYMS_H

#include <stddef.h>
#include <stdint.h>

#include "trace_writer.h"

struct proc_syms;

int proc_syms__new(struct proc_syms **out);
void proc_syms__free(struct proc_syms *ps);

/* Write what a sample of @pid with these stacks needs.  @return 0 or a writer error. */
int proc_syms__sample(struct proc_syms *ps, struct trace_writer *w, uint64_t ts, uint32_t pid,
		      const uint64_t *uips, size_t ucnt, const uint64_t *kips, size_t kcnt);

/* @pid exec'd or exited: its mappings are gone. */
void proc_syms__forget(struct proc_syms *ps, uint32_t pid);

#endif
