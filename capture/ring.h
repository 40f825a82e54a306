/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading a BPF ring buffer through its memory mapping (the kernel's UAPI layout: a consumer
 * position page, a producer position page, then the data pages mapped twice so a record never
 * wraps).  libbpf 1.1's ring_buffer__consume() publishes the consumer position after every
 * record, which costs the producer 25-35 ns per record in cache-line traffic; here records
 * are peeked and consumed locally and the position is published once per batch.
 *
 * Single consumer.  Invariant: cons <= producer position; records between the published and
 * the local position stay valid until ring__publish().
 */
#ifndef SYSREC_RING_H
#define SYSREC_RING_H

#include <stddef.h>
#include <stdint.h>

struct ring {
	int fd;
	size_t data_sz;              /* power of two */
	size_t page_sz;
	unsigned long *consumer_pos; /* mapped read-write */
	unsigned long *producer_pos; /* mapped read-only, followed by the data */
	const uint8_t *data;
	uint64_t cons;     /* local consumer position */
	uint64_t prod;     /* producer position last read */
};

/* Map ring buffer @fd of @data_sz bytes.  @return 0 or -errno. */
int ring__init(struct ring *r, int fd, size_t data_sz);
void ring__release(struct ring *r);

/*
 * ring__peek - the next committed record, or NULL when none is ready (empty, or the next one
 * is still being written).  Discarded records are skipped.  *@len gets the record's length.
 * The pointer stays valid until ring__publish().
 */
const void *ring__peek(struct ring *r, uint32_t *len);

/* Step past the record ring__peek() returned (of @len bytes). */
void ring__consume(struct ring *r, uint32_t len);

/* Hand the consumed space back to the producer. */
void ring__publish(struct ring *r);

/* Bytes committed or in flight that are not consumed yet. */
uint64_t ring__pending(struct ring *r);

#endif
