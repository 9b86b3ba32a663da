/* ktap_line: one line of TAP or KTAP, classified and taken apart. */
#include "ktap/ktap_line.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const directive_names[] = { "", "SKIP", "TODO", "XFAIL", "TIMEOUT", "ERROR" };

const char *ktap_directive_name(enum ktap_directive d)
{
	return (size_t)d < sizeof(directive_names) / sizeof(directive_names[0]) ? directive_names[d] : "";
}

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static int is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static int is_alpha(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

const char *ktap_dedent(const char *s, size_t len, size_t cols, size_t *outlen)
{
	size_t col = 0, i = 0;

	while (i < len && is_blank(s[i]) && col < cols) {
		col = s[i] == '\t' ? (col / 8 + 1) * 8 : col + 1;
		i++;
	}
	*outlen = len - i;
	return s + i;
}

static int starts(const struct ktap_line *l, const char *word)
{
	size_t n = strlen(word);
	return l->len >= n && !memcmp(l->c, word, n);
}

/* Digits at *p (at most 9 of them, no more following): the number. */
static int read_number(const char *s, size_t len, size_t *p, unsigned long *out)
{
	size_t i = *p, start = i;
	unsigned long long v = 0;

	while (i < len && is_digit(s[i]) && i - start < 10)
		v = v * 10 + (unsigned long long)(s[i++] - '0');
	if (i == start || (i < len && is_digit(s[i])) || v > KTAP_NUMBER_MAX)
		return 0;
	*p = i;
	*out = (unsigned long)v;
	return 1;
}

static size_t skip_blanks(const char *s, size_t len, size_t i)
{
	while (i < len && is_blank(s[i]))
		i++;
	return i;
}

static char *trimmed_dup(const char *s, size_t len)
{
	size_t i = skip_blanks(s, len, 0);

	while (len > i && is_blank(s[len - 1]))
		len--;
	return xstrndup(s + i, len - i);
}

int ktap_line_version(const struct ktap_line *l, enum ktap_format *format, int *version)
{
	size_t i;
	unsigned long v;

	if (starts(l, "TAP version")) {
		*format = KTAP_FORMAT_TAP;
		i = 11;
	} else if (starts(l, "KTAP version")) {
		*format = KTAP_FORMAT_KTAP;
		i = 12;
	} else {
		return 0;
	}
	if (i >= l->len || !is_blank(l->c[i]))
		return 0;
	i = skip_blanks(l->c, l->len, i);
	if (!read_number(l->c, l->len, &i, &v) || i != l->len)
		return 0;
	*version = (int)v;
	return 1;
}

/* After '#': a directive word and its text, or a comment. */
static void parse_directive(const char *s, size_t len, enum ktap_directive *d, char **text, char **comment)
{
	size_t i = skip_blanks(s, len, 0), w = i;
	static const struct {
		const char *word;
		enum ktap_directive d;
	} words[] = { { "todo", KTAP_TODO }, { "xfail", KTAP_XFAIL }, { "timeout", KTAP_TIMEOUT },
		      { "error", KTAP_ERROR } };

	*d = KTAP_DIRECTIVE_NONE;
	while (w < len && is_alpha(s[w]))
		w++;
	if (w > i && (w == len || !(is_digit(s[w]) || s[w] == '_'))) {
		if (w - i >= 4 && !strncasecmp(s + i, "skip", 4))
			*d = KTAP_SKIP;
		for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
			if (w - i == strlen(words[k].word) && !strncasecmp(s + i, words[k].word, w - i))
				*d = words[k].d;
	}
	if (*d == KTAP_DIRECTIVE_NONE) {
		*text = xstrdup("");
		*comment = trimmed_dup(s, len);
		return;
	}
	if (w < len && s[w] == ':')
		w++;
	*text = trimmed_dup(s + w, len - w);
	*comment = xstrdup("");
}

/* "1..N", then blanks and a '#' part, or nothing. */
int ktap_line_plan(const struct ktap_line *l, unsigned long *n, int *skip_all, char **reason)
{
	size_t i = 3;
	enum ktap_directive d;
	char *text, *comment;

	if (!starts(l, "1..") || !read_number(l->c, l->len, &i, n))
		return 0;
	i = skip_blanks(l->c, l->len, i);
	if (i < l->len && l->c[i] != '#')
		return 0;
	*skip_all = *n == 0;
	*reason = NULL;
	if (i < l->len) {
		parse_directive(l->c + i + 1, l->len - i - 1, &d, &text, &comment);
		if (*skip_all) {
			*reason = *text ? text : comment;
			free(*text ? comment : text);
			return 1;
		}
		free(text);
		free(comment);
	}
	if (*skip_all)
		*reason = xstrdup("");
	return 1;
}

/* The description: "\#" and "\\" unescaped, a leading "- " dropped. */
static char *description(const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = skip_blanks(s, len, 0);

	if (i < len && s[i] == '-' && (i + 1 == len || is_blank(s[i + 1])))
		i = skip_blanks(s, len, i + 1);
	for (; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && (s[i + 1] == '#' || s[i + 1] == '\\'))
			i++;
		strbuf_addch(&sb, s[i]);
	}
	while (sb.len && is_blank(sb.buf[sb.len - 1]))
		sb.len--;
	sb.buf[sb.len] = '\0';
	return strbuf_detach(&sb);
}

/* "ok" or "not ok", a number, a description, '#' and a directive. */
int ktap_line_point(const struct ktap_line *l, struct ktap_point *p)
{
	size_t i, hash;

	memset(p, 0, sizeof(*p));
	if (starts(l, "ok")) {
		p->ok = 1;
		i = 2;
	} else if (starts(l, "not") && l->len > 3 && is_blank(l->c[3])) {
		i = skip_blanks(l->c, l->len, 3);
		if (l->len - i < 2 || memcmp(l->c + i, "ok", 2))
			return 0;
		i += 2;
	} else {
		return 0;
	}
	if (i < l->len && !is_blank(l->c[i]))
		return 0;
	i = skip_blanks(l->c, l->len, i);
	size_t num_at = i;
	if (read_number(l->c, l->len, &i, &p->number) && (i == l->len || is_blank(l->c[i]) || l->c[i] == '#'))
		p->number_printed = 1;
	else
		i = num_at;
	for (hash = i; hash < l->len && l->c[hash] != '#'; hash++)
		if (l->c[hash] == '\\' && hash + 1 < l->len)
			hash++;
	if (hash > l->len)
		hash = l->len;
	p->description = description(l->c + i, hash - i);
	if (hash < l->len) {
		parse_directive(l->c + hash + 1, l->len - hash - 1, &p->directive, &p->directive_text, &p->comment);
	} else {
		p->directive_text = xstrdup("");
		p->comment = xstrdup("");
	}
	strbuf_init(&p->diagnostic);
	p->line = l->no;
	return 1;
}

enum ktap_kind ktap_line_kind(const struct ktap_line *l)
{
	if (starts(l, "ok") || starts(l, "not"))
		return KTAP_L_POINT;
	if (starts(l, "1.."))
		return KTAP_L_PLAN;
	if (starts(l, "TAP version") || starts(l, "KTAP version"))
		return KTAP_L_VERSION;
	if (l->len >= 9 && !strncasecmp(l->c, "bail out!", 9))
		return KTAP_L_BAIL;
	if (starts(l, "pragma ") && l->len > 7 && (l->c[7] == '+' || l->c[7] == '-'))
		return KTAP_L_PRAGMA;
	if (l->c[0] == '#') {
		size_t i = skip_blanks(l->c, l->len, 1);
		if (l->len - i >= 7 && !memcmp(l->c + i, "Subtest", 7) &&
		    (i + 7 == l->len || l->c[i + 7] == ':' || is_blank(l->c[i + 7])))
			return KTAP_L_SUBTEST;
		return KTAP_L_DIAG;
	}
	return KTAP_L_UNKNOWN;
}

char *ktap_line_subtest_name(const struct ktap_line *l)
{
	size_t i = skip_blanks(l->c, l->len, 1) + 7;

	if (i > l->len)
		i = l->len;
	if (i < l->len && l->c[i] == ':')
		i++;
	return trimmed_dup(l->c + i, l->len - i);
}

char *ktap_line_bail_reason(const struct ktap_line *l)
{
	return l->len >= 9 ? trimmed_dup(l->c + 9, l->len - 9) : xstrdup("");
}

void ktap_line_split(struct ktap_line *l, const char *line, size_t len, size_t no)
{
	const char *nul = memchr(line, '\0', len);
	size_t i = 0, col = 0;

	if (nul)
		len = (size_t)(nul - line);
	while (len && (line[len - 1] == '\r' || is_blank(line[len - 1])))
		len--;
	while (i < len && is_blank(line[i])) {
		col = line[i] == '\t' ? (col / 8 + 1) * 8 : col + 1;
		i++;
	}
	l->raw = line;
	l->rawlen = len;
	l->c = line + i;
	l->len = len - i;
	l->indent = col;
	l->no = no;
}
