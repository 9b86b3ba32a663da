/* sched: runs jobs (one case on one target each) in worker processes, at
 * most N at a time and never more guest memory than the host can spare,
 * and reports their results in job order. A worker that crashes costs its
 * own job an `error` verdict, nothing more. */
#ifndef OOMTEST_SCHED_H
#define OOMTEST_SCHED_H

#include <stddef.h>
#include "run/runner.h"

struct job {
	size_t index;              /* report order */
	unsigned long long memory; /* guest RAM, bytes */
	void *data;                /* the caller's */
	int host;                  /* set by sched_run: the host it runs on (-1: none) */
	int moved_from;            /* the host it ran on first, when that host failed; else -1 */
};

/* Hosts that run guests (libvirt daemons): each has slots; one that fails
 * (a run reports host_failed) is taken out, and its runs go to another,
 * once. NULL for sched_run: one local host, `parallel` slots. */
struct sched_host {
	const char *label;
	int slots;
	int running;               /* sched_run's */
	int dead;                  /* sched_run's */
};

/* Runs in the worker: fills res. */
typedef void (*job_run_fn)(const struct job *job, struct run_result *res);
/* Runs in the parent, in job order. */
typedef void (*job_report_fn)(const struct job *job, const struct run_result *res);

/* Returns the number of jobs reported. Stops starting new jobs once
 * *stop is set (the rest are not reported). Guests together never take
 * more than budget bytes (sched_memory_budget, read once by the caller). */
size_t sched_run(struct job *jobs, size_t njobs, int parallel, unsigned long long budget, job_run_fn run,
		 job_report_fn report, volatile sig_atomic_t *stop);
/* The same over hosts: at most each host's slots at a time (and at most
 * `parallel` in all). */
size_t sched_run_hosts(struct job *jobs, size_t njobs, int parallel, unsigned long long budget,
		       struct sched_host *hosts, int nhosts, job_run_fn run, job_report_fn report,
		       volatile sig_atomic_t *stop);

/* Called in the parent several times a second while jobs run (NULL: not). */
extern void (*sched_progress_hook)(size_t running, size_t reported);

/* Guest memory the host can take now: MemAvailable less a margin. */
unsigned long long sched_memory_budget(void);

/* Result (de)serialisation between worker and parent, exposed for tests. */
void sched_encode_result(const struct run_result *res, struct strbuf *out);
int sched_decode_result(const char *text, size_t len, struct run_result *res);

/* Sends sig to every worker this process started (async-signal-safe); in
 * a worker, to none. */
void sched_signal_workers(int sig);

#endif
