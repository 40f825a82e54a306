// SPDX-License-Identifier: Apache-2.0
#include <inttypes.h>
#include <string.h>

#include "stack_fmt.h"
#include "symbols.h"

/* One frame: its function, else [object+0xoffset-in-mapping], else the address. */
static void _frame(struct sr_evt *ev, uint64_t ip, bool kernel, struct sr_str *s)
{
	struct sr_sym sym;
	const char *obj;

	sr_symbols__resolve(sr_state__symbols(ev->st), (uint32_t)ev->rec->ints[1], ip, kernel, &sym);
	if (sym.name) {
		sr_str__puts(s, sym.name);
	} else if (sym.object) {
		obj = strrchr(sym.object, '/');
		sr_str__printf(s, "[%s]", obj ? obj + 1 : sym.object);
	} else {
		sr_str__printf(s, "0x%" PRIx64, ip);
	}
	if (kernel)
		sr_str__puts(s, "_[k]");
}

static const uint64_t *_ips(const struct sr_evt *ev, int which, size_t *cnt)
{
	const struct trace_blob *b = which < ev->rec->blob_cnt ? &ev->rec->blobs[which] : NULL;

	*cnt = b ? b->sz / sizeof(uint64_t) : 0;
	return b ? b->data : NULL;
}

bool sr_stack__text(struct sr_evt *ev, int kinds, enum sr_stack_style style, struct sr_str *s)
{
	size_t un = 0, kn = 0, n = 0;
	const uint64_t *u, *k;
	uint64_t ip;

	if (ev->rec->type != TR_SAMPLE || ev->rec->int_cnt < 2)
		return false;
	u = _ips(ev, 0, &un);
	k = _ips(ev, 1, &kn);
	if (!(kinds & SR_STACK_USER))
		un = 0;
	if (!(kinds & SR_STACK_KERNEL))
		kn = 0;
	if (!un && !kn)
		return false;
	if (style == SR_STACK_FOLDED) { /* user outermost first, then kernel outermost first */
		for (size_t i = un; i-- > 0; n++) {
			memcpy(&ip, &u[i], sizeof(ip));
			if (n)
				sr_str__putn(s, ";", 1);
			_frame(ev, ip, false, s);
		}
		for (size_t i = kn; i-- > 0; n++) {
			memcpy(&ip, &k[i], sizeof(ip));
			if (n)
				sr_str__putn(s, ";", 1);
			_frame(ev, ip, true, s);
		}
		return true;
	}
	for (size_t i = 0; i < kn; i++, n++) {
		memcpy(&ip, &k[i], sizeof(ip));
		if (n)
			sr_str__puts(s, " <- ");
		_frame(ev, ip, true, s);
	}
	for (size_t i = 0; i < un; i++, n++) {
		memcpy(&ip, &u[i], sizeof(ip));
		if (n)
			sr_str__puts(s, " <- ");
		_frame(ev, ip, false, s);
	}
	return true;
}

const char *sr_stack__leaf(struct sr_evt *ev)
{
	size_t un, kn;
	const uint64_t *u = _ips(ev, 0, &un), *k = _ips(ev, 1, &kn);
	struct sr_sym sym;
	uint64_t ip;

	if (ev->rec->type != TR_SAMPLE || ev->rec->int_cnt < 2 || (!un && !kn))
		return NULL;
	memcpy(&ip, kn ? k : u, sizeof(ip));
	sr_symbols__resolve(sr_state__symbols(ev->st), (uint32_t)ev->rec->ints[1], ip, kn > 0, &sym);
	return sym.name;
}
