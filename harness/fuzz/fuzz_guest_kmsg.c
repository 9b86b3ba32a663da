/* libFuzzer target for what the agent reads from the kernel as it runs:
 * /dev/kmsg records (guest/kmsg.c: a module's result line, the timeline's
 * OOM kills and allocation failures), keyed and single-value cgroup and
 * vmstat text for wait conditions (guest/wait.c) and /proc/meminfo for the
 * timeline (guest/sample.c). The input's first byte picks a module name's
 * length; the rest is the record or text. An event's text must fit its
 * buffer, NUL-terminated; a result must lie inside the record. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "guest/kmsg.h"
#include "guest/sample.h"
#include "guest/wait.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "oom_kill", "high", "under_oom", "MemFree", "oom" };
	char what[32], module[16], *text;
	const char *t;
	size_t len, mlen;

	if (!size)
		return 0;
	mlen = data[0] % sizeof(module);
	if (mlen > size - 1)
		mlen = size - 1;
	memcpy(module, data + 1, mlen);
	module[mlen] = '\0';
	data += 1 + mlen;
	size -= 1 + mlen;
	const char *kind = kmsg_record_event((const char *)data, size, what, sizeof(what));
	if (kind && (strlen(what) >= sizeof(what) || (strcmp(kind, "oom_kill") && strcmp(kind, "alloc_fail"))))
		abort();
	if (!kmsg_record_result((const char *)data, size, module, &t, &len) &&
	    (t < (const char *)data || t + len > (const char *)data + size))
		abort();
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* a value is a number, "max" (LLONG_MAX) or -1 for none */
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (wait_read_value(text, keys[i]) < -1)
			abort();
		(void)sample_meminfo_kb(text, keys[i]);
	}
	if (wait_read_value(text, NULL) < -1)
		abort();
	free(text);
	return 0;
}
