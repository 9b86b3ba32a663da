/* ptyrun: run a command on a pseudo-terminal and script a conversation with
 * it, like a minimal expect(1). A test helper in three modules: main.c (this
 * file: the options, the usage message, the exit status), script.c (the
 * actions and environment changes parsed, the -s escapes decoded) and
 * session.c (the command on the pty, the I/O loop, the actions done). Of the
 * project's headers it uses only proto/proto.h (proto_hexval). Built in this
 * folder with:
 *
 *   cc -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -iquote ../../.. \
 *      -o ptyrun main.c script.c session.c -lutil
 *
 *   ptyrun [-t SECONDS] [-c COLSxROWS] [-l LOGFILE] [-E NAME=VALUE] [-u NAME]
 *          ACTION... [--] COMMAND [ARG...]
 *
 * ACTIONs are done in order:
 *   -e REGEX  wait until the output not yet consumed by an earlier match
 *             matches the POSIX extended REGEX; the output up to the end of
 *             the match is then consumed. Matching is on the raw bytes (ANSI
 *             escape sequences included), in the C locale, without
 *             REG_NEWLINE: '.' matches a newline too, '^' is the start of the
 *             unconsumed output and '$' its end (what has arrived so far).
 *             NUL bytes are seen as '.'. At most the newest 1 MiB of
 *             unconsumed output is kept.
 *   -s TEXT   send TEXT; the escapes \n \r \t \e (ESC) \\ and \xHH are
 *             decoded, so -s '\x1d' sends Ctrl-].
 *   -w        wait for the command to exit (output still in the terminal
 *             can be matched by a later -e).
 * Deadlines are checked between matches: a regex that is slow on a long
 * buffer (say "(a|b)*c$" over a megabyte of a's) can overrun them.
 * Options:
 *   -t SECONDS  the time each action after it may take (default 30; fractions
 *               allowed); a -t after the last action is a usage error
 *   -c COLSxROWS  terminal size (default 80x24)
 *   -l LOGFILE  append all output of the terminal to LOGFILE (raw bytes);
 *               without it the output is discarded
 *   -E NAME=VALUE, -u NAME  set or unset a variable in the command's
 *               environment (in the order given)
 *
 * At the end (after the last action, or when one fails) the pty master is
 * closed (the kernel hangs up the terminal: SIGHUP); if the command still
 * runs, its process group gets SIGTERM, then SIGKILL after 5 s. The command
 * is always reaped.
 *
 * COMMAND is run with execvp, as the leader of a new session whose
 * controlling terminal is the pty.
 *
 * Exit status: the command's (128+N if killed by signal N; 127 if it could
 * not be run) when every action succeeded; 3 when an action failed (an -e
 * timed out or the output ended without a match, a -w timed out, a -s could
 * not be written); 2 on usage errors or when the pty cannot be set up. */
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "script.h"
#include "session.h"

/* file scope, so that every way out of main can release them */
static struct script script;
static struct session session = SESSION_INIT;

static void usage(void)
{
	fprintf(stderr,
		"usage: ptyrun [-t SECONDS] [-c COLSxROWS] [-l LOGFILE] [-E NAME=VALUE] [-u NAME]\n"
		"              ACTION... [--] COMMAND [ARG...]\n"
		"ACTION: -e REGEX (wait for output matching the extended regex)\n"
		"        -s TEXT  (send TEXT; \\n \\r \\t \\e \\\\ \\xHH decoded)\n"
		"        -w       (wait for COMMAND to exit)\n");
}

/* Releases everything and gives rc back, for "return quit(rc);". */
static int quit(int rc)
{
	script_free(&script);
	session_release(&session);
	return rc;
}

int main(int argc, char **argv)
{
	int64_t timeout_ms = 30000;
	int timeout_trailing = 0; /* a -t came after the last action so far */
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	const char *logname = NULL;
	int opt, failed;

	while ((opt = getopt(argc, argv, "+t:c:l:e:s:wE:u:h")) != -1) {
		switch (opt) {
		case 't':
			if (parse_timeout_option(optarg, &timeout_ms) < 0)
				return quit(EXIT_USAGE);
			timeout_trailing = 1;
			break;
		case 'c':
			if (parse_term_size_option(optarg, &ws) < 0)
				return quit(EXIT_USAGE);
			break;
		case 'l':
			logname = optarg;
			break;
		case 'E':
		case 'u':
			if (script_add_env_change(&script, opt, optarg) < 0)
				return quit(EXIT_USAGE);
			break;
		case 'e':
		case 's':
		case 'w':
			timeout_trailing = 0;
			if (script_add_action(&script, opt, optarg, timeout_ms) < 0)
				return quit(EXIT_USAGE);
			break;
		case 'h':
			usage();
			return quit(0);
		default:
			usage();
			return quit(EXIT_USAGE);
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "ptyrun: no command given\n");
		usage();
		return quit(EXIT_USAGE);
	}
	if (timeout_trailing && script.nactions) {
		fprintf(stderr, "ptyrun: a -t after the last action would apply to no action; "
			"put it before the actions it is for\n");
		return quit(EXIT_USAGE);
	}

	if (session_init(&session, logname) < 0)
		return quit(EXIT_USAGE);
	if (session_start(&session, &ws, &script, argv + optind) < 0)
		return quit(EXIT_USAGE);
	failed = session_do_actions(&session, &script) < 0;
	session_finish(&session);

	if (failed)
		return quit(EXIT_ACTION_FAILED);
	if (WIFEXITED(session.status))
		return quit(WEXITSTATUS(session.status));
	if (WIFSIGNALED(session.status))
		return quit(128 + WTERMSIG(session.status));
	return quit(255);
}
