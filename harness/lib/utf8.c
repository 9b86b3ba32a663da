/* utf8: valid UTF-8 (and XML-safe) copies of external text. */
#include "lib/utf8.h"

#include <string.h>

static const char replacement[] = "\xef\xbf\xbd";

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t valid_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t need;
	unsigned min;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		need = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 4, min = 0x10000;
	else
		return 0;
	if (n < need)
		return 0;
	unsigned cp = c & (0x7f >> need);
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* U+FFFE and U+FFFF are not characters in XML either */
	if (cp == 0xfffe || cp == 0xffff)
		return 0;
	return need;
}

void utf8_sanitize(struct strbuf *out, const char *s, size_t len, int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	strbuf_grow(out, len);
	while (i < len) {
		size_t k = valid_seq(p + i, len - i);
		if (!k || ((flags & UTF8_XML) && (p[i] < 0x20 || p[i] == 0x7f) && p[i] != '\t' && p[i] != '\n' &&
			   p[i] != '\r')) {
			strbuf_addstr(out, replacement);
			i += k ? k : 1;
			continue;
		}
		strbuf_add(out, p + i, k);
		i += k;
	}
}

char *utf8_dup(const char *s, int flags)
{
	struct strbuf sb = STRBUF_INIT;
	utf8_sanitize(&sb, s, strlen(s), flags);
	return strbuf_detach(&sb);
}
