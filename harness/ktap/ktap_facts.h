/* ktap_facts: a step's TAP document (ktap.h) as facts, and its test points
 * read back from a run's facts (what the HTML and JUnit reports show).
 *
 *   tap.STEP.valid            1; 0 when the output was not TAP (then no
 *                             other fact of the document is set)
 *   tap.STEP.format           tap | ktap
 *   tap.STEP.version          12 (no version line), 13, 14; KTAP: 1
 *   tap.STEP.planned          the plan's count, or "none"
 *   tap.STEP.seen             top-level test points seen
 *   tap.STEP.missing          planned - seen (< 0: more than planned); "unknown" with no plan
 *   tap.STEP.pass .fail .skip counts over the top-level points: skip is a
 *                             SKIP directive (ok or not ok); pass is ok, and
 *                             not ok with TODO (a TODO point's failure is
 *                             expected: TODO counts as pass, as TAP harnesses
 *                             count it); fail is every other not ok
 *   tap.STEP.skip_all         1 for a plan "1..0 # SKIP why"; .skip_all_reason
 *   tap.STEP.bail_out         0 or 1; .bail_reason
 *   tap.STEP.unknown          lines that are not TAP
 *   tap.STEP.misnumbered      top-level points whose printed number is not their place
 *   tap.STEP.N                the Nth point (its place, from 1; the printed
 *                             number agrees in well-formed TAP): ok | not ok | skip;
 *                             its subtests tap.STEP.N.M, and so on
 *   tap.STEP.N.description    when it has one; .directive ("SKIP why",
 *                             "TODO", ...), .diagnostic (its lines), .number
 *                             (when the printed number is not N): when not empty
 *   tap.STEP.NAME             the point's result again, under its description
 *                             made a fact name: letters, digits, _ and -,
 *                             every other run of bytes one '_', lower case, at
 *                             most KTAP_NAME_MAX bytes; not used when empty,
 *                             all digits or one of the names above; when
 *                             taken, the later point's is NAME_N (N its
 *                             place). Subtests': tap.STEP.N.NAME.
 * Bounds: KTAP_FACTS_MAX_POINTS points, KTAP_DIAG_MAX bytes of one
 * diagnostic (its head and tail), KTAP_DIAG_TOTAL of all (then
 * tap.STEP.points_capped / .diagnostics_capped = 1). */
#ifndef OOMTEST_KTAP_FACTS_H
#define OOMTEST_KTAP_FACTS_H

#include <stddef.h>
#include "ktap/ktap.h"
#include "lib/facts.h"

#define KTAP_NAME_MAX 64
#define KTAP_TEXT_MAX 1024               /* a description, a directive's text */
#define KTAP_DIAG_MAX (16u << 10)
#define KTAP_DIAG_TOTAL (1u << 20)
#define KTAP_FACTS_MAX_POINTS 10000

/* Adds the document's facts for step (a case's step name). */
void ktap_facts(const struct ktap_doc *doc, const char *step, struct facts *f);

/* The fact-safe form of a description into out (reset first); "" when
 * nothing is left or it is all digits. */
void ktap_fact_name(const char *description, struct strbuf *out);

/* One test point as the facts hold it. The strings point into the facts
 * ("" when the fact is not set), but for path. */
struct ktap_fact_point {
	char *path;                    /* "3", "3.2" */
	int depth;                     /* 0: top level */
	const char *result;            /* ok | not ok | skip */
	const char *description;
	const char *directive;
	const char *diagnostic;
};

/* The steps with TAP facts (tap.STEP.valid), in the facts' order; free
 * each and the array. */
size_t ktap_facts_steps(const struct facts *f, char ***steps);
/* A step's points, each parent before its subtests. */
size_t ktap_facts_points(const struct facts *f, const char *step, struct ktap_fact_point **points);
void ktap_fact_points_free(struct ktap_fact_point *v, size_t n);

#endif
