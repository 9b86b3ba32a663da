/* html_tap: a run's TAP test points as tables. */
#include "report/html_tap.h"

#include <stdlib.h>
#include <string.h>

#include "ktap/ktap_facts.h"
#include "report/html_tree.h"

static const char *fact(const struct report_entry *e, const char *step, const char *what)
{
	struct strbuf name = STRBUF_INIT;
	const char *v;

	strbuf_addf(&name, "tap.%s.%s", step, what);
	v = facts_get(&e->facts, name.buf);
	strbuf_release(&name);
	return v ? v : "?";
}

static void summary(xmlNodePtr parent, const struct report_entry *e, const char *step)
{
	struct strbuf s = STRBUF_INIT;
	xmlNodePtr p = html_el(parent, "p", NULL);

	html_set(p, "class", "note tap-summary");
	if (!strcmp(fact(e, step, "valid"), "1")) {
		strbuf_addf(&s, "%s %s: %s planned, %s seen: %s pass, %s fail, %s skip.",
			    !strcmp(fact(e, step, "format"), "ktap") ? "KTAP" : "TAP", fact(e, step, "version"),
			    fact(e, step, "planned"), fact(e, step, "seen"), fact(e, step, "pass"),
			    fact(e, step, "fail"), fact(e, step, "skip"));
		if (!strcmp(fact(e, step, "skip_all"), "1"))
			strbuf_addf(&s, " Skipped as a whole: %s.", fact(e, step, "skip_all_reason"));
		if (!strcmp(fact(e, step, "bail_out"), "1"))
			strbuf_addf(&s, " Bail out! %s", fact(e, step, "bail_reason"));
	} else {
		strbuf_addstr(&s, "The step's output was not TAP.");
	}
	if (strcmp(fact(e, step, "unknown"), "0"))
		strbuf_addf(&s, " Lines that are not TAP: %s.", fact(e, step, "unknown"));
	if (!strcmp(fact(e, step, "capped"), "1"))
		strbuf_addstr(&s, " Only the first part of the output was kept.");
	if (!strcmp(fact(e, step, "points_capped"), "1"))
		strbuf_addstr(&s, " Not every point is listed.");
	html_add_text(p, s.buf, s.len);
	strbuf_release(&s);
}

static const char *result_class(const struct ktap_fact_point *p)
{
	if (!strcmp(p->result, "skip"))
		return "skip";
	if (!strcmp(p->result, "ok"))
		return "yes";
	return strncmp(p->directive, "TODO", 4) ? "no" : "todo";
}

static void points_table(xmlNodePtr parent, const struct ktap_fact_point *v, size_t n)
{
	xmlNodePtr t = html_el(parent, "table", NULL), tr = html_el(t, "tr", NULL);
	static const char *const heads[] = { "test", "result", "description", "directive", "diagnostic" };

	html_set(t, "class", "tap");
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		html_el(tr, "th", heads[i]);
	for (size_t i = 0; i < n; i++) {
		const struct ktap_fact_point *p = &v[i];
		tr = html_el(t, "tr", NULL);
		html_setf(tr, "class", "tap-depth-%d", p->depth);
		xmlNodePtr num = html_el(tr, "td", p->path);
		if (p->depth)
			html_setf(num, "style", "padding-left:%.1fem", 0.6 + 1.5 * p->depth);
		html_set(html_el(tr, "td", p->result), "class", result_class(p));
		html_el(tr, "td", p->description);
		html_el(tr, "td", p->directive);
		xmlNodePtr diag = html_el(tr, "td", NULL);
		if (*p->diagnostic)
			html_set(html_el(diag, "pre", p->diagnostic), "class", "diag");
	}
}

void html_tap_block(xmlNodePtr parent, const struct report_entry *e)
{
	char **steps;
	size_t nsteps = ktap_facts_steps(&e->facts, &steps);

	for (size_t s = 0; s < nsteps; s++) {
		struct ktap_fact_point *v;
		size_t n = ktap_facts_points(&e->facts, steps[s], &v);

		html_elf(parent, "h3", "TAP of step %s", steps[s]);
		summary(parent, e, steps[s]);
		if (n)
			points_table(parent, v, n);
		ktap_fact_points_free(v, n);
		free(steps[s]);
	}
	free(steps);
}
