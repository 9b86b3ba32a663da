/* strbuf: growable, always NUL-terminated byte strings (after git's strbuf).
 * Allocation failure aborts: the harness cannot do anything useful without memory. */
#ifndef OOMTEST_STRBUF_H
#define OOMTEST_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;   /* never NULL after strbuf_init; NUL-terminated */
	size_t len;
	size_t alloc;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { strbuf_slopbuf, 0, 0 }

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addbuf(struct strbuf *sb, const struct strbuf *other);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Hands the buffer to the caller (free() it); sb is left empty. */
char *strbuf_detach(struct strbuf *sb);
/* Removes the first n bytes (n <= len). */
void strbuf_drop_front(struct strbuf *sb, size_t n);
/* Strips trailing whitespace. */
void strbuf_rtrim(struct strbuf *sb);
/* Reads a whole file; returns 0 or -errno. */
int strbuf_read_file(struct strbuf *sb, const char *path);

/* Checked allocation helpers shared by every module. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
