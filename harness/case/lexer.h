/* lexer: the INI layer of case files. Splits text into numbered lines (LF
 * or CRLF), cuts '#' comments, trims, tells section headers from other
 * lines, splits "[kind name]" and "key = value", and splits values into
 * words; plus the array growth the case modules share. */
#ifndef OOMTEST_CASE_LEXER_H
#define OOMTEST_CASE_LEXER_H

#include <stddef.h>
#include "lib/strbuf.h"

struct lexer {
	const char *text;
	size_t len, pos;
	int line;		/* of the line last read, from 1 */
	struct strbuf buf;	/* that line, cut and trimmed */
};

enum lex_line {
	LEX_END,	/* no more lines */
	LEX_NUL,	/* a line with a NUL byte: not read */
	LEX_BLANK,	/* empty once the comment is cut */
	LEX_SECTION,	/* starts with '[' */
	LEX_TEXT,	/* anything else: key = value, or an [expect] line */
};

void lexer_init(struct lexer *lx, const char *text, size_t len);
/* Reads the next line; *s (LEX_SECTION, LEX_TEXT, LEX_BLANK) points into
 * the lexer until the next call, and may be cut in place. */
enum lex_line lexer_next(struct lexer *lx, char **s);
void lexer_release(struct lexer *lx);

/* "[kind name]" (spaces allowed around both): points kind and name (""
 * when none) into s, cut in place. -1, s untouched, when s does not end
 * with ']'. */
int lexer_section(char *s, char **kind, char **name);
/* "key = value": splits s at its first '=' and trims both sides in place.
 * -1, s untouched, when there is no '='. */
int lexer_key_value(char *s, char **key, char **val);

int lexer_is_space(int ch);
/* Splits s on whitespace into a NULL-terminated vector; "double quotes"
 * group (with \" and \\ escapes inside). Returns -1 on an unterminated
 * quote. */
int lexer_words(const char *s, char ***out, size_t *outn);
/* Splits s on whitespace only (quotes are ordinary characters). */
void lexer_plain_words(const char *s, char ***out, size_t *outn);
void lexer_free_words(char **v, size_t n);

/* Makes room in *v (of *alloc elements of size bytes) for element n. */
void case_grow(void **v, size_t *alloc, size_t n, size_t size);

#endif
