/* libFuzzer target for record.c: arbitrary agent-channel bytes, split into
 * lines as the runner does. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "run/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record_state st;
	struct facts f = FACTS_INIT;
	const char *p = (const char *)data, *end = p + size;

	record_init(&st);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		record_apply(&st, &f, p, len);
		p += len + 1;
	}
	struct strbuf js = STRBUF_INIT;
	facts_to_json(&f, &js);
	strbuf_release(&js);
	facts_release(&f);
	record_release(&st);
	return 0;
}
