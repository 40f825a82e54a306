// SPDX-License-Identifier: Apache-2.0
/* Symbol tables of ELF objects; see elf_syms.h. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf_syms.h"

struct sym {
	uint64_t addr;
	uint32_t size;
	const char *name;
};

struct seg {
	uint64_t offset, vaddr, size;
};

static int _cmp_sym(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

void elf_syms__put_sym(struct sr_wbuf *b, uint64_t addr, uint32_t size, const char *name)
{
	size_t len = strlen(name);
	uint8_t h[2];

	if (len > 1024)
		len = 1024; /* C++ names can be long; the start is enough to tell them apart */
	sr_wbuf__le64(b, addr);
	sr_wbuf__le32(b, size);
	put_le16(h, (uint16_t)len);
	sr_wbuf__bytes(b, h, 2);
	sr_wbuf__bytes(b, name, len);
}

/* The GNU build-id note, if any. */
static void _build_id(Elf *e, struct elf_syms *out)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(e, scn))) {
		Elf_Data *d;
		GElf_Nhdr nh;
		size_t off = 0, name_off, desc_off;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE || !(d = elf_getdata(scn, NULL)))
			continue;
		while ((off = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
			if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
			    !memcmp((char *)d->d_buf + name_off, "GNU", 4) && nh.n_descsz <= 20) {
				memcpy(out->build_id, (char *)d->d_buf + desc_off, nh.n_descsz);
				out->build_id_sz = nh.n_descsz;
				return;
			}
		}
	}
}

/* Function symbols of the section of type @type (SHT_SYMTAB or SHT_DYNSYM). */
static int _symbols(Elf *e, Elf64_Word type, struct sym **out, size_t *cnt)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	*out = NULL;
	*cnt = 0;
	while ((scn = elf_nextscn(e, scn))) {
		Elf_Data *d;
		size_t n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != type || !sh.sh_entsize ||
		    !(d = elf_getdata(scn, NULL)))
			continue;
		n = sh.sh_size / sh.sh_entsize;
		*out = calloc(n ? n : 1, sizeof(**out));
		if (!*out)
			return -ENOMEM;
		for (size_t i = 0; i < n; i++) {
			GElf_Sym s;
			const char *name;

			if (!gelf_getsym(d, (int)i, &s) || !s.st_value ||
			    (GELF_ST_TYPE(s.st_info) != STT_FUNC &&
			     GELF_ST_TYPE(s.st_info) != STT_GNU_IFUNC))
				continue;
			name = elf_strptr(e, sh.sh_link, s.st_name);
			if (!name || !name[0])
				continue;
			(*out)[(*cnt)++] = (struct sym){ s.st_value, (uint32_t)s.st_size, name };
		}
		return 0;
	}
	return 0;
}

static size_t _segments(Elf *e, struct seg *segs, size_t max)
{
	size_t n = 0, phnum;

	if (elf_getphdrnum(e, &phnum))
		return 0;
	for (size_t i = 0; i < phnum && n < max; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(e, (int)i, &ph) && ph.p_type == PT_LOAD && (ph.p_flags & PF_X))
			segs[n++] = (struct seg){ ph.p_offset, ph.p_vaddr, ph.p_filesz };
	}
	return n;
}

int elf_syms__debug_path(const uint8_t *build_id, size_t build_id_sz, const char *link,
			 size_t link_sz, char *path, size_t path_sz)
{
	size_t len;
	int n;

	if (build_id_sz > 1) {
		n = snprintf(path, path_sz, "/usr/lib/debug/.build-id/%02x/", build_id[0]);
		for (size_t i = 1; i < build_id_sz && n > 0 && (size_t)n < path_sz; i++)
			n += snprintf(path + n, path_sz - (size_t)n, "%02x", build_id[i]);
		if (n > 0 && (size_t)n < path_sz)
			n += snprintf(path + n, path_sz - (size_t)n, ".debug");
		return n > 0 && (size_t)n < path_sz ? 0 : -ENAMETOOLONG;
	}
	if (!link)
		return -ENOENT;
	/* a file name (then a CRC) written by the object's builder: no directory in it */
	len = strnlen(link, link_sz);
	if (!len || len == link_sz || memchr(link, '/', len) || !strcmp(link, ".") ||
	    !strcmp(link, ".."))
		return -ENOENT;
	n = snprintf(path, path_sz, "/usr/lib/debug/%s", link);
	return n > 0 && (size_t)n < path_sz ? 0 : -ENAMETOOLONG;
}

/* The .gnu_debuglink section's bytes, or NULL. */
static const char *_debuglink(Elf *e, size_t *sz)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(e, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(e, scn))) {
		const char *name;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(e, shstrndx, sh.sh_name)) ||
		    strcmp(name, ".gnu_debuglink") || !(d = elf_getdata(scn, NULL)) || !d->d_buf)
			continue;
		*sz = d->d_size;
		return d->d_buf;
	}
	return NULL;
}

/* A separate debug file with a .symtab, by build-id or .gnu_debuglink.  @return fd or -1. */
static int _debug_fd(Elf *e, const struct elf_syms *s, const struct elf_syms_debug *dbg)
{
	char path[512];
	const char *link;
	size_t link_sz = 0;
	int fd;

	if (!elf_syms__debug_path(s->build_id, s->build_id_sz, NULL, 0, path, sizeof(path))) {
		fd = dbg->open(path, dbg->ctx);
		if (fd >= 0)
			return fd;
	}
	link = _debuglink(e, &link_sz);
	if (elf_syms__debug_path(NULL, 0, link, link_sz, path, sizeof(path)))
		return -1;
	fd = dbg->open(path, dbg->ctx);
	return fd >= 0 ? fd : -1;
}

int elf_syms__load(int fd, const struct elf_syms_debug *dbg, struct elf_syms *out)
{
	struct seg segs[16];
	struct sym *syms = NULL;
	size_t cnt = 0, nseg;
	Elf *e, *dbg_elf = NULL;
	int ret, dfd = -1;

	memset(out, 0, sizeof(*out));
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EBADMSG;
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF) {
		if (e)
			elf_end(e);
		return -EBADMSG;
	}
	_build_id(e, out);
	nseg = _segments(e, segs, sizeof(segs) / sizeof(segs[0]));
	ret = _symbols(e, SHT_SYMTAB, &syms, &cnt);
	if (!ret && !cnt && dbg && (dfd = _debug_fd(e, out, dbg)) >= 0) {
		dbg_elf = elf_begin(dfd, ELF_C_READ_MMAP, NULL);
		free(syms);
		ret = dbg_elf ? _symbols(dbg_elf, SHT_SYMTAB, &syms, &cnt) : 0;
	}
	if (!ret && !cnt) {
		free(syms);
		ret = _symbols(e, SHT_DYNSYM, &syms, &cnt);
	}
	if (!ret) {
		if (cnt) /* qsort wants a real array, even for none */
			qsort(syms, cnt, sizeof(*syms), _cmp_sym);
		sr_wbuf__le32(&out->table, (uint32_t)nseg);
		for (size_t i = 0; i < nseg; i++) {
			sr_wbuf__le64(&out->table, segs[i].offset);
			sr_wbuf__le64(&out->table, segs[i].vaddr);
			sr_wbuf__le64(&out->table, segs[i].size);
		}
		sr_wbuf__le32(&out->table, (uint32_t)cnt);
		for (size_t i = 0; i < cnt; i++)
			elf_syms__put_sym(&out->table, syms[i].addr, syms[i].size, syms[i].name);
		out->sym_cnt = cnt;
		if (out->table.oom)
			ret = -ENOMEM;
	}
	free(syms); /* names point into the ELF data: encoded before elf_end */
	if (dbg_elf)
		elf_end(dbg_elf);
	if (dfd >= 0)
		close(dfd);
	elf_end(e);
	if (ret)
		elf_syms__release(out);
	return ret;
}

void elf_syms__release(struct elf_syms *s)
{
	sr_wbuf__release(&s->table);
	memset(s, 0, sizeof(*s));
}
