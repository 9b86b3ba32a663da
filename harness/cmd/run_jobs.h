/* run_jobs: the run command past its command line — every (case, target)
 * pair made a job, each target's module and initramfs built once, the jobs
 * run by the scheduler (on libvirt hosts when given), each result reported
 * as TAP, on the progress line and in the report, and the reports written
 * (index.html, report.json, --junit, --json). */
#ifndef OOMTEST_CMD_RUN_JOBS_H
#define OOMTEST_CMD_RUN_JOBS_H

#include <stddef.h>
#include "backend/backend.h"
#include "case/casefile.h"
#include "run/sched.h"
#include "target/target.h"

struct run_setup {
	const char *root;
	const struct backend_ops *backend;
	struct sched_host *hosts;  /* --connect: the libvirt hosts; their slots may be filled in */
	char **host_uris;
	int nhosts;
	char **want_targets;       /* --target; none: every target */
	size_t nwant;
	long timeout_ms, silence_ms;
	unsigned long long log_limit;
	const char *snapshot_dir;  /* NULL: boot every guest */
	int parallel, jobs_given;  /* -j, and whether it was given */
	int tap_version, progress;
	const char *junit_path, *json_path;
	int bisect;                /* exit as git bisect run reads it */
	int single_console;        /* --single-console (run/runner.h) */
};

/* Runs the cases on the chosen targets, results under run_dir. Returns the
 * exit status: 0 every run ok, 1 something not ok (or interrupted, or a
 * report asked for not written); with s->bisect, report_bisect_status's. */
int run_jobs(const struct run_setup *s, const struct oomcase *cases, size_t ncases,
	     const struct target_list *tl, const char *run_dir);

#endif
