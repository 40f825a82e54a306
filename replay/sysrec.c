// SPDX-License-Identifier: Apache-2.0
/* The sysrec command: a table of subcommands, as bpftool's cmd_select() does. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "sr_log.h"

#ifndef SYSREC_VERSION
#define SYSREC_VERSION "unknown"
#endif

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct cmd cmds[] = {
#ifdef SYSREC_HAVE_CAPTURE
	{ "record", cmd_record, "record syscalls and process lifecycle of the host, processes or a command" },
	{ "trigger", cmd_trigger, "make a running flight recorder (record --flight-recorder) write its window" },
#endif
	{ "replay", cmd_replay, "print, filter or slice the events of traces, with the state of their host" },
	{ "info", cmd_info, "header, machine, time span, counts, drops, containers and processes of a trace" },
	{ "fields", cmd_fields, "every field that filters, formats and chisels can use" },
	{ "chisels", cmd_chisels, "every stock chisel, with its description and arguments" },
};

void cli_err(const char *fmt, ...)
{
	va_list ap;

	fputs("sysrec: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void _usage(FILE *f)
{
	fprintf(f, "USAGE\n  sysrec COMMAND [OPTIONS] [ARGS]\n  sysrec --version\n\nCOMMANDS\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\n`sysrec COMMAND --help` describes each command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		_usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		_usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("sysrec %s\n", SYSREC_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	cli_err("unknown command '%s' (see 'sysrec --help')", argv[1]);
	return EXIT_USAGE;
}
