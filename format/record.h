/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The record: the unit a trace file stores.  Every record, event or metadata, has the same
 * shape: a type, a timestamp, a cpu and a thread id, up to TRACE_REC_MAX_INTS integers and up
 * to TRACE_REC_MAX_BLOBS byte strings.  What the integers and blobs mean is given per type by
 * the record-type table (trace_rec_type__get()); the encoding never depends on it, so a reader
 * decodes record types it does not know and can skip them.
 *
 * ints[0] is the record's key (the syscall number of a SYSCALL, the tid of a THREAD, ...): the
 * encoder stores the other ints as differences against the last record with the same type and
 * key, which is what makes consecutive calls of one syscall cost about a byte.
 *
 * Times are nanoseconds of the capture host's CLOCK_MONOTONIC (bpf_ktime_get_ns()); the header
 * property "machine.boot_time_ns" converts them to wall-clock time.
 */
#ifndef SYSREC_RECORD_H
#define SYSREC_RECORD_H

#include <stddef.h>
#include <stdint.h>

#define TRACE_REC_MAX_INTS 32
#define TRACE_REC_MAX_BLOBS 8
#define TRACE_BLOB_MAX_SZ (16u << 20) /* for one blob, and for all blobs of a record together */

/* Writer hint (not stored): the blob is likely to repeat (a path, a name): intern it. */
#define TRACE_BLOB_F_INTERN 0x0001

struct trace_blob {
	const void *data; /* borrowed; see trace_reader__next() for its lifetime */
	uint32_t sz;
	uint16_t tag;   /* stored; meaning per record type (e.g. which syscall argument) */
	uint16_t flags; /* TRACE_BLOB_F_*, writer hints only, 0 when read back */
};

struct trace_rec {
	uint64_t ts;  /* ns, capture host CLOCK_MONOTONIC */
	uint32_t tid; /* thread id in the initial pid namespace; 0 for host-wide metadata */
	uint16_t type; /* enum trace_rec_type, or a type this build does not know */
	uint16_t cpu;
	uint8_t int_cnt;  /* <= TRACE_REC_MAX_INTS */
	uint8_t blob_cnt; /* <= TRACE_REC_MAX_BLOBS */
	uint64_t ints[TRACE_REC_MAX_INTS];
	struct trace_blob blobs[TRACE_REC_MAX_BLOBS];
};

/*
 * Record types of format v1.  Never renumber; new types take new numbers.  Types 1-15 are
 * events, 16 and up metadata (state snapshots and updates, symbols, formats, counters).
 * The field lists live in record_types.c and docs/format.md.
 */
enum trace_rec_type {
	TR_SYSCALL = 1,
	TR_PROC_FORK = 2,
	TR_PROC_EXEC = 3,
	TR_PROC_EXIT = 4,
	TR_PROBE_HIT = 5,
	TR_SAMPLE = 6,
	TR_PACKET = 7,
	TR_CPU = 8,
	TR_THREAD = 16,
	TR_FD = 17,
	TR_CONTAINER = 18,
	TR_USER = 19,
	TR_GROUP = 20,
	TR_IFACE = 21,
	TR_SYMBOLS = 22,
	TR_TP_FORMAT = 23,
	TR_DROPS = 24,
	TR_PROBE_DEF = 25,
	TR_MAPPING = 26,
	TR_TYPE_MAX = 64, /* the chunk type mask has one bit per type below this */
};

/* Positions of the fields the format itself interprets (summary and catalog). */
enum {
	TR_THREAD_TID = 0, /* key */
	TR_THREAD_PID = 1,
	TR_THREAD_PPID = 2,
	TR_THREAD_BLOB_COMM = 0,
	TR_THREAD_BLOB_EXE = 1,
	TR_THREAD_BLOB_CONTAINER_ID = 5,
	TR_THREAD_FLAGS = 10,
	TR_EXEC_FLAGS = 2,    /* TR_EXEC_F_* */
	TR_EXEC_ARGS_LEN = 3, /* the whole argument area, in bytes */
	TR_DROPS_CPU = 0, /* key */
	TR_DROPS_KIND = 1,
	TR_DROPS_COUNT = 2, /* cumulative since the capture started */
	TR_DROPS_FLAGS = 3, /* TR_DROPS_F_*; absent: 0 */
	TR_CONTAINER_BLOB_ID = 0,
	TR_CONTAINER_BLOB_NAME = 1,
	TR_CONTAINER_BLOB_IMAGE = 2,
	TR_CONTAINER_BLOB_RUNTIME = 3,
};

/* TR_PROBE_DEF kinds (ints[1]); ints[2] is the frequency of a sample event. */
enum tr_probe_kind {
	TR_PROBE_SAMPLE = 1,     /* a --sample perf event; spec = its name ("cpu-clock") */
	TR_PROBE_TRACEPOINT = 2,
	TR_PROBE_UPROBE = 3,
	TR_PROBE_URETPROBE = 4,
	TR_PROBE_USDT = 5,
	TR_PROBE_KPROBE = 6,
	TR_PROBE_KRETPROBE = 7,
	TR_PROBE_FENTRY = 8,
	TR_PROBE_FEXIT = 9,
};

/* TR_SAMPLE: ints event_id (key: the PROBE_DEF id), pid, value (the counter), period;
 * blobs user_stack, kernel_stack: return addresses, innermost first, u64 little-endian. */

/* TR_PACKET: a packet seen on an interface (record --packets), from its network header on.
 * ints ifindex (key), netns (inode: with ifindex, names the interface of an IFACE record),
 * direction (0 received, 1 sent), wire_len (of the L3 packet), ethertype (0x0800, 0x86dd,
 * ...), pkttype (PACKET_HOST .. PACKET_OUTGOING, as the kernel gives it), hatype (ARPHRD_*
 * of the interface); blob data (the first bytes, up to the packet snaplen).  tid is 0: a
 * packet belongs to an interface, not to a thread. */
enum {
	TR_PACKET_IFINDEX = 0,
	TR_PACKET_NETNS = 1,
	TR_PACKET_DIRECTION = 2,
	TR_PACKET_WIRE_LEN = 3,
	TR_PACKET_ETHERTYPE = 4,
	TR_PACKET_PKTTYPE = 5,
	TR_PACKET_HATYPE = 6,
	TR_PACKET_INT_CNT = 7,
};
/* A DROPS record that restates the count at the start of a rotated file or a flight-recorder
 * window: drops in the file are later counts minus it. */
#define TR_DROPS_F_BASELINE 0x1
/* TR_DROPS kinds written by user space (the driver's, 0 and 1, are in records.h). */
#define TR_DROP_KIND_PACKET 2 /* packets lost: a packet socket's buffer, or the merge queue */
/* TR_CPU: ints tid (key), pid, cpu_ns (CPU time used since the thread's previous CPU record,
 * or since the capture started), total_ns (since the thread started). */

/* TR_SYSCALL flags (ints[3]). */
#define TR_SC_F_NO_LATENCY 0x1 /* the call's entry was not seen: latency_ns is 0 */
#define TR_SC_F_PENDING 0x2    /* still blocked when the capture stopped: ts is the stop time,
				* latency_ns the time blocked so far, ret 0 (no result) */

/* TR_FD: ints pid (key), fd, fd_type, flags (open flags, from fdinfo), l4proto (IPPROTO_*),
 * sport, dport, ino; blobs name (path, "ip:port->ip:port", unix path, "pipe:[ino]", ...),
 * sip, dip (4 or 16 bytes, network order). */
enum tr_fd_type {
	TR_FD_OTHER = 0,
	TR_FD_FILE = 1,
	TR_FD_DIRECTORY = 2,
	TR_FD_IPV4 = 3,
	TR_FD_IPV6 = 4,
	TR_FD_UNIX = 5,
	TR_FD_PIPE = 6,
	TR_FD_EVENT = 7,
	TR_FD_SIGNALFD = 8,
	TR_FD_EVENTPOLL = 9,
	TR_FD_INOTIFY = 10,
	TR_FD_TIMERFD = 11,
	TR_FD_NETLINK = 12,
	TR_FD_BPF = 13,
	TR_FD_PIDFD = 14,
	TR_FD_IO_URING = 15,
	TR_FD_USERFAULTFD = 16,
	TR_FD_SOCKET = 17, /* a socket of another family, or one not found in the tables */
};

/* TR_FD flags (ints[3]) bit 31: only the socket's addresses changed (after a connect,
 * accept or bind): update them on the fd as known, keep the rest. */
#define TR_FD_F_ADDR_ONLY 0x80000000u

/* TR_PROC_EXEC flags (ints[TR_EXEC_FLAGS]). */
#define TR_EXEC_F_ARGS_CUT 0x1 /* the args blob holds only its first bytes */

/* TR_THREAD flags (ints[TR_THREAD_FLAGS]). */
#define TR_THREAD_F_SNAPSHOT 0x1 /* from the /proc snapshot at capture start */
#define TR_THREAD_F_ARGS_CUT 0x2 /* args holds only the first bytes of the arguments */

struct trace_rec_type_info {
	uint16_t type;
	const char *name;           /* lower case, e.g. "syscall" */
	const char *description;
	const char *const *int_names;  /* NULL-terminated; names of ints[0..] */
	const char *const *blob_names; /* NULL-terminated; names of blobs[0..] */
};

/* The description of @type, or NULL when this build does not know it.  Static storage. */
const struct trace_rec_type_info *trace_rec_type__get(unsigned int type);

/* Every known type in numeric order; *@cnt receives the count.  Static storage. */
const struct trace_rec_type_info *trace_rec_type__all(size_t *cnt);

#endif
