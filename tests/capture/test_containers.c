// SPDX-License-Identifier: Apache-2.0
/* test_containers: container ids from the cgroup paths each runtime creates (no root needed). */
#include <stdio.h>
#include <string.h>

#include "containers.h"
#include "test.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void test_containers__ids_from_cgroup_paths(void)
{
	static const struct {
		const char *path, *id, *runtime;
	} table[] = {
		{ "/docker/" ID, ID, "docker" },
		{ "/system.slice/docker-" ID ".scope", ID, "docker" },
		{ "/libpod_parent/libpod-" ID, ID, "podman" },
		{ "/machine.slice/libpod-" ID ".scope/container", ID, "podman" },
		{ "/machine.slice/libpod-conmon-" ID ".scope", NULL, NULL },
		{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234.slice/cri-containerd-" ID ".scope", ID, "containerd" },
		{ "/kubepods/besteffort/pod5678/" ID, ID, "containerd" },
		{ "/kubepods.slice/kubepods-pod9.slice/crio-" ID ".scope", ID, "cri-o" },
		{ "/", NULL, NULL },
		{ "/user.slice/user-0.slice/session-1.scope", NULL, NULL },
		{ "/docker/0123", NULL, NULL },                     /* too short */
		{ "/docker/" ID "0", NULL, NULL },                  /* too long */
		{ "/docker/0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", NULL, NULL },
		{ "", NULL, NULL },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		char id[72] = "";
		const char *runtime = NULL;
		int found = container_id_from_cgroup(table[i].path, id, sizeof(id), &runtime);

		ASSERT_EQ(found, table[i].id != NULL, table[i].path);
		if (found && table[i].id) {
			ASSERT_STREQ(id, table[i].id, table[i].path);
			ASSERT_STREQ(runtime, table[i].runtime, table[i].path);
		}
	}
}

static void test_containers__small_buffer(void)
{
	char id[10] = "unchanged";

	ASSERT_EQ(container_id_from_cgroup("/docker/" ID, id, sizeof(id), NULL), 0,
		  "an id that does not fit is not reported");
	ASSERT_STREQ(id, "unchanged", "and the buffer is left alone");
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_containers__ids_from_cgroup_paths),
		TEST_CASE(test_containers__small_buffer),
	};

	return test_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
