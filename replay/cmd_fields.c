// SPDX-License-Identifier: Apache-2.0
/* `sysrec fields`: every field of the registry, for people (text), scripts (-j) and the
 * generated filter reference (--markdown, docs/filters.md). */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "fields.h"

static const char fields_usage[] =
	"USAGE\n"
	"  sysrec fields [-j | --markdown]\n"
	"\n"
	"List every field that filters, -p formats and chisels can use, with its type and\n"
	"description.  Fields with an argument are shown as NAME.ARG or NAME[N].\n"
	"\n"
	"OPTIONS\n"
	"  -j, --json     a JSON array of {name, type, arg, description}\n"
	"      --markdown a Markdown table (docs/filters.md is generated with it)\n"
	"  -h, --help     this text\n";

static const char *_arg_suffix(enum sr_field_arg a)
{
	switch (a) {
	case SR_FARG_INDEX: return "[N]";
	case SR_FARG_NAME_OR_INDEX: return ".NAME, [N]";
	default: return "";
	}
}

int cmd_fields(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' }, { "markdown", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' }, {},
	};
	const struct sr_field_def *all;
	bool json = false, md = false;
	size_t cnt;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'm': md = true; break;
		case 'h': fputs(fields_usage, stdout); return EXIT_OK;
		default: fputs("(see 'sysrec fields --help')\n", stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_err("fields: unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	all = sr_field__all(&cnt);
	if (json) {
		cJSON *arr = cJSON_CreateArray();
		char *text;

		for (size_t i = 0; arr && i < cnt; i++) {
			cJSON *o = cJSON_CreateObject();

			if (!o || !cJSON_AddStringToObject(o, "name", all[i].name) ||
			    !cJSON_AddStringToObject(o, "type", sr_ftype__name(all[i].type)) ||
			    !cJSON_AddStringToObject(o, "arg", _arg_suffix(all[i].arg)) ||
			    !cJSON_AddStringToObject(o, "description", all[i].desc)) {
				cJSON_Delete(o);
				cJSON_Delete(arr);
				arr = NULL;
				break;
			}
			cJSON_AddItemToArray(arr, o);
		}
		text = arr ? cJSON_Print(arr) : NULL;
		cJSON_Delete(arr);
		if (!text) {
			cli_err("fields: out of memory");
			return EXIT_FAIL;
		}
		puts(text);
		free(text);
		return EXIT_OK;
	}
	if (md)
		printf("| Field | Type | Description |\n| --- | --- | --- |\n");
	for (size_t i = 0; i < cnt; i++) {
		char name[96];
		const char *sfx = all[i].arg == SR_FARG_INDEX ? "[N]" :
				  all[i].arg == SR_FARG_NAME_OR_INDEX ? ".NAME" : "";

		snprintf(name, sizeof(name), "%s%s", all[i].name, sfx);
		if (md && all[i].arg == SR_FARG_NAME_OR_INDEX)
			printf("| `%s.NAME`, `%s[N]` | %s | %s |\n", all[i].name, all[i].name,
			       sr_ftype__name(all[i].type), all[i].desc);
		else if (md)
			printf("| `%s` | %s | %s |\n", name, sr_ftype__name(all[i].type),
			       all[i].desc);
		else
			printf("%-20s %-9s %s\n", name, sr_ftype__name(all[i].type), all[i].desc);
	}
	return EXIT_OK;
}
