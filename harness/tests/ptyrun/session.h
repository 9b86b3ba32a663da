/* session: the command on its pseudo-terminal. Starts it (forkpty, its
 * environment changes, execvp), runs the I/O loop that logs the terminal's
 * output and keeps what is not yet consumed for matching, does the actions
 * one by one, and at the end hangs up, ends and reaps the command. Owns the
 * pty master, the log file and the SIGCHLD wake-up pipe. */
#ifndef PTYRUN_SESSION_H
#define PTYRUN_SESSION_H

#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/types.h>

#include "script.h"

#define TAIL_MAX 400 /* output shown when an action fails */

struct session {
	pid_t pid;
	int master;         /* -1 once closed */
	int eof;            /* the terminal's output has ended (slave closed) */
	int reaped;
	int status;         /* from waitpid, once reaped */
	int logfd;          /* -1: none */
	const char *logname;
	char *unconsumed;   /* output not yet consumed, NULs as '.', NUL-terminated */
	size_t unconsumed_len, unconsumed_cap;
	unsigned long generation; /* bumped whenever unconsumed changes */
	unsigned char tail[TAIL_MAX]; /* the newest raw output */
	size_t tail_len;
	unsigned long long total; /* bytes of output in all */
};

#define SESSION_INIT { .master = -1, .logfd = -1 }

/* Sets up the output buffer and opens LOGNAME (NULL: no log) for appending.
 * -1 with a message if the log cannot be opened. */
int session_init(struct session *s, const char *logname);
/* Runs ARGV[0] with execvp on a new pty of size WS, as the leader of a new
 * session, with the script's environment changes. -1 with a message if the
 * pty cannot be set up. */
int session_start(struct session *s, const struct winsize *ws, const struct script *sc,
		  char **argv);
/* Does the script's actions in order and stops at the first that fails:
 * then -1, after a message and the newest output. */
int session_do_actions(struct session *s, const struct script *sc);
/* Closes the terminal, ends the command if it still runs, and reaps it. */
void session_finish(struct session *s);
/* Frees the buffers and closes the log and the wake-up pipe. */
void session_release(struct session *s);

#endif
