/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What docker, containerd (CRI, Kubernetes) and cri-o know about a container, from their
 * on-disk files, for a container found by the id in its cgroup name:
 *   docker      /var/lib/docker/containers/ID/config.v2.json   name, image, labels
 *   containerd  /run/containerd/io.containerd.runtime.v2.task/NS/ID/config.json
 *               (the OCI bundle: CRI annotations name the container, image and pod)
 *   cri-o       /run/containers/storage/overlay-containers/ID/userdata/config.json
 *               (or under /var/lib/containers/storage): the same with cri-o's annotations
 * Missing files are normal (a runtime configured elsewhere): the fields stay as they were.
 */
#ifndef SYSREC_RUNTIME_META_H
#define SYSREC_RUNTIME_META_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define RUNTIME_META_FILE_MAX (64u << 20) /* a runtime's JSON file */

struct container_info;

/* Fill @ci (id and runtime set) from its runtime's files under @root ("" for the host's /). */
void runtime_meta__fill(struct container_info *ci, const char *root);

/* Which file runtime_meta__parse() is given. */
enum runtime_doc {
	RUNTIME_DOC_DOCKER, /* config.v2.json: Config.Labels, Name, Config.Image */
	RUNTIME_DOC_OCI,    /* an OCI bundle's config.json: annotations */
};

/*
 * runtime_meta__parse - take what @ci needs from the @len bytes of JSON @text (a runtime's
 * file; labels and annotations come from the container's image and its owner).
 * @return 0, or -EBADMSG when @text is not a JSON object.
 */
int runtime_meta__parse(struct container_info *ci, enum runtime_doc kind, const char *text,
			size_t len);

/*
 * runtime_meta__runc_state - a runc state file (/run/runc/ID/state.json): id (also the
 * name), runtime "runc", the cgroup v2 path relative to @cg_root, the config's labels as
 * annotations ("bundle=" left out).  @podman is set when the labels say
 * io.container.manager=libpod.  @ci is cleared first.
 * @return 0, -EBADMSG (not JSON, no id or cgroup path), -ENOENT (a cgroup not under @cg_root).
 */
int runtime_meta__runc_state(struct container_info *ci, const char *text, size_t len,
			     const char *cg_root, bool *podman);

/*
 * runtime_meta__read_file - the bytes of @path, a regular file of at most
 * RUNTIME_META_FILE_MAX, opened without blocking (a FIFO is refused, not waited on).
 * @text: malloc'ed and NUL-terminated (the caller frees it).  @return 0 or -errno.
 */
int runtime_meta__read_file(const char *path, char **text, size_t *len);

/* A whole JSON file (runtime_meta__read_file()), parsed, or NULL.  Caller deletes. */
cJSON *json_load_file(const char *path);

#endif
