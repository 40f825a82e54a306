/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The flight recorder's control socket and its client, `sysrec trigger`.
 *
 * A recording with --flight-recorder listens on RUN_DIR/record.PID.sock (RUN_DIR is
 * /run/sysrec, or $SYSREC_RUN_DIR): the directory is root's with mode 0700 and the socket
 * 0600, and the peer's credentials must be root's, so only root can trigger a dump.  The
 * protocol is one line each way: "trigger REASON\n", then, once the dump is written,
 * "ok PATH\n" or "error MESSAGE\n".  `sysrec trigger` is cmd_trigger() (commands.h).
 */
#ifndef SYSREC_CONTROL_H
#define SYSREC_CONTROL_H

#include <stddef.h>

struct control;

/* Listen for this process.  @return 0 and *@out, or -errno with one line in @err. */
int control__open(struct control **out, char *err, size_t err_sz);

/*
 * control__poll - take one waiting request, without blocking.
 * @return 1 with the client's connection in *@client (answer it, then close it) and its
 *         reason; 0 when there is none.
 */
int control__poll(struct control *c, int *client, char *reason, size_t reason_sz);

/* Stop listening and remove the socket (NULL is allowed). */
void control__close(struct control *c);


#endif
