/* child: starting and ending child processes (after git's run-command).
 * Children get an argv vector (never a shell), their own process group, and
 * die with the harness (PR_SET_PDEATHSIG). Every started child is tracked
 * so that a signal handler can end them all. */
#ifndef OOMTEST_CHILD_H
#define OOMTEST_CHILD_H

#include <sys/types.h>

struct child {
	pid_t pid;                 /* also the process group id; 0 when reaped */
	int status;                /* wait status once reaped */
	double cpu_seconds;        /* user + system CPU it used, once reaped */
	int wait_error;            /* errno when its status was lost (ECHILD); else 0 */
};

/* Sets SIGCHLD to its default: inherited as SIG_IGN, the kernel reaps
 * children itself and their exit statuses are lost. Call at start. */
void child_default_sigchld(void);

/* Starts argv[0] (searched in PATH) with stdin from /dev/null and stdout
 * and stderr to out_fd (or /dev/null when out_fd < 0), in oomtest's
 * environment less make's MAKEFLAGS and MFLAGS (a jobserver oomtest was
 * started under is not passed on).
 * Returns 0 or -errno (exec failures are reported as -errno too). */
int child_start(struct child *c, char *const argv[], int out_fd);
/* Waits up to timeout_ms (-1: forever). Returns 1 when reaped (or gone
 * with its status lost: wait_error set), 0 if still running. */
int child_wait(struct child *c, int timeout_ms);
/* Sends sig to the child's whole process group. */
void child_kill(struct child *c, int sig);
/* Kills and reaps. */
void child_stop(struct child *c);
/* SIGKILLs every tracked child's group; async-signal-safe. */
void child_kill_all(void);
/* In a process just forked: its parent's children are not its own, and
 * child_kill_all must not reach them. */
void child_forget_all(void);
/* Runs argv to completion with output to out_fd; returns the wait status
 * or -errno (-ECHILD: it ended but its status was lost). */
int child_run(char *const argv[], int out_fd);
struct strbuf;
/* child_run with stdout and stderr appended to out, through an unlinked
 * temporary file in scratch_dir. The wait status, or -errno. */
int child_run_capture(char *const argv[], const char *scratch_dir, struct strbuf *out);
/* Where the host's program `name` (make, mkswap, clang) is: PATH, then
 * /usr/sbin and /sbin, which a user's PATH may lack. malloc'd, or NULL. */
char *child_find_program(const char *name);
/* The words for such an errno (a wait_error, or child_run's -errno negated). */
const char *child_strerror(int err);

#endif
