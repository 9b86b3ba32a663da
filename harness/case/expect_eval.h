/* expect_eval: judging an expectation against a run's facts. Included by
 * case/expect.h, where struct expectation is. */
#ifndef OOMTEST_EXPECT_EVAL_H
#define OOMTEST_EXPECT_EVAL_H

#include <stddef.h>

struct expectation;
struct facts;
struct strbuf;

/* Judges e (and its || chain) against facts; the fact "console" is looked up in `console`
 * (the whole console text) instead of the table. Returns 1 if it holds,
 * 0 if not. `seen` gets the value seen (or "(no such fact)"). Numeric
 * comparison is used when both sides are numbers (decimal or 0x hex),
 * string comparison otherwise; < <= > >= on non-numbers never hold. */
int expect_eval(const struct expectation *e, const struct facts *facts,
		const char *console, size_t console_len, struct strbuf *seen);

#endif
