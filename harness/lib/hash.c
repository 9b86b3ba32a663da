/* hash: FNV-1a, 64 bits. */
#include "lib/hash.h"

uint64_t hash_fnv1a_add(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ull;
	return h;
}
