/* run_files: the files of one run's directory that the harness writes
 * whole — plan.txt, events.json, memory.tsv, timeline.tsv,
 * timeline-events.tsv, facts.json, result.json — and
 * the two logs it opens (console.log, agent.log). A file that cannot be
 * written (a full disk, a read-only mount) is said on stderr; the verdict
 * still goes to stdout. */
#ifndef OOMTEST_RUN_FILES_H
#define OOMTEST_RUN_FILES_H

#include "klog/klog.h"
#include "lib/strbuf.h"
#include "run/judge.h"
#include "run/record.h"

/* Opens DIR/NAME for appending (truncated first); -1 when it cannot. */
int run_files_open_log(const char *dir, const char *name);
/* Says on stderr that DIR/NAME could not be written (err: -errno). */
void run_files_write_failed(const char *dir, const char *name, int err);
/* plan.txt: the plan the guest is sent. */
void run_files_write_plan(const char *dir, const struct strbuf *plan);
/* events.json (the parser's OOM events), memory.tsv (the steps' memory
 * samples, "step\tms\trss_kb" then rec->samples), timeline.tsv (the
 * system's and the cgroups' memory, "ms\tseries\tkb" then
 * rec->timeline.rows) and timeline-events.tsv ("ms\tkind\twhat" then
 * rec->timeline.events), which the reports read; each with its header even
 * when it has no rows. */
void run_files_write_details(const char *dir, const struct klog *k, const struct record_state *rec);
/* facts.json and result.json. */
void run_files_write_result(const char *dir, const char *case_name, const char *target_name,
			    const struct run_result *res);
/* result.json's text: case, target, verdict, reason, seconds, failed[]. */
void run_result_to_json(const char *case_name, const char *target_name, const struct run_result *res,
			struct strbuf *out);

#endif
