/* runner: one run of one case on one target — plan, guest, both streams,
 * facts, expectations, verdict, and the run's files. */
#ifndef OOMTEST_RUNNER_H
#define OOMTEST_RUNNER_H

#include <signal.h>
#include "backend/backend.h"
#include "case/casefile.h"
#include "lib/facts.h"
#include "target/target.h"

/* The console text expectations on "console" see: its first 16 MiB. */
#define RUN_CONSOLE_KEEP (16u << 20)

enum verdict { V_PASS, V_FAIL, V_ERROR, V_TIMEOUT, V_SKIP };

struct failed_expect {
	char *text;                /* as written */
	int line;
	char *expected;            /* "<op> <value>" */
	char *seen;
};

struct run_request {
	const struct oomcase *c;
	const struct target *t;
	const struct backend_ops *backend;
	const char *initrd;
	const char *run_dir;       /* created by the caller */
	long timeout_ms;
	long silence_ms;           /* no byte on either stream this long: a wedged guest; 0: off */
	unsigned long long log_limit; /* bytes kept of each log file; 0: the default 64 MiB */
	const char *snapshot_dir;  /* start from a saved booted guest kept here; NULL: boot */
};

struct run_result {
	enum verdict verdict;
	struct strbuf reason;      /* error/timeout/skip: one line */
	struct failed_expect *failed;
	size_t nfailed;
	struct facts facts;
	double seconds;
	int interrupted;
	int host_failed;           /* the host running the guest went away: worth a retry elsewhere */
};

/* Set from a signal handler: the current run stops at once. */
extern volatile sig_atomic_t runner_interrupted;

void run_result_init(struct run_result *r);
void run_result_release(struct run_result *r);
const char *verdict_name(enum verdict v);
/* Runs it; always fills res (never fails itself). */
void run_one(const struct run_request *rq, struct run_result *res);
/* Judges expectations against facts (exposed for tests). */
/* Expectations whose [expect SELECTOR] does not pick t are not judged. */
void run_judge(const struct oomcase *c, const struct target *t, const char *console,
	       size_t console_len, struct run_result *res);

#endif
