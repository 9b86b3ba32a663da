/* parser: one pass over a case file: lines from the lexer, sections and
 * their key tables, [expect] lines, the checks at the end, the errors. */
#include "case/parser.h"
#include "case/checks.h"
#include "case/keys_case.h"
#include "case/keys_cgroup.h"
#include "case/keys_files.h"
#include "case/keys_step.h"
#include "case/keys_sysctl.h"
#include "case/lexer.h"
#include "case/params.h"
#include "lib/units.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MEMORY_DEFAULT	(128ULL << 20)
#define TIMEOUT_DEFAULT	60000L

int case_valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return 0;
	return 1;
}

int case_in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}

const char *case_components_problem(const char *s, const char *allowed)
{
	for (;;) {
		size_t n = strspn(s, allowed);

		if (!n || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return s[n] && s[n] != '/' ? "a character not allowed" : "an empty, . or .. component";
		s += n;
		if (!*s)
			return NULL;
		if (*s++ != '/')
			return "a character not allowed";
	}
}

void case_add_list(struct strbuf *sb, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		strbuf_addf(sb, "%s%s", i ? " " : "", list[i]);
}

const char *case_repeated_word(char *const *v, size_t n)
{
	if (n > COMBOS_MAX)
		return NULL;
	for (size_t i = 1; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(v[i], v[j]))
				return v[i];
	return NULL;
}

void case_set_duration(struct parser *p, const char *key, const char *val, long *ms)
{
	if (units_parse_duration(val, ms))
		case_error(p, "bad duration '%s' for '%s' (%s)", val, key, DURATION_HELP);
}

static void add_key_names(struct strbuf *sb, const struct case_key *keys)
{
	for (size_t i = 0; keys[i].name; i++)
		strbuf_addf(sb, "%s%s", i ? " " : "", keys[i].name);
}

static void section_label(struct parser *p, struct strbuf *sb)
{
	switch (p->sec) {
	case SEC_CASE: strbuf_addstr(sb, "[case]"); break;
	case SEC_PARAMS: strbuf_addstr(sb, "[params]"); break;
	case SEC_SYSCTL: strbuf_addstr(sb, "[sysctl]"); break;
	case SEC_FILES: strbuf_addstr(sb, "[files]"); break;
	case SEC_CGROUP: strbuf_addf(sb, "[cgroup %s]", p->c->cgroups[p->cur].name); break;
	case SEC_STEP: strbuf_addf(sb, "[step %s]", p->c->steps[p->cur].name); break;
	default: strbuf_addstr(sb, "[?]"); break;
	}
}

static void clear_seen(struct parser *p)
{
	for (size_t i = 0; i < p->nseen; i++)
		free(p->seen[i].key);
	p->nseen = 0;
}

/* Returns the line the key was first set on in this section, or 0 after
 * noting it as set on this line. */
static int seen_key(struct parser *p, const char *key)
{
	for (size_t i = 0; i < p->nseen; i++)
		if (!strcmp(p->seen[i].key, key))
			return p->seen[i].line;
	case_grow((void **)&p->seen, &p->aseen, p->nseen, sizeof(*p->seen));
	p->seen[p->nseen].key = xstrdup(key);
	p->seen[p->nseen].line = p->line;
	p->nseen++;
	return 0;
}

static void key_value(struct parser *p, char *s)
{
	const struct case_key *keys;
	struct strbuf label = STRBUF_INIT;
	char *key, *val;
	size_t i;
	int first;

	if (p->sec == SEC_NONE) {
		case_error(p, "'%s' is outside a section (start one with %s)", s, SECTIONS_LIST);
		return;
	}
	section_label(p, &label);
	if (lexer_key_value(s, &key, &val)) {
		case_error(p, "missing '=' in '%s' in %s (expected key = value)", s, label.buf);
		goto out;
	}
	if (!*key) {
		case_error(p, "missing key before '=' in %s", label.buf);
		goto out;
	}

	if (p->sec == SEC_PARAMS || p->sec == SEC_SYSCTL || p->sec == SEC_FILES)
		keys = NULL;	/* any key: checked by add_param, add_sysctl or add_file */
	else
		keys = p->sec == SEC_CASE ? case_keys_case : p->sec == SEC_CGROUP ? case_keys_cgroup : case_keys_step;
	for (i = 0; keys && keys[i].name; i++)
		if (!strcmp(keys[i].name, key))
			break;
	if (keys && !keys[i].name && !(p->sec == SEC_CGROUP && strchr(key, '.'))) {
		struct strbuf known = STRBUF_INIT;

		add_key_names(&known, keys);
		if (p->sec == SEC_CGROUP)
			strbuf_addstr(&known, ", or a cgroup file such as memory.max");
		case_error(p, "unknown key '%s' in %s (known: %s)", key, label.buf, known.buf);
		strbuf_release(&known);
		goto out;
	}
	if (!*val) {
		case_error(p, "empty value for '%s' in %s", key, label.buf);
		goto out;
	}
	first = seen_key(p, key);
	if (first) {
		case_error(p, "duplicate %s '%s' in %s (first at line %d)",
			   p->sec == SEC_FILES ? "guest path" : "key", key, label.buf, first);
		goto out;
	}
	p->raw_val = val;
	if (p->ps->prescan) {	/* only what makes parameters */
		if (p->sec == SEC_PARAMS)
			case_add_param(p, key, val);
		else if (p->sec == SEC_CASE && !strcmp(key, "memory"))
			keys[i].set(p, key, val);	/* set_memory */
		goto out;
	}
	{
		size_t before;
		int bad;
		char *sub = p->sec == SEC_PARAMS ? NULL : case_substitute(p, val, &bad);
		const char *use = sub ? sub : val;

		if (p->sec == SEC_PARAMS)
			bad = 0;
		p->subst_failed = bad;
		before = p->errs.n;
		if (p->sec == SEC_PARAMS)
			case_add_param(p, key, val);
		else if (p->sec == SEC_SYSCTL)
			case_add_sysctl(p, key, use);
		else if (p->sec == SEC_FILES)
			case_add_file(p, key, use);
		else if (keys[i].name)
			keys[i].set(p, key, use);
		else
			case_add_cgroup_file(p, key, use);
		if (bad)	/* what follows from ${unknown} is no news */
			case_errors_drop(&p->errs, before);
		p->subst_failed = 0;
		free(sub);
	}
out:
	strbuf_release(&label);
}

static void section_header(struct parser *p, char *s)
{
	char *kind, *name;
	size_t i;

	clear_seen(p);
	p->sec = SEC_SKIP;	/* until the header proves good */
	if (lexer_section(s, &kind, &name)) {
		case_error(p, "bad section header '%s' (expected one of %s)", s, SECTIONS_LIST);
		return;
	}

	if (!strcmp(kind, "expect")) {
		free(p->selector);
		p->selector = NULL;
		p->bad_selector = 0;
		if (*name) {
			if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789_.+-,!") != strlen(name) || !expect_selector_valid(name)) {
				case_error(p, "bad selector '%s' for [expect] (allowed: %s)", name,
					   SELECTOR_HELP);
				p->bad_selector = 1;	/* its lines are still checked */
			} else {
				p->selector = xstrdup(name);
			}
		}
		p->sec = SEC_EXPECT;
		return;
	}
	if (!strcmp(kind, "case") || !strcmp(kind, "params") || !strcmp(kind, "sysctl") ||
	    !strcmp(kind, "files")) {
		int *first = kind[0] == 'c' ? &p->case_line : kind[0] == 'p' ? &p->params_line :
			     kind[0] == 's' ? &p->sysctl_line : &p->files_line;

		if (*name) {
			case_error(p, "section [%s] takes no name (got '%s')", kind, name);
			return;
		}
		if (*first) {
			case_error(p, "duplicate section [%s] (first at line %d)", kind, *first);
			return;
		}
		*first = p->line;
		p->sec = kind[0] == 'c' ? SEC_CASE : kind[0] == 'p' ? SEC_PARAMS :
			 kind[0] == 's' ? SEC_SYSCTL : SEC_FILES;
		return;
	}
	if (strcmp(kind, "cgroup") && strcmp(kind, "step")) {
		case_error(p, "unknown section [%s%s%s] (known: %s)", kind, *name ? " " : "", name,
			   SECTIONS_LIST);
		return;
	}
	if (!*name) {
		case_error(p, "section [%s] needs a name, e.g. [%s hog]", kind, kind);
		return;
	}
	if (!case_valid_name(name)) {
		case_error(p, "bad name '%s' for [%s] (allowed: %s)", name, kind, NAME_CHARS);
		return;
	}
	if (kind[0] == 'c') {
		struct oomcase *c = p->c;

		for (i = 0; i < c->ncgroups; i++) {
			if (!strcmp(c->cgroups[i].name, name)) {
				case_error(p, "duplicate section [cgroup %s] (first at line %d)",
					   name, c->cgroups[i].line);
				return;
			}
		}
		case_grow((void **)&c->cgroups, &p->acgroups, c->ncgroups, sizeof(*c->cgroups));
		memset(&c->cgroups[c->ncgroups], 0, sizeof(*c->cgroups));
		c->cgroups[c->ncgroups].name = xstrdup(name);
		c->cgroups[c->ncgroups].line = p->line;
		p->cur = c->ncgroups++;
		p->sec = SEC_CGROUP;
	} else {
		struct oomcase *c = p->c;
		size_t alloc;

		for (i = 0; i < c->nsteps; i++) {
			if (!strcmp(c->steps[i].name, name)) {
				case_error(p, "duplicate section [step %s] (first at line %d)",
					   name, c->steps[i].line);
				return;
			}
		}
		alloc = p->asteps;
		case_grow((void **)&c->steps, &p->asteps, c->nsteps, sizeof(*c->steps));
		if (alloc != p->asteps)
			p->sl = xrealloc(p->sl, p->asteps * sizeof(*p->sl));
		memset(&c->steps[c->nsteps], 0, sizeof(*c->steps));
		memset(&p->sl[c->nsteps], 0, sizeof(*p->sl));
		c->steps[c->nsteps].name = xstrdup(name);
		c->steps[c->nsteps].line = p->line;
		p->cur = c->nsteps++;
		p->sec = SEC_STEP;
	}
}

static void expect_line(struct parser *p, const char *s)
{
	struct oomcase *c = p->c;
	struct strbuf msg = STRBUF_INIT;
	struct expectation e;
	size_t before;
	int bad;
	char *sub;

	p->nexpr++;
	if (p->ps->prescan)
		return;
	sub = case_substitute(p, s, &bad);
	before = p->errs.n;
	if (expect_parse(&e, sub ? sub : s, &msg)) {
		case_error(p, "%s", msg.buf);
		if (bad)
			case_errors_drop(&p->errs, before);
		strbuf_release(&msg);
		free(sub);
		return;
	}
	free(sub);
	if (bad || p->bad_selector) {	/* reported already */
		expect_release(&e);
		return;
	}
	for (struct expectation *link = &e; link; link = link->or_next) {
		link->line = p->line;
		link->selector = p->selector ? xstrdup(p->selector) : NULL;
	}
	case_grow((void **)&c->expects, &p->aexpects, c->nexpects, sizeof(*c->expects));
	c->expects[c->nexpects++] = e;
}

static void set_name(struct oomcase *c, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".case"))
		n -= 5;
	c->name = xstrndup(base, n);
}

/* The name is a directory of the run (run/NAME/TARGET): one component,
 * not hidden (so never "." or ".."), and printable. Refused, not mended:
 * a mended name could collide with another file's and would not be the
 * name the user sees in the file. */
static int usable_name(const char *s)
{
	if (!*s || *s == '.')
		return 0;
	for (; *s; s++)
		if (*s == '/' || (unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int case_parse_pass(struct oomcase *c, const char *path, const char *text, size_t len,
		    struct pass *ps, struct strbuf *err)
		    {
	struct parser p;
	struct lexer lx;
	enum lex_line kind;
	char *s;
	size_t i;
	int rc;

	memset(c, 0, sizeof(*c));
	memset(&p, 0, sizeof(p));
	c->path = xstrdup(path);
	set_name(c, path);
	c->memory = MEMORY_DEFAULT;
	c->timeout_ms = TIMEOUT_DEFAULT;
	p.c = c;
	p.path = path;
	p.ps = ps;
	if (!usable_name(c->name))
		case_error_at(&p, 0, "the file name gives no usable case name (allowed: a name before "
			      ".case that is not empty, does not start with '.' and has no '/' or control bytes)");

	lexer_init(&lx, text, len);
	while ((kind = lexer_next(&lx, &s)) != LEX_END) {
		p.line = lx.line;
		if (kind == LEX_NUL)
			case_error(&p, "NUL byte");
		else if (kind == LEX_SECTION)
			section_header(&p, s);
		else if (kind == LEX_TEXT && p.sec == SEC_EXPECT)
			expect_line(&p, s);
		else if (kind == LEX_TEXT && p.sec != SEC_SKIP)
			key_value(&p, s);
	}
	lexer_release(&lx);
	if (!ps->prescan)
		case_check_all(&p);

	rc = p.errs.n && !ps->prescan ? -1 : 0;
	if (!ps->prescan)
		case_errors_report(&p.errs, path, ps->note, ps->reported, err);
	case_errors_release(&p.errs);
	clear_seen(&p);
	free(p.seen);
	free(p.sl);
	free(p.selector);
	if (ps->prescan) {	/* hand over the parameters: memory first */
		ps->nout = p.nparams + (p.memdef.name ? 1 : 0);
		ps->out = xcalloc(ps->nout ? ps->nout : 1, sizeof(*ps->out));
		i = 0;
		if (p.memdef.name)
			ps->out[i++] = p.memdef;
		if (p.nparams)
			memcpy(ps->out + i, p.params, p.nparams * sizeof(*p.params));
		free(p.params);
		case_release(c);
		return 0;
	}
	for (i = 0; i < p.nparams; i++)
		case_param_release(&p.params[i]);
	free(p.params);
	case_param_release(&p.memdef);
	/* a case with errors is never half used: nothing to release */
	if (rc)
		case_release(c);
	return rc;
}
