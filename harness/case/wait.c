/* wait: a step's wait condition, from its text to a struct case_wait. */
#include "case/wait.h"
#include "case/lexer.h"
#include "case/parser.h"
#include "lib/units.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define OPS_HELP	"== != < <= > >="
#define FILE_HELP	"a cgroup file's name, words of " NAME_CHARS " joined by '.', then .KEY " \
			"for a line of a keyed file, e.g. memory.current, memory.events.high"
#define NUMBER_HELP	"a whole number, or a size with K, M or G suffix, e.g. 8M"

/* The cgroup files whose names have more than two dot-separated words
 * ("*": any one word), longer patterns before the shorter ones they
 * begin like. Any other name is two words: memory.events, cpu.stat. */
static const char *const long_files[] = {
	"memory.kmem.tcp.*", "hugetlb.*.rsvd.*", "hugetlb.*.events.local",
	"memory.events.local", "memory.oom.group", "memory.swap.*", "memory.zswap.*",
	"memory.memsw.*", "memory.kmem.*", "cpu.max.burst", "cpu.weight.nice", "cpu.uclamp.*",
	"cpu.stat.local", "cpuset.cpus.*", "cpuset.mems.*", "cgroup.max.*", "pids.events.local",
	"misc.events.local", "io.bfq.*", "io.cost.*", "blkio.throttle.*", "blkio.bfq.*", "hugetlb.*.*",
	NULL
};

/* How many words of words (n of them) the pattern matches: its own count,
 * or 0 when it does not match. */
static size_t pattern_words(const char *pattern, char *const *words, size_t n)
{
	size_t k = 0;

	for (const char *p = pattern; *p; k++) {
		size_t len = strcspn(p, ".");
		int any = len == 1 && *p == '*';

		if (k >= n || (!any && (strlen(words[k]) != len || strncmp(p, words[k], len))))
			return 0;
		p += len + (p[len] == '.');
	}
	return k;
}

static char *join_words(char *const *words, size_t from, size_t to)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = from; i < to; i++)
		strbuf_addf(&sb, "%s%s", i > from ? "." : "", words[i]);
	return strbuf_detach(&sb);
}

int case_wait_split_file(const char *s, char **file, char **key)
{
	char **words = NULL;
	size_t n = 0, take = 2;
	const char *p = s;
	int whole = 0;	/* every word read, up to the end */

	for (;;) {
		size_t len = strcspn(p, ".");

		if (!len || strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != len)
			break;
		words = xrealloc(words, (n + 1) * sizeof(*words));
		words[n++] = xstrndup(p, len);
		if (!p[len]) {
			whole = 1;
			break;
		}
		p += len + 1;
	}
	if (!whole || n < 2) {
		lexer_free_words(words, n);
		return -1;
	}
	for (size_t i = 0; long_files[i]; i++) {
		size_t k = pattern_words(long_files[i], words, n);

		if (k) {
			take = k;
			break;
		}
	}
	*file = join_words(words, 0, take);
	*key = take < n ? join_words(words, take, n) : NULL;
	lexer_free_words(words, n);
	return 0;
}

const char *case_wait_kind_name(enum wait_kind kind)
{
	switch (kind) {
	case WAIT_EXIT: return "exit";
	case WAIT_OUTPUT: return "output";
	case WAIT_OOM_KILL: return "oom_kill";
	case WAIT_CGROUP: return "cgroup";
	}
	return "?";
}

void case_add_duration(struct strbuf *out, long ms)
{
	if (ms % 1000)
		strbuf_addf(out, "%ldms", ms);
	else
		strbuf_addf(out, "%lds", ms / 1000);
}

static void clear(struct case_wait *w)
{
	free(w->step);
	free(w->group);
	free(w->text);
	free(w->file);
	free(w->key);
	free(w->text_form);
	memset(w, 0, sizeof(*w));
}

void case_wait_free(struct case_wait *w)
{
	if (!w)
		return;
	clear(w);
	free(w);
}

static int parse_op(const char *s, enum expect_op *op)
{
	for (enum expect_op o = OP_EQ; o <= OP_GE; o++)
		if (!strcmp(s, expect_op_name(o))) {
			*op = o;
			return 0;
		}
	return -1;
}

/* Is the step or group name a wait gives bad? Then the message is in err. */
static int bad_name(const char *what, const char *name, const char *text, struct strbuf *err)
{
	if (case_valid_name(name))
		return 0;
	strbuf_addf(err, "bad %s name '%s' in wait '%s' (allowed: %s)", what, name, text, NAME_CHARS);
	return 1;
}

static int parse_cgroup(struct case_wait *w, char **v, const char *text, struct strbuf *err)
{
	unsigned long long value;

	if (bad_name("cgroup", v[1], text, err))
		return -1;
	if (case_wait_split_file(v[2], &w->file, &w->key)) {
		strbuf_addf(err, "bad cgroup file '%s' in wait '%s' (allowed: " FILE_HELP ")", v[2], text);
		return -1;
	}
	if (parse_op(v[3], &w->op)) {
		strbuf_addf(err, "bad operator '%s' in wait '%s' (allowed: " OPS_HELP ")", v[3], text);
		return -1;
	}
	if (units_parse_size(v[4], &value) || value > LLONG_MAX) {
		strbuf_addf(err, "bad number '%s' in wait '%s' (allowed: " NUMBER_HELP ")", v[4], text);
		return -1;
	}
	w->group = xstrdup(v[1]);
	w->value = (long long)value;
	return 0;
}

/* The words after the first, by kind; 0 or -1 with err. */
static int parse_words(struct case_wait *w, char **v, size_t n, const char *text, const char *step,
		       struct strbuf *err)
{
	if (!strcmp(v[0], "exit")) {
		w->kind = WAIT_EXIT;
		if (n > 2) {
			strbuf_addf(err, "bad wait '%s' (allowed: exit, or exit STEP)", text);
			return -1;
		}
		if (n == 2 && bad_name("step", v[1], text, err))
			return -1;
		w->step = xstrdup(n == 2 ? v[1] : step);
	} else if (!strcmp(v[0], "output")) {
		w->kind = WAIT_OUTPUT;
		if (n != 2 || !*v[1]) {
			strbuf_addf(err, "bad wait '%s' (allowed: output \"TEXT\": text that is not empty, "
				    "one word or \"quoted\")", text);
			return -1;
		}
		w->step = xstrdup(step);
		w->text = xstrdup(v[1]);
	} else if (!strcmp(v[0], "oom_kill")) {
		w->kind = WAIT_OOM_KILL;
		if (n > 2) {
			strbuf_addf(err, "bad wait '%s' (allowed: oom_kill, or oom_kill GROUP)", text);
			return -1;
		}
		if (n == 2 && bad_name("cgroup", v[1], text, err))
			return -1;
		w->group = n == 2 ? xstrdup(v[1]) : NULL;
	} else if (!strcmp(v[0], "cgroup")) {
		w->kind = WAIT_CGROUP;
		if (n != 5) {
			strbuf_addf(err, "bad wait '%s' (allowed: cgroup GROUP FILE[.KEY] OP NUMBER, "
				    "e.g. cgroup hog memory.events.high > 0)", text);
			return -1;
		}
		return parse_cgroup(w, v, text, err);
	} else {
		strbuf_addf(err, "unknown wait condition '%s' (known: " WAIT_FORMS ")", v[0]);
		return -1;
	}
	return 0;
}

int case_wait_parse(struct case_wait *w, const char *text, const char *step, struct strbuf *err)
{
	char **v;
	size_t n;
	int rc;

	memset(w, 0, sizeof(*w));
	if (lexer_words(text, &v, &n)) {
		strbuf_addstr(err, "unterminated \"quote\" in 'wait'");
		return -1;
	}
	if (!n) {
		strbuf_addf(err, "empty wait (known: " WAIT_FORMS ")");
		rc = -1;
	} else {
		rc = parse_words(w, v, n, text, step, err);
	}
	lexer_free_words(v, n);
	if (rc) {
		clear(w);
		return -1;
	}
	w->text_form = xstrdup(text);
	w->max_ms = CASE_WAIT_MAX_MS;
	return 0;
}
