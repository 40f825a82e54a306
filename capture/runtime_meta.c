// SPDX-License-Identifier: Apache-2.0
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containers.h"
#include "runtime_meta.h"

cJSON *json_load_file(const char *path)
{
	cJSON *root = NULL;
	char *text = NULL;
	FILE *f;
	long sz;

	f = fopen(path, "re");
	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (sz = ftell(f)) > 0 && sz < (64l << 20) && !fseek(f, 0, SEEK_SET)) {
		text = malloc((size_t)sz + 1);
		if (text && fread(text, 1, (size_t)sz, f) == (size_t)sz) {
			text[sz] = 0;
			root = cJSON_Parse(text);
		}
	}
	free(text);
	fclose(f);
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

static void _docker(struct container_info *ci, const char *root)
{
	char path[512];
	const char *name, *image;
	const cJSON *config;
	cJSON *doc;

	snprintf(path, sizeof(path), "%s/var/lib/docker/containers/%s/config.v2.json", root, ci->id);
	doc = json_load_file(path);
	if (!doc)
		return;
	config = cJSON_GetObjectItemCaseSensitive(doc, "Config");
	/* Labels first: dockershim's io.kubernetes.* labels name the pod; Name and Image win. */
	_annotations(ci, cJSON_GetObjectItemCaseSensitive(config, "Labels"));
	name = _str(doc, "Name");
	if (name)
		snprintf(ci->name, sizeof(ci->name), "%s", name[0] == '/' ? name + 1 : name);
	image = _str(config, "Image");
	if (image)
		snprintf(ci->image, sizeof(ci->image), "%s", image);
	cJSON_Delete(doc);
}

/* An OCI bundle's config.json: its annotations. */
static bool _oci_bundle(struct container_info *ci, const char *path)
{
	cJSON *doc = json_load_file(path);

	if (!doc)
		return false;
	_annotations(ci, cJSON_GetObjectItemCaseSensitive(doc, "annotations"));
	cJSON_Delete(doc);
	return true;
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
