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

struct container_info;

/* Fill @ci (id and runtime set) from its runtime's files under @root ("" for the host's /). */
void runtime_meta__fill(struct container_info *ci, const char *root);

/* A whole JSON file (at most 64 MiB), or NULL. */
cJSON *json_load_file(const char *path);

#endif
