/* lexer: lines, comments, sections, key = value and words of case files. */
#include "case/lexer.h"

#include <stdlib.h>
#include <string.h>

void case_grow(void **v, size_t *alloc, size_t n, size_t size)
{
	if (n < *alloc)
		return;
	*alloc = *alloc ? *alloc * 2 : 8;
	*v = xrealloc(*v, *alloc * size);
}

int lexer_is_space(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f' || ch == '\n';
}

void lexer_init(struct lexer *lx, const char *text, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->text = text;
	lx->len = len;
	strbuf_init(&lx->buf);
}

void lexer_release(struct lexer *lx)
{
	strbuf_release(&lx->buf);
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
		} else if (s[i] == '#' && (i == 0 || lexer_is_space(s[i - 1]))) {
			s[i] = '\0';
			return;
		}
	}
}

static char *trim(char *s)
{
	char *end;

	while (lexer_is_space(*s))
		s++;
	for (end = s + strlen(s); end > s && lexer_is_space(end[-1]); end--)
		;
	*end = '\0';
	return s;
}

enum lex_line lexer_next(struct lexer *lx, char **s)
{
	const char *start = lx->text + lx->pos, *nl;
	size_t n;

	if (lx->pos >= lx->len)
		return LEX_END;
	nl = memchr(start, '\n', lx->len - lx->pos);
	n = nl ? (size_t)(nl - start) : lx->len - lx->pos;
	lx->pos += n + (nl ? 1 : 0);
	lx->line++;
	if (n && start[n - 1] == '\r')
		n--;
	if (memchr(start, '\0', n))
		return LEX_NUL;
	strbuf_reset(&lx->buf);
	strbuf_add(&lx->buf, start, n);
	strip_comment(lx->buf.buf);
	*s = trim(lx->buf.buf);
	if (!**s)
		return LEX_BLANK;
	return **s == '[' ? LEX_SECTION : LEX_TEXT;
}

int lexer_section(char *s, char **kind, char **name)
{
	size_t len = strlen(s);
	char *end;

	if (len < 2 || s[len - 1] != ']')
		return -1;
	s[len - 1] = '\0';
	for (*kind = s + 1; lexer_is_space(**kind); (*kind)++)
		;
	for (end = *kind; *end && !lexer_is_space(*end); end++)
		;
	for (*name = end; lexer_is_space(**name); (*name)++)
		;
	*end = '\0';
	for (end = *name + strlen(*name); end > *name && lexer_is_space(end[-1]); end--)
		;
	*end = '\0';
	return 0;
}

int lexer_key_value(char *s, char **key, char **val)
{
	char *eq = strchr(s, '='), *end;

	if (!eq)
		return -1;
	*eq = '\0';
	*key = s;
	for (end = eq; end > s && lexer_is_space(end[-1]); end--)
		;
	*end = '\0';
	for (*val = eq + 1; lexer_is_space(**val); (*val)++)
		;
	return 0;
}

void lexer_free_words(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void add_word(char ***v, size_t *n, size_t *alloc, char *w)
{
	case_grow((void **)v, alloc, *n + 1, sizeof(**v));
	(*v)[(*n)++] = w;
}

int lexer_words(const char *s, char ***out, size_t *outn)
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
		if (!*s || lexer_is_space(*s)) {
			if (in_word) {
				add_word(&v, &n, &alloc, strbuf_detach(&w));
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
		lexer_free_words(v, n);
		return -1;
	}
	case_grow((void **)&v, &alloc, n + 1, sizeof(*v));
	v[n] = NULL;
	*out = v;
	*outn = n;
	return 0;
}

void lexer_plain_words(const char *s, char ***out, size_t *outn)
{
	char **v = NULL;
	size_t n = 0, alloc = 0;

	for (;;) {
		const char *start;

		while (lexer_is_space(*s))
			s++;
		if (!*s)
			break;
		for (start = s; *s && !lexer_is_space(*s); s++)
			;
		add_word(&v, &n, &alloc, xstrndup(start, (size_t)(s - start)));
	}
	case_grow((void **)&v, &alloc, n + 1, sizeof(*v));
	v[n] = NULL;
	*out = v;
	*outn = n;
}
