/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Containers: which container a cgroup belongs to, and what the runtime knows about it.
 *
 * Two sources, tried in this order for a cgroup v2 path (and its ancestors, for processes in
 * a sub-cgroup of their container):
 *   1. runtime state files: plain runc (and anything that runs it with the default root) keeps
 *      /run/runc/ID/state.json with the container's cgroup path, pid and annotations;
 *   2. the path itself: the container id in the names docker, podman/libpod, cri-o and
 *      containerd/CRI (Kubernetes) give their cgroups (container_id_from_cgroup()); then
 *      the runtime's own files name it (podman storage here, runtime_meta.h for the others).
 * A cgroup that matches neither is the host's: not an error.
 *
 * cJSON trees are parsed and dropped in the same function; only the fields below survive.
 */
#ifndef SYSREC_CONTAINERS_H
#define SYSREC_CONTAINERS_H

#include <stddef.h>
#include <stdint.h>

#include "trace_writer.h"

struct containers;

struct container_info {
	char id[72];       /* full id (64 hex for the common runtimes; any name for runc) */
	char name[128];
	char image[256];
	char runtime[24];  /* "docker", "podman", "cri-o", "containerd", "runc" */
	char pod_name[128];
	char pod_namespace[128];
	char pod_uid[64];
	char labels[2048]; /* "key=value" entries separated by NUL */
	uint32_t labels_len;
	char cgroup[512];  /* cgroup v2 path of the container, "/..." */
	uint64_t cgroup_id;
	int emitted;       /* its CONTAINER record was written */
};

/*
 * container_id_from_cgroup - the container id in a cgroup path, from the naming of the common
 * runtimes: a component that is, or ends in, 64 hex digits ("docker-<id>.scope",
 * "libpod-<id>", "crio-<id>", "cri-containerd-<id>.scope", ".../docker/<id>", kubepods
 * paths).  "libpod-conmon-" (podman's monitor) is not a container.  The deepest match wins.
 * @runtime gets a static name ("docker", ...) or NULL.
 * @return 1 with the id in @id, 0 when the path names no container.
 */
int container_id_from_cgroup(const char *path, char *id, size_t cap, const char **runtime);

/* Take annotation or label @key=@val: the known keys (io.kubernetes.*, the OCI image
 * name) set name, image and pod fields; all are kept in labels. */
void container_info__annotation(struct container_info *ci, const char *key, const char *val);

int containers__new(struct containers **out);
void containers__free(struct containers *c);

/* The container of cgroup v2 path @path, or NULL for the host.  Valid while @c lives. */
struct container_info *containers__by_cgroup(struct containers *c, const char *path);

/* The cgroup v2 path of cgroup id @id (an inode of the cgroup2 mount), or NULL. */
const char *containers__cgroup_path(struct containers *c, uint64_t id);

/* A container by id, id prefix (at least 4 characters) or name, among the runc state files
 * and the cgroups of running processes; NULL when none matches. */
struct container_info *containers__find(struct containers *c, const char *id_or_name);

/* Where cgroup v2 is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified in hybrid mode). */
const char *containers__cgroup_root(struct containers *c);

/* Write @info's CONTAINER record (once; later calls do nothing).  @return 0 or writer error. */
int containers__emit(struct containers *c, struct container_info *info, struct trace_writer *w,
		     uint64_t ts);

#endif
