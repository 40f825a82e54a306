// SPDX-License-Identifier: Apache-2.0
/*
 * `sysrec record`: load the driver, snapshot /proc, and drain the rings into a trace file until
 * the command exits, the duration or event count is reached, or SIGINT/SIGTERM arrives; the
 * file is always closed properly.  The loop: drain what is old enough to be in order, sleep
 * about a millisecond when there was nothing, write the drop counters and flush the writer
 * every second (which bounds what a kill -9 can lose).
 */
#include <bpf/libbpf.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mono_clock.h"
#include "bpf_driver.h"
#include "checkpoint.h"
#include "commands.h"
#include "control.h"
#include "containers.h"
#include "kernel_features.h"
#include "ifaces.h"
#include "packets.h"
#include "users.h"
#include "event_table.h"
#include "proc_snapshot.h"
#include "probes.h"
#include "proc_syms.h"
#include "rec_filter.h"
#include "sampler.h"
#include "segments.h"
#include "records.h"
#include "recorder.h"
#include "filter.h"
#include "sr_log.h"
#include "trace_writer.h"

#define MAX_PIDS 4096
#define MAX_CONTAINERS 16
#define MERGE_SLACK_NS 2000000ull /* 2 ms: records younger than this wait for the next pass */
#define POLL_NS 1000000L          /* pause between passes */

static const char record_usage[] =
	"USAGE\n"
	"  sysrec record [OPTIONS] [-- COMMAND [ARG...]]\n"
	"\n"
	"Record every syscall (with decoded arguments, results and latency), process fork, exec\n"
	"and exit of the whole host, of some processes and their descendants (-p), or of COMMAND\n"
	"and its descendants, into a trace file.  Without COMMAND, recording goes on until -d, -n\n"
	"or Ctrl-C; with it, until COMMAND exits, and sysrec exits with COMMAND's status.  Needs\n"
	"root.  The file always ends valid: after SIGINT, SIGTERM, SIGHUP (a closed terminal or\n"
	"ssh session), SIGQUIT and SIGPIPE, and up to its last complete chunk (at most about the\n"
	"last second is lost) after a crash, a kill -9 or a full disk.\n"
	"\n"
	"OPTIONS\n"
	"  -o FILE              trace file to write (default trace.sysrec; mode 0600).  A new\n"
	"                       file is created; an existing regular file of ours is\n"
	"                       overwritten; a symbolic link, a FIFO, a device, a directory,\n"
	"                       another user's file or a file with several hard links is\n"
	"                       refused\n"
	"  -d SECS              stop after SECS seconds\n"
	"  -n EVENTS            stop after about EVENTS records\n"
	"  -p PID[,PID...]      record these processes and their descendants\n"
	"      --container ID|NAME[,...]\n"
	"                       record only these containers (runc state, or the id in the\n"
	"                       cgroup of docker, podman, cri-o, containerd); a process started\n"
	"                       in one later is recorded too\n"
	"  -e SYSCALL[,...]     record only these syscalls (names as in `man 2`)\n"
	"      --sample EVENT[:HZ]\n"
	"                       sample a perf event on every CPU with user and kernel stacks\n"
	"                       (cycles, instructions, cache-misses, branch-misses, cpu-clock,\n"
	"                       task-clock; default 99 Hz; repeatable); without a hardware PMU,\n"
	"                       cpu-clock is used instead, with a notice\n"
	"      --probe SPEC     record hits of a probe (repeatable): tracepoint:CAT:NAME,\n"
	"                       uprobe:PATH:FUNC[+OFF] [ARG...], uretprobe:PATH:FUNC [ARG...],\n"
	"                       usdt:PATH:PROVIDER:NAME [ARG...]; ARG is [NAME=]$argN|$retval|%%REG\n"
	"                       [:u64|s64|x64|u32|s32|string]; with --container, PATH is the\n"
	"                       container's file.  kprobe:FUNC, kretprobe:FUNC, fentry:FUNC and\n"
	"                       fexit:FUNC [ARG...] where the kernel allows them (arguments typed\n"
	"                       from BTF when none are given; :string, :ustring)\n"
	"      --packets [IFACE|all]\n"
	"                       capture packets on every interface (or IFACE) of each network\n"
	"                       namespace recorded: the host's, each container's; each packet\n"
	"                       is tagged with its interface, namespace and direction\n"
	"      --packet-filter EXPR\n"
	"                       keep only the packets that match a tcpdump expression\n"
	"      --packet-snaplen N\n"
	"                       bytes kept per packet from the IP header on (default 256)\n"
	"      --packet-buffer MB\n"
	"                       kernel buffer per network namespace (default 8)\n"
	"  -F FILTER            keep only the events that match FILTER (the syntax of\n"
	"                       'sysrec replay'); each kept event comes with the state it needs\n"
	"  -s SNAPLEN           bytes of I/O buffers kept (default 80, at most 4096)\n"
	"      --rotate-size MB go on in a new file when the current one reaches MB; files are\n"
	"                       named by their start time (-o t.sysrec gives t-TIME.sysrec, TIME\n"
	"                       like 20261122T120803.512Z) and each starts with the whole state,\n"
	"                       so it reads alone; `sysrec replay t-*.sysrec` merges them\n"
	"      --rotate-time SECS\n"
	"                       the same every SECS seconds (SIGUSR1: at once)\n"
	"      --keep N         keep only the newest N files (rotated files, or dumps)\n"
	"      --flight-recorder SIZE\n"
	"                       keep only the most recent SIZE (e.g. 256M, 1G; a plain number is\n"
	"                       MB) of compressed trace, in memory, and write it as one file on a\n"
	"                       trigger: SIGUSR1, `sysrec trigger`, --trigger, and the end of the\n"
	"                       recording; dumps are named by the trigger's time\n"
	"      --post SECS      with --flight-recorder: go on SECS seconds after a trigger before\n"
	"                       the dump (default 0)\n"
	"      --trigger FILTER with --flight-recorder: trigger when an event matches FILTER\n"
	"  -z LEVEL             zstd level of the file (default 1)\n"
	"      --buffer-size MB ring buffer per CPU (default 8)\n"
	"      --no-latency     do not hook syscall entry (cheaper; no latency, no pending calls)\n"
	"      --features       print what this kernel allows (BTF, tp_btf, ring buffer, kprobes,\n"
	"                       fentry, lockdown, PMU, ...) and exit: 1 if record cannot run\n"
	"  -v                   verbose (-v -v: libbpf and verifier messages)\n"
	"  -h, --help           this text\n"
	"\n"
	"EXAMPLES\n"
	"  sysrec record -o ls.sysrec -- ls -l /tmp\n"
	"  sysrec record -d 10 -o host.sysrec\n"
	"  sysrec record -p 1234 -e openat,read,write -s 256\n"
	"  sysrec record -F 'fd.name startswith /etc and not proc.name=cron' -d 60\n"
	"  sysrec record --container web -d 30 -o web.sysrec\n"
	"  sysrec record --sample cpu-clock:999 -o prof.sysrec -- ./myprog\n"
	"  sysrec record --probe 'uretprobe:/bin/bash:readline $retval:string' -d 60\n"
	"  sysrec record --probe tracepoint:syscalls:sys_enter_openat -d 5\n"
	"  sysrec record --container web --packets --packet-filter 'tcp port 80' -d 30\n"
	"  sysrec record --rotate-time 3600 --keep 24 -o /var/log/sysrec/host.sysrec\n"
	"  sysrec record --flight-recorder 256M --post 5 -o /var/tmp/incident.sysrec \\\n"
	"      --trigger 'proc.pname=bash and evt.type=execve and evt.arg.filename contains nc'\n";

static volatile sig_atomic_t stop_requested, usr1_requested;

static void _on_signal(int sig)
{
	if (sig == SIGUSR1)
		usr1_requested = 1;
	else
		stop_requested = 1;
}

/* Every signal that would end the recorder by default ends it with a complete file instead:
 * Ctrl-C, kill, a closed terminal or ssh session (SIGHUP), Ctrl-\ (SIGQUIT), a closed pipe
 * on stderr (SIGPIPE; the write itself then fails with EPIPE).  SA_RESTART: start-up's system
 * calls go on; the main loop sees the flag within a millisecond. */
static void _catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1 };
	struct sigaction sa = { .sa_handler = _on_signal, .sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

struct record_opts {
	const char *out;
	double duration;
	uint64_t max_events;
	pid_t pids[MAX_PIDS];
	size_t pid_cnt;
	uint64_t syscall_on[SR_NR_MAX / 64];
	bool syscalls_given;
	uint32_t snaplen;
	int zstd_level;
	uint32_t ring_mb;
	bool no_latency;
	const char *filter_text;
	struct sample_event samples[SAMPLER_MAX_EVENTS];
	size_t sample_cnt;
	struct probe_spec *probes; /* SR_MAX_PROBES */
	size_t probe_cnt;
	struct sr_filter *filter; /* compiled -F, handed to the rec_filter */
	char **cmd;
	char *container_args; /* --container value, resolved after the driver's checks */
	struct container_info *ctrs[MAX_CONTAINERS];
	size_t ctr_cnt;
	bool packets;
	struct packets_opts pkt;
	struct segments_opts seg;
	const char *trigger_text;
	struct sr_filter *trigger; /* compiled --trigger, handed to the checkpoint */
};

static int _parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;

	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);

	if (errno || end == s || *end || v > max || *s == '-')
		return -EINVAL;
	*out = v;
	return 0;
}

static int _parse_list(char *arg, int (*one)(const char *item, struct record_opts *o),
		       struct record_opts *o)
{
	for (char *save = NULL, *tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int err = one(tok, o);

		if (err)
			return err;
	}
	return 0;
}

/* --flight-recorder SIZE: 256M, 1G, 512K (or KB, KiB), or a plain number of MB.  At least 8 MB
 * (8 pieces of 1 MB: a piece must hold a few chunks). */
static int _parse_size(const char *s, uint64_t *out)
{
	static const char units[] = "KMG";
	const char *unit;
	uint64_t mult = 1 << 20;
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end != s && *end && (unit = strchr(units, toupper((unsigned char)*end)))) {
		mult = 1ull << (10 * (unit - units + 1));
		end++;
		end += !strcmp(end, "iB") ? 2 : !strcmp(end, "B") ? 1 : 0;
	}
	if (errno || end == s || *end || v * (double)mult < 8 * 1048576.0 || v * (double)mult > 1e15) {
		cli_err("record: --flight-recorder: '%s' is not a size of at least 8M (e.g. 256M, 1G)", s);
		return -EINVAL;
	}
	*out = (uint64_t)(v * (double)mult);
	return 0;
}

static int _add_pid(const char *s, struct record_opts *o)
{
	uint64_t v;

	if (_parse_u64(s, 0x3fffffff, &v) || !v) {
		cli_err("record: -p: '%s' is not a process id", s);
		return -EINVAL;
	}
	if (kill((pid_t)v, 0) && errno == ESRCH) {
		cli_err("record: -p: no process %s", s);
		return -ESRCH;
	}
	if (o->pid_cnt < MAX_PIDS)
		o->pids[o->pid_cnt++] = (pid_t)v;
	return 0;
}

/* -e NAME: the syscall of that name in both ABIs (an ia32 program's openat is an openat
 * too); socketcall as well where an ia32 socket operation reaches the kernel through it. */
static int _add_syscall(const char *s, struct record_opts *o)
{
	int ids[4], cnt = sr_syscall__ids(s, 0, ids, 4);

	if (cnt <= 0) {
		cli_err("record: -e: unknown syscall '%s'", s);
		return -EINVAL;
	}
	for (int i = 0; i < cnt && i < 4; i++) {
		int id = ids[i];

		if (id >= SR_NR_MAX)
			continue;
		o->syscall_on[id / 64] |= 1ull << (id % 64);
		if (sr_syscall__via_socketcall(id)) {
			id = SR_COMPAT_BASE + SR_NR_SOCKETCALL_I386;
			o->syscall_on[id / 64] |= 1ull << (id % 64);
		}
	}
	o->syscalls_given = true;
	return 0;
}

static int _parse(int argc, char **argv, struct record_opts *o)
{
	enum { OPT_BUFFER = 256, OPT_NO_LATENCY, OPT_CONTAINER, OPT_SAMPLE, OPT_PROBE, OPT_PACKETS,
	       OPT_PACKET_FILTER, OPT_PACKET_SNAPLEN, OPT_PACKET_BUFFER, OPT_FEATURES,
	       OPT_ROTATE_SIZE, OPT_ROTATE_TIME, OPT_KEEP, OPT_FLIGHT, OPT_POST, OPT_TRIGGER };
	static const struct option opts[] = {
		{ "rotate-size", required_argument, NULL, OPT_ROTATE_SIZE },
		{ "rotate-time", required_argument, NULL, OPT_ROTATE_TIME },
		{ "keep", required_argument, NULL, OPT_KEEP },
		{ "flight-recorder", required_argument, NULL, OPT_FLIGHT },
		{ "post", required_argument, NULL, OPT_POST },
		{ "trigger", required_argument, NULL, OPT_TRIGGER },
		{ "packets", optional_argument, NULL, OPT_PACKETS },
		{ "features", no_argument, NULL, OPT_FEATURES },
		{ "packet-filter", required_argument, NULL, OPT_PACKET_FILTER },
		{ "packet-snaplen", required_argument, NULL, OPT_PACKET_SNAPLEN },
		{ "packet-buffer", required_argument, NULL, OPT_PACKET_BUFFER },
		{ "probe", required_argument, NULL, OPT_PROBE },
		{ "sample", required_argument, NULL, OPT_SAMPLE },
		{ "container", required_argument, NULL, OPT_CONTAINER },
		{ "buffer-size", required_argument, NULL, OPT_BUFFER },
		{ "no-latency", no_argument, NULL, OPT_NO_LATENCY },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	char *end;
	int c;

	o->out = "trace.sysrec";
	o->snaplen = 80;
	o->zstd_level = 1;
	o->ring_mb = 8;
	o->pkt.snaplen = 256;
	o->pkt.buf_mb = 8;
	optind = 1;
	opterr = 0;
	/* '+': stop at the first non-option, so COMMAND's own options stay its own. */
	while ((c = getopt_long(argc, argv, "+o:d:n:p:e:F:s:z:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->out = optarg;
			break;
		case 'd':
			errno = 0;
			o->duration = strtod(optarg, &end);
			if (errno || end == optarg || *end || o->duration <= 0) {
				cli_err("record: -d: '%s' is not a positive number of seconds", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'n':
			if (_parse_u64(optarg, UINT64_MAX, &o->max_events) || !o->max_events) {
				cli_err("record: -n: '%s' is not a positive count", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'p':
			if (_parse_list(optarg, _add_pid, o))
				return EXIT_USAGE;
			break;
		case 'e':
			if (_parse_list(optarg, _add_syscall, o))
				return EXIT_USAGE;
			break;
		case 'F':
			o->filter_text = optarg;
			break;
		case 's':
			if (_parse_u64(optarg, SR_ITEM_MAX, &v)) {
				cli_err("record: -s: '%s' is not a snaplen from 0 to %d", optarg, SR_ITEM_MAX);
				return EXIT_USAGE;
			}
			o->snaplen = (uint32_t)v;
			break;
		case 'z':
			if (_parse_u64(optarg, 19, &v) || !v) {
				cli_err("record: -z: '%s' is not a zstd level from 1 to 19", optarg);
				return EXIT_USAGE;
			}
			o->zstd_level = (int)v;
			break;
		case OPT_BUFFER:
			if (_parse_u64(optarg, 1024, &v) || !v) {
				cli_err("record: --buffer-size: '%s' is not a size from 1 to 1024 MB", optarg);
				return EXIT_USAGE;
			}
			o->ring_mb = (uint32_t)v;
			break;
		case OPT_NO_LATENCY:
			o->no_latency = true;
			break;
		case OPT_PACKETS:
			o->packets = true;
			/* `--packets eth0` as well as `--packets=eth0`: a following word that is not
			 * an option (nor the `--` before COMMAND) names the interface */
			if (!optarg && optind < argc && argv[optind][0] != '-')
				optarg = argv[optind++];
			o->pkt.iface = optarg;
			break;
		case OPT_PACKET_FILTER:
			o->pkt.filter = optarg;
			break;
		case OPT_PACKET_SNAPLEN:
			if (_parse_u64(optarg, 65535, &v) || v < 20) {
				cli_err("record: --packet-snaplen: '%s' is not a size from 20 to 65535", optarg);
				return EXIT_USAGE;
			}
			o->pkt.snaplen = (uint32_t)v;
			break;
		case OPT_PACKET_BUFFER:
			if (_parse_u64(optarg, 1024, &v) || !v) {
				cli_err("record: --packet-buffer: '%s' is not a size from 1 to 1024 MB", optarg);
				return EXIT_USAGE;
			}
			o->pkt.buf_mb = (uint32_t)v;
			break;
		case OPT_CONTAINER:
			o->container_args = optarg;
			break;
		case OPT_ROTATE_SIZE:
			if (_parse_u64(optarg, 1 << 20, &v) || !v) {
				cli_err("record: --rotate-size: '%s' is not a size from 1 to 1048576 MB", optarg);
				return EXIT_USAGE;
			}
			o->seg.rotate_bytes = v << 20;
			break;
		case OPT_ROTATE_TIME:
		case OPT_POST: {
			double secs;

			errno = 0;
			secs = strtod(optarg, &end);
			if (errno || end == optarg || *end || secs < (c == OPT_POST ? 0 : 0.1) || secs > 1e7) {
				cli_err("record: --%s: '%s' is not a number of seconds%s",
					c == OPT_POST ? "post" : "rotate-time", optarg,
					c == OPT_POST ? "" : " (at least 0.1)");
				return EXIT_USAGE;
			}
			*(c == OPT_POST ? &o->seg.post_ns : &o->seg.rotate_ns) = (uint64_t)(secs * 1e9);
			break;
		}
		case OPT_KEEP:
			if (_parse_u64(optarg, 1000000, &v) || !v) {
				cli_err("record: --keep: '%s' is not a count from 1 to 1000000", optarg);
				return EXIT_USAGE;
			}
			o->seg.keep = (uint32_t)v;
			break;
		case OPT_FLIGHT:
			if (_parse_size(optarg, &o->seg.flight_bytes))
				return EXIT_USAGE;
			break;
		case OPT_TRIGGER:
			o->trigger_text = optarg;
			break;
		case OPT_PROBE: {
			char err[300];

			if (!o->probes)
				o->probes = calloc(SR_MAX_PROBES, sizeof(*o->probes));
			if (!o->probes || o->probe_cnt == SR_MAX_PROBES) {
				cli_err("record: at most %d --probe", SR_MAX_PROBES);
				return EXIT_USAGE;
			}
			if (probe_spec__parse(optarg, &o->probes[o->probe_cnt], err, sizeof(err))) {
				cli_err("record: %s", err);
				return EXIT_USAGE;
			}
			o->probe_cnt++;
			break;
		}
		case OPT_SAMPLE: {
			char err[200];

			if (o->sample_cnt == SAMPLER_MAX_EVENTS) {
				cli_err("record: at most %d --sample events", SAMPLER_MAX_EVENTS);
				return EXIT_USAGE;
			}
			if (sample_event__parse(optarg, &o->samples[o->sample_cnt], err, sizeof(err))) {
				cli_err("record: %s", err);
				return EXIT_USAGE;
			}
			o->sample_cnt++;
			break;
		}
		case 'v':
			sr_log_set_level(sr_log_get_level() >= SR_LOG_INFO ? SR_LOG_DEBUG : SR_LOG_INFO);
			break;
		case 'h':
			fputs(record_usage, stdout);
			return -1;
		case OPT_FEATURES:
			libbpf_set_print(NULL); /* the probes' refusals are the answers, not noise */
			return features__print(stdout) ? EXIT_FAIL : -1;
		default:
			cli_err("record: unknown option or missing value '%s' (see 'sysrec record --help')",
				argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		o->cmd = &argv[optind];
	if (o->cmd && (o->pid_cnt || o->container_args)) {
		cli_err("record: -p or --container and a COMMAND cannot be combined");
		return EXIT_USAGE;
	}
	if (o->seg.flight_bytes && (o->seg.rotate_bytes || o->seg.rotate_ns)) {
		cli_err("record: --flight-recorder keeps a window in memory; it cannot be combined with --rotate-size or --rotate-time");
		return EXIT_USAGE;
	}
	if (!o->seg.flight_bytes && (o->seg.post_ns || o->trigger_text)) {
		cli_err("record: --%s needs --flight-recorder SIZE", o->trigger_text ? "trigger" : "post");
		return EXIT_USAGE;
	}
	if (o->seg.keep && !o->seg.flight_bytes && !o->seg.rotate_bytes && !o->seg.rotate_ns) {
		cli_err("record: --keep needs --rotate-size, --rotate-time or --flight-recorder");
		return EXIT_USAGE;
	}
	if (o->trigger_text) {
		struct sr_filter_err ferr = {};

		if (sr_filter__compile(o->trigger_text, &o->trigger, &ferr)) {
			cli_err("record: --trigger: %s at column %zu", ferr.msg, ferr.column);
			return EXIT_USAGE;
		}
	}
	if (o->pkt.filter && !o->packets)
		o->packets = true; /* --packet-filter alone implies --packets */
	if (o->packets) {
		char perr[600];

		if (packets__check(&o->pkt, perr, sizeof(perr))) {
			cli_err("record: %s", perr);
			return EXIT_USAGE;
		}
	}
	if (o->filter_text) {
		struct sr_filter_err ferr = {};

		if (sr_filter__compile(o->filter_text, &o->filter, &ferr)) {
			cli_err("filter: %s at column %zu", ferr.msg, ferr.column);
			return EXIT_USAGE;
		}
	}
	return 0;
}

/* Start COMMAND stopped on a pipe, so that it execs only once the driver traces it. */
static pid_t _spawn(char **cmd, int *go_fd)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		char go;

		close(p[1]);
		if (read(p[0], &go, 1) != 1)
			_exit(127); /* the recorder failed to start */
		execvp(cmd[0], cmd);
		fprintf(stderr, "sysrec: record: cannot run '%s': %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	close(p[0]);
	*go_fd = p[1];
	return pid;
}

static bool _pid_listed(const struct record_opts *o, pid_t pid)
{
	for (size_t i = 0; i < o->pid_cnt; i++)
		if (o->pids[i] == pid)
			return true;
	return false;
}

/* The snapshot's selection: the listed processes, and those in the selected containers. */
static bool _selected(pid_t pid, void *ctx)
{
	const struct record_opts *o = ctx;
	char cg[4096];

	if (o->pid_cnt && !_pid_listed(o, pid))
		return false;
	if (!o->ctr_cnt)
		return true;
	if (proc_cgroup_path(pid, cg, sizeof(cg)))
		return false;
	for (size_t i = 0; i < o->ctr_cnt; i++) {
		size_t len = strlen(o->ctrs[i]->cgroup);

		if (!strncmp(cg, o->ctrs[i]->cgroup, len) && (cg[len] == 0 || cg[len] == '/'))
			return true;
	}
	return false;
}

/* Resolve --container and open each container's cgroup for the driver.  @return 0 or exit code. */
static int _resolve_containers(struct record_opts *o, struct containers *ctrs, int *fds)
{
	for (char *save = NULL, *tok = strtok_r(o->container_args, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		struct container_info *ci = containers__find(ctrs, tok);
		char path[1024];

		if (!ci) {
			cli_err("record: --container: no running container '%s'", tok);
			return EXIT_FAIL;
		}
		if (o->ctr_cnt == MAX_CONTAINERS) {
			cli_err("record: --container: at most %d containers", MAX_CONTAINERS);
			return EXIT_USAGE;
		}
		snprintf(path, sizeof(path), "%s%s", containers__cgroup_root(ctrs), ci->cgroup);
		fds[o->ctr_cnt] = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fds[o->ctr_cnt] < 0) {
			cli_err("record: --container: cannot open cgroup '%s': %s", path, strerror(errno));
			return EXIT_FAIL;
		}
		o->ctrs[o->ctr_cnt++] = ci;
	}
	return 0;
}

static int _set_props(struct trace_props *p, const struct record_opts *o, int argc, char **argv)
{
	char cmdline[4096] = "sysrec";
	size_t len = strlen(cmdline);
	int err;

	for (int i = 0; i < argc && len < sizeof(cmdline) - 2; i++)
		len += (size_t)snprintf(cmdline + len, sizeof(cmdline) - len, " %s", argv[i]);
	err = trace_props__set_machine(p);
	err = err ?: trace_props__set_str(p, "capture.tool", "sysrec " SYSREC_VERSION);
	err = err ?: trace_props__set_str(p, "capture.cmdline", cmdline);
	err = err ?: trace_props__set_u64(p, "capture.snaplen", o->snaplen);
	err = err ?: trace_props__set_u64(p, "capture.latency", !o->no_latency);
	if (o->packets) {
		err = err ?: trace_props__set_str(p, "capture.packets", o->pkt.iface ? o->pkt.iface : "all");
		err = err ?: trace_props__set_u64(p, "capture.packet_snaplen", o->pkt.snaplen);
		if (o->pkt.filter)
			err = err ?: trace_props__set_str(p, "capture.packet_filter", o->pkt.filter);
	}
	if (o->filter_text)
		err = err ?: trace_props__set_str(p, "capture.filter", o->filter_text);
	err = err ?: trace_props__set_str(p, "capture.scope", o->cmd ? "command" : o->pid_cnt ? "pids" :
					  o->ctr_cnt ? "containers" : "host");
	err = err ?: trace_props__set_u64(p, "capture.start_ns", mono_ns());
	return err;
}

struct session {
	struct record_opts *o;
	struct bpf_driver *drv;
	struct trace_writer *w;
	struct recorder *rec;
	pid_t child;
	int child_status;
	bool child_done;
	bool cpu_warned;
	uint64_t written;
	struct packets *pkts;  /* --packets, or NULL */
	uint64_t pkt_drops_written;
	struct segments *sg;    /* rotation or flight recorder, or NULL */
	struct checkpoint *cp;  /* with sg: the state each new piece starts with */
	struct control *ctl;    /* flight recorder: `sysrec trigger` */
};

/* Triggers of the flight recorder (or, with rotation, SIGUSR1: rotate now). */
static void _triggers(struct session *s)
{
	char reason[400], desc[200];
	uint64_t ts;
	int client;

	if (usr1_requested) {
		usr1_requested = 0;
		if (s->sg)
			segments__trigger(s->sg, checkpoint__last_ts(s->cp), "SIGUSR1", -1);
		else
			sr_warn("record: SIGUSR1 ignored (it triggers --flight-recorder and rotation)");
	}
	while (control__poll(s->ctl, &client, reason, sizeof(reason)))
		segments__trigger(s->sg, checkpoint__last_ts(s->cp), reason, client);
	/* A filter that keeps matching makes one dump at a time, not one per match: matches
	 * while a dump waits or is written belong to it. */
	if (s->cp && s->o->trigger_text && checkpoint__take_trigger(s->cp, &ts, desc, sizeof(desc))) {
		snprintf(reason, sizeof(reason), "--trigger '%s': %s", s->o->trigger_text, desc);
		if (segments__busy(s->sg))
			sr_info("record: flight recorder: during a dump: %s", reason);
		else
			segments__trigger(s->sg, ts, reason, -1);
	}
}

static void _open_packets_here(void *ctx, uint64_t netns)
{
	packets__open_here(ctx, netns);
}

/* Packets lost so far, as a DROPS record when the count changed. */
static int _packet_drops(struct session *s, uint64_t ts)
{
	struct trace_rec rec = { .type = TR_DROPS, .ts = ts, .int_cnt = 3 };
	uint64_t n;

	if (!s->pkts)
		return 0;
	n = packets__drops(s->pkts);
	if (n == s->pkt_drops_written)
		return 0;
	s->pkt_drops_written = n;
	rec.ints[TR_DROPS_CPU] = 0;
	rec.ints[TR_DROPS_KIND] = TR_DROP_KIND_PACKET;
	rec.ints[TR_DROPS_COUNT] = n;
	return trace_writer__append(s->w, &rec);
}

/* A process of the first --container (its probes' paths are in its root), or 0. */
static pid_t _container_pid(const struct record_opts *o, const int *cg_fds)
{
	char buf[32] = "";
	int fd;

	if (!o->ctr_cnt)
		return 0;
	fd = openat(cg_fds[0], "cgroup.procs", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	close(fd);
	return (pid_t)strtol(buf, NULL, 10);
}

/* CPU time of every selected thread into the rings; a kernel without task iterators only
 * loses the CPU events (said once). */
static int _cpu_times(struct session *s)
{
	int err = bpf_driver__cpu_times(s->drv);

	if (err && !s->cpu_warned) {
		sr_warn("record: no CPU time per thread: %s", sr_strerror(err));
		s->cpu_warned = true;
	}
	return 0;
}

/* The main loop; returns 0 or the first error. */
static int _run(struct session *s)
{
	uint64_t start = mono_ns(), last_tick = start;
	int err = 0;

	while (!stop_requested) {
		uint64_t now = mono_ns();
		int64_t n;

		if (s->pkts)
			packets__poll(s->pkts);
		n = recorder__drain(s->rec, now - MERGE_SLACK_NS);

		if (n < 0)
			return (int)n;
		s->written += (uint64_t)n;
		if (s->sg) {
			_triggers(s);
			err = segments__tick(s->sg, now);
			if (err)
				return err;
		}
		if (now - last_tick >= 1000000000ull) {
			last_tick = now;
			err = recorder__note_drops(s->rec, now);
			err = err ?: _packet_drops(s, now);
			err = err ?: _cpu_times(s);
			err = err ?: trace_writer__flush(s->w, 0);
			if (err)
				return err;
		}
		if (s->o->duration > 0 && now - start >= (uint64_t)(s->o->duration * 1e9))
			break;
		if (s->o->max_events && s->written >= s->o->max_events)
			break;
		if (s->child > 0 && waitpid(s->child, &s->child_status, WNOHANG) == s->child) {
			s->child_done = true;
			break;
		}
		/* Always pause between passes: a consumer that keeps touching the rings while
		 * the producers write them costs them ~400 ns per record in cache-line traffic.
		 * Only a ring filling up (a quarter full) shortens the pause. */
		if (!recorder__rings_filling(s->rec)) {
			struct timespec ts = { 0, POLL_NS };

			nanosleep(&ts, NULL);
		}
	}
	return 0;
}

int cmd_record(int argc, char **argv)
{
	struct record_opts *o = calloc(1, sizeof(*o));
	struct session s = { .o = o, .child = -1 };
	struct bpf_driver_opts dopts = { .sz = sizeof(dopts) };
	struct trace_writer_opts wopts = { .sz = sizeof(wopts) };
	struct trace_props *props = NULL;
	struct rec_filter *flt = NULL;
	struct sampler *smp = NULL;
	struct probes *prb = NULL;
	struct proc_syms *syms = NULL;
	struct proc_snapshot_stats snap = { 0 };
	struct trace_writer_stats wst;
	struct sr_diag diag = { 0 };
	struct containers *ctrs = NULL;
	struct users *users = NULL;
	struct ifaces *ifaces = NULL;
	int cg_fds[MAX_CONTAINERS];
	int go_fd = -1, err, rc = EXIT_FAIL;

	if (!o)
		return EXIT_FAIL;
	rc = _parse(argc, argv, o);
	if (rc) {
		free(o->probes);
		free(o);
		return rc < 0 ? EXIT_OK : rc;
	}
	rc = EXIT_FAIL;
	if (o->cmd) {
		s.child = _spawn(o->cmd, &go_fd);
		if (s.child < 0) {
			cli_err("record: cannot start '%s': %s", o->cmd[0], strerror(errno));
			goto out;
		}
		o->pids[o->pid_cnt++] = s.child;
	} else if (o->pid_cnt) {
		/* Descendants that exist now; later ones are added by the driver at fork. */
		size_t given = o->pid_cnt;

		for (size_t i = 0; i < given; i++) {
			pid_t tree[MAX_PIDS];
			size_t cnt = proc_snapshot__descendants(o->pids[i], tree, MAX_PIDS);

			for (size_t k = 1; k < cnt && o->pid_cnt < MAX_PIDS; k++)
				if (!_pid_listed(o, tree[k]))
					o->pids[o->pid_cnt++] = tree[k];
		}
	}

	/* Before the file is created (COMMAND keeps the default handlers): a signal during
	 * start-up ends with a complete file too, the loop sees it at once. */
	_catch_signals();
	err = users__new(&users);
	err = err ?: ifaces__new(&ifaces);
	err = err ?: containers__new(&ctrs);
	if (!err && o->packets) {
		err = packets__new(&o->pkt, &s.pkts);
		if (!err)
			ifaces__set_ns_hook(ifaces, _open_packets_here, s.pkts);
	}
	if (err) {
		cli_err("record: %s", sr_strerror(err));
		goto out;
	}
	if (o->container_args) {
		rc = _resolve_containers(o, ctrs, cg_fds);
		if (rc)
			goto out;
		rc = EXIT_FAIL;
		dopts.cgroup_fds = cg_fds;
		dopts.cgroup_cnt = o->ctr_cnt;
	}
	dopts.pids = o->pid_cnt ? o->pids : NULL;
	dopts.pid_cnt = o->pid_cnt;
	dopts.snaplen = o->snaplen;
	dopts.ring_sz = o->ring_mb << 20;
	while (dopts.ring_sz & (dopts.ring_sz - 1)) /* round down to a power of two */
		dopts.ring_sz &= dopts.ring_sz - 1;
	dopts.no_latency = o->no_latency;
	dopts.syscall_on = o->syscalls_given ? o->syscall_on : NULL;
	dopts.kind_cnt[0] = (uint32_t)o->sample_cnt;
	for (size_t i = 0; i < o->probe_cnt; i++) {
		int k = o->probes[i].kind;

		if (k > 0 && k < 10) {
			dopts.kind_cnt[k]++;
			dopts.kind_id[k] = (uint32_t)i;
		}
	}
	err = bpf_driver__open(&dopts, &s.drv, &diag);
	if (err) {
		cli_err("record: %s", diag.err ? diag.msg : sr_strerror(err));
		goto out;
	}

	err = trace_props__new(&props);
	err = err ?: _set_props(props, o, argc - 1, argv + 1);
	if (err) {
		cli_err("record: %s", sr_strerror(err));
		goto out;
	}
	wopts.zstd_level = o->zstd_level;
	o->seg.out = o->out;
	o->seg.zstd_level = o->zstd_level;
	if (o->seg.flight_bytes || o->seg.rotate_bytes || o->seg.rotate_ns) {
		char serr[600];

		err = segments__open(&o->seg, props, &s.sg, &s.w, serr, sizeof(serr));
		if (err) {
			cli_err("%s", serr);
			goto out;
		}
	} else {
		diag = (struct sr_diag){ 0 };
		err = trace_writer__create(o->out, props, &wopts, &s.w, &diag);
		if (err) {
			cli_err("record: cannot create '%s': %s", o->out,
				diag.err ? diag.msg : sr_strerror(err));
			goto out;
		}
	}
	if (o->seg.flight_bytes) {
		char cerr[600];

		err = control__open(&s.ctl, cerr, sizeof(cerr));
		if (err) {
			cli_err("record: flight recorder: %s", cerr);
			goto out;
		}
	}
	err = recorder__new(s.drv, s.w, ctrs, users, ifaces, &s.rec);
	if (!err && s.pkts)
		recorder__set_packets(s.rec, s.pkts);
	if (!err && o->filter) {
		err = rec_filter__new(o->filter, s.w, trace_props__u64(props, "machine.boot_time_ns", 0),
				      &flt);
		if (!err) {
			o->filter = NULL; /* flt owns it */
			recorder__set_filter(s.rec, flt);
		}
	}
	if (!err && s.sg) {
		/* After the filter: the checkpoint sees what is written, and chains to it. */
		err = checkpoint__new(s.w, trace_props__u64(props, "machine.boot_time_ns", 0),
				      o->trigger, &s.cp);
		if (!err) {
			o->trigger = NULL; /* the checkpoint owns it */
			segments__set_checkpoint(s.sg, s.cp);
		}
	}
	if (err) {
		cli_err("record: %s", sr_strerror(err));
		goto out;
	}
	if (o->probe_cnt) {
		char perr[600];

		err = probes__open(s.drv, o->probes, o->probe_cnt, _container_pid(o, cg_fds), &prb,
				   perr, sizeof(perr));
		if (err) {
			cli_err("record: %s", perr);
			goto out;
		}
		err = probes__write_defs(prb, s.w, mono_ns());
		if (err) {
			cli_err("record: %s", sr_strerror(err));
			goto out;
		}
	}
	if (o->sample_cnt) {
		char serr[256];

		err = sampler__open(bpf_driver__sample_prog(s.drv), o->samples, o->sample_cnt, &smp,
				    serr, sizeof(serr));
		if (err) {
			cli_err("record: %s", serr);
			goto out;
		}
		err = sampler__write_defs(o->samples, o->sample_cnt, s.w, mono_ns());
		err = err ?: proc_syms__new(&syms);
		if (err) {
			cli_err("record: %s", sr_strerror(err));
			goto out;
		}
		recorder__set_symbols(s.rec, syms);
	}
	/* Attached first, then the snapshot: a process that starts meanwhile is seen twice,
	 * never missed. */
	err = proc_snapshot__write(s.w, mono_ns(), o->pid_cnt || o->ctr_cnt ? _selected : NULL, o,
				   ctrs, users, ifaces, &snap);
	if (err) {
		cli_err("record: '%s': %s", o->out, sr_strerror(err));
		goto out;
	}
	if (recorder__cpu_baseline(s.rec))
		sr_warn("record: no CPU time per thread (the kernel has no task iterator)");
	if (go_fd >= 0) {
		if (write(go_fd, "g", 1) != 1)
			sr_warn("record: cannot start the command: %s", strerror(errno));
		close(go_fd);
		go_fd = -1;
	}
	sr_info("recording %s to '%s' (%u processes, %u threads, %u fds at start)",
		o->cmd ? o->cmd[0] : o->pid_cnt ? "processes" : o->ctr_cnt ? "containers" : "the host",
		s.sg ? segments__current(s.sg) : o->out, snap.proc_cnt, snap.thread_cnt, snap.fd_cnt);
	if (o->seg.flight_bytes)
		fprintf(stderr, "sysrec: flight recorder: keeping the last %.0f MB in memory; "
			"trigger with SIGUSR1 (kill -USR1 %d) or `sysrec trigger`\n",
			(double)o->seg.flight_bytes / 1048576, (int)getpid());

	err = _run(&s);
	if (!err) {
		sampler__close(smp); /* no samples after the stop */
		smp = NULL;
		probes__close(prb);
		prb = NULL;
		err = bpf_driver__stop(s.drv);
		if (err)
			sr_warn("record: cannot list the calls still in progress: %s", sr_strerror(err));
		err = _cpu_times(&s);
	}
	if (!err) {
		/* Settle: what the kernel still puts in the rings is collected, including the
		 * final CPU time of the last processes, which comes when they are freed, after
		 * an RCU grace period (tens of ms). */
		struct timespec ts = { 0, 60000000 };

		nanosleep(&ts, NULL);
		if (s.pkts)
			packets__poll(s.pkts);
		int64_t n = recorder__drain(s.rec, UINT64_MAX);

		if (n < 0)
			err = (int)n;
		else
			s.written += (uint64_t)n;
	}
	if (!err)
		err = recorder__note_drops(s.rec, mono_ns());
	if (!err)
		err = _packet_drops(&s, mono_ns());
	trace_writer__stats(s.w, &wst);
	if (s.sg) {
		int cerr;

		if (err) /* said once here; the last window is still written */
			cli_err("record: %s", sr_strerror(err));
		control__close(s.ctl); /* no trigger after the stop */
		s.ctl = NULL;
		cerr = segments__finish(s.sg);
		s.w = NULL;
		if (err || cerr)
			goto out;
	} else {
		int cerr = trace_writer__close(s.w);

		s.w = NULL;
		err = err ?: cerr;
	}
	if (err) {
		cli_err("record: '%s': %s (the file is readable up to its last complete chunk)", o->out,
			sr_strerror(err));
		goto out;
	}
	if (o->seg.flight_bytes)
		fprintf(stderr, "sysrec: flight recorder: %llu records seen, %llu file%s written; "
			"%llu events lost\n", (unsigned long long)wst.rec_cnt,
			(unsigned long long)segments__files(s.sg), segments__files(s.sg) == 1 ? "" : "s",
			(unsigned long long)recorder__drops_total(s.rec));
	else if (s.sg)
		fprintf(stderr, "sysrec: wrote %llu records to %llu files ('%s' last); %llu events lost\n",
			(unsigned long long)wst.rec_cnt, (unsigned long long)segments__files(s.sg),
			segments__current(s.sg), (unsigned long long)recorder__drops_total(s.rec));
	else
		fprintf(stderr, "sysrec: wrote %llu records to '%s'; %llu events lost\n",
			(unsigned long long)wst.rec_cnt, o->out,
			(unsigned long long)recorder__drops_total(s.rec));
	if (flt) {
		uint64_t seen, kept;

		rec_filter__counts(flt, &seen, &kept);
		fprintf(stderr, "sysrec: -F kept %llu of %llu events\n", (unsigned long long)kept,
			(unsigned long long)seen);
	}
	if (s.pkts) {
		uint64_t pk;
		size_t ns;

		packets__stats(s.pkts, &pk, &ns);
		fprintf(stderr, "sysrec: %llu packets from %zu network namespace%s; %llu lost\n",
			(unsigned long long)pk, ns, ns == 1 ? "" : "s",
			(unsigned long long)s.pkt_drops_written);
	}
	if (recorder__bad_records(s.rec))
		sr_warn("record: %llu malformed driver records skipped",
			(unsigned long long)recorder__bad_records(s.rec));
	rc = EXIT_OK;
	if (s.child > 0) {
		if (!s.child_done)
			waitpid(s.child, &s.child_status, 0);
		s.child_done = true;
		rc = WIFEXITED(s.child_status) ? WEXITSTATUS(s.child_status)
					       : 128 + WTERMSIG(s.child_status);
	}
out:
	if (go_fd >= 0)
		close(go_fd); /* the child sees EOF and exits 127 */
	if (s.child > 0 && !s.child_done)
		waitpid(s.child, NULL, 0);
	sampler__close(smp);
	probes__close(prb);
	control__close(s.ctl);
	if (s.sg)
		segments__free(s.sg); /* closes the writer */
	else
		trace_writer__close(s.w); /* before the filter: it observes the writer */
	checkpoint__free(s.cp);
	sr_filter__free(o->trigger);
	rec_filter__free(flt);
	proc_syms__free(syms);
	sr_filter__free(o->filter);
	recorder__free(s.rec);
	bpf_driver__close(s.drv);
	trace_props__free(props);
	for (size_t i = 0; i < o->ctr_cnt; i++)
		close(cg_fds[i]);
	containers__free(ctrs);
	users__free(users);
	ifaces__free(ifaces);
	packets__free(s.pkts);
	free(o->probes);
	free(o);
	return rc;
}
