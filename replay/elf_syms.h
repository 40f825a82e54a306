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
 * Where a separate debug file is looked for: @open opens @path (e.g.
 * "/usr/lib/debug/.build-id/ab/cdef.debug") as the process that mapped the object sees it,
 * and returns a read-only fd or -errno.  The recorder resolves it inside that process's root.
 */
struct elf_syms_debug {
	int (*open)(const char *path, void *ctx);
	void *ctx;
};

/*
 * elf_syms__load - read the ELF file open on @fd (.symtab, else .dynsym; functions only).
 * @dbg: how to open a separate debug file (by build-id, or by ".gnu_debuglink" under
 * /usr/lib/debug; a link name with a '/' is ignored) when the object has no .symtab; or NULL.
 * @return 0; -EBADMSG for a file that is not ELF; -ENOMEM.
 */
int elf_syms__load(int fd, const struct elf_syms_debug *dbg, struct elf_syms *out);

/*
 * elf_syms__debug_path - the path of the debug file of an object: by build-id when
 * @build_id_sz > 1, else by its .gnu_debuglink section's bytes (@link, @link_sz; NULL: none).
 * @return 0 with the path in @path, or -ENOENT (none, or a link name that is empty, not
 * NUL-terminated, holds a '/' or is "." or ".."), -ENAMETOOLONG.
 */
int elf_syms__debug_path(const uint8_t *build_id, size_t build_id_sz, const char *link,
			 size_t link_sz, char *path, size_t path_sz);
void elf_syms__release(struct elf_syms *s);

/* Encode one table entry / the header counts (used for kernel tables too). */
void elf_syms__put_sym(struct sr_wbuf *b, uint64_t addr, uint32_t size, const char *name);

#endif
