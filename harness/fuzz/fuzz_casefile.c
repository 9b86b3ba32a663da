/* fuzz_casefile: case_parse_all on arbitrary bytes (every combination of
 * [params]), then judging what parsed against a small fact table and the
 * input as console; checks that errors are well-formed "fuzz.case:LINE:
 * message" lines and that each parsed case is consistent (a step's wait
 * names what exists). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "case/casefile.h"

#define PATH "fuzz.case"

static void check_errors(const struct strbuf *err)
{
	const char *p = err->buf, *end = err->buf + err->len;

	if (!err->len || end[-1] != '\n')
		abort();
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (strncmp(p, PATH ":", strlen(PATH ":")) || nl - p < (long)strlen(PATH ": x"))
			abort();
		p = nl + 1;
	}
}

static int has_cgroup(const struct oomcase *c, const char *name)
{
	for (size_t i = 0; i < c->ncgroups; i++)
		if (!strcmp(c->cgroups[i].name, name))
			return 1;
	return 0;
}

static int step_index(const struct oomcase *c, const char *name)
{
	for (size_t i = 0; i < c->nsteps; i++)
		if (!strcmp(c->steps[i].name, name))
			return (int)i;
	return -1;
}

/* A parsed wait names what exists, with the fields its kind needs. */
static void check_wait(const struct oomcase *c, size_t si)
{
	const struct case_step *s = &c->steps[si];
	const struct case_wait *w = s->wait;
	int j;

	if (!w->text_form || w->line <= 0 || w->max_ms <= 0 || s->sleep_ms)
		abort();
	switch (w->kind) {
	case WAIT_EXIT:
		j = w->step ? step_index(c, w->step) : -1;
		if (j < 0 || (size_t)j > si || c->steps[j].kind == STEP_NONE || !c->steps[j].background)
			abort();
		break;
	case WAIT_OUTPUT:
		if (!w->text || !*w->text || !w->step || strcmp(w->step, s->name) || s->kind == STEP_NONE)
			abort();
		break;
	case WAIT_OOM_KILL:
		if (w->group && !has_cgroup(c, w->group))
			abort();
		break;
	case WAIT_CGROUP:
		if (!w->group || !has_cgroup(c, w->group) || !w->file || !strchr(w->file, '.') ||
		    (w->key && !*w->key) || w->op < OP_EQ || w->op > OP_GE || w->value < 0)
			abort();
		break;
	default:
		abort();
	}
}

static void check_case(const struct oomcase *c, const uint8_t *data, size_t size)
{
	struct facts f = FACTS_INIT;
	struct strbuf seen = STRBUF_INIT;

	if (!c->nexpects || strcmp(c->path, PATH) || strcmp(c->name, "fuzz"))
		abort();
	if (c->memory < (32ULL << 20) || c->memory > (16ULL << 30) || c->timeout_ms <= 0)
		abort();
	for (size_t i = 0; i < c->ncgroups; i++)
		if (c->cgroups[i].version != 1 && c->cgroups[i].version != 2)
			abort();
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct case_step *s = &c->steps[i];

		if ((s->kind == STEP_NONE) != !s->argc || (s->argv && s->argv[s->argc]))
			abort();
		if (s->kind == STEP_NONE && !s->sleep_ms && !s->ncollect && !s->rmmod && !s->write_path &&
		    !s->wait)
			abort();
		if (s->wait)
			check_wait(c, i);
		if (s->write_path && (!s->write_value || strstr(s->write_path, "/..") || strstr(s->write_path, "//") ||
				      (strncmp(s->write_path, "/proc/", 6) && strncmp(s->write_path, "/sys/", 5))))
			abort();
		if (s->has_oom_score_adj &&
		    (s->kind == STEP_NONE || s->oom_score_adj < -1000 || s->oom_score_adj > 1000))
			abort();
		if (s->cgroup && (s->kind == STEP_NONE || !has_cgroup(c, s->cgroup)))
			abort();
		if (s->sleep_ms < 0)
			abort();
	}

	facts_set(&f, "oom.count", "1");
	facts_set(&f, "oom.1.victim.comm", "hog");
	facts_set(&f, "cgroup.hog.memory.failcnt", "0x10");
	for (size_t i = 0; i < c->nsysctls; i++)
		if (!c->sysctls[i].file || !strchr(c->sysctls[i].file, '.') ||
		    !*c->sysctls[i].value || strpbrk(c->sysctls[i].value, " \t"))
			abort();
	if ((c->needs && c->needs[c->nneeds]) || (!c->needs && c->nneeds))
		abort();
	for (size_t i = 0; i < c->nexpects; i++) {
		const struct expectation *head = &c->expects[i];

		for (const struct expectation *e = head; e; e = e->or_next) {
			if (!e->fact || !e->value || !e->text || e->line != head->line ||
			    e->line <= 0 || !e->selector != !head->selector ||
			    (e->selector && strcmp(e->selector, head->selector)))
				abort();
		}
		if (head->selector && !expect_selects(head->selector, head->selector, NULL, NULL))
			abort();
		expect_selects(head->selector, "t", "x86_64", "6.12.107+deb12-amd64");
		strbuf_reset(&seen);
		expect_eval(head, &f, (const char *)data, size, &seen);
	}
	strbuf_release(&seen);
	facts_release(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oomcase *cases;
	struct strbuf err = STRBUF_INIT;
	size_t n;
	int rc = case_parse_all(PATH, (const char *)data, size, &cases, &n, &err);

	if (rc) {
		check_errors(&err);
		if (cases || n)
			abort();
	} else {
		if (err.len || !n || n > 256)
			abort();
		for (size_t i = 0; i < n; i++) {
			/* several runs: each named, no two alike */
			if (n > 1 && !cases[i].variant)
				abort();
			for (size_t j = 0; j < i; j++)
				if (cases[i].variant && cases[j].variant &&
				    !strcmp(cases[i].variant, cases[j].variant))
					abort();
			check_case(&cases[i], data, size);
			case_release(&cases[i]);
		}
		free(cases);
	}
	strbuf_release(&err);
	return 0;
}
