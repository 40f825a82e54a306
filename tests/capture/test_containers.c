// SPDX-License-Identifier: Apache-2.0
/* test_containers: container ids from the cgroup paths each runtime creates, and the metadata
 * files of docker, containerd and cri-o under a fake root (no root needed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containers.h"
#include "runtime_meta.h"
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

/* Write @text to @root/@rel, creating the directories. */
static bool _put(const char *root, const char *rel, const char *text)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	if (!f)
		return false;
	fputs(text, f);
	return fclose(f) == 0;
}

static struct container_info *_ci(const char *runtime)
{
	struct container_info *ci = calloc(1, sizeof(*ci));

	snprintf(ci->id, sizeof(ci->id), "%s", ID);
	snprintf(ci->name, sizeof(ci->name), "%.12s", ID);
	snprintf(ci->runtime, sizeof(ci->runtime), "%s", runtime);
	return ci;
}

/* The label list holds @kv ("key=value") as one NUL-separated entry. */
static bool _has_label(const struct container_info *ci, const char *kv)
{
	for (uint32_t off = 0; off < ci->labels_len; off += (uint32_t)strlen(ci->labels + off) + 1)
		if (!strcmp(ci->labels + off, kv))
			return true;
	return false;
}

/* The files each runtime keeps (shapes as docker 24, containerd 1.7 CRI and cri-o 1.28
 * write them, trimmed to the fields read), under a fake root. */
static void test_containers__runtime_files(void)
{
	char root[] = "/tmp/sysrec-rt-XXXXXX";
	struct container_info *ci;

	if (!ASSERT_OK_PTR(mkdtemp(root), "mkdtemp"))
		return;
	ASSERT_TRUE(_put(root, "var/lib/docker/containers/" ID "/config.v2.json",
		"{\"ID\":\"" ID "\",\"Name\":\"/web\",\"Image\":\"sha256:4f1e\","
		"\"Config\":{\"Hostname\":\"0123456789ab\",\"Image\":\"nginx:1.25\","
		"\"Labels\":{\"com.docker.compose.service\":\"web\"}}}"), "docker file");
	ci = _ci("docker");
	runtime_meta__fill(ci, root);
	ASSERT_STREQ(ci->name, "web", "docker: Name without its slash");
	ASSERT_STREQ(ci->image, "nginx:1.25", "docker: Config.Image");
	ASSERT_TRUE(_has_label(ci, "com.docker.compose.service=web"), "docker: labels");
	free(ci);

	ASSERT_TRUE(_put(root, "run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID "/config.json",
		"{\"ociVersion\":\"1.1.0\",\"process\":{\"args\":[\"nginx\"]},\"annotations\":{"
		"\"io.kubernetes.cri.container-type\":\"container\","
		"\"io.kubernetes.cri.container-name\":\"nginx\","
		"\"io.kubernetes.cri.image-name\":\"docker.io/library/nginx:latest\","
		"\"io.kubernetes.cri.sandbox-name\":\"web-7d9f8\","
		"\"io.kubernetes.cri.sandbox-namespace\":\"shop\","
		"\"io.kubernetes.cri.sandbox-uid\":\"2c3d-11\"}}"), "containerd bundle");
	ci = _ci("containerd");
	runtime_meta__fill(ci, root);
	ASSERT_STREQ(ci->name, "nginx", "containerd: container name");
	ASSERT_STREQ(ci->image, "docker.io/library/nginx:latest", "containerd: image");
	ASSERT_STREQ(ci->pod_name, "web-7d9f8", "containerd: pod");
	ASSERT_STREQ(ci->pod_namespace, "shop", "containerd: namespace");
	ASSERT_STREQ(ci->pod_uid, "2c3d-11", "containerd: pod uid");
	free(ci);

	ASSERT_TRUE(_put(root, "var/lib/containers/storage/overlay-containers/" ID "/userdata/config.json",
		"{\"ociVersion\":\"1.0.2-dev\",\"annotations\":{"
		"\"io.kubernetes.container.name\":\"api\","
		"\"io.kubernetes.cri-o.ImageName\":\"quay.io/acme/api:2\","
		"\"io.kubernetes.pod.name\":\"api-0\",\"io.kubernetes.pod.namespace\":\"prod\","
		"\"io.kubernetes.pod.uid\":\"9e8f\"}}"), "cri-o bundle");
	ci = _ci("cri-o");
	runtime_meta__fill(ci, root);
	ASSERT_STREQ(ci->name, "api", "cri-o: container name");
	ASSERT_STREQ(ci->image, "quay.io/acme/api:2", "cri-o: image");
	ASSERT_STREQ(ci->pod_name, "api-0", "cri-o: pod");
	ASSERT_STREQ(ci->pod_namespace, "prod", "cri-o: namespace");
	free(ci);

	/* No files: nothing changes, nothing fails. */
	ci = _ci("docker");
	runtime_meta__fill(ci, "/nonexistent-root");
	ASSERT_STREQ(ci->name, "0123456789ab", "missing files leave the fields alone");
	free(ci);

	char cmd[64];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	ASSERT_OK(system(cmd), "cleanup");
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_containers__ids_from_cgroup_paths),
		TEST_CASE(test_containers__small_buffer),
		TEST_CASE(test_containers__runtime_files),
	};

	return test_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
