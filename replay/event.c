// SPDX-License-Identifier: Apache-2.0
#include "event.h"

const char *sr_evt__type_name(const struct sr_evt *ev)
{
	const struct trace_rec_type_info *ti;

	switch (ev->rec->type) {
	case TR_SYSCALL:
		return ev->sc ? ev->sc->name : "syscall";
	case TR_PROC_FORK:
		return "procfork";
	case TR_PROC_EXEC:
		return "procexec";
	case TR_PROC_EXIT:
		return "procexit";
	}
	ti = trace_rec_type__get(ev->rec->type);
	return ti ? ti->name : "unknown";
}
