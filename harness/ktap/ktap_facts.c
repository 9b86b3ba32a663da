/* ktap_facts: TAP documents into tap.STEP.* facts and back. */
#include "ktap/ktap_facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Names of the document's own facts and of a point's: a description never takes them. */
static const char *const reserved[] = {
	"valid", "format", "version", "planned", "seen", "missing", "pass", "fail", "skip",
	"skip_all", "skip_all_reason", "bail_out", "bail_reason", "unknown", "misnumbered",
	"capped", "points_capped", "diagnostics_capped", "description", "directive", "diagnostic",
	"number", NULL,
};

struct ctx {
	struct facts *f;
	const char *step;
	struct strbuf name, value;
	size_t points;                 /* made into facts so far */
	size_t diag_bytes;
	int points_capped, diag_capped;
};

static int is_name_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '-';
}

void ktap_fact_name(const char *description, struct strbuf *out)
{
	const unsigned char *p = (const unsigned char *)description;
	int gap = 0;

	strbuf_reset(out);
	for (; *p; p++) {
		if (!is_name_byte(*p)) {
			gap = 1;
			continue;
		}
		if (gap && out->len) {
			if (out->len + 2 > KTAP_NAME_MAX)
				break;
			strbuf_addch(out, '_');
		}
		if (out->len + 1 > KTAP_NAME_MAX)
			break;
		gap = 0;
		strbuf_addch(out, (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p));
	}
	if (strspn(out->buf, "0123456789") == out->len)
		strbuf_reset(out);
}

static const char *result_word(const struct ktap_point *p)
{
	if (p->directive == KTAP_SKIP)
		return "skip";
	return p->ok ? "ok" : "not ok";
}

static void set(struct ctx *c, const char *path, const char *suffix, const char *value)
{
	strbuf_reset(&c->name);
	strbuf_addf(&c->name, "tap.%s.%s%s", c->step, path, suffix);
	facts_set(c->f, c->name.buf, value);
}

static void add_bounded(struct strbuf *out, const char *s, size_t max)
{
	size_t n = strlen(s);

	strbuf_add(out, s, n < max ? n : max);
	if (n > max)
		strbuf_addstr(out, " [cut]");
}

/* The comment on the result line, the lines that came with the point; a
 * long one keeps its head and tail. */
static void diagnostic(struct ctx *c, const struct ktap_point *p, struct strbuf *out)
{
	struct strbuf all = STRBUF_INIT;

	strbuf_reset(out);
	if (p->no_result_line)
		strbuf_addstr(&all, "(no result line followed these subtests)\n");
	if (*p->comment)
		strbuf_addf(&all, "# %s\n", p->comment);
	strbuf_addbuf(&all, &p->diagnostic);
	while (all.len && all.buf[all.len - 1] == '\n')
		all.buf[--all.len] = '\0';
	if (all.len > KTAP_DIAG_MAX) {
		size_t half = KTAP_DIAG_MAX / 2;

		strbuf_add(out, all.buf, half);
		strbuf_addf(out, "\n[... %zu bytes not kept ...]\n", all.len - 2 * half);
		strbuf_add(out, all.buf + all.len - half, half);
	} else {
		strbuf_addbuf(out, &all);
	}
	strbuf_release(&all);
	if (c->diag_bytes + out->len > KTAP_DIAG_TOTAL) {
		c->diag_capped = 1;
		strbuf_reset(out);
	}
	c->diag_bytes += out->len;
}

static int taken(const struct ctx *c, const char *name_in_block, const char *full)
{
	for (size_t i = 0; reserved[i]; i++)
		if (!strcmp(reserved[i], name_in_block))
			return 1;
	return facts_get(c->f, full) != NULL;
}

/* tap.STEP.[PARENT.]NAME = result, the name made unique. */
static void name_fact(struct ctx *c, const char *parent, size_t place, const struct ktap_point *p)
{
	struct strbuf base = STRBUF_INIT, try = STRBUF_INIT, full = STRBUF_INIT;

	ktap_fact_name(p->description, &base);
	for (int attempt = 0; base.len && attempt < 100; attempt++) {
		strbuf_reset(&try);
		strbuf_addbuf(&try, &base);
		if (attempt)
			strbuf_addf(&try, "_%zu", place);
		if (attempt > 1)
			strbuf_addf(&try, "_%d", attempt);
		strbuf_reset(&full);
		strbuf_addf(&full, "tap.%s.%s%s", c->step, parent, try.buf);
		if (!taken(c, try.buf, full.buf)) {
			facts_set(c->f, full.buf, result_word(p));
			break;
		}
	}
	strbuf_release(&base);
	strbuf_release(&try);
	strbuf_release(&full);
}

static void block_facts(struct ctx *c, const struct ktap_block *b, const char *parent, int depth);

static void point_facts(struct ctx *c, const struct ktap_point *p, const char *parent, size_t place, int depth)
{
	struct strbuf path = STRBUF_INIT;

	if (c->points >= KTAP_FACTS_MAX_POINTS) {
		c->points_capped = 1;
		return;
	}
	c->points++;
	strbuf_addf(&path, "%s%zu", parent, place);
	set(c, path.buf, "", result_word(p));
	strbuf_reset(&c->value);
	add_bounded(&c->value, p->description, KTAP_TEXT_MAX);
	if (c->value.len)
		set(c, path.buf, ".description", c->value.buf);
	if (p->directive != KTAP_DIRECTIVE_NONE) {
		strbuf_reset(&c->value);
		strbuf_addstr(&c->value, ktap_directive_name(p->directive));
		if (*p->directive_text) {
			strbuf_addch(&c->value, ' ');
			add_bounded(&c->value, p->directive_text, KTAP_TEXT_MAX);
		}
		set(c, path.buf, ".directive", c->value.buf);
	}
	diagnostic(c, p, &c->value);
	if (c->value.len)
		set(c, path.buf, ".diagnostic", c->value.buf);
	if (p->number_printed && p->number != place) {
		strbuf_reset(&c->value);
		strbuf_addf(&c->value, "%lu", p->number);
		set(c, path.buf, ".number", c->value.buf);
	}
	name_fact(c, parent, place, p);
	if (p->sub && depth < KTAP_MAX_DEPTH) {
		strbuf_addch(&path, '.');
		block_facts(c, p->sub, path.buf, depth + 1);
	}
	strbuf_release(&path);
}

static void block_facts(struct ctx *c, const struct ktap_block *b, const char *parent, int depth)
{
	for (size_t i = 0; i < b->npoints; i++)
		point_facts(c, &b->points[i], parent, i + 1, depth);
}

static void summary(struct ctx *c, const struct ktap_doc *doc)
{
	const struct ktap_block *top = &doc->top;
	size_t pass = 0, fail = 0, skip = 0, misnumbered = 0;

	for (size_t i = 0; i < top->npoints; i++) {
		const struct ktap_point *p = &top->points[i];

		if (p->directive == KTAP_SKIP)
			skip++;
		else if (p->ok || p->directive == KTAP_TODO)
			pass++;
		else
			fail++;
		misnumbered += p->number_printed && p->number != i + 1;
	}
	set(c, "", "format", doc->format == KTAP_FORMAT_KTAP ? "ktap" : "tap");
	strbuf_reset(&c->value);
	strbuf_addf(&c->value, "%d", doc->version);
	set(c, "", "version", c->value.buf);
	strbuf_reset(&c->value);
	if (top->planned >= 0)
		strbuf_addf(&c->value, "%ld", top->planned);
	else
		strbuf_addstr(&c->value, "none");
	set(c, "", "planned", c->value.buf);
	strbuf_reset(&c->value);
	strbuf_addf(&c->value, "%zu", top->npoints);
	set(c, "", "seen", c->value.buf);
	strbuf_reset(&c->value);
	if (top->planned >= 0)
		strbuf_addf(&c->value, "%lld", (long long)top->planned - (long long)top->npoints);
	else
		strbuf_addstr(&c->value, "unknown");
	set(c, "", "missing", c->value.buf);
	strbuf_reset(&c->value);
	strbuf_addf(&c->value, "%zu", pass);
	set(c, "", "pass", c->value.buf);
	strbuf_reset(&c->value);
	strbuf_addf(&c->value, "%zu", fail);
	set(c, "", "fail", c->value.buf);
	strbuf_reset(&c->value);
	strbuf_addf(&c->value, "%zu", skip);
	set(c, "", "skip", c->value.buf);
	set(c, "", "skip_all", top->skip_all ? "1" : "0");
	if (top->skip_all && top->skip_reason && *top->skip_reason) {
		strbuf_reset(&c->value);
		add_bounded(&c->value, top->skip_reason, KTAP_TEXT_MAX);
		set(c, "", "skip_all_reason", c->value.buf);
	}
	set(c, "", "bail_out", doc->bail_out ? "1" : "0");
	if (doc->bail_out && doc->bail_reason && *doc->bail_reason) {
		strbuf_reset(&c->value);
		add_bounded(&c->value, doc->bail_reason, KTAP_TEXT_MAX);
		set(c, "", "bail_reason", c->value.buf);
	}
	strbuf_reset(&c->value);
	strbuf_addf(&c->value, "%zu", misnumbered);
	set(c, "", "misnumbered", c->value.buf);
}

void ktap_facts(const struct ktap_doc *doc, const char *step, struct facts *f)
{
	struct ctx c = { .f = f, .step = step };
	char count[32];

	strbuf_init(&c.name);
	strbuf_init(&c.value);
	set(&c, "", "valid", doc->is_tap ? "1" : "0");
	snprintf(count, sizeof(count), "%zu", doc->nunknown);
	set(&c, "", "unknown", count);
	if (doc->is_tap) {
		summary(&c, doc);
		block_facts(&c, &doc->top, "", 0);
		if (c.points_capped)
			set(&c, "", "points_capped", "1");
		if (c.diag_capped)
			set(&c, "", "diagnostics_capped", "1");
	}
	strbuf_release(&c.name);
	strbuf_release(&c.value);
}

/* ---- reading them back ---- */

size_t ktap_facts_steps(const struct facts *f, char ***steps)
{
	static const char suffix[] = ".valid";
	size_t n = 0;

	*steps = NULL;
	for (size_t i = 0; i < f->n; i++) {
		const char *name = f->v[i].name;
		size_t len = strlen(name);

		if (strncmp(name, "tap.", 4) || len <= 4 + sizeof(suffix) - 1 ||
		    strcmp(name + len - (sizeof(suffix) - 1), suffix))
			continue;
		/* a step name holds no '.' */
		size_t step_len = len - 4 - (sizeof(suffix) - 1);
		if (memchr(name + 4, '.', step_len))
			continue;
		*steps = xrealloc(*steps, (n + 1) * sizeof(**steps));
		(*steps)[n++] = xstrndup(name + 4, step_len);
	}
	return n;
}

struct reader {
	const struct facts *f;
	const char *step;
	struct ktap_fact_point *v;
	size_t n;
};

static const char *get_or_empty(const struct facts *f, const char *name)
{
	const char *v = facts_get(f, name);
	return v ? v : "";
}

static void read_block(struct reader *r, const char *parent, int depth)
{
	struct strbuf name = STRBUF_INIT, path = STRBUF_INIT;

	for (size_t i = 1;; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s%zu", parent, i);
		strbuf_reset(&name);
		strbuf_addf(&name, "tap.%s.%s", r->step, path.buf);
		const char *result = facts_get(r->f, name.buf);
		if (!result)
			break;
		r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
		struct ktap_fact_point *p = &r->v[r->n++];
		size_t base = name.len;
		p->path = xstrdup(path.buf);
		p->depth = depth;
		p->result = result;
		strbuf_addstr(&name, ".description");
		p->description = get_or_empty(r->f, name.buf);
		name.len = base;
		strbuf_addstr(&name, ".directive");
		p->directive = get_or_empty(r->f, name.buf);
		name.len = base;
		strbuf_addstr(&name, ".diagnostic");
		p->diagnostic = get_or_empty(r->f, name.buf);
		if (depth < KTAP_MAX_DEPTH) {
			strbuf_addch(&path, '.');
			read_block(r, path.buf, depth + 1);
		}
	}
	strbuf_release(&name);
	strbuf_release(&path);
}

size_t ktap_facts_points(const struct facts *f, const char *step, struct ktap_fact_point **points)
{
	struct reader r = { .f = f, .step = step };

	read_block(&r, "", 0);
	*points = r.v;
	return r.n;
}

void ktap_fact_points_free(struct ktap_fact_point *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}
