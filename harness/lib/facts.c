/* facts: ordered name/value table of everything a run observed. */
#include "lib/facts.h"

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

static size_t hash(const char *s)
{
	size_t h = 14695981039346656037ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The slot holding name, or the empty slot where it would go. */
static size_t slot_of(const struct facts *f, const char *name)
{
	size_t mask = f->index_cap - 1, s = hash(name) & mask;

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

/* Length of a valid UTF-8 sequence starting at s, or 0. */
static size_t utf8_len(const unsigned char *s, size_t left)
{
	size_t n;
	unsigned min;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) { n = 2; cp = s[0] & 0x1f; min = 0x80; }
	else if ((s[0] & 0xf0) == 0xe0) { n = 3; cp = s[0] & 0x0f; min = 0x800; }
	else if ((s[0] & 0xf8) == 0xf0) { n = 4; cp = s[0] & 0x07; min = 0x10000; }
	else
		return 0;
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void json_add_string(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	strbuf_addch(out, '"');
	for (size_t i = 0; i < len;) {
		unsigned char c = p[i];
		size_t n;

		if (c == '"' || c == '\\') {
			strbuf_addch(out, '\\');
			strbuf_addch(out, (char)c);
			i++;
		} else if (c == '\n') {
			strbuf_addstr(out, "\\n");
			i++;
		} else if (c == '\t') {
			strbuf_addstr(out, "\\t");
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			strbuf_addf(out, "\\u%04x", c);
			i++;
		} else if ((n = utf8_len(p + i, len - i)) > 0) {
			strbuf_add(out, p + i, n);
			i += n;
		} else {
			/* Not UTF-8: keep the byte visible as U+FFFD-free escape. */
			strbuf_addf(out, "\\u00%02x", c);
			i++;
		}
	}
	strbuf_addch(out, '"');
}

void facts_to_json(const struct facts *f, struct strbuf *out)
{
	strbuf_addstr(out, "{\n");
	for (size_t i = 0; i < f->n; i++) {
		strbuf_addstr(out, "  ");
		json_add_string(out, f->v[i].name, strlen(f->v[i].name));
		strbuf_addstr(out, ": ");
		json_add_string(out, f->v[i].value, strlen(f->v[i].value));
		strbuf_addstr(out, i + 1 < f->n ? ",\n" : "\n");
	}
	strbuf_addstr(out, "}\n");
}
