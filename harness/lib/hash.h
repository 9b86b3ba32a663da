/* hash: 64-bit FNV-1a, for content-derived names and keys (snapshots,
 * uploaded volumes, parameter expansion) and hash tables. Not for security. */
#ifndef OOMTEST_HASH_H
#define OOMTEST_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV1A_INIT 0xcbf29ce484222325ull

/* Folds n bytes into h (start from HASH_FNV1A_INIT). */
uint64_t hash_fnv1a_add(uint64_t h, const void *p, size_t n);
static inline uint64_t hash_fnv1a(const void *p, size_t n)
{
	return hash_fnv1a_add(HASH_FNV1A_INIT, p, n);
}

#endif
