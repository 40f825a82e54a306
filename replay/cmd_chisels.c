// SPDX-License-Identifier: Apache-2.0
/* `sysrec chisels`: the stock chisels, with their descriptions and arguments. */
#include <stdio.h>
#include <string.h>

#include "chisel_run.h"
#include "commands.h"

static const char chisels_usage[] =
	"USAGE\n"
	"  sysrec chisels\n"
	"\n"
	"List the stock chisels: name, arguments and what each reports.  Run one with\n"
	"  sysrec replay -c 'NAME [ARG...]' FILE [FILTER]\n"
	"or a chisel of your own, built as a .so against sysrec_chisel.h (docs/chisels.md):\n"
	"  sysrec replay -c './my_chisel.so [ARG...]' FILE [FILTER]\n";

int cmd_chisels(int argc, char **argv)
{
	const struct sysrec_chisel *const *all;
	size_t cnt;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(chisels_usage, stdout);
		return EXIT_OK;
	}
	if (argc > 1) {
		cli_err("chisels: unexpected argument '%s' (see 'sysrec chisels --help')", argv[1]);
		return EXIT_USAGE;
	}
	all = chisels__stock(&cnt);
	for (size_t i = 0; i < cnt; i++) {
		char head[96];

		snprintf(head, sizeof(head), "%s %s", all[i]->name, all[i]->args ? all[i]->args : "");
		printf("%-34s %s\n", head, all[i]->description);
	}
	return EXIT_OK;
}
