/* lava_run: one LAVA job run through the local dispatcher, `lava-run`
 * (root, no server). Each run gets its own directory holding the job,
 * device and dispatcher YAML, lava-run's log (its stderr) and its output
 * dir (result.yaml, description.yaml), and a job id of its own, so runs
 * side by side never share LAVA's scratch dir (DISPATCHER_TMP/PREFIX+ID),
 * which is removed after the run whatever happened (lava-run leaves it
 * behind when it dies or when validation fails early enough). */
#ifndef OOMTEST_LAVA_RUN_H
#define OOMTEST_LAVA_RUN_H

#include <stdbool.h>

#include "lava/lava_job.h"
#include "lib/child.h"
#include "lib/strbuf.h"

/* Where lava-run keeps its scratch dirs (lava_common.constants). */
#define LAVA_DISPATCHER_TMP "/var/lib/lava/dispatcher/tmp"
/* The dispatcher's prefix for our scratch dirs. */
#define LAVA_RUN_PREFIX "oomtest-"

struct lava_run {
	char *job_id;
	char *dir;          /* the run's own directory */
	char *job, *device, *dispatcher; /* the YAML files in it */
	char *log;          /* lava-run's stderr and stdout: the log lava_log reads */
	char *output_dir;   /* lava-run --output-dir */
	char *result;       /* output_dir/result.yaml (the job's result, once it ended) */
	char *scratch;      /* LAVA's scratch dir for this job */
	const char *program; /* "lava-run" (searched in PATH); tests put another */
	struct child child;  /* lava-run while it runs (lava_run_start) */
};

/* How long lava-run has to cancel its job after SIGTERM before its whole
 * process group gets SIGKILL. */
#define LAVA_RUN_CANCEL_GRACE_MS (30 * 1000)

/* Makes dir (mkdir -p), a new job id, and writes the three YAML files
 * there. scratch_base: NULL for LAVA_DISPATCHER_TMP. 0, or -1 with err. */
int lava_run_prepare(struct lava_run *run, const char *dir, const struct lava_job_spec *spec,
		     const char *scratch_base, struct strbuf *err);
/* Runs lava-run (only its validation with validate_only) to its end, or
 * for timeout_s seconds (0: no limit) after which lava-run gets SIGTERM (LAVA
 * cancels the job and says so in its log) and, 30 s later, SIGKILL. The
 * scratch dir is removed in every case. Returns lava-run's exit status
 * (0: the job completed, 1: it did not; the log says why), or -1 with err
 * when it could not run or was killed by a signal. */
int lava_run_job(struct lava_run *run, bool validate_only, unsigned timeout_s, struct strbuf *err);
/* lava_run_job in steps, for a caller that reads the log while the job
 * runs: starts lava-run with its stdout and stderr to out_fd (the caller
 * keeps run->log then). 0, or -1 with err (the scratch dir removed). */
int lava_run_start(struct lava_run *run, bool validate_only, int out_fd, struct strbuf *err);
/* Ends a started lava-run that still runs: SIGTERM to it alone (LAVA
 * cancels the job, stops QEMU and logs it), SIGKILL to its group when it
 * has not ended grace_ms later. Then it is reaped. */
void lava_run_cancel(struct lava_run *run, int grace_ms);
/* Once lava-run was reaped (child_wait on run->child, or lava_run_cancel):
 * removes the scratch dir and returns lava-run's exit status as
 * lava_run_job does, or -1 with err. */
int lava_run_finish(struct lava_run *run, struct strbuf *err);
/* The argv lava_run_job runs (NULL-terminated; free with lava_run_argv_free). */
char **lava_run_argv(const struct lava_run *run, bool validate_only);
void lava_run_argv_free(char **argv);
/* rm -rf the scratch dir; 0 or -errno. */
int lava_run_clean_scratch(const struct lava_run *run);
void lava_run_release(struct lava_run *run);

#endif
