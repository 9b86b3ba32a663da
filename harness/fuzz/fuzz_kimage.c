/* libFuzzer target for target/kimage's header reading: any bytes are of
 * one kind, name an arch only when the kind has one, fit every arch in
 * exactly one way and are described; never a read past the input (ASan). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib/strbuf.h"
#include "target/arch.h"
#include "target/kimage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf what = STRBUF_INIT;
	struct kimage k;

	kimage_identify(data, size, &k);
	if (k.kind < KIMAGE_UNKNOWN || k.kind > KIMAGE_GZIP)
		abort();
	if (k.arch && (k.kind == KIMAGE_UNKNOWN || k.kind == KIMAGE_GZIP))
		abort();
	if (k.kind == KIMAGE_ELF && k.elf_class != 0 && k.elf_class != 32 && k.elf_class != 64)
		abort();
	for (size_t i = 0; arch_table[i]; i++) {
		enum kimage_fit fit = kimage_fits(&k, arch_table[i]);
		if (fit != KIMAGE_FITS && fit != KIMAGE_UNCHECKED && fit != KIMAGE_MISFIT)
			abort();
		/* an image that names its arch fits that one only */
		if (k.arch && (fit == KIMAGE_FITS) != (k.arch == arch_table[i]))
			abort();
	}
	kimage_describe(&k, &what);
	if (!what.len)
		abort();
	strbuf_release(&what);
	return 0;
}
