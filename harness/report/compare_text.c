/* compare_text: the comparison as text for people (see compare_text.h). */
#include "report/compare_text.h"

#include <string.h>

#include "lib/utf8.h"

/* Widest name and A value a column is padded to; longer ones push the
 * rest of their row out. */
#define NAME_COLUMN_MAX 56
#define VALUE_COLUMN_MAX 40

/* Characters (not bytes) of valid UTF-8. */
static size_t width(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

void compare_text_escape(struct strbuf *out, const char *s, size_t max)
{
	struct strbuf clean = STRBUF_INIT, esc = STRBUF_INIT;

	utf8_sanitize(&clean, s, strlen(s), 0);
	for (size_t i = 0; i < clean.len; i++) {
		unsigned char c = (unsigned char)clean.buf[i];
		if (c == '\\')
			strbuf_addstr(&esc, "\\\\");
		else if (c == '\t')
			strbuf_addstr(&esc, "\\t");
		else if (c == '\n')
			strbuf_addstr(&esc, "\\n");
		else if (c == '\r')
			strbuf_addstr(&esc, "\\r");
		else if (c < 0x20 || c == 0x7f)
			strbuf_addf(&esc, "\\x%02x", c);
		else
			strbuf_addch(&esc, (char)c);
	}
	size_t len = esc.len, chars = 0;
	for (size_t i = 0; i < esc.len; i++) {
		if (((unsigned char)esc.buf[i] & 0xc0) == 0x80)
			continue;
		if (chars++ == max) {
			len = i;
			break;
		}
	}
	strbuf_add(out, esc.buf, len);
	if (len < esc.len)
		strbuf_addstr(out, "...");
	strbuf_release(&clean);
	strbuf_release(&esc);
}

void compare_text_value(struct strbuf *out, const char *v, size_t max)
{
	if (!v)
		strbuf_addstr(out, "(absent)");
	else if (!*v)
		strbuf_addstr(out, "\"\"");
	else
		compare_text_escape(out, v, max);
}

static void pad(struct strbuf *out, size_t have, size_t want)
{
	for (; have < want; have++)
		strbuf_addch(out, ' ');
}

/* "= name [target]: pass, pass, 3 facts differ", "! name [t]: pass -> fail",
 * "< name [t]: only in A (pass)". */
static void pair_line(struct strbuf *out, const struct compare_pair *p)
{
	const struct compare_run *any = p->a ? p->a : p->b;
	struct strbuf target = STRBUF_INIT;

	compare_pair_target(p, &target);
	strbuf_addstr(out, !p->b ? "< " : !p->a ? "> " : p->verdict_differs ? "! " : "= ");
	compare_text_escape(out, any->name, (size_t)-1);
	strbuf_addstr(out, " [");
	compare_text_escape(out, target.buf, (size_t)-1);
	strbuf_addstr(out, "]: ");
	strbuf_release(&target);
	if (!p->a || !p->b) {
		strbuf_addf(out, "only in %c (", p->a ? 'A' : 'B');
		compare_text_escape(out, any->verdict, (size_t)-1);
		strbuf_addstr(out, ")\n");
		return;
	}
	compare_text_escape(out, p->a->verdict, (size_t)-1);
	strbuf_addstr(out, p->verdict_differs ? " -> " : ", ");
	compare_text_escape(out, p->b->verdict, (size_t)-1);
	if (p->no_facts)
		strbuf_addf(out, ", no facts in %c", p->no_facts == 'a' ? 'A' : 'B');
	else if (p->ndiffs)
		strbuf_addf(out, ", %zu %s", p->ndiffs, p->ndiffs == 1 ? "fact differs" : "facts differ");
	else if (!p->verdict_differs)
		strbuf_addstr(out, ", no fact differs");
	strbuf_addch(out, '\n');
}

/* Why a run did not pass: its reason, else its failed expectations. */
static void why_lines(struct strbuf *out, char side, const struct compare_run *r)
{
	if (*r->reason) {
		strbuf_addf(out, "    %c: ", side);
		compare_text_escape(out, r->reason, (size_t)-1);
		strbuf_addch(out, '\n');
	}
	for (size_t i = 0; !*r->reason && i < r->nfailed; i++) {
		strbuf_addf(out, "    %c: ", side);
		compare_text_escape(out, r->failed[i], (size_t)-1);
		strbuf_addch(out, '\n');
	}
}

static void fact_lines(struct strbuf *out, const struct compare_pair *p)
{
	struct strbuf name = STRBUF_INIT, a = STRBUF_INIT;
	size_t wname = 0, wa = 0;

	for (size_t i = 0; i < p->ndiffs; i++) {
		strbuf_reset(&name);
		strbuf_reset(&a);
		compare_text_escape(&name, p->diffs[i].name, (size_t)-1);
		compare_text_value(&a, p->diffs[i].a, COMPARE_TEXT_VALUE_MAX);
		size_t n = width(name.buf, name.len), v = width(a.buf, a.len);
		if (n > wname && n <= NAME_COLUMN_MAX)
			wname = n;
		if (v > wa && v <= VALUE_COLUMN_MAX)
			wa = v;
	}
	for (size_t i = 0; i < p->ndiffs; i++) {
		strbuf_reset(&name);
		strbuf_reset(&a);
		compare_text_escape(&name, p->diffs[i].name, (size_t)-1);
		compare_text_value(&a, p->diffs[i].a, COMPARE_TEXT_VALUE_MAX);
		strbuf_addstr(out, "    ");
		strbuf_addbuf(out, &name);
		pad(out, width(name.buf, name.len), wname);
		strbuf_addstr(out, "  ");
		strbuf_addbuf(out, &a);
		pad(out, width(a.buf, a.len), wa);
		strbuf_addstr(out, "  ");
		compare_text_value(out, p->diffs[i].b, COMPARE_TEXT_VALUE_MAX);
		strbuf_addch(out, '\n');
	}
	strbuf_release(&name);
	strbuf_release(&a);
}

void compare_text(const struct compare_result *res, int all, struct strbuf *out)
{
	int spaced = 1;             /* the last line written is blank */

	strbuf_addstr(out, "A: ");
	compare_text_escape(out, res->label_a, (size_t)-1);
	strbuf_addstr(out, "\nB: ");
	compare_text_escape(out, res->label_b, (size_t)-1);
	strbuf_addstr(out, res->by_name ? "\n(runs matched by case name)\n\n" : "\n\n");
	struct strbuf block = STRBUF_INIT;
	for (size_t i = 0; i < res->n; i++) {
		const struct compare_pair *p = &res->v[i];
		if (!all && !compare_pair_differs(p))
			continue;
		strbuf_reset(&block);
		pair_line(&block, p);
		if (p->a && p->b && p->verdict_differs) {
			if (strcmp(p->a->verdict, "pass"))
				why_lines(&block, 'A', p->a);
			if (strcmp(p->b->verdict, "pass"))
				why_lines(&block, 'B', p->b);
		}
		if (p->a && p->b)
			fact_lines(&block, p);
		/* a pair with lines under it is set off by blank lines */
		int detailed = memchr(block.buf, '\n', block.len) != block.buf + block.len - 1;
		if (detailed && !spaced)
			strbuf_addch(out, '\n');
		strbuf_addbuf(out, &block);
		if (detailed)
			strbuf_addch(out, '\n');
		spaced = detailed;
	}
	strbuf_release(&block);
	if (!spaced)
		strbuf_addch(out, '\n');
	compare_summary(res, out);
	strbuf_addch(out, '\n');
}
