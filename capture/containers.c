// SPDX-License-Identifier: Apache-2.0
/* Container resolution from cgroup paths and runtime state files (see containers.h). */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mono_clock.h"
#include "containers.h"
#include "runtime_meta.h"
#include "record.h"

#define RUNC_ROOT "/run/runc"
#define PODMAN_STORAGE "/var/lib/containers/storage"
#define RESCAN_NS 50000000ull /* walk the cgroup tree again at most this often */
/* Look at runc's state directory again at most this often: a runc container can start and
 * exit within milliseconds (`runc run` of a short command: its state file appears just before
 * its process execs), and a rescan only reads the state files of new directories. */
#define RUNC_RESCAN_NS 1000000ull

struct cg_ent {
	uint64_t ino;
	char *path; /* relative to the cgroup2 root, "/..." */
};

struct containers {
	char cg_root[256];
	struct container_info **v;
	size_t cnt, cap;
	struct cg_ent *cgs;
	size_t cg_cnt, cg_cap;
	uint64_t runc_scanned_at, cg_scanned_at;
};

static int _is_hex64(const char *s, size_t len)
{
	if (len != 64)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

int container_id_from_cgroup(const char *path, char *id, size_t cap, const char **runtime)
{
	static const struct {
		const char *prefix;
		const char *runtime;
	} prefixes[] = {
		{ "docker-", "docker" }, { "libpod-", "podman" }, { "crio-", "cri-o" },
		{ "cri-containerd-", "containerd" }, { "", NULL },
	};
	int found = 0;

	for (const char *c = path; c && *c;) {
		const char *end = strchr(c, '/');
		size_t len = end ? (size_t)(end - c) : strlen(c);

		if (len > 6 && !strncmp(c + len - 6, ".scope", 6))
			len -= 6;
		for (size_t p = 0; p < sizeof(prefixes) / sizeof(prefixes[0]); p++) {
			size_t plen = strlen(prefixes[p].prefix);

			if (len < plen || strncmp(c, prefixes[p].prefix, plen) ||
			    !_is_hex64(c + plen, len - plen) || !strncmp(c, "libpod-conmon-", 14))
				continue;
			if (cap > 64) {
				memcpy(id, c + plen, 64);
				id[64] = 0;
				found = 1;
			}
			if (runtime) {
				/* A bare id: docker's "/docker/<id>", or a kubepods path (CRI). */
				*runtime = prefixes[p].runtime ? prefixes[p].runtime
				       : strstr(path, "kubepods") ? "containerd"
				       : strstr(path, "/docker/") ? "docker" : NULL;
			}
			break;
		}
		c = end ? end + 1 : NULL;
	}
	return found;
}

static void _cgroup2_root(char *out, size_t cap)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[1024];

	snprintf(out, cap, "/sys/fs/cgroup");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char mnt[512];
		const char *sep = strstr(line, " - ");

		if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %511s", mnt) == 1) {
			snprintf(out, cap, "%s", mnt);
			break;
		}
	}
	fclose(f);
}

int containers__new(struct containers **out)
{
	struct containers *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	_cgroup2_root(c->cg_root, sizeof(c->cg_root));
	*out = c;
	return 0;
}

void containers__free(struct containers *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cnt; i++)
		free(c->v[i]);
	for (size_t i = 0; i < c->cg_cnt; i++)
		free(c->cgs[i].path);
	free(c->v);
	free(c->cgs);
	free(c);
}

const char *containers__cgroup_root(struct containers *c)
{
	return c->cg_root;
}

static struct container_info *_add(struct containers *c)
{
	struct container_info *ci;

	if (c->cnt == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		void *n = realloc(c->v, cap * sizeof(*c->v));

		if (!n)
			return NULL;
		c->v = n;
		c->cap = cap;
	}
	ci = calloc(1, sizeof(*ci));
	if (ci)
		c->v[c->cnt++] = ci;
	return ci;
}

static struct container_info *_by_id(struct containers *c, const char *id)
{
	for (size_t i = 0; i < c->cnt; i++)
		if (!strcmp(c->v[i]->id, id))
			return c->v[i];
	return NULL;
}

/* Annotations that say what the container is, whichever runtime or orchestrator set them. */
void container_info__annotation(struct container_info *ci, const char *key, const char *val)
{
	static const struct {
		const char *key;
		size_t off, sz;
	} known[] = {
#define F(k, field) { k, offsetof(struct container_info, field), sizeof(((struct container_info *)0)->field) }
		F("io.kubernetes.cri.container-name", name), F("io.kubernetes.container.name", name),
		F("io.kubernetes.cri.image-name", image), F("io.kubernetes.cri-o.ImageName", image),
		F("org.opencontainers.image.ref.name", image),
		F("io.kubernetes.cri.sandbox-name", pod_name), F("io.kubernetes.pod.name", pod_name),
		F("io.kubernetes.cri.sandbox-namespace", pod_namespace),
		F("io.kubernetes.pod.namespace", pod_namespace),
		F("io.kubernetes.cri.sandbox-uid", pod_uid), F("io.kubernetes.pod.uid", pod_uid),
#undef F
	};
	size_t klen = strlen(key), vlen = strlen(val);

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(key, known[i].key))
			snprintf((char *)ci + known[i].off, known[i].sz, "%s", val);
	if (ci->labels_len + klen + vlen + 2 <= sizeof(ci->labels)) {
		memcpy(ci->labels + ci->labels_len, key, klen);
		ci->labels[ci->labels_len + klen] = '=';
		memcpy(ci->labels + ci->labels_len + klen + 1, val, vlen);
		ci->labels_len += (uint32_t)(klen + vlen + 2); /* keeps the separating NUL */
	}
}

/* Parse a JSON file (at most 64 MiB); NULL when absent or malformed.  Caller deletes. */
/* The first name of the entry with id @id in a podman storage list ([{"id", "names"}...]);
 * also its "image" field into @image_id when asked. */
static bool _podman_entry(const cJSON *list, const char *id, char *name, size_t cap,
			  char *image_id, size_t image_cap)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, list) {
		const cJSON *eid = cJSON_GetObjectItemCaseSensitive(e, "id");
		const cJSON *names = cJSON_GetObjectItemCaseSensitive(e, "names");
		const cJSON *img = cJSON_GetObjectItemCaseSensitive(e, "image");

		if (!cJSON_IsString(eid) || strcmp(eid->valuestring, id))
			continue;
		if (cJSON_IsString(cJSON_GetArrayItem(names, 0)))
			snprintf(name, cap, "%s", cJSON_GetArrayItem(names, 0)->valuestring);
		if (image_id && cJSON_IsString(img))
			snprintf(image_id, image_cap, "%s", img->valuestring);
		return true;
	}
	return false;
}

/* podman's own names: the container's (containers.json) and its image's (images.json). */
static void _podman_meta(struct container_info *ci)
{
	cJSON *ctrs = json_load_file(PODMAN_STORAGE "/overlay-containers/containers.json"), *imgs;
	char image_id[128] = "";

	snprintf(ci->runtime, sizeof(ci->runtime), "podman");
	if (!ctrs)
		return;
	_podman_entry(ctrs, ci->id, ci->name, sizeof(ci->name), image_id, sizeof(image_id));
	cJSON_Delete(ctrs);
	imgs = image_id[0] ? json_load_file(PODMAN_STORAGE "/overlay-images/images.json") : NULL;
	if (imgs && !_podman_entry(imgs, image_id, ci->image, sizeof(ci->image), NULL, 0))
		snprintf(ci->image, sizeof(ci->image), "%.12s", image_id);
	cJSON_Delete(imgs);
}

/* One /run/runc/ID/state.json: id, cgroup path (relative to the cgroup2 root), annotations.
 * podman running runc leaves its containers here too, marked io.container.manager=libpod. */
static void _read_runc_state(struct containers *c, const char *dir_name)
{
	struct container_info tmp, *ci;
	char path[512], *text;
	bool podman;
	size_t len;
	int err;

	snprintf(path, sizeof(path), RUNC_ROOT "/%s/state.json", dir_name);
	if (runtime_meta__read_file(path, &text, &len))
		return;
	err = runtime_meta__runc_state(&tmp, text, len, c->cg_root, &podman);
	free(text);
	if (err || _by_id(c, tmp.id))
		return; /* not ours, or known already */
	ci = _add(c);
	if (!ci)
		return;
	*ci = tmp;
	if (podman)
		_podman_meta(ci);
}

static void _scan_runc(struct containers *c)
{
	DIR *d;
	struct dirent *de;

	c->runc_scanned_at = mono_ns();
	d = opendir(RUNC_ROOT);
	if (!d)
		return;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && !_by_id(c, de->d_name)) /* the directory is the id */
			_read_runc_state(c, de->d_name);
	closedir(d);
}

/* The container whose cgroup is @path or an ancestor of it (state-file containers). */
static struct container_info *_by_cgroup_prefix(struct containers *c, const char *path)
{
	for (size_t i = 0; i < c->cnt; i++) {
		size_t len = strlen(c->v[i]->cgroup);

		if (len && !strncmp(path, c->v[i]->cgroup, len) && (path[len] == 0 || path[len] == '/'))
			return c->v[i];
	}
	return NULL;
}

struct container_info *containers__by_cgroup(struct containers *c, const char *path)
{
	struct container_info *ci;
	const char *runtime = NULL;
	char id[72];

	if (!c->runc_scanned_at)
		_scan_runc(c);
	ci = _by_cgroup_prefix(c, path);
	if (ci)
		return ci;
	if (container_id_from_cgroup(path, id, sizeof(id), &runtime)) {
		ci = _by_id(c, id);
		if (ci)
			return ci;
		ci = _add(c);
		if (!ci)
			return NULL;
		snprintf(ci->id, sizeof(ci->id), "%s", id);
		snprintf(ci->name, sizeof(ci->name), "%.12s", id);
		snprintf(ci->runtime, sizeof(ci->runtime), "%s", runtime ? runtime : "unknown");
		if (runtime && !strcmp(runtime, "podman"))
			_podman_meta(ci); /* run by crun or another runtime: no runc state */
		else
			runtime_meta__fill(ci, "");
		/* The container's own cgroup: the path up to the component holding the id. */
		const char *at = strstr(path, id), *end = at ? strchr(at, '/') : NULL;
		int len = end ? (int)(end - path) : (int)strlen(path);

		snprintf(ci->cgroup, sizeof(ci->cgroup), "%.*s", len, path);
		return ci;
	}
	/* Perhaps a runc container that started after the last look. */
	if (mono_ns() - c->runc_scanned_at > RUNC_RESCAN_NS) {
		_scan_runc(c);
		return _by_cgroup_prefix(c, path);
	}
	return NULL;
}

static struct containers *walk_ctx; /* nftw has no context argument; one walk at a time */

static int _walk_one(const char *fpath, const struct stat *st, int flag, struct FTW *ftw)
{
	struct containers *c = walk_ctx;
	size_t root_len = strlen(c->cg_root);

	(void)ftw;
	if (flag != FTW_D)
		return 0;
	if (c->cg_cnt == c->cg_cap) {
		size_t cap = c->cg_cap ? c->cg_cap * 2 : 256;
		void *n = realloc(c->cgs, cap * sizeof(*c->cgs));

		if (!n)
			return 1;
		c->cgs = n;
		c->cg_cap = cap;
	}
	c->cgs[c->cg_cnt].ino = st->st_ino;
	c->cgs[c->cg_cnt].path = strdup(fpath[root_len] ? fpath + root_len : "/");
	if (c->cgs[c->cg_cnt].path)
		c->cg_cnt++;
	return 0;
}

static void _scan_cgroups(struct containers *c)
{
	for (size_t i = 0; i < c->cg_cnt; i++)
		free(c->cgs[i].path);
	c->cg_cnt = 0;
	c->cg_scanned_at = mono_ns();
	walk_ctx = c;
	nftw(c->cg_root, _walk_one, 16, FTW_PHYS | FTW_MOUNT);
	walk_ctx = NULL;
}

const char *containers__cgroup_path(struct containers *c, uint64_t id)
{
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < c->cg_cnt; i++)
			if (c->cgs[i].ino == id)
				return c->cgs[i].path;
		if (pass || (c->cg_scanned_at && mono_ns() - c->cg_scanned_at < RESCAN_NS))
			break;
		_scan_cgroups(c);
	}
	return NULL;
}

struct container_info *containers__find(struct containers *c, const char *key)
{
	size_t klen = strlen(key);
	DIR *proc;
	struct dirent *de;

	_scan_runc(c);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < c->cnt; i++) {
			struct container_info *ci = c->v[i];

			if (!strcmp(ci->name, key) || !strcmp(ci->id, key) ||
			    (klen >= 4 && !strncmp(ci->id, key, klen)))
				return ci;
		}
		if (pass)
			break;
		/* Not a runc state file: look at the cgroups of running processes. */
		proc = opendir("/proc");
		if (!proc)
			break;
		while ((de = readdir(proc))) {
			char path[64], buf[2048];
			const char *v2;
			int fd;
			ssize_t n;

			if (de->d_name[0] < '0' || de->d_name[0] > '9')
				continue;
			snprintf(path, sizeof(path), "/proc/%s/cgroup", de->d_name);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			if (n <= 0)
				continue;
			buf[n] = 0;
			v2 = strstr(buf, "0::");
			if (v2) {
				v2 += 3;
				buf[n - (buf[n - 1] == '\n')] = 0;
				containers__by_cgroup(c, v2);
			}
		}
		closedir(proc);
	}
	return NULL;
}

int containers__emit(struct containers *c, struct container_info *ci, struct trace_writer *w,
		     uint64_t ts)
{
	char full[1024];
	struct stat st;
	struct trace_rec rec = { .type = TR_CONTAINER, .ts = ts };
	const char *s[] = { ci->id, ci->name, ci->image, ci->runtime, ci->pod_name,
			    ci->pod_namespace, ci->pod_uid };

	if (ci->emitted)
		return 0;
	snprintf(full, sizeof(full), "%s%s", c->cg_root, ci->cgroup);
	if (!ci->cgroup_id && !stat(full, &st))
		ci->cgroup_id = st.st_ino;
	rec.ints[0] = ci->cgroup_id;
	rec.ints[1] = 0;
	rec.int_cnt = 2;
	for (int i = 0; i < 7; i++)
		rec.blobs[i] = (struct trace_blob){ s[i], (uint32_t)strlen(s[i]), (uint16_t)i, TRACE_BLOB_F_INTERN };
	rec.blobs[7] = (struct trace_blob){ ci->labels, ci->labels_len ? ci->labels_len - 1 : 0, 7, 0 };
	rec.blob_cnt = 8;
	ci->emitted = 1;
	return trace_writer__append(w, &rec);
}
