/* plan_read: the plan from the channel, up to "end", as lines of decoded
 * fields. The whole plan arrives before anything runs. */
#ifndef OOMTEST_GUEST_PLAN_READ_H
#define OOMTEST_GUEST_PLAN_READ_H

#include <stddef.h>

struct plan_line {
	char **f; /* n decoded fields, then NULL */
	int n;
};

/* Splits one line on spaces and decodes each field, in place. */
struct plan_line plan_split(char *s);
/* Reads plan lines up to "end" or the end of input, skipping empty ones;
 * returns how many *plan holds. */
size_t plan_read(struct plan_line **plan);

#endif
