/* report: the result model every report format reads (report/json.c,
 * report/junit.c, report/html.c) — one invocation of `oomtest run`: each
 * case on each target with its verdict, every expectation judged (expected
 * and seen), its facts, OOM events, the steps' memory samples, the memory
 * timeline and where its logs are. Built in the parent from the workers' results and the files
 * they left in each run directory. */
#ifndef OOMTEST_REPORT_H
#define OOMTEST_REPORT_H

#include <stddef.h>
#include <time.h>

#include "case/casefile.h"
#include "lib/facts.h"
#include "run/runner.h"
#include "lib/strbuf.h"
#include "target/target.h"

#define REPORT_FORMAT_VERSION 1

struct report_expect {
	char *text;                /* as written; an implied check says so */
	int line;                  /* 0: implied by the harness, not in the case file */
	char *expected;            /* "== 1" */
	char *seen;                /* NULL: not judged (the run did not finish) */
	int ok;
};

struct report_sample {
	char *step;
	unsigned long long ms;     /* after the plan began */
	unsigned long long rss_kb;
};

/* A row of timeline.tsv: a system series (MemFree, MemAvailable, Cached,
 * Shmem, SwapFree) or a cgroup's ("cgroup:GROUP") at one time. */
struct report_point {
	char *series;
	unsigned long long ms;     /* after the plan began */
	unsigned long long kb;
};

/* A row of timeline-events.tsv. */
struct report_event {
	unsigned long long ms;
	char *kind;                /* start, exit, waited, oom_kill, alloc_fail */
	char *what;                /* a step; "PID COMM" for oom_kill; a comm for alloc_fail */
};

struct report_entry {
	char *name;                /* "case" or "case[memory=64M]" */
	char *case_name;
	char *variant;             /* NULL: not expanded */
	char *case_path;
	char *description;         /* NULL: none */
	char *target;
	char *arch;
	char *release;
	char *host;                /* a libvirt URI, or NULL */
	enum verdict verdict;
	char *reason;              /* "" when none */
	double seconds;
	struct report_expect *expects;
	size_t nexpects;
	struct facts facts;
	char *dir;                 /* its run directory; NULL when nothing ran (skip) */
	char *events_json;         /* events.json as written, or NULL */
	struct report_sample *samples;
	size_t nsamples;
	struct report_point *points;   /* timeline.tsv; none for a run of before it */
	size_t npoints;
	struct report_event *events;   /* timeline-events.tsv */
	size_t nevents;
};

struct report {
	char *run_id;              /* the run directory's name */
	char *run_dir;
	time_t started;
	double seconds;            /* set by the caller at the end */
	int interrupted;
	size_t planned;
	struct report_entry *v;
	size_t n;
};

void report_init(struct report *r, const char *run_dir, time_t started, size_t planned);
void report_release(struct report *r);
/* Adds one case x target: copies what it needs, every expectation as the
 * worker judged it (res->failed and res->held, so passes are listed too),
 * and reads events.json, memory.tsv, timeline.tsv and timeline-events.tsv
 * from dir (which may be NULL). */
void report_add(struct report *r, const struct oomcase *c, const struct target *t, const char *host,
		const struct run_result *res, const char *dir);
/* Writes a built document atomically; returns 0, or -errno with "writing
 * the WHAT report PATH: reason" in err. */
int report_write_doc(const char *what, const char *path, const struct strbuf *doc, struct strbuf *err);
typedef int report_builder(const struct report *r, struct strbuf *out, struct strbuf *err);
/* Builds a document and writes it so; returns 0 or -1 with err. */
int report_build_and_write(const struct report *r, report_builder *build, const char *what, const char *path,
			   struct strbuf *err);
/* Counts per verdict. */
size_t report_count(const struct report *r, enum verdict v);

/* The exit status git bisect run reads: 0 when every planned run passed,
 * 1 when one failed and every other passed, REPORT_BISECT_SKIP when the
 * commit cannot be judged (an error, timeout or skip, an interrupted run,
 * no runs): trouble outside the kernel's behaviour must not blame it. */
#define REPORT_BISECT_SKIP 125
/* what a usage error returns under --bisect: git bisect run stops */
#define REPORT_BISECT_ABORT 128
int report_bisect_status(const struct report *r);
/* Reads a run's log (dir/name) for display (\r\n as \n), at most `limit` bytes from its end;
 * returns 1 if the file was cut. Missing: empty, 0. */
int report_read_log(const struct report_entry *e, const char *name, size_t limit, struct strbuf *out);

#endif
