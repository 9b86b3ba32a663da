/* libFuzzer target for target/bisect: git bisect run's output read for its
 * outcome (a found commit is one hex word; skipped candidates are hex
 * lines), and the same bytes read as a prebuilt-kernel file (paths made
 * absolute, no line breaks in what it names). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "target/bisect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct strbuf sha = STRBUF_INIT, err = STRBUF_INIT;
	struct prebuilt_kernel k;

	memcpy(text, data, size);
	text[size] = '\0';
	switch (bisect_outcome_of(text, &sha)) {
	case BISECT_FOUND:
		if (sha.len < 7 || strspn(sha.buf, "0123456789abcdef") != sha.len)
			abort();
		break;
	case BISECT_ONLY_SKIPPED:
		if (!sha.len || sha.buf[sha.len - 1] != '\n' || strspn(sha.buf, "0123456789abcdef\n") != sha.len)
			abort();
		break;
	case BISECT_UNKNOWN:
		break;
	}
	if (!prebuilt_kernel_parse(text, "fuzz", "/repo", &k, &err)) {
		if (k.kernel.buf[0] != '/' || k.kdir.buf[0] != '/' || !k.arch.len ||
		    strchr(k.kernel.buf, '\n') || strchr(k.kdir.buf, '\n') || strchr(k.arch.buf, '\n'))
			abort();
	} else if (!err.len) {
		abort();
	}
	prebuilt_kernel_release(&k);
	strbuf_release(&sha);
	strbuf_release(&err);
	free(text);
	return 0;
}
