/* casefile: reads *.case files (INI, in the spirit of fio job files) into a
 * struct oomcase. Each section has one table of keys (name, type, default,
 * help, setter) that drives both parsing and `oomtest help case`. Every
 * problem in a file is reported, each as "file:line: message", sorted by
 * line; checks that need the whole file (references to cgroups, required
 * keys) run after the last line. */
#include "case/casefile.h"
#include "lib/units.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const case_guest_programs[] = { "hog", NULL };
const char *const case_guest_modules[] = { "oom_trigger", NULL };

#define MEMORY_DEFAULT	(128ULL << 20)
#define MEMORY_MIN	(32ULL << 20)
#define MEMORY_MAX	(16ULL << 30)
#define TIMEOUT_DEFAULT	60000L

#define SECTIONS_LIST	"[case] [params] [sysctl] [cgroup NAME] [step NAME] [expect] [expect SELECTOR]"
#define NAME_CHARS	"letters, digits, _ and -"
#define COLLECT_LIST	"buddyinfo meminfo vmstat cgroup:NAME proc:STEP"
#define SIZE_HELP	"a whole number of bytes with optional K, M or G suffix, e.g. 128M"
#define DURATION_HELP	"a positive whole number with ms, s or m suffix, e.g. 60s; bare: seconds"
#define BOOL_HELP	"yes no true false 1 0"
#define NEEDS_LIST	"cgroup-v1 cgroup-v2 kconfig:CONFIG_NAME min-kernel:X.Y max-kernel:X.Y arch:ARCH memory:SIZE"
#define ARCH_LIST	"x86_64 i386"
#define SELECTOR_HELP	"one word of letters, digits and _ . + -: a target name, arch or kernel release"
#define PARAM_HELP	"a lower-case letter, then lower-case letters, digits and _"
#define SYSCTL_HELP	"lower-case words of letters, digits and _ joined by '.', e.g. vm.panic_on_oom"
#define COMBOS_MAX	256
/* Expectations (each side of an || counts) in all the runs of one file
 * together: every run holds its own compiled regexes. */
#define EXPECTS_MAX	16384
#define STR_(x)		#x
#define STR(x)		STR_(x)
/* How much longer substituting ${NAME} may make a file, all lines together
 * (per combination; every combination is held at once)... */
#define EXPAND_MAX	(256 << 10)
/* ...and how much case text all the runs of one file may come to. */
#define TEXT_MAX	(4 << 20)

enum section { SEC_NONE, SEC_SKIP, SEC_CASE, SEC_PARAMS, SEC_SYSCTL, SEC_CGROUP, SEC_STEP,
	       SEC_EXPECT };

struct parse_error {
	int line;	/* 0: about the whole file */
	size_t seq;	/* keeps the sort stable */
	char *msg;
};

/* Where each key of a step was set (0: not set), for the checks at the end;
 * a key counts as set even when its value was bad, so one mistake gives
 * one message. */
struct step_lines {
	int run, module, cgroup, background, sleep, collect, score, write;
};

/* A parameter: from [params], or [case] memory (with literal sizes). */
struct param {
	char *name;
	char **values;
	size_t nvalues;
	int line;
};

/* Messages already reported for an earlier combination of parameters. */
struct strset {
	char **v;	/* open addressing; NULL: free */
	size_t n, alloc;
};

/* How one pass over the text goes. */
struct pass {
	int prescan;			/* only collect the parameters; no errors */
	const struct param *defs;	/* what ${NAME} may name... */
	size_t ndefs;
	const size_t *pick;		/* ...and which value of each */
	const char *file_err;		/* a whole-file error to report too */
	size_t grow_max;		/* substitution may add this many bytes */
	const char *note;		/* "with VARIANT": prefixes each message */
	struct strset *reported;	/* skip messages already reported */
	struct param *out;		/* prescan: the parameters, memory first */
	size_t nout;
};

struct seen_key {
	char *key;
	int line;
};

struct parser {
	struct oomcase *c;
	const char *path;
	struct pass *ps;
	int line;
	enum section sec;
	size_t cur;		/* the current cgroup or step */
	int case_line;		/* of [case]; 0: none yet */
	int params_line;	/* of [params]; 0: none yet */
	int sysctl_line;	/* of [sysctl]; 0: none yet */
	char *selector;		/* of the current [expect SELECTOR]; NULL: none */
	int bad_selector;	/* the current [expect ...] has a bad one */
	const char *raw_val;	/* the value being set, before substitution */
	int subst_failed;	/* this line's ${NAME} could not all be replaced */
	size_t grown;		/* bytes added by substitution so far */
	int over_budget;	/* grown went past EXPAND_MAX */
	struct param *params;	/* from [params], in file order */
	size_t nparams, aparams;
	struct param memdef;	/* from [case] memory; name NULL: none */
	size_t asysctls;
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

/* Splits s on whitespace only (quotes are ordinary characters). */
static void split_plain(const char *s, char ***out, size_t *outn)
{
	char **v = NULL;
	size_t n = 0, alloc = 0;

	for (;;) {
		const char *start;

		while (is_space(*s))
			s++;
		if (!*s)
			break;
		for (start = s; *s && !is_space(*s); s++)
			;
		grow((void **)&v, &alloc, n + 1, sizeof(*v));
		v[n++] = xstrndup(start, (size_t)(s - start));
	}
	grow((void **)&v, &alloc, n + 1, sizeof(*v));
	v[n] = NULL;
	*out = v;
	*outn = n;
}

static void param_release(struct param *pm)
{
	free(pm->name);
	free_words(pm->values, pm->nvalues);
	memset(pm, 0, sizeof(*pm));
}

/* The first word that repeats an earlier one, or NULL. More words than
 * COMBOS_MAX are too many anyway (and too many to compare pairwise). */
static const char *repeated_word(char *const *v, size_t n)
{
	if (n > COMBOS_MAX)
		return NULL;
	for (size_t i = 1; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(v[i], v[j]))
				return v[i];
	return NULL;
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

static int check_memory(struct parser *p, const char *val, unsigned long long *v)
{
	if (units_parse_size(val, v)) {
		errorf(p, "bad size '%s' for 'memory' (%s)", val, SIZE_HELP);
		return -1;
	}
	if (*v < MEMORY_MIN || *v > MEMORY_MAX) {
		errorf(p, "memory %s is out of range (allowed: 32M to 16G)", val);
		return -1;
	}
	return 0;
}

static const char *picked(const struct parser *p, const char *name, size_t len);

/* One size, or several literal ones: then memory is a parameter, and this
 * combination's value is the one used. */
static void set_memory(struct parser *p, const char *key, const char *val)
{
	unsigned long long v;
	const char *dup, *use;
	char **w;
	size_t n;
	int bad = 0;

	(void)key;
	if (strstr(p->raw_val, "${")) {	/* from a parameter: one size */
		if (!check_memory(p, val, &v))
			p->c->memory = v;
		return;
	}
	split_plain(val, &w, &n);
	if (p->ps->prescan) {
		p->memdef.name = xstrdup("memory");
		p->memdef.values = w;
		p->memdef.nvalues = n;
		p->memdef.line = p->line;
		return;
	}
	for (size_t i = 0; i < n; i++)
		bad |= check_memory(p, w[i], &v);
	dup = repeated_word(w, n);
	if (dup) {
		errorf(p, "duplicate value '%s' for 'memory'", dup);
		bad = 1;
	}
	use = n == 1 ? w[0] : picked(p, "memory", 6);
	if (!bad && use && !units_parse_size(use, &v))
		p->c->memory = v;
	free_words(w, n);
}

static int all_digits(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* N.N or N.N.N */
static int valid_version(const char *s)
{
	int parts = 0;

	for (;;) {
		size_t n = strspn(s, "0123456789");

		if (!n || n > 9)
			return 0;
		parts++;
		s += n;
		if (!*s)
			return parts == 2 || parts == 3;
		if (*s != '.')
			return 0;
		s++;
	}
}

static int valid_kconfig(const char *s)
{
	if (*s == '!')
		s++;
	if (strncmp(s, "CONFIG_", 7) || !s[7])
		return 0;
	for (s += 7; *s; s++)
		if (!isupper((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static void set_needs(struct parser *p, const char *key, const char *val)
{
	static const char *const arches[] = { "x86_64", "i386", NULL };
	char **v;
	size_t n, i, keep = 0;

	(void)key;
	free_words(p->c->needs, p->c->nneeds);
	p->c->needs = NULL;
	p->c->nneeds = 0;
	if (split_words(val, &v, &n)) {
		errorf(p, "unterminated \"quote\" in 'needs'");
		return;
	}
	for (i = 0; i < n; i++) {
		const char *w = v[i];
		unsigned long long size;
		int ok = 1;
		size_t j;

		if (!strcmp(w, "cgroup-v1") || !strcmp(w, "cgroup-v2"))
			;
		else if (!strncmp(w, "kconfig:", 8)) {
			if (!valid_kconfig(w + 8)) {
				errorf(p, "bad requirement '%s' (expected kconfig:CONFIG_NAME or "
				       "kconfig:!CONFIG_NAME; CONFIG_ then A-Z, 0-9 and _)", w);
				ok = 0;
			}
		} else if (!strncmp(w, "min-kernel:", 11) || !strncmp(w, "max-kernel:", 11)) {
			if (!valid_version(w + 11)) {
				errorf(p, "bad requirement '%s' (expected %.11sX.Y or %.11sX.Y.Z)",
				       w, w, w);
				ok = 0;
			}
		} else if (!strncmp(w, "arch:", 5)) {
			if (!in_list(arches, w + 5)) {
				errorf(p, "bad requirement '%s' (known arches: " ARCH_LIST ")", w);
				ok = 0;
			}
		} else if (!strncmp(w, "memory:", 7)) {
			if (units_parse_size(w + 7, &size)) {
				errorf(p, "bad requirement '%s' (memory:SIZE, SIZE %s)", w, SIZE_HELP);
				ok = 0;
			}
		} else {
			errorf(p, "unknown requirement '%s' (known: " NEEDS_LIST ")", w);
			ok = 0;
		}
		for (j = 0; ok && j < keep && keep <= COMBOS_MAX; j++) {
			if (!strcmp(v[j], w)) {
				errorf(p, "duplicate requirement '%s'", w);
				ok = 0;
			}
		}
		if (!ok) {
			free(v[i]);
			continue;
		}
		v[keep++] = v[i];
	}
	v[keep] = NULL;
	p->c->needs = v;
	p->c->nneeds = keep;
}

static void set_duration(struct parser *p, const char *key, const char *val, long *ms)
{
	if (units_parse_duration(val, ms))
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
	{ "memory", "size", "128M", "guest memory, 32M to 16G; several sizes: a run each (see [params])", set_memory },
	{ "timeout", "duration", "60s", "how long the whole run may take", set_timeout },
	{ "cmdline", "string", "(none)", "extra kernel command line arguments", set_cmdline },
	{ "needs", "words", "(none)", "what a target must have, else the case is skipped there (below)", set_needs },
	{ NULL, NULL, NULL, NULL, NULL }
};

/* [params] */

static int valid_param_name(const char *s, size_t n)
{
	if (!n || !islower((unsigned char)s[0]))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return 1;
}

static void add_param(struct parser *p, const char *key, const char *val)
{
	const char *dup;
	char **w;
	size_t n;

	if (!valid_param_name(key, strlen(key))) {
		errorf(p, "bad parameter name '%s' (allowed: %s)", key, PARAM_HELP);
		return;
	}
	if (!strcmp(key, "memory")) {
		errorf(p, "parameter 'memory' is [case] memory (list the sizes there: "
		       "memory = 64M 128M)");
		return;
	}
	split_plain(val, &w, &n);
	dup = repeated_word(w, n);
	if (dup) {
		errorf(p, "duplicate value '%s' for parameter '%s'", dup, key);
		free_words(w, n);
		return;
	}
	grow((void **)&p->params, &p->aparams, p->nparams, sizeof(*p->params));
	p->params[p->nparams].name = xstrdup(key);
	p->params[p->nparams].values = w;
	p->params[p->nparams].nvalues = n;
	p->params[p->nparams].line = p->line;
	p->nparams++;
}

/* [sysctl] */

static int valid_sysctl(const char *s)
{
	int dots = 0;
	size_t n;

	for (;;) {
		n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");
		if (!n)
			return 0;
		s += n;
		if (!*s)
			return dots > 0;
		if (*s != '.')
			return 0;
		dots++;
		s++;
	}
}

static void add_sysctl(struct parser *p, const char *key, const char *val)
{
	struct oomcase *c = p->c;

	if (!valid_sysctl(key)) {
		errorf(p, "bad sysctl name '%s' (allowed: %s)", key, SYSCTL_HELP);
		return;
	}
	for (const char *v = val; *v; v++) {
		if (is_space(*v)) {
			errorf(p, "bad value '%s' for sysctl %s (allowed: one word, no spaces)",
			       val, key);
			return;
		}
	}
	grow((void **)&c->sysctls, &p->asysctls, c->nsysctls, sizeof(*c->sysctls));
	c->sysctls[c->nsysctls].file = xstrdup(key);
	c->sysctls[c->nsysctls].value = xstrdup(val);
	c->sysctls[c->nsysctls].line = p->line;
	c->nsysctls++;
}

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

/* A file under /proc or /sys, by a path with no "." or ".." component:
 * a case can poke the kernel, never the harness's or the guest's files. */
static int valid_write_path(const char *s)
{
	if (strncmp(s, "/proc/", 6) && strncmp(s, "/sys/", 5))
		return 0;
	s = strchr(s + 1, '/') + 1;
	for (;;) {
		size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:");
		if (!n || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return 0;
		s += n;
		if (!*s)
			return 1;
		if (*s++ != '/')
			return 0;
	}
}

static void set_write(struct parser *p, const char *key, const char *val)
{
	struct case_step *s = cur_step(p);
	char **v;
	size_t n;

	(void)key;
	p->sl[p->cur].write = p->line;
	if (split_words(val, &v, &n)) {
		errorf(p, "unterminated \"quote\" in 'write'");
		return;
	}
	if (n != 2 || !valid_write_path(v[0])) {
		errorf(p, "bad write '%s' (allowed: PATH VALUE, PATH a file under /proc/ or /sys/ "
		       "with no . or .. component, VALUE one word or \"quoted\")", val);
		free_words(v, n);
		return;
	}
	free(s->write_path);
	free(s->write_value);
	s->write_path = v[0];
	s->write_value = v[1];
	free(v);
}

static void set_step_cgroup(struct parser *p, const char *key, const char *val)
{
	(void)key;
	p->sl[p->cur].cgroup = p->line;
	if (!p->subst_failed)	/* a name with ${unknown}: reported once already */
		cur_step(p)->cgroup = xstrdup(val);	/* checked at the end: may come later */
}

static void set_oom_score_adj(struct parser *p, const char *key, const char *val)
{
	struct case_step *s = cur_step(p);
	const char *d = val + (*val == '-' || *val == '+');
	size_t n = strlen(d);
	long v;

	(void)key;
	p->sl[p->cur].score = p->line;
	if (!all_digits(d, n) || n > 4 || (v = strtol(val, NULL, 10)) < -1000 || v > 1000) {
		errorf(p, "bad oom_score_adj '%s' (allowed: a whole number from -1000 to 1000)", val);
		return;
	}
	s->oom_score_adj = (int)v;
	s->has_oom_score_adj = 1;
}

static void set_background(struct parser *p, const char *key, const char *val)
{
	p->sl[p->cur].background = p->line;
	if (units_parse_bool(val, &cur_step(p)->background))
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
	{ "write", "path value", "(none)", "write VALUE to a /proc or /sys file after the start (e.g. /proc/sysrq-trigger c)", set_write },
	{ "rmmod", "module", "(none)", "unload this module after the rest of the step", set_rmmod },
	{ "cgroup", "name", "(none)", "run the program or module load in this [cgroup NAME]", set_step_cgroup },
	{ "background", "bool", "no", "do not wait for the program to exit (" BOOL_HELP ")", set_background },
	{ "sleep", "duration", "(none)", "wait this long after starting the step", set_sleep },
	{ "collect", "items", "(none)", "then snapshot: " COLLECT_LIST, set_collect },
	{ "oom_score_adj", "integer", "(none)", "-1000 to 1000, for the program or module load (with run or module)", set_oom_score_adj },
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
	case SEC_PARAMS: strbuf_addstr(sb, "[params]"); break;
	case SEC_SYSCTL: strbuf_addstr(sb, "[sysctl]"); break;
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

/* This combination's value of parameter name, or NULL if there is none. */
static const char *picked(const struct parser *p, const char *name, size_t len)
{
	const struct pass *ps = p->ps;

	for (size_t i = 0; i < ps->ndefs; i++)
		if (strlen(ps->defs[i].name) == len && !memcmp(ps->defs[i].name, name, len))
			return ps->defs[i].values[ps->pick[i]];
	return NULL;
}

/* s with every ${NAME} replaced by this combination's value; NULL when
 * there is nothing to replace (or when prescanning), or after an error
 * (*bad set: the caller goes on with s as written, quietly). */
static char *substitute(struct parser *p, const char *s, int *bad)
{
	struct strbuf out = STRBUF_INIT;
	const char *start = s, *q;

	*bad = 0;
	if (p->ps->prescan || !strstr(s, "${"))
		return NULL;
	while ((q = strstr(s, "${"))) {
		const char *close = strchr(q + 2, '}'), *val;

		strbuf_add(&out, s, (size_t)(q - s));
		if (!close) {
			errorf(p, "unterminated '${' in '%s' (expected ${NAME})", start);
			*bad = 1;
			break;
		}
		val = picked(p, q + 2, (size_t)(close - q - 2));
		if (!val) {
			struct strbuf known = STRBUF_INIT;
			const struct pass *ps = p->ps;

			for (size_t i = 0; i < ps->ndefs && i < 8; i++)
				strbuf_addf(&known, "%s%s", i ? " " : "", ps->defs[i].name);
			if (ps->ndefs > 8)
				strbuf_addstr(&known, " ...");
			errorf(p, "unknown parameter '%.*s' (known: %s)", (int)(close + 1 - q), q,
			       ps->ndefs ? known.buf : "none");
			strbuf_release(&known);
			*bad = 1;
		} else {
			strbuf_addstr(&out, val);
		}
		s = close + 1;
	}
	if (!*bad) {
		strbuf_addstr(&out, s);
		if (out.len > strlen(start))
			p->grown += out.len - strlen(start);
		if (p->grown > p->ps->grow_max) {
			if (!p->over_budget)
				errorf(p, "parameters make the file too long (at most %zu bytes "
				       "more than as written)", p->ps->grow_max);
			p->over_budget = 1;
			*bad = 1;
		}
	}
	if (*bad) {
		strbuf_release(&out);
		return NULL;
	}
	return strbuf_detach(&out);
}

/* Forgets the errors from number `from` on. */
static void drop_errors(struct parser *p, size_t from)
{
	while (p->nerrs > from)
		free(p->errs[--p->nerrs].msg);
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

	if (p->sec == SEC_PARAMS || p->sec == SEC_SYSCTL)
		keys = NULL;	/* any key: checked by add_param or add_sysctl */
	else
		keys = p->sec == SEC_CASE ? case_keys : p->sec == SEC_CGROUP ? cgroup_keys : step_keys;
	for (i = 0; keys && keys[i].name; i++)
		if (!strcmp(keys[i].name, key))
			break;
	if (keys && !keys[i].name && !(p->sec == SEC_CGROUP && strchr(key, '.'))) {
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
	p->raw_val = val;
	if (p->ps->prescan) {	/* only what makes parameters */
		if (p->sec == SEC_PARAMS)
			add_param(p, key, val);
		else if (p->sec == SEC_CASE && !strcmp(key, "memory"))
			set_memory(p, key, val);
		goto out;
	}
	{
		size_t before;
		int bad;
		char *sub = p->sec == SEC_PARAMS ? NULL : substitute(p, val, &bad);
		const char *use = sub ? sub : val;

		if (p->sec == SEC_PARAMS)
			bad = 0;
		p->subst_failed = bad;
		before = p->nerrs;
		if (p->sec == SEC_PARAMS)
			add_param(p, key, val);
		else if (p->sec == SEC_SYSCTL)
			add_sysctl(p, key, use);
		else if (keys[i].name)
			keys[i].set(p, key, use);
		else
			add_cgroup_file(p, key, use);
		if (bad)	/* what follows from ${unknown} is no news */
			drop_errors(p, before);
		p->subst_failed = 0;
		free(sub);
	}
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

	if (!strcmp(kind, "expect")) {
		free(p->selector);
		p->selector = NULL;
		p->bad_selector = 0;
		if (*name) {
			if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789_.+-") != strlen(name)) {
				errorf(p, "bad selector '%s' for [expect] (allowed: %s)", name,
				       SELECTOR_HELP);
				p->bad_selector = 1;	/* its lines are still checked */
			} else {
				p->selector = xstrdup(name);
			}
		}
		p->sec = SEC_EXPECT;
		return;
	}
	if (!strcmp(kind, "case") || !strcmp(kind, "params") || !strcmp(kind, "sysctl")) {
		int *first = kind[0] == 'c' ? &p->case_line :
			     kind[0] == 'p' ? &p->params_line : &p->sysctl_line;

		if (*name) {
			errorf(p, "section [%s] takes no name (got '%s')", kind, name);
			return;
		}
		if (*first) {
			errorf(p, "duplicate section [%s] (first at line %d)", kind, *first);
			return;
		}
		*first = p->line;
		p->sec = kind[0] == 'c' ? SEC_CASE : kind[0] == 'p' ? SEC_PARAMS : SEC_SYSCTL;
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
	size_t before;
	int bad;
	char *sub;

	p->nexpr++;
	if (p->ps->prescan)
		return;
	sub = substitute(p, s, &bad);
	before = p->nerrs;
	if (expect_parse(&e, sub ? sub : s, &msg)) {
		errorf(p, "%s", msg.buf);
		if (bad)
			drop_errors(p, before);
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

		if (!starts && !l->sleep && !l->collect && !s->rmmod && !l->write)
			errorf_at(p, s->line, "[step %s] does nothing (needs run, module, write, sleep, collect or rmmod)",
				  s->name);
		if (l->cgroup && !starts)
			errorf_at(p, l->cgroup, "'cgroup' in [step %s] needs run or module", s->name);
		if (l->background && !starts)
			errorf_at(p, l->background, "'background' in [step %s] needs run or module",
				  s->name);
		if (l->score && !starts)
			errorf_at(p, l->score, "'oom_score_adj' in [step %s] needs run or module",
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
	if (p->ps->file_err)
		errorf_at(p, 0, "%s", p->ps->file_err);
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

static uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* Adds s (taking it); returns 0 if it was there already (and frees s). */
static int strset_add(struct strset *set, char *s)
{
	size_t i;

	if (2 * (set->n + 1) > set->alloc) {
		struct strset bigger = { NULL, 0, set->alloc ? set->alloc * 2 : 64 };

		bigger.v = xcalloc(bigger.alloc, sizeof(*bigger.v));
		for (i = 0; i < set->alloc; i++)
			if (set->v[i])
				strset_add(&bigger, set->v[i]);
		free(set->v);
		*set = bigger;
	}
	for (i = hash_str(s) & (set->alloc - 1); set->v[i]; i = (i + 1) & (set->alloc - 1)) {
		if (!strcmp(set->v[i], s)) {
			free(s);
			return 0;
		}
	}
	set->v[i] = s;
	set->n++;
	return 1;
}

static void strset_release(struct strset *set)
{
	for (size_t i = 0; i < set->alloc; i++)
		free(set->v[i]);
	free(set->v);
	memset(set, 0, sizeof(*set));
}

/* One pass over the text into c (zeroed first). Returns 0, or -1 with the
 * errors in err (none when prescanning) and c released. */
static int parse_pass(struct oomcase *c, const char *path, const char *text, size_t len,
		      struct pass *ps, struct strbuf *err)
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
	p.ps = ps;

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
	if (!ps->prescan)
		check_all(&p);

	if (p.nerrs)
		qsort(p.errs, p.nerrs, sizeof(*p.errs), cmp_errors);
	for (i = 0; i < p.nerrs; i++) {
		struct strbuf where = STRBUF_INIT;

		if (ps->prescan) {
			free(p.errs[i].msg);
			continue;
		}
		if (p.errs[i].line)
			strbuf_addf(&where, "%s:%d: ", path, p.errs[i].line);
		else
			strbuf_addf(&where, "%s: ", path);
		if (ps->reported) {	/* an error only some combinations have */
			struct strbuf key = STRBUF_INIT;

			strbuf_addf(&key, "%d:%s", p.errs[i].line, p.errs[i].msg);
			if (!strset_add(ps->reported, strbuf_detach(&key))) {
				free(p.errs[i].msg);
				strbuf_release(&where);
				continue;
			}
		}
		strbuf_addbuf(err, &where);
		if (ps->note)
			strbuf_addf(err, "with %s: ", ps->note);
		strbuf_addf(err, "%s\n", p.errs[i].msg);
		free(p.errs[i].msg);
		strbuf_release(&where);
	}
	rc = p.nerrs && !ps->prescan ? -1 : 0;
	free(p.errs);
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
		param_release(&p.params[i]);
	free(p.params);
	param_release(&p.memdef);
	/* a case with errors is never half used: nothing to release */
	if (rc)
		case_release(c);
	return rc;
}

/* Parameters that make runs: [params] ones, and memory with several sizes. */
static int expands(const struct param *pm)
{
	return strcmp(pm->name, "memory") || pm->nvalues > 1;
}

/* "memory=64M,order=1" for the combination pick, or NULL if none expands. */
static char *variant_name(const struct param *defs, size_t n, const size_t *pick)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < n; i++)
		if (expands(&defs[i]))
			strbuf_addf(&sb, "%s%s=%s", sb.len ? "," : "", defs[i].name,
				    defs[i].values[pick[i]]);
	return sb.len ? strbuf_detach(&sb) : NULL;
}

static size_t count_expects(const struct oomcase *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nexpects; i++)
		for (const struct expectation *e = &c->expects[i]; e; e = e->or_next)
			n++;
	return n;
}

/* Parses every combination (only the first when `first_only`). */
static int parse_combinations(const char *path, const char *text, size_t len, int first_only,
			      struct oomcase **cases, size_t *ncases, struct strbuf *err)
{
	struct pass scan, ps;
	struct oomcase tmp, *out;
	struct strset reported = { NULL, 0, 0 };
	struct strbuf toomany = STRBUF_INIT;
	unsigned long long total = 1;
	size_t i, k, n, *pick, nexp = 0;
	int rc = 0;

	*cases = NULL;
	*ncases = 0;
	memset(&scan, 0, sizeof(scan));
	scan.prescan = 1;
	parse_pass(&tmp, path, text, len, &scan, err);

	for (i = 0; i < scan.nout; i++) {
		/* never 0: an empty value is an error, and such a line no parameter */
		unsigned long long nv = scan.out[i].nvalues ? scan.out[i].nvalues : 1;

		total = total > ULLONG_MAX / nv ? ULLONG_MAX : total * nv;
	}
	if (total > COMBOS_MAX) {
		if (total == ULLONG_MAX)
			strbuf_addf(&toomany, "the parameters make too many combinations (at most %d)",
				    COMBOS_MAX);
		else
			strbuf_addf(&toomany, "the parameters make %llu combinations (at most %d)",
				    total, COMBOS_MAX);
	} else if (total > 1 && len > TEXT_MAX / total) {
		strbuf_addf(&toomany, "the parameters make %llu runs of this %zu-byte file "
			    "(at most %d bytes in all)", total, len, TEXT_MAX);
	}
	n = first_only || toomany.len ? 1 : (size_t)total;
	pick = xcalloc(scan.nout ? scan.nout : 1, sizeof(*pick));
	out = xcalloc(n, sizeof(*out));

	for (k = 0; k < n; k++) {
		size_t rest = k;
		char *variant;

		for (i = scan.nout; i-- > 0;) {	/* the first parameter varies slowest */
			size_t nv = scan.out[i].nvalues ? scan.out[i].nvalues : 1;

			pick[i] = rest % nv;
			rest /= nv;
		}
		memset(&ps, 0, sizeof(ps));
		ps.defs = scan.out;
		ps.ndefs = scan.nout;
		ps.pick = pick;
		ps.grow_max = EXPAND_MAX;	/* runs * (len + grow_max) <= TEXT_MAX */
		if (!toomany.len && total > 1 && TEXT_MAX / total - len < EXPAND_MAX)
			ps.grow_max = (size_t)(TEXT_MAX / total - len);
		variant = variant_name(scan.out, scan.nout, pick);
		if (k == 0) {
			ps.file_err = toomany.len ? toomany.buf : NULL;
		} else {
			ps.note = variant;
			ps.reported = &reported;
		}
		if (parse_pass(&out[k], path, text, len, &ps, err)) {
			free(variant);
			rc = -1;
			if (k == 0)	/* reported once, not once per combination */
				break;
			continue;
		}
		out[k].variant = variant;
		/* the first run's count stands for all; later ones may have more */
		nexp += count_expects(&out[k]);
		if (n > 1 && (k ? nexp : nexp * n) > EXPECTS_MAX) {
			strbuf_addf(err, "%s: the parameters make more than %d expectations in all "
				    "%zu runs\n", path, EXPECTS_MAX, n);
			rc = -1;
			break;
		}
	}
	if (rc) {
		for (k = 0; k < n; k++)
			case_release(&out[k]);
		free(out);
	} else {
		*cases = out;
		*ncases = n;
	}
	for (i = 0; i < scan.nout; i++)
		param_release(&scan.out[i]);
	free(scan.out);
	free(pick);
	strset_release(&reported);
	strbuf_release(&toomany);
	return rc;
}

int case_parse_all(const char *path, const char *text, size_t len, struct oomcase **cases,
		   size_t *ncases, struct strbuf *err)
{
	return parse_combinations(path, text, len, 0, cases, ncases, err);
}

int case_parse(struct oomcase *c, const char *path, const char *text, size_t len,
	       struct strbuf *err)
{
	struct oomcase *cases;
	size_t n;

	memset(c, 0, sizeof(*c));
	if (parse_combinations(path, text, len, 1, &cases, &n, err))
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
		free(s->write_path);
		free(s->write_value);
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
	free_words(c->needs, c->nneeds);
	free(c->variant);
	memset(c, 0, sizeof(*c));
}

static void help_keys(struct strbuf *out, const struct case_key *keys)
{
	for (size_t i = 0; keys[i].name; i++)
		strbuf_addf(out, "  %-13s %-9s %-11s %s\n", keys[i].name, keys[i].type,
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
	strbuf_addf(out, "  %-13s %-9s %-11s %s\n", "KEY", "TYPE", "DEFAULT", "HELP");
	help_keys(out, case_keys);
	strbuf_addstr(out,
		"  needs:  cgroup-v1 cgroup-v2      the kernel config has that memory controller\n"
		"          kconfig:CONFIG_NAME      the kernel config sets CONFIG_NAME (y, m or a value)\n"
		"          kconfig:!CONFIG_NAME     ...does not\n"
		"          min-kernel:X.Y           kernel release X.Y or later (X.Y.Z too)\n"
		"          max-kernel:X.Y           kernel release X.Y.* or earlier (X.Y.Z too)\n"
		"          arch:ARCH                " ARCH_LIST "\n"
		"          memory:SIZE              the host has this much memory to spare\n"
		"          A target that lacks one is skipped for this case, with the reason.\n");

	strbuf_addstr(out,
		"\n[params]  at most once; NAME = VALUE VALUE ...: the case runs once per\n"
		"          combination of the values of every parameter (at most "
		STR(COMBOS_MAX) " runs).\n"
		"          NAME: " PARAM_HELP ";\n"
		"          values: words split on whitespace, taken as written\n"
		"  ${NAME}   in any value of any other section, [expect] lines included: this\n"
		"            run's value of NAME. [case] memory with several sizes (memory =\n"
		"            64M 128M) is a parameter too, varied first; with one size,\n"
		"            ${memory} is that size. A run is named by its values, in order:\n"
		"            memory=64M,order=1\n");

	strbuf_addstr(out,
		"\n[sysctl]  at most once; KEY = VALUE, written to /proc/sys before anything else,\n"
		"          in order: vm.panic_on_oom = 1 writes 1 to /proc/sys/vm/panic_on_oom\n"
		"          KEY: lower-case letters, digits and _ in words joined by '.'\n"
		"          VALUE: one word\n");

	strbuf_addstr(out, "\n[cgroup NAME]  a cgroup to create before the steps run\n");
	strbuf_addf(out, "  %-13s %-9s %-11s %s\n", "KEY", "TYPE", "DEFAULT", "HELP");
	help_keys(out, cgroup_keys);
	strbuf_addf(out, "  %-13s %-9s %-11s %s\n", "<file>", "string", "(none)",
		    "any key with a '.', e.g. memory.max = 1M: written to that cgroup file, value as is");

	strbuf_addstr(out, "\n[step NAME]  steps run in file order; each needs run, module, write, sleep, collect or rmmod\n");
	strbuf_addf(out, "  %-13s %-9s %-11s %s\n", "KEY", "TYPE", "DEFAULT", "HELP");
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
		"          a case needs at least one (in any [expect] section)\n"
		"[expect SELECTOR]  judged only on targets whose name or arch is SELECTOR, or\n"
		"          whose kernel release starts with SELECTOR followed by '.', '-', '+'\n"
		"          or nothing: [expect i386], [expect custom-x86_64], [expect 6.12]\n"
		"          (6.12 picks 6.12.107+deb12-amd64; 6.1 picks 6.1.0-50-amd64, not 6.12.1)\n"
		"  <fact> <op> <value>\n"
		"  <fact> <op> <value> || <fact> <op> <value> ...\n"
		"         either outcome: holds when any side holds, e.g.\n"
		"         step.hog.exit == signal:9 || step.hog.exit == 3 (a value with || in it\n"
		"         must be \"quoted\")\n"
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
