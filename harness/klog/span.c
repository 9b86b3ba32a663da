/* span: the byte-view readers. */
#include "klog/span.h"

#include <limits.h>
#include <stdlib.h>

#include "lib/strbuf.h"

struct span cut(struct span *s, const char *p)
{
	struct span head = mkspan(s->p, (size_t)(p - s->p));
	skip(s, head.n);
	return head;
}

bool eat_num(struct span *s, long long *v)
{
	unsigned long long x = 0;
	size_t i = 0, start;
	bool neg = false;

	if (i < s->n && s->p[i] == '-') {
		neg = true;
		i++;
	}
	start = i;
	while (i < s->n && is_digit(s->p[i])) {
		unsigned d = (unsigned)(s->p[i] - '0');
		x = x > (ULLONG_MAX - d) / 10 ? ULLONG_MAX : x * 10 + d;
		i++;
	}
	if (i == start)
		return false;
	if (x > (unsigned long long)LLONG_MAX)
		x = LLONG_MAX;
	*v = neg ? -(long long)x : (long long)x;
	skip(s, i);
	return true;
}

bool eat_hex(struct span *s, struct span *out)
{
	size_t i = 2;

	if (!PFX(*s, "0x"))
		return false;
	while (i < s->n && (is_digit(s->p[i]) || (s->p[i] >= 'a' && s->p[i] <= 'f') ||
			    (s->p[i] >= 'A' && s->p[i] <= 'F')))
		i++;
	if (i == 2)
		return false;
	*out = mkspan(s->p, i);
	skip(s, i);
	return true;
}

char *sdup(struct span s)
{
	return xstrndup(s.p, s.n < MAX_STR ? s.n : MAX_STR);
}

void set_str(char **dst, struct span s)
{
	free(*dst);
	*dst = sdup(s);
}

const char *find_from(struct span s, const char *from, const char *lit)
{
	size_t off = (size_t)(from - s.p);
	return memmem(from, s.n - off, lit, strlen(lit));
}
