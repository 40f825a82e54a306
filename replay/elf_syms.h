/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Symbol tables of ELF objects (libelf), encoded for a SYMBOLS record so that replay needs
 * nothing but the trace.  The encoding (docs/format.md, SYMBOLS):
 *
 *   u32 seg_cnt, then seg_cnt x { u64 offset, u64 vaddr, u64 size }   executable PT_LOADs
 *   u32 sym_cnt, then sym_cnt x { u64 addr, u32 size, u16 name_len, name }   by addr
 *
 * (little-endian).  A user address maps to the object's vaddr space through its mapping's
 * file offset and the segments; kernel tables have no segments and absolute addresses.
 */
#ifndef SYSREC_ELF_SYMS_H
#define SYSREC_ELF_SYMS_H

#include <stddef.h>
#include <stdint.h>

#include "bytes.h"

struct elf_syms {
	uint8_t build_id[20];
	size_t build_id_sz; /* 0: none */
	struct sr_wbuf table; /* the encoded table */
	size_t sym_cnt;
};

/*
 * elf_syms__load - read the ELF file open on @fd (.symtab, else .dynsym; functions only).
 * @debug_root: the root to look for a separate debug file in (".gnu_debuglink" and
 * /usr/lib/debug/.build-id) when the object has no .symtab, e.g. "/proc/PID/root"; or NULL.
 * @return 0; -EBADMSG for a file that is not ELF; -ENOMEM.
 */
int elf_syms__load(int fd, const char *debug_root, struct elf_syms *out);
void elf_syms__release(struct elf_syms *s);

/* Encode one table entry / the header counts (used for kernel tables too). */
void elf_syms__put_sym(struct sr_wbuf *b, uint64_t addr, uint32_t size, const char *name);

#endif
