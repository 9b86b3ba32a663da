/* libFuzzer target for kbuild's reading of a build log: the input's first
 * line is the build directory, the rest the log. The answer is one line,
 * bounded, the same every time, and valid UTF-8 when the input is. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "payload/kbuild.h"

static int is_utf8(const char *s, size_t len)
{
	struct strbuf clean = STRBUF_INIT;
	int same;

	utf8_sanitize(&clean, s, len, 0);
	same = clean.len == len && !memcmp(clean.buf, s, len);
	strbuf_release(&clean);
	return same;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nl = memchr(text, '\n', size);
	size_t dir_len = nl ? (size_t)(nl - text) : 0;
	char *dir = strndup(text, dir_len);
	const char *log = nl ? nl + 1 : text;
	size_t log_len = size - (size_t)(log - text);
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

	kbuild_first_error(log, log_len, dir, &a);
	kbuild_first_error(log, log_len, dir, &b);
	if (a.len != b.len || memcmp(a.buf, b.buf, a.len))
		abort();
	if (!a.len || memchr(a.buf, '\n', a.len) || a.len > 400 + 3 || strlen(a.buf) != a.len)
		abort();
	if (strlen(dir) == dir_len && is_utf8(dir, dir_len) && is_utf8(log, log_len) && !is_utf8(a.buf, a.len))
		abort();
	free(dir);
	strbuf_release(&a);
	strbuf_release(&b);
	return 0;
}
