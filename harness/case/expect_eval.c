/* expect_eval: judges a parsed expectation (and its || chain) against a
 * run's facts: numbers numerically when both sides are numbers, strings
 * otherwise; "console" is the whole console text. */
#include "case/expect_eval.h"
#include "case/expect.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* How much of a console line `seen` shows when a regex matched it. */
#define SEEN_MAX 240

/* A number: sign and magnitude when it is an integer that fits 64 bits,
 * otherwise (decimals, huge integers) a long double. */
struct num {
	int is_int;
	int neg;
	unsigned long long mag;
	long double d;
};

static int parse_num(const char *s, size_t len, struct num *n)
{
	const char *p = s, *end = s + len;
	int hex = 0, overflow = 0, frac = 0;
	unsigned long long v = 0;
	unsigned base;

	memset(n, 0, sizeof(*n));
	if (p < end && *p == '-') {
		n->neg = 1;
		p++;
	}
	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		hex = 1;
		p += 2;
	}
	base = hex ? 16 : 10;
	if (p == end)
		return -1;
	for (; p < end; p++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (hex && isxdigit((unsigned char)*p))
			d = (unsigned)(tolower((unsigned char)*p) - 'a' + 10);
		else
			break;
		if (v > (~0ULL - d) / base)
			overflow = 1;
		else
			v = v * base + d;
	}
	if (!hex && p < end && *p == '.' && p > s + n->neg) {
		const char *q = ++p;

		while (p < end && *p >= '0' && *p <= '9')
			p++;
		if (p == q)
			return -1;
		frac = 1;
	}
	if (p != end)
		return -1;
	if (!frac && !overflow) {
		n->is_int = 1;
		n->mag = v;
		if (!v)
			n->neg = 0;
		n->d = n->neg ? -(long double)v : (long double)v;
		return 0;
	}
	/* strtold needs a C string; len is short for any real number */
	char *tmp = xstrndup(s, len);
	n->d = strtold(tmp, NULL);
	free(tmp);
	return 0;
}

/* -1, 0, 1 */
static int num_cmp(const struct num *a, const struct num *b)
{
	if (a->is_int && b->is_int) {
		if (a->neg != b->neg)
			return a->neg ? -1 : 1;
		if (a->mag == b->mag)
			return 0;
		return (a->mag < b->mag) != a->neg ? -1 : 1;
	}
	if (a->d < b->d)
		return -1;
	return a->d > b->d;
}

static int regex_match(const regex_t *re, const char *s, size_t len)
{
#ifdef REG_STARTEND
	regmatch_t m[1];

	m[0].rm_so = 0;
	m[0].rm_eo = (regoff_t)len;
	return regexec(re, s, 1, m, REG_STARTEND) == 0;
#else
	char *tmp = xstrndup(s, len);
	int rc = regexec(re, tmp, 0, NULL, 0) == 0;

	free(tmp);
	return rc;
#endif
}

static void add_printable(struct strbuf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		strbuf_addch(out, s[i] ? s[i] : '.');
}

/* For a console regex that matched: the console line(s) holding the match,
 * which is what a report wants to show. Needs a second compile without
 * REG_NOSUB to learn where the match is. */
static void seen_console_match(const struct expectation *e, const char *con,
			       size_t len, struct strbuf *seen)
{
	regex_t re;
	regmatch_t m[1];
	size_t so, eo;
	int rc;

	if (regcomp(&re, e->value, REG_EXTENDED))
		goto fallback;
#ifdef REG_STARTEND
	m[0].rm_so = 0;
	m[0].rm_eo = (regoff_t)len;
	rc = regexec(&re, con, 1, m, REG_STARTEND);
#else
	{
		char *tmp = xstrndup(con, len);

		rc = regexec(&re, tmp, 1, m, 0);
		free(tmp);
	}
#endif
	regfree(&re);
	if (rc || m[0].rm_so < 0)
		goto fallback;
	so = (size_t)m[0].rm_so;
	eo = (size_t)m[0].rm_eo;
	while (so > 0 && con[so - 1] != '\n')
		so--;
	while (eo < len && con[eo] != '\n')
		eo++;
	while (eo > so && (con[eo - 1] == '\r' || con[eo - 1] == '\n'))
		eo--;
	if (eo - so > SEEN_MAX) {
		add_printable(seen, con + so, SEEN_MAX);
		strbuf_addstr(seen, "...");
	} else {
		add_printable(seen, con + so, eo - so);
	}
	return;
fallback:
	strbuf_addf(seen, "(console, %zu bytes, matched)", len);
}

static int judge(const struct expectation *e, const char *v, size_t vlen, int is_console,
		 struct strbuf *seen)
{
	struct num a, b;
	int holds, c;

	if (e->op == OP_MATCH || e->op == OP_NOMATCH) {
		int m;

		if (!e->has_re) {	/* not from expect_parse: cannot judge */
			strbuf_addstr(seen, "(regex not compiled)");
			return 0;
		}
		m = regex_match(&e->re, v, vlen);
		if (!is_console)
			strbuf_add(seen, v, vlen);
		else if (m)
			seen_console_match(e, v, vlen, seen);
		else
			strbuf_addf(seen, "(console, %zu bytes, no match)", vlen);
		return e->op == OP_MATCH ? m : !m;
	}

	if (is_console)
		strbuf_addf(seen, "(console, %zu bytes)", vlen);
	else
		strbuf_add(seen, v, vlen);

	if (!parse_num(v, vlen, &a) && !parse_num(e->value, strlen(e->value), &b)) {
		c = num_cmp(&a, &b);
		switch (e->op) {
		case OP_EQ: return c == 0;
		case OP_NE: return c != 0;
		case OP_LT: return c < 0;
		case OP_LE: return c <= 0;
		case OP_GT: return c > 0;
		case OP_GE: return c >= 0;
		default: return 0;
		}
	}
	holds = vlen == strlen(e->value) && !memcmp(v, e->value, vlen);
	switch (e->op) {
	case OP_EQ: return holds;
	case OP_NE: return !holds;
	default: return 0;	/* < <= > >= on strings never hold */
	}
}

static int eval_one(const struct expectation *e, const struct facts *facts,
		    const char *console, size_t console_len, struct strbuf *seen)
{
	const char *v;
	char *copy;
	int holds;

	if (strcmp(e->fact, "console")) {
		v = facts ? facts_get(facts, e->fact) : NULL;
		if (!v) {
			strbuf_addstr(seen, "(no such fact)");
			return 0;
		}
		return judge(e, v, strlen(v), 0, seen);
	}
	if (!console) {
		strbuf_addstr(seen, "(no such fact)");
		return 0;
	}
	/* regexec() may read up to a NUL even with REG_STARTEND (sanitizers
	 * check that it can), and the caller need not have one at console_len */
	copy = xstrndup(console, console_len);
	holds = judge(e, copy, console_len, 1, seen);
	free(copy);
	return holds;
}

int expect_eval(const struct expectation *e, const struct facts *facts,
		const char *console, size_t console_len, struct strbuf *seen)
{
	struct strbuf all = STRBUF_INIT, one = STRBUF_INIT;
	const struct expectation *link;

	if (!e->or_next)
		return eval_one(e, facts, console, console_len, seen);
	/* holds when any side holds; seen: that side's value, or every side's */
	for (link = e; link; link = link->or_next) {
		strbuf_reset(&one);
		if (eval_one(link, facts, console, console_len, &one)) {
			strbuf_addbuf(seen, &one);
			strbuf_release(&one);
			strbuf_release(&all);
			return 1;
		}
		if (link != e)
			strbuf_addstr(&all, " | ");
		strbuf_addbuf(&all, &one);
	}
	strbuf_addbuf(seen, &all);
	strbuf_release(&one);
	strbuf_release(&all);
	return 0;
}

