/* fuzz_casefile: case_parse on arbitrary bytes, then judging what parsed
 * against a small fact table and the input as console; checks that errors
 * are well-formed "fuzz.case:LINE: message" lines and that a parsed case is
 * consistent. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "casefile.h"

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
		if (s->kind == STEP_NONE && !s->sleep_ms && !s->ncollect)
			abort();
		if (s->cgroup && (s->kind == STEP_NONE || !has_cgroup(c, s->cgroup)))
			abort();
		if (s->sleep_ms < 0)
			abort();
	}

	facts_set(&f, "oom.count", "1");
	facts_set(&f, "oom.1.victim.comm", "hog");
	facts_set(&f, "cgroup.hog.memory.failcnt", "0x10");
	for (size_t i = 0; i < c->nexpects; i++) {
		if (!c->expects[i].fact || !c->expects[i].value || !c->expects[i].text ||
		    c->expects[i].line <= 0)
			abort();
		strbuf_reset(&seen);
		expect_eval(&c->expects[i], &f, (const char *)data, size, &seen);
	}
	strbuf_release(&seen);
	facts_release(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;
	int rc = case_parse(&c, PATH, (const char *)data, size, &err);

	if (rc) {
		check_errors(&err);
	} else {
		if (err.len)
			abort();
		check_case(&c, data, size);
	}
	case_release(&c);
	strbuf_release(&err);
	return 0;
}
