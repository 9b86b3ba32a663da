/* keys_step: the [step NAME] section's key table: what a step runs, loads,
 * writes, waits for and collects. */
#include "case/keys_step.h"
#include "apps/hog_args.h"
#include "case/lexer.h"
#include "lib/units.h"
#include "proto/collect.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static struct case_step *cur_step(struct parser *p)
{
	return &p->c->steps[p->cur];
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
/* The hog's own option table says what it takes; a bad argument is this
 * line's error, not an exit 2 in the guest. */
static int check_hog(struct parser *p, char *const *v, size_t n)
{
	struct hog_args a;
	size_t bad;
	enum hog_args_error e = hog_args_parse(&a, n, v, HOG_GUEST_SIZE_MAX, &bad);

	if (e)
		case_error(p, "bad hog argument '%s': %s (usage: " HOG_USAGE ")", v[bad], hog_args_strerror(e));
	return !e;
}

static void set_run(struct parser *p, const char *key, const char *val)
{
	struct case_step *s = cur_step(p);
	char **v;
	size_t n;

	(void)key;
	p->sl[p->cur].run = p->line;
	if (p->sl[p->cur].module) {
		case_error(p, "[step %s] has both run and module (allowed: one of them)", s->name);
		return;
	}
	if (lexer_words(val, &v, &n)) {
		case_error(p, "unterminated \"quote\" in 'run'");
		return;
	}
	if (!n || !case_in_list(case_guest_programs, v[0])) {
		struct strbuf known = STRBUF_INIT;

		case_add_list(&known, case_guest_programs);
		case_error(p, "unknown program '%s' (known: %s)", n ? v[0] : "", known.buf);
		strbuf_release(&known);
		lexer_free_words(v, n);
		return;
	}
	if (!strcmp(v[0], "hog") && !check_hog(p, v, n)) {
		lexer_free_words(v, n);
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
		case_error(p, "[step %s] has both run and module (allowed: one of them)", s->name);
		return;
	}
	if (lexer_words(val, &v, &n)) {
		case_error(p, "unterminated \"quote\" in 'module'");
		return;
	}
	if (!n || !case_in_list(case_guest_modules, v[0])) {
		struct strbuf known = STRBUF_INIT;

		case_add_list(&known, case_guest_modules);
		case_error(p, "unknown module '%s' (known: %s)", n ? v[0] : "", known.buf);
		strbuf_release(&known);
		bad = 1;
	}
	for (i = 1; i < n; i++) {
		char *eq = strchr(v[i], '=');

		if (!eq || eq == v[i]) {
			case_error(p, "module parameter '%s' is not key=value", v[i]);
			bad = 1;
		}
	}
	if (bad) {
		lexer_free_words(v, n);
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
	if (!case_in_list(case_guest_modules, val)) {
		struct strbuf known = STRBUF_INIT;

		case_add_list(&known, case_guest_modules);
		case_error(p, "unknown module '%s' for 'rmmod' (known: %s)", val, known.buf);
		strbuf_release(&known);
		return;
	}
	s->rmmod = xstrdup(val);
}

#define WRITE_PATHS "/proc/sysrq-trigger, or a file under /proc/sys/ or /sys/ by a path of " \
	"letters, digits and _ - . : with no empty, . or .. component"

/* A write step pokes a kernel knob. /proc/sys and /sys hold only the
 * kernel's, and sysrq-trigger is the one other /proc file a case needs; the
 * rest of /proc reaches processes (/proc/self/fd/N is the agent's channel to
 * the harness, /proc/1/root every guest file). NULL, or what is wrong. */
static const char *write_path_problem(const char *s)
{
	if (!strcmp(s, "/proc/sysrq-trigger"))
		return NULL;
	if (!strncmp(s, "/proc/sys/", 10))
		s += 10;
	else if (!strncmp(s, "/sys/", 5))
		s += 5;
	else
		return "not a kernel knob";
	for (;;) {
		size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:");

		if (!n || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return s[n] && s[n] != '/' ? "a character not allowed" : "an empty, . or .. component";
		s += n;
		if (!*s)
			return NULL;
		if (*s++ != '/')
			return "a character not allowed";
	}
}

static void set_write(struct parser *p, const char *key, const char *val)
{
	struct case_step *s = cur_step(p);
	const char *problem = NULL;
	char **v;
	size_t n;

	(void)key;
	p->sl[p->cur].write = p->line;
	if (lexer_words(val, &v, &n)) {
		case_error(p, "unterminated \"quote\" in 'write'");
		return;
	}
	if (n != 2)
		case_error(p, "bad write '%s' (allowed: PATH VALUE, VALUE one word or \"quoted\")", val);
	else if ((problem = write_path_problem(v[0])))
		case_error(p, "bad write path '%s': %s (allowed: " WRITE_PATHS ")", v[0], problem);
	if (n != 2 || problem) {
		lexer_free_words(v, n);
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
		case_error(p, "bad oom_score_adj '%s' (allowed: a whole number from -1000 to 1000)", val);
		return;
	}
	s->oom_score_adj = (int)v;
	s->has_oom_score_adj = 1;
}

static void set_background(struct parser *p, const char *key, const char *val)
{
	p->sl[p->cur].background = p->line;
	if (units_parse_bool(val, &cur_step(p)->background))
		case_error(p, "bad bool '%s' for '%s' (allowed: %s)", val, key, BOOL_HELP);
}

static void set_sleep(struct parser *p, const char *key, const char *val)
{
	p->sl[p->cur].sleep = p->line;
	case_set_duration(p, key, val, &cur_step(p)->sleep_ms);
}

/* "buddyinfo meminfo vmstat cgroup:NAME proc:STEP", from the collector table. */
void case_add_collect_list(struct strbuf *out)
{
	for (const struct proto_collector *k = proto_collectors; k->name; k++)
		strbuf_addf(out, "%s%s%s", k == proto_collectors ? "" : " ", k->name,
			    k->arg == PROTO_COLLECT_CGROUP ? ":NAME" :
			    k->arg == PROTO_COLLECT_STEP ? ":STEP" : "");
}

static void set_collect(struct parser *p, const char *key, const char *val)
{
	struct case_step *s = cur_step(p);
	char **v;
	size_t n, i, keep = 0;

	(void)key;
	p->sl[p->cur].collect = p->line;
	if (lexer_words(val, &v, &n)) {
		case_error(p, "unterminated \"quote\" in 'collect'");
		return;
	}
	for (i = 0; i < n; i++) {
		const char *arg;

		if (!proto_collector_find(v[i], &arg) || (arg && !case_valid_name(arg))) {
			struct strbuf known = STRBUF_INIT;

			case_add_collect_list(&known);
			case_error(p, "unknown collect item '%s' (known: %s; NAME, STEP: %s)",
				   v[i], known.buf, NAME_CHARS);
			strbuf_release(&known);
			free(v[i]);
			continue;
		}
		v[keep++] = v[i];	/* names are checked at the end */
	}
	v[keep] = NULL;
	s->collect = v;
	s->ncollect = keep;
}

const struct case_key case_keys_step[] = {
	{ "run", "argv", "(none)", "a guest program and its arguments, split on whitespace; \"quotes\" group", NULL, set_run },
	{ "module", "module", "(none)", "load a module: name and key=value parameters (not with run)", NULL, set_module },
	{ "write", "path value", "(none)", "write VALUE to a kernel knob after the start: /proc/sysrq-trigger, /proc/sys/... or /sys/... (e.g. /proc/sysrq-trigger c)", NULL, set_write },
	{ "rmmod", "module", "(none)", "unload this module after the rest of the step", NULL, set_rmmod },
	{ "cgroup", "name", "(none)", "run the program or module load in this [cgroup NAME]", NULL, set_step_cgroup },
	{ "background", "bool", "no", "do not wait for the program to exit (" BOOL_HELP ")", NULL, set_background },
	{ "sleep", "duration", "(none)", "wait this long after starting the step", NULL, set_sleep },
	{ "collect", "items", "(none)", "then snapshot: ", case_add_collect_list, set_collect },
	{ "oom_score_adj", "integer", "(none)", "-1000 to 1000, for the program or module load (with run or module)", NULL, set_oom_score_adj },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};
