// SPDX-License-Identifier: Apache-2.0
/* USER and GROUP records per mount namespace, from its own passwd and group files. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ns_set.h"
#include "record.h"
#include "users.h"

#define MAX_ENTRIES 65536 /* per file: a bound for a hostile or broken file */

struct users {
	struct ns_set done; /* mount namespaces written */
};

int users__new(struct users **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void users__free(struct users *u)
{
	if (!u)
		return;
	ns_set__release(&u->done);
	free(u);
}

/* Split a passwd/group line in place into at most @max ':'-separated fields. */
static int _fields(char *line, char **f, int max)
{
	int n = 0;

	line[strcspn(line, "\n")] = 0;
	while (n < max) {
		f[n++] = line;
		line = strchr(line, ':');
		if (!line)
			break;
		*line++ = 0;
	}
	return n;
}

static int _num(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || end == s || *end ? -1 : 0;
}

/* @return 1 when the file was read, 0 when it could not be opened, or the writer's error. */
static int _write_file(struct trace_writer *w, uint64_t ts, pid_t pid, uint64_t mnt_ns, bool group)
{
	char path[64], line[2048];
	FILE *f;
	int err = 0, n = 0;

	snprintf(path, sizeof(path), "/proc/%d/root/etc/%s", pid, group ? "group" : "passwd");
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (!err && n++ < MAX_ENTRIES && fgets(line, sizeof(line), f)) {
		struct trace_rec rec = { .type = group ? TR_GROUP : TR_USER, .ts = ts };
		char *fl[7];
		uint64_t id, gid;
		int cnt = _fields(line, fl, 7);

		if (group) {
			if (cnt < 3 || _num(fl[2], &id))
				continue;
			rec.ints[0] = id;
			rec.ints[1] = mnt_ns;
			rec.int_cnt = 2;
			rec.blobs[0] = (struct trace_blob){ fl[0], (uint32_t)strlen(fl[0]), 0, TRACE_BLOB_F_INTERN };
			rec.blob_cnt = 1;
		} else {
			if (cnt < 7 || _num(fl[2], &id) || _num(fl[3], &gid))
				continue;
			rec.ints[0] = id;
			rec.ints[1] = gid;
			rec.ints[2] = mnt_ns;
			rec.int_cnt = 3;
			for (int b = 0; b < 3; b++) {
				const char *s = b == 0 ? fl[0] : b == 1 ? fl[5] : fl[6];

				rec.blobs[b] = (struct trace_blob){ s, (uint32_t)strlen(s), (uint16_t)b, TRACE_BLOB_F_INTERN };
			}
			rec.blob_cnt = 3;
		}
		err = trace_writer__append(w, &rec);
	}
	fclose(f);
	return err ? err : 1;
}

int users__write_ns(struct users *u, struct trace_writer *w, uint64_t ts, pid_t pid,
		    uint64_t mnt_ns)
{
	int ret;

	if (ns_set__has(&u->done, mnt_ns))
		return 0;
	ret = _write_file(w, ts, pid, mnt_ns, false);
	if (ret <= 0)
		return ret; /* not readable through this process: try the next one */
	ret = _write_file(w, ts, pid, mnt_ns, true);
	if (ret < 0)
		return ret;
	ns_set__add(&u->done, mnt_ns);
	return 0;
}
