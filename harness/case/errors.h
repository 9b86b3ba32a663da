/* errors: the list of a case file's problems, each at a line (0: about the
 * whole file), reported sorted by line as "file:line: message". */
#ifndef OOMTEST_CASE_ERRORS_H
#define OOMTEST_CASE_ERRORS_H

#include <stddef.h>
#include "lib/strbuf.h"

struct case_error {
	int line;	/* 0: about the whole file */
	size_t seq;	/* keeps the sort stable */
	char *msg;
};

struct case_errors {
	struct case_error *v;
	size_t n, alloc;
};

/* Messages already reported (for an earlier combination of parameters). */
struct case_reported {
	char **v;	/* open addressing; NULL: free */
	size_t n, alloc;
};

void case_errors_add(struct case_errors *e, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Forgets the errors from number `from` on. */
void case_errors_drop(struct case_errors *e, size_t from);
/* Appends every error to out, sorted by line (whole-file ones last, else
 * in the order added), as "path:line: message" ("path: message" for line
 * 0), with "with NOTE: " before the message when note is not NULL. When
 * reported is not NULL, skips errors it holds and adds the others. */
void case_errors_report(struct case_errors *e, const char *path, const char *note,
			struct case_reported *reported, struct strbuf *out);
void case_errors_release(struct case_errors *e);

void case_reported_release(struct case_reported *set);

#endif
