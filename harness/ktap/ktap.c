/* ktap: TAP and KTAP text into a document, a line at a time. */
#include "ktap/ktap.h"
#include "ktap/ktap_line.h"

#include <stdlib.h>
#include <string.h>

/* One open block of the nesting, outermost first. */
struct level {
	struct ktap_block *b;
	struct ktap_block *pending;    /* closed subtests waiting for their parent point here */
	char *pending_name;            /* "# Subtest: NAME" seen here, for the next block below */
	struct strbuf before;          /* diagnostics waiting for this level's next point */
	int by_version;                /* opened by a version line (KTAP): "# Subtest:" names it */
};

struct ktap_state {
	struct level lv[KTAP_MAX_DEPTH + 1];
	size_t depth;                  /* lv[0..depth] are open */
	int started;                   /* a TAP line came: the mode and top indent are known */
	int diag_before;               /* diagnostics precede their point (versioned documents) */
	int version_seen;
	int bailed;
	struct ktap_block *last_block; /* the previous line was a test point of this block */
	struct ktap_block *yaml_block; /* a YAML block is open for this block's last point */
	size_t yaml_indent;
	size_t unknown_alloc;
};

static struct ktap_block *block_new(size_t indent, size_t line)
{
	struct ktap_block *b = xcalloc(1, sizeof(*b));

	b->planned = -1;
	b->indent = indent;
	b->line = line;
	strbuf_init(&b->notes);
	return b;
}

static void block_release(struct ktap_block *b)
{
	for (size_t i = 0; i < b->npoints; i++) {
		struct ktap_point *p = &b->points[i];

		free(p->description);
		free(p->directive_text);
		free(p->comment);
		strbuf_release(&p->diagnostic);
		if (p->sub) {
			block_release(p->sub);
			free(p->sub);
		}
	}
	free(b->points);
	free(b->name);
	free(b->skip_reason);
	strbuf_release(&b->notes);
}

static void add_text_line(struct strbuf *sb, const char *s, size_t len)
{
	strbuf_add(sb, s, len);
	strbuf_addch(sb, '\n');
}

/* ---- the nesting ---- */

static struct level *cur(struct ktap_state *st)
{
	return &st->lv[st->depth];
}

static struct ktap_point *add_point(struct ktap_block *b)
{
	if (b->npoints == b->alloc) {
		b->alloc = b->alloc ? b->alloc * 2 : 8;
		b->points = xrealloc(b->points, b->alloc * sizeof(*b->points));
	}
	return &b->points[b->npoints++];
}

static unsigned long next_number(const struct ktap_block *b)
{
	unsigned long last = b->npoints ? b->points[b->npoints - 1].number : 0;
	return last < KTAP_NUMBER_MAX ? last + 1 : KTAP_NUMBER_MAX;
}

/* Subtests whose parent line never came: a "not ok" point of their own. */
static void adopt_pending(struct level *lv)
{
	struct ktap_block *sub = lv->pending;
	struct ktap_point *p;
	unsigned long n;

	if (!sub)
		return;
	lv->pending = NULL;
	n = next_number(lv->b);
	p = add_point(lv->b);
	memset(p, 0, sizeof(*p));
	p->number = n;
	p->no_result_line = 1;
	p->description = xstrdup(sub->name ? sub->name : "");
	p->directive_text = xstrdup("");
	p->comment = xstrdup("");
	strbuf_init(&p->diagnostic);
	p->sub = sub;
	p->line = sub->line;
}

static void close_level(struct ktap_state *st)
{
	struct level *lv = cur(st);
	struct ktap_block *b = lv->b;

	adopt_pending(lv);
	strbuf_addbuf(&b->notes, &lv->before);
	strbuf_release(&lv->before);
	free(lv->pending_name);
	memset(lv, 0, sizeof(*lv));
	st->depth--;
	lv = cur(st);
	adopt_pending(lv);
	lv->pending = b;
	if (st->last_block == b)
		st->last_block = NULL;
}

/* Closes the blocks indented deeper than a line at `indent`. */
static void close_deeper(struct ktap_state *st, size_t indent)
{
	while (st->depth > 0 && cur(st)->b->indent > indent)
		close_level(st);
}

/* Opens a block of subtests at `indent`; 0 when nesting is too deep. */
static int open_level(struct ktap_state *st, size_t indent, size_t line)
{
	struct level *parent = cur(st), *lv;

	if (st->depth == KTAP_MAX_DEPTH)
		return 0;
	adopt_pending(parent);
	lv = &st->lv[++st->depth];
	memset(lv, 0, sizeof(*lv));
	lv->b = block_new(indent, line);
	lv->b->name = parent->pending_name;
	parent->pending_name = NULL;
	strbuf_init(&lv->before);
	return 1;
}

/* A diagnostic (or unknown) line of level lv. */
static void diagnose(struct ktap_state *st, struct level *lv, const struct ktap_line *l)
{
	struct ktap_block *b = lv->b;
	size_t len;
	const char *s = ktap_dedent(l->raw, l->rawlen, b->indent, &len);

	if (!st->started || st->diag_before || lv->pending || lv->pending_name)
		add_text_line(&lv->before, s, len);
	else if (b->npoints && !b->plan_after_points)
		add_text_line(&b->points[b->npoints - 1].diagnostic, s, len);
	else
		add_text_line(&b->notes, s, len);
}

static void unknown(struct ktap_doc *doc, const struct ktap_line *l)
{
	struct ktap_state *st = doc->st;
	size_t at = st->depth;

	if (doc->nunknown == st->unknown_alloc) {
		st->unknown_alloc = st->unknown_alloc ? st->unknown_alloc * 2 : 16;
		doc->unknown = xrealloc(doc->unknown, st->unknown_alloc * sizeof(*doc->unknown));
	}
	doc->unknown[doc->nunknown].line = l->no;
	doc->unknown[doc->nunknown++].text = xstrndup(l->raw, l->rawlen);
	/* not TAP, so not nested: the innermost block it is not left of */
	while (at > 0 && st->lv[at].b->indent > l->indent)
		at--;
	diagnose(st, &st->lv[at], l);
}

/* ---- reading ---- */

/* The first TAP line fixes the top block's indentation and whether
 * diagnostics precede their point. */
static void start(struct ktap_doc *doc, const struct ktap_line *l, enum ktap_kind k)
{
	struct ktap_state *st = doc->st;

	if (st->started)
		return;
	st->started = 1;
	st->diag_before = k == KTAP_L_VERSION;
	doc->top.indent = l->indent;
	if (!st->diag_before) {
		strbuf_addbuf(&doc->top.notes, &st->lv[0].before);
		strbuf_reset(&st->lv[0].before);
	}
}

/* Closes what a TAP line at l->indent ends and opens a block for one
 * indented deeper; 0 when that would nest too deep. */
static int place(struct ktap_state *st, const struct ktap_line *l)
{
	close_deeper(st, l->indent);
	if (l->indent > cur(st)->b->indent)
		return open_level(st, l->indent, l->no);
	return 1;
}

static void on_point(struct ktap_doc *doc, const struct ktap_line *l)
{
	struct ktap_state *st = doc->st;
	struct ktap_point p;
	struct level *lv;

	if (!ktap_line_point(l, &p)) {
		unknown(doc, l);
		return;
	}
	start(doc, l, KTAP_L_POINT);
	doc->is_tap = 1;
	if (!place(st, l)) {
		free(p.description);
		free(p.directive_text);
		free(p.comment);
		unknown(doc, l);
		return;
	}
	lv = cur(st);
	if (!p.number_printed)
		p.number = next_number(lv->b);
	strbuf_release(&p.diagnostic);
	p.diagnostic = lv->before;
	strbuf_init(&lv->before);
	p.sub = lv->pending;
	lv->pending = NULL;
	if (!*p.description && p.sub && p.sub->name) {
		free(p.description);
		p.description = xstrdup(p.sub->name);
	}
	free(lv->pending_name);
	lv->pending_name = NULL;
	*add_point(lv->b) = p;
	st->last_block = lv->b;
}

static void on_plan(struct ktap_doc *doc, const struct ktap_line *l)
{
	struct ktap_state *st = doc->st;
	unsigned long n;
	int skip_all;
	char *reason;
	struct ktap_block *b;

	if (!ktap_line_plan(l, &n, &skip_all, &reason)) {
		unknown(doc, l);
		return;
	}
	start(doc, l, KTAP_L_PLAN);
	doc->is_tap = 1;
	if (!place(st, l) || cur(st)->b->planned >= 0) {
		free(reason);
		unknown(doc, l);   /* too deep, or a second plan */
		return;
	}
	b = cur(st)->b;
	b->planned = (long)n;
	b->skip_all = skip_all;
	b->skip_reason = reason;
	b->plan_after_points = b->npoints > 0;
}

static void on_version(struct ktap_doc *doc, const struct ktap_line *l)
{
	struct ktap_state *st = doc->st;
	enum ktap_format format;
	int version;

	if (!ktap_line_version(l, &format, &version)) {
		unknown(doc, l);
		return;
	}
	start(doc, l, KTAP_L_VERSION);
	doc->is_tap = 1;
	close_deeper(st, l->indent);
	if (l->indent > cur(st)->b->indent) {
		if (!open_level(st, l->indent, l->no))
			unknown(doc, l);
		else
			cur(st)->by_version = 1;
		return;
	}
	if (!st->depth && !st->version_seen && !doc->top.npoints && doc->top.planned < 0) {
		doc->format = format;
		doc->version = version;
		st->version_seen = 1;
		return;
	}
	unknown(doc, l);   /* another document's, or misplaced */
}

static void on_subtest(struct ktap_doc *doc, const struct ktap_line *l)
{
	struct ktap_state *st = doc->st;
	struct level *lv;
	char *name = ktap_line_subtest_name(l);

	start(doc, l, KTAP_L_SUBTEST);
	close_deeper(st, l->indent);
	lv = cur(st);
	if (l->indent > lv->b->indent) {
		free(lv->pending_name);
		lv->pending_name = name;
		if (!open_level(st, l->indent, l->no)) {
			lv->pending_name = NULL;
			free(name);
			unknown(doc, l);
		}
		return;
	}
	/* KTAP: "KTAP version 1" then "# Subtest: NAME" name the block they open */
	if (st->depth && lv->by_version && !lv->b->name && !lv->b->npoints && lv->b->planned < 0) {
		lv->b->name = name;
		return;
	}
	free(lv->pending_name);
	lv->pending_name = name;
}

static void on_line(struct ktap_doc *doc, const struct ktap_line *l)
{
	struct ktap_state *st = doc->st;
	struct ktap_block *after_point = st->last_block;
	size_t len;
	const char *s;

	st->last_block = NULL;
	if (st->yaml_block) {
		struct ktap_point *p = &st->yaml_block->points[st->yaml_block->npoints - 1];

		if (!l->len || l->indent >= st->yaml_indent) {
			if (l->len == 3 && !memcmp(l->c, "...", 3) && l->indent == st->yaml_indent) {
				st->yaml_block = NULL;
				return;
			}
			s = ktap_dedent(l->raw, l->rawlen, st->yaml_indent, &len);
			add_text_line(&p->diagnostic, s, len);
			return;
		}
		st->yaml_block = NULL;
	}
	if (!l->len)
		return;
	if (after_point && l->indent > after_point->indent && l->len == 3 && !memcmp(l->c, "---", 3)) {
		st->yaml_block = after_point;
		st->yaml_indent = l->indent;
		return;
	}
	switch (ktap_line_kind(l)) {
	case KTAP_L_POINT:
		on_point(doc, l);
		break;
	case KTAP_L_PLAN:
		on_plan(doc, l);
		break;
	case KTAP_L_VERSION:
		on_version(doc, l);
		break;
	case KTAP_L_BAIL:
		start(doc, l, KTAP_L_BAIL);
		doc->is_tap = 1;
		doc->bail_out = 1;
		doc->bail_reason = ktap_line_bail_reason(l);
		st->bailed = 1;
		break;
	case KTAP_L_SUBTEST:
		on_subtest(doc, l);
		break;
	case KTAP_L_PRAGMA:
		break;
	case KTAP_L_DIAG:
		if (st->started)
			close_deeper(st, l->indent);
		diagnose(st, cur(st), l);
		break;
	case KTAP_L_UNKNOWN:
		unknown(doc, l);
		break;
	}
}

void ktap_add_line(struct ktap_doc *doc, const char *line, size_t len)
{
	struct ktap_line l;

	if (!doc->st)
		return;
	doc->lines++;
	if (doc->st->bailed)
		return;
	ktap_line_split(&l, line, len, doc->lines);
	on_line(doc, &l);
}

void ktap_init(struct ktap_doc *doc)
{
	memset(doc, 0, sizeof(*doc));
	doc->format = KTAP_FORMAT_TAP;
	doc->version = 12;
	doc->top.planned = -1;
	doc->top.line = 1;
	strbuf_init(&doc->top.notes);
	doc->st = xcalloc(1, sizeof(*doc->st));
	doc->st->lv[0].b = &doc->top;
	strbuf_init(&doc->st->lv[0].before);
}

void ktap_finish(struct ktap_doc *doc)
{
	struct ktap_state *st = doc->st;

	if (!st)
		return;
	while (st->depth)
		close_level(st);
	adopt_pending(&st->lv[0]);
	strbuf_addbuf(&doc->top.notes, &st->lv[0].before);
	strbuf_release(&st->lv[0].before);
	free(st->lv[0].pending_name);
	free(st);
	doc->st = NULL;
}

void ktap_parse(struct ktap_doc *doc, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	ktap_init(doc);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		ktap_add_line(doc, p, n);
		p += n + (nl ? 1 : 0);
	}
	ktap_finish(doc);
}

void ktap_release(struct ktap_doc *doc)
{
	ktap_finish(doc);
	block_release(&doc->top);
	free(doc->bail_reason);
	for (size_t i = 0; i < doc->nunknown; i++)
		free(doc->unknown[i].text);
	free(doc->unknown);
	memset(doc, 0, sizeof(*doc));
}
