/* expect: one expectation "<fact> <op> <value>" from a case file: parsing,
 * and judging it against a run's facts (declared in case/expect_eval.h,
 * which this header includes). */
#ifndef OOMTEST_EXPECT_H
#define OOMTEST_EXPECT_H

#include <regex.h>
#include "lib/facts.h"
#include "lib/strbuf.h"
#include "case/expect_eval.h"

enum expect_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_MATCH, OP_NOMATCH };

struct expectation {
	char *fact;            /* e.g. "oom.1.victim.comm" */
	enum expect_op op;
	char *value;           /* unquoted */
	regex_t re;            /* compiled for OP_MATCH/OP_NOMATCH */
	int has_re;
	char *text;            /* the expression as written, for reports */
	int line;              /* in the case file */
	/* Either-outcome: "a == 1 || b == 3" is a chain; the head holds the
	 * whole line's text and holds when any link holds. NULL: no more. */
	struct expectation *or_next;
	/* From "[expect SELECTOR]": only judged on targets whose name, arch or
	 * kernel release (a prefix ending at '.', '-', '+' or the end) is SELECTOR. NULL: all. */
	char *selector;
};

/* Parses one expression (the text of an [expect] line, comment stripped).
 * Returns 0, or -1 with a message (without file:line) in err. Values may be
 * "quoted" (with \" and \\ escapes) or bare (to the end of the text). */
int expect_parse(struct expectation *e, const char *text, struct strbuf *err);
void expect_release(struct expectation *e);
const char *expect_op_name(enum expect_op op);

/* Appends what e wants: "== 1", or for a chain "== 1 || other.fact == 3". */
void expect_describe(const struct expectation *e, struct strbuf *out);

/* A selector is words joined by ',', each a target name, an arch or a
 * kernel release prefix, optionally negated with a leading '!': it selects
 * a target when every word does ("6.1,!arm64": Linux 6.1, not on arm64).
 * Whether a selector is well formed (no empty word, '!' only first). */
int expect_selector_valid(const char *selector);
/* Does the selector (NULL: always) pick a target with this name, arch and
 * kernel release? "6.12" picks "6.12.107+deb12-amd64", "6.1" does not;
 * "custom-x86_64" picks "custom-x86_64-0123abcd" (target_name_matches). */
int expect_selects(const char *selector, const char *target_name, const char *arch,
		   const char *release);

#endif
