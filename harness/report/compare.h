/* compare: the model of `oomtest compare` — two sides (two reports, or two
 * targets of one report) matched into pairs of runs of one case, and per
 * pair the verdicts and the facts that differ. Which facts count is a table
 * here: timing facts only when asked for, noise (pids, console line numbers,
 * sample counts) never. The text and HTML writers read the result. */
#ifndef OOMTEST_REPORT_COMPARE_H
#define OOMTEST_REPORT_COMPARE_H

#include <stddef.h>

#include "report/compare_read.h"

enum compare_class {
	COMPARE_KEPT,              /* compared */
	COMPARE_TIMING,            /* compared with --timing only */
	COMPARE_NOISE,             /* differs every run: never compared */
};

/* A row of the classification table: a fnmatch(3) pattern over the whole
 * fact name ('*' matches dots too). The first matching row decides; a name
 * no row matches is compared. */
struct compare_rule {
	const char *pattern;
	enum compare_class class;
	const char *why;
};

extern const struct compare_rule compare_rules[];
extern const size_t compare_nrules;

enum compare_class compare_classify(const char *name);
/* The row that decides name, or NULL (compared). */
const struct compare_rule *compare_rule_for(const char *name);

/* A fact whose values differ; a NULL side: that run has no such fact. The
 * strings are the runs'. */
struct compare_diff {
	const char *name;
	const char *a, *b;
};

/* A pair of runs of one case, or a run only one side has (the other NULL). */
struct compare_pair {
	const struct compare_run *a, *b;
	int verdict_differs;
	int no_facts;              /* 'a' or 'b': that run has no facts at all (a
				      skipped run), so none is listed; else 0 */
	struct compare_diff *diffs;
	size_t ndiffs;
};

struct compare_result {
	char *label_a, *label_b;   /* what each side is, for people: "PATH (run
				      RUN_ID)", ", target T" with two targets */
	struct compare_pair *v;    /* A's order, then what only B has in B's order */
	size_t n;
	size_t pairs;              /* matched pairs */
	size_t verdicts_differ;
	size_t facts_differ;       /* pairs with at least one differing fact */
	size_t only_a, only_b;
	int by_name;               /* two reports matched by name alone: no run
				      had the same target on both sides */
};

struct compare_options {
	int timing;                /* also compare timing facts */
};

/* Two reports: runs matched by (name, target); when no pair matches that way
 * and each side has runs of exactly one target, by name alone. res points
 * into a and b, which must outlive it. */
void compare_reports(struct compare_result *res, const struct compare_report *a, const struct compare_report *b,
		     const struct compare_options *opt);
/* Two targets of one report, their runs matched by name. 0, or -1 when r has
 * no run of one of them, with "no target 'T' in PATH (have: X Y)" in err. */
int compare_targets(struct compare_result *res, const struct compare_report *r, const char *ta, const char *tb,
		    const struct compare_options *opt, struct strbuf *err);
void compare_result_release(struct compare_result *res);

/* The differing facts of a and b, as compare_reports lists them (oom.last.*
 * left out when both have the same oom.count). */
void compare_pair_diff(struct compare_pair *p, const struct compare_options *opt);
/* Does the pair show anything (a verdict or a fact that differs, or one side
 * only)? Pairs that do not are shown with --all only. */
int compare_pair_differs(const struct compare_pair *p);
/* "x86_64", or "x86_64 -> x86_64-6.12" when the pair's targets differ. */
void compare_pair_target(const struct compare_pair *p, struct strbuf *out);
/* "N pairs, N verdicts differ, N with differing facts, N only in A, N only in B" */
void compare_summary(const struct compare_result *res, struct strbuf *out);

#endif
