/* span: a view of bytes that need not be NUL-terminated, and the small
 * readers every klog module parses with (literals, numbers, hex, comm). */
#ifndef OOMTEST_KLOG_SPAN_H
#define OOMTEST_KLOG_SPAN_H

#include <endian.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define MAX_STR 4096		/* longest string kept (a cgroup path fits) */

struct span {
	const char *p;
	size_t n;
};

static inline struct span mkspan(const char *p, size_t n)
{
	struct span s = { p, n };
	return s;
}

static inline bool has_prefix(struct span s, const char *lit, size_t n)
{
	return s.n >= n && !memcmp(s.p, lit, n);
}
#define PFX(s, lit) has_prefix((s), (lit), sizeof(lit) - 1)

static inline bool eat_n(struct span *s, const char *lit, size_t n)
{
	if (!has_prefix(*s, lit, n))
		return false;
	s->p += n;
	s->n -= n;
	return true;
}
#define EAT(s, lit) eat_n((s), (lit), sizeof(lit) - 1)

static inline bool ends_n(struct span s, const char *lit, size_t n)
{
	return s.n >= n && !memcmp(s.p + s.n - n, lit, n);
}
#define ENDS(s, lit) ends_n((s), (lit), sizeof(lit) - 1)

#define FIND(s, lit) ((const char *)memmem((s).p, (s).n, (lit), sizeof(lit) - 1))

static inline void skip(struct span *s, size_t n)
{
	s->p += n;
	s->n -= n;
}

static inline void skip_spaces(struct span *s)
{
	while (s->n && s->p[0] == ' ')
		skip(s, 1);
}

static inline void rtrim(struct span *s)
{
	while (s->n && (s->p[s->n - 1] == ' ' || s->p[s->n - 1] == '\t'))
		s->n--;
}

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline uint64_t load8(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return le64toh(w);
}

/* The part of s before p (a pointer into s); s then starts at p. */
struct span cut(struct span *s, const char *p);
/* Decimal with optional '-'; saturates instead of overflowing. */
bool eat_num(struct span *s, long long *v);
/* "0x" and hex digits; the text as printed goes to out. */
bool eat_hex(struct span *s, struct span *out);
/* A copy of at most MAX_STR bytes of s (free() it). */
char *sdup(struct span s);
/* Replaces *dst with a copy of s. */
void set_str(char **dst, struct span s);
/* Where lit first occurs in s at or after from (a pointer into s), or NULL. */
const char *find_from(struct span s, const char *from, const char *lit);

#endif
