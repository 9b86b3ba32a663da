/* casefile: the public entry points of the case-file parser: reading a
 * file, parsing its runs, releasing them. The parsing itself is
 * case/parser's (one pass) and case/params's (one pass per combination of
 * parameters); each section has one table of keys (keys_*) that drives
 * both parsing and `oomtest help case` (case/help). */
#include "case/casefile.h"
#include "case/lexer.h"
#include "case/params.h"
#include "case/wait.h"

#include <stdlib.h>
#include <string.h>

const char *const case_guest_programs[] = { "hog", NULL };
const char *const case_guest_modules[] = { "oom_trigger", NULL };

int case_parse_all(const char *path, const char *text, size_t len, struct oomcase **cases,
		   size_t *ncases, struct strbuf *err)
{
	return case_parse_combinations(path, text, len, 0, cases, ncases, err);
}

int case_parse(struct oomcase *c, const char *path, const char *text, size_t len,
	       struct strbuf *err)
{
	struct oomcase *cases;
	size_t n;

	memset(c, 0, sizeof(*c));
	if (case_parse_combinations(path, text, len, 1, &cases, &n, err))
		return -1;
	*c = cases[0];
	free(cases);
	return 0;
}

static int read_case(const char *path, struct strbuf *sb, struct strbuf *err)
{
	int rc = strbuf_read_file(sb, path);

	if (rc < 0) {
		strbuf_addf(err, "%s: cannot read: %s\n", path, strerror(-rc));
		return -1;
	}
	return 0;
}

int case_load(struct oomcase *c, const char *path, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	if (read_case(path, &sb, err)) {
		memset(c, 0, sizeof(*c));
		strbuf_release(&sb);
		return -1;
	}
	rc = case_parse(c, path, sb.buf, sb.len, err);
	strbuf_release(&sb);
	return rc;
}

int case_load_all(const char *path, struct oomcase **cases, size_t *ncases, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	if (read_case(path, &sb, err)) {
		*cases = NULL;
		*ncases = 0;
		strbuf_release(&sb);
		return -1;
	}
	rc = case_parse_all(path, sb.buf, sb.len, cases, ncases, err);
	strbuf_release(&sb);
	return rc;
}

void case_release(struct oomcase *c)
{
	size_t i, k;

	free(c->path);
	free(c->name);
	free(c->description);
	lexer_free_words(c->targets, c->ntargets);
	free(c->cmdline);
	for (i = 0; i < c->ncgroups; i++) {
		for (k = 0; k < c->cgroups[i].nsettings; k++) {
			free(c->cgroups[i].settings[k].file);
			free(c->cgroups[i].settings[k].value);
		}
		free(c->cgroups[i].settings);
		free(c->cgroups[i].name);
	}
	free(c->cgroups);
	for (i = 0; i < c->nsteps; i++) {
		struct case_step *s = &c->steps[i];

		free(s->name);
		lexer_free_words(s->argv, s->argc);
		free(s->cgroup);
		lexer_free_words(s->collect, s->ncollect);
		free(s->rmmod);
		free(s->write_path);
		free(s->write_value);
		free(s->host_path);
		case_wait_free(s->wait);
	}
	free(c->steps);
	for (i = 0; i < c->nexpects; i++)
		expect_release(&c->expects[i]);
	free(c->expects);
	for (i = 0; i < c->nsysctls; i++) {
		free(c->sysctls[i].file);
		free(c->sysctls[i].value);
	}
	free(c->sysctls);
	lexer_free_words(c->needs, c->nneeds);
	free(c->variant);
	lexer_free_words(c->packages, c->npackages);
	for (i = 0; i < c->nfiles; i++) {
		free(c->files[i].guest);
		free(c->files[i].host);
	}
	free(c->files);
	memset(c, 0, sizeof(*c));
}
