/* judge: a run's result and its verdict — how the run ended (interrupted,
 * silent, a boot failure, a timeout, an agent error, a guest that stopped
 * early), the case's expectations against the facts, and the checks the
 * harness holds without being asked (no unexpected oops, BUG or panic; a
 * step's wait condition held). */
#ifndef OOMTEST_JUDGE_H
#define OOMTEST_JUDGE_H

#include <stddef.h>
#include "case/casefile.h"
#include "lib/facts.h"
#include "lib/strbuf.h"
#include "target/target.h"

enum verdict { V_PASS, V_FAIL, V_ERROR, V_TIMEOUT, V_SKIP };

/* One expectation as the worker judged it. */
struct judged_expect {
	char *text;                /* as written */
	int line;                  /* 0: implied by the harness */
	char *expected;            /* "<op> <value>" */
	char *seen;
};

struct run_result {
	enum verdict verdict;
	struct strbuf reason;      /* error/timeout/skip: one line */
	struct judged_expect *failed;
	size_t nfailed;
	struct judged_expect *held; /* the case's expectations that held, with what was seen */
	size_t nheld;
	struct facts facts;
	double seconds;
	int interrupted;
	int host_failed;           /* the host running the guest went away: worth a retry elsewhere */
};

/* How a run ended, as the runner saw it. */
struct run_end {
	int interrupted;           /* a signal stopped it */
	int host_lost;             /* the host running the guest went away */
	int plan_error;            /* errno of a failed send of the plan; 0: sent */
	int silent;                /* ended by --silence */
	int timed_out;             /* ended by the timeout (or --silence) */
	int ready, done;           /* the agent said ready; it finished the plan */
	int panicked;              /* the console or pvpanic said so */
	const char *agent_errors;  /* the agent's error lines; "" for none */
	long timeout_ms, silence_ms;
};

void run_result_init(struct run_result *r);
void run_result_release(struct run_result *r);
const char *verdict_name(enum verdict v);
/* The verdict and reason of a run that ended as e says; expectations are
 * judged only when the guest ran its plan to the end. */
void judge_run(const struct run_end *e, const struct oomcase *c, const struct target *t,
	       const char *console, size_t console_len, struct run_result *res);
/* Judges expectations against facts. Expectations whose [expect SELECTOR]
 * does not pick t are not judged. */
void run_judge(const struct oomcase *c, const struct target *t, const char *console,
	       size_t console_len, struct run_result *res);

#endif
