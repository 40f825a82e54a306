/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The description of a SystemTap SDT note (type 3, name "stapsdt"), read from a binary the
 * traced program chose (with --container, the container's):
 *
 *   addr pc, addr base, addr semaphore   (@addr_sz bytes each: 8 in ELF64, 4 in ELF32)
 *   provider NUL  name NUL  arguments NUL   e.g. "8@%rbp -4@%eax"
 *
 * Every string must end inside the note: a note that does not is refused, not followed.
 */
#ifndef SYSREC_USDT_NOTE_H
#define SYSREC_USDT_NOTE_H

#include <stddef.h>

struct usdt_note {
	const char *provider, *name, *args; /* borrowed from the note's bytes */
};

/*
 * usdt_note__parse - the strings of the note description @desc (@desc_sz bytes).
 * @return 0, or -EBADMSG when the note is too short or a string runs past its end.
 */
int usdt_note__parse(const char *desc, size_t desc_sz, size_t addr_sz, struct usdt_note *out);

#endif
