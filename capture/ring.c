// SPDX-License-Identifier: Apache-2.0
/* Ring-buffer reading over the mmap'ed UAPI layout (see ring.h). */
#include <errno.h>
#include <linux/bpf.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ring.h"

int ring__init(struct ring *r, int fd, size_t data_sz)
{
	void *p;

	r->fd = fd;
	r->data_sz = data_sz;
	r->page_sz = (size_t)sysconf(_SC_PAGESIZE);
	r->cons = r->prod = 0;
	p = mmap(NULL, r->page_sz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	r->consumer_pos = p;
	/* The data is mapped twice after the producer page, so a record can be read in place. */
	p = mmap(NULL, r->page_sz + 2 * data_sz, PROT_READ, MAP_SHARED, fd, (off_t)r->page_sz);
	if (p == MAP_FAILED) {
		int err = -errno;

		munmap(r->consumer_pos, r->page_sz);
		r->consumer_pos = NULL;
		return err;
	}
	r->producer_pos = p;
	r->data = (const uint8_t *)p + r->page_sz;
	r->cons = __atomic_load_n(r->consumer_pos, __ATOMIC_ACQUIRE);
	return 0;
}

void ring__release(struct ring *r)
{
	if (r->consumer_pos)
		munmap(r->consumer_pos, r->page_sz);
	if (r->producer_pos)
		munmap(r->producer_pos, r->page_sz + 2 * r->data_sz);
	r->consumer_pos = r->producer_pos = NULL;
}

const void *ring__peek(struct ring *r, uint32_t *len)
{
	for (;;) {
		if (r->cons == r->prod) {
			r->prod = __atomic_load_n(r->producer_pos, __ATOMIC_ACQUIRE);
			if (r->cons == r->prod)
				return NULL;
		}
		const uint32_t *hdr = (const uint32_t *)(r->data + (r->cons & (r->data_sz - 1)));
		uint32_t h = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);

		if (h & BPF_RINGBUF_BUSY_BIT)
			return NULL;
		*len = h & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
		if (h & BPF_RINGBUF_DISCARD_BIT) {
			ring__consume(r, *len);
			continue;
		}
		return (const uint8_t *)hdr + BPF_RINGBUF_HDR_SZ;
	}
}

void ring__consume(struct ring *r, uint32_t len)
{
	r->cons += (len + BPF_RINGBUF_HDR_SZ + 7) & ~7u;
}

void ring__publish(struct ring *r)
{
	__atomic_store_n(r->consumer_pos, r->cons, __ATOMIC_RELEASE);
}

uint64_t ring__pending(struct ring *r)
{
	return __atomic_load_n(r->producer_pos, __ATOMIC_ACQUIRE) - r->cons;
}
