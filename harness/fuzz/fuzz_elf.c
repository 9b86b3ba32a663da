/* libFuzzer target for payload/elf: any bytes give either a result whose
 * strings are all there, or an error with a message; never a read past
 * the input (ASan). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "payload/elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_info info;
	struct strbuf err = STRBUF_INIT;
	int r = elf_inspect_mem(data, size, &info, &err);

	if (r != 0 && (r != -1 || !err.len))
		abort();
	if (r == 0) {
		if (err.len)
			abort();
		if (info.is_elf && info.elf_class != 32 && info.elf_class != 64)
			abort();
		if (info.is_elf && info.script_interp)
			abort();
		if (info.interp && !*info.interp)
			abort();
		for (size_t i = 0; i < info.nneeded; i++)
			if (!info.needed[i] || !*info.needed[i])
				abort();
		if (info.script_interp && (!*info.script_interp || strchr(info.script_interp, ' ')))
			abort();
		/* both questions answer for anything inspected */
		struct strbuf msg = STRBUF_INIT;
		if (!elf_arch_matches(&info, "x86_64"))
			elf_arch_mismatch(&info, "x86_64", &msg);
		strbuf_release(&msg);
	}
	elf_info_release(&info);
	strbuf_release(&err);
	return 0;
}
