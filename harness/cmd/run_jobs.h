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
#include "lib/strbuf.h"
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

/* A run's name, "case" or "case[memory=64M,order=1]"; for_path: as a
 * directory name ('/' and '\\' in the variant made '_'). */
void run_name(struct strbuf *out, const struct oomcase *c, int for_path);
/* Whether want (--target; none: every target) picks t. */
int run_target_chosen(char *const *want, size_t nwant, const struct target *t);
/* Why this case does not run on this target (appended to why): 1, or 0
 * when it does. host_memory: the guest memory the host can spare
 * (case/needs.h). Decided before any guest. */
int run_skipped(const struct oomcase *oc, const struct target *t, unsigned long long host_memory,
		struct strbuf *why);
/* The target's module fits its kernel and has the parameters the case's
 * module steps set: 0, or -1 with err. */
int run_module_check(const char *root, const struct oomcase *oc, const struct target *t, struct strbuf *err);

/* Runs the cases on the chosen targets, results under run_dir. Returns the
 * exit status: 0 every run ok, 1 something not ok (or interrupted, or a
 * report asked for not written); with s->bisect, report_bisect_status's. */
int run_jobs(const struct run_setup *s, const struct oomcase *cases, size_t ncases,
	     const struct target_list *tl, const char *run_dir);

#endif
