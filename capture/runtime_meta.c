// SPDX-License-Identifier: Apache-2.0
/* What docker, containerd and cri-o know about a container; see runtime_meta.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containers.h"
#include "runtime_meta.h"

int runtime_meta__read_file(const char *path, char **text, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY), err = 0;
	size_t n = 0;
	struct stat st;
	char *b = NULL;

	*text = NULL;
	*len = 0;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > RUNTIME_META_FILE_MAX) {
		err = -EINVAL;
		goto out_close;
	}
	b = malloc((size_t)st.st_size + 1);
	if (!b) {
		err = -ENOMEM;
		goto out_close;
	}
	while (n < (size_t)st.st_size) {
		ssize_t r = read(fd, b + n, (size_t)st.st_size - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break; /* shrunk, or an error: what was read */
		n += (size_t)r;
	}
	b[n] = '\0';
	*text = b;
	*len = n;
out_close:
	close(fd);
	return err;
}

cJSON *json_load_file(const char *path)
{
	cJSON *root;
	char *text;
	size_t len;

	if (runtime_meta__read_file(path, &text, &len))
		return NULL;
	root = cJSON_ParseWithLength(text, len);
	free(text);
	return root;
}

/* Every string member of @obj as an annotation (name, image and pod fields are derived). */
static void _annotations(struct container_info *ci, const cJSON *obj)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, obj)
		if (cJSON_IsString(item) && item->string)
			container_info__annotation(ci, item->string, item->valuestring);
}

static const char *_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void _docker_doc(struct container_info *ci, const cJSON *doc)
{
	const cJSON *config = cJSON_GetObjectItemCaseSensitive(doc, "Config");
	const char *name, *image;

	/* Labels first: dockershim's io.kubernetes.* labels name the pod; Name and Image win. */
	_annotations(ci, cJSON_GetObjectItemCaseSensitive(config, "Labels"));
	name = _str(doc, "Name");
	if (name)
		snprintf(ci->name, sizeof(ci->name), "%s", name[0] == '/' ? name + 1 : name);
	image = _str(config, "Image");
	if (image)
		snprintf(ci->image, sizeof(ci->image), "%s", image);
}

int runtime_meta__parse(struct container_info *ci, enum runtime_doc kind, const char *text,
			size_t len)
{
	cJSON *doc = cJSON_ParseWithLength(text, len);

	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return -EBADMSG;
	}
	if (kind == RUNTIME_DOC_DOCKER)
		_docker_doc(ci, doc);
	else
		_annotations(ci, cJSON_GetObjectItemCaseSensitive(doc, "annotations"));
	cJSON_Delete(doc);
	return 0;
}

/* Parse runtime file @path into @ci.  @return whether it could be read. */
static bool _parse_file(struct container_info *ci, enum runtime_doc kind, const char *path)
{
	char *text;
	size_t len;
	int err;

	if (runtime_meta__read_file(path, &text, &len))
		return false;
	err = runtime_meta__parse(ci, kind, text, len);
	free(text);
	return !err;
}

static void _docker(struct container_info *ci, const char *root)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/var/lib/docker/containers/%s/config.v2.json", root, ci->id);
	_parse_file(ci, RUNTIME_DOC_DOCKER, path);
}

/* An OCI bundle's config.json: its annotations. */
static bool _oci_bundle(struct container_info *ci, const char *path)
{
	return _parse_file(ci, RUNTIME_DOC_OCI, path);
}

static void _containerd(struct container_info *ci, const char *root)
{
	char dir[512], path[1024];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/run/containerd/io.containerd.runtime.v2.task", root);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) { /* one directory per containerd namespace (k8s.io, moby) */
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s/config.json", dir, de->d_name, ci->id);
		if (_oci_bundle(ci, path))
			break;
	}
	closedir(d);
}

static void _crio(struct container_info *ci, const char *root)
{
	static const char *const stores[] = { "/run/containers/storage",
					      "/var/lib/containers/storage" };
	char path[512];

	for (size_t i = 0; i < sizeof(stores) / sizeof(stores[0]); i++) {
		snprintf(path, sizeof(path), "%s%s/overlay-containers/%s/userdata/config.json", root,
			 stores[i], ci->id);
		if (_oci_bundle(ci, path))
			return;
	}
}

void runtime_meta__fill(struct container_info *ci, const char *root)
{
	if (!strcmp(ci->runtime, "docker"))
		_docker(ci, root);
	else if (!strcmp(ci->runtime, "containerd"))
		_containerd(ci, root);
	else if (!strcmp(ci->runtime, "cri-o"))
		_crio(ci, root);
}

/* The labels of a runc state ("key=value" strings) as annotations. */
static void _runc_labels(struct container_info *ci, const cJSON *labels, bool *podman)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, labels) {
		char kv[1024], *eq;

		if (!cJSON_IsString(item))
			continue;
		snprintf(kv, sizeof(kv), "%s", item->valuestring);
		eq = strchr(kv, '=');
		if (!eq || !strncmp(kv, "bundle=", 7))
			continue;
		*eq = 0;
		*podman |= !strcmp(kv, "io.container.manager") && !strcmp(eq + 1, "libpod");
		container_info__annotation(ci, kv, eq + 1);
	}
}

int runtime_meta__runc_state(struct container_info *ci, const char *text, size_t len,
			     const char *cg_root, bool *podman)
{
	cJSON *doc = cJSON_ParseWithLength(text, len);
	const cJSON *id, *cgp;
	size_t root_len = strlen(cg_root);
	int err = 0;

	memset(ci, 0, sizeof(*ci));
	*podman = false;
	id = cJSON_GetObjectItemCaseSensitive(doc, "id");
	cgp = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "cgroup_paths"),
					       "");
	if (!cJSON_IsString(id) || !id->valuestring[0] || !cJSON_IsString(cgp)) {
		err = -EBADMSG;
		goto out;
	}
	if (strncmp(cgp->valuestring, cg_root, root_len)) {
		err = -ENOENT;
		goto out;
	}
	snprintf(ci->id, sizeof(ci->id), "%s", id->valuestring);
	snprintf(ci->name, sizeof(ci->name), "%s", id->valuestring);
	snprintf(ci->runtime, sizeof(ci->runtime), "runc");
	snprintf(ci->cgroup, sizeof(ci->cgroup), "%s", cgp->valuestring + root_len);
	_runc_labels(ci, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc,
		     "config"), "labels"), podman);
out:
	cJSON_Delete(doc);
	return err;
}
