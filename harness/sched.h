/* sched: runs jobs (one case on one target each) in worker processes, at
 * most N at a time and never more guest memory than the host can spare,
 * and reports their results in job order. A worker that crashes costs its
 * own job an `error` verdict, nothing more. */
#ifndef OOMTEST_SCHED_H
#define OOMTEST_SCHED_H

#include <stddef.h>
#include "runner.h"

struct job {
	size_t index;              /* report order */
	unsigned long long memory; /* guest RAM, bytes */
	void *data;                /* the caller's */
};

/* Runs in the worker: fills res. */
typedef void (*job_run_fn)(const struct job *job, struct run_result *res);
/* Runs in the parent, in job order. */
typedef void (*job_report_fn)(const struct job *job, const struct run_result *res);

/* Returns the number of jobs reported. Stops starting new jobs once
 * *stop is set (the rest are not reported). */
size_t sched_run(struct job *jobs, size_t njobs, int parallel, job_run_fn run,
		 job_report_fn report, volatile sig_atomic_t *stop);

/* Guest memory the host can take now: MemAvailable less a margin. */
unsigned long long sched_memory_budget(void);

/* Result (de)serialisation between worker and parent, exposed for tests. */
void sched_encode_result(const struct run_result *res, struct strbuf *out);
int sched_decode_result(const char *text, size_t len, struct run_result *res);

/* Sends SIGTERM to every worker (async-signal-safe). */
void sched_signal_workers(int sig);

#endif
