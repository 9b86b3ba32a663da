/* facts: ordered name/value table of everything a run observed. */
#include "lib/facts.h"
#include "lib/hash.h"
#include "lib/json.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void facts_release(struct facts *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].value);
	}
	free(f->v);
	free(f->index);
	f->v = NULL;
	f->index = NULL;
	f->n = f->alloc = f->index_cap = 0;
}

/* The slot holding name, or the empty slot where it would go. */
static size_t slot_of(const struct facts *f, const char *name)
{
	size_t mask = f->index_cap - 1, s = (size_t)hash_fnv1a(name, strlen(name)) & mask;

	while (f->index[s] && strcmp(f->v[f->index[s] - 1].name, name))
		s = (s + 1) & mask;
	return s;
}

static void reindex(struct facts *f, size_t cap)
{
	free(f->index);
	f->index = xcalloc(cap, sizeof(*f->index));
	f->index_cap = cap;
	for (size_t i = 0; i < f->n; i++)
		f->index[slot_of(f, f->v[i].name)] = i + 1;
}

static struct fact *find(const struct facts *f, const char *name)
{
	if (!f->index_cap)
		return NULL;
	size_t i = f->index[slot_of(f, name)];
	return i ? &f->v[i - 1] : NULL;
}

void facts_set(struct facts *f, const char *name, const char *value)
{
	struct fact *old = find(f, name);

	if (old) {
		free(old->value);
		old->value = xstrdup(value);
		return;
	}
	if (f->n == f->alloc) {
		f->alloc = f->alloc ? f->alloc * 2 : 32;
		f->v = xrealloc(f->v, f->alloc * sizeof(*f->v));
	}
	f->v[f->n].name = xstrdup(name);
	f->v[f->n].value = xstrdup(value);
	f->n++;
	/* Keep the table at most half full. */
	if (f->n * 2 > f->index_cap)
		reindex(f, f->index_cap ? f->index_cap * 2 : 64);
	else
		f->index[slot_of(f, name)] = f->n;
}

void facts_setf(struct facts *f, const char *name, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	facts_set(f, name, sb.buf);
	strbuf_release(&sb);
}

const char *facts_get(const struct facts *f, const char *name)
{
	struct fact *x = find(f, name);
	return x ? x->value : NULL;
}

void facts_to_json(const struct facts *f, struct strbuf *out)
{
	json_object *o = json_object_new_object();

	for (size_t i = 0; i < f->n; i++)
		json_put(o, f->v[i].name, json_str(f->v[i].value));
	json_dump(o, 1, out);
	json_object_put(o);
}
