/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The subcommands of the sysrec binary, one file each (cmd_*.c), dispatched by sysrec.c.
 * Each takes argc/argv starting at its own name and returns the process exit code:
 * 0 success, 1 runtime failure (bad or truncated file, I/O), 2 bad usage.
 */
#ifndef SYSREC_COMMANDS_H
#define SYSREC_COMMANDS_H

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

int cmd_info(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_fields(int argc, char **argv);
int cmd_chisels(int argc, char **argv);
int cmd_record(int argc, char **argv); /* capture/cmd_record.c, full builds only */
int cmd_trigger(int argc, char **argv); /* capture/control.c, full builds only */

/* Print "sysrec: <message>" on stderr (one line). */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
