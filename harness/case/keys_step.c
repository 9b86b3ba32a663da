/* keys_step: the [step NAME] section's key table: what a step runs, loads,
 * writes, waits for and collects (run and module: case/programs). */
#include "case/keys_step.h"
#include "case/lexer.h"
#include "case/programs.h"
#include "case/wait.h"
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
/* Checked at the end: a module step may come later in the file. */
static void set_rmmod(struct parser *p, const char *key, const char *val)
{
	(void)key;
	p->sl[p->cur].rmmod = p->line;
	if (!p->subst_failed)	/* a name with ${unknown}: reported once already */
		cur_step(p)->rmmod = xstrdup(val);
}

static void set_tap(struct parser *p, const char *key, const char *val)
{
	p->sl[p->cur].tap = p->line;
	if (units_parse_bool(val, &cur_step(p)->tap))
		case_error(p, "bad bool '%s' for '%s' (allowed: %s)", val, key, BOOL_HELP);
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
	return case_components_problem(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:");
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

/* The condition's grammar is case/wait's; the steps and groups it names,
 * wait_max and what the step runs are checked at the end (case/checks). */
static void set_wait(struct parser *p, const char *key, const char *val)
{
	struct case_step *s = cur_step(p);
	struct strbuf msg = STRBUF_INIT;
	struct case_wait *w = xmalloc(sizeof(*w));

	(void)key;
	p->sl[p->cur].wait = p->line;
	if (case_wait_parse(w, val, s->name, &msg)) {
		case_error(p, "%s", msg.buf);
		free(w);
	} else if (p->subst_failed) {	/* a ${unknown}: reported once already */
		case_wait_free(w);
	} else {
		w->line = p->line;
		s->wait = w;
	}
	strbuf_release(&msg);
}

static void set_wait_max(struct parser *p, const char *key, const char *val)
{
	p->sl[p->cur].wait_max = p->line;
	case_set_duration(p, key, val, &p->sl[p->cur].wait_max_ms);
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

_Static_assert(CASE_WAIT_MAX_MS == 30000L, "wait_max's default in the key table says 30s");

const struct case_key case_keys_step[] = {
	{ "run", "argv", "(none)", "a program and its arguments, split on whitespace; \"quotes\" group (programs: below)", NULL, case_set_run },
	{ "module", "module", "(none)", "load a module, then its key=value parameters (not with run; modules: below)", NULL, case_set_module },
	{ "write", "path value", "(none)", "write VALUE to a kernel knob after the start: /proc/sysrq-trigger, /proc/sys/... or /sys/... (e.g. /proc/sysrq-trigger c)", NULL, set_write },
	{ "rmmod", "module", "(none)", "unload this module after the rest of the step: oom_trigger or a module step's", NULL, set_rmmod },
	{ "cgroup", "name", "(none)", "run the program or module load in this [cgroup NAME]", NULL, set_step_cgroup },
	{ "background", "bool", "no", "do not wait for the program to exit (" BOOL_HELP ")", NULL, set_background },
	{ "sleep", "duration", "(none)", "wait this long after starting the step (not with wait)", NULL, set_sleep },
	{ "wait", "condition", "(none)", "after the step's action, wait until it holds (forms: below)", NULL, set_wait },
	{ "wait_max", "duration", "30s", "with wait: past this the run fails; at most the case's timeout", NULL, set_wait_max },
	{ "collect", "items", "(none)", "then snapshot: ", case_add_collect_list, set_collect },
	{ "oom_score_adj", "integer", "(none)", "-1000 to 1000, for the program or module load (with run or module)", NULL, set_oom_score_adj },
	{ "tap", "bool", "no", "with run: the program's output is read as TAP/KTAP; its results become facts", NULL, set_tap },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};
