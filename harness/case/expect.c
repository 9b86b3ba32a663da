/* expect: parses "<fact> <op> <value>" (and "a || b" chains) from a case
 * file's [expect] lines, and describes and releases what it parsed; the
 * judging is expect_eval's. */
#include "case/expect.h"
#include "target/target.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	enum expect_op op;
} ops[] = {	/* two-character operators first: longest match wins */
	{ "==", OP_EQ }, { "!=", OP_NE }, { "<=", OP_LE }, { ">=", OP_GE },
	{ "!~", OP_NOMATCH }, { "<", OP_LT }, { ">", OP_GT }, { "~", OP_MATCH },
};

#define OPS_LIST "== != < <= > >= ~ !~"
#define FACT_CHARS "letters, digits and _ . : / -"

const char *expect_op_name(enum expect_op op)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].op == op)
			return ops[i].name;
	return "?";
}

static int is_fact_char(int ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '.' || ch == ':' ||
	       ch == '/' || ch == '-';
}

static int is_space(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f' || ch == '\n';
}

static void release_one(struct expectation *e)
{
	free(e->fact);
	free(e->value);
	free(e->text);
	free(e->selector);
	if (e->has_re)
		regfree(&e->re);
	memset(e, 0, sizeof(*e));
}

void expect_release(struct expectation *e)
{
	struct expectation *link = e->or_next;

	while (link) {
		struct expectation *next = link->or_next;

		release_one(link);
		free(link);
		link = next;
	}
	release_one(e);
}

/* One word of a selector: a target name, an arch or a release prefix. */
static int word_selects(const char *w, size_t n, const char *target_name, const char *arch, const char *release)
{
	char word[128];

	if (!n || n >= sizeof(word))
		return 0;
	memcpy(word, w, n);
	word[n] = '\0';
	if ((target_name && target_name_matches(word, target_name)) || (arch && !strcmp(word, arch)))
		return 1;
	if (!release || strncmp(release, word, n))
		return 0;
	return release[n] == '\0' || release[n] == '.' || release[n] == '-' || release[n] == '+';
}

int expect_selector_valid(const char *selector)
{
	for (const char *w = selector;;) {
		size_t n = strcspn(w, ",");
		if (*w == '!') {
			w++;
			n--;
		}
		if (!n || n >= 128 || memchr(w, '!', n))
			return 0;
		if (!w[n])
			return 1;
		w += n + 1;
	}
}

int expect_selects(const char *selector, const char *target_name, const char *arch,
		   const char *release)
{
	if (!selector)
		return 1;
	/* WORD,!WORD,...: every word holds, a ! one does not */
	for (const char *w = selector;;) {
		size_t n = strcspn(w, ",");
		int neg = *w == '!';
		if (word_selects(w + neg, n - (size_t)neg, target_name, arch, release) == neg)
			return 0;
		if (!w[n])
			return 1;
		w += n + 1;
	}
}

/* Parses a "quoted" value starting at *s (on the quote) into out; only \"
 * and \\ are escapes, any other backslash stays, so regexes like "a\.b"
 * read as written. */
static int parse_quoted(const char **s, struct strbuf *out)
{
	const char *p = *s + 1;

	for (; *p && *p != '"'; p++) {
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		strbuf_addch(out, *p);
	}
	if (*p != '"')
		return -1;
	*s = p + 1;
	return 0;
}

/* glibc's regcomp() copies a repeated subexpression once per repeat, so
 * "(a{1000}){1000}" or "b+++...+" needs memory exponential in the pattern,
 * and it recurses once per level of parentheses. Estimate the size of the
 * expanded pattern and refuse the absurd before regcomp() sees it; also
 * back-references, which POSIX extended regex does not have and which glibc
 * can take exponential time to match. */
#define REGEX_MAX_COST	4000
#define REGEX_MAX_DEPTH	32

static int regex_check(const char *re, struct strbuf *err)
{
	struct {
		double alts;	/* finished alternatives */
		double branch;	/* the alternative being read */
		double last;	/* the last atom, as repeated so far */
	} st[REGEX_MAX_DEPTH + 1], *top = st;
	const char *p;

	memset(st, 0, sizeof(st));
	for (p = re; *p; p++) {
		double atom = 1, mult = 1;

		switch (*p) {
		case '(':
			if (top == st + REGEX_MAX_DEPTH) {
				strbuf_addf(err, "bad regex '%s': groups nest deeper than %d",
					    re, REGEX_MAX_DEPTH);
				return -1;
			}
			top++;
			memset(top, 0, sizeof(*top));
			continue;
		case ')':
			if (top > st) {
				atom = top->alts + top->branch + 1;
				top--;
			}
			break;
		case '|':
			top->alts += top->branch;
			top->branch = top->last = 0;
			continue;
		case '*': case '?':
			continue;
		case '+':
			mult = 2;
			break;
		case '{': {
			char *end;
			unsigned long n = strtoul(p + 1, &end, 10), m = n;

			if (end == p + 1 || !isdigit((unsigned char)p[1]))
				break;	/* not an interval: regcomp judges it */
			if (*end == ',') {
				m = n + 1;
				if (isdigit((unsigned char)end[1]))
					m = strtoul(end + 1, &end, 10);
				else
					end++;
			}
			if (*end != '}')
				break;
			mult = (double)(n > m ? n : m);
			if (mult < 1)
				mult = 1;
			p = end;
			break;
		}
		case '[':
			/* a bracket expression is one atom: skip to its ']' */
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			for (; *p && *p != ']'; p++) {
				if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
					const char *q = strchr(p + 2, p[1]);

					while (q && q[1] != ']')
						q = strchr(q + 1, p[1]);
					if (!q)
						break;
					p = q + 1;
				}
			}
			if (!*p)
				return 0;	/* unterminated: regcomp says so */
			break;
		case '\\':
			if (p[1] >= '1' && p[1] <= '9') {
				strbuf_addf(err, "bad regex '%s': back-references (\\%c) are not "
					    "extended regex", re, p[1]);
				return -1;
			}
			if (p[1])
				p++;
			break;
		}
		if (mult != 1) {	/* a repeat: of the last atom */
			top->branch += top->last * (mult - 1);
			top->last *= mult;
		} else {
			top->branch += atom;
			top->last = atom;
		}
		if (top->alts + top->branch > REGEX_MAX_COST) {
			strbuf_addf(err, "bad regex '%s': too big once repeats are expanded "
				    "(at most %d)", re, REGEX_MAX_COST);
			return -1;
		}
	}
	return 0;
}

/* A copy of text without leading and trailing white space. */
static char *dup_trimmed(const char *text)
{
	const char *end;

	while (is_space(*text))
		text++;
	end = text + strlen(text);
	while (end > text && is_space(end[-1]))
		end--;
	return xstrndup(text, (size_t)(end - text));
}

static int parse_one(struct expectation *e, const char *text, struct strbuf *err)
{
	struct strbuf val = STRBUF_INIT;
	const char *p, *start;
	size_t i, n;
	int rc;

	memset(e, 0, sizeof(*e));
	e->text = dup_trimmed(text);
	p = e->text;

	for (start = p; is_fact_char(*p); p++)
		;
	if (p == start) {
		if (!*p)
			strbuf_addstr(err, "empty expression (expected <fact> <op> <value>)");
		else
			strbuf_addf(err, "expected a fact name (%s) at the start of '%s'",
				    FACT_CHARS, e->text);
		goto fail;
	}
	e->fact = xstrndup(start, (size_t)(p - start));
	while (is_space(*p))
		p++;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		n = strlen(ops[i].name);
		if (!strncmp(p, ops[i].name, n))
			break;
	}
	/* "a === 1" or "a =< 1": not an operator followed by a value "= 1" */
	if (i < sizeof(ops) / sizeof(ops[0]) && strspn(p, "=!<>~") > n)
		i = sizeof(ops) / sizeof(ops[0]);
	if (i == sizeof(ops) / sizeof(ops[0])) {
		n = strspn(p, "=!<>~");
		if (n)
			strbuf_addf(err, "unknown operator '%.*s' in '%s' (allowed: %s)",
				    (int)n, p, e->text, OPS_LIST);
		else
			strbuf_addf(err, "missing operator after '%s' in '%s' (allowed: %s)",
				    e->fact, e->text, OPS_LIST);
		goto fail;
	}
	e->op = ops[i].op;
	p += n;
	while (is_space(*p))
		p++;

	if (*p == '"') {
		if (parse_quoted(&p, &val)) {
			strbuf_addf(err, "unterminated \"quoted\" value in '%s'", e->text);
			goto fail;
		}
		while (is_space(*p))
			p++;
		if (*p) {
			strbuf_addf(err, "unexpected '%s' after the quoted value in '%s'",
				    p, e->text);
			goto fail;
		}
	} else if (!*p) {
		strbuf_addf(err, "missing value after '%s %s' (a number, a word or a \"quoted string\")",
			    e->fact, expect_op_name(e->op));
		goto fail;
	} else {
		strbuf_addstr(&val, p);	/* e->text is trimmed already */
	}
	e->value = strbuf_detach(&val);

	if (e->op == OP_MATCH || e->op == OP_NOMATCH) {
		if (regex_check(e->value, err))
			goto fail;
		rc = regcomp(&e->re, e->value, REG_EXTENDED | REG_NOSUB);
		if (rc) {
			size_t len = regerror(rc, &e->re, NULL, 0);
			char *msg = xmalloc(len);

			regerror(rc, &e->re, msg, len);
			strbuf_addf(err, "bad regex '%s': %s", e->value, msg);
			free(msg);
			goto fail;
		}
		e->has_re = 1;
	}
	return 0;
fail:
	strbuf_release(&val);
	expect_release(e);
	return -1;
}

/* Where the next "||" outside "quotes" starts in s, or NULL. */
static const char *find_or(const char *s)
{
	int inq = 0;

	for (; *s; s++) {
		if (inq) {
			if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
				s++;
			else if (*s == '"')
				inq = 0;
		} else if (*s == '"') {
			inq = 1;
		} else if (s[0] == '|' && s[1] == '|') {
			return s;
		}
	}
	return NULL;
}

int expect_parse(struct expectation *e, const char *text, struct strbuf *err)
{
	struct expectation **tail;
	const char *p, *bar, *end;
	char *whole, *part;

	if (!find_or(text))
		return parse_one(e, text, err);

	memset(e, 0, sizeof(*e));
	whole = dup_trimmed(text);
	end = whole + strlen(whole);
	/* every side must be there before any is parsed: one message for "a ||" */
	for (p = whole;; p = bar + 2) {
		const char *q, *stop;

		bar = find_or(p);
		stop = bar ? bar : end;
		for (q = p; q < stop && is_space(*q); q++)
			;
		if (q == stop) {
			strbuf_addf(err, "empty side of '||' in '%s' (expected <fact> <op> <value> "
				    "on each side)", whole);
			free(whole);
			return -1;
		}
		if (!bar)
			break;
	}
	tail = NULL;
	for (p = whole;; p = bar + 2) {
		struct expectation *link = tail ? xmalloc(sizeof(*link)) : e;

		bar = find_or(p);
		part = bar ? xstrndup(p, (size_t)(bar - p)) : xstrdup(p);
		if (parse_one(link, part, err)) {
			free(part);
			if (link != e)
				free(link);
			expect_release(e);
			free(whole);
			return -1;
		}
		free(part);
		if (tail)
			*tail = link;
		tail = &link->or_next;
		if (!bar)
			break;
	}
	free(e->text);
	e->text = whole;
	return 0;
}

void expect_describe(const struct expectation *e, struct strbuf *out)
{
	for (const struct expectation *l = e; l; l = l->or_next) {
		if (l != e)
			strbuf_addf(out, " || %s ", l->fact);
		strbuf_addf(out, "%s %s", expect_op_name(l->op), l->value);
	}
}
