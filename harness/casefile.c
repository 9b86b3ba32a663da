/* casefile: reads *.case files (INI, in the spirit of fio job files) into a
 * struct oomcase. Each section has one table of keys (name, type, default,
 * help, setter) that drives both parsing and `oomtest help case`. Every
 * problem in a file is reported, each as "file:line: message", sorted by
 * line; checks that need the whole file (references to cgroups, required
 * keys) run after the last line. */
#include "casefile.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const case_guest_programs[] = { "hog", NULL };
const char *const case_guest_modules[] = { "oom_trigger", NULL };

#define MEMORY_DEFAULT	(128ULL << 20)
#define MEMORY_MIN	(32ULL << 20)
#define MEMORY_MAX	(16ULL << 30)
#define TIMEOUT_DEFAULT	60000L

#define SECTIONS_LIST	"[case] [cgroup NAME] [step NAME] [expect]"
#define NAME_CHARS	"letters, digits, _ and -"
#define COLLECT_LIST	"buddyinfo meminfo vmstat cgroup:NAME proc:STEP"
#define SIZE_HELP	"a whole number of bytes with optional K, M or G suffix, e.g. 128M"
#define DURATION_HELP	"a positive whole number with ms, s or m suffix, e.g. 60s; bare: seconds"
#define BOOL_HELP	"yes no true false 1 0"

enum section { SEC_NONE, SEC_SKIP, SEC_CASE, SEC_CGROUP, SEC_STEP, SEC_EXPECT };

struct parse_error {
	int line;	/* 0: about the whole file */
	size_t seq;	/* keeps the sort stable */
	char *msg;
};

/* Where each key of a step was set (0: not set), for the checks at the end;
 * a key counts as set even when its value was bad, so one mistake gives
 * one message. */
struct step_lines {
	int run, module, cgroup, background, sleep, collect;
};

struct seen_key {
	char *key;
	int line;
};

struct parser {
	struct oomcase *c;
	const char *path;
	int line;
	enum section sec;
	size_t cur;		/* the current cgroup or step */
	int case_line;		/* of [case]; 0: none yet */
	size_t nexpr;		/* [expect] lines, parsed or not */
	struct seen_key *seen;	/* keys of the current section */
	size_t nseen, aseen;
	struct step_lines *sl;	/* parallel to c->steps */
	size_t asteps, acgroups, aexpects;
	struct parse_error *errs;
	size_t nerrs, aerrs;
};

struct case_key {
	const char *name;
	const char *type;
	const char *def;
	const char *help;
	void (*set)(struct parser *p, const char *key, const char *val);
};

static void grow(void **v, size_t *alloc, size_t n, size_t size)
{
	if (n < *alloc)
		return;
	*alloc = *alloc ? *alloc * 2 : 8;
	*v = xrealloc(*v, *alloc * size);
}

static void errorf_at(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void errorf_at(struct parser *p, int line, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	grow((void **)&p->errs, &p->aerrs, p->nerrs, sizeof(*p->errs));
	p->errs[p->nerrs].line = line;
	p->errs[p->nerrs].seq = p->nerrs;
	p->errs[p->nerrs].msg = strbuf_detach(&sb);
	p->nerrs++;
}

#define errorf(p, ...) errorf_at((p), (p)->line, __VA_ARGS__)

static int is_space(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f' || ch == '\n';
}

static int valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return 0;
	return 1;
}

static int in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}

static void add_list(struct strbuf *sb, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		strbuf_addf(sb, "%s%s", i ? " " : "", list[i]);
}

static void free_words(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Splits s on whitespace into a NULL-terminated vector; "double quotes"
 * group (with \" and \\ escapes inside). Returns -1 on an unterminated
 * quote. */
static int split_words(const char *s, char ***out, size_t *outn)
{
	struct strbuf w = STRBUF_INIT;
	char **v = NULL;
	size_t n = 0, alloc = 0;
	int in_word = 0, inq = 0;

	for (;; s++) {
		if (inq) {
			if (!*s)
				break;
			if (*s == '"')
				inq = 0;
			else if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
				strbuf_addch(&w, *++s);
			else
				strbuf_addch(&w, *s);
			continue;
		}
		if (!*s || is_space(*s)) {
			if (in_word) {
				grow((void **)&v, &alloc, n + 1, sizeof(*v));
				v[n++] = strbuf_detach(&w);
				in_word = 0;
			}
			if (!*s)
				break;
			continue;
		}
		in_word = 1;
		if (*s == '"')
			inq = 1;
		else
			strbuf_addch(&w, *s);
	}
	strbuf_release(&w);
	if (inq) {
		free_words(v, n);
		return -1;
	}
	grow((void **)&v, &alloc, n + 1, sizeof(*v));
	v[n] = NULL;
	*out = v;
	*outn = n;
	return 0;
}

int parse_size(const char *s, unsigned long long *bytes)
{
	unsigned long long v = 0, mult = 1;
	const char *p = s;

	if (!s || !isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (ULLONG_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (*p) {
		switch (*p) {
		case 'K': case 'k': mult = 1ULL << 10; break;
		case 'M': case 'm': mult = 1ULL << 20; break;
		case 'G': case 'g': mult = 1ULL << 30; break;
		default: return -1;
		}
		p++;
		if (*p && strcasecmp(p, "ib"))
			return -1;
	}
	if (v > ULLONG_MAX / mult)
		return -1;
	*bytes = v * mult;
	return 0;
}

int parse_duration(const char *s, long *ms)
{
	unsigned long long v = 0, mult;
	const char *p = s;

	if (!s || !isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > ((unsigned long long)LONG_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (!*p || !strcmp(p, "s"))
		mult = 1000;
	else if (!strcmp(p, "ms"))
		mult = 1;
	else if (!strcmp(p, "m"))
		mult = 60000;
	else
		return -1;
	if (!v || v > LONG_MAX / mult)
		return -1;
	*ms = (long)(v * mult);
	return 0;
}

static int parse_bool(const char *s, int *b)
{
	static const char *const yes[] = { "yes", "true", "1" };
	static const char *const no[] = { "no", "false", "0" };

	for (size_t i = 0; i < 3; i++) {
		if (!strcasecmp(s, yes[i])) {
			*b = 1;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*b = 0;
			return 0;
		}
	}
	return -1;
}

/* [case] */

static void set_description(struct parser *p, const char *key, const char *val)
{
	(void)key;
	free(p->c->description);
	p->c->description = xstrdup(val);
}

static void set_targets(struct parser *p, const char *key, const char *val)
{
	(void)key;
	free_words(p->c->targets, p->c->ntargets);
	p->c->targets = NULL;
	p->c->ntargets = 0;
	if (split_words(val, &p->c->targets, &p->c->ntargets))
		errorf(p, "unterminated \"quote\" in 'targets'");
}

static void set_memory(struct parser *p, const char *key, const char *val)
{
	unsigned long long v;

	(void)key;
	if (parse_size(val, &v))
		errorf(p, "bad size '%s' for 'memory' (%s)", val, SIZE_HELP);
	else if (v < MEMORY_MIN || v > MEMORY_MAX)
		errorf(p, "memory %s is out of range (allowed: 32M to 16G)", val);
	else
		p->c->memory = v;
}

static void set_duration(struct parser *p, const char *key, const char *val, long *ms)
{
	if (parse_duration(val, ms))
		errorf(p, "bad duration '%s' for '%s' (%s)", val, key, DURATION_HELP);
}

static void set_timeout(struct parser *p, const char *key, const char *val)
{
	set_duration(p, key, val, &p->c->timeout_ms);
}

static void set_cmdline(struct parser *p, const char *key, const char *val)
{
	(void)key;
	free(p->c->cmdline);
	p->c->cmdline = xstrdup(val);
}

static const struct case_key case_keys[] = {
	{ "description", "string", "(none)", "one line: what the case shows", set_description },
	{ "targets", "words", "(all)", "targets to run on, e.g. x86_64 i386; default: every default target", set_targets },
	{ "memory", "size", "128M", "guest memory, 32M to 16G", set_memory },
	{ "timeout", "duration", "60s", "how long the whole run may take", set_timeout },
	{ "cmdline", "string", "(none)", "extra kernel command line arguments", set_cmdline },
	{ NULL, NULL, NULL, NULL, NULL }
};

/* [cgroup NAME] */

static void set_version(struct parser *p, const char *key, const char *val)
{
	struct case_cgroup *g = &p->c->cgroups[p->cur];

	(void)key;
	if (!strcmp(val, "1"))
		g->version = 1;
	else if (!strcmp(val, "2"))
		g->version = 2;
	else {
		errorf(p, "bad version '%s' for [cgroup %s] (allowed: 1 or 2)", val, g->name);
		g->version = -1;	/* set, though bad: no "needs 'version'" too */
	}
}

static const struct case_key cgroup_keys[] = {
	{ "version", "1|2", "(required)", "cgroup v1 (memory controller) or v2 (unified)", set_version },
	{ NULL, NULL, NULL, NULL, NULL }
};

static int valid_cgroup_file(const char *s)
{
	if (*s == '.')
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
			return 0;
	return 1;
}

static void add_cgroup_file(struct parser *p, const char *key, const char *val)
{
	struct case_cgroup *g = &p->c->cgroups[p->cur];

	if (!valid_cgroup_file(key)) {
		errorf(p, "bad cgroup file name '%s' (allowed: letters, digits and _ - ., "
		       "not starting with '.')", key);
		return;
	}
	g->settings = xrealloc(g->settings, (g->nsettings + 1) * sizeof(*g->settings));
	g->settings[g->nsettings].file = xstrdup(key);
	g->settings[g->nsettings].value = xstrdup(val);
	g->settings[g->nsettings].line = p->line;
	g->nsettings++;
}

/* [step NAME] */

static struct case_step *cur_step(struct parser *p)
{
	return &p->c->steps[p->cur];
}

static void set_run(struct parser *p, const char *key, const char *val)
{
	struct case_step *s = cur_step(p);
	char **v;
	size_t n;

	(void)key;
	p->sl[p->cur].run = p->line;
	if (p->sl[p->cur].module) {
		errorf(p, "[step %s] has both run and module (allowed: one of them)", s->name);
		return;
	}
	if (split_words(val, &v, &n)) {
		errorf(p, "unterminated \"quote\" in 'run'");
		return;
	}
	if (!n || !in_list(case_guest_programs, v[0])) {
		struct strbuf known = STRBUF_INIT;

		add_list(&known, case_guest_programs);
		errorf(p, "unknown program '%s' (known: %s)", n ? v[0] : "", known.buf);
		strbuf_release(&known);
		free_words(v, n);
		return;
	}
	s->kind = STEP_RUN;
	s->argv = v;
	s->argc = n;
}

static void set_module(struct parser *p, const char *key, const char *val)
{
	struct case_step *s = cur_step(p);
	char **v;
	size_t n, i;
	int bad = 0;

	(void)key;
	p->sl[p->cur].module = p->line;
	if (p->sl[p->cur].run) {
		errorf(p, "[step %s] has both run and module (allowed: one of them)", s->name);
		return;
	}
	if (split_words(val, &v, &n)) {
		errorf(p, "unterminated \"quote\" in 'module'");
		return;
	}
	if (!n || !in_list(case_guest_modules, v[0])) {
		struct strbuf known = STRBUF_INIT;

		add_list(&known, case_guest_modules);
		errorf(p, "unknown module '%s' (known: %s)", n ? v[0] : "", known.buf);
		strbuf_release(&known);
		bad = 1;
	}
	for (i = 1; i < n; i++) {
		char *eq = strchr(v[i], '=');

		if (!eq || eq == v[i]) {
			errorf(p, "module parameter '%s' is not key=value", v[i]);
			bad = 1;
		}
	}
	if (bad) {
		free_words(v, n);
		return;
	}
	s->kind = STEP_MODULE;
	s->argv = v;
	s->argc = n;
}

static void set_rmmod(struct parser *p, const char *key, const char *val)
{
	struct case_step *s = cur_step(p);

	(void)key;
	if (!in_list(case_guest_modules, val)) {
		struct strbuf known = STRBUF_INIT;

		add_list(&known, case_guest_modules);
		errorf(p, "unknown module '%s' for 'rmmod' (known: %s)", val, known.buf);
		strbuf_release(&known);
		return;
	}
	s->rmmod = xstrdup(val);
}

static void set_step_cgroup(struct parser *p, const char *key, const char *val)
{
	(void)key;
	p->sl[p->cur].cgroup = p->line;
	cur_step(p)->cgroup = xstrdup(val);	/* checked at the end: may come later */
}

static void set_background(struct parser *p, const char *key, const char *val)
{
	p->sl[p->cur].background = p->line;
	if (parse_bool(val, &cur_step(p)->background))
		errorf(p, "bad bool '%s' for '%s' (allowed: %s)", val, key, BOOL_HELP);
}

static void set_sleep(struct parser *p, const char *key, const char *val)
{
	p->sl[p->cur].sleep = p->line;
	set_duration(p, key, val, &cur_step(p)->sleep_ms);
}

static void set_collect(struct parser *p, const char *key, const char *val)
{
	static const char *const simple[] = { "buddyinfo", "meminfo", "vmstat", NULL };
	struct case_step *s = cur_step(p);
	char **v;
	size_t n, i, keep = 0;

	(void)key;
	p->sl[p->cur].collect = p->line;
	if (split_words(val, &v, &n)) {
		errorf(p, "unterminated \"quote\" in 'collect'");
		return;
	}
	for (i = 0; i < n; i++) {
		const char *arg = NULL;

		if (!strncmp(v[i], "cgroup:", 7))
			arg = v[i] + 7;
		else if (!strncmp(v[i], "proc:", 5))
			arg = v[i] + 5;
		if (arg ? !valid_name(arg) : !in_list(simple, v[i])) {
			errorf(p, "unknown collect item '%s' (known: %s; NAME, STEP: %s)",
			       v[i], COLLECT_LIST, NAME_CHARS);
			free(v[i]);
			continue;
		}
		v[keep++] = v[i];	/* names are checked at the end */
	}
	v[keep] = NULL;
	s->collect = v;
	s->ncollect = keep;
}

static const struct case_key step_keys[] = {
	{ "run", "argv", "(none)", "a guest program and its arguments, split on whitespace; \"quotes\" group", set_run },
	{ "module", "module", "(none)", "load a module: name and key=value parameters (not with run)", set_module },
	{ "rmmod", "module", "(none)", "unload this module after the rest of the step", set_rmmod },
	{ "cgroup", "name", "(none)", "run the program or module load in this [cgroup NAME]", set_step_cgroup },
	{ "background", "bool", "no", "do not wait for the program to exit (" BOOL_HELP ")", set_background },
	{ "sleep", "duration", "(none)", "wait this long after starting the step", set_sleep },
	{ "collect", "items", "(none)", "then snapshot: " COLLECT_LIST, set_collect },
	{ NULL, NULL, NULL, NULL, NULL }
};

static void add_key_names(struct strbuf *sb, const struct case_key *keys)
{
	for (size_t i = 0; keys[i].name; i++)
		strbuf_addf(sb, "%s%s", i ? " " : "", keys[i].name);
}

static void section_label(struct parser *p, struct strbuf *sb)
{
	switch (p->sec) {
	case SEC_CASE: strbuf_addstr(sb, "[case]"); break;
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
	grow((void **)&p->seen, &p->aseen, p->nseen, sizeof(*p->seen));
	p->seen[p->nseen].key = xstrdup(key);
	p->seen[p->nseen].line = p->line;
	p->nseen++;
	return 0;
}

static void key_value(struct parser *p, char *s)
{
	const struct case_key *keys;
	struct strbuf label = STRBUF_INIT;
	char *eq = strchr(s, '='), *key, *val, *end;
	size_t i;
	int first;

	if (p->sec == SEC_NONE) {
		errorf(p, "'%s' is outside a section (start one with %s)", s, SECTIONS_LIST);
		return;
	}
	section_label(p, &label);
	if (!eq) {
		errorf(p, "missing '=' in '%s' in %s (expected key = value)", s, label.buf);
		goto out;
	}
	*eq = '\0';
	key = s;
	for (end = eq; end > key && is_space(end[-1]); end--)
		;
	*end = '\0';
	for (val = eq + 1; is_space(*val); val++)
		;
	if (!*key) {
		errorf(p, "missing key before '=' in %s", label.buf);
		goto out;
	}

	keys = p->sec == SEC_CASE ? case_keys : p->sec == SEC_CGROUP ? cgroup_keys : step_keys;
	for (i = 0; keys[i].name; i++)
		if (!strcmp(keys[i].name, key))
			break;
	if (!keys[i].name && !(p->sec == SEC_CGROUP && strchr(key, '.'))) {
		struct strbuf known = STRBUF_INIT;

		add_key_names(&known, keys);
		if (p->sec == SEC_CGROUP)
			strbuf_addstr(&known, ", or a cgroup file such as memory.max");
		errorf(p, "unknown key '%s' in %s (known: %s)", key, label.buf, known.buf);
		strbuf_release(&known);
		goto out;
	}
	if (!*val) {
		errorf(p, "empty value for '%s' in %s", key, label.buf);
		goto out;
	}
	first = seen_key(p, key);
	if (first) {
		errorf(p, "duplicate key '%s' in %s (first at line %d)", key, label.buf, first);
		goto out;
	}
	if (keys[i].name)
		keys[i].set(p, key, val);
	else
		add_cgroup_file(p, key, val);
out:
	strbuf_release(&label);
}

static void section_header(struct parser *p, char *s)
{
	size_t len = strlen(s);
	char *kind, *name, *end;
	size_t i;

	clear_seen(p);
	p->sec = SEC_SKIP;	/* until the header proves good */
	if (len < 2 || s[len - 1] != ']') {
		errorf(p, "bad section header '%s' (expected one of %s)", s, SECTIONS_LIST);
		return;
	}
	s[len - 1] = '\0';
	for (kind = s + 1; is_space(*kind); kind++)
		;
	for (end = kind; *end && !is_space(*end); end++)
		;
	for (name = end; is_space(*name); name++)
		;
	*end = '\0';
	for (end = name + strlen(name); end > name && is_space(end[-1]); end--)
		;
	*end = '\0';

	if (!strcmp(kind, "case") || !strcmp(kind, "expect")) {
		if (*name) {
			errorf(p, "section [%s] takes no name (got '%s')", kind, name);
			return;
		}
		if (kind[0] == 'e') {
			p->sec = SEC_EXPECT;
			return;
		}
		if (p->case_line) {
			errorf(p, "duplicate section [case] (first at line %d)", p->case_line);
			return;
		}
		p->case_line = p->line;
		p->sec = SEC_CASE;
		return;
	}
	if (strcmp(kind, "cgroup") && strcmp(kind, "step")) {
		errorf(p, "unknown section [%s%s%s] (known: %s)", kind, *name ? " " : "", name,
		       SECTIONS_LIST);
		return;
	}
	if (!*name) {
		errorf(p, "section [%s] needs a name, e.g. [%s hog]", kind, kind);
		return;
	}
	if (!valid_name(name)) {
		errorf(p, "bad name '%s' for [%s] (allowed: %s)", name, kind, NAME_CHARS);
		return;
	}
	if (kind[0] == 'c') {
		struct oomcase *c = p->c;

		for (i = 0; i < c->ncgroups; i++) {
			if (!strcmp(c->cgroups[i].name, name)) {
				errorf(p, "duplicate section [cgroup %s] (first at line %d)",
				       name, c->cgroups[i].line);
				return;
			}
		}
		grow((void **)&c->cgroups, &p->acgroups, c->ncgroups, sizeof(*c->cgroups));
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
				errorf(p, "duplicate section [step %s] (first at line %d)",
				       name, c->steps[i].line);
				return;
			}
		}
		alloc = p->asteps;
		grow((void **)&c->steps, &p->asteps, c->nsteps, sizeof(*c->steps));
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

	p->nexpr++;
	if (expect_parse(&e, s, &msg)) {
		errorf(p, "%s", msg.buf);
		strbuf_release(&msg);
		return;
	}
	e.line = p->line;
	grow((void **)&c->expects, &p->aexpects, c->nexpects, sizeof(*c->expects));
	c->expects[c->nexpects++] = e;
}

/* Cuts a '#' comment: at the start, or after whitespace outside "quotes". */
static void strip_comment(char *s)
{
	int inq = 0;

	for (size_t i = 0; s[i]; i++) {
		if (inq) {
			if (s[i] == '\\' && s[i + 1])
				i++;
			else if (s[i] == '"')
				inq = 0;
		} else if (s[i] == '"') {
			inq = 1;
		} else if (s[i] == '#' && (i == 0 || is_space(s[i - 1]))) {
			s[i] = '\0';
			return;
		}
	}
}

static void do_line(struct parser *p, char *s)
{
	char *end;

	strip_comment(s);
	while (is_space(*s))
		s++;
	for (end = s + strlen(s); end > s && is_space(end[-1]); end--)
		;
	*end = '\0';
	if (!*s)
		return;
	if (*s == '[')
		section_header(p, s);
	else if (p->sec == SEC_EXPECT)
		expect_line(p, s);
	else if (p->sec != SEC_SKIP)
		key_value(p, s);
}

static const struct case_cgroup *find_cgroup(const struct oomcase *c, const char *name)
{
	for (size_t i = 0; i < c->ncgroups; i++)
		if (!strcmp(c->cgroups[i].name, name))
			return &c->cgroups[i];
	return NULL;
}

static void check_cgroup_ref(struct parser *p, int line, const char *what, const char *name)
{
	struct strbuf known = STRBUF_INIT;
	const struct oomcase *c = p->c;

	if (find_cgroup(c, name))
		return;
	/* a few are enough to hint; all of them, per error, could be huge */
	for (size_t i = 0; i < c->ncgroups && i < 8; i++)
		strbuf_addf(&known, "%s%s", i ? " " : "", c->cgroups[i].name);
	if (c->ncgroups > 8)
		strbuf_addstr(&known, " ...");
	errorf_at(p, line, "%s names no [cgroup %s] (defined: %s)", what, name,
		  c->ncgroups ? known.buf : "none");
	strbuf_release(&known);
}

static void check_proc_ref(struct parser *p, size_t si, int line, const char *item)
{
	const struct oomcase *c = p->c;
	const char *name = item + 5;
	size_t j;

	for (j = 0; j < c->nsteps; j++)
		if (!strcmp(c->steps[j].name, name))
			break;
	if (j == c->nsteps)
		errorf_at(p, line, "collect item '%s' names no [step %s]", item, name);
	else if (j > si)
		errorf_at(p, line, "collect item '%s' names a later step (allowed: this step or an earlier one)",
			  item);
	else if (!p->sl[j].run && !p->sl[j].module)
		errorf_at(p, line, "collect item '%s' names a step with no run or module", item);
}

static void check_all(struct parser *p)
{
	const struct oomcase *c = p->c;
	size_t i, k;

	for (i = 0; i < c->ncgroups; i++)
		if (!c->cgroups[i].version)
			errorf_at(p, c->cgroups[i].line, "[cgroup %s] needs 'version' (1 or 2)",
				  c->cgroups[i].name);
	for (i = 0; i < c->nsteps; i++) {
		const struct case_step *s = &c->steps[i];
		const struct step_lines *l = &p->sl[i];
		int starts = l->run || l->module;

		if (!starts && !l->sleep && !l->collect && !s->rmmod)
			errorf_at(p, s->line, "[step %s] does nothing (needs run, module, sleep, collect or rmmod)",
				  s->name);
		if (l->cgroup && !starts)
			errorf_at(p, l->cgroup, "'cgroup' in [step %s] needs run or module", s->name);
		if (l->background && !starts)
			errorf_at(p, l->background, "'background' in [step %s] needs run or module",
				  s->name);
		if (s->cgroup)
			check_cgroup_ref(p, l->cgroup, "'cgroup'", s->cgroup);
		for (k = 0; k < s->ncollect; k++) {
			if (!strncmp(s->collect[k], "cgroup:", 7)) {
				struct strbuf what = STRBUF_INIT;

				strbuf_addf(&what, "collect item '%s'", s->collect[k]);
				check_cgroup_ref(p, l->collect, what.buf, s->collect[k] + 7);
				strbuf_release(&what);
			} else if (!strncmp(s->collect[k], "proc:", 5)) {
				check_proc_ref(p, i, l->collect, s->collect[k]);
			}
		}
	}
	if (!p->nexpr)
		errorf_at(p, 0, "no expectations");
}

static int cmp_errors(const void *a, const void *b)
{
	const struct parse_error *x = a, *y = b;
	/* whole-file errors (line 0) last */
	unsigned lx = x->line ? (unsigned)x->line : UINT_MAX;
	unsigned ly = y->line ? (unsigned)y->line : UINT_MAX;

	if (lx != ly)
		return lx < ly ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
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

int case_parse(struct oomcase *c, const char *path, const char *text, size_t len,
	       struct strbuf *err)
{
	struct parser p;
	struct strbuf line = STRBUF_INIT;
	size_t pos = 0, i;
	int rc;

	memset(c, 0, sizeof(*c));
	memset(&p, 0, sizeof(p));
	c->path = xstrdup(path);
	set_name(c, path);
	c->memory = MEMORY_DEFAULT;
	c->timeout_ms = TIMEOUT_DEFAULT;
	p.c = c;
	p.path = path;

	while (pos < len) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;

		pos += n + (nl ? 1 : 0);
		p.line++;
		if (n && s[n - 1] == '\r')
			n--;
		if (memchr(s, '\0', n)) {
			errorf(&p, "NUL byte");
			continue;
		}
		strbuf_reset(&line);
		strbuf_add(&line, s, n);
		do_line(&p, line.buf);
	}
	strbuf_release(&line);
	check_all(&p);

	if (p.nerrs)
		qsort(p.errs, p.nerrs, sizeof(*p.errs), cmp_errors);
	for (i = 0; i < p.nerrs; i++) {
		if (p.errs[i].line)
			strbuf_addf(err, "%s:%d: %s\n", path, p.errs[i].line, p.errs[i].msg);
		else
			strbuf_addf(err, "%s: %s\n", path, p.errs[i].msg);
		free(p.errs[i].msg);
	}
	rc = p.nerrs ? -1 : 0;
	free(p.errs);
	clear_seen(&p);
	free(p.seen);
	free(p.sl);
	/* a case with errors is never half used: nothing to release */
	if (rc)
		case_release(c);
	return rc;
}

int case_load(struct oomcase *c, const char *path, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = strbuf_read_file(&sb, path);

	if (rc < 0) {
		memset(c, 0, sizeof(*c));
		strbuf_addf(err, "%s: cannot read: %s\n", path, strerror(-rc));
		strbuf_release(&sb);
		return -1;
	}
	rc = case_parse(c, path, sb.buf, sb.len, err);
	strbuf_release(&sb);
	return rc;
}

void case_release(struct oomcase *c)
{
	size_t i, k;

	free(c->path);
	free(c->name);
	free(c->description);
	free_words(c->targets, c->ntargets);
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
		free_words(s->argv, s->argc);
		free(s->cgroup);
		free_words(s->collect, s->ncollect);
		free(s->rmmod);
	}
	free(c->steps);
	for (i = 0; i < c->nexpects; i++)
		expect_release(&c->expects[i]);
	free(c->expects);
	memset(c, 0, sizeof(*c));
}

static void help_keys(struct strbuf *out, const struct case_key *keys)
{
	for (size_t i = 0; keys[i].name; i++)
		strbuf_addf(out, "  %-12s %-9s %-11s %s\n", keys[i].name, keys[i].type,
			    keys[i].def, keys[i].help);
}

void case_print_help(struct strbuf *out)
{
	strbuf_addstr(out,
		"Case files (cases/NAME.case): INI sections of \"key = value\" lines. '#' starts\n"
		"a comment at the start of a line or after whitespace outside \"quotes\".\n"
		"Sizes: " SIZE_HELP " (KiB MiB GiB too).\n"
		"Durations: " DURATION_HELP ".\n"
		"Names: " NAME_CHARS ".\n\n");

	strbuf_addstr(out, "[case]  at most once; optional when the defaults do\n");
	strbuf_addf(out, "  %-12s %-9s %-11s %s\n", "KEY", "TYPE", "DEFAULT", "HELP");
	help_keys(out, case_keys);

	strbuf_addstr(out, "\n[cgroup NAME]  a cgroup to create before the steps run\n");
	strbuf_addf(out, "  %-12s %-9s %-11s %s\n", "KEY", "TYPE", "DEFAULT", "HELP");
	help_keys(out, cgroup_keys);
	strbuf_addf(out, "  %-12s %-9s %-11s %s\n", "<file>", "string", "(none)",
		    "any key with a '.', e.g. memory.max = 1M: written to that cgroup file, value as is");

	strbuf_addstr(out, "\n[step NAME]  steps run in file order; each needs run, module, sleep, collect or rmmod\n");
	strbuf_addf(out, "  %-12s %-9s %-11s %s\n", "KEY", "TYPE", "DEFAULT", "HELP");
	help_keys(out, step_keys);
	strbuf_addstr(out, "  programs: ");
	add_list(out, case_guest_programs);
	strbuf_addstr(out, "\n  modules:  ");
	add_list(out, case_guest_modules);
	strbuf_addstr(out,
		"\n  collect:  cgroup:NAME names a [cgroup]; proc:STEP a step with run or module,\n"
		"            this one or an earlier one\n");

	strbuf_addstr(out,
		"\n[expect]  one expectation per line, in order; may appear more than once;\n"
		"          a case needs at least one\n"
		"  <fact> <op> <value>\n"
		"  fact   a name from facts.json (letters, digits and _ . : / -), e.g. oom.count,\n"
		"         oom.1.victim.comm, cgroup.hog.memory.failcnt; \"console\" is the whole\n"
		"         console text\n"
		"  value  \"quoted\" (\\\" and \\\\ escape) or bare text to the end of the line\n"
		"  ops    == != < <= > >=  numbers (decimal, 0x hex, negative, 1.5) compare as\n"
		"                          numbers when both sides are numbers, else as strings;\n"
		"                          < <= > >= never hold on strings\n"
		"         ~ !~             matches / does not match a POSIX extended regex\n"
		"  A fact the run did not produce never holds.\n");
}
