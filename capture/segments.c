// SPDX-License-Identifier: Apache-2.0
/* File rotation and the flight recorder; see segments.h. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mono_clock.h"
#include "checkpoint.h"
#include "segments.h"
#include "sr_error.h"
#include "sr_log.h"
#include "trace_reader.h"

#define FLIGHT_PIECES 8          /* segments per SIZE: at least 7/8 of SIZE is kept */
#define MAX_TRIGGERS 16          /* waiting for their dump; more are refused */
#define NAME_MAX_SZ 4096

struct segment {
	int fd;        /* a memfd holding a complete trace file */
	uint64_t size;
	uint64_t seq;
	uint64_t skip; /* records of its checkpoint, at its start */
};

struct trigger {
	uint64_t due;  /* CLOCK_MONOTONIC ns: trigger + post */
	uint64_t ts;   /* trace time of the trigger */
	struct timespec wall;
	uint64_t pin;  /* the oldest segment it needs */
	int reply_fd;
	char reason[200];
};

/* One dump, handed to its thread; the segments' fds are its own duplicates. */
struct dump {
	struct segment *segs;
	size_t seg_cnt;
	struct trigger trig;
	char path[NAME_MAX_SZ];
	int fd;        /* @path, created here (O_EXCL, 0600); the thread's writer takes it */
	uint64_t post_ns;
	int zstd_level;
	uint64_t recs, first_ts, last_ts;
	int err;
	char msg[512];
	pthread_t thread;
	atomic_bool done;
};

struct segments {
	struct segments_opts o;
	struct trace_props *props;
	struct trace_writer *w;
	struct checkpoint *cp;
	char base[NAME_MAX_SZ], ext[64];
	char cur_path[NAME_MAX_SZ];
	uint64_t cur_start;  /* CLOCK_MONOTONIC ns when the current piece began */
	uint64_t cur_skip;   /* its checkpoint's records */
	int cur_fd;          /* flight recorder: our duplicate of the writer's memfd */
	uint64_t seq;        /* of the current piece */
	bool rotate_now;
	/* flight recorder */
	uint64_t piece_bytes;
	struct segment *segs; /* closed, oldest first */
	size_t seg_cnt, seg_cap;
	struct trigger trigs[MAX_TRIGGERS];
	size_t trig_cnt;
	struct dump *dump;   /* running, or NULL */
	/* files written, oldest first, for --keep */
	char **files;
	size_t file_cnt, file_cap;
	uint64_t files_total;
};

/* BASE-20261122T120803.512Z.EXT for @wall; -N added until the name is new.  @return an fd
 * open for writing (mode 0600), or -errno. */
static int _create_named(struct segments *sg, const struct timespec *wall, char *path, size_t sz)
{
	struct tm tm;
	char stamp[40];

	gmtime_r(&wall->tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	for (int n = 0; n < 1000; n++) {
		int fd;

		if (n)
			snprintf(path, sz, "%s-%s.%03ldZ-%d%s", sg->base, stamp,
				 wall->tv_nsec / 1000000, n, sg->ext);
		else
			snprintf(path, sz, "%s-%s.%03ldZ%s", sg->base, stamp, wall->tv_nsec / 1000000,
				 sg->ext);
		/* O_EXCL: a new file, never one that exists, never through a link planted there */
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd >= 0 ? fd : -errno;
	}
	return -EEXIST;
}

/* A file was written: remember it, and delete the oldest beyond --keep. */
static void _wrote(struct segments *sg, const char *path)
{
	char *copy = strdup(path);

	sg->files_total++;
	if (!copy)
		return;
	if (sg->file_cnt == sg->file_cap) {
		size_t cap = sg->file_cap ? sg->file_cap * 2 : 16;
		char **n = realloc(sg->files, cap * sizeof(*n));

		if (!n) {
			free(copy);
			return;
		}
		sg->files = n;
		sg->file_cap = cap;
	}
	sg->files[sg->file_cnt++] = copy;
	while (sg->o.keep && sg->file_cnt > sg->o.keep) {
		if (unlink(sg->files[0]) && errno != ENOENT)
			sr_warn("record: --keep: cannot delete '%s': %s", sg->files[0], strerror(errno));
		else
			sr_info("record: --keep %u: deleted '%s'", sg->o.keep, sg->files[0]);
		free(sg->files[0]);
		memmove(sg->files, sg->files + 1, --sg->file_cnt * sizeof(*sg->files));
	}
}

static int _memfd(struct segments *sg, int *dup_fd)
{
	char name[32];
	int fd;

	snprintf(name, sizeof(name), "sysrec-segment-%llu", (unsigned long long)sg->seq);
	fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	*dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (*dup_fd < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* The fd of the next piece: a new time-named file, or a memory segment. */
static int _next_fd(struct segments *sg)
{
	struct timespec wall;

	if (sg->o.flight_bytes) {
		snprintf(sg->cur_path, sizeof(sg->cur_path), "<memory>");
		return _memfd(sg, &sg->cur_fd);
	}
	clock_gettime(CLOCK_REALTIME, &wall);
	return _create_named(sg, &wall, sg->cur_path, sizeof(sg->cur_path));
}

/* A rotated file's place in the series (a memory segment's header is the dump's: no number). */
static int _set_piece_props(struct segments *sg)
{
	return sg->o.flight_bytes ? 0 : trace_props__set_u64(sg->props, "rotation.seq", sg->seq);
}

int segments__open(const struct segments_opts *o, struct trace_props *props,
		   struct segments **out, struct trace_writer **w, char *err, size_t err_sz)
{
	struct segments *sg = calloc(1, sizeof(*sg));
	struct trace_writer_opts wopts = { .sz = sizeof(wopts), .zstd_level = o->zstd_level };
	const char *dot, *slash;
	int fd, ret;

	if (!sg) {
		snprintf(err, err_sz, "record: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	sg->o = *o;
	sg->props = props;
	sg->cur_fd = -1;
	/* trace.sysrec -> base "trace", ext ".sysrec" (a dot in a directory name is not one) */
	dot = strrchr(o->out, '.');
	slash = strrchr(o->out, '/');
	if (!dot || (slash && dot < slash) || dot == o->out || (slash && dot == slash + 1))
		dot = o->out + strlen(o->out);
	snprintf(sg->base, sizeof(sg->base), "%.*s", (int)(dot - o->out), o->out);
	snprintf(sg->ext, sizeof(sg->ext), "%s", dot);
	if (o->flight_bytes) {
		sg->piece_bytes = o->flight_bytes / FLIGHT_PIECES;
		ret = trace_props__set_u64(props, "flight.size", o->flight_bytes);
		if (ret)
			goto fail;
	}
	fd = _next_fd(sg);
	if (fd < 0) {
		ret = fd;
		snprintf(err, err_sz, "record: cannot create '%s': %s",
			 o->flight_bytes ? "a memory segment" : sg->cur_path, sr_strerror(ret));
		goto out;
	}
	ret = _set_piece_props(sg);
	ret = ret ?: trace_writer__open_fd(fd, props, &wopts, &sg->w);
	if (ret)
		goto fail;
	sg->cur_start = mono_ns();
	*out = sg;
	*w = sg->w;
	return 0;
fail:
	snprintf(err, err_sz, "record: cannot create '%s': %s", sg->cur_path, sr_strerror(ret));
out:
	if (sg->cur_fd >= 0)
		close(sg->cur_fd);
	free(sg);
	return ret;
}

void segments__set_checkpoint(struct segments *sg, struct checkpoint *cp)
{
	sg->cp = cp;
}

const char *segments__current(const struct segments *sg)
{
	return sg->cur_path;
}

bool segments__busy(const struct segments *sg)
{
	return sg->trig_cnt || sg->dump;
}

uint64_t segments__files(const struct segments *sg)
{
	return sg->files_total;
}

static uint64_t _seg_bytes(const struct segments *sg)
{
	uint64_t n = 0;

	for (size_t i = 0; i < sg->seg_cnt; i++)
		n += sg->segs[i].size;
	return n;
}

/* Flight recorder: drop the oldest segments so that the closed ones leave room for the current
 * piece within SIZE (it is closed at SIZE/8, plus what the writer had queued then); none that
 * a waiting trigger needs. */
static void _evict(struct segments *sg)
{
	uint64_t pin = UINT64_MAX, total = _seg_bytes(sg);

	for (size_t i = 0; i < sg->trig_cnt; i++)
		if (sg->trigs[i].pin < pin)
			pin = sg->trigs[i].pin;
	while (sg->seg_cnt && total > sg->o.flight_bytes - sg->piece_bytes && sg->segs[0].seq < pin) {
		total -= sg->segs[0].size;
		close(sg->segs[0].fd);
		memmove(sg->segs, sg->segs + 1, --sg->seg_cnt * sizeof(*sg->segs));
	}
}

/* Close the current piece and start the next, with the checkpoint of the state. */
static int _rotate(struct segments *sg)
{
	int old_fd = sg->cur_fd, fd, err;
	char old_path[NAME_MAX_SZ];
	struct stat st;

	snprintf(old_path, sizeof(old_path), "%s", sg->cur_path);
	sg->cur_fd = -1;
	fd = _next_fd(sg);
	if (fd < 0) {
		sr_err("record: cannot create '%s': %s", sg->o.flight_bytes ? "a memory segment" :
			sg->cur_path, sr_strerror(fd));
		/* The current piece goes on being written: it stays the current one. */
		snprintf(sg->cur_path, sizeof(sg->cur_path), "%s", old_path);
		sg->cur_fd = old_fd;
		return fd;
	}
	sg->seq++;
	err = _set_piece_props(sg);
	err = err ?: trace_writer__rotate(sg->w, fd, sg->props);
	if (err) {
		sr_err("record: cannot finish '%s': %s", old_path, sr_strerror(err));
		if (old_fd >= 0)
			close(old_fd);
		return err;
	}
	if (sg->o.flight_bytes) {
		if (sg->seg_cnt == sg->seg_cap) {
			size_t cap = sg->seg_cap ? sg->seg_cap * 2 : FLIGHT_PIECES * 2;
			struct segment *n = realloc(sg->segs, cap * sizeof(*n));

			if (!n) {
				close(old_fd);
				return -ENOMEM;
			}
			sg->segs = n;
			sg->seg_cap = cap;
		}
		sg->segs[sg->seg_cnt++] = (struct segment){ old_fd, fstat(old_fd, &st) ? 0 :
			(uint64_t)st.st_size, sg->seq - 1, sg->cur_skip };
		_evict(sg);
	} else {
		_wrote(sg, old_path);
		sr_info("record: rotated to '%s'", sg->cur_path);
	}
	sg->cur_start = mono_ns();
	sg->cur_skip = 0;
	if (sg->cp)
		err = checkpoint__write(sg->cp, sg->w, &sg->cur_skip);
	return err;
}

void segments__trigger(struct segments *sg, uint64_t ts, const char *reason, int reply_fd)
{
	struct trigger *t;

	if (!sg->o.flight_bytes) {
		sg->rotate_now = true;
		if (reply_fd >= 0)
			close(reply_fd);
		return;
	}
	if (sg->trig_cnt == MAX_TRIGGERS) {
		sr_warn("record: flight recorder: %d dumps are waiting; trigger '%s' ignored",
			MAX_TRIGGERS, reason);
		if (reply_fd >= 0) {
			dprintf(reply_fd, "error %d dumps are waiting already\n", MAX_TRIGGERS);
			close(reply_fd);
		}
		return;
	}
	t = &sg->trigs[sg->trig_cnt++];
	memset(t, 0, sizeof(*t));
	t->due = mono_ns() + sg->o.post_ns;
	t->ts = ts;
	clock_gettime(CLOCK_REALTIME, &t->wall);
	t->pin = sg->seg_cnt ? sg->segs[0].seq : sg->seq;
	t->reply_fd = reply_fd;
	snprintf(t->reason, sizeof(t->reason), "%s", reason);
	sr_info("record: flight recorder: trigger: %s", reason);
}

/* The dump thread: every record of the segments, in order, into one new file; the
 * checkpoints of all but the first are left out. */
static void *_dump_thread(void *arg)
{
	struct dump *d = arg;
	struct trace_writer_opts wopts = { .sz = sizeof(wopts), .zstd_level = d->zstd_level };
	struct trace_props *props = NULL;
	struct trace_writer *w = NULL;
	int err = 0;

	/* Recording has the priority: the dump uses what CPU is left. */
	setpriority(PRIO_PROCESS, (id_t)gettid(), 10);
	d->first_ts = UINT64_MAX;
	for (size_t i = 0; !err && i < d->seg_cnt; i++) {
		struct trace_reader *r = NULL;
		struct sr_diag diag = { 0 };
		struct trace_rec rec;
		char path[64];
		uint64_t n = 0;
		int ret;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", d->segs[i].fd);
		err = trace_reader__open(path, &r, &diag);
		if (err) {
			snprintf(d->msg, sizeof(d->msg), "cannot read a segment: %s",
				 diag.err ? diag.msg : sr_strerror(err));
			break;
		}
		if (!w) {
			err = trace_props__new(&props);
			err = err ?: trace_props__copy(props, trace_reader__props(r));
			err = err ?: trace_props__set_str(props, "flight.trigger", d->trig.reason);
			err = err ?: trace_props__set_u64(props, "flight.trigger_ts", d->trig.ts);
			err = err ?: trace_props__set_u64(props, "flight.post_ns", d->post_ns);
			err = err ?: trace_props__set_u64(props, "flight.segments", d->seg_cnt);
			if (!err) {
				err = trace_writer__open_fd(d->fd, props, &wopts, &w);
				d->fd = -1; /* the writer's now, even when it failed */
			}
			if (err)
				snprintf(d->msg, sizeof(d->msg), "cannot write '%s': %s", d->path,
					 sr_strerror(err));
		}
		while (!err && (ret = trace_reader__next(r, &rec)) == 1) {
			if (i && n++ < d->segs[i].skip)
				continue;
			if (rec.ts < d->first_ts)
				d->first_ts = rec.ts;
			if (rec.ts > d->last_ts)
				d->last_ts = rec.ts;
			d->recs++;
			err = trace_writer__append(w, &rec);
			if (err)
				snprintf(d->msg, sizeof(d->msg), "cannot write '%s': %s", d->path,
					 sr_strerror(err));
		}
		if (!err && ret < 0) {
			err = ret;
			snprintf(d->msg, sizeof(d->msg), "a segment is damaged: %s",
				 trace_reader__diag(r)->msg);
		}
		trace_reader__close(r);
	}
	if (w) {
		int cerr = trace_writer__close(w);

		if (!err && cerr) {
			err = cerr;
			snprintf(d->msg, sizeof(d->msg), "cannot write '%s': %s", d->path,
				 sr_strerror(err));
		}
	}
	trace_props__free(props);
	if (d->fd >= 0) /* no segment could be read: no writer took it */
		close(d->fd);
	for (size_t i = 0; i < d->seg_cnt; i++)
		close(d->segs[i].fd);
	d->err = err;
	atomic_store(&d->done, true);
	return NULL;
}

/* Start the dump of the oldest due trigger.  @return 0, or -errno when its file cannot be
 * created (said, and answered; recording goes on). */
static int _start_dump(struct segments *sg)
{
	struct dump *d = calloc(1, sizeof(*d));
	struct trigger *t = &sg->trigs[0];
	int err;

	if (!d)
		return -ENOMEM;
	d->fd = -1;
	d->trig = *t;
	memmove(sg->trigs, sg->trigs + 1, --sg->trig_cnt * sizeof(*sg->trigs));
	d->post_ns = sg->o.post_ns;
	d->zstd_level = sg->o.zstd_level;
	err = _rotate(sg); /* the current segment becomes complete, and part of the window */
	if (err)
		goto fail;
	d->fd = _create_named(sg, &d->trig.wall, d->path, sizeof(d->path));
	if (d->fd < 0) {
		err = d->fd;
		snprintf(d->msg, sizeof(d->msg), "cannot create '%s': %s", d->path, sr_strerror(err));
		goto fail_reply;
	}
	d->segs = calloc(sg->seg_cnt + 1, sizeof(*d->segs));
	if (!d->segs) {
		err = -ENOMEM;
		goto fail_created;
	}
	for (size_t i = 0; i < sg->seg_cnt; i++) {
		if (sg->segs[i].seq < d->trig.pin)
			continue; /* older than the window the trigger saw (kept for another) */
		d->segs[d->seg_cnt] = sg->segs[i];
		d->segs[d->seg_cnt].fd = fcntl(sg->segs[i].fd, F_DUPFD_CLOEXEC, 0);
		if (d->segs[d->seg_cnt].fd < 0) {
			err = -errno;
			goto fail_created;
		}
		d->seg_cnt++;
	}
	err = -pthread_create(&d->thread, NULL, _dump_thread, d);
	if (err)
		goto fail_created;
	sg->dump = d;
	_evict(sg); /* what only this trigger pinned may go now (the dump has its copies) */
	return 0;
fail_created:
	close(d->fd);
	unlink(d->path);
fail:
	snprintf(d->msg, sizeof(d->msg), "%s", sr_strerror(err));
fail_reply:
	sr_err("record: flight recorder: %s", d->msg);
	if (d->trig.reply_fd >= 0) {
		dprintf(d->trig.reply_fd, "error %s\n", d->msg);
		close(d->trig.reply_fd);
	}
	for (size_t i = 0; i < d->seg_cnt; i++)
		close(d->segs[i].fd);
	free(d->segs);
	free(d);
	return err;
}

static void _finish_dump(struct segments *sg)
{
	struct dump *d = sg->dump;

	pthread_join(d->thread, NULL);
	sg->dump = NULL;
	if (d->err) {
		sr_err("record: flight recorder: %s", d->msg);
		if (d->trig.reply_fd >= 0)
			dprintf(d->trig.reply_fd, "error %s\n", d->msg);
	} else {
		double span = d->recs ? (double)(d->last_ts - d->first_ts) / 1e9 : 0;

		fprintf(stderr, "sysrec: flight recorder: wrote '%s' (%llu records, %.1f s; "
			"trigger: %s)\n", d->path, (unsigned long long)d->recs, span, d->trig.reason);
		if (d->trig.reply_fd >= 0)
			dprintf(d->trig.reply_fd, "ok %s\n", d->path);
		_wrote(sg, d->path);
	}
	if (d->trig.reply_fd >= 0)
		close(d->trig.reply_fd);
	free(d->segs);
	free(d);
}

int segments__tick(struct segments *sg, uint64_t now)
{
	struct trace_writer_stats st;
	int err = 0;

	trace_writer__stats(sg->w, &st);
	if (sg->o.flight_bytes) {
		if (st.stored_sz >= sg->piece_bytes)
			err = _rotate(sg);
		if (sg->dump && atomic_load(&sg->dump->done))
			_finish_dump(sg);
		if (!err && !sg->dump && sg->trig_cnt && now >= sg->trigs[0].due)
			_start_dump(sg); /* a failure is answered; recording goes on */
		return err;
	}
	if (sg->rotate_now || (sg->o.rotate_bytes && st.stored_sz >= sg->o.rotate_bytes) ||
	    (sg->o.rotate_ns && now - sg->cur_start >= sg->o.rotate_ns)) {
		sg->rotate_now = false;
		err = _rotate(sg);
	}
	return err;
}

int segments__finish(struct segments *sg)
{
	int err = 0, cerr;

	if (sg->o.flight_bytes) {
		struct timespec ts = { 0, 10000000 };

		/* The window at the stop, then every dump still waiting, each after the other. */
		segments__trigger(sg, sg->cp ? checkpoint__last_ts(sg->cp) : 0, "stop", -1);
		for (size_t i = 0; i < sg->trig_cnt; i++)
			sg->trigs[i].due = 0; /* no more post time: nothing is recorded any more */
		while (sg->trig_cnt || sg->dump) {
			if (sg->dump && atomic_load(&sg->dump->done))
				_finish_dump(sg);
			if (!sg->dump && sg->trig_cnt && _start_dump(sg) && !err)
				err = -EIO;
			nanosleep(&ts, NULL);
		}
	}
	cerr = trace_writer__close(sg->w);
	sg->w = NULL;
	if (cerr && !sg->o.flight_bytes) {
		sr_err("record: '%s': %s (the file is readable up to its last complete chunk)",
		       sg->cur_path, sr_strerror(cerr));
		err = err ?: cerr;
	}
	if (!sg->o.flight_bytes)
		_wrote(sg, sg->cur_path);
	return err;
}

void segments__free(struct segments *sg)
{
	if (!sg)
		return;
	if (sg->dump)
		_finish_dump(sg); /* joins its thread */
	trace_writer__close(sg->w);
	for (size_t i = 0; i < sg->trig_cnt; i++)
		if (sg->trigs[i].reply_fd >= 0)
			close(sg->trigs[i].reply_fd);
	for (size_t i = 0; i < sg->seg_cnt; i++)
		close(sg->segs[i].fd);
	if (sg->cur_fd >= 0)
		close(sg->cur_fd);
	for (size_t i = 0; i < sg->file_cnt; i++)
		free(sg->files[i]);
	free(sg->files);
	free(sg->segs);
	free(sg);
}
