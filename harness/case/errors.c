/* errors: collecting, sorting and reporting a case file's errors. */
#include "case/errors.h"
#include "case/lexer.h"
#include "lib/hash.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void case_errors_add(struct case_errors *e, int line, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	case_grow((void **)&e->v, &e->alloc, e->n, sizeof(*e->v));
	e->v[e->n].line = line;
	e->v[e->n].seq = e->n;
	e->v[e->n].msg = strbuf_detach(&sb);
	e->n++;
}

void case_errors_drop(struct case_errors *e, size_t from)
{
	while (e->n > from)
		free(e->v[--e->n].msg);
}

void case_errors_release(struct case_errors *e)
{
	case_errors_drop(e, 0);
	free(e->v);
	memset(e, 0, sizeof(*e));
}

/* Adds s (taking it); returns 0 if it was there already (and frees s). */
static int reported_add(struct case_reported *set, char *s)
{
	size_t i;

	if (2 * (set->n + 1) > set->alloc) {
		struct case_reported bigger = { NULL, 0, set->alloc ? set->alloc * 2 : 64 };

		bigger.v = xcalloc(bigger.alloc, sizeof(*bigger.v));
		for (i = 0; i < set->alloc; i++)
			if (set->v[i])
				reported_add(&bigger, set->v[i]);
		free(set->v);
		*set = bigger;
	}
	for (i = hash_fnv1a(s, strlen(s)) & (set->alloc - 1); set->v[i];
	     i = (i + 1) & (set->alloc - 1)) {
		if (!strcmp(set->v[i], s)) {
			free(s);
			return 0;
		}
	}
	set->v[i] = s;
	set->n++;
	return 1;
}

void case_reported_release(struct case_reported *set)
{
	for (size_t i = 0; i < set->alloc; i++)
		free(set->v[i]);
	free(set->v);
	memset(set, 0, sizeof(*set));
}

static int cmp_errors(const void *a, const void *b)
{
	const struct case_error *x = a, *y = b;
	/* whole-file errors (line 0) last */
	unsigned lx = x->line ? (unsigned)x->line : UINT_MAX;
	unsigned ly = y->line ? (unsigned)y->line : UINT_MAX;

	if (lx != ly)
		return lx < ly ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void case_errors_report(struct case_errors *e, const char *path, const char *note,
			struct case_reported *reported, struct strbuf *out)
{
	if (e->n)
		qsort(e->v, e->n, sizeof(*e->v), cmp_errors);
	for (size_t i = 0; i < e->n; i++) {
		const struct case_error *x = &e->v[i];

		if (reported) {	/* an error only some combinations have */
			struct strbuf key = STRBUF_INIT;

			strbuf_addf(&key, "%d:%s", x->line, x->msg);
			if (!reported_add(reported, strbuf_detach(&key)))
				continue;
		}
		if (x->line)
			strbuf_addf(out, "%s:%d: ", path, x->line);
		else
			strbuf_addf(out, "%s: ", path);
		if (note)
			strbuf_addf(out, "with %s: ", note);
		strbuf_addf(out, "%s\n", x->msg);
	}
}
