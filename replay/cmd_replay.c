// SPDX-License-Identifier: Apache-2.0
/*
 * `sysrec replay [OPTIONS] FILE... [FILTER]`: rebuild the state of the capture host from the
 * trace, and print (text, JSON, custom format) or write out (-w) the events that match.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "chisel_run.h"
#include "commands.h"
#include "event.h"
#include "filter.h"
#include "input.h"
#include "output.h"
#include "pcap_out.h"
#include "slice_writer.h"
#include "symbols.h"
#include "time_arg.h"

static const char replay_usage[] =
	"USAGE\n"
	"  sysrec replay [OPTIONS] FILE... [FILTER]\n"
	"  sysrec replay -c 'CHISEL [ARG...]' [OPTIONS] FILE... [FILTER]\n"
	"\n"
	"Read one or more traces (merged by time), rebuild the processes, fds, users and\n"
	"containers of the capture host, and print the events that match FILTER (see\n"
	"'sysrec fields' and docs/filters.md), one line per event.  Options come before the files;\n"
	"every word after the last file is part of the filter.\n"
	"\n"
	"OPTIONS\n"
	"  -c, --chisel 'NAME|PATH.so [ARG...]'\n"
	"                         run a chisel on the matching events instead of printing them\n"
	"                         (the chisel and its arguments are one option value; see\n"
	"                         'sysrec chisels')\n"
	"  -j, --json             one JSON object per event (with -p: only the named fields)\n"
	"  -p, --format FORMAT    custom output: text with %field references, e.g.\n"
	"                         '%evt.time %proc.name %fd.name'; %% is a literal %\n"
	"  -A, --ascii            show buffers with escapes (\\n, \\x00) instead of dots\n"
	"  -X, --hex              show buffers in hex\n"
	"  -n, --limit N          stop after N matching events\n"
	"      --from T           only events at or after T\n"
	"      --to T             only events before T.  T is a time of day (14:03:07.5), a date\n"
	"                         and time (2026-11-22 14:03:07), or a duration from the start\n"
	"                         of the trace (+10s, 1.5ms, 2m)\n"
	"  -w, --write OUT        write the matching events to a new, self-contained trace\n"
	"                         instead of printing them (with the state they need).  OUT is\n"
	"                         created (mode 0600), or overwritten if it is a regular file of\n"
	"                         ours; a symbolic link, a FIFO, a device, a directory, another\n"
	"                         user's file, a hard-linked file or an input file is refused\n"
	"      --redact           with -w: leave out I/O buffers, command-line arguments and\n"
	"                         string arguments other than paths\n"
	"      --pcap OUT         write the matching packets (record --packets) to OUT instead of\n"
	"                         printing events: pcapng when OUT ends in .pcapng (interfaces\n"
	"                         named, with their container), else pcap; for tshark/Wireshark\n"
	"                         (OUT is created as with -w)\n"
	"      --packet-filter EXPR\n"
	"                         packets must also match this tcpdump expression\n"
	"      --count            print only the number of matching events\n"
	"      --symfs DIR        name sample addresses of objects the trace has no symbols of\n"
	"                         from DIR/.build-id/xx/yyyy.debug or DIR/PATH (build-ids checked)\n"
	"  -q, --quiet            no progress indicator\n"
	"  -h, --help             this text\n"
	"\n"
	"EXIT STATUS\n"
	"  0 success; 1 the file is truncated or corrupt (events up to there were shown), is not\n"
	"  a regular file (a FIFO, a pipe, a device), or output failed; 2 bad usage, a bad filter\n"
	"  or -w onto an input (nothing is read).  When stdout is a pipe closed early (| head),\n"
	"  replay stops, closes its files and ends by SIGPIPE (141 in the shell), silently.\n"
	"\n"
	"EXAMPLES\n"
	"  sysrec replay trace.sysrec\n"
	"  sysrec replay trace.sysrec proc.name=nginx and evt.type in (open,openat)\n"
	"  sysrec replay -j trace.sysrec 'fd.name startswith /etc' | jq .\n"
	"  sysrec replay -p '%proc.name %evt.latency %fd.name' trace.sysrec evt.latency > 1ms\n"
	"  sysrec replay -w web.sysrec --redact trace.sysrec container.name=web\n"
	"  sysrec replay -c syscall_stats trace.sysrec proc.name=nginx\n"
	"  sysrec replay -c 'fdbytes_by fd.name' trace.sysrec\n"
	"  sysrec replay --pcap web.pcapng --packet-filter 'tcp port 80' trace.sysrec \\\n"
	"      container.name=web\n";

enum { OPT_FROM = 256, OPT_TO, OPT_REDACT, OPT_COUNT, OPT_SYMFS, OPT_PCAP, OPT_PKT_FILTER };

struct replay_opts {
	bool json, redact, count, quiet;
	const char *format, *write, *from, *to, *chisel, *symfs, *pcap, *pkt_filter;
	enum sr_buf_fmt bf;
	uint64_t limit;
	const char **files;
	size_t file_cnt;
	char *filter;
};

static bool _is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* A word meant as a trace that cannot be one: a directory, or a missing *.sysrec. */
static bool _bad_file(const char *word)
{
	struct stat st;
	size_t len = strlen(word);

	if (!stat(word, &st))
		return S_ISDIR(st.st_mode);
	return len > 7 && !strcmp(word + len - 7, ".sysrec");
}

/* Does @out name one of the input files (same device and inode: a hard link, ./x and x,
 * a symbolic link to it)?  @out NULL: no. */
static bool _is_input(const struct replay_opts *o, const char *out)
{
	struct stat out_st, in_st;

	if (!out || stat(out, &out_st))
		return false;
	for (size_t i = 0; i < o->file_cnt; i++)
		if (!stat(o->files[i], &in_st) && in_st.st_dev == out_st.st_dev &&
		    in_st.st_ino == out_st.st_ino)
			return true;
	return false;
}

/* Files first; the first word that names no file starts the filter. */
static int _positionals(struct replay_opts *o, int argc, char **argv)
{
	size_t len = 0;
	int i = 0;

	o->files = (const char **)argv;
	while (i < argc && _is_file(argv[i]))
		i++;
	o->file_cnt = (size_t)i;
	if (i < argc && (!o->file_cnt || _bad_file(argv[i]))) {
		struct stat st;
		int err = stat(argv[i], &st) ? errno : S_ISDIR(st.st_mode) ? EISDIR : ENOENT;

		if (err == EISDIR)
			cli_err("%s: not a regular file (directory)", argv[i]);
		else
			cli_err("cannot open '%s': %s", argv[i], strerror(err));
		return -ENOENT;
	}
	if (!o->file_cnt) {
		cli_err("replay: no trace file given (see 'sysrec replay --help')");
		return -EINVAL;
	}
	for (int j = i; j < argc; j++)
		len += strlen(argv[j]) + 1;
	o->filter = calloc(1, len + 1);
	if (!o->filter)
		return -ENOMEM;
	for (int j = i; j < argc; j++) {
		if (j > i)
			strcat(o->filter, " ");
		strcat(o->filter, argv[j]);
	}
	return 0;
}

static int _parse(struct replay_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },     { "format", required_argument, NULL, 'p' },
		{ "chisel", required_argument, NULL, 'c' },
		{ "ascii", no_argument, NULL, 'A' },    { "hex", no_argument, NULL, 'X' },
		{ "limit", required_argument, NULL, 'n' },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		{ "write", required_argument, NULL, 'w' },
		{ "redact", no_argument, NULL, OPT_REDACT },
		{ "count", no_argument, NULL, OPT_COUNT },
		{ "symfs", required_argument, NULL, OPT_SYMFS },
		{ "pcap", required_argument, NULL, OPT_PCAP },
		{ "packet-filter", required_argument, NULL, OPT_PKT_FILTER },
		{ "quiet", no_argument, NULL, 'q' },    { "help", no_argument, NULL, 'h' },
		{},
	};
	char *end;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+c:jp:AXn:w:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->chisel = optarg; break;
		case 'j': o->json = true; break;
		case 'p': o->format = optarg; break;
		case 'A': o->bf = SR_BUF_ASCII; break;
		case 'X': o->bf = SR_BUF_HEX; break;
		case 'n':
			errno = 0;
			o->limit = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-') {
				cli_err("replay: bad -n '%s': expected a count", optarg);
				return -EINVAL;
			}
			break;
		case 'w': o->write = optarg; break;
		case OPT_FROM: o->from = optarg; break;
		case OPT_TO: o->to = optarg; break;
		case OPT_REDACT: o->redact = true; break;
		case OPT_COUNT: o->count = true; break;
		case OPT_SYMFS: o->symfs = optarg; break;
		case OPT_PCAP: o->pcap = optarg; break;
		case OPT_PKT_FILTER: o->pkt_filter = optarg; break;
		case 'q': o->quiet = true; break;
		case 'h':
			fputs(replay_usage, stdout);
			return 1;
		default:
			cli_err("replay: unknown option or missing value '%s' (see 'sysrec replay "
				"--help')", argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (o->chisel && (o->write || o->json || o->format || o->count)) {
		cli_err("replay: -c runs a chisel; it does not combine with -w, -j, -p or --count");
		return -EINVAL;
	}
	if (o->pcap && (o->write || o->chisel || o->count || o->json || o->format)) {
		cli_err("replay: --pcap writes packets; it does not combine with -w, -c, -j, -p or "
			"--count");
		return -EINVAL;
	}
	if (o->redact && !o->write) {
		cli_err("replay: --redact only applies to -w");
		return -EINVAL;
	}
	int err = _positionals(o, argc - optind, argv + optind);

	if (err)
		return err;
	if (_is_input(o, o->write) || _is_input(o, o->pcap)) {
		cli_err("replay: %s '%s' is one of the input files (it would be destroyed while read)",
			o->write ? "-w" : "--pcap", o->write ? o->write : o->pcap);
		return -EINVAL;
	}
	return 0;
}

struct progress {
	bool on;
	time_t last;
};

static void _progress(struct progress *p, const struct sr_input *in, uint64_t events,
		      uint64_t matched, bool final)
{
	uint64_t done, total;
	time_t now;

	if (!p->on)
		return;
	if (final) {
		fputs("\r\033[K", stderr);
		return;
	}
	now = time(NULL);
	if (now == p->last)
		return;
	p->last = now;
	sr_input__progress(in, &done, &total);
	fprintf(stderr, "\r\033[K[%3u%%] %" PRIu64 " events, %" PRIu64 " matched",
		total ? (unsigned int)(done * 100 / total) : 0, events, matched);
}

/* Report files that ended early; @return true if any did. */
static bool _report_damage(const struct sr_input *in)
{
	bool any = false;

	for (size_t i = 0; i < in->cnt; i++) {
		const struct sr_input_file *f = &in->files[i];
		const struct sr_diag *d;

		if (!f->err)
			continue;
		d = trace_reader__diag(f->r);
		any = true;
		cli_err("%s: %s (events before it were read)", f->path,
			d->msg[0] ? d->msg : sr_strerror(f->err));
	}
	return any;
}

struct run {
	struct replay_opts *o;
	struct sr_input in;
	struct sr_filter *filter;
	struct sr_output *out;
	struct sr_slice *slice;
	struct chisel_run *chisel;
	struct sr_pcap_out *pcap;
	struct sr_pkt_filter *pkt_filter;
	uint64_t pcap_cnt;
	struct sr_evt *ev;
	uint64_t from_wall, to_wall;
	uint64_t unknown[8]; /* records of unknown types, by type % 8, for one notice */
	uint64_t unknown_cnt;
};

/* A packet event as libpcap and the pcap writer see it. */
static void _pcap_pkt(const struct sr_evt *ev, struct sr_pcap_pkt *p, char *desc, size_t sz)
{
	const struct trace_rec *rec = ev->rec;

	*p = (struct sr_pcap_pkt){
		.wall_ns = ev->boot_time_ns + rec->ts,
		.netns = rec->ints[TR_PACKET_NETNS],
		.ifindex = (uint32_t)rec->ints[TR_PACKET_IFINDEX],
		.ifname = ev->pkt_ifname,
		.hatype = (uint16_t)rec->ints[TR_PACKET_HATYPE],
		.pkttype = (uint8_t)rec->ints[TR_PACKET_PKTTYPE],
		.ethertype = (uint16_t)rec->ints[TR_PACKET_ETHERTYPE],
		.data = rec->blob_cnt ? rec->blobs[0].data : NULL,
		.caplen = rec->blob_cnt ? rec->blobs[0].sz : 0,
		.wire_len = (uint32_t)rec->ints[TR_PACKET_WIRE_LEN],
	};
	if (!desc)
		return;
	if (ev->pkt_ctr)
		snprintf(desc, sz, "container %s (%.12s), netns %llu", ev->pkt_ctr->name,
			 ev->pkt_ctr->id, (unsigned long long)p->netns);
	else
		snprintf(desc, sz, "%s, netns %llu", ev->pkt_ctr_known ? "host" : "unknown",
			 (unsigned long long)p->netns);
	p->ifdesc = desc;
}

/* --packet-filter: packets must match it; other events are not concerned. */
static bool _packet_ok(struct run *run, const struct sr_evt *ev)
{
	struct sr_pcap_pkt p;

	if (!run->pkt_filter || ev->rec->type != TR_PACKET)
		return true;
	if (ev->rec->int_cnt < TR_PACKET_INT_CNT)
		return false;
	_pcap_pkt(ev, &p, NULL, 0);
	return sr_pkt_filter__match(run->pkt_filter, &p);
}

static int _pcap_write(struct run *run, const struct sr_evt *ev)
{
	struct sr_pcap_pkt p;
	char desc[200];

	if (ev->rec->type != TR_PACKET || ev->rec->int_cnt < TR_PACKET_INT_CNT)
		return 0;
	_pcap_pkt(ev, &p, desc, sizeof(desc));
	run->pcap_cnt++;
	return sr_pcap_out__write(run->pcap, &p);
}

static int _loop(struct run *run)
{
	struct replay_opts *o = run->o;
	struct progress prog = { .on = !o->quiet && isatty(2) };
	const struct trace_rec *rec;
	struct sr_input_file *file;
	uint64_t events = 0, matched = 0;
	struct sr_evt *ev = run->ev;
	char cerr[256] = "";
	int err = 0;

	while (sr_input__next(&run->in, &rec, &file) == 1) {
		uint64_t wall = file->boot_time_ns + rec->ts;
		bool event = rec->type < TR_THREAD;

		ev->rec = rec;
		ev->boot_time_ns = file->boot_time_ns;
		ev->start_wall = run->in.start_wall;
		sr_state__enter(file->st, ev);
		if (!trace_rec_type__get(rec->type))
			run->unknown_cnt++;
		else if (event) {
			ev->num = ++events;
			if (wall >= run->from_wall && wall < run->to_wall &&
			    sr_filter__match(run->filter, ev) && _packet_ok(run, ev)) {
				matched++;
				if (run->pcap)
					err = _pcap_write(run, ev);
				else if (run->chisel)
					err = chisel_run__event(run->chisel, ev, cerr, sizeof(cerr));
				else if (run->slice)
					err = sr_slice__event(run->slice, ev);
				else if (run->out)
					err = sr_output__event(run->out, ev);
			}
			if (!(events & 0xffff)) {
				_progress(&prog, &run->in, events, matched, false);
				/* A chisel prints by itself: notice a closed pipe for it. */
				if (run->chisel && ferror(stdout) && errno == EPIPE)
					err = -EPIPE;
			}
		} else if (run->slice) {
			err = sr_slice__meta(run->slice, rec, file->boot_time_ns);
		}
		sr_state__leave(file->st, ev);
		if (err || (o->limit && matched >= o->limit))
			break;
		/* Records are in time order up to the per-CPU merge; a second of slack. */
		if (run->to_wall != UINT64_MAX && wall > run->to_wall + 1000000000ull)
			break;
	}
	_progress(&prog, &run->in, events, matched, true);
	if (err == -EPIPE)
		return err; /* the reader is gone: nothing to say, nobody to say it to */
	if (err && run->chisel) {
		cli_err("%s", cerr);
		return err;
	}
	if (run->chisel)
		chisel_run__end(run->chisel);
	if (err) {
		cli_err("replay: cannot write the output: %s", sr_strerror(err));
		return err;
	}
	if (o->count)
		printf("%" PRIu64 "\n", matched);
	return 0;
}

/* The wall-clock time of the last record of all files (from their summaries). */
static uint64_t _end_wall(struct sr_input *in)
{
	uint64_t end = 0;

	for (size_t i = 0; i < in->cnt; i++) {
		const struct trace_summary *s;

		if (!trace_reader__summary(in->files[i].r, &s) && s->rec_cnt &&
		    in->files[i].boot_time_ns + s->max_ts > end)
			end = in->files[i].boot_time_ns + s->max_ts;
	}
	return end;
}

static int _times(struct run *run)
{
	struct replay_opts *o = run->o;

	run->from_wall = 0;
	run->to_wall = UINT64_MAX;
	if (o->from && sr_time_arg__parse(o->from, run->in.start_wall, &run->from_wall)) {
		cli_err("replay: bad --from '%s': expected 14:03:07[.5], 2026-11-22 14:03:07 or +10s",
			o->from);
		return -EINVAL;
	}
	if (o->to && sr_time_arg__parse(o->to, run->in.start_wall, &run->to_wall)) {
		cli_err("replay: bad --to '%s': expected 14:03:07[.5], 2026-11-22 14:03:07 or +10s",
			o->to);
		return -EINVAL;
	}
	return 0;
}

/* Stdout was a pipe whose reader went away: end by SIGPIPE (status 141 in the shell), as
 * cat and grep do, once every file is closed; no message. */
static void _exit_by_sigpipe(void)
{
	fflush(stderr);
	signal(SIGPIPE, SIG_DFL);
	raise(SIGPIPE);
	_exit(128 + SIGPIPE); /* unreachable, unless SIGPIPE is blocked */
}

int cmd_replay(int argc, char **argv)
{
	struct replay_opts o = {};
	struct run run = { .o = &o };
	struct sr_filter_err ferr = {};
	struct sr_diag diag = {};
	char err[256] = "";
	bool pipe_closed = false;
	int ret = EXIT_USAGE, lerr;

	/* A closed stdout pipe (`| head`) is an EPIPE we notice, so that -w and --pcap files are
	 * still closed properly; we then end the way cat or grep do. */
	signal(SIGPIPE, SIG_IGN);
	int pr = _parse(&o, argc, argv);

	if (pr == -ENOENT)
		ret = EXIT_FAIL; /* a trace that cannot be opened: a runtime failure, as in info */
	if (pr)
		goto out_opts;
	/* Everything the user typed is checked before the file is read. */
	if (sr_filter__compile(o.filter, &run.filter, &ferr)) {
		cli_err("filter: %s at column %zu", ferr.msg, ferr.column);
		goto out_opts;
	}
	if (o.pkt_filter && sr_pkt_filter__compile(o.pkt_filter, &run.pkt_filter, err, sizeof(err))) {
		cli_err("replay: %s", err);
		goto out;
	}
	if (o.chisel && chisel_run__open(o.chisel, stdout, &run.chisel, err, sizeof(err))) {
		if (err[0])
			cli_err("%s", err);
		goto out;
	}
	if (!o.write && !o.count && !o.chisel && !o.pcap && sr_output__new(stdout, o.json, o.format, o.bf, &run.out, err,
						    sizeof(err))) {
		cli_err("format: %s", err[0] ? err : "out of memory");
		goto out;
	}
	ret = EXIT_FAIL;
	run.ev = calloc(1, sizeof(*run.ev));
	if (!run.ev) {
		cli_err("replay: out of memory");
		goto out;
	}
	if (sr_input__open(&run.in, o.files, o.file_cnt, &diag)) {
		cli_err("%s", diag.msg[0] ? diag.msg : "cannot open the trace");
		goto out;
	}
	if (_times(&run)) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (run.chisel)
		chisel_run__set_span(run.chisel, run.in.start_wall, _end_wall(&run.in));
	for (size_t i = 0; o.symfs && i < run.in.state_cnt; i++)
		sr_symbols__set_symfs(sr_state__symbols(run.in.states[i]), o.symfs);
	if (o.write && sr_slice__open(&run.slice, o.write, &run.in, o.redact, err, sizeof(err))) {
		cli_err("%s", err);
		goto out;
	}
	if (o.pcap && sr_pcap_out__open(o.pcap, 65535, &run.pcap, err, sizeof(err))) {
		cli_err("replay: %s", err);
		goto out;
	}
	static char obuf[1 << 20];

	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	lerr = _loop(&run);
	pipe_closed = lerr == -EPIPE;
	ret = lerr ? EXIT_FAIL : EXIT_OK;
	if (run.slice && sr_slice__close(run.slice, err, sizeof(err))) {
		cli_err("%s", err);
		ret = EXIT_FAIL;
	}
	run.slice = NULL;
	if (run.pcap) {
		int perr = sr_pcap_out__close(run.pcap);

		run.pcap = NULL;
		if (perr) {
			cli_err("replay: cannot write '%s': %s", o.pcap, sr_strerror(perr));
			ret = EXIT_FAIL;
		} else {
			fprintf(stderr, "sysrec: wrote %" PRIu64 " packets to '%s'\n", run.pcap_cnt,
				o.pcap);
		}
	}
	if (fflush(stdout)) {
		if (errno == EPIPE)
			pipe_closed = true;
		else
			cli_err("replay: cannot write the output: %s", strerror(errno));
		ret = EXIT_FAIL;
	}
	if (run.unknown_cnt)
		fprintf(stderr, "sysrec: notice: skipped %" PRIu64 " records of types this version "
			"does not know (written by a newer sysrec)\n", run.unknown_cnt);
	if (_report_damage(&run.in))
		ret = EXIT_FAIL;
out:
	if (run.slice)
		sr_slice__abort(run.slice);
	chisel_run__free(run.chisel);
	sr_pcap_out__close(run.pcap);
	sr_pkt_filter__free(run.pkt_filter);
	sr_output__free(run.out);
	sr_filter__free(run.filter);
	sr_input__close(&run.in);
	free(run.ev);
out_opts:
	free(o.filter);
	if (pipe_closed)
		_exit_by_sigpipe();
	return pr == 1 ? EXIT_OK : ret;
}
