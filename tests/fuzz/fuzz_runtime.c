// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target for the runtime files the recorder parses (capture/runtime_meta.c): the first
 * byte chooses the file (modulo 3: a runc state.json, docker's config.v2.json, an OCI
 * bundle's config.json with its annotations), the rest is its text.  Labels, annotations,
 * names and ids in them come from the container's image and whoever started it.
 * Invariants, besides no crash or leak under ASan/UBSan:
 *   - every string field of the container stays NUL-terminated inside its array;
 *   - labels_len fits the labels array and the labels are whole "key=value" entries, each
 *     ending with a NUL;
 *   - a runc state that parses has an id and runs "runc" (its name may come from an
 *     annotation); one that does not parse leaves nothing.
 *
 * Built with -fsanitize=fuzzer as fuzz_runtime when clang and SYSREC_FUZZ are available, and
 * always linked with replay_driver.c as fuzz_runtime_replay, which ctest runs over the corpus.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containers.h"
#include "runtime_meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_runtime: invariant violated: %s (%s:%d)\n", #cond,   \
				__FILE__, __LINE__);                                               \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define TERMINATED(f) CHECK(strnlen(ci->f, sizeof(ci->f)) < sizeof(ci->f))

static void _check(const struct container_info *ci)
{
	TERMINATED(id);
	TERMINATED(name);
	TERMINATED(image);
	TERMINATED(runtime);
	TERMINATED(pod_name);
	TERMINATED(pod_namespace);
	TERMINATED(pod_uid);
	TERMINATED(cgroup);
	CHECK(ci->labels_len <= sizeof(ci->labels));
	for (size_t off = 0; off < ci->labels_len;) {
		size_t len = strnlen(ci->labels + off, ci->labels_len - off);

		CHECK(off + len < ci->labels_len);
		CHECK(memchr(ci->labels + off, '=', len));
		off += len + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char cg_root[] = "/sys/fs/cgroup/unified";
	struct container_info *ci;
	const char *text = (const char *)data + 1;
	size_t len = size ? size - 1 : 0;
	bool podman;
	int err;

	if (!size)
		return 0;
	ci = calloc(1, sizeof(*ci));
	if (!ci)
		return 0;
	switch (data[0] % 3) {
	case 0:
		err = runtime_meta__runc_state(ci, text, len, cg_root, &podman);
		CHECK(!err || err == -EBADMSG || err == -ENOENT);
		if (err) {
			CHECK(!ci->id[0] && !ci->labels_len && !podman);
			break;
		}
		CHECK(ci->id[0] && !strcmp(ci->runtime, "runc"));
		break;
	case 1:
	case 2:
		snprintf(ci->runtime, sizeof(ci->runtime), "docker");
		err = runtime_meta__parse(ci, data[0] % 3 == 1 ? RUNTIME_DOC_DOCKER : RUNTIME_DOC_OCI,
					  text, len);
		CHECK(!err || err == -EBADMSG);
		CHECK(!strcmp(ci->runtime, "docker"));
		break;
	}
	_check(ci);
	free(ci);
	return 0;
}
