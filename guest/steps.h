/* steps: the plan's processes. Starting them (programs from the PATH, or a
 * module loaded with finit_module), forwarding their output as "out"
 * records, reaping them ("exit"), and waiting for them while the agent
 * keeps pumping. */
#ifndef OOMTEST_GUEST_STEPS_H
#define OOMTEST_GUEST_STEPS_H

#include <stddef.h>
#include <sys/types.h>

struct step {
	char *name;
	char *module;   /* a module step: the module's name; NULL otherwise */
	pid_t pid;
	int out_fd;     /* read end of its stdout+stderr, -1 when closed */
	int status_fd;  /* its /proc/PID/status, open while it runs, -1: none */
	int kmsg_fd;    /* a module step: /dev/kmsg from before the load, -1: none */
	char *partial;  /* output line not yet ended */
	size_t partial_len;
	int running;
	struct step *next;
};

/* Every step started, newest first. */
extern struct step *step_list;

struct step *find_step(const char *name);
/* Where a run step's program is looked for when its name has no '/':
 * payload programs live in /usr/bin, busybox's applets and the hog in /bin.
 * Steps get it as their PATH, with HOME=/ and TERM=linux, and nothing else
 * of the agent's environment. */
#define STEPS_PATH "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"

/* The first dirs/name (dirs: ':'-separated) that is a regular file that
 * may be executed, malloc'd; NULL if none. */
char *steps_find_program(const char *name, const char *dirs);
/* A module step runs the agent's image again as "insmod STEPS_LOAD_MODULE
 * NAME PARAMS...": it loads /lib/modules/NAME.ko with finit_module and
 * exits with the errno (0: loaded; 127: no such module). */
#define STEPS_LOAD_MODULE "--oomtest-load-module"
int steps_module_main(int argc, char **argv);
/* kind: "run" (argv exec'd, searched in STEPS_PATH) or "module" (argv:
 * module name and params). cg: the cgroup to join, or "-"; adj: oom_score_adj, or "-". A
 * step not in the background is waited for. */
void start_step(const char *kind, const char *name, int bg, const char *cg,
		const char *adj, char **argv, int argc);
/* Sends "exit" for every step that has ended; a module step's "kmod"
 * record comes before its "exit". */
void reap(void);
/* Forwards step output, samples memory and reaps children for up to ms
 * milliseconds, or until until(arg) (if until is given) says yes: then
 * returns 1, else 0. */
int pump(long long ms, int (*until)(void *), void *arg);
/* For pump: the step (a struct step *) has ended. */
int step_ended(void *step);
/* Steps still running are reported "left", killed and waited for. */
void steps_end(void);
/* A wait status as an "exit" record has it: N, signal:N or unknown:N. */
void format_status(int status, char *out, size_t n);

#endif
