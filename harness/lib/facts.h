/* facts: the flat, dotted name -> string value table a run produces
 * (oom.count, step.hog.exit, cgroup.hog.memory.failcnt, ...), kept in
 * insertion order so facts.json reads in the order things happened. */
#ifndef OOMTEST_FACTS_H
#define OOMTEST_FACTS_H

#include <stddef.h>
#include "lib/strbuf.h"

struct fact {
	char *name;
	char *value;
};

struct facts {
	struct fact *v;
	size_t n, alloc;
	size_t *index;             /* open-addressing hash of names: slot -> i + 1 */
	size_t index_cap;          /* a power of two, or 0 */
};

#define FACTS_INIT { NULL, 0, 0, NULL, 0 }

void facts_release(struct facts *f);
/* Sets (or replaces) a fact. */
void facts_set(struct facts *f, const char *name, const char *value);
void facts_setf(struct facts *f, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Returns the value or NULL. */
const char *facts_get(const struct facts *f, const char *name);
/* Appends the table as one JSON object (lib/json.h: invalid UTF-8 becomes
 * U+FFFD), names in insertion order. */
void facts_to_json(const struct facts *f, struct strbuf *out);

#endif
