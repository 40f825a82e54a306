// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target for what the recorder reads in a process's ELF objects (any of them may be a
 * container's, i.e. hostile): the first byte chooses (modulo 3)
 *   0: the rest is an ELF file: elf_syms__load() (libelf, the build-id note, .gnu_debuglink,
 *      the symbol tables) with a debug-file opener that records what it is asked for;
 *   1: the rest is a .gnu_debuglink section: elf_syms__debug_path();
 *   2: the rest is a stapsdt note description (8-byte addresses): usdt_note__parse().
 * Invariants, besides no crash or leak under ASan/UBSan:
 *   - a build-id is at most 20 bytes; the encoded table decodes to exactly its length;
 *   - a debug file asked for is under /usr/lib/debug/, with no ".." component and, for a
 *     debuglink, no further '/';
 *   - an SDT note's strings lie inside the note, each with its NUL.
 *
 * Built with -fsanitize=fuzzer as fuzz_elf when clang and SYSREC_FUZZ are available, and
 * always linked with replay_driver.c as fuzz_elf_replay, which ctest runs over the corpus.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bytes.h"
#include "elf_syms.h"
#include "usdt_note.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_elf: invariant violated: %s (%s:%d)\n", #cond,       \
				__FILE__, __LINE__);                                               \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define DEBUG_DIR "/usr/lib/debug/"

static void _check_debug_path(const char *path, bool build_id)
{
	const char *rest = path + strlen(DEBUG_DIR);

	CHECK(!strncmp(path, DEBUG_DIR, strlen(DEBUG_DIR)));
	CHECK(!strstr(path, "/../") && strcmp(rest, "..") && strcmp(rest, "."));
	CHECK(build_id ? !strncmp(rest, ".build-id/", 10) : !strchr(rest, '/'));
}

static int _open_debug(const char *path, void *ctx)
{
	(void)ctx;
	_check_debug_path(path, !strncmp(path, DEBUG_DIR ".build-id/", strlen(DEBUG_DIR) + 10));
	return -ENOENT;
}

/* The table: u32 seg_cnt, 24 bytes each; u32 sym_cnt, { u64, u32, u16 len, name } each. */
static void _check_table(const struct elf_syms *es)
{
	const uint8_t *p = es->table.buf, *end = p + es->table.len;
	uint32_t n;

	CHECK(es->table.len >= 8);
	n = get_le32(p);
	p += 4;
	CHECK((size_t)(end - p) >= (size_t)n * 24 + 4);
	p += (size_t)n * 24;
	n = get_le32(p);
	p += 4;
	CHECK(n == es->sym_cnt);
	for (uint32_t i = 0; i < n; i++) {
		CHECK(end - p >= 14);
		p += 14 + get_le16(p + 12);
		CHECK(p <= end);
	}
	CHECK(p == end);
}

static void _elf(const uint8_t *data, size_t size)
{
	struct elf_syms_debug dbg = { _open_debug, NULL };
	struct elf_syms es;
	int fd = memfd_create("fuzz_elf", MFD_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, data, size) == (ssize_t)size && !elf_syms__load(fd, &dbg, &es)) {
		CHECK(es.build_id_sz <= sizeof(es.build_id));
		_check_table(&es);
		elf_syms__release(&es);
	}
	close(fd);
}

static void _debuglink(const uint8_t *data, size_t size)
{
	char path[512];
	int err = elf_syms__debug_path(NULL, 0, (const char *)data, size, path, sizeof(path));

	CHECK(!err || err == -ENOENT || err == -ENAMETOOLONG);
	if (!err)
		_check_debug_path(path, false);
	/* by build-id: any bytes, at most 20 */
	err = elf_syms__debug_path(data, size < 20 ? size : 20, NULL, 0, path, sizeof(path));
	CHECK(!err || (size < 2 && err == -ENOENT));
	if (!err)
		_check_debug_path(path, true);
}

static void _inside(const char *s, const char *desc, size_t sz)
{
	CHECK(s >= desc && s < desc + sz);
	CHECK(memchr(s, '\0', (size_t)(desc + sz - s)));
}

static void _usdt(const uint8_t *data, size_t size)
{
	/* a copy of exactly @size bytes, so ASan sees a read past the note */
	char *desc = malloc(size ? size : 1);
	struct usdt_note n;

	if (!desc)
		return;
	memcpy(desc, data, size);
	if (!usdt_note__parse(desc, size, 8, &n)) {
		_inside(n.provider, desc, size);
		_inside(n.name, desc, size);
		_inside(n.args, desc, size);
		CHECK(n.provider < n.name && n.name < n.args);
	}
	free(desc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	switch (data[0] % 3) {
	case 0:
		_elf(data + 1, size - 1);
		break;
	case 1:
		_debuglink(data + 1, size - 1);
		break;
	case 2:
		_usdt(data + 1, size - 1);
		break;
	}
	return 0;
}
